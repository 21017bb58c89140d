/*
 * uentry.S: the trap vector while processes run (stvec = user_vector).
 *
 * A process's registers have one home: its row in its record, the first
 * bytes of its own frame (kernel/include/records.h: register i of process
 * p is p_reg(p, i), the pc REG_PC; the proofs' table p_regs[REG(p, i)]).
 * sscratch holds the address of the running process's row while
 * it runs, and 0 while the kernel runs. A trap from U-mode swaps it with
 * t6, stores x1..x31 and the pc (past the ecall for an ecall) straight
 * into that row (no trap frame, no copy into the table and back), and
 * calls user_trap(scause, stval) on
 * the kernel stack. user_trap returns the row of the process to run next
 * (the same one, or another after a switch); its registers are loaded
 * from there and sret returns to it. sstatus needs no saving: a trap from
 * U-mode leaves SPP = 0 and SPIE = 1, which is what the sret back needs,
 * and the kernel (interrupts off) never changes them.
 *
 * The kernel's C runs with its own gp (kernel.ld: __global_pointer$),
 * loaded here once the process's is saved; user_return loads the
 * process's back with the rest of its row.
 *
 * A trap from S-mode is a kernel bug: it goes to trap.c's vector, which
 * reports it.
 */
#define REG_OFF(i) ((i) * 8)
/* checked against riscv.h and abi.h by fastpath.c's static assertion */
#define EXC_ECALL_U_NR       8
#define SYS_CALL_NR          24
#define SYS_REPLY_RECV_NR    27
#define SYS_NOTIFY_SIGNAL_NR 29
#define PC_OFF               (32 * 8)   /* REG_PC = 32 (abi.h) */

  .section .text
  .globl user_vector
  .balign 4
user_vector:
  csrrw t6, sscratch, t6      /* t6 = the running process's register row */
  beqz  t6, from_kernel
  .irp  r, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
  sd    x\r, REG_OFF(\r)(t6)
  .endr
  csrrw t0, sscratch, zero   /* the process's t6; sscratch 0: in the kernel now */
  sd    t0, REG_OFF(31)(t6)
  /* the kernel's gp (the process's is in its row): 4 KiB aligned, so
   * one lui (kernel.ld); from here on accesses near it are gp-relative.
   * Not relaxed itself (the linker would delete it as a gp-relative
   * access's upper half). */
  .option push
  .option norelax
  lui   gp, %hi(__global_pointer$)
  .option pop
  csrr  t1, sepc
  ld    sp, user_kstack_top
  /* The pc: past the ecall for an ecall (the syscall returns there),
   * as trapped otherwise (a fault, an interrupt). Then the fast paths
   * first: an ecall with a7 = SYS_CALL, SYS_REPLY_RECV or
   * SYS_NOTIFY_SIGNAL (a7 still holds the process's value) goes to
   * user_fastpath_call / user_fastpath_reply_recv / user_fastpath_signal
   * (fastpath.c), which return the partner's row, or 0 when the fast
   * path does not apply (nothing changed): then user_trap as always.
   * Nothing is kept in a register across them (fastpath.c may use every
   * one but sp, gp and tp). */
  csrr  a0, scause
  li    t0, EXC_ECALL_U_NR
  bne   a0, t0, 1f
  addi  t1, t1, 4
  sd    t1, PC_OFF(t6)
  li    t2, SYS_CALL_NR
  beq   a7, t2, 2f
  li    t2, SYS_REPLY_RECV_NR
  bne   a7, t2, 5f
  jal   user_fastpath_reply_recv  /* jal: within reach */
  bnez  a0, user_return
  j     3f
5:
  li    t2, SYS_NOTIFY_SIGNAL_NR
  bne   a7, t2, 4f
  jal   user_fastpath_signal
  bnez  a0, user_return
  j     3f
2:
  jal   user_fastpath_call
  bnez  a0, user_return
3:
  csrr  a0, scause
  j     4f
1:
  sd    t1, PC_OFF(t6)
4:
  csrr  a1, stval
  call  user_trap
  /* fall through: a0 = the register row of the process to run */

/*
 * user_return (a0 = a process's register row): load it and sret to it.
 * The row's address goes to sscratch for the next trap.
 */
  .globl user_return
user_return:
  csrw  sscratch, a0
  ld    t0, PC_OFF(a0)
  csrw  sepc, t0
  .irp  r, 1,2,3,4,5,6,7,8,9,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  ld    x\r, REG_OFF(\r)(a0)
  .endr
  ld    a0, REG_OFF(10)(a0)   /* last: a0 is the row until now */
  sret

from_kernel:
  csrrw t6, sscratch, t6      /* t6 back, sscratch 0 again */
  j     trap_vector
