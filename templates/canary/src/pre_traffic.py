"""CodeDeploy pre-traffic hook: report success so the deployment proceeds.

A real check would invoke the new version (event["DeploymentId"] identifies the deployment)
and report Failed when it misbehaves; CodeDeploy then rolls back.
"""
import boto3

codedeploy = boto3.client("codedeploy")


def handler(event, context):
    codedeploy.put_lifecycle_event_hook_execution_status(
        deploymentId=event["DeploymentId"],
        lifecycleEventHookExecutionId=event["LifecycleEventHookExecutionId"],
        status="Succeeded",
    )
    return {"status": "Succeeded"}
