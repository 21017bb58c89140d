/* sched.c: the scheduler's choices, over the process tables of proc.h.
 * Preemptive, priority driven, round robin within a priority: the ready
 * process with the highest p_prio runs; among equals, the one with the
 * smallest ticket (the one that has waited longest). A preempted or
 * yielding process takes a fresh ticket, which puts it at the back. */
#include "proc.h"
#include "internal.h"

uint32_t cur_proc = MAXFRAMES;  /* NO_PROC: nframes starts at MAXFRAMES (state.c) */
uint64_t next_ticket;
uint32_t p_hi;

/* spec: ticket_take */
/* A fresh ticket: larger than every ticket handed out before. (The counter
 * saturates at UINT64_MAX, which 2^64 blocking operations would take.) */
/*@
  requires sizes: SIZES_OK;
  assigns next_ticket;
  ensures \result == \old(next_ticket);
  ensures \old(next_ticket) < UINT64_MAX ==> next_ticket == \old(next_ticket) + 1;
  ensures \old(next_ticket) == UINT64_MAX ==> next_ticket == UINT64_MAX;
*/
uint64_t ticket_take(void)
{
  uint64_t t = next_ticket;
  if (next_ticket < UINT64_MAX)
    next_ticket = next_ticket + 1u;
  return t;
}

/* spec: proc_live */
/* Is p a process that exists: its frame still holds the process it held
 * at creation (generation unchanged), and its state is not PS_NONE? */
/*@
  requires sizes: SIZES_OK;
  assigns \nothing;
  ensures \result == 0 || \result == 1;
  ensures \result == 1 <==> (p < NFRAMES && p_state[p] != PS_NONE &&
    frame_type[p] == OT_PROCESS && frame_gen[p] == p_gen[p]);
*/
inline int proc_live(uint32_t p)
{
  if (p >= NFRAMES)
    return 0;
  return p_state(p) != PS_NONE && frame_type[p] == OT_PROCESS &&
         frame_gen[p] == p_gen(p);
}

/* spec: obj_live_gen */
/* Is frame f live with generation gen (the object it held then)? */
/*@
  requires sizes: SIZES_OK;
  assigns \nothing;
  ensures \result == 0 || \result == 1;
  ensures \result == 1 <==> (f < NFRAMES && live(f) && frame_gen[f] == gen);
*/
int obj_live_gen(uint32_t f, uint32_t gen)
{
  if (f >= NFRAMES)
    return 0;
  return frame_type[f] != OT_FREE && frame_type[f] != OT_RETIRED &&
         frame_gen[f] == gen;
}

/* spec: proc_ready */
/* Make p runnable, at the back of its priority's round robin. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && p < p_hi;
  assigns p_state[p], p_ticket[p], next_ticket;
  ensures hi: hi_wf;
  ensures p_state[p] == PS_READY;
  // the back of its priority's round robin: the next ticket
  ensures ticket: p_ticket[p] == \old(next_ticket);
  ensures epq: \old(epq_wf) ==> epq_wf;
*/
void proc_ready(uint32_t p)
{
  p_state(IX(p)) = PS_READY;          /* IX: proc.h (p < p_hi <= NFRAMES) */
  p_ticket(IX(p)) = ticket_take();
}

/* spec: sched_pick */
/* Choose the process to run: the live ready process with the highest
 * priority, the smallest ticket among equals; NO_PROC when none is ready
 * (the hart idles). Sets cur_proc. Bound: one pass over p_hi <= NFRAMES
 * frames (hi_wf: none above holds a process). */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf;
  assigns cur_proc;
  ensures \result == cur_proc;
  ensures \result == NO_PROC || (\result < NFRAMES &&
    p_state[\result] == PS_READY && frame_type[\result] == OT_PROCESS &&
    frame_gen[\result] == p_gen[\result]);
  ensures highest: \result < NFRAMES ==> \forall integer q; 0 <= q < NFRAMES &&
    p_state[q] == PS_READY && frame_type[q] == OT_PROCESS &&
    frame_gen[q] == p_gen[q] ==> p_prio[q] <= p_prio[\result];
  ensures none: \result == NO_PROC ==> \forall integer q; 0 <= q < NFRAMES ==>
    !(p_state[q] == PS_READY && frame_type[q] == OT_PROCESS &&
      frame_gen[q] == p_gen[q]);
*/
uint32_t sched_pick(void)
{
  uint32_t p, best = NO_PROC;
  /*@
    loop invariant 0 <= p <= p_hi;
    loop invariant best == NO_PROC || (best < p && p_state[best] == PS_READY &&
      frame_type[best] == OT_PROCESS && frame_gen[best] == p_gen[best]);
    loop invariant best < NFRAMES ==> \forall integer q; 0 <= q < p &&
      p_state[q] == PS_READY && frame_type[q] == OT_PROCESS &&
      frame_gen[q] == p_gen[q] ==> p_prio[q] <= p_prio[best];
    loop invariant best == NO_PROC ==> \forall integer q; 0 <= q < p ==>
      !(p_state[q] == PS_READY && frame_type[q] == OT_PROCESS &&
        frame_gen[q] == p_gen[q]);
    loop assigns p, best;
    loop variant p_hi - p;
  */
  for (p = 0; p < p_hi; p++) {
    if (p_state(p) != PS_READY || frame_type[p] != OT_PROCESS ||
        frame_gen[p] != p_gen(p))
      continue;
    if (best == NO_PROC || p_prio(p) > p_prio(best) ||
        (p_prio(p) == p_prio(best) && p_ticket(p) < p_ticket(best)))
      best = p;
  }
  cur_proc = best;
  return best;
}

/* spec: sched_tick */
/* A timer tick: the running process's time slice is over; it goes to the
 * back of its priority's round robin (still ready). */
/*@
  requires sizes: SIZES_OK;
  assigns p_ticket[0 .. NFRAMES-1], next_ticket;
  ensures \forall integer q; 0 <= q < NFRAMES ==> q != cur_proc ==>
    p_ticket[q] == \old(p_ticket[q]);
*/
void sched_tick(void)
{
  uint32_t p = cur_proc;
  if (p < NFRAMES && p_state(p) == PS_READY)
    p_ticket(p) = ticket_take();
}
