/* cons.c: the console server's client side (console.h). */
#include "ulib.h"
#include "console.h"

long cons_write(uint32_t ep, const char *s, size_t n)
{
  while (n > 0) {
    uint64_t w[3] = { 0, 0, 0 };
    size_t k = n < CONS_CHUNK ? n : CONS_CHUNK;
    memcpy(w, s, k);
    struct msg r = sys_call(ep, CONS_WRITE, k, w[0], w[1], w[2], CAPS0);
    if (r.err != E_OK)
      return r.err;
    if (r.w[0] != E_OK)
      return (long)r.w[0];
    s += k;
    n -= k;
  }
  return E_OK;
}

static void cons_out(void *ctx, const char *s, unsigned n)
{
  cons_write((uint32_t)(uintptr_t)ctx, s, n);
}

void cons_printf(uint32_t ep, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vformat(cons_out, (void *)(uintptr_t)ep, fmt, ap);
  va_end(ap);
}

long cons_notify(uint32_t ep, uint32_t ntfn)
{
  struct msg r = sys_call(ep, CONS_NOTIFY, 0, 0, 0, 0, CAPS1(ntfn));
  return r.err != E_OK ? r.err : (long)r.w[0];
}

long cons_read(uint32_t ep, uint32_t ntfn, uint32_t timer, char *buf, size_t max,
               uint64_t timeout_us)
{
  uint64_t deadline = timeout_us ? clock_after_us(timeout_us) : 0;
  if (max > CONS_CHUNK)
    max = CONS_CHUNK;
  if (timeout_us) {
    long e = sys_timer_set(timer, ntfn, deadline);
    if (e != E_OK)
      return -e;
  }
  for (;;) {
    struct msg r = sys_call(ep, CONS_READ, max, 0, 0, 0, CAPS0);
    if (r.err != E_OK || r.w[0] > max) {
      if (timeout_us)
        sys_timer_cancel(timer);
      return r.err != E_OK ? -r.err : -E_BAD_ARG;
    }
    if (r.w[0] > 0) {
      uint64_t w[3] = { r.w[1], r.w[2], r.w[3] };
      memcpy(buf, w, r.w[0]);
      if (timeout_us)
        sys_timer_cancel(timer);
      return (long)r.w[0];
    }
    if (timeout_us && clock_now() >= deadline)
      return 0;
    uint64_t bits;
    long e = sys_notify_wait(ntfn, &bits);
    if (e != E_OK)
      return -e;
  }
}
