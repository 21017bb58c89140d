/*
 * sv39_test.c: host tests of arch-riscv/vm.c, the Sv39 page-table helpers.
 * Page tables live in host memory; "physical addresses" are host addresses
 * and pa_offset is 0, as before paging on the target.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memlayout.h"
#include "vm.h"

static int failures, checks;

#define CHECK(cond, ...)                                                   \
  do {                                                                     \
    checks++;                                                              \
    if (!(cond)) {                                                         \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                 \
      fprintf(stderr, __VA_ARGS__);                                        \
      fprintf(stderr, "\n");                                               \
      failures++;                                                          \
    }                                                                      \
  } while (0)

#define KRW (PTE_R | PTE_W | PTE_A | PTE_D)

/* a fresh address space with `nframes` spare frames for tables */
struct space {
  uint8_t *pool;
  struct sv39 as;
  struct pt_frames frames;
};

static void space_new(struct space *s, unsigned nframes)
{
  s->pool = aligned_alloc(PAGE_SIZE, (nframes + 1) * PAGE_SIZE);
  memset(s->pool, 0xa5, (nframes + 1) * PAGE_SIZE);   /* garbage: tables must be zeroed */
  s->frames.next_pa = (uint64_t)(uintptr_t)s->pool;
  s->frames.end_pa = s->frames.next_pa + (nframes + 1) * PAGE_SIZE;
  s->as.pa_offset = 0;
  s->as.root_pa = pt_frame_take(&s->frames, 0);
}

static unsigned frames_used(const struct space *s)
{
  return (unsigned)((s->frames.next_pa - (uint64_t)(uintptr_t)s->pool) / PAGE_SIZE);
}

static void expect_maps(const struct space *s, uint64_t va, uint64_t pa, uint64_t perm,
                        int level)
{
  uint64_t got_pa = 0, pte = 0;
  int got_level = -1;
  int err = sv39_lookup(&s->as, va, &got_pa, &pte, &got_level);
  CHECK(err == VM_OK, "lookup 0x%llx: err %d", (unsigned long long)va, err);
  if (err != VM_OK)
    return;
  CHECK(got_pa == pa, "lookup 0x%llx: pa 0x%llx, want 0x%llx", (unsigned long long)va,
        (unsigned long long)got_pa, (unsigned long long)pa);
  CHECK((pte & PTE_FLAGS) == (perm | PTE_V), "lookup 0x%llx: flags 0x%llx, want 0x%llx",
        (unsigned long long)va, (unsigned long long)(pte & PTE_FLAGS),
        (unsigned long long)(perm | PTE_V));
  CHECK(got_level == level, "lookup 0x%llx: level %d, want %d", (unsigned long long)va,
        got_level, level);
}

static void expect_unmapped(const struct space *s, uint64_t va)
{
  uint64_t pa, pte;
  int level;
  int err = sv39_lookup(&s->as, va, &pa, &pte, &level);
  CHECK(err == VM_ERR_NOTMAPPED, "0x%llx should be unmapped, err %d", (unsigned long long)va,
        err);
}

static void test_address_split(void)
{
  /* the kernel's layout lands where memlayout.h says */
  CHECK(VPN(KERNEL_VBASE, 2) == 510, "KERNEL_VBASE root index %llu",
        (unsigned long long)VPN(KERNEL_VBASE, 2));
  CHECK(VPN(DMAP_BASE, 2) == 256, "DMAP_BASE root index %llu",
        (unsigned long long)VPN(DMAP_BASE, 2));
  CHECK(VPN(0x80201000ul, 0) == 1 && VPN(0x80201000ul, 1) == 1 && VPN(0x80201000ul, 2) == 2,
        "VPN split of 0x80201000");
  CHECK(PTE2PA(PA2PTE(0x87654000ul)) == 0x87654000ul, "PA2PTE/PTE2PA round trip");
  CHECK(MAKE_SATP(0x80201000ul) == (8ul << 60 | 0x80201ul), "satp encoding");
}

