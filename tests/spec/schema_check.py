#!/usr/bin/env python3
"""Checks schemas/stack.schema.json, the JSON Schema of the stack spec.

1. The schema is itself a valid JSON Schema (draft 2020-12).
2. Every example spec (templates/*/stack.yaml, or the paths given as arguments) validates against
   it. YAML is read with PyYAML; CloudFormation short-form tags become long-form intrinsics
   (!Ref x -> {"Ref": "x"}, !GetAtt a.b -> {"Fn::GetAtt": ["a", "b"]}, !Sub s -> {"Fn::Sub": s}),
   which is how the schema describes them.
3. A few small specs written inline below must pass, and a few must fail.

With --lambdaform PATH, each example and inline spec is also run through `lambdaform validate`,
which must agree with the schema (exit 0 for valid specs, 1 for invalid ones).

Prints `schema: N passed, M failed`; exits 1 on any failure, 77 when jsonschema or PyYAML is not
installed (both come with cfn-lint).

usage: python3 tests/spec/schema_check.py [--lambdaform PATH] [SPEC.yaml ...]
"""

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "schemas" / "stack.schema.json"

try:
    import jsonschema
    import yaml
except ImportError as e:  # pragma: no cover
    print(f"schema_check: skipped, {e.name} is not installed (pip install cfn-lint)")
    sys.exit(77)


# ---- YAML with CloudFormation tags ------------------------------------------------------------


def _load_yaml(text):
    """YAML text -> Python data with short-form intrinsics turned into long form."""
    try:
        from awscli.customizations.cloudformation.yamlhelper import yaml_parse
    except ImportError:
        yaml_parse = None
    if yaml_parse is not None:
        return yaml_parse(text)

    class Loader(yaml.SafeLoader):
        pass

    def intrinsic(loader, suffix, node):
        name = node.tag[1:]
        if name == "GetAtt" and isinstance(node, yaml.ScalarNode):
            return {"Fn::GetAtt": loader.construct_scalar(node).split(".", 1)}
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {name if name in ("Ref", "Condition") else "Fn::" + name: value}

    Loader.add_multi_constructor("!", intrinsic)
    return yaml.load(text, Loader=Loader)


def yaml_to_json(text):
    """What the schema sees: JSON data (dates and other YAML-only scalars become strings)."""
    return json.loads(json.dumps(_load_yaml(text), default=str))


# ---- inline cases -----------------------------------------------------------------------------

BASE = {
    "stack": "schema-check",
    "functions": {
        "Fn": {
            "runtime": "python3.12",
            "handler": "index.handler",
            "code": {"inline": "def handler(event, context):\n    return 1\n"},
        }
    },
}
NETWORK = {
    "public_subnets": ["subnet-0a1b2c3d4e5f60001"],
    "private_subnets": ["subnet-0a1b2c3d4e5f60002"],
    "security_groups": {"app": ["sg-0a1b2c3d4e5f60001"]},
}


def spec(top=None, **fn):
    """BASE with function keys (None deletes one) and top-level keys changed."""
    s = copy.deepcopy(BASE)
    for k, v in fn.items():
        if v is None:
            s["functions"]["Fn"].pop(k, None)
        else:
            s["functions"]["Fn"][k] = v
    s.update(copy.deepcopy(top or {}))
    return s


