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

uint32_t ep_recv[NFRAMES];
uint8_t  ep_nosend[NFRAMES];

#define A0 10u
#define A1 11u
#define A2 12u
#define A6 16u
#define A7 17u

/* The i-th capability slot of a caps descriptor (n + 4*s0 + 256*s1),
 * by arithmetic, not bit operations (PROOF-NOTES.md). */
/*@
  requires i < MSG_CAPS;
  assigns \nothing;
  ensures \result < 64;
*/
static uint32_t desc_slot(uint32_t desc, uint32_t i)
{
  return i == 0 ? desc / 4u % 64u : desc / 256u % 64u;
}

/* Check the capabilities a message names: n = desc % 4 at most MSG_CAPS,
 * nothing above bit 13, each slot looked up (any type) and holding the
 * grant right (E_NO_RIGHTS otherwise). Reads only. */
/*@
  requires Inv;
  requires is_cspace(cs);
  assigns \nothing;
  ensures codes: \result <= E_BAD_ARG;
*/
static kerr_t msg_check(uint32_t cs, uint32_t desc)
{
  uint32_t n = desc % 4u, i;
  if (n > MSG_CAPS || desc / 16384u != 0)
    return E_BAD_ARG;
  /*@
    loop invariant 0 <= i <= n;
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
 * a2..a5 = words, a6 = caps descriptor; badge is recorded with it. */
/*@
  requires p < NFRAMES;
  assigns p_mlabel[p], p_mword[0 .. NFRAMES*MSG_WORDS-1], p_mcaps[p], p_mbadge[p];
  ensures p_mbadge[p] == badge;
*/
static void msg_load(uint32_t p, uint64_t badge)
{
  uint32_t i;
  p_mlabel[p] = p_regs[REG(p, A1)];
  /*@
    loop invariant 0 <= i <= MSG_WORDS;
    loop assigns i, p_mword[0 .. NFRAMES*MSG_WORDS-1];
    loop variant MSG_WORDS - i;
  */
  for (i = 0; i < MSG_WORDS; i++)
    p_mword[MW(p, i)] = p_regs[REG(p, A2 + i)];
  p_mcaps[p] = (uint32_t)(p_regs[REG(p, A6)] % 16384u);
  p_mbadge[p] = badge;
}

/* The process that has waited longest among the live processes in state
 * st1 or st2 waiting on object obj (of its current generation), or
 * NO_PROC. Bound: one pass over the frames below p_hi. */
/*@
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
    if ((p_state[p] != st1 && p_state[p] != st2) || p_wait[p] != obj ||
        p_wait_gen[p] != frame_gen[obj] || frame_type[p] != OT_PROCESS ||
        frame_gen[p] != p_gen[p] || p_cspace[p] >= NFRAMES)
      continue;
    if (best == NO_PROC || p_ticket[p] < p_ticket[best])
      best = p;
  }
  return best;
}

/* Is q one of the processes find_waiter(e, st1, st2) would consider? */
/*@
  requires q < NFRAMES && e < NFRAMES;
  assigns \nothing;
  ensures \result == 0 || \result == 1;
  ensures \result == 1 <==> waiting_on(q, e, st1, st2);
*/
static int is_waiting(uint32_t q, uint32_t e, uint32_t st1, uint32_t st2)
{
  return (p_state[q] == st1 || p_state[q] == st2) && p_wait[q] == e &&
         p_wait_gen[q] == frame_gen[e] && frame_type[q] == OT_PROCESS &&
         frame_gen[q] == p_gen[q] && p_cspace[q] < NFRAMES;
}

/* The receiver a send on endpoint ep delivers to: the same process as
 * find_waiter(ep, PS_RECV, PS_RECV) (none, or the first by ticket), found
 * without a scan when the index ep_recv knows the queue: its process, if
 * waiting, is the only receiver; if not, nobody waits. Only an index that
 * says EPQ_UNKNOWN costs the scan. */
/*@
  requires hi_wf && epq_wf && ep < NFRAMES;
  assigns \nothing;
  ensures \result == NO_PROC || (\result < p_hi && p_hi <= NFRAMES);
  ensures none: \result == NO_PROC ==> \forall integer q; 0 <= q < NFRAMES ==>
    !waiting_on(q, ep, PS_RECV, PS_RECV);
  ensures first: \result != NO_PROC ==> waiting_on(\result, ep, PS_RECV, PS_RECV) &&
    \forall integer q; 0 <= q < NFRAMES && waiting_on(q, ep, PS_RECV, PS_RECV) ==>
      p_ticket[\result] <= p_ticket[q];
*/
static uint32_t recv_first(uint32_t ep)
{
  uint32_t v = ep_recv[ep];
  if (v == EPQ_UNKNOWN)
    return find_waiter(ep, PS_RECV, PS_RECV);
  if (v < p_hi && is_waiting(v, ep, PS_RECV, PS_RECV) == 1)
    return v;            /* the only receiver (epq_wf), so the first */
  /*@ assert v < NFRAMES && v >= p_hi ==> p_state[v] == PS_NONE; */
  return NO_PROC;        /* v does not wait, and nobody else may */
}

/* Process p is about to wait to receive on e: keep ep_recv true. If the
 * index's process is another one still waiting, two wait now (unknown);
 * otherwise nobody else waits and p becomes the index. */
/*@
  requires epq_wf && p < NFRAMES && e < NFRAMES;
  assigns ep_recv[e];
  ensures ep_recv[e] == p || ep_recv[e] == EPQ_UNKNOWN;
  ensures \forall integer q; 0 <= q < NFRAMES && q != p &&
    waiting_on(q, e, PS_RECV, PS_RECV) ==> ep_recv[e] == q || ep_recv[e] == EPQ_UNKNOWN;
*/
static void recv_index_add(uint32_t p, uint32_t e)
{
  uint32_t v = ep_recv[e];
  if (v == EPQ_UNKNOWN)
    return;
  if (v < NFRAMES && v != p && is_waiting(v, e, PS_RECV, PS_RECV) == 1)
    ep_recv[e] = EPQ_UNKNOWN;
  else
    ep_recv[e] = p;
}

/* Is process p's capability space still the live cspace it was given? */
/*@
  requires p < NFRAMES;
  assigns \nothing;
  ensures \result == 0 || \result == 1;
  ensures \result == 1 ==> is_cspace(p_cspace[p]);
*/
static int cspace_ok(uint32_t p)
{
  uint32_t cs = p_cspace[p];
  return cs < NFRAMES && frame_type[cs] == OT_CSPACE &&
         frame_gen[cs] == p_cspace_gen[p];
}

/* COPY the capability in slot s of fcs into the empty slot d of tcs, if
 * it looks up and holds the grant right. 1 if it was copied. */
/*@
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
  requires Inv;
  requires from < NFRAMES && to < NFRAMES && p_cspace[to] < NFRAMES;
  assigns cap_type[p_cspace[to]][0 .. NSLOTS-1], cap_obj[p_cspace[to]][0 .. NSLOTS-1],
          cap_gen[p_cspace[to]][0 .. NSLOTS-1], cap_read[p_cspace[to]][0 .. NSLOTS-1],
          cap_write[p_cspace[to]][0 .. NSLOTS-1], cap_grant[p_cspace[to]][0 .. NSLOTS-1],
          cap_badge[p_cspace[to]][0 .. NSLOTS-1];
  ensures inv: Inv;
  ensures \result <= 3;
*/
static uint32_t caps_transfer(uint32_t from, uint32_t to)
{
  uint32_t desc = p_mcaps[from], n = desc % 4u, mask = 0, i;
  uint32_t fcs, tcs;
  if (n == 0 || !cspace_ok(from) || !cspace_ok(to))
    return 0;
  fcs = p_cspace[from];
  tcs = p_cspace[to];
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
    uint32_t d = p_rslot[MC(to, i)];
    if (i >= n || d >= NSLOTS)
      continue;
    if (copy_one(fcs, s, tcs, d) == 1)
      mask = mask + (i == 0 ? 1u : 2u);
  }
  return mask;
}

