/* proc_test: host unit test of the process / IPC core (kernel/proc.c,
 * sched.c, ipc.c) on top of the kernel core, built with ASan + UBSan.
 * Drives the operations the way the syscall layer does (registers in
 * p_regs) and checks every result and state change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proc.h"
#include "internal.h"

static int failures;
#define CHECK(c) do { if (!(c)) { printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)

enum { ROOT = 0, RCS = 1 };

/* a process made the way user_start makes the root task */
static uint32_t boot_proc(uint32_t slot)
{
  struct frame_ret f = kobj_alloc(ROOT, OT_PROCESS);
  CHECK(f.err == E_OK);
  proc_make(f.frame, ROOT, RCS, NPRIO - 1);
  slot_set(RCS, slot, OT_PROCESS, f.frame, frame_gen[f.frame], 1, 1, 1, 0);
  return f.frame;
}

/* a fresh kernel (the root container and cspace) and no process state
 * left from an earlier test */
static void fresh_kernel(void)
{
  kernel_init(ROOT, RCS);
  for (uint32_t f = 0; f < NFRAMES; f++)
    p_state[f] = PS_NONE;
}

/* a send as the syscall layer does it: find, then deliver */
static kerr_t send(uint32_t p, uint32_t slot, uint32_t is_call)
{
  struct send_ret r = ipc_send(p, slot, is_call);
  if (r.err == E_OK && r.partner != NO_PROC)
    ipc_send_to(p, r.partner, is_call);
  return r.err;
}

static void set_msg(uint32_t p, uint64_t label, uint64_t w0, uint64_t caps)
{
  p_regs[REG(p, 11)] = label;
  p_regs[REG(p, 12)] = w0;
  p_regs[REG(p, 16)] = caps;
}

static void test_create(void)
{
  uint32_t me = boot_proc(2);
  CHECK(obj_alloc(RCS, 0, OT_CSPACE, 3) == E_OK);
  CHECK(proc_create(RCS, me, 0, 3, 4, NPRIO) == E_BAD_ARG);        /* prio */
  CHECK(proc_create(RCS, me, 0, 1, 4, 1) == (kerr_t)E_NOT_EMPTY);  /* my cspace */
  CHECK(proc_create(RCS, me, 3, 3, 4, 1) == E_WRONG_TYPE);
  CHECK(proc_create(RCS, me, 0, 3, NSLOTS, 1) == E_BAD_SLOT);
  uint32_t usage = c_usage[ROOT];
  CHECK(proc_create(RCS, me, 0, 3, 4, 1) == E_OK);
  CHECK(c_usage[ROOT] == usage + 1);
  uint32_t child = cap_obj[RCS][4];
  CHECK(frame_type[child] == OT_PROCESS && p_state[child] == PS_SUSPENDED);
  CHECK(p_cspace[child] == cap_obj[RCS][3]);
  CHECK(proc_resume(RCS, 4) == E_OK && p_state[child] == PS_READY);
  CHECK(proc_resume(RCS, 4) == (kerr_t)E_BAD_STATE);
  CHECK(proc_write_reg(RCS, 4, 5, 7) == (kerr_t)E_BAD_STATE);       /* ready */
  CHECK(proc_suspend(RCS, 4) == E_OK && p_state[child] == PS_SUSPENDED);
  CHECK(proc_write_reg(RCS, 4, 5, 7) == E_OK);
  CHECK(proc_write_reg(RCS, 4, 33, 7) == E_BAD_ARG);
  struct reg_ret r = proc_read_reg(RCS, 4, 5);
  CHECK(r.err == E_OK && r.value == 7);
  /* destroy it: obj_free; its frame is no longer a process (its record,
   * in its frame in the kernel, is not written again: records.h) */
  CHECK(obj_free(RCS, 0, 4) == E_OK);
  proc_reap();
  CHECK(frame_type[child] != OT_PROCESS && !proc_live(child));
  CHECK(proc_resume(RCS, 4) == E_STALE);
}

static void test_ipc(void)
{
  uint32_t me = boot_proc(5);
  /* two processes sharing the root cspace is enough for the core */
  uint32_t server = boot_proc(6), client = boot_proc(7);
  CHECK(obj_alloc(RCS, 0, OT_ENDPOINT, 8) == E_OK);
  uint32_t ep = cap_obj[RCS][8];
  CHECK(cap_mint(RCS, 8, RCS, 9, 0, 1, 1, 0x55) == E_OK);          /* badged send cap */
  proc_ready(server);
  proc_ready(client);
  (void)me;
  /* server receives first: blocks */
  CHECK(ipc_recv(server, 8) == E_OK && p_state[server] == PS_RECV && p_wait[server] == ep);
  /* client calls with label 7, w0 = 42, through the badged cap */
  set_msg(client, 7, 42, 0);
  CHECK(send(client, 9, 1) == E_OK);
  CHECK(p_state[server] == PS_READY && p_state[client] == PS_REPLY);
  CHECK(p_regs[REG(server, 11)] == 0x55 && p_regs[REG(server, 12)] == 7 &&
        p_regs[REG(server, 13)] == 42);
  CHECK(p_reply_to[server] == client);
  /* reply with label 9 */
  set_msg(server, 9, 1, 0);
  CHECK(ipc_reply(server) == E_OK && p_state[client] == PS_READY);
  CHECK(p_regs[REG(client, 12)] == 9 && p_regs[REG(client, 10)] == E_OK);
  CHECK(ipc_reply(server) == (kerr_t)E_NO_REPLY);                   /* one shot */
  /* a sender without a receiver queues; the receiver takes the oldest */
  set_msg(client, 1, 0, 0);
  CHECK(send(client, 9, 0) == E_OK && p_state[client] == PS_SEND);
  CHECK(ipc_recv(server, 8) == E_OK && p_state[client] == PS_READY &&
        p_regs[REG(server, 12)] == 1);
  /* refused sends change nothing */
  set_msg(client, 1, 0, 3);
  CHECK(send(client, 9, 0) == E_BAD_ARG);
  set_msg(client, 1, 0, 1 + 4 * 8);                                 /* cap in slot 8 */
  CHECK(send(client, 9, 0) == E_OK);                            /* 9 has grant */
  CHECK(p_state[client] == PS_SEND);
  p_rslot[MC(server, 0)] = 20;
  CHECK(ipc_recv(server, 8) == E_OK && p_regs[REG(server, 17)] == 1);
  CHECK(cap_type[RCS][20] == OT_ENDPOINT && cap_obj[RCS][20] == ep);
  CHECK(ipc_recv(server, 3) == E_EMPTY);
  CHECK(send(client, 0, 0) == E_WRONG_TYPE);       /* a container */
  /* a caller blocked on a server that dies is cancelled */
  CHECK(ipc_recv(server, 8) == E_OK && p_state[server] == PS_RECV);
  set_msg(client, 1, 0, 0);
  CHECK(send(client, 9, 1) == E_OK && p_state[client] == PS_REPLY);
  CHECK(obj_free(RCS, 0, 6) == E_OK);                               /* the server */
  proc_reap();
  CHECK(p_state[client] == PS_READY && p_regs[REG(client, 10)] == E_CANCELLED);
  /* notifications */
  CHECK(obj_alloc(RCS, 0, OT_NOTIFICATION, 10) == E_OK);
  CHECK(ntfn_signal(RCS, 10, 0).err == E_BAD_ARG);
  CHECK(ntfn_signal(RCS, 10, 4).partner == NO_PROC && ntfn_signal(RCS, 10, 1).err == E_OK);
  CHECK(ntfn_wait(client, 10) == E_OK && p_regs[REG(client, 11)] == 5);
  /* a new notification's waiter index is unknown until a wait finds
   * nobody waiting; then it names the waiter, and a signal needs no scan */
  CHECK(ep_recv[cap_obj[RCS][10]] == EPQ_UNKNOWN);
  CHECK(ntfn_wait(client, 10) == E_OK && p_state[client] == PS_NOTIF);
  CHECK(ep_recv[cap_obj[RCS][10]] == client);
  struct send_ret sg = ntfn_signal(RCS, 10, 2);
  CHECK(sg.err == E_OK && sg.partner == client && p_state[client] == PS_READY &&
        p_regs[REG(client, 11)] == 2);
  /* two waiters: the index cannot name both (unknown), so a signal scans
   * and wakes the one that waited longest; once nobody waits, a wait
   * makes the index known again */
  uint32_t n = cap_obj[RCS][10];
  proc_ready(me);
  CHECK(ntfn_wait(client, 10) == E_OK && ntfn_wait(me, 10) == E_OK);
  CHECK(p_state[client] == PS_NOTIF && p_state[me] == PS_NOTIF && ep_recv[n] == EPQ_UNKNOWN);
  sg = ntfn_signal(RCS, 10, 8);
  CHECK(sg.partner == client && p_regs[REG(client, 11)] == 8 && p_state[me] == PS_NOTIF);
  sg = ntfn_signal(RCS, 10, 16);
  CHECK(sg.partner == me && p_regs[REG(me, 11)] == 16 && p_state[me] == PS_READY);
  CHECK(ep_recv[n] == EPQ_UNKNOWN);
  CHECK(ntfn_wait(me, 10) == E_OK && ep_recv[n] == me);
  sg = ntfn_signal(RCS, 10, 1);
  CHECK(sg.partner == me && p_state[me] == PS_READY);
  /* nobody waits: the bits stay, and no one is woken */
  sg = ntfn_signal(RCS, 10, 32);
  CHECK(sg.err == E_OK && sg.partner == NO_PROC && n_bits[n] == 32);
  CHECK(ntfn_wait(me, 10) == E_OK && p_regs[REG(me, 11)] == 32 && n_bits[n] == 0);
  /* suspend cancels a blocked call */
  CHECK(ipc_recv(client, 8) == E_OK && p_state[client] == PS_RECV);
  CHECK(proc_suspend(RCS, 7) == E_OK && p_regs[REG(client, 10)] == E_CANCELLED);
  /* faults: no fault endpoint stops the process */
  CHECK(proc_resume(RCS, 7) == E_OK);
  CHECK(ipc_fault(client, LABEL_FAULT, 13, 8, 0x100) == 0 && p_state[client] == PS_STOPPED);
}

/* ---- the IPC fast path against the slow path ------------------------- */

/* Every table an IPC operation may touch, copied whole: the fast path
 * must leave exactly the slow path's state but for the caller's message
 * record, which it leaves as it was (kernel/ipc.c: deliver_now), and
 * nothing when not taken. */
#define SNAP_TABLES(X) \
  X(p_state) X(p_gen) X(p_cspace) X(p_cspace_gen) X(p_prio) X(p_ticket) \
  X(p_wait) X(p_wait_gen) X(p_regs) X(p_mlabel) X(p_mword) X(p_mcaps) \
  X(p_mbadge) X(p_reply_to) X(p_reply_gen) X(p_reply_tkt) X(p_rslot) \
  X(n_bits) X(ep_recv) X(ep_nosend) X(cap_type) X(cap_obj) X(cap_gen) \
  X(cap_read) X(cap_write) X(cap_grant) X(cap_badge) X(frame_type) X(frame_gen)
#define SNAP_FIELD(t) __typeof__(t) t;
struct snap { SNAP_TABLES(SNAP_FIELD) uint64_t next_ticket; };
#define SNAP_SAVE(t) memcpy(&sn->t, &t, sizeof t);
#define SNAP_LOAD(t) memcpy(&t, &sn->t, sizeof t);
#define SNAP_DIFF(t) if (memcmp(&a->t, &b->t, sizeof a->t) != 0) { printf("  differs: %s\n", #t); n++; }
static struct snap s0, s_fast, s_slow;

static void snap_save(struct snap *sn) { SNAP_TABLES(SNAP_SAVE) sn->next_ticket = next_ticket; }
static void snap_load(const struct snap *sn) { SNAP_TABLES(SNAP_LOAD) next_ticket = sn->next_ticket; }
static int snap_diff(const struct snap *a, const struct snap *b)
{
  int n = 0;
  SNAP_TABLES(SNAP_DIFF)
  if (a->next_ticket != b->next_ticket) { printf("  differs: next_ticket\n"); n++; }
  return n;
}

/* Process p's message record (p_mlabel, p_mword, p_mcaps, p_mbadge). */
static int msg_record_same(const struct snap *a, const struct snap *b, uint32_t p)
{
  return a->p_mlabel[p] == b->p_mlabel[p] && a->p_mcaps[p] == b->p_mcaps[p] &&
         a->p_mbadge[p] == b->p_mbadge[p] &&
         memcmp(&a->p_mword[MW(p, 0)], &b->p_mword[MW(p, 0)], MSG_WORDS * sizeof a->p_mword[0]) == 0;
}

static void msg_record_copy(struct snap *to, const struct snap *from, uint32_t p)
{
  to->p_mlabel[p] = from->p_mlabel[p];
  to->p_mcaps[p] = from->p_mcaps[p];
  to->p_mbadge[p] = from->p_mbadge[p];
  memcpy(&to->p_mword[MW(p, 0)], &from->p_mword[MW(p, 0)], MSG_WORDS * sizeof to->p_mword[0]);
}

/* the message registers of a syscall: a0 slot, a1 label, a2..a5, a6 caps */
static void set_call(uint32_t p, uint64_t slot, uint64_t label, uint64_t caps)
{
  p_regs[REG(p, 10)] = slot;
  p_regs[REG(p, 11)] = label;
  for (uint32_t i = 0; i < 4; i++)
    p_regs[REG(p, 12 + i)] = label * 16 + i;
  p_regs[REG(p, 16)] = caps;
}

/* The slow path of SYS_CALL and SYS_REPLY_RECV as arch-riscv/syscall.c
 * runs it (a0 = the status for a live caller). */
static void slow_call(uint32_t p)
{
  kerr_t e = send(p, (uint32_t)p_regs[REG(p, 10)], 1);
  p_regs[REG(p, 10)] = e;
}

static void slow_reply_recv(uint32_t p)
{
  uint32_t slot = (uint32_t)p_regs[REG(p, 10)];     /* read before the call, as syscall.c */
  kerr_t e = ipc_reply(p);
  if (e == E_OK || e == (kerr_t)E_NO_REPLY)
    e = ipc_recv(p, slot);
  p_regs[REG(p, 10)] = e;
}

/* The slow path of SYS_NOTIFY_SIGNAL as arch-riscv/syscall.c runs it
 * (E_STALE for a dead cspace, as caller_cspace; a0 = the status).
 * Returns the waiter it woke, which after_syscall switches to when its
 * priority is above p's. */
static uint32_t slow_signal(uint32_t p)
{
  uint32_t cs = p_cspace[p];
  if (cs >= NFRAMES || frame_type[cs] != OT_CSPACE || frame_gen[cs] != p_cspace_gen[p]) {
    p_regs[REG(p, 10)] = E_STALE;
    return NO_PROC;
  }
  struct send_ret sr = ntfn_signal(cs, (uint32_t)p_regs[REG(p, 10)], p_regs[REG(p, 11)]);
  p_regs[REG(p, 10)] = sr.err;
  return sr.partner;
}

enum fast_kind { FAST_CALL, FAST_REPLY_RECV, FAST_SIGNAL };

/* A fast path's refusal: p's syscall (slot, label, no capabilities) is
 * not taken, and the slow path refuses it with err */
#define CHECK_REFUSED(p, kind, slot, label, err) do {                     \
    set_call(p, slot, label, 0);                                          \
    CHECK(fast_vs_slow(p, kind, 0) == NO_PROC && p_regs[REG(p, 10)] == (err)); \
  } while (0)

/* Fast vs slow from the same state: taken, same state; not taken, no
 * change. Returns what the fast path returned. */
static uint32_t fast_vs_slow(uint32_t p, enum fast_kind kind, int want_taken)
{
  uint32_t woken = NO_PROC;
  snap_save(&s0);
  uint32_t r = kind == FAST_CALL ? ipc_fast_call(p)
             : kind == FAST_REPLY_RECV ? ipc_fast_reply_recv(p) : ntfn_fast_signal(p);
  snap_save(&s_fast);
  if (r == NO_PROC) {
    CHECK(!want_taken);
    CHECK(snap_diff(&s0, &s_fast) == 0);        /* not taken: nothing changed */
  } else {
    CHECK(want_taken);
  }
  snap_load(&s0);
  if (kind == FAST_CALL)
    slow_call(p);
  else if (kind == FAST_REPLY_RECV)
    slow_reply_recv(p);
  else
    woken = slow_signal(p);
  snap_save(&s_slow);
  if (r != NO_PROC && kind != FAST_SIGNAL) {
    CHECK(msg_record_same(&s_fast, &s0, p));    /* p's record untouched ... */
    msg_record_copy(&s_fast, &s_slow, p);       /* ... which is the one difference */
  }
  if (r != NO_PROC)
    CHECK(snap_diff(&s_fast, &s_slow) == 0);    /* taken: the slow path's state */
  if (r != NO_PROC && kind == FAST_SIGNAL)      /* and the process it switches to */
    CHECK(woken == r && p_prio[r] > p_prio[p] && p_state[p] == PS_READY);
  return r;                                     /* the slow path's state stays */
}

