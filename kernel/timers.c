/* timers.c: timer objects (issue 15 item 3; timers.h says what they are).
 * The architecture layer owns the clock: it reads `time`, programs the
 * SBI timer for the earliest of its time slice and timer_next(), and on a
 * timer interrupt calls timer_fire on each row timer_due names. What is
 * decided here: which rows are armed, when they are due, and which
 * notification a due timer signals. */
#include "core.h"
#include "internal.h"
#include "timers.h"

uint32_t tmr_hi;
uint32_t tmr_obj[NTIMERS];
uint32_t tmr_gen[NTIMERS];
uint64_t tmr_deadline[NTIMERS];
uint32_t tmr_ntfn[NTIMERS];
uint32_t tmr_ngen[NTIMERS];
uint64_t tmr_badge[NTIMERS];

/* spec: timers_init */
/* At boot: no row names a timer. */
/*@
  requires sizes: SIZES_OK;
  assigns tmr_hi, tmr_obj[0 .. NTIMERS-1];
  ensures tmr: tmr_wf;
  ensures tmr_hi == 0;
*/
void timers_init(void)
{
  uint32_t r;
  /*@
    loop invariant 0 <= r <= NTIMERS;
    loop invariant \forall integer q; 0 <= q < r ==> tmr_obj[q] == NFRAMES;
    loop assigns r, tmr_obj[0 .. NTIMERS-1];
    loop variant NTIMERS - r;
  */
  for (r = 0; r < NTIMERS; r++)
    tmr_obj[r] = NFRAMES;
  tmr_hi = 0;
}

/* spec: timer_shrink */
/* Lower tmr_hi past the free rows at the top. */
/*@
  requires sizes: SIZES_OK;
  requires tmr: tmr_wf;
  assigns tmr_hi;
  ensures tmr: tmr_wf;
  ensures tmr_hi <= \old(tmr_hi);
*/
static void timer_shrink(void)
{
  /*@
    loop invariant tmr_wf && tmr_hi <= \at(tmr_hi, Pre);
    loop assigns tmr_hi;
    loop variant tmr_hi;
  */
  while (tmr_hi > 0 && tmr_obj[tmr_hi - 1] == NFRAMES)
    tmr_hi--;
}

/* The two row tests, inlined where they are asked (GCC; the proofs see
 * ordinary static functions): they are on the timer interrupt's path.
 * Inlined, a timeout's expiry costs what it did with the tests written
 * out in each function (411 instructions, bench); a first version that
 * left inlining to GCC, and had timer_fire ask timer_target, cost 477. */
#if defined(__GNUC__) && !defined(__FRAMAC__)
#define ROW_INLINE __attribute__((always_inline))
#else
#define ROW_INLINE
#endif

/* Row r names a live timer of the generation it was armed with: the
 * predicate tmr_armed, the one C test of it (the scans, timer_fire and
 * timer_target all ask it). */
/*@
  requires sizes: SIZES_OK;
  requires r < NTIMERS;
  assigns \nothing;
  ensures \result == 1 <==> tmr_armed(r);
  ensures \result == 0 || \result == 1;
*/
static inline int row_armed(uint32_t r) ROW_INLINE;
static inline int row_armed(uint32_t r)
{
  uint32_t o = tmr_obj[r];
  return o < NFRAMES && frame_type[o] == OT_TIMER && frame_gen[o] == tmr_gen[r];
}

/* Row r's notification is the live one it was armed with: tmr_bound
 * (timer_fire's and timer_target's test). */
/*@
  requires sizes: SIZES_OK;
  requires r < NTIMERS;
  assigns \nothing;
  ensures \result == 1 <==> tmr_bound(r);
  ensures \result == 0 || \result == 1;
*/
static inline int row_bound(uint32_t r) ROW_INLINE;
static inline int row_bound(uint32_t r)
{
  uint32_t n = tmr_ntfn[r];
  return n < NFRAMES && frame_type[n] == OT_NOTIFICATION && frame_gen[n] == tmr_ngen[r];
}

/* spec: timer_free_row */
/* The lowest row timer_set may arm timer t in: one that holds no live
 * timer, or t's own; NTIMERS: every row holds another live timer. */
/*@
  requires sizes: SIZES_OK;
  requires tmr: tmr_wf;
  assigns \nothing;
  ensures \result <= NTIMERS;
  ensures found: \result < NTIMERS ==> !tmr_armed(\result) || tmr_obj[\result] == t;
  ensures lowest: \forall integer r; 0 <= r < \result ==> tmr_armed(r) && tmr_obj[r] != t;
*/
static uint32_t timer_free_row(uint32_t t)
{
  uint32_t r;
  /*@
    loop invariant 0 <= r <= tmr_hi;
    loop invariant \forall integer q; 0 <= q < r ==> tmr_armed(q) && tmr_obj[q] != t;
    loop assigns r;
    loop variant tmr_hi - r;
  */
  for (r = 0; r < tmr_hi; r++)
    if (tmr_obj[r] == t || !row_armed(r))
      return r;
  return tmr_hi;     /* NTIMERS, or a row that names no timer */
}

/* spec: timer_disarm */
/* Timer t is in no row any more (every row that named it is free). */
/*@
  requires sizes: SIZES_OK;
  requires tmr: tmr_wf;
  requires t < NFRAMES;
  assigns tmr_obj[0 .. NTIMERS-1], tmr_hi;
  ensures tmr: tmr_wf;
  ensures gone: \forall integer r; 0 <= r < NTIMERS ==> tmr_obj[r] != t;
  ensures freed: \forall integer r; 0 <= r < NTIMERS && \old(tmr_obj[r]) == t ==>
    tmr_obj[r] == NFRAMES;
  ensures others: \forall integer r; 0 <= r < NTIMERS && \old(tmr_obj[r]) != t ==>
    tmr_obj[r] == \old(tmr_obj[r]);
*/
static void timer_disarm(uint32_t t)
{
  uint32_t r;
  /*@
    loop invariant 0 <= r <= tmr_hi;
    loop invariant done: \forall integer q; 0 <= q < r ==>
      tmr_obj[q] != t && (\at(tmr_obj[q], Pre) == t ==> tmr_obj[q] == NFRAMES) &&
      (\at(tmr_obj[q], Pre) != t ==> tmr_obj[q] == \at(tmr_obj[q], Pre));
    loop invariant todo: \forall integer q; r <= q < NTIMERS ==>
      tmr_obj[q] == \at(tmr_obj[q], Pre);
    loop assigns r, tmr_obj[0 .. NTIMERS-1];
    loop variant tmr_hi - r;
  */
  for (r = 0; r < tmr_hi; r++)
    if (tmr_obj[r] == t)
      tmr_obj[r] = NFRAMES;
  timer_shrink();
}

