/* hostile_time: attacks on SYS_TIMER_SET, SYS_TIMER_CANCEL, SYS_CLOCK and
 * timer objects (OT_TIMER), from abi.h, docs/SYSCALLS.md and
 * docs/DEVICES.md "Time" only; then on the console server's protocol
 * (userland/lib/console.h), with a console server spawned as init does.
 * Each expectation prints PASS or FAIL; the exit code is the failures.
 *
 * Whether a timer fired is read without blocking: signal my own
 * notification with MARK, wait (returns at once), and look at the other
 * bits. Waiting for a deadline is a busy loop on the clock (the timer
 * interrupt preempts it), except in part J, which blocks for real. */
#include "ulib.h"
#define EXPECT_NAME "hostile_time"
#include "expect.h"
#include "spawn.h"
#include "console.h"

_Static_assert(SYS_TIMER_SET == 36 && SYS_TIMER_CANCEL == 37 && SYS_CLOCK == 38 && SYS_EXIT == 2,
               "child.S numbers");
_Static_assert(OT_TIMER == 12, "OT_TIMER");

extern const char child_arm_start[], child_arm_end[];
extern const uint8_t console_elf[], console_elf_end[];

#define ROOT 0u
#define CSELF 1u
#define PSELF 2u
#define CTL ROOT_SLOT_IRQ_CONTROL
#define DEV0 ROOT_SLOT_DEVICE
#define B32 (1ull << 32)
#define B62 (1ull << 62)
#define B63 (1ull << 63)
#define MARK B63

#define VA_TMP     0x40000000ul
#define CHILD_CODE 0x10000ul

static uint64_t hz;

/* ---- slots: 3 .. CTL-1, reusable ---- */
static uint8_t used[CSPACE_SLOTS];
static uint32_t first_slot;

static uint32_t slot(void)
{
  for (uint32_t s = first_slot; s < CTL; s++)
    if (!used[s]) {
      used[s] = 1;
      return s;
    }
  printf("hostile_time: out of slots\n");
  exit(99);
}

static void unslot(uint32_t s)
{
  sys_cap_delete(s);
  used[s] = 0;
}







static uint64_t now(void)
{
  uint64_t t;
  __asm__ volatile("rdtime %0" : "=r"(t));
  return t;
}

/* A test "millisecond" is 10 ms of the clock: the checks that nothing
 * fired too early, or that something fired by now, then hold even when
 * the host stalls QEMU for a few milliseconds between two calls (a
 * loaded CI machine); no check depends on how late a timer fires. */
static uint64_t ms(uint64_t x) { return x * hz / 100u; }

static void spin_until(uint64_t t)
{
  while (now() < t)
    ;
}

static void spin_ms(uint64_t x) { spin_until(now() + ms(x)); }

/* the bits pending on n (a capability with read and write), without
 * blocking; they are consumed */
static uint64_t bits_of(uint32_t n)
{
  uint64_t b = 0;
  long e = sys_notify_signal(n, MARK);
  if (e != E_OK) {
    printf("hostile_time: bits_of signal: %s\n", en(e));
    return ~0ull;
  }
  e = sys_notify_wait(n, &b);
  if (e != E_OK) {
    printf("hostile_time: bits_of wait: %s\n", en(e));
    return ~0ull;
  }
  return b & ~MARK;
}

/* poll n until bits arrive or limit_ms passes; returns the bits, *late
 * the ticks after d at which they were seen */
static uint64_t poll_bits(uint32_t n, uint64_t d, uint64_t limit_ms, int64_t *late)
{
  uint64_t end = now() + ms(limit_ms), b = 0;
  for (;;) {
    b = bits_of(n);
    uint64_t t = now();
    if (b || t >= end) {
      *late = (int64_t)(t - d);
      return b;
    }
    spin_until(t + ms(1) / 10);
  }
}

/* accumulate n's bits until all of want arrived or limit_ms passed (a
 * loaded host can delay the timer interrupt by milliseconds) */
static uint64_t gather(uint32_t n, uint64_t want, uint64_t limit_ms)
{
  uint64_t end = now() + ms(limit_ms), acc = 0;
  while ((acc & want) != want && now() < end) {
    acc |= bits_of(n);
    spin_until(now() + ms(1) / 10);
  }
  return acc | bits_of(n);
}

static uint32_t new_obj(uint64_t cont, uint64_t type)
{
  uint32_t s = slot();
  must(sys_obj_alloc(cont, type, s), "obj_alloc");
  return s;
}

static void del_obj(uint32_t s)
{
  sys_obj_free(ROOT, s);
  unslot(s);
}

/* a copy of s with rights and badge (mint) */
static uint32_t mint(uint32_t s, uint64_t rights, uint64_t badge)
{
  uint32_t d = slot();
  must(sys_cap_mint(s, SLOT_SELF, d, rights, badge), "mint");
  return d;
}

static const uint64_t bad_slots[] = { 128, 1023, 1024, 0xFFFFFFFEull, 0xFFFFFFFFull, B32, B32 + 5,
                                      B63, B63 + 3, ~0ull - 1, ~0ull };
#define NBAD (sizeof bad_slots / sizeof bad_slots[0])

/* ---- A: SYS_CLOCK ---- */
static void part_clock(void)
{
  printf("== A: SYS_CLOCK\n");
  uint64_t t0 = now(), n1 = 0, h1 = 0;
  struct sysret r = syscall7(SYS_CLOCK, ~0ull, 0x1234, B63, 5, 6, 7, 8);
  uint64_t t1 = now();
  T(r.r[0], E_OK, "clock with garbage in every argument");
  n1 = r.r[1];
  h1 = r.r[2];
  hz = h1;
  printf("  INFO clock: now %lu, %lu ticks per second; a3..a7 = %lx %lx %lx %lx %lx\n", (unsigned long)n1,
         (unsigned long)h1, (unsigned long)r.r[3], (unsigned long)r.r[4], (unsigned long)r.r[5],
         (unsigned long)r.r[6], (unsigned long)r.r[7]);
  /* abi.h: registers a call documents no result in are unspecified, and
   * today keep what the caller put there: nothing of the kernel's */
  C(r.r[3] == 5 && r.r[4] == 6 && r.r[5] == 7 && r.r[6] == 8 && r.r[7] == SYS_CLOCK,
    "clock: a3..a7 keep the caller's values (abi.h: nothing of the kernel's)");
  {
    struct sysret q = syscall7(SYS_CONTAINER_INFO, ROOT, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66);
    printf("  INFO for comparison container_info(root, garbage): a3..a7 = %lx %lx %lx %lx %lx\n",
           (unsigned long)q.r[3], (unsigned long)q.r[4], (unsigned long)q.r[5], (unsigned long)q.r[6], (unsigned long)q.r[7]);
    q = syscall7(SYS_TIMER_CANCEL, 127, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66);
    printf("  INFO timer_cancel(empty, garbage): a1..a7 = %lx %lx %lx %lx %lx %lx %lx\n", (unsigned long)q.r[1],
           (unsigned long)q.r[2], (unsigned long)q.r[3], (unsigned long)q.r[4], (unsigned long)q.r[5], (unsigned long)q.r[6], (unsigned long)q.r[7]);
  }
  C(h1 == 10000000u || h1 == 1000000u, "clock: ticks per second is 10 MHz (virt) or 1 MHz (sifive_u)");
  C(t0 <= n1 && n1 <= t1, "clock: now lies between two rdtime reads around the call");
  C(clock_hz() == h1, "ulib clock_hz agrees");
  uint64_t prev = 0;
  int mono = 1;
  for (int i = 0; i < 2000; i++) {
    uint64_t x = 0;
    sys_clock(&x, 0);
    if (x < prev)
      mono = 0;
    prev = x;
  }
  C(mono, "clock: monotonic over 2000 calls");
  if (!hz)
    hz = 1000000u;
}

/* ---- B: argument checking ---- */
static void part_args(void)
{
  printf("== B: timer_set / timer_cancel argument refusals\n");
  uint64_t u0 = usage_of(ROOT);
  uint32_t t = slot();
  T(sys_obj_alloc(ROOT, OT_TIMER, t), E_OK, "obj_alloc OT_TIMER");
  C(usage_of(ROOT) == u0 + 1, "a timer costs one frame");
  uint64_t ty = 0, rr = 0, bb = 1;
  T(sys_cap_resolve(t, &ty, &rr, &bb), E_OK, "resolve timer");
  C(ty == OT_TIMER && rr == RIGHTS_ALL && bb == 0, "timer cap: type 12, all rights, badge 0");
  uint32_t x = slot();
  T(sys_obj_alloc(ROOT, B32 + OT_TIMER, x), E_BAD_ARG, "obj_alloc type 2^32+12");
  T(sys_obj_alloc(ROOT, OT_TIMER + 1, x), E_BAD_ARG, "obj_alloc type 13 (retired)");
  C(empty(x), "refused allocs left dst empty");
  uint32_t n = new_obj(ROOT, OT_NOTIFICATION);
  uint32_t ep = new_obj(ROOT, OT_ENDPOINT);
  uint32_t fr = new_obj(ROOT, OT_FRAME);
  uint32_t cs = new_obj(ROOT, OT_CSPACE);
  uint32_t cc = slot();
  must(sys_container_create(ROOT, cc, 4), "container");
  uint32_t fn = slot(), ft = slot();
  must(sys_fwd_create(ROOT, n, fn), "fwd to ntfn");
  must(sys_fwd_create(ROOT, t, ft), "fwd to timer");
  uint64_t now0 = now();

  for (unsigned i = 0; i < NBAD; i++) {
    T(sys_timer_set(bad_slots[i], n, 0), E_BAD_SLOT, "set: bad timer slot");
    T(sys_timer_set(t, bad_slots[i], 0), E_BAD_SLOT, "set: bad ntfn slot");
    T(sys_timer_cancel(bad_slots[i]), E_BAD_SLOT, "cancel: bad timer slot");
  }
  T(sys_timer_set(B32 + t, n, 0), E_BAD_SLOT, "set: timer 2^32+t not read as t");
  T(sys_timer_set(t, B32 + n, 0), E_BAD_SLOT, "set: ntfn 2^32+n not read as n");
  T(sys_timer_cancel(B32 + t), E_BAD_SLOT, "cancel: 2^32+t not read as t");
  T(sys_timer_set(x, n, 0), E_EMPTY, "set: timer slot empty");
  T(sys_timer_set(t, x, 0), E_EMPTY, "set: ntfn slot empty");
  T(sys_timer_cancel(x), E_EMPTY, "cancel: empty");
  /* every wrong type as the timer */
  static const struct { uint32_t s; const char *w; } wrong[] = {
    { ROOT, "container" }, { CSELF, "cspace" }, { PSELF, "process" }, { CTL, "IRQ control" }, { DEV0, "device page" },
  };
  for (unsigned i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
    T(sys_timer_set(wrong[i].s, n, 0), E_WRONG_TYPE, wrong[i].w);
    T(sys_timer_cancel(wrong[i].s), E_WRONG_TYPE, wrong[i].w);
    T(sys_timer_set(t, wrong[i].s, 0), E_WRONG_TYPE, wrong[i].w);
  }
  uint32_t objs[] = { n, ep, fr, cs, cc, fn };
  const char *on[] = { "set/cancel: timer arg is a notification", "timer arg is an endpoint", "timer arg is a frame",
                       "timer arg is a cspace", "timer arg is a child container", "timer arg is a fwd to a notification" };
  for (unsigned i = 0; i < 6; i++) {
    T(sys_timer_set(objs[i], n, 0), E_WRONG_TYPE, on[i]);
    T(sys_timer_cancel(objs[i]), E_WRONG_TYPE, on[i]);
  }
  T(sys_timer_set(t, t, 0), E_WRONG_TYPE, "set: ntfn arg is the timer itself");
  T(sys_timer_set(t, ep, 0), E_WRONG_TYPE, "set: ntfn arg is an endpoint");
  T(sys_timer_set(t, fr, 0), E_WRONG_TYPE, "set: ntfn arg is a frame");
  T(sys_timer_set(t, ft, 0), E_WRONG_TYPE, "set: ntfn arg is a fwd to a timer");
  T(sys_timer_set(t, fn, 0), E_WRONG_TYPE, "set: ntfn arg is a fwd to a notification (docs)");
  T(sys_timer_set(ft, fn, 0), E_WRONG_TYPE, "set: both through forwarders");
  /* the timer used as other objects */
  T(sys_notify_signal(t, 1), E_WRONG_TYPE, "notify_signal on a timer");
  T(sys_notify_wait(t, 0), E_WRONG_TYPE, "notify_wait on a timer");
  T(sys_send(t, 1, 0, 0, 0, 0, 0), E_WRONG_TYPE, "send on a timer");
  T(sys_map(SLOT_SELF, t, VA_TMP, 3), E_WRONG_TYPE, "map a timer");
  T(sys_container_destroy(ROOT, t), E_WRONG_TYPE, "container_destroy of a timer");
  T(sys_proc_set_fault(PSELF, t), E_WRONG_TYPE, "timer as a fault endpoint");
  T(sys_obj_alloc(t, OT_FRAME, x), E_WRONG_TYPE, "timer as a container");
  T(sys_device_info(t, 0, 0, 0), E_WRONG_TYPE, "device_info of a timer");
  T(sys_obj_free(cc, t), E_NOT_OWNER, "obj_free of the timer from a non-owner container");
  /* rights */
  uint32_t tro = mint(t, RIGHTS(1, 0, 1), 0), nro = mint(n, RIGHTS(1, 0, 1), 0);
  uint32_t tnone = mint(t, 0, 0);
  T(sys_timer_set(tro, n, 0), E_NO_RIGHTS, "set: timer without write");
  T(sys_timer_set(tnone, n, 0), E_NO_RIGHTS, "set: timer with no rights");
  T(sys_timer_cancel(tro), E_NO_RIGHTS, "cancel: timer without write");
  T(sys_timer_set(t, nro, 0), E_NO_RIGHTS, "set: ntfn without write");
  uint32_t ftro = slot();
  must(sys_fwd_create(ROOT, tro, ftro), "fwd to read-only timer copy");
  T(sys_timer_set(ftro, n, 0), E_NO_RIGHTS, "set: fwd to a read-only timer copy");
  T(sys_timer_cancel(ftro), E_NO_RIGHTS, "cancel: fwd to a read-only timer copy");
  /* after all of it: nothing armed, nothing signalled, nothing charged */
  C(bits_of(n) == 0, "no refused set with deadline 0 signalled");
  C(usage_of(ROOT) == u0 + 1 + 4 + 1 + 3, "usage: only the setup objects");  /* t, n ep fr cs, cc, fn ft ftro */
  C(empty(x), "scratch slot still empty");
  /* write-only copies work */
  uint32_t two = mint(t, RIGHTS(0, 1, 0), 0x55), nwo = mint(n, RIGHTS(0, 1, 0), 0);
  T(sys_timer_set(two, nwo, 0), E_OK, "set: write-only timer and ntfn copies, deadline 0");
  C(bits_of(n) == 1, "fired at once with bit 0 (ntfn badge 0; timer cap badge 0x55 ignored)");
  T(sys_timer_set(ft, n, now0), E_OK, "set: timer through a forwarder (docs: fine), past deadline");
  C(bits_of(n) == 1, "fired at once");
  T(sys_timer_cancel(two), E_OK, "cancel of an unarmed timer via write-only copy");
  T(sys_timer_cancel(ft), E_OK, "cancel via forwarder");
  /* stale */
  T(sys_obj_free(ROOT, n), E_OK, "free the notification");
  T(sys_timer_set(t, n, 0), E_STALE, "set: stale ntfn");
  T(sys_timer_set(t, nwo, 0), E_STALE, "set: stale ntfn (copy)");
  T(sys_obj_free(ROOT, t), E_OK, "free the timer");
  T(sys_timer_set(t, ep, 0), E_STALE, "set: stale timer (and ntfn wrong type): timer first");
  T(sys_timer_cancel(t), E_STALE, "cancel: stale timer");
  T(sys_timer_cancel(ft), E_STALE, "cancel: fwd to stale timer");
  uint32_t t2 = new_obj(ROOT, OT_TIMER);
  T(sys_timer_cancel(t), E_STALE, "cancel: old cap stays stale after a new timer (maybe same frame)");
  del_obj(t2);
  C(usage_of(ROOT) == u0 + 3 + 1 + 3, "usage after frees");
  uint32_t all[] = { t, x, ep, fr, cs, fn, ft, tro, nro, tnone, ftro, two, nwo, n };
  for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++) {
    sys_obj_free(ROOT, all[i]);
    unslot(all[i]);
  }
  sys_container_destroy(ROOT, cc);
  unslot(cc);
  C(usage_of(ROOT) == u0, "usage back to the start of part B");
}

/* ---- C: deadlines ---- */
static void part_deadlines(void)
{
  printf("== C: deadlines\n");
  uint32_t t = new_obj(ROOT, OT_TIMER), n = new_obj(ROOT, OT_NOTIFICATION);
  uint32_t nb = mint(n, RIGHTS(0, 1, 0), 0x10);
  uint64_t tn = now();
  static const uint64_t past[] = { 0, 1, 2, 0 };
  for (unsigned i = 0; i < 3; i++) {
    T(sys_timer_set(t, nb, past[i]), E_OK, "set: deadline 0/1/2");
    C(bits_of(n) == 0x10, "signalled before the call returned, with the ntfn cap's badge");
  }
  T(sys_timer_set(t, nb, tn), E_OK, "set: deadline now (a moment ago)");
  C(bits_of(n) == 0x10, "signalled before the call returned");
  uint64_t c = 0;
  sys_clock(&c, 0);
  T(sys_timer_set(t, nb, c), E_OK, "set: deadline = SYS_CLOCK's now");
  C(bits_of(n) == 0x10, "signalled before the call returned");
  T(sys_timer_cancel(t), E_OK, "cancel after firing");
  C(bits_of(n) == 0, "one shot: nothing more");
  /* now + 1 tick */
  T(sys_timer_set(t, nb, now() + 1), E_OK, "set: now + 1");
  C(gather(n, 0x10, 50) == 0x10, "now+1 fired");
  spin_ms(3);
  C(bits_of(n) == 0, "now+1 fired once only");
  /* now + 5 ms: not before, yes after */
  uint64_t d = now() + ms(5);
  T(sys_timer_set(t, nb, d), E_OK, "set: now + 5 ms");
  C(bits_of(n) == 0, "not fired at once");
  spin_until(d - ms(1) > now() ? d - ms(1) : now());
  uint64_t b = bits_of(n);
  uint64_t at = now();
  C(b == 0 || at >= d, "not fired before its deadline");
  b |= gather(n, 0x10, 50);
  C(b == 0x10, "fired after its deadline");
  /* huge deadlines */
  static const uint64_t huge[] = { B62, ~0ull - 2, ~0ull - 1, DEADLINE_NEVER, B63, B63 - 1 };
  static const char *hn[] = { "2^62", "2^64-3", "2^64-2", "DEADLINE_NEVER", "2^63", "2^63-1" };
  for (unsigned i = 0; i < 6; i++) {
    printf("  deadline %s\n", hn[i]);
    T(sys_timer_set(t, nb, huge[i]), E_OK, "set: huge deadline");
    spin_ms(12);   /* over a time slice: the kernel reprograms the SBI timer */
    C(bits_of(n) == 0, "huge deadline: not fired after 12 ms");
  }
  /* a far timer does not hide a near one */
  uint32_t t2 = new_obj(ROOT, OT_TIMER);
  uint32_t nb2 = mint(n, RIGHTS(0, 1, 0), 0x20);
  T(sys_timer_set(t, nb, B62), E_OK, "far timer armed");
  T(sys_timer_set(t2, nb2, now() + ms(2)), E_OK, "near timer armed after it");
  C(gather(n, 0x20, 50) == 0x20, "the near one fired, the far one not");
  T(sys_timer_set(t2, nb2, ~0ull - 1), E_OK, "re-arm near at 2^64-2");
  uint32_t t3 = new_obj(ROOT, OT_TIMER);
  uint32_t nb3 = mint(n, RIGHTS(0, 1, 0), 0x40);
  T(sys_timer_set(t3, nb3, now() + ms(1)), E_OK, "a third at now+1ms behind two huge ones");
  C(gather(n, 0x40, 50) == 0x40, "it fired; the huge ones not");
  T(sys_timer_cancel(t), E_OK, "cancel far");
  T(sys_timer_cancel(t), E_OK, "cancel twice");
  T(sys_timer_cancel(t2), E_OK, "cancel 2^64-2");
  T(sys_timer_cancel(t3), E_OK, "cancel fired one");
  /* re-arming: the old deadline must not fire */
  uint32_t na = mint(n, RIGHTS(0, 1, 0), 0x100), nc = mint(n, RIGHTS(0, 1, 0), 0x200);
  uint64_t d1 = now() + ms(2);
  T(sys_timer_set(t, na, d1), E_OK, "arm at +2ms on badge 0x100");
  T(sys_timer_set(t, nc, d1 + ms(6)), E_OK, "re-arm at +8ms on badge 0x200");
  spin_until(d1 + ms(3));
  C(bits_of(n) == 0, "old deadline (+2ms) did not fire");
  spin_until(d1 + ms(6));
  C(gather(n, 0x200, 50) == 0x200, "new deadline fired on the new notification badge only");
  T(sys_timer_set(t, na, now() + ms(3)), E_OK, "arm at +3ms");
  T(sys_timer_set(t, nc, 0), E_OK, "re-arm in the past");
  C(bits_of(n) == 0x200, "past re-arm fired at once");
  spin_ms(6);
  C(bits_of(n) == 0, "and the replaced +3ms deadline never fired");
  T(sys_timer_set(t, na, now() + ms(2)), E_OK, "arm at +2ms");
  T(sys_timer_set(t, na, DEADLINE_NEVER), E_OK, "re-arm to NEVER");
  spin_ms(5);
  C(bits_of(n) == 0, "NEVER replaced +2ms");
  /* cancel: armed, then cancel twice */
  T(sys_timer_set(t, na, now() + ms(2)), E_OK, "arm at +2ms");
  T(sys_timer_cancel(t), E_OK, "cancel armed");
  T(sys_timer_cancel(t), E_OK, "cancel again");
  spin_ms(5);
  C(bits_of(n) == 0, "cancelled timer did not fire");
  /* a refused set must leave the old arming */
  uint32_t ep = new_obj(ROOT, OT_ENDPOINT), nro = mint(n, RIGHTS(1, 0, 0), 0x400);
  d = now() + ms(3);
  T(sys_timer_set(t, na, d), E_OK, "arm at +3ms");
  T(sys_timer_set(t, ep, 0), E_WRONG_TYPE, "refused re-arm (endpoint)");
  T(sys_timer_set(t, nro, 0), E_NO_RIGHTS, "refused re-arm (read-only ntfn)");
  T(sys_timer_set(t, 127, 0), E_EMPTY, "refused re-arm (empty)");
  C(bits_of(n) == 0, "refused re-arms did not fire");
  {
    int64_t late = 0;
    uint64_t b3 = poll_bits(n, d, 40, &late);
    printf("  INFO after refused re-arms: bits 0x%lx seen %ld ticks after the deadline\n", (unsigned long)b3, (long)late);
    C(b3 == 0x100, "the original arming still fired");
    printf("  INFO ... %s 3 test-ms of its deadline\n",
           b3 == 0 || late < (int64_t)ms(3) ? "within" : "later than");
  }
  /* badge 0 on the notification: bit 0; badge with all bits */
  uint32_t nall = mint(n, RIGHTS(0, 1, 0), ~0ull & ~MARK);
  T(sys_timer_set(t, nall, 0), E_OK, "fire with badge 2^63-1");
  C(bits_of(n) == (~0ull & ~MARK), "all 63 bits arrived");
  uint32_t nm = mint(n, RIGHTS(0, 1, 0), MARK);
  T(sys_timer_set(t, nm, 0), E_OK, "fire with badge 2^63");
  {
    uint64_t bb = 0;
    sys_notify_wait(n, &bb);
    C(bb == MARK, "bit 63 arrived");
  }
  uint32_t fr[] = { t, t2, t3, ep };
  for (unsigned i = 0; i < 4; i++) del_obj(fr[i]);
  uint32_t cp[] = { nb, nb2, nb3, na, nc, nro, nall, nm };
  for (unsigned i = 0; i < 8; i++) unslot(cp[i]);
  del_obj(n);
}

/* ---- D: lifetimes ---- */
static struct { uint32_t cs, p, code; } ch;
static uint32_t fault_ep;

#define UTRACE(tag) printf("  usage %s: %lu\n", tag, (unsigned long)usage_of(ROOT))
static void part_lifetimes(void)
{
  printf("== D: lifetimes while armed\n");
  uint64_t u0 = usage_of(ROOT);
  uint32_t n = new_obj(ROOT, OT_NOTIFICATION), t = new_obj(ROOT, OT_TIMER);
  uint64_t d;
  /* the timer freed while armed, its frame reused by a new timer */
  d = now() + ms(3);
  T(sys_timer_set(t, n, d), E_OK, "arm");
  T(sys_obj_free(ROOT, t), E_OK, "free the armed timer");
  T(sys_timer_cancel(t), E_STALE, "cancel the freed timer");
  uint32_t t2 = slot();
  T(sys_obj_alloc(ROOT, OT_TIMER, t2), E_OK, "a new timer (likely the same frame)");
  spin_until(d + ms(3));
  C(bits_of(n) == 0, "freed timer never fired (nor its frame's new timer)");
  T(sys_timer_set(t2, n, 0), E_OK, "new timer works");
  C(bits_of(n) == 1, "fired");
  unslot(t);
  t = t2;
  UTRACE("D1");
  /* the timer freed while armed, its frame reused by a notification that then waits */
  d = now() + ms(3);
  T(sys_timer_set(t, n, d), E_OK, "arm");
  T(sys_obj_free(ROOT, t), E_OK, "free it");
  uint32_t nn = slot();
  T(sys_obj_alloc(ROOT, OT_NOTIFICATION, nn), E_OK, "a notification in its place");
  spin_until(d + ms(3));
  C(bits_of(n) == 0 && bits_of(nn) == 0, "nothing fired into either");
  del_obj(nn);
  unslot(t);
  t = new_obj(ROOT, OT_TIMER);
  UTRACE("D2");
  /* the notification freed while armed, its frame reused by a new notification */
  uint32_t n2 = new_obj(ROOT, OT_NOTIFICATION);
  d = now() + ms(3);
  T(sys_timer_set(t, n2, d), E_OK, "arm on n2");
  T(sys_obj_free(ROOT, n2), E_OK, "free n2 while armed");
  uint32_t n3 = slot();
  T(sys_obj_alloc(ROOT, OT_NOTIFICATION, n3), E_OK, "n3 (likely n2's frame)");
  spin_until(d + ms(3));
  C(bits_of(n3) == 0, "n3 got nothing meant for the dead n2");
  T(sys_timer_set(t, n3, 0), E_OK, "the timer is usable again");
  C(bits_of(n3) == 1, "fired into n3");
  del_obj(n3);
  unslot(n2);
  UTRACE("D3");
  /* the notification freed, its frame reused by an endpoint / a frame */
  n2 = new_obj(ROOT, OT_NOTIFICATION);
  d = now() + ms(3);
  T(sys_timer_set(t, n2, d), E_OK, "arm on n2");
  T(sys_obj_free(ROOT, n2), E_OK, "free n2");
  uint32_t f = slot();
  T(sys_obj_alloc(ROOT, OT_FRAME, f), E_OK, "a frame in its place");
  T(sys_map(SLOT_SELF, f, VA_TMP, 3), E_OK, "map it");
  volatile uint64_t *w = (volatile uint64_t *)VA_TMP;
  for (int i = 0; i < 512; i++) w[i] = 0x5a5a5a5a5a5a5a5aull;
  spin_until(d + ms(3));
  int clean = 1;
  for (int i = 0; i < 512; i++)
    if (w[i] != 0x5a5a5a5a5a5a5a5aull) clean = 0;
  C(clean, "the firing did not write into the frame that took the notification's place");
  sys_unmap(SLOT_SELF, VA_TMP);
  del_obj(f);
  unslot(n2);
  UTRACE("D4");
  /* a forwarder to the timer revoked while armed: the arming stays */
  uint32_t ft = slot();
  must(sys_fwd_create(ROOT, t, ft), "fwd");
  d = now() + ms(3);
  T(sys_timer_set(ft, n, d), E_OK, "arm through a forwarder");
  T(sys_obj_free(ROOT, ft), E_OK, "revoke (free) the forwarder while armed");
  T(sys_timer_cancel(ft), E_STALE, "cancel through the dead forwarder");
  {
    uint64_t b = gather(n, 1, 50);
    printf("  INFO timer armed through a revoked forwarder: %s\n", b == 1 ? "fired (the row names the timer)" : "did not fire");
    C(b == 1 || b == 0, "no stray bits");
  }
  unslot(ft);
  UTRACE("D5");
  /* the timer's capability deleted (object alive): still fires */
  uint32_t tc = mint(t, RIGHTS_ALL, 0);
  d = now() + ms(2);
  T(sys_timer_set(tc, n, d), E_OK, "arm through a copy");
  unslot(tc);
  C(gather(n, 1, 50) == 1, "fired although the copy was deleted");
  del_obj(t);
  UTRACE("D6");
  /* the timer's container destroyed while armed */
  uint32_t cc = slot(), ct = slot();
  must(sys_container_create(ROOT, cc, 4), "cc");
  T(sys_obj_alloc(cc, OT_TIMER, ct), E_OK, "timer from a child container");
  d = now() + ms(3);
  T(sys_timer_set(ct, n, d), E_OK, "arm it");
  T(sys_container_destroy(ROOT, cc), E_OK, "destroy its container while armed");
  T(sys_timer_cancel(ct), E_STALE, "it is stale");
  spin_until(d + ms(3));
  C(bits_of(n) == 0, "it never fired");
  unslot(cc);
  unslot(ct);
  UTRACE("D7");
  /* the notification's container destroyed while armed */
  t = new_obj(ROOT, OT_TIMER);
  cc = slot();
  uint32_t cn = slot();
  must(sys_container_create(ROOT, cc, 4), "cc");
  must(sys_obj_alloc(cc, OT_NOTIFICATION, cn), "ntfn in cc");
  d = now() + ms(3);
  T(sys_timer_set(t, cn, d), E_OK, "arm on a child container's notification");
  T(sys_container_destroy(ROOT, cc), E_OK, "destroy that container while armed");
  uint32_t n4 = new_obj(ROOT, OT_NOTIFICATION);
  spin_until(d + ms(3));
  C(bits_of(n4) == 0 && bits_of(n) == 0, "nothing fired anywhere");
  T(sys_timer_set(t, n4, 0), E_OK, "the timer is free to re-arm");
  C(bits_of(n4) == 1, "fired");
  del_obj(n4);
  del_obj(t);
  unslot(cc);
  unslot(cn);
  UTRACE("D8");
  /* the container holding both destroyed while armed, with a process waiting? (root cannot) */
  cc = slot();
  uint32_t a = slot(), b2 = slot();
  must(sys_container_create(ROOT, cc, 4), "cc");
  must(sys_obj_alloc(cc, OT_TIMER, a), "t in cc");
  must(sys_obj_alloc(cc, OT_NOTIFICATION, b2), "n in cc");
  T(sys_timer_set(a, b2, now() + ms(2)), E_OK, "arm both in cc");
  T(sys_container_destroy(ROOT, cc), E_OK, "destroy cc");
  spin_ms(4);
  unslot(cc); unslot(a); unslot(b2);
  UTRACE("D9");
  /* arming from a child process whose container is then destroyed */
  for (int variant = 0; variant < 2; variant++) {
    uint64_t uc = usage_of(ROOT);
    cc = slot();
    must(sys_container_create(ROOT, cc, 16), "child container");
    ch.cs = slot(); ch.p = slot(); ch.code = slot();
    must(sys_obj_alloc(cc, OT_CSPACE, ch.cs), "child cspace");
    must(sys_proc_create(cc, ch.cs, ch.p, 0), "child proc");
    must(sys_obj_alloc(cc, OT_FRAME, ch.code), "child code");
    must(sys_map(SLOT_SELF, ch.code, VA_TMP, 3), "map code");
    memcpy((void *)VA_TMP, child_arm_start, (size_t)(child_arm_end - child_arm_start));
    must(sys_unmap(SLOT_SELF, VA_TMP), "unmap");
    must(sys_map(ch.p, ch.code, CHILD_CODE, 5), "map child code");
    must(sys_proc_set_fault(ch.p, fault_ep), "fault ep");
    uint32_t tt = slot();
    if (variant == 0)
      must(sys_obj_alloc(cc, OT_TIMER, tt), "timer in child container");
    else
      must(sys_obj_alloc(ROOT, OT_TIMER, tt), "timer in root container");
    must(sys_cap_copy(tt, ch.p, 5, RIGHTS(0, 1, 0)), "give timer");
    must(sys_cap_mint(n, ch.p, 6, RIGHTS(0, 1, 0), 0x8), "give ntfn");
    d = now() + ms(4);
    must(sys_proc_write_reg(ch.p, REG_PC, CHILD_CODE), "pc");
    must(sys_proc_write_reg(ch.p, 10, 5), "a0");
    must(sys_proc_write_reg(ch.p, 11, 6), "a1");
    must(sys_proc_write_reg(ch.p, 12, d), "a2");
    must(sys_proc_resume(ch.p), "resume");
    struct msg m = sys_recv(fault_ep);
    T(m.err, E_OK, "child reported");
    C(m.label == LABEL_EXIT && m.w[0] == E_OK, "child's timer_set returned E_OK");
    T(sys_container_destroy(ROOT, cc), E_OK, "destroy the child's container while its timer is armed");
    int intime = now() < d;
    if (!intime) printf("  INFO (slow host: the container died after the deadline; fired-or-not not judged)\n");
    uint64_t bb = variant ? gather(n, 0x8, 50) : (spin_until(d + ms(4)), bits_of(n));
    if (variant == 0)
      C(bb == 0 || !intime, "child-container timer never fired");
    else
      C(bb == 0x8, "root-container timer armed by the dead child fired (its object lives)");
    if (variant == 1) sys_obj_free(ROOT, tt);
    unslot(tt); unslot(cc); unslot(ch.cs); unslot(ch.p); unslot(ch.code);
    C(usage_of(ROOT) == uc, "root usage back after the child");
  }
  del_obj(n);
  C(usage_of(ROOT) == u0, "usage back to the start of part D");
}

/* ---- E: the table ---- */
#define NT 66
static uint32_t ts[NT];

static void part_table(void)
{
  printf("== E: TIMERS_MAX\n");
  uint64_t u0 = usage_of(ROOT);
  uint32_t n = new_obj(ROOT, OT_NOTIFICATION);
  uint32_t n2 = new_obj(ROOT, OT_NOTIFICATION);
  for (int i = 0; i < NT; i++) ts[i] = new_obj(ROOT, OT_TIMER);
  C(usage_of(ROOT) == u0 + 2 + NT, "66 timers cost 66 frames");
  uint64_t far = now() + ms(1000) * 100;
  int ok = 1;
  for (int i = 0; i < 64; i++)
    if (sys_timer_set(ts[i], n, far + (uint64_t)i) != E_OK) {
      ok = 0;
      printf("  arm %d failed\n", i);
    }
  C(ok, "64 timers armed");
  T(sys_timer_set(ts[64], n, far), E_NO_MEMORY, "the 65th: E_NO_MEMORY");
  {
    long e = sys_timer_set(ts[64], n, 0);
    uint64_t b = bits_of(n);
    printf("  INFO table full, a 65th with deadline 0 -> %s, bits 0x%lx\n", en(e), (unsigned long)b);
    C((e == E_NO_MEMORY && b == 0) || (e == E_OK && b == 1), "past deadline on a full table: refused without signal, or signalled");
  }
  T(sys_timer_cancel(ts[64]), E_OK, "cancel of the refused one");
  T(sys_timer_set(ts[10], n, far + 1000), E_OK, "re-arming an armed one still works");
  T(sys_timer_set(ts[10], n2, far + 1000), E_OK, "... and again, other ntfn");
  T(sys_timer_set(ts[64], n, far), E_NO_MEMORY, "still full after re-arms (no double count)");
  T(sys_timer_set(ts[11], n, 0), E_OK, "re-arm an armed one in the past");
  C(bits_of(n) == 1, "it fired at once");
  T(sys_timer_set(ts[64], n, far), E_OK, "its row is free: the 65th arms");
  T(sys_timer_set(ts[65], n, far), E_NO_MEMORY, "full again");
  T(sys_timer_cancel(ts[12]), E_OK, "cancel one");
  T(sys_timer_cancel(ts[12]), E_OK, "cancel it twice (no row freed twice)");
  T(sys_timer_set(ts[65], n, far), E_OK, "a row is free");
  T(sys_timer_set(ts[12], n, far), E_NO_MEMORY, "only one row was freed by the double cancel");
  T(sys_obj_free(ROOT, ts[13]), E_OK, "free an armed timer");
  T(sys_timer_set(ts[12], n, DEADLINE_NEVER), E_OK, "its row is free at once (docs)");
  T(sys_timer_set(ts[14], n, DEADLINE_NEVER), E_OK, "re-arm one to NEVER");
  T(sys_timer_set(ts[13], n, far), E_STALE, "the freed timer");
  /* the notification of many rows destroyed: rows remain armed */
  T(sys_obj_free(ROOT, n2), E_OK, "free n2 (one row points at it)");
  {
    uint32_t nn = slot(), tx = slot();
    must(sys_obj_alloc(ROOT, OT_NOTIFICATION, nn), "nn");
    must(sys_obj_alloc(ROOT, OT_TIMER, tx), "tx");
    long e = sys_timer_set(tx, nn, far);
    printf("  INFO table full, n2 dead, one row names it: set of a 67th -> %s\n", en(e));
    T(e, E_NO_MEMORY, "a row on a dead notification is still armed (DEVICES.md: fires into nothing)");
    del_obj(nn); del_obj(tx);
  }
  int cok = 1;
  for (int i = 0; i < NT; i++)
    if (i != 13 && sys_timer_cancel(ts[i]) != E_OK) cok = 0;
  C(cok, "cancel all");
  for (int i = 0; i < NT; i++) {
    if (i != 13) T(sys_obj_free(ROOT, ts[i]), E_OK, "free");
    unslot(ts[i]);
  }
  unslot(n2);
  del_obj(n);
  C(usage_of(ROOT) == u0, "usage back after the table part");
}

