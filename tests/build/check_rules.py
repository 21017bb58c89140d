#!/usr/bin/env python3
"""check_rules.py BUILD_DIR: no file is built by the rules of two targets.

With CMake's Makefile generator every target gets its own build.make. When
a custom command's output is named as a dependency by a second target in
the same folder, CMake copies the command into that target's build.make
too, and `make -j` may then run it twice at once, both writing the same
files (the conformance harnesses did: 29 undefined references, one -j2
build in three). This reads the build.make of every current target under
BUILD_DIR (CMakeFiles/TargetDirectories.txt; the cross build's too) and fails if an output has a recipe in more than one.
Skipped (77) for other generators (no build.make)."""
import os
import re
import sys

RULE = re.compile(r"^([^\s#:][^:]*?)\s*:(?!=)\s*(.*)$")


def recipes(path):
    """The outputs that have a recipe (a command line after them) in path."""
    outs, last = set(), None
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("\t"):
                if last is not None and "cmake_echo_color" not in line:
                    outs.update(last)
                continue
            m = RULE.match(line)
            last = m.group(1).split() if m and not line.startswith(".") else None
    # compiled objects and the target's own phony names live in the
    # target's own CMakeFiles/<target>.dir: per target anyway
    return {o for o in outs if "/CMakeFiles/" not in o and not o.startswith("CMakeFiles/")}


def main():
    top = sys.argv[1]
    owners = {}
    n = 0
    # the targets of the current generation (a target renamed or dropped
    # leaves its old folder behind): every CMakeFiles/TargetDirectories.txt
    dirs = []
    for d, _, files in os.walk(top):
        if os.path.basename(d) == "CMakeFiles" and "TargetDirectories.txt" in files:
            with open(os.path.join(d, "TargetDirectories.txt")) as f:
                dirs += [line.strip() for line in f if line.strip()]
    for d in dirs:
        if os.path.exists(os.path.join(d, "build.make")):
            n += 1
            for o in recipes(os.path.join(d, "build.make")):
                owners.setdefault((os.path.dirname(os.path.dirname(d)), o), []).append(
                    os.path.basename(d)[:-4])
    if n == 0:
        print("check_rules: no build.make under %s (not a Makefile build): skipped" % top)
        return 77
    bad = {k: v for k, v in owners.items() if len(v) > 1}
    for (where, out), targets in sorted(bad.items()):
        print("check_rules: FAIL: %s is built by the rules of %d targets: %s (in %s)"
              % (out, len(targets), ", ".join(sorted(targets)), where))
    if bad:
        print("check_rules: make -j can run those rules at once; depend on the target "
              "that builds the file, not on the file")
        return 1
    print("check_rules: PASS: %d outputs of custom rules in %d targets, each built by one target"
          % (len(owners), n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
