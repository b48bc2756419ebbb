#!/usr/bin/env python3
"""libzip is loaded when a zip is written, not at start (lib/src/package.cpp).

A render of a spec without `package:` code must not load libzip (nor libcrypto, zlib and
libbz2, which libzip needs): they took 40% of the process start on a slow machine
(bench/README.md). A render of a spec with `package:` code loads it, and writes the template;
so do eight specs at once in `render --all`'s worker threads.
The files a process opened are read from strace's log (a Debian package the Makefile installs):
the dynamic linker's own log (LD_DEBUG) is not there in a static CLI, whose dlopen still opens
libzip.so.4 from the system. A libzip that cannot be loaded is an LF7006 error, not a crash.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile


def loaded_files(cli, spec, out, tmp):
    """The exit code of `render SPEC -o OUT` and the names of the files it opened."""
    log = os.path.join(tmp, "strace.log")
    # LeakSanitizer cannot run under ptrace and aborts the process: off for this run only (the
    # other runs below keep it).
    env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
    p = subprocess.run(["strace", "-f", "-qq", "-e", "trace=open,openat", "-o", log,
                        cli, "render", spec, "-o", out], env=env, capture_output=True, text=True)
    names = set()
    with open(log) as f:
        for line in f:
            # 12345 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libzip.so.4", O_RDONLY|O_CLOEXEC) = 3
            m = re.search(r'open(?:at)?\((?:[^,]*, )?"([^"]*)".*\) = \d+$', line.rstrip())
            if m:
                names.add(os.path.basename(m.group(1)))
    return p.returncode, names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--templates", required=True)
    args = ap.parse_args()
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "t.yaml")
        rc, names = loaded_files(args.cli, os.path.join(args.templates, "s3-code", "stack.yaml"), out,
                                 tmp)
        if rc != 0 or not os.path.exists(out):
            failures.append(f"render of s3-code failed (exit {rc})")
        if "stack.yaml" not in names:
            failures.append(f"strace saw no open of the spec: {sorted(names)}")
        for lib in ("libzip.so.4", "libcrypto.so.3", "libbz2.so.1.0"):
            if lib in names:
                failures.append(f"render without package: code loaded {lib}")
        os.remove(out)
        rc, names = loaded_files(args.cli, os.path.join(args.templates, "packaged", "stack.yaml"), out,
                                 tmp)
        if rc != 0 or not os.path.exists(out):
            failures.append(f"render of packaged failed (exit {rc})")
        if "libzip.so.4" not in names:
            failures.append(f"render with package: code did not load libzip.so.4: {sorted(names)}")
        # A libzip that cannot be loaded is LF7006 at the package, and no template is written.
        os.remove(out)
        broken = os.path.join(tmp, "lib")
        os.mkdir(broken)
        with open(os.path.join(broken, "libzip.so.4"), "w") as f:
            f.write("not a shared library\n")
        env = dict(os.environ, LD_LIBRARY_PATH=broken)
        spec = os.path.join(args.templates, "packaged", "stack.yaml")
        p = subprocess.run([args.cli, "render", spec, "-o", out], env=env, capture_output=True,
                           text=True)
        if p.returncode == 0 or os.path.exists(out):
            failures.append(f"render with a broken libzip: exit {p.returncode}, template written: "
                            f"{os.path.exists(out)}")
        if "cannot load libzip: " not in p.stderr or "[LF7006]" not in p.stderr:
            failures.append(f"render with a broken libzip: no LF7006 naming libzip:\n{p.stderr}")
        # Worker threads of `render --all` load libzip at the same time (in a static CLI through
        # glibc's static dlopen): every spec is rendered, each with the zip the single render gives.
        many, outdir = os.path.join(tmp, "many"), os.path.join(tmp, "many-out")
        packaged = os.path.join(args.templates, "packaged")
        with open(os.path.join(packaged, "stack.yaml")) as f:
            text = f.read()
        single = subprocess.run([args.cli, "render", os.path.join(packaged, "stack.yaml")],
                                capture_output=True, text=True).stdout
        for i in range(8):
            d = os.path.join(many, f"p{i}")
            shutil.copytree(os.path.join(packaged, "src"), os.path.join(d, "src"))
            with open(os.path.join(d, "stack.yaml"), "w") as f:
                f.write(text)
        p = subprocess.run([args.cli, "render", "--all", many, "-o", outdir], capture_output=True,
                           text=True)
        if p.returncode != 0:
            failures.append(f"render --all of 8 packaged specs: exit {p.returncode}\n{p.stderr}")
        for i in range(8):
            path = os.path.join(outdir, f"p{i}", "template.yaml")
            if not os.path.exists(path):
                failures.append(f"render --all of 8 packaged specs wrote no {path}")
                continue
            with open(path) as f:
                if f.read() != single:
                    failures.append(f"render --all: {path} differs from the single render")
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print("libzip: not loaded for s3-code, loaded for packaged (8 at once in render --all), "
              "LF7006 when it cannot be")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
