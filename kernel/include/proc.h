/* proc.h: processes, scheduling and IPC in the portable core (issue 4).
 * docs/MODEL.md, "Processes, address spaces, IPC", names these tables and
 * operations; docs/SYSCALLS.md maps them onto system calls.
 *
 * A process is an OT_PROCESS object: its identity is its frame index p
 * (so creating a process costs exactly one frame, paid by the container
 * named). Its page tables, the root included, are OT_PAGETABLE frames
 * the arch layer makes at its first mapping (pt_proc).
 *
 * Queues are not linked lists: a process is "in the send queue of
 * endpoint e" iff p_state[p] is PS_SEND or PS_CALL and p_wait[p] == e;
 * the order is p_ticket (smaller = earlier). So a blocked process is in
 * exactly one queue by construction, and killing a process (its frame is
 * no longer a process: waiting_on reads the frame's type) takes it off
 * every queue at once. Dequeueing is one bounded scan over the frames
 * below p_hi, or none (the queue indices below).
 */
#ifndef PROC_H
#define PROC_H

#include <stdint.h>
#include "core.h"
#include "abi.h"


/* Process states. */
#define PS_NONE      0u  /* not a process (or destroyed)                     */
#define PS_SUSPENDED 1u  /* born, or suspended: not scheduled                */
#define PS_READY     2u  /* runnable (the running process is READY too)     */
#define PS_SEND      3u  /* blocked sending on p_wait (an endpoint)          */
#define PS_CALL      4u  /* blocked calling on p_wait (an endpoint)          */
#define PS_RECV      5u  /* blocked receiving on p_wait (an endpoint)        */
#define PS_REPLY     6u  /* closed wait for the reply of process p_wait      */
#define PS_NOTIF     7u  /* blocked waiting on notification p_wait           */
#define PS_STOPPED   8u  /* faulted or exited, no fault endpoint: stopped    */

#define NO_PROC NFRAMES  /* "no process" in index fields                    */

/* Saved registers are one flat table: register i of process p is
 * p_regs[REG(p, i)] (i = 0..31 for x0..x31, REG_PC for the pc). Flat, not
 * [p][i], because WP proves frame conditions on one-dimensional tables
 * far more easily (PROOF-NOTES.md). */
#define REG(p, i) ((p) * NREGS + (i))

/* For code on the IPC fast path: an index already known to be below
 * NFRAMES, as an int (the same number; contracts use the unsigned one).
 * RV64 keeps 32-bit values sign-extended in registers, so an int index
 * costs nothing, where a uint32_t one costs a zero-extension (two
 * instructions, which GCC 12 does not remove) at each use. REGX(p, i) is
 * REG(p, i) computed so. */
#define IX(p) ((int32_t)(p))
#define REGX(p, i) (IX(p) * (int32_t)NREGS + (int32_t)(i))
#define MW(p, i)  ((p) * MSG_WORDS + (i))  /* p_mword: message word i of p  */
#define MC(p, i)  ((p) * MSG_CAPS + (i))   /* p_rslot: receive slot i of p  */

/* Per process p: its record (records.h), meaningful while frame_type[p]
 * is OT_PROCESS; in the kernel it is the first bytes of p's frame. */
