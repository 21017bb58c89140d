#!/usr/bin/env python3
"""Make a variant of a dumped device tree: decompile BLOB with dtc, insert
the text of FRAGMENT as new last children of the root node, compile to OUT.

  make_dtb.py --dtc DTC BLOB FRAGMENT OUT
"""
import argparse
import subprocess
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dtc", default="dtc")
    p.add_argument("blob")
    p.add_argument("fragment")
    p.add_argument("out")
    a = p.parse_args()
    dts = subprocess.run([a.dtc, "-q", "-I", "dtb", "-O", "dts", a.blob], check=True,
                         capture_output=True, text=True).stdout
    lines = dts.splitlines(keepends=True)
    # the root's closing brace is the last "};" (nodes follow properties)
    end = max(i for i, line in enumerate(lines) if line.rstrip() == "};")
    with open(a.fragment) as f:
        lines.insert(end, f.read())
    subprocess.run([a.dtc, "-q", "-I", "dts", "-O", "dtb", "-o", a.out, "-"],
                   input="".join(lines), text=True, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
