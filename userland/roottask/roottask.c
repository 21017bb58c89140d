/* roottask: the first process. The kernel hands it the root container
 * (slot 0), its own capability space (slot 1) and its own process
 * (slot 2). It builds the hierarchy A{B, C{D, E}} by canonical creation
 * (every member spawns its own children), then runs one scenario per law
 * and a set of hostile programs, printing one line per test and
 * "N passed, N failed" at the end. */
#include "ulib.h"
#include "spawn.h"
#include "proto.h"

extern const uint8_t member_elf[], member_elf_end[];
extern const uint8_t probe_elf[], probe_elf_end[];

/* my slots */
#define R_CONT   0u    /* root container                                  */
#define R_TMP    3u
#define R_FAULT  4u    /* my fault/exit endpoint for every child          */
#define R_A      5u    /* A: container, cspace, process, endpoint (5..8)  */
#define R_GOT0   9u    /* receive slots                                   */
#define R_GOT1   10u
#define R_K1     11u   /* a scenario's first child: 11..13                */
#define R_K2     14u   /* a second child: 14..16                          */
#define R_X      17u   /* scratch objects: 17..25                          */
#define R_MEM_A  26u   /* memory cspaces (spawn.h, slot_mem): A's,         */
#define R_MEM_K1 27u   /*   the first child's,                             */
#define R_MEM_K2 28u   /*   the second child's                             */

static int passed, failed;
static uint64_t ndevices;   /* device pages: slots ROOT_SLOT_DEVICE.. (a1 at start) */

static uint64_t usage_of(uint32_t slot);

static void report(int ok, const char *name, const char *fmt, uint64_t a, uint64_t b)
{
  (void)usage_of;
  printf("test %-44s %s  (", name, ok ? "PASS" : "FAIL");
  printf(fmt, (unsigned long)a, (unsigned long)b);
  printf(")\n");
  if (ok)
    passed++;
  else
    failed++;
}

static uint64_t usage_of(uint32_t slot)
{
  uint64_t u = 0;
  if (sys_container_info(slot, 0, &u) != E_OK)
    return ~0ul;
  return u;
}

/* the memory cspace's slot of the child in base..base+2 (R_K1 or R_K2) */
static uint32_t mem_slot(uint32_t base)
{
  return base == R_K2 ? R_MEM_K2 : R_MEM_K1;
}

/* Spawn a probe with role r into slots base..base+2 (and its memory
 * cspace into mem_slot(base)), giving it its own container (limit) and
 * the capabilities gifts; its exit comes to R_FAULT with badge = the
 * role. prio: at most mine (NPRIO-1). */
static long spawn_probe(uint32_t base, char r, uint32_t limit, uint32_t prio,
                        const struct capgift *extra, unsigned nextra)
{
  struct capgift gifts[4];
  const char *stage = "";
  unsigned n = 0;
  struct spawn_req q;
  memset(&q, 0, sizeof q);
  q.cont = R_CONT;
  q.limit = limit;
  q.prio = prio;
  q.slot_cont = base;
  q.slot_cspace = base + 1;
  q.slot_proc = base + 2;
  q.slot_tmp = R_TMP;
  q.slot_mem = mem_slot(base);
  q.image = probe_elf;
  q.image_size = (uint64_t)(probe_elf_end - probe_elf);
  q.arg[0] = (uint64_t)r;
  q.fault_ep = R_FAULT;
  q.fault_badge = (uint64_t)r;
  long e = spawn_build(&q, &stage);
  if (e != E_OK) {
    printf("roottask: spawning probe %c: %s failed: %s\n", r, stage, err_name(e));
    return e;
  }
  gifts[n++] = (struct capgift){ base, P_CONT, RIGHTS_ALL, 0 };
  for (unsigned i = 0; i < nextra && n < 4; i++)
    gifts[n++] = extra[i];
  q.caps = gifts;
  q.ncaps = n;
  e = spawn_start(&q, &stage);
  if (e != E_OK)
    printf("roottask: starting probe %c: %s failed: %s\n", r, stage, err_name(e));
  return e;
}

/* destroy the child in base..base+2 and forget its slots (its memory
 * cspace's too) */
static long destroy_child(uint32_t base)
{
  long e = sys_container_destroy(R_CONT, base);
  for (uint32_t s = 0; s < 3; s++)
    sys_cap_delete(base + s);
  sys_cap_delete(mem_slot(base));
  return e;
}

/* wait for an exit (or fault) message from the probe with role r */
static struct msg await_exit(char r)
{
  for (;;) {
    struct msg m = sys_recv(R_FAULT);
    if (m.err != E_OK || m.badge == (uint64_t)r)
      return m;
    printf("roottask: unexpected message label 0x%lx from %c while waiting for %c\n",
           (unsigned long)m.label, (char)m.badge, r);
  }
}

/* ---- the hierarchy ---------------------------------------------------- */

static uint64_t a_usage_before_c, sib_before, sib_after;

static void build_hierarchy(void)
{
  const char *stage = "";
  uint64_t size = (uint64_t)(member_elf_end - member_elf);
  struct spawn_req q;
  memset(&q, 0, sizeof q);
  q.cont = R_CONT;
  q.limit = 512;
  q.prio = 5;
  q.slot_cont = R_A;
  q.slot_cspace = R_A + 1;
  q.slot_proc = R_A + 2;
  q.slot_tmp = R_TMP;
  q.slot_mem = R_MEM_A;
  q.image = member_elf;
  q.image_size = size;
  q.extra = member_elf;
  q.extra_size = size;
  q.arg[0] = 'A';
  q.arg[1] = size;
  q.fault_ep = R_FAULT;
  q.fault_badge = 'A';
  long e = spawn_build(&q, &stage);
  if (e == E_OK)
    e = sys_obj_alloc(R_A, OT_ENDPOINT, R_A + 3);   /* A's endpoint, paid by A */
  struct capgift gifts[3] = {
    { R_A, M_CONT, RIGHTS_ALL, 0 },
    { R_FAULT, M_PARENT, RIGHTS(0, 1, 1), 'A' },
    { R_A + 3, M_EP, RIGHTS_ALL, 0 },
  };
  q.caps = gifts;
  q.ncaps = 3;
  if (e == E_OK)
    e = spawn_start(&q, &stage);
  if (e != E_OK) {
    report(0, "hierarchy A{B, C{D, E}} built", "spawn A: error %lu at step %lu", (uint64_t)e, 0);
    return;
  }
  struct msg h = await_exit('A');
  int ok = h.err == E_OK && h.label == L_HELLO && h.w[0] == 'A' && h.caps == 3;
  a_usage_before_c = h.w[1];
  sib_before = h.w[2];
  sib_after = h.w[3];
  uint64_t type0 = 0, type1 = 0;
  sys_cap_resolve(R_GOT0, &type0, 0, 0);
  sys_cap_resolve(R_GOT1, &type1, 0, 0);
  ok = ok && type0 == OT_CONTAINER && type1 == OT_ENDPOINT;
  report(ok, "hierarchy A{B, C{D, E}} built", "hello from A with %lu caps; A usage %lu frames",
         h.caps, usage_of(R_A));
}

/* ---- the laws ---------------------------------------------------------- */

static void law_siblings(void)
{
  report(sib_before == E_EMPTY && sib_after == 'E',
         "siblings D, E isolated until C connects them",
         "D->E before: error %lu, after: reply label %lu", sib_before, sib_after);
}

static void law_confinement(void)
{
  /* I hold endpoints X (given) and Y (not given) */
  sys_obj_alloc(R_CONT, OT_ENDPOINT, R_X);
  sys_obj_alloc(R_CONT, OT_ENDPOINT, R_X + 1);
  struct capgift g[1] = { { R_X, P_CAP, RIGHTS_ALL, 0 } };
  long e = spawn_probe(R_K1, 'c', 48, 5, g, 1);
  struct msg m = await_exit('c');
  report(e == E_OK && m.label == LABEL_EXIT && m.w[0] == 2,
         "child given X but not Y reaches only X", "usable slots %lu (expected 2: its container and X), e %lu",
         m.w[0], (uint64_t)e);
  destroy_child(R_K1);
  sys_obj_free(R_CONT, R_X);
  sys_obj_free(R_CONT, R_X + 1);
  sys_cap_delete(R_X);
  sys_cap_delete(R_X + 1);
}

static void law_forwarder(void)
{
  /* endpoint S, a forwarder F in front of it; the client gets F only */
  sys_obj_alloc(R_CONT, OT_ENDPOINT, R_X);
  long e = sys_fwd_create(R_CONT, R_X, R_X + 1);
  struct capgift g[1] = { { R_X + 1, P_CAP, RIGHTS(0, 1, 0), 0 } };
  if (e == E_OK)
    e = spawn_probe(R_K1, 'f', 48, 4, g, 1);
  struct msg m = sys_recv(R_X);                 /* the first call, via F */
  int first = m.err == E_OK && m.label == L_PING;
  sys_obj_free(R_CONT, R_X + 1);               /* revoke F */
  sys_reply(1, 0, 0, 0, 0, CAPS0);
  struct msg x = await_exit('f');
  uint64_t type = 0;
  long own = sys_cap_resolve(R_X, &type, 0, 0);  /* my direct capability */
  report(e == E_OK && first && x.w[0] == (uint64_t)(E_OK * 100 + E_STALE) && own == E_OK,
         "forwarder revocation cuts the client off", "client errors %lu (0*100 + E_STALE=3); owner resolve %lu",
         x.w[0], (uint64_t)own);
  destroy_child(R_K1);
  /* the owner still reaches S: a fresh client given S directly gets through */
  struct capgift g2[1] = { { R_X, P_CAP, RIGHTS(0, 1, 0), 0 } };
  e = spawn_probe(R_K1, 'f', 48, 4, g2, 1);
  m = sys_recv(R_X);
  sys_reply(1, 0, 0, 0, 0, CAPS0);
  m = sys_recv(R_X);
  sys_reply(1, 0, 0, 0, 0, CAPS0);
  x = await_exit('f');
  report(e == E_OK && x.w[0] == 0, "owner keeps its access after revocation",
         "direct client: exit code %lu, frames left %lu", x.w[0], usage_of(R_K1));
  destroy_child(R_K1);
  sys_obj_free(R_CONT, R_X);
  sys_cap_delete(R_X);
  sys_cap_delete(R_X + 1);
}

static void law_limits(void)
{
  /* X (limit 20) with children X1 (limit 4) and X2 (limit 10) */
  long e = sys_container_create(R_CONT, R_X, 20);
  e |= sys_container_create(R_X, R_X + 1, 4);
  e |= sys_container_create(R_X, R_X + 2, 10);
  for (uint32_t i = 0; i < 3; i++)
    e |= sys_obj_alloc(R_X + 2, OT_FRAME, R_X + 3 + i);
  uint64_t x2_before = usage_of(R_X + 2), x_before = usage_of(R_X);
  long n = 0, last;
  for (;;) {
    last = sys_obj_alloc(R_X + 1, OT_FRAME, R_X + 6);
    if (last != E_OK || n > 10)
      break;
    sys_cap_delete(R_X + 6);
    n++;
  }
  uint64_t x2_after = usage_of(R_X + 2);
  report(e == E_OK && n == 4 && last == E_OVER_LIMIT && x2_after == x2_before &&
         usage_of(R_X) == x_before + 4,
         "over-limit allocation refused, sibling untouched",
         "X1 got %lu frames then E_OVER_LIMIT; sibling X2 usage %lu unchanged", (uint64_t)n, x2_after);
  uint64_t root_before = usage_of(R_CONT), x_usage = usage_of(R_X);
  e = sys_container_destroy(R_CONT, R_X);
  report(e == E_OK && usage_of(R_CONT) == root_before - x_usage - 1,
         "destroying X returns its frames", "root usage %lu -> %lu", root_before, usage_of(R_CONT));
  for (uint32_t s = R_X; s < R_X + 7; s++)
    sys_cap_delete(s);
}

static void law_forced_destruction(void)
{
  uint64_t before = usage_of(R_A);
  long e = sys_container_destroy(R_CONT, R_GOT0);     /* C's container */
  uint64_t after = usage_of(R_A), type;
  long stale = sys_cap_resolve(R_GOT0, &type, 0, 0);
  report(e == E_OK && after == a_usage_before_c && stale == E_STALE,
         "forced destruction of C reclaims C, D, E", "A usage %lu -> %lu (before C was made)",
         before, after);
  sys_cap_delete(R_GOT0);
}

static void law_cooperative_destruction(void)
{
  /* ask B to shut down: B tears down, answers, and exits; its exit asks A,
   * its parent, to destroy B's container; A does and tells me */
  uint64_t a_before = usage_of(R_A);
  struct msg info = sys_call(R_GOT1, L_INFO, 0, 0, 0, 0, CAPS0);
  uint64_t b_usage = info.w[0];
  struct msg m = sys_call(R_GOT1, L_SHUTDOWN, 0, 0, 0, 0, CAPS0);
  struct msg r = await_exit('A');
  uint64_t type;
  long stale = sys_cap_resolve(R_GOT1, &type, 0, 0);   /* B's endpoint died with it */
  report(info.err == E_OK && m.err == E_OK && m.label == L_SHUTDOWN &&
         r.label == L_REAPED && r.w[0] == 'B' && stale == E_STALE &&
         usage_of(R_A) == a_before - b_usage - 1,
         "cooperative destruction of B", "A usage %lu -> %lu", a_before, usage_of(R_A));
  sys_cap_delete(R_GOT1);
}

/* Memory reached through a forwarder is revoked with it (law 3), and a
 * refused map changes nothing, page tables included. */
static void law_memory(void)
{
  /* a frame F and a forwarder W in front of it; I map F through W (at
   * my scratch page, whose page tables I keep for good) */
  const uint64_t va = SCRATCH_VA;
  volatile uint64_t *word = (volatile uint64_t *)va;
  long e = sys_obj_alloc(R_CONT, OT_FRAME, R_X);
  e |= sys_fwd_create(R_CONT, R_X, R_X + 1);
  e |= sys_map(SLOT_SELF, R_X + 1, va, RIGHTS(1, 1, 0));
  if (e == E_OK)
    *word = 0x1234;
  sys_obj_free(R_CONT, R_X + 1);                      /* revoke W */
  long gone = sys_unmap(SLOT_SELF, va);               /* went with W */
  long direct = sys_map(SLOT_SELF, R_X, va, RIGHTS(1, 0, 0));  /* F itself */
  uint64_t kept = direct == E_OK ? *word : 0;
  sys_unmap(SLOT_SELF, va);
  report(e == E_OK && gone == E_NOT_MAPPED && direct == E_OK && kept == 0x1234,
         "memory mapped through a forwarder is revoked with it",
         "unmap after revocation gave %lu (E_NOT_MAPPED=18); F kept 0x%lx", (uint64_t)gone, kept);
  sys_obj_free(R_CONT, R_X);
  sys_cap_delete(R_X);
  sys_cap_delete(R_X + 1);

  /* a frame mapped through its own capability, then freed: the mapping
   * goes with the frame within the call (obj_gone), and a new frame,
   * which takes the freed one's place (the lowest free), is not mapped
   * there */
  e = sys_obj_alloc(R_CONT, OT_FRAME, R_X);
  e |= sys_map(SLOT_SELF, R_X, va, RIGHTS(1, 1, 0));
  if (e == E_OK)
    *word = 0x5678;
  long fr = sys_obj_free(R_CONT, R_X);
  long again = sys_obj_alloc(R_CONT, OT_FRAME, R_X + 1);
  long went = sys_unmap(SLOT_SELF, va);
  report(e == E_OK && fr == E_OK && again == E_OK && went == E_NOT_MAPPED,
         "a frame freed while mapped is unmapped with it",
         "unmap after the free gave %lu (E_NOT_MAPPED=18); free gave %lu", (uint64_t)went,
         (uint64_t)fr);
  sys_obj_free(R_CONT, R_X + 1);
  sys_cap_delete(R_X);
  sys_cap_delete(R_X + 1);

  /* a process P in container X of limit 4: its cspace, P and a frame
   * leave room for one frame; P's first map needs three new page tables
   * (its root table, made at its first map, and two below), so it is
   * refused, and X's usage does not move (no half-built table) */
  e = sys_container_create(R_CONT, R_X, 4);
  e |= sys_obj_alloc(R_X, OT_CSPACE, R_X + 1);
  e |= sys_proc_create(R_X, R_X + 1, R_X + 2, 1);
  e |= sys_obj_alloc(R_X, OT_FRAME, R_X + 3);
  uint64_t before = usage_of(R_X);
  long r1 = sys_map(R_X + 2, R_X + 3, 0x1000000000ul, RIGHTS(1, 0, 0));
  uint64_t after = usage_of(R_X);
  long r2 = sys_map(R_X + 2, R_X + 3, 0x1000000000ul, RIGHTS(1, 0, 0));
  report(e == E_OK && r1 == E_OVER_LIMIT && r2 == E_OVER_LIMIT && before == 3 && after == 3 &&
         usage_of(R_X) == 3, "refused map changes nothing, page tables included",
         "E_OVER_LIMIT twice; X usage %lu -> %lu", before, usage_of(R_X));
  sys_container_destroy(R_CONT, R_X);
  for (uint32_t s = R_X; s < R_X + 4; s++)
    sys_cap_delete(s);

  /* the same with room for three: the map is made, and the three tables
   * are charged to X (a process's address space is paid by its container) */
  e = sys_container_create(R_CONT, R_X, 6);
  e |= sys_obj_alloc(R_X, OT_CSPACE, R_X + 1);
  e |= sys_proc_create(R_X, R_X + 1, R_X + 2, 1);
  e |= sys_obj_alloc(R_X, OT_FRAME, R_X + 3);
  before = usage_of(R_X);
  r1 = sys_map(R_X + 2, R_X + 3, 0x1000000000ul, RIGHTS(1, 0, 0));
  report(e == E_OK && r1 == E_OK && before == 3 && usage_of(R_X) == 6,
         "a first map charges the root table and two below it",
         "X usage %lu -> %lu", before, usage_of(R_X));
  sys_container_destroy(R_CONT, R_X);
  for (uint32_t s = R_X; s < R_X + 4; s++)
    sys_cap_delete(s);
}

/* ---- a mapping lives as long as the capability it was made through ---- */

/* The toucher: probe 'm' in R_K1 (process R_K1 + 2), which reads and
 * writes words of its address space when told to (probe.c, toucher). Its
 * calls and its faults both come to R_FAULT with badge 'm'. The page
 * under test is mapped in it at TOUCH_VA (nothing else is there). */
#define TOUCH_VA  0x50000000ul
#define TOUCH_P   (R_K1 + 2)

/* Start the toucher and take its first call: 1 if it is waiting. */
static int toucher_up(void)
{
  struct capgift g[1] = { { R_FAULT, P_CAP, RIGHTS(0, 1, 0), 'm' } };
  if (spawn_probe(R_K1, 'm', 40, 4, g, 1) != E_OK)
    return 0;
  struct msg m = await_exit('m');
  return m.err == E_OK && m.label == L_TOUCH;
}

/* What a touch came to: the word read (ok), or a fault's cause and address. */
struct touch {
  int ok;
  uint64_t word, cause, addr;
};

/* Answer the toucher's call: it stores value at va first (if store),
 * then reads va. After a fault it stays blocked in its fault message
 * until destroy_child. */
static struct touch touch_at(uint64_t va, int store, uint64_t value)
{
  struct touch t = { 0, 0, ~0ul, 0 };
  sys_reply(store ? L_TOUCH_WR : L_TOUCH, va, value, 0, 0, CAPS0);
  struct msg m = await_exit('m');
  if (m.err == E_OK && m.label == L_TOUCH) {
    t.ok = 1;
    t.word = m.w[0];
  } else if (m.err == E_OK && m.label == LABEL_FAULT) {
    t.cause = m.w[0];
    t.addr = m.w[1];
  }
  return t;
}

static struct touch touch(int store, uint64_t value)
{
  return touch_at(TOUCH_VA, store, value);
}

/* the access worked and read v */
static int read_back(struct touch t, uint64_t v)
{
  return t.ok && t.word == v;
}

/* a read that faulted at va: a load page fault (cause 13) there */
static int faulted_at(struct touch t, uint64_t va)
{
  return !t.ok && t.cause == 13 && t.addr == va;
}

/* Is frame capability `slot`'s frame mapped somewhere? (A frame is
 * mapped at most once: mapping it again at my scratch page says.) */
static int frame_busy(uint32_t slot)
{
  long e = sys_map(SLOT_SELF, slot, SCRATCH_VA, RIGHTS(1, 0, 0));
  if (e == E_OK)
    sys_unmap(SLOT_SELF, SCRATCH_VA);
  return e == E_MAPPED;
}

/* Deleting the capability a page was mapped through unmaps the page at
 * once; the frame is then free to map again, its contents kept. The
 * frame's own capability (keep) is never mapped through. */
static void law_map_delete(void)
{
  const uint32_t keep = R_X, x = R_X + 1;
  long e = sys_obj_alloc(R_CONT, OT_FRAME, keep);
  e |= sys_cap_copy(keep, SLOT_SELF, x, RIGHTS_ALL);
  int up = toucher_up();
  long m = sys_map(TOUCH_P, x, TOUCH_VA, RIGHTS(1, 1, 0));
  struct touch before = touch(1, 0xA1);
  int busy = frame_busy(keep);
  long d = sys_cap_delete(x);
  struct touch after = touch(0, 0);
  report(e == E_OK && up && m == E_OK && read_back(before, 0xA1) && busy && d == E_OK &&
         faulted_at(after, TOUCH_VA),
         "deleting the capability a page was mapped through unmaps it",
         "the child's next read: fault cause %lu at 0x%lx", after.cause, after.addr);
  long again = sys_map(SLOT_SELF, keep, SCRATCH_VA, RIGHTS(1, 0, 0));
  uint64_t word = again == E_OK ? *(volatile uint64_t *)SCRATCH_VA : 0;
  long un = sys_unmap(SLOT_SELF, SCRATCH_VA);
  report(again == E_OK && word == 0xA1 && un == E_OK,
         "its frame maps again, contents kept, once that capability is gone",
         "map %lu, word 0x%lx", (uint64_t)again, word);
  destroy_child(R_K1);
  sys_obj_free(R_CONT, keep);
  sys_cap_delete(keep);
}

/* Moving the capability carries the mapping to its new slot, in my
 * cspace or another: the page stays mapped until the capability is
 * deleted there, or the cspace holding it is freed. */
static void law_map_move(void)
{
  const uint32_t keep = R_X, x = R_X + 1, y = R_X + 2, c = R_X + 3;
  long e = sys_obj_alloc(R_CONT, OT_FRAME, keep);
  e |= sys_obj_alloc(R_CONT, OT_CSPACE, c);
  e |= sys_cap_copy(keep, SLOT_SELF, x, RIGHTS_ALL);
  int up = toucher_up();
  long m = sys_map(TOUCH_P, x, TOUCH_VA, RIGHTS(1, 1, 0));
  struct touch t0 = touch(1, 0xB1);
  long mv = sys_cap_move(x, SLOT_SELF, y);
  struct touch t1 = touch(1, 0xB2);
  /* the slot it left names no mapping: a capability put there and
   * deleted unmaps nothing */
  long re = sys_cap_copy(keep, SLOT_SELF, x, RIGHTS_ALL);
  re |= sys_cap_delete(x);
  struct touch t2 = touch(1, 0xB3);
  long d = sys_cap_delete(y);
  struct touch t3 = touch(0, 0);
  report(e == E_OK && up && m == E_OK && read_back(t0, 0xB1) && mv == E_OK &&
         read_back(t1, 0xB2) && re == E_OK && read_back(t2, 0xB3) && d == E_OK &&
         faulted_at(t3, TOUCH_VA),
         "a moved capability keeps its page mapped until deleted",
         "after the delete at its new slot: fault cause %lu at 0x%lx", t3.cause, t3.addr);
  destroy_child(R_K1);

  /* through my slots into cspace c, which I hold (not my own) */
  up = toucher_up();
  e = sys_cap_copy(keep, SLOT_SELF, x, RIGHTS_ALL);
  m = sys_map(TOUCH_P, x, TOUCH_VA, RIGHTS(1, 1, 0));
  t0 = touch(1, 0xB4);
  mv = sys_cap_move(x, SLOT_SELF, y);
  long mc = sys_cap_move(y, c, 5);
  t1 = touch(1, 0xB5);
  int busy = frame_busy(keep);
  report(e == E_OK && up && m == E_OK && read_back(t0, 0xB4) && mv == E_OK && mc == E_OK &&
         read_back(t1, 0xB5) && busy,
         "a capability moved to another cspace keeps its page mapped",
         "moved into it: %lu; the child read 0x%lx", (uint64_t)mc, t1.word);
  long fr = sys_obj_free(R_CONT, c);
  t2 = touch(0, 0);
  report(fr == E_OK && faulted_at(t2, TOUCH_VA) && !frame_busy(keep),
         "freeing the cspace holding that capability unmaps its page",
         "the child's next read: fault cause %lu at 0x%lx", t2.cause, t2.addr);
  destroy_child(R_K1);
  sys_obj_free(R_CONT, keep);
  for (uint32_t s = R_X; s <= R_X + 3; s++)
    sys_cap_delete(s);
}

/* A page mapped through a forwarder capability goes with that slot's
 * deletion, though the forwarder itself lives on (a second capability
 * to it, f2, still resolves). */
static void law_map_forwarder_slot(void)
{
  const uint32_t keep = R_X, f = R_X + 1, f2 = R_X + 2;
  long e = sys_obj_alloc(R_CONT, OT_FRAME, keep);
  e |= sys_fwd_create(R_CONT, keep, f);
  e |= sys_cap_copy(f, SLOT_SELF, f2, RIGHTS_ALL);
  int up = toucher_up();
  long m = sys_map(TOUCH_P, f, TOUCH_VA, RIGHTS(1, 1, 0));
  struct touch t0 = touch(1, 0xC1);
  long d = sys_cap_delete(f);
  uint64_t type = 0;
  long live = sys_cap_resolve(f2, &type, 0, 0);
  struct touch t1 = touch(0, 0);
  report(e == E_OK && up && m == E_OK && read_back(t0, 0xC1) && d == E_OK && live == E_OK &&
         type == OT_FRAME && faulted_at(t1, TOUCH_VA),
         "deleting a forwarder capability mapped through unmaps it",
         "the forwarder still resolves (%lu); the child's read: fault cause %lu",
         (uint64_t)live, t1.cause);
  destroy_child(R_K1);
  sys_obj_free(R_CONT, f2);
  sys_obj_free(R_CONT, keep);
  for (uint32_t s = R_X; s <= R_X + 2; s++)
    sys_cap_delete(s);
}

/* A copy of the capability a page was mapped through (cap_copy, cap_mint)
 * carries no mapping: deleting a copy leaves the page mapped, and
 * deleting the original unmaps it though a copy lives on. */
