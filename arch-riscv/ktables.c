/*
 * ktables.c: the kernel's tables indexed by frame, sized and placed at
 * boot (kernel/include/tables.h). Every table defined with
 * FRAME_TABLE_DEF and friends, in the core and here in arch-riscv/, has
 * an entry in the section .frame_tables (kernel.ld collects them between
 * __frame_tables_start and __frame_tables_end): its pointer variable and
 * the bytes one frame's row takes.
 */
#include "ktables.h"

extern const struct frame_table __frame_tables_start[], __frame_tables_end[];

#define TABLE_ALIGN 64u    /* each table starts on a cache line */

unsigned ktables_count(void)
{
  return (unsigned)(__frame_tables_end - __frame_tables_start);
}

uint64_t ktables_row_bytes(void)
{
  uint64_t sum = 0;
  for (const struct frame_table *t = __frame_tables_start; t < __frame_tables_end; t++)
    sum += t->row_bytes;
  return sum;
}

uint64_t ktables_bytes(uint32_t n)
{
  uint64_t sum = 0;
  for (const struct frame_table *t = __frame_tables_start; t < __frame_tables_end; t++)
    sum += align_up((uint64_t)n * t->row_bytes, TABLE_ALIGN);
  return sum;
}

int ktables_fit(struct ktables_region *r, unsigned nr, uint32_t n, int place)
{
  uint64_t next[KTABLES_MAX_REGIONS];
  if (nr > KTABLES_MAX_REGIONS)
    nr = KTABLES_MAX_REGIONS;
  for (unsigned i = 0; i < nr; i++)
    next[i] = align_up(r[i].base, TABLE_ALIGN);
  for (const struct frame_table *t = __frame_tables_start; t < __frame_tables_end; t++) {
    uint64_t bytes = align_up((uint64_t)n * t->row_bytes, TABLE_ALIGN);
    unsigned i = 0;
    while (i < nr && next[i] + bytes > r[i].base + r[i].size)
      i++;
    if (i == nr)
      return -1;
    if (place)
      *(void **)t->base = pa_to_kva(next[i]);
    next[i] += bytes;
  }
  for (unsigned i = 0; i < nr; i++)
    r[i].used = next[i] - r[i].base;
  return 0;
}
