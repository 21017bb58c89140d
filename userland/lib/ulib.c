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
};

static void flush(struct pbuf *p)
{
  if (p->n)
    sys_debug_write(p->b, p->n);
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

void printf(const char *fmt, ...)
{
  struct pbuf p;
  va_list ap;
  p.n = 0;
  va_start(ap, fmt);
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
  va_end(ap);
  flush(&p);
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
