#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Read an exposition with Debian's python3-prometheus-client too.

promparse.py is our own reading of the text format; this reads the same
text with the parser of the Prometheus client library and checks that
both find the same samples (name, labels, value) with the same types, so
that a mistake shared by hbctl and promparse.py does not go unseen.

    compare(text) -> (families, samples), raises AssertionError
    promclient.py FILE|-     exit 0 and a summary line, or exit 1
"""
import math
import os
import sys
from collections import Counter

from prometheus_client.parser import text_string_to_metric_families

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promparse  # noqa: E402


def _key(name, labels, value):
    # NaN != NaN: compare it as a word.
    v = "NaN" if math.isnan(value) else value
    return (name, tuple(sorted(labels.items())), v)


def compare(text):
    ours = promparse.parse(text)
    theirs = list(text_string_to_metric_families(text))

    our_samples = Counter()
    our_types = {}
    for fam in ours.values():
        for name, labels, value in fam["samples"]:
            our_samples[_key(name, labels, value)] += 1
            our_types[name] = fam["type"]
    their_samples = Counter()
    their_types = {}
    for fam in theirs:
        for s in fam.samples:
            their_samples[_key(s.name, s.labels, s.value)] += 1
            their_types[s.name] = fam.type

    only_ours = our_samples - their_samples
    only_theirs = their_samples - our_samples
    assert not only_ours and not only_theirs, \
        f"samples differ: promparse only {sorted(only_ours)[:5]}, " \
        f"prometheus_client only {sorted(only_theirs)[:5]}"
    assert our_types == their_types, \
        {n: (t, their_types.get(n)) for n, t in our_types.items() if their_types.get(n) != t}
    assert len(theirs) == len(ours), (len(theirs), len(ours))
    return len(ours), sum(our_samples.values())


def main(argv):
    if len(argv) != 2:
        print("usage: promclient.py FILE|-", file=sys.stderr)
        return 2
    text = sys.stdin.read() if argv[1] == "-" else open(argv[1]).read()
    try:
        families, samples = compare(text)
    except (AssertionError, ValueError) as e:
        print(f"{argv[1]}: {e}", file=sys.stderr)
        return 1
    print(f"{argv[1]}: prometheus_client agrees: {families} families, {samples} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
