/* position-independent child code, copied into a fresh frame by hostile_dev */
  .section .text.childcode, "ax"
  .globl child_touch_start, child_touch_end, child_wd_start, child_wd_end
  .balign 8
/* a0 = address, a1 = 0: load a byte, else store a1's low byte; then exit(0x77) */
child_touch_start:
  beqz  a1, 1f
  sw    a1, 0(a0)
  j     2f
1:
  lw    t0, 0(a0)
2:
  li    a0, 0x77
  li    a7, 2          /* SYS_EXIT */
  ecall
3:
  j     3b
child_touch_end:
  .balign 8
/* a0 = notification slot, a1 = bits, a2 = spin count: spin, signal, then yield forever */
child_wd_start:
1:
  addi  a2, a2, -1
  bnez  a2, 1b
  li    a7, 29         /* SYS_NOTIFY_SIGNAL */
  ecall
2:
  li    a7, 1          /* SYS_YIELD */
  ecall
  j     2b
child_wd_end:
