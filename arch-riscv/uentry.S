/*
 * uentry.S: the trap vector while processes run (stvec = user_vector).
 *
 * sscratch holds the kernel stack top while a process runs and 0 while
 * the kernel runs. A trap from U-mode swaps it with sp, saves the whole
 * register file into a struct trap_frame (trap.h) at the top of the
 * kernel stack and calls user_trap(frame), which leaves in the frame the
 * registers of the process to run next; those are restored and sret
 * returns to it. The kernel runs with interrupts off, so a trap from
 * S-mode is a kernel bug: it goes to trap.c's vector, which reports it.
 */
#include "trap.h"

  .section .text
  .globl user_vector
  .balign 4
user_vector:
  csrrw sp, sscratch, sp
  beqz  sp, from_kernel
  addi  sp, sp, -TF_SIZE
  sd    x1, TF_REG(1)(sp)
  .irp  r, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  sd    x\r, TF_REG(\r)(sp)
  .endr
  csrr  t0, sscratch          /* the process's sp */
  sd    t0, TF_REG(2)(sp)
  sd    zero, TF_REG(0)(sp)
  csrw  sscratch, zero        /* in the kernel now */
  csrr  t0, sepc
  sd    t0, TF_SEPC(sp)
  csrr  t0, sstatus
  sd    t0, TF_SSTATUS(sp)
  csrr  t0, scause
  sd    t0, TF_SCAUSE(sp)
  csrr  t0, stval
  sd    t0, TF_STVAL(sp)
  mv    a0, sp
  call  user_trap
  j     user_return

from_kernel:
  csrrw sp, sscratch, sp      /* sp back, sscratch 0 again */
  j     trap_vector

/*
 * void user_enter(struct trap_frame *tf): leave the kernel for the
 * process whose registers tf holds; tf sits at the top of the kernel
 * stack, so the kernel stack starts empty at the next trap.
 */
  .globl user_enter
user_enter:
  mv    sp, a0
user_return:
  addi  t0, sp, TF_SIZE
  csrw  sscratch, t0
  ld    t0, TF_SEPC(sp)
  csrw  sepc, t0
  ld    t0, TF_SSTATUS(sp)
  csrw  sstatus, t0
  ld    x1, TF_REG(1)(sp)
  .irp  r, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  ld    x\r, TF_REG(\r)(sp)
  .endr
  ld    sp, TF_REG(2)(sp)
  sret
