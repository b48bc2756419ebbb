#!/usr/bin/env python3
"""End-to-end: the commands lambdaform prints deploy on moto_server, exactly as printed.

Starts its own moto_server on a free 127.0.0.1 port (deploy_check.Moto: dummy credentials, a
temporary HOME, stopped by process group in `finally`), then:

  1. params: a spec whose parameters get hostile values (spaces, quotes, `=`, `$`, backticks) and
     whose role has an explicit name (CAPABILITY_NAMED_IAM) and stack tags. It is rendered, then
     the argv `lambdaform deploy-command --json` prints is run with only `--endpoint-url URL`
     added after `aws`; the stack must be CREATE_COMPLETE, carry the tags, and the function's
     environment must hold the hostile values byte for byte. The printed shell line (other hostile
     values) is then run with `sh -c` (same insertion) as an update, which must arrive byte for
     byte too.
  2. large: a template over 51,200 bytes deploys with `deploy-command --s3-bucket B`.
  3. package: a spec with `code: {package: src}`; `lambdaform package --json` builds the zip and
     prints `aws s3 cp`, which is run (plus endpoint) into moto's S3; then the deploy command;
     the function's CodeSha256 must be that of the zip.

usage: tests/e2e/deploy_command_check.py --cli build/cli/lambdaform
Exit 0 when every check passes, 1 on a failure, 2 when moto_server or the CLI are unusable.
"""
import argparse, base64, hashlib, json, os, signal, subprocess, sys, tempfile, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from deploy_check import Aws, Moto, UsageError  # noqa: E402

TIMEOUT = 120
FAILURES = []
HOSTILE = {"Greeting": "it's \"$HOME\" = `id` & $(id); a=b", "Spaced": "  two  spaces  ", "Empty": ""}


def check(what, cond, detail=""):
    if cond:
        print("  ok: " + what, flush=True)
    else:
        FAILURES.append(what)
        print("  FAIL: %s%s" % (what, ("\n      " + str(detail).replace("\n", "\n      ")) if detail else ""), flush=True)
    return cond


def lf(cli, *args):
    p = subprocess.run([cli] + list(args), capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def with_endpoint(argv, url):
    """The printed argv with --endpoint-url URL added after `aws`, nothing else changed."""
    assert argv[0] == "aws", argv
    return ["aws", "--endpoint-url", url] + argv[1:]


def run_argv(aws, argv):
    p = subprocess.run(argv, env=aws.env, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout + p.stderr


def run_shell(aws, line):
    assert line.startswith("aws "), line
    line = "aws --endpoint-url " + aws.endpoint + line[3:]
    p = subprocess.run(["sh", "-c", line], env=aws.env, capture_output=True, text=True, timeout=TIMEOUT,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout + p.stderr


def stack(aws, name):
    return aws.json("cloudformation", "describe-stacks", "--stack-name", name)["Stacks"][0]


def function_config(aws, stack_name, logical_id):
    res = aws.json("cloudformation", "describe-stack-resources", "--stack-name", stack_name)["StackResources"]
    physical = {r.get("LogicalResourceId"): r.get("PhysicalResourceId") for r in res}
    return aws.json("lambda", "get-function-configuration", "--function-name", physical[logical_id])


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


# ---------------------------------------------------------------------------- 1. params
def params_flow(cli, aws, tmp):
    print("params: hostile parameter values, named role, stack tags", flush=True)
    d = os.path.join(tmp, "params")
    spec = os.path.join(d, "stack.yaml")
    write(spec, """stack: lf-deploy-command
parameters:
  Greeting: {type: String}
  Spaced: {type: String}
  Empty: {type: String}
tags:
  team: orders
  greeting: !Ref Spaced
roles:
  Shared: {role_name: lf-deploy-command-role}
functions:
  Hello:
    runtime: python3.12
    handler: index.handler
    role: Shared
    code: {s3_bucket: lf-e2e-code, s3_key: hello.zip}
    environment: {GREETING: !Ref Greeting, SPACED: !Ref Spaced, EMPTY: !Ref Empty}
""")
    # S3 code, not inline: moto 5 fails to update a function whose Code is a ZipFile.
    zip_path = os.path.join(d, "hello.zip")
    with zipfile.ZipFile(zip_path, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return 'hi'\n")
    aws.json("s3api", "create-bucket", "--bucket", "lf-e2e-code")
    aws.json("s3api", "put-object", "--bucket", "lf-e2e-code", "--key", "hello.zip", "--body", zip_path)
    args = []
    for k, v in HOSTILE.items():
        args += ["--param", "%s=%s" % (k, v)]
    template = os.path.join(d, "template.yaml")
    rc, _, err = lf(cli, "render", spec, "-o", template, *args)
    if not check("render", rc == 0, err):
        return
    rc, js, err = lf(cli, "deploy-command", spec, *args, "--json")
    if not check("deploy-command --json", rc == 0 and err == "", err):
        return
    argv = json.loads(js)
    check("capabilities: CAPABILITY_NAMED_IAM only",
          argv[argv.index("--capabilities") + 1:argv.index("--capabilities") + 2] == ["CAPABILITY_NAMED_IAM"] and
          "CAPABILITY_IAM" not in argv, argv)
    rc, out = run_argv(aws, with_endpoint(argv, aws.endpoint))
    if not check("the printed argv deploys", rc == 0, out):
        return
    st = stack(aws, "lf-deploy-command")
    check("stack CREATE_COMPLETE", st["StackStatus"] == "CREATE_COMPLETE", st["StackStatus"])
    tags = {t["Key"]: t["Value"] for t in st.get("Tags", [])}
    check("stack tags from the spec", tags == {"team": "orders", "greeting": HOSTILE["Spaced"]}, tags)
    params = {p["ParameterKey"]: p.get("ParameterValue") for p in st.get("Parameters", [])}
    check("parameter values arrive byte for byte", all(params.get(k) == v for k, v in HOSTILE.items() if v), params)
    env = (function_config(aws, "lf-deploy-command", "Hello").get("Environment") or {}).get("Variables") or {}
    check("the function's environment holds them", env.get("GREETING") == HOSTILE["Greeting"] and
          env.get("SPACED") == HOSTILE["Spaced"], env)
    # An update through the printed shell line, with other hostile values.
    changed = dict(HOSTILE, Greeting="'single' \"double\" \\ $PATH ${X:-y} !bang *glob*")
    args = []
    for k, v in changed.items():
        args += ["--param", "%s=%s" % (k, v)]
    rc, _, err = lf(cli, "render", spec, "-o", template, *args)
    rc, line, err = lf(cli, "deploy-command", spec, *args)
    rc, out = run_shell(aws, line.strip())
    check("the printed shell line updates the stack", rc == 0, (line, out))
    check("stack UPDATE_COMPLETE", stack(aws, "lf-deploy-command")["StackStatus"] == "UPDATE_COMPLETE")
    env = (function_config(aws, "lf-deploy-command", "Hello").get("Environment") or {}).get("Variables") or {}
    check("the new value arrives byte for byte through the shell", env.get("GREETING") == changed["Greeting"], env)
    # Unchanged: real CloudFormation makes an empty change set, which --no-fail-on-empty-changeset
    # accepts; moto refuses CreateChangeSet instead ("No updates are to be performed").
    rc, out = run_shell(aws, line.strip())
    if rc != 0 and "No updates are to be performed" in out:
        print("  note: unchanged redeploy: moto refuses the empty change set (real CloudFormation does not)")
    else:
        check("the printed shell line redeploys unchanged", rc == 0, out)


# ---------------------------------------------------------------------------- 2. large
def large_flow(cli, aws, tmp):
    print("large: a template over 51,200 bytes goes through S3", flush=True)
    d = os.path.join(tmp, "large")
    write(os.path.join(d, "stack.yaml"), "stack: lf-large\nfunctions:\n  Big:\n    runtime: python3.12\n"
                                         "    handler: index.handler\n    code: {inline_file: index.py}\n")
    write(os.path.join(d, "index.py"), "# " + "padding " * 8000 + "\ndef handler(event, context):\n    return 1\n")
    template = os.path.join(d, "template.yaml")
    rc, _, err = lf(cli, "render", os.path.join(d, "stack.yaml"), "-o", template)
    check("render (over 51,200 bytes)", rc == 0 and os.path.getsize(template) > 51200, err)
    aws.json("s3api", "create-bucket", "--bucket", "lf-templates")
    # moto reads a TemplateURL path-style only when it contains "localhost": hence the prefix.
    rc, js, err = lf(cli, "deploy-command", os.path.join(d, "stack.yaml"), "--s3-bucket", "lf-templates",
                     "--s3-prefix", "localhost", "--json")
    argv = json.loads(js) if rc == 0 else ["aws"]
    check("deploy-command --s3-bucket", rc == 0 and "--s3-bucket" in argv, err)
    rc, out = run_argv(aws, with_endpoint(argv, aws.endpoint))
    check("the printed argv deploys through S3", rc == 0, out)
    if rc == 0:
        check("stack CREATE_COMPLETE", stack(aws, "lf-large")["StackStatus"] == "CREATE_COMPLETE")


# ---------------------------------------------------------------------------- 3. package
def package_flow(cli, aws, tmp):
    print("package: reproducible zip uploaded with the printed aws s3 cp, then deployed", flush=True)
    d = os.path.join(tmp, "package")
    write(os.path.join(d, "src", "app.py"), "def handler(event, context):\n    return {'ok': True}\n")
    write(os.path.join(d, "src", "helpers", "util.py"), "X = 1\n")
    spec = os.path.join(d, "stack.yaml")
    write(spec, """stack: lf-package
parameters:
  ArtifactBucket: {type: String}
functions:
  Ingest:
    runtime: python3.12
    handler: app.handler
    code: {package: src, s3_bucket: !Ref ArtifactBucket}
    publish_version: true
""")
    bucket = ["--param", "ArtifactBucket=lf-e2e-packages"]
    rc, _, err = lf(cli, "validate", spec, *bucket)
    if not check("validate", rc == 0, err):
        return
    template = os.path.join(d, "template.yaml")
    rc, _, err = lf(cli, "render", spec, "-o", template, *bucket)
    if not check("render", rc == 0, err):
        return
    rc, js, err = lf(cli, "package", spec, "-o", os.path.join(d, "dist"), *bucket, "--json")
    if not check("package --json", rc == 0, err):
        return
    uploads = json.loads(js)
    check("one upload command", len(uploads) == 1 and uploads[0][:3] == ["aws", "s3", "cp"], uploads)
    aws.json("s3api", "create-bucket", "--bucket", "lf-e2e-packages")
    for argv in uploads:
        rc, out = run_argv(aws, with_endpoint(argv, aws.endpoint))
        check("the printed aws s3 cp uploads", rc == 0, out)
    rc, js, err = lf(cli, "deploy-command", spec, *bucket, "--json")
    argv = json.loads(js) if rc == 0 else ["aws"]
    rc, out = run_argv(aws, with_endpoint(argv, aws.endpoint))
    if not check("the printed argv deploys", rc == 0, out):
        return
    check("stack CREATE_COMPLETE", stack(aws, "lf-package")["StackStatus"] == "CREATE_COMPLETE")
    with open(uploads[0][3], "rb") as f:
        want = base64.b64encode(hashlib.sha256(f.read()).digest()).decode()
    got = function_config(aws, "lf-package", "Ingest").get("CodeSha256")
    check("the function runs exactly the uploaded zip (CodeSha256)", got == want, (want, got))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", required=True)
    cli = os.path.abspath(ap.parse_args().cli)
    if not os.access(cli, os.X_OK):
        print("error: %s is not executable" % cli, file=sys.stderr)
        return 2

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)  # unwinds through the finally below
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    moto = None
    with tempfile.TemporaryDirectory(prefix="lambdaform-deploy-command-") as tmp:
        try:
            moto = Moto()
            moto.start()
            print("moto_server pid %d on %s" % (moto.proc.pid, moto.url), flush=True)
            aws = Aws(moto.url, tmp)
            for flow in (params_flow, large_flow, package_flow):
                try:
                    flow(cli, aws, tmp)
                except Exception as e:  # a broken flow is a failure, the others still run
                    check("%s raised no exception" % flow.__name__, False, "%s: %s" % (type(e).__name__, e))
            if FAILURES and "Traceback" in moto.output(tail=None):
                print("--- moto_server log tail\n%s" % moto.output(4000), file=sys.stderr)
        except UsageError as e:
            print("error: %s" % e, file=sys.stderr)
            return 2
        finally:
            if moto:
                moto.stop()
    print("\n%d failed" % len(FAILURES))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
