#!/usr/bin/env python3
"""Prove the documented debug path: QEMU halted with a gdbstub, gdb-multiarch
attached with kernel.elf's symbols, a hardware breakpoint at kmain (before
paging is on, a software breakpoint at a virtual address cannot be
written), then a variable read by name. Exit 77 (CTest: skipped) if
gdb-multiarch is not installed.
"""
import argparse
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
    p.add_argument("--elf", required=True)
    p.add_argument("--image", required=True)
    p.add_argument("--timeout", type=float, default=60)
    a = p.parse_args()
    if not a.gdb or a.gdb.endswith("NOTFOUND"):
        print("gdb-multiarch not installed (apt-get install gdb-multiarch): skipped")
        return 77
    port = free_port()
    qemu = subprocess.Popen([a.qemu, "-machine", "virt", "-nographic", "-bios", "default",
                             "-monitor", "none", "-serial", "null", "-kernel", a.image,
                             "-gdb", "tcp:127.0.0.1:%d" % port, "-S"],
                            stdin=subprocess.DEVNULL)
    gdb_cmd = [a.gdb, "-q", "-nx", "-batch", a.elf,
               "-ex", "target remote 127.0.0.1:%d" % port,
               "-ex", "hbreak kmain",
               "-ex", "continue",
               "-ex", "print/x $pc",
               "-ex", "print boot_info.fdt.timebase_hz",
               "-ex", "print boot_info.fdt.uart.path"]
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
    want = ["kmain ()", "= 0xffffffff8", "= 10000000", '"/soc/serial@10000000"']
    missing = [w for w in want if w not in text]
    if missing:
        print("gdb_check: FAIL, missing: %r" % missing)
        return 1
    print("gdb_check: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
