#!/usr/bin/env python3
"""debug_virt.py: QEMU virt halted at the reset vector, with a gdbstub.

The debug-virt target runs this. The stub listens on GDB_PORT (from the
environment; default 1234; GDB_PORT=auto picks a free port), so that two
people on one host can each debug their own kernel. It prints the
gdb-multiarch command that attaches with the kernel's symbols, then runs
QEMU in the foreground (quit with Ctrl-A x). QEMU_OPTS adds options (as
for the run targets)."""
import argparse
import os
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gdbstub import free_port  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--qemu", default="qemu-system-riscv64")
    p.add_argument("--elf", required=True)
    p.add_argument("--image", required=True)
    a = p.parse_args()
    port = os.environ.get("GDB_PORT", "1234")
    if port == "auto":
        port = str(free_port())
    if not port.isdigit() or not 0 < int(port) < 65536:
        print("debug_virt: GDB_PORT must be a TCP port number or 'auto', not %r" % port)
        return 2
    cmd = [a.qemu, "-machine", "virt", "-nographic", "-bios", "default",
           "-kernel", a.image, "-gdb", "tcp:127.0.0.1:%s" % port, "-S"]
    cmd += shlex.split(os.environ.get("QEMU_OPTS", ""))
    print()
    print("QEMU is halted at the reset vector with a gdbstub on 127.0.0.1:%s. "
          "In another terminal:" % port)
    print("  gdb-multiarch %s -ex 'target remote :%s' -ex 'hbreak kmain' -ex continue"
          % (a.elf, port))
    print("Code before paging runs at the load address: add -ex 'add-symbol-file %s "
          "-o 0x100200000' (see docs/BOOT.md). Quit QEMU with Ctrl-A x." % a.elf)
    print("Another port: GDB_PORT=<port> or GDB_PORT=auto.")
    print(" ".join(shlex.quote(c) for c in cmd), flush=True)
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    sys.exit(main())
