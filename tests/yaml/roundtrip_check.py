#!/usr/bin/env python3
r"""Round-trip checker for a JSON -> YAML emitter, judged by the YAML readers CloudFormation uses.

    python3 tests/yaml/roundtrip_check.py --emitter build/tests/lf_yaml_emit \
        [--yamlcpp-reader build/tests/lf_yaml_read] [--corpus tests/yaml/hostile_scalars.json] \
        [--random N --seed S] [--json-emitter "build/tests/lf_yaml_emit --json"]

The emitter (CMD; split like a shell command line, so "python3 x.py" works) reads ONE JSON document
on stdin and writes its YAML rendering on stdout, exit status 0. The checker sends documents built
from the corpus (every string as a mapping value, a sequence item, a mapping key, a top-level key,
two levels deep, inside Fn::Sub / Ref / Fn::Join / Fn::GetAtt), fixed numbers/booleans/null/empty
containers, a few top-level scalars, and optionally N random documents; it then reads the YAML back
with every reader below and requires exactly the input back: same types (str stays str, int stays
int, float stays float with the same value including -0.0, bool stays bool; True == 1 in Python so
types are compared explicitly), same key order, the same long-form intrinsics (a short-form
`!GetAtt a.b` legitimately reads back as {"Fn::GetAtt": ["a", "b"]}, which is what the input holds).
It also checks that a string without line breaks is not wrapped: rendering {"k": s} must take as
many lines as rendering {"k": "x"} (--allow-wrap turns this off).

Readers:
  awscli    awscli.customizations.cloudformation.yamlhelper.yaml_parse, what `aws cloudformation
            deploy/package` use: pure-Python PyYAML SafeLoader + a "!" multi-constructor for the
            short forms.  NOTE: it first tries json.loads() and only falls back to YAML when that
            fails, so output that happens to be JSON is never judged by PyYAML there; for such
            output the checker adds "pyyaml": the same loader without the JSON shortcut.  If
            awscli is not installed, an identical copy of its loader (below) is used, and the run
            says so.
  cfn-lint  cfnlint.decode.cfn_yaml.loads when cfn-lint is importable (--no-cfn-lint skips it). It
            uses libyaml (CSafeLoader), whose scanner differs from the pure-Python one (see below).
  yaml-cpp  --yamlcpp-reader CMD: reads YAML on stdin, prints JSON (lf_yaml_read --yaml-cpp);
            else skipped.
  lambdaform  --lambdaform-reader CMD: the same through lambdaform's loader (libyaml), which
            the CLI's plan/diff/review read templates with (lf_yaml_read); else skipped.

On a failure the offending strings are found by bisecting the batched documents, then re-run one
position at a time, so each reported failure shows the string, the (small) YAML emitted for it and
what each reader returned. Summary line: "yaml-roundtrip: N passed, M failed"; exit 0 iff M == 0.

Findings (PyYAML 6.0.3 pure-Python and libyaml loaders, yaml-cpp 0.7.0 via lf_yaml_read; each
was probed while writing this checker), i.e. the rules a YAML 1.1-safe emitter must follow:

 Implicit resolution of plain scalars (pure and libyaml loaders agree):
  * bool: yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF.  PyYAML does
    NOT resolve y/Y/n/N (the YAML 1.1 spec does, and so do some 1.1 readers): quote them anyway.
    Mixed case (yES, oN) stays a string.
  * null: ~ null Null NULL and the empty plain scalar.  A value that is just "#..." is a comment,
    so null too; "&a" alone is an anchor on an empty node -> null; "!!str" alone -> "".
  * int: [-+]?0b[01_]+ | [-+]?0[0-7_]+ | [-+]?(0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+ | base 60
    [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+.  So 0755 -> 493, 0x_1F -> 31, 1__0 -> 10, 1_ -> 1, 0_ -> 0,
    12:30 -> 750, 1:2 -> 62, 190:20:30 -> 685230; but 08, 09, 0o17, 12:60, _1 stay strings.
  * float: needs a '.', and an exponent needs a sign: 1.0e+5, 1.e+5, .1e+5 are floats but 1e5,
    1E+5, 1e-07, 1.0e5 are STRINGS; ".5" is a float but "-.5" and "+.5" are strings; 1:30.5 -> 90.5;
    .inf .Inf .INF -.inf +.inf .nan .NaN .NAN.  So a float must be written with a '.' in the
    mantissa and a signed exponent (1.0e-07, 1.0e+20; C's %g output is not YAML 1.1), and an
    integral float with ".0" (else it reads back as an int).
  * timestamp: YYYY-MM-DD (exactly 4-2-2 digits) and the long forms -> date/datetime; a value that
    matches the pattern but is no date (2001-13-45, 2001-02-30) makes the loader RAISE ValueError.
    CloudFormation's 2010-09-09 and IAM's 2012-10-17 are dates unless quoted.
  * "<<" is the merge key and "=" the value key: as plain values both make SafeLoader raise "could
    not determine a constructor"; as a plain key "<<" merges (or raises when its value is not a
    mapping); "=" as a key is turned into the string "=".
  * YAML 1.2 readers (yaml-cpp here) disagree on plain 08, 09, 0123456789012 (int 8 / 123456789012
    instead of a 1.1 string: an account id loses its leading zero), 1e5, 1e-07, -.5 (floats), so
    an emitter that quotes only what PyYAML would resolve (safe_dump does) is not enough: quote
    anything that looks numeric to either.
 Plain-scalar syntax:
  * A plain scalar may not start with "- ", "? ", ": " (or be just -, ?, :), nor start with
    , [ ] { } # & * ! | > ' " % @ ` at all; may not contain ": " or " #"; may not end with ":";
    leading/trailing spaces are lost.  "%YAML", "@foo", "`x", "::" are scanner errors; "!Ref X"
    is a tag (awscli turns it into {"Ref": "X"}); "*a" is an alias; "a #b" reads "a".
    (-a, ?a, :a, a:b, a::b are fine plain in all three readers.)
  * At column 0 (top-level scalars, keys of the top-level mapping), "---" or "..." followed by a
    space or line end is a document marker ("--- a" reads "a", "..." raises); "---:" is fine.
  * TAB: the pure-Python scanner rejects a raw tab inside a plain scalar ("a<TAB>b" -> ScannerError)
    while libyaml accepts it, and libyaml silently DROPS a leading tab ("<TAB>b" reads "b").
  * Block scalars: a literal whose first non-empty line starts with a space OR A TAB needs an
    indentation indicator (|2): without it libyaml (cfn-lint) raises "found a tab character where
    an indentation space is expected" for a leading tab (pure PyYAML accepts it).  Trailing
    newlines need the chomping indicator (|- none, | one, |+ several).  A top-level block scalar's
    lines must still be indented.
 Characters:
  * The reader rejects the whole stream (ReaderError "special/control characters are not allowed"),
    even inside quotes, comments and block scalars, if it holds raw: C0 controls other than TAB,
    LF, CR; DEL (x7F); C1 controls x80-x9F except NEL (x85); U+FFFE, U+FFFF; surrogates.  Only
    double-quoted escapes can carry them.  (JSON does not escape DEL or C1, so JSON text with them
    is not valid YAML 1.1.)
  * Raw CR, NEL (x85), U+2028 and U+2029 are LINE BREAKS to a YAML 1.1 reader.  In quotes, raw
    CR/CRLF/NEL fold to a space ("a<NEL>b" reads "a b"; PyYAML's own safe_dump(allow_unicode=True)
    falls into this); raw U+2028/U+2029 survive in quotes for PyYAML but break plain and block
    scalars and multi-line simple keys; yaml-cpp (YAML 1.2: not breaks) keeps the indentation
    PyYAML writes after them.  Escape all four: \r \x85 \u2028 \u2029.
  * A raw BOM (U+FEFF) is accepted mid-stream by both loaders but stripped at the start of the
    stream: escape it (\uFEFF).  NBSP (A0) and other printable non-ASCII are fine raw.
  * Double-quoted escapes accepted by PyYAML and libyaml: \0 \a \b \t \<TAB> \n \v \f \r \e
    \<SP> \" \/ \\ \N \_ \L \P \xXX \uXXXX \UXXXXXXXX; \' and others are errors.  But yaml-cpp
    0.7 turns \N and \_ into the raw bytes 0x85 / 0xA0 (invalid UTF-8): write \x85 and \xA0 (or
    \u0085 / a raw NBSP) instead.  \L and \P are fine in all three.
  * JSON's surrogate-pair escapes are NOT YAML: "\ud83d\ude00" gives PyYAML two lone surrogates
    (a corrupt str) and makes libyaml raise; astral characters must be raw UTF-8 or \U0001F600.
    So JSON written with ensure_ascii is not a safe YAML rendering of non-BMP text.
 Keys and layout:
  * An implicit key (block or flow, quoted or not) must be on one line and at most 1024
    characters long in PyYAML and libyaml (quotes included), and at most 1024 BYTES in yaml-cpp
    (so 256 emoji); longer keys need the explicit "? key" form.
  * yaml-cpp 0.7 cannot read a tagged block scalar as a block sequence item when its lines are
    indented only as far as the item's content ("  - !Sub |" then "    text" fails with "end of
    sequence not found"; "      text", two columns deeper, works; so does an untagged "- |"), and
    drops trailing blank lines of a multi-line single-quoted scalar ('a<LF><LF><LF>    ' reads
    "a\n" instead of "a\n\n"); PyYAML's safe_dump writes such single-quoted scalars.
  * PyYAML's safe_dump wraps long strings at 80 columns (valid YAML, but a diff hazard: the
    no-wrap check here fails it); a 1.1-safe emitter should not fold or wrap.
"""
import argparse
import json
import math
import os
import random
import shlex
import subprocess
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.join(HERE, "hostile_scalars.json")

# --------------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------------


def _awscli_copy():
    """A copy of awscli's yamlhelper loader, used when awscli is not installed."""
    import yaml
    from yaml.resolver import ScalarNode, SequenceNode

    def intrinsics_multi_constructor(loader, tag_prefix, node):
        tag = node.tag[1:]
        prefix = "" if tag in ["Ref", "Condition"] else "Fn::"
        cfntag = prefix + tag
        if tag == "GetAtt" and isinstance(node.value, str):
            value = node.value.split(".", 1)
        elif isinstance(node, ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, SequenceNode):
            value = loader.construct_sequence(node)
        else:
            value = loader.construct_mapping(node)
        return {cfntag: value}

    def _dict_constructor(loader, node):
        loader.flatten_mapping(node)
        return OrderedDict(loader.construct_pairs(node))

    class SafeLoaderWrapper(yaml.SafeLoader):
        pass

    SafeLoaderWrapper.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                      _dict_constructor)
    SafeLoaderWrapper.add_multi_constructor("!", intrinsics_multi_constructor)

    def yaml_parse(yamlstr):
        try:
            return json.loads(yamlstr, object_pairs_hook=OrderedDict)
        except ValueError:
            return yaml.load(yamlstr, SafeLoaderWrapper)

    return yaml_parse, SafeLoaderWrapper


def make_readers(args):
    """Returns (readers, notes): readers is a list of (name, fn(yaml_bytes, yaml_text) -> value)."""
    import yaml

    notes = []
    readers = []
    try:
        from awscli.customizations.cloudformation import yamlhelper
        aws_parse = yamlhelper.yaml_parse
        aws_parse("a: !Ref b\n")  # registers its constructors on SafeLoaderWrapper
        aws_loader = yamlhelper.SafeLoaderWrapper
        import awscli
        notes.append("awscli: awscli %s yamlhelper.yaml_parse (PyYAML %s, pure-Python SafeLoader)"
                     % (awscli.__version__, yaml.__version__))
    except Exception as exc:  # ImportError, or an awscli without yamlhelper
        aws_parse, aws_loader = _awscli_copy()
        notes.append("awscli: not importable (%s), using a copy of its yamlhelper loader "
                     "(PyYAML %s)" % (type(exc).__name__, yaml.__version__))

    def awscli_reader(data, text):
        return aws_parse(text)

    readers.append(("awscli", awscli_reader))

    def pyyaml_reader(data, text):
        # awscli's loader without its json.loads() shortcut; only differs when output is JSON.
        try:
            json.loads(text)
        except ValueError:
            return SAME_AS_AWSCLI
        return yaml.load(text, aws_loader)

    readers.append(("pyyaml", pyyaml_reader))

    if args.no_cfn_lint:
        notes.append("cfn-lint: skipped (--no-cfn-lint)")
    else:
        try:
            from cfnlint.decode import cfn_yaml
            import cfnlint.version
            notes.append("cfn-lint: cfn-lint %s cfn_yaml.loads (libyaml CSafeLoader: %s)"
                         % (cfnlint.version.__version__,
                            bool(getattr(yaml, "__with_libyaml__", 0))))

            def cfnlint_reader(data, text):
                return cfn_yaml.loads(text)

            readers.append(("cfn-lint", cfnlint_reader))
        except Exception as exc:
            notes.append("cfn-lint: skipped (not importable: %s)" % type(exc).__name__)

    def command_reader(command):
        cmd = shlex.split(command)

        def reader(data, text):
            try:
                p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, timeout=args.timeout)
            except subprocess.TimeoutExpired:
                raise ReaderFailed("timed out after %ss" % args.timeout)
            if p.returncode != 0:
                raise ReaderFailed("exit %d: %s" % (p.returncode, _first_lines(p.stderr)))
            try:
                return json.loads(p.stdout.decode("utf-8"), object_pairs_hook=OrderedDict)
            except ValueError as exc:
                raise ReaderFailed("output is not JSON (%s): %r" % (exc, p.stdout[:200]))

        return reader

    for name, command in (("yaml-cpp", args.yamlcpp_reader),
                          ("lambdaform", args.lambdaform_reader)):
        if command:
            notes.append("%s: %s" % (name, command))
            readers.append((name, command_reader(command)))
        else:
            notes.append("%s: skipped (no --%s-reader given)" % (name, name.replace("-", "")))
    return readers, notes


class ReaderFailed(Exception):
    pass


SAME_AS_AWSCLI = object()


def _first_lines(data, n=3):
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    lines = [line for line in data.strip().splitlines() if line.strip()]
    return " | ".join(lines[:n])[:400]


# --------------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------------