RECORD_FIELD(uint8_t, p_state);
RECORD_FIELD(uint32_t, p_gen);        /* frame_gen[p] when created          */
RECORD_FIELD(uint32_t, p_cspace);     /* its capability space (a frame)     */
RECORD_FIELD(uint32_t, p_cspace_gen);
RECORD_FIELD(uint32_t, p_prio);       /* 0 .. NPRIO-1                       */
RECORD_FIELD(uint64_t, p_ticket);     /* queue order, smaller = earlier     */
RECORD_FIELD(uint32_t, p_wait);       /* object a blocked process waits on  */
RECORD_FIELD(uint32_t, p_wait_gen);   /* ... and its generation then        */
RECORD_ROWS(uint64_t, p_regs, NREGS); /* saved registers: REG(p, i)     */
/* outgoing message of a blocked sender / caller */
RECORD_FIELD(uint64_t, p_mlabel);
RECORD_ROWS(uint64_t, p_mword, MSG_WORDS); /* word i: MW(p, i)          */
RECORD_FIELD(uint32_t, p_mcaps);      /* caps descriptor (abi.h)           */
RECORD_FIELD(uint64_t, p_mbadge);     /* badge of the cap it sent through   */
/* the one-shot reply capability a receiver holds after receiving a call */
RECORD_FIELD(uint32_t, p_reply_to);   /* caller, or NO_PROC                 */
RECORD_FIELD(uint32_t, p_reply_gen);
RECORD_FIELD(uint64_t, p_reply_tkt);  /* caller's ticket when it blocked    */
/* where received capabilities land (NSLOTS or more: nowhere) */
RECORD_ROWS(uint32_t, p_rslot, MSG_CAPS); /* slot i: MC(p, i)          */
/* fault endpoint named by the parent */
RECORD_FIELD(uint32_t, p_fault_ep);   /* endpoint frame, or NFRAMES: none   */
RECORD_FIELD(uint32_t, p_fault_gen);
RECORD_FIELD(uint64_t, p_fault_badge);
/* per notification */
RECORD_FIELD(uint64_t, n_bits);
/* per page-table frame: the process whose address space uses it */
extern FRAME_TABLE(uint32_t, pt_proc);
extern FRAME_TABLE(uint32_t, pt_proc_gen);

/* ipc.c: per-object queue indices, so that the IPC and notification
 * paths need no scan in the common case. They are hints kept in step with
 * the state+ticket queues above (which stay the definition of a queue):
 *   ep_recv[e]   : EPQ_UNKNOWN, or a process q such that no process but q
 *                  waits to receive on e (PS_RECV on an endpoint, PS_NOTIF
 *                  on a notification; NO_PROC: nobody waits);
 *   ep_nosend[e] : 1 if no process waits to send or call on e (0: maybe).
 * epq_wf states exactly this; every kernel entry point that writes what
 * it reads requires and ensures it. Only ipc.c's block_on puts a process
 * into a queue, and it updates them; a new endpoint's or notification's
 * indices start "unknown" (object_install: its record held anything), so
 * they never lie, and epq_wf speaks of them only while the frame has a
 * queue (has_queue). */
#define EPQ_UNKNOWN (NFRAMES + 1u)
RECORD_FIELD(uint32_t, ep_recv);
RECORD_FIELD(uint8_t, ep_nosend);

