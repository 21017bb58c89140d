/* expect.h: the hostile root tasks' checks (userland/hostile_dev,
 * userland/hostile_time). Each check prints one line, "PASS ..." or
 * "FAIL (line N) ...", and counts; the program ends with
 * "<name>: N passed, M failed" (expect_summary) and exits with the
 * failures. T(got, want, what) compares an error code, C(ok, what) a
 * condition; must(e, what) stops the program when its own set-up fails
 * (exit 98). Define EXPECT_NAME (the program's name) before including. */
#ifndef EXPECT_H
#define EXPECT_H

#include "ulib.h"

#ifndef EXPECT_NAME
#error "define EXPECT_NAME before including expect.h"
#endif

static int npass, nfail;

static inline const char *en(long e)
{
  return err_name(e);
}

static inline void T_(long got, long want, const char *what, int line)
{
  if (got == want) {
    npass++;
    printf("PASS %s: %s\n", what, en(got));
  } else {
    nfail++;
    printf("FAIL (line %d) %s: expected %s, got %s (%ld)\n", line, what, en(want), en(got), got);
  }
}
#define T(got, want, what) T_((long)(got), (long)(want), what, __LINE__)

static inline void C_(int ok, const char *what, int line)
{
  if (ok) {
    npass++;
    printf("PASS %s\n", what);
  } else {
    nfail++;
    printf("FAIL (line %d) %s\n", line, what);
  }
}
#define C(ok, what) C_((ok), what, __LINE__)

static inline void must(long e, const char *what)
{
  if (e != E_OK) {
    printf("%s: setup %s failed: %s\n", EXPECT_NAME, what, en(e));
    exit(98);
  }
}

static inline uint64_t usage_of(uint64_t c)
{
  uint64_t u = 0;
  must(sys_container_info(c, 0, &u), "container_info");
  return u;
}

static inline int empty(uint64_t s)
{
  return sys_cap_resolve(s, 0, 0, 0) == E_EMPTY;
}

#endif
