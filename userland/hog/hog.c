/* hog: takes every frame its container allows, says how many, and waits
 * for ever (a job for the shell, userland/shell: its limit holds, and
 * killing it gives everything back). Slots: 0 its container, 1 the
 * console's endpoint. */
#include "ulib.h"
#include "console.h"

int main(void)
{
  const uint32_t cons = 1, ntfn = 2;
  uint64_t limit = 0, usage = 0;
  long e = sys_obj_alloc(0, OT_NOTIFICATION, ntfn);
  unsigned n = 0;
  for (uint32_t slot = 8; e == E_OK && slot < CSPACE_SLOTS; slot++) {
    e = sys_obj_alloc(0, OT_FRAME, slot);
    if (e == E_OK)
      n++;
  }
  sys_container_info(0, &limit, &usage);
  cons_printf(cons, "hog: took %u frames, then %s (container: %lu of %lu)\n", n,
              err_name(e), (unsigned long)usage, (unsigned long)limit);
  uint64_t bits;
  for (;;)
    sys_notify_wait(ntfn, &bits);      /* nobody signals it */
}
