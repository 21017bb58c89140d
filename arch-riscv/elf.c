/*
 * elf.c: the kernel's ELF64 loader, used once, for the root task (the
 * root task loads every other program itself, see userland/lib/elf.c).
 * Each PT_LOAD segment gets fresh frames from container c, mapped with
 * the segment's permissions; segments must not share a page (the user
 * linker script page-aligns them).
 */
#include "user.h"
#include "uvm.h"
#include "proc.h"
#include "riscv.h"
#include "internal.h"

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

#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

static void copy(uint8_t *d, const uint8_t *s, uint64_t n)
{
  for (uint64_t i = 0; i < n; i++)
    d[i] = s[i];
}

uint32_t elf_load_kernel(uint32_t p, uint32_t c, const uint8_t *img,
                         uint64_t size, uint64_t *entry)
{
  struct elf64_ehdr eh;
  if (size < sizeof eh)
    return E_BAD_ARG;
  copy((uint8_t *)&eh, img, sizeof eh);
  if (eh.ident[0] != 0x7f || eh.ident[1] != 'E' || eh.ident[2] != 'L' ||
      eh.ident[3] != 'F' || eh.ident[4] != 2 || eh.machine != 243 ||
      eh.phentsize != sizeof(struct elf64_phdr) ||
      eh.phoff + (uint64_t)eh.phnum * sizeof(struct elf64_phdr) > size)
    return E_BAD_ARG;
  for (unsigned i = 0; i < eh.phnum; i++) {
    struct elf64_phdr ph;
    copy((uint8_t *)&ph, img + eh.phoff + i * sizeof ph, sizeof ph);
    if (ph.type != PT_LOAD || ph.memsz == 0)
      continue;
    if (ph.offset + ph.filesz > size || ph.filesz > ph.memsz)
      return E_BAD_ARG;
    uint32_t perm = ((ph.flags & PF_R) ? UPERM_R : 0) |
                    ((ph.flags & PF_W) ? UPERM_W : 0) |
                    ((ph.flags & PF_X) ? UPERM_X : 0);
    uint64_t start = ph.vaddr & ~(PAGE_SIZE - 1);
    for (uint64_t va = start; va < ph.vaddr + ph.memsz; va += PAGE_SIZE) {
      struct frame_ret f = kobj_alloc(c, OT_FRAME);
      if (f.err != E_OK)
        return f.err;
      frame_zero(f.frame);
      uint8_t *mem = frame_kva(f.frame);
      /* the part of the file image that falls in this page */
      for (uint64_t off = 0; off < PAGE_SIZE; off++) {
        uint64_t a = va + off;
        if (a >= ph.vaddr && a < ph.vaddr + ph.filesz)
          mem[off] = img[ph.offset + (a - ph.vaddr)];
      }
      uint32_t e = uvm_boot_map(p, f.frame, va, perm);
      if (e != E_OK)
        return e;
    }
  }
  *entry = eh.entry;
  return E_OK;
}
