#!/usr/bin/env python3
"""End-to-end deploy check of CloudFormation templates against a local moto server.

Starts its own `moto_server` on a free 127.0.0.1 port, deploys template(s) with the
real `aws cloudformation deploy` CLI, then checks deployed Lambda functions, IAM roles,
versions, log groups and permissions against what the template says.

Usage:
  deploy_check.py --stack NAME --template FILE [--param K=V ...]
                  [--s3-object BUCKET/KEY=LOCALFILE ...] [--redeploy]
                  [--expect-versions FN_LOGICAL_ID=N ...]
  deploy_check.py --plan plan.json
    plan.json: [{"stack": "s", "template": "t.yaml", "params": {"K": "V"},
                 "s3_objects": {"bucket/key": "path"}, "redeploy": true,
                 "expect_versions": {"MyFunction": 1}}, ...]

Exit status: 0 all checks passed, 1 deploy failure or mismatches, 2 usage error or
moto_server failed to start.
"""
import argparse, ast, json, os, shutil, signal, socket, subprocess, sys, tempfile, time
import urllib.error, urllib.parse, urllib.request

from awscli.customizations.cloudformation.yamlhelper import yaml_parse

TIMEOUT = 120
ARTIFACT_BUCKET = "lambdaform-e2e-artifacts"
CHECKED_TYPES = {"AWS::Lambda::Function", "AWS::IAM::Role", "AWS::Lambda::Version",
                 "AWS::Logs::LogGroup", "AWS::Lambda::Permission"}


class UsageError(Exception):
    pass


class DeployError(Exception):
    pass


class Unresolvable(Exception):
    pass


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
    else:
        if not (args.stack and args.template):
            raise UsageError("--stack and --template are required (or use --plan)")
        plan = [{"stack": args.stack, "template": args.template,
                 "params": parse_kv(args.param, "--param"),
                 "s3_objects": parse_kv(args.s3_object, "--s3-object"),
                 "redeploy": args.redeploy,
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


# ----------------------------------------------------------------------------- moto / aws
class Moto:
    def __init__(self):
        exe = shutil.which("moto_server")
        if not exe:
            raise UsageError("moto_server not found on PATH")
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.url = "http://127.0.0.1:%d" % self.port
        self.log = tempfile.TemporaryFile()
        self.proc = None

    def start(self):
        # own session => process group id == pid, so a forking wrapper (pyenv shim) dies too
        self.proc = subprocess.Popen([shutil.which("moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                raise UsageError("moto_server exited early (rc=%s):\n%s" % (self.proc.returncode, self.output()))
            try:
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                opener.open(self.url + "/moto-api/", timeout=2).close()
                return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise UsageError("moto_server did not answer on %s within 30s:\n%s" % (self.url, self.output()))
                time.sleep(0.2)

    def output(self, tail=3000):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-tail:]

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


class Aws:
    def __init__(self, endpoint, tmpdir):
        self.endpoint = endpoint
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
        env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
                   AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true",
                   HOME=tmpdir, AWS_CONFIG_FILE=os.path.join(tmpdir, "nonexistent-config"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmpdir, "nonexistent-credentials"),
                   NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost",
                   # `cloudformation deploy --s3-bucket` uploads with its own S3 client that
                   # ignores --endpoint-url; this env var points it at moto as well
                   AWS_ENDPOINT_URL_S3=endpoint)
        self.env = env

    def run(self, *args):
        cmd = ["aws", "--endpoint-url", self.endpoint] + list(args)
        try:
            p = subprocess.run(cmd, env=self.env, capture_output=True, text=True,
                               timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return 124, "", "timed out after %ds: %s" % (TIMEOUT, " ".join(cmd))
        return p.returncode, p.stdout, p.stderr

    def json(self, *args):
        rc, out, err = self.run(*(list(args) + ["--output", "json"]))
        if rc != 0:
            raise DeployError("aws %s failed (rc=%d):\n%s%s" % (" ".join(args), rc, out, err))
        return json.loads(out) if out.strip() else {}


# ----------------------------------------------------------------------------- resolver
class Resolver:
    def __init__(self, template, params, stack, account, physical):
        self.params = {}
        for name, spec in (template.get("Parameters") or {}).items():
            if name in params:
                self.params[name] = params[name]
            elif isinstance(spec, dict) and "Default" in spec:
                self.params[name] = spec["Default"]
        self.pseudo = {"AWS::Region": "us-east-1", "AWS::AccountId": account,
                       "AWS::Partition": "aws", "AWS::StackName": stack,
                       "AWS::URLSuffix": "amazonaws.com"}
        self.physical = physical  # logical id -> physical id (Ref of most resources)

    def ref(self, name):
        for table in (self.pseudo, self.params, self.physical):
            if name in table:
                v = table[name]
                return ",".join(map(str, v)) if isinstance(v, list) else v
        raise Unresolvable("Ref " + name)

    def sub(self, text, variables):
        out, i = [], 0
        while i < len(text):
            j = text.find("${", i)
            if j < 0:
                out.append(text[i:])
                break
            out.append(text[i:j])
            k = text.find("}", j)
            if k < 0:
                raise Unresolvable("Fn::Sub " + text)
            name = text[j + 2:k]
            if name.startswith("!"):
                out.append("${" + name[1:] + "}")
            elif name in variables:
                out.append(str(self.resolve(variables[name])))
            else:
                out.append(str(self.ref(name)))
            i = k + 1
        return "".join(out)

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
                if isinstance(arg, list):
                    return self.sub(arg[0], arg[1] if len(arg) > 1 else {})
                return self.sub(arg, {})
            if key == "Fn::Join":
                return str(self.resolve(arg[0])).join(str(x) for x in self.resolve(arg[1]))
            if key == "Fn::Select":
                return self.resolve(arg[1])[int(self.resolve(arg[0]))]
            if key.startswith("Fn::") or key == "Condition":
                raise Unresolvable(key)
        return {k: self.resolve(x) for k, x in v.items()}


def norm(v):
    """Normalise a JSON-ish value for comparison (scalars -> str, [x] == x)."""
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return norm(v[0]) if len(v) == 1 else [norm(x) for x in v]
    if isinstance(v, bool):
        return str(v).lower()
    return str(v)


def as_doc(doc):
    """Policy document as returned by the CLI: dict, JSON, URL-encoded JSON, or (moto,
    inline role policies created by CloudFormation) a Python repr of a dict."""
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


# ----------------------------------------------------------------------------- checks
class Checker:
    def __init__(self, aws, dep, template, resources, account):
        self.aws, self.dep, self.t = aws, dep, template
        self.stack = dep["stack"]
        self.resources = resources
        # moto lists Aliases without LogicalResourceId, Versions/Permissions without PhysicalResourceId
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

    def value(self, what, v):
        try:
            return True, self.r.resolve(v)
        except (Unresolvable, LookupError, TypeError, ValueError) as e:
            self.note("skipped %s: unresolvable (%s)" % (what, e))
            return False, None

    def eq(self, what, expected, actual, normalise=norm):
        if normalise(expected) == normalise(actual):
            self.passed += 1
        else:
            self.fail("%s: expected %s, got %s" % (what, json.dumps(expected, default=str),
                                                   json.dumps(actual, default=str)))

    def compare(self, what, raw, actual, normalise=norm, moto_default=None):
        ok, expected = self.value(what, raw)
        if not ok:
            return
        if (moto_default is not None and normalise(actual) == normalise(moto_default)
                and normalise(expected) != normalise(moto_default)):
            # known moto gap: its CloudFormation handler drops this property
            self.note("skipped %s: moto does not apply it from CloudFormation (got %s)"
                      % (what, json.dumps(actual)))
            return
        self.eq(what, expected, actual, normalise)

    def run(self):
        res = self.t.get("Resources") or {}
        for lid, spec in res.items():
            typ = spec.get("Type")
            if typ == "AWS::Lambda::Alias":
                self.note("%s (AWS::Lambda::Alias) not checked: moto ignores aliases in CloudFormation" % lid)
                continue
            if typ not in CHECKED_TYPES:
                continue
            if lid not in self.present:
                if "Condition" in spec:
                    self.note("%s has Condition %s and is absent: skipped" % (lid, spec["Condition"]))
                else:
                    self.fail("%s (%s) missing from stack resources" % (lid, typ))
                continue
            self.passed += 1
            props = spec.get("Properties") or {}
            if typ in ("AWS::Lambda::Function", "AWS::IAM::Role") and lid not in self.physical:
                self.fail("%s (%s) has no physical id" % (lid, typ))
                continue
            try:
                if typ == "AWS::Lambda::Function":
                    self.function(lid, props)
                elif typ == "AWS::IAM::Role":
                    self.role(lid, props)
                elif typ == "AWS::Logs::LogGroup" and "RetentionInDays" in props:
                    self.log_group(lid, props)
            except DeployError as e:
                self.fail("%s: %s" % (lid, e))
        self.versions(res)

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
        if env is not None:
            got = (cfg.get("Environment") or {}).get("Variables") or {}
            if isinstance(env, dict):
                self.eq(lid + ".Environment keys", sorted(env), sorted(got), normalise=list)
                for k, v in env.items():
                    self.compare("%s.Environment.%s" % (lid, k), v, got.get(k))
            else:
                self.compare(lid + ".Environment.Variables", env, got)
        vpc = p.get("VpcConfig")
        if isinstance(vpc, dict):
            got = cfg.get("VpcConfig") or {}
            for key in ("SubnetIds", "SecurityGroupIds"):
                if key in vpc:
                    self.compare("%s.VpcConfig.%s" % (lid, key), vpc[key], got.get(key) or [],
                                 normalise=lambda x: sorted(map(str, x)))
        if "Layers" in p:
            got = [l.get("Arn") for l in cfg.get("Layers") or []]
            self.compare(lid + ".Layers", p["Layers"], got, normalise=lambda x: sorted(map(str, x)),
                         moto_default=[])
        if "TracingConfig" in p:
            self.compare(lid + ".TracingConfig.Mode", (p["TracingConfig"] or {}).get("Mode"),
                         (cfg.get("TracingConfig") or {}).get("Mode"), moto_default="PassThrough")
        role = p.get("Role")
        if isinstance(role, dict) and "Fn::GetAtt" in role:
            target = role["Fn::GetAtt"]
            target = target.split(".")[0] if isinstance(target, str) else target[0]
            rname = self.physical.get(target)
            if rname:
                got = cfg.get("Role") or ""
                if got.endswith("/" + rname):
                    self.passed += 1
                else:
                    self.fail("%s.Role: expected ARN ending in /%s, got %s" % (lid, rname, got))
            else:
                self.note("skipped %s.Role: %s not in stack" % (lid, target))
        elif role is not None:
            self.compare(lid + ".Role", role, cfg.get("Role"))

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
        if "ManagedPolicyArns" in p:
            attached = self.aws.json("iam", "list-attached-role-policies", "--role-name", name)
            arns = [a["PolicyArn"] for a in attached.get("AttachedPolicies", [])]
            expected = []
            for i, arn in enumerate(p["ManagedPolicyArns"] or []):
                ok, v = self.value("%s.ManagedPolicyArns[%d]" % (lid, i), arn)
                if ok:
                    expected.append(v)
            missing = sorted(set(expected) - set(arns))
            unresolved = len(p["ManagedPolicyArns"] or []) - len(expected)
            extra = sorted(set(arns) - set(expected)) if not unresolved else []
            if expected and not arns:
                self.note("skipped %s.ManagedPolicyArns: moto does not attach them from "
                          "CloudFormation (none attached)" % lid)
            elif missing or extra:
                self.fail("%s.ManagedPolicyArns: missing %s, unexpected %s" % (lid, missing, extra))
            else:
                self.passed += 1
        for pol in p.get("Policies") or []:
            ok, pname = self.value(lid + ".Policies.PolicyName", pol.get("PolicyName"))
            if not ok:
                continue
            what = "%s.Policies[%s]" % (lid, pname)
            rc, out, err = self.aws.run("iam", "get-role-policy", "--role-name", name,
                                        "--policy-name", str(pname), "--output", "json")
            if rc != 0:
                self.fail("%s: get-role-policy failed: %s" % (what, (err or out).strip()))
                continue
            self.compare(what, pol.get("PolicyDocument"), as_doc(json.loads(out)["PolicyDocument"]))

    def log_group(self, lid, p):
        name = self.physical.get(lid)
        if not name:
            return self.note("skipped %s.RetentionInDays: no physical id" % lid)
        groups = self.aws.json("logs", "describe-log-groups", "--log-group-name-prefix", name)
        got = [g.get("retentionInDays") for g in groups.get("logGroups", []) if g.get("logGroupName") == name]
        if not got:
            return self.fail("%s: log group %s not found" % (lid, name))
        self.compare(lid + ".RetentionInDays", p["RetentionInDays"], got[0])

    def function_target(self, raw):
        """Logical id (or literal name) of the function a Version refers to."""
        if isinstance(raw, dict) and "Ref" in raw:
            return raw["Ref"]
        if isinstance(raw, dict) and "Fn::GetAtt" in raw:
            t = raw["Fn::GetAtt"]
            return t.split(".")[0] if isinstance(t, str) else t[0]
        ok, v = self.value("Version.FunctionName", raw)
        return v if ok else None

    def versions(self, res):
        per_fn = {}  # function logical id or name -> [version logical ids]
        for lid, spec in res.items():
            if spec.get("Type") == "AWS::Lambda::Version" and lid in self.present:
                target = self.function_target((spec.get("Properties") or {}).get("FunctionName"))
                if target:
                    per_fn.setdefault(target, []).append(lid)
        expect = self.dep.get("expect_versions") or {}
        for fn in expect:
            if fn not in res or res[fn].get("Type") != "AWS::Lambda::Function":
                self.fail("expect_versions: %s is not an AWS::Lambda::Function in the template" % fn)
        for fn in sorted(set(per_fn) | (set(expect) & set(self.physical))):
            name = self.physical.get(fn, fn)
            try:
                data = self.aws.json("lambda", "list-versions-by-function", "--function-name", name)
            except DeployError as e:
                self.fail("versions of %s: %s" % (fn, e))
                continue
            published = [v for v in data.get("Versions", []) if v.get("Version") != "$LATEST"]
            arns = {v.get("FunctionArn") for v in published}
            print("  versions %s -> %d published" % (fn, len(published)))
            for vlid in per_fn.get(fn, []):
                pid = self.physical.get(vlid, "")
                if pid.startswith("arn:") and pid not in arns:
                    self.fail("%s: physical id %s not among published versions of %s %s"
                              % (vlid, pid, fn, sorted(arns)))
            if fn in expect:
                self.eq("published versions of %s" % fn, expect[fn], len(published), normalise=int)
            elif not published:
                self.fail("%s has AWS::Lambda::Version resources but no published versions" % fn)


# ----------------------------------------------------------------------------- deploy
def deploy(aws, dep, template_path, again=False):
    cmd = ["cloudformation", "deploy", "--template-file", template_path,
           "--stack-name", dep["stack"], "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]
    if os.path.getsize(template_path) > 51200:
        rc, out, err = aws.run("s3api", "head-bucket", "--bucket", ARTIFACT_BUCKET)
        if rc != 0:
            aws.json("s3api", "create-bucket", "--bucket", ARTIFACT_BUCKET)
        # moto reads TemplateURL path-style only if the URL contains "localhost" (otherwise it
        # takes the bucket from the host name, "127"), hence the key prefix
        cmd += ["--s3-bucket", ARTIFACT_BUCKET, "--s3-prefix", "localhost"]
    params = dep.get("params") or {}
    if params:
        cmd += ["--parameter-overrides"] + ["%s=%s" % kv for kv in params.items()]
    label = "redeploy" if again else "deploy"
    print("%s %s (%s)" % (label, dep["stack"], template_path))
    rc, out, err = aws.run(*cmd)
    text = out + err
    if rc != 0:
        if again and ("No updates are to be performed" in text or "No changes to deploy" in text):
            print("  %s: no changes (ok)" % label)
            return
        raise DeployError("%s of stack %s failed (rc=%d):\n--- stdout\n%s--- stderr\n%s"
                          % (label, dep["stack"], rc, out, err))
    if "No changes to deploy" in text:
        print("  %s: no changes (ok)" % label)
    status = aws.json("cloudformation", "describe-stacks", "--stack-name", dep["stack"])["Stacks"][0]["StackStatus"]
    if status not in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
        raise DeployError("stack %s is in status %s after %s" % (dep["stack"], status, label))
    print("  %s ok: %s" % (label, status))


def run_plan(aws, plan):
    account = aws.json("sts", "get-caller-identity").get("Account", "123456789012")
    buckets, failures, passed = set(), [], 0
    for dep in plan:
        for bk, path in (dep.get("s3_objects") or {}).items():
            bucket, key = bk.strip("/").split("/", 1)
            if bucket not in buckets:
                aws.json("s3api", "create-bucket", "--bucket", bucket)
                buckets.add(bucket)
            aws.json("s3api", "put-object", "--bucket", bucket, "--key", key, "--body", path)
        with open(dep["template"]) as f:
            template = yaml_parse(f.read())
        deploy(aws, dep, dep["template"])
        if dep.get("redeploy"):
            deploy(aws, dep, dep["template"], again=True)
        resources = aws.json("cloudformation", "describe-stack-resources",
                             "--stack-name", dep["stack"])["StackResources"]
        print("checking %s (%d named stack resources)"
              % (dep["stack"], sum(1 for r in resources if r.get("LogicalResourceId"))))
        checker = Checker(aws, dep, template, resources, account)
        checker.run()
        failures += checker.failures
        passed += checker.passed
    return passed, failures


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plan")
    ap.add_argument("--stack")
    ap.add_argument("--template")
    ap.add_argument("--param", action="append", default=[])
    ap.add_argument("--s3-object", action="append", default=[])
    ap.add_argument("--redeploy", action="store_true")
    ap.add_argument("--expect-versions", action="append", default=[])
    args = ap.parse_args(argv)
    try:
        plan = load_plan(args)
    except UsageError as e:
        print("usage error: %s" % e, file=sys.stderr)
        return 2

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    moto = None
    with tempfile.TemporaryDirectory(prefix="lambdaform-e2e-") as tmp:
        try:
            moto = Moto()
            moto.start()
            print("moto_server pid %d on %s" % (moto.proc.pid, moto.url))
            passed, failures = run_plan(Aws(moto.url, tmp), plan)
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
