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
import socket
import subprocess
import sys


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


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
    port = free_port()
    qemu = subprocess.Popen([a.qemu, "-machine", "virt", "-nographic", "-bios", "default",
                             "-monitor", "none", "-serial", "null", "-kernel", a.image,
                             "-gdb", "tcp:127.0.0.1:%d" % port, "-S"],
                            stdin=subprocess.DEVNULL)
    root = os.path.abspath(a.userdir + "/roottask.elf")
    member = os.path.abspath(a.userdir + "/member.elf")
    gdb_cmd = [a.gdb, "-q", "-nx", "-batch", a.kernel,
               "-ex", "target remote 127.0.0.1:%d" % port,
               "-ex", "add-symbol-file %s" % root,
               "-ex", "hbreak build_hierarchy",
               "-ex", "continue",
               "-ex", "print passed",
               "-ex", "set $root_satp = $satp",
               "-ex", "delete",
               "-ex", "remove-symbol-file %s" % root,
               "-ex", "add-symbol-file %s" % member,
               "-ex", "hbreak spawn_child if $satp != $root_satp",
               "-ex", "continue",
               "-ex", "print role",
               "-ex", "print/x $satp != $root_satp"]
    print(" ".join(gdb_cmd), flush=True)
    try:
        out = subprocess.run(gdb_cmd, capture_output=True, text=True, timeout=a.timeout)
        text = out.stdout + out.stderr
    except subprocess.TimeoutExpired as e:
        text = "gdb timed out\n" + str(e.stdout or "")
    finally:
        qemu.kill()
        qemu.wait()
    print(text)
    want = ["build_hierarchy ()", "= 0", "spawn_child (", "= 65 'A'", "= 0x1"]
    missing = [w for w in want if w not in text]
    if missing:
        print("gdb_user: FAIL, missing: %r" % missing)
        return 1
    print("gdb_user: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
