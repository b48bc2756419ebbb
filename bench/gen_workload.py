#!/usr/bin/env python3
"""Writes the benchmark workload: lambdaform stack specs and the equivalent SAM templates.

The workload is N functions, each with
  - its own execution role: AWSLambdaBasicExecutionRole + AWSLambdaVPCAccessExecutionRole and one
    inline policy allowing ssm:GetParameter on one parameter ARN,
  - S3 code, python3.12, handler app.handler, memory 256, timeout 30, 3 environment variables,
  - a VPC config with 2 subnets and 2 security groups,
  - a published version and an alias `live` pointing at it,
for N = 1, 25, 125 (one spec each), plus a monorepo of 1,000 specs of 5 functions each.

The inline policy comes from the function's `access:` key (`statements:` with the one
ssm:GetParameter statement), so each function keeps its generated role `<Fn>Role` (with both
managed policies, the VPC one added because of `vpc:`) and gets the policy `<Fn>-access` on it.
`--role-style roles` writes the form for a lambdaform without `access:`: each function names its
own role under `roles:` (`<Fn>Exec`, with the inline policy and both managed policies) through
`role: <Fn>Exec`; the template has the same resources. bench/run.py picks the style the CLI
accepts.

Every spec sets `default_outputs: false`: with a version and an alias, each function would get 3
default outputs, and 125 functions (375 outputs) exceed CloudFormation's 200-output limit (E6010).
It is set for every N so that the sizes differ only in their number of functions.

Layout under OUT (default bench/out/workload):
  single/n{N}/stack.yaml            lambdaform spec with N functions
  sam/n{N}.yaml                     the equivalent SAM template (AWS::Serverless::Function)
  mono/specs/svcNNNN/stack.yaml     1,000 specs of 5 functions
  mono/specs.txt                    the spec paths, one a line
  mono/xargs.txt                    "SPEC -o OUT" lines, for `xargs -L1 lambdaform render`
Everything is deterministic: the same arguments write the same bytes.
"""
import argparse
import json
import os
import sys

BUCKET = "bench-artifacts-123456789012"
SUBNETS = ["subnet-0a1b2c3d4e5f60003", "subnet-0a1b2c3d4e5f60004"]
GROUPS = {"app": "sg-0a1b2c3d4e5f60001", "db": "sg-0a1b2c3d4e5f60002"}
BASIC = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
VPC = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"


def fn_name(i):
    return f"Fn{i:04d}"


def param_path(prefix, i):
    return f"/{prefix}/fn{i:04d}/config"


def param_arn(prefix, i):
    return f"arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{param_path(prefix, i)}"


def environment(prefix, i):
    return {"STAGE": "prod", "LOG_LEVEL": "INFO", "CONFIG_PARAM": param_path(prefix, i)}


def lambdaform_spec(stack, n, prefix, role_style="access"):
    """The spec text for `n` functions (written by hand, not by a YAML library: it is the same
    kind of file a person writes, flow mappings included)."""
    out = [
        f"stack: {stack}",
        f"description: lambdaform benchmark, {n} function{'s' if n != 1 else ''} with role, VPC, version and alias",
        "default_outputs: false",
        "",
        "network:",
        f"  private_subnets: [{', '.join(SUBNETS)}]",
        "  security_groups:",
    ]
    for g, sg in GROUPS.items():
        out.append(f"    {g}: [{sg}]")
    if role_style == "roles":
        out += ["", "roles:"]
    for i in range(1, n + 1 if role_style == "roles" else 1):
        out += [
            f"  {fn_name(i)}Exec:",
            "    managed_policy_arns:",
            f"      - !Sub '{BASIC}'",
            f"      - !Sub '{VPC}'",
            "    policies:",
            "      - policy_name: read-config",
            "        policy_document:",
            "          Version: '2012-10-17'",
            "          Statement:",
            "            - Effect: Allow",
            "              Action: ssm:GetParameter",
            f"              Resource: !Sub '{param_arn(prefix, i)}'",
        ]
    out += ["", "functions:"]
    for i in range(1, n + 1):
        env = environment(prefix, i)
        out += [
            f"  {fn_name(i)}:",
            "    runtime: python3.12",
            "    handler: app.handler",
            f"    code: {{s3_bucket: {BUCKET}, s3_key: functions/{prefix}/fn{i:04d}.zip}}",
            "    memory: 256",
            "    timeout: 30",
            "    environment:",
        ]
        out += [f"      {k}: {v}" for k, v in env.items()]
        out.append("    vpc: {subnets: private, security_groups: [app, db]}")
        if role_style == "roles":
            out.append(f"    role: {fn_name(i)}Exec")
        else:
            out += [
                "    access:",
                "      statements:",
                f"        - {{Effect: Allow, Action: ssm:GetParameter, Resource: !Sub '{param_arn(prefix, i)}'}}",
            ]
        out += [
            "    publish_version: true",
            "    aliases: {live: current}",
        ]
    return "\n".join(out) + "\n"


