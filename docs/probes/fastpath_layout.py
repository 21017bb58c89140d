#!/usr/bin/env python3
"""fastpath_layout.py BUILD_DIR: what the IPC fast path would cost over
other table layouts (docs/BENCHMARKS.md, "Why not 200").
fastpath_layout.py --write-tree DIR: write kernel/ (rewritten to records)
and proofs/ into DIR, where `python3 proofs/wp.py --cache none` then runs
the proof pass over the record layout.

A probe, not a test and not part of the kernel. It compiles
arch-riscv/fastpath.c (the proved kernel/ipc.c and kernel/sched.c inlined
into it) with the flags CMake gives it (read from BUILD_DIR's flags.make)
three times:

  fields   the kernel as it is: one global array per field (docs/MODEL.md);
  records  a copy of kernel/ rewritten so that the same C reads records,
           as seL4's TCBs and CTEs: p_X[i] -> PR[i].X, frame_type[i] and
           frame_gen[i], ep_recv[i], ep_nosend[i] -> FR[i].*, cap_X[c][s]
           -> CT[c][s].X (p_regs and p_mword stay rows);
  records2 the same, each record padded to a power of two (an index is
           then a shift, not a multiply);

and counts, for each entry (call, reply_recv, signal), the instructions
of its taken path: from the entry, falling through every conditional
branch (every check passes, no ticket saturates) unless the fall-through
can only return without the switch (the not-taken exit), to its ret. These are unlinked objects, so every table
address is auipc+addi; in the linked kernel, the tables placed around gp
save a few (compare the 'fields' figure with the image's: the script
prints both when BUILD_DIR has the bench kernel).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENTRIES = ("user_fastpath_call", "user_fastpath_reply_recv", "user_fastpath_signal")

PROC = ("state gen cspace cspace_gen prio ticket wait wait_gen mlabel mcaps mbadge "
        "reply_to reply_gen reply_tkt fault_ep fault_gen fault_badge").split()
FRAME = {"frame_type": "type", "frame_gen": "gen", "ep_recv": "ep_recv",
         "ep_nosend": "ep_nosend"}
CAP = "type obj gen read write grant badge".split()
TABLES = {**{"p_" + f: ("PR", f, 1) for f in PROC},
          **{k: ("FR", v, 1) for k, v in FRAME.items()},
          **{"cap_" + f: ("CT", f, 2) for f in CAP}}
NAME = re.compile(r"\b(%s)\b\s*\[" % "|".join(sorted(TABLES, key=len, reverse=True)))
DECL = re.compile(r"^(extern\s+)?\w+\s+(%s)\s*\[[^;]*;.*$" % "|".join(TABLES), re.M)

RECORDS = """
struct proc_rec { uint64_t ticket, mlabel, mbadge, reply_tkt, fault_badge;
  uint32_t gen, cspace, cspace_gen, prio, wait, wait_gen, mcaps, reply_to,
           reply_gen, fault_ep, fault_gen;
  uint8_t state; PAD_PROC };
struct frame_rec { uint32_t gen, ep_recv; uint8_t type, ep_nosend; PAD_FRAME };
struct cap_rec { uint64_t badge; uint32_t obj, gen;
  uint8_t type, read, write, grant; PAD_CAP };
