/* images.S: the programs the root task spawns, embedded in its own image
 * (stripped copies; the unstripped ELFs sit beside them in the build for
 * gdb). MEMBER_ELF and PROBE_ELF are paths set by CMake. */
  .section .rodata
  .balign 8
  .globl member_elf, member_elf_end, probe_elf, probe_elf_end
member_elf:
  .incbin MEMBER_ELF
member_elf_end:
  .balign 8
probe_elf:
  .incbin PROBE_ELF
probe_elf_end:
