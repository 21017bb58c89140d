/* hello: the template for your own program. Copy this folder, rename it,
 * add its name to PROGRAMS in userland/CMakeLists.txt, and boot it as the
 * root task with -DROOTTASK=<name> (docs/PROGRAMS.md, "Your first
 * program").
 *
 * As the root task it starts with three capabilities (docs/SYSCALLS.md,
 * "The root task's start"): slot 0 the root container (all the memory the
 * kernel manages, write right), slot 1 its own capability space, slot 2
 * its own process; a0 = the first free slot. Everything else it makes
 * from the container, and pays for: here a page of memory and a
 * notification, then it gives them back.
 *
 * Its exit code is the run's verdict: 0 and the kernel powers off
 * cleanly (QEMU exits 0, `run-virt` passes); anything else, or a crash,
 * and the kernel powers off with failure status. */
#include "ulib.h"

#define MY_CONTAINER 0u          /* slots the kernel gives the root task */
#define MY_PAGE_VA   0x40000000ul /* where I map my page (nothing else there) */

/* Stop with a message if a call failed: the exit code says which. */
static void check(long err, const char *what)
{
  if (err != E_OK) {
    printf("hello: %s failed: %s\n", what, err_name(err));
    exit(1);
  }
}

int main(uint64_t first_free)
{
  uint64_t limit = 0, usage = 0, start = 0;
  uint32_t page = (uint32_t)first_free, ntfn = page + 1;

  printf("hello: up, first free slot %lu\n", (unsigned long)first_free);
  check(sys_container_info(MY_CONTAINER, &limit, &usage), "container_info");
  start = usage;
  printf("hello: my container: limit %lu frames, %lu used (my image, stack, "
         "page tables)\n", (unsigned long)limit, (unsigned long)usage);

  /* a page of memory: allocate a frame (zeroed), map it, use it */
  check(sys_obj_alloc(MY_CONTAINER, OT_FRAME, page), "obj_alloc frame");
  check(sys_map(SLOT_SELF, page, MY_PAGE_VA, RIGHTS(1, 1, 0)), "map");
  char *mem = (char *)MY_PAGE_VA;
  const char *greeting = "hello, world";
  memcpy(mem, greeting, strlen(greeting) + 1);
  printf("hello: wrote \"%s\" into my own page at 0x%lx\n", mem, MY_PAGE_VA);

  /* a notification: signal it, then wait (the bits are there already) */
  uint64_t bits = 0;
  check(sys_obj_alloc(MY_CONTAINER, OT_NOTIFICATION, ntfn), "obj_alloc notification");
  check(sys_notify_signal(ntfn, 0x5), "notify_signal");
  check(sys_notify_wait(ntfn, &bits), "notify_wait");
  printf("hello: my notification gave me bits 0x%lx\n", (unsigned long)bits);

  /* give them back: the container's usage drops by the two frames; the
   * page-table frames map made stay mine (charged to my container) */
  uint64_t peak = 0;
  check(sys_container_info(MY_CONTAINER, 0, &peak), "container_info");
  check(sys_unmap(SLOT_SELF, MY_PAGE_VA), "unmap");
  check(sys_obj_free(MY_CONTAINER, page), "obj_free frame");
  check(sys_obj_free(MY_CONTAINER, ntfn), "obj_free notification");
  check(sys_cap_delete(page), "cap_delete");
  check(sys_cap_delete(ntfn), "cap_delete");
  check(sys_container_info(MY_CONTAINER, 0, &usage), "container_info");
  printf("hello: container usage %lu at start, %lu at the peak, %lu now "
         "(the page tables stay); goodbye\n", (unsigned long)start,
         (unsigned long)peak, (unsigned long)usage);
  return usage == peak - 2 ? 0 : 2;
}
