/* images.S: the console server, which hostile_time spawns to attack its protocol. */
  .section .rodata
  .balign 8
  .globl console_elf, console_elf_end
console_elf:
  .incbin CONSOLE_ELF
console_elf_end:
