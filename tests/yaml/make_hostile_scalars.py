#!/usr/bin/env python3
"""Regenerates tests/yaml/hostile_scalars.json, the hostile-scalar corpus for roundtrip_check.py.

Every entry is a JSON string that a YAML emitter must write so that a YAML 1.1 reader (PyYAML, as
used by awscli and cfn-lint; CloudFormation itself) and yaml-cpp read back the very same string.
Most of them are strings a naive emitter writes plain (and that then resolve to a bool, int, float,
null, timestamp, merge key, alias, tag, comment, ...), or strings that stress quoting, escaping,
block scalars and line folding.

The output is deterministic: groups in a fixed order, entries in the order written here, duplicates
dropped (first occurrence kept), one string per line. Non-printable, invisible and line-breaking
characters are written as \\u escapes (characters outside the BMP as surrogate pairs) so that the
file is reviewable; printable non-ASCII text (é, 日本語, RTL text) is written as UTF-8.

    python3 tests/yaml/make_hostile_scalars.py            # rewrites hostile_scalars.json
    python3 tests/yaml/make_hostile_scalars.py --check    # exits 1 if the file is stale
"""
import json
import os
import sys
import unicodedata

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hostile_scalars.json")


def group_booleans():
    words = ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
             "true", "True", "TRUE", "false", "False", "FALSE",
             "on", "On", "ON", "off", "Off", "OFF"]
    near = ["yES", "yEs", "YeS", "nO", "oN", "oFF", "OfF", "tRUE", "TrUe", "fALSE", "FaLsE",
            "yess", "noo", "tru", "t", "f", "T", "F",
            "+", "1", "0"]
    variants = []
    for w in ["yes", "no", "y"]:
        variants += [" " + w, w + " ", w + "\n", w + "\t", w + ":", w + " # c"]
    return words + near + variants


def group_nulls():
    return ["~", "null", "Null", "NULL", "", "nULL", "NuLL", "nulL", "nul", "nulls",
            "None", "none", "NONE", "nil", "Nil", "NaN", "undefined", "~~", "~ ", " ~", "~a",
            "a~", "!!null", "!!null ''", "null\n"]


def group_ints():
    return [
        "0", "1", "-1", "+1", "-0", "+0", "00", "007", "42", "10240",
        # YAML 1.1 octal (0-prefixed) and its near misses; 08/09 are strings in 1.1, ints in 1.2
        "0755", "01", "010", "017", "-017", "+017", "08", "09", "0_7",
        "0o17", "0O17", "0o", "0o8", "-0o17",
        # hex / binary
        "0x1F", "0x1f", "0X1F", "0x", "0xG", "0x_1F", "0x1_F", "-0x1F", "+0x1f",
        "0xffffffffffffffffff", "0b1010", "0B1010", "0b", "0b2", "0b_1", "0b1_0",
        "-0b101",
        # underscores
        "1_000", "1__0", "1_", "_1", "_", "-1_000", "0_", "1,000",
        "1 000",
        # sexagesimal (base 60) ints
        "190:20:30", "-190:20:30", "+190:20:30", "1:00:00", "1:2:3:4",
        # big numbers, account ids
        "123456789012", "0123456789012", "123456789012345", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "99999999999999999999999999",
        "1" * 100,
    ]


def group_floats():
    return [
        "1.0", "1.", "0.", "0.0", "-0.0", "+0.0", ".0", ".5", "-.5", "+.5", "0.1", "1.5",
        "00.5", "1.10", "1.20", "3.0", "1.5e300",
        "1e5", "1E5", "1e+5", "1E+5", "1e-5", "1e05", "12e03", "-1e5",
        "1.0e5", "1.0e+5", "1.0E+5", "1.0e-5", "1.0e", "1.0e+", "1.e+5", ".1e+5", ".5e+3",
        "6.8523015e+5", "685.230_15e+03", "685_230.15", "1_0.5", "._5",
        "190:20:30.15", "1:30.5", "-1:30.5",
        ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf",
        ".nan", ".NaN", ".NAN", "-.nan", "+.nan",
        "inf", "Inf", "INF", "-inf", "infinity", "Infinity", "nan", "NaN",
        "1.2.3", "1..2", ".", "..", "1.0.0", "0.0.0.0", "v1.0", "1.0-beta",
        "1e1000", "4.9e-324", "0x1p3",
    ]


def group_timestamps():
    return [
        "2001-12-14", "2002-12-14", "2010-09-09", "2012-10-17", "2008-10-17", "1970-01-01",
        "0000-00-00", "9999-12-31",
        "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
        "2001-12-15T02:59:43.1Z", "2001-12-15 2:59:43.10", "2001-12-14T21:59:43Z",
        "2001-12-14T21:59:43+01:00", "1999-12-31T23:59:59.999999999Z",
        # match the timestamp pattern but are not valid dates: PyYAML raises ValueError
        "2001-13-45", "2001-02-30", "2001-12-14T25:00:00",
        # do not match the pattern
        "2001-1-1", "01-12-2001", "2001/12/14", "20011214", "2001-12", "2001-12-14x",
        "2001-12-14 ", " 2001-12-14",
    ]


def group_times():
    return [
        "12:30", "12:30:45", "1:2", "0:0", "00:00", "24:00", "23:59:59", "59:59", "12:60",
        "12:30:45.5", "-1:30", "+1:30", "1:30:", ":30", "12:30 PM", "12:30Z", "1:2:3",
        "60:00", "12 30", "12:30:",
    ]


def group_merge_value():
    return ["<<", "=", "<< ", " <<", "<<:", "<<: *a", "==", "= ", " =", "=a", "a=",
            "!=", "<=", ">=", "<", ">>", "<<<", "=>", "-<<", "<<a"]


def group_whitespace():
    return [" ", "  ", "\t", "\t\t", " \t", "\t ", " a", "a ", "  a", "a  ", " a ", "\ta",
            "a\t", "\ta\t", "a\tb", "a \t b", "a  b", "a\t\tb", "\t#", " #", "a\t#b",
            "\u3000", "\u2003", "\u200b", "a\u200bb"]


INDICATORS = list("-?:,[]{}#&*!|>'\"%@`")


def group_indicators():
    out = []
    for c in INDICATORS:
        out += [c, c + "a", c + " a", "a " + c + " b"]
    out += [
        "- ", "-1a", "-.", "--", "-- -", "- - -", "? ", "?a", ": ", ":a", "::", ":::", "a::b",
        "a:b", "a: b", "a :b", "a : b", "a:\tb", "a:", "a: ", "key: value", "http://x",
        "a #b", "a#b", "#a", "# a", "a # b # c",
        "&anchor", "&a a", "*alias", "*a b", "&a [1]",
        "!tag", "!!str", "!!str x", "!!int 1", "!!binary aGVsbG8=", "!<tag:yaml.org,2002:str> x",
        "!Ref X", "!GetAtt A.B", "!Sub ${X}", "!Base64 abc",
        "|-", "|+", "|2", "|2-", ">-", ">+",
        "'a'", "'a", "a'", "''", "'''", '"a"', '"a', 'a"', '""', "'\"", "\"'",
        "%YAML", "%YAML 1.2", "%TAG ! !", "%", "%a", "@", "@foo", "@foo bar", "`", "`cmd`",
        "a,b", "a, b", "[a]", "{a}", "[]", "{}", "[a, b]", "{a: b}", "[[]]", "{{}}", "a[b]",
        "${a}", "{{a}}", "{ }", "[ ]", "a,",
    ]
    return out


def group_document_markers():
    return ["---", "...", "--- a", "... a", "---a", "...a", "----", "....", "---\n", "...\n",
            "a\n---\nb", "a\n...\nb", "--- |", "---#", "--- # c", "--- !Ref x", "---\n---",
            " ---", "a\n---", "---\na"]


def group_quotes_backslashes():
    return ["it's", "it''s", "'quoted'", 'say "hi"', "a\\b", "\\", "\\\\", "\\n", "\\t", "\\0",
            "\\x00", "\\u2028", "\\U0001F600", "\\N", "\\L", "\\_", "\\ ", "\\\"", "\\'",
            "C:\\Program Files\\x", "\\\\server\\share", "a\\", "'\\'", "\"\\\"", "'\"'", "\"'\"",
            "''''", '""""', "a'b\"c\\d", "'a' 'b'", "\"a\" \"b\""]


def group_multiline():
    py = "def handler(event, context):\n    return {\n        'statusCode': 200,\n    }\n"
    return [
        "a\nb", "a\n", "a\nb\n", "a\n\n", "a\n\n\n", "a\nb\n\n\n", "\na", "\n\na", "\n\n\na\n",
        "\n", "\n\n", "\n\n\n", " \n", "\n ", "\n \n", "\t\n", "\n\t",
        # leading spaces on the first line: a literal block needs an indentation indicator
        " a\nb", "  a\nb", " a\n b", "  a\n    b\n", " \na", "\n  a", "\n\n  a\nb",
        "\ta\nb", "a\n\tb", "a\n  b\n    c",
        # trailing spaces on lines, whitespace-only lines
        "a \nb", "a  \nb  \n", "a\n \nb", "a\n  \n", "a\t\nb", "x\n\n\ny",
        # lines that look like YAML syntax
        "a\n# not a comment", "a\n- b", "a\n---\nb", "a\n...\n", "key: value\nother: x",
        "a: b\n", "- a\n- b\n", "|\na", ">\na", "#!/bin/bash\necho hi\n",
        "#!/bin/bash\nset -euo pipefail\naws s3 cp s3://b/k /tmp/k\n",
        py, "{\n  \"a\": 1\n}\n", "yes\nno", "no\n", "~\n", "12:30\n",
        # CR, CRLF, lone CR and the other YAML 1.1 line breaks
        "\r\n", "\r", "\r\r", "a\r\nb", "a\r\nb\r\n", "a\rb", "a\r", "\ra", "a\n\rb", "a\r\n",
        "line1\n\nline3", "a\n\u00a0b", "\u00a0\na",
    ]


def group_control_chars():
    out = []
    for cp in list(range(0x00, 0x20)) + [0x7F]:
        ch = chr(cp)
        out.append(ch)
        if cp in (0x00, 0x01, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B, 0x1F, 0x7F):
            out.append("a" + ch + "b")
    for cp in [0x80, 0x84, 0x85, 0x86, 0x9B, 0x9F]:
        ch = chr(cp)
        out += [ch, "a" + ch + "b"]
    out += ["\x85a", "a\x85", "\x1b[31mred\x1b[0m", "a\x00", "\x00a", "\x00\x00"]
    return out


def group_special_unicode():
    return [
        "\u00a0", "\u00a0a", "a\u00a0", "a\u00a0b", "\u00a0\u00a0",
        "\u2028", "a\u2028b", "\u2028a", "a\u2028", "\u2029", "a\u2029b", "a\u2029",
        "a\u2028\u2029b", "a\n\u2028b",
        "\ufeff", "\ufeffa", "a\ufeffb", "a\ufeff", "\ufeff\ufeff", "\ufeff---",
        "\ufffe", "a\ufffeb", "\uffff", "a\uffffb", "\ufffd", "a\ufffdb",
        "\u200e", "\u200f", "\u202e", "a\u202eb", "\u2060", "\ue000", "\ud7ff",
        "\U0010ffff", "\U0010fffe", "\U0001f600", "a\U0001f600b", "\U0001d11e",
    ]


def group_non_ascii():
    return [
        "é", "ü", "ß", "İ", "naïve café", "Ünïcödé", "e\u0301", "ﬁ", "€100",
        "日本語", "中文", "한국어", "テスト: 値", "日本語\n中文",
        "\U0001f600", "😀 smile", "👍🏽", "👨\u200d👩\u200d👧", "🇺🇸",
        "𝐀𝐁𝐂",
        "שלום", "مرحبا", "שלום world", "abc مرحبا 123",
        "Ελληνικά", "Привет", "ñ: ñ", "é # é", "\u00e9\n", "🚀\n🚀",
    ]


def group_long():
    word = "abcdefghij" * 200
    spaced = " ".join(["word"] * 400) + "."
    return [
        word,
        spaced,
        "x" * 1023, "x" * 1024, "x" * 1025,
        "a " * 600,
        ("it's " * 300).rstrip(),
        ("line\n" * 200),
        "1" * 2000,
        "é" * 1500,
        ("key: value # " * 150).rstrip(),
        ("\u2028" * 10) + "x" * 1000,
        "x" * 1000 + "\t" + "y" * 1000,
        " " + "z" * 1999,
        "q" * 1999 + " ",
    ]


def group_cloudformation():
    return [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:s3:::my-bucket/*", "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST",
        "arn:${AWS::Partition}:s3:::${Bucket}/*",
        "${AWS::Region}", "${AWS::StackName}-bucket", "${!Literal}", "${AWS::AccountId}",
        "Fn::Sub", "Fn::GetAtt", "Fn::Join", "Ref", "Condition", "Fn::If", "Ref::X",
        "AWS::Lambda::Function", "AWS::Serverless-2016-10-31",
        "{{resolve:ssm:/a/b}}", "{{resolve:secretsmanager:MySecret:SecretString:password}}",
        "python3.12", "nodejs20.x", "index.handler",
        "$LATEST", "*", "*.example.com", "s3:GetObject", "s3:*", "*:*",
        "10.0.0.0/16", "0.0.0.0/0", "::/0", "::1",
        "sg-0123", "sg-0123456789abcdef0",
        "0123456789012", "123456789012", "us-east-1", "t3.micro",
        "/aws/lambda/f", "Name=value", "KEY=VALUE=2", "rate(5 minutes)", "cron(0 12 * * ? *)",
        "Allow", "128", "3008", "0.5", "PT1H", "1.10", "3.0",
        "On-Demand", "{\"a\": 1}", "[\"a\", 1]", "LogGroup.Arn", "A.B.C", "My Bucket",
        "true|false", "yes/no", "Yes-No", "application/json",
        "s3://bucket/key", "https://example.com/a?b=c#d", "user@example.com", "%s",
        "@timestamp", "$.detail", "$[0]", "#{Token}", "!Ref X", "Ref: X", "{Ref: X}",
        "- !Ref X", "Fn::Sub: x", "!GetAtt A.B.C",
    ]


def group_yaml11_vs_12():
    return ["0o17", "0b1010", "1_000", "0x_1F", "+.inf", "1__0", "1.2.3", "08", "1e5", "-.5",
            "+12", "0xFF", "0Xff", "1E5", ".5e+3", "12e03", "1.0E+5", "0b", "0o0", "-0o0",
            "0.1e1", "1e-7", "1e-07", "1.0e-07", "5e-324", "1.7976931348623157e+308",
            "-0", "0e0", "0E0", "0.e0"]


GROUPS = [
    group_booleans, group_nulls, group_ints, group_floats, group_timestamps, group_times,
    group_merge_value, group_whitespace, group_indicators, group_document_markers,
    group_quotes_backslashes, group_multiline, group_control_chars, group_special_unicode,
    group_non_ascii, group_long, group_cloudformation, group_yaml11_vs_12,
]


def corpus():
    seen = set()
    out = []
    for g in GROUPS:
        for s in g():
            assert isinstance(s, str)
            assert not any(0xD800 <= ord(c) <= 0xDFFF for c in s), "lone surrogate"
            if s not in seen:
                seen.add(s)
                out.append(s)
    return out


def visible(ch):
    """True when a character is written raw (UTF-8) in the JSON file."""
    if ch in ('"', "\\"):
        return False
    if ch == " ":
        return True
    if ord(ch) < 0x80:
        return 0x21 <= ord(ch) <= 0x7E
    if ord(ch) > 0xFFFF:
        return False  # astral: written as a surrogate pair so the file exercises decoding them
    return unicodedata.category(ch)[0] in "LMNPS" and ch not in "\ufffd"


def encode(s):
    parts = ['"']
    for ch in s:
        if visible(ch):
            parts.append(ch)
        elif ch in '"\\':
            parts.append("\\" + ch)
        elif ch == "\n":
            parts.append("\\n")
        elif ch == "\t":
            parts.append("\\t")
        elif ch == "\r":
            parts.append("\\r")
        else:
            cp = ord(ch)
            if cp > 0xFFFF:
                cp -= 0x10000
                parts.append("\\u%04x\\u%04x" % (0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF)))
            else:
                parts.append("\\u%04x" % cp)
    parts.append('"')
    return "".join(parts)


def render():
    items = corpus()
    lines = ["["]
    for i, s in enumerate(items):
        lines.append("  " + encode(s) + ("," if i + 1 < len(items) else ""))
    lines.append("]")
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == items
    return text


def main():
    text = render()
    if "--check" in sys.argv[1:]:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                print("hostile_scalars.json is stale: run tests/yaml/make_hostile_scalars.py")
                return 1
        print("hostile_scalars.json is up to date (%d strings)" % len(json.loads(text)))
        return 0
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print("wrote %s (%d strings)" % (OUT, len(json.loads(text))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
