#!/usr/bin/env python3
"""Check arch-riscv/fdt.c against dtc, independently.

  check_fdt.py --dtc DTC --fdt-test FDT_TEST BLOB [--fact LINE]...

Decompiles BLOB with `dtc -I dtb -O dts`, works out from that text (with
its own small parser, not fdt.c) what the kernel's reader must report,
runs `fdt_test summary BLOB`, and fails on any difference. Each --fact is
a known-good line (e.g. "uart ns16550 0x10000000 ...") that must appear
in the reader's output as well, so a shared misunderstanding of the
device tree cannot make both sides agree on a wrong answer.
"""
import argparse
import re
import subprocess
import sys

MAX_DEPTH = 16
PATH_MAX = 128
ARGS_MAX = 128


class Node:
    def __init__(self, name, parent):
        self.name, self.parent = name, parent
        self.props, self.children = {}, []

    def path(self):
        if self.parent is None:
            return "/"
        pp = self.parent.path()
        return (pp if pp != "/" else "") + "/" + self.name


def parse_value(text):
    """A dts property value: a list of ('cells', [ints]) / ('str', s) / ('bytes', b)."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c in " ,\t":
            i += 1
        elif c == "<":
            j = text.index(">", i)
            out.append(("cells", [int(x, 0) for x in text[i + 1:j].split()]))
            i = j + 1
        elif c == "[":
            j = text.index("]", i)
            out.append(("bytes", bytes(int(x, 16) for x in text[i + 1:j].split())))
            i = j + 1
        elif c == '"':
            j, s = i + 1, ""
            while text[j] != '"':
                if text[j] == "\\":
                    nxt = text[j + 1]
                    s += {"0": "\0", "n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, nxt)
                    j += 2
                else:
                    s += text[j]
                    j += 1
            out.append(("str", s))
            i = j + 1
        else:
            raise ValueError("cannot parse value: " + text)
    return out


def parse_dts(text):
    rsvmap, root, cur = [], None, None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("/dts-v1/"):
            continue
        m = re.match(r"/memreserve/\s+(\S+)\s+(\S+);", line)
        if m:
            rsvmap.append((int(m.group(1), 0), int(m.group(2), 0)))
            continue
        m = re.match(r"(\S+) \{$", line)
        if m:
            if cur is None:
                root = cur = Node("", None)
            else:
                n = Node(m.group(1), cur)
                cur.children.append(n)
                cur = n
            continue
        if line == "};":
            cur = cur.parent
            continue
        m = re.match(r"([^=\s]+)(?: = (.*))?;$", line)
        if not m:
            raise ValueError("cannot parse line: " + line)
        cur.props[m.group(1)] = parse_value(m.group(2)) if m.group(2) else []
    return rsvmap, root


def raw(prop):
    """The property's bytes, as in the blob."""
    b = b""
    for kind, v in prop:
        if kind == "cells":
            b += b"".join(x.to_bytes(4, "big") for x in v)
        elif kind == "str":
            b += v.encode() + b"\0"
        else:
            b += v
    return b


def strings(prop):
    return [s for s in raw(prop).split(b"\0")[:-1]] if raw(prop).endswith(b"\0") else \
        raw(prop).split(b"\0")[:-1]


def u32(node, name, default):
    b = raw(node.props[name]) if name in node.props else None
    return int.from_bytes(b, "big") if b is not None and len(b) == 4 else default


def cells(node):
    return u32(node, "#address-cells", 2), u32(node, "#size-cells", 1)


def regs(node):
    ac, sc = cells(node.parent)
    b = raw(node.props.get("reg", []))
    if not (1 <= ac <= 2 and sc <= 2):
        return None
    step = 4 * (ac + sc)
    if len(b) % step:
        return None
    out = []
    for i in range(0, len(b), step):
        base = int.from_bytes(b[i:i + 4 * ac], "big")
        size = int.from_bytes(b[i + 4 * ac:i + step], "big") if sc else 0
        out.append((base, size))
    return out


def enabled(node):
    return "status" not in node.props or raw(node.props["status"]) in (b"okay\0", b"ok\0")


def walk(node):
    yield node
    for c in node.children:
        yield from walk(c)


def find(root, path):
    for n in walk(root):
        if n.path() == path:
            return n
    return None


def translatable(node):
    """Every bus between the root and node has an empty ranges."""
    p = node.parent
    while p is not None and p.parent is not None:
        if "ranges" not in p.props or raw(p.props["ranges"]) != b"":
            return False
        p = p.parent
    return True


def expected(rsvmap, root):
    lines = []
    for n in root.children:
        if raw(n.props.get("device_type", [])) == b"memory\0":
            for base, size in regs(n):
                if size:
                    lines.append("mem 0x%x 0x%x" % (base, size))
    resv = ["resv 0x%x 0x%x rsvmap" % (b, s) for b, s in rsvmap if s]
    rm = find(root, "/reserved-memory")
    if rm:
        for n in rm.children:
            if "reg" in n.props:
                resv += ["resv 0x%x 0x%x node" % (b, s) for b, s in regs(n) if s]
    lines += resv

    chosen = find(root, "/chosen")
    stdout = ""
    bootargs = ""
    if chosen:
        if "bootargs" in chosen.props:
            bootargs = raw(chosen.props["bootargs"]).split(b"\0")[0].decode()[:ARGS_MAX - 1]
        if "stdout-path" in chosen.props:
            sp = raw(chosen.props["stdout-path"]).split(b"\0")[0].decode().split(":")[0]
            if sp.startswith("/"):
                stdout = sp if len(sp) < PATH_MAX else ""
            elif sp:
                al = find(root, "/aliases")
                if al and sp in al.props:
                    v = raw(al.props[sp]).split(b"\0")[0].decode()
                    stdout = v if v.startswith("/") and len(v) < PATH_MAX else ""

    uart, testdev, devices, plic = None, 0, [], []
    for n in walk(root):
        if n.parent is None or "compatible" not in n.props:
            continue
        if n.parent.parent is None and raw(n.props.get("device_type", [])) == b"memory\0":
            continue
        if n.parent.name in ("cpus", "reserved-memory") and n.parent.parent is root:
            continue
        compat = raw(n.props["compatible"]).split(b"\0")
        kind = "ns16550" if (b"ns16550a" in compat or b"ns16550" in compat) else \
            "sifive" if b"sifive,uart0" in compat else None
        shift, width = u32(n, "reg-shift", 0), u32(n, "reg-io-width", 1)
        r = regs(n)
        if kind and enabled(n) and translatable(n) and width in (1, 4) and shift <= 4 \
                and r and r[0][1]:
            is_stdout = stdout != "" and n.path() == stdout
            if uart is None or (is_stdout and not uart[-1]):
                uart = (kind, r[0][0], r[0][1], shift, width, n.path(), is_stdout)
        if b"sifive,test0" in compat and translatable(n) and r and r[0][1] >= 4:
            testdev = r[0][0]
        # the devices handed to the root task (abi.h DEVICE_KIND_LIST order)
        dkind = 1 if (b"ns16550a" in compat or b"ns16550" in compat) else \
            2 if b"sifive,uart0" in compat else 3 if b"virtio,mmio" in compat else \
            4 if b"sifive,test0" in compat else \
            5 if b"google,goldfish-rtc" in compat else 0
        if b"riscv,plic0" in compat and enabled(n) and translatable(n) and r and r[0][1] \
                and not plic:
            plic.append("plic 0x%x 0x%x ndev %d" % (r[0][0], r[0][1], u32(n, "riscv,ndev", 0)))
            ext = raw(n.props.get("interrupts-extended", []))
            for i in range(min(len(ext) // 8, 32)):
                plic.append("plic-ctx %d %d %d" % (i, int.from_bytes(ext[8 * i:8 * i + 4], "big"),
                                                   int.from_bytes(ext[8 * i + 4:8 * i + 8], "big")))
        if dkind and enabled(n) and translatable(n) and r and r[0][1]:
            irqs = n.props.get("interrupts")
            irq = int.from_bytes(raw(irqs)[:4], "big") if irqs and len(raw(irqs)) >= 4 else 0
            devices.append("device %d 0x%x 0x%x irq %d" % (dkind, r[0][0], r[0][1], irq))
    if uart:
        lines.append("uart %s 0x%x 0x%x shift %d width %d %s %s" % (
            uart[0], uart[1], uart[2], uart[3], uart[4],
            "stdout" if uart[6] else "first", uart[5]))
    else:
        lines.append("uart none")

    timebase = 0
    cpus = find(root, "/cpus")
    harts = []
    if cpus:
        for n in cpus.children:
            if raw(n.props.get("device_type", [])) != b"cpu\0":
                continue
            r = regs(n)
            if not r:
                continue
            mmu = "mmu-type" in n.props and raw(n.props["mmu-type"]) != b"riscv,none\0"
            intc = [c for c in n.children if c.name == "interrupt-controller"]
            ph = u32(intc[-1], "phandle", 0) if intc else 0
            isa = raw(n.props.get("riscv,isa", [])).rstrip(b"\0").split(b"_")[1:]
            exts = raw(n.props.get("riscv,isa-extensions", [])).split(b"\0")
            sstc = int(b"sstc" in isa or b"sstc" in exts)
            harts.append("hart %d enabled %d mmu %d intc %d sstc %d"
                         % (r[0][0], enabled(n), mmu, ph, sstc))
            if timebase == 0 and "timebase-frequency" in n.props:
                timebase = int.from_bytes(raw(n.props["timebase-frequency"]), "big")
        if "timebase-frequency" in cpus.props:
            timebase = int.from_bytes(raw(cpus.props["timebase-frequency"]), "big")
    lines.append("timebase %d" % timebase)
    lines += harts
    lines.append("testdev 0x%x" % testdev)
    lines += devices[:16]
    if len(devices) > 16:
        lines.append("devices dropped %d" % (len(devices) - 16))
    lines += plic
    lines.append('bootargs "%s"' % bootargs)
    lines.append('stdout-path "%s"' % stdout)
    return lines


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dtc", default="dtc")
    p.add_argument("--fdt-test", required=True)
    p.add_argument("--fact", action="append", default=[])
    p.add_argument("blob")
    a = p.parse_args()
    dts = subprocess.run([a.dtc, "-q", "-I", "dtb", "-O", "dts", a.blob], check=True,
                         capture_output=True, text=True).stdout
    want = expected(*parse_dts(dts))
    got_run = subprocess.run([a.fdt_test, "summary", a.blob], capture_output=True, text=True)
    got = got_run.stdout.splitlines()
    ok = got_run.returncode == 0 and got == want
    if got_run.returncode != 0:
        print("fdt_test failed (%d):\n%s%s" % (got_run.returncode, got_run.stdout,
                                               got_run.stderr))
    elif got != want:
        print("fdt.c and dtc disagree on %s:" % a.blob)
        for line in sorted(set(got) | set(want)):
            mark = " " if (line in got and line in want) else ("+" if line in got else "-")
            print("  %s %s" % (mark, line))
        print("  (+ only fdt.c, - only dtc)")
    for f in a.fact:
        if f not in got:
            print("known fact missing from fdt.c's output: %r" % f)
            ok = False
    print("\n".join(got))
    print("check_fdt: %s: %s (%d lines compared, %d facts)" % (
        a.blob, "PASS" if ok else "FAIL", len(want), len(a.fact)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
