# SPDX-License-Identifier: GPL-2.0-only
"""pytest prints KTAP: the plan, then one result line per test, as make
check counts them. A plugin of its own, for the VM suite (conftest.py) and
for the host-side runs of selftests/vm/multi, which must not load
conftest.py (its fixture loads the module into the kernel it runs on)."""
import sys

_tap_count = 0


def pytest_collection_finish(session):
    """The plan: run_tests fails a file that prints fewer results than it
    collected (one that stopped early, even with exit status 0)."""
    print(f"\n1..{len(session.items)}", flush=True)


def pytest_runtest_logreport(report):
    """Print one KTAP line per test so make check can count pytest results
    the same way as the shell and C tests."""
    global _tap_count
    name = report.nodeid.replace("::", ".")
    line = None
    if report.when in ("setup", "call") and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        line = f"ok {{n}} {name} # SKIP {reason}"
    elif report.when == "setup" and report.failed:
        line = f"not ok {{n}} {name}"
    elif report.when == "call":
        line = f"{'ok' if report.passed else 'not ok'} {{n}} {name}"
    if line:
        _tap_count += 1
        print("\n" + line.format(n=_tap_count), flush=True)
    # The failure's traceback right away: a file killed by its timeout
    # never reaches pytest's own summary.
    if report.failed:
        for text_line in report.longreprtext.splitlines()[-30:]:
            print(f"# {text_line}")
        sys.stdout.flush()
