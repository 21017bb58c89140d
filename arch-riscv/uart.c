/*
 * uart.c: the two console UART drivers, output only, polled.
 */
#include "uart.h"

/* ns16550 registers (index; byte offset is index << reg_shift) */
#define NS_THR 0      /* transmit holding */
#define NS_IER 1      /* interrupt enable */
#define NS_LSR 5      /* line status */
#define NS_LSR_THRE 0x20   /* transmit holding register empty */

/* SiFive UART registers (byte offsets, 32-bit) */
#define SF_TXDATA 0x00
#define SF_TXCTRL 0x08
#define SF_IE     0x10
#define SF_TXDATA_FULL (1u << 31)
#define SF_TXCTRL_TXEN 1u

/* give up on a character after this many polls: a broken UART must not hang us */
#define UART_SPIN_MAX 1000000

static struct {
  enum uart_kind kind;
  uint64_t base;
  uint32_t shift;
  uint32_t width;
} uart;

static uint32_t ns_read(unsigned reg)
{
  uint64_t a = uart.base + ((uint64_t)reg << uart.shift);
  if (uart.width == 4)
    return *(volatile uint32_t *)(uintptr_t)a;
  return *(volatile uint8_t *)(uintptr_t)a;
}

static void ns_write(unsigned reg, uint32_t v)
{
  uint64_t a = uart.base + ((uint64_t)reg << uart.shift);
  if (uart.width == 4)
    *(volatile uint32_t *)(uintptr_t)a = v;
  else
    *(volatile uint8_t *)(uintptr_t)a = (uint8_t)v;
}

static volatile uint32_t *sf_reg(unsigned off)
{
  return (volatile uint32_t *)(uintptr_t)(uart.base + off);
}

void uart_init(const struct fdt_uart *u, uint64_t va)
{
  uart.kind = u->kind;
  uart.base = va;
  uart.shift = u->reg_shift;
  uart.width = u->reg_io_width;
  if (uart.kind == UART_NS16550) {
    ns_write(NS_IER, 0);                 /* polled: no UART interrupts */
  } else if (uart.kind == UART_SIFIVE) {
    *sf_reg(SF_IE) = 0;
    *sf_reg(SF_TXCTRL) |= SF_TXCTRL_TXEN;
  }
}

int uart_ready(void)
{
  return uart.kind != UART_NONE;
}

void uart_putc(char c)
{
  if (uart.kind == UART_NS16550) {
    for (int i = 0; i < UART_SPIN_MAX && (ns_read(NS_LSR) & NS_LSR_THRE) == 0; i++)
      ;
    ns_write(NS_THR, (uint8_t)c);
  } else if (uart.kind == UART_SIFIVE) {
    /* the write is dropped by hardware while the FIFO is full */
    for (int i = 0; i < UART_SPIN_MAX && (*sf_reg(SF_TXDATA) & SF_TXDATA_FULL) != 0; i++)
      ;
    *sf_reg(SF_TXDATA) = (uint8_t)c;
  }
}