static void test_fastpath(void)
{
  fresh_kernel();
  uint32_t server = boot_proc(2), client = boot_proc(3), other = boot_proc(4);
  CHECK(obj_alloc(RCS, 0, OT_ENDPOINT, 8) == E_OK);
  CHECK(cap_mint(RCS, 8, RCS, 9, 0, 1, 1, 0x55) == E_OK);      /* badged, w + g */
  CHECK(cap_copy(RCS, 8, RCS, 10, 1, 0, 0) == E_OK);           /* read only */
  CHECK(fwd_create(RCS, 0, 9, 11) == E_OK);                     /* a forwarder */
  proc_ready(server);
  proc_ready(client);
  proc_ready(other);

  /* no receiver yet: not taken; the slow path blocks the client */
  set_call(client, 9, 1, 0);
  CHECK(fast_vs_slow(client, FAST_CALL, 0) == NO_PROC && p_state[client] == PS_CALL);
  /* the server receives it (slow), replies: the send queue was not known
   * empty, so reply_recv is not taken either; then it waits */
  CHECK(ipc_recv(server, 8) == E_OK && p_reply_to[server] == client);
  set_call(server, 8, 2, 0);
  CHECK(fast_vs_slow(server, FAST_REPLY_RECV, 0) == NO_PROC && p_state[server] == PS_RECV);
  CHECK(p_state[client] == PS_READY && p_regs[REG(client, 12)] == 2);

  /* the server waits: a register-only call through the direct cap is taken */
  set_call(client, 9, 3, 0);
  CHECK(fast_vs_slow(client, FAST_CALL, 1) == server);
  CHECK(p_regs[REG(server, 11)] == 0x55 && p_regs[REG(server, 12)] == 3 &&
        p_regs[REG(server, 13)] == 48 && p_regs[REG(server, 16)] == 51 &&
        p_regs[REG(server, 17)] == 0 && p_state[client] == PS_REPLY);
  /* and its reply_recv: the caller waits, no sender: taken */
  set_call(server, 8, 4, 0);
  CHECK(fast_vs_slow(server, FAST_REPLY_RECV, 1) == client);
  CHECK(p_regs[REG(client, 11)] == 0 && p_regs[REG(client, 12)] == 4 &&
        p_state[server] == PS_RECV && p_reply_to[server] == NO_PROC);

  /* the receiver index does not know (EPQ_UNKNOWN): the scan's case, not
   * taken (the slow path's scan finds the server); then the reply is, and
   * its receive, finding no other receiver, makes the index known */
  uint32_t ep = cap_obj[RCS][8];
  CHECK(ep_recv[ep] == server);
  ep_recv[ep] = EPQ_UNKNOWN;
  set_call(client, 9, 4, 0);
  CHECK(fast_vs_slow(client, FAST_CALL, 0) == NO_PROC && p_state[client] == PS_REPLY &&
        p_state[server] == PS_READY && p_regs[REG(server, 12)] == 4);
  set_call(server, 8, 4, 0);
  CHECK(fast_vs_slow(server, FAST_REPLY_RECV, 1) == client && ep_recv[ep] == server);

  /* the conditions, one at a time (the server waiting each time) */
  set_call(client, 9, 5, 1 + 4 * 8);                 /* a capability travels */
  CHECK(fast_vs_slow(client, FAST_CALL, 0) == NO_PROC && p_state[client] == PS_REPLY);
  set_call(server, 8, 6, 0);
  CHECK(fast_vs_slow(server, FAST_REPLY_RECV, 1) == client);      /* reply fast again */
  set_call(client, 11, 7, 0);                        /* through a forwarder */
  CHECK(fast_vs_slow(client, FAST_CALL, 0) == NO_PROC && p_state[client] == PS_REPLY);
  set_call(server, 8, 8, 0);
  CHECK(fast_vs_slow(server, FAST_REPLY_RECV, 1) == client);
  CHECK_REFUSED(client, FAST_CALL, 10, 9, E_NO_RIGHTS);  /* no write right */
  CHECK_REFUSED(client, FAST_CALL, NSLOTS, 9, E_BAD_SLOT);  /* slot out of range */
  CHECK_REFUSED(client, FAST_CALL, 0, 9, E_WRONG_TYPE);  /* a container */
  p_prio[server] = NPRIO - 2;                        /* receiver of lower priority */
  set_call(client, 9, 10, 0);
  CHECK(fast_vs_slow(client, FAST_CALL, 0) == NO_PROC && p_state[client] == PS_REPLY &&
        p_state[server] == PS_READY);
  p_prio[server] = NPRIO - 1;
  /* reply_recv with a sender waiting on the endpoint: not taken */
  set_call(other, 9, 11, 0);
  slow_call(other);
  CHECK(p_state[other] == PS_CALL);
  set_call(server, 8, 12, 0);
  CHECK(fast_vs_slow(server, FAST_REPLY_RECV, 0) == NO_PROC && p_reply_to[server] == other);
  /* reply_recv to a caller that is gone (suspended: no longer waiting) */
  CHECK(proc_suspend(RCS, 4) == E_OK);
  set_call(server, 8, 13, 0);
  CHECK(fast_vs_slow(server, FAST_REPLY_RECV, 0) == NO_PROC && p_state[server] == PS_RECV);
  /* a stale endpoint capability: the endpoint is freed (the server, its
   * receiver, is woken with E_CANCELLED by the reaper) */
  CHECK(obj_free(RCS, 0, 8) == E_OK);
  proc_reap();
  set_call(client, 9, 14, 0);
  CHECK(p_state[client] == PS_READY);
  CHECK(fast_vs_slow(client, FAST_CALL, 0) == NO_PROC && p_regs[REG(client, 10)] == E_STALE);
}

