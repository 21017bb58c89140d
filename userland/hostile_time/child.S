/* position-independent child code, copied into a fresh frame by hostile_time */
  .section .text.childcode, "ax"
  .globl child_arm_start, child_arm_end
  .balign 8
/* a0 = timer slot, a1 = ntfn slot, a2 = deadline: timer_set, then exit(result) */
child_arm_start:
  li    a7, 36         /* SYS_TIMER_SET */
  ecall
  li    a7, 2          /* SYS_EXIT */
  ecall
1:
  j     1b
child_arm_end:
