#!/usr/bin/env python3
"""Prove the documented debug path: QEMU halted with a gdbstub, gdb-multiarch
attached with kernel.elf's symbols, a hardware breakpoint at kmain (before
paging is on, a software breakpoint at a virtual address cannot be
written), then a variable read by name. Exit 77 (CTest: skipped) if
gdb-multiarch is not installed.
"""
import argparse
import sys

from gdbstub import expect, run_session


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--qemu", default="qemu-system-riscv64")
    p.add_argument("--gdb", default="")
    p.add_argument("--elf", required=True)
    p.add_argument("--image", required=True)
    p.add_argument("--timeout", type=float, default=60)
    a = p.parse_args()
    if not a.gdb or a.gdb.endswith("NOTFOUND"):
        print("gdb-multiarch not installed (apt-get install gdb-multiarch): skipped")
        return 77
    text = run_session(a.qemu, a.image, a.gdb, a.elf,
                       ["hbreak kmain",
                        "continue",
                        "print/x $pc",
                        "print boot_info.fdt.timebase_hz",
                        "print boot_info.fdt.uart.path"], a.timeout)
    return expect("gdb_check", text,
                  ["kmain ()", "= 0xffffffff8", "= 10000000", '"/soc/serial@10000000"'])


if __name__ == "__main__":
    sys.exit(main())
