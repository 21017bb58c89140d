#!/usr/bin/env python3
"""expect_failure.py [--why REGEX]... -- COMMAND...: a run that must fail.

Runs COMMAND (a boot check, qemu_boot.py), prints its output, and passes
only if COMMAND exits non-zero and every --why regex matches its output:
the run failed, and for the reasons the test names (a crash of the checker
itself, or a failure for another reason, does not pass)."""
import argparse
import re
import subprocess
import sys


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        print(__doc__)
        return 2
    cut = argv.index("--")
    p = argparse.ArgumentParser()
    p.add_argument("--why", action="append", default=[])
    a = p.parse_args(argv[:cut])
    cmd = argv[cut + 1:]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sys.stdout.write(r.stdout)
    bad = []
    if r.returncode == 0:
        bad.append("the run passed (exit status 0); it must fail")
    for w in a.why:
        if not re.search(w, r.stdout):
            bad.append("reason not given: %r" % w)
    for b in bad:
        print("expect_failure: FAIL: " + b)
    if bad:
        return 1
    print("expect_failure: PASS: the run failed (status %d) for the %d reasons named"
          % (r.returncode, len(a.why)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
