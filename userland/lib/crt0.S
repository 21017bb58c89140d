/* crt0.S: a program's entry. The kernel (root task) or the spawning
 * parent (children) sets sp and a0..a2 (the startup arguments, see
 * spawn.h); main's return value becomes the exit code. */
  .section .text.start, "ax"
  .globl _start
_start:
  .option push
  .option norelax
  la    gp, __global_pointer$
  .option pop
  call  main
  call  exit
1:
  j     1b
