/*
 * vm.c: Sv39 page-table helpers (see vm.h for the conventions and
 * riscv.h for the address split and PTE format).
 *
 * Runs both before paging (boot.c builds the kernel's first tables at the
 * load address) and after, so: no globals, no switch statements.
 */
#include "vm.h"

#define PERM_ALLOWED (PTE_R | PTE_W | PTE_X | PTE_U | PTE_G | PTE_A | PTE_D)

static uint64_t *table_at(uint64_t pa, uint64_t pa_offset)
{
  return (uint64_t *)(uintptr_t)(pa + pa_offset);
}

static int va_canonical(uint64_t va)
{
  uint64_t top = va >> 38;          /* bits 63..38: all 0 or all 1 */
  return top == 0 || top == (1ul << 26) - 1;
}

static int perm_ok(uint64_t perm)
{
  if ((perm & ~PERM_ALLOWED) != 0)
    return 0;
  if ((perm & (PTE_R | PTE_X)) == 0)
    return 0;                        /* not a leaf */
  if ((perm & PTE_W) != 0 && (perm & PTE_R) == 0)
    return 0;                        /* W without R is reserved */
  return 1;
}

uint64_t pt_frame_take(struct pt_frames *frames, uint64_t pa_offset)
{
  if (frames == 0 || frames->next_pa >= frames->end_pa
      || frames->end_pa - frames->next_pa < PAGE_SIZE)
    return 0;
  uint64_t pa = frames->next_pa;
  frames->next_pa += PAGE_SIZE;
  uint64_t *t = table_at(pa, pa_offset);
  for (int i = 0; i < PTES_PER_PT; i++)
    t[i] = 0;
  return pa;
}

/*
 * The entry for va in the table of `level`, creating missing tables on
 * the way down when frames != 0. Returns 0 with *err set on failure.
 */
static uint64_t *walk(const struct sv39 *as, uint64_t va, int level,
                      struct pt_frames *frames, int *err)
{
  uint64_t table_pa = as->root_pa;
  for (int l = 2; l > level; l--) {
    uint64_t *pte = &table_at(table_pa, as->pa_offset)[VPN(va, l)];
    if ((*pte & PTE_V) != 0) {
      if (PTE_LEAF(*pte)) {
        *err = frames != 0 ? VM_ERR_EXISTS : VM_ERR_NOTMAPPED;
        return 0;                    /* a superpage covers va */
      }
      table_pa = PTE2PA(*pte);
      continue;
    }
    if (frames == 0) {
      *err = VM_ERR_NOTMAPPED;
      return 0;
    }
    uint64_t new_pa = pt_frame_take(frames, as->pa_offset);
    if (new_pa == 0) {
      *err = VM_ERR_NOMEM;
      return 0;
    }
    *pte = PA2PTE(new_pa) | PTE_V;   /* a pointer to the next level */
    table_pa = new_pa;
  }
  return &table_at(table_pa, as->pa_offset)[VPN(va, level)];
}

int sv39_map(const struct sv39 *as, uint64_t va, uint64_t pa, uint64_t perm,
             int level, struct pt_frames *frames)
{
  if (level < 0 || level > 2)
    return VM_ERR_LEVEL;
  if (!va_canonical(va))
    return VM_ERR_VA;
  uint64_t mask = LEVEL_SIZE(level) - 1;
  if ((va & mask) != 0 || (pa & mask) != 0)
    return VM_ERR_ALIGN;
  if (!perm_ok(perm))
    return VM_ERR_PERM;
  int err = VM_OK;
  uint64_t *pte = walk(as, va, level, frames, &err);
  if (pte == 0)
    return err;
  if ((*pte & PTE_V) != 0)
    return VM_ERR_EXISTS;
  *pte = PA2PTE(pa) | perm | PTE_V;
  return VM_OK;
}

int sv39_map_range(const struct sv39 *as, uint64_t va, uint64_t pa, uint64_t size,
                   uint64_t perm, struct pt_frames *frames)
{
  if (((va | pa | size) & (PAGE_SIZE - 1)) != 0)
    return VM_ERR_ALIGN;
  if (size == 0)
    return VM_OK;
  uint64_t last = va + size - PAGE_SIZE;
  if (last < va || !va_canonical(va) || !va_canonical(last) || (va >> 38) != (last >> 38))
    return VM_ERR_VA;                /* wraps, or leaves its half of the space */
  while (size > 0) {
    int level = 2;
    while (level > 0 && (((va | pa) & (LEVEL_SIZE(level) - 1)) != 0
                         || size < LEVEL_SIZE(level)))
      level--;
    int err = sv39_map(as, va, pa, perm, level, frames);
    if (err != VM_OK)
      return err;
    va += LEVEL_SIZE(level);
    pa += LEVEL_SIZE(level);
    size -= LEVEL_SIZE(level);
  }
  return VM_OK;
}

int sv39_unmap(const struct sv39 *as, uint64_t va, int level)
{
  if (level < 0 || level > 2)
    return VM_ERR_LEVEL;
  if (!va_canonical(va))
    return VM_ERR_VA;
  int err = VM_OK;
  uint64_t *pte = walk(as, va, level, 0, &err);
  if (pte == 0)
    return err;
  if ((*pte & PTE_V) == 0 || !PTE_LEAF(*pte))
    return VM_ERR_NOTMAPPED;
  *pte = 0;
  return VM_OK;
}

int sv39_lookup(const struct sv39 *as, uint64_t va, uint64_t *pa, uint64_t *pte_out,
                int *level_out)
{
  if (!va_canonical(va))
    return VM_ERR_VA;
  uint64_t table_pa = as->root_pa;
  for (int l = 2; l >= 0; l--) {
    uint64_t pte = table_at(table_pa, as->pa_offset)[VPN(va, l)];
    if ((pte & PTE_V) == 0)
      return VM_ERR_NOTMAPPED;
    if (PTE_LEAF(pte)) {
      *pa = PTE2PA(pte) + (va & (LEVEL_SIZE(l) - 1));
      *pte_out = pte;
      *level_out = l;
      return VM_OK;
    }
    table_pa = PTE2PA(pte);
  }
  return VM_ERR_NOTMAPPED;
}
