"""Reads the database host from SSM, then would connect to RDS with an IAM auth token."""
import os

import boto3

ssm = boto3.client("ssm")
rds = boto3.client("rds")


def handler(event, context):
    host = ssm.get_parameter(Name=os.environ["DB_HOST_PARAM"])["Parameter"]["Value"]
    token = rds.generate_db_auth_token(DBHostname=host, Port=5432, DBUsername=os.environ["DB_USER"])
    return {"host": host, "database": os.environ["DB_NAME"], "token_length": len(token)}
