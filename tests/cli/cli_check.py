#!/usr/bin/env python3
"""CLI behaviours for CI: --diagnostics-format, render --all, diff, deploy-command, package.

Every printed command is run through a real POSIX shell (`sh -c LINE`) with a fake `aws` first on
PATH that prints the argv it received as JSON, so "the shell gives aws exactly the argv that
--json prints" is checked byte for byte, hostile parameter values included.

usage: tests/cli/cli_check.py --cli build/cli/lambdaform
Prints one line per check (`ok: ...` / `FAIL: ...`); exit 0 when all pass, 1 otherwise.
"""
import argparse, json, os, shutil, stat, subprocess, sys, tempfile, zipfile

FAILURES = []
CLI = None
STATIC = False
TMP = None
FAKE_AWS = '''#!/usr/bin/env python3
import json, sys
print(json.dumps(sys.argv[1:]))
'''

GOOD = '''stack: good-{n}
parameters:
  Stage: {{type: String, default: dev}}
functions:
  Fn:
    runtime: python3.12
    handler: index.handler
    code: {{inline: "def handler(e, c):\\n    return 1\\n"}}
    timeout: {timeout}
'''
BAD = '''stack: bad
functions:
  Fn:
    runtime: python3.12
    handler: index.handler
    code: {inline: "def handler(e, c):\\n    return 1\\n"}
    memory: 20000
'''


def check(what, cond, detail=""):
    if cond:
        print("ok: " + what)
    else:
        FAILURES.append(what)
        print("FAIL: %s%s" % (what, ("\n    " + str(detail).replace("\n", "\n    ")) if detail else ""))


def run(*args, env=None, cwd=None):
    p = subprocess.run([CLI] + list(args), capture_output=True, text=True, errors="replace", timeout=60, env=env, cwd=cwd,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


def shell_env():
    env = dict(os.environ)
    env["PATH"] = os.path.join(TMP, "bin") + os.pathsep + env.get("PATH", "")
    env.pop("S3_BUCKET", None)
    return env


def via_shell(line, env=None):
    """Runs LINE with sh -c (the fake aws on PATH); returns (rc, argv or None, stderr)."""
    p = subprocess.run(["sh", "-c", line], capture_output=True, text=True, timeout=60, env=env or shell_env())
    try:
        return p.returncode, json.loads(p.stdout), p.stderr
    except ValueError:
        return p.returncode, None, p.stderr + p.stdout


# ---------------------------------------------------------------------------- diagnostics
def diagnostics_format():
    spec = os.path.join(TMP, "diag", "stack.yaml")
    write(spec, BAD)
    rc, out, err = run("validate", spec)
    check("human: caret form, exit 1", rc == 1 and err ==
          "%s:7:13: error: MemorySize 20000 is above the maximum of 10240 [E3034]\n      memory: 20000\n"
          "              ^\n" % spec, err)
    for cmd in (["validate", spec], ["render", spec], ["check", spec, spec], ["plan", spec, spec],
                ["deploy-command", spec], ["package", spec, "-o", os.path.join(TMP, "diag-out")]):
        rc, out, err = run(*cmd, "--diagnostics-format", "github")
        check("github: %s prints a workflow command, exit 1" % cmd[0], rc == 1 and err ==
              "::error file=%s,line=7,col=13,title=E3034::MemorySize 20000 is above the maximum of 10240\n" % spec,
              (rc, err))
        rc, out, err = run(*cmd, "--diagnostics-format", "json")
        try:
            objs = [json.loads(l) for l in err.splitlines()]
        except ValueError:
            objs = None
        check("json: %s prints one object per diagnostic, exit 1" % cmd[0], rc == 1 and objs == [
            {"file": spec, "line": 7, "column": 13, "rule": "E3034", "severity": "error",
             "message": "MemorySize 20000 is above the maximum of 10240",
             "path": "/Resources/Fn/Properties/MemorySize"}], (rc, err))
    rc, out, err = run("diff", spec, os.path.join(TMP, "missing.yaml"), "--diagnostics-format", "json")
    objs = [json.loads(l) for l in err.splitlines()] if rc == 2 else []
    check("json: an unreadable file is an LF0009 object, exit 2",
          rc == 2 and len(objs) == 1 and objs[0]["rule"] == "LF0009" and objs[0]["file"].endswith("missing.yaml"),
          (rc, err))
    rc, out, err = run("validate", spec, "--diagnostics-format", "xml")
    check("an unknown --diagnostics-format is a usage error", rc == 2 and "human, github or json" in err, err)
    # Messages with newlines and percent signs are escaped for GitHub.
    weird = os.path.join(TMP, "diag", "weird.yaml")
    write(weird, "stack: x\nfunctions: {Fn: {runtime: python3.12, handler: a.b, code: {inline: x}, memroy: 1}}\n")
    rc, out, err = run("validate", weird, "--diagnostics-format", "github")
    check("github: one line per diagnostic", rc == 1 and all(l.startswith("::") for l in err.splitlines()), err)


# ---------------------------------------------------------------------------- render --all
def command_line():
    """The options parser (cli/args.cpp) as the commands use it, and no iostreams in the CLI."""
    good = os.path.join(TMP, "cmdline", "stack.yaml")
    write(good, GOOD.format(n=1, timeout=3))
    rc, out, err = run("render", good, "--fromat", "json")
    check("an unknown option: exit 2, one line naming the closest option and a pointer to --help",
          rc == 2 and out == "" and err == "lambdaform: unknown option '--fromat' (did you mean "
          "'--format'?)\n'lambdaform render --help' lists the options\n", (rc, out, err))
    rc, out, err = run("validate", good, "extra.yaml")
    check("a wrong number of arguments: exit 2 and says how many",
          rc == 2 and err.startswith("lambdaform: expected 1 argument, got 2\n"), (rc, err))
    rc, out, err = run("render", good, "-o")
    check("an option without its value: exit 2", rc == 2 and "'-o' needs a value" in err, (rc, err))
    target = os.path.join(TMP, "cmdline", "t.json")
    rc, out, err = run("render", "--format=json", "-o" + target, "--param", "Stage=prod", good)
    body = open(target).read() if os.path.exists(target) else ""
    check("--name=VALUE, -oVALUE and --name VALUE forms",
          rc == 0 and body.startswith("{") and '"Default": "prod"' in body, (rc, err, body[:200]))
    rc, out, err = run("render", "--help")
    check("--help: exit 0, the options on stdout",
          rc == 0 and err == "" and out.startswith("lambdaform render\n") and
          "\n  -o, --output FILE " in out and "\n      --diagnostics-format FORMAT" in out, (rc, out))
    # <iostream>'s static initialisation builds a locale at every start (0.35 ms here); the CLI
    # writes through C stdio instead. A binary that links the initialiser has the symbol.
    nm = shutil.which("nm")
    if nm:
        syms = subprocess.run([nm, "-A", CLI], capture_output=True, text=True).stdout + \
            subprocess.run([nm, "-D", "-A", CLI], capture_output=True, text=True).stdout
        check("the CLI has no iostream static initialiser (std::ios_base::Init)",
              "_ZNSt8ios_base4InitC" not in syms, [l for l in syms.splitlines() if "ios_base4Init" in l][:3])
    # A static CLI (LAMBDAFORM_STATIC_CLI) starts without the dynamic loader: no interpreter, no
    # shared library it needs (a new shared dependency would bring ld.so back at every start).
    readelf = shutil.which("readelf")  # binutils, which g++ needs
    if STATIC and not readelf:
        check("readelf (binutils) is there to read the static CLI's headers", False, None)
    elif STATIC:
        headers = subprocess.run([readelf, "-lW", CLI], capture_output=True, text=True).stdout
        dynamic = subprocess.run([readelf, "-dW", CLI], capture_output=True, text=True).stdout
        check("the static CLI has no program interpreter and needs no shared library",
              "INTERP" not in headers and "(NEEDED)" not in dynamic,
              [l for l in (headers + dynamic).splitlines() if "INTERP" in l or "NEEDED" in l][:5])


def render_all():
    root = os.path.join(TMP, "mono")
    write(os.path.join(root, "a", "stack.yaml"), GOOD.format(n="a", timeout=10))
    write(os.path.join(root, "b", "stack.yaml"), BAD)
    write(os.path.join(root, "c", "sub", "api.stack.yaml"), GOOD.format(n="c", timeout=20))
    write(os.path.join(root, ".hidden", "stack.yaml"), BAD)
    write(os.path.join(root, "d", "stack.yaml"), b"stack: \xff\n", "wb")
    out = os.path.join(TMP, "mono-out")
    rc, stdout, err = run("render", "--all", root, "-o", out)
    check("render --all: exit 1 when a spec has errors", rc == 1, (rc, err))
    for rel, spec in (("a/template.yaml", "a/stack.yaml"), ("c/sub/api.template.yaml", "c/sub/api.stack.yaml")):
        p = os.path.join(out, rel)
        _, single, _ = run("render", os.path.join(root, spec))
        check("render --all: %s is what render writes for %s" % (rel, spec),
              os.path.isfile(p) and open(p).read() == single)
    check("render --all: nothing written for the bad specs",
          not os.path.exists(os.path.join(out, "b")) and not os.path.exists(os.path.join(out, "d")) and
          not os.path.exists(os.path.join(out, ".hidden")))
    lines = [l for l in err.splitlines() if ": error: " in l]
    check("render --all: diagnostics in spec order, not interleaved",
          len(lines) == 2 and lines[0].startswith(os.path.join(root, "b", "stack.yaml") + ":7:13:") and
          lines[1].startswith(os.path.join(root, "d", "stack.yaml")), err)
    check("render --all: a summary line", "rendered 2 of 4 specs into " + out in err, err)
    rc, _, err = run("render", "--all", root, "-o", out, "--diagnostics-format", "github")
    check("render --all: github format", rc == 1 and sum(l.startswith("::error file=") for l in err.splitlines()) == 2, err)
    shutil.rmtree(os.path.join(root, "b"))
    shutil.rmtree(os.path.join(root, "d"))
    rc, _, err = run("render", "--all", root, "-o", out, "--format", "json")
    check("render --all: exit 0 when every spec renders; --format json writes .json",
          rc == 0 and os.path.isfile(os.path.join(out, "a", "template.json")), (rc, err))
    blocker = os.path.join(TMP, "blocker")
    write(blocker, "a file where a folder should be")
    rc, _, err = run("render", "--all", root, "-o", blocker)
    check("render --all: exit 2 when outputs cannot be written", rc == 2, (rc, err))
    rc, _, err = run("render", "--all", os.path.join(TMP, "nowhere"), "-o", out)
    check("render --all: exit 2 for a missing folder", rc == 2, (rc, err))
    rc, _, err = run("render", "--all", root)
    check("render --all: -o is required", rc == 2, (rc, err))


def render_fsync():
    """-o is atomic without waiting for the disk; --fsync waits (fsync, or one syncfs for --all).
    The system calls are observed with strace (a Debian package the Makefile installs)."""
    spec = os.path.join(TMP, "sync", "stack.yaml")
    write(spec, GOOD.format(n="sync", timeout=10))
    out = os.path.join(TMP, "sync", "template.yaml")
    _, expected, _ = run("render", spec)

    def traced(*args):
        log = os.path.join(TMP, "sync", "strace.log")
        # LeakSanitizer cannot run under ptrace (the sanitized build of `make test-sanitize`
        # aborts at exit): leaks are checked by every other run of the CLI.
        env = dict(os.environ)
        env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS", ""), "detect_leaks=0"]))
        p = subprocess.run(["strace", "-f", "-qq", "-e", "trace=fsync,fdatasync,syncfs,rename",
                            "-o", log, CLI] + list(args), capture_output=True, text=True, timeout=60,
                           env=env)
        with open(log) as f:
            calls = [l.split(None, 1)[1].split("(")[0] for l in f if "(" in l]
        return p.returncode, calls

    rc, calls = traced("render", spec, "-o", out)
    check("render -o: renamed into place without an fsync", rc == 0 and calls == ["rename"], (rc, calls))
    check("render -o: the file is what render prints", open(out).read() == expected)
    rc, calls = traced("render", spec, "-o", out, "--fsync")
    check("render -o --fsync: fsync, then rename", rc == 0 and calls == ["fsync", "rename"], (rc, calls))
    check("render -o --fsync: the same bytes", open(out).read() == expected)
    root = os.path.join(TMP, "sync-all")
    write(os.path.join(root, "a", "stack.yaml"), GOOD.format(n="a", timeout=10))
    write(os.path.join(root, "b", "stack.yaml"), GOOD.format(n="b", timeout=20))
    rc, calls = traced("render", "--all", root, "-o", os.path.join(TMP, "sync-all-out"))
    check("render --all: no fsync or syncfs by default", rc == 0 and sorted(calls) == ["rename", "rename"],
          (rc, calls))
    rc, calls = traced("render", "--all", root, "-o", os.path.join(TMP, "sync-all-out"), "--fsync")
    check("render --all --fsync: one syncfs after the renames",
          rc == 0 and calls == ["rename", "rename", "syncfs"], (rc, calls))


# ---------------------------------------------------------------------------- diff
def diff():
    a = os.path.join(TMP, "diff", "a.yaml")
    b = os.path.join(TMP, "diff", "b.yaml")
    os.makedirs(os.path.dirname(a), exist_ok=True)
    spec = os.path.join(TMP, "diff", "stack.yaml")
    write(spec, GOOD.format(n="x", timeout=10))
    run("render", spec, "-o", a)
    write(spec, GOOD.format(n="x", timeout=20))
    run("render", spec, "-o", b)
    rc, out, err = run("diff", a, a)
    check("diff: exit 0 and 'No changes.' for equal templates", rc == 0 and "No changes." in out, (rc, out, err))
    rc, out, err = run("diff", a, b)
    check("diff: exit 1 and a Markdown table for a change",
          rc == 1 and "| changed | `Fn` | AWS::Lambda::Function | `Timeout` |" in out, (rc, out, err))
    rc, out, err = run("diff", a, b, "--format", "json")
    try:
        j = json.loads(out)
    except ValueError:
        j = {}
    check("diff --format json", rc == 1 and j.get("changed") is True and j["resources"][0]["paths"] == ["Properties.Timeout"],
          out)
    empty = os.path.join(TMP, "diff", "empty.yaml")
    write(empty, "")
    rc, out, err = run("diff", empty, a)
    check("diff: an empty file is an empty template (a new stack)",
          rc == 1 and "| added | `Fn` | AWS::Lambda::Function |" in out and "`CAPABILITY_IAM` (was none)" in out,
          (rc, out, err))
    write(empty, "Resources: [oops\n")
    rc, out, err = run("diff", empty, a, "--diagnostics-format", "github")
    check("diff: a malformed template is exit 2 with a located diagnostic",
          rc == 2 and err.startswith("::error file=%s,line=" % empty) and "title=LF0001::" in err, (rc, err))
    rc, out, err = run("diff", a, b, "--format", "html")
    check("diff: unknown --format is a usage error", rc == 2, err)
    rc, out, err = run("diff", a, os.path.join(TMP, "nope.yaml"))
    check("diff: a missing file is exit 2", rc == 2 and "cannot read" in err, err)


# ---------------------------------------------------------------------------- deploy-command
HOSTILE = ["plain", "with space", "a=b=c", "it's", 'say "hi"', "$HOME", "${PATH}", "`id`", "$(id)", "back\\slash",
           "new\nline", "*", "semi;colon", "amp&", "pipe|", "<redir>", "#hash", "~tilde", "", "--looks-like-a-flag",
           "\u00e9t\u00e9 \u2603"]


def deploy_command():
    d = os.path.join(TMP, "deploy")
    spec = os.path.join(d, "stack.yaml")
    params = "".join("  P%d: {type: String}\n" % i for i in range(len(HOSTILE)))
    write(spec, "stack: deploy-demo\nparameters:\n" + params +
          "tags: {team: orders, stage: !Ref P1, 'cost center': 'a,b'}\nroles:\n  Shared: {role_name: shared-role}\n"
          "functions:\n  Fn:\n    runtime: python3.12\n    handler: index.handler\n"
          "    code: {inline: \"def handler(e, c):\\n    return 1\\n\"}\n    role: Shared\n")
    args = []
    for i, v in enumerate(HOSTILE):
        args += ["--param", "P%d=%s" % (i, v)]
    template = os.path.join(d, "template.yaml")
    rc, _, err = run("render", spec, "-o", template, *args)
    check("deploy-command: the spec renders", rc == 0, err)
    rc, line, err = run("deploy-command", spec, *args)
    rc2, js, err2 = run("deploy-command", spec, *args, "--json")
    check("deploy-command: exit 0, no warnings when the template is current", rc == 0 and rc2 == 0 and err == "",
          (rc, err, rc2, err2))
    argv = json.loads(js) if rc2 == 0 else []
    expected = (["aws", "cloudformation", "deploy", "--template-file", template, "--stack-name", "deploy-demo",
                 "--capabilities", "CAPABILITY_NAMED_IAM", "--parameter-overrides"] +
                ["P%d=%s" % (i, HOSTILE[i]) for i in sorted(range(len(HOSTILE)), key=lambda i: "P%d" % i)] +
                ["--tags", "team=orders", "stage=with space", "cost center=a,b", "--no-fail-on-empty-changeset"])
    check("deploy-command --json: the exact argv", argv == expected, json.dumps(argv, indent=1))
    src, got, serr = via_shell(line)
    check("deploy-command: the shell line gives aws exactly that argv", src == 0 and got == argv[1:],
          (line, got, serr))
    # The default template path is template.yaml next to the spec, relative as given.
    rc, js, err = run("deploy-command", "stack.yaml", *args, "--json", cwd=d)
    check("deploy-command: --template defaults to template.yaml next to SPEC",
          rc == 0 and json.loads(js)[4] == "template.yaml", (js, err))
    rc, js, err = run("deploy-command", spec, "--json")
    check("deploy-command: a stale template is a warning (LF7102), still exit 0",
          rc == 0 and "LF7102" in err and "--parameter-overrides" not in json.loads(js), err)
    rc, js, err = run("deploy-command", spec, "--template", os.path.join(d, "none.yaml"), "--json", *args)
    check("deploy-command: a missing template is a warning (LF7102)", rc == 0 and "does not exist yet" in err, err)

    # Over 51,200 bytes: the --s3-bucket placeholder and its explanation.
    big = os.path.join(TMP, "big")
    write(os.path.join(big, "stack.yaml"),
          "stack: big\nfunctions:\n  Fn:\n    runtime: python3.12\n    handler: index.handler\n"
          "    code: {inline_file: code.py}\n")
    write(os.path.join(big, "code.py"), "# " + "x" * 60000 + "\ndef handler(e, c):\n    return 1\n")
    run("render", os.path.join(big, "stack.yaml"), "-o", os.path.join(big, "template.yaml"))
    rc, line, err = run("deploy-command", os.path.join(big, "stack.yaml"))
    check("deploy-command: over 51,200 bytes there is an S3 bucket placeholder (LF1002)",
          rc == 0 and '--s3-bucket "${S3_BUCKET:?' in line and "LF1002" in err, (line, err))
    src, got, serr = via_shell(line)
    check("deploy-command: the shell refuses to run it without S3_BUCKET, saying why",
          src != 0 and got is None and "set S3_BUCKET to an S3 bucket" in serr, (src, serr))
    env = shell_env()
    env["S3_BUCKET"] = "my-artifacts"
    src, got, serr = via_shell(line, env)
    check("deploy-command: with S3_BUCKET set the shell substitutes it",
          src == 0 and got[got.index("--s3-bucket") + 1] == "my-artifacts", (got, serr))
    rc, js, err = run("deploy-command", os.path.join(big, "stack.yaml"), "--s3-bucket", "b", "--s3-prefix", "p", "--json")
    check("deploy-command: --s3-bucket fills it (no placeholder, no LF1002 of its own)",
          rc == 0 and json.loads(js)[7:11] == ["--s3-bucket", "b", "--s3-prefix", "p"] and "S3_BUCKET" not in err,
          (js, err))


# ---------------------------------------------------------------------------- package
def package():
    d = os.path.join(TMP, "pkg")
    write(os.path.join(d, "src", "app.py"), "def handler(event, context):\n    return {'ok': True}\n")
    write(os.path.join(d, "src", "lib", "util.py"), "X = 1\n")
    write(os.path.join(d, "src", "__pycache__", "app.cpython-312.pyc"), "junk")
    write(os.path.join(d, "src", "secret.env"), "TOKEN=1\n")
    write(os.path.join(d, "src", ".lambdaformignore"), "*.env\n")
    spec = os.path.join(d, "stack.yaml")
    write(spec, "stack: pkg-demo\nparameters:\n  ArtifactBucket: {type: String}\nfunctions:\n  Ingest:\n"
                "    runtime: python3.12\n    handler: app.handler\n"
                "    code: {package: src, s3_bucket: !Ref ArtifactBucket, s3_prefix: builds}\n")
    rc, _, err = run("validate", spec, "--param", "ArtifactBucket=b")
    check("package: the spec validates", rc == 0, err)
    out1, out2 = os.path.join(TMP, "pkg-out1"), os.path.join(TMP, "pkg-out2")
    rc, line1, err = run("package", spec, "-o", out1, "--param", "ArtifactBucket=my bucket")
    check("package: exit 0", rc == 0, err)
    os.utime(os.path.join(d, "src", "app.py"), (1, 1))
    rc, js, err = run("package", spec, "-o", out2, "--param", "ArtifactBucket=my bucket", "--json")
    cmds = json.loads(js) if rc == 0 else [[]]
    zips1, zips2 = sorted(os.listdir(out1)), sorted(os.listdir(out2))
    check("package: one zip named <function>-<sha256>.zip", len(zips1) == 1 and zips1[0].startswith("Ingest-"), zips1)
    same = zips1 == zips2 and all(open(os.path.join(out1, z), "rb").read() == open(os.path.join(out2, z), "rb").read()
                                  for z in zips1)
    check("package: two builds (one after touching a file) are byte-identical", same)
    import hashlib
    data = open(os.path.join(out1, zips1[0]), "rb").read()
    check("package: the name carries the zip's SHA-256", zips1[0] == "Ingest-%s.zip" % hashlib.sha256(data).hexdigest())
    rc, tmpl, err = run("render", spec, "--param", "ArtifactBucket=my bucket", "--format", "json")
    key = json.loads(tmpl)["Resources"]["Ingest"]["Properties"]["Code"]["S3Key"] if rc == 0 else None
    check("package: the template references builds/<file>", key == "builds/" + zips1[0], key)
    check("package --json: the aws s3 cp argv", cmds == [["aws", "s3", "cp", os.path.join(out2, zips1[0]),
                                                         "s3://my bucket/builds/" + zips1[0]]], cmds)
    src, got, serr = via_shell(line1.strip())
    check("package: the printed line gives aws that argv", got == ["s3", "cp", os.path.join(out1, zips1[0]),
                                                                   "s3://my bucket/builds/" + zips1[0]], (line1, got))
    with zipfile.ZipFile(os.path.join(out1, zips1[0])) as z:
        names = z.namelist()
        check("package: zipfile opens it; handler module at the root; junk and ignored files left out",
              z.testzip() is None and names == ["app.py", "lib/util.py"], names)
    write(os.path.join(d, "src", "lib", "util.py"), "X = 2\n")
    rc, _, err = run("package", spec, "-o", out2, "--param", "ArtifactBucket=b")
    check("package: changing a byte changes the key", rc == 0 and len(os.listdir(out2)) == 2, os.listdir(out2))
    rc, _, err = run("package", spec, "-o", out2)
    check("package: an unknown bucket is an error (LF7103)", rc == 1 and "LF7103" in err, err)


def main():
    global CLI, TMP, STATIC
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--static", action="store_true", help="the CLI was linked as a static executable")
    args = ap.parse_args()
    CLI = os.path.abspath(args.cli)
    STATIC = args.static
    with tempfile.TemporaryDirectory(prefix="lf-cli-") as tmp:
        TMP = tmp
        write(os.path.join(tmp, "bin", "aws"), FAKE_AWS)
        os.chmod(os.path.join(tmp, "bin", "aws"), 0o755)
        for part in (diagnostics_format, command_line, render_all, render_fsync, diff, deploy_command, package):
            print("== " + part.__name__)
            part()
    print("\n%d failed" % len(FAILURES))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
