#!/usr/bin/env python3
"""Boot the kernel under QEMU, watch the serial console, judge the run.

Used by the CTest boot tests (tests/boot/CMakeLists.txt) and by the
run-sifive / run-uboot targets. One QEMU run, always under a timeout:

  * --machine virt|sifive_u boots --kernel (the Image, or an ELF) directly
    on QEMU's default OpenSBI;
  * --uboot boots Debian's U-Boot for QEMU instead, puts --kernel in RAM at
    --image-addr with QEMU's loader device, interrupts U-Boot's autoboot
    and types the booti command on the serial line;
  * --send REGEX LINE types LINE on the serial line once REGEX has
    appeared (the shell test drives the shell so).

The console output is echoed (with --echo) and saved to --log. The run
passes when every --expect regex matches, in order, every --contains
regex matches somewhere, no --reject regex matches, and QEMU's exit status is what --exit says: a number, "nonzero",
or "stopped" (the machine cannot power off, as sifive_u: QEMU is killed
once --stop-at is seen). A timeout always fails.
"""
import argparse
import os
import re
import select
import shlex
import subprocess
import sys
import time

UBOOT = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--qemu", default="qemu-system-riscv64")
    p.add_argument("--machine", default="virt")
    p.add_argument("--smp", type=int, default=0, help="harts (0: QEMU's default)")
    p.add_argument("--mem", default="")
    p.add_argument("--bios", default="default")
    p.add_argument("--kernel", required=True, help="Image or ELF to boot")
    p.add_argument("--append", default="", help="kernel command line (/chosen bootargs)")
    p.add_argument("--dtb", default="", help="device tree to give instead of QEMU's own")
    p.add_argument("--uboot", action="store_true", help="boot through U-Boot's booti")
    p.add_argument("--uboot-bin", default=UBOOT)
    p.add_argument("--image-addr", default="0x84000000")
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--expect", action="append", default=[], help="regex, in order")
    p.add_argument("--contains", action="append", default=[], help="regex, anywhere")
    p.add_argument("--reject", action="append", default=[], help="regex that fails the run")
    p.add_argument("--exit", default="0", help='0..255, "nonzero" or "stopped"')
    p.add_argument("--stop-at", default="", help="regex after which QEMU is stopped")
    p.add_argument("--send", nargs=2, action="append", default=[], metavar=("REGEX", "LINE"),
                   help="once REGEX matches (after the previous --send's match), type "
                        "LINE and a carriage return on the serial line; in order")
    p.add_argument("--log", default="")
    p.add_argument("--echo", action="store_true", help="copy the console to stdout")
    p.add_argument("--qemu-opts-env", action="store_true",
                   help="append the options in $QEMU_OPTS (run targets: -m 1G, -smp 2, ...)")
    return p.parse_args()


def qemu_command(a):
    cmd = [a.qemu, "-machine", a.machine, "-nographic", "-bios", a.bios,
           "-monitor", "none", "-serial", "stdio"]
    if a.smp:
        cmd += ["-smp", str(a.smp)]
    if a.mem:
        cmd += ["-m", a.mem]
    if a.dtb:
        cmd += ["-dtb", a.dtb]
    if a.uboot:
        cmd += ["-kernel", a.uboot_bin,
                "-device", "loader,file=%s,addr=%s" % (a.kernel, a.image_addr)]
    else:
        cmd += ["-kernel", a.kernel]
        if a.append:
            cmd += ["-append", a.append]
    if a.qemu_opts_env:
        cmd += shlex.split(os.environ.get("QEMU_OPTS", ""))
    return cmd


class Console:
    """QEMU's serial line: everything read so far, and a way to type."""

    def __init__(self, proc, echo, log):
        self.proc, self.echo, self.log = proc, echo, log
        self.text = ""

    def pump(self, deadline):
        """Read what is available until the deadline; False at EOF."""
        wait = max(0.0, min(0.2, deadline - time.monotonic()))
        ready, _, _ = select.select([self.proc.stdout], [], [], wait)
        if not ready:
            return True
        data = os.read(self.proc.stdout.fileno(), 4096)
        if not data:
            return False
        s = data.decode("utf-8", errors="replace")
        self.text += s
        if self.echo:
            sys.stdout.write(s)
            sys.stdout.flush()
        if self.log:
            self.log.write(s)
            self.log.flush()
        return True

    def wait_for(self, regex, deadline, start=0):
        """Wait until regex matches text after `start`; the match or None."""
        r = re.compile(regex)
        while True:
            m = r.search(self.text, start)
            if m:
                return m
            if time.monotonic() >= deadline or not self.pump(deadline):
                return None

    def type(self, s):
        self.proc.stdin.write(s.encode())
        self.proc.stdin.flush()


def drive_uboot(con, a, deadline):
    """Stop autoboot and run booti; False if U-Boot never got there."""
    if not con.wait_for(r"Hit any key to stop autoboot", deadline):
        return False
    con.type("\n")
    m = con.wait_for(r"=> ", deadline)
    if not m:
        return False
    con.type("booti %s - ${fdtcontroladdr}\n" % a.image_addr)
    return True


def judge(a, text, status, stopped, timed_out):
    """List of reasons the run failed (empty: passed)."""
    why = []
    if timed_out:
        why.append("timeout after %.0f s" % a.timeout)
    pos = 0
    for e in a.expect:
        m = re.compile(e).search(text, pos)
        if not m:
            why.append("missing (in order): %r" % e)
        else:
            pos = m.end()
    for c in a.contains:
        if not re.search(c, text):
            why.append("missing: %r" % c)
    for r in a.reject:
        m = re.search(r, text)
        if m:
            why.append("rejected output: %r" % m.group(0))
    if a.exit == "stopped":
        if not stopped:
            why.append("QEMU exited (%s) before %r was seen" % (status, a.stop_at))
    elif a.exit == "nonzero":
        if stopped or status in (None, 0):
            why.append("QEMU exit status %s, expected non-zero" % status)
    elif not stopped and status != int(a.exit):
        why.append("QEMU exit status %s, expected %s" % (status, a.exit))
    elif stopped:
        why.append("QEMU had to be stopped; expected exit status %s" % a.exit)
    return why


def main():
    a = parse_args()
    log = open(a.log, "w") if a.log else None
    cmd = qemu_command(a)
    print("qemu_boot: " + " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    con = Console(proc, a.echo, log)
    deadline = time.monotonic() + a.timeout
    stopped = timed_out = False
    try:
        if a.uboot and not drive_uboot(con, a, deadline):
            timed_out = time.monotonic() >= deadline
        stop = re.compile(a.stop_at) if a.stop_at else None
        sends, typed_at = list(a.send), 0
        while True:
            if sends:
                m = re.compile(sends[0][0]).search(con.text, typed_at)
                if m:
                    con.type(sends[0][1] + "\r")
                    typed_at = m.end()
                    sends.pop(0)
            if stop and stop.search(con.text):
                stopped = True
                break
            if time.monotonic() >= deadline:
                timed_out = True
                break
            if not con.pump(deadline):
                break                   # EOF: QEMU has exited
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        while con.pump(time.monotonic()):
            pass
    status = None if stopped or timed_out else proc.returncode
    why = judge(a, con.text, status, stopped, timed_out)
    if sends:
        why.append("never typed %r: %r not seen" % (sends[0][1], sends[0][0]))
    print("\nqemu_boot: QEMU %s" % ("stopped after the expected output" if stopped
                                    else "timed out" if timed_out
                                    else "exited with status %s" % status))
    if why:
        if not a.echo:
            sys.stdout.write(con.text[-6000:])
        for w in why:
            print("qemu_boot: FAIL: " + w)
        return 1
    print("qemu_boot: PASS (%d expectations met)" % (len(a.expect) + len(a.contains)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
