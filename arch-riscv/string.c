/*
 * string.c: the memory functions GCC may call even in freestanding code
 * (struct copies, zeroing loops it recognises). Early-safe.
 */
#include <stddef.h>

void *memset(void *dst, int c, size_t n)
{
  volatile unsigned char *d = dst;   /* volatile: keep GCC from calling memset here */
  while (n-- > 0)
    *d++ = (unsigned char)c;
  return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
  volatile unsigned char *d = dst;
  const unsigned char *s = src;
  while (n-- > 0)
    *d++ = *s++;
  return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
  volatile unsigned char *d = dst;
  const unsigned char *s = src;
  if (d < s) {
    while (n-- > 0)
      *d++ = *s++;
  } else {
    while (n-- > 0)
      d[n] = s[n];
  }
  return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
  const unsigned char *x = a, *y = b;
  for (size_t i = 0; i < n; i++)
    if (x[i] != y[i])
      return x[i] < y[i] ? -1 : 1;
  return 0;
}
