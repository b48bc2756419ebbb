#!/usr/bin/env python3
"""The SAM peer: translates a SAM template (AWS::Serverless::Function with AutoPublishAlias) into
CloudFormation with aws-sam-translator, in this process, and writes the result as YAML.

  sam_translate.py IN.yaml OUT.yaml             one translation: the whole-process figure
  sam_translate.py IN.yaml OUT.yaml --repeat K  also times K in-process translations and prints
                                                {"median_s": ..., "runs": K} (imports excluded)

The managed-policy map is a fixed dict, so nothing calls AWS (no credentials, no network).
Parsing uses PyYAML's C loader when available, writing its C dumper: the fastest the peer can be.
"""
import copy
import json
import os
import statistics
import sys
import time

# The translator resolves AWS::Region for ARNs; with no region it refuses. No call is made.
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import yaml
from samtranslator.translator.transform import transform

try:
    from yaml import CSafeDumper as Dumper
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as Dumper
    from yaml import SafeLoader as Loader


class FakeManagedPolicyLoader:
    """What samtranslator's ManagedPolicyLoader returns, without calling IAM."""

    POLICIES = {
        name: f"arn:aws:iam::aws:policy/service-role/{name}"
        for name in ("AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole", "AWSLambdaRole")
    }

    def load(self):
        return dict(self.POLICIES)


def translate(sam):
    # The translator mutates its input: give it a copy, as a fresh process would have.
    return transform(copy.deepcopy(sam), {}, FakeManagedPolicyLoader())


def main(argv):
    if len(argv) not in (3, 5) or (len(argv) == 5 and argv[3] != "--repeat"):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        sam = yaml.load(f, Loader=Loader)
    cfn = translate(sam)
    with open(argv[2], "w", encoding="utf-8") as f:
        yaml.dump(cfn, f, Dumper=Dumper, sort_keys=False, default_flow_style=False)
    if len(argv) == 5:
        times = []
        for _ in range(int(argv[4])):
            t0 = time.perf_counter()
            out = translate(sam)
            yaml.dump(out, Dumper=Dumper, sort_keys=False, default_flow_style=False)
            times.append(time.perf_counter() - t0)
        print(json.dumps({"median_s": statistics.median(times), "runs": len(times)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
