/*
 * memmap.c: see memmap.h.
 */
#include "memmap.h"

#define PAGE 4096ull

static uint64_t end_of(const struct fdt_region *r)
{
  return r->base + r->size;        /* fdt.c guarantees no overflow */
}

static void emit(uint64_t start, uint64_t end, struct fdt_region *out, unsigned max,
                 unsigned *n)
{
  start = (start + PAGE - 1) & ~(PAGE - 1);
  end &= ~(PAGE - 1);
  if (end <= start)
    return;
  if (*n < max) {
    out[*n].base = start;
    out[*n].size = end - start;
  }
  (*n)++;
}

unsigned memmap_free(const struct fdt_region *ram, unsigned nram,
                     const struct fdt_region *holes, unsigned nholes,
                     struct fdt_region *out, unsigned max)
{
  unsigned n = 0;
  for (unsigned r = 0; r < nram; r++) {
    uint64_t cursor = ram[r].base, end = end_of(&ram[r]);
    /* each step passes one hole, so nholes + 1 steps suffice */
    for (unsigned step = 0; step <= nholes && cursor < end; step++) {
      int next = -1;                /* the lowest hole overlapping [cursor, end) */
      for (unsigned h = 0; h < nholes; h++) {
        if (holes[h].size == 0 || end_of(&holes[h]) <= cursor || holes[h].base >= end)
          continue;
        if (next < 0 || holes[h].base < holes[next].base)
          next = (int)h;
      }
      if (next < 0) {
        emit(cursor, end, out, max, &n);
        cursor = end;
        break;
      }
      if (holes[next].base > cursor)
        emit(cursor, holes[next].base, out, max, &n);
      cursor = end_of(&holes[next]);
    }
  }
  return n;
}