def diff(expected, actual, ignore_order=False, path="$"):
    """First difference between the input JSON value and a reader's result, or None."""
    if expected is None:
        return None if actual is None else "%s: expected null, got %s" % (path, _show(actual))
    if isinstance(expected, bool):
        if isinstance(actual, bool) and actual == expected:
            return None
        return "%s: expected bool %r, got %s" % (path, expected, _show(actual))
    if isinstance(expected, int):
        if isinstance(actual, int) and not isinstance(actual, bool) and int(actual) == expected:
            return None
        return "%s: expected int %r, got %s" % (path, expected, _show(actual))
    if isinstance(expected, float):
        if isinstance(actual, float) and (
                (math.isnan(expected) and math.isnan(actual))
                or (actual == expected and math.copysign(1, actual) == math.copysign(1, expected))):
            return None
        return "%s: expected float %r, got %s" % (path, expected, _show(actual))
    if isinstance(expected, str):
        if isinstance(actual, str) and str(actual) == expected:
            return None
        return "%s: expected str %s, got %s" % (path, _short(repr(expected)), _show(actual))
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return "%s: expected list, got %s" % (path, _show(actual))
        if len(actual) != len(expected):
            return "%s: expected list of %d, got %d items: %s" % (path, len(expected), len(actual),
                                                                   _show(actual))
        for i, (e, a) in enumerate(zip(expected, actual)):
            d = diff(e, a, ignore_order, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return "%s: expected map, got %s" % (path, _show(actual))
        for k in actual:
            if not isinstance(k, str):
                return "%s: key came back as %s %s" % (path, type(k).__name__, _short(repr(k)))
        ek, ak = list(expected), [str(k) for k in actual]
        if (sorted(ek) if ignore_order else ek) != (sorted(ak) if ignore_order else ak):
            missing = [k for k in ek if k not in ak]
            extra = [k for k in ak if k not in ek]
            if missing or extra:
                return "%s: keys differ: missing %s, unexpected %s" % (
                    path, _short(repr(missing)), _short(repr(extra)))
            return "%s: key order differs: %s" % (path, _short(repr(ak)))
        for k in ek:
            d = diff(expected[k], actual[k], ignore_order, "%s[%s]" % (path, _short(repr(k), 40)))
            if d:
                return d
        return None
    raise TypeError("unexpected input type %r" % type(expected))


def _short(s, n=160):
    return s if len(s) <= n else s[:n] + "...(%d chars)" % len(s)


def _show(v):
    return "%s %s" % (type(v).__name__, _short(repr(_plain(v))))


def _plain(v):
    """Strips OrderedDict / cfn-lint node subclasses for display."""
    if isinstance(v, dict):
        return {(_plain(k)): _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, bool) or v is None:
        return v
    for t in (str, int, float):
        if isinstance(v, t):
            return t(v)
    return v


# --------------------------------------------------------------------------------------------
# Running the emitter and the readers
# --------------------------------------------------------------------------------------------


class Outcome:
    """The emitter's output for one document and what each reader made of it."""

    def __init__(self, yaml_text, emit_error, results):
        self.yaml = yaml_text          # str, or None when the emitter failed
        self.emit_error = emit_error   # str or None
        self.results = results         # [(reader name, ("ok", value) | ("error", message))]

    def ok(self):
        return self.emit_error is None and all(r[0] == "ok" for _, r in self.results)


class Runner:
    def __init__(self, args, readers):
        self.cmd = shlex.split(args.emitter)
        self.readers = readers
        self.timeout = args.timeout
        self.ignore_order = args.ignore_key_order
        self.emits = 0

    def run(self, doc, ensure_ascii=True):
        data = json.dumps(doc, ensure_ascii=ensure_ascii).encode("utf-8")
        self.emits += 1
        try:
            p = subprocess.run(self.cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return Outcome(None, "emitter timed out after %ss" % self.timeout, [])
        except OSError as exc:
            return Outcome(None, "emitter could not be run: %s" % exc, [])
        if p.returncode != 0:
            return Outcome(None, "emitter exit %d: %s" % (p.returncode, _first_lines(p.stderr)), [])
        try:
            text = p.stdout.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Outcome(None, "emitter output is not UTF-8: %s" % exc, [])
        results = []
        for name, fn in self.readers:
            try:
                v = fn(p.stdout, text)
                if v is SAME_AS_AWSCLI:
                    continue
                results.append((name, ("ok", v)))
            except Exception as exc:  # any reader exception is a failure of the emitted YAML
                msg = "%s: %s" % (type(exc).__name__, _first_lines(str(exc), 2))
                results.append((name, ("error", msg)))
        return Outcome(text, None, results)

    def first_diff(self, expected, actual):
        return diff(expected, actual, self.ignore_order)


class Failure:
    def __init__(self, label, value, yaml_text, details):
        self.label = label
        self.value = value
        self.yaml = yaml_text
        self.details = details  # list of "reader: text"
        self.repro = None       # (string, position, yaml, details) for a random document


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.failures = []

    def ok(self, n=1):
        self.passed += n

    def fail(self, failure):
        self.failed += 1
        self.failures.append(failure)


# --------------------------------------------------------------------------------------------
# Corpus positions
# --------------------------------------------------------------------------------------------

POSITIONS = OrderedDict([
    ("value", lambda s: {"v": s}),
    ("item", lambda s: [s]),
    ("key", lambda s: {s: 0}),
    ("nested", lambda s: {"a": {"b": [s, {"c": s}]}}),
    ("sub", lambda s: {"Fn::Sub": s}),
    ("ref", lambda s: {"Ref": s}),
    ("join", lambda s: {"Fn::Join": ["", [s, s]]}),
    ("getatt", lambda s: [{"Fn::GetAtt": ["Res", s]}, {"Fn::GetAtt": [s, "Arn"]}]),
])


def applies(pos, s):
    if pos == "ref":
        return s != ""
    return True


LINE_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")


class InnerLayout:
    """{position: [wrap(s) for each string]}; attribution by list index."""
    name = "inner"

    def build(self, strings, idxs, only=None):
        doc = OrderedDict()
        units = []
        for pos, wrap in POSITIONS.items():
            if only and pos != only:
                continue
            items = [(i, wrap(strings[i])) for i in idxs if applies(pos, strings[i])]
            if items:
                doc[pos] = [w for _, w in items]
                units += [(i, pos, w) for i, w in items]
        return doc, units

    def extract(self, doc, parsed):
        if not isinstance(parsed, dict) or [str(k) for k in parsed] != list(doc):
            return None
        out = []
        for pos in doc:
            got = parsed[pos]
            if not isinstance(got, list) or len(got) != len(doc[pos]):
                return None
            out += got
        return out


class TopKeyLayout:
    """{s: j} at the top level of the document; attribution by entry order."""
    name = "topkey"

    def build(self, strings, idxs, only=None):
        doc = OrderedDict()
        units = []
        for j, i in enumerate(idxs):
            doc[strings[i]] = j
            units.append((i, "topkey", {strings[i]: j}))
        return doc, units

    def extract(self, doc, parsed):
        if not isinstance(parsed, dict) or len(parsed) != len(doc):
            return None
        return [{k: v} for k, v in parsed.items()]


def yaml_excerpt(text, limit=14, width=150):
    """The first lines of emitted YAML, with invisible characters shown as <NAME> or <U+XXXX>."""
    if text is None:
        return ["(no output)"]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out = [_short(_visible(line), width) for line in lines[:limit]]
    if len(lines) > limit:
        out.append("... (%d more lines)" % (len(lines) - limit))
    return out


_NAMES = {"\t": "<TAB>", "\r": "<CR>", "\x85": "<NEL>", "\xa0": "<NBSP>", "\ufeff": "<BOM>",
          "\u2028": "<LS>", "\u2029": "<PS>"}


def _visible(line):
    return "".join(_NAMES.get(c) or (c if c.isprintable() else "<U+%04X>" % ord(c)) for c in line)


class CorpusCheck:
    def __init__(self, runner, report, strings, label="corpus"):
        self.runner = runner
        self.report = report
        self.strings = strings
        self.label = label

    def run_group(self, layout, idxs):
        doc, units = layout.build(self.strings, idxs)
        if not units:
            return
        out = self.runner.run(doc)
        extracted = {}
        whole_ok = out.ok()
        if whole_ok:
            for name, (_, value) in out.results:
                got = layout.extract(doc, value)
                if got is None or len(got) != len(units):
                    whole_ok = False
                    break
                extracted[name] = got
        if not whole_ok:
            if len(idxs) == 1:
                self.single_positions(layout, idxs[0], [pos for _, pos, _ in units])
            else:
                mid = len(idxs) // 2
                self.run_group(layout, idxs[:mid])
                self.run_group(layout, idxs[mid:])
            return
        suspects = OrderedDict()
        for k, (i, pos, expected) in enumerate(units):
            bad = any(self.runner.first_diff(expected, extracted[name][k]) for name in extracted)
            if bad:
                suspects.setdefault(i, []).append(pos)
            else:
                self.report.ok()
        for i, positions in suspects.items():
            self.single_positions(layout, i, positions, batch_yaml=out.yaml)

    def single_positions(self, layout, i, positions, batch_yaml=None):
        s = self.strings[i]
        for pos in positions:
            doc, units = layout.build(self.strings, [i], only=pos)
            out = self.runner.run(doc)
            details = describe(self.runner, out, lambda v: layout.extract(doc, v),
                               [u[2] for u in units])
            if details is None and batch_yaml is not None:
                details = ["passes alone but failed inside the batched document"]
                out = Outcome(batch_yaml, None, [])
            if details is None:
                self.report.ok()
            else:
                label = "%s[%d] as %s" % (self.label, i, pos)
                self.report.fail(Failure(label, s, out.yaml, details))

    def nowrap(self, idxs):
        """A string without line breaks must render on as many lines as a short word does."""
        idxs = [i for i in idxs if not any(b in self.strings[i] for b in LINE_BREAKS)]
        if idxs:
            self._nowrap_group(idxs)

    def _nowrap_group(self, idxs):
        doc = {"nowrap": OrderedDict(("k%d" % j, self.strings[i]) for j, i in enumerate(idxs))}
        ref = {"nowrap": OrderedDict(("k%d" % j, "x") for j in range(len(idxs)))}
        out, ref_out = self.runner.run(doc), self.runner.run(ref)
        if out.yaml is not None and ref_out.yaml is not None and \
                _lines(out.yaml) == _lines(ref_out.yaml):
            self.report.ok(len(idxs))
            return
        if len(idxs) > 1:
            mid = len(idxs) // 2
            self._nowrap_group(idxs[:mid])
            self._nowrap_group(idxs[mid:])
            return
        i = idxs[0]
        if out.yaml is None:
            details = [out.emit_error]
        elif ref_out.yaml is None:
            details = ["reference document failed: %s" % ref_out.emit_error]
        else:
            details = ["line-wrapped: {\"nowrap\": {\"k0\": s}} took %d lines, with \"x\" %d lines"
                       % (_lines(out.yaml), _lines(ref_out.yaml))]
        self.report.fail(Failure("%s[%d] as nowrap" % (self.label, i), self.strings[i], out.yaml,
                                 details))


def _lines(text):
    return len(text.rstrip("\n").split("\n"))


def describe(runner, out, extract, expected_units):
    """None when every reader returned exactly the input; else one line per reader."""
    if out.emit_error:
        return [out.emit_error]
    details = []
    bad = False
    for name, (kind, value) in out.results:
        if kind == "error":
            details.append("%s: %s" % (name, value))
            bad = True
            continue
        got = extract(value)
        if got is None or len(got) != len(expected_units):
            details.append("%s: unexpected document shape: %s" % (name, _show(value)))
            bad = True
            continue
        diffs = [runner.first_diff(e, a) for e, a in zip(expected_units, got)]
        diffs = [d for d in diffs if d]
        if diffs:
            bad = True
            details.append("%s: %s" % (name, diffs[0]))
        else:
            details.append("%s: ok" % name)
    return details if bad else None


# --------------------------------------------------------------------------------------------
# Fixed documents: numbers, booleans, null, empty containers, top-level scalars
# --------------------------------------------------------------------------------------------

NUMBERS = [0, -1, 1, 42, 10240, 493, 123456789012, 123456789012345, 9223372036854775807,
           -9223372036854775808, 18446744073709551615,
           1.5, 0.1, 1e-7, -0.0, 0.0, 1.0, 100.0, -2.5, 3.0, 1.1, 0.30000000000000004, 1e20, 1e21,
           1e-5, 1e100, 1.5e300, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
           123456.789, -1e-7, 6.02214076e23, 1e15, 1e16, 1e17, 12345678901234567890.0]


def fixed_documents():
    docs = OrderedDict()
    docs["numbers"] = {"numbers": NUMBERS, "as_values": OrderedDict(("n%d" % i, n)
                                                                    for i, n in enumerate(NUMBERS))}
    docs["literals"] = OrderedDict([("t", True), ("f", False), ("null", None),
                                    ("list", [True, False, None]),
                                    ("empty_list", []), ("empty_map", {}),
                                    ("empty_string", "")])
    docs["nested_empty"] = OrderedDict([
        ("a", [[]]), ("b", [{}]), ("c", {"d": {}}), ("e", [[], {}, [[]], [{}], {"f": []}]),
        ("g", {"h": {"i": {"j": []}}}), ("k", [[[[]]]]), ("l", [None, "", [], {}]),
        ("m", {"": {}}), ("n", {"Fn::Join": ["", []]}), ("o", {"Ref": "X", "Extra": []})])
    docs["intrinsics"] = OrderedDict([
        ("ref", {"Ref": "MyBucket"}), ("getatt", {"Fn::GetAtt": ["MyFunction", "Arn"]}),
        ("getatt_dots", {"Fn::GetAtt": ["Db", "Endpoint.Address"]}),
        ("getatt_first_dot", {"Fn::GetAtt": ["A.B", "C"]}),
        ("sub_list", {"Fn::Sub": ["${A}-${B}", OrderedDict([("A", "x"), ("B", {"Ref": "Y"})])]}),
        ("nested", {"Fn::Base64": {"Fn::Sub": "#!/bin/bash\necho ${AWS::Region}\n"}}),
        ("if", {"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, [1, "2", 3.0]]}),
        ("select", {"Fn::Select": [0, {"Fn::GetAZs": ""}]}),
        ("cidr", {"Fn::Cidr": ["10.0.0.0/16", 6, 8]}),
        ("equals", {"Fn::Equals": ["true", True]}),
        ("findinmap", {"Fn::FindInMap": ["M", "no", "0755"]}),
        ("condition", {"Condition": "IsProd"}),
        ("split", {"Fn::Split": [",", "a,b"]}),
        ("importvalue", {"Fn::ImportValue": {"Fn::Sub": "${Env}-Vpc"}}),
        ("two_keys", OrderedDict([("Ref", "A"), ("Fn::Sub", "B")])),
        ("not_intrinsic", {"Fn::Nope": "x"}),
    ])
    return docs


TOP_LEVEL = ["", "no", "y", "0755", "12:30", "~", "---", "...", "--- a", "%YAML 1.1", "# c",
             "\ufeffa", "\ufeff", "a\nb\n", "  a\nb", "\u2028", "a: b", "!Ref X", "<<", "=",
             0, -1, 1.5, -0.0, True, False, [], {}, [None], ["---"], {"---": "..."},
             {"...": ["---"]}]


def check_fixed(runner, report):
    for name, doc in fixed_documents().items():
        out = runner.run(doc)
        details = describe(runner, out, lambda v: [v], [doc])
        if details is None:
            report.ok(len(doc))
        else:
            report.fail(Failure("fixed document %r" % name, doc, out.yaml, details))
    for j, doc in enumerate(TOP_LEVEL):
        out = runner.run(doc)
        details = describe(runner, out, lambda v: [v], [doc])
        if details is None:
            report.ok()
        else:
            report.fail(Failure("top-level document %d" % j, doc, out.yaml, details))


# --------------------------------------------------------------------------------------------
# Random documents
# --------------------------------------------------------------------------------------------

HOSTILE = (list("-?:,[]{}#&*!|>'\"%@`~=<+._/\\$ ") + [" ", " ", "\t", "\n", "\n", "\r", "\r\n"]
           + list("0123456789") + list("aAyYnNoOeEx") + list(":#")
           + ["\x85", "\u2028", "\u2029", "\ufeff", "\xa0", "é", "日", "\U0001F600", "\u200b",
              "\x00", "\x01", "\x07", "\x0b", "\x1b", "\x7f", "\x9f", "\ufffe", "\uffff", "\ufffd"])
WORDS = ["y", "n", "no", "yes", "On", "off", "true", "False", "null", "~", "<<", "=", "0755",
         "0x1F", "1_000", "12:30", "1e5", "1.0e+5", ".inf", ".NaN", "2001-12-14", "---", "...",
         "- ", "? ", ": ", " #", "&a", "*a", "!Ref", "%YAML", "@", "`", "|", ">", "'", '"', "\\",
         "${AWS::Region}", "Fn::Sub", "arn:aws:s3:::b/*", "0o17", "-.5", "+1", "08", "1:2"]
INTRINSIC_KEYS = ["Ref", "Condition", "Fn::Sub", "Fn::Base64", "Fn::GetAZs", "Fn::ImportValue",
                  "Fn::Join", "Fn::Select", "Fn::If", "Fn::GetAtt", "Fn::Split", "Fn::FindInMap"]


class RandomDocs:
    def __init__(self, seed, corpus):
        self.r = random.Random(seed)
        self.corpus = corpus

    def string(self):
        r = self.r
        roll = r.random()
        if roll < 0.2 and self.corpus:
            s = r.choice(self.corpus)
            return s if len(s) < 200 else s[:r.randint(0, 200)]
        if roll < 0.45:
            parts = [r.choice(WORDS) if r.random() < 0.6 else r.choice(HOSTILE)
                     for _ in range(r.randint(1, 4))]
            return "".join(parts)
        if roll < 0.5:
            return "".join(r.choice(HOSTILE) for _ in range(r.randint(100, 1200)))
        return "".join(r.choice(HOSTILE) for _ in range(r.randint(0, 12)))

    def scalar(self):
        r = self.r
        roll = r.random()
        if roll < 0.55:
            return self.string()
        if roll < 0.7:
            return r.choice([0, 1, -1, 7, 493, 2 ** 31, 2 ** 53 + 1, -2 ** 63, 2 ** 63 - 1,
                             r.randint(-10 ** 12, 10 ** 12), r.randint(0, 100)])
        if roll < 0.85:
            return r.choice([0.0, -0.0, 0.5, 1.0, 1e-7, 1e20, 1.5e300, 5e-324, 0.1, 100.0,
                             r.uniform(-1e6, 1e6), r.uniform(0, 1) * 10 ** r.randint(-30, 30)])
        if roll < 0.95:
            return r.choice([True, False])
        return None

    def node(self, depth):
        r = self.r
        roll = r.random()
        if depth <= 0 or roll < 0.35:
            return self.scalar()
        if roll < 0.45:
            return self.intrinsic(depth)
        if roll < 0.5:
            return r.choice([[], {}])
        if roll < 0.75:
            return [self.node(depth - 1) for _ in range(r.randint(1, 5))]
        return self.mapping(depth)

    def mapping(self, depth):
        m = OrderedDict()
        for _ in range(self.r.randint(1, 6)):
            k = self.string()
            if k not in m:
                m[k] = self.node(depth - 1)
        return m

    def intrinsic(self, depth):
        r = self.r
        key = r.choice(INTRINSIC_KEYS)
        if key == "Fn::GetAtt":
            return {key: [self.string(), self.string()]}
        if key in ("Fn::Join", "Fn::Split"):
            return {key: [self.string(), [self.node(depth - 1) for _ in range(r.randint(0, 3))]]}
        if key == "Fn::Sub" and r.random() < 0.4:
            return {key: [self.string(), {self.string(): self.node(depth - 1)}]}
        if key in ("Fn::Select", "Fn::If", "Fn::FindInMap"):
            return {key: [self.node(depth - 1) for _ in range(3)]}
        if r.random() < 0.15:
            return {key: self.node(depth - 1)}
        return {key: self.string()}

    def document(self):
        return self.mapping(4)


def json_rendering(cmd, doc, timeout):
    """The emitter's JSON rendering of doc, parsed; or an error text."""
    p = subprocess.run(cmd, input=json.dumps(doc).encode("utf-8"), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    if p.returncode != 0:
        return None, "JSON emitter exit %d: %s" % (p.returncode, _first_lines(p.stderr))
    return json.loads(p.stdout.decode("utf-8")), None


def check_random(runner, report, n, seed, corpus, max_reduce, json_emitter=None):
    gen = RandomDocs(seed, corpus)
    for k in range(n):
        doc = gen.document()
        out = runner.run(doc, ensure_ascii=(k % 2 == 0))
        details = describe(runner, out, lambda v: [v], [doc])
        if details is None and json_emitter:
            # The same tree's JSON output must mean what awscli reads from its YAML output.
            rendered, err = json_rendering(json_emitter, doc, runner.timeout)
            got = dict(out.results).get("awscli")
            if err:
                details = ["json: " + err]
            elif got is not None and got[0] == "ok":
                d = runner.first_diff(rendered, got[1])
                if d:
                    details = ["awscli yaml_parse vs the JSON output: " + d]
        if details is None:
            report.ok()
            continue
        # Find a small reproduction: the first string of the document that fails on its own.
        failure = Failure("random document %d (seed %d)" % (k, seed), doc, out.yaml, details)
        if len(report.failures) < max_reduce:
            failure.repro = _first_failing_string(runner, doc)
        report.fail(failure)


def _strings_in(v, out):
    if isinstance(v, str):
        out.append(v)
    elif isinstance(v, list):
        for x in v:
            _strings_in(x, out)
    elif isinstance(v, dict):
        for k, x in v.items():
            out.append(k)
            _strings_in(x, out)
    return out


def _first_failing_string(runner, doc):
    layout = InnerLayout()
    for s in sorted(set(_strings_in(doc, [])), key=len)[:60]:
        for pos in POSITIONS:
            if not applies(pos, s):
                continue
            d, units = layout.build([s], [0], only=pos)
            out = runner.run(d)
            details = describe(runner, out, lambda v: layout.extract(d, v), [u[2] for u in units])
            if details is not None:
                return s, pos, out.yaml, details
    return None


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def print_failure(n, f):
    print("--- FAIL %d: %s" % (n, f.label))
    print("  input:   %s" % _short(repr(_plain(f.value)), 300))
    print("  yaml:")
    for line in yaml_excerpt(f.yaml):
        print("    | " + line)
    for d in f.details:
        print("  " + _short(d, 400))
    if f.repro:
        s, pos, yaml_text, details = f.repro
        print("  reduced: the string %s fails alone as %s:" % (_short(repr(s), 200), pos))
        for line in yaml_excerpt(yaml_text):
            print("    | " + line)
        for d in details:
            print("    " + _short(d, 400))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--emitter", required=True, help="command: JSON on stdin -> YAML on stdout")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS, help="JSON array of strings")
    ap.add_argument("--yamlcpp-reader", help="command: YAML on stdin -> JSON on stdout (yaml-cpp)")
    ap.add_argument("--lambdaform-reader",
                    help="command: YAML on stdin -> JSON on stdout (lambdaform's own libyaml loader)")
    ap.add_argument("--random", type=int, default=0, metavar="N", help="N random documents")
    ap.add_argument("--seed", type=int, default=0, metavar="S", help="seed for --random")
    ap.add_argument("--json-emitter", help="command: JSON on stdin -> the emitter's JSON output; "
                    "random documents are also compared with awscli's reading of the YAML")
    ap.add_argument("--no-cfn-lint", action="store_true", help="do not use cfn-lint's loader")
    ap.add_argument("--ignore-key-order", action="store_true", help="accept reordered map keys")
    ap.add_argument("--allow-wrap", action="store_true", help="skip the no-line-wrapping check")
    ap.add_argument("--max-failures", type=int, default=20, help="failures printed in full")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per emitter/reader run")
    args = ap.parse_args(argv)

    with open(args.corpus, encoding="utf-8") as f:
        strings = json.load(f)
    if not isinstance(strings, list) or not all(isinstance(s, str) for s in strings):
        ap.error("%s: expected a JSON array of strings" % args.corpus)
    if len(set(strings)) != len(strings):
        ap.error("%s: duplicate strings (top-level keys must be unique)" % args.corpus)

    readers, notes = make_readers(args)
    for note in notes:
        print("reader: " + note)
    runner = Runner(args, readers)
    report = Report()

    # Preflight: a broken command line should be one clear error, not thousands of failures.
    out = runner.run({"a": "b"})
    if out.emit_error or not out.results:
        print("error: the emitter cannot render {\"a\": \"b\"}: %s" % out.emit_error)
        return 2
    broken = [(name, r[1]) for name, r in out.results if r[0] != "ok"]
    if broken:
        print("error: a reader cannot read the emitter's rendering of {\"a\": \"b\"}:")
        for line in yaml_excerpt(out.yaml):
            print("    | " + line)
        for name, msg in broken:
            print("  %s: %s" % (name, msg))
        return 2

    check = CorpusCheck(runner, report, strings)
    idxs = list(range(len(strings)))
    check.run_group(InnerLayout(), idxs)
    check.run_group(TopKeyLayout(), idxs)
    if args.allow_wrap:
        print("nowrap check: skipped (--allow-wrap)")
    else:
        check.nowrap(idxs)
    check_fixed(runner, report)
    if args.random:
        check_random(runner, report, args.random, args.seed, strings, args.max_failures,
                     shlex.split(args.json_emitter) if args.json_emitter else None)

    for n, f in enumerate(report.failures[:args.max_failures], 1):
        print_failure(n, f)
    if len(report.failures) > args.max_failures:
        print("... %d more failures not shown; all failing labels:" %
              (len(report.failures) - args.max_failures))
        for f in report.failures[args.max_failures:]:
            print("  %s: %s" % (f.label, _short(repr(f.value), 80)))
    print("corpus: %d strings from %s; %d emitter runs; readers: %s" % (
        len(strings), os.path.relpath(args.corpus), runner.emits,
        ", ".join(name for name, _ in readers if name != "pyyaml")
        + " (+ pyyaml when the output is JSON)"))
    print("yaml-roundtrip: %d passed, %d failed" % (report.passed, report.failed))
    return 0 if report.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
