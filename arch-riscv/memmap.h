/*
 * memmap.h: free physical memory = RAM regions minus the holes that must
 * never be touched (firmware reservations, the device tree blob, the
 * kernel image). Portable; tested on the host by tests/boot/fdt_test.c.
 */
#ifndef ARCH_RISCV_MEMMAP_H
#define ARCH_RISCV_MEMMAP_H

#include "fdt.h"

/*
 * Write the parts of `ram` outside every hole into out[0..max), rounded
 * inward to 4 KiB, in RAM-region order. Returns how many ranges there
 * are; if that exceeds max, only the first max were written.
 */
unsigned memmap_free(const struct fdt_region *ram, unsigned nram,
                     const struct fdt_region *holes, unsigned nholes,
                     struct fdt_region *out, unsigned max);

#endif
