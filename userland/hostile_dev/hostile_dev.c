/* hostile_dev: attacks on SYS_DEVICE_INFO, SYS_IRQ_HANDLER_CREATE,
 * SYS_IRQ_SET_NTFN, SYS_IRQ_ACK and SYS_MAP of device pages, from the
 * public ABI only. Each expectation prints PASS or FAIL. */
#include "ulib.h"
#define EXPECT_NAME "hostile_dev"
#include "expect.h"

_Static_assert(SYS_EXIT == 2 && SYS_YIELD == 1 && SYS_NOTIFY_SIGNAL == 29, "child.S numbers");

extern const char child_touch_start[], child_touch_end[];
extern const char child_wd_start[], child_wd_end[];

#define ROOT 0u
#define CTL ROOT_SLOT_IRQ_CONTROL
#define DEV0 ROOT_SLOT_DEVICE
#define B32 (1ull << 32)
#define B63 (1ull << 63)

#define VA_TMP   0x40000000ul
#define VA_UART  0x41000000ul
#define VA_D1    0x42000000ul
#define VA_D2    0x43000000ul
#define VA_F     0x44000000ul
#define VA_FR    0x45000000ul
#define CHILD_CODE 0x10000ul
#define CHILD_DEV  0x50000000ul

#define WD_BIT    0x80000000ul
#define DRAIN_BIT 0x40000000ul

static uint32_t next_slot;

static uint32_t slot(void)
{
  if (next_slot >= CTL) {
    printf("hostile_dev: out of slots\n");
    exit(99);
  }
  return next_slot++;
}







static uint64_t rtype(uint64_t s)
{
  uint64_t t = 0;
  if (sys_cap_resolve(s, &t, 0, 0) != E_OK)
    return 999;
  return t;
}

/* ---- device description ---- */
static unsigned ndev;
static uint32_t uart_slot = 0, other_slot = 0, test_slot = 0;
static uint64_t uart_kind, uart_pa, uart_irq, max_src;

static volatile uint8_t *uart;    /* mapped at VA_UART */

static void uart_on(void)
{
  if (uart_kind == DEV_UART_NS16550) {
    uart[1] = 0x02;                             /* IER: THRE */
  } else {
    volatile uint32_t *u = (volatile uint32_t *)uart;
    u[2] |= (1u << 16);                          /* txctrl: txcnt 1 */
    u[4] = 1;                                    /* ie: txwm */
  }
}

static void uart_off(void)
{
  if (uart_kind == DEV_UART_NS16550) {
    uart[1] = 0x00;
  } else {
    volatile uint32_t *u = (volatile uint32_t *)uart;
    u[4] = 0;
  }
}

static void uart_putc_direct(char c)
{
  if (uart_kind == DEV_UART_NS16550) {
    while (!(uart[5] & 0x20))
      ;
    uart[0] = (uint8_t)c;
  } else {
    volatile uint32_t *u = (volatile uint32_t *)uart;
    while ((int32_t)u[0] < 0)
      ;
    u[0] = (uint8_t)c;
  }
}

/* ---- children: code copied into a fresh frame ---- */
static uint32_t ep;            /* my fault endpoint for children */

struct child { uint32_t cs, p, code; };

static void make_child(struct child *ch, uint64_t cont, const char *start, const char *end)
{
  ch->cs = slot();
  ch->p = slot();
  ch->code = slot();
  must(sys_obj_alloc(cont, OT_CSPACE, ch->cs), "child cspace");
  must(sys_proc_create(cont, ch->cs, ch->p, 0), "child proc");
  must(sys_obj_alloc(cont, OT_FRAME, ch->code), "child code frame");
  must(sys_map(SLOT_SELF, ch->code, VA_TMP, 3), "map code tmp");
  memcpy((void *)VA_TMP, start, (size_t)(end - start));
  must(sys_unmap(SLOT_SELF, VA_TMP), "unmap code tmp");
  must(sys_map(ch->p, ch->code, CHILD_CODE, 5), "map child code");
  must(sys_proc_set_fault(ch->p, ep), "child fault ep");
}

static void child_regs(struct child *ch, uint64_t a0, uint64_t a1, uint64_t a2)
{
  must(sys_proc_write_reg(ch->p, REG_PC, CHILD_CODE), "pc");
  must(sys_proc_write_reg(ch->p, 10, a0), "a0");
  must(sys_proc_write_reg(ch->p, 11, a1), "a1");
  must(sys_proc_write_reg(ch->p, 12, a2), "a2");
}

/* run a toucher child: returns the message label, *cause, *addr */
static uint64_t touch_in_child(struct child *ch, uint64_t va, uint64_t mode, uint64_t *cause, uint64_t *addr)
{
  child_regs(ch, va, mode, 0);
  must(sys_proc_resume(ch->p), "resume toucher");
  struct msg m = sys_recv(ep);
  must(m.err, "recv from toucher");
  *cause = m.w[0];
  *addr = m.w[1];
  /* leave it waiting for the reply; suspend it so it can be reused */
  sys_proc_suspend(ch->p);
  return m.label;
}

/* watchdog: a child at priority 0 that signals WD_BIT after a spin */
static struct child wd;
static uint32_t wd_next = 10;   /* child slots for notifications */

static uint32_t wd_give(uint32_t n)
{
  uint32_t s = wd_next++;
  must(sys_cap_copy(n, wd.p, s, RIGHTS(0, 1, 0)), "give ntfn to watchdog");
  return s;
}

static uint64_t spin_count = 60000000ul;

/* wait on my notification n (child slot wn) with a timeout */
static uint64_t wait_timeout(uint32_t n, uint32_t wn)
{
  uint64_t bits = 0, extra = 0;
  child_regs(&wd, wn, WD_BIT, spin_count);
  must(sys_proc_resume(wd.p), "resume watchdog");
  long e = sys_notify_wait(n, &bits);
  sys_proc_suspend(wd.p);
  if (e != E_OK) {
    printf("hostile_dev: wait failed %s\n", en(e));
    return 0;
  }
  /* drain whatever else arrived */
  sys_notify_signal(n, DRAIN_BIT);
  sys_notify_wait(n, &extra);
  extra &= ~DRAIN_BIT;
  if (extra)
    printf("  (drained extra bits 0x%lx)\n", (unsigned long)extra);
  return (bits | extra) & ~WD_BIT;
}

static const uint64_t bad_slots[] = { 128, 1023, 1024, 0xFFFFFFFFull, B32 + 5, B63, B32 + 96, B63 + 95, ~0ull };
#define NBAD (sizeof bad_slots / sizeof bad_slots[0])

static void part_device_info(void)
{
  printf("== A: SYS_DEVICE_INFO\n");
  for (unsigned i = 0; i < ndev; i++) {
    uint64_t k = 0, pa = 0, irq = 0;
    long e = sys_device_info(DEV0 + i, &k, &pa, &irq);
    T(e, E_OK, "device_info on each device slot");
    printf("  slot %u: kind %lu pa 0x%lx irq %lu\n", DEV0 + i, (unsigned long)k, (unsigned long)pa, (unsigned long)irq);
    if ((k == DEV_UART_NS16550 || k == DEV_UART_SIFIVE) && !uart_slot) {
      uart_slot = DEV0 + i; uart_kind = k; uart_pa = pa; uart_irq = irq;
    } else if (k == DEV_TEST) {
      test_slot = DEV0 + i;
    } else if (!other_slot && k != DEV_TEST) {
      other_slot = DEV0 + i;
    }
    C(pa % 4096 == 0, "device page address page aligned");
    C(irq == 0 || irq <= max_src, "irq within PLIC sources");
  }
  /* slot past the last device page */
  T(sys_device_info(DEV0 + ndev, 0, 0, 0), ndev + DEV0 < CSPACE_SLOTS ? E_EMPTY : E_BAD_SLOT, "device_info past the last device page");
  for (unsigned i = 0; i < NBAD; i++) {
    struct sysret r = syscall7(SYS_DEVICE_INFO, bad_slots[i], 0x1111, 0x2222, 0x3333, 0, 0, 0);
    T(r.r[0], E_BAD_SLOT, "device_info bad slot value");
    C((r.r[1] == 0 || r.r[1] == 0x1111) && (r.r[2] == 0 || r.r[2] == 0x2222) && (r.r[3] == 0 || r.r[3] == 0x3333),
      "device_info refusal leaks nothing in a1..a3");
  }
  T(sys_device_info(90, 0, 0, 0), E_EMPTY, "device_info empty slot");
  T(sys_device_info(0, 0, 0, 0), E_WRONG_TYPE, "device_info container");
  T(sys_device_info(1, 0, 0, 0), E_WRONG_TYPE, "device_info cspace");
  T(sys_device_info(2, 0, 0, 0), E_WRONG_TYPE, "device_info process");
  T(sys_device_info(CTL, 0, 0, 0), E_WRONG_TYPE, "device_info IRQ control");
  uint32_t fr = slot();
  must(sys_obj_alloc(ROOT, OT_FRAME, fr), "frame");
  T(sys_device_info(fr, 0, 0, 0), E_WRONG_TYPE, "device_info frame");
  must(sys_obj_free(ROOT, fr), "free frame");
  T(sys_device_info(fr, 0, 0, 0), E_STALE, "device_info stale frame");
  must(sys_cap_delete(fr), "delete");

  /* no rights at all, forwarders */
  uint64_t k0, p0, i0, k, p, i;
  must(sys_device_info(uart_slot, &k0, &p0, &i0), "info");
  uint32_t m0 = slot();
  T(sys_cap_mint(uart_slot, SLOT_SELF, m0, 0, 0x77), E_OK, "mint device page with no rights and a badge");
  T(sys_device_info(m0, &k, &p, &i), E_OK, "device_info through a no-rights minted copy");
  C(k == k0 && p == p0 && i == i0, "same answer through the copy");
  uint32_t f[5];
  uint32_t prev = m0;
  for (int j = 0; j < 4; j++) {
    f[j] = slot();
    T(sys_fwd_create(ROOT, prev, f[j]), E_OK, "forwarder to device page");
    prev = f[j];
  }
  T(sys_device_info(f[3], &k, &p, &i), E_OK, "device_info through 4 forwarders");
  C(k == k0 && p == p0 && i == i0, "same answer through 4 forwarders");
  f[4] = slot();
  T(sys_fwd_create(ROOT, f[3], f[4]), E_TOO_DEEP, "5th forwarder refused");
  T(sys_obj_free(ROOT, f[1]), E_OK, "free a middle forwarder");
  T(sys_device_info(f[3], 0, 0, 0), E_STALE, "device_info through dead link");
  T(sys_device_info(m0, 0, 0, 0), E_OK, "device_info direct copy unaffected");
  for (int j = 0; j < 4; j++)
    if (j != 1) sys_obj_free(ROOT, f[j]);
  for (int j = 0; j < 4; j++)
    sys_cap_delete(f[j]);
}

static void part_alloc_free(void)
{
  printf("== B: obj_alloc / obj_free of device objects\n");
  uint64_t u0 = usage_of(ROOT);
  uint32_t d = slot();
  static const uint64_t types[] = { OT_DEVICE, OT_IRQ_CONTROL, OT_IRQ_HANDLER, OT_RETIRED, OT_COUNT, OT_FREE,
                                    OT_CONTAINER, OT_FORWARDER, OT_PROCESS, OT_PAGETABLE, B32 + OT_FRAME,
                                    B63 + OT_NOTIFICATION, B32 + OT_DEVICE, ~0ull };
  for (unsigned j = 0; j < sizeof types / sizeof types[0]; j++) {
    T(sys_obj_alloc(ROOT, types[j], d), E_BAD_ARG, "obj_alloc of a forbidden/wrapped type");
    C(empty(d), "refused obj_alloc left dst empty");
  }
  C(usage_of(ROOT) == u0, "refused obj_allocs charged nothing");

  T(sys_obj_free(ROOT, uart_slot), E_WRONG_TYPE, "obj_free of a device page");
  uint32_t c2 = slot();
  T(sys_cap_copy(uart_slot, SLOT_SELF, c2, RIGHTS(1, 0, 0)), E_OK, "copy device cap read-only");
  T(sys_obj_free(ROOT, c2), E_WRONG_TYPE, "obj_free of a device page via a copy");
  /* child container: type check comes before ownership */
  uint32_t cc = slot();
  must(sys_container_create(ROOT, cc, 10), "container");
  T(sys_obj_free(cc, uart_slot), E_WRONG_TYPE, "obj_free device page from a non-owner container");
  T(sys_container_destroy(ROOT, uart_slot), E_WRONG_TYPE, "container_destroy of a device page");
  T(sys_container_destroy(ROOT, CTL), E_WRONG_TYPE, "container_destroy of the IRQ control");
  T(sys_obj_free(cc, CTL), E_NOT_OWNER, "obj_free IRQ control from a non-owner container");
  must(sys_container_destroy(ROOT, cc), "destroy container");
  sys_cap_delete(cc);
  T(sys_device_info(uart_slot, 0, 0, 0), E_OK, "device page still alive");
  T(sys_device_info(c2, 0, 0, 0), E_OK, "device page copy still alive");
  sys_cap_delete(c2);
  C(usage_of(ROOT) == u0, "usage unchanged after device refusals");
  sys_cap_delete(d);
}

static void part_create(void)
{
  printf("== C: SYS_IRQ_HANDLER_CREATE\n");
  uint64_t u0 = usage_of(ROOT);
  uint32_t h = slot();
  uint64_t src = uart_irq ? uart_irq : 1;
  /* bad ctl slot values */
  for (unsigned i = 0; i < NBAD; i++) {
    T(sys_irq_handler_create(bad_slots[i], ROOT, src, h), E_BAD_SLOT, "create: bad ctl slot");
  }
  T(sys_irq_handler_create(B32 + CTL, ROOT, src, h), E_BAD_SLOT, "create: ctl 2^32+95 not read as 95");
  T(sys_irq_handler_create(89, ROOT, src, h), E_EMPTY, "create: ctl empty");
  T(sys_irq_handler_create(ROOT, ROOT, src, h), E_WRONG_TYPE, "create: ctl is a container");
  T(sys_irq_handler_create(uart_slot, ROOT, src, h), E_WRONG_TYPE, "create: ctl is a device page");
  uint32_t n = slot();
  must(sys_obj_alloc(ROOT, OT_NOTIFICATION, n), "ntfn");
  T(sys_irq_handler_create(n, ROOT, src, h), E_WRONG_TYPE, "create: ctl is a notification");
  uint32_t ro = slot(), wo = slot(), fw = slot();
  T(sys_cap_copy(CTL, SLOT_SELF, ro, RIGHTS(1, 0, 1)), E_OK, "copy ctl without write");
  T(sys_irq_handler_create(ro, ROOT, src, h), E_NO_RIGHTS, "create: ctl without write right");
  T(sys_fwd_create(ROOT, CTL, fw), E_OK, "forwarder to ctl");
  {
    long e = sys_irq_handler_create(fw, ROOT, src, h);
    printf("  INFO create through a forwarder to ctl: %s (MODEL.md: lookup, i.e. E_WRONG_TYPE)\n", en(e));
    T(e, E_WRONG_TYPE, "create: ctl through forwarder (MODEL.md lookup)");
    if (e == E_OK) { sys_obj_free(ROOT, h); sys_cap_delete(h); }
  }
  C(empty(h), "dst still empty after ctl refusals");

  /* bad sources */
  static const uint64_t bad_src[] = { 0, 1023, 1024, 0xFFFFFFFFull, B32 + 5, B32 + 10, B63, B63 + 10, ~0ull };
  for (unsigned i = 0; i < sizeof bad_src / sizeof bad_src[0]; i++) {
    T(sys_irq_handler_create(CTL, ROOT, bad_src[i], h), E_BAD_ARG, "create: bad source");
  }
  T(sys_irq_handler_create(CTL, ROOT, max_src + 1, h), E_BAD_ARG, "create: source max+1");
  /* bad source and bad container: source first */
  T(sys_irq_handler_create(CTL, 200, 0, h), E_BAD_ARG, "create: bad src before bad cont (MODEL order)");
  T(sys_irq_handler_create(CTL, ROOT, B32 + src, h), E_BAD_ARG, "create: src 2^32+uart not read as uart");

  /* bad containers */
  T(sys_irq_handler_create(CTL, 128, src, h), E_BAD_SLOT, "create: cont 128");
  T(sys_irq_handler_create(CTL, B32 + ROOT, src, h), E_BAD_SLOT, "create: cont 2^32+0 not read as 0");
  T(sys_irq_handler_create(CTL, 0xFFFFFFFFull, src, h), E_BAD_SLOT, "create: cont SLOT_SELF");
  T(sys_irq_handler_create(CTL, 88, src, h), E_EMPTY, "create: cont empty");
  T(sys_irq_handler_create(CTL, uart_slot, src, h), E_WRONG_TYPE, "create: cont is a device page");
  T(sys_irq_handler_create(CTL, CTL, src, h), E_WRONG_TYPE, "create: cont is the ctl");
  uint32_t cro = slot(), cfw = slot();
  T(sys_cap_copy(ROOT, SLOT_SELF, cro, RIGHTS(1, 0, 0)), E_OK, "copy root container read-only");
  T(sys_irq_handler_create(CTL, cro, src, h), E_NO_RIGHTS, "create: cont without write");
  T(sys_fwd_create(ROOT, ROOT, cfw), E_OK, "forwarder to container");
  T(sys_irq_handler_create(CTL, cfw, src, h), E_WRONG_TYPE, "create: cont through forwarder");
  /* bad destination */
  T(sys_irq_handler_create(CTL, ROOT, src, 128), E_BAD_SLOT, "create: dst 128");
  T(sys_irq_handler_create(CTL, ROOT, src, 0xFFFFFFFFull), E_BAD_SLOT, "create: dst SLOT_SELF");
  T(sys_irq_handler_create(CTL, ROOT, src, B32 + h), E_BAD_SLOT, "create: dst 2^32+free slot");
  T(sys_irq_handler_create(CTL, ROOT, src, n), E_OCCUPIED, "create: dst occupied");
  /* container at its limit */
  uint32_t lc = slot(), lf = slot();
  must(sys_container_create(ROOT, lc, 1), "limit-1 container");
  must(sys_obj_alloc(lc, OT_FRAME, lf), "fill it");
  T(sys_irq_handler_create(CTL, lc, src, h), E_OVER_LIMIT, "create: container at its limit");
  C(empty(h), "dst still empty after all refusals");
  C(usage_of(ROOT) == u0 + 5, "root usage: only the setup objects charged");  /* n, fw, cfw, lc, lf */

  /* the source is still free after every refusal */
  T(sys_irq_handler_create(CTL, ROOT, src, h), E_OK, "create: valid, source untouched by refusals");
  T(rtype(h), OT_IRQ_HANDLER, "handler cap type");
  uint64_t rr = 0;
  sys_cap_resolve(h, 0, &rr, 0);
  C(rr == RIGHTS_ALL, "handler cap has all rights");
  uint32_t h2 = slot();
  T(sys_irq_handler_create(CTL, ROOT, src, h2), E_IN_USE, "create: second handler for the same source");
  T(sys_irq_handler_create(CTL, 200, src, h2), E_IN_USE, "create: in use reported before bad container");
  T(sys_irq_handler_create(CTL, ROOT, src, h), E_IN_USE, "create: in use before occupied dst");
  /* the write-only ctl copy works */
  T(sys_cap_copy(CTL, SLOT_SELF, wo, RIGHTS(0, 1, 0)), E_OK, "copy ctl write-only");
  T(sys_irq_handler_create(wo, ROOT, max_src, h2), E_OK, "create: highest source via write-only ctl");
  T(sys_obj_free(ROOT, h2), E_OK, "free that handler");
  T(sys_irq_handler_create(wo, ROOT, max_src, h2), E_OCCUPIED, "create into slot holding a stale cap -> occupied");
  sys_cap_delete(h2);
  T(sys_irq_handler_create(wo, ROOT, max_src, h2), E_OK, "create again for the freed source");
  sys_obj_free(ROOT, h2); sys_cap_delete(h2);
  /* a handler paid by a child container dies with it */
  uint32_t cc = slot(), h3 = slot();
  must(sys_container_create(ROOT, cc, 5), "cc");
  T(sys_irq_handler_create(CTL, cc, 1, h3), E_OK, "create from a child container");
  C(usage_of(cc) == 1, "child container charged one frame");
  T(sys_container_destroy(ROOT, cc), E_OK, "destroy the child container");
  T(sys_irq_ack(h3), E_STALE, "handler died with its container");
  T(sys_irq_handler_create(CTL, ROOT, 1, h2), E_OK, "source free again after the container died");
  sys_obj_free(ROOT, h2); sys_cap_delete(h2); sys_cap_delete(h3); sys_cap_delete(cc);
  /* cleanup */
  sys_obj_free(ROOT, lf); sys_container_destroy(ROOT, lc); sys_cap_delete(lf); sys_cap_delete(lc);
  sys_obj_free(ROOT, fw); sys_obj_free(ROOT, cfw);
  sys_cap_delete(fw); sys_cap_delete(cfw); sys_cap_delete(cro); sys_cap_delete(ro); sys_cap_delete(wo);
  sys_obj_free(ROOT, h); sys_cap_delete(h);
  sys_obj_free(ROOT, n); sys_cap_delete(n);
}

static void part_setntfn_ack(void)
{
  printf("== D/E: SYS_IRQ_SET_NTFN and SYS_IRQ_ACK refusals\n");
  uint32_t h = slot(), n = slot(), e = slot();
  must(sys_irq_handler_create(CTL, ROOT, 1, h), "handler");
  must(sys_obj_alloc(ROOT, OT_NOTIFICATION, n), "ntfn");
  must(sys_obj_alloc(ROOT, OT_ENDPOINT, e), "ep");
  for (unsigned i = 0; i < NBAD; i++) {
    T(sys_irq_set_ntfn(bad_slots[i], n), E_BAD_SLOT, "set_ntfn: bad handler slot");
    T(sys_irq_set_ntfn(h, bad_slots[i]), E_BAD_SLOT, "set_ntfn: bad ntfn slot");
    T(sys_irq_ack(bad_slots[i]), E_BAD_SLOT, "ack: bad slot");
  }
  T(sys_irq_set_ntfn(B32 + h, n), E_BAD_SLOT, "set_ntfn: handler 2^32+h");
  T(sys_irq_set_ntfn(h, B32 + n), E_BAD_SLOT, "set_ntfn: ntfn 2^32+n");
  T(sys_irq_ack(B32 + h), E_BAD_SLOT, "ack: 2^32+h");
  T(sys_irq_set_ntfn(87, n), E_EMPTY, "set_ntfn: handler empty");
  T(sys_irq_set_ntfn(h, 87), E_EMPTY, "set_ntfn: ntfn empty");
  T(sys_irq_ack(87), E_EMPTY, "ack: empty");
  T(sys_irq_set_ntfn(CTL, n), E_WRONG_TYPE, "set_ntfn: handler is ctl");
  T(sys_irq_set_ntfn(uart_slot, n), E_WRONG_TYPE, "set_ntfn: handler is device");
  T(sys_irq_set_ntfn(n, n), E_WRONG_TYPE, "set_ntfn: handler is ntfn");
  T(sys_irq_set_ntfn(h, e), E_WRONG_TYPE, "set_ntfn: ntfn is endpoint");
  T(sys_irq_set_ntfn(h, h), E_WRONG_TYPE, "set_ntfn: ntfn is handler");
  T(sys_irq_set_ntfn(h, uart_slot), E_WRONG_TYPE, "set_ntfn: ntfn is device");
  T(sys_irq_ack(CTL), E_WRONG_TYPE, "ack: ctl");
  T(sys_irq_ack(n), E_WRONG_TYPE, "ack: ntfn");
  T(sys_irq_ack(uart_slot), E_WRONG_TYPE, "ack: device");
  uint32_t hro = slot(), nro = slot(), hfw = slot(), nfw = slot();
  must(sys_cap_copy(h, SLOT_SELF, hro, RIGHTS(1, 0, 1)), "h ro");
  must(sys_cap_copy(n, SLOT_SELF, nro, RIGHTS(1, 0, 1)), "n ro");
  T(sys_irq_set_ntfn(hro, n), E_NO_RIGHTS, "set_ntfn: handler without write");
  T(sys_irq_set_ntfn(h, nro), E_NO_RIGHTS, "set_ntfn: ntfn without write");
  T(sys_irq_set_ntfn(87, e), E_EMPTY, "set_ntfn: handler checked before ntfn");
  T(sys_irq_ack(hro), E_NO_RIGHTS, "ack: handler without write (before state)");
  T(sys_irq_ack(h), E_BAD_STATE, "ack: unbound, never signalled");
  T(sys_fwd_create(ROOT, h, hfw), E_OK, "forwarder to handler");
  T(sys_fwd_create(ROOT, n, nfw), E_OK, "forwarder to ntfn");
  T(sys_irq_set_ntfn(hfw, nfw), E_WRONG_TYPE, "set_ntfn: notification through a forwarder refused");
  T(sys_irq_set_ntfn(hfw, n), E_OK, "set_ntfn: handler through a forwarder");
  T(sys_irq_ack(hfw), E_BAD_STATE, "ack: bound, never signalled (through fwd)");
  T(sys_irq_ack(h), E_BAD_STATE, "ack: bound, never signalled");
  T(sys_obj_free(ROOT, hfw), E_OK, "free handler forwarder");
  T(sys_irq_ack(hfw), E_STALE, "ack through dead forwarder");
  T(sys_irq_set_ntfn(hfw, n), E_STALE, "set_ntfn through dead forwarder");
  /* stale notification */
  uint32_t n2 = slot();
  must(sys_obj_alloc(ROOT, OT_NOTIFICATION, n2), "n2");
  must(sys_obj_free(ROOT, n2), "free n2");
  T(sys_irq_set_ntfn(h, n2), E_STALE, "set_ntfn: dead notification");
  /* stale handler */
  T(sys_obj_free(ROOT, h), E_OK, "free handler");
  T(sys_irq_set_ntfn(h, n), E_STALE, "set_ntfn: dead handler");
  T(sys_irq_ack(h), E_STALE, "ack: dead handler");
  T(sys_obj_free(ROOT, h), E_STALE, "free handler twice");
  T(sys_obj_free(ROOT, hro), E_STALE, "free handler through its stale copy");
  sys_obj_free(ROOT, nfw);
  sys_obj_free(ROOT, n); sys_obj_free(ROOT, e);
  uint32_t all[] = { h, n, e, hro, nro, hfw, nfw, n2 };
  for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
    sys_cap_delete(all[i]);
}

static void part_map(void)
{
  printf("== F: SYS_MAP of device pages\n");
  uint32_t d = other_slot;   /* a harmless page for mapping games */
  uint64_t u0 = usage_of(ROOT);
  static const uint64_t xperm[] = { 4, 5, 7 };
  for (unsigned i = 0; i < 3; i++)
    T(sys_map(SLOT_SELF, d, VA_D1, xperm[i]), E_BAD_ARG, "map device page executable");
  static const uint64_t badperm[] = { 0, 8, 2, 6, B32 + 3, B63 + 1, ~0ull };
  for (unsigned i = 0; i < sizeof badperm / sizeof badperm[0]; i++)
    T(sys_map(SLOT_SELF, d, VA_D1, badperm[i]), E_BAD_ARG, "map device page bad perms");
  static const uint64_t badva[] = { 0, 0x800, 0x40000800, 1ull << 38, (1ull << 38) + 0x1000, B63, 0xffffffc010000000ull, ~0ull & ~0xfffull };
  for (unsigned i = 0; i < sizeof badva / sizeof badva[0]; i++)
    T(sys_map(SLOT_SELF, d, badva[i], 1), E_BAD_ARG, "map device page bad va");
  T(sys_unmap(SLOT_SELF, VA_D1), E_NOT_MAPPED, "refused maps mapped nothing");
  /* rights */
  uint32_t ro = slot(), wo = slot(), none = slot();
  must(sys_cap_copy(d, SLOT_SELF, ro, RIGHTS(1, 0, 0)), "ro copy");
  must(sys_cap_copy(d, SLOT_SELF, wo, RIGHTS(0, 1, 0)), "wo copy");
  must(sys_cap_copy(d, SLOT_SELF, none, 0), "none copy");
  T(sys_map(SLOT_SELF, ro, VA_D1, 3), E_NO_RIGHTS, "map RW via read-only cap");
  T(sys_map(SLOT_SELF, wo, VA_D1, 1), E_NO_RIGHTS, "map R via write-only cap");
  T(sys_map(SLOT_SELF, none, VA_D1, 1), E_NO_RIGHTS, "map R via no-rights cap");
  T(sys_map(SLOT_SELF, ro, VA_D1, 5), E_BAD_ARG, "map RX via read-only cap: exec refused first?");
  T(sys_map(SLOT_SELF, B32 + d, VA_D1, 1), E_BAD_SLOT, "map: frame slot 2^32+dev");
  T(sys_map(SLOT_SELF, CTL, VA_D1, 1), E_WRONG_TYPE, "map: the IRQ control");
  T(sys_map(B32 + 2, d, VA_D1, 1), E_BAD_SLOT, "map: proc 2^32+2");
  T(sys_map(d, d, VA_D1, 1), E_WRONG_TYPE, "map: proc is a device page");
  T(sys_unmap(SLOT_SELF, VA_D1), E_NOT_MAPPED, "still nothing mapped");
  C(usage_of(ROOT) == u0, "refused maps charged nothing");
  /* map once, twice */
  T(sys_map(SLOT_SELF, ro, VA_D1, 1), E_OK, "map device page read-only");
  volatile uint32_t *p = (volatile uint32_t *)VA_D1;
  uint32_t v = p[0];
  printf("  read word 0 of device page: 0x%x\n", v);
  T(sys_map(SLOT_SELF, d, VA_D2, 3), E_MAPPED, "map the same page again elsewhere");
  T(sys_map(SLOT_SELF, d, VA_D1, 1), E_MAPPED, "map the same page again at the same va");
  T(sys_map(SLOT_SELF, uart_slot, VA_D1, 1), E_MAPPED, "map another device page over it");
  uint32_t fr = slot();
  must(sys_obj_alloc(ROOT, OT_FRAME, fr), "frame");
  T(sys_map(SLOT_SELF, fr, VA_D1, 3), E_MAPPED, "map a frame over a device page");
  T(sys_map(SLOT_SELF, fr, VA_FR, 3), E_OK, "map the frame elsewhere");
  T(sys_map(SLOT_SELF, d, VA_FR, 1), E_MAPPED, "map a device page over a frame");
  /* device page as a syscall buffer */
  T(sys_debug_write((const char *)VA_D1, 1), E_FAULT, "debug_write from a device page");
  T(sys_debug_write((const char *)VA_D1 + 100, 16), E_FAULT, "debug_write from inside a device page");
  /* a buffer straddling a frame and a device page: map the frame right before */
  T(sys_unmap(SLOT_SELF, VA_FR), E_OK, "unmap frame");
  T(sys_map(SLOT_SELF, fr, VA_D1 - 0x1000, 3), E_OK, "map frame just below the device page");
  memcpy((void *)(VA_D1 - 8), "STRADDLE", 8);
  T(sys_debug_write((const char *)(VA_D1 - 8), 16), E_FAULT, "debug_write straddling frame->device page");
  T(sys_debug_write((const char *)(VA_D1 - 8), 8), E_OK, "debug_write of the frame part only (prints STRADDLE)");
  printf("\n");
  T(sys_unmap(SLOT_SELF, VA_D1 - 0x1000), E_OK, "unmap frame");
  sys_obj_free(ROOT, fr); sys_cap_delete(fr);
  T(sys_unmap(SLOT_SELF, VA_D1), E_OK, "unmap device page");
  T(sys_unmap(SLOT_SELF, VA_D1), E_NOT_MAPPED, "unmap again");
  T(sys_map(SLOT_SELF, d, VA_D2, 3), E_OK, "map device page RW again after unmap");
  T(sys_unmap(SLOT_SELF, VA_D2), E_OK, "unmap");

  /* forwarder: map through it, revoke it */
  uint32_t fw = slot();
  T(sys_fwd_create(ROOT, d, fw), E_OK, "forwarder to device page");
  T(sys_map(SLOT_SELF, fw, VA_F, 5), E_BAD_ARG, "map exec through forwarder");
  T(sys_map(SLOT_SELF, fw, VA_F, 3), E_OK, "map through forwarder");
  T(sys_map(SLOT_SELF, d, VA_D2, 1), E_MAPPED, "direct map while mapped through forwarder");
  T(sys_obj_free(ROOT, fw), E_OK, "revoke (free) the forwarder");
  T(sys_unmap(SLOT_SELF, VA_F), E_NOT_MAPPED, "mapping gone with the forwarder");
  T(sys_map(SLOT_SELF, d, VA_D2, 1), E_OK, "device page mappable again after revocation");
  T(sys_unmap(SLOT_SELF, VA_D2), E_OK, "unmap");
  sys_cap_delete(fw);
  /* forwarder chain with reduced rights */
  uint32_t fw2 = slot();
  T(sys_fwd_create(ROOT, ro, fw2), E_OK, "forwarder to read-only device cap");
  T(sys_map(SLOT_SELF, fw2, VA_F, 3), E_NO_RIGHTS, "map RW through forwarder to read-only cap");
  sys_obj_free(ROOT, fw2); sys_cap_delete(fw2);
  sys_cap_delete(ro); sys_cap_delete(wo); sys_cap_delete(none);
  C(usage_of(ROOT) >= u0, "usage sane");
}

static void part_map_children(void)
{
  printf("== F2: device pages in a child: read-only enforcement, revoked forwarder\n");
  uint32_t d = other_slot;
  struct child t;
  make_child(&t, ROOT, child_touch_start, child_touch_end);
  uint64_t cause = 0, addr = 0, label;
  uint32_t ro = slot();
  must(sys_cap_copy(d, SLOT_SELF, ro, RIGHTS(1, 0, 0)), "ro copy");
  T(sys_map(t.p, ro, CHILD_DEV, 1), E_OK, "map device page read-only into the child");
  T(sys_map(SLOT_SELF, d, VA_D1, 1), E_MAPPED, "cannot map it in the parent too");
  label = touch_in_child(&t, CHILD_DEV, 0, &cause, &addr);
  C(label == LABEL_EXIT, "child reads the read-only device page fine");
  label = touch_in_child(&t, CHILD_DEV, 0x41, &cause, &addr);
  C(label == LABEL_FAULT && cause == 15 && addr == CHILD_DEV, "child's store to a read-only device mapping faults (cause 15)");
  printf("  label 0x%lx cause %lu addr 0x%lx\n", (unsigned long)label, (unsigned long)cause, (unsigned long)addr);
  T(sys_unmap(t.p, CHILD_DEV), E_OK, "unmap from child");
  /* through a forwarder, then revoke */
  uint32_t fw = slot();
  must(sys_fwd_create(ROOT, d, fw), "fwd");
  T(sys_map(t.p, fw, CHILD_DEV, 3), E_OK, "map device page RW into child through forwarder");
  label = touch_in_child(&t, CHILD_DEV, 0, &cause, &addr);
  C(label == LABEL_EXIT, "child reads through the forwarder mapping");
  T(sys_obj_free(ROOT, fw), E_OK, "revoke the forwarder");
  label = touch_in_child(&t, CHILD_DEV, 0, &cause, &addr);
  C(label == LABEL_FAULT && cause == 13 && addr == CHILD_DEV, "child's load after revocation faults (cause 13)");
  printf("  label 0x%lx cause %lu addr 0x%lx\n", (unsigned long)label, (unsigned long)cause, (unsigned long)addr);
  label = touch_in_child(&t, CHILD_DEV, 0x41, &cause, &addr);
  C(label == LABEL_FAULT && cause == 15 && addr == CHILD_DEV, "child's store after revocation faults (cause 15)");
  sys_cap_delete(fw);
  /* a process whose container is at its limit: the map is refused whole */
  uint32_t lc = slot(), lcs = slot(), lp = slot();
  must(sys_container_create(ROOT, lc, 2), "lc");
  must(sys_obj_alloc(lc, OT_CSPACE, lcs), "lcs");
  must(sys_proc_create(lc, lcs, lp, 0), "lp");
  T(sys_map(lp, d, CHILD_DEV, 3), E_OVER_LIMIT, "map into a process whose container is full");
  T(sys_map(SLOT_SELF, d, VA_D1, 3), E_OK, "device page still unmapped after the refused map");
  sys_unmap(SLOT_SELF, VA_D1);
  /* process capability without the write right */
  uint32_t pro = slot();
  must(sys_cap_copy(t.p, SLOT_SELF, pro, RIGHTS(1, 0, 0)), "proc ro");
  T(sys_map(pro, d, CHILD_DEV, 1), E_NO_RIGHTS, "map into a process via read-only process cap");
  sys_container_destroy(ROOT, lc);
  sys_cap_delete(lc); sys_cap_delete(lcs); sys_cap_delete(lp); sys_cap_delete(pro);
  /* the child dies while holding a device mapping: the page must be free again */
  T(sys_map(t.p, d, CHILD_DEV, 1), E_OK, "map into child again");
  T(sys_obj_free(ROOT, t.p), E_OK, "free the child process");
  T(sys_map(SLOT_SELF, d, VA_D1, 1), E_OK, "device page mappable again after its mapper died");
  sys_unmap(SLOT_SELF, VA_D1);
  sys_obj_free(ROOT, t.cs); sys_obj_free(ROOT, t.code);
  sys_cap_delete(t.p); sys_cap_delete(t.cs); sys_cap_delete(t.code); sys_cap_delete(ro);
}

/* after uart_off: ack what is held, then take and ack any interrupt the
 * PLIC still had latched, until quiet; returns how many came after the ack */
static int settle(uint32_t h, uint32_t n, uint32_t wn)
{
  int spur = 0;
  sys_irq_ack(h);
  for (;;) {
    uint64_t b = wait_timeout(n, wn);
    if (!b || spur >= 6)
      break;
    spur++;
    sys_irq_ack(h);
  }
  if (spur)
    printf("  (settle: %d interrupt(s) after quieting)\n", spur);
  C(spur < 6, "source settles after quieting");
  return spur;
}

static void part_irq(void)
{
  printf("== G: interrupts from the UART (source %lu)\n", (unsigned long)uart_irq);
  T(sys_map(SLOT_SELF, uart_slot, VA_UART, 3), E_OK, "map the UART page RW");
  uart = (volatile uint8_t *)VA_UART;
  const char *s = "[written to the UART directly from user mode]\n";
  while (*s)
    uart_putc_direct(*s++);

  make_child(&wd, ROOT, child_wd_start, child_wd_end);
  uint32_t n = slot();
  must(sys_obj_alloc(ROOT, OT_NOTIFICATION, n), "n");
  uint32_t wn = wd_give(n);
  uint64_t b = wait_timeout(n, wn);
  C(b == 0, "watchdog alone gives only its bit");

  uint32_t h = slot();
  T(sys_irq_handler_create(CTL, ROOT, uart_irq, h), E_OK, "handler for the UART source");
  T(sys_irq_ack(h), E_BAD_STATE, "ack unbound");
  uart_on();
  b = wait_timeout(n, wn);
  C(b == 0, "no interrupt delivered to an unbound handler's source");
  T(sys_irq_ack(h), E_BAD_STATE, "ack unbound while device asserts");
  uart_off();
  T(sys_irq_set_ntfn(h, n), E_OK, "bind");
  T(sys_irq_ack(h), E_BAD_STATE, "ack bound but never signalled");
  b = wait_timeout(n, wn);
  C(b == 0, "bound, device quiet: no interrupt");

  /* the double-ack, silent: no console output between the interrupt and
   * the acks (the kernel's own console lines go to this UART) */
  {
    uint64_t bits = 0;
    long e1, e2, e3;
    uart_on();
    e1 = sys_notify_wait(n, &bits);
    uart_off();
    e2 = sys_irq_ack(h);
    e3 = sys_irq_ack(h);
    T(e1, E_OK, "silent: wait");
    C(bits == 1, "silent: interrupt arrives as bit 0 (badge 0)");
    T(e2, E_OK, "silent: quiet, then ack");
    T(e3, E_BAD_STATE, "silent: second ack (nothing printed in between)");
    b = wait_timeout(n, wn);
    C(b == 0, "silent: quiet afterwards");
    if (b) settle(h, n, wn);
  }
  /* the same with console output while the claim is held */
  {
    uint64_t bits = 0;
    long e2, e3;
    uart_on();
    sys_notify_wait(n, &bits);
    printf("  (console output while the claim is held, device asserting)\n");
    uart_off();
    e2 = sys_irq_ack(h);
    e3 = sys_irq_ack(h);
    T(e2, E_OK, "noisy: quiet, then ack");
    printf("  INFO noisy: second ack -> %s (E_OK means the PLIC latched a request raised during the claim)\n", en(e3));
    b = wait_timeout(n, wn);
    printf("  INFO noisy: bits after 0x%lx\n", (unsigned long)b);
    if (b || e3 == E_OK) settle(h, n, wn);
  }

  uart_on();
  b = wait_timeout(n, wn);
  C(b == 1, "interrupt");
  b = wait_timeout(n, wn);
  C(b == 0, "no second interrupt before the ack (claim masks)");
  uint32_t hro = slot();
  must(sys_cap_copy(h, SLOT_SELF, hro, RIGHTS(1, 0, 1)), "hro");
  T(sys_irq_ack(hro), E_NO_RIGHTS, "ack via read-only handler cap while pending");
  /* ack without quieting: it fires again */
  T(sys_irq_ack(h), E_OK, "ack with the device still asserting");
  b = wait_timeout(n, wn);
  C(b == 1, "level source interrupts again after ack");
  T(sys_irq_ack(h), E_OK, "ack of the re-interrupt (device still asserting)");
  b = wait_timeout(n, wn);
  C(b == 1, "and again");
  uart_off();
  settle(h, n, wn);
  T(sys_irq_ack(h), E_BAD_STATE, "ack when settled");

  /* badge */
  uint32_t nb = slot();
  must(sys_cap_mint(n, SLOT_SELF, nb, RIGHTS(1, 1, 0), 0x40), "mint badge");
  T(sys_irq_set_ntfn(h, nb), E_OK, "rebind with badge 0x40");
  uart_on();
  b = wait_timeout(n, wn);
  C(b == 0x40, "interrupt arrives with the binding's badge");
  printf("  bits 0x%lx\n", (unsigned long)b);
  uart_off();
  settle(h, n, wn);

  /* binding through a forwarder: refused, since it would outlive the
   * forwarder's revocation (found by this program; docs/DEVICES.md) */
  uint32_t nfw = slot();
  must(sys_fwd_create(ROOT, n, nfw), "nfw");
  T(sys_irq_set_ntfn(h, nfw), E_WRONG_TYPE, "bind through a forwarder refused");
  T(sys_obj_free(ROOT, nfw), E_OK, "revoke the forwarder");
  uart_on();
  b = wait_timeout(n, wn);
  C(b == 0x40, "the refused bind left the binding as it was (badge 0x40)");
  uart_off();
  settle(h, n, wn);
  sys_cap_delete(nfw);

  /* dead notification */
  uint32_t n2 = slot();
  must(sys_obj_alloc(ROOT, OT_NOTIFICATION, n2), "n2");
  T(sys_irq_set_ntfn(h, n2), E_OK, "bind to n2");
  T(sys_obj_free(ROOT, n2), E_OK, "free n2");
  uart_on();
  for (int i = 0; i < 50; i++)
    sys_yield();
  b = wait_timeout(n, wn);
  C(b == 0, "nothing delivered for a dead notification (and no storm)");
  T(sys_irq_ack(h), E_BAD_STATE, "ack after an interrupt for a dead notification");
  T(sys_irq_set_ntfn(h, n2), E_STALE, "rebind to the dead notification refused");
  T(sys_irq_set_ntfn(h, n), E_OK, "rebind to a live notification");
  b = wait_timeout(n, wn);
  C(b == 1, "source re-enabled by the rebind, interrupt delivered");
  uart_off();
  settle(h, n, wn);

  /* pending, then the notification dies, then the same handler rebinds */
  uint32_t n3 = slot();
  must(sys_obj_alloc(ROOT, OT_NOTIFICATION, n3), "n3");
  uint32_t wn3 = wd_give(n3);
  T(sys_irq_set_ntfn(h, n3), E_OK, "bind to n3");
  uart_on();
  b = wait_timeout(n3, wn3);
  C(b == 1, "interrupt on n3");
  T(sys_obj_free(ROOT, n3), E_OK, "free n3 while the interrupt is unacknowledged");
  T(sys_irq_set_ntfn(h, n), E_OK, "same handler rebinds to n");
  b = wait_timeout(n, wn);
  C(b == 0, "no interrupt before the ack (claim still held)");
  T(sys_irq_ack(h), E_OK, "ack of the interrupt taken before the notification died");
  b = wait_timeout(n, wn);
  C(b == 1, "after rebind + ack the still-asserting source interrupts again");
  uart_off();
  settle(h, n, wn);

  /* free the handler while an interrupt is pending */
  uart_on();
  b = wait_timeout(n, wn);
  C(b == 1, "interrupt pending on h");
  T(sys_obj_free(ROOT, h), E_OK, "free the handler while pending");
  T(sys_irq_ack(h), E_STALE, "ack on the dead handler");
  T(sys_irq_ack(hro), E_STALE, "ack on a copy of the dead handler");
  uint32_t h2 = slot();
  T(sys_irq_handler_create(CTL, ROOT, uart_irq, h2), E_OK, "new handler for the same source");
  T(sys_irq_ack(h2), E_BAD_STATE, "new handler holds no interrupt");
  T(sys_irq_set_ntfn(h2, n), E_OK, "bind the new handler");
  b = wait_timeout(n, wn);
  C(b == 1, "new handler gets interrupts (old claim completed)");
  uart_off();
  settle(h2, n, wn);

  /* container destroyed while pending */
  T(sys_obj_free(ROOT, h2), E_OK, "free h2");
  uint32_t cc = slot(), h3 = slot();
  must(sys_container_create(ROOT, cc, 4), "cc");
  T(sys_irq_handler_create(CTL, cc, uart_irq, h3), E_OK, "handler from a child container");
  T(sys_irq_set_ntfn(h3, n), E_OK, "bind");
  uart_on();
  b = wait_timeout(n, wn);
  C(b == 1, "interrupt on h3");
  T(sys_container_destroy(ROOT, cc), E_OK, "destroy its container while pending");
  uint32_t h4 = slot();
  T(sys_irq_handler_create(CTL, ROOT, uart_irq, h4), E_OK, "new handler after the container died");
  T(sys_irq_set_ntfn(h4, n), E_OK, "bind");
  b = wait_timeout(n, wn);
  C(b == 1, "interrupts again");
  uart_off();
  settle(h4, n, wn);

  /* ack through a forwarder to the handler */
  uint32_t hfw = slot();
  must(sys_fwd_create(ROOT, h4, hfw), "hfw");
  uart_on();
  b = wait_timeout(n, wn);
  C(b == 1, "interrupt");
  uart_off();
  {
    long e1 = sys_irq_ack(hfw), e2 = sys_irq_ack(hfw);
    T(e1, E_OK, "ack through a forwarder");
    printf("  INFO second ack through a forwarder: %s\n", en(e2));
  }
  settle(h4, n, wn);
  T(sys_irq_ack(hfw), E_BAD_STATE, "ack through a forwarder when settled");

  /* free the bound handler (no interrupt held), with the source asserting: it must stay quiet */
  T(sys_obj_free(ROOT, h4), E_OK, "free h4");
  uart_on();
  for (int i = 0; i < 20; i++)
    sys_yield();
  b = wait_timeout(n, wn);
  C(b == 0, "a dead handler's notification gets nothing");
  /* a new handler binding takes over: the source fires for it */
  uint32_t h5 = slot();
  T(sys_irq_handler_create(CTL, ROOT, uart_irq, h5), E_OK, "h5");
  T(sys_irq_set_ntfn(h5, n), E_OK, "bind h5 with the device asserting");
  b = wait_timeout(n, wn);
  C(b == 1, "h5 gets the interrupt");
  uart_off();
  settle(h5, n, wn);
  sys_obj_free(ROOT, h5);
  sys_obj_free(ROOT, hfw);
  uint32_t all[] = { hfw, h, h2, h3, h4, h5, cc, hro, n2, n3, nb };
  for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
    sys_cap_delete(all[i]);
  T(sys_unmap(SLOT_SELF, VA_UART), E_OK, "unmap the UART");
}

static void part_misc(void)
{
  printf("== I: device pages elsewhere, extreme addresses, memory exhaustion\n");
  uint32_t d = other_slot, x = slot();
  T(sys_proc_create(ROOT, d, x, 0), E_WRONG_TYPE, "device page as a process's cspace");
  T(sys_container_create(d, x, 1), E_WRONG_TYPE, "device page as a parent container");
  T(sys_fwd_create(d, uart_slot, x), E_WRONG_TYPE, "device page as fwd_create's container");
  T(sys_notify_signal(d, 1), E_WRONG_TYPE, "notify_signal on a device page");
  T(sys_send(d, 1, 0, 0, 0, 0, 0), E_WRONG_TYPE, "send on a device page");
  T(sys_proc_set_fault(2, d), E_WRONG_TYPE, "device page as a fault endpoint");
  T(sys_proc_resume(d), E_WRONG_TYPE, "resume a device page");
  T(sys_notify_signal(CTL, 1), E_WRONG_TYPE, "notify_signal on the ctl");
  C(empty(x), "nothing made");
  T(sys_map(SLOT_SELF, d, 0x1000, 1), E_OK, "map device page at the lowest address 0x1000");
  T(sys_unmap(SLOT_SELF, 0x1000), E_OK, "unmap");
  T(sys_map(SLOT_SELF, d, (1ull << 38) - 0x1000, 3), E_OK, "map device page at the highest address 2^38-4K");
  {
    volatile uint32_t *p = (volatile uint32_t *)((1ull << 38) - 0x1000);
    printf("  read at 2^38-4K: 0x%x\n", p[0]);
  }
  T(sys_unmap(SLOT_SELF, (1ull << 38) - 0x1000), E_OK, "unmap");
  /* a source QEMU's device tree claims but its PLIC may not have */
  uint32_t h = slot(), n = slot();
  must(sys_obj_alloc(ROOT, OT_NOTIFICATION, n), "n");
  T(sys_irq_handler_create(CTL, ROOT, max_src, h), E_OK, "handler for the highest source");
  T(sys_irq_set_ntfn(h, n), E_OK, "bind it (enables it at the PLIC)");
  T(sys_irq_ack(h), E_BAD_STATE, "ack it");
  sys_obj_free(ROOT, h); sys_cap_delete(h);
  /* every source at once */
  uint32_t hs = slot(), hc = slot();
  must(sys_container_create(ROOT, hc, 200), "handler container");
  int ok = 0;
  for (uint64_t s2 = 1; s2 <= max_src; s2++) {
    if (sys_irq_handler_create(CTL, hc, s2, hs) == E_OK && sys_irq_set_ntfn(hs, n) == E_OK)
      ok++;
    sys_cap_delete(hs);   /* the handler lives on, its cap gone */
  }
  printf("  bound %d sources to one notification (handlers kept, caps deleted)\n", ok);
  C(ok == (int)max_src, "every source could be taken and bound");
  for (int i = 0; i < 20; i++) sys_yield();
  T(sys_irq_handler_create(CTL, ROOT, 1, hs), E_IN_USE, "sources stay taken without a capability");
  T(sys_obj_free(ROOT, n), E_OK, "free the notification they are bound to");
  for (int i = 0; i < 20; i++) sys_yield();
  T(sys_irq_handler_create(CTL, ROOT, 1, hs), E_IN_USE, "still in use (handlers alive)");
  T(sys_container_destroy(ROOT, hc), E_OK, "destroy their container");
  T(sys_irq_handler_create(CTL, ROOT, 1, hs), E_OK, "source free again");
  sys_obj_free(ROOT, hs); sys_cap_delete(hs); sys_cap_delete(hc);
  sys_cap_delete(n);

  /* memory exhaustion: fill RAM from a child container */
  uint32_t big = slot(), f = slot(), h2 = slot();
  uint64_t lim = 0, use = 0;
  must(sys_container_info(ROOT, &lim, &use), "info");
  must(sys_container_create(ROOT, big, lim), "big container");
  long e = E_OK;
  unsigned long cnt = 0;
  while ((e = sys_obj_alloc(big, OT_FRAME, f)) == E_OK) {
    sys_cap_delete(f);
    cnt++;
  }
  printf("  filled memory: %lu frames, then %s\n", cnt, en(e));
  uint64_t ub = usage_of(ROOT);
  T(sys_irq_handler_create(CTL, ROOT, max_src, h2), E_OVER_LIMIT, "create with RAM full (root limit = all frames)");
  T(sys_irq_handler_create(CTL, big, max_src, h2), E_OVER_LIMIT, "create with RAM full (child container)");
  C(empty(h2) && usage_of(ROOT) == ub, "nothing changed");
  T(sys_map(SLOT_SELF, d, 0x7000000000ul - 0x1000, 1) , E_BAD_ARG, "va above 2^38 still E_BAD_ARG first");
  T(sys_map(SLOT_SELF, d, 0x3000000000ul, 1), E_OVER_LIMIT, "map a device page needing page tables, RAM full");
  T(sys_container_destroy(ROOT, big), E_OK, "give the memory back");
  T(sys_map(SLOT_SELF, d, 0x3000000000ul, 1), E_OK, "device page was not marked mapped by the refused map");
  sys_unmap(SLOT_SELF, 0x3000000000ul);
  T(sys_irq_handler_create(CTL, ROOT, max_src, h2), E_OK, "source not taken by the refused creates");
  sys_obj_free(ROOT, h2); sys_cap_delete(h2);
  sys_cap_delete(big); sys_cap_delete(x);
}

#ifdef HANG_TEST
/* take an interrupt, never ack it, wait again: nothing can wake me */
static void part_hang(void)
{
  uint32_t h = slot(), n = slot();
  must(sys_obj_alloc(ROOT, OT_NOTIFICATION, n), "n");
  must(sys_irq_handler_create(CTL, ROOT, uart_irq, h), "h");
  must(sys_irq_set_ntfn(h, n), "bind");
  must(sys_map(SLOT_SELF, uart_slot, VA_UART, 3), "map uart");
  uart = (volatile uint8_t *)VA_UART;
  uint64_t bits;
  uart_on();
  sys_notify_wait(n, &bits);
  uart_off();
  printf("hang test: got 0x%lx, now waiting again without the ack\n", (unsigned long)bits);
  sys_notify_wait(n, &bits);
  printf("hang test: woke with 0x%lx\n", (unsigned long)bits);
}
#endif

static void part_regs(void)
{
  printf("== J: result registers, ack after the notification died\n");
  uint32_t h = slot(), n = slot();
  must(sys_obj_alloc(ROOT, OT_NOTIFICATION, n), "n");
  struct sysret r = syscall7(SYS_IRQ_HANDLER_CREATE, CTL, ROOT, 3, h, 0x4444, 0x5555, 0x6666);
  T(r.r[0], E_OK, "create (raw)");
  printf("  create: a1..a7 = %lx %lx %lx %lx %lx %lx %lx\n", (unsigned long)r.r[1], (unsigned long)r.r[2],
         (unsigned long)r.r[3], (unsigned long)r.r[4], (unsigned long)r.r[5], (unsigned long)r.r[6], (unsigned long)r.r[7]);
  r = syscall7(SYS_IRQ_SET_NTFN, h, n, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777);
  T(r.r[0], E_OK, "set_ntfn (raw)");
  printf("  set_ntfn: a1..a7 = %lx %lx %lx %lx %lx %lx %lx\n", (unsigned long)r.r[1], (unsigned long)r.r[2],
         (unsigned long)r.r[3], (unsigned long)r.r[4], (unsigned long)r.r[5], (unsigned long)r.r[6], (unsigned long)r.r[7]);
  r = syscall7(SYS_IRQ_ACK, h, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777);
  T(r.r[0], E_BAD_STATE, "ack (raw)");
  printf("  ack refused: a1..a7 = %lx %lx %lx %lx %lx %lx %lx\n", (unsigned long)r.r[1], (unsigned long)r.r[2],
         (unsigned long)r.r[3], (unsigned long)r.r[4], (unsigned long)r.r[5], (unsigned long)r.r[6], (unsigned long)r.r[7]);
  r = syscall7(SYS_DEVICE_INFO, uart_slot, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777);
  printf("  device_info: a1..a7 = %lx %lx %lx %lx %lx %lx %lx\n", (unsigned long)r.r[1], (unsigned long)r.r[2],
         (unsigned long)r.r[3], (unsigned long)r.r[4], (unsigned long)r.r[5], (unsigned long)r.r[6], (unsigned long)r.r[7]);
  sys_obj_free(ROOT, h); sys_cap_delete(h);

  /* an interrupt held, the notification dies, the handler acks without rebinding */
  T(sys_map(SLOT_SELF, uart_slot, VA_UART, 3), E_OK, "map the UART");
  uint32_t n4 = slot();
  must(sys_obj_alloc(ROOT, OT_NOTIFICATION, n4), "n4");
  uint32_t wn4 = wd_give(n4), wn = wd_give(n);
  T(sys_irq_handler_create(CTL, ROOT, uart_irq, h), E_OK, "handler");
  T(sys_irq_set_ntfn(h, n4), E_OK, "bind to n4");
  uart_on();
  uint64_t b = wait_timeout(n4, wn4);
  C(b == 1, "interrupt on n4");
  T(sys_obj_free(ROOT, n4), E_OK, "free n4 with the interrupt held");
  {
    long e = sys_irq_ack(h);
    printf("  INFO ack of a handler bound to a dead notification, interrupt held: %s\n", en(e));
  }
  for (int i = 0; i < 20; i++) sys_yield();   /* the device still asserts: the source is dropped */
  T(sys_irq_ack(h), E_BAD_STATE, "nothing held afterwards");
  T(sys_irq_set_ntfn(h, n), E_OK, "rebind to a live notification");
  b = wait_timeout(n, wn);
  C(b == 1, "rebind re-enables the dropped source");
  uart_off();
  settle(h, n, wn);
  sys_obj_free(ROOT, h); sys_cap_delete(h); sys_obj_free(ROOT, n); sys_cap_delete(n); sys_cap_delete(n4);
  T(sys_unmap(SLOT_SELF, VA_UART), E_OK, "unmap the UART");
}

static void part_ctl_free(void)
{
  printf("== H: freeing the IRQ control\n");
  uint32_t h = slot();
  must(sys_irq_handler_create(CTL, ROOT, 1, h), "handler before");
  uint64_t u0 = usage_of(ROOT);
  long e = sys_obj_free(ROOT, CTL);
  printf("  INFO obj_free(root, IRQ control) -> %s (MODEL.md admits it; DEVICES.md silent)\n", en(e));
  if (e == E_OK) {
    C(usage_of(ROOT) == u0 - 1, "usage dropped by one");
    uint32_t hx = slot();
    T(sys_irq_handler_create(CTL, ROOT, 2, hx), E_STALE, "create with the freed control");
    C(empty(hx), "dst empty");
    T(sys_irq_set_ntfn(h, 87), E_EMPTY, "existing handler still usable (set_ntfn reaches ntfn check)");
    T(sys_irq_ack(h), E_BAD_STATE, "existing handler still alive");
    uint32_t f = slot();
    T(sys_obj_alloc(ROOT, OT_FRAME, f), E_OK, "alloc a frame (may reuse the control's frame)");
    T(sys_irq_handler_create(CTL, ROOT, 2, slot()), E_STALE, "control stays stale after its frame is reused");
  }
  T(sys_obj_free(ROOT, h), E_OK, "free handler");
}

int main(uint64_t first_free, uint64_t ndevices)
{
  next_slot = (uint32_t)first_free;
  ndev = (unsigned)ndevices;
  sys_debug_expect_refusals(1);
  printf("hostile_dev: up, first free slot %lu, %u device pages\n", (unsigned long)first_free, ndev);
  C(ndev >= 1 && ndev <= MAX_DEVICE_PAGES, "device page count in range");
  /* the highest valid source: find it by probing (1..1023) */
  {
    uint32_t t = slot();
    max_src = 0;
    for (uint64_t s = 1; s < 1100; s++) {
      long e = sys_irq_handler_create(CTL, ROOT, s, t);
      if (e == E_OK) {
        max_src = s;
        sys_obj_free(ROOT, t);
        sys_cap_delete(t);
      } else if (e != E_BAD_ARG) {
        printf("hostile_dev: probe source %lu: %s\n", (unsigned long)s, en(e));
      }
    }
    printf("hostile_dev: sources accepted up to %lu\n", (unsigned long)max_src);
  }
  ep = slot();
  must(sys_obj_alloc(ROOT, OT_ENDPOINT, ep), "endpoint");
  part_device_info();
  if (!uart_slot || !other_slot) {
    printf("hostile_dev: no UART or other device page\n");
    return 97;
  }
  part_alloc_free();
  part_create();
  part_setntfn_ack();
  part_map();
  part_map_children();
#ifdef HANG_TEST
  part_hang();
  return 0;
#endif
  part_irq();
  part_misc();
  part_regs();
  part_ctl_free();
  printf("hostile_dev: %d passed, %d failed\n", npass, nfail);
  return nfail;
}
