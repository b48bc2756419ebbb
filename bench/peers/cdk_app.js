#!/usr/bin/env node
// The CDK peer: synthesizes the benchmark stack with aws-cdk-lib, as shipped (default
// synthesizer, metadata and bootstrap-version rule left on), and writes cdk.out.
//
//   node cdk_app.js N OUTDIR [PREFIX]
//
// N functions, each with its own execution role (AWSLambdaBasicExecutionRole,
// AWSLambdaVPCAccessExecutionRole and an inline policy allowing ssm:GetParameter on one
// parameter ARN: given as the Role's inlinePolicies, so the policy is part of the role as in
// lambdaform's and SAM's output; CDK's `initialPolicy` would add an AWS::IAM::Policy per
// function, 625 resources at N = 125, above CloudFormation's 500), S3 code, python3.12, app.handler, 256 MB, 30 s, 3 environment variables, 2
// subnets and 2 security groups, the current version and an alias `live` on it.
//
// aws-cdk-lib and constructs come from bench/peers/node_modules (git-ignored), installed by
// `python3 bench/run.py --install-cdk` (npm install --no-save aws-cdk-lib constructs).
'use strict';

const n = Number(process.argv[2]);
const outdir = process.argv[3];
const prefix = process.argv[4] || 'bench';
if (!Number.isInteger(n) || n < 1 || !outdir) {
  console.error('usage: node cdk_app.js N OUTDIR [PREFIX]');
  process.exit(2);
}

const cdk = require('aws-cdk-lib');
const { aws_lambda: lambda, aws_ec2: ec2, aws_iam: iam, aws_s3: s3 } = cdk;

const app = new cdk.App({ outdir });
const stack = new cdk.Stack(app, `bench-n${n}`, {
  description: `CDK equivalent of the lambdaform benchmark, ${n} functions`,
});

const subnets = ['subnet-0a1b2c3d4e5f60003', 'subnet-0a1b2c3d4e5f60004'];
const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
  vpcId: 'vpc-0a1b2c3d4e5f60000',
  availabilityZones: ['us-east-1a', 'us-east-1b'],
  privateSubnetIds: subnets,
});
const groups = ['sg-0a1b2c3d4e5f60001', 'sg-0a1b2c3d4e5f60002'].map((id, i) =>
  ec2.SecurityGroup.fromSecurityGroupId(stack, `Group${i}`, id, { mutable: false }));
const subnetSelection = { subnets: subnets.map((id, i) => ec2.Subnet.fromSubnetId(stack, `Subnet${i}`, id)) };
const bucket = s3.Bucket.fromBucketName(stack, 'Artifacts', 'bench-artifacts-123456789012');

for (let i = 1; i <= n; ++i) {
  const id = String(i).padStart(4, '0');
  const param = `/${prefix}/fn${id}/config`;
  const role = new iam.Role(stack, `Fn${id}Exec`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: [
      iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
      iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'),
    ],
    inlinePolicies: {
      'read-config': new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({
          actions: ['ssm:GetParameter'],
          resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: param.slice(1) })],
        })],
      }),
    },
  });
  const fn = new lambda.Function(stack, `Fn${id}`, {
    role,
    runtime: lambda.Runtime.PYTHON_3_12,
    handler: 'app.handler',
    code: lambda.Code.fromBucket(bucket, `functions/${prefix}/fn${id}.zip`),
    memorySize: 256,
    timeout: cdk.Duration.seconds(30),
    environment: { STAGE: 'prod', LOG_LEVEL: 'INFO', CONFIG_PARAM: param },
    vpc,
    vpcSubnets: subnetSelection,
    securityGroups: groups,
  });
  new lambda.Alias(stack, `Fn${id}Live`, { aliasName: 'live', version: fn.currentVersion });
}

app.synth();
