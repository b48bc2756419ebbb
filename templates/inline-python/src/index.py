"""Greets the caller: the seed's code kept in the repo and shipped inline as ZipFile."""
import json
import os


def handler(event, context):
    name = (event or {}).get("name", "world")
    return {
        "statusCode": 200,
        "body": json.dumps({"message": f"hello, {name}", "stage": os.environ.get("STAGE", "dev")}),
    }
