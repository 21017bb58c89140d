/*
 * boot.h: what the early boot phase (boot.c, MMU off) found and did,
 * handed to kmain (MMU on). Holds addresses as integers, never pointers,
 * because pointers made before paging are physical.
 */
#ifndef ARCH_RISCV_BOOT_H
#define ARCH_RISCV_BOOT_H

#include <stdint.h>
#include "fdt.h"

/* what a boot mapping is for (names in main.c) */
enum map_what {
  MAP_TEXT, MAP_RODATA, MAP_DATA, MAP_RAM, MAP_UART, MAP_TESTDEV, MAP_IDENTITY,
  MAP_GUARD, MAP_WINDOW, MAP_PLIC, MAP_WHAT_COUNT
};

struct boot_map {
  uint64_t va, pa, size, perm;
  uint32_t what;
};

#define BOOT_MAX_MAPS (8 + FDT_MAX_MEM)
#define BOOT_PT_FRAMES 32   /* page-table frames reserved in .bss for boot */

struct boot_info {
  uint64_t hartid;
  uint64_t fdt_pa;
  uint64_t kernel_pa;      /* physical load address of _start */
  uint64_t kernel_size;    /* _kernel_end - _kernel_start, bss included */
  struct fdt_info fdt;
  uint64_t root_pa;        /* the kernel's Sv39 root table */
  uint64_t pt_used;        /* page-table frames taken from the boot pool */
  uint64_t dmap_clipped;   /* bytes of RAM above DMAP_LIMIT, not mapped */
  struct boot_map maps[BOOT_MAX_MAPS];
  unsigned nmaps;
};

extern struct boot_info boot_info;

/* linker symbols (kernel.ld); use their addresses only */
extern char _kernel_start[], _etext[], _erodata[], _kernel_end[];
extern char boot_stack_guard[], boot_stack[], boot_stack_top[];

/*
 * Early phase, MMU off, at the load address (called from start.S): parse
 * the device tree, build the kernel's page tables, return the satp value
 * that switches to them. Never returns on failure: it reports through the
 * SBI console and powers off with a failure status.
 */
uint64_t boot_early(uint64_t hartid, uint64_t fdt_pa, uint64_t load_pa);

void early_trap_report(uint64_t scause, uint64_t sepc, uint64_t stval);

/*
 * The RAM nobody else owns: the device tree's memory regions minus the
 * firmware's reservations, the device tree blob and the kernel image
 * (bss, boot page tables and stack included), 4 KiB aligned. Writes up to
 * max ranges to out and returns how many there are (see memmap_free).
 * This is where managed memory for the kernel's frames can come from.
 */
unsigned boot_free_ranges(const struct boot_info *bi, struct fdt_region *out, unsigned max);
/* room for every free range: each reservation and the two kernel pieces
 * can split a memory region once */
#define BOOT_FREE_MAX (FDT_MAX_MEM + FDT_MAX_RESV + 2)

/* After paging: map the managed frames [pa, pa + size) at FWIN_BASE (the
 * frame window, memlayout.h) with page tables from the boot pool; a
 * vm_err (vm.h), VM_OK on success. */
int boot_map_frame_window(uint64_t off, uint64_t pa, uint64_t size);

#endif
