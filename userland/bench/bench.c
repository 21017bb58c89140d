/* bench: the benchmark root task (the bench image boots it instead of the
 * test root task). Prints, in retired instructions (rdinstret; run QEMU
 * with -icount shift=0,sleep=off so that instret counts exactly), the
 * user-to-user cost of an IPC call, a reply, a capability copy, a
 * notification signal, spawning a 64 KiB program and destroying a
 * container holding N frames. Each figure is the minimum over ROUNDS
 * runs (a timer tick may land in any single run). */
#include "ulib.h"
#include "spawn.h"
#include "proto.h"

extern const uint8_t probe_elf[], probe_elf_end[];
extern const uint8_t big_elf[], big_elf_end[];

#define ROUNDS 20
#define R_CONT  0u
#define R_TMP   3u
#define R_FAULT 4u
#define R_EP    5u
#define R_NTFN  6u
#define R_K1    8u     /* a child's container, cspace, process: 8..10 */
#define R_K2    11u    /* a second child's: 11..13 */
#define R_X     14u    /* scratch: 14..16 */
#define R_MEM1  17u    /* the memory cspace (spawn.h) of R_K1's child */
#define R_MEM2  18u    /*   and of R_K2's */
#define R_BIG   19u    /* raise_fhi's container of 2,048 frames */
#define R_ONE   20u    /* free_figures' object */

/* the memory cspace's slot of the child in base..base+2 */
static uint32_t mem_slot(uint32_t base)
{
  return base == R_K2 ? R_MEM2 : R_MEM1;
}

static long spawn_prog(uint32_t base, const uint8_t *img, uint64_t size, char role,
                       uint32_t prio, const struct capgift *g, unsigned ng)
{
  struct capgift gifts[4];
  const char *stage = "";
  unsigned n = 0;
  struct spawn_req q;
  memset(&q, 0, sizeof q);
  q.cont = R_CONT; q.limit = 64; q.prio = prio;
  q.slot_cont = base; q.slot_cspace = base + 1; q.slot_proc = base + 2;
  q.slot_tmp = R_TMP; q.slot_mem = mem_slot(base); q.image = img; q.image_size = size;
  q.arg[0] = (uint64_t)role;
  q.fault_ep = R_FAULT; q.fault_badge = (uint64_t)role;
  long e = spawn_build(&q, &stage);
  if (e != E_OK)
    return e;
  gifts[n++] = (struct capgift){ base, P_CONT, RIGHTS_ALL, 0 };
  for (unsigned i = 0; i < ng; i++)
    gifts[n++] = g[i];
  q.caps = gifts;
  q.ncaps = n;
  return spawn_start(&q, &stage);
}

/* Freeing one object (obj_free), the minimum of ROUNDS runs each: a
 * frame, a capability space and an endpoint, each allocated and freed
 * again (the frame first mapped nowhere). */
static void free_figures(const char *when)
{
  static const uint32_t type[] = { OT_FRAME, OT_CSPACE, OT_ENDPOINT };
  static const char *const name[] = { "frame", "cspace", "endpoint" };
  for (unsigned k = 0; k < 3; k++) {
    uint64_t best = ~0ul;
    for (int i = 0; i < ROUNDS; i++) {
      sys_obj_alloc(R_CONT, type[k], R_ONE);
      uint64_t t0 = rd_instret();
      long e = sys_obj_free(R_CONT, R_ONE);
      uint64_t t1 = rd_instret();
      sys_cap_delete(R_ONE);
      if (e == E_OK && t1 - t0 < best)
        best = t1 - t0;
    }
    printf("bench: free a %-9s %lu%s\n", name[k], (unsigned long)best, when);
  }
}

/* 2,048 frames more in use (allocated into a container of their own,
 * their capabilities deleted), kept to the end of the run: the frames'
 * high-water mark f_hi rises by 2,048, so that free_figures shows what a
 * free costs beyond the objects it acts on. Every entry stays small (no
 * destroy of them). */
static void raise_fhi(void)
{
  sys_container_create(R_CONT, R_BIG, 2048);
  for (uint32_t n = 0; n < 2048; n++) {
    sys_obj_alloc(R_BIG, OT_FRAME, R_ONE);
    sys_cap_delete(R_ONE);
  }
}

static struct msg await(char r)
{
  for (;;) {
    struct msg m = sys_recv(R_FAULT);
    if (m.err != E_OK || m.badge == (uint64_t)r)
      return m;
  }
}

static void destroy(uint32_t base)
{
  sys_container_destroy(R_CONT, base);
  for (uint32_t s = 0; s < 3; s++)
    sys_cap_delete(base + s);
  sys_cap_delete(mem_slot(base));
}

/* Where a spawn's instructions go: each step it takes, alone, the minimum
 * over 5 runs. A page costs an allocation, the write of its bytes
 * (SYS_FRAME_WRITE), a map and the move of its capability into the
 * memory cspace. */
#define PART(name, stmt)                                              \
  do {                                                                \
    uint64_t t0_ = rd_instret();                                      \
    stmt;                                                             \
    uint64_t t1_ = rd_instret();                                      \
    if (t1_ - t0_ < part[name])                                       \
      part[name] = t1_ - t0_;                                         \
  } while (0)

enum { P_NULL, P_CREATE, P_CSPACE, P_MEMCS, P_PROC, P_FRAME, P_WRITE,
       P_MAPFIRST, P_MAPNEXT, P_MOVE, P_WREG, P_RESUME, P_NPARTS };
static const char *const part_name[P_NPARTS] = {
  "(any slow syscall: entry, decode, exit; nr = SYS_COUNT)", "container_create", "obj_alloc cspace",
  "obj_alloc memory cspace", "proc_create", "obj_alloc frame",
  "frame_write of 4 KiB",
  "map (new process, first page: 3 page tables)", "map (new process, next page)",
  "cap_move (frame capability to memory cspace)", "proc_write_reg", "proc_resume",
};
static uint8_t page_src[4096] __attribute__((aligned(8)));

static void spawn_parts(void)
{
  uint64_t part[P_NPARTS];
  for (unsigned k = 0; k < P_NPARTS; k++)
    part[k] = ~0ul;
  for (int i = 0; i < 5; i++) {
    const uint32_t c = R_K1, cs = R_K1 + 1, p = R_K1 + 2, mem = R_MEM1;
    uint32_t k = 0;
    PART(P_NULL, syscall7(SYS_COUNT, 0, 0, 0, 0, 0, 0, 0));
    PART(P_CREATE, sys_container_create(R_CONT, c, 64));
    PART(P_CSPACE, sys_obj_alloc(c, OT_CSPACE, cs));
    PART(P_MEMCS, sys_obj_alloc(c, OT_CSPACE, mem));
    PART(P_PROC, sys_proc_create(c, cs, p, 4));
    for (uint64_t va = 0x10000; va < 0x12000; va += 4096) {
      PART(P_FRAME, sys_obj_alloc(c, OT_FRAME, R_TMP));
      PART(P_WRITE, sys_frame_write(R_TMP, 0, page_src, 4096));
      if (va == 0x10000)
        PART(P_MAPFIRST, sys_map(p, R_TMP, va, RIGHTS(1, 1, 0)));
      else
        PART(P_MAPNEXT, sys_map(p, R_TMP, va, RIGHTS(1, 1, 0)));
      PART(P_MOVE, sys_cap_move(R_TMP, mem, k++));
    }
    PART(P_WREG, sys_proc_write_reg(p, REG_PC, 0x10000));
    PART(P_RESUME, sys_proc_resume(p));
    destroy(R_K1);
  }
  for (unsigned k = 0; k < P_NPARTS; k++)
    printf("bench:   spawn part: %-46s %lu\n", part_name[k], (unsigned long)part[k]);
}

int main(void)
{
  uint64_t probe_size = (uint64_t)(probe_elf_end - probe_elf);
  sys_obj_alloc(R_CONT, OT_ENDPOINT, R_FAULT);
  sys_obj_alloc(R_CONT, OT_ENDPOINT, R_EP);
  sys_obj_alloc(R_CONT, OT_NOTIFICATION, R_NTFN);
  printf("bench: instructions retired (minimum of %d runs), user to user\n", ROUNDS);
  uint64_t irq_src = 0;

  /* call and reply: an echo server ('e') and a client ('C'), same priority */
  struct capgift ep[1] = { { R_EP, P_CAP, RIGHTS_ALL, 0 } };
  spawn_prog(R_K1, probe_elf, probe_size, 'e', 5, ep, 1);
  spawn_prog(R_K2, probe_elf, probe_size, 'C', 5, ep, 1);
  struct msg m = await('C');
  printf("bench: ipc call          %lu\n", (unsigned long)(m.w[0] >> 32));
  printf("bench: ipc reply         %lu\n", (unsigned long)(m.w[0] & 0xffffffffu));
  destroy(R_K1);
  destroy(R_K2);

  /* notification: a waiter ('w', priority 6) woken by a signaller ('S', 5) */
  struct capgift nt[1] = { { R_NTFN, P_CAP, RIGHTS_ALL, 0 } };
  spawn_prog(R_K1, probe_elf, probe_size, 'w', 6, nt, 1);
  spawn_prog(R_K2, probe_elf, probe_size, 'S', 5, nt, 1);
  m = await('w');
  printf("bench: notify signal     %lu  (signal to the waiter running)\n", (unsigned long)m.w[0]);
  destroy(R_K1);
  destroy(R_K2);

  /* capability copy, within my own cspace */
  uint64_t best = ~0ul;
  for (int i = 0; i < ROUNDS; i++) {
    uint64_t t0 = rd_instret();
    sys_cap_copy(R_EP, SLOT_SELF, R_X, RIGHTS_ALL);
    uint64_t t1 = rd_instret();
    sys_cap_delete(R_X);
    if (t1 - t0 < best)
      best = t1 - t0;
  }
  printf("bench: cap copy          %lu\n", (unsigned long)best);

  /* spawning a 64 KiB program (until proc_resume returns) */
  uint64_t big_size = (uint64_t)(big_elf_end - big_elf);
  best = ~0ul;
  for (int i = 0; i < 5; i++) {
    uint64_t t0 = rd_instret();
    long e = spawn_prog(R_K1, big_elf, big_size, 'b', 4, 0, 0);
    uint64_t t1 = rd_instret();
    if (e == E_OK && t1 - t0 < best)
      best = t1 - t0;
    destroy(R_K1);
  }
  printf("bench: spawn %lu KiB ELF  %lu\n", (unsigned long)(big_size / 1024), (unsigned long)best);
  spawn_parts();

  /* destroying a container that holds N frames */
  static const unsigned ns[] = { 1, 16, 64, 256 };
  for (unsigned k = 0; k < sizeof ns / sizeof ns[0]; k++) {
    best = ~0ul;
    for (int i = 0; i < 5; i++) {
      sys_container_create(R_CONT, R_X, 300);
      for (unsigned j = 0; j < ns[k]; j++) {
        sys_obj_alloc(R_X, OT_FRAME, R_X + 1);
        sys_cap_delete(R_X + 1);
      }
      uint64_t t0 = rd_instret();
      sys_container_destroy(R_CONT, R_X);
      uint64_t t1 = rd_instret();
      sys_cap_delete(R_X);
      if (t1 - t0 < best)
        best = t1 - t0;
    }
    printf("bench: destroy container with %3u frames  %lu\n", ns[k], (unsigned long)best);
  }
  /* interrupt delivery: from the trigger's store to the driver running
   * (probe.c, irq_driver); the ns16550 of QEMU virt */
  uint64_t uart = 0;
  for (uint64_t i = 0; i < MAX_DEVICE_PAGES && !uart; i++) {
    uint64_t k = 0;
    if (sys_device_info(ROOT_SLOT_DEVICE + i, &k, 0, &irq_src) == E_OK && k == DEV_UART_NS16550)
      uart = ROOT_SLOT_DEVICE + i;
  }
  if (uart) {
    sys_obj_alloc(R_CONT, OT_NOTIFICATION, R_X);          /* the interrupt's */
    sys_obj_alloc(R_CONT, OT_NOTIFICATION, R_X + 1);      /* the trigger's instret */
    sys_irq_handler_create(ROOT_SLOT_IRQ_CONTROL, R_CONT, irq_src, R_X + 2);
    sys_irq_set_ntfn(R_X + 2, R_X);
    struct capgift dg[3] = { { R_X, P_CAP, RIGHTS_ALL, 0 }, { R_X + 2, P_CAP2, RIGHTS_ALL, 0 },
                             { R_X + 1, 4, RIGHTS_ALL, 0 } };
    struct capgift tg[2] = { { uart, P_CAP, RIGHTS_ALL, 0 }, { R_X + 1, P_CAP2, RIGHTS_ALL, 0 } };
    spawn_prog(R_K1, probe_elf, probe_size, 'I', 6, dg, 3);
    spawn_prog(R_K2, probe_elf, probe_size, 'J', 5, tg, 2);
    m = await('I');
    printf("bench: irq delivery      %lu  (device store to the driver's first instruction)\n",
           (unsigned long)m.w[0]);
    await('J');
    destroy(R_K1);
    destroy(R_K2);
    for (uint32_t s = R_X; s < R_X + 3; s++) {
      sys_obj_free(R_CONT, s);
      sys_cap_delete(s);
    }
  }

  /* a timeout that expires: from the timer trap to the waiter running.
   * A spinner (priority 5) keeps the instret it read last in t0 (probe.c,
   * instret_spinner); I (priority 7) wait on the notification a timer
   * signals; once I run, the spinner's saved t0 is the instret of its
   * last read before the trap (one jump before it; the minimum over the
   * rounds is a round where the timer, not the time slice, trapped) */
  sys_obj_alloc(R_CONT, OT_NOTIFICATION, R_X);
  sys_obj_alloc(R_CONT, OT_TIMER, R_X + 1);
  spawn_prog(R_K1, probe_elf, probe_size, 'Z', 5, 0, 0);
  best = ~0ul;
  for (int i = 0; i < ROUNDS; i++) {
    uint64_t bits, t0 = 0;
    sys_timer_set(R_X + 1, R_X, clock_after_us(200));
    sys_notify_wait(R_X, &bits);
    uint64_t t1 = rd_instret();
    /* its registers are read while it is suspended */
    long rr = sys_proc_suspend(R_K1 + 2);
    if (rr == E_OK)
      rr = sys_proc_read_reg(R_K1 + 2, 5, &t0);
    sys_proc_resume(R_K1 + 2);
    if (rr == E_OK && t0 != 0 && t1 - t0 < best)
      best = t1 - t0;
  }
  printf("bench: timeout expiry    %lu  (timer trap to the waiter's first instruction)\n",
         (unsigned long)best);
  destroy(R_K1);
  for (uint32_t s = R_X; s < R_X + 2; s++) {
    sys_obj_free(R_CONT, s);
    sys_cap_delete(s);
  }

  free_figures("");
  raise_fhi();
  free_figures("  (2,048 frames more used since boot)");
  printf("bench: done\n");
  return 0;
}