# Specs the schema (and lambdaform) must accept: long-form intrinsics wherever lambdaform takes one.
VALID = {
    "base": spec(),
    "intrinsics everywhere": spec(
        top={
            "description": "every place an intrinsic may go",
            "parameters": {
                "Memory": {"type": "Number", "default": 256, "allowed_values": [128, 256]},
                "Subnets": {"type": "List<AWS::EC2::Subnet::Id>"},
                "Groups": {"type": "List<AWS::EC2::SecurityGroup::Id>"},
                "Queue": {"type": "String", "default": "arn:aws:sqs:us-east-1:123456789012:q"},
                "Secret": {"type": "String", "no_echo": True, "min_length": 1},
                "Pinned": {"type": "AWS::SSM::Parameter::Value<String>", "default": "/x/y"},
            },
            "conditions": {"Big": {"Fn::Equals": [{"Ref": "Memory"}, 256]}},
            "mappings": {"Sizes": {"dev": {"mb": 128}}},
            "network": {"private_subnets": {"Ref": "Subnets"},
                        "security_groups": {"app": {"Ref": "Groups"}, "extra": [{"Ref": "Secret"}]}},
            "roles": {"Shared": {
                "description": {"Fn::Sub": "role of ${AWS::StackName}"},
                "managed_policy_arns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess"}],
                "policies": [{"policy_name": "s3", "policy_document": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}],
                "max_session_duration": 3600,
                "tags": [{"key": "team", "value": {"Ref": "AWS::StackName"}}],
            }},
            "outputs": {"Size": {"value": {"Fn::If": ["Big", "big", "small"]}, "condition": "Big",
                                 "export": {"name": {"Fn::Sub": "${AWS::StackName}-size"}}}},
            "tags": {"stage": {"Ref": "AWS::Region"}},
        },
        role="Shared",
        memory={"Ref": "Memory"},
        timeout={"Fn::If": ["Big", 30, 10]},
        environment={"TABLE": {"Fn::Sub": "${AWS::StackName}-t"}, "PORT": 8080},
        tracing={"Fn::If": ["Big", "Active", "PassThrough"]},
        ephemeral_storage={"Ref": "AWS::NoValue"},
        reserved_concurrency=0,
        dead_letter_target={"sqs": {"Ref": "Queue"}},
        log_retention_days={"Fn::If": ["Big", 30, 7]},
        vpc={"subnets": "private", "security_groups": ["app", "extra"],
             "ipv6_allowed_for_dual_stack": {"Ref": "AWS::NoValue"}},
        architectures=[{"Ref": "AWS::NoValue"}],
        layers={"Ref": "AWS::NoValue"},
        logging_config={"log_format": "JSON", "application_log_level": "INFO"},
        snap_start={"apply_on": "None"},
        kms_key_arn={"Fn::ImportValue": "key-arn"},
        recursive_loop="Terminate",
        description={"Fn::Sub": "in ${AWS::Region}"},
        tags={"owner": "orders"},
        properties={"FunctionName": {"Fn::Sub": "${AWS::StackName}-fn"}, "VpcConfig": {"Ipv6AllowedForDualStack": False}},
    ),
    "s3 and image code": {
        "stack": "code-forms",
        "functions": {
            "Zip": {"runtime": "nodejs22.x", "handler": "app.handler", "architectures": ["arm64"],
                    "code": {"s3_bucket": "my-artifacts", "s3_key": "app.zip", "s3_object_version": "3"}},
            "Image": {"code": {"image_uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"},
                      "image_config": {"command": ["app.handler"]}, "memory": 1024},
        },
    },
    "package code": spec(code={"package": "src", "s3_bucket": "my-artifacts", "s3_prefix": "builds",
                               "source_kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/k"}, handler="app.handler"),
    "public subnets allowed": spec(top={"network": NETWORK},
                                   vpc={"subnets": "public", "security_groups": ["app"], "allow_public_subnet": True}),
    "dead letter ARN": spec(dead_letter_target="arn:aws:sns:us-east-1:123456789012:failures"),
}