/* ---- F: many timers due at the same moment ---- */
static void part_same_moment(void)
{
  printf("== F: 64 timers due at the same moment\n");
  uint64_t u0 = usage_of(ROOT);
  uint32_t n = new_obj(ROOT, OT_NOTIFICATION), n2 = new_obj(ROOT, OT_NOTIFICATION);
  /* 63 timers on n, badge 1<<i (i < 63), one on n2: badged copies are
   * made one at a time and deleted right after arming */
  uint32_t tt[64];
  for (int i = 0; i < 64; i++) tt[i] = new_obj(ROOT, OT_TIMER);
  uint64_t d = now() + ms(20);
  int ok = 1;
  for (int i = 0; i < 64; i++) {
    uint32_t c = slot();
    if (i < 63)
      must(sys_cap_mint(n, SLOT_SELF, c, RIGHTS(0, 1, 0), 1ull << i), "mint");
    else
      must(sys_cap_mint(n2, SLOT_SELF, c, RIGHTS(0, 1, 0), 0x7), "mint");
    if (sys_timer_set(tt[i], c, d) != E_OK) ok = 0;
    unslot(c);
  }
  C(ok, "64 timers armed at the same deadline (badged copies deleted after arming)");
  C(now() < d, "armed before the deadline (else the test proves less)");
  C(bits_of(n) == 0 && bits_of(n2) == 0, "none fired early");
  spin_until(d);
  uint64_t b = gather(n, ~0ull >> 1, 100), b2 = gather(n2, 7, 50);
  printf("  bits on n 0x%lx, on n2 0x%lx\n", (unsigned long)b, (unsigned long)b2);
  C(b == (~0ull >> 1), "all 63 fired, each with its badge");
  C(b2 == 0x7, "the 64th fired");
  /* all rows free again */
  uint64_t far = now() + ms(100000);
  ok = 1;
  for (int i = 0; i < 64; i++)
    if (sys_timer_set(tt[i], n, far) != E_OK) ok = 0;
  C(ok, "all 64 rows free after firing");
  for (int i = 0; i < 64; i++) sys_timer_cancel(tt[i]);
  /* same deadline, in the past: all at once */
  ok = 1;
  for (int i = 0; i < 64; i++)
    if (sys_timer_set(tt[i], n, 5) != E_OK) ok = 0;
  C(ok, "64 past deadlines accepted one after another");
  C(bits_of(n) == 1, "and signalled");
  for (int i = 0; i < 64; i++) del_obj(tt[i]);
  del_obj(n); del_obj(n2);
  C(usage_of(ROOT) == u0, "usage back");
}

/* ---- G: storm ---- */
static void part_storm(void)
{
  printf("== G: storm\n");
  uint64_t u0 = usage_of(ROOT);
  uint32_t n = new_obj(ROOT, OT_NOTIFICATION), n2 = new_obj(ROOT, OT_NOTIFICATION);
  uint32_t t[8];
  for (int i = 0; i < 8; i++) t[i] = new_obj(ROOT, OT_TIMER);
  int ok = 1;
  uint64_t fired = 0;
  for (int k = 0; k < 600; k++) {
    uint32_t tk = t[k % 8];
    uint64_t dl;
    switch (k % 5) {
    case 0: dl = now() + ms(1) / 4; break;     /* may fire during the storm */
    case 1: dl = DEADLINE_NEVER; break;
    case 2: dl = now() + (uint64_t)(k % 7); break;
    case 3: dl = B62 + (uint64_t)k; break;
    default: dl = 0; break;
    }
    if (sys_timer_set(tk, (k & 1) ? n : n2, dl) != E_OK) ok = 0;
    if (k % 11 == 0 && sys_timer_cancel(t[(k + 3) % 8]) != E_OK) ok = 0;
    if (k % 37 == 0) {           /* free and reallocate an armed one */
      uint32_t j = (uint32_t)((k / 37) % 8);
      if (sys_obj_free(ROOT, t[j]) != E_OK) ok = 0;
      sys_cap_delete(t[j]);
      if (sys_obj_alloc(ROOT, OT_TIMER, t[j]) != E_OK) ok = 0;
    }
    if (k % 50 == 0)
      fired |= bits_of(n);
  }
  C(ok, "600 arms, cancels, frees: all E_OK");
  for (int i = 0; i < 8; i++) T(sys_timer_cancel(t[i]), E_OK, "cancel");
  spin_ms(3);
  bits_of(n); bits_of(n2);
  spin_ms(3);
  C(bits_of(n) == 0 && bits_of(n2) == 0, "nothing fires after cancelling all");
  /* the table: all 64 rows free */
  uint32_t many[64];
  int nok = 0;
  for (int i = 0; i < 56; i++) many[i] = new_obj(ROOT, OT_TIMER);
  for (int i = 0; i < 8; i++) nok += sys_timer_set(t[i], n, B62) == E_OK;
  for (int i = 0; i < 56; i++) nok += sys_timer_set(many[i], n, B62) == E_OK;
  C(nok == 64, "64 rows free after the storm");
  for (int i = 0; i < 56; i++) del_obj(many[i]);
  for (int i = 0; i < 8; i++) del_obj(t[i]);
  /* alloc, arm, free: 300 times */
  ok = 1;
  for (int k = 0; k < 300; k++) {
    uint32_t x = slot();
    if (sys_obj_alloc(ROOT, OT_TIMER, x) != E_OK) ok = 0;
    if (sys_timer_set(x, n, (k & 1) ? B62 : now() + 50) != E_OK) ok = 0;
    if (sys_obj_free(ROOT, x) != E_OK) ok = 0;
    unslot(x);
  }
  C(ok, "300 alloc-arm-free rounds");
  uint32_t more[64];
  nok = 0;
  for (int i = 0; i < 64; i++) {
    more[i] = new_obj(ROOT, OT_TIMER);
    nok += sys_timer_set(more[i], n, B62) == E_OK;
  }
  C(nok == 64, "64 rows free after 300 freed-while-armed timers");
  for (int i = 0; i < 64; i++) del_obj(more[i]);
  /* container storm */
  ok = 1;
  for (int k = 0; k < 100; k++) {
    uint32_t cc = slot(), x = slot(), y = slot();
    if (sys_container_create(ROOT, cc, 3) != E_OK) ok = 0;
    if (sys_obj_alloc(cc, OT_TIMER, x) != E_OK) ok = 0;
    if (sys_obj_alloc(cc, OT_NOTIFICATION, y) != E_OK) ok = 0;
    if (sys_timer_set(x, y, (k & 1) ? B62 : now() + 10) != E_OK) ok = 0;
    if (sys_container_destroy(ROOT, cc) != E_OK) ok = 0;
    unslot(cc); unslot(x); unslot(y);
  }
  C(ok, "100 containers with armed timers destroyed");
  del_obj(n); del_obj(n2);
  C(usage_of(ROOT) == u0, "container usage unchanged after the storm");
  (void)fired;
}

