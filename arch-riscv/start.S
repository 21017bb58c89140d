/*
 * start.S: the first instructions. The firmware (OpenSBI directly, or
 * U-Boot's booti) enters here in S-mode with the MMU off:
 *   a0 = this hart's id, a1 = physical address of the device tree.
 * We run at whatever physical address we were loaded to; everything here
 * and in boot_early() is PC-relative (medany, `la` = auipc+addi).
 */
#include "memlayout.h"

/* No linker relaxation: it would make accesses near __global_pointer$
 * gp-relative, and gp is set only once paging is on (below). */
  .option norelax

  .section .text.head, "ax"
  .globl _start

/*
 * The RISC-V Linux Image header (64 bytes) that U-Boot's booti checks.
 * The first word must be a 4-byte jump: compressed instructions off.
 */
  .option push
  .option norvc
_start:
  j     entry                 /* code0 */
  .word 0                     /* code1 */
  .dword 0x200000             /* text_offset: load 2 MiB into RAM */
  .dword _kernel_size         /* image_size: bytes needed, bss included */
  .dword 0                    /* flags: bit 0 = 0, little endian */
  .word 2                     /* header version 0.2 */
  .word 0                     /* res1 */
  .dword 0                    /* res2 */
  .ascii "RISCV\0\0\0"        /* magic */
  .ascii "RSC\x05"            /* magic2 */
  .word 0                     /* res3: no PE/COFF header */
  .option pop

entry:
  csrw  sie, zero             /* no interrupts until we ask for them */
  csrw  satp, zero
  la    t0, early_trap        /* a trap before paging fails loudly via SBI */
  csrw  stvec, t0

  /*
   * Whichever hart comes first boots. Firmware normally enters one hart
   * only and keeps the rest stopped in SBI HSM; if it ever sends more,
   * the losers stop themselves through HSM.
   */
  la    t0, boot_claim
  li    t1, 1
  amoswap.w t1, t1, (t0)
  bnez  t1, park

  la    t0, _bss_start        /* zero .bss (boot_claim lives in .data) */
  la    t1, _bss_end
1:
  bgeu  t0, t1, 2f
  sd    zero, 0(t0)
  addi  t0, t0, 8
  j     1b
2:
  la    sp, boot_stack_top
  la    a2, _start            /* a2 = physical load address */
  call  boot_early            /* a0 = satp for the kernel's tables (never fails back) */

  csrw  satp, a0              /* paging on: we still run from the identity map */
  sfence.vma zero, zero

  /* move sp and pc from the physical load address to KERNEL_VBASE */
  la    t0, _start            /* physical */
  ld    t1, kernel_vbase      /* linked (virtual) */
  sub   t1, t1, t0
  add   sp, sp, t1
  /* the kernel's gp (kernel.ld: 4 KiB aligned, so one lui of its
   * linked address) for the relaxed accesses of the C from here on */
  lui   gp, %hi(__global_pointer$)
  ld    t0, kmain_addr
  jr    t0                    /* kmain(void) never returns */

park:
  li    a7, 0x48534D          /* SBI HSM */
  li    a6, 1                 /* hart_stop */
  ecall
3:
  wfi                         /* only if HSM failed: sleep with interrupts off */
  j     3b

  .balign 8
kernel_vbase:
  .dword _start               /* absolute: resolved at link time */
kmain_addr:
  .dword kmain

/* A trap while the MMU is off: report via SBI and fail. */
  .balign 4
early_trap:
  csrr  a0, scause
  csrr  a1, sepc
  csrr  a2, stval
  la    sp, boot_stack_top
  call  early_trap_report     /* never returns */
4:
  j     4b

  .section .data
  .balign 4
boot_claim:
  .word 0

/*
 * The kernel stack, with a guard page below it that boot.c leaves
 * unmapped: an overflow faults instead of overwriting .bss, and
 * trap_vector sees sp outside the stack and reports it.
 */
  .section .bss
  .balign 4096
  .globl boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard:
  .space 4096
boot_stack:
  .space KSTACK_SIZE
boot_stack_top:
