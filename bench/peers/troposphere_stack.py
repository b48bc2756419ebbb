#!/usr/bin/env python3
"""The troposphere peer: builds the benchmark stack with troposphere and writes it as YAML.

  troposphere_stack.py N OUT.yaml [PREFIX]

N functions, each with its own role (AWSLambdaBasicExecutionRole, AWSLambdaVPCAccessExecutionRole
and an inline ssm:GetParameter policy), S3 code, python3.12, app.handler, 256 MB, 30 s, 3
environment variables, 2 subnets and 2 security groups, a version and an alias `live` on it.
bench/peers/compare.py runs it only when the troposphere package is installed.
"""
import sys

from troposphere import GetAtt, Ref, Sub, Template
from troposphere.awslambda import Alias, Code, Environment, Function, Version, VpcConfig
from troposphere.iam import Policy, Role

BUCKET = "bench-artifacts-123456789012"
SUBNETS = ["subnet-0a1b2c3d4e5f60003", "subnet-0a1b2c3d4e5f60004"]
GROUPS = ["sg-0a1b2c3d4e5f60001", "sg-0a1b2c3d4e5f60002"]
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                  "Action": "sts:AssumeRole"}]}


def build(n, prefix="bench"):
    t = Template(Description=f"troposphere equivalent of the lambdaform benchmark, {n} functions")
    for i in range(1, n + 1):
        fn_id = f"Fn{i:04d}"
        param = f"/{prefix}/fn{i:04d}/config"
        role = t.add_resource(Role(
            f"{fn_id}Exec",
            AssumeRolePolicyDocument=TRUST,
            ManagedPolicyArns=[
                Sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
                Sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"),
            ],
            Policies=[Policy(PolicyName="read-config", PolicyDocument={
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "ssm:GetParameter",
                               "Resource": Sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter" + param)}],
            })],
        ))
        fn = t.add_resource(Function(
            fn_id,
            Runtime="python3.12",
            Handler="app.handler",
            Code=Code(S3Bucket=BUCKET, S3Key=f"functions/{prefix}/fn{i:04d}.zip"),
            Role=GetAtt(role, "Arn"),
            MemorySize=256,
            Timeout=30,
            Environment=Environment(Variables={"STAGE": "prod", "LOG_LEVEL": "INFO", "CONFIG_PARAM": param}),
            VpcConfig=VpcConfig(SubnetIds=SUBNETS, SecurityGroupIds=GROUPS),
        ))
        version = t.add_resource(Version(f"{fn_id}Version", FunctionName=Ref(fn)))
        t.add_resource(Alias(f"{fn_id}Aliaslive", Name="live", FunctionName=Ref(fn),
                             FunctionVersion=GetAtt(version, "Version")))
    return t


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    t = build(int(argv[1]), argv[3] if len(argv) == 4 else "bench")
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write(t.to_yaml())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
