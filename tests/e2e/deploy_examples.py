#!/usr/bin/env python3
"""End-to-end test of the example stacks: render, compare with the committed template, deploy on moto.

For every templates/*/stack.yaml:
  1. render it with the CLI into a temp dir; the fresh render must be byte-identical to the
     committed templates/*/template.yaml (so what is deployed below is exactly the committed file);
  2. build the S3 objects it needs (zips of Python code) and fill its parameters from the
     per-example table EXAMPLES below (a new example without an entry fails clearly);
then deploy all of them, each twice (the unchanged redeploy must succeed), with one
`deploy_check.py --plan` run (one moto_server for the whole run), and require from its report
that every function, role, inline policy and environment variable of each template was actually
compared with what awscli reads back from moto.

Usage (from the repo root):  python3 tests/e2e/deploy_examples.py --cli build/cli/lambdaform
Prints `e2e: N passed, M failed` (one unit per example); exit 0 only when all pass (1 otherwise,
2 on usage errors).
"""
import argparse, difflib, json, os, re, signal, subprocess, sys, tempfile, threading, time, zipfile

from awscli.customizations.cloudformation.yamlhelper import yaml_parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEPLOY_CHECK = os.path.join(HERE, "deploy_check.py")
RENDER_TIMEOUT = 60
DEPLOY_TIMEOUT = 240  # the whole deploy_check run; a normal run takes well under a minute

CODE_BUCKET = "lambdaform-e2e-code"
APP_PY = '''def handler(event, context):
    return {"ok": True, "event": event}
'''

# Deploy inputs per example folder (templates/<folder>/):
#   params: CloudFormation parameter values; parameters with a Default may be left out
#           (then the Default is what gets deployed and checked)
#   zips:   "bucket/key" -> {file name in the zip: source}, built at run time and uploaded
#           to moto before the deployment
#   expect_versions: function logical id -> exact number of published versions
# moto accepts made-up ids for List<AWS::EC2::Subnet::Id> and AWS::EC2::SecurityGroup::Id
# parameters and for Lambda VpcConfig (it checks neither that they exist nor their VPC), so the
# VPC examples need no EC2 set-up.
EXAMPLES = {
    "inline-python": {
        "params": {"Stage": "staging"},
    },
    "orders-api": {
        "params": {"Stage": "prod", "ArtifactBucket": CODE_BUCKET,
                   "IngestCodeKey": "orders-api/ingest.zip"},
        "zips": {CODE_BUCKET + "/orders-api/ingest.zip": {"app.py": APP_PY}},
    },
    "s3-code": {
        "params": {"ArtifactBucket": CODE_BUCKET},  # CodeKey: its Default orders/processor.zip
        "zips": {CODE_BUCKET + "/orders/processor.zip": {"app.py": APP_PY}},
    },
    # The code bucket is orders-artifacts-${AWS::AccountId}; moto's account is 123456789012.
    "versions": {
        "params": {},
        "zips": {"orders-artifacts-123456789012/orders/ingest-1.zip": {"app.py": APP_PY}},
        "expect_versions": {"Ingest": 1},
    },
    "canary": {
        "params": {},
        "zips": {"orders-artifacts-123456789012/orders/ingest-1.zip": {"app.py": APP_PY}},
        "expect_versions": {"Ingest": 1},
    },
    # The role's inline policy (SSM, rds-db:connect) is read back with get-role-policy and the
    # environment must hold the {{resolve:ssm:...}} dynamic reference as rendered (moto passes
    # it through unresolved), never a resolved value.
    # Code from the repository: `lambdaform package --json` builds the zip and its printed
    # `aws s3 cp` argv says where it goes; the template references exactly that key.
    "packaged": {
        "params": {},
        "package": True,
        "expect_versions": {"Ingest": 1},
    },
    "ssm-rds": {
        "params": {
            "PrivateSubnets": "subnet-0123456789abcdef2,subnet-0123456789abcdef3",
            "AppSecurityGroup": "sg-0123456789abcdef0",
            "DatabaseSecurityGroup": "sg-0123456789abcdef1",
            "DbResourceId": "cluster-ABCDEFGHIJKLMNOPQRSTUVWXY0",
        },
    },
    "vpc-migration": {
        "params": {
            "PublicSubnets": "subnet-0123456789abcdef0,subnet-0123456789abcdef1",
            "PrivateSubnets": "subnet-0123456789abcdef2,subnet-0123456789abcdef3",
            "PublicSecurityGroup": "sg-0123456789abcdef0",
            "DatabaseSecurityGroup": "sg-0123456789abcdef1",
        },
    },
}

# Checks deploy_check may skip with a note because moto 5.2 does not apply the property when
# CloudFormation creates the resource; anything else it skips fails the example.
MOTO_SKIPS = [
    # moto's IAM Role CloudFormation handler ignores ManagedPolicyArns (nothing is attached)
    (re.compile(r"\.ManagedPolicyArns$"), "moto ignores ManagedPolicyArns of AWS::IAM::Role"),
    # moto's LambdaFunction.create_from_cloudformation_json only passes Description, MemorySize,
    # Publish, Timeout, VpcConfig, Environment and ReservedConcurrentExecutions on
    (re.compile(r"\.(TracingConfig\.Mode|Layers)$"),
     "moto ignores TracingConfig/Layers of AWS::Lambda::Function"),
    # moto's CloudFormation creates no AWS::CodeDeploy::* resources (they get no physical id), so
    # the hook's policy, which names the deployment group, cannot be resolved; checked
    # structurally in the spec tests instead
    (re.compile(r"Role\.Policies\[codedeploy-hook\]$"),
     "moto creates no AWS::CodeDeploy resources to resolve the hook policy against"),
]


class Failed(Exception): pass


def log(msg=""):
    print(msg, flush=True)


# ---------------------------------------------------------------------------- per example
def render_and_compare(cli, folder, tmp):
    spec = os.path.join(REPO, "templates", folder, "stack.yaml")
    committed = os.path.join(REPO, "templates", folder, "template.yaml")
    out = os.path.join(tmp, "render", folder, "template.yaml")
    os.makedirs(os.path.dirname(out))
    try:
        p = subprocess.run([cli, "render", spec, "-o", out], capture_output=True, text=True,
                           timeout=RENDER_TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise Failed("render timed out after %ds" % RENDER_TIMEOUT)
    if p.returncode != 0:
        raise Failed("render failed (rc=%d):\n%s%s" % (p.returncode, p.stdout, p.stderr))
    if not os.path.isfile(committed):
        raise Failed("no committed template %s" % os.path.relpath(committed, REPO))
    with open(out, "rb") as f:
        fresh = f.read()
    with open(committed, "rb") as f:
        old = f.read()
    if fresh != old:
        diff = difflib.unified_diff(old.decode(errors="replace").splitlines(True),
                                    fresh.decode(errors="replace").splitlines(True),
                                    "committed/" + folder + "/template.yaml",
                                    "fresh/" + folder + "/template.yaml")
        raise Failed("fresh render differs from the committed template.yaml:\n%s"
                     % "".join(list(diff)[:80]))
    return committed


def package_objects(cli, folder, tmp):
    """`lambdaform package --json` for an example: {"bucket/key": zip path}."""
    spec = os.path.join(REPO, "templates", folder, "stack.yaml")
    out = os.path.join(tmp, "package", folder)
    p = subprocess.run([cli, "package", spec, "-o", out, "--json"], capture_output=True, text=True,
                       timeout=RENDER_TIMEOUT, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        raise Failed("lambdaform package failed (rc=%d):\n%s%s" % (p.returncode, p.stdout, p.stderr))
    objects = {}
    for argv in json.loads(p.stdout):
        if argv[:3] != ["aws", "s3", "cp"] or not argv[4].startswith("s3://"):
            raise Failed("lambdaform package printed an unexpected command: %r" % (argv,))
        objects[argv[4][len("s3://"):]] = argv[3]
    if not objects:
        raise Failed("lambdaform package built nothing for %s" % folder)
    return objects


def build_inputs(folder, template, tmp, cli=None):
    """Plan entry fields (params, s3_objects) for an example, checked against its template."""
    if folder not in EXAMPLES:
        raise Failed("no deploy inputs for example %r: add an entry to EXAMPLES in %s"
                     % (folder, os.path.relpath(__file__, REPO)))
    entry = EXAMPLES[folder]
    params = dict(entry.get("params") or {})
    declared = template.get("Parameters") or {}
    unknown = sorted(set(params) - set(declared))
    missing = sorted(n for n, s in declared.items() if n not in params and "Default" not in (s or {}))
    if unknown or missing:
        raise Failed("EXAMPLES[%r] is out of date with the template: %s" % (folder, "; ".join(
            (["parameters not in the template: " + ", ".join(unknown)] if unknown else []) +
            (["parameters without Default not given: " + ", ".join(missing)] if missing else []))))
    s3_objects = {}
    for bk, files in (entry.get("zips") or {}).items():
        path = os.path.join(tmp, "s3", bk.replace("/", "__"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, source in files.items():
                z.writestr(name, source)
        s3_objects[bk] = path
    if entry.get("package"):
        s3_objects.update(package_objects(cli, folder, tmp))
    # The files of each object, for the handler check below.
    contents = {}
    for bk, path in s3_objects.items():
        with zipfile.ZipFile(path) as z:
            contents[bk] = set(z.namelist())

    # every S3 code location of the template must be one of the objects built here
    def value(v):
        if isinstance(v, dict) and set(v) == {"Ref"}:
            n = v["Ref"]
            return params.get(n, (declared.get(n) or {}).get("Default"))
        return v if isinstance(v, str) else None
    for lid, res in (template.get("Resources") or {}).items():
        code = (res.get("Properties") or {}).get("Code") or {}
        if res.get("Type") != "AWS::Lambda::Function" or "S3Bucket" not in code:
            continue
        bucket, key = value(code.get("S3Bucket")), value(code.get("S3Key"))
        if bucket is None or key is None:
            continue  # not a literal or a parameter: cannot tell here
        if "%s/%s" % (bucket, key) not in s3_objects:
            raise Failed("%s.Code is s3://%s/%s, but EXAMPLES[%r] builds no such object"
                         % (lid, bucket, key, folder))
        module = str((res.get("Properties") or {}).get("Handler", "")).rsplit(".", 1)[0]
        files = contents["%s/%s" % (bucket, key)]
        if module and module.replace(".", "/") + ".py" not in files:
            raise Failed("%s.Handler needs %s.py in s3://%s/%s" % (lid, module, bucket, key))
    return params, s3_objects


def expected_checks(template):
    """Check names deploy_check must report as ok (or skip for a known moto limitation),
    and the function/role logical ids it must have looked at."""
    checks, functions, roles = [], [], []
    for lid, res in (template.get("Resources") or {}).items():
        typ, p = res.get("Type"), res.get("Properties") or {}
        if "Condition" in res:
            continue  # may be absent by design; deploy_check notes that
        if typ == "AWS::Lambda::Function":
            functions.append(lid)
            checks += [lid + "." + k for k in ("Runtime", "Handler", "Description") if k in p]
            checks += [lid + ".MemorySize", lid + ".Timeout"]
            env = (p.get("Environment") or {}).get("Variables")
            if isinstance(env, dict):
                checks += [lid + ".Environment keys"] + ["%s.Environment.%s" % (lid, k) for k in env]
            elif env is not None:
                checks.append(lid + ".Environment.Variables")
            vpc = p.get("VpcConfig") or {}
            checks += ["%s.VpcConfig.%s" % (lid, k) for k in ("SubnetIds", "SecurityGroupIds")
                       if isinstance(vpc, dict) and k in vpc]
            code = p.get("Code") or {}
            if isinstance(code, dict) and "S3Bucket" in code:
                checks.append(lid + ".Code (CodeSha256 of *)")  # the zip built here was deployed
            checks += [lid + "." + k for k in ("Layers",) if k in p]
            if "TracingConfig" in p:
                checks.append(lid + ".TracingConfig.Mode")
            if "Role" in p:
                role = p["Role"]
                checks.append(lid + (".Role (name)" if isinstance(role, dict) and "Fn::GetAtt" in role
                                     else ".Role"))
        elif typ == "AWS::IAM::Role":
            roles.append(lid)
            checks += [lid + "." + k for k in ("AssumeRolePolicyDocument", "Path", "MaxSessionDuration")
                       if k in p]
            if p.get("ManagedPolicyArns"):
                checks.append(lid + ".ManagedPolicyArns")
            for pol in p.get("Policies") or []:
                name = pol.get("PolicyName")
                # a computed name is matched by count below
                checks.append("%s.Policies[%s]" % (lid, name) if isinstance(name, str)
                              else "%s.Policies[*]" % lid)
    return checks, functions, roles


def judge(stack, template, section):
    """Problems (empty: passed) of one stack from its part of deploy_check's report."""
    result = [l for l in section if l.startswith("result %s:" % stack)]
    if not result:
        return ["deploy_check reported no result for stack %s (stopped early?)" % stack]
    fails = [l.strip() for l in section if l.lstrip().startswith("FAIL:")]
    if result[-1].endswith("deploy failed"):  # the error text runs from FAIL: to result
        start = next((i for i, l in enumerate(section) if l.lstrip().startswith("FAIL:")), None)
        text = [l for l in section[start:-1] if l.strip()] if start is not None else []
        return ["\n".join(l.strip() if i == 0 else l for i, l in enumerate(text)) or "deploy failed"]
    m = re.match(r"result \S+: (\d+) checks passed, (\d+) failed$", result[-1])
    problems = list(fails)
    if not m:
        return problems + ["unparsable result line: " + result[-1]]
    if int(m.group(1)) == 0:
        problems.append("deploy_check made no checks")
    if int(m.group(2)) and not fails:
        problems.append(result[-1])
    ok = [l.strip()[len("ok: "):] for l in section if l.strip().startswith("ok: ")]
    skipped = {}
    for l in section:
        s = re.match(r"\s*note: skipped (.+?): (.*)$", l)
        if s:
            skipped[s.group(1)] = s.group(2)
    checks, functions, roles = expected_checks(template)
    seen = {(k, lid) for k, lid in re.findall(r"^  (function|role) (\S+) -> ", "\n".join(section), re.M)}
    problems += ["function %s was not checked" % f for f in functions if ("function", f) not in seen]
    problems += ["role %s was not checked" % r for r in roles if ("role", r) not in seen]
    moto_skipped = []
    for what in checks:
        if "*" in what:  # a name computed by deploy_check: count the ok lines with its prefix
            prefix = what.split("*")[0]
            if sum(1 for o in ok if o.startswith(prefix)) < checks.count(what):
                problems.append("%s was not checked" % what)
            continue
        if what in ok:
            continue
        reason = next((why for rx, why in MOTO_SKIPS if rx.search(what)), None)
        if what in skipped and reason:
            moto_skipped.append(what)
        elif what in skipped:
            problems.append("%s was skipped: %s" % (what, skipped[what]))
        elif not any(what in f for f in fails):
            problems.append("%s was not checked" % what)
    for what, why in skipped.items():
        if what not in checks and not any(rx.search(what) for rx, _ in MOTO_SKIPS):
            problems.append("%s was skipped: %s" % (what, why))
    if not problems:
        log("  %s: %s checks ok (%d functions, %d roles)%s" % (
            stack, m.group(1), len(functions), len(roles),
            "; not verifiable on moto: " + ", ".join(moto_skipped) if moto_skipped else ""))
    return problems


# ---------------------------------------------------------------------------- deploy_check run
def run_deploy_check(plan_path):
    """Run deploy_check.py --plan, streaming its output; returns (rc, lines)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, DEPLOY_CHECK, "--plan", plan_path], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    timed_out = []

    def stop():  # SIGTERM: deploy_check stops its moto_server on the way out
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)

    def on_timeout():
        timed_out.append(True)
        stop()
    timer = threading.Timer(DEPLOY_TIMEOUT, on_timeout)
    timer.daemon = True

    def on_signal(signum, _frame):
        stop()
        raise SystemExit(128 + signum)
    old = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    lines, moto_pid = [], None
    try:
        timer.start()
        for line in proc.stdout:
            line = line.rstrip("\n")
            lines.append(line)
            print("| " + line, flush=True)
            m = re.match(r"moto_server pid (\d+) on ", line)
            if m:
                moto_pid = int(m.group(1))
        proc.wait()
    finally:
        timer.cancel()
        stop()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for s, h in old.items():
            signal.signal(s, h)
        reap_moto(moto_pid)
    if timed_out:
        log("deploy_check timed out after %ds and was stopped" % DEPLOY_TIMEOUT)
    return proc.returncode, lines


def reap_moto(pid):
    """Last resort: kill the moto_server deploy_check started if it is somehow still there."""
    if pid is None:
        return
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                if b"moto_server" not in f.read():
                    return
        except OSError:
            return  # gone
        if sig is None:
            time.sleep(1)  # deploy_check has just stopped it; give it a moment
        else:
            log("moto_server pid %d still running: sending %s" % (pid, sig.name))
            try:
                os.killpg(pid, sig)  # its own session: process group id == pid
            except ProcessLookupError:
                return
            time.sleep(2)


# ---------------------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", required=True, help="path of the lambdaform executable")
    ap.add_argument("--example", action="append", default=[], metavar="FOLDER",
                    help="only this example (repeatable); default: all templates/*/stack.yaml")
    args = ap.parse_args(argv)
    cli = os.path.abspath(args.cli)
    if not (os.path.isfile(cli) and os.access(cli, os.X_OK)):
        print("error: CLI not found or not executable: %s" % args.cli, file=sys.stderr)
        return 2
    tdir = os.path.join(REPO, "templates")
    folders = sorted(d for d in os.listdir(tdir) if os.path.isfile(os.path.join(tdir, d, "stack.yaml")))
    if args.example:
        bad = sorted(set(args.example) - set(folders))
        if bad:
            print("error: no such example: %s" % ", ".join(bad), file=sys.stderr)
            return 2
        folders = [f for f in folders if f in args.example]
    if not folders:
        print("error: no templates/*/stack.yaml found", file=sys.stderr)
        log("e2e: 0 passed, 1 failed")
        return 1
    stale = sorted(set(EXAMPLES) - set(os.listdir(tdir)))
    if stale:
        log("note: EXAMPLES has entries for missing examples: %s" % ", ".join(stale))

    start = time.monotonic()
    problems = {f: [] for f in folders}
    with tempfile.TemporaryDirectory(prefix="lambdaform-e2e-examples-") as tmp:
        plan, templates = [], {}
        for folder in folders:
            log("example %s" % folder)
            try:
                committed = render_and_compare(cli, folder, tmp)
                log("  render matches templates/%s/template.yaml" % folder)
                with open(committed) as f:
                    template = yaml_parse(f.read())
                params, s3_objects = build_inputs(folder, template, tmp, cli)
            except (Failed, OSError, ValueError) as e:
                problems[folder].append(str(e))
                log("  FAIL: %s" % e)
                continue
            stack = "e2e-" + re.sub(r"[^A-Za-z0-9-]", "-", folder)
            templates[folder] = (stack, template)
            entry = {"stack": stack, "template": committed, "params": params,
                     "s3_objects": s3_objects, "redeploy": True}
            # Exactly this many published versions after the first deploy AND after the
            # unchanged redeploy (the byte-identical render publishes nothing).
            if EXAMPLES[folder].get("expect_versions"):
                entry["expect_versions"] = EXAMPLES[folder]["expect_versions"]
            plan.append(entry)
        if plan:
            plan_path = os.path.join(tmp, "plan.json")
            with open(plan_path, "w") as f:
                json.dump(plan, f, indent=2)
            log("\ndeploy_check.py --plan with %d stacks" % len(plan))
            rc, lines = run_deploy_check(plan_path)
            log("\ndeploy_check exit status %s" % rc)
            sections, current = {}, None
            for line in lines:
                m = re.match(r"(?:re)?deploy (\S+) \(", line) or re.match(r"checking (\S+)$", line)
                if m:
                    current = m.group(1)
                if current:
                    sections.setdefault(current, []).append(line)
                if line.startswith("result "):
                    current = None
            for folder, (stack, template) in templates.items():
                found = judge(stack, template, sections.get(stack, []))
                problems[folder] += found
            if rc != 0 and not any(problems[f] for f in templates):
                tail = "\n".join(lines[-15:])
                for f in templates:
                    problems[f].append("deploy_check exited with status %s:\n%s" % (rc, tail))

    failed = [f for f in folders if problems[f]]
    if failed:
        log("\nfailures:")
        for f in failed:
            log("  %s:" % f)
            for p in problems[f]:
                log("    - " + p.replace("\n", "\n      "))
    log("\nrun time %.0fs" % (time.monotonic() - start))
    log("e2e: %d passed, %d failed" % (len(folders) - len(failed), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