static void law_map_copy(void)
{
  const uint32_t keep = R_X, x = R_X + 1, z = R_X + 2, w = R_X + 3;
  long e = sys_obj_alloc(R_CONT, OT_FRAME, keep);
  e |= sys_cap_copy(keep, SLOT_SELF, x, RIGHTS_ALL);
  int up = toucher_up();
  long m = sys_map(TOUCH_P, x, TOUCH_VA, RIGHTS(1, 1, 0));
  struct touch t0 = touch(1, 0xD1);
  long cp = sys_cap_copy(x, SLOT_SELF, z, RIGHTS_ALL);
  cp |= sys_cap_mint(x, SLOT_SELF, w, RIGHTS(1, 1, 0), 0x5);
  long dz = sys_cap_delete(z);
  struct touch t1 = touch(1, 0xD2);
  long d = sys_cap_delete(x);
  struct touch t2 = touch(0, 0);
  long dw = sys_cap_delete(w);
  report(e == E_OK && up && m == E_OK && read_back(t0, 0xD1) && cp == E_OK && dz == E_OK &&
         read_back(t1, 0xD2) && d == E_OK && faulted_at(t2, TOUCH_VA) && dw == E_OK,
         "a copy of the capability carries no mapping",
         "after deleting a copy the child read 0x%lx; after the original, fault cause %lu",
         t1.word, t2.cause);
  destroy_child(R_K1);
  sys_obj_free(R_CONT, keep);
  sys_cap_delete(keep);
}

/* spawn's loader (spawn.h) keeps each page's capability in the memory
 * cspace, one slot a page: with one slot left, it loads one page (mapped,
 * its bytes in) and refuses the next with E_NO_MEMORY, leaving nothing
 * in the scratch slot. */
static void law_memory_cspace_full(void)
{
  static const uint64_t word = 0x5eed;
  const uint32_t c = R_X;
  int up = toucher_up();
  long e = sys_obj_alloc(R_K1, OT_CSPACE, c);        /* paid by the child's container */
  struct loader l = { R_K1, TOUCH_P, R_TMP, c, CSPACE_SLOTS - 1, 0 };
  long r = load_bytes(&l, TOUCH_VA, (const uint8_t *)&word, sizeof word, 2 * 4096,
                      RIGHTS(1, 0, 0));
  long tmp = sys_cap_delete(R_TMP);
  struct touch t0 = touch(0, 0);
  struct touch t1 = touch_at(TOUCH_VA + 4096, 0, 0);
  report(e == E_OK && up && r == E_NO_MEMORY && l.full && l.next == CSPACE_SLOTS &&
         tmp == E_EMPTY && read_back(t0, word) && faulted_at(t1, TOUCH_VA + 4096),
         "spawn's memory cspace full: one page a slot, then E_NO_MEMORY",
         "load gave %lu (E_NO_MEMORY=8), the page in the last slot read 0x%lx", (uint64_t)r,
         t0.word);
  destroy_child(R_K1);
  sys_cap_delete(c);
}

static void law_identify(void)
{
  sys_obj_alloc(R_CONT, OT_ENDPOINT, R_X);
  sys_cap_mint(R_X, SLOT_SELF, R_X + 1, RIGHTS(0, 1, 1), 0x77);
  struct capgift g[1] = { { R_X + 1, P_CAP, RIGHTS(0, 1, 1), 0 } };
  long e = spawn_probe(R_K1, 'i', 48, 4, g, 1);
  uint32_t got = R_X + 2;
  sys_set_recv_slots(got, SLOT_NONE);
  uint64_t same[2] = { 9, 9 }, badge[2] = { 0, 0 };
  for (int i = 0; i < 2; i++) {
    struct msg m = sys_recv(R_X);
    if (m.err == E_OK && m.caps == 1)
      sys_cap_identify(R_X, got, &same[i], &badge[i]);
    sys_cap_delete(got);
    sys_reply(same[i], 0, 0, 0, 0, CAPS0);
  }
  struct msg x = await_exit('i');
  report(e == E_OK && same[0] == 1 && badge[0] == 0x77 && same[1] == 0 && x.w[0] == 10,
         "identify authenticates a client's capability", "genuine: same %lu badge 0x%lx; forged: not same",
         same[0], badge[0]);
  destroy_child(R_K1);
  sys_obj_free(R_CONT, R_X);
  sys_cap_delete(R_X);
  sys_cap_delete(R_X + 1);
  sys_set_recv_slots(R_GOT0, R_GOT1);
}

static void law_notification(void)
{
  /* a waiter blocks; my signal through a badged capability wakes it with
   * my bits and the badge */
  sys_obj_alloc(R_CONT, OT_NOTIFICATION, R_X);
  sys_cap_mint(R_X, SLOT_SELF, R_X + 1, RIGHTS(0, 1, 0), 0x100);
  struct capgift g[1] = { { R_X, P_CAP, RIGHTS(1, 0, 0), 0 } };
  long e = spawn_probe(R_K1, 'n', 40, NPRIO - 1, g, 1);   /* my priority */
  sys_yield();                                            /* it blocks */
  long s = sys_notify_signal(R_X + 1, 0x5);
  long w = sys_notify_signal(R_X, 0);                     /* nothing to send */
  struct msg x = await_exit('n');
  report(e == E_OK && s == E_OK && w == E_BAD_ARG && x.w[0] == 0x105,
         "notification wakes its waiter with bits | badge", "waiter got 0x%lx (expected 0x105), empty signal %lu",
         x.w[0], (uint64_t)w);
  destroy_child(R_K1);

  /* a signal from a child of lower priority than the waiter (my
   * priority): the signal fast path's case (docs/SYSCALLS.md). The
   * waiter runs at once, before the signaller goes on to exit, with the
   * signaller's bits and its capability's badge */
  e = spawn_probe(R_K1, 'n', 40, NPRIO - 1, g, 1);
  sys_yield();                                            /* it blocks */
  struct capgift gs[1] = { { R_X + 1, P_CAP, RIGHTS(0, 1, 0), 0 } };
  long es = spawn_probe(R_K2, 'g', 40, NPRIO - 2, gs, 1);
  struct msg first = sys_recv(R_FAULT);                   /* the signaller runs now */
  struct msg second = sys_recv(R_FAULT);
  report(e == E_OK && es == E_OK && first.err == E_OK && first.label == LABEL_EXIT &&
         first.badge == 'n' && first.w[0] == 0x120 && second.err == E_OK &&
         second.label == LABEL_EXIT && second.badge == 'g' && second.w[0] == E_OK,
         "signal to a waiter of higher priority runs it at once",
         "first exit from %c with 0x%lx (expected n, 0x120; then g, 0)", first.badge, first.w[0]);
  destroy_child(R_K1);
  destroy_child(R_K2);
  sys_obj_free(R_CONT, R_X);
  sys_cap_delete(R_X);
  sys_cap_delete(R_X + 1);
}

/* ---- IPC paths: the fast path and its fallbacks ------------------------- */

/* My slots for these tests: R_X endpoint, R_X+1 my badged cap to it,
 * R_X+2 a forwarder to R_X+1, R_X+3.. scratch. The server is probe 'E'
 * (probe.c, ipc_server): it answers label + 1, w0 + 1, w3, the badge, and
 * (calls seen << 8 | caps mask). */
#define IPC_BADGE 0xB0Bu

/* One call through slot ep; 1 if the answer is the server's for this
 * message (label l, words w0..w3, caps mask) as its call number n. */
static int ipc_answer_ok(struct msg m, uint64_t l, uint64_t w0, uint64_t w3,
                         uint64_t badge, uint64_t n, uint64_t mask)
{
  return m.err == E_OK && m.badge == 0 && m.label == l + 1 && m.w[0] == w0 + 1 &&
         m.w[1] == w3 && m.w[2] == badge && m.w[3] == ((n << 8) | mask);
}

static void ipc_paths(void)
{
  sys_obj_alloc(R_CONT, OT_ENDPOINT, R_X);
  sys_cap_mint(R_X, SLOT_SELF, R_X + 1, RIGHTS_ALL, IPC_BADGE);
  sys_fwd_create(R_CONT, R_X + 1, R_X + 2);
  struct capgift g[1] = { { R_X, P_CAP, RIGHTS(1, 0, 0), 0 } };
  /* the server at my priority: it runs, and blocks in recv, when I yield */
  long e = spawn_probe(R_K1, 'E', 40, NPRIO - 1, g, 1);
  sys_yield();

  /* fast: a receiver waits, register-only message, direct badged cap */
  struct msg m = sys_call(R_X + 1, 0x100, 11, 22, 33, 44, CAPS0);
  int ok = e == E_OK && ipc_answer_ok(m, 0x100, 11, 44, IPC_BADGE, 1, 0);
  report(ok, "ipc fast call: waiting receiver, badge and words",
         "label 0x%lx, w3 0x%lx", m.label, m.w[3]);

  /* slow: a capability travels (COPY into the server's P_TMP) */
  m = sys_call(R_X + 1, 0x200, 5, 6, 7, 8, CAPS1(R_X + 1));
  report(ipc_answer_ok(m, 0x200, 5, 8, IPC_BADGE, 2, 1),
         "ipc slow call: capability in the message", "label 0x%lx, w3 0x%lx", m.label, m.w[3]);

  /* a capability from slot 94 (free: above law_time's timers, below the
   * IRQ control and the device pages): the descriptor gives a slot 8 bits
   * (read as 6 bits a slot, 1 + 4*94 would name slot 30, which is empty).
   * The server's receive slot is taken by now, so nothing lands (mask 0). */
  const uint32_t high = 94u;
  long cp = sys_cap_copy(R_X + 1, SLOT_SELF, high, RIGHTS_ALL);
  m = sys_call(R_X + 1, 0x200, 5, 6, 7, 8, CAPS1(high));
  report(cp == E_OK && ipc_answer_ok(m, 0x200, 5, 8, IPC_BADGE, 3, 0),
         "ipc slow call: capability from slot 94",
         "err %ld, w3 0x%lx", (uint64_t)m.err, m.w[3]);
  sys_cap_delete(high);

  /* the same messages, fast (direct cap) and slow (through a forwarder,
   * which the fast path leaves to the slow path), get the same answers:
   * the target's badge, the words, the server's call count. (That the
   * fast path is really taken is measured by the bench image under
   * -icount: CTest bench_ipc_fastpath.) */
  uint64_t n = 4;
  ok = 1;
  for (int i = 0; i < 3; i++) {
    m = sys_call(R_X + 1, 0x300, i, 0, 0, 9, CAPS0);
    ok &= ipc_answer_ok(m, 0x300, i, 9, IPC_BADGE, n++, 0);
    struct msg f = sys_call(R_X + 2, 0x400, i, 0, 0, 9, CAPS0);
    ok &= ipc_answer_ok(f, 0x400, i, 9, IPC_BADGE, n++, 0);
  }
  report(ok, "ipc direct and forwarded calls answered alike",
         "last answers w3 0x%lx, label 0x%lx", m.w[3], m.label);

  /* refused calls (the fast path's conditions fail; the slow path gives
   * the error) leave the waiting server untouched: its next call is n */
  long bs = sys_call(1000, 1, 0, 0, 0, 0, CAPS0).err;
  long em = sys_call(R_X + 5, 1, 0, 0, 0, 0, CAPS0).err;
  sys_obj_alloc(R_CONT, OT_ENDPOINT, R_X + 3);
  sys_cap_copy(R_X + 3, SLOT_SELF, R_X + 6, RIGHTS_ALL);
  sys_obj_free(R_CONT, R_X + 3);
  long st = sys_call(R_X + 6, 1, 0, 0, 0, 0, CAPS0).err;
  long wt = sys_call(R_CONT, 1, 0, 0, 0, 0, CAPS0).err;
  sys_cap_copy(R_X + 1, SLOT_SELF, R_X + 4, RIGHTS(1, 0, 1));
  long nr = sys_call(R_X + 4, 1, 0, 0, 0, 0, CAPS0).err;
  long ba = sys_call(R_X + 1, 1, 0, 0, 0, 0, 3).err;             /* n = 3 > MSG_CAPS */
  m = sys_call(R_X + 1, 0x500, 1, 2, 3, 4, CAPS0);
  report(bs == E_BAD_SLOT && em == E_EMPTY && st == E_STALE && wt == E_WRONG_TYPE &&
         nr == E_NO_RIGHTS && ba == E_BAD_ARG && ipc_answer_ok(m, 0x500, 1, 4, IPC_BADGE, n, 0),
         "ipc bad capabilities refused, server untouched",
         "errors %lu, then answer w3 0x%lx", (uint64_t)(bs * 100000 + em * 10000 + st * 1000 +
         wt * 100 + nr * 10 + (ba == E_BAD_ARG)), m.w[3]);

  /* a capability travels only through an endpoint capability that
   * grants: without the grant right, directly or behind a forwarder,
   * E_NO_RIGHTS, and nothing reaches the server (its next call is n+1) */
  sys_cap_copy(R_X + 1, SLOT_SELF, R_X + 7, RIGHTS(0, 1, 0));
  sys_fwd_create(R_CONT, R_X + 7, R_X + 8);
  long ng = sys_call(R_X + 7, 1, 0, 0, 0, 0, CAPS1(R_X + 1)).err;
  long ngf = sys_call(R_X + 8, 1, 0, 0, 0, 0, CAPS1(R_X + 1)).err;
  m = sys_call(R_X + 7, 0x510, 1, 2, 3, 4, CAPS0);
  report(ng == E_NO_RIGHTS && ngf == E_NO_RIGHTS && ipc_answer_ok(m, 0x510, 1, 4, IPC_BADGE, n + 1, 0),
         "ipc capability transfer needs the grant right",
         "errors %lu (E_NO_RIGHTS=5, twice), then the server's call number %lu",
         (uint64_t)(ng * 10 + ngf), m.w[3] >> 8);
  sys_obj_free(R_CONT, R_X + 8);
  destroy_child(R_K1);
  for (uint32_t s = R_X + 3; s <= R_X + 8; s++)
    sys_cap_delete(s);

  /* slow: nobody waits (the server, of lower priority, has not run), so
   * the call blocks; the server then receives it and replies fast. A
   * second call finds it waiting but of lower priority: the fast path
   * refuses (no direct switch), the slow path delivers. */
  e = spawn_probe(R_K1, 'E', 40, NPRIO - 2, g, 1);
  m = sys_call(R_X + 1, 0x600, 7, 0, 0, 8, CAPS0);
  struct msg m2 = sys_call(R_X + 1, 0x700, 9, 0, 0, 10, CAPS0);
  report(e == E_OK && ipc_answer_ok(m, 0x600, 7, 8, IPC_BADGE, 1, 0) &&
         ipc_answer_ok(m2, 0x700, 9, 10, IPC_BADGE, 2, 0),
         "ipc call without receiver blocks, then answered",
         "answers w3 0x%lx, 0x%lx", m.w[3], m2.w[3]);
  destroy_child(R_K1);

  /* a reply to a caller destroyed meanwhile: refused (E_NO_REPLY); and a
   * reply_recv whose caller died still receives the next call */
  struct capgift gk[1] = { { R_X + 1, P_CAP, RIGHTS(0, 1, 0), 0 } };
  e = spawn_probe(R_K2, 'k', 40, NPRIO - 1, gk, 1);   /* calls, blocks */
  m = sys_recv(R_X);                                  /* its call */
  destroy_child(R_K2);
  long r1 = sys_reply(1, 0, 0, 0, 0, CAPS0);
  e |= spawn_probe(R_K2, 'k', 40, NPRIO - 1, gk, 1);
  struct msg c2 = sys_recv(R_X);
  destroy_child(R_K2);
  e |= spawn_probe(R_K2, 'k', 40, NPRIO - 1, gk, 1);
  sys_yield();                                        /* the third one calls */
  struct msg c3 = sys_reply_recv(R_X, 1, 0, 0, 0, 0, CAPS0);
  long r3 = sys_reply(0x55, 0, 0, 0, 0, CAPS0);
  struct msg x = await_exit('k');
  report(e == E_OK && m.label == L_PING && m.badge == IPC_BADGE && r1 == E_NO_REPLY &&
         c2.err == E_OK && c3.err == E_OK && c3.label == L_PING && r3 == E_OK &&
         x.w[0] == E_OK, "ipc reply to a destroyed caller refused",
         "reply gave %lu, the next caller's call returned %lu", (uint64_t)r1, x.w[0]);
  destroy_child(R_K2);
  sys_obj_free(R_CONT, R_X + 2);                      /* the forwarder */
  sys_obj_free(R_CONT, R_X);
  for (uint32_t s = R_X; s <= R_X + 2; s++)
    sys_cap_delete(s);
}

/* A server blocked in recv whose cspace is destroyed, its frame reused as
 * a new cspace before a message with a capability reaches it: the
 * capability must not land in the new cspace (it is not the server's).
 * To make the reuse certain: the kernel allocates the lowest free frame
 * (MODEL.md), so a container X (destroyed at the end) first takes frames
 * until its limit of 1024 or the memory runs out. That fills every free
 * frame below the server's cspace (the system uses far fewer than 1024
 * frames here), so once that cspace dies its frame is the lowest free
 * one, and the next allocation (from the root container, which has room)
 * reuses it. The new cspace is empty iff proc_create accepts it. */
static void law_stale_cspace(void)
{
  sys_obj_alloc(R_CONT, OT_ENDPOINT, R_X);
  struct capgift g[1] = { { R_X, P_CAP, RIGHTS(1, 0, 0), 0 } };
  long e = spawn_probe(R_K1, 'E', 40, NPRIO - 2, g, 1);
  struct msg m = sys_call(R_X, 0x100, 0, 0, 0, 0, CAPS0);   /* it answers, then waits */
  e |= m.err;
  e |= sys_container_create(R_CONT, R_X + 1, 1024);
  long fill = E_OK;
  uint64_t n = 0;
  while (n < 2048) {                              /* take every free frame */
    fill = sys_obj_alloc(R_X + 1, OT_FRAME, R_X + 5);
    if (fill != E_OK)
      break;
    sys_cap_delete(R_X + 2);                      /* keep one: R_X + 2 */
    sys_cap_move(R_X + 5, SLOT_SELF, R_X + 2);
    n++;
  }
  e |= sys_obj_free(R_K1, R_K1 + 1);              /* the server's cspace dies */
  e |= sys_obj_alloc(R_CONT, OT_CSPACE, R_X + 3); /* in its frame, the lowest free one */
  long sent = sys_send(R_X, 0x200, 0, 0, 0, 0, CAPS1(R_X));   /* delivered at once */
  e |= sys_obj_free(R_X + 1, R_X + 2);            /* room for a process */
  long empty = sys_proc_create(R_X + 1, R_X + 3, R_X + 4, 0);
  report(e == E_OK && (fill == E_NO_MEMORY || fill == E_OVER_LIMIT) && sent == E_OK &&
         empty == E_OK,
         "a reused cspace frame gets no capability meant for the old one",
         "%lu frames taken to force the reuse; proc_create on the new cspace %lu (0: empty)",
         n, (uint64_t)empty);
  destroy_child(R_K1);
  sys_container_destroy(R_CONT, R_X + 1);
  sys_obj_free(R_CONT, R_X + 3);                  /* the new cspace: the root paid */
  sys_obj_free(R_CONT, R_X);
  for (uint32_t s = R_X; s <= R_X + 5; s++)
    sys_cap_delete(s);
}

/* ---- hostile programs --------------------------------------------------- */

static void hostile_garbage(void)
{
  /* a device page in its P_CAP, for its SYS_FRAME_WRITE checks (never a
   * destination, never a source): one no driver of mine has mapped, a
   * clock or a virtio transport if there is one, else the last UART (the
   * console is the first); never the power-off device */
  struct capgift g[1];
  unsigned ng = 0;
  for (uint64_t i = 0; i < ndevices; i++) {
    uint64_t k = DEV_NONE;
    if (sys_device_info(ROOT_SLOT_DEVICE + i, &k, 0, 0) != E_OK)
      continue;
    if (k == DEV_RTC_GOLDFISH || k == DEV_VIRTIO_MMIO || k == DEV_UART_NS16550 ||
        k == DEV_UART_SIFIVE) {
      g[0] = (struct capgift){ (uint32_t)(ROOT_SLOT_DEVICE + i), P_CAP, RIGHTS(1, 1, 0), 0 };
      ng = 1;
      if (k == DEV_RTC_GOLDFISH || k == DEV_VIRTIO_MMIO)
        break;
    }
  }
  long e = spawn_probe(R_K1, 'h', 40, 4, g, ng);
  struct msg x = await_exit('h');
  report(e == E_OK && x.label == LABEL_EXIT && x.w[0] == 0,
         "hostile: garbage calls, forged slots, exhaustion", "unexpected answers %lu, exit label 0x%lx", x.w[0], x.label);
  destroy_child(R_K1);
}

static void hostile_fault(char r, uint64_t cause, const char *name)
{
  long e = spawn_probe(R_K1, r, 40, 4, 0, 0);
  struct msg x = await_exit(r);
  report(e == E_OK && x.label == LABEL_FAULT && x.w[0] == cause, name,
         "fault message cause %lu, address 0x%lx", x.w[0], x.w[1]);
  destroy_child(R_K1);
}

static void hostile_fault_stops(void)
{
  /* no fault endpoint: the process stops with a report; the kernel stays */
  const char *stage = "";
  struct spawn_req q;
  memset(&q, 0, sizeof q);
  q.cont = R_CONT; q.limit = 40; q.prio = NPRIO - 1;   /* runs when I yield */
  q.slot_cont = R_K1; q.slot_cspace = R_K1 + 1; q.slot_proc = R_K1 + 2; q.slot_tmp = R_TMP;
  q.slot_mem = R_MEM_K1;
  q.image = probe_elf; q.image_size = (uint64_t)(probe_elf_end - probe_elf);
  q.arg[0] = 'v';
  q.fault_ep = SLOT_NONE;
  long e = spawn(&q, &stage);
  for (int i = 0; i < 5; i++)
    sys_yield();
  uint64_t pc = 0;
  long r = sys_proc_read_reg(R_K1 + 2, REG_PC, &pc);
  long again = sys_proc_resume(R_K1 + 2);       /* stopped: resumable */
  sys_proc_suspend(R_K1 + 2);
  report(e == E_OK && r == E_OK && pc != 0 && again == E_OK,
         "fault without fault endpoint stops the process", "stopped at pc 0x%lx, resume gave %lu", pc, (uint64_t)again);
  destroy_child(R_K1);
}

static void hostile_never_replies(void)
{
  sys_obj_alloc(R_CONT, OT_ENDPOINT, R_X);
  struct capgift g[1] = { { R_X, P_CAP, RIGHTS_ALL, 0 } };
  /* both at my priority, so that my yields let them run */
  long e = spawn_probe(R_K1, 's', 40, NPRIO - 1, g, 1);   /* sink: never replies */
  e |= spawn_probe(R_K2, 'k', 40, NPRIO - 1, g, 1);       /* caller */
  for (int i = 0; i < 5; i++)
    sys_yield();
  destroy_child(R_K1);                                  /* the sink goes */
  sys_obj_free(R_CONT, R_X);                            /* and the endpoint */
  struct msg x = await_exit('k');
  report(e == E_OK && x.w[0] == E_CANCELLED, "caller of a server that never replies is freed",
         "caller's call returned %lu (E_CANCELLED=%lu) after the server died", x.w[0], E_CANCELLED);
  destroy_child(R_K2);
  sys_cap_delete(R_X);
}

static void hostile_never_exits(void)
{
  long e = spawn_probe(R_K1, 'p', 40, NPRIO - 1, 0, 0);   /* my priority: round robin */
  for (int i = 0; i < 20; i++)
    sys_yield();
  sys_proc_suspend(R_K1 + 2);
  uint64_t n = 0;
  long r = sys_proc_read_reg(R_K1 + 2, 9, &n);            /* s1: its counter */
  uint64_t before = usage_of(R_CONT);
  long d = destroy_child(R_K1);
  report(e == E_OK && r == E_OK && n > 0 && d == E_OK && usage_of(R_CONT) < before,
         "spinner is preempted, then destroyed", "spinner counted to %lu; root usage now %lu",
         n, usage_of(R_CONT));
}

/* Write s through a UART's registers mapped at va, polling: the first
 * user-mode driver. ns16550: THR at 0, LSR at 5 (bit 5: THR empty);
 * SiFive: txdata at 0 (bit 31: FIFO full). */
static void uart_puts(uint64_t kind, uint64_t va, const char *s)
{
  volatile uint8_t *b = (volatile uint8_t *)va;
  volatile uint32_t *w = (volatile uint32_t *)va;
  for (; *s; s++) {
    if (kind == DEV_UART_NS16550) {
      while ((b[5] & 0x20) == 0)
        ;
      b[0] = (uint8_t)*s;
    } else {
      while (w[0] & 0x80000000u)
        ;
      w[0] = (uint8_t)*s;
    }
  }
}

/* Device pages (issue 15): the kernel handed me one capability per page
 * of each device the device tree lists; I map the UART and drive it. */
static void law_devices(void)
{
  const uint64_t va = SCRATCH_VA;
  uint64_t uart = 0, kind = 0, pa = 0, irq = 0, nuart = 0, rtc = 0;
  long e = E_OK;
  for (uint64_t i = 0; i < ndevices; i++) {
    uint64_t k, a, q;
    e |= sys_device_info(ROOT_SLOT_DEVICE + i, &k, &a, &q);
    if ((k == DEV_UART_NS16550 || k == DEV_UART_SIFIVE) && nuart++ == 0) {
      uart = ROOT_SLOT_DEVICE + i;
      kind = k;
      pa = a;
      irq = q;
    }
    if (k == DEV_RTC_GOLDFISH)
      rtc = ROOT_SLOT_DEVICE + i;
  }
  uint64_t before = usage_of(R_CONT);
  long m = uart ? sys_map(SLOT_SELF, uart, va, RIGHTS(1, 1, 0)) : E_EMPTY;
  if (m == E_OK)
    uart_puts(kind, va, "uart: hello from a user-mode driver\n");
  long u = sys_unmap(SLOT_SELF, va);
  /* goldfish RTC (virt): its TIME_LOW / TIME_HIGH count nanoseconds */
  uint64_t ns = 1;
  if (rtc && sys_map(SLOT_SELF, rtc, va, RIGHTS(1, 0, 0)) == E_OK) {
    volatile uint32_t *r = (volatile uint32_t *)va;
    uint64_t lo = r[0];
    ns = lo | (uint64_t)r[1] << 32;
    sys_unmap(SLOT_SELF, va);
  }
  printf("roottask: %lu device pages; UART at 0x%lx, interrupt %lu\n", (unsigned long)ndevices,
         (unsigned long)pa, (unsigned long)irq);
  report(e == E_OK && ndevices > 0 && m == E_OK && u == E_OK && ns != 0 &&
         usage_of(R_CONT) == before, "device pages: info, map, a user-mode UART write",
         "map %lu, unmap %lu", (uint64_t)m, (uint64_t)u);

  /* what device memory is not: RAM to free or allocate, code, a buffer
   * the kernel reads for me; and a forwarder in front of it revokes the
   * mapping made through it */
  long fr = sys_obj_free(R_CONT, uart);
  long al = sys_obj_alloc(R_CONT, OT_DEVICE, R_X);
  long ex = sys_map(SLOT_SELF, uart, va, RIGHTS(1, 0, 1));
  long m1 = sys_map(SLOT_SELF, uart, va, RIGHTS(1, 1, 0));
  long m2 = sys_map(SLOT_SELF, uart, va + 0x1000ul, RIGHTS(1, 1, 0));
  long dw = sys_debug_write((const char *)va, 4);
  sys_unmap(SLOT_SELF, va);
  long wt = sys_device_info(R_CONT, 0, 0, 0);
  long em = sys_device_info(R_X, 0, 0, 0);
  long bs = sys_device_info(1000, 0, 0, 0);
  long fw = sys_fwd_create(R_CONT, uart, R_X);
  uint64_t fpa = 0;
  fw |= sys_device_info(R_X, 0, &fpa, 0);
  fw |= sys_map(SLOT_SELF, R_X, va, RIGHTS(1, 1, 0));
  sys_obj_free(R_CONT, R_X);                          /* revoke the forwarder */
  long gone = sys_unmap(SLOT_SELF, va);
  sys_cap_delete(R_X);
  report(fr == E_WRONG_TYPE && al == E_BAD_ARG && ex == E_BAD_ARG && m1 == E_OK &&
         m2 == E_MAPPED && dw == E_FAULT && wt == E_WRONG_TYPE && em == E_EMPTY &&
         bs == E_BAD_SLOT && fw == E_OK && fpa == pa && gone == E_NOT_MAPPED &&
         usage_of(R_CONT) == before,
         "device pages: not RAM, not code, revoked with a forwarder",
         "free %lu, exec map %lu", (uint64_t)fr, (uint64_t)ex);
}

/* Turn the UART's transmit interrupt on or off: ns16550 IER bit 1 (THR
 * empty: it interrupts at once); SiFive txctrl's watermark 1 and ie bit 0
 * (fewer than 1 byte queued: at once). */
static void uart_tx_irq(uint64_t kind, uint64_t va, int on)
{
  if (kind == DEV_UART_NS16550) {
    ((volatile uint8_t *)va)[1] = on ? 0x02 : 0x00;
  } else {
    volatile uint32_t *w = (volatile uint32_t *)va;
    if (on)
      w[2] = (w[2] & ~(7u << 16)) | (1u << 16);     /* txctrl.txcnt = 1 */
    w[4] = on ? 1u : 0u;                               /* ie.txwm */
  }
}

/* Interrupts (issue 15): a handler for the UART's source, bound to a
 * notification with a badge; the device interrupts, the notification
 * gets the badge, the driver acknowledges. Then what the kernel refuses. */
static void law_interrupts(void)
{
  const uint64_t va = SCRATCH_VA, n = R_X, h = R_X + 1, nb = R_X + 2;
  uint64_t uart = 0, kind = 0, irq = 0, bits = 0;
  for (uint64_t i = 0; i < ndevices && !uart; i++) {
    uint64_t k, a, q;
    if (sys_device_info(ROOT_SLOT_DEVICE + i, &k, &a, &q) == E_OK &&
        (k == DEV_UART_NS16550 || k == DEV_UART_SIFIVE)) {
      uart = ROOT_SLOT_DEVICE + i;
      kind = k;
      irq = q;
    }
  }
  uint64_t before = usage_of(R_CONT);
  long e = sys_obj_alloc(R_CONT, OT_NOTIFICATION, n);
  e |= sys_cap_mint(n, SLOT_SELF, nb, RIGHTS(1, 1, 0), 0x40);
  long unbound_ack = E_OK;
  long c = sys_irq_handler_create(ROOT_SLOT_IRQ_CONTROL, R_CONT, irq, h);
  if (c == E_OK)
    unbound_ack = sys_irq_ack(h);
  long b = sys_irq_set_ntfn(h, nb);
  long m = sys_map(SLOT_SELF, uart, va, RIGHTS(1, 1, 0));
  if (e == E_OK && c == E_OK && b == E_OK && m == E_OK)
    uart_tx_irq(kind, va, 1);
  long w = sys_notify_wait(n, &bits);                 /* the interrupt's badge */
  uart_tx_irq(kind, va, 0);                          /* the device quiet again */
  long a1 = sys_irq_ack(h);
  long a2 = sys_irq_ack(h);                          /* a second: nothing held */
  sys_unmap(SLOT_SELF, va);
  report(e == E_OK && c == E_OK && unbound_ack == E_BAD_STATE && b == E_OK && m == E_OK &&
         w == E_OK && bits == 0x40 && a1 == E_OK && a2 == E_BAD_STATE,
         "interrupt: UART source signals its handler's notification",
         "source %lu, bits 0x%lx", irq, bits);

  /* refusals: a source taken, forged source numbers, wrong capabilities;
   * the handler dies with obj_free, and its source is free again */
  long taken = sys_irq_handler_create(ROOT_SLOT_IRQ_CONTROL, R_CONT, irq, R_X + 3);
  long zero = sys_irq_handler_create(ROOT_SLOT_IRQ_CONTROL, R_CONT, 0, R_X + 3);
  long big = sys_irq_handler_create(ROOT_SLOT_IRQ_CONTROL, R_CONT, 5000, R_X + 3);
  long huge = sys_irq_handler_create(ROOT_SLOT_IRQ_CONTROL, R_CONT, 1ul << 40, R_X + 3);
  long ctl = sys_irq_handler_create(R_CONT, R_CONT, irq, R_X + 3);
  long notn = sys_irq_set_ntfn(h, R_CONT);
  long noth = sys_irq_ack(n);
  /* a binding through a forwarder would outlive the forwarder's
   * revocation: refused, the notification must be a direct capability */
  long viafwd = sys_fwd_create(R_CONT, n, R_X + 4);
  if (viafwd == E_OK)
    viafwd = sys_irq_set_ntfn(h, R_X + 4);
  sys_obj_free(R_CONT, R_X + 4);
  sys_cap_delete(R_X + 4);
  long fr = sys_obj_free(R_CONT, h);
  long again = sys_irq_handler_create(ROOT_SLOT_IRQ_CONTROL, R_CONT, irq, R_X + 3);
  long stale = sys_irq_ack(h);
  sys_obj_free(R_CONT, R_X + 3);
  sys_obj_free(R_CONT, n);
  for (uint64_t s = R_X; s < R_X + 4; s++)
    sys_cap_delete(s);
  report(taken == E_IN_USE && zero == E_BAD_ARG && big == E_BAD_ARG && huge == E_BAD_ARG &&
         ctl == E_WRONG_TYPE && notn == E_WRONG_TYPE && noth == E_WRONG_TYPE &&
         viafwd == E_WRONG_TYPE && fr == E_OK &&
         again == E_OK && stale == E_STALE && usage_of(R_CONT) == before,
         "interrupt: taken, forged and stale handlers refused",
         "taken %lu, forged %lu", (uint64_t)taken, (uint64_t)big);
}

/* Time (issue 15): timers signal notifications at deadlines in ticks of
 * the clock. Each badge below names one timer, so the bits that arrive
 * say which fired. */
static void law_time(void)
{
  const uint32_t n = R_X, t1 = R_X + 1, t2 = R_X + 2, t3 = R_X + 3;
  const uint32_t n10 = R_X + 4, n2 = R_X + 5, n8 = R_X + 6, n4 = R_X + 7, fw = R_X + 8;
  const uint32_t many = 30;                  /* slots 30 .. 30 + TIMERS_MAX - 1 */
  /* no child runs until the end of this scenario, so the first child's
   * slots are scratch here: a container and its timer, then a
   * notification (on) and a timer (ot), and one slot kept empty */
  const uint32_t on = R_K1, ot = R_K1 + 1, empty = R_K1 + 2;
  uint64_t before = usage_of(R_CONT), bits = 0, hz = clock_hz();
  long e = sys_obj_alloc(R_CONT, OT_NOTIFICATION, n);
  e |= sys_obj_alloc(R_CONT, OT_TIMER, t1);
  e |= sys_obj_alloc(R_CONT, OT_TIMER, t2);
  e |= sys_obj_alloc(R_CONT, OT_TIMER, t3);
  e |= sys_cap_mint(n, SLOT_SELF, n10, RIGHTS(1, 1, 0), 0x10);
  e |= sys_cap_mint(n, SLOT_SELF, n2, RIGHTS(1, 1, 0), 0x2);
  e |= sys_cap_mint(n, SLOT_SELF, n8, RIGHTS(1, 1, 0), 0x8);
  e |= sys_cap_mint(n, SLOT_SELF, n4, RIGHTS(1, 1, 0), 0x4);

  /* a timer signals its notification, with the badge, at its deadline */
  uint64_t dl = clock_after_us(2000);
  long s = sys_timer_set(t1, n10, dl);
  long w = sys_notify_wait(n, &bits);
  uint64_t now = clock_now();
  report(e == E_OK && hz > 0 && s == E_OK && w == E_OK && bits == 0x10 && now >= dl,
         "time: a timer signals its notification at the deadline",
         "woken %lu ticks after it, %lu ticks a second", now - dl, hz);

  /* ulib's sleep_us: the clock has moved on by at least what was asked */
  uint64_t t0 = clock_now();
  long sl = sleep_us(t1, n, 3000);
  uint64_t el = clock_now() - t0;
  report(sl == E_OK && el >= 3000 * hz / 1000000, "time: sleep_us sleeps at least as long as asked",
         "%lu ticks for %lu", el, 3000 * hz / 1000000);

  /* a deadline already past signals before timer_set returns: the wait
   * finds the bits at once, long before a guard timer's (1 s) */
  long g = sys_timer_set(t2, n2, clock_after_us(1000000));
  long p = sys_timer_set(t1, n10, 0);
  w = sys_notify_wait(n, &bits);
  long gc = sys_timer_cancel(t2);
  report(g == E_OK && p == E_OK && w == E_OK && bits == 0x10 && gc == E_OK,
         "time: a deadline in the past signals at once", "bits 0x%lx, set %lu", bits, (uint64_t)p);

  /* a cancelled timer (0x8), a timer whose container is destroyed while
   * armed (0x4), one armed for DEADLINE_NEVER (0x1), one whose
   * notification died and one for 2^62 never fire; the guard (0x2,
   * 400 ms) does, alone. (The others are armed 200 ms ahead, so that a
   * host that stalls QEMU between two calls cannot let one fire first.) */
  long c = sys_timer_set(t1, n8, clock_after_us(200000));
  c |= sys_timer_cancel(t1);
  c |= sys_timer_cancel(t1);                           /* not armed: no error */
  long k = sys_container_create(R_CONT, R_K1, 4);
  k |= sys_obj_alloc(R_K1, OT_TIMER, R_K1 + 1);
  k |= sys_timer_set(R_K1 + 1, n4, clock_after_us(200000));
  k |= sys_container_destroy(R_CONT, R_K1);
  long dead = sys_timer_set(R_K1 + 1, n4, 0);
  sys_cap_delete(R_K1);
  sys_cap_delete(R_K1 + 1);
  long nv = sys_timer_set(t3, n, DEADLINE_NEVER);
  /* a timer whose notification dies before the deadline fires into
   * nothing; one 2^62 ticks away (millennia) waits */
  long nd = sys_obj_alloc(R_CONT, OT_NOTIFICATION, on);
  nd |= sys_obj_alloc(R_CONT, OT_TIMER, ot);
  nd |= sys_timer_set(ot, on, clock_after_us(200000));
  nd |= sys_obj_free(R_CONT, on);
  nd |= sys_timer_set(t1, n8, 1ul << 62);
  dl = clock_after_us(400000);
  g = sys_timer_set(t2, n2, dl);
  w = sys_notify_wait(n, &bits);
  now = clock_now();
  nv |= sys_timer_cancel(t3);
  nd |= sys_timer_cancel(t1);
  nd |= sys_obj_free(R_CONT, ot);
  sys_cap_delete(on);
  sys_cap_delete(ot);
  report(c == E_OK && k == E_OK && dead == E_STALE && nv == E_OK && nd == E_OK && g == E_OK &&
         w == E_OK && bits == 0x2 && now >= dl,
         "time: cancelled, destroyed, orphaned, far timers stay quiet", "bits 0x%lx (expected 0x2), dead %lu",
         bits, (uint64_t)dead);

  /* refusals: wrong types, missing rights, forged slots, a notification
   * through a forwarder (the arming would outlive its revocation); a
   * timer through a forwarder is fine; the table of armed timers full */
  long r1 = sys_timer_set(n, n10, 0);                  /* not a timer */
  long r2 = sys_timer_set(t1, t2, 0);                  /* not a notification */
  long r3 = sys_timer_set(t1, empty, 0);               /* empty */
  long r4 = sys_timer_set(1000, n10, 0);
  long r5 = sys_timer_set(t1, 1ul << 33, 0);
  long r6 = sys_timer_cancel(n);
  long f = sys_fwd_create(R_CONT, n, fw);
  long r7 = f == E_OK ? sys_timer_set(t1, fw, 0) : f;
  sys_obj_free(R_CONT, fw);
  sys_cap_delete(fw);
  long r8 = sys_cap_mint(t1, SLOT_SELF, fw, RIGHTS(1, 0, 0), 0);
  if (r8 == E_OK)
    r8 = sys_timer_set(fw, n10, 0);                    /* read-only timer */
  sys_cap_delete(fw);
  long r9 = sys_cap_mint(n, SLOT_SELF, fw, RIGHTS(1, 0, 0), 0);
  if (r9 == E_OK)
    r9 = sys_timer_set(t1, fw, 0);                     /* read-only notification */
  sys_cap_delete(fw);
  long vf = sys_fwd_create(R_CONT, t1, fw);
  if (vf == E_OK)
    vf = sys_timer_set(fw, n10, 0);
  w = sys_notify_wait(n, &bits);
  sys_obj_free(R_CONT, fw);
  sys_cap_delete(fw);
  long fill = E_OK, full = E_OK, own = E_OK;
  unsigned armed = 0;
  for (uint32_t i = 0; i < TIMERS_MAX && fill == E_OK; i++) {
    fill = sys_obj_alloc(R_CONT, OT_TIMER, many + i);
    if (fill == E_OK)
      fill = sys_timer_set(many + i, n, DEADLINE_NEVER);
    if (fill == E_OK)
      armed++;
  }
  full = sys_timer_set(t1, n, DEADLINE_NEVER);         /* a 65th armed timer */
  own = sys_timer_set(many, n, DEADLINE_NEVER);        /* re-arming one of the 64 */
  for (uint32_t i = 0; i < TIMERS_MAX; i++) {
    sys_obj_free(R_CONT, many + i);
    sys_cap_delete(many + i);
  }
  long after = sys_timer_set(t1, n, DEADLINE_NEVER);   /* their rows are free again */
  sys_timer_cancel(t1);
  report(r1 == E_WRONG_TYPE && r2 == E_WRONG_TYPE && r3 == E_EMPTY && r4 == E_BAD_SLOT &&
         r5 == E_BAD_SLOT && r6 == E_WRONG_TYPE && r7 == E_WRONG_TYPE && r8 == E_NO_RIGHTS &&
         r9 == E_NO_RIGHTS && vf == E_OK && w == E_OK && bits == 0x10 && armed == TIMERS_MAX &&
         full == E_NO_MEMORY && own == E_OK && after == E_OK,
         "time: refusals, and the table of 64 armed timers",
         "armed %lu, the next %lu", armed, (uint64_t)full);

  /* a child sleeps with a timer and a notification from its own container */
  long ch = spawn_probe(R_K1, 't', 40, NPRIO - 2, 0, 0);
  struct msg x = await_exit('t');
  destroy_child(R_K1);
  report(ch == E_OK && x.err == E_OK && x.w[0] == 0, "time: a child sleeps in its own container",
         "exit %lu, spawn %lu", x.w[0], (uint64_t)ch);

  for (uint32_t i = R_X; i <= R_X + 8; i++) {
    sys_obj_free(R_CONT, i);
    sys_cap_delete(i);
  }
  report(usage_of(R_CONT) == before, "time: every timer's frame returned",
         "usage %lu, before %lu", usage_of(R_CONT), before);
}

/* Bindings that outlive the call take direct capabilities only (law 3):
 * a forwarder's revocation would not reach them. The fault endpoint, as
 * the interrupt's and the timer's notifications (tested above). */
static void law_direct_bindings(void)
{
  long f = sys_fwd_create(R_CONT, R_FAULT, R_X);        /* 2: my own process */
  long viafwd = f == E_OK ? sys_proc_set_fault(2, R_X) : f;
  long wrong = sys_proc_set_fault(2, R_CONT);
  sys_obj_free(R_CONT, R_X);
  sys_cap_delete(R_X);
  report(f == E_OK && viafwd == E_WRONG_TYPE && wrong == E_WRONG_TYPE,
         "a fault endpoint through a forwarder is refused",
         "through a forwarder %lu, a container %lu", (uint64_t)viafwd, (uint64_t)wrong);
}

int main(uint64_t first_free, uint64_t device_pages)
{
  (void)first_free;
  ndevices = device_pages;
  printf("roottask: up; root container usage %lu frames\n", (unsigned long)usage_of(R_CONT));
  uint64_t start_usage = usage_of(R_CONT);
  long e = sys_obj_alloc(R_CONT, OT_ENDPOINT, R_FAULT);
  if (e != E_OK) {
    printf("roottask: cannot allocate my endpoint: %s\n", err_name(e));
    return 1;
  }
  sys_set_recv_slots(R_GOT0, R_GOT1);
  /* warm-up: the page tables behind my scratch page are mine for good */
  sys_obj_alloc(R_CONT, OT_FRAME, R_TMP);
  sys_map(SLOT_SELF, R_TMP, SCRATCH_VA, RIGHTS(1, 1, 0));
  sys_unmap(SLOT_SELF, SCRATCH_VA);
  sys_obj_free(R_CONT, R_TMP);
  sys_cap_delete(R_TMP);
  start_usage = usage_of(R_CONT);
  build_hierarchy();
  law_siblings();
  law_confinement();
  law_forwarder();
  /* these scenarios provoke refusals on purpose (limits, stale and bad
   * capabilities, an empty signal): the kernel's debug log marks them */
  sys_debug_expect_refusals(1);
  law_limits();
  law_memory();
  law_map_delete();
  law_map_move();
  law_map_forwarder_slot();
  law_map_copy();
  law_memory_cspace_full();
  law_devices();
  law_interrupts();
  law_time();
  law_direct_bindings();
  law_identify();
  law_forced_destruction();
  law_cooperative_destruction();
  law_notification();
  ipc_paths();
  law_stale_cspace();
  sys_debug_expect_refusals(0);
  hostile_garbage();
  hostile_fault('x', 2, "illegal instruction -> fault message");
  hostile_fault('v', 13, "page fault -> fault message");
  hostile_fault_stops();
  hostile_never_replies();
  hostile_never_exits();
  /* forced destruction of A: everything built for the hierarchy returns */
  e = sys_container_destroy(R_CONT, R_A);
  for (uint32_t s = R_A; s < R_A + 4; s++)
    sys_cap_delete(s);
  sys_cap_delete(R_MEM_A);
  report(e == E_OK && usage_of(R_CONT) == start_usage, "every frame returned to the root container",
         "root usage %lu, before the hierarchy %lu", usage_of(R_CONT), start_usage);
  sys_obj_free(R_CONT, R_FAULT);
  printf("%d passed, %d failed\n", passed, failed);
  return failed;
}