static void test_map_levels(void)
{
  struct space s;
  space_new(&s, 8);
  uint64_t pa4k = 0x80203000, pa2m = 0x80400000, pa1g = 0xc0000000;

  CHECK(sv39_map(&s.as, 0x1000, pa4k, KRW | PTE_U, 0, &s.frames) == VM_OK, "map 4K");
  expect_maps(&s, 0x1000, pa4k, KRW | PTE_U, 0);
  expect_maps(&s, 0x1abc, pa4k + 0xabc, KRW | PTE_U, 0);
  expect_unmapped(&s, 0x2000);
  CHECK(frames_used(&s) == 3, "4K page needs root + 2 tables, used %u", frames_used(&s));

  CHECK(sv39_map(&s.as, KERNEL_VBASE + 0x200000, pa2m, PTE_R | PTE_X | PTE_G, 1, &s.frames)
        == VM_OK, "map 2M");
  expect_maps(&s, KERNEL_VBASE + 0x200000 + 0x12345, pa2m + 0x12345, PTE_R | PTE_X | PTE_G, 1);
  CHECK(sv39_map(&s.as, DMAP_BASE + pa1g, pa1g, KRW | PTE_G, 2, &s.frames) == VM_OK, "map 1G");
  expect_maps(&s, DMAP_BASE + pa1g + 0x3fffffff, pa1g + 0x3fffffff, KRW | PTE_G, 2);
  CHECK(frames_used(&s) == 4, "2M page needs one more table, 1G none: used %u", frames_used(&s));
  free(s.pool);
}

static void test_refusals(void)
{
  struct space s;
  space_new(&s, 2);
  CHECK(sv39_map(&s.as, 0x1001, 0x80000000, KRW, 0, &s.frames) == VM_ERR_ALIGN, "va align");
  CHECK(sv39_map(&s.as, 0x1000, 0x80000800, KRW, 0, &s.frames) == VM_ERR_ALIGN, "pa align");
  CHECK(sv39_map(&s.as, 0x201000, 0x80200000, KRW, 1, &s.frames) == VM_ERR_ALIGN, "2M align");
  CHECK(sv39_map(&s.as, 0x0000004000000000ul, 0x80000000, KRW, 0, &s.frames) == VM_ERR_VA,
        "non-canonical (bit 38 set, upper bits clear)");
  CHECK(sv39_map(&s.as, 0xffff800000000000ul, 0x80000000, KRW, 0, &s.frames) == VM_ERR_VA,
        "non-canonical (Sv48-style address)");
  CHECK(sv39_map(&s.as, 0x1000, 0x80000000, PTE_W, 0, &s.frames) == VM_ERR_PERM, "W only");
  CHECK(sv39_map(&s.as, 0x1000, 0x80000000, PTE_U, 0, &s.frames) == VM_ERR_PERM, "no R/X");
  CHECK(sv39_map(&s.as, 0x1000, 0x80000000, PTE_R | PTE_V, 0, &s.frames) == VM_ERR_PERM,
        "caller-supplied V");
  CHECK(sv39_map(&s.as, 0x1000, 0x80000000, PTE_R | (1ul << 8), 0, &s.frames) == VM_ERR_PERM,
        "RSW bits");
  CHECK(sv39_map(&s.as, 0x1000, 0x80000000, PTE_R, 3, &s.frames) == VM_ERR_LEVEL, "level 3");
  CHECK(sv39_map(&s.as, 0x1000, 0x80000000, PTE_R, -1, &s.frames) == VM_ERR_LEVEL, "level -1");
  CHECK(frames_used(&s) == 1, "refused maps allocated %u frames", frames_used(&s) - 1);

  CHECK(sv39_map(&s.as, 0x1000, 0x80000000, PTE_R, 0, &s.frames) == VM_OK, "map");
  CHECK(sv39_map(&s.as, 0x1000, 0x80001000, PTE_R, 0, &s.frames) == VM_ERR_EXISTS, "remap");
  expect_maps(&s, 0x1000, 0x80000000, PTE_R, 0);
  CHECK(sv39_map(&s.as, 0x0, 0x80000000, PTE_R, 1, &s.frames) == VM_ERR_EXISTS,
        "2M leaf over a table");
  CHECK(sv39_map(&s.as, 0x40000000, 0x80000000, PTE_R, 0, &s.frames) == VM_ERR_NOMEM,
        "out of frames");
  free(s.pool);

  space_new(&s, 4);
  CHECK(sv39_map(&s.as, 0x40000000, 0x40000000, PTE_R, 2, &s.frames) == VM_OK, "1G");
  CHECK(sv39_map(&s.as, 0x40001000, 0x1000, PTE_R, 0, &s.frames) == VM_ERR_EXISTS,
        "4K inside a 1G leaf");
  CHECK(sv39_unmap(&s.as, 0x40001000, 0) == VM_ERR_NOTMAPPED, "unmap 4K inside 1G");
  CHECK(sv39_unmap(&s.as, 0x40000000, 2) == VM_OK, "unmap 1G");
  expect_unmapped(&s, 0x40000000);
  CHECK(sv39_unmap(&s.as, 0x40000000, 2) == VM_ERR_NOTMAPPED, "unmap twice");
  CHECK(sv39_unmap(&s.as, 0x0000004000000000ul, 0) == VM_ERR_VA, "unmap non-canonical");
  free(s.pool);
}

static void test_map_range(void)
{
  struct space s;
  space_new(&s, 8);
  /* 4K + 2M + 2M + 8K starting 4K below a 2M boundary: 4K, two 2M leaves, two 4K */
  uint64_t va = DMAP_BASE + 0x801ff000, pa = 0x801ff000, size = 0x1000 + 0x400000 + 0x2000;
  CHECK(sv39_map_range(&s.as, va, pa, size, KRW, &s.frames) == VM_OK, "map_range");
  expect_maps(&s, va, pa, KRW, 0);
  expect_maps(&s, va + 0x1000, pa + 0x1000, KRW, 1);
  expect_maps(&s, va + 0x201000, pa + 0x201000, KRW, 1);
  expect_maps(&s, va + 0x401000, pa + 0x401000, KRW, 0);
  expect_maps(&s, va + 0x402fff, pa + 0x402fff, KRW, 0);
  expect_unmapped(&s, va + size);
  expect_unmapped(&s, va - 1);
  CHECK(sv39_map_range(&s.as, va, pa, 0x1001, KRW, &s.frames) == VM_ERR_ALIGN, "range align");
  CHECK(sv39_map_range(&s.as, 0x3fffffe000ul, 0x0, 0x4000, KRW, &s.frames) == VM_ERR_VA,
        "range crossing into the hole");
  CHECK(sv39_map_range(&s.as, 0xfffffffffffff000ul, 0x0, 0x2000, KRW, &s.frames) == VM_ERR_VA,
        "range wrapping");
  CHECK(sv39_map_range(&s.as, va + 0x1000, pa, 0x1000, KRW, &s.frames) == VM_ERR_EXISTS,
        "range over a 2M leaf");
  free(s.pool);

  /* a 1 GiB-aligned 3 GiB range: three gigapages, no tables */
  space_new(&s, 1);
  CHECK(sv39_map_range(&s.as, DMAP_BASE + 0x80000000, 0x80000000, 3ul << 30, KRW, &s.frames)
        == VM_OK, "3G range");
  expect_maps(&s, DMAP_BASE + 0x80000000 + (2ul << 30) + 5, 0x80000000 + (2ul << 30) + 5, KRW, 2);
  CHECK(frames_used(&s) == 1, "gigapages need no tables, used %u", frames_used(&s));
  free(s.pool);
}

/* after paging, tables are reached at pa + pa_offset: the same calls must work */
static void test_pa_offset(void)
{
  uint8_t *pool = aligned_alloc(PAGE_SIZE, 8 * PAGE_SIZE);
  memset(pool, 0xa5, 8 * PAGE_SIZE);
  /* pretend the pool sits at physical 0x80200000 and is seen through an offset */
  uint64_t fake_pa = 0x80200000;
  uint64_t offset = (uint64_t)(uintptr_t)pool - fake_pa;
  struct pt_frames frames = { fake_pa, fake_pa + 8 * PAGE_SIZE };
  struct sv39 as = { 0, offset };
  as.root_pa = pt_frame_take(&frames, offset);
  CHECK(as.root_pa == fake_pa, "root at the first frame");
  CHECK(sv39_map(&as, 0x1000, 0x90000000, PTE_R | PTE_U, 0, &frames) == VM_OK, "map via offset");
  expect_maps(&(struct space){ pool, as, frames }, 0x1000, 0x90000000, PTE_R | PTE_U, 0);
  /* the root's entry holds the fake physical address of the next table */
  uint64_t root0 = ((uint64_t *)pool)[0];
  CHECK(PTE2PA(root0) == fake_pa + PAGE_SIZE, "root entry points at a physical address");
  CHECK(sv39_unmap(&as, 0x1000, 0) == VM_OK, "unmap via offset");
  expect_unmapped(&(struct space){ pool, as, frames }, 0x1000);
  free(pool);
}

int main(void)
{
  test_address_split();
  test_map_levels();
  test_refusals();
  test_map_range();
  test_pa_offset();
  printf("sv39_test: %d checks, %d failures\n", checks, failures);
  return failures != 0;
}
