/* images.S: the programs the benchmark root task spawns (stripped). */
  .section .rodata
  .balign 8
  .globl probe_elf, probe_elf_end, big_elf, big_elf_end
probe_elf:
  .incbin PROBE_ELF
probe_elf_end:
  .balign 8
big_elf:
  .incbin BIG_ELF
big_elf_end:
