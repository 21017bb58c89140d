#!/usr/bin/env python3
"""bench_fastpath.py QEMU IMAGE-BENCH LIMIT: the IPC fast path is taken.

Boots the bench image (userland/bench, docs/BENCHMARKS.md) under QEMU virt
with -icount shift=0,sleep=off, where instret counts instructions exactly,
and checks that an IPC call and a reply each cost at most LIMIT retired
instructions, user to user. The slow path costs well above the limit
(about 1200 each with the register path, 2400 before), the fast path
about 350 (docs/BENCHMARKS.md), so this fails if the fast path stops
being taken for the bench's call / reply_recv pair, or loses most of
what it gained."""
import re
import subprocess
import sys


def main():
    qemu, image, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cmd = [qemu, "-machine", "virt", "-nographic", "-bios", "default",
           "-icount", "shift=0,sleep=off", "-kernel", image]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                             stdin=subprocess.DEVNULL).stdout
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
    print(out)
    got = {}
    for name in ("call", "reply"):
        m = re.search(r"bench: ipc %s\s+(\d+)" % name, out)
        if not m:
            print("bench_fastpath: FAIL: no 'bench: ipc %s' line" % name)
            return 1
        got[name] = int(m.group(1))
    bad = [n for n, v in got.items() if v > limit]
    if bad or "bench: done" not in out:
        print("bench_fastpath: FAIL: call %d, reply %d (limit %d)%s" % (
            got["call"], got["reply"], limit, "" if "bench: done" in out else "; no 'bench: done'"))
        return 1
    print("bench_fastpath: PASS: call %d, reply %d instructions (limit %d)" % (
        got["call"], got["reply"], limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
