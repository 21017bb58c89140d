/* ipc.c: synchronous IPC through endpoints and asynchronous notifications
 * (issue 4). A message is a label, MSG_WORDS words and up to MSG_CAPS
 * capabilities (abi.h). A sender's message is taken from its saved
 * registers into p_mlabel / p_mword / p_mcaps when it sends, and written
 * into the receiver's saved registers when it is delivered. Queues are
 * the p_state / p_wait / p_ticket scan of proc.h.
 *
 * Register numbers: a0 = x10 ... a7 = x17. */
#include "proc.h"
#include "internal.h"
#include "decode.h"     /* caller_cspace */

RECORD_FIELD_DEF(uint32_t, ep_recv);
RECORD_FIELD_DEF(uint8_t, ep_nosend);

/* The helpers on the IPC fast path are inlined into it (GCC; the proofs
 * see ordinary static functions): a call costs a few instructions each. */
#if defined(__GNUC__) && !defined(__FRAMAC__)
#define FAST_INLINE __attribute__((always_inline))
#else
#define FAST_INLINE
#endif
static inline void msg_load(uint32_t p, uint64_t badge) FAST_INLINE;
static inline void deliver_msg(uint32_t from, uint32_t to, uint32_t mask) FAST_INLINE;
static inline void deliver(uint32_t from, uint32_t to) FAST_INLINE;
static inline void deliver_now(uint32_t from, uint32_t to, uint64_t badge) FAST_INLINE;
static inline int is_waiting(uint32_t q, uint32_t e, uint32_t st1, uint32_t st2) FAST_INLINE;
static inline int32_t fast_cspace(uint32_t cur) FAST_INLINE;
static inline int fast_waiting(int32_t q, int32_t e, uint32_t st) FAST_INLINE;
static inline void recv_index_add(uint32_t p, uint32_t e) FAST_INLINE;
static inline void block_on(uint32_t p, uint32_t st, uint32_t obj) FAST_INLINE;
static inline void await_reply(uint32_t caller, uint32_t server) FAST_INLINE;
static inline void recv_block(uint32_t cur, uint32_t ep) FAST_INLINE;
static inline void reply_to_caller(uint32_t cur, uint32_t c) FAST_INLINE;
/* external (syscall.c calls it too), inlined into ipc_fast_call */
inline void ipc_send_to(uint32_t cur, uint32_t r, uint32_t is_call) FAST_INLINE;

#define A0 10u
#define A1 11u
#define A2 12u
#define A6 16u
#define A7 17u

/* The i-th capability slot of a caps descriptor (n + 4*s0 + 1024*s1:
 * 8 bits a slot, room for every slot of a 128-slot cspace), by
 * arithmetic, not bit operations (PROOF-NOTES.md). */
/*@
  requires sizes: SIZES_OK;
  requires i < MSG_CAPS;
  assigns \nothing;
  ensures \result < 256;
  ensures \result == desc_slot_of(desc, i == 0 ? 0 : 1);
*/
static uint32_t desc_slot(uint32_t desc, uint32_t i)
{
  return i == 0 ? desc / 4u % 256u : desc / 1024u % 256u;
}

/* Check the capabilities a message names: n = desc % 4 at most MSG_CAPS,
 * nothing above bit 13, each slot looked up (any type) and holding the
 * grant right (E_NO_RIGHTS otherwise). Reads only. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  assigns \nothing;
  ensures codes: \result <= E_BAD_ARG;
  ensures exact: \result == msg_err(cs, desc);
*/
static kerr_t msg_check(uint32_t cs, uint32_t desc)
{
  uint32_t n = desc % 4u, i;
  if (n > MSG_CAPS || desc / 262144u != 0)
    return E_BAD_ARG;
  /*@
    loop invariant 0 <= i <= n;
    loop invariant passed: \forall integer j; 0 <= j < i ==>
      msg_slot_err(cs, desc_slot_of(desc, j)) == E_OK;
    loop assigns i;
    loop variant n - i;
  */
  for (i = 0; i < n; i++) {
    uint32_t s = desc_slot(desc, i);
    kerr_t e = cap_lookup(cs, s, OT_FREE, 0, 0);
    if (e != E_OK)
      return e;
    if (cap_grant[cs][s] == 0)
      return E_NO_RIGHTS;
  }
  return E_OK;
}

/* Take process p's outgoing message from its registers: a1 = label,
 * a2..a5 = words, a6 = caps descriptor; badge is recorded with it.
 * (MSG_WORDS == 4 words, written out: this is on the IPC fast path.) */
/*@
  requires sizes: SIZES_OK;
  requires p < NFRAMES;
  assigns p_mlabel[p], p_mword[MW(p, 0) .. MW(p, 3)], p_mcaps[p], p_mbadge[p];
  ensures p_mbadge[p] == badge && p_mlabel[p] == p_regs[REG(p, A1)] &&
    p_mword[MW(p, 0)] == p_regs[REG(p, A2)] && p_mword[MW(p, 1)] == p_regs[REG(p, A2 + 1)] &&
    p_mword[MW(p, 2)] == p_regs[REG(p, A2 + 2)] && p_mword[MW(p, 3)] == p_regs[REG(p, A2 + 3)] &&
    p_mcaps[p] == p_regs[REG(p, A6)] % 262144;
*/
static void msg_load(uint32_t p, uint64_t badge)
{
  const uint64_t *r = &p_regx(p, 0);
  uint64_t *w = &p_mw(IX(p), 0);
  p_mlabel(IX(p)) = r[A1];
  w[0] = r[A2];
  w[1] = r[A2 + 1u];
  w[2] = r[A2 + 2u];
  w[3] = r[A2 + 3u];
  p_mcaps(IX(p)) = (uint32_t)(r[A6] % 262144u);
  p_mbadge(IX(p)) = badge;
}

/* The process that has waited longest among the live processes in state
 * st1 or st2 waiting on object obj (of its current generation), or
 * NO_PROC. Bound: one pass over the frames below p_hi. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf;
  requires obj < NFRAMES && st1 != PS_NONE && st2 != PS_NONE;
  assigns \nothing;
  ensures \result == NO_PROC || (\result < p_hi && p_hi <= NFRAMES &&
    (p_state[\result] == st1 || p_state[\result] == st2) &&
    p_wait[\result] == obj && frame_type[\result] == OT_PROCESS &&
    frame_gen[\result] == p_gen[\result] && p_cspace[\result] < NFRAMES);
  ensures none: \result == NO_PROC ==> \forall integer q; 0 <= q < NFRAMES ==>
    !waiting_on(q, obj, st1, st2);
  ensures first: \result != NO_PROC ==> waiting_on(\result, obj, st1, st2) &&
    \forall integer q; 0 <= q < NFRAMES && waiting_on(q, obj, st1, st2) ==>
      p_ticket[\result] <= p_ticket[q];
*/
static uint32_t find_waiter(uint32_t obj, uint32_t st1, uint32_t st2)
{
  uint32_t p, best = NO_PROC;
  /*@
    loop invariant 0 <= p <= p_hi;
    loop invariant best == NO_PROC || (best < p && waiting_on(best, obj, st1, st2));
    loop invariant best == NO_PROC ==> \forall integer q; 0 <= q < p ==>
      !waiting_on(q, obj, st1, st2);
    loop invariant best != NO_PROC ==> \forall integer q; 0 <= q < p &&
      waiting_on(q, obj, st1, st2) ==> p_ticket[best] <= p_ticket[q];
    loop assigns p, best;
    loop variant p_hi - p;
  */
  for (p = 0; p < p_hi; p++) {
    if ((p_state(p) != st1 && p_state(p) != st2) || p_wait(p) != obj ||
        p_wait_gen(p) != frame_gen[obj] || frame_type[p] != OT_PROCESS ||
        frame_gen[p] != p_gen(p) || p_cspace(p) >= NFRAMES)
      continue;
    if (best == NO_PROC || p_ticket(p) < p_ticket(best))
      best = p;
  }
  return best;
}

/* Is q one of the processes find_waiter(e, st1, st2) would consider? */
/*@
  requires sizes: SIZES_OK;
  requires q < NFRAMES && e < NFRAMES;
  assigns \nothing;
  ensures \result == 0 || \result == 1;
  ensures \result == 1 <==> waiting_on(q, e, st1, st2);
*/
static int is_waiting(uint32_t q, uint32_t e, uint32_t st1, uint32_t st2)
{
  return (p_state(q) == st1 || p_state(q) == st2) && p_wait(q) == e &&
         p_wait_gen(q) == frame_gen[e] && frame_type[q] == OT_PROCESS &&
         frame_gen[q] == p_gen(q) && p_cspace(q) < NFRAMES;
}

/* The waiter in state st (PS_RECV: a receiver on endpoint e; PS_NOTIF: a
 * waiter on notification e) that a send or a signal goes to: the same
 * process as find_waiter(e, st, st) (none, or the first by ticket), found
 * without a scan when the index ep_recv knows the queue: its process, if
 * waiting in st, is the only waiter; if not, nobody waits in st. Only an
 * index that says EPQ_UNKNOWN costs the scan. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && epq_wf && e < NFRAMES;
  requires (st == PS_RECV && frame_type[e] == OT_ENDPOINT) ||
           (st == PS_NOTIF && frame_type[e] == OT_NOTIFICATION);
  assigns \nothing;
  ensures \result == NO_PROC || (\result < p_hi && p_hi <= NFRAMES);
  ensures none: \result == NO_PROC ==> \forall integer q; 0 <= q < NFRAMES ==>
    !waiting_on(q, e, st, st);
  ensures first: \result != NO_PROC ==> waiting_on(\result, e, st, st) &&
    \forall integer q; 0 <= q < NFRAMES && waiting_on(q, e, st, st) ==>
      p_ticket[\result] <= p_ticket[q];
*/
static uint32_t waiter_first(uint32_t e, uint32_t st)
{
  uint32_t v = ep_recv(e);
  if (v == EPQ_UNKNOWN)
    return find_waiter(e, st, st);
  if (v < p_hi && is_waiting(v, e, st, st) == 1)
    return v;            /* the only waiter (epq_wf), so the first */
  /*@ assert v < NFRAMES && v >= p_hi ==> frame_type[v] != OT_PROCESS; */
  return NO_PROC;        /* v does not wait in st, and nobody else may */
}

/* Process p is about to wait on e (to receive on an endpoint, or on a
 * notification): keep ep_recv true. If the index's process is another one
 * still waiting, two wait now (unknown); otherwise nobody else waits and
 * p becomes the index. */
/*@
  requires sizes: SIZES_OK;
  requires epq_wf && p < NFRAMES && e < NFRAMES;
  assigns ep_recv[e];
  ensures ep_recv[e] == p || ep_recv[e] == EPQ_UNKNOWN;
  ensures has_queue(e) ==> \forall integer q; 0 <= q < NFRAMES && q != p &&
    indexed(q, e) ==> ep_recv[e] == q || ep_recv[e] == EPQ_UNKNOWN;
*/
static void recv_index_add(uint32_t p, uint32_t e)
{
  uint32_t v = ep_recv(IX(e));
  if (v == EPQ_UNKNOWN || v == p)
    return;              /* unknown stays unknown; p already is the index */
  if (v < NFRAMES && is_waiting(v, e, PS_RECV, PS_NOTIF) == 1)
    ep_recv(IX(e)) = EPQ_UNKNOWN;
  else
    ep_recv(IX(e)) = p;
}

/* COPY the capability in slot s of fcs into the empty slot d of tcs, if
 * it looks up and holds the grant right. 1 if it was copied. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(fcs) && is_cspace(tcs) && d < NSLOTS;
  assigns cap_type[tcs][0 .. NSLOTS-1], cap_obj[tcs][0 .. NSLOTS-1],
          cap_gen[tcs][0 .. NSLOTS-1], cap_read[tcs][0 .. NSLOTS-1],
          cap_write[tcs][0 .. NSLOTS-1], cap_grant[tcs][0 .. NSLOTS-1],
          cap_badge[tcs][0 .. NSLOTS-1];
  ensures inv: Inv;
  ensures \result <= 1;
*/
static uint32_t copy_one(uint32_t fcs, uint32_t s, uint32_t tcs, uint32_t d)
{
  if (cap_lookup(fcs, s, OT_FREE, 0, 0) != E_OK || cap_grant[fcs][s] == 0)
    return 0;
  return cap_copy(fcs, s, tcs, d, 1, 1, 1) == E_OK ? 1u : 0u;
}

/* Copy the capabilities of `from`'s message into `to`'s receive slots, by
 * COPY (from keeps its own). A capability that no longer looks up, has
 * lost its grant right, or has no free receive slot is left out.
 * Returns the mask of capabilities delivered (bit i = cap i). */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires from < NFRAMES && to < NFRAMES && p_cspace[to] < NFRAMES;
  assigns cap_type[p_cspace[to]][0 .. NSLOTS-1], cap_obj[p_cspace[to]][0 .. NSLOTS-1],
          cap_gen[p_cspace[to]][0 .. NSLOTS-1], cap_read[p_cspace[to]][0 .. NSLOTS-1],
          cap_write[p_cspace[to]][0 .. NSLOTS-1], cap_grant[p_cspace[to]][0 .. NSLOTS-1],
          cap_badge[p_cspace[to]][0 .. NSLOTS-1];
  ensures inv: Inv;
  ensures \result <= 3;
  ensures none: p_mcaps[from] % 4 == 0 ==> \result == 0;
  // a capability moves only between the live cspaces the two processes
  // were given: into or out of a stale one, nothing moves
  ensures stale: !\old(cspace_of_ok(from)) || !\old(cspace_of_ok(to)) ==>
    \result == 0 && \forall integer s; 0 <= s < NSLOTS ==>
      cap_type[p_cspace[to]][s] == \old(cap_type[p_cspace[to]][s]);
*/
static uint32_t caps_transfer(uint32_t from, uint32_t to)
{
  uint32_t desc = p_mcaps(from), n = desc % 4u, mask = 0, i;
  /* each process's own cspace, NFRAMES if it is no longer the live one
   * it was given (a cspace frame freed and reused as another cspace is
   * not p's): the decode's check (decode.c) */
  uint32_t fcs = caller_cspace(from), tcs = caller_cspace(to);
  if (n == 0 || fcs == NFRAMES || tcs == NFRAMES)
    return 0;
  /*@
    loop invariant 0 <= i <= MSG_CAPS;
    loop invariant Inv;
    loop invariant (i == 0 ==> mask == 0) && (i == 1 ==> mask <= 1) && mask <= 3;
    loop invariant is_cspace(fcs) && is_cspace(tcs);
    loop assigns i, mask, cap_type[tcs][0 .. NSLOTS-1],
          cap_obj[tcs][0 .. NSLOTS-1], cap_gen[tcs][0 .. NSLOTS-1],
          cap_read[tcs][0 .. NSLOTS-1], cap_write[tcs][0 .. NSLOTS-1],
          cap_grant[tcs][0 .. NSLOTS-1], cap_badge[tcs][0 .. NSLOTS-1];
    loop variant MSG_CAPS - i;
  */
  for (i = 0; i < MSG_CAPS; i++) {
    uint32_t s = desc_slot(desc, i);
    uint32_t d = p_rs(to, i);
    if (i >= n || d >= NSLOTS)
      continue;
    if (copy_one(fcs, s, tcs, d) == 1)
      mask = mask + (i == 0 ? 1u : 2u);
  }
  return mask;
}

/* Write `from`'s message into `to`'s registers: a0 = E_OK, a1 = badge,
 * a2 = label, a3..a6 = words, a7 = mask (the capabilities that arrived).
 * (Written out: this is on the IPC fast path.) */
/*@
  requires sizes: SIZES_OK;
  requires from < NFRAMES && to < NFRAMES;
  assigns p_regs[REG(to, A0) .. REG(to, A7)];
  ensures p_regs[REG(to, A0)] == E_OK && p_regs[REG(to, A1)] == p_mbadge[from] &&
          p_regs[REG(to, A2)] == p_mlabel[from];
  ensures p_regs[REG(to, A2 + 1)] == p_mword[MW(from, 0)] &&
          p_regs[REG(to, A2 + 2)] == p_mword[MW(from, 1)] &&
          p_regs[REG(to, A2 + 3)] == p_mword[MW(from, 2)] &&
          p_regs[REG(to, A2 + 4)] == p_mword[MW(from, 3)] &&
          p_regs[REG(to, A7)] == mask;
*/
static void deliver_msg(uint32_t from, uint32_t to, uint32_t mask)
{
  uint64_t *r = &p_regx(to, 0);
  const uint64_t *w = &p_mw(IX(from), 0);
  r[A0] = E_OK;
  r[A1] = p_mbadge(IX(from));
  r[A2] = p_mlabel(IX(from));
  r[A2 + 1u] = w[0];
  r[A2 + 2u] = w[1];
  r[A2 + 3u] = w[2];
  r[A2 + 4u] = w[3];
  r[A7] = mask;
}

/* Deliver `from`'s message to `to`, its capabilities included (COPY into
 * to's receive slots). */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires from < NFRAMES && to < NFRAMES && p_cspace[to] < NFRAMES;
  assigns p_regs[REG(to, A0) .. REG(to, A7)],
          cap_type[p_cspace[to]][0 .. NSLOTS-1], cap_obj[p_cspace[to]][0 .. NSLOTS-1],
          cap_gen[p_cspace[to]][0 .. NSLOTS-1], cap_read[p_cspace[to]][0 .. NSLOTS-1],
          cap_write[p_cspace[to]][0 .. NSLOTS-1], cap_grant[p_cspace[to]][0 .. NSLOTS-1],
          cap_badge[p_cspace[to]][0 .. NSLOTS-1];
  ensures inv: Inv;
  ensures delivered: p_regs[REG(to, A0)] == E_OK;
  ensures msg: p_regs[REG(to, A1)] == p_mbadge[from] &&
    p_regs[REG(to, A2)] == p_mlabel[from] &&
    p_regs[REG(to, A2 + 1)] == p_mword[MW(from, 0)] &&
    p_regs[REG(to, A2 + 2)] == p_mword[MW(from, 1)] &&
    p_regs[REG(to, A2 + 3)] == p_mword[MW(from, 2)] &&
    p_regs[REG(to, A2 + 4)] == p_mword[MW(from, 3)];
  ensures no_caps: p_mcaps[from] % 4 == 0 ==> p_regs[REG(to, A7)] == 0;
*/
static void deliver(uint32_t from, uint32_t to)
{
  /* no capabilities (n = 0): caps_transfer would return 0 at once; skip
   * the call (the common case, and the fast path's only one) */
  uint32_t mask = p_mcaps(from) % 4u == 0 ? 0u : caps_transfer(from, to);
  deliver_msg(from, to, mask);
}

/* `caller` has been received by `server`: it waits (closed wait) for the
 * reply, and the server holds the one-shot reply capability naming the
 * caller and the ticket of this wait. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && caller < p_hi;
  requires caller < NFRAMES && server < NFRAMES;
  requires epq: epq_wf;
  assigns p_state[caller], p_wait[caller], p_wait_gen[caller],
          p_ticket[caller], next_ticket,
          p_reply_to[server], p_reply_gen[server], p_reply_tkt[server];
  ensures p_state[caller] == PS_REPLY && p_wait[caller] == server &&
          p_reply_to[server] == caller;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
*/
static void await_reply(uint32_t caller, uint32_t server)
{
  p_state(IX(caller)) = PS_REPLY;
  p_wait(IX(caller)) = server;
  p_wait_gen(IX(caller)) = p_gen(IX(server));
  p_ticket(IX(caller)) = ticket_take();
  p_reply_to(IX(server)) = caller;
  p_reply_gen(IX(server)) = p_gen(IX(caller));
  p_reply_tkt(IX(server)) = p_ticket(IX(caller));
}

/* Make p ready (proc_ready), keeping the queue indices true: p leaves
 * whatever queue it was in, which only shrinks a queue. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && p < p_hi;
  requires epq: epq_wf;
  assigns p_state[p], p_ticket[p], next_ticket;
  ensures p_state[p] == PS_READY;
  ensures ticket: p_ticket[p] == \old(next_ticket);
  ensures hi: hi_wf;
  ensures epq: epq_wf;
*/
static void wake(uint32_t p)
{
  proc_ready(p);
}

/* Block p in state st on object obj (at the back of that queue), keeping
 * the queue indices true: a receiver or a notification waiter updates
 * ep_recv, a sender clears ep_nosend. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && p < p_hi;
  requires p < NFRAMES && obj < NFRAMES && st <= PS_STOPPED;
  requires epq: epq_wf;
  requires running: p_state[p] == PS_READY;
  assigns p_state[p], p_wait[p], p_wait_gen[p], p_ticket[p], next_ticket,
          ep_recv[obj], ep_nosend[obj];
  ensures p_state[p] == st && p_wait[p] == obj && p_wait_gen[p] == frame_gen[obj];
  ensures hi: hi_wf;
  ensures epq: epq_wf;
*/
static void block_on(uint32_t p, uint32_t st, uint32_t obj)
{
  if (st == PS_RECV || st == PS_NOTIF)
    recv_index_add(p, obj);
  else if (st == PS_SEND || st == PS_CALL)
    ep_nosend(IX(obj)) = 0;
  p_state(IX(p)) = (uint8_t)st;
  p_wait(IX(p)) = obj;
  p_wait_gen(IX(p)) = frame_gen[IX(obj)];
  p_ticket(IX(p)) = ticket_take();
}

/* cur waits to receive on endpoint ep, where no sender waits (so a
 * receive blocks): the blocking half of ipc_recv, shared with the fast
 * path. Records that the send queue is empty (ep_nosend). */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && cur < p_hi && cur < NFRAMES && ep < NFRAMES;
  requires epq: epq_wf;
  requires running: p_state[cur] == PS_READY;
  requires nosend: \forall integer q; 0 <= q < NFRAMES ==> !waiting_on(q, ep, PS_SEND, PS_CALL);
  requires endpoint: frame_type[ep] == OT_ENDPOINT;
  assigns p_state[cur], p_wait[cur], p_wait_gen[cur], p_ticket[cur], next_ticket,
          ep_recv[ep], ep_nosend[ep];
  ensures p_state[cur] == PS_RECV && p_wait[cur] == ep && p_wait_gen[cur] == frame_gen[ep];
  ensures hi: hi_wf;
  ensures epq: epq_wf;
*/
static void recv_block(uint32_t cur, uint32_t ep)
{
  ep_nosend(IX(ep)) = 1;
  /* an unknown index (a new endpoint, or two receivers once) becomes
   * known here when nobody else receives: one scan, so that the calls
   * after it find their receiver without one (as ntfn_wait does) */
  if (ep_recv(IX(ep)) == EPQ_UNKNOWN && find_waiter(ep, PS_RECV, PS_RECV) == NO_PROC)
    ep_recv(IX(ep)) = NO_PROC;
  block_on(cur, PS_RECV, ep);
}

/* The delivering half of ipc_reply, once the reply capability (already
 * used up) named caller c, still waiting: cur's message goes to c with
 * badge 0, c becomes ready, cur's a0 = E_OK. Shared with the fast path. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && c < p_hi && cur < NFRAMES && c < NFRAMES;
  requires Inv;
  requires epq: epq_wf;
  requires p_cspace[c] < NFRAMES;
  assigns p_state[c], p_ticket[c], next_ticket,
          p_regs[REG(c, A0) .. REG(c, A7)], p_regs[REG(cur, A0)],
          p_mlabel[cur], p_mword[MW(cur, 0) .. MW(cur, 3)], p_mcaps[cur], p_mbadge[cur],
          cap_type[p_cspace[c]][0 .. NSLOTS-1], cap_obj[p_cspace[c]][0 .. NSLOTS-1],
          cap_gen[p_cspace[c]][0 .. NSLOTS-1], cap_read[p_cspace[c]][0 .. NSLOTS-1],
          cap_write[p_cspace[c]][0 .. NSLOTS-1], cap_grant[p_cspace[c]][0 .. NSLOTS-1],
          cap_badge[p_cspace[c]][0 .. NSLOTS-1];
  ensures inv: Inv;
  ensures p_state[c] == PS_READY && p_regs[REG(cur, A0)] == E_OK;
  ensures msg: p_regs[REG(c, A0)] == E_OK && p_regs[REG(c, A1)] == 0 &&
    p_regs[REG(c, A2)] == \old(p_regs[REG(cur, A1)]) &&
    p_regs[REG(c, A2 + 1)] == \old(p_regs[REG(cur, A2)]) &&
    p_regs[REG(c, A2 + 4)] == \old(p_regs[REG(cur, A2 + 3)]);
  ensures hi: hi_wf;
  ensures epq: epq_wf;
*/
static void reply_to_caller(uint32_t cur, uint32_t c)
{
  msg_load(cur, 0);
  deliver(cur, c);
  wake(c);
  p_reg(cur, A0) = E_OK;
}

/* The commit of ipc_send: every guard passed, so cur's message is taken
 * (p_m*, with the capability's badge), and either the receiver that
 * waited longest on ep is returned, or none waits and cur blocks in ep's
 * send queue (NO_PROC). Nothing here can fail. (Split from the guards so
 * that WP proves these effects without the guard paths in every goal:
 * proofs/README.md.) */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && cur < p_hi && p_state[cur] == PS_READY;
  requires Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES && is_cspace(p_cspace[cur]);
  requires ep < NFRAMES && frame_type[ep] == OT_ENDPOINT;
  assigns p_state[cur], p_wait[cur], p_wait_gen[cur], p_ticket[cur], next_ticket,
          p_mlabel[cur], p_mword[MW(cur, 0) .. MW(cur, 3)], p_mcaps[cur],
          p_mbadge[cur], ep_recv[ep], ep_nosend[ep];
  ensures inv: Inv;
  ensures partner: \result != NO_PROC ==>
    \result < p_hi && p_state[\result] == PS_RECV && p_cspace[\result] < NFRAMES;
  ensures blocked: \result == NO_PROC ==>
    p_state[cur] == PS_SEND || p_state[cur] == PS_CALL;
  ensures running: \result != NO_PROC ==> p_state[cur] == PS_READY;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
*/
static uint32_t send_commit(uint32_t cur, uint32_t ep, uint64_t badge,
                            uint32_t is_call)
{
  uint32_t r;
  msg_load(cur, badge);
  r = waiter_first(ep, PS_RECV);
  if (r == NO_PROC) {
    ep_recv(ep) = NO_PROC;           /* known now: nobody waits to receive */
    block_on(cur, is_call != 0 ? PS_CALL : PS_SEND, ep);
  }
  return r;
}

/* spec: ipc_send */
/* Send (is_call == 0) or call (is_call == 1) on the endpoint in ep_slot of
 * cur's cspace (write right; grant right too if capabilities travel). The
 * message is in cur's registers (abi.h). Refused: the error, nothing
 * changed. Otherwise the message is taken (p_m*), and either no receiver
 * waits and cur blocks in the endpoint's send queue (.partner = NO_PROC),
 * or .partner is the receiver that waited longest, and the caller must
 * finish with ipc_send_to(cur, partner, is_call). (Two steps so that each
 * proved function names the capability space it writes.) */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && cur < p_hi && p_state[cur] == PS_READY;
  requires Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES && is_cspace(p_cspace[cur]);
  // cur's own fields, and the queue indices of the endpoint it names
  assigns p_state[cur], p_wait[cur], p_wait_gen[cur], p_ticket[cur], next_ticket,
          p_mlabel[cur], p_mword[MW(cur, 0) .. MW(cur, 3)], p_mcaps[cur],
          p_mbadge[cur], ep_recv[resolved_obj(p_cspace[cur], ep_slot)],
          ep_nosend[resolved_obj(p_cspace[cur], ep_slot)];
  ensures inv: Inv;
  ensures \result.err == E_OK && \result.partner != NO_PROC ==>
    \result.partner < p_hi && p_state[\result.partner] == PS_RECV &&
    p_cspace[\result.partner] < NFRAMES;
  ensures blocked: \result.err == E_OK && \result.partner == NO_PROC ==>
    p_state[cur] == PS_SEND || p_state[cur] == PS_CALL;
  // what ipc_send_to, the second step, requires of cur (arch-riscv/syscall.c)
  ensures still_running: \result.err == E_OK && \result.partner != NO_PROC ==>
    p_state[cur] == PS_READY;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
  behavior bad_ep:
    assumes invoke_err(p_cspace[cur], ep_slot, OT_ENDPOINT, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result.err == invoke_err(p_cspace[cur], ep_slot, OT_ENDPOINT, 0, 1);
  behavior bad_msg:
    assumes invoke_err(p_cspace[cur], ep_slot, OT_ENDPOINT, 0, 1) == E_OK;
    assumes send_msg_err(cur) != E_OK;
    assigns \nothing;
    ensures \result.err == send_msg_err(cur);
  // capabilities travel only through an endpoint capability that grants
  // (its own grant right and every forwarder's on the way)
  behavior no_grant:
    assumes invoke_err(p_cspace[cur], ep_slot, OT_ENDPOINT, 0, 1) == E_OK;
    assumes send_msg_err(cur) == E_OK;
    assumes p_regs[REG(cur, A6)] % 4 != 0 && !resolved_grant(p_cspace[cur], ep_slot);
    assigns \nothing;
    ensures \result.err == E_NO_RIGHTS;
  behavior sent:
    assumes invoke_err(p_cspace[cur], ep_slot, OT_ENDPOINT, 0, 1) == E_OK;
    assumes send_msg_err(cur) == E_OK;
    assumes p_regs[REG(cur, A6)] % 4 == 0 || resolved_grant(p_cspace[cur], ep_slot);
    ensures \result.err == E_OK;
  complete behaviors;
  disjoint behaviors;
*/
struct send_ret ipc_send(uint32_t cur, uint32_t ep_slot, uint32_t is_call)
{
  struct send_ret ret = { E_OK, NO_PROC };
  uint32_t cs = p_cspace(cur), desc;
  struct resolve_ret e = invoke_lookup(cs, ep_slot, OT_ENDPOINT, 0, 1);
  kerr_t err;
  if (e.err != E_OK) {
    ret.err = e.err;
    return ret;
  }
  if (p_reg(cur, A6) >= 1048576u) {
    ret.err = E_BAD_ARG;
    return ret;
  }
  desc = (uint32_t)(p_reg(cur, A6) % 1048576u);
  err = msg_check(cs, desc);
  if (err != E_OK) {
    ret.err = err;
    return ret;
  }
  if (desc % 4u != 0 && e.grant == 0) {
    ret.err = E_NO_RIGHTS;
    return ret;
  }
  /* commit point */
  ret.partner = send_commit(cur, e.obj, e.badge, is_call);
  return ret;
}

/* spec: ipc_send_to */
/* The second step of a send that found receiver r: deliver cur's message
 * to r and make r ready; a send completes (cur's a0 = E_OK), a call waits
 * for the reply from r. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && cur < p_hi && p_state[cur] == PS_READY && r < p_hi;
  requires Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES && r < NFRAMES && p_cspace[r] < NFRAMES;
  assigns p_regs[REG(r, A0) .. REG(r, A7)], p_regs[REG(cur, A0)],
          p_state[cur], p_wait[cur], p_wait_gen[cur], p_ticket[cur],
          p_state[r], p_ticket[r], next_ticket,
          p_reply_to[r], p_reply_gen[r], p_reply_tkt[r],
          cap_type[p_cspace[r]][0 .. NSLOTS-1], cap_obj[p_cspace[r]][0 .. NSLOTS-1],
          cap_gen[p_cspace[r]][0 .. NSLOTS-1], cap_read[p_cspace[r]][0 .. NSLOTS-1],
          cap_write[p_cspace[r]][0 .. NSLOTS-1], cap_grant[p_cspace[r]][0 .. NSLOTS-1],
          cap_badge[p_cspace[r]][0 .. NSLOTS-1];
  ensures inv: Inv;
  ensures received: p_state[r] == PS_READY || r == cur;
  ensures call_waits: is_call != 0 && r != cur ==> p_state[cur] == PS_REPLY &&
    p_wait[cur] == r && p_reply_to[r] == cur;
  ensures msg: r != cur ==> p_regs[REG(r, A0)] == E_OK &&
    p_regs[REG(r, A1)] == p_mbadge[cur] && p_regs[REG(r, A2)] == p_mlabel[cur] &&
    p_regs[REG(r, A2 + 1)] == p_mword[MW(cur, 0)] &&
    p_regs[REG(r, A2 + 4)] == p_mword[MW(cur, 3)];
  ensures no_caps: r != cur && p_mcaps[cur] % 4 == 0 ==> p_regs[REG(r, A7)] == 0;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
*/
void ipc_send_to(uint32_t cur, uint32_t r, uint32_t is_call)
{
  deliver(cur, r);
  wake(r);
  if (is_call != 0)
    await_reply(cur, r);
  else
    p_reg(cur, A0) = E_OK;
}

/* spec: ipc_recv */
/* Receive on the endpoint in ep_slot of cur's cspace (read right): take
 * the message of the longest-waiting sender, or block until one comes.
 * A caller's message gives cur the reply capability for it. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf;
  requires Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES && is_cspace(p_cspace[cur]);
  requires running: cur < p_hi && p_state[cur] == PS_READY;
  // (cur's fields, the one endpoint it names, and the rows of the one
  // sender it takes, which only the code names: `others` below says
  // every other process's are kept)
  assigns p_state[0 .. NFRAMES-1], p_wait[0 .. NFRAMES-1],
          p_wait_gen[0 .. NFRAMES-1], p_ticket[0 .. NFRAMES-1], next_ticket,
          p_regs[0 .. NFRAMES*NREGS-1],
          p_reply_to[cur], p_reply_gen[cur], p_reply_tkt[cur],
          cap_type[p_cspace[cur]][0 .. NSLOTS-1], cap_obj[p_cspace[cur]][0 .. NSLOTS-1],
          cap_gen[p_cspace[cur]][0 .. NSLOTS-1], cap_read[p_cspace[cur]][0 .. NSLOTS-1],
          cap_write[p_cspace[cur]][0 .. NSLOTS-1], cap_grant[p_cspace[cur]][0 .. NSLOTS-1],
          cap_badge[p_cspace[cur]][0 .. NSLOTS-1],
          ep_recv[resolved_obj(p_cspace[cur], ep_slot)],
          ep_nosend[resolved_obj(p_cspace[cur], ep_slot)];
  // one clause, one goal (proofs/README.md: "One goal per group")
  ensures post:
    (inv: Inv) &&
    (got_or_blocked: \result == E_OK ==>
      p_state[cur] == PS_RECV || p_regs[REG(cur, A0)] == E_OK) &&
    (hi: hi_wf) &&
    (epq: epq_wf);
  behavior bad_ep:
    assumes invoke_err(p_cspace[cur], ep_slot, OT_ENDPOINT, 1, 0) != E_OK;
    assigns \nothing;
    ensures \result == invoke_err(p_cspace[cur], ep_slot, OT_ENDPOINT, 1, 0);
  behavior received:
    assumes invoke_err(p_cspace[cur], ep_slot, OT_ENDPOINT, 1, 0) == E_OK;
    ensures \result == E_OK;
    // only cur and one sender on the endpoint change: every other process
    // keeps its state, ticket, wait and registers
    ensures others: \forall integer q; 0 <= q < NFRAMES && q != cur &&
      !\old(waiting_on(q, resolved_obj(p_cspace[cur], ep_slot), PS_SEND, PS_CALL)) ==>
      proc_kept{Pre, Here}(q) && waits_kept{Pre, Here}(q);
    ensures one_sender: \forall integer q1, q2; 0 <= q1 < NFRAMES && 0 <= q2 < NFRAMES &&
      q1 != cur && q2 != cur &&
      !(proc_kept{Pre, Here}(q1) && waits_kept{Pre, Here}(q1)) &&
      !(proc_kept{Pre, Here}(q2) && waits_kept{Pre, Here}(q2)) ==> q1 == q2;
    // the sender taken: a send completes (ready, a0 = E_OK), a call waits
    // for cur's reply
    ensures sender: \forall integer q; 0 <= q < NFRAMES && q != cur &&
      !(proc_kept{Pre, Here}(q) && waits_kept{Pre, Here}(q)) ==>
      \old(waiting_on(q, resolved_obj(p_cspace[cur], ep_slot), PS_SEND, PS_CALL)) &&
      (\old(p_state[q]) == PS_SEND ==> p_state[q] == PS_READY) &&
      (\old(p_state[q]) == PS_CALL ==> p_state[q] == PS_REPLY && p_wait[q] == cur);
    // (that no other register of its changes: a goal both provers time
    // out on, 20 s, in this context)
    ensures sender_a0: \forall integer q; 0 <= q < NFRAMES && q != cur &&
      \old(p_state[q]) == PS_SEND && p_state[q] == PS_READY ==>
      p_regs[REG(q, A0)] == E_OK;
  complete behaviors;
  disjoint behaviors;
*/
kerr_t ipc_recv(uint32_t cur, uint32_t ep_slot)
{
  uint32_t cs = p_cspace(cur), ep, s;
  struct resolve_ret e = invoke_lookup(cs, ep_slot, OT_ENDPOINT, 1, 0);
  if (e.err != E_OK)
    return e.err;
  ep = e.obj;
  s = ep_nosend(ep) == 1 ? NO_PROC : find_waiter(ep, PS_SEND, PS_CALL);
  if (s == NO_PROC) {
    recv_block(cur, ep);             /* and ep_nosend records the empty queue */
    return E_OK;
  }
  deliver(s, cur);
  if (p_state(s) == PS_CALL) {
    await_reply(s, cur);
  } else {
    p_reg(s, A0) = E_OK;
    wake(s);
  }
  return E_OK;
}

/* spec: ipc_reply */
/* Reply through cur's reply capability: valid only while the caller it
 * names still waits for exactly this reply (same generation, state
 * PS_REPLY on cur, same ticket); used once, valid or not. The reply is a
 * message from cur's registers (a1 label, a2..a5 words, a6 caps, each
 * cap with the grant right), delivered with badge 0. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf;
  requires Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES && is_cspace(p_cspace[cur]);
  // (the caller it answers: the one its reply capability names)
  assigns p_state[p_reply_to[cur] % NFRAMES], p_ticket[p_reply_to[cur] % NFRAMES],
          next_ticket,
          p_regs[REG(p_reply_to[cur] % NFRAMES, A0) .. REG(p_reply_to[cur] % NFRAMES, A7)],
          p_regs[REG(cur, A0)],
          p_mlabel[cur], p_mword[MW(cur, 0) .. MW(cur, 3)], p_mcaps[cur],
          p_mbadge[cur], p_reply_to[cur],
          cap_type[p_cspace[p_reply_to[cur] % NFRAMES]][0 .. NSLOTS-1], cap_obj[p_cspace[p_reply_to[cur] % NFRAMES]][0 .. NSLOTS-1],
          cap_gen[p_cspace[p_reply_to[cur] % NFRAMES]][0 .. NSLOTS-1], cap_read[p_cspace[p_reply_to[cur] % NFRAMES]][0 .. NSLOTS-1],
          cap_write[p_cspace[p_reply_to[cur] % NFRAMES]][0 .. NSLOTS-1], cap_grant[p_cspace[p_reply_to[cur] % NFRAMES]][0 .. NSLOTS-1],
          cap_badge[p_cspace[p_reply_to[cur] % NFRAMES]][0 .. NSLOTS-1];
  // one clause, one goal (proofs/README.md: "One goal per group")
  ensures post:
    (inv: Inv) &&
    (one_shot: \result == E_OK || \result == E_NO_REPLY ==>
      p_reply_to[cur] == NO_PROC) &&
    (hi: hi_wf) &&
    (epq: epq_wf);
  // what ipc_recv requires of cur after a reply (SYS_REPLY_RECV)
  ensures still_running: \old(p_state[cur]) == PS_READY ==> p_state[cur] == PS_READY;
  behavior bad_msg:
    assumes send_msg_err(cur) != E_OK;
    assigns \nothing;
    ensures \result == send_msg_err(cur);
  behavior no_reply:
    assumes send_msg_err(cur) == E_OK && !reply_ok(cur, p_reply_to[cur]);
    assigns p_reply_to[cur];
    ensures \result == E_NO_REPLY;
  behavior replied:
    assumes send_msg_err(cur) == E_OK && reply_ok(cur, p_reply_to[cur]);
    ensures \result == E_OK;
  complete behaviors;
  disjoint behaviors;
*/
kerr_t ipc_reply(uint32_t cur)
{
  uint32_t c = p_reply_to(cur), desc;
  kerr_t err;
  if (p_reg(cur, A6) >= 1048576u)
    return E_BAD_ARG;
  desc = (uint32_t)(p_reg(cur, A6) % 1048576u);
  err = msg_check(p_cspace(cur), desc);
  if (err != E_OK)
    return err;
  p_reply_to(cur) = NO_PROC;     /* one shot, whatever happens below */
  if (c >= NFRAMES || !proc_live(c) || p_cspace(c) >= NFRAMES ||
      p_gen(c) != p_reply_gen(cur) ||
      p_state(c) != PS_REPLY || p_wait(c) != cur ||
      p_ticket(c) != p_reply_tkt(cur))
    return (kerr_t)E_NO_REPLY;
  /*@ assert c == c % NFRAMES; */
  reply_to_caller(cur, c);
  return E_OK;
}

/* spec: ipc_fault */
/* A fault (or exit) of cur, described by label and three words, goes to
 * its fault endpoint as a call: the handler's reply resumes cur. With no
 * live fault endpoint cur stops (PS_STOPPED). Returns 1 if a message was
 * sent or queued, 0 if cur stopped. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && cur < p_hi && p_state[cur] == PS_READY;
  requires Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES;
  // (cur's fields, its fault endpoint's indices, and the rows of the one
  // receiver it delivers to, which only the code names: `only_handler`
  // below says every other process's are kept)
  assigns p_state[0 .. NFRAMES-1], p_wait[0 .. NFRAMES-1],
          p_wait_gen[0 .. NFRAMES-1], p_ticket[0 .. NFRAMES-1], next_ticket,
          p_regs[0 .. NFRAMES*NREGS-1],
          p_mlabel[cur], p_mword[MW(cur, 0) .. MW(cur, 3)], p_mcaps[cur],
          p_mbadge[cur], p_reply_to[0 .. NFRAMES-1],
          p_reply_gen[0 .. NFRAMES-1], p_reply_tkt[0 .. NFRAMES-1],
          ep_recv[p_fault_ep[cur]], ep_nosend[p_fault_ep[cur]];

  ensures inv: Inv;
  ensures \result == 0 ==> p_state[cur] == PS_STOPPED;
  // the receiver, when there was one (cur then waits for its reply):
  // it was receiving on cur's fault endpoint, it is ready and holds the
  // reply capability; and no process but it and cur changes (the
  // message in its registers: the assertion `handled` in the code; as
  // an ensures, Z3 fails on it with "Unknown error" and CVC4 times out)
  ensures handler: p_state[cur] == PS_REPLY ==> \let h = p_wait[cur];
    0 <= h < NFRAMES && h != cur &&
    \at(p_state[h], Pre) == PS_RECV && \at(p_wait[h], Pre) == \old(p_fault_ep[cur]) &&
    p_state[h] == PS_READY && p_reply_to[h] == cur;
  ensures only_handler: \forall integer q; 0 <= q < NFRAMES && q != cur &&
    (p_state[cur] != PS_REPLY || q != p_wait[cur]) ==>
    proc_kept{Pre, Here}(q) && waits_kept{Pre, Here}(q) &&
    p_reply_to[q] == \old(p_reply_to[q]);
  ensures hi: hi_wf;
  ensures epq: epq_wf;
*/
int ipc_fault(uint32_t cur, uint64_t label, uint64_t w0, uint64_t w1,
              uint64_t w2)
{
  uint32_t ep = p_fault_ep(cur), r;
  if (ep >= NFRAMES || frame_type[ep] != OT_ENDPOINT ||
      frame_gen[ep] != p_fault_gen(cur)) {
    p_state(cur) = PS_STOPPED;
    /*@ assert stopped_epq: epq_wf; */
    return 0;
  }
  p_mlabel(cur) = label;
  p_mw(cur, 0) = w0;
  p_mw(cur, 1) = w1;
  p_mw(cur, 2) = w2;
  p_mw(cur, 3) = 0;
  p_mcaps(cur) = 0;
  p_mbadge(cur) = p_fault_badge(cur);
  r = waiter_first(ep, PS_RECV);
  if (r == NO_PROC) {
    ep_recv(ep) = NO_PROC;
    block_on(cur, PS_CALL, ep);
    /*@ assert blocked_epq: epq_wf; */
    return 1;
  }
  deliver_msg(cur, r, 0);
  wake(r);
  await_reply(cur, r);
  /*@ assert delivered_epq: epq_wf; */
  /*@ assert handled: p_wait[cur] == r && p_state[r] == PS_READY &&
        p_regs[REG(r, A0)] == E_OK && p_regs[REG(r, A2)] == label &&
        p_reply_to[r] == cur; */
  return 1;
}

/* spec: ntfn_post */
/* Post the bits `all` (not 0) to notification n: the longest waiter, if
 * any, takes them with the bits already pending, and is made ready (the
 * result, else NO_PROC); nobody waiting, n keeps them. Shared by a
 * signal (ntfn_signal) and an interrupt (irq_deliver). */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf;
  requires Inv;
  requires epq: epq_wf;
  requires n < NFRAMES && frame_type[n] == OT_NOTIFICATION;
  requires all != 0;
  // (the rows of the one process it wakes, which only the result names:
  // `others` below says every other process's are kept)
  assigns n_bits[n], p_state[0 .. NFRAMES-1], p_ticket[0 .. NFRAMES-1], next_ticket,
          p_regs[0 .. NFRAMES*NREGS-1];
  ensures inv: Inv;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
  ensures kept: \result == NO_PROC ==> n_bits[n] != 0;
  ensures woken: \result != NO_PROC ==> \result < p_hi && p_state[\result] == PS_READY;
  // only the process woken changes, and of its registers a0 and a1
  ensures others: \forall integer q; 0 <= q < NFRAMES && q != \result ==>
    proc_kept{Pre, Here}(q);
  ensures other_regs: \result != NO_PROC ==> regs_kept_but_a01{Pre, Here}(\result);
  // nobody woken: n keeps the bits; else the one woken takes them all
  ensures posted: posted{Pre, Here}(n, all, \result);
  behavior none:
    assumes \forall integer q; 0 <= q < NFRAMES ==> !waiting_on(q, n, PS_NOTIF, PS_NOTIF);
    assigns n_bits[n];
    ensures \result == NO_PROC;
  behavior wake:
    assumes \exists integer q; 0 <= q < NFRAMES && waiting_on(q, n, PS_NOTIF, PS_NOTIF);
    // the first waiter by ticket
    ensures first: \result != NO_PROC && \old(waiting_on(\result, n, PS_NOTIF, PS_NOTIF)) &&
      \forall integer q; 0 <= q < NFRAMES && \old(waiting_on(q, n, PS_NOTIF, PS_NOTIF)) ==>
        \old(p_ticket[\result]) <= \old(p_ticket[q]);
  complete behaviors;
  disjoint behaviors;
*/
uint32_t ntfn_post(uint32_t n, uint64_t all)
{
  uint32_t w = waiter_first(n, PS_NOTIF);
  if (w == NO_PROC) {
    n_bits(n) = n_bits(n) | all;
    /*@ assert kept: n_bits[n] != 0; */
    return NO_PROC;
  }
  p_reg(w, A0) = E_OK;
  p_reg(w, A1) = n_bits(n) | all;
  /*@ assert given: p_regs[REG(w, A1)] != 0; */
  n_bits(n) = 0;
  wake(w);
  return w;
}

/* spec: ntfn_signal */
/* Signal the notification in slot (write right, through forwarders): its
 * bits become bits | the capability's badge (which must not be 0:
 * E_BAD_ARG). The longest waiter, if any, takes all the bits at once and
 * is made ready: .partner (else NO_PROC), so that the caller's scheduler
 * can switch to it directly (arch-riscv/user.c). */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf;
  requires Inv;
  requires epq: epq_wf;
  requires is_cspace(cs);
  assigns n_bits[0 .. NFRAMES-1], p_state[0 .. NFRAMES-1],
          p_ticket[0 .. NFRAMES-1], next_ticket,
          p_regs[0 .. NFRAMES*NREGS-1];
  ensures inv: Inv;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
  ensures woken: \result.partner == NO_PROC ||
    (\result.err == E_OK && \result.partner < p_hi && p_state[\result.partner] == PS_READY);
  behavior bad_cap:
    assumes invoke_err(cs, slot, OT_NOTIFICATION, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result.err == invoke_err(cs, slot, OT_NOTIFICATION, 0, 1) &&
      \result.partner == NO_PROC;
  behavior no_bits:
    assumes invoke_err(cs, slot, OT_NOTIFICATION, 0, 1) == E_OK;
    assumes (bits | resolved_badge(cs, slot)) == 0;
    assigns \nothing;
    ensures \result.err == E_BAD_ARG && \result.partner == NO_PROC;
  behavior signalled:
    assumes invoke_err(cs, slot, OT_NOTIFICATION, 0, 1) == E_OK;
    assumes (bits | resolved_badge(cs, slot)) != 0;
    ensures \result.err == E_OK;
    // the bits go to the waiter woken (the assertion `given` below), or
    // stay with the notification when nobody waits
    ensures gives_bits_kept: \result.partner == NO_PROC ==>
      n_bits[\old(resolved_obj(cs, slot))] != 0;
    // exactly (ntfn_post): the bits and the capability's badge, kept by
    // the notification or taken in a1 (a0 = E_OK) by the one waiter woken
    ensures posted: posted{Pre, Here}(\old(resolved_obj(cs, slot)),
      bits | \old(resolved_badge(cs, slot)), \result.partner);
    // and no other process changes
    ensures others: \forall integer q; 0 <= q < NFRAMES && q != \result.partner ==>
      proc_kept{Pre, Here}(q);
    ensures other_regs: \result.partner != NO_PROC ==>
      regs_kept_but_a01{Pre, Here}(\result.partner);
  complete behaviors;
  disjoint behaviors;
*/
struct send_ret ntfn_signal(uint32_t cs, uint32_t slot, uint64_t bits)
{
  struct send_ret ret = { E_OK, NO_PROC };
  struct resolve_ret e = invoke_lookup(cs, slot, OT_NOTIFICATION, 0, 1);
  uint64_t all;
  if (e.err != E_OK) {
    ret.err = e.err;
    return ret;
  }
  all = bits | e.badge;
  if (all == 0) {
    ret.err = E_BAD_ARG;
    return ret;
  }
  ret.partner = ntfn_post(e.obj, all);
  return ret;
}

/* spec: ntfn_wait */
/* Wait on the notification in slot (read right): take and clear its bits
 * (a1), or block until a signal comes. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && cur < p_hi && p_state[cur] == PS_READY;
  requires Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES && is_cspace(p_cspace[cur]);
  // (cur's own fields, and the one notification it names)
  assigns n_bits[resolved_obj(p_cspace[cur], slot)], p_state[cur], p_wait[cur],
          p_wait_gen[cur], p_ticket[cur], next_ticket,
          p_regs[REG(cur, A0)], p_regs[REG(cur, A1)],
          ep_recv[resolved_obj(p_cspace[cur], slot)],
          ep_nosend[resolved_obj(p_cspace[cur], slot)];
  ensures inv: Inv;
  ensures got_or_blocked: \result == E_OK ==>
    p_state[cur] == PS_NOTIF || p_regs[REG(cur, A0)] == E_OK;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
  behavior bad_cap:
    assumes invoke_err(p_cspace[cur], slot, OT_NOTIFICATION, 1, 0) != E_OK;
    assigns \nothing;
    ensures \result == invoke_err(p_cspace[cur], slot, OT_NOTIFICATION, 1, 0);
  behavior got:
    assumes invoke_err(p_cspace[cur], slot, OT_NOTIFICATION, 1, 0) == E_OK;
    assumes n_bits[resolved_obj(p_cspace[cur], slot)] != 0;
    assigns p_regs[REG(cur, A0)], p_regs[REG(cur, A1)],
            n_bits[resolved_obj(p_cspace[cur], slot)];
    ensures \result == E_OK;
    ensures \let n = \old(resolved_obj(p_cspace[cur], slot));
      p_regs[REG(cur, A0)] == E_OK && p_regs[REG(cur, A1)] == \old(n_bits[n]) &&
      n_bits[n] == 0;
  behavior blocked:
    assumes invoke_err(p_cspace[cur], slot, OT_NOTIFICATION, 1, 0) == E_OK;
    assumes n_bits[resolved_obj(p_cspace[cur], slot)] == 0;
    ensures \result == E_OK && p_state[cur] == PS_NOTIF;
  complete behaviors;
  disjoint behaviors;
*/
kerr_t ntfn_wait(uint32_t cur, uint32_t slot)
{
  struct resolve_ret e = invoke_lookup(p_cspace(cur), slot, OT_NOTIFICATION, 1, 0);
  uint32_t n;
  if (e.err != E_OK)
    return e.err;
  n = e.obj;
  if (n_bits(n) == 0) {
    /* an unknown index (a new notification, or two waiters once) becomes
     * known here, when nobody waits: one scan, so that the next signals
     * find their waiter without one */
    if (ep_recv(n) == EPQ_UNKNOWN && find_waiter(n, PS_NOTIF, PS_NOTIF) == NO_PROC)
      ep_recv(n) = NO_PROC;
    block_on(cur, PS_NOTIF, n);
    return E_OK;
  }
  p_reg(cur, A0) = E_OK;
  p_reg(cur, A1) = n_bits(n);
  n_bits(n) = 0;
  return E_OK;
}

/* ---- the IPC fast path ---------------------------------------------------
 * A call, or a reply-and-receive, with a register-only message between
 * two processes, when the partner is known without a scan and may run at
 * once. Each fast function first checks its conditions (a few loads,
 * changing nothing) and returns NO_PROC when one fails: the syscall then
 * takes the slow path, which gives it its full meaning (errors included).
 * When they hold, it makes the very calls the slow path would make, in
 * the same order, on the same arguments: the conditions are exactly what
 * makes each guard of the slow path pass and each scan of it find this
 * partner (or none), which the contracts state. Three helpers are written
 * out (ipc_send_to, reply_to_caller, recv_block), each as its body with
 * what the conditions make of it (msg_load then deliver without
 * capabilities is deliver_now; ep_nosend is 1 already), asserted where it
 * is used, so that the fast path is one leaf function. The one difference
 * in state: the slow path also leaves cur's message record (p_m*) holding
 * the message it has just delivered, which nothing reads (deliver_now);
 * the fast path leaves the record as it was. arch-riscv/fastpath.c then
 * switches to the partner, as user.c's direct switch would. */

/* The fast path's delivery of a register-only message: from's label (a1)
 * and words (a2..a5) straight into to's registers with badge, as
 * msg_load(from, badge) then deliver_msg(from, to, 0) put them there, but
 * without from's message record p_m* in between. That record is only
 * read when from is delivered from as a blocked sender (PS_SEND,
 * PS_CALL), and from can only become one again through send_commit's
 * msg_load or ipc_fault, which write it anew: the record of a message
 * delivered at once is dead. (Loaded before any store: the two rows are
 * one table to the compiler.) */
/*@
  requires sizes: SIZES_OK;
  requires from < NFRAMES && to < NFRAMES;
  assigns p_regs[REG(to, A0) .. REG(to, A7)];
  ensures p_regs[REG(to, A0)] == E_OK && p_regs[REG(to, A1)] == badge &&
    p_regs[REG(to, A2)] == \old(p_regs[REG(from, A1)]) &&
    p_regs[REG(to, A2 + 1)] == \old(p_regs[REG(from, A2)]) &&
    p_regs[REG(to, A2 + 2)] == \old(p_regs[REG(from, A2 + 1)]) &&
    p_regs[REG(to, A2 + 3)] == \old(p_regs[REG(from, A2 + 2)]) &&
    p_regs[REG(to, A2 + 4)] == \old(p_regs[REG(from, A2 + 3)]) &&
    p_regs[REG(to, A7)] == 0;
*/
static void deliver_now(uint32_t from, uint32_t to, uint64_t badge)
{
  const uint64_t *w = &p_regx(from, 0);
  uint64_t *r = &p_regx(to, 0);
  uint64_t label = w[A1], w0 = w[A2], w1 = w[A2 + 1u], w2 = w[A2 + 2u], w3 = w[A2 + 3u];
  r[A0] = E_OK;
  r[A1] = badge;
  r[A2] = label;
  r[A2 + 1u] = w0;
  r[A2 + 2u] = w1;
  r[A2 + 3u] = w2;
  r[A2 + 4u] = w3;
  r[A7] = 0;
}

/* The fast paths' first check: cur's capability space, as an index, if
 * it is still the live cspace cur was given (cspace_of_ok: the decode
 * layer's E_STALE otherwise), else -1. */
/*@
  requires sizes: SIZES_OK;
  requires cur < NFRAMES;
  assigns \nothing;
  ensures \result == -1 <==> !cspace_of_ok(cur);
  ensures \result != -1 ==> \result == p_cspace[cur];
*/
static int32_t fast_cspace(uint32_t cur)
{
  uint32_t v = p_cspace(IX(cur));
  if (v >= NFRAMES)
    return -1;
  if (frame_type[IX(v)] != OT_CSPACE || frame_gen[IX(v)] != p_cspace_gen(IX(cur)))
    return -1;
  return IX(v);
}

/* is_waiting(q, e, st, st) over int indices, for the fast paths: through
 * is_waiting, whose indices are uint32_t and so zero-extended at each
 * use, the signal fast path costs 5 instructions more. */
/*@
  requires sizes: SIZES_OK;
  requires 0 <= q < NFRAMES && 0 <= e < NFRAMES;
  assigns \nothing;
  ensures \result == 0 || \result == 1;
  ensures \result == 1 <==> waiting_on(q, e, st, st);
*/
static int fast_waiting(int32_t q, int32_t e, uint32_t st)
{
  return p_state(q) == st && p_wait(q) == (uint32_t)e && p_wait_gen(q) == frame_gen[e] &&
         frame_type[q] == OT_PROCESS && frame_gen[q] == p_gen(q) && p_cspace(q) < NFRAMES;
}

/* Who the fast call would deliver to: the receiver waiting on the
 * endpoint in cur's slot a0, or NO_PROC if a condition fails. */
/*@
  requires sizes: SIZES_OK;
  requires Inv && hi_wf;
  requires cur < NFRAMES;
  assigns \nothing;
  ensures \result == NO_PROC <==> !fast_call_ok(cur);
  ensures \result != NO_PROC ==>
    \result == ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]];
*/
static uint32_t fast_call_target(uint32_t cur)
{
  /* Each index is a 32-bit value checked below NFRAMES (or so by Inv),
   * then used as an int (IX, proc.h: no zero-extension per use). */
  int32_t c = IX(cur), cs = fast_cspace(cur), ep, r;
  uint32_t v;
  const uint64_t *row = &p_regx(c, 0);   /* cur's registers */
  uint64_t slot;
  /*@ assert ix_cur: c == cur && REGX(c, 0) == REG(cur, 0); */
  if (cs < 0)
    return NO_PROC;
  slot = row[A0];
  /*@ assert slot == p_regs[REG(cur, A0)] && row[A6] == p_regs[REG(cur, A6)]; */
  if (slot >= NSLOTS || row[A6] != 0)
    return NO_PROC;
  if (cap_type[cs][slot] != OT_ENDPOINT || cap_write[cs][slot] == 0)
    return NO_PROC;
  ep = IX(cap_obj[cs][slot]);
  /*@ assert ix_ep: ep == cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]; */
  if (frame_type[ep] != OT_ENDPOINT || frame_gen[ep] != cap_gen[cs][slot])
    return NO_PROC;
  v = ep_recv(ep);
  if (v >= NFRAMES)
    return NO_PROC;
  r = IX(v);
  /*@ assert ix_r: r == v && v == ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]; */
  /* a waiting process is below p_hi (hi_wf) */
  /*@ assert hi: v >= p_hi ==> frame_type[v] != OT_PROCESS; */
  if (!fast_waiting(r, ep, PS_RECV) || p_prio(r) < p_prio(c))
    return NO_PROC;
  return v;
}

/* spec: ipc_fast_call */
/* The fast path of SYS_CALL (slot a0, label a1, words a2..a5, caps a6).
 * Taken (returns the receiver r): the state is what the slow path
 * leaves, ipc_send(cur, a0, 1) finding r, then ipc_send_to(cur, r, 1),
 * then the decode layer's a0 = E_OK, but for cur's dead message record
 * (deliver_now); r is ready, cur waits for its reply.
 * Not taken (NO_PROC): nothing changed. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES && cur < p_hi && p_state[cur] == PS_READY;
  ensures inv: Inv;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
  behavior fallback:
    assumes !fast_call_ok(cur);
    assigns \nothing;
    ensures \result == NO_PROC;
  behavior fast:
    assumes fast_call_ok(cur);
    assigns p_regs[REG(ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]], A0) ..
                   REG(ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]], A7)],
            p_regs[REG(cur, A0)],
            p_state[cur], p_wait[cur], p_wait_gen[cur], p_ticket[cur],
            p_state[ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]],
            p_ticket[ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]], next_ticket,
            p_reply_to[ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]],
            p_reply_gen[ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]],
            p_reply_tkt[ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]],
            cap_type[p_cspace[ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]]][0 .. NSLOTS-1],
            cap_obj[p_cspace[ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]]][0 .. NSLOTS-1],
            cap_gen[p_cspace[ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]]][0 .. NSLOTS-1],
            cap_read[p_cspace[ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]]][0 .. NSLOTS-1],
            cap_write[p_cspace[ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]]][0 .. NSLOTS-1],
            cap_grant[p_cspace[ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]]][0 .. NSLOTS-1],
            cap_badge[p_cspace[ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]]][0 .. NSLOTS-1];
    // the slow path's guards pass: invoke(a0, ENDPOINT, write) on a direct
    // capability, caps descriptor 0 (msg_check passes, no grant needed)
    // one clause, one goal (proofs/README.md: "One goal per group")
    ensures fast:
      (guards: \old(lookup_err(p_cspace[cur], p_regs[REG(cur, A0)], OT_ENDPOINT, 0, 1)) == E_OK &&
        \old(p_regs[REG(cur, A6)]) == 0) &&
      (direct_switch: p_prio[\result] >= p_prio[cur]) &&
      (received: p_state[\result] == PS_READY) &&
      (call_waits: p_state[cur] == PS_REPLY && p_wait[cur] == \result &&
        p_reply_to[\result] == cur && p_regs[REG(cur, A0)] == E_OK) &&
      (badge: p_regs[REG(\result, A1)] == \old(cap_badge[p_cspace[cur]][p_regs[REG(cur, A0)]])) &&
      (msg: p_regs[REG(\result, A0)] == E_OK &&
        p_regs[REG(\result, A2)] == \old(p_regs[REG(cur, A1)]) &&
        p_regs[REG(\result, A2 + 1)] == \old(p_regs[REG(cur, A2)]) &&
        p_regs[REG(\result, A2 + 4)] == \old(p_regs[REG(cur, A2 + 3)]) &&
        p_regs[REG(\result, A7)] == 0);
    // the slow path's receiver: the only one waiting, so find_waiter's
    ensures same_receiver: \result == \old(ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]) &&
      \result != cur && \result < p_hi &&
      \forall integer q; 0 <= q < NFRAMES &&
        \old(waiting_on(q, cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]], PS_RECV, PS_RECV)) ==>
        q == \result;
  complete behaviors;
  disjoint behaviors;
*/
uint32_t ipc_fast_call(uint32_t cur)
{
  uint32_t r = fast_call_target(cur);
  int32_t c = IX(cur);                  /* IX: proc.h */
  uint64_t *row = &p_regx(c, 0);  /* cur's registers */
  uint64_t a0;
  if (r == NO_PROC)
    return NO_PROC;
  a0 = row[A0];
  /*@ assert ix_cur: c == cur; */
  /*@ assert ix_a0: REGX(c, 0) == REG(cur, 0) && a0 == p_regs[REG(cur, A0)]; */
  /*@ assert cs_ok: p_cspace[cur] < NFRAMES; */
  /* the lookup passed, so a0 is a slot number */
  /*@ assert a0_slot: a0 < NSLOTS; */
  /* commit point: ipc_send's effect with receiver r, then
   * ipc_send_to(cur, r, 1) written out: its msg_load and deliver(cur, r)
   * are deliver_now (a6 = 0 leaves no capability to transfer, so deliver
   * is deliver_msg(cur, r, 0); cur's record is dead), wake, await_reply;
   * then the decode layer's a0 = E_OK */
  deliver_now(cur, r, cap_badge[IX(p_cspace(c))][a0]);
  wake(r);
  await_reply(cur, r);
  row[A0] = E_OK;
  return r;
}

/* Whom the fast reply-and-receive would answer: the caller named by cur's
 * reply capability, or NO_PROC if a condition fails. */
/*@
  requires sizes: SIZES_OK;
  requires Inv && hi_wf;
  requires cur < NFRAMES;
  assigns \nothing;
  ensures \result == NO_PROC <==> !fast_reply_recv_ok(cur);
  ensures \result != NO_PROC ==> \result == p_reply_to[cur];
*/
static uint32_t fast_reply_target(uint32_t cur)
{
  /* indices as in fast_call_target */
  int32_t c = IX(cur), cs = fast_cspace(cur), ep, k;
  uint32_t w = p_reply_to(c);
  const uint64_t *row = &p_regx(c, 0);   /* cur's registers */
  uint64_t slot;
  /*@ assert ix_cur: c == cur && w == p_reply_to[cur] && REGX(c, 0) == REG(cur, 0); */
  if (cs < 0)
    return NO_PROC;
  slot = row[A0];
  /*@ assert slot == p_regs[REG(cur, A0)] && row[A6] == p_regs[REG(cur, A6)]; */
  if (slot >= NSLOTS || row[A6] != 0)
    return NO_PROC;
  if (w >= NFRAMES)
    return NO_PROC;
  k = IX(w);
  /*@ assert ix_k: k == w; */
  /* a waiting process is below p_hi (hi_wf) */
  /*@ assert hi: w >= p_hi ==> frame_type[w] != OT_PROCESS; */
  if (p_state(k) != PS_REPLY || frame_type[k] != OT_PROCESS ||
      frame_gen[k] != p_gen(k) || p_cspace(k) >= NFRAMES || p_gen(k) != p_reply_gen(c) ||
      p_wait(k) != cur || p_ticket(k) != p_reply_tkt(c) || p_prio(k) < p_prio(c))
    return NO_PROC;
  if (cap_type[cs][slot] != OT_ENDPOINT || cap_read[cs][slot] == 0)
    return NO_PROC;
  ep = IX(cap_obj[cs][slot]);
  /*@ assert ix_ep: ep == cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]; */
  if (frame_type[ep] != OT_ENDPOINT || frame_gen[ep] != cap_gen[cs][slot] || ep_nosend(ep) != 1)
    return NO_PROC;
  return w;
}

/* spec: ipc_fast_reply_recv */
/* The fast path of SYS_REPLY_RECV (slot a0, reply label a1, words
 * a2..a5, caps a6). Taken (returns the caller c it answered): the state
 * is what the slow path leaves, ipc_reply(cur) delivering to c, then
 * ipc_recv(cur, a0) finding no sender and blocking cur, then the decode
 * layer's a0 = E_OK, but for cur's dead message record (deliver_now).
 * Not taken (NO_PROC): nothing changed. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES && cur < p_hi && p_state[cur] == PS_READY;
  ensures inv: Inv;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
  behavior fallback:
    assumes !fast_reply_recv_ok(cur);
    assigns \nothing;
    ensures \result == NO_PROC;
  behavior fast:
    assumes fast_reply_recv_ok(cur);
    assigns p_regs[REG(p_reply_to[cur], A0) .. REG(p_reply_to[cur], A7)],
            p_regs[REG(cur, A0)], p_reply_to[cur],
            p_state[cur], p_wait[cur], p_wait_gen[cur], p_ticket[cur],
            p_state[p_reply_to[cur]], p_ticket[p_reply_to[cur]], next_ticket,
            ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]],
            ep_nosend[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]],
            cap_type[p_cspace[p_reply_to[cur]]][0 .. NSLOTS-1],
            cap_obj[p_cspace[p_reply_to[cur]]][0 .. NSLOTS-1],
            cap_gen[p_cspace[p_reply_to[cur]]][0 .. NSLOTS-1],
            cap_read[p_cspace[p_reply_to[cur]]][0 .. NSLOTS-1],
            cap_write[p_cspace[p_reply_to[cur]]][0 .. NSLOTS-1],
            cap_grant[p_cspace[p_reply_to[cur]]][0 .. NSLOTS-1],
            cap_badge[p_cspace[p_reply_to[cur]]][0 .. NSLOTS-1];
    // the slow path's guards pass: caps descriptor 0; the reply capability
    // is valid; invoke(a0, ENDPOINT, read) on a direct capability
    // one clause, one goal (proofs/README.md: "One goal per group")
    ensures fast:
      (guards: \old(p_regs[REG(cur, A6)]) == 0 &&
        \old(reply_ok(cur, p_reply_to[cur])) &&
        \old(lookup_err(p_cspace[cur], p_regs[REG(cur, A0)], OT_ENDPOINT, 1, 0)) == E_OK) &&
      (no_sender: \forall integer q; 0 <= q < NFRAMES ==>
        \old(!waiting_on(q, cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]], PS_SEND, PS_CALL))) &&
      (same_caller: \result == \old(p_reply_to[cur]) && \result != cur) &&
      (direct_switch: p_prio[\result] >= p_prio[cur]) &&
      (one_shot: p_reply_to[cur] == NO_PROC) &&
      (replied: p_state[\result] == PS_READY && p_regs[REG(\result, A0)] == E_OK &&
        p_regs[REG(\result, A1)] == 0 &&
        p_regs[REG(\result, A2)] == \old(p_regs[REG(cur, A1)]) &&
        p_regs[REG(\result, A2 + 1)] == \old(p_regs[REG(cur, A2)]) &&
        p_regs[REG(\result, A2 + 4)] == \old(p_regs[REG(cur, A2 + 3)])) &&
      (receiving: p_state[cur] == PS_RECV &&
        p_wait[cur] == \old(cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]) &&
        p_regs[REG(cur, A0)] == E_OK);
    // the slow receive finds no sender, so it blocks
  complete behaviors;
  disjoint behaviors;
*/
uint32_t ipc_fast_reply_recv(uint32_t cur)
{
  uint32_t k = fast_reply_target(cur), ep;
  int32_t c = IX(cur);                  /* IX: proc.h */
  uint64_t *row = &p_regx(c, 0);  /* cur's registers */
  uint64_t a0;
  if (k == NO_PROC)
    return NO_PROC;
  a0 = row[A0];
  /*@ assert ix_cur: c == cur; */
  /*@ assert ix_a0: REGX(c, 0) == REG(cur, 0) && a0 == p_regs[REG(cur, A0)]; */
  /*@ assert cs_ok: p_cspace[cur] < NFRAMES; */
  /* the lookup passed, so a0 is a slot number */
  /*@ assert a0_slot: a0 < NSLOTS; */
  ep = cap_obj[IX(p_cspace(c))][a0];
  /* commit point: ipc_reply's effect (one shot, deliver to k, a0), then
   * ipc_recv's blocking, then the decode layer's a0 = E_OK */
  p_reply_to(c) = NO_PROC;
  /* reply_to_caller(cur, k) written out: its msg_load with badge 0 and
   * deliver(cur, k) are deliver_now (a6 = 0: no capability to transfer;
   * cur's record is dead), wake, cur's a0 (set again below) */
  deliver_now(cur, k, 0);
  wake(k);
  /* ipc_recv's blocking half (ep_nosend[ep] is 1 already: the fast
   * path's condition, untouched since) */
  /*@ assert nosend_kept: ep_nosend[ep] == 1; */
  recv_block(cur, ep);
  row[A0] = E_OK;
  return k;
}

/* Whom the fast signal would wake: the waiter on the notification in
 * cur's slot a0, or NO_PROC if a condition fails. */
/*@
  requires sizes: SIZES_OK;
  requires Inv && hi_wf;
  requires cur < NFRAMES;
  assigns \nothing;
  ensures \result == NO_PROC <==> !fast_signal_ok(cur);
  ensures \result != NO_PROC ==>
    \result == ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]];
*/
static uint32_t fast_signal_target(uint32_t cur)
{
  /* indices as in fast_call_target */
  int32_t c = IX(cur), cs = fast_cspace(cur), n, w;
  uint32_t v;
  const uint64_t *row = &p_regx(c, 0);   /* cur's registers */
  uint64_t slot;
  /*@ assert ix_cur: c == cur && REGX(c, 0) == REG(cur, 0); */
  if (cs < 0)
    return NO_PROC;
  slot = row[A0];
  /*@ assert slot == p_regs[REG(cur, A0)] && row[A1] == p_regs[REG(cur, A1)]; */
  if (slot >= NSLOTS)
    return NO_PROC;
  if (cap_type[cs][slot] != OT_NOTIFICATION || cap_write[cs][slot] == 0 ||
      (row[A1] | cap_badge[cs][slot]) == 0)
    return NO_PROC;
  n = IX(cap_obj[cs][slot]);
  /*@ assert ix_n: n == cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]; */
  if (frame_type[n] != OT_NOTIFICATION || frame_gen[n] != cap_gen[cs][slot])
    return NO_PROC;
  v = ep_recv(n);
  if (v >= NFRAMES)
    return NO_PROC;
  w = IX(v);
  /*@ assert ix_w: w == v && v == ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]; */
  /* a waiting process is below p_hi (hi_wf) */
  /*@ assert hi: v >= p_hi ==> frame_type[v] != OT_PROCESS; */
  if (!fast_waiting(w, n, PS_NOTIF) || p_prio(w) <= p_prio(c))
    return NO_PROC;
  return v;
}

/* spec: ntfn_fast_signal */
/* The fast path of SYS_NOTIFY_SIGNAL (slot a0, bits a1). Taken (returns
 * the waiter w it woke): the state is what the slow path leaves,
 * ntfn_signal(p_cspace[cur], a0, a1) finding w, then the decode layer's
 * a0 = E_OK; w is ready with all the bits, of priority above cur's, which
 * stays ready (arch-riscv/fastpath.c then switches to w, as user.c's
 * after_syscall would for the one process a signal woke).
 * Not taken (NO_PROC): nothing changed. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES && cur < p_hi && p_state[cur] == PS_READY;
  ensures inv: Inv;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
  behavior fallback:
    assumes !fast_signal_ok(cur);
    assigns \nothing;
    ensures \result == NO_PROC;
  behavior fast:
    assumes fast_signal_ok(cur);
    assigns p_regs[REG(ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]], A0)],
            p_regs[REG(ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]], A1)],
            p_regs[REG(cur, A0)],
            n_bits[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]],
            p_state[ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]],
            p_ticket[ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]], next_ticket;
    // the slow path's guard passes: invoke(a0, NOTIFICATION, write) on a
    // direct capability, with bits to give
    // one clause, one goal (proofs/README.md: "One goal per group")
    ensures fast:
      (guards: \old(lookup_err(p_cspace[cur], p_regs[REG(cur, A0)], OT_NOTIFICATION, 0, 1)) == E_OK &&
        \old(p_regs[REG(cur, A1)] | cap_badge[p_cspace[cur]][p_regs[REG(cur, A0)]]) != 0) &&
      (direct_switch: p_prio[\result] > p_prio[cur] && p_state[cur] == PS_READY) &&
      (woken: p_state[\result] == PS_READY && p_regs[REG(\result, A0)] == E_OK &&
        p_regs[REG(\result, A1)] == \old(n_bits[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]] |
          (p_regs[REG(cur, A1)] | cap_badge[p_cspace[cur]][p_regs[REG(cur, A0)]]))) &&
      (taken: n_bits[\old(cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]])] == 0 &&
        p_regs[REG(cur, A0)] == E_OK);
    // the slow path's waiter: the only one waiting, so find_waiter's
    ensures same_waiter: \result == \old(ep_recv[cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]]]) &&
      \result != cur && \result < p_hi &&
      \forall integer q; 0 <= q < NFRAMES &&
        \old(waiting_on(q, cap_obj[p_cspace[cur]][p_regs[REG(cur, A0)]], PS_NOTIF, PS_NOTIF)) ==>
        q == \result;
  complete behaviors;
  disjoint behaviors;
*/
uint32_t ntfn_fast_signal(uint32_t cur)
{
  uint32_t w = fast_signal_target(cur);
  int32_t c = IX(cur);                  /* IX: proc.h */
  uint64_t *row = &p_regx(c, 0);  /* cur's registers */
  uint64_t *r;
  uint64_t a0, all;
  int32_t n;
  if (w == NO_PROC)
    return NO_PROC;
  a0 = row[A0];
  /*@ assert ix_cur: c == cur; */
  /*@ assert ix_a0: REGX(c, 0) == REG(cur, 0) && a0 == p_regs[REG(cur, A0)]; */
  /*@ assert cs_ok: p_cspace[cur] < NFRAMES; */
  /* the lookup passed, so a0 is a slot number */
  /*@ assert a0_slot: a0 < NSLOTS; */
  n = IX(cap_obj[IX(p_cspace(c))][a0]);
  /*@ assert ix_n: n == cap_obj[p_cspace[cur]][a0]; */
  all = row[A1] | cap_badge[IX(p_cspace(c))][a0];
  /* the index names w, so w is the only waiter (epq_wf: indexed, n being
   * a notification) */
  /*@ assert only_waiter: \forall integer q; 0 <= q < NFRAMES &&
        waiting_on(q, n, PS_NOTIF, PS_NOTIF) ==> indexed(q, n) && q == w; */
  /* commit point: ntfn_signal's effect with waiter w (a1 = all the bits,
   * which the notification no longer holds), then the decode layer's
   * a0 = E_OK */
  r = &p_regx(w, 0);
  /*@ assert ix_w: REGX(w, 0) == REG(w, 0); */
  r[A0] = E_OK;
  r[A1] = n_bits(n) | all;
  n_bits(n) = 0;
  wake(w);
  row[A0] = E_OK;
  return w;
}
