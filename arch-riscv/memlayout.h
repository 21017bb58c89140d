/*
 * memlayout.h: the kernel's virtual address map (Sv39).
 *
 *   0x0000000000000000 .. 0x0000003fffffffff  lower half: user space later.
 *                                             During boot only, an identity
 *                                             map of the kernel image's
 *                                             gigabyte(s), removed in kmain.
 *   0xffffffc000000000 .. 0xffffffdfffffffff  direct map: VA = PA + DMAP_BASE
 *                                             for every RAM region of the
 *                                             device tree and the devices the
 *                                             kernel drives (UART, test device)
 *   0xffffffe000000000 .. +NFRAMES * 4 KiB    the frame window: managed frame f
 *                                             at FWIN_BASE + f * 4096, wherever
 *                                             its run lies in RAM. The kernel
 *                                             core's per-object records live
 *                                             there, in each object's own frame
 *                                             (kernel/include/state.h)
 *   0xffffffff80000000 .. +image size         the kernel image (KERNEL_VBASE),
 *                                             wherever it was loaded
 *
 * The kernel is linked at KERNEL_VBASE but may be loaded at any 4 KiB
 * aligned physical address (2 MiB aligned in practice: booti's rule);
 * start.S and boot.c run at the load address, position-independently,
 * until paging is on.
 */
#ifndef ARCH_RISCV_MEMLAYOUT_H
#define ARCH_RISCV_MEMLAYOUT_H

#define KERNEL_VBASE 0xffffffff80000000ul
#define DMAP_BASE    0xffffffc000000000ul
#define FWIN_BASE    0xffffffe000000000ul
/* physical addresses below DMAP_LIMIT (128 GiB) fit in the direct map */
#define DMAP_LIMIT   (FWIN_BASE - DMAP_BASE)

/* the lower half: canonical addresses with bit 38 clear */
#define LOWER_HALF_END 0x0000004000000000ul

#define KSTACK_SIZE 16384ul

#ifndef __ASSEMBLER__
#include <stdint.h>
/* physical address -> kernel pointer through the direct map (after paging) */
static inline void *pa_to_kva(uint64_t pa) { return (void *)(pa + DMAP_BASE); }
#endif

#endif
