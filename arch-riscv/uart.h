/*
 * uart.h: polled output on the console UART the device tree names:
 * an ns16550a (QEMU virt) or a SiFive UART (sifive_u, HiFive boards).
 * The firmware has already set the baud rate; we keep it.
 */
#ifndef ARCH_RISCV_UART_H
#define ARCH_RISCV_UART_H

#include <stdint.h>
#include "fdt.h"

/* Start driving the UART `u` whose registers are mapped at `va`. */
void uart_init(const struct fdt_uart *u, uint64_t va);
int uart_ready(void);
void uart_putc(char c);

#endif
