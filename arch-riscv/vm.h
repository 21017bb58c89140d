/*
 * vm.h: Sv39 page tables, reusable for the kernel and (later) user
 * address spaces.
 *
 * Tables are named by physical address. The code reaches a table through
 * a pointer `pa + pa_offset`: 0 while paging is off (and in host tests),
 * DMAP_BASE once the direct map is live. Intermediate tables come from a
 * caller-supplied run of physical frames (struct pt_frames), so the caller
 * decides (and pays for) the memory page tables use.
 *
 * Portable C with no CSR access: tests/boot/sv39_test.c runs it on the host.
 */
#ifndef ARCH_RISCV_VM_H
#define ARCH_RISCV_VM_H

#include <stdint.h>
#include "riscv.h"

enum vm_err {
  VM_OK = 0,
  VM_ERR_ALIGN,      /* 1: va or pa not aligned to the page size of the level */
  VM_ERR_VA,         /* 2: va not canonical for Sv39 (bits 63..38 differ) */
  VM_ERR_PERM,       /* 3: perm has no R/X, W without R, or bits beyond R|W|X|U|G|A|D */
  VM_ERR_LEVEL,      /* 4: level not 0, 1 or 2 */
  VM_ERR_EXISTS,     /* 5: something is already mapped there (no silent remap) */
  VM_ERR_NOMEM,      /* 6: the frame supply ran out */
  VM_ERR_NOTMAPPED,  /* 7: unmap/lookup found no leaf of that level */
};

/* An address space: its root table, and how to reach tables from here. */
struct sv39 {
  uint64_t root_pa;
  uint64_t pa_offset;
};

/* Frames for new page tables: [next_pa, end_pa), 4 KiB aligned, used upward. */
struct pt_frames {
  uint64_t next_pa;
  uint64_t end_pa;
};

/* Take one zeroed frame from the supply; 0 if none is left. */
uint64_t pt_frame_take(struct pt_frames *frames, uint64_t pa_offset);

/*
 * Map one leaf: 4 KiB at level 0, 2 MiB at level 1, 1 GiB at level 2.
 * perm is a combination of PTE_R/W/X/U/G/A/D (V is added). Refuses to
 * replace an existing mapping, or to descend through a superpage.
 */
int sv39_map(const struct sv39 *as, uint64_t va, uint64_t pa, uint64_t perm,
             int level, struct pt_frames *frames);

/*
 * Map [va, va+size) to [pa, pa+size), 4 KiB aligned, using the largest
 * leaf that alignment and the remaining size allow. The VA range is
 * checked up front; on a later error (VM_ERR_EXISTS, VM_ERR_NOMEM) the
 * pages mapped before it stay mapped.
 */
int sv39_map_range(const struct sv39 *as, uint64_t va, uint64_t pa, uint64_t size,
                   uint64_t perm, struct pt_frames *frames);

/* Remove the leaf of `level` that maps va. The caller flushes the TLB. */
int sv39_unmap(const struct sv39 *as, uint64_t va, int level);

/*
 * Translate va. On VM_OK sets *pa and *pte (the leaf) and *level.
 */
int sv39_lookup(const struct sv39 *as, uint64_t va, uint64_t *pa, uint64_t *pte,
                int *level);

#endif
