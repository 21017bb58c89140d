/*
 * main.c: kmain, the kernel after paging is on (entered from start.S at
 * its KERNEL_VBASE address). Reports what boot found, checks the trap
 * path, runs the timer for a few ticks and powers off.
 */
#include "boot.h"
#include "console.h"
#include "memlayout.h"
#include "power.h"
#include "riscv.h"
#include "sbi.h"
#include "timer.h"
#include "trap.h"
#include "uart.h"
#include "vm.h"
#include "user.h"

#define TICK_HZ   10
#define BOOT_TICKS 5

void kmain(void) __attribute__((noreturn));

static const char *const map_names[MAP_WHAT_COUNT] = {
  "kernel text", "kernel rodata", "kernel data+bss", "RAM direct map", "UART",
  "QEMU test device", "boot identity map", "kernel stack guard (unmapped)",
  "managed frames (the frame window)", "PLIC (interrupts for drivers)",
};

static void print_range(const char *label, uint64_t base, uint64_t size, const char *what)
{
  kprintf("%-9s 0x%016lx-0x%016lx %6lu KiB  %s\n", label, (unsigned long)base,
          (unsigned long)(base + size - 1), (unsigned long)(size >> 10), what);
}

static void print_sbi(void)
{
  long v = sbi_spec_version(), id = sbi_impl_id(), iv = sbi_impl_version();
  kprintf("sbi: spec v%ld.%ld, implementation %s (id %ld) v%ld.%ld; TIME %s, HSM %s, SRST %s\n",
          (v >> 24) & 0x7f, v & 0xffffff, id == 1 ? "OpenSBI" : "other", id,
          iv >> 16, iv & 0xffff,
          sbi_probe(SBI_EXT_TIME) ? "yes" : "NO", sbi_probe(SBI_EXT_HSM) ? "yes" : "NO",
          sbi_probe(SBI_EXT_SRST) ? "yes" : "NO");
}

static const char *hsm_state(long s)
{
  if (s == SBI_HSM_STARTED) return "started";
  if (s == SBI_HSM_STOPPED) return "stopped (parked in SBI HSM)";
  if (s == SBI_HSM_START_PENDING) return "start pending";
  if (s == SBI_HSM_STOP_PENDING) return "stop pending";
  if (s == SBI_HSM_SUSPENDED) return "suspended";
  return "unknown";
}

/* every hart of the device tree and its SBI HSM state */
static void print_harts(const struct boot_info *bi)
{
  unsigned parked = 0, running = 0;
  for (unsigned i = 0; i < bi->fdt.nharts; i++) {
    const struct fdt_hart *h = &bi->fdt.harts[i];
    struct sbiret st = sbi_hart_get_status(h->hartid);
    if (st.error == SBI_SUCCESS && st.value == SBI_HSM_STOPPED)
      parked++;
    if (st.error == SBI_SUCCESS && st.value == SBI_HSM_STARTED)
      running++;
    kprintf("hart %u: %s%s%s%s\n", (unsigned)h->hartid,
            st.error == SBI_SUCCESS ? hsm_state(st.value) : "no HSM status",
            h->hartid == bi->hartid ? ", boot hart" : "",
            h->has_mmu ? "" : ", no MMU (cannot run this kernel)",
            h->enabled ? "" : ", disabled");
  }
  kprintf("harts: %u in the device tree, %u running (this kernel runs on hart %lu only), "
          "%u parked in SBI HSM\n", bi->fdt.nharts, running, (unsigned long)bi->hartid, parked);
}

static void print_memory(const struct boot_info *bi)
{
  const struct fdt_info *f = &bi->fdt;
  for (unsigned i = 0; i < f->nmem; i++)
    print_range("memory:", f->mem[i].base, f->mem[i].size, "RAM (/memory)");

  for (unsigned i = 0; i < f->nresv; i++)
    print_range("reserved:", f->resv[i].base, f->resv[i].size,
                f->resv_source[i] == RESV_NODE ? "firmware (/reserved-memory)"
                                               : "firmware (/memreserve/ block)");
  print_range("reserved:", bi->fdt_pa, f->totalsize, "device tree blob");
  print_range("reserved:", bi->kernel_pa, bi->kernel_size, "kernel image (with bss)");

  struct fdt_region free[BOOT_FREE_MAX];
  unsigned max = sizeof free / sizeof free[0];
  unsigned n = boot_free_ranges(bi, free, max);
  uint64_t total = 0;
  for (unsigned i = 0; i < n && i < max; i++) {
    print_range("free:", free[i].base, free[i].size, "usable");
    total += free[i].size;
  }
  kprintf("memory: %lu KiB free in %u ranges\n", (unsigned long)(total >> 10), n);
}

static void print_devices(const struct boot_info *bi)
{
  const struct fdt_uart *u = &bi->fdt.uart;
  kprintf("uart: %s at 0x%lx (%s%s), mapped at 0x%lx\n",
          u->kind == UART_NS16550 ? "ns16550a" : "sifive,uart0", (unsigned long)u->base,
          u->path, u->from_stdout_path ? ", chosen by stdout-path" : ", first compatible",
          (unsigned long)(DMAP_BASE + u->base));
  kprintf("timebase: %lu Hz\n", (unsigned long)bi->fdt.timebase_hz);
  if (bi->fdt.bootargs[0] != 0)
    kprintf("bootargs: \"%s\"\n", bi->fdt.bootargs);
}

