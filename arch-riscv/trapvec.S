/*
 * trapvec.S: the supervisor trap vector. Saves all 31 registers and the
 * trap CSRs into a struct trap_frame (trap.h) on the current stack, calls
 * trap_dispatch(frame), then restores everything from the frame (sepc,
 * sstatus and sp included) and returns with sret. A trap with sp outside
 * the kernel stack (an overflow into its guard page) is reported from an
 * emergency stack by trap_bad_stack().
 */
#include "trap.h"

/* No linker relaxation here: gp is the interrupted code's until the
 * kernel's is loaded below (trap_selftest_run fills it with a pattern). */
  .option norelax

/* store x1 and x3..x31 and the trap CSRs into the frame at sp (t0 is clobbered last) */
.macro SAVE_REGS_AND_CSRS
  sd    x1, TF_REG(1)(sp)
  .irp  r, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  sd    x\r, TF_REG(\r)(sp)
  .endr
  sd    zero, TF_REG(0)(sp)
  csrr  t0, sepc
  sd    t0, TF_SEPC(sp)
  csrr  t0, sstatus
  sd    t0, TF_SSTATUS(sp)
  csrr  t0, scause
  sd    t0, TF_SCAUSE(sp)
  csrr  t0, stval
  sd    t0, TF_STVAL(sp)
.endm

  .section .text
  .globl trap_vector
  .balign 4                   /* stvec direct mode: 4-byte aligned */
trap_vector:
  /*
   * First make sure sp is inside the kernel stack with room for a frame:
   * after an overflow into the guard page, saving the frame there would
   * fault again, forever. The bounds are trap_stack_lo/hi (trap.c,
   * trap_set_kernel_stack). sscratch is 0 in the kernel; borrow it for t0.
   */
  csrw  sscratch, t0
  ld    t0, trap_stack_lo
  addi  t0, t0, TF_SIZE
  bltu  sp, t0, bad_stack
  ld    t0, trap_stack_hi
  bltu  t0, sp, bad_stack
  csrr  t0, sscratch
  csrw  sscratch, zero

  addi  sp, sp, -TF_SIZE
  SAVE_REGS_AND_CSRS
  addi  t0, sp, TF_SIZE       /* the interrupted sp */
  sd    t0, TF_REG(2)(sp)
  lui   gp, %hi(__global_pointer$) /* the kernel's (kernel.ld); the frame has the old */

  mv    a0, sp
  call  trap_dispatch

  ld    t0, TF_SEPC(sp)
  csrw  sepc, t0
  ld    t0, TF_SSTATUS(sp)
  csrw  sstatus, t0
  ld    x1, TF_REG(1)(sp)
  .irp  r, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  ld    x\r, TF_REG(\r)(sp)
  .endr
  ld    sp, TF_REG(2)(sp)     /* last: sp is the frame's base until now */
  sret

/* sp is unusable: build the frame on a separate stack and report; no return */
bad_stack:
  la    t0, trap_emergency_stack_top - TF_SIZE
  sd    sp, TF_REG(2)(t0)     /* the bad sp, for the report */
  mv    sp, t0
  csrr  t0, sscratch
  csrw  sscratch, zero
  SAVE_REGS_AND_CSRS
  lui   gp, %hi(__global_pointer$)
  mv    a0, sp
  call  trap_bad_stack
1:
  j     1b

  .section .bss
  .balign 16
trap_emergency_stack:
  .space 4096
trap_emergency_stack_top:

  .section .text
/*
 * void trap_selftest_run(uint64_t out[32])
 * Fill x1 and x3..x31 with trap_test_pattern(i), take a breakpoint trap,
 * then store x0..x31 as they are after the trap into out[] (out[2] gets
 * sp). trap.c's breakpoint handler checks the frame and flips a0.
 */
  .globl trap_selftest_run
trap_selftest_run:
  addi  sp, sp, -128
  sd    ra, 0(sp)
  sd    gp, 8(sp)
  sd    tp, 16(sp)
  sd    a0, 24(sp)
  .irp  r, 0,1,2,3,4,5,6,7,8,9,10,11
  sd    s\r, (32 + 8 * \r)(sp)
  .endr
  li    x1, TRAP_TEST_PATTERN_BASE + 1 * TRAP_TEST_PATTERN_STEP
  .irp  r, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  li    x\r, TRAP_TEST_PATTERN_BASE + \r * TRAP_TEST_PATTERN_STEP
  .endr
  .option push
  .option norvc
  ebreak                      /* 4 bytes: the handler skips it */
  .option pop
  addi  sp, sp, -256          /* scratch: sp is the only register we may trust */
  sd    x0, TF_REG(0)(sp)
  sd    x1, TF_REG(1)(sp)
  .irp  r, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  sd    x\r, TF_REG(\r)(sp)
  .endr
  addi  t0, sp, 256
  sd    t0, TF_REG(2)(sp)
  ld    t0, (256 + 24)(sp)    /* out */
  li    t1, 0
1:
  add   t2, sp, t1
  ld    t3, 0(t2)
  add   t2, t0, t1
  sd    t3, 0(t2)
  addi  t1, t1, 8
  li    t2, 256
  bltu  t1, t2, 1b
  addi  sp, sp, 256
  ld    ra, 0(sp)
  ld    gp, 8(sp)
  ld    tp, 16(sp)
  .irp  r, 0,1,2,3,4,5,6,7,8,9,10,11
  ld    s\r, (32 + 8 * \r)(sp)
  .endr
  addi  sp, sp, 128
  ret
