/* spawn.c: the ELF loader and the clean spawn of spawn.h. */
#include "spawn.h"
#include "ulib.h"

#define PAGE 4096ul

struct elf64_ehdr {
  uint8_t  ident[16];
  uint16_t type, machine;
  uint32_t version;
  uint64_t entry, phoff, shoff;
  uint32_t flags;
  uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
  uint32_t type, flags;
  uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* One page at a time: allocate a frame from l->cont into l->tmp (the
 * kernel hands it out zeroed); if it has bytes to hold, write them into
 * it (SYS_FRAME_WRITE: no mapping of it in my own address space); map it
 * into l->proc at va, and move its capability into the memory cspace:
 * the mapping lives as long as that capability (spawn.h). The move comes
 * last, as SYS_MAP takes the frame from a slot of my own cspace. A page
 * that fails is not kept: deleting its capability unmaps it if it was
 * mapped (the frame stays charged to l->cont until the container goes). */
static long load_page(struct loader *l, uint64_t va, const uint8_t *src, uint64_t n,
                      uint32_t perm)
{
  if (l->next >= CSPACE_SLOTS) {
    l->full = 1;
    return E_NO_MEMORY;
  }
  long e = sys_obj_alloc(l->cont, OT_FRAME, l->tmp);
  if (e != E_OK)
    return e;
  if (n)
    e = sys_frame_write(l->tmp, 0, src, n);
  if (e == E_OK)
    e = sys_map(l->proc, l->tmp, va, perm);
  if (e == E_OK)
    e = sys_cap_move(l->tmp, l->mem, l->next);
  if (e != E_OK) {
    sys_cap_delete(l->tmp);
    return e;
  }
  l->next++;
  return E_OK;
}

long load_bytes(struct loader *l, uint64_t va, const uint8_t *src, uint64_t len,
                uint64_t memsz, uint32_t perm)
{
  for (uint64_t off = 0; off < memsz; off += PAGE) {
    uint64_t n = off < len ? len - off : 0;
    if (n > PAGE)
      n = PAGE;
    long e = load_page(l, va + off, n ? src + off : 0, n, perm);
    if (e != E_OK)
      return e;
  }
  return E_OK;
}

long elf_load(struct loader *l, const uint8_t *img, uint64_t size, uint64_t *entry)
{
  const struct elf64_ehdr *eh = (const void *)img;
  if (size < sizeof *eh || img[0] != 0x7f || img[1] != 'E' || img[2] != 'L' ||
      img[3] != 'F' || eh->phentsize != sizeof(struct elf64_phdr) ||
      eh->phoff + eh->phnum * sizeof(struct elf64_phdr) > size)
    return E_BAD_ARG;
  for (unsigned i = 0; i < eh->phnum; i++) {
    const struct elf64_phdr *ph = (const void *)(img + eh->phoff + i * sizeof *ph);
    if (ph->type != 1 || ph->memsz == 0)
      continue;
    if (ph->offset + ph->filesz > size || ph->vaddr % PAGE != 0)
      return E_BAD_ARG;
    uint32_t perm = ((ph->flags & 4) ? 1u : 0) | ((ph->flags & 2) ? 2u : 0) |
                    ((ph->flags & 1) ? 4u : 0);
    long e = load_bytes(l, ph->vaddr, img + ph->offset, ph->filesz, ph->memsz, perm);
    if (e != E_OK)
      return e;
  }
  *entry = eh->entry;
  return E_OK;
}

#define STEP(what, call)          \
  do {                            \
    long e_ = (call);             \
    if (e_ != E_OK) {             \
      if (stage) *stage = what;   \
      return e_;                  \
    }                             \
  } while (0)

static uint64_t built_entry;

/* a loading step: a full memory cspace is named as such */
#define LOAD(what, call)                                              \
  do {                                                                \
    long e_ = (call);                                                 \
    if (e_ != E_OK) {                                                 \
      if (stage) *stage = l.full ? "memory cspace full" : what;       \
      return e_;                                                      \
    }                                                                 \
  } while (0)

long spawn_build(const struct spawn_req *r, const char **stage)
{
  uint64_t entry = 0;
  struct loader l = { r->slot_cont, r->slot_proc, r->slot_tmp, r->slot_mem, 0, 0 };
  if (stage)
    *stage = 0;
  STEP("container_create", sys_container_create(r->cont, r->slot_cont, r->limit));
  STEP("cspace", sys_obj_alloc(r->slot_cont, OT_CSPACE, r->slot_cspace));
  STEP("memory cspace", sys_obj_alloc(r->slot_cont, OT_CSPACE, r->slot_mem));
  STEP("proc_create", sys_proc_create(r->slot_cont, r->slot_cspace, r->slot_proc, r->prio));
  LOAD("elf_load", elf_load(&l, r->image, r->image_size, &entry));
  if (r->extra_size)
    LOAD("images", load_bytes(&l, IMAGES_VA, r->extra, r->extra_size,
                              (r->extra_size + PAGE - 1) / PAGE * PAGE, RIGHTS(1, 0, 0)));
  LOAD("stack", load_bytes(&l, STACK_TOP - STACK_PAGES * PAGE, 0, 0, STACK_PAGES * PAGE,
                           RIGHTS(1, 1, 0)));
  built_entry = entry;
  return E_OK;
}

long spawn_start(const struct spawn_req *r, const char **stage)
{
  uint64_t entry = built_entry;
  if (stage)
    *stage = 0;
  for (unsigned i = 0; i < r->ncaps; i++) {
    const struct capgift *g = &r->caps[i];
    if (g->badge)
      STEP("cap_mint", sys_cap_mint(g->src, r->slot_proc, g->dst, g->rights, g->badge));
    else
      STEP("cap_copy", sys_cap_copy(g->src, r->slot_proc, g->dst, g->rights));
  }
  if (r->fault_ep != SLOT_NONE && r->fault_badge == 0)
    STEP("set_fault", sys_proc_set_fault(r->slot_proc, r->fault_ep));
  if (r->fault_ep != SLOT_NONE && r->fault_badge != 0) {
    STEP("fault_mint", sys_cap_mint(r->fault_ep, SLOT_SELF, r->slot_tmp,
                                    RIGHTS(0, 1, 0), r->fault_badge));
    long e = sys_proc_set_fault(r->slot_proc, r->slot_tmp);
    sys_cap_delete(r->slot_tmp);
    STEP("set_fault", e);
  }
  STEP("pc", sys_proc_write_reg(r->slot_proc, REG_PC, entry));
  STEP("sp", sys_proc_write_reg(r->slot_proc, 2, STACK_TOP));
  for (unsigned i = 0; i < 3; i++)
    STEP("args", sys_proc_write_reg(r->slot_proc, 10 + i, r->arg[i]));
  STEP("start", sys_proc_resume(r->slot_proc));
  return E_OK;
}

long spawn(const struct spawn_req *r, const char **stage)
{
  long e = spawn_build(r, stage);
  if (e != E_OK)
    return e;
  return spawn_start(r, stage);
}
