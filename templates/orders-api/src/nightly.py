"""Nightly job: a placeholder body that reports when it ran."""
import datetime


def handler(event, context):
    return {"ran_at": datetime.datetime.now(datetime.timezone.utc).isoformat()}
