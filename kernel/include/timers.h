/* timers.h: timer objects (issue 15 item 3, docs/DEVICES.md "Time").
 *
 * A timer (OT_TIMER) is an object like an endpoint, made by obj_alloc and
 * paid for by a container. timer_set arms it: at a deadline, in ticks of
 * the machine's `time` counter, it signals a notification with the badge
 * of the capability it was armed with, once, and is disarmed. The
 * architecture layer multiplexes the one SBI timer between the
 * scheduler's time slice and the earliest armed deadline (timer_next),
 * and on each timer interrupt fires what is due (timer_due, timer_fire).
 *
 * The armed timers are a fixed table of NTIMERS rows, whatever the RAM
 * (issue 13: no table grows with the machine), so every operation here
 * costs at most NTIMERS steps: at most tmr_hi, one past the highest row
 * in use (with one timer armed, one step). A row holds a timer, named by frame and
 * generation: a timer that dies (obj_free, container_destroy) while armed
 * leaves a row that is free at once, with no work at its death, and never
 * fires. The timer object itself holds nothing.
 */
#ifndef TIMERS_H
#define TIMERS_H

#include <stdint.h>
#include "state.h"
#include "proc.h"

#define NTIMERS TIMERS_MAX      /* armed timers, the whole system (abi.h) */

extern uint32_t tmr_hi;                 /* rows >= tmr_hi hold no timer */
extern uint32_t tmr_obj[NTIMERS];       /* the armed timer, NFRAMES: none */
extern uint32_t tmr_gen[NTIMERS];       /* ... its generation then      */
extern uint64_t tmr_deadline[NTIMERS];  /* when, in `time` ticks        */
extern uint32_t tmr_ntfn[NTIMERS];      /* the notification to signal   */
extern uint32_t tmr_ngen[NTIMERS];      /* ... its generation then      */
extern uint64_t tmr_badge[NTIMERS];     /* the bits (0: bit 0)          */

/*@
  // the rows from tmr_hi on name no timer at all, so that every scan
  // stops at tmr_hi (timers_init makes it so at boot; every function
  // here keeps it; nothing else writes these tables)
  predicate tmr_wf =
    tmr_hi <= NTIMERS &&
    \forall integer r; tmr_hi <= r < NTIMERS ==> tmr_obj[r] == NFRAMES;

  // row r holds a live timer: it is armed (a row whose timer died is free)
  predicate tmr_armed(integer r) =
    tmr_obj[r] < NFRAMES && frame_type[tmr_obj[r]] == OT_TIMER &&
    frame_gen[tmr_obj[r]] == tmr_gen[r];

  // row r holds timer t, armed
  predicate tmr_holds(integer r, integer t) = tmr_armed(r) && tmr_obj[r] == t;

  // timer t is armed (in some row)
  predicate timer_armed(integer t) =
    \exists integer r; 0 <= r < NTIMERS && tmr_holds(r, t);

  // row r's notification is the live one it was armed with
  predicate tmr_bound(integer r) =
    tmr_ntfn[r] < NFRAMES && frame_type[tmr_ntfn[r]] == OT_NOTIFICATION &&
    frame_gen[tmr_ntfn[r]] == tmr_ngen[r];
*/

void            timers_init(void);
kerr_t          timer_set(uint32_t cs, uint32_t t_slot, uint32_t n_slot,
                          uint64_t deadline);
kerr_t          timer_cancel(uint32_t cs, uint32_t t_slot);
uint32_t        timer_due(uint64_t now);
struct send_ret timer_fire(uint32_t r);
uint64_t        timer_next(void);
uint32_t        timer_target(uint32_t r);

#endif