/*@
  // process q's state, ticket and registers are at H what they were at L
  // (what a post or a delivery promises every process but the one it
  // wakes)
  predicate proc_kept{L, H}(integer q) =
    \at(p_state[q], H) == \at(p_state[q], L) && \at(p_ticket[q], H) == \at(p_ticket[q], L) &&
    \forall integer i; 0 <= i < NREGS ==> \at(p_regs[REG(q, i)], H) == \at(p_regs[REG(q, i)], L);
  // capability space c holds no capability (proc_create's E_NOT_EMPTY)
  predicate cspace_empty(integer c) =
    \forall integer t; 0 <= t < NSLOTS ==> cap_type[c][t] == OT_FREE;
  // process q waits on what it waited on at L (object and generation)
  predicate waits_kept{L, H}(integer q) =
    \at(p_wait[q], H) == \at(p_wait[q], L) && \at(p_wait_gen[q], H) == \at(p_wait_gen[q], L);
  // every register of q but a0 and a1 (10, 11) is at H what it was at L
  // (a process woken with a result in a0 and a value in a1)
  predicate regs_kept_but_a01{L, H}(integer q) = \forall integer i; 0 <= i < NREGS &&
    i != 10 && i != 11 ==> \at(p_regs[REG(q, i)], H) == \at(p_regs[REG(q, i)], L);

  // the bits all posted to notification n from L to H (ntfn_post): with
  // nobody woken (w == NO_PROC) n keeps them with its own; else w took
  // them all in a1 (10: a0 = E_OK, 11: a1) and n is emptied
  predicate posted{L, H}(integer n, integer all, integer w) =
    (w == \at(NO_PROC, L) ==> \at(n_bits[n], H) == (\at(n_bits[n], L) | all)) &&
    (w != \at(NO_PROC, L) ==> \at(p_regs[REG(w, 10)], H) == E_OK &&
      \at(p_regs[REG(w, 11)], H) == (\at(n_bits[n], L) | all) && \at(n_bits[n], H) == 0);
*/
/*@
  // q is one of the processes find_waiter(e, st1, st2) considers: live,
  // blocked in st1 or st2 on e (e's current generation), cspace in range.
  predicate waiting_on(integer q, integer e, integer st1, integer st2) =
    (p_state[q] == st1 || p_state[q] == st2) && p_wait[q] == e &&
    p_wait_gen[q] == frame_gen[e] && frame_type[q] == OT_PROCESS &&
    frame_gen[q] == p_gen[q] && p_cspace[q] < NFRAMES;

  // q is a process the index ep_recv[e] must know of: a receiver on e
  // unless e is a notification, a notification waiter on e unless e is
  // an endpoint. (So the index of an endpoint says nothing of PS_NOTIF
  // and the index of a notification nothing of PS_RECV, which a scan of
  // one state then establishes; on any other frame it covers both, and a
  // frame changing type, frame_claim, only drops one of them.)
  predicate indexed(integer q, integer e) =
    (frame_type[e] != OT_NOTIFICATION && waiting_on(q, e, PS_RECV, PS_RECV)) ||
    (frame_type[e] != OT_ENDPOINT && waiting_on(q, e, PS_NOTIF, PS_NOTIF));

  // e holds the queue indices: an endpoint or a notification. (The
  // indices are fields of e's record, in e's own frame in the kernel: the
  // invariant speaks of them only while e is of a type that has them.)
  predicate has_queue(integer e) =
    frame_type[e] == OT_ENDPOINT || frame_type[e] == OT_NOTIFICATION;

  // The queue indices tell the truth about the queues.
  predicate epq_wf =
    \forall integer e, q; 0 <= e < NFRAMES && 0 <= q < NFRAMES && has_queue(e) ==>
      (indexed(q, e) ==> ep_recv[e] == q || ep_recv[e] == EPQ_UNKNOWN) &&
      (ep_nosend[e] == 1 ==> !waiting_on(q, e, PS_SEND, PS_CALL));

  // epq_wf for every process but f: the state between a frame becoming a
  // process (frame_claim) and its process state being set (proc_make).
  predicate epq_wf_but(integer f) =
    \forall integer e, q; 0 <= e < NFRAMES && 0 <= q < NFRAMES && q != f &&
      has_queue(e) ==>
      (indexed(q, e) ==> ep_recv[e] == q || ep_recv[e] == EPQ_UNKNOWN) &&
      (ep_nosend[e] == 1 ==> !waiting_on(q, e, PS_SEND, PS_CALL));
*/

/* sched.c */
extern uint32_t cur_proc;              /* running process, or NO_PROC        */
extern uint64_t next_ticket;
extern uint32_t p_hi;                  /* no process at or above this frame  */

/*@
  // The scans over processes stop at p_hi: no frame at or above it is a
  // process. proc_make raises p_hi; nothing lowers it. (Of frame types
  // only: a frame's process fields are its record, in its own frame in
  // the kernel, and mean nothing while it is not a process.)
  predicate hi_wf = p_hi <= NFRAMES &&
    \forall integer q; p_hi <= q < NFRAMES ==> frame_type[q] != OT_PROCESS;

  // hi_wf but for frame p: between p becoming a process (frame_claim)
  // and proc_make raising p_hi past it.
  predicate hi_wf_but(integer p) = p_hi <= NFRAMES &&
    \forall integer q; p_hi <= q < NFRAMES && q != p ==> frame_type[q] != OT_PROCESS;
*/

/*@
  // p's capability space is still the live cspace it was given (else the
  // decode layer refuses every invocation with E_STALE).
  predicate cspace_of_ok(integer p) =
    p_cspace[p] < NFRAMES && frame_type[p_cspace[p]] == OT_CSPACE &&
    frame_gen[p_cspace[p]] == p_cspace_gen[p];

  // Slot s of cs holds a valid endpoint capability itself (no forwarder)
  // with the read right (r != 0) / the write right (w != 0): lookup and
  // resolution give this very capability (its object, its badge).
  predicate direct_ep(integer cs, integer s, integer r, integer w) =
    0 <= s < NSLOTS && cap_type[cs][s] == OT_ENDPOINT &&
    frame_type[cap_obj[cs][s]] == OT_ENDPOINT &&
    frame_gen[cap_obj[cs][s]] == cap_gen[cs][s] &&
    (r == 0 || cap_read[cs][s] != 0) && (w == 0 || cap_write[cs][s] != 0);

  // The reply capability of cur names caller c, still waiting for exactly
  // this reply (ipc_reply's validity check).
  predicate reply_ok(integer cur, integer c) =
    0 <= c < NFRAMES && p_state[c] == PS_REPLY && frame_type[c] == OT_PROCESS &&
    frame_gen[c] == p_gen[c] && p_cspace[c] < NFRAMES &&
    p_gen[c] == p_reply_gen[cur] && p_wait[c] == cur &&
    p_ticket[c] == p_reply_tkt[cur];

  // The refusal of one capability a message names (msg_check): lookup of
  // any type, then the grant right.
  logic integer msg_slot_err(integer cs, integer s) =
    lookup_err(cs, s, OT_FREE, 0, 0) != E_OK ? lookup_err(cs, s, OT_FREE, 0, 0) :
    cap_grant[cs][s] == 0 ? E_NO_RIGHTS : E_OK;

  // The slot of a message's capability i (0 or 1) in its descriptor.
  logic integer desc_slot_of(integer desc, integer i) =
    i == 0 ? desc / 4 % 256 : desc / 1024 % 256;

  // msg_check(cs, desc): the exact refusal of a message's capability
  // descriptor, E_OK when it may travel.
  logic integer msg_err(integer cs, integer desc) =
    (desc % 4 > MSG_CAPS || desc / 262144 != 0) ? E_BAD_ARG :
    (desc % 4 >= 1 && msg_slot_err(cs, desc_slot_of(desc, 0)) != E_OK) ?
      msg_slot_err(cs, desc_slot_of(desc, 0)) :
    (desc % 4 >= 2 && msg_slot_err(cs, desc_slot_of(desc, 1)) != E_OK) ?
      msg_slot_err(cs, desc_slot_of(desc, 1)) :
    E_OK;

  // The refusal of a message in p's registers (ipc_send, ipc_reply): a6
  // above 2^20 - 1, then msg_err.
  logic integer send_msg_err(integer p) =
    p_regs[REG(p, 16)] >= 1048576 ? E_BAD_ARG :
    msg_err(p_cspace[p], p_regs[REG(p, 16)] % 1048576);

  // The conditions of the call fast path (ipc_fast_call): a register-only
  // message (a6 = 0: no capabilities) through a direct endpoint
  // capability with the write right, the endpoint's index naming a waiting
  // receiver (then the only one, epq_wf) of priority at least cur's.
  predicate fast_call_ok(integer cur) =
    cspace_of_ok(cur) && p_regs[REG(cur, 16)] == 0 &&
    direct_ep(p_cspace[cur], p_regs[REG(cur, 10)], 0, 1) &&
    \let ep = cap_obj[p_cspace[cur]][p_regs[REG(cur, 10)]];
    ep_recv[ep] < p_hi && waiting_on(ep_recv[ep], ep, PS_RECV, PS_RECV) &&
    p_prio[ep_recv[ep]] >= p_prio[cur];

  // The conditions of the reply-and-receive fast path: a register-only
  // reply through a valid reply capability to a caller of priority at
  // least cur's, then a receive through a direct endpoint capability with
  // the read right on an endpoint no sender waits on (so cur blocks).
  predicate fast_reply_recv_ok(integer cur) =
    cspace_of_ok(cur) && p_regs[REG(cur, 16)] == 0 &&
    p_reply_to[cur] < p_hi && reply_ok(cur, p_reply_to[cur]) &&
    p_prio[p_reply_to[cur]] >= p_prio[cur] &&
    direct_ep(p_cspace[cur], p_regs[REG(cur, 10)], 1, 0) &&
    ep_nosend[cap_obj[p_cspace[cur]][p_regs[REG(cur, 10)]]] == 1;

  // Slot s of cs holds a valid notification capability itself (no
  // forwarder) with the write right.
  predicate direct_ntfn(integer cs, integer s) =
    0 <= s < NSLOTS && cap_type[cs][s] == OT_NOTIFICATION &&
    frame_type[cap_obj[cs][s]] == OT_NOTIFICATION &&
    frame_gen[cap_obj[cs][s]] == cap_gen[cs][s] && cap_write[cs][s] != 0;

  // The conditions of the signal fast path (ntfn_fast_signal): a signal
  // through a direct notification capability with the write right, with
  // bits to give (a1 | the badge is not 0), the notification's index
  // naming a waiter (then the only one, epq_wf) of priority above cur's
  // (after_syscall's direct switch for one woken process).
  predicate fast_signal_ok(integer cur) =
    cspace_of_ok(cur) && direct_ntfn(p_cspace[cur], p_regs[REG(cur, 10)]) &&
    (p_regs[REG(cur, 11)] | cap_badge[p_cspace[cur]][p_regs[REG(cur, 10)]]) != 0 &&
    \let n = cap_obj[p_cspace[cur]][p_regs[REG(cur, 10)]];
    ep_recv[n] < p_hi && waiting_on(ep_recv[n], n, PS_NOTIF, PS_NOTIF) &&
    p_prio[ep_recv[n]] > p_prio[cur];
*/

