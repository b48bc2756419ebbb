#!/usr/bin/env python3
"""End-to-end deploy check of CloudFormation templates against a local moto server.

Starts its own `moto_server` on a free 127.0.0.1 port, deploys each template with the
real `aws cloudformation deploy`, then checks the deployed Lambda functions, IAM roles,
versions, log groups and permissions against the template. moto_server is always stopped.

Usage:
  deploy_check.py --stack NAME --template FILE [--param K=V ...]
                  [--s3-object BUCKET/KEY=LOCALFILE ...] [--redeploy]
                  [--expect-versions FN_LOGICAL_ID=N ...]
  deploy_check.py --plan plan.json
    plan.json: [{"stack": "s", "template": "t.yaml", "params": {"K": "V"},
                 "s3_objects": {"bucket/key": "path"}, "redeploy": true,
                 "expect_versions": {"MyFunction": 1}}, ...]

Output: one line per check, `    ok: WHAT` or `    FAIL: WHAT: ...` (skipped checks are
`    note: skipped WHAT: why`), and per deployment `result STACK: N checks passed, M failed`
or `result STACK: deploy failed`; a failed deployment does not stop the rest of the plan.

Exit status: 0 all checks passed; 1 deploy failure or mismatches; 2 usage error or
moto_server failed to start.
"""
import argparse, ast, base64, hashlib, json, os, shutil, signal, socket, subprocess, sys, tempfile, time
import urllib.error, urllib.parse, urllib.request

from awscli.customizations.cloudformation.yamlhelper import yaml_parse

TIMEOUT = 120
ARTIFACT_BUCKET = "lambdaform-e2e-artifacts"
CHECKED_TYPES = {"AWS::Lambda::Function", "AWS::IAM::Role", "AWS::Lambda::Version",
                 "AWS::Logs::LogGroup", "AWS::Lambda::Permission"}


class UsageError(Exception): pass
class DeployError(Exception): pass
class Unresolvable(Exception): pass
RESOLVE_ERRORS = (Unresolvable, LookupError, TypeError, ValueError)


def parse_kv(items, what):
    out = {}
    for item in items or []:
        key, sep, val = item.partition("=")
        if not sep or not key:
            raise UsageError("bad %s %r (expected K=V)" % (what, item))
        out[key] = val
    return out


def load_plan(args):
    if args.plan:
        if args.stack or args.template:
            raise UsageError("use either --plan or --stack/--template, not both")
        try:
            with open(args.plan) as f:
                plan = json.load(f)
        except (OSError, ValueError) as e:
            raise UsageError("cannot read plan %s: %s" % (args.plan, e))
        if not isinstance(plan, list) or not plan:
            raise UsageError("plan must be a non-empty JSON list")
    elif not (args.stack and args.template):
        raise UsageError("--stack and --template are required (or use --plan)")
    else:
        plan = [{"stack": args.stack, "template": args.template, "redeploy": args.redeploy,
                 "params": parse_kv(args.param, "--param"),
                 "s3_objects": parse_kv(args.s3_object, "--s3-object"),
                 "expect_versions": parse_kv(args.expect_versions, "--expect-versions")}]
    for d in plan:
        if not isinstance(d, dict) or "stack" not in d or "template" not in d:
            raise UsageError("each deployment needs 'stack' and 'template': %r" % (d,))
        if not os.path.isfile(d["template"]):
            raise UsageError("template not found: %s" % d["template"])
        for bk, path in (d.get("s3_objects") or {}).items():
            if "/" not in bk.strip("/") or not os.path.isfile(path):
                raise UsageError("bad s3 object %s=%s (need BUCKET/KEY=existing file)" % (bk, path))
        try:
            d["expect_versions"] = {k: int(v) for k, v in (d.get("expect_versions") or {}).items()}
        except ValueError:
            raise UsageError("expect_versions values must be integers")
    return plan


