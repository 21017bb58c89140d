#!/usr/bin/env python3
"""The documented debug path for user programs (docs/SYSCALLS.md): gdb
attached to QEMU with the kernel's symbols plus a user program's
(add-symbol-file), a hardware breakpoint in the root task, a variable read
by name there; then one in a child program (member.elf, the hierarchy's
member A), taken only in another address space than the root task's (its
satp differs), and the child's own variable read. Exit 77 (CTest:
skipped) without gdb-multiarch."""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "boot"))
from gdbstub import expect, run_session  # noqa: E402 (tests/boot/gdbstub.py)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--qemu", default="qemu-system-riscv64")
    p.add_argument("--gdb", default="")
    p.add_argument("--kernel", required=True)
    p.add_argument("--image", required=True)
    p.add_argument("--userdir", required=True)
    p.add_argument("--timeout", type=float, default=90)
    a = p.parse_args()
    if not a.gdb or a.gdb.endswith("NOTFOUND"):
        print("gdb-multiarch not installed: skipped")
        return 77
    root = os.path.abspath(a.userdir + "/roottask.elf")
    member = os.path.abspath(a.userdir + "/member.elf")
    text = run_session(a.qemu, a.image, a.gdb, a.kernel,
                       ["add-symbol-file %s" % root,
                        "hbreak build_hierarchy",
                        "continue",
                        "print passed",
                        "set $root_satp = $satp",
                        "delete",
                        "remove-symbol-file %s" % root,
                        "add-symbol-file %s" % member,
                        "hbreak spawn_child if $satp != $root_satp",
                        "continue",
                        "print role",
                        "print/x $satp != $root_satp"], a.timeout)
    return expect("gdb_user", text,
                  ["build_hierarchy ()", "= 0", "spawn_child (", "= 65 'A'", "= 0x1"])


if __name__ == "__main__":
    sys.exit(main())
