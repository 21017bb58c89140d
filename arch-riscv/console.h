/*
 * console.h: kernel text output. Goes to the UART once uart_init() has
 * run, to the SBI legacy console before that.
 */
#ifndef ARCH_RISCV_CONSOLE_H
#define ARCH_RISCV_CONSOLE_H

void kputc(char c);
void kputs(const char *s);

/*
 * printf subset: %c %s %d %u %x %p %%, with 'l'/'ll'/'z' length, a '0'
 * or '-' flag and a width (e.g. %016lx, %-4s).
 */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