/* ---- J: blocking ---- */
static void part_block(void)
{
  printf("== J: blocking waits\n");
  uint32_t n = new_obj(ROOT, OT_NOTIFICATION), t = new_obj(ROOT, OT_TIMER);
  uint64_t d = now() + ms(20);
  T(sleep_until(t, n, d), E_OK, "sleep_until now+20ms (idle system: wfi)");
  C(now() >= d, "woke at or after the deadline");
  uint64_t late = now() - d;
  printf("  INFO woke %lu ticks late\n", (unsigned long)late);
  spin_ms(5);
  C(bits_of(n) == 0, "nothing more arrives after sleep_until (no second firing)");
  /* raw: arm +20ms, block (idle: wfi), then look for a second firing */
  d = now() + ms(20);
  T(sys_timer_set(t, n, d), E_OK, "arm +20ms");
  uint64_t bw = 0;
  T(sys_notify_wait(n, &bw), E_OK, "block on it (idle system)");
  {
    uint64_t at = now();
    printf("  INFO raw idle wait: bits 0x%lx, at deadline%s%ld ticks\n", (unsigned long)bw, at >= d ? "+" : "-",
           (long)(at >= d ? at - d : d - at));
    C(bw == 1 && at >= d, "raw idle wait: woken by the timer after its deadline");
  }
  spin_ms(5);
  C(bits_of(n) == 0, "raw idle wait: no second firing");
  T(sys_timer_set(t, n, now()), E_OK, "raw: arm at now");
  T(sys_notify_wait(n, &bw), E_OK, "raw: wait");
  spin_ms(3);
  C(bits_of(n) == 0, "raw: a past deadline signals exactly once");
  T(sleep_us(t, n, 1), E_OK, "sleep_us 1");
  spin_ms(3);
  C(bits_of(n) == 0, "ulib sleep_us(1) leaves no bit pending on its notification");
  T(sleep_us(t, n, 0), E_OK, "sleep_us 0");
  spin_ms(3);
  C(bits_of(n) == 0, "ulib sleep_us(0) leaves no bit pending on its notification");
  /* the notification wait itself */
  d = now() + ms(5);
  T(sys_timer_set(t, n, d), E_OK, "arm +5ms");
  uint64_t b = 0;
  T(sys_notify_wait(n, &b), E_OK, "block on the notification");
  {
    uint64_t at = now();
    printf("  INFO woken with bits 0x%lx at deadline%s%ld ticks\n", (unsigned long)b, at >= d ? "+" : "-",
           (long)(at >= d ? at - d : d - at));
    C(b == 1 && at >= d, "woken by the timer, after the deadline");
  }
  /* a timer with a past deadline, then wait: must not block */
  T(sys_timer_set(t, n, 0), E_OK, "arm 0");
  T(sys_notify_wait(n, &b), E_OK, "wait returns at once");
  /* re-arm while a far one is armed, then block: the near one wakes me */
  uint32_t t2 = new_obj(ROOT, OT_TIMER);
  T(sys_timer_set(t2, n, DEADLINE_NEVER), E_OK, "NEVER armed on n");
  d = now() + ms(3);
  T(sys_timer_set(t, n, d), E_OK, "near armed on n");
  T(sys_notify_wait(n, &b), E_OK, "woken");
  C(now() >= d, "after the near deadline");
  sys_timer_cancel(t2);
  del_obj(t2); del_obj(t); del_obj(n);
}

/* ---- K: the console server's protocol ---- */
/* a fresh console server (and relay) in its own container, as init does */
struct cons { uint32_t cont, h, ntf, ep, tmp, srv, rel, srv_mem, rel_mem; };
static uint32_t c_uart;
static uint64_t c_kind, c_src;

static int cons_up(struct cons *c)
{
  c->cont = slot(); c->h = slot(); c->ntf = slot(); c->ep = slot(); c->tmp = slot();
  c->srv = slot(); used[c->srv + 1] = used[c->srv + 2] = 1;   /* slot() is first-fit: +1, +2 free */
  c->rel = c->srv + 3; used[c->rel] = used[c->rel + 1] = used[c->rel + 2] = 1;
  c->srv_mem = slot(); c->rel_mem = slot();   /* their memory cspaces (spawn.h) */
  must(sys_container_create(ROOT, c->cont, 120), "console container");
  must(sys_irq_handler_create(CTL, c->cont, c_src, c->h), "handler");
  must(sys_obj_alloc(c->cont, OT_NOTIFICATION, c->ntf), "ntfn");
  must(sys_irq_set_ntfn(c->h, c->ntf), "bind");
  must(sys_obj_alloc(c->cont, OT_ENDPOINT, c->ep), "ep");
  struct capgift sg[4] = { { c->srv, 0, RIGHTS_ALL, 0 }, { c_uart, 1, RIGHTS(1, 1, 0), 0 },
                           { c->h, 2, RIGHTS_ALL, 0 }, { c->ep, 3, RIGHTS(1, 0, 0), 0 } };
  struct capgift rg[3] = { { c->rel, 0, RIGHTS_ALL, 0 }, { c->ntf, 1, RIGHTS(1, 0, 0), 0 },
                           { c->ep, 2, RIGHTS(0, 1, 0), CONS_RELAY_BADGE } };
  struct spawn_req q;
  const char *stage = "";
  memset(&q, 0, sizeof q);
  q.cont = c->cont; q.limit = 48; q.prio = 6; q.slot_cont = c->srv; q.slot_cspace = c->srv + 1; q.slot_proc = c->srv + 2;
  q.slot_tmp = c->tmp; q.slot_mem = c->srv_mem; q.image = console_elf; q.image_size = (uint64_t)(console_elf_end - console_elf);
  q.arg[0] = 's'; q.arg[1] = c_kind; q.fault_ep = fault_ep; q.fault_badge = 's'; q.caps = sg; q.ncaps = 4;
  long e = spawn(&q, &stage);
  if (e == E_OK) {
    q.limit = 40; q.slot_cont = c->rel; q.slot_cspace = c->rel + 1; q.slot_proc = c->rel + 2;
    q.slot_mem = c->rel_mem;
    q.arg[0] = 'r'; q.fault_badge = 'r'; q.caps = rg; q.ncaps = 3;
    e = spawn(&q, &stage);
  }
  if (e != E_OK)
    printf("hostile_time: spawning the console: %s: %s\n", stage, en(e));
  return e == E_OK;
}

static void cons_down(struct cons *c)
{
  T(sys_container_destroy(ROOT, c->cont), E_OK, "destroy the console's container");
  uint32_t ss[] = { c->cont, c->h, c->ntf, c->ep, c->tmp, c->srv, c->srv + 1, c->srv + 2, c->rel, c->rel + 1, c->rel + 2,
                    c->srv_mem, c->rel_mem };
  for (unsigned i = 0; i < sizeof ss / sizeof ss[0]; i++) unslot(ss[i]);
}

static void part_console(uint64_t ndevices)
{
  printf("== K: console server protocol\n");
  uint64_t u0 = usage_of(ROOT);
  for (uint64_t i = 0; i < ndevices && !c_uart; i++) {
    uint64_t k = 0, q = 0;
    if (sys_device_info(DEV0 + i, &k, 0, &q) == E_OK && (k == DEV_UART_NS16550 || k == DEV_UART_SIFIVE) && q != 0) {
      c_uart = (uint32_t)(DEV0 + i);
      c_kind = k;
      c_src = q;
    }
  }
  if (!c_uart) {
    printf("hostile_time: no UART with an interrupt: console part skipped\n");
    return;
  }
  struct cons c;
  struct msg m;
  uint32_t myn = new_obj(ROOT, OT_NOTIFICATION), myt = new_obj(ROOT, OT_TIMER), mye = new_obj(ROOT, OT_ENDPOINT);
  /* K1: malformed requests on one server */
  if (!cons_up(&c)) { nfail++; return; }
  uint32_t cl = mint(c.ep, RIGHTS(0, 1, 1), 0x77), clng = mint(c.ep, RIGHTS(0, 1, 0), 0x78);
  m = sys_call(cl, CONS_WRITE, 6, 'h' | 'i' << 8 | ' ' << 16 | 'K' << 24 | (uint64_t)'!' << 32 | (uint64_t)'\n' << 40, 0, 0, 0);
  T(m.err, E_OK, "write 'hi K!\\n'");
  T(m.w[0], E_OK, "reply E_OK");
  static const uint64_t badn[] = { 0, CONS_CHUNK + 1, 1000, B32 + 1, ~0ull };
  for (unsigned i = 0; i < 5; i++) {
    m = sys_call(cl, CONS_WRITE, badn[i], 0x41, 0, 0, 0);
    T(m.err, E_OK, "call");
    T(m.w[0], E_BAD_ARG, "write with n 0 / 25 / huge: E_BAD_ARG");
  }
  for (unsigned i = 0; i < 5; i++) {
    m = sys_call(cl, CONS_READ, badn[i], 0, 0, 0, 0);
    T(m.w[0], E_BAD_ARG, "read with max 0 / 25 / huge: E_BAD_ARG");
  }
  static const uint64_t badlab[] = { 0, 1, CONS_WRITE - 1, CONS_NOTIFY + 2, B32 + CONS_WRITE, LABEL_EXIT, LABEL_FAULT, ~0ull };
  for (unsigned i = 0; i < sizeof badlab / sizeof badlab[0]; i++) {
    m = sys_call(cl, badlab[i], 1, 0x41, 0, 0, 0);
    T(m.err, E_OK, "call");
    T(m.w[0], E_BAD_ARG, "unknown label: E_BAD_ARG");
  }
  m = sys_call(cl, CONS_IRQ, 0, 0, 0, 0, 0);
  T(m.w[0], E_BAD_ARG, "CONS_IRQ from a client: E_BAD_ARG (relay only)");
  m = sys_call(cl, CONS_READ, CONS_CHUNK, 0, 0, 0, 0);
  T(m.w[0], 0, "read with no input: 0 bytes at once");
  m = sys_call(cl, CONS_NOTIFY, 0, 0, 0, 0, 0);
  C(m.err == E_OK && m.w[0] != E_OK, "notify without a capability refused");
  m = sys_call(clng, CONS_NOTIFY, 0, 0, 0, 0, CAPS1(myn));
  T(m.err, E_NO_RIGHTS, "notify through an endpoint cap without grant");
  for (int k = 0; k < 150; k++) {
    m = sys_call(cl, CONS_NOTIFY, 0, 0, 0, 0, CAPS1(myn));
    if (m.err != E_OK || m.w[0] != E_OK) break;
  }
  T(m.w[0], E_OK, "150 notify registrations in a row");
  int wok = 1;
  for (int k = 0; k < 5000 / 24 + 1; k++) {
    m = sys_call(cl, CONS_WRITE, 24, 0x4242424242424242ull, 0x4242424242424242ull, 0x4242424242424242ull, 0);
    if (m.err != E_OK || m.w[0] != E_OK) wok = 0;
  }
  m = sys_call(cl, CONS_WRITE, 1, '\n', 0, 0, 0);
  C(wok && m.w[0] == E_OK, "5000 bytes without newline accepted");
  char buf[8];
  uint64_t t0 = now();
  long r = cons_read(cl, myn, myt, buf, sizeof buf, 3000);
  T(r, 0, "cons_read with 3 ms timeout, no input: 0");
  C(now() - t0 >= 3 * hz / 1000u, "it waited the timeout (3 ms)");
  unslot(cl); unslot(clng);
  cons_down(&c);
  /* K2..: each on a fresh server: one call carrying capabilities, then
   * another client's CONS_NOTIFY must still work */
  static const struct { uint64_t label, w0, caps; const char *what; int want_refused; } kc[] = {
    { 0x1234, 1, 1, "a wrong label carrying a cap", 0 },
    { CONS_WRITE, 1, 1, "CONS_WRITE carrying a cap", 0 },
    { CONS_READ, 1, 1, "CONS_READ carrying a cap", 0 },
    { CONS_NOTIFY, 0, 2, "CONS_NOTIFY carrying two caps", 0 },
    { CONS_NOTIFY, 0, 3, "CONS_NOTIFY carrying a timer", 1 },
    { CONS_NOTIFY, 0, 4, "CONS_NOTIFY carrying an endpoint", 1 },
    { CONS_WRITE, 99, 1, "a refused CONS_WRITE (n 99) carrying a cap", 0 },
  };
  for (unsigned i = 0; i < sizeof kc / sizeof kc[0]; i++) {
    printf("  -- fresh server: %s\n", kc[i].what);
    if (!cons_up(&c)) { nfail++; return; }
    uint32_t a = mint(c.ep, RIGHTS(0, 1, 1), 0x77), b = mint(c.ep, RIGHTS(0, 1, 1), 0x79);
    uint64_t caps = kc[i].caps == 1 ? CAPS1(mye) : kc[i].caps == 2 ? CAPS2(myn, mye)
                  : kc[i].caps == 3 ? CAPS1(myt) : CAPS1(mye);
    m = sys_call(a, kc[i].label, kc[i].w0, '.', 0, 0, caps);
    printf("  INFO %s -> call %s, w0 %s\n", kc[i].what, en(m.err), en((long)m.w[0]));
    if (kc[i].want_refused)
      C(m.err == E_OK && m.w[0] != E_OK, "notify with a non-notification refused (console.h: a notification capability)");
    m = sys_call(b, CONS_NOTIFY, 0, 0, 0, 0, CAPS1(myn));
    T(m.w[0], E_OK, "another client's CONS_NOTIFY still works afterwards");
    m = sys_call(b, CONS_WRITE, 1, '\n', 0, 0, 0);
    T(m.w[0], E_OK, "the server still answers");
    unslot(a); unslot(b);
    cons_down(&c);
  }
  del_obj(myn); del_obj(myt); del_obj(mye);
  C(usage_of(ROOT) == u0, "root usage back after the console servers");
}

int main(uint64_t first_free, uint64_t ndevices)
{
  first_slot = (uint32_t)first_free;
  sys_debug_expect_refusals(1);
  printf("hostile_time: up, first free slot %lu\n", (unsigned long)first_free);
  /* page tables behind VA_TMP: mine for good, made before counting */
  {
    uint32_t f = slot();
    must(sys_obj_alloc(ROOT, OT_FRAME, f), "f");
    must(sys_map(SLOT_SELF, f, VA_TMP, 3), "map");
    sys_unmap(SLOT_SELF, VA_TMP);
    del_obj(f);
  }
  fault_ep = slot();
  must(sys_obj_alloc(ROOT, OT_ENDPOINT, fault_ep), "fault ep");
  uint64_t u0 = usage_of(ROOT);
  part_clock();
  part_args();
  part_deadlines();
  part_lifetimes();
  part_table();
  part_same_moment();
  part_storm();
  part_block();
  C(usage_of(ROOT) == u0, "root usage unchanged after the timer parts");
  printf("  INFO root usage %lu at start, %lu now\n", (unsigned long)u0, (unsigned long)usage_of(ROOT));
  part_console(ndevices);
  printf("hostile_time: %d passed, %d failed\n", npass, nfail);
  return nfail;
}