/* The signal fast path against the slow one, condition by condition. */
static void test_fast_signal(void)
{
  fresh_kernel();
  uint32_t waiter = boot_proc(2), sig = boot_proc(3), other = boot_proc(4);
  p_prio[sig] = NPRIO - 2;                 /* the waiter's priority is above */
  CHECK(obj_alloc(RCS, 0, OT_NOTIFICATION, 8) == E_OK);
  CHECK(cap_mint(RCS, 8, RCS, 9, 0, 1, 0, 0x40) == E_OK);      /* badged, write */
  CHECK(cap_copy(RCS, 8, RCS, 10, 1, 0, 0) == E_OK);           /* read only */
  CHECK(fwd_create(RCS, 0, 8, 11) == E_OK);                     /* a forwarder */
  CHECK(obj_alloc(RCS, 0, OT_ENDPOINT, 12) == E_OK);
  proc_ready(waiter);
  proc_ready(sig);
  proc_ready(other);
  uint32_t n = cap_obj[RCS][8];

  /* nobody waits (the index of a new notification is unknown): not
   * taken; the slow path keeps the bits, which the first wait takes */
  set_call(sig, 8, 1, 0);
  CHECK(fast_vs_slow(sig, FAST_SIGNAL, 0) == NO_PROC && n_bits[n] == 1);
  CHECK(ntfn_wait(waiter, 8) == E_OK && p_regs[REG(waiter, 11)] == 1 && n_bits[n] == 0);
  /* the waiter blocks (the index now names it): taken, with the bits */
  CHECK(ntfn_wait(waiter, 8) == E_OK && p_state[waiter] == PS_NOTIF && ep_recv[n] == waiter);
  set_call(sig, 8, 6, 0);
  CHECK(fast_vs_slow(sig, FAST_SIGNAL, 1) == waiter);
  CHECK(p_state[waiter] == PS_READY && p_regs[REG(waiter, 10)] == E_OK &&
        p_regs[REG(waiter, 11)] == 6 && n_bits[n] == 0 && p_regs[REG(sig, 10)] == E_OK);
  /* through the badged capability, no bits of its own: the badge's */
  CHECK(ntfn_wait(waiter, 8) == E_OK && p_state[waiter] == PS_NOTIF);
  set_call(sig, 9, 0, 0);
  CHECK(fast_vs_slow(sig, FAST_SIGNAL, 1) == waiter && p_regs[REG(waiter, 11)] == 0x40);
  CHECK(ntfn_wait(waiter, 8) == E_OK && p_state[waiter] == PS_NOTIF);
  set_call(sig, 9, 3, 0);
  CHECK(fast_vs_slow(sig, FAST_SIGNAL, 1) == waiter && p_regs[REG(waiter, 11)] == 0x43);
  /* bits already held while a process waits (no syscall leaves that: a
   * wait takes them; both paths still define it): the waiter gets them
   * too, and the notification none */
  CHECK(ntfn_wait(waiter, 8) == E_OK && p_state[waiter] == PS_NOTIF);
  n_bits[n] = 0x100;
  set_call(sig, 8, 5, 0);
  CHECK(fast_vs_slow(sig, FAST_SIGNAL, 1) == waiter && p_regs[REG(waiter, 11)] == 0x105 &&
        n_bits[n] == 0);

  /* the conditions, one at a time (the waiter waiting each time) */
  CHECK(ntfn_wait(waiter, 8) == E_OK && p_state[waiter] == PS_NOTIF);
  set_call(sig, 8, 0, 0);                           /* no bits at all */
  CHECK(fast_vs_slow(sig, FAST_SIGNAL, 0) == NO_PROC && p_regs[REG(sig, 10)] == E_BAD_ARG &&
        p_state[waiter] == PS_NOTIF);
  CHECK_REFUSED(sig, FAST_SIGNAL, 10, 1, E_NO_RIGHTS);  /* no write right */
  CHECK_REFUSED(sig, FAST_SIGNAL, NSLOTS, 1, E_BAD_SLOT);  /* slot out of range */
  CHECK_REFUSED(sig, FAST_SIGNAL, 12, 1, E_WRONG_TYPE);  /* an endpoint */
  CHECK_REFUSED(sig, FAST_SIGNAL, 13, 1, E_EMPTY);  /* an empty slot */
  p_cspace_gen[sig]++;                              /* the signaller's cspace is gone */
  CHECK_REFUSED(sig, FAST_SIGNAL, 8, 1, E_STALE);
  p_cspace_gen[sig]--;
  p_prio[sig] = NPRIO - 1;                          /* a waiter of the same priority */
  set_call(sig, 8, 2, 0);
  CHECK(fast_vs_slow(sig, FAST_SIGNAL, 0) == NO_PROC && p_state[waiter] == PS_READY &&
        p_regs[REG(waiter, 11)] == 2);
  p_prio[sig] = NPRIO - 2;
  CHECK(ntfn_wait(waiter, 8) == E_OK && p_state[waiter] == PS_NOTIF);
  set_call(sig, 11, 4, 0);                          /* through a forwarder */
  CHECK(fast_vs_slow(sig, FAST_SIGNAL, 0) == NO_PROC && p_state[waiter] == PS_READY &&
        p_regs[REG(waiter, 11)] == 4);
  /* two waiters: the index is unknown, the slow path's scan wakes the
   * one that waited longer */
  CHECK(ntfn_wait(waiter, 8) == E_OK && ntfn_wait(other, 8) == E_OK);
  CHECK(ep_recv[n] == EPQ_UNKNOWN);
  set_call(sig, 8, 8, 0);
  CHECK(fast_vs_slow(sig, FAST_SIGNAL, 0) == NO_PROC && p_state[waiter] == PS_READY &&
        p_state[other] == PS_NOTIF);
  set_call(sig, 8, 16, 0);
  CHECK(fast_vs_slow(sig, FAST_SIGNAL, 0) == NO_PROC && p_state[other] == PS_READY);
  /* a waiter that was suspended no longer waits: not taken, the bits stay */
  CHECK(ntfn_wait(waiter, 8) == E_OK && ep_recv[n] == waiter);
  CHECK(proc_suspend(RCS, 2) == E_OK);
  set_call(sig, 8, 32, 0);
  CHECK(fast_vs_slow(sig, FAST_SIGNAL, 0) == NO_PROC && n_bits[n] == 32);
  /* a stale notification capability */
  CHECK(obj_free(RCS, 0, 8) == E_OK);
  proc_reap();
  CHECK_REFUSED(sig, FAST_SIGNAL, 9, 1, E_STALE);
}

static void test_sched(void)
{
  fresh_kernel();
  uint32_t a = boot_proc(2), b = boot_proc(3), c = boot_proc(4);
  p_prio[c] = 1;
  proc_ready(a);
  proc_ready(b);
  proc_ready(c);
  CHECK(sched_pick() == a);            /* highest priority, oldest ticket */
  sched_tick();
  CHECK(sched_pick() == b);            /* round robin */
  sched_tick();
  CHECK(sched_pick() == a);
  p_state[a] = PS_SUSPENDED;
  p_state[b] = PS_SUSPENDED;
  CHECK(sched_pick() == c);            /* lower priority only when alone */
  p_state[c] = PS_SUSPENDED;
  CHECK(sched_pick() == NO_PROC);
}

int main(void)
{
  kernel_init(ROOT, RCS);
  test_create();
  kernel_init(ROOT, RCS);
  test_ipc();
  test_fastpath();
  test_fast_signal();
  test_sched();
  printf("proc_test: %s (%d failures)\n", failures ? "FAIL" : "ok", failures);
  return failures != 0;
}