# ---------------------------------------------------------------------------- moto / aws
class Moto:
    def __init__(self):
        self.exe = shutil.which("moto_server")
        if not self.exe:
            raise UsageError("moto_server not found on PATH")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.log, self.proc = tempfile.TemporaryFile(), None

    def start(self):
        # own session: process group id == pid, so a forking wrapper (pyenv shim) is covered
        self.proc = subprocess.Popen([self.exe, "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                raise UsageError("moto_server exited (rc=%s):\n%s" % (self.proc.returncode, self.output()))
            try:
                opener.open(self.url + "/moto-api/", timeout=2).close()
                return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                if time.monotonic() > deadline:
                    raise UsageError("moto_server did not answer on %s within 30s:\n%s"
                                     % (self.url, self.output()))
                time.sleep(0.2)

    def output(self, tail=3000):
        self.log.seek(0)
        text = self.log.read().decode(errors="replace")
        return text[-tail:] if tail else text

    def stop(self):
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            if self.proc is None or self.proc.poll() is not None:
                return
            try:
                os.killpg(self.proc.pid, sig)
                self.proc.wait(timeout=wait)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass


class Aws:
    def __init__(self, endpoint, tmpdir):
        self.endpoint = endpoint
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")
                    and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
        self.env.update(
            AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
            AWS_EC2_METADATA_DISABLED="true", HOME=tmpdir,
            AWS_CONFIG_FILE=os.path.join(tmpdir, "nonexistent-config"),
            AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmpdir, "nonexistent-credentials"),
            NO_PROXY="127.0.0.1", no_proxy="127.0.0.1",
            # `cloudformation deploy --s3-bucket` uploads the template with its own S3 client,
            # which ignores --endpoint-url; this points it at moto too
            AWS_ENDPOINT_URL_S3=endpoint)

    def run(self, *args):
        cmd = ["aws", "--endpoint-url", self.endpoint] + list(args)
        try:
            p = subprocess.run(cmd, env=self.env, capture_output=True, text=True,
                               timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return 124, "", "timed out after %ds: %s" % (TIMEOUT, " ".join(cmd))
        return p.returncode, p.stdout, p.stderr

    def json(self, *args):
        rc, out, err = self.run(*args, "--output", "json")
        if rc != 0:
            raise DeployError("aws %s failed (rc=%d):\n%s%s" % (" ".join(args), rc, out, err))
        return json.loads(out) if out.strip() else {}


# ---------------------------------------------------------------------------- resolver
class Resolver:
    def __init__(self, template, params, stack, account, physical):
        self.params = {n: params.get(n, (s or {}).get("Default"))
                       for n, s in (template.get("Parameters") or {}).items()
                       if n in params or "Default" in (s or {})}
        # Ref of a List<...>/CommaDelimitedList parameter is a list (CloudFormation splits the
        # comma-separated value, as moto does); the plan passes it as one string
        for n, s in (template.get("Parameters") or {}).items():
            typ = str((s or {}).get("Type", ""))
            if (typ == "CommaDelimitedList" or typ.startswith("List<")) and isinstance(self.params.get(n), str):
                self.params[n] = self.params[n].split(",")
        self.pseudo = {"AWS::Region": "us-east-1", "AWS::AccountId": account, "AWS::Partition": "aws",
                       "AWS::StackName": stack, "AWS::URLSuffix": "amazonaws.com"}
        self.physical = physical  # logical id -> physical id (= Ref of Function, Role, ...)

    def ref(self, name):
        for table in (self.pseudo, self.params, self.physical):
            if name in table:
                return table[name]
        raise Unresolvable("Ref " + name)

    def sub(self, text, variables):
        out, i = [], 0
        while True:
            j = text.find("${", i)
            k = text.find("}", j)
            if j < 0 or k < 0:
                return "".join(out) + text[i:]
            name = text[j + 2:k]
            if name.startswith("!"):
                val = "${" + name[1:] + "}"
            else:
                val = self.resolve(variables[name]) if name in variables else self.ref(name)
            out += [text[i:j], ",".join(map(str, val)) if isinstance(val, list) else str(val)]
            i = k + 1

    def resolve(self, v):
        if isinstance(v, list):
            return [self.resolve(x) for x in v]
        if not isinstance(v, dict):
            return v
        if len(v) == 1:
            (key, arg), = v.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::Sub":
                return self.sub(arg, {}) if isinstance(arg, str) else self.sub(arg[0], arg[1])
            if key == "Fn::Join":
                return str(self.resolve(arg[0])).join(str(x) for x in self.resolve(arg[1]))
            if key == "Fn::Select":
                return self.resolve(arg[1])[int(self.resolve(arg[0]))]
            if key.startswith("Fn::") or key == "Condition":
                raise Unresolvable(key)
        return {k: self.resolve(x) for k, x in v.items()}


def norm(v):
    """Normalise JSON-ish values for comparison: scalars -> str, [x] == x."""
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return norm(v[0]) if len(v) == 1 else [norm(x) for x in v]
    return str(v).lower() if isinstance(v, bool) else str(v)


def as_set(v):
    return sorted(map(str, v if isinstance(v, list) else [v]))


def as_doc(doc):
    """Policy document from the CLI: dict, (URL-encoded) JSON, or - moto, inline role
    policies created by CloudFormation - the Python repr of a dict."""
    if not isinstance(doc, str):
        return doc
    for text in (doc, urllib.parse.unquote(doc)):
        try:
            return json.loads(text)
        except ValueError:
            pass
    try:
        return ast.literal_eval(doc)
    except (ValueError, SyntaxError):
        raise ValueError("cannot parse policy document: %r" % doc[:200])


def getatt_target(v):
    if isinstance(v, dict) and "Fn::GetAtt" in v:
        t = v["Fn::GetAtt"]
        return t.split(".")[0] if isinstance(t, str) else t[0]
    return None


# ---------------------------------------------------------------------------- checks
class Checker:
    def __init__(self, aws, dep, template, resources, account):
        self.aws, self.dep, self.stack = aws, dep, dep["stack"]
        self.res = template.get("Resources") or {}
        # moto lists Aliases (and conditioned-out resources) without LogicalResourceId and
        # Versions/Permissions without PhysicalResourceId
        self.present = {r["LogicalResourceId"] for r in resources if r.get("LogicalResourceId")}
        self.physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources
                         if r.get("LogicalResourceId") and r.get("PhysicalResourceId")}
        self.r = Resolver(template, dep.get("params") or {}, self.stack, account, self.physical)
        self.failures, self.passed = [], 0

    def note(self, msg):
        print("    note: " + msg)

    def fail(self, msg):
        self.failures.append("%s: %s" % (self.stack, msg))
        print("    FAIL: " + msg)

    def eq(self, what, expected, actual, normalise=norm):
        if normalise(expected) == normalise(actual):
            self.passed += 1
            print("    ok: " + what)
        else:
            self.fail("%s: expected %s, got %s" % (what, json.dumps(expected, default=str),
                                                   json.dumps(actual, default=str)))

    def compare(self, what, raw, actual, normalise=norm, moto_default=None):
        try:
            expected = self.r.resolve(raw)
        except RESOLVE_ERRORS as e:
            return self.note("skipped %s: unresolvable (%s)" % (what, e))
        if (moto_default is not None and normalise(actual) == normalise(moto_default)
                and normalise(expected) != normalise(moto_default)):
            return self.note("skipped %s: moto does not apply it from CloudFormation (got %s)"
                             % (what, json.dumps(actual)))
        self.eq(what, expected, actual, normalise)

    def run(self):
        for lid, spec in self.res.items():
            typ, props = spec.get("Type"), spec.get("Properties") or {}
            if typ == "AWS::Lambda::Alias":
                self.note("%s (AWS::Lambda::Alias) not checked: moto ignores aliases in CloudFormation" % lid)
            elif typ not in CHECKED_TYPES:
                continue
            elif lid not in self.present:
                if "Condition" in spec:
                    self.note("%s has Condition %s and is absent: skipped" % (lid, spec["Condition"]))
                else:
                    self.fail("%s (%s) missing from stack resources" % (lid, typ))
            elif typ in ("AWS::Lambda::Function", "AWS::IAM::Role") and lid not in self.physical:
                self.fail("%s (%s) has no physical id" % (lid, typ))
            else:
                self.passed += 1
                try:
                    if typ == "AWS::Lambda::Function":
                        self.function(lid, props)
                    elif typ == "AWS::IAM::Role":
                        self.role(lid, props)
                except DeployError as e:
                    self.fail("%s: %s" % (lid, e))
        self.versions()

    def function(self, lid, p):
        name = self.physical[lid]
        print("  function %s -> %s" % (lid, name))
        cfg = self.aws.json("lambda", "get-function-configuration", "--function-name", name)
        for key in ("Runtime", "Handler", "Description"):
            if key in p:
                self.compare("%s.%s" % (lid, key), p[key], cfg.get(key))
        self.compare(lid + ".MemorySize", p.get("MemorySize", 128), cfg.get("MemorySize"))
        self.compare(lid + ".Timeout", p.get("Timeout", 3), cfg.get("Timeout"))
        env = (p.get("Environment") or {}).get("Variables")
        got = (cfg.get("Environment") or {}).get("Variables") or {}
        if isinstance(env, dict):
            self.eq(lid + ".Environment keys", sorted(env), sorted(got), normalise=list)
            for k, v in env.items():
                self.compare("%s.Environment.%s" % (lid, k), v, got.get(k))
        elif env is not None:
            self.compare(lid + ".Environment.Variables", env, got)
        self.s3_code(lid, p.get("Code") or {}, cfg.get("CodeSha256"))
        vpc, got = p.get("VpcConfig") or {}, cfg.get("VpcConfig") or {}
        for key in ("SubnetIds", "SecurityGroupIds"):
            if isinstance(vpc, dict) and key in vpc:
                self.compare("%s.VpcConfig.%s" % (lid, key), vpc[key], got.get(key) or [], as_set)
        if "Layers" in p:
            self.compare(lid + ".Layers", p["Layers"], [l.get("Arn") for l in cfg.get("Layers") or []],
                         as_set, moto_default=[])
        if "TracingConfig" in p:
            self.compare(lid + ".TracingConfig.Mode", (p["TracingConfig"] or {}).get("Mode"),
                         (cfg.get("TracingConfig") or {}).get("Mode"), moto_default="PassThrough")
        target = getatt_target(p.get("Role"))
        if target in self.physical:  # !GetAtt Role.Arn: compare the role name part of the ARN
            self.eq(lid + ".Role (name)", self.physical[target], (cfg.get("Role") or "").split("/")[-1])
        elif target:
            self.note("skipped %s.Role: %s has no physical id" % (lid, target))
        elif "Role" in p:
            self.compare(lid + ".Role", p["Role"], cfg.get("Role"))

    def s3_code(self, lid, code, sha):
        """Code from S3 that the plan uploaded: the function must have exactly that zip (moto
        creates a function without code, silently, when the object does not exist)."""
        if not (isinstance(code, dict) and "S3Bucket" in code and "S3Key" in code):
            return
        try:
            loc = "%s/%s" % (self.r.resolve(code["S3Bucket"]), self.r.resolve(code["S3Key"]))
        except RESOLVE_ERRORS as e:
            return self.note("skipped %s.Code: unresolvable (%s)" % (lid, e))
        uploaded = {k.strip("/"): v for k, v in (self.dep.get("s3_objects") or {}).items()}
        if loc not in uploaded:
            return self.note("skipped %s.Code: s3://%s is not one of the plan's s3_objects" % (lid, loc))
        with open(uploaded[loc], "rb") as f:
            want = base64.b64encode(hashlib.sha256(f.read()).digest()).decode()
        self.eq("%s.Code (CodeSha256 of s3://%s)" % (lid, loc), want, sha)

    def role(self, lid, p):
        name = self.physical[lid]
        print("  role %s -> %s" % (lid, name))
        got = self.aws.json("iam", "get-role", "--role-name", name)["Role"]
        if "AssumeRolePolicyDocument" in p:
            self.compare(lid + ".AssumeRolePolicyDocument", p["AssumeRolePolicyDocument"],
                         as_doc(got.get("AssumeRolePolicyDocument")))
        for key in ("Path", "MaxSessionDuration"):
            if key in p:
                self.compare("%s.%s" % (lid, key), p[key], got.get(key))
        if p.get("ManagedPolicyArns"):
            attached = self.aws.json("iam", "list-attached-role-policies", "--role-name", name)
            arns = [a["PolicyArn"] for a in attached.get("AttachedPolicies", [])]
            if not arns:
                self.note("skipped %s.ManagedPolicyArns: moto does not attach them from "
                          "CloudFormation (none attached)" % lid)
            else:
                self.compare(lid + ".ManagedPolicyArns", p["ManagedPolicyArns"], arns, as_set)
        for pol in p.get("Policies") or []:
            try:
                pname = str(self.r.resolve(pol.get("PolicyName")))
            except RESOLVE_ERRORS as e:
                self.note("skipped %s inline policy: name unresolvable (%s)" % (lid, e))
                continue
            got = self.aws.json("iam", "get-role-policy", "--role-name", name, "--policy-name", pname)
            self.compare("%s.Policies[%s]" % (lid, pname), pol.get("PolicyDocument"),
                         as_doc(got.get("PolicyDocument")))

    def versions(self):
        """Published versions (excluding $LATEST) of each function an AWS::Lambda::Version
        refers to (must be >= 1) or named in expect_versions (must match exactly)."""
        targets, expect = {}, self.dep.get("expect_versions") or {}
        for lid, spec in self.res.items():
            if spec.get("Type") == "AWS::Lambda::Version" and lid in self.present:
                raw = (spec.get("Properties") or {}).get("FunctionName")
                ref = raw["Ref"] if isinstance(raw, dict) and "Ref" in raw else getatt_target(raw)
                try:
                    name = self.physical.get(ref) or str(self.r.resolve(raw))
                    targets[ref or name] = name
                except RESOLVE_ERRORS as e:
                    self.note("skipped %s.FunctionName: unresolvable (%s)" % (lid, e))
        for fn in expect:
            if (self.res.get(fn) or {}).get("Type") != "AWS::Lambda::Function" or fn not in self.physical:
                self.fail("expect_versions: %s is not a deployed AWS::Lambda::Function of the template" % fn)
            else:
                targets[fn] = self.physical[fn]
        for fn, name in sorted(targets.items()):
            try:
                data = self.aws.json("lambda", "list-versions-by-function", "--function-name", name)
            except DeployError as e:
                self.fail("versions of %s: %s" % (fn, e))
                continue
            count = sum(1 for v in data.get("Versions", []) if v.get("Version") != "$LATEST")
            print("  versions %s -> %d published" % (fn, count))
            if fn in expect:
                self.eq("published versions of %s" % fn, expect[fn], count, normalise=int)
            elif count < 1:
                self.fail("%s has AWS::Lambda::Version resources but no published versions" % fn)


# ---------------------------------------------------------------------------- deploy
def deploy(aws, dep, again=False):
    label, stack, path = "redeploy" if again else "deploy", dep["stack"], dep["template"]
    cmd = ["cloudformation", "deploy", "--template-file", path, "--stack-name", stack,
           "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]
    if os.path.getsize(path) > 51200:
        if aws.run("s3api", "head-bucket", "--bucket", ARTIFACT_BUCKET)[0] != 0:
            aws.json("s3api", "create-bucket", "--bucket", ARTIFACT_BUCKET)
        # moto parses a TemplateURL path-style only if it contains "localhost"; otherwise it
        # takes the bucket from the host name ("127"). Hence the key prefix.
        cmd += ["--s3-bucket", ARTIFACT_BUCKET, "--s3-prefix", "localhost"]
    if dep.get("params"):
        cmd += ["--parameter-overrides"] + ["%s=%s" % kv for kv in dep["params"].items()]
    print("%s %s (%s)" % (label, stack, path))
    rc, out, err = aws.run(*cmd)
    # empty change set: moto answers "No updates are to be performed", the CLI "No changes to deploy"
    unchanged = "No updates are to be performed" in out + err or "No changes to deploy" in out + err
    if rc != 0 and not unchanged:
        raise DeployError("%s of stack %s failed (rc=%d):\n--- stdout\n%s--- stderr\n%s"
                          % (label, stack, rc, out, err))
    status = aws.json("cloudformation", "describe-stacks", "--stack-name", stack)["Stacks"][0]["StackStatus"]
    if status not in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
        raise DeployError("stack %s is in status %s after %s" % (stack, status, label))
    print("  %s ok%s: %s" % (label, " (no changes)" if unchanged else "", status))


def run_plan(aws, plan):
    account = aws.json("sts", "get-caller-identity").get("Account", "123456789012")
    buckets, failures, passed = set(), [], 0
    for dep in plan:
        # a failed deployment is recorded and the plan goes on with the next one
        try:
            for bk, path in (dep.get("s3_objects") or {}).items():
                bucket, key = bk.strip("/").split("/", 1)
                if bucket not in buckets:
                    aws.json("s3api", "create-bucket", "--bucket", bucket)
                    buckets.add(bucket)
                aws.json("s3api", "put-object", "--bucket", bucket, "--key", key, "--body", path)
            with open(dep["template"]) as f:
                template = yaml_parse(f.read())
            deploy(aws, dep)
            if dep.get("redeploy"):
                deploy(aws, dep, again=True)
            resources = aws.json("cloudformation", "describe-stack-resources",
                                 "--stack-name", dep["stack"])["StackResources"]
        except DeployError as e:
            print("  FAIL: %s" % e)
            print("result %s: deploy failed" % dep["stack"])
            failures.append("%s: %s" % (dep["stack"], str(e).split("\n")[0]))
            continue
        print("checking %s" % dep["stack"])
        checker = Checker(aws, dep, template, resources, account)
        checker.run()
        print("result %s: %d checks passed, %d failed"
              % (dep["stack"], checker.passed, len(checker.failures)))
        failures += checker.failures
        passed += checker.passed
    return passed, failures


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plan", help="JSON list of deployments (see module docstring)")
    ap.add_argument("--stack")
    ap.add_argument("--template")
    ap.add_argument("--param", action="append", default=[], metavar="K=V")
    ap.add_argument("--s3-object", action="append", default=[], metavar="BUCKET/KEY=FILE")
    ap.add_argument("--redeploy", action="store_true")
    ap.add_argument("--expect-versions", action="append", default=[], metavar="FN=N")
    try:
        plan = load_plan(ap.parse_args(argv))
    except UsageError as e:
        print("usage error: %s" % e, file=sys.stderr)
        return 2

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)  # unwinds through the finally below
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    moto = None
    with tempfile.TemporaryDirectory(prefix="lambdaform-e2e-") as tmp:
        try:
            moto = Moto()
            moto.start()
            print("moto_server pid %d on %s" % (moto.proc.pid, moto.url))
            passed, failures = run_plan(Aws(moto.url, tmp), plan)
            if failures and "Traceback" in moto.output(tail=None):
                print("--- moto_server log tail\n%s" % moto.output(4000), file=sys.stderr)
        except UsageError as e:
            print("error: %s" % e, file=sys.stderr)
            return 2
        except (DeployError, OSError, ValueError, KeyError) as e:
            print("FAILED: %s" % e, file=sys.stderr)
            if moto and "Traceback" in moto.output(tail=None):
                print("--- moto_server log tail\n%s" % moto.output(4000), file=sys.stderr)
            return 1
        finally:
            if moto:
                moto.stop()
    print("\n%d checks passed, %d failed" % (passed, len(failures)))
    if failures:
        print("mismatches:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
