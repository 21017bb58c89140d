/* ulib.h: the small C library of userland: console output, memory
 * helpers, exit. */
#ifndef ULIB_H
#define ULIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "sys.h"

void  printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void  puts_raw(const char *s);
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
size_t strlen(const char *s);
const char *err_name(long e);
void  exit(long code) __attribute__((noreturn));

#endif
