/* failroot: a root task that fails, for the boot tests that check a
 * failed system is reported as one (tests/boot: boot_failroot_*). It is
 * built three times, FAILROOT_MODE choosing how it fails:
 *   1 (exit):   it exits with code 3;
 *   2 (crash):  it loads from an unmapped address (no fault endpoint: the
 *               kernel stops it);
 *   3 (report): it prints a summary with one failed test and exits 0, as
 *               a root task that miscounts its own verdict would.
 * Each way must make the run fail: the kernel powers off with failure
 * status for the first two, the boot checker rejects the summary of the
 * third. */
#include "ulib.h"

int main(void)
{
  printf("failroot: up, failing by mode %d\n", FAILROOT_MODE);
  if (FAILROOT_MODE == 1)
    return 3;
  if (FAILROOT_MODE == 2) {
    uint64_t a = 0x8;                  /* nothing mapped there */
    __asm__ volatile("" : "+r"(a));    /* an address, not a known constant */
    return (int)*(volatile uint64_t *)a;
  }
  printf("test one that passes PASS\ntest one that fails FAIL\n");
  printf("1 passed, 1 failed\n");
  return 0;
}
