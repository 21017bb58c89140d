/*
 * ktables.h: sizing and placing the kernel's tables indexed by frame at
 * boot (ktables.c; kernel/include/tables.h says why they are sized then).
 */
#ifndef ARCH_RISCV_KTABLES_H
#define ARCH_RISCV_KTABLES_H

#include <stdint.h>
#include "tables.h"
#include "memlayout.h"
#include "riscv.h"

unsigned ktables_count(void);             /* how many tables there are     */
uint64_t ktables_row_bytes(void);         /* bytes of one frame's rows     */
uint64_t ktables_bytes(uint32_t n);       /* bytes of them all for n frames,
                                             each table 64-byte aligned    */

/* A run of free RAM the tables may use (physical), and how much of it
 * ktables_fit gave them (from base). */
struct ktables_region {
  uint64_t base, size, used;
};
#define KTABLES_MAX_REGIONS 24

/* Do the tables for n frames fit in the regions, each table whole in the
 * first region with room left for it (in the order given)? 0 if so, -1
 * if not; regions' `used` says how much each took, from its base (a
 * multiple of 64 bytes). With `place`, also point every table at its rows
 * there (once, before kernel_init: the rows are reached through the
 * direct map); the caller zeroes what the regions' `used` covers. */
int ktables_fit(struct ktables_region *r, unsigned nr, uint32_t n, int place);

#endif