/* spec: timer_set */
/* Arm the timer in t_slot (write right, through forwarders): at
 * `deadline` (ticks of `time`) it signals the notification in n_slot
 * (write right) with that capability's badge (0: bit 0), once. Arming an
 * armed timer replaces its deadline and notification. The notification
 * capability must be a direct one (a forwarder: E_WRONG_TYPE), as for
 * irq_set_ntfn: the arming outlives the call, and a forwarder's
 * revocation would not reach it (law 3). E_NO_MEMORY: NTIMERS other
 * timers are armed. A deadline already past fires at the architecture
 * layer's next timer_due, before this call returns to the program. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  requires tmr: tmr_wf;
  ensures inv: Inv;
  ensures tmr: tmr_wf;
  behavior bad_timer:
    assumes invoke_err(cs, t_slot, OT_TIMER, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == invoke_err(cs, t_slot, OT_TIMER, 0, 1);
  behavior bad_ntfn:
    assumes invoke_err(cs, t_slot, OT_TIMER, 0, 1) == E_OK;
    assumes lookup_err(cs, n_slot, OT_NOTIFICATION, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == lookup_err(cs, n_slot, OT_NOTIFICATION, 0, 1);
  behavior full:
    assumes invoke_err(cs, t_slot, OT_TIMER, 0, 1) == E_OK;
    assumes lookup_err(cs, n_slot, OT_NOTIFICATION, 0, 1) == E_OK;
    assumes \forall integer r; 0 <= r < NTIMERS ==>
      tmr_armed(r) && tmr_obj[r] != resolved_obj(cs, t_slot);
    assigns \nothing;
    ensures \result == E_NO_MEMORY;
  behavior armed:
    assumes invoke_err(cs, t_slot, OT_TIMER, 0, 1) == E_OK;
    assumes lookup_err(cs, n_slot, OT_NOTIFICATION, 0, 1) == E_OK;
    assumes \exists integer r; 0 <= r < NTIMERS &&
      (!tmr_armed(r) || tmr_obj[r] == resolved_obj(cs, t_slot));
    assigns tmr_hi, tmr_obj[0 .. NTIMERS-1], tmr_gen[0 .. NTIMERS-1],
            tmr_deadline[0 .. NTIMERS-1], tmr_ntfn[0 .. NTIMERS-1],
            tmr_ngen[0 .. NTIMERS-1], tmr_badge[0 .. NTIMERS-1];
    ensures \result == E_OK;
    ensures one_row: \let t = resolved_obj(cs, t_slot); \let n = cap_obj[cs][n_slot];
      \exists integer r; 0 <= r < NTIMERS && tmr_holds(r, t) &&
        tmr_deadline[r] == deadline && tmr_ntfn[r] == n && tmr_ngen[r] == frame_gen[n] &&
        tmr_badge[r] == cap_badge[cs][n_slot] && tmr_bound(r) &&
        (\forall integer q; 0 <= q < NTIMERS && q != r ==> tmr_obj[q] != t);
    ensures others: \let t = resolved_obj(cs, t_slot);
      \forall integer q; 0 <= q < NTIMERS && \old(tmr_armed(q)) && \old(tmr_obj[q]) != t ==>
        tmr_obj[q] == \old(tmr_obj[q]) && tmr_gen[q] == \old(tmr_gen[q]) &&
        tmr_deadline[q] == \old(tmr_deadline[q]) && tmr_ntfn[q] == \old(tmr_ntfn[q]) &&
        tmr_ngen[q] == \old(tmr_ngen[q]) && tmr_badge[q] == \old(tmr_badge[q]);
    // and no other timer is armed by it
    ensures no_other: \let t = resolved_obj(cs, t_slot);
      \forall integer q; 0 <= q < NTIMERS && tmr_armed(q) ==>
        \old(tmr_armed(q)) || tmr_obj[q] == t;
  complete behaviors;
  disjoint behaviors;
*/
kerr_t timer_set(uint32_t cs, uint32_t t_slot, uint32_t n_slot, uint64_t deadline)
{
  struct resolve_ret t = invoke_lookup(cs, t_slot, OT_TIMER, 0, 1);
  kerr_t e;
  uint32_t r, n;
  if (t.err != E_OK)
    return t.err;
  e = cap_lookup(cs, n_slot, OT_NOTIFICATION, 0, 1);
  if (e != E_OK)
    return e;
  r = timer_free_row(t.obj);
  if (r == NTIMERS)
    return E_NO_MEMORY;
  /* commit point: every guard passed, nothing below can fail */
  timer_disarm(t.obj);
  n = cap_obj[cs][n_slot];
  tmr_obj[r] = t.obj;
  tmr_gen[r] = frame_gen[t.obj];
  tmr_deadline[r] = deadline;
  tmr_ntfn[r] = n;
  tmr_ngen[r] = frame_gen[n];
  tmr_badge[r] = cap_badge[cs][n_slot];
  /*@ assert row: tmr_holds(r, t.obj) && tmr_deadline[r] == deadline && tmr_ntfn[r] == n &&
        tmr_ngen[r] == frame_gen[n] && tmr_badge[r] == cap_badge[cs][n_slot] && tmr_bound(r); */
  /*@ assert alone: \forall integer q; 0 <= q < NTIMERS && q != r ==> tmr_obj[q] != t.obj; */
  if (r >= tmr_hi)
    tmr_hi = r + 1;
  return E_OK;
}

/* spec: timer_cancel */
/* Disarm the timer in t_slot (write right, through forwarders): it will
 * not fire. Cancelling a timer that is not armed (never armed, fired
 * already, or cancelled) is no error: afterwards it is not armed. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  requires tmr: tmr_wf;
  ensures inv: Inv;
  ensures tmr: tmr_wf;
  behavior bad_timer:
    assumes invoke_err(cs, t_slot, OT_TIMER, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == invoke_err(cs, t_slot, OT_TIMER, 0, 1);
  behavior cancelled:
    assumes invoke_err(cs, t_slot, OT_TIMER, 0, 1) == E_OK;
    assigns tmr_obj[0 .. NTIMERS-1], tmr_hi;
    ensures \result == E_OK;
    ensures disarmed: !timer_armed(resolved_obj(cs, t_slot));
    ensures others: \forall integer q; 0 <= q < NTIMERS &&
      \old(tmr_obj[q]) != resolved_obj(cs, t_slot) ==> tmr_obj[q] == \old(tmr_obj[q]);
  complete behaviors;
  disjoint behaviors;
*/
kerr_t timer_cancel(uint32_t cs, uint32_t t_slot)
{
  struct resolve_ret t = invoke_lookup(cs, t_slot, OT_TIMER, 0, 1);
  if (t.err != E_OK)
    return t.err;
  timer_disarm(t.obj);
  return E_OK;
}

/* spec: timer_due */
/* The lowest armed row whose deadline is at or before `now`; NTIMERS:
 * none is due. */
/*@
  requires sizes: SIZES_OK;
  requires tmr: tmr_wf;
  assigns \nothing;
  ensures \result <= NTIMERS;
  ensures due: \result < NTIMERS ==> tmr_armed(\result) && tmr_deadline[\result] <= now;
  ensures lowest: \forall integer r; 0 <= r < \result ==>
    !(tmr_armed(r) && tmr_deadline[r] <= now);
*/
uint32_t timer_due(uint64_t now)
{
  uint32_t r;
  /*@
    loop invariant 0 <= r <= tmr_hi;
    loop invariant \forall integer q; 0 <= q < r ==> !(tmr_armed(q) && tmr_deadline[q] <= now);
    loop assigns r;
    loop variant tmr_hi - r;
  */
  for (r = 0; r < tmr_hi; r++)
    if (row_armed(r) && tmr_deadline[r] <= now)
      return r;
  return NTIMERS;
}

/* spec: timer_fire */
/* Row r is due (timer_due named it): it is disarmed, and its notification,
 * if alive, is signalled with the row's badge (0: bit 0): .err E_OK,
 * .partner the waiter it woke, if any. A row that holds no live timer,
 * or whose notification died: .err E_STALE, no signal (the row is free
 * afterwards either way). */
/*@
  requires sizes: SIZES_OK;
  requires r < NTIMERS;
  requires tmr: tmr_wf;
  requires hi_wf;
  requires Inv;
  requires epq: epq_wf;
  ensures inv: Inv;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
  ensures tmr: tmr_wf;
  behavior not_armed:
    assumes !tmr_armed(r);
    assigns \nothing;
    ensures \result.err == E_STALE && \result.partner == NO_PROC;
  behavior unbound:
    assumes tmr_armed(r) && !tmr_bound(r);
    assigns tmr_obj[r], tmr_hi;
    ensures \result.err == E_STALE && \result.partner == NO_PROC;
    ensures !tmr_armed(r);
  behavior signalled:
    assumes tmr_armed(r) && tmr_bound(r);
    assigns tmr_obj[r], tmr_hi, n_bits[tmr_ntfn[r]],
            p_state[0 .. NFRAMES-1], p_ticket[0 .. NFRAMES-1], next_ticket,
            p_regs[0 .. NFRAMES*NREGS-1];
    ensures \result.err == E_OK && !tmr_armed(r);
    ensures \result.partner == NO_PROC ==> n_bits[tmr_ntfn[r]] != 0;
    ensures \result.partner != NO_PROC ==>
      \result.partner < p_hi && p_state[\result.partner] == PS_READY;
    // the timer's badge (0: bit 0) is posted (ntfn_post): kept by the
    // notification, or taken in a1 (a0 = E_OK) by the one waiter woken
    ensures posted: posted{Pre, Here}(tmr_ntfn[r], tmr_badge[r] != 0 ? tmr_badge[r] : 1,
      \result.partner);
    // and no other process changes
    ensures others: \forall integer q; 0 <= q < NFRAMES && q != \result.partner ==>
      proc_kept{Pre, Here}(q);
    ensures other_regs: \result.partner != NO_PROC ==>
      regs_kept_but_a01{Pre, Here}(\result.partner);
  complete behaviors;
  disjoint behaviors;
*/
struct send_ret timer_fire(uint32_t r)
{
  struct send_ret ret = { E_STALE, NO_PROC };
  uint32_t n = tmr_ntfn[r];
  if (!row_armed(r))
    return ret;
  tmr_obj[r] = NFRAMES;
  timer_shrink();
  if (!row_bound(r))              /* freeing the row left its binding */
    return ret;
  ret.err = E_OK;
  ret.partner = ntfn_post(n, tmr_badge[r] != 0 ? tmr_badge[r] : 1u);
  return ret;
}

/* spec: timer_target */
/* The notification row r will signal when it fires: that of its live
 * timer, if the notification it was armed with is alive; else NFRAMES.
 * (The idle hart's question whether a timer can still wake anyone:
 * arch-riscv/user.c, can_wake.) */
/*@
  requires sizes: SIZES_OK;
  requires r < NTIMERS;
  assigns \nothing;
  ensures live: \result != NFRAMES <==> tmr_armed(r) && tmr_bound(r);
  ensures target: \result != NFRAMES ==> \result == tmr_ntfn[r];
*/
uint32_t timer_target(uint32_t r)
{
  if (!row_armed(r) || !row_bound(r))
    return NFRAMES;
  return tmr_ntfn[r];
}

/* spec: timer_next */
/* The earliest deadline of an armed timer, DEADLINE_NEVER if none is
 * armed: when the architecture layer's SBI timer must fire next for the
 * timers (a deadline of DEADLINE_NEVER is never reached). */
/*@
  requires sizes: SIZES_OK;
  requires tmr: tmr_wf;
  assigns \nothing;
  ensures lower: \forall integer r; 0 <= r < NTIMERS && tmr_armed(r) ==>
    \result <= tmr_deadline[r];
  ensures attained: \result == DEADLINE_NEVER ||
    \exists integer r; 0 <= r < NTIMERS && tmr_armed(r) && tmr_deadline[r] == \result;
*/
uint64_t timer_next(void)
{
  uint64_t next = DEADLINE_NEVER;
  uint32_t r;
  /*@
    loop invariant 0 <= r <= tmr_hi;
    loop invariant lower: \forall integer q; 0 <= q < r && tmr_armed(q) ==>
      next <= tmr_deadline[q];
    loop invariant attained: next == DEADLINE_NEVER ||
      \exists integer q; 0 <= q < r && tmr_armed(q) && tmr_deadline[q] == next;
    loop assigns r, next;
    loop variant tmr_hi - r;
  */
  for (r = 0; r < tmr_hi; r++)
    if (row_armed(r) && tmr_deadline[r] < next)
      next = tmr_deadline[r];
  return next;
}