# Specs the schema (and lambdaform) must refuse.
INVALID = {
    "unknown top-level key": spec(top={"functionz": {}}),
    "memory 99999": spec(memory=99999),
    "code with inline and s3_bucket": spec(code={"inline": "x", "s3_bucket": "bucket", "s3_key": "k.zip"}),
    "vpc subnets dmz": spec(top={"network": NETWORK}, vpc={"subnets": "dmz", "security_groups": ["app"]}),
    "unknown function key memroy": spec(memroy=256),
    "public subnets without allow_public_subnet": spec(top={"network": NETWORK},
                                                       vpc={"subnets": "public", "security_groups": ["app"]}),
    "dead_letter_target bare intrinsic": spec(dead_letter_target={"Ref": "AWS::NoValue"}),
    "log_retention_days 13": spec(log_retention_days=13),
    "no stack": {k: v for k, v in spec().items() if k != "stack"},
    "zip function without handler": spec(handler=None),
    "package without s3_bucket": spec(code={"package": "src"}, handler="app.handler"),
    "package with s3_key": spec(code={"package": "src", "s3_bucket": "my-artifacts", "s3_key": "k.zip"},
                                handler="app.handler"),
    "s3_prefix without package": spec(code={"s3_bucket": "my-artifacts", "s3_key": "k.zip", "s3_prefix": "p"}),
}


# ---- running ----------------------------------------------------------------------------------


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, label, detail=""):
        if ok:
            self.passed += 1
            print(f"ok    {label}")
        else:
            self.failed += 1
            print(f"FAIL  {label}{': ' + detail if detail else ''}")


def errors_of(validator, data):
    return sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))


def describe(errors):
    return "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:160]}" for e in errors[:3])


def lambdaform_validate(exe, path):
    r = subprocess.run([exe, "validate", "--today", "2025-06-01", str(path)], capture_output=True, text=True)
    return r.returncode, r.stderr.strip().splitlines()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("specs", nargs="*", help="spec files (default: templates/*/stack.yaml)")
    ap.add_argument("--lambdaform", help="also cross-check with this lambdaform executable")
    args = ap.parse_args()

    res = Results()
    try:
        schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        res.check(False, f"{SCHEMA.relative_to(REPO)} is a valid draft 2020-12 schema", str(e)[:300])
        print(f"schema: {res.passed} passed, {res.failed} failed")
        return 1
    res.check(True, f"{SCHEMA.relative_to(REPO)} is a valid draft 2020-12 schema")
    validator = jsonschema.Draft202012Validator(schema)

    specs = [Path(p) for p in args.specs] or sorted((REPO / "templates").glob("*/stack.yaml"))
    if not specs:
        res.check(False, "example specs found under templates/")
    for path in specs:
        label = os.path.relpath(path, REPO) if path.resolve().is_relative_to(REPO) else str(path)
        try:
            data = yaml_to_json(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as e:
            res.check(False, f"{label} loads", str(e)[:300])
            continue
        errs = errors_of(validator, data)
        res.check(not errs, f"{label} matches the schema", describe(errs))
        if args.lambdaform:
            rc, out = lambdaform_validate(args.lambdaform, path)
            res.check(rc == 0, f"{label} passes lambdaform validate", f"exit {rc}: {' | '.join(out[:3])}")

    with tempfile.TemporaryDirectory() as tmp:
        # The folder the package cases zip.
        (Path(tmp) / "src").mkdir()
        (Path(tmp) / "src" / "app.py").write_text("def handler(event, context):\n    return 1\n")
        for expect_valid, cases in ((True, VALID), (False, INVALID)):
            for name, data in cases.items():
                errs = errors_of(validator, data)
                if expect_valid:
                    res.check(not errs, f"valid case '{name}' matches the schema", describe(errs))
                else:
                    res.check(bool(errs), f"invalid case '{name}' fails the schema", "the schema accepts it")
                if args.lambdaform:
                    # Block YAML with plain scalars where possible: lambdaform resolves `role: Name`
                    # only from an unquoted scalar, so JSON text would not mean the same.
                    path = Path(tmp) / (name.replace(" ", "_") + ".yaml")
                    path.write_text(yaml.safe_dump(data, sort_keys=False, width=1000), encoding="utf-8")
                    rc, out = lambdaform_validate(args.lambdaform, path)
                    want = 0 if expect_valid else 1
                    res.check(rc == want, f"lambdaform validate agrees on '{name}' (exit {want})",
                              f"exit {rc}: {' | '.join(out[:3])}")

    print(f"schema: {res.passed} passed, {res.failed} failed")
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
