/* ticker: prints a tick on the console every second, for ever (a job for
 * the shell, userland/shell). Slots: 0 its container, 1 the console's
 * endpoint; it makes its notification and timer from its container. */
#include "ulib.h"
#include "console.h"

int main(void)
{
  const uint32_t cons = 1, ntfn = 2, timer = 3;
  long e = sys_obj_alloc(0, OT_NOTIFICATION, ntfn);
  if (e == E_OK)
    e = sys_obj_alloc(0, OT_TIMER, timer);
  if (e != E_OK) {
    cons_printf(cons, "ticker: no timer: %s\n", err_name(e));
    return 1;
  }
  /* from the last deadline, so that the period does not drift */
  uint64_t next = clock_now(), hz = clock_hz();
  for (unsigned long n = 1;; n++) {
    next += hz;
    e = sleep_until(timer, ntfn, next);
    if (e != E_OK)
      return 2;
    cons_printf(cons, "ticker: tick %lu\n", n);
  }
}
