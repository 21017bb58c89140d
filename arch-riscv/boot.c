/*
 * boot.c: the early boot phase. Runs with the MMU off at the physical load
 * address, so everything here must be position independent: medany code
 * reaches globals PC-relatively, which is fine; what is not fine is a
 * stored absolute address (a table of pointers, a switch jump table). The
 * build checks this file's object, and those of the files it calls, for
 * absolute relocations (arch-riscv/check-early-relocs.cmake).
 */
#include "boot.h"
#include "memlayout.h"
#include "param.h"
#include "memmap.h"
#include "power.h"
#include "riscv.h"
#include "sbi.h"
#include "vm.h"

struct boot_info boot_info;

/* page-table frames for the boot address space */
static uint8_t boot_pt_pool[BOOT_PT_FRAMES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

#define FDT_MAX_BYTES (2u << 20)     /* refuse a device tree claiming more */

/* ---- reporting before the UART driver exists: SBI legacy console ---------- */

static void early_puts(const char *s)
{
  while (*s != 0)
    sbi_console_putchar(*s++);
}

static void early_puthex(uint64_t x)
{
  early_puts("0x");
  for (int shift = 60; shift >= 0; shift -= 4) {
    int d = (int)((x >> shift) & 0xf);
    sbi_console_putchar(d < 10 ? '0' + d : 'a' + d - 10);
  }
}

static void __attribute__((noreturn)) early_fail(const char *what, uint64_t detail)
{
  early_puts("\ncapkernel: early boot failed: ");
  early_puts(what);
  early_puts(" (");
  early_puthex(detail);
  early_puts(")\n");
  power_fail();
}

void early_trap_report(uint64_t scause, uint64_t sepc, uint64_t stval)
{
  early_puts("\ncapkernel: trap before paging: scause ");
  early_puthex(scause);
  early_puts(" sepc ");
  early_puthex(sepc);
  early_puts(" stval ");
  early_puthex(stval);
  early_fail("unexpected trap", scause);
}

/* ---- the device tree ------------------------------------------------------- */

static void read_device_tree(struct boot_info *bi)
{
  const void *fdt = (const void *)(uintptr_t)bi->fdt_pa;
  if (bi->fdt_pa == 0 || (bi->fdt_pa & 7) != 0)
    early_fail("no device tree in a1 (zero or misaligned address)", bi->fdt_pa);
  uint32_t size = fdt_totalsize(fdt);
  if (size == 0)
    early_fail("no device tree magic at a1", bi->fdt_pa);
  if (size > FDT_MAX_BYTES)
    early_fail("device tree claims too many bytes", size);
  int err = fdt_parse(fdt, size, &bi->fdt);
  if (err != FDT_OK)
    early_fail("device tree rejected, fdt_err", (uint64_t)err);
  if (bi->fdt.test_dev != 0)
    power_set_test_device(bi->fdt.test_dev);   /* physical until paging */
  if (bi->fdt.uart.kind == UART_NONE)
    early_fail("device tree names no ns16550a or sifive,uart0 UART", 0);
  if (bi->fdt.timebase_hz == 0)
    early_fail("device tree has no timebase-frequency", 0);
}

/* ---- page tables ------------------------------------------------------------- */

static void record(struct boot_info *bi, uint64_t va, uint64_t pa, uint64_t size,
                   uint64_t perm, uint32_t what)
{
  if (bi->nmaps < BOOT_MAX_MAPS) {
    struct boot_map *m = &bi->maps[bi->nmaps++];
    m->va = va;
    m->pa = pa;
    m->size = size;
    m->perm = perm;
    m->what = what;
  }
}

static void map_or_fail(struct boot_info *bi, const struct sv39 *as, struct pt_frames *frames,
                        uint64_t va, uint64_t pa, uint64_t size, uint64_t perm, uint32_t what)
{
  int err = sv39_map_range(as, va, pa, size, perm, frames);
  if (err != VM_OK)
    early_fail("sv39_map_range failed, vm_err", (uint64_t)err);
  record(bi, va, pa, size, perm, what);
}

/* a device's registers, page-rounded, through the direct map */
static void map_device(struct boot_info *bi, const struct sv39 *as, struct pt_frames *frames,
                       uint64_t base, uint64_t size, uint32_t what)
{
  uint64_t start = base & ~(PAGE_SIZE - 1);
  uint64_t end = (base + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
  if (end > DMAP_LIMIT || end < start)
    early_fail("device beyond the direct map", base);
  map_or_fail(bi, as, frames, DMAP_BASE + start, start, end - start,
              PTE_R | PTE_W | PTE_G | PTE_A | PTE_D, what);
}

/* Does [pa, pa+size) lie inside one RAM region of the device tree? */
static int inside_ram(const struct fdt_info *f, uint64_t pa, uint64_t size)
{
  for (unsigned i = 0; i < f->nmem; i++)
    if (pa >= f->mem[i].base && pa + size <= f->mem[i].base + f->mem[i].size)
      return 1;
  return 0;
}

/*
 * After paging (frames_init, uvm.c): map [pa, pa + size), one run of the
 * managed frames, a second time at FWIN_BASE + off, in the frame window.
 * Frame f is then at one address, FWIN_BASE + f * 4096, on every board:
 * that is where the kernel core keeps the records that live in their
 * objects' own frames (kernel/include/records.h). Page tables come from
 * what is left of the boot pool; a 2 MiB aligned pa and off take one
 * table per GiB. Returns a vm_err.
 */
int boot_map_frame_window(uint64_t off, uint64_t pa, uint64_t size)
{
  struct boot_info *bi = &boot_info;
  uint64_t pool_pa = bi->kernel_pa + ((uint64_t)(uintptr_t)boot_pt_pool - KERNEL_VBASE);
  struct pt_frames frames = { pool_pa + bi->pt_used * PAGE_SIZE, pool_pa + sizeof boot_pt_pool };
  struct sv39 as = { bi->root_pa, DMAP_BASE };
  int err = sv39_map_range(&as, FWIN_BASE + off, pa, size,
                           PTE_R | PTE_W | PTE_G | PTE_A | PTE_D, &frames);
  bi->pt_used = (frames.next_pa - pool_pa) / PAGE_SIZE;
  if (err == VM_OK)
    record(bi, FWIN_BASE + off, pa, size, PTE_R | PTE_W, MAP_WINDOW);
  return err;
}

static uint64_t build_page_tables(struct boot_info *bi)
{
  const uint64_t kpa = bi->kernel_pa;
  const uint64_t kx = PTE_G | PTE_A | PTE_D;   /* kernel pages: global, A/D preset */
  struct pt_frames frames = {
    (uint64_t)(uintptr_t)boot_pt_pool,
    (uint64_t)(uintptr_t)boot_pt_pool + sizeof boot_pt_pool,
  };
  struct sv39 as = { 0, 0 };        /* paging is off: tables at their PA */
  as.root_pa = pt_frame_take(&frames, 0);

  /*
   * The kernel image, high, with per-section permissions; the page below
   * the kernel stack stays unmapped (a guard against overflow).
   */
  uint64_t text = (uint64_t)(_etext - _kernel_start);
  uint64_t rodata = (uint64_t)(_erodata - _etext);
  uint64_t data = text + rodata;                          /* offsets in the image */
  uint64_t guard = (uint64_t)(boot_stack_guard - _kernel_start);
  map_or_fail(bi, &as, &frames, KERNEL_VBASE, kpa, text, PTE_R | PTE_X | kx, MAP_TEXT);
  map_or_fail(bi, &as, &frames, KERNEL_VBASE + text, kpa + text, rodata, PTE_R | kx, MAP_RODATA);
  map_or_fail(bi, &as, &frames, KERNEL_VBASE + data, kpa + data, guard - data,
              PTE_R | PTE_W | kx, MAP_DATA);
  record(bi, KERNEL_VBASE + guard, kpa + guard, PAGE_SIZE, 0, MAP_GUARD);
  map_or_fail(bi, &as, &frames, KERNEL_VBASE + guard + PAGE_SIZE, kpa + guard + PAGE_SIZE,
              bi->kernel_size - guard - PAGE_SIZE, PTE_R | PTE_W | kx, MAP_DATA);

  /* every RAM region, at DMAP_BASE + PA, page-rounded inward */
  for (unsigned i = 0; i < bi->fdt.nmem; i++) {
    uint64_t start = (bi->fdt.mem[i].base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint64_t end = (bi->fdt.mem[i].base + bi->fdt.mem[i].size) & ~(PAGE_SIZE - 1);
    if (end > DMAP_LIMIT) {
      uint64_t clip = start > DMAP_LIMIT ? start : DMAP_LIMIT;
      bi->dmap_clipped += end - clip;
      end = clip;
    }
    if (end > start)
      map_or_fail(bi, &as, &frames, DMAP_BASE + start, start, end - start,
                  PTE_R | PTE_W | kx, MAP_RAM);
  }

  /* the devices the kernel drives */
  map_device(bi, &as, &frames, bi->fdt.uart.base, bi->fdt.uart.size, MAP_UART);
  if (bi->fdt.test_dev != 0)
    map_device(bi, &as, &frames, bi->fdt.test_dev, PAGE_SIZE, MAP_TESTDEV);
  if (bi->fdt.plic.size != 0)
    map_device(bi, &as, &frames, bi->fdt.plic.base, bi->fdt.plic.size, MAP_PLIC);

  /*
   * Identity map of the gigabyte(s) holding the image, so the instructions
   * right after `csrw satp` still fetch; kmain removes it.
   */
  uint64_t g_first = kpa >> 30, g_last = (kpa + bi->kernel_size - 1) >> 30;
  if ((g_last << 30) >= LOWER_HALF_END)
    early_fail("kernel loaded above 256 GiB, no room for the boot identity map", kpa);
  for (uint64_t g = g_first; g <= g_last; g++) {
    int err = sv39_map(&as, g << 30, g << 30, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D, 2, &frames);
    if (err != VM_OK)
      early_fail("identity map failed, vm_err", (uint64_t)err);
    record(bi, g << 30, g << 30, 1ul << 30, PTE_R | PTE_W | PTE_X, MAP_IDENTITY);
  }

  bi->root_pa = as.root_pa;
  bi->pt_used = (frames.next_pa - (uint64_t)(uintptr_t)boot_pt_pool) / PAGE_SIZE;
  return MAKE_SATP(as.root_pa);
}

uint64_t boot_early(uint64_t hartid, uint64_t fdt_pa, uint64_t load_pa)
{
  struct boot_info *bi = &boot_info;
  bi->hartid = hartid;
  bi->fdt_pa = fdt_pa;
  bi->kernel_pa = load_pa;
  bi->kernel_size = (uint64_t)(_kernel_end - _kernel_start);
  if ((load_pa & (PAGE_SIZE - 1)) != 0)
    early_fail("kernel not loaded at a 4 KiB aligned address", load_pa);

  read_device_tree(bi);
  if (!inside_ram(&bi->fdt, load_pa, bi->kernel_size))
    early_fail("kernel image is not inside a /memory region", load_pa);
  if (load_pa + bi->kernel_size > DMAP_LIMIT)
    early_fail("kernel image beyond the direct map", load_pa);
  /* the loader must not have put us on firmware memory or on the FDT */
  for (unsigned i = 0; i < bi->fdt.nresv; i++)
    if (load_pa < bi->fdt.resv[i].base + bi->fdt.resv[i].size
        && bi->fdt.resv[i].base < load_pa + bi->kernel_size)
      early_fail("kernel image overlaps a reserved region at", bi->fdt.resv[i].base);
  if (load_pa < fdt_pa + bi->fdt.totalsize && fdt_pa < load_pa + bi->kernel_size)
    early_fail("kernel image (with bss) overlaps the device tree at", fdt_pa);
  return build_page_tables(bi);
}

unsigned boot_free_ranges(const struct boot_info *bi, struct fdt_region *out, unsigned max)
{
  struct fdt_region holes[FDT_MAX_RESV + 2];
  unsigned n = 0;
  for (unsigned i = 0; i < bi->fdt.nresv; i++)
    holes[n++] = bi->fdt.resv[i];
  holes[n].base = bi->fdt_pa;
  holes[n++].size = bi->fdt.totalsize;
  holes[n].base = bi->kernel_pa;
  holes[n++].size = bi->kernel_size;
  return memmap_free(bi->fdt.mem, bi->fdt.nmem, holes, n, out, max);
}
