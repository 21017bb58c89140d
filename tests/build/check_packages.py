#!/usr/bin/env python3
"""check_packages.py BUILD_SH MODE: build.sh MODE installs what MODE uses.

build.sh installs its package list with --no-install-recommends, as a
fresh Debian machine gets it: a package pulled in only as a Recommends of
another never arrives. This checks, on the machine at hand, that every
file MODE runs or links (the host C compiler's start files and C library
as CMake's compiler check needs them, each tool build.sh checks, the
OCaml unix library for the conformance harnesses) belongs to a package in
the Depends/Pre-Depends closure of `build.sh --list-packages MODE`.
Skipped (77) where APT's lists or a file's package cannot be read (apt
has never been updated, or the tool is not installed here)."""
import os
import shutil
import subprocess
import sys

DEBIAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
ENV = dict(os.environ, PATH=DEBIAN_PATH, LC_ALL="C")

BOOT_TOOLS = ["cmake", "make", "gcc", "riscv64-unknown-elf-gcc", "riscv64-unknown-elf-ld",
              "qemu-system-riscv64", "dtc", "python3"]
BOOT_FILES = ["/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin",
              "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"]
TEST_TOOLS = ["frama-c", "why3", "z3", "cvc4", "coqc", "coqdoc", "ocamlfind", "ocamlopt",
              "gdb-multiarch"]


def out(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
    return r.stdout if r.returncode == 0 else None


def needed_files(mode):
    files = {}
    for t in BOOT_TOOLS + (TEST_TOOLS if mode == "test" else []):
        p = shutil.which(t, path=DEBIAN_PATH)
        files[t] = p
    # what CMake's check of the host C compiler links: a PIE program
    for f in ("Scrt1.o", "crti.o", "crtn.o", "libc.so"):
        p = out(["gcc", "-print-file-name=" + f])
        p = p.strip() if p else None
        files["gcc's " + f] = p if p and os.path.isabs(p) else None
    for f in BOOT_FILES:
        files[f] = f if os.path.exists(f) else None
    if mode == "test":
        u = out(["ocamlfind", "query", "unix"])
        files["OCaml's unix library"] = u.strip() if u else None
    return files


def owner(path):
    """The Debian package that holds path (following links), or None."""
    cands = [path, os.path.realpath(path)]
    for c in list(cands):
        if c.startswith("/usr/"):
            cands.append(c[4:])           # merged /usr: dpkg may list /lib/...
        else:
            cands.append("/usr" + c)
    for c in cands:
        o = out(["dpkg-query", "-S", c])
        if o:
            return o.split(":")[0].split(",")[0].strip()
    return None


def closure(pkgs):
    o = out(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
             "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances"] + pkgs)
    if not o:
        return None
    names = set()
    for line in o.splitlines():
        if line and not line[0].isspace():
            names.add(line.strip().strip("<>").split(":")[0])
    return names


def main():
    build_sh, mode = sys.argv[1], sys.argv[2]
    pkgs = subprocess.run([build_sh, "--list-packages", mode], capture_output=True,
                          text=True, check=True).stdout.split()
    have = closure(pkgs)
    if not have or not (set(pkgs) & have):
        print("check_packages: APT's package lists are not readable here: skipped")
        return 77
    bad, skipped, ok = [], [], 0
    for what, path in needed_files(mode).items():
        pkg = owner(path) if path else None
        if not pkg:
            skipped.append(what)
            continue
        if pkg in have:
            ok += 1
        else:
            bad.append("%s (%s) is in package %s, which `build.sh %s` does not install"
                       " (not in the Depends closure of its list)" % (what, path, pkg, mode))
    for b in bad:
        print("check_packages: FAIL: " + b)
    if skipped:
        print("check_packages: not installed here, not checked: " + ", ".join(skipped))
    if bad:
        return 1
    if ok == 0:
        return 77
    print("check_packages: PASS: the %d files `build.sh %s` uses come from its %d packages "
          "and their dependencies" % (ok, mode, len(pkgs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
