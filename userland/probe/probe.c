/* probe: small test programs for the root task's scenarios, one per role
 * (a0). Each reports its result as its exit code, which reaches the root
 * task as an exit message on the fault endpoint it was given. */
#include "ulib.h"
#include "proto.h"

/* confinement: given exactly one capability (P_CAP), can it find any
 * other? Returns how many slots hold something usable. */
static long confined(void)
{
  long usable = 0;
  sys_debug_expect_refusals(1);            /* every empty slot is refused */
  for (uint64_t s = 0; s < 64; s++) {
    uint64_t type;
    if (sys_cap_resolve(s, &type, 0, 0) == E_OK)
      usable++;
  }
  /* forged and out-of-range slot numbers get errors, never authority */
  if (sys_send(1000, 1, 0, 0, 0, 0, CAPS0) != E_BAD_SLOT) usable += 100;
  if (sys_send(SLOT_SELF, 1, 0, 0, 0, 0, CAPS0) != E_BAD_SLOT) usable += 100;
  return usable;
}

/* forwarder client: call through the forwarder twice; the owner revokes
 * it in between. Exit code: first error * 100 + second error. */
static long fwd_client(void)
{
  sys_debug_expect_refusals(1);            /* the second call is refused */
  struct msg a = sys_call(P_CAP, L_PING, 0, 0, 0, 0, CAPS0);
  struct msg b = sys_call(P_CAP, L_PING, 0, 0, 0, 0, CAPS0);
  return a.err * 100 + b.err;
}

/* identify client: present my (badged) capability, then a forgery of my
 * own making; the server answers 1 if it authenticated the capability.
 * Exit code: first answer * 10 + second answer. */
static long ident_client(void)
{
  long e = sys_obj_alloc(P_CONT, OT_ENDPOINT, P_TMP);
  if (e != E_OK)
    return 900 + e;
  struct msg a = sys_call(P_CAP, L_PING, 0, 0, 0, 0, CAPS1(P_CAP));
  struct msg b = sys_call(P_CAP, L_PING, 0, 0, 0, 0, CAPS1(P_TMP));
  if (a.err != E_OK || b.err != E_OK)
    return 800 + a.err + b.err;
  return (long)(a.label * 10 + b.label);
}

/* a server that receives one call and never replies */
static long __attribute__((noreturn)) sink(void)
{
  for (;;)
    sys_recv(P_CAP);
}

/* a client that calls a server that will never reply */
static long caller(void)
{
  struct msg m = sys_call(P_CAP, L_PING, 0, 0, 0, 0, CAPS0);
  return m.err;
}

/* never exits, never blocks: counts in s1 */
static long __attribute__((noreturn)) spinner(void)
{
  register uint64_t n __asm__("s1") = 0;
  for (;;) {
    n++;
    __asm__ volatile("" : "+r"(n));
  }
}

static long illegal(void)
{
  __asm__ volatile(".word 0x00000000");   /* an illegal instruction */
  return 0;
}

static long wild_load(void)
{
  volatile long *p;
  uint64_t a = 0x8;                        /* nothing mapped there */
  __asm__ volatile("" : "+r"(a));
  p = (volatile long *)a;
  return *p;
}

/* bench: echo server. Replies to each call with w0 = the instructions
 * from the caller's t0 (its w0) to here, w1 = my instret at the reply. */
static long __attribute__((noreturn)) echo(void)
{
  struct msg m = sys_recv(P_CAP);
  for (;;) {
    uint64_t t1 = rd_instret();
    uint64_t cost = t1 - m.w[0];
    m = sys_reply_recv(P_CAP, 0, cost, rd_instret(), 0, 0, CAPS0);
  }
}

/* IPC test server (roottask's ipc tests): answers every call with
 * label + 1, w0 + 1, w3, the badge it came with, and (calls seen << 8 |
 * the caps mask); a received capability lands in P_TMP. Through
 * reply_recv, so that the reply and the next receive take the fast path
 * when they can. */
static long __attribute__((noreturn)) ipc_server(void)
{
  uint64_t n = 0;
  sys_set_recv_slots(P_TMP, SLOT_NONE);
  struct msg m = sys_recv(P_CAP);
  for (;;) {
    n++;
    if (m.err != E_OK)
      m = sys_reply_recv(P_CAP, 0xBAD, (uint64_t)m.err, 0, 0, 0, CAPS0);
    else
      m = sys_reply_recv(P_CAP, m.label + 1, m.w[0] + 1, m.w[3], m.badge,
                         (n << 8) | m.caps, CAPS0);
  }
}

/* bench: client of echo. Exit code: min call cost << 32 | min reply cost */
static long client(void)
{
  uint64_t bc = ~0ul, br = ~0ul;
  for (int i = 0; i < 21; i++) {
    uint64_t t0 = rd_instret();
    struct msg m = sys_call(P_CAP, 0, t0, 0, 0, 0, CAPS0);
    uint64_t t3 = rd_instret();
    if (i == 0)
      continue;               /* the first round warms caches and tables */
    if (m.w[0] < bc) bc = m.w[0];
    if (t3 - m.w[1] < br) br = t3 - m.w[1];
  }
  return (long)((bc << 32) | (br & 0xffffffffu));
}

/* bench: waiter (higher priority) and signaller of a notification; the
 * signal carries the signaller's instret as its bits */
static long waiter(void)
{
  uint64_t best = ~0ul, bits;
  for (int i = 0; i < 21; i++) {
    sys_notify_wait(P_CAP, &bits);
    uint64_t t1 = rd_instret();
    if (i > 0 && t1 - bits < best)
      best = t1 - bits;
  }
  return (long)best;
}

static long __attribute__((noreturn)) signaller(void)
{
  for (;;)
    sys_notify_signal(P_CAP, rd_instret());
}

/* interrupt delivery (bench, issue 15): a driver ('I', priority 6) waits
 * on the interrupt's notification (P_CAP, handler in P_CAP2); the trigger
 * ('J', priority 5) turns the ns16550's transmit interrupt on (the UART
 * page in P_CAP), which interrupts at once. The driver's first
 * instruction after its wait reads instret; the trigger then quiets the
 * UART and sends the instret it read just before its store (notification
 * in slot 4 of the driver, P_CAP2 of the trigger). Exit code: the
 * minimum over 20 rounds, store to driver running, in instructions. */
#define IRQ_ROUNDS 21
static long irq_driver(void)
{
  uint64_t best = ~0ul, bits, t0;
  for (int i = 0; i < IRQ_ROUNDS; i++) {
    sys_notify_wait(P_CAP, &bits);
    uint64_t t1 = rd_instret();
    if (sys_notify_wait(4, &t0) != E_OK)
      return -1;
    if (i > 0 && t1 - t0 < best)
      best = t1 - t0;
    sys_irq_ack(P_CAP2);
  }
  return (long)best;
}

static long irq_trigger(void)
{
  volatile uint8_t *u = (volatile uint8_t *)0x40000000ul;
  if (sys_map(SLOT_SELF, P_CAP, 0x40000000ul, RIGHTS(1, 1, 0)) != E_OK)
    return -1;
  for (int i = 0; i < IRQ_ROUNDS; i++) {
    uint64_t t0 = rd_instret();
    u[1] = 0x02;                     /* IER: THR empty: interrupts at once */
    u[1] = 0x00;                     /* (the driver has run by now) */
    sys_notify_signal(P_CAP2, t0);
  }
  return 0;
}

/* notification: wait once, exit with the bits */
static long notified(void)
{
  uint64_t bits = 0;
  long e = sys_notify_wait(P_CAP, &bits);
  return e != E_OK ? -e : (long)bits;
}

/* notification: signal once with bits 0x20, exit with the status */
static long signal_once(void)
{
  return sys_notify_signal(P_CAP, 0x20);
}

/* time: sleep 2 ms with a timer and a notification from my own
 * container; exit 0 if the clock moved on at least that far, else the
 * error (or 1) */
static long sleeper(void)
{
  uint64_t hz = clock_hz(), t0 = clock_now();
  long e = sys_obj_alloc(P_CONT, OT_TIMER, 4);
  if (e == E_OK)
    e = sys_obj_alloc(P_CONT, OT_NOTIFICATION, 5);
  if (e == E_OK)
    e = sleep_us(4, 5, 2000);
  if (e != E_OK)
    return e;
  return clock_now() - t0 >= 2000 * hz / 1000000 ? 0 : 1;
}

/* mappings (the root task's law_map_* tests): touch what the root task
 * says. I call P_CAP, a badged copy of the root task's fault endpoint,
 * which my faults reach too: its reply names a word (w0) to read, and
 * for L_TOUCH_WR a value (w1) to store there first; my next call carries
 * what I read. An access that faults becomes a fault message instead. */
static long __attribute__((noreturn)) toucher(void)
{
  uint64_t seen = 0;
  for (;;) {
    struct msg m = sys_call(P_CAP, L_TOUCH, seen, 0, 0, 0, CAPS0);
    if (m.err != E_OK)
      exit(m.err);
    volatile uint64_t *w = (volatile uint64_t *)m.w[0];
    if (m.label == L_TOUCH_WR)
      *w = m.w[1];
    seen = *w;
  }
}

/* the timeout bench's victim: spin, the last instret read always in t0,
 * where the bench reads it (proc_read_reg) once the timer trap stopped me */
static void __attribute__((noreturn)) instret_spinner(void)
{
  __asm__ volatile("1: rdinstret t0\n j 1b" ::: "t0");
  __builtin_unreachable();
}

long hostile(void);

int main(uint64_t role)
{
  switch ((char)role) {
  case 'c': return (int)confined();
  case 'f': return (int)fwd_client();
  case 'i': return (int)ident_client();
  case 's': return (int)sink();
  case 'k': return (int)caller();
  case 'p': return (int)spinner();
  case 'x': return (int)illegal();
  case 'v': return (int)wild_load();
  case 'h': return (int)hostile();
  case 'n': return (int)notified();
  case 'g': return (int)signal_once();
  case 'e': echo();
  case 'E': ipc_server();
  case 'C': exit(client());
  case 'w': exit(waiter());
  case 'I': return (int)irq_driver();
  case 'J': return (int)irq_trigger();
  case 'S': signaller();
  case 't': return (int)sleeper();
  case 'Z': instret_spinner();
  case 'm': toucher();
  default:  return 999;
  }
}
