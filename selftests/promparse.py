#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""A small, strict parser of the Prometheus text exposition format 0.0.4.

Written for the heartbeat tests, where promtool is not available. It is
stricter than Prometheus itself: every family needs exactly one HELP and
one TYPE line before its first sample, a family's samples form one group,
counters end in _total and histograms must be cumulative.

    parse(text) -> {name: {"type": ..., "help": ...,
                           "samples": [(name, {label: value}, float)]}}

raises ValueError("line N: ...") on the first problem. As a command:

    promparse.py FILE|-      exit 0 and a summary line, or exit 1
    promparse.py --self-test known-bad inputs must be refused
"""
import math
import re
import sys

METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*\Z")
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")
# Go's strconv.ParseFloat would take more (hex, "inf", underscores after
# a base prefix); nothing we print needs them, so they are refused.
FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
SPECIAL = {"+Inf": math.inf, "Inf": math.inf, "-Inf": -math.inf,
           "NaN": math.nan}
TIMESTAMP = re.compile(r"-?[0-9]+\Z")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")
BLANK = " \t"
# "# HELP name text" and "# TYPE name type"; any other "#" line is a comment.
META = re.compile(r"#[ \t]+(HELP|TYPE)[ \t]+([^ \t]+)(?:[ \t]+(.*))?\Z")


class _Error(ValueError):
    pass


def _fail(lineno, msg):
    raise _Error("line %d: %s" % (lineno, msg))


def parse_value(text, lineno, what="value"):
    if text in SPECIAL:
        return SPECIAL[text]
    if not FLOAT.match(text):
        _fail(lineno, "bad %s %r" % (what, text))
    return float(text)


def _unescape_help(text, lineno):
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            if i + 1 == len(text):
                _fail(lineno, "HELP ends in a lone backslash")
            nxt = text[i + 1]
            if nxt == "\\":
                out.append("\\")
            elif nxt == "n":
                out.append("\n")
            else:
                _fail(lineno, "bad escape \\%s in HELP" % nxt)
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _skip_blank(line, i):
    while i < len(line) and line[i] in BLANK:
        i += 1
    return i


def _parse_labels(line, i, lineno):
    """Parse '{a="x",b="y"}' starting at line[i] == '{'; return (dict, end)."""
    labels = {}
    i += 1
    while True:
        i = _skip_blank(line, i)
        if i < len(line) and line[i] == "}":
            return labels, i + 1
        start = i
        while i < len(line) and line[i] not in BLANK + '=,}"':
            i += 1
        name = line[start:i]
        if not LABEL_NAME.match(name):
            _fail(lineno, "bad label name %r" % name)
        if name.startswith("__"):
            _fail(lineno, "label name %r is reserved" % name)
        if name in labels:
            _fail(lineno, "label %r given twice" % name)
        i = _skip_blank(line, i)
        if i >= len(line) or line[i] != "=":
            _fail(lineno, "expected '=' after label %r" % name)
        i = _skip_blank(line, i + 1)
        if i >= len(line) or line[i] != '"':
            _fail(lineno, "expected '\"' to start the value of %r" % name)
        i += 1
        value = []
        while True:
            if i >= len(line):
                _fail(lineno, "unterminated value of label %r" % name)
            c = line[i]
            if c == '"':
                i += 1
                break
            if c == "\\":
                if i + 1 >= len(line):
                    _fail(lineno, "unterminated value of label %r" % name)
                nxt = line[i + 1]
                if nxt == "\\":
                    value.append("\\")
                elif nxt == '"':
                    value.append('"')
                elif nxt == "n":
                    value.append("\n")
                else:
                    _fail(lineno, "bad escape \\%s in label %r" % (nxt, name))
                i += 2
                continue
            value.append(c)
            i += 1
        labels[name] = "".join(value)
        i = _skip_blank(line, i)
        if i < len(line) and line[i] == ",":
            i += 1
            continue
        if i < len(line) and line[i] == "}":
            return labels, i + 1
        _fail(lineno, "expected ',' or '}' after label %r" % name)


def _parse_sample(line, lineno):
    i = 0
    while i < len(line) and line[i] not in BLANK + "{":
        i += 1
    name = line[:i]
    if not METRIC_NAME.match(name):
        _fail(lineno, "bad metric name %r" % name)
    labels = {}
    if i < len(line) and line[i] == "{":
        labels, i = _parse_labels(line, i, lineno)
    rest = line[i:]
    if not rest or rest[0] not in BLANK:
        _fail(lineno, "expected a blank before the value")
    fields = re.split(r"[ \t]+", rest.strip(BLANK))
    if len(fields) not in (1, 2):
        _fail(lineno, "expected a value and an optional timestamp")
    value = parse_value(fields[0], lineno)
    if len(fields) == 2 and not TIMESTAMP.match(fields[1]):
        _fail(lineno, "bad timestamp %r" % fields[1])
    return name, labels, value


def _family_of(name, families):
    """The family a sample name belongs to, or None."""
    if name in families and families[name]["type"] not in (None, "histogram"):
        return name
    for suffix, kinds in (("_bucket", ("histogram",)),
                          ("_sum", ("histogram", "summary")),
                          ("_count", ("histogram", "summary"))):
        base = name[:-len(suffix)]
        if name.endswith(suffix) and base in families and \
                families[base]["type"] in kinds:
            return base
    return None


def _check_histogram(name, fam):
    """Per label set (le aside): cumulative buckets, +Inf == _count."""
    series = {}
    for (sname, labels, value), lineno in zip(fam["samples"], fam["lines"]):
        key = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
        s = series.setdefault(key, {"buckets": [], "count": None,
                                    "first": lineno})
        if sname == name + "_bucket":
            if "le" not in labels:
                _fail(lineno, "%s without an le label" % sname)
            le = parse_value(labels["le"], lineno, "le")
            if math.isnan(le):
                _fail(lineno, "le is NaN")
            s["buckets"].append((le, value, lineno))
        else:
            if "le" in labels:
                _fail(lineno, "le label on %s" % sname)
            if sname == name + "_count":
                s["count"] = (value, lineno)
            elif value < 0 or math.isnan(value):
                _fail(lineno, "%s is negative or NaN" % sname)
    for s in series.values():
        prev_le, prev_count = None, 0.0
        for le, count, lineno in s["buckets"]:
            if prev_le is not None and le <= prev_le:
                _fail(lineno, "%s buckets not in increasing le order" % name)
            if math.isnan(count) or count < prev_count:
                _fail(lineno, "%s buckets not cumulative (le=%s: %s < %s)"
                      % (name, le, count, prev_count))
            prev_le, prev_count = le, count
        if not s["buckets"] or s["buckets"][-1][0] != math.inf:
            _fail(s["first"], "%s has no le=\"+Inf\" bucket" % name)
        if s["count"] is None:
            _fail(s["first"], "%s has no _count" % name)
        if s["count"][0] != s["buckets"][-1][1]:
            _fail(s["count"][1], "%s_count %s differs from the +Inf bucket %s"
                  % (name, s["count"][0], s["buckets"][-1][1]))


def _close_family(name, families):
    fam = families[name]
    if fam["type"] == "histogram":
        _check_histogram(name, fam)


def parse(text):
    families = {}
    series = set()
    current = None      # family whose samples are being read
    done = set()        # families whose group of samples has ended
    lineno = 0
    if text and not text.endswith("\n"):
        raise ValueError("line %d: no newline at the end"
                         % (text.count("\n") + 1))
    for lineno, line in enumerate(text.split("\n")[:-1], 1):
        if not line.strip(BLANK):
            continue
        if line.startswith("#"):
            meta = META.match(line)
            if not meta:
                continue        # a plain comment
            kind, name, arg = meta.group(1), meta.group(2), meta.group(3)
            if not METRIC_NAME.match(name):
                _fail(lineno, "bad metric name %r in %s" % (name, kind))
            fam = families.setdefault(name, {"type": None, "help": None,
                                             "samples": [], "lines": []})
            if fam["samples"] or name in done:
                _fail(lineno, "%s of %s after its samples" % (kind, name))
            if kind == "HELP":
                if fam["help"] is not None:
                    _fail(lineno, "second HELP of %s" % name)
                fam["help"] = _unescape_help(arg or "", lineno)
            else:
                if fam["type"] is not None:
                    _fail(lineno, "second TYPE of %s" % name)
                if arg is None or arg.rstrip(BLANK) not in TYPES:
                    _fail(lineno, "bad TYPE line of %s" % name)
                fam["type"] = arg.rstrip(BLANK)
                if fam["type"] == "counter" and not name.endswith("_total"):
                    _fail(lineno, "counter %s does not end in _total" % name)
            continue
        sname, labels, value = _parse_sample(line, lineno)
        base = _family_of(sname, families)
        if base is None and sname in families and families[sname]["type"]:
            _fail(lineno, "sample %s does not fit the %s %s"
                  % (sname, families[sname]["type"], sname))
        if base is None:
            _fail(lineno, "sample %s before its TYPE" % sname)
        fam = families[base]
        if fam["help"] is None:
            _fail(lineno, "sample %s before the HELP of %s" % (sname, base))
        if base != current:
            if base in done:
                _fail(lineno, "samples of %s are not one group" % base)
            if current is not None:
                _close_family(current, families)
                done.add(current)
            current = base
        key = (sname, frozenset(labels.items()))
        if key in series:
            _fail(lineno, "duplicate series %s%s" % (sname, labels))
        series.add(key)
        if fam["type"] == "counter" and (value < 0 or math.isnan(value)):
            _fail(lineno, "counter %s is negative or NaN" % sname)
        fam["samples"].append((sname, labels, value))
        fam["lines"].append(lineno)
    if current is not None:
        _close_family(current, families)
    for name, fam in families.items():
        if fam["type"] is None:
            _fail(lineno, "%s has HELP but no TYPE" % name)
        if fam["help"] is None:
            _fail(lineno, "%s has TYPE but no HELP" % name)
        del fam["lines"]
    return families


# (why, text, what the error must say): every one must be refused.
BAD = [
    ("sample before TYPE", "a_total 1\n", "before its TYPE"),
    ("sample before HELP", "# TYPE a_total counter\na_total 1\n",
     "before the HELP"),
    ("duplicate HELP", "# HELP g x\n# HELP g y\n# TYPE g gauge\ng 1\n",
     "line 2: second HELP"),
    ("duplicate TYPE", "# HELP g x\n# TYPE g gauge\n# TYPE g gauge\ng 1\n",
     "line 3: second TYPE"),
    ("TYPE after samples",
     "# HELP g x\n# TYPE g gauge\ng 1\n# TYPE g gauge\n",
     "line 4: TYPE of g after its samples"),
    ("bad metric name in HELP", "# HELP 1g x\n# TYPE 1g gauge\n1g 1\n",
     "line 1: bad metric name"),
    ("bad metric name in a sample", "# HELP g x\n# TYPE g gauge\ng-1 1\n",
     "line 3: bad metric name"),
    ("bad label name", "# HELP g x\n# TYPE g gauge\ng{a-b=\"1\"} 1\n",
     "bad label name 'a-b'"),
    ("reserved label name", "# HELP g x\n# TYPE g gauge\ng{__x=\"1\"} 1\n",
     "reserved"),
    ("label given twice",
     "# HELP g x\n# TYPE g gauge\ng{a=\"1\",a=\"2\"} 1\n", "given twice"),
    ("bad escape", "# HELP g x\n# TYPE g gauge\ng{a=\"\\t\"} 1\n",
     "bad escape \\t in label"),
    ("unterminated label", "# HELP g x\n# TYPE g gauge\ng{a=\"x} 1\n",
     "unterminated value"),
    ("unescaped quote", "# HELP g x\n# TYPE g gauge\ng{a=\"x\"y\"} 1\n",
     "expected ',' or '}'"),
    ("bad HELP escape", "# HELP g a\\tb\n# TYPE g gauge\ng 1\n",
     "bad escape \\t in HELP"),
    ("unparsable value", "# HELP g x\n# TYPE g gauge\ng 1,5\n",
     "bad value '1,5'"),
    ("python-only float", "# HELP g x\n# TYPE g gauge\ng 1_000\n",
     "bad value '1_000'"),
    ("missing value", "# HELP g x\n# TYPE g gauge\ng{a=\"1\"}\n",
     "blank before the value"),
    ("bad timestamp", "# HELP g x\n# TYPE g gauge\ng 1 1.5\n",
     "bad timestamp"),
    ("duplicate series",
     "# HELP g x\n# TYPE g gauge\ng{a=\"1\",b=\"2\"} 1\ng{b=\"2\",a=\"1\"} 2\n",
     "line 4: duplicate series"),
    ("counter without _total", "# HELP c x\n# TYPE c counter\nc 1\n",
     "does not end in _total"),
    ("negative counter", "# HELP c_total x\n# TYPE c_total counter\n"
     "c_total -1\n", "negative"),
    ("samples not one group",
     "# HELP g x\n# TYPE g gauge\n# HELP h x\n# TYPE h gauge\n"
     "g{a=\"1\"} 1\nh 1\ng{a=\"2\"} 1\n", "line 7: samples of g are not one"),
    ("histogram not cumulative",
     "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\n"
     "h_bucket{le=\"2\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 2\n",
     "line 4: h buckets not cumulative"),
    ("histogram le not increasing",
     "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"2\"} 1\n"
     "h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
     "increasing le order"),
    ("histogram without +Inf",
     "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\n"
     "h_count 1\n", "no le=\"+Inf\""),
    ("histogram +Inf != _count",
     "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\n"
     "h_count 3\n", "line 5: h_count 3.0 differs"),
    ("histogram without _count",
     "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\n",
     "no _count"),
    ("histogram bucket without le",
     "# HELP h x\n# TYPE h histogram\nh_bucket 1\nh_count 1\n",
     "without an le"),
    ("histogram bad le",
     "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"x\"} 1\nh_count 1\n",
     "bad le"),
    ("no final newline", "# HELP g x\n# TYPE g gauge\ng 1",
     "no newline at the end"),
    ("HELP without TYPE", "# HELP g x\n", "HELP but no TYPE"),
    ("TYPE without HELP", "# TYPE g gauge\n", "TYPE but no HELP"),
    ("sample after HELP only", "# HELP g x\ng 1\n", "before its TYPE"),
    ("unknown TYPE", "# HELP g x\n# TYPE g gauges\ng 1\n", "bad TYPE"),
    ("carriage return", "# HELP g x\n# TYPE g gauge\ng 1\r\n", "bad value"),
]

GOOD = ('# HELP g A gauge, with \\\\ and \\n in its help.\n'
        '# TYPE g gauge\n'
        'g{a="q\\"b\\\\n\\n",b="2",} 1.5e3\n'
        'g 0 1700000000000\n'
        '# a comment\n'
        '\n'
        '# TYPE c_total counter\n'
        '# HELP c_total A counter.\n'
        'c_total{ x = "1" } +Inf\n'
        '# HELP h A histogram.\n'
        '# TYPE h histogram\n'
        'h_bucket{le="0.001"} 0\n'
        'h_bucket{le="0.002"} 1\n'
        'h_bucket{le="+Inf"} 1\n'
        'h_sum 0.0015\n'
        'h_count 1\n')


def self_test():
    rc = 0
    for why, text, want in BAD:
        try:
            parse(text)
        except ValueError as e:
            if want in str(e) and str(e).startswith("line "):
                print("ok promparse refuses %s (%s)" % (why, e))
                continue
            print("not ok promparse refuses %s: %s, not %r" % (why, e, want))
        else:
            print("not ok promparse refuses %s" % why)
        rc = 1
    try:
        fams = parse(GOOD)
        assert fams["g"]["help"] == "A gauge, with \\ and \n in its help."
        assert fams["g"]["samples"][0] == \
            ("g", {"a": 'q"b\\n\n', "b": "2"}, 1500.0)
        assert fams["c_total"]["samples"][0][2] == math.inf
        assert len(fams["h"]["samples"]) == 5
        print("ok promparse accepts a valid exposition")
    except (ValueError, AssertionError, KeyError) as e:
        print("not ok promparse accepts a valid exposition: %r" % e)
        rc = 1
    return rc


def main(argv):
    if len(argv) != 2:
        print("usage: promparse.py FILE|- | --self-test", file=sys.stderr)
        return 2
    if argv[1] == "--self-test":
        return self_test()
    name = argv[1]
    try:
        if name == "-":
            text = sys.stdin.read()
        else:
            with open(name, encoding="utf-8") as f:
                text = f.read()
        fams = parse(text)
    except (ValueError, OSError) as e:
        print("%s: %s" % (name, e), file=sys.stderr)
        return 1
    print("%s: %d families, %d samples" %
          (name, len(fams), sum(len(f["samples"]) for f in fams.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
