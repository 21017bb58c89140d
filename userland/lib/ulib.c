/* ulib.c: console printf over SYS_DEBUG_WRITE (buffered per call), memory
 * helpers and exit. */
#include "ulib.h"

/* a word that may alias any object (memcpy's and memset's accesses) */
typedef uint64_t __attribute__((may_alias)) word_t;

/* Word at a time when both ends are 8-byte aligned (a page copy in
 * spawn's load_bytes: 512 words, not 4096 bytes), sixteen a turn, bytes
 * otherwise. */
void *memcpy(void *d, const void *s, size_t n)
{
  uint8_t *dd = d;
  const uint8_t *ss = s;
  if ((((uintptr_t)dd | (uintptr_t)ss) & 7) == 0) {
    for (; n >= 128; n -= 128, dd += 128, ss += 128) {   /* 16 words a turn */
      const word_t *from = (const word_t *)ss;
      word_t *to = (word_t *)dd;
      for (unsigned k = 0; k < 16; k += 8) {
        uint64_t a = from[k], b = from[k + 1], c = from[k + 2], e = from[k + 3];
        uint64_t f = from[k + 4], g = from[k + 5], h = from[k + 6], i = from[k + 7];
        to[k] = a; to[k + 1] = b; to[k + 2] = c; to[k + 3] = e;
        to[k + 4] = f; to[k + 5] = g; to[k + 6] = h; to[k + 7] = i;
      }
    }
    for (; n >= 8; n -= 8, dd += 8, ss += 8)
      *(word_t *)dd = *(const word_t *)ss;
  }
  while (n--)
    *dd++ = *ss++;
  return d;
}

void *memset(void *d, int c, size_t n)
{
  uint8_t *dd = d;
  if (((uintptr_t)dd & 7) == 0) {
    uint64_t w = (uint8_t)c * 0x0101010101010101ull;
    for (; n >= 8; n -= 8, dd += 8)
      *(word_t *)dd = w;
  }
  while (n--)
    *dd++ = (uint8_t)c;
  return d;
}

size_t strlen(const char *s)
{
  size_t n = 0;
  while (s[n])
    n++;
  return n;
}

struct pbuf {
  char b[200];
  unsigned n;
  void (*out)(void *ctx, const char *s, unsigned n);
  void *ctx;
};

static void flush(struct pbuf *p)
{
  if (p->n)
    p->out(p->ctx, p->b, p->n);
  p->n = 0;
}

static void put(struct pbuf *p, char c)
{
  if (p->n == sizeof p->b)
    flush(p);
  p->b[p->n++] = c;
}

static void put_num(struct pbuf *p, uint64_t v, unsigned base, int neg, int width, char pad)
{
  char t[24];
  int n = 0;
  do {
    t[n++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  if (neg)
    t[n++] = '-';
  while (width-- > n)
    put(p, pad);
  while (n)
    put(p, t[--n]);
}

void vformat(void (*out)(void *ctx, const char *s, unsigned n), void *ctx,
             const char *fmt, va_list ap)
{
  struct pbuf p;
  p.n = 0;
  p.out = out;
  p.ctx = ctx;
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      put(&p, *fmt);
      continue;
    }
    fmt++;
    char pad = ' ';
    int width = 0, lng = 0, left = 0;
    if (*fmt == '-') {
      left = 1;
      fmt++;
    }
    if (*fmt == '0')
      pad = '0';
    while (*fmt >= '0' && *fmt <= '9')
      width = width * 10 + (*fmt++ - '0');
    while (*fmt == 'l') {
      lng = 1;
      fmt++;
    }
    switch (*fmt) {
    case 'd': {
      int64_t v = lng ? va_arg(ap, long) : va_arg(ap, int);
      put_num(&p, v < 0 ? (uint64_t)-v : (uint64_t)v, 10, v < 0, width, pad);
      break;
    }
    case 'u':
      put_num(&p, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, 0, width, pad);
      break;
    case 'x':
      put_num(&p, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, 0, width, pad);
      break;
    case 's': {
      const char *s = va_arg(ap, const char *);
      int len = (int)strlen(s);
      while (!left && width-- > len)
        put(&p, ' ');
      while (*s)
        put(&p, *s++);
      while (left && width-- > len)
        put(&p, ' ');
      break;
    }
    case 'c':
      put(&p, (char)va_arg(ap, int));
      break;
    default:
      put(&p, '%');
      put(&p, *fmt);
    }
  }
  flush(&p);
}

static void debug_out(void *ctx, const char *s, unsigned n)
{
  (void)ctx;
  sys_debug_write(s, n);
}

void printf(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vformat(debug_out, 0, fmt, ap);
  va_end(ap);
}

void puts_raw(const char *s)
{
  sys_debug_write(s, strlen(s));
}

const char *err_name(long e)
{
  static const char *const names[] = { KERR_LIST(KERR_NAME) };
  return e >= 0 && e < (long)(sizeof names / sizeof names[0]) ? names[e] : "E_?";
}

void exit(long code)
{
  for (;;)
    sys_exit((uint64_t)code);
}

uint64_t clock_now(void)
{
  uint64_t now = 0;
  sys_clock(&now, 0);
  return now;
}

uint64_t clock_hz(void)
{
  uint64_t hz = 0;
  sys_clock(0, &hz);
  return hz;
}

/* us microseconds from now in ticks, without overflow: whole seconds
 * and the rest apart; a sum past 2^64 - 2 saturates there (just short of
 * DEADLINE_NEVER, which never fires) */
uint64_t clock_after_us(uint64_t us)
{
  uint64_t hz = clock_hz(), now = clock_now();
  uint64_t sec = us / 1000000u, rest = us % 1000000u;
  uint64_t ticks = rest * hz / 1000000u, max = UINT64_MAX - 1;
  if (hz != 0 && sec > (max - ticks) / hz)
    return max;
  ticks += sec * hz;
  return ticks > max - now ? max : now + ticks;
}

long sleep_until(uint32_t timer, uint32_t ntfn, uint64_t deadline)
{
  long e = sys_timer_set(timer, ntfn, deadline);
  if (e != E_OK)
    return e;
  /* at least one wait: the timer signals once even for a deadline already
   * past (before timer_set returns), and that bit is taken here, not left
   * for the notification's next waiter */
  do {
    uint64_t bits;
    e = sys_notify_wait(ntfn, &bits);
    if (e != E_OK) {
      sys_timer_cancel(timer);
      return e;
    }
  } while (clock_now() < deadline);
  return E_OK;
}

long sleep_us(uint32_t timer, uint32_t ntfn, uint64_t us)
{
  return sleep_until(timer, ntfn, clock_after_us(us));
}
