/* rootimg-bench.S: the benchmark root task (userland/bench), for the bench
 * image; otherwise as rootimg.S: the root task's ELF image (stripped), embedded in the kernel
 * image; user.c loads it at boot. ROOTTASK_ELF is its path, set by CMake.
 * The unstripped ELF (for gdb) is in the build's userland/ folder. */
  .section .rodata
  .balign 8
  .globl roottask_image, roottask_image_end
roottask_image:
  .incbin ROOTTASK_ELF
roottask_image_end:
