/* init: the root task of the interactive system (issue 15 items 4, 5;
 * `cmake --build build --target run-shell`). It builds, each in its own
 * container:
 *   - the console server (userland/console): the UART's device page and
 *     an interrupt handler for its source, bound to a notification; the
 *     server's endpoint;
 *   - its interrupt relay (the same program, role 'r'): the notification,
 *     and the endpoint badged CONS_RELAY_BADGE;
 *   - the shell (userland/shell): the console's endpoint, a read-only
 *     capability to the root container, a container of SHELL_LIMIT frames
 *     for its jobs.
 * It waits for the shell to exit, destroys all three containers, checks
 * that every frame came back, and exits (the kernel powers off). */
#include "ulib.h"
#include "spawn.h"
#include "console.h"

extern const uint8_t console_elf[], console_elf_end[];
extern const uint8_t shell_elf[], shell_elf_end[];

#define R_CONT      0u
#define R_TMP       3u
#define R_FAULT     4u     /* exits and faults of my children */
#define R_CONS_CONT 5u     /* the console's container */
#define R_HANDLER   6u
#define R_NTFN      7u
#define R_EP        8u
#define R_SERVER    10u    /* the server's container, cspace, process: 10..12 */
#define R_RELAY     13u    /* the relay's: 13..15 */
#define R_SHELL     16u    /* the shell's: 16..18 */
#define R_MEM       19u    /* their memory cspaces (spawn.h): server 19,
                              relay 20, shell 21 */
#define SHELL_LIMIT 600u
#define CONS_LIMIT  96u    /* the server and the relay: images, stacks, rings */

/* a child in slots base..base+2, its memory cspace in slot mem */
static long spawn_child(uint32_t cont, uint32_t base, uint32_t mem, uint32_t limit,
                        uint32_t prio, const uint8_t *img, const uint8_t *end, uint64_t a0,
                        uint64_t a1, const struct capgift *g, unsigned ng, uint64_t badge)
{
  struct spawn_req q;
  const char *stage = "";
  memset(&q, 0, sizeof q);
  q.cont = cont;
  q.limit = limit;
  q.prio = prio;
  q.slot_cont = base;
  q.slot_cspace = base + 1;
  q.slot_proc = base + 2;
  q.slot_tmp = R_TMP;
  q.slot_mem = mem;
  q.image = img;
  q.image_size = (uint64_t)(end - img);
  q.arg[0] = a0;
  q.arg[1] = a1;
  q.fault_ep = R_FAULT;
  q.fault_badge = badge;
  q.caps = g;
  q.ncaps = ng;
  long e = spawn(&q, &stage);
  if (e != E_OK)
    printf("init: spawning a child: %s failed: %s\n", stage, err_name(e));
  return e;
}

static void fail(const char *what, long e)
{
  printf("init: %s failed: %s\n", what, err_name(e));
  exit(1);
}

int main(uint64_t first_free, uint64_t ndevices)
{
  (void)first_free;
  uint64_t start = 0, kind = 0, src = 0, uart = 0;
  /* the page tables behind my scratch page (where spawn fills a child's
   * pages) are mine for good: make them before counting */
  sys_obj_alloc(R_CONT, OT_FRAME, R_TMP);
  sys_map(SLOT_SELF, R_TMP, SCRATCH_VA, RIGHTS(1, 1, 0));
  sys_unmap(SLOT_SELF, SCRATCH_VA);
  sys_obj_free(R_CONT, R_TMP);
  sys_cap_delete(R_TMP);
  sys_container_info(R_CONT, 0, &start);
  for (uint64_t i = 0; i < ndevices && !uart; i++) {
    uint64_t k = 0, q = 0;
    if (sys_device_info(ROOT_SLOT_DEVICE + i, &k, 0, &q) == E_OK &&
        (k == DEV_UART_NS16550 || k == DEV_UART_SIFIVE) && q != 0) {
      uart = ROOT_SLOT_DEVICE + i;
      kind = k;
      src = q;
    }
  }
  if (!uart)
    fail("finding a UART with an interrupt", E_EMPTY);
  printf("init: console on the %s UART, interrupt source %lu\n",
         kind == DEV_UART_NS16550 ? "ns16550" : "SiFive", (unsigned long)src);

  long e = sys_obj_alloc(R_CONT, OT_ENDPOINT, R_FAULT);
  if (e == E_OK)
    e = sys_container_create(R_CONT, R_CONS_CONT, CONS_LIMIT + 8);
  if (e == E_OK)
    e = sys_irq_handler_create(ROOT_SLOT_IRQ_CONTROL, R_CONS_CONT, src, R_HANDLER);
  if (e == E_OK)
    e = sys_obj_alloc(R_CONS_CONT, OT_NOTIFICATION, R_NTFN);
  if (e == E_OK)
    e = sys_irq_set_ntfn(R_HANDLER, R_NTFN);
  if (e == E_OK)
    e = sys_obj_alloc(R_CONS_CONT, OT_ENDPOINT, R_EP);
  if (e != E_OK)
    fail("making the console's objects", e);

  /* the server (priority 6), then its relay (6), then the shell (5) */
  struct capgift sg[4] = { { R_SERVER, 0, RIGHTS_ALL, 0 }, { uart, 1, RIGHTS(1, 1, 0), 0 },
                           { R_HANDLER, 2, RIGHTS_ALL, 0 }, { R_EP, 3, RIGHTS(1, 0, 0), 0 } };
  struct capgift rg[3] = { { R_RELAY, 0, RIGHTS_ALL, 0 }, { R_NTFN, 1, RIGHTS(1, 0, 0), 0 },
                           { R_EP, 2, RIGHTS(0, 1, 0), CONS_RELAY_BADGE } };
  struct capgift hg[3] = { { R_SHELL, 0, RIGHTS_ALL, 0 }, { R_EP, 1, RIGHTS(0, 1, 1), 0 },
                           { R_CONT, 2, RIGHTS(1, 0, 0), 0 } };
  e = spawn_child(R_CONS_CONT, R_SERVER, R_MEM, CONS_LIMIT / 2, 6, console_elf,
                  console_elf_end, 's', kind, sg, 4, 's');
  if (e == E_OK)
    e = spawn_child(R_CONS_CONT, R_RELAY, R_MEM + 1, CONS_LIMIT / 2 - 8, 6, console_elf,
                    console_elf_end, 'r', kind, rg, 3, 'r');
  if (e == E_OK)
    e = spawn_child(R_CONT, R_SHELL, R_MEM + 2, SHELL_LIMIT, 5, shell_elf, shell_elf_end, 0, 0,
                    hg, 3, 'h');
  if (e != E_OK)
    fail("starting the console and the shell", e);

  /* until the shell exits; a fault or exit of anyone else is reported */
  long code = -1;
  for (;;) {
    struct msg m = sys_recv(R_FAULT);
    if (m.err != E_OK)
      fail("waiting for the shell", m.err);
    if (m.badge == 'h' && m.label == LABEL_EXIT) {
      code = (long)m.w[0];
      break;
    }
    printf("init: child %c stopped: label 0x%lx, cause/code %lu\n", (char)m.badge,
           (unsigned long)m.label, (unsigned long)m.w[0]);
    if (m.badge == 'h')
      break;
  }
  long d = sys_container_destroy(R_CONT, R_SHELL);
  d |= sys_container_destroy(R_CONT, R_CONS_CONT);
  for (uint32_t s = R_CONS_CONT; s <= R_MEM + 2; s++)
    if (s != R_EP + 1)                  /* slot 9: unused */
      sys_cap_delete(s);
  sys_obj_free(R_CONT, R_FAULT);
  sys_cap_delete(R_FAULT);
  uint64_t now = 0;
  sys_container_info(R_CONT, 0, &now);
  printf("init: the shell exited with %ld; root container usage %lu, at start %lu\n", code,
         (unsigned long)now, (unsigned long)start);
  return code == 0 && d == E_OK && now == start ? 0 : 1;
}