uint64_t ticket_take(void);
int      proc_live(uint32_t p);
int      obj_live_gen(uint32_t f, uint32_t gen);
void     proc_ready(uint32_t p);
uint32_t sched_pick(void);
void     sched_tick(void);

/* proc.c */
struct resolve_ret invoke_lookup(uint32_t cs, uint32_t slot, uint32_t type,
                                 uint32_t need_r, uint32_t need_w);
void     proc_make(uint32_t p, uint32_t cont, uint32_t cspace, uint32_t prio);
kerr_t   proc_create(uint32_t cs, uint32_t caller, uint32_t cont_slot,
                     uint32_t cspace_slot, uint32_t dst, uint32_t prio);
kerr_t   proc_resume(uint32_t cs, uint32_t slot);
kerr_t   proc_suspend(uint32_t cs, uint32_t slot);
struct reg_ret { kerr_t err; uint64_t value; };
struct reg_ret proc_read_reg(uint32_t cs, uint32_t slot, uint32_t reg);
kerr_t   proc_write_reg(uint32_t cs, uint32_t slot, uint32_t reg, uint64_t value);
kerr_t   proc_set_fault(uint32_t cs, uint32_t slot, uint32_t ep_slot);
struct frame_ret { kerr_t err; uint32_t frame; };
struct frame_ret kobj_alloc(uint32_t cont, uint32_t type);
void     proc_reap(void);
void     waits_cancel(void);

/* ipc.c: the running process `cur` is the sender / receiver. Results go
 * into the saved registers of the processes involved (p_regs). */
struct send_ret { kerr_t err; uint32_t partner; };
uint32_t ntfn_post(uint32_t n, uint64_t all);
struct send_ret ipc_send(uint32_t cur, uint32_t ep_slot, uint32_t is_call);
void     ipc_send_to(uint32_t cur, uint32_t r, uint32_t is_call);
kerr_t   ipc_recv(uint32_t cur, uint32_t ep_slot);
kerr_t   ipc_reply(uint32_t cur);
int      ipc_fault(uint32_t cur, uint64_t label, uint64_t w0, uint64_t w1,
                   uint64_t w2);
/* the fast paths (arch-riscv/fastpath.c): NO_PROC = not taken, nothing
 * changed; else the partner made ready, state as the slow path leaves it */
uint32_t ipc_fast_call(uint32_t cur);
uint32_t ipc_fast_reply_recv(uint32_t cur);
uint32_t ntfn_fast_signal(uint32_t cur);
struct send_ret ntfn_signal(uint32_t cs, uint32_t slot, uint64_t bits);  /* .partner: woken */
kerr_t   ntfn_wait(uint32_t cur, uint32_t slot);

#endif
