/* images.S: the programs the shell can run (stripped ELF images). */
  .section .rodata
  .balign 8
  .globl ticker_elf, ticker_elf_end, hog_elf, hog_elf_end
ticker_elf:
  .incbin TICKER_ELF
ticker_elf_end:
  .balign 8
hog_elf:
  .incbin HOG_ELF
hog_elf_end:
