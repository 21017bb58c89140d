/* ulib.h: the small C library of userland: console output, memory
 * helpers, exit. */
#ifndef ULIB_H
#define ULIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "sys.h"

void  printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* printf's formatting (%d %u %x %s %c, l, widths), to any output */
void  vformat(void (*out)(void *ctx, const char *s, unsigned n), void *ctx,
              const char *fmt, va_list ap);
void  puts_raw(const char *s);
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
size_t strlen(const char *s);
const char *err_name(long e);
void  exit(long code) __attribute__((noreturn));

/* Time (issue 15; docs/DEVICES.md "Time"). The clock is the machine's
 * `time` counter: clock_now() reads it, clock_hz() is its ticks per
 * second (10 MHz on QEMU virt, 1 MHz on sifive_u and the HiFive boards).
 * sleep_until and sleep_us need a timer (a timer capability with the
 * write right) and a notification of their own (a direct notification
 * capability with read and write): the timer is armed to signal the
 * notification, and they wait on it until the clock has reached the
 * deadline (bits another signaller posts there meanwhile are lost to the
 * caller). They return E_OK, or the error of the call that failed (the
 * timer is cancelled then). */
uint64_t clock_now(void);
uint64_t clock_hz(void);
uint64_t clock_after_us(uint64_t us);     /* now + us, in ticks (saturating) */
long  sleep_until(uint32_t timer, uint32_t ntfn, uint64_t deadline);
long  sleep_us(uint32_t timer, uint32_t ntfn, uint64_t us);

#endif
