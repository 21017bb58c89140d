/* console: the console server, a user-mode UART driver (issue 15 item 4).
 *
 * One program, two roles (a0):
 * - 's', the server: maps the UART's device page, drives it with
 *   interrupts (receive always on, transmit while output is queued), and
 *   serves the console protocol (console.h) on its endpoint. It answers
 *   every call at once, so its one reply capability is never held.
 * - 'r', the relay: waits on the notification the UART's interrupt
 *   handler signals and calls the server with CONS_IRQ, because the
 *   server, waiting on its endpoint, cannot also wait on a notification.
 *   The server handles the interrupt, acknowledges it, and answers.
 *
 * The server's slots (given by its parent, userland/init):
 *   0 its container, 1 the UART's device page, 2 the interrupt handler,
 *   3 its endpoint (read), 4 the current reader's notification (empty
 *   until CONS_NOTIFY), 5 where a received capability lands.
 * a1 = the UART's kind (DEV_UART_NS16550 or DEV_UART_SIFIVE).
 * The relay's: 1 the handler's notification (read), 2 the server's
 * endpoint, badged CONS_RELAY_BADGE (only the relay's calls carry it). */
#include "ulib.h"
#include "console.h"
#include "proto.h"

#define S_UART    1u
#define S_HANDLER 2u
#define S_EP      3u
#define S_READER  4u
#define S_GOT     5u
#define UART_VA   0x40000000ul

/* ring buffers: output waiting for the UART, input waiting for a reader */
#define RING 4096u
struct ring {
  char b[RING];
  unsigned head, tail;            /* head: next to take; tail: next free */
};
static struct ring out, in;
static uint64_t kind;
static int have_reader;

static unsigned ring_len(const struct ring *r) { return r->tail - r->head; }
static void ring_put(struct ring *r, char c)
{
  if (ring_len(r) < RING)
    r->b[r->tail++ % RING] = c;   /* a full input ring drops bytes */
}
static char ring_take(struct ring *r) { return r->b[r->head++ % RING]; }

/* ---- the two UARTs: ns16550 (QEMU virt), SiFive (sifive_u, HiFive) ---- */
static volatile uint8_t *const ns = (volatile uint8_t *)UART_VA;
static volatile uint32_t *const sf = (volatile uint32_t *)UART_VA;
enum { NS_RBR = 0, NS_THR = 0, NS_IER = 1, NS_LSR = 5 };
enum { SF_TXDATA = 0, SF_RXDATA = 1, SF_TXCTRL = 2, SF_RXCTRL = 3, SF_IE = 4 };

static int tx_room(void)
{
  return kind == DEV_UART_NS16550 ? (ns[NS_LSR] & 0x20) != 0
                                  : (sf[SF_TXDATA] & 0x80000000u) == 0;
}
static void tx_byte(char c)
{
  if (kind == DEV_UART_NS16550)
    ns[NS_THR] = (uint8_t)c;
  else
    sf[SF_TXDATA] = (uint8_t)c;
}
/* one received byte, or -1 */
static int rx_byte(void)
{
  if (kind == DEV_UART_NS16550)
    return (ns[NS_LSR] & 0x01) ? ns[NS_RBR] : -1;
  uint32_t v = sf[SF_RXDATA];
  return (v & 0x80000000u) ? -1 : (int)(v & 0xff);
}
/* receive interrupt always; transmit interrupt while output waits */
static void irq_mask(int tx)
{
  if (kind == DEV_UART_NS16550)
    ns[NS_IER] = tx ? 0x03 : 0x01;
  else
    sf[SF_IE] = tx ? 0x3 : 0x2;   /* bit 0 txwm, bit 1 rxwm */
}

static void uart_init(void)
{
  if (kind == DEV_UART_SIFIVE) {
    sf[SF_TXCTRL] = (sf[SF_TXCTRL] & ~(7u << 16)) | 1u | (1u << 16);  /* txen, txcnt 1 */
    sf[SF_RXCTRL] = (sf[SF_RXCTRL] & ~(7u << 16)) | 1u;               /* rxen, rxcnt 0 */
  }
  irq_mask(0);
}

/* Move queued output into the UART while it has room; the transmit
 * interrupt stays on while anything is left. */
static void tx_push(void)
{
  while (ring_len(&out) > 0 && tx_room())
    tx_byte(ring_take(&out));
  irq_mask(ring_len(&out) > 0);
}

/* The UART interrupted: take what arrived (and tell the reader), send
 * what waits. */
static void uart_service(void)
{
  int c, got = 0;
  while ((c = rx_byte()) >= 0) {
    ring_put(&in, (char)c);
    got = 1;
  }
  if (got && have_reader)
    sys_notify_signal(S_READER, 1);
  tx_push();
}

/* Output is kept per client (per badge) until its line ends, so that
 * lines from several programs never mix: a line goes out whole at its
 * newline, when it fills LINE bytes, or when its writer reads (a prompt).
 * NLINES clients at once; a ninth pushes out the oldest's partial line. */
#define NLINES 8
#define LINE   128
static struct line {
  uint64_t badge;
  unsigned n, used, age;
  char b[LINE];
} lines[NLINES];
static unsigned line_clock;

static void queue_output(const char *s, unsigned n);

static void line_flush(struct line *l)
{
  if (l->n > 0)
    queue_output(l->b, l->n);
  l->n = 0;
}

static struct line *line_of(uint64_t badge)
{
  struct line *oldest = &lines[0];
  for (unsigned i = 0; i < NLINES; i++) {
    if (lines[i].used && lines[i].badge == badge)
      return &lines[i];
    if (!lines[i].used || (oldest->used && lines[i].age < oldest->age))
      oldest = &lines[i];
  }
  line_flush(oldest);
  oldest->used = 1;
  oldest->badge = badge;
  return oldest;
}

static void line_write(uint64_t badge, const char *s, unsigned n)
{
  struct line *l = line_of(badge);
  l->age = ++line_clock;
  for (unsigned i = 0; i < n; i++) {
    l->b[l->n++] = s[i];
    if (s[i] == '\n' || l->n == LINE)
      line_flush(l);
  }
}

static void queue_output(const char *s, unsigned n)
{
  for (unsigned i = 0; i < n; i++) {
    while (ring_len(&out) == RING) {     /* full: wait for the UART */
      while (!tx_room())
        ;
      tx_byte(ring_take(&out));
    }
    ring_put(&out, s[i]);
  }
  tx_push();
}

static long serve(void)
{
  long e = sys_map(SLOT_SELF, S_UART, UART_VA, RIGHTS(1, 1, 0));
  if (e != E_OK)
    return e;
  uart_init();
  sys_set_recv_slots(S_GOT, SLOT_NONE);
  struct msg m = sys_recv(S_EP);
  for (;;) {
    uint64_t answer[4] = { E_OK, 0, 0, 0 };
    if (m.err != E_OK) {
      m = sys_recv(S_EP);
      continue;
    }
    /* a capability that came with any other message is dropped at once:
     * kept, it would fill the receive slot and refuse every later one */
    if ((m.caps & 1) && m.label != CONS_NOTIFY) {
      sys_cap_delete(S_GOT);
      m.caps = 0;
    }
    if (m.label == CONS_IRQ && m.badge == CONS_RELAY_BADGE) {
      uart_service();
      sys_irq_ack(S_HANDLER);
    } else if (m.label == CONS_WRITE && m.w[0] >= 1 && m.w[0] <= CONS_CHUNK) {
      uint64_t w[3] = { m.w[1], m.w[2], m.w[3] };
      line_write(m.badge, (const char *)w, (unsigned)m.w[0]);
    } else if (m.label == CONS_READ && m.w[0] >= 1 && m.w[0] <= CONS_CHUNK) {
      uint64_t w[3] = { 0, 0, 0 };
      char *b = (char *)w;
      unsigned n = 0;
      line_flush(line_of(m.badge));         /* the reader's prompt goes out */
      while (n < m.w[0] && ring_len(&in) > 0)
        b[n++] = ring_take(&in);
      answer[0] = n;
      answer[1] = w[0];
      answer[2] = w[1];
      answer[3] = w[2];
    } else if (m.label == CONS_NOTIFY && (m.caps & 1)) {
      uint64_t type = 0;
      if (sys_cap_resolve(S_GOT, &type, 0, 0) != E_OK || type != OT_NOTIFICATION) {
        answer[0] = E_WRONG_TYPE;          /* only a notification is signalled */
        sys_cap_delete(S_GOT);
      } else {
        if (have_reader)
          sys_cap_delete(S_READER);
        answer[0] = (uint64_t)sys_cap_move(S_GOT, SLOT_SELF, S_READER);
        have_reader = answer[0] == E_OK;
        if (have_reader && ring_len(&in) > 0)
          sys_notify_signal(S_READER, 1);
      }
    } else {
      answer[0] = E_BAD_ARG;
    }
    m = sys_reply_recv(S_EP, 0, answer[0], answer[1], answer[2], answer[3], CAPS0);
  }
}

static long relay(void)
{
  for (;;) {
    uint64_t bits;
    long e = sys_notify_wait(1, &bits);
    if (e != E_OK)
      return e;
    struct msg r = sys_call(2, CONS_IRQ, 0, 0, 0, 0, CAPS0);
    if (r.err != E_OK)
      return r.err;
  }
}

int main(uint64_t role, uint64_t uart_kind)
{
  kind = uart_kind;
  return (int)(role == 'r' ? relay() : serve());
}
