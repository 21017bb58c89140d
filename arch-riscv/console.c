/*
 * console.c: kputc/kprintf (see console.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include "console.h"
#include "sbi.h"
#include "uart.h"

void kputc(char c)
{
  if (c == '\n')
    kputc('\r');
  if (uart_ready())
    uart_putc(c);
  else
    sbi_console_putchar(c);
}

void kputs(const char *s)
{
  while (*s != 0)
    kputc(*s++);
}

/* print x in `base`, at least `width` wide, padded with `pad` (after it if left) */
static void put_uint(uint64_t x, unsigned base, int width, char pad, int left)
{
  char buf[24];
  int n = 0;
  do {
    unsigned d = (unsigned)(x % base);
    buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    x /= base;
  } while (x != 0);
  int fill = width > n ? width - n : 0;
  for (int i = 0; !left && i < fill; i++)
    kputc(pad);
  while (n > 0)
    kputc(buf[--n]);
  for (int i = 0; left && i < fill; i++)
    kputc(' ');
}

static void put_str(const char *s, int width, int left)
{
  int n = 0;
  while (s[n] != 0)
    n++;
  for (int i = n; !left && i < width; i++)
    kputc(' ');
  kputs(s);
  for (int i = n; left && i < width; i++)
    kputc(' ');
}

void kprintf(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  for (; *fmt != 0; fmt++) {
    if (*fmt != '%') {
      kputc(*fmt);
      continue;
    }
    fmt++;
    char pad = ' ';
    int width = 0, longs = 0, left = 0;
    if (*fmt == '-') {
      left = 1;
      fmt++;
    }
    if (*fmt == '0') {
      pad = '0';
      fmt++;
    }
    while (*fmt >= '0' && *fmt <= '9')
      width = width * 10 + (*fmt++ - '0');
    while (*fmt == 'l' || *fmt == 'z') {
      longs++;
      fmt++;
    }
    char c = *fmt;
    if (c == 0)
      break;
    if (c == 'c') {
      kputc((char)va_arg(ap, int));
    } else if (c == 's') {
      const char *s = va_arg(ap, const char *);
      put_str(s != 0 ? s : "(null)", width, left);
    } else if (c == 'd') {
      int64_t v = longs ? va_arg(ap, long) : va_arg(ap, int);
      if (v < 0) {
        kputc('-');
        put_uint((uint64_t)0 - (uint64_t)v, 10, width > 0 ? width - 1 : 0, pad, left);
      } else {
        put_uint((uint64_t)v, 10, width, pad, left);
      }
    } else if (c == 'u' || c == 'x') {
      uint64_t v = longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
      put_uint(v, c == 'u' ? 10 : 16, width, pad, left);
    } else if (c == 'p') {
      kputs("0x");
      put_uint((uint64_t)(uintptr_t)va_arg(ap, void *), 16, 16, '0', 0);
    } else if (c == '%') {
      kputc('%');
    } else {                          /* unknown: show it */
      kputc('%');
      kputc(c);
    }
  }
  va_end(ap);
}
