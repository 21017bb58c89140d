/* images.S: the programs init starts (stripped ELF images). */
  .section .rodata
  .balign 8
  .globl console_elf, console_elf_end, shell_elf, shell_elf_end
console_elf:
  .incbin CONSOLE_ELF
console_elf_end:
  .balign 8
shell_elf:
  .incbin SHELL_ELF
shell_elf_end:
