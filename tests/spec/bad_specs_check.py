#!/usr/bin/env python3
"""Runs lambdaform on a corpus of bad stack specs and checks that each is refused cleanly.

Corpus: tests/spec/bad/NAME.yaml, one mistake per file. Line 1 states the expectation and an
optional line 2 a substring of the error message:

    # expect: <exit code> <RULE> <line>:<col>
    # message: <exact substring of the message>

Each file is run with `validate SPEC` and with `render SPEC -o TMP/out.yaml`. A run passes when

  * it finishes within 10 s and is not killed by a signal;
  * the exit code is the expected one;
  * stderr has exactly one `: error: ` line, of the form `SPEC:LINE:COL: error: MESSAGE [RULE]`,
    with the expected rule, line, column (and message substring); warnings may also appear;
  * that line is followed by the spec's source line and a caret line whose caret sits under the
    column (counted in characters);
  * nothing looks like a crash (`terminate called`, sanitizer reports, tracebacks, ...);
  * render wrote nothing: no output file, no temp file left next to it.

Inputs that would make the corpus binary or large (invalid UTF-8, NUL, > 1 MiB, deep nesting,
billion laughs, ...) are generated here into a temp dir, with their expectations below. So are
the cases that are not about a spec's content (missing file, directory, usage errors, `-o` into a
missing folder, atomic output).

usage: tests/spec/bad_specs_check.py [--cli build/cli/lambdaform] [-k SUBSTRING] [-v]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "bad"
TIMEOUT = 10.0

# lambdaform's loader limits (lib/src/yaml_loader.hpp, lib/include/lambdaform/spec.hpp).
MAX_BYTES = 1 << 20
MAX_DEPTH = 64
MAX_NODES = 200000

DIAG_RE = re.compile(
    rb"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.*) \[(?P<rule>[A-Z]+[0-9]+)\]$"
)
EXPECT_RE = re.compile(r"^# expect: (?P<exit>\d+) (?P<rule>[A-Z]+[0-9]+) (?P<line>\d+):(?P<col>\d+)\s*$")
MESSAGE_RE = re.compile(r"^# message: (?P<msg>.*?)\s*$")
CRASH_MARKERS = [
    b"terminate called", b"what():", b"Traceback", b"Segmentation fault", b"core dumped",
    b"Aborted", b"AddressSanitizer", b"LeakSanitizer", b"UndefinedBehaviorSanitizer",
    b"runtime error:", b"Assertion", b"std::", b"YAML::", b"Stack trace",
]


@dataclass
class Case:
    name: str
    path: Path                  # the spec file to run
    exit: int
    rule: str | None
    line: int | None
    col: int | None
    message: str | None = None  # exact substring of the error message
    message_re: str | None = None  # or a regex the message must match
    source: bool = True         # the error is followed by its source line and a caret
    args: list[str] = field(default_factory=list)  # extra CLI arguments


@dataclass
class Run:
    rc: int | None
    stdout: bytes
    stderr: bytes
    timed_out: bool = False


def run(cli: str, argv: list[str]) -> Run:
    """Runs the CLI in its own process group, so a hang is killed with everything it started."""
    p = subprocess.Popen([cli, *argv], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
        return Run(None, out, err, timed_out=True)
    return Run(p.returncode, out, err)


def show(b: bytes, limit: int = 4000) -> str:
    s = b.decode("utf-8", errors="backslashreplace")
    return s if len(s) <= limit else s[:limit] + f"\n... ({len(s) - limit} more characters)"


def basic_problems(r: Run, expect_exit: int) -> list[str]:
    """Hang, signal, crash output, wrong exit code."""
    out: list[str] = []
    if r.timed_out:
        return [f"hang: no exit within {TIMEOUT:.0f} s"]
    if r.rc is not None and r.rc < 0:
        out.append(f"killed by signal {-r.rc}")
    for m in CRASH_MARKERS:
        if m in r.stderr or m in r.stdout:
            out.append(f"crash-like output ({m.decode()!r})")
    if r.rc != expect_exit:
        out.append(f"exit code {r.rc}, expected {expect_exit}")
    return out


def error_lines(stderr: bytes) -> list[tuple[int, bytes]]:
    lines = stderr.split(b"\n")
    return [(i, l) for i, l in enumerate(lines) if b": error: " in l]


def file_line(path: Path, line: int) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    lines = data.split(b"\n")
    if line < 1 or line > len(lines):
        return None
    l = lines[line - 1]
    return l[:-1] if l.endswith(b"\r") else l


def caret_problems(stderr_lines: list[bytes], at: int, path: Path, line: int, col: int) -> list[str]:
    """The error at stderr_lines[at] must be followed by the spec line and a caret under col."""
    if at + 2 >= len(stderr_lines):
        return ["the error is not followed by the source line and a caret line"]
    src, caret = stderr_lines[at + 1], stderr_lines[at + 2]
    problems = []
    if not src.startswith(b"  ") or not re.fullmatch(rb"  [ \t]*\^", caret):
        return ["the error is not followed by the source line and a caret line"]
    want = file_line(path, line)
    if want is not None and line == 1 and want.startswith(b"\xef\xbb\xbf"):
        want = want[3:]  # a BOM is not shown
    if want is not None and src[2:] != want:
        problems.append(f"the source line shown is {show(src[2:])!r}, but line {line} of the spec is {show(want)!r}")
    # The caret must sit under column `col` counted in characters as displayed; a BOM has no width.
    text = src[2:].decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    prefix = caret[2:].decode("utf-8", errors="replace")[:-1]
    shown = len(prefix) - (1 if src[2:].startswith(b"\xef\xbb\xbf") else 0)
    if shown != col - 1:
        problems.append(
            f"the caret is under character {shown + 1} of the line, not under column {col}"
            + (f" ({text[shown:shown + 12]!r} instead of {text[col - 1:col + 11]!r})" if col - 1 <= len(text) else "")
        )
    return problems


def diag_problems(case: Case, r: Run) -> list[str]:
    """Exactly one well-formed error with the expected rule, location and message."""
    lines = r.stderr.split(b"\n")
    errs = error_lines(r.stderr)
    problems = []
    for _, l in errs:
        if not DIAG_RE.match(l):
            problems.append(f"error line without the SPEC:LINE:COL: error: MESSAGE [RULE] form: {show(l)!r}")
    if len(errs) != 1:
        problems.append(f"{len(errs)} error lines, expected exactly 1")
    if case.rule is None:
        return problems
    # Judge the first error that carries the expected rule (else the first error).
    cands = [(i, DIAG_RE.match(l)) for i, l in errs if DIAG_RE.match(l)]
    pick = next(((i, m) for i, m in cands if m["rule"].decode() == case.rule), cands[0] if cands else None)
    if pick is None:
        if not errs:
            problems.append(f"no error diagnostic, expected {case.rule} at {case.line}:{case.col}")
        return problems
    i, m = pick
    got_rule, got_line, got_col = m["rule"].decode(), int(m["line"]), int(m["col"])
    if got_rule != case.rule:
        problems.append(f"rule {got_rule}, expected {case.rule}")
    if os.fsencode(str(case.path)) != m["file"]:
        problems.append(f"the diagnostic names {show(m['file'])!r}, not the spec path {str(case.path)!r}")
    if case.line is not None and (got_line, got_col if case.col is not None else None) != (case.line, case.col):
        where = f"{case.line}:{case.col}" if case.col is not None else f"line {case.line}"
        problems.append(f"located at {got_line}:{got_col}, expected {where}")
    msg = m["msg"].decode("utf-8", errors="replace")
    if case.message is not None and case.message not in msg:
        problems.append(f"message does not contain {case.message!r}")
    if case.message_re is not None and not re.search(case.message_re, msg):
        problems.append(f"message does not match /{case.message_re}/")
    if case.source and case.line is not None and case.col is not None:
        problems += caret_problems(lines, i, case.path, got_line, got_col)
    elif not case.source and i + 2 < len(lines) and re.fullmatch(rb"  [ \t]*\^", lines[i + 2]):
        problems.append("the error is followed by a source line and caret, but there is no useful source line to show")
    return problems


def check_spec_case(cli: str, case: Case, scratch: Path) -> list[str]:
    """validate and render -o: both must refuse the spec the same way; render writes nothing."""
    failures = []
    for mode in ("validate", "render"):
        outdir = scratch / f"out-{mode}"
        outdir.mkdir(parents=True, exist_ok=True)
        out = outdir / "out.yaml"
        argv = [mode, str(case.path), *case.args] + (["-o", str(out)] if mode == "render" else [])
        r = run(cli, argv)
        problems = basic_problems(r, case.exit)
        if not r.timed_out:
            problems += diag_problems(case, r)
            if mode == "render":
                left = sorted(p.name for p in outdir.iterdir())
                if left:
                    problems.append(f"render wrote {left} although the spec was refused")
            if r.stdout.strip():
                problems.append(f"unexpected stdout: {show(r.stdout, 300)!r}")
        shutil.rmtree(outdir, ignore_errors=True)
        if problems:
            failures.append(
                f"  [{mode}] " + "\n  [{}] ".format(mode).join(problems)
                + f"\n  stderr ({' '.join(['lambdaform', *argv])}):\n" + indent(show(r.stderr))
            )
    return failures


def indent(s: str) -> str:
    return "\n".join("    | " + l for l in s.rstrip("\n").split("\n"))


# ------------------------------------------------------------------------------------------
# Corpus files

def load_corpus(corpus: Path) -> tuple[list[Case], list[str]]:
    cases, errors = [], []
    for p in sorted(corpus.glob("*.yaml")):
        head = p.read_bytes().split(b"\n", 2)
        m = EXPECT_RE.match(head[0].decode("utf-8", errors="replace"))
        if not m:
            errors.append(f"{p.name}: line 1 is not '# expect: <exit> <RULE> <line>:<col>'")
            continue
        msg = None
        if len(head) > 1:
            mm = MESSAGE_RE.match(head[1].decode("utf-8", errors="replace"))
            if mm:
                msg = mm["msg"]
        cases.append(Case(p.stem, p, int(m["exit"]), m["rule"], int(m["line"]), int(m["col"]), msg))
    return cases, errors


# ------------------------------------------------------------------------------------------
# Generated spec files

GOOD = (
    b"stack: demo\n"
    b"parameters:\n"
    b"  Stage: {type: String, default: dev}\n"
    b"functions:\n"
    b"  Hello:\n"
    b"    runtime: python3.12\n"
    b"    handler: index.handler\n"
    b"    code: {inline: \"def handler(event, context): return 1\"}\n"
    b"    environment: {STAGE: !Ref Stage}\n"
)
FUNCTIONS = GOOD.split(b"functions:\n", 1)[1]


def generated(tmp: Path) -> list[Case]:
    cases: list[Case] = []

    def add(name: str, data: bytes, *a, **kw) -> None:
        p = tmp / f"{name}.yaml"
        p.write_bytes(data)
        cases.append(Case(name, p, *a, **kw))

    add("gen_empty_file", b"", 1, "LF3003", 1, 1, "the spec is empty", source=False)
    add("gen_invalid_utf8", b"stack: demo\ndescription: caf\xe9 menu\n" + b"functions:\n" + FUNCTIONS,
        1, "LF0002", 2, 17, "not valid UTF-8")
    add("gen_overlong_utf8", b"stack: demo\ndescription: a\xc0\xafb\nfunctions:\n" + FUNCTIONS,
        1, "LF0002", 2, 15, "not valid UTF-8")
    add("gen_utf8_surrogate", b"stack: demo\ndescription: a\xed\xa0\x80b\nfunctions:\n" + FUNCTIONS,
        1, "LF0002", 2, 15, "not valid UTF-8")
    add("gen_nul_byte", b"stack: demo\ndescription: a\x00b\nfunctions:\n" + FUNCTIONS,
        1, "LF0002", 2, 15, "NUL")
    # > 1 MiB: a valid spec padded with comments. The message must state the real size (or just
    # that it is over the limit), not the number of bytes lambdaform happened to read.
    big = GOOD + (b"# padding " + b"x" * 100 + b"\n") * 20000
    add("gen_over_1mib", big, 1, "LF0006", 1, 1,
        message_re=rf"\b{len(big)} bytes|(more|larger|bigger) than {MAX_BYTES} bytes")
    # Billion laughs: must stop at the first alias, at once.
    laughs = [b"stack: demo", b"l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        laughs.append(b"l%d: &l%d [" % (i, i) + b", ".join([b"*l%d" % (i - 1)] * 10) + b"]")
    add("gen_billion_laughs", b"\n".join(laughs) + b"\nfunctions:\n" + FUNCTIONS,
        1, "LF0005", 3, 10, "aliases")
    # 10,000 levels of '[': refused at the first bracket past the depth limit (the root mapping is
    # level 1, so that is bracket number MAX_DEPTH). The line is too long to show.
    prefix = b"tags: "
    # Unclosed, yaml-cpp's scanner looks ahead for the flow's end before it hands lambdaform the
    # events, so the refusal is reported on the right line at an earlier bracket (column 39).
    add("gen_deep_flow_unclosed", GOOD + prefix + b"[" * 10000 + b"\n", 1, "LF0006",
        GOOD.count(b"\n") + 1, len(prefix) + MAX_DEPTH, "nests deeper than", source=False)
    add("gen_deep_flow_closed", GOOD + prefix + b"[" * 10000 + b"]" * 10000 + b"\n", 1, "LF0006",
        GOOD.count(b"\n") + 1, len(prefix) + MAX_DEPTH, "nests deeper than", source=False)
    # Deep block mappings, one key per line under mappings:, so the caret can be shown. The root
    # is level 1 and key k{i} sits in the mapping at level i + 2: k{MAX_DEPTH - 1} opens the first
    # mapping past the limit.
    i = MAX_DEPTH - 1
    add("gen_deep_block_mapping",
        GOOD + b"mappings:\n" + b"".join(b"  " * (j + 1) + b"k%d:\n" % j for j in range(200)),
        1, "LF0006", GOOD.count(b"\n") + 2 + i, 3 + 2 * i, "nests deeper than")
    # Too many nodes (under 1 MiB): refused at node MAX_NODES + 1. GOOD plus the mapping header
    # hold 33 nodes before the first list item.
    head = GOOD + b"mappings:\n  M:\n    K: ["
    nodes_before = 33
    add("gen_too_many_nodes", head + b", ".join([b"1"] * 250000) + b"]\n", 1, "LF0006",
        head.count(b"\n") + 1, len(b"    K: [") + 1 + 3 * (MAX_NODES - nodes_before), "more than", source=False)
    # CRLF line endings: same diagnostics, no '\r' in the source line shown.
    crlf = GOOD.replace(b"    handler:", b"    memroy: 128\n    handler:").replace(b"\n", b"\r\n")
    add("gen_crlf_unknown_key", crlf, 1, "LF3000", 7, 5, "did you mean 'memory'?")
    # A UTF-8 byte order mark is not a character: the caret must still sit under the value.
    add("gen_bom_bad_stack_name", b"\xef\xbb\xbfstack: my_stack\nfunctions:\n" + FUNCTIONS,
        1, "LF3009", 1, 8, "stack name 'my_stack'")
    # --param naming no parameter: reported at the spec's root mapping.
    add("gen_param_unknown", GOOD, 1, "LF3008", 1, 1, "--param Stag names no parameter", args=["--param", "Stag=prod"])
    return cases


# ------------------------------------------------------------------------------------------
# Cases that are not about a spec's content

def command_cases(cli: str, tmp: Path, corpus: Path, only: str | None) -> list[tuple[str, list[str]]]:
    """Runs the command-line cases whose name contains `only`; returns (name, failures) each."""
    results: list[tuple[str, list[str]]] = []
    good = tmp / "good.yaml"
    good.write_bytes(GOOD)
    bad = corpus / "unknown_function_memroy.yaml"

    def report(name: str, r: Run, argv: list[str], problems: list[str]) -> None:
        fails = []
        if problems:
            fails.append("  " + "\n  ".join(problems)
                         + f"\n  stderr ({' '.join(['lambdaform', *argv])}):\n" + indent(show(r.stderr)))
        results.append((name, fails))

    def simple(name: str, argv: list[str], exit: int, needle: bytes, what: str) -> None:
        """A usage-level case: exit code, a phrase on stderr, nothing on stdout."""
        if only and only not in name:
            return
        r = run(cli, argv)
        problems = basic_problems(r, exit)
        if needle not in r.stderr:
            problems.append(f"stderr does not say {what}")
        if r.stdout.strip():
            problems.append(f"unexpected stdout: {show(r.stdout, 200)!r}")
        report(name, r, argv, problems)

    def unreadable(name: str, path: Path, words: str) -> None:
        """A spec that cannot be read: exit 2, one LF0009 error, no source line to show."""
        for mode in ("validate", "render"):
            if only and only not in name:
                return
            argv = [mode, str(path)]
            r = run(cli, argv)
            problems = basic_problems(r, 2)
            errs = error_lines(r.stderr)
            lines = r.stderr.split(b"\n")
            if len(errs) != 1:
                problems.append(f"{len(errs)} error lines, expected 1")
            else:
                i, l = errs[0]
                m = DIAG_RE.match(l)
                if not m or m["rule"] != b"LF0009":
                    problems.append("the error is not an LF0009 diagnostic")
                if words.lower() not in l.decode("utf-8", "replace").lower():
                    problems.append(f"message does not say {words!r}")
                # There is no source to show: an empty source line with a caret is noise.
                if i + 2 < len(lines) and re.fullmatch(rb"  [ \t]*\^", lines[i + 2]):
                    problems.append("the error is followed by an empty source line and a caret, though there is no source")
            if r.stdout.strip():
                problems.append("unexpected stdout")
            report(f"{name} [{mode}]", r, argv, problems)

    # The control: the generated good spec is accepted, so the cases built on it test one thing.
    simple("cmd_good_spec_is_valid", ["validate", str(good)], 0, b"", "anything")
    unreadable("cmd_spec_missing", tmp / "no-such-spec.yaml", "no such file")
    unreadable("cmd_spec_is_directory", tmp, "directory")
    simple("cmd_render_no_arguments", ["render"], 2, b"expected 1 argument", "'expected 1 argument'")
    simple("cmd_unknown_subcommand", ["rendr", str(good)], 2, b"did you mean 'render'?", "did you mean 'render'?")
    simple("cmd_unknown_option", ["validate", str(good), "--frobnicate"], 2, b"frobnicate", "which option")
    simple("cmd_param_without_value", ["validate", str(good), "--param", "Stage"], 2, b"KEY=VALUE", "KEY=VALUE")
    simple("cmd_check_missing_template", ["check", str(good), str(tmp / "no-such-template.yaml")], 2,
           b"cannot read", "cannot read")

    # -o into a folder that does not exist: exit 2, nothing written anywhere.
    name = "cmd_render_into_missing_dir"
    if not only or only in name:
        missing = tmp / "no-such-dir"
        argv = ["render", str(good), "-o", str(missing / "out.yaml")]
        r = run(cli, argv)
        problems = basic_problems(r, 2)
        if missing.exists():
            problems.append(f"{missing} was created")
        if b"cannot write" not in r.stderr:
            problems.append("no 'cannot write' message")
        if r.stdout.strip():
            problems.append("the template went to stdout")
        report(name, r, argv, problems)

    # Atomicity: a failed render leaves an existing output byte-for-byte as it was (same file,
    # same bytes) and leaves no temp file next to it.
    outdir = tmp / "atomic"
    outdir.mkdir()
    out = outdir / "template.yaml"
    known = b"# the committed template\r\nResources: {}\n\x00\xff"
    out.write_bytes(known)
    before = out.stat()
    for spec in (bad, tmp / "gen_over_1mib.yaml", tmp / "gen_invalid_utf8.yaml", tmp / "gen_deep_flow_closed.yaml"):
        name = f"cmd_render_failure_keeps_output [{spec.name}]"
        if only and only not in name:
            continue
        argv = ["render", str(spec), "-o", str(out)]
        r = run(cli, argv)
        problems = basic_problems(r, 1)
        if out.read_bytes() != known:
            problems.append("the existing output file was changed")
        if out.stat().st_ino != before.st_ino or out.stat().st_mtime_ns != before.st_mtime_ns:
            problems.append("the existing output file was replaced or touched")
        others = sorted(p.name for p in outdir.iterdir() if p.name != out.name)
        if others:
            problems.append(f"files left next to the output: {others}")
        if r.stdout.strip():
            problems.append("the template went to stdout")
        report(name, r, argv, problems)

    # check with a bad spec: refused like validate, and no diff printed.
    name = "cmd_check_bad_spec"
    if not only or only in name:
        argv = ["check", str(bad), str(out)]
        r = run(cli, argv)
        problems = basic_problems(r, 1)
        if len(error_lines(r.stderr)) != 1 or b"[LF3000]" not in r.stderr:
            problems.append("expected exactly the one LF3000 error")
        if r.stdout.strip():
            problems.append("a diff was printed for a spec that does not compile")
        report(name, r, argv, problems)
    return results


# ------------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", default=str(ROOT / "build/cli/lambdaform"), help="lambdaform binary")
    ap.add_argument("--corpus", default=str(CORPUS), help="folder of bad specs")
    ap.add_argument("-k", dest="only", help="run only cases whose name contains this")
    ap.add_argument("-v", "--verbose", action="store_true", help="list passing cases too")
    args = ap.parse_args()
    cli = str(Path(args.cli) if Path(args.cli).is_absolute() else (Path.cwd() / args.cli))
    if not Path(cli).is_file() and (ROOT / args.cli).is_file():
        cli = str(ROOT / args.cli)
    if not os.access(cli, os.X_OK):
        print(f"bad_specs_check: {args.cli} is not an executable lambdaform", file=sys.stderr)
        return 2
    corpus = Path(args.corpus).resolve()

    passed, failed = 0, 0
    failures: list[tuple[str, list[str]]] = []
    cases, corpus_errors = load_corpus(corpus)
    for e in corpus_errors:
        failed += 1
        failures.append((e.split(":")[0], ["  " + e]))

    with tempfile.TemporaryDirectory(prefix="lf-bad-specs-") as t:
        tmp = Path(t)
        gen_dir = tmp / "gen"
        gen_dir.mkdir()
        gen = generated(gen_dir)
        results: list[tuple[str, list[str]]] = []
        for case in cases + gen:
            if args.only and args.only not in case.name:
                continue
            results.append((case.name, check_spec_case(cli, case, tmp / "scratch" / case.name)))
        cmd_dir = tmp / "cmd"
        cmd_dir.mkdir()
        # The atomicity cases reuse generated specs.
        for p in gen_dir.iterdir():
            shutil.copy(p, cmd_dir / p.name)
        results += command_cases(cli, cmd_dir, corpus, args.only)

    for name, fails in results:
        if fails:
            failed += 1
            failures.append((name, fails))
        else:
            passed += 1
            if args.verbose:
                print(f"ok   {name}")
    for name, fails in failures:
        print(f"FAIL {name}")
        for f in fails:
            print(f)
    print(f"bad specs: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