static void print_paging(const struct boot_info *bi)
{
  kprintf("paging: Sv39, root table at 0x%lx, %lu of %u boot table frames used\n",
          (unsigned long)bi->root_pa, (unsigned long)bi->pt_used, BOOT_PT_FRAMES);
  for (unsigned i = 0; i < bi->nmaps; i++) {
    const struct boot_map *m = &bi->maps[i];
    kprintf("paging: 0x%016lx-0x%016lx -> 0x%lx %c%c%c %s\n", (unsigned long)m->va,
            (unsigned long)(m->va + m->size - 1), (unsigned long)m->pa,
            (m->perm & PTE_R) ? 'r' : '-', (m->perm & PTE_W) ? 'w' : '-',
            (m->perm & PTE_X) ? 'x' : '-', map_names[m->what]);
  }
  if (bi->dmap_clipped != 0)
    kprintf("paging: %lu KiB of RAM above the direct map limit left unmapped\n",
            (unsigned long)(bi->dmap_clipped >> 10));
}

/* The identity map was only for the satp switch; drop it and check. */
static void drop_identity_map(const struct boot_info *bi)
{
  struct sv39 as = { bi->root_pa, DMAP_BASE };
  for (unsigned i = 0; i < bi->nmaps; i++) {
    const struct boot_map *m = &bi->maps[i];
    if (m->what != MAP_IDENTITY)
      continue;
    int err = sv39_unmap(&as, m->va, 2);
    if (err != VM_OK) {
      kprintf("paging: removing the identity map failed, vm_err %d\n", err);
      power_fail();
    }
  }
  sfence_vma_all();
  uint64_t pa, pte;
  int level;
  if (sv39_lookup(&as, bi->kernel_pa, &pa, &pte, &level) != VM_ERR_NOTMAPPED) {
    kprintf("paging: identity map still present\n");
    power_fail();
  }
  kprintf("paging: on (satp 0x%lx), running at 0x%lx, boot identity map removed\n",
          (unsigned long)r_satp(), (unsigned long)(uintptr_t)&kmain);
}

static int has_arg(const char *args, const char *word)
{
  for (const char *p = args; *p != 0; p++) {
    if (p != args && p[-1] != ' ')
      continue;
    const char *a = p, *w = word;
    while (*w != 0 && *a == *w) {
      a++;
      w++;
    }
    if (*w == 0 && (*a == 0 || *a == ' '))
      return 1;
  }
  return 0;
}

/* selftest=badtrap: prove that an unexpected trap is loud and fails the run */
static void deliberate_bad_trap(void)
{
  uint64_t bad_va = 0x10;            /* lower half: nothing is mapped there */
  uint64_t value;
  kprintf("selftest: loading from unmapped address 0x%lx; expect a fatal trap\n",
          (unsigned long)bad_va);
  __asm__ volatile("ld %0, 0(%1)" : "=r"(value) : "r"(bad_va) : "memory");
  kprintf("selftest: the bad load returned 0x%lx: no trap, that is a bug\n",
          (unsigned long)value);
  power_fail();
}

/* selftest=stackoverflow: recurse into the guard page below the kernel stack */
static uint64_t recurse(uint64_t depth)
{
  volatile uint8_t frame[256];
  frame[0] = (uint8_t)depth;
  if (depth == 0)
    return frame[0];
  return recurse(depth - 1) + frame[0];
}

static void deliberate_stack_overflow(void)
{
  kprintf("selftest: recursing past the %lu KiB kernel stack; expect a fatal trap\n",
          (unsigned long)(KSTACK_SIZE >> 10));
  uint64_t r = recurse(1ul << 20);
  kprintf("selftest: recursion returned %lu: no trap, that is a bug\n", (unsigned long)r);
  power_fail();
}

void kmain(void)
{
  const struct boot_info *bi = &boot_info;
  trap_init();
  power_set_test_device(bi->fdt.test_dev != 0 ? DMAP_BASE + bi->fdt.test_dev : 0);
  uart_init(&bi->fdt.uart, DMAP_BASE + bi->fdt.uart.base);

  kprintf("\ncapkernel: capability microkernel for RISC-V (Sv39), arch-riscv boot\n");
  kprintf("boot: hart %lu, device tree at 0x%lx (%u bytes), kernel loaded at 0x%lx (%lu KiB)\n",
          (unsigned long)bi->hartid, (unsigned long)bi->fdt_pa, (unsigned)bi->fdt.totalsize,
          (unsigned long)bi->kernel_pa, (unsigned long)(bi->kernel_size >> 10));
  print_sbi();
  print_harts(bi);
  print_memory(bi);
  print_devices(bi);
  print_paging(bi);
  drop_identity_map(bi);

  int bad = trap_selftest();
  if (bad != 0) {
    kprintf("trap: register save/restore self-test FAILED (%d mismatches)\n", bad);
    power_fail();
  }
  kprintf("trap: vector at 0x%lx; self-test: all 31 registers saved and restored\n",
          (unsigned long)r_stvec());

  if (has_arg(bi->fdt.bootargs, "selftest=badtrap"))
    deliberate_bad_trap();
  if (has_arg(bi->fdt.bootargs, "selftest=stackoverflow"))
    deliberate_stack_overflow();

  kprintf("timer: %u Hz through SBI TIME\n", TICK_HZ);
  timer_start(bi->fdt.timebase_hz, TICK_HZ);
  intr_on();
  while (timer_ticks() < BOOT_TICKS)
    wait_for_interrupt();
  intr_off();
  timer_stop();

  kprintf("capkernel: %d ticks, starting the root task\n", BOOT_TICKS);
  user_start(bi);
}