extern struct proc_rec PR[NFRAMES];
extern struct frame_rec FR[NFRAMES];
extern struct cap_rec CT[NFRAMES][NSLOTS];
"""
# padding to 128, 16 and 32 bytes (sizes 88, 12 and 20 unpadded)
PADS = {"records": ("", "", ""),
        "records2": ("uint8_t pad[40];", "uint8_t pad[4];", "uint8_t pad[12];")}


def close(s, i):
    """index past the ']' matching the '[' at s[i]"""
    depth = 0
    for j in range(i, len(s)):
        depth += {"[": 1, "]": -1}.get(s[j], 0)
        if depth == 0:
            return j + 1
    raise ValueError("unbalanced [ at %d" % i)


def to_records(s):
    out, pos = [], 0
    while True:
        m = NAME.search(s, pos)
        if not m:
            return "".join(out) + s[pos:]
        rec, field, dims = TABLES[m.group(1)]
        out.append(s[pos:m.start()])
        i, idx = m.end() - 1, []
        while len(idx) < dims and i < len(s) and s[i] == "[":
            j = close(s, i)
            idx.append(to_records(s[i + 1:j - 1]))
            i = j
        if len(idx) < dims:          # e.g. cap_type[cs] as a row: keep it
            out.append(s[m.start():i])
        else:
            out.append(rec + "".join("[%s]" % e for e in idx) + "." + field)
        pos = i


def rewrite(src, dst, pads):
    """dst/kernel: src's kernel/ over records (declared in state.h before
    the ACSL vocabulary, defined in state.c); dst/fastpath.c likewise"""
    shutil.copytree(os.path.join(src, "kernel"), os.path.join(dst, "kernel"))
    shutil.copy(os.path.join(src, "arch-riscv", "fastpath.c"), dst)
    files = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(dst, "kernel"))
             for f in fs if f.endswith((".c", ".h", ".acsl"))] + [os.path.join(dst, "fastpath.c")]
    for f in files:
        s = DECL.sub("", open(f).read())
        if f.endswith("state.h"):
            recs = RECORDS
            for key, pad in zip(("PAD_PROC", "PAD_FRAME", "PAD_CAP"), pads):
                recs = recs.replace(key, pad)
            s = s.replace('#include "model.acsl"', recs + '#include "model.acsl"', 1)
        if f.endswith("state.c"):
            s += "struct proc_rec PR[NFRAMES];\nstruct frame_rec FR[NFRAMES];\n" \
                 "struct cap_rec CT[NFRAMES][NSLOTS];\n"
        open(f, "w").write(to_records(s))


def taken_path(objfile, fn):
    """instructions from fn to its ret along the taken fast path: falling
    through every conditional branch, unless the fall-through returns
    without the switch (csrw satp), i.e. is the not-taken exit (GCC may
    lay out a check either way)"""
    dis = subprocess.run(["riscv64-unknown-elf-objdump", "-d", "--no-show-raw-insn", objfile],
                         capture_output=True, text=True, check=True).stdout
    ins, order, inside = {}, [], False
    for line in dis.splitlines():
        head = re.match(r"^[0-9a-f]+ <([^>]+)>:", line)
        if head:
            if inside and not head.group(1).startswith(".L"):
                break
            inside = inside or head.group(1) == fn
            continue
        m = re.match(r"\s*([0-9a-f]+):\s+(\S+)\s*(.*)", line) if inside else None
        if m:
            ins[int(m.group(1), 16)] = (m.group(2), m.group(3))
            order.append(int(m.group(1), 16))
    def next_pc(pc):
        return order[order.index(pc) + 1]

    def target(args):
        return int(args.split(",")[-1].split()[0], 16)

    seen = {}

    def switches(pc):
        """some path from pc reaches the switch"""
        if pc not in seen:
            seen[pc] = False                  # a loop back here: no
            op, args = ins[pc]
            if op == "csrw" and "satp" in args:
                seen[pc] = True
            elif op == "j":
                seen[pc] = switches(target(args))
            elif op.startswith("b"):
                seen[pc] = switches(next_pc(pc)) or switches(target(args))
            elif op not in ("ret", "jr"):
                seen[pc] = switches(next_pc(pc))
        return seen[pc]

    pc, n = order[0], 0
    while True:
        op, args = ins[pc]
        n += 1
        if op in ("ret", "jr"):
            return n
        if op == "j":
            pc = target(args)
        elif op.startswith("b") and not switches(next_pc(pc)):
            pc = target(args)
        else:
            pc = next_pc(pc)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--write-tree":
        dst = os.path.abspath(sys.argv[2])
        rewrite(ROOT, dst, PADS["records"])
        os.remove(os.path.join(dst, "fastpath.c"))
        shutil.copytree(os.path.join(ROOT, "proofs"), os.path.join(dst, "proofs"))
        print("%s: kernel/ over records; run: cd %s && python3 proofs/wp.py --cache none" % (dst, dst))
        return 0
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
    flags_make = os.path.join(build, "riscv", "arch-riscv", "CMakeFiles",
                              "kernel-bench-fastpath.dir", "flags.make")
    flags = re.search(r"^C_FLAGS = (.*)$", open(flags_make).read(), re.M).group(1).split()
    cc = "riscv64-unknown-elf-gcc"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for layout in ("fields", "records", "records2"):
            d = os.path.join(tmp, layout)
            if layout == "fields":
                os.makedirs(d)
                kdir, fp = os.path.join(ROOT, "kernel"), os.path.join(ROOT, "arch-riscv", "fastpath.c")
            else:
                rewrite(ROOT, d, PADS[layout])
                kdir, fp = os.path.join(d, "kernel"), os.path.join(d, "fastpath.c")
            obj = os.path.join(d, "fp.o")
            subprocess.run([cc] + flags + ["-I" + os.path.join(kdir, "include"), "-I" + kdir,
                                           "-I" + os.path.join(ROOT, "arch-riscv"),
                                           "-c", fp, "-o", obj], check=True)
            rows.append((layout, [taken_path(obj, e) for e in ENTRIES]))
    image = os.path.join(build, "riscv", "arch-riscv", "kernel-bench.elf")
    if os.path.exists(image):
        rows.append(("fields, linked", [taken_path(image, e) for e in ENTRIES]))
    print("%-16s %6s %6s %6s   (instructions of the C on the taken path)"
          % ("layout", "call", "reply", "signal"))
    for layout, counts in rows:
        print("%-16s %6d %6d %6d" % ((layout,) + tuple(counts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