def sam_template(n, prefix):
    """The equivalent SAM template, as a dict (long-form intrinsics, so any loader reads it)."""
    resources = {}
    for i in range(1, n + 1):
        resources[fn_name(i)] = {
            "Type": "AWS::Serverless::Function",
            "Properties": {
                "CodeUri": f"s3://{BUCKET}/functions/{prefix}/fn{i:04d}.zip",
                "Runtime": "python3.12",
                "Handler": "app.handler",
                "MemorySize": 256,
                "Timeout": 30,
                "Environment": {"Variables": environment(prefix, i)},
                "VpcConfig": {"SubnetIds": list(SUBNETS), "SecurityGroupIds": list(GROUPS.values())},
                "Policies": [{
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Action": "ssm:GetParameter",
                        "Resource": {"Fn::Sub": param_arn(prefix, i)},
                    }],
                }],
                "AutoPublishAlias": "live",
            },
        }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Description": f"SAM equivalent of the lambdaform benchmark, {n} functions",
        "Resources": resources,
    }


def accepts_access(lambdaform):
    """True when this lambdaform CLI knows the function key `access:`."""
    import subprocess
    import tempfile
    if not lambdaform:
        return True
    with tempfile.TemporaryDirectory() as d:
        spec = os.path.join(d, "stack.yaml")
        with open(spec, "w", encoding="utf-8") as f:
            f.write(lambdaform_spec("probe", 1, "probe", "access"))
        p = subprocess.run([lambdaform, "validate", spec], capture_output=True, text=True)
    return p.returncode == 0


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # Rewrite only when different: reruns keep mtimes (and page cache) stable.
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(here, "out", "workload"))
    ap.add_argument("--sizes", default="1,25,125", help="function counts of the single-spec cases")
    ap.add_argument("--mono-specs", type=int, default=1000)
    ap.add_argument("--mono-functions", type=int, default=5)
    ap.add_argument("--role-style", choices=["access", "roles", "auto"], default="access",
                    help="inline policy through access: (default), through a role per function under "
                         "roles:, or auto: access: when --lambdaform accepts it")
    ap.add_argument("--lambdaform", help="the CLI that --role-style auto asks")
    args = ap.parse_args(argv)
    if args.role_style == "auto":
        args.role_style = "access" if accepts_access(args.lambdaform) else "roles"
    out = os.path.abspath(args.out)
    sizes = [int(x) for x in args.sizes.split(",") if x]

    for n in sizes:
        write(os.path.join(out, "single", f"n{n}", "stack.yaml"),
              lambdaform_spec(f"bench-n{n}", n, "bench", args.role_style))
        # JSON is YAML: the SAM loader reads it as is, and PyYAML's C loader reads it fast.
        write(os.path.join(out, "sam", f"n{n}.yaml"), json.dumps(sam_template(n, "bench"), indent=1) + "\n")

    specs, lines = [], []
    rendered = os.path.join(out, "mono", "rendered")
    for s in range(1, args.mono_specs + 1):
        svc = f"svc{s:04d}"
        spec = os.path.join(out, "mono", "specs", svc, "stack.yaml")
        write(spec, lambdaform_spec(f"svc-{s:04d}", args.mono_functions, svc, args.role_style))
        specs.append(spec)
        lines.append(f"{spec} -o {os.path.join(rendered, svc + '.yaml')}")
    os.makedirs(rendered, exist_ok=True)
    write(os.path.join(out, "mono", "specs.txt"), "\n".join(specs) + "\n")
    write(os.path.join(out, "mono", "xargs.txt"), "\n".join(lines) + "\n")
    with open(os.path.join(out, "role-style"), "w") as f:
        f.write(args.role_style + "\n")
    print(f"workload in {out}: sizes {sizes}, {args.mono_specs} specs x {args.mono_functions} functions, "
          f"inline policy through {'access:' if args.role_style == 'access' else 'roles:'}", file=sys.stderr)


if __name__ == "__main__":
    main()