/* Write `from`'s message into `to`'s registers: a0 = E_OK, a1 = badge,
 * a2 = label, a3..a6 = words, a7 = mask (the capabilities that arrived). */
/*@
  requires from < NFRAMES && to < NFRAMES;
  assigns p_regs[0 .. NFRAMES*NREGS-1];
  ensures p_regs[REG(to, A0)] == E_OK && p_regs[REG(to, A1)] == p_mbadge[from] &&
          p_regs[REG(to, A2)] == p_mlabel[from];
*/
static void deliver_msg(uint32_t from, uint32_t to, uint32_t mask)
{
  uint32_t i;
  p_regs[REG(to, A0)] = E_OK;
  p_regs[REG(to, A1)] = p_mbadge[from];
  p_regs[REG(to, A2)] = p_mlabel[from];
  /*@
    loop invariant 0 <= i <= MSG_WORDS;
    loop invariant p_regs[REG(to, A0)] == E_OK && p_regs[REG(to, A1)] == p_mbadge[from] &&
      p_regs[REG(to, A2)] == p_mlabel[from];
    loop assigns i, p_regs[0 .. NFRAMES*NREGS-1];
    loop variant MSG_WORDS - i;
  */
  for (i = 0; i < MSG_WORDS; i++)
    p_regs[REG(to, A2 + 1u + i)] = p_mword[MW(from, i)];
  p_regs[REG(to, A7)] = mask;
}

/* Deliver `from`'s message to `to`, its capabilities included (COPY into
 * to's receive slots). */
/*@
  requires Inv;
  requires from < NFRAMES && to < NFRAMES && p_cspace[to] < NFRAMES;
  assigns p_regs[0 .. NFRAMES*NREGS-1],
          cap_type[p_cspace[to]][0 .. NSLOTS-1], cap_obj[p_cspace[to]][0 .. NSLOTS-1],
          cap_gen[p_cspace[to]][0 .. NSLOTS-1], cap_read[p_cspace[to]][0 .. NSLOTS-1],
          cap_write[p_cspace[to]][0 .. NSLOTS-1], cap_grant[p_cspace[to]][0 .. NSLOTS-1],
          cap_badge[p_cspace[to]][0 .. NSLOTS-1];
  ensures inv: Inv;
  ensures delivered: p_regs[REG(to, A0)] == E_OK;
*/
static void deliver(uint32_t from, uint32_t to)
{
  deliver_msg(from, to, caps_transfer(from, to));
}

/* `caller` has been received by `server`: it waits (closed wait) for the
 * reply, and the server holds the one-shot reply capability naming the
 * caller and the ticket of this wait. */
/*@
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
  p_state[caller] = PS_REPLY;
  p_wait[caller] = server;
  p_wait_gen[caller] = p_gen[server];
  p_ticket[caller] = ticket_take();
  p_reply_to[server] = caller;
  p_reply_gen[server] = p_gen[caller];
  p_reply_tkt[server] = p_ticket[caller];
}

/* Make p ready (proc_ready), keeping the endpoint indices true: p leaves
 * whatever queue it was in, which only shrinks a queue. */
/*@
  requires hi_wf && p < p_hi;
  requires epq: epq_wf;
  assigns p_state[p], p_ticket[p], next_ticket;
  ensures p_state[p] == PS_READY;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
*/
static void wake(uint32_t p)
{
  proc_ready(p);
}

/* Block p in state st on object obj (at the back of that queue), keeping
 * the endpoint indices true: a receiver updates ep_recv, a sender clears
 * ep_nosend. */
/*@
  requires hi_wf && p < p_hi;
  requires p < NFRAMES && obj < NFRAMES && st <= PS_STOPPED;
  requires epq: epq_wf;
  requires running: p_state[p] == PS_READY;
  assigns p_state[p], p_wait[p], p_wait_gen[p], p_ticket[p], next_ticket,
          ep_recv[obj], ep_nosend[obj];
  ensures p_state[p] == st && p_wait[p] == obj;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
*/
static void block_on(uint32_t p, uint32_t st, uint32_t obj)
{
  if (st == PS_RECV)
    recv_index_add(p, obj);
  else if (st == PS_SEND || st == PS_CALL)
    ep_nosend[obj] = 0;
  p_state[p] = (uint8_t)st;
  p_wait[p] = obj;
  p_wait_gen[p] = frame_gen[obj];
  p_ticket[p] = ticket_take();
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
  requires hi_wf && p_state[cur] == PS_READY;
  requires Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES && is_cspace(p_cspace[cur]);
  assigns p_state[cur], p_wait[cur], p_wait_gen[cur], p_ticket[cur], next_ticket,
          p_mlabel[cur], p_mword[0 .. NFRAMES*MSG_WORDS-1], p_mcaps[cur],
          p_mbadge[cur], ep_recv[0 .. NFRAMES-1], ep_nosend[0 .. NFRAMES-1];
  ensures inv: Inv;
  ensures \result.err == E_OK && \result.partner != NO_PROC ==>
    \result.partner < p_hi && p_state[\result.partner] == PS_RECV &&
    p_cspace[\result.partner] < NFRAMES;
  ensures blocked: \result.err == E_OK && \result.partner == NO_PROC ==>
    p_state[cur] == PS_SEND || p_state[cur] == PS_CALL;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
*/
struct send_ret ipc_send(uint32_t cur, uint32_t ep_slot, uint32_t is_call)
{
  struct send_ret ret = { E_OK, NO_PROC };
  uint32_t cs = p_cspace[cur], desc, ep, r;
  struct resolve_ret e = invoke_lookup(cs, ep_slot, OT_ENDPOINT, 0, 1);
  kerr_t err;
  if (e.err != E_OK) {
    ret.err = e.err;
    return ret;
  }
  if (p_regs[REG(cur, A6)] >= 65536u) {
    ret.err = E_BAD_ARG;
    return ret;
  }
  desc = (uint32_t)(p_regs[REG(cur, A6)] % 65536u);
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
  ep = e.obj;
  msg_load(cur, e.badge);
  r = recv_first(ep);
  if (r == NO_PROC) {
    ep_recv[ep] = NO_PROC;           /* known now: nobody waits to receive */
    block_on(cur, is_call != 0 ? PS_CALL : PS_SEND, ep);
  }
  ret.partner = r;
  return ret;
}

/* spec: ipc_send_to */
/* The second step of a send that found receiver r: deliver cur's message
 * to r and make r ready; a send completes (cur's a0 = E_OK), a call waits
 * for the reply from r. */
/*@
  requires hi_wf && p_state[cur] == PS_READY && r < p_hi;
  requires Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES && r < NFRAMES && p_cspace[r] < NFRAMES;
  assigns p_regs[0 .. NFRAMES*NREGS-1],
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
    p_regs[REG(cur, A0)] = E_OK;
}

/* spec: ipc_recv */
/* Receive on the endpoint in ep_slot of cur's cspace (read right): take
 * the message of the longest-waiting sender, or block until one comes.
 * A caller's message gives cur the reply capability for it. */
/*@
  requires hi_wf;
  requires Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES && is_cspace(p_cspace[cur]);
  requires running: p_state[cur] == PS_READY;
  assigns p_state[0 .. NFRAMES-1], p_wait[0 .. NFRAMES-1],
          p_wait_gen[0 .. NFRAMES-1], p_ticket[0 .. NFRAMES-1], next_ticket,
          p_regs[0 .. NFRAMES*NREGS-1],
          p_reply_to[0 .. NFRAMES-1],
          p_reply_gen[0 .. NFRAMES-1], p_reply_tkt[0 .. NFRAMES-1],
          cap_type[p_cspace[cur]][0 .. NSLOTS-1], cap_obj[p_cspace[cur]][0 .. NSLOTS-1],
          cap_gen[p_cspace[cur]][0 .. NSLOTS-1], cap_read[p_cspace[cur]][0 .. NSLOTS-1],
          cap_write[p_cspace[cur]][0 .. NSLOTS-1], cap_grant[p_cspace[cur]][0 .. NSLOTS-1],
          cap_badge[p_cspace[cur]][0 .. NSLOTS-1],
          ep_recv[0 .. NFRAMES-1], ep_nosend[0 .. NFRAMES-1];
  ensures inv: Inv;
  ensures got_or_blocked: \result == E_OK ==>
    p_state[cur] == PS_RECV || p_regs[REG(cur, A0)] == E_OK;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
*/
kerr_t ipc_recv(uint32_t cur, uint32_t ep_slot)
{
  uint32_t cs = p_cspace[cur], ep, s;
  struct resolve_ret e = invoke_lookup(cs, ep_slot, OT_ENDPOINT, 1, 0);
  if (e.err != E_OK)
    return e.err;
  ep = e.obj;
  s = ep_nosend[ep] == 1 ? NO_PROC : find_waiter(ep, PS_SEND, PS_CALL);
  if (s == NO_PROC) {
    ep_nosend[ep] = 1;               /* known now: nobody waits to send */
    block_on(cur, PS_RECV, ep);
    return E_OK;
  }
  deliver(s, cur);
  if (p_state[s] == PS_CALL) {
    await_reply(s, cur);
  } else {
    p_regs[REG(s, A0)] = E_OK;
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
  requires hi_wf;
  requires Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES && is_cspace(p_cspace[cur]);
  assigns p_state[0 .. NFRAMES-1], p_ticket[0 .. NFRAMES-1], next_ticket,
          p_regs[0 .. NFRAMES*NREGS-1],
          p_mlabel[cur], p_mword[0 .. NFRAMES*MSG_WORDS-1], p_mcaps[cur],
          p_mbadge[cur], p_reply_to[cur],
          cap_type[p_cspace[p_reply_to[cur] % NFRAMES]][0 .. NSLOTS-1], cap_obj[p_cspace[p_reply_to[cur] % NFRAMES]][0 .. NSLOTS-1],
          cap_gen[p_cspace[p_reply_to[cur] % NFRAMES]][0 .. NSLOTS-1], cap_read[p_cspace[p_reply_to[cur] % NFRAMES]][0 .. NSLOTS-1],
          cap_write[p_cspace[p_reply_to[cur] % NFRAMES]][0 .. NSLOTS-1], cap_grant[p_cspace[p_reply_to[cur] % NFRAMES]][0 .. NSLOTS-1],
          cap_badge[p_cspace[p_reply_to[cur] % NFRAMES]][0 .. NSLOTS-1];
  ensures inv: Inv;
  ensures one_shot: \result == E_OK || \result == E_NO_REPLY ==>
    p_reply_to[cur] == NO_PROC;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
*/
kerr_t ipc_reply(uint32_t cur)
{
  uint32_t c = p_reply_to[cur], desc;
  kerr_t err;
  if (p_regs[REG(cur, A6)] >= 65536u)
    return E_BAD_ARG;
  desc = (uint32_t)(p_regs[REG(cur, A6)] % 65536u);
  err = msg_check(p_cspace[cur], desc);
  if (err != E_OK)
    return err;
  p_reply_to[cur] = NO_PROC;     /* one shot, whatever happens below */
  if (c >= NFRAMES || !proc_live(c) || p_cspace[c] >= NFRAMES ||
      p_gen[c] != p_reply_gen[cur] ||
      p_state[c] != PS_REPLY || p_wait[c] != cur ||
      p_ticket[c] != p_reply_tkt[cur])
    return (kerr_t)E_NO_REPLY;
  msg_load(cur, 0);
  /*@ assert c == c % NFRAMES; */
  deliver(cur, c);
  wake(c);
  p_regs[REG(cur, A0)] = E_OK;
  return E_OK;
}

/* spec: ipc_fault */
/* A fault (or exit) of cur, described by label and three words, goes to
 * its fault endpoint as a call: the handler's reply resumes cur. With no
 * live fault endpoint cur stops (PS_STOPPED). Returns 1 if a message was
 * sent or queued, 0 if cur stopped. */
/*@
  requires hi_wf && p_state[cur] == PS_READY;
  requires Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES;
  assigns p_state[0 .. NFRAMES-1], p_wait[0 .. NFRAMES-1],
          p_wait_gen[0 .. NFRAMES-1], p_ticket[0 .. NFRAMES-1], next_ticket,
          p_regs[0 .. NFRAMES*NREGS-1],
          p_mlabel[cur], p_mword[0 .. NFRAMES*MSG_WORDS-1], p_mcaps[cur],
          p_mbadge[cur], p_reply_to[0 .. NFRAMES-1],
          p_reply_gen[0 .. NFRAMES-1], p_reply_tkt[0 .. NFRAMES-1],
          ep_recv[0 .. NFRAMES-1], ep_nosend[0 .. NFRAMES-1];

  ensures inv: Inv;
  ensures \result == 0 ==> p_state[cur] == PS_STOPPED;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
*/
int ipc_fault(uint32_t cur, uint64_t label, uint64_t w0, uint64_t w1,
              uint64_t w2)
{
  uint32_t ep = p_fault_ep[cur], r;
  if (ep >= NFRAMES || frame_type[ep] != OT_ENDPOINT ||
      frame_gen[ep] != p_fault_gen[cur]) {
    p_state[cur] = PS_STOPPED;
    return 0;
  }
  p_mlabel[cur] = label;
  p_mword[MW(cur, 0)] = w0;
  p_mword[MW(cur, 1)] = w1;
  p_mword[MW(cur, 2)] = w2;
  p_mword[MW(cur, 3)] = 0;
  p_mcaps[cur] = 0;
  p_mbadge[cur] = p_fault_badge[cur];
  r = recv_first(ep);
  if (r == NO_PROC) {
    ep_recv[ep] = NO_PROC;
    block_on(cur, PS_CALL, ep);
    return 1;
  }
  deliver_msg(cur, r, 0);
  wake(r);
  await_reply(cur, r);
  return 1;
}

/* spec: ntfn_signal */
/* Signal the notification in slot (write right, through forwarders): its
 * bits become bits | the capability's badge (which must not be 0:
 * E_BAD_ARG). The longest waiter, if any, takes all the bits at once. */
/*@
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
*/
kerr_t ntfn_signal(uint32_t cs, uint32_t slot, uint64_t bits)
{
  struct resolve_ret e = invoke_lookup(cs, slot, OT_NOTIFICATION, 0, 1);
  uint32_t n, w;
  uint64_t all;
  if (e.err != E_OK)
    return e.err;
  all = bits | e.badge;
  if (all == 0)
    return E_BAD_ARG;
  n = e.obj;
  w = find_waiter(n, PS_NOTIF, PS_NOTIF);
  if (w == NO_PROC) {
    n_bits[n] = n_bits[n] | all;
    return E_OK;
  }
  p_regs[REG(w, A0)] = E_OK;
  p_regs[REG(w, A1)] = n_bits[n] | all;
  n_bits[n] = 0;
  wake(w);
  return E_OK;
}

/* spec: ntfn_wait */
/* Wait on the notification in slot (read right): take and clear its bits
 * (a1), or block until a signal comes. */
/*@
  requires hi_wf && p_state[cur] == PS_READY;
  requires Inv;
  requires epq: epq_wf;
  requires cur < NFRAMES && is_cspace(p_cspace[cur]);
  assigns n_bits[0 .. NFRAMES-1], p_state[cur], p_wait[cur], p_wait_gen[cur],
          p_ticket[cur], next_ticket, p_regs[0 .. NFRAMES*NREGS-1],
          ep_recv[0 .. NFRAMES-1], ep_nosend[0 .. NFRAMES-1];
  ensures inv: Inv;
  ensures got_or_blocked: \result == E_OK ==>
    p_state[cur] == PS_NOTIF || p_regs[REG(cur, A0)] == E_OK;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
*/
kerr_t ntfn_wait(uint32_t cur, uint32_t slot)
{
  struct resolve_ret e = invoke_lookup(p_cspace[cur], slot, OT_NOTIFICATION, 1, 0);
  uint32_t n;
  if (e.err != E_OK)
    return e.err;
  n = e.obj;
  if (n_bits[n] == 0) {
    block_on(cur, PS_NOTIF, n);
    return E_OK;
  }
  p_regs[REG(cur, A0)] = E_OK;
  p_regs[REG(cur, A1)] = n_bits[n];
  n_bits[n] = 0;
  return E_OK;
}
