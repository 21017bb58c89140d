#!/usr/bin/env python3
"""Check the RISC-V Linux Image header of the kernel image, field by field
(Linux Documentation/arch/riscv/boot-image-header.rst), against the
symbols of kernel.elf:

  check_image.py --nm riscv64-unknown-elf-nm IMAGE KERNEL_ELF
"""
import argparse
import struct
import subprocess
import sys


def symbols(nm, elf):
    out = subprocess.run([nm, elf], check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def jal_target(word):
    """Offset a 'jal x0, imm' jumps by, or None if word is not one."""
    if word & 0x7f != 0x6f or (word >> 7) & 0x1f != 0:
        return None
    imm = ((word >> 31) & 1) << 20 | ((word >> 12) & 0xff) << 12 \
        | ((word >> 20) & 1) << 11 | ((word >> 21) & 0x3ff) << 1
    return imm - (1 << 21) if imm & (1 << 20) else imm


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--nm", default="riscv64-unknown-elf-nm")
    p.add_argument("image")
    p.add_argument("elf")
    a = p.parse_args()
    data = open(a.image, "rb").read()
    syms = symbols(a.nm, a.elf)
    (code0, code1, text_offset, image_size, flags, version, res1, res2,
     magic, magic2, res3) = struct.unpack("<IIQQQIIQ8s4sI", data[:64])
    size = syms["_kernel_end"] - syms["_kernel_start"]
    checks = [
        ("code0 is a 4-byte 'j' (not compressed)", code0 & 3 == 3 and jal_target(code0) is not None),
        ("code0 jumps to entry", jal_target(code0) == syms["entry"] - syms["_start"]),
        ("_start is the first byte of the image", syms["_start"] == syms["_kernel_start"]),
        ("text_offset is 2 MiB", text_offset == 0x200000),
        ("image_size = _kernel_end - _kernel_start (bss included)", image_size == size),
        ("image_size covers the file", image_size >= len(data)),
        ("image_size is page aligned", image_size % 4096 == 0),
        ("flags: little endian", flags == 0),
        ("version 0.2", version == 2),
        ("reserved fields zero", code1 == 0 and res1 == 0 and res2 == 0 and res3 == 0),
        ('magic "RISCV\\0\\0\\0"', magic == b"RISCV\0\0\0"),
        ('magic2 "RSC\\x05"', magic2 == b"RSC\x05"),
    ]
    bad = 0
    for what, ok in checks:
        print("%s %s" % ("ok  " if ok else "FAIL", what))
        bad += not ok
    print("check_image: %s (image_size 0x%x, file %d bytes)" % (
        "PASS" if not bad else "FAIL", image_size, len(data)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
