/* proc.c: processes (issue 4). Creation by trivial confinement from a
 * container, start/resume, suspend, registers, the fault endpoint, kernel
 * allocations for page tables, and the reaper that retires the process
 * state of destroyed processes. The tables are declared in proc.h. */
#include "proc.h"
#include "internal.h"

RECORD_FIELD_DEF(uint8_t, p_state);
RECORD_FIELD_DEF(uint32_t, p_gen);
RECORD_FIELD_DEF(uint32_t, p_cspace);
RECORD_FIELD_DEF(uint32_t, p_cspace_gen);
RECORD_FIELD_DEF(uint32_t, p_prio);
RECORD_FIELD_DEF(uint64_t, p_ticket);
RECORD_FIELD_DEF(uint32_t, p_wait);
RECORD_FIELD_DEF(uint32_t, p_wait_gen);
RECORD_ROWS_DEF(uint64_t, p_regs, NREGS);
RECORD_FIELD_DEF(uint64_t, p_mlabel);
RECORD_ROWS_DEF(uint64_t, p_mword, MSG_WORDS);
RECORD_FIELD_DEF(uint32_t, p_mcaps);
RECORD_FIELD_DEF(uint64_t, p_mbadge);
RECORD_FIELD_DEF(uint32_t, p_reply_to);
RECORD_FIELD_DEF(uint32_t, p_reply_gen);
RECORD_FIELD_DEF(uint64_t, p_reply_tkt);
RECORD_ROWS_DEF(uint32_t, p_rslot, MSG_CAPS);
RECORD_FIELD_DEF(uint32_t, p_fault_ep);
RECORD_FIELD_DEF(uint32_t, p_fault_gen);
RECORD_FIELD_DEF(uint64_t, p_fault_badge);
RECORD_FIELD_DEF(uint64_t, n_bits);
FRAME_TABLE_DEF(uint32_t, pt_proc);
FRAME_TABLE_DEF(uint32_t, pt_proc_gen);

/* spec: proc_make */
/* Give frame p (already typed OT_PROCESS) its process state: suspended,
 * zero registers, the capability space `cspace`, priority prio, no reply
 * capability, no receive slots, no fault endpoint. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf_but(p);
  requires p < NFRAMES && cspace < NFRAMES && prio < NPRIO;
  requires epq: epq_wf_but(p);
  ensures epq: epq_wf;
  assigns p_hi, p_state[p], p_gen[p], p_cspace[p], p_cspace_gen[p], p_prio[p],
          p_ticket[p], p_wait[p], p_wait_gen[p], p_regs[REG(p, 0) .. REG(p, NREGS-1)],
          p_mlabel[p], p_mword[MW(p, 0) .. MW(p, MSG_WORDS-1)], p_mcaps[p], p_mbadge[p],
          p_reply_to[p], p_reply_gen[p], p_reply_tkt[p],
          p_rslot[MC(p, 0) .. MC(p, MSG_CAPS-1)], p_fault_ep[p], p_fault_gen[p],
          p_fault_badge[p];
  ensures p_state[p] == PS_SUSPENDED && p_gen[p] == frame_gen[p] &&
          p_cspace[p] == cspace && p_cspace_gen[p] == frame_gen[cspace] &&
          p_prio[p] == prio && p_reply_to[p] == NO_PROC &&
          p_fault_ep[p] == NFRAMES;
  ensures hi: hi_wf;
*/
void proc_make(uint32_t p, uint32_t cont, uint32_t cspace, uint32_t prio)
{
  uint32_t i;
  (void)cont;
  if (p >= p_hi)
    p_hi = p + 1u;
  p_state(p) = PS_SUSPENDED;
  p_gen(p) = frame_gen[p];
  p_cspace(p) = cspace;
  p_cspace_gen(p) = frame_gen[cspace];
  p_prio(p) = prio;
  p_ticket(p) = 0;
  p_wait(p) = NFRAMES;
  p_wait_gen(p) = 0;
  /*@
    loop invariant 0 <= i <= NREGS;
    loop assigns i, p_regs[REG(p, 0) .. REG(p, NREGS-1)];
    loop variant NREGS - i;
  */
  for (i = 0; i < NREGS; i++)
    p_reg(p, i) = 0;
  p_mlabel(p) = 0;
  /*@
    loop invariant 0 <= i <= MSG_WORDS;
    loop assigns i, p_mword[MW(p, 0) .. MW(p, MSG_WORDS-1)];
    loop variant MSG_WORDS - i;
  */
  for (i = 0; i < MSG_WORDS; i++)
    p_mw(p, i) = 0;
  p_mcaps(p) = 0;
  p_mbadge(p) = 0;
  p_reply_to(p) = NO_PROC;
  p_reply_gen(p) = 0;
  p_reply_tkt(p) = 0;
  p_rs(p, 0) = NSLOTS;
  p_rs(p, 1) = NSLOTS;
  p_fault_ep(p) = NFRAMES;
  p_fault_gen(p) = 0;
  p_fault_badge(p) = 0;
}

/* Does capability space cs hold no capability at all? */
/*@
  requires sizes: SIZES_OK;
  requires cs < NFRAMES;
  assigns \nothing;
  ensures \result == 0 || \result == 1;
  ensures \result == 1 <==> (\forall integer s; 0 <= s < NSLOTS ==>
                               cap_type[cs][s] == OT_FREE);
*/
static int cspace_is_empty(uint32_t cs)
{
  uint32_t s;
  /*@
    loop invariant 0 <= s <= NSLOTS;
    loop invariant \forall integer t; 0 <= t < s ==> cap_type[cs][t] == OT_FREE;
    loop assigns s;
    loop variant NSLOTS - s;
  */
  for (s = 0; s < NSLOTS; s++)
    if (cap_type[cs][s] != OT_FREE)
      return 0;
  return 1;
}

/* The commit of proc_create: every guard passed, so the free frame f
 * becomes a suspended process owned by cont, charged on cont's path, with
 * the empty capability space `space` and priority prio, and a capability
 * to it lands in the empty slot dst of cs. Nothing here can fail. (Split
 * from the guards so that WP proves these effects without the guard paths
 * in every goal: proofs/README.md.) */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf;
  requires Inv;
  requires epq: epq_wf;
  requires is_cspace(cs) && 0 <= dst < NSLOTS && cap_type[cs][dst] == OT_FREE;
  requires is_container(cont) && path_room(cont, 1);
  requires is_cspace(space) && space != cs &&
    \forall integer t; 0 <= t < NSLOTS ==> cap_type[space][t] == OT_FREE;
  requires prio < NPRIO;
  requires 0 <= f < NFRAMES && frame_type[f] == OT_FREE;
  assigns p_hi, frame_type[f], frame_owner[f], c_usage[0 .. NFRAMES-1],
          c_own[cont], c_own[f],
          cap_type[cs][dst], cap_obj[cs][dst], cap_gen[cs][dst],
          cap_read[cs][dst], cap_write[cs][dst], cap_grant[cs][dst],
          cap_badge[cs][dst],
          p_state[f], p_gen[f], p_cspace[f], p_cspace_gen[f], p_prio[f],
          p_ticket[f], p_wait[f], p_wait_gen[f], p_regs[REG(f, 0) .. REG(f, NREGS-1)],
          p_mlabel[f], p_mword[MW(f, 0) .. MW(f, MSG_WORDS-1)], p_mcaps[f], p_mbadge[f],
          p_reply_to[f], p_reply_gen[f], p_reply_tkt[f],
          p_rslot[MC(f, 0) .. MC(f, MSG_CAPS-1)], p_fault_ep[f], p_fault_gen[f],
          p_fault_badge[f], f_hi, f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures inv: Inv && hi_wf && epq_wf;
  ensures made: cap_type[cs][dst] == OT_PROCESS && cap_obj[cs][dst] == f &&
    cap_valid(cs, dst) && p_state[f] == PS_SUSPENDED &&
    frame_owner[f] == cont && p_cspace[f] == space;
  ensures empty_kept: \forall integer t; 0 <= t < NSLOTS ==>
    cap_type[space][t] == OT_FREE;
*/
static void proc_commit(uint32_t cs, uint32_t dst, uint32_t cont,
                        uint32_t space, uint32_t prio, uint32_t f)
{
  charge(cont);
  frame_take(f, cont, OT_PROCESS);
  /*@ assert acct: acct_wf; */
  proc_make(f, cont, space, prio);
  /*@ assert inv_before: Inv; */
  cap_install(cs, dst, OT_PROCESS, f, frame_gen[f], 1, 1, 1, 0);
}

/* spec: proc_create */
/* Create a process from the container in cont_slot (write right), with
 * the empty capability space in cspace_slot (write right) and priority
 * prio (at most the caller's). Born suspended, with an empty address
 * space (the architecture layer gives it the kernel's satp; its root page
 * table comes with its first map). The new frame holds its record. Guards
 * in order: lookup(cont_slot, CONTAINER, write);
 * lookup(cspace_slot, CSPACE, write); cspace empty else E_NOT_EMPTY;
 * prio < NPRIO and prio <= p_prio[caller] else E_BAD_ARG; free_dst(dst);
 * charge (E_OVER_LIMIT); a free frame (E_NO_MEMORY). */
/*@
  requires sizes: SIZES_OK;
  requires flo: flo_wf;
  requires hi_wf;
  requires Inv;
  requires is_cspace(cs) && caller < NFRAMES;
  requires epq: epq_wf;
  // (the frame it takes is the lowest free one: frame_find_free)
  assigns p_hi, frame_type[lowest_free_from(0)], frame_owner[lowest_free_from(0)],
          c_usage[0 .. NFRAMES-1], c_own[cap_obj[cs][cont_slot]],
          c_own[lowest_free_from(0)], cap_type[cs][dst], cap_obj[cs][dst],
          cap_gen[cs][dst], cap_read[cs][dst], cap_write[cs][dst], cap_grant[cs][dst],
          cap_badge[cs][dst], p_state[lowest_free_from(0)], p_gen[lowest_free_from(0)],
          p_cspace[lowest_free_from(0)], p_cspace_gen[lowest_free_from(0)],
          p_prio[lowest_free_from(0)], p_ticket[lowest_free_from(0)],
          p_wait[lowest_free_from(0)], p_wait_gen[lowest_free_from(0)],
          p_regs[REG(lowest_free_from(0), 0) .. REG(lowest_free_from(0), NREGS-1)],
          p_mlabel[lowest_free_from(0)],
          p_mword[MW(lowest_free_from(0), 0) .. MW(lowest_free_from(0), MSG_WORDS-1)],
          p_mcaps[lowest_free_from(0)], p_mbadge[lowest_free_from(0)],
          p_reply_to[lowest_free_from(0)], p_reply_gen[lowest_free_from(0)],
          p_reply_tkt[lowest_free_from(0)],
          p_rslot[MC(lowest_free_from(0), 0) .. MC(lowest_free_from(0), MSG_CAPS-1)],
          p_fault_ep[lowest_free_from(0)], p_fault_gen[lowest_free_from(0)],
          p_fault_badge[lowest_free_from(0)], f_hi, f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures inv: Inv && hi_wf && epq_wf;  // one clause, not three: proofs/README.md
  behavior bad_cont:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1));
  behavior bad_cspace:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, cspace_slot, OT_CSPACE, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, cspace_slot, OT_CSPACE, 0, 1));
  behavior not_empty:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, cspace_slot, OT_CSPACE, 0, 1) == E_OK;
    assumes !cspace_empty(cap_obj[cs][cspace_slot]);
    assigns \nothing;
    ensures \result == E_NOT_EMPTY;
  behavior bad_prio:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, cspace_slot, OT_CSPACE, 0, 1) == E_OK;
    assumes cspace_empty(cap_obj[cs][cspace_slot]);
    assumes prio >= NPRIO || prio > p_prio[caller];
    assigns \nothing;
    ensures \result == E_BAD_ARG;
  behavior bad_dst:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, cspace_slot, OT_CSPACE, 0, 1) == E_OK;
    assumes cspace_empty(cap_obj[cs][cspace_slot]);
    assumes prio < NPRIO && prio <= p_prio[caller];
    assumes free_dst_err(cs, dst) != E_OK;
    assigns \nothing;
    ensures \result == \old(free_dst_err(cs, dst));
  behavior over_limit:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, cspace_slot, OT_CSPACE, 0, 1) == E_OK;
    assumes cspace_empty(cap_obj[cs][cspace_slot]);
    assumes prio < NPRIO && prio <= p_prio[caller];
    assumes free_dst_err(cs, dst) == E_OK;
    assumes !path_room(cap_obj[cs][cont_slot], 1);
    assigns \nothing;
    ensures \result == E_OVER_LIMIT;
  behavior no_memory:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, cspace_slot, OT_CSPACE, 0, 1) == E_OK;
    assumes cspace_empty(cap_obj[cs][cspace_slot]);
    assumes prio < NPRIO && prio <= p_prio[caller];
    assumes free_dst_err(cs, dst) == E_OK;
    assumes path_room(cap_obj[cs][cont_slot], 1);
    assumes !has_free;
    assigns \nothing;
    ensures \result == E_NO_MEMORY;
  behavior ok:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, cspace_slot, OT_CSPACE, 0, 1) == E_OK;
    assumes cspace_empty(cap_obj[cs][cspace_slot]);
    assumes prio < NPRIO && prio <= p_prio[caller];
    assumes free_dst_err(cs, dst) == E_OK;
    assumes path_room(cap_obj[cs][cont_slot], 1);
    assumes has_free;
    // one clause, one goal (proofs/README.md: "One goal per group")
    ensures ok:
      (\result == E_OK) &&
      (made: cap_type[cs][dst] == OT_PROCESS && cap_valid(cs, dst) &&
        cap_obj[cs][dst] == \old(lowest_free_from(0)) &&
        p_state[cap_obj[cs][dst]] == PS_SUSPENDED &&
        frame_owner[cap_obj[cs][dst]] == \old(cap_obj[cs][cont_slot]) &&
        p_cspace[cap_obj[cs][dst]] == \old(cap_obj[cs][cspace_slot])) &&
      (empty: \forall integer s; 0 <= s < NSLOTS ==>
        cap_type[p_cspace[cap_obj[cs][dst]]][s] == OT_FREE);
  complete behaviors;
  disjoint behaviors;
*/
kerr_t proc_create(uint32_t cs, uint32_t caller, uint32_t cont_slot,
                   uint32_t cspace_slot, uint32_t dst, uint32_t prio)
{
  uint32_t cont, space, f;
  kerr_t e = cap_lookup(cs, cont_slot, OT_CONTAINER, 0, 1);
  if (e != E_OK)
    return e;
  e = cap_lookup(cs, cspace_slot, OT_CSPACE, 0, 1);
  if (e != E_OK)
    return e;
  space = cap_obj[cs][cspace_slot];
  if (!cspace_is_empty(space))
    return (kerr_t)E_NOT_EMPTY;
  /*@ assert space_other: space != cs; */
  if (prio >= NPRIO || prio > p_prio(caller))
    return E_BAD_ARG;
  e = free_dst(cs, dst);
  if (e != E_OK)
    return e;
  cont = cap_obj[cs][cont_slot];
  if (!path_has_room(cont))
    return E_OVER_LIMIT;
  f = frame_find_free();
  if (f == NFRAMES)
    return E_NO_MEMORY;
  /* commit point: every guard passed, nothing below can fail */
  proc_commit(cs, dst, cont, space, prio, f);
  return E_OK;
}

/* spec: invoke_lookup */
/* The process designated (through forwarders) by slot of cs, with the
 * read (need_r) or write (need_w) right: lookup, resolve, then the type
 * (E_WRONG_TYPE) and the rights (E_NO_RIGHTS). On success .obj is the
 * object and .badge the resolved badge. Shared by every invocation of an
 * endpoint, notification or process capability. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  requires type < OT_RETIRED;
  assigns \nothing;
  ensures \result.err == E_OK ==> \result.obj < NFRAMES &&
    frame_type[\result.obj] == type && live(\result.obj) &&
    (need_r != 0 ==> \result.read == 1) && (need_w != 0 ==> \result.write == 1);
  ensures \result.err == E_OK ==> \result.grant <= 1;
  ensures grant_chain: \result.err == E_OK ==>
    (\result.grant == 1 <==> resolved_grant(cs, slot));
  ensures lookup_err(cs, slot, OT_FREE, 0, 0) != E_OK ==>
    \result.err == lookup_err(cs, slot, OT_FREE, 0, 0);
  ensures exact_err: \result.err == invoke_err(cs, slot, type, need_r, need_w);
  ensures resolved_to: \result.err == E_OK ==> \result.obj == resolved_obj(cs, slot);
  ensures badge_chain: \result.err == E_OK ==> \result.badge == resolved_badge(cs, slot);
*/
struct resolve_ret invoke_lookup(uint32_t cs, uint32_t slot, uint32_t type,
                                 uint32_t need_r, uint32_t need_w)
{
  struct resolve_ret r = cap_resolve(cs, slot);
  if (r.err != E_OK)
    return r;
  if (r.type != type) {
    r.err = E_WRONG_TYPE;
    return r;
  }
  if ((need_r != 0 && r.read == 0) || (need_w != 0 && r.write == 0)) {
    r.err = E_NO_RIGHTS;
    return r;
  }
  return r;          /* r.grant <= 1 already: cap_resolve's attenuated */
}

/* spec: proc_resume */
/* Start a new process or resume a suspended or stopped one (write right
 * on its capability). E_BAD_STATE if it is running, ready or blocked. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf;
  requires Inv;
  requires is_cspace(cs);
  requires epq: epq_wf;
  ensures epq: epq_wf;
  assigns p_state[0 .. NFRAMES-1], p_ticket[0 .. NFRAMES-1], next_ticket;
  ensures inv: Inv;
  ensures hi: hi_wf;
  behavior bad_cap:
    assumes invoke_err(cs, slot, OT_PROCESS, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == invoke_err(cs, slot, OT_PROCESS, 0, 1);
  behavior bad_state:
    assumes invoke_err(cs, slot, OT_PROCESS, 0, 1) == E_OK;
    assumes p_state[resolved_obj(cs, slot)] != PS_SUSPENDED &&
            p_state[resolved_obj(cs, slot)] != PS_STOPPED;
    assigns \nothing;
    ensures \result == E_BAD_STATE;
  behavior started:
    assumes invoke_err(cs, slot, OT_PROCESS, 0, 1) == E_OK;
    assumes p_state[resolved_obj(cs, slot)] == PS_SUSPENDED ||
            p_state[resolved_obj(cs, slot)] == PS_STOPPED;
    assigns p_state[resolved_obj(cs, slot)], p_ticket[resolved_obj(cs, slot)], next_ticket;
    ensures \result == E_OK;
    ensures p_state[\old(resolved_obj(cs, slot))] == PS_READY;
  complete behaviors;
  disjoint behaviors;
*/
kerr_t proc_resume(uint32_t cs, uint32_t slot)
{
  struct resolve_ret r = invoke_lookup(cs, slot, OT_PROCESS, 0, 1);
  uint32_t p;
  if (r.err != E_OK)
    return r.err;
  p = r.obj;
  if (p_state(p) != PS_SUSPENDED && p_state(p) != PS_STOPPED)
    return (kerr_t)E_BAD_STATE;
  proc_ready(p);
  return E_OK;
}

/* Take process p off the CPU and out of any queue: suspended. A blocked
 * IPC call is cancelled: its result (a0) becomes E_CANCELLED. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf && p < p_hi;
  requires p < NFRAMES;
  requires epq: epq_wf;
  assigns p_state[p], p_regs[REG(p, 10)];
  ensures p_state[p] == PS_SUSPENDED;
  ensures cancelled: PS_SEND <= \old(p_state[p]) <= PS_NOTIF ==>
    p_regs[REG(p, 10)] == E_CANCELLED;
  ensures kept: !(PS_SEND <= \old(p_state[p]) <= PS_NOTIF) ==>
    p_regs[REG(p, 10)] == \old(p_regs[REG(p, 10)]);
  ensures epq: epq_wf;
  ensures hi: hi_wf;
*/
static void suspend_one(uint32_t p)
{
  if (p_state(p) >= PS_SEND && p_state(p) <= PS_NOTIF)
    p_reg(p, 10) = E_CANCELLED;
  p_state(p) = PS_SUSPENDED;
}

/* spec: proc_suspend */
/* Suspend a process (write right). A process blocked in IPC leaves its
 * queue (its state no longer says it is queued) and will see E_CANCELLED
 * as the result of that call when resumed. Suspending a suspended
 * process is a no-op. If p is the caller itself, the architecture layer
 * switches to another process on the way out. */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf;
  requires Inv;
  requires is_cspace(cs);
  requires epq: epq_wf;
  ensures epq: epq_wf;
  assigns p_state[0 .. NFRAMES-1], p_regs[0 .. NFRAMES*NREGS-1];
  ensures inv: Inv;
  ensures hi: hi_wf;
  behavior bad_cap:
    assumes invoke_err(cs, slot, OT_PROCESS, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == invoke_err(cs, slot, OT_PROCESS, 0, 1);
  behavior bad_state:
    assumes invoke_err(cs, slot, OT_PROCESS, 0, 1) == E_OK;
    assumes p_state[resolved_obj(cs, slot)] == PS_NONE;
    assigns \nothing;
    ensures \result == E_BAD_STATE;
  behavior suspended:
    assumes invoke_err(cs, slot, OT_PROCESS, 0, 1) == E_OK;
    assumes p_state[resolved_obj(cs, slot)] != PS_NONE;
    assigns p_state[resolved_obj(cs, slot)],
            p_regs[REG(resolved_obj(cs, slot), 10)];
    ensures \result == E_OK;
    ensures \let p = \old(resolved_obj(cs, slot)); p_state[p] == PS_SUSPENDED &&
      (PS_SEND <= \old(p_state[p]) <= PS_NOTIF ==> p_regs[REG(p, 10)] == E_CANCELLED) &&
      (!(PS_SEND <= \old(p_state[p]) <= PS_NOTIF) ==>
        p_regs[REG(p, 10)] == \old(p_regs[REG(p, 10)]));
  complete behaviors;
  disjoint behaviors;
*/
kerr_t proc_suspend(uint32_t cs, uint32_t slot)
{
  struct resolve_ret r = invoke_lookup(cs, slot, OT_PROCESS, 0, 1);
  if (r.err != E_OK)
    return r.err;
  if (p_state(r.obj) == PS_NONE)
    return (kerr_t)E_BAD_STATE;
  suspend_one(r.obj);
  return E_OK;
}

/* spec: proc_read_reg */
/* Read register reg (1..31 = x1..x31, REG_PC) of a process that is not
 * running or ready (read right). */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  assigns \nothing;
  behavior bad_cap:
    assumes invoke_err(cs, slot, OT_PROCESS, 1, 0) != E_OK;
    ensures \result.err == invoke_err(cs, slot, OT_PROCESS, 1, 0);
  behavior bad_reg:
    assumes invoke_err(cs, slot, OT_PROCESS, 1, 0) == E_OK;
    assumes reg < 1 || reg > REG_PC;
    ensures \result.err == E_BAD_ARG;
  behavior ready:
    assumes invoke_err(cs, slot, OT_PROCESS, 1, 0) == E_OK && 1 <= reg <= REG_PC;
    assumes p_state[resolved_obj(cs, slot)] == PS_READY;
    ensures \result.err == E_BAD_STATE;
  behavior read:
    assumes invoke_err(cs, slot, OT_PROCESS, 1, 0) == E_OK && 1 <= reg <= REG_PC;
    assumes p_state[resolved_obj(cs, slot)] != PS_READY;
    ensures \result.err == E_OK;
    ensures \result.value == p_regs[REG(resolved_obj(cs, slot), reg)];
  complete behaviors;
  disjoint behaviors;
*/
struct reg_ret proc_read_reg(uint32_t cs, uint32_t slot, uint32_t reg)
{
  struct reg_ret ret = { E_OK, 0 };
  struct resolve_ret r = invoke_lookup(cs, slot, OT_PROCESS, 1, 0);
  if (r.err != E_OK) {
    ret.err = r.err;
    return ret;
  }
  if (reg < 1 || reg > REG_PC) {
    ret.err = E_BAD_ARG;
    return ret;
  }
  if (p_state(r.obj) == PS_READY) {
    ret.err = (kerr_t)E_BAD_STATE;
    return ret;
  }
  ret.value = p_reg(r.obj, reg);
  return ret;
}

/* spec: proc_write_reg */
/* Write register reg of a process that is not running or ready (write
 * right). */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  assigns p_regs[0 .. NFRAMES*NREGS-1];
  ensures inv: Inv;
  behavior bad_cap:
    assumes invoke_err(cs, slot, OT_PROCESS, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == invoke_err(cs, slot, OT_PROCESS, 0, 1);
  behavior bad_reg:
    assumes invoke_err(cs, slot, OT_PROCESS, 0, 1) == E_OK;
    assumes reg < 1 || reg > REG_PC;
    assigns \nothing;
    ensures \result == E_BAD_ARG;
  behavior ready:
    assumes invoke_err(cs, slot, OT_PROCESS, 0, 1) == E_OK && 1 <= reg <= REG_PC;
    assumes p_state[resolved_obj(cs, slot)] == PS_READY;
    assigns \nothing;
    ensures \result == E_BAD_STATE;
  behavior written:
    assumes invoke_err(cs, slot, OT_PROCESS, 0, 1) == E_OK && 1 <= reg <= REG_PC;
    assumes p_state[resolved_obj(cs, slot)] != PS_READY;
    assigns p_regs[REG(resolved_obj(cs, slot), reg)];
    ensures \result == E_OK;
    ensures p_regs[REG(\old(resolved_obj(cs, slot)), reg)] == value;
  complete behaviors;
  disjoint behaviors;
*/
kerr_t proc_write_reg(uint32_t cs, uint32_t slot, uint32_t reg, uint64_t value)
{
  struct resolve_ret r = invoke_lookup(cs, slot, OT_PROCESS, 0, 1);
  if (r.err != E_OK)
    return r.err;
  if (reg < 1 || reg > REG_PC)
    return E_BAD_ARG;
  if (p_state(r.obj) == PS_READY)
    return (kerr_t)E_BAD_STATE;
  p_reg(r.obj, reg) = value;
  return E_OK;
}

/* spec: proc_set_fault */
/* Name the endpoint (ep_slot, write right: faults are sent) that receives
 * the process's fault and exit messages (write right on the process,
 * through forwarders). The endpoint capability must be a direct one (a
 * forwarder: E_WRONG_TYPE): the binding outlives the call, and a
 * forwarder's revocation would not reach it (law 3), as for
 * irq_set_ntfn and timer_set. The binding's badge is that capability's. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  assigns p_fault_ep[0 .. NFRAMES-1], p_fault_gen[0 .. NFRAMES-1],
          p_fault_badge[0 .. NFRAMES-1];
  ensures inv: Inv;
  behavior bad_proc:
    assumes invoke_err(cs, slot, OT_PROCESS, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == invoke_err(cs, slot, OT_PROCESS, 0, 1);
  behavior bad_ep:
    assumes invoke_err(cs, slot, OT_PROCESS, 0, 1) == E_OK;
    assumes lookup_err(cs, ep_slot, OT_ENDPOINT, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == lookup_err(cs, ep_slot, OT_ENDPOINT, 0, 1);
  behavior bound:
    assumes invoke_err(cs, slot, OT_PROCESS, 0, 1) == E_OK;
    assumes lookup_err(cs, ep_slot, OT_ENDPOINT, 0, 1) == E_OK;
    assigns p_fault_ep[resolved_obj(cs, slot)], p_fault_gen[resolved_obj(cs, slot)],
            p_fault_badge[resolved_obj(cs, slot)];
    ensures \result == E_OK;
    ensures \let p = \old(resolved_obj(cs, slot)); \let e = \old(cap_obj[cs][ep_slot]);
      p_fault_ep[p] == e && p_fault_gen[p] == frame_gen[e] &&
      p_fault_badge[p] == \old(cap_badge[cs][ep_slot]);
  complete behaviors;
  disjoint behaviors;
*/
kerr_t proc_set_fault(uint32_t cs, uint32_t slot, uint32_t ep_slot)
{
  struct resolve_ret p = invoke_lookup(cs, slot, OT_PROCESS, 0, 1);
  kerr_t e;
  uint32_t ep;
  if (p.err != E_OK)
    return p.err;
  e = cap_lookup(cs, ep_slot, OT_ENDPOINT, 0, 1);
  if (e != E_OK)
    return e;
  ep = cap_obj[cs][ep_slot];
  p_fault_ep(p.obj) = ep;
  p_fault_gen(p.obj) = frame_gen[ep];
  p_fault_badge(p.obj) = cap_badge[cs][ep_slot];
  return E_OK;
}

/* spec: kobj_alloc */
/* A kernel-held object (a page table; at boot, the root task's process
 * and image frames) paid for by container cont: one
 * frame, charged like obj_alloc, no capability. Guards: charge
 * (E_OVER_LIMIT), a free frame (E_NO_MEMORY). */
/*@
  requires sizes: SIZES_OK;
  requires flo: flo_wf;
  requires Inv;
  requires is_container(cont);
  requires type == OT_PAGETABLE || type == OT_PROCESS || type == OT_FRAME;
  requires epq: epq_wf;
  // one clause, one goal (proofs/README.md: "One goal per group")
  ensures post:
    (epq: type != OT_PROCESS ==> epq_wf) &&
    (epq_refused: \result.err != E_OK ==> epq_wf) &&
    (\result.err == E_OK || \result.err == E_OVER_LIMIT ||
      \result.err == E_NO_MEMORY) &&
    (\result.err == E_OK ==> \result.frame < NFRAMES &&
      \old(frame_type[\result.frame]) == OT_FREE &&
      frame_type[\result.frame] == type && frame_owner[\result.frame] == cont) &&
    (\result.err == E_OK ==> \forall integer g; 0 <= g < NFRAMES &&
      g != \result.frame ==> frame_type[g] == \old(frame_type[g])) &&
    (\result.err != E_OK ==> \forall integer g; 0 <= g < NFRAMES ==>
      frame_type[g] == \old(frame_type[g]));
  ensures epq_but: \result.err == E_OK ==> epq_wf_but(\result.frame);
  assigns frame_type[0 .. NFRAMES-1], frame_owner[0 .. NFRAMES-1],
          c_usage[0 .. NFRAMES-1], c_own[0 .. NFRAMES-1], f_hi, f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures hi: \old(hi_wf) ==>
    (type != OT_PROCESS || \result.err != E_OK ==> hi_wf) &&
    (\result.err == E_OK ==> hi_wf_but(\result.frame));
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures inv: Inv;
*/
struct frame_ret kobj_alloc(uint32_t cont, uint32_t type)
{
  struct frame_ret ret = { E_OK, NFRAMES };
  uint32_t f;
  if (!path_has_room(cont)) {
    ret.err = E_OVER_LIMIT;
    return ret;
  }
  f = frame_find_free();
  if (f == NFRAMES) {
    ret.err = E_NO_MEMORY;
    return ret;
  }
  charge(cont);
  frame_take(f, cont, type);
  /*@ assert acct: acct_wf; */
  ret.frame = f;
  return ret;
}


/* spec: waits_cancel */
/* proc_reap's first part: forget the running process if it died;
 * cancel, with E_CANCELLED, the blocking call of every live process
 * waiting on an object that is gone. Bound: one pass over the frames
 * below p_hi (no process lies above). On its own it is all that an
 * endpoint's or a notification's death needs (obj_gone). */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf;
  requires epq: epq_wf;
  ensures epq: epq_wf;
  assigns p_state[0 .. NFRAMES-1], p_ticket[0 .. NFRAMES-1], next_ticket,
          p_regs[0 .. NFRAMES*NREGS-1], cur_proc;
  ensures hi: hi_wf;
*/
inline void waits_cancel(void) CORE_INLINE;
/* (inline into proc_reap, whose first pass it was) */
inline void waits_cancel(void)
{
  uint32_t p;
  /* the running process may be one that died (its record, in its frame,
   * is not written: a dead process's frame is not a process, which is
   * what takes it off every queue) */
  if (cur_proc != NO_PROC && !proc_live(cur_proc))
    cur_proc = NO_PROC;
  /*@
    loop invariant 0 <= p <= p_hi;
    loop invariant hi_wf;
    loop invariant epq: epq_wf;
    loop assigns p, p_state[0 .. NFRAMES-1], p_ticket[0 .. NFRAMES-1],
                 next_ticket, p_regs[0 .. NFRAMES*NREGS-1];
    loop variant p_hi - p;
  */
  for (p = 0; p < p_hi; p++) {
    uint32_t st;
    int gone;
    if (!proc_live(p))
      continue;
    st = p_state(p);
    if (st < PS_SEND || st > PS_NOTIF)
      continue;
    if (st == PS_REPLY)
      gone = !proc_live(p_wait(p)) || p_gen(p_wait(p) % NFRAMES) != p_wait_gen(p);
    else
      gone = !obj_live_gen(p_wait(p), p_wait_gen(p));
    if (gone) {
      p_reg(p, 10) = E_CANCELLED;
      /* (the queue indices do not read registers: one step at a time for
       * the provers, which at MAXFRAMES 2^22 no longer saw it whole) */
      /*@ assert epq_regs: epq_wf; */
      proc_ready(p);
      /*@ assert epq_ready: epq_wf; */
    }
  }
}

/* spec: proc_reap */
/* After a destruction (container_destroy; obj_gone of a process): the
 * waits on what died cancelled (waits_cancel); then every page table
 * whose process is gone freed. Bound: one pass over the frames below
 * p_hi and one below f_hi (no process or page table lies above them). */
/*@
  requires sizes: SIZES_OK;
  requires hi_wf;
  requires fhi: fhi_wf;
  requires Inv;
  requires epq: epq_wf;
  ensures epq: epq_wf;
  ensures fhi: fhi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  assigns p_state[0 .. NFRAMES-1], p_ticket[0 .. NFRAMES-1], next_ticket,
          p_regs[0 .. NFRAMES*NREGS-1], cur_proc,
          frame_type[0 .. NFRAMES-1], frame_gen[0 .. NFRAMES-1],
          c_usage[0 .. NFRAMES-1], c_own[0 .. NFRAMES-1],
          ep_recv[0 .. NFRAMES-1], ep_nosend[0 .. NFRAMES-1], f_lo;
  ensures inv: Inv;
  ensures hi: hi_wf;
*/
inline void proc_reap(void) CORE_INLINE;
/* (inline into its two callers, the syscall layer's reap and obj_gone:
 * out of line, with vs_reap too, a container_destroy cost 44
 * instructions more) */
inline void proc_reap(void)
{
  uint32_t f;
  waits_cancel();
  /*@
    loop invariant 0 <= f <= f_hi;
    loop invariant fhi: fhi_wf;
    loop invariant hi: hi_wf;
    loop invariant flo: \at(flo_wf, Pre) ==> flo_wf;
    loop invariant Inv;
    loop invariant epq: epq_wf;
    loop assigns f, frame_type[0 .. NFRAMES-1], frame_gen[0 .. NFRAMES-1],
          c_usage[0 .. NFRAMES-1], c_own[0 .. NFRAMES-1],
          ep_recv[0 .. NFRAMES-1], ep_nosend[0 .. NFRAMES-1], f_lo;
    loop variant f_hi - f;
  */
  for (f = 0; f < f_hi; f++) {
    uint32_t q = pt_proc[f];
    if (frame_type[f] == OT_PAGETABLE &&
        (!proc_live(q) || p_gen(q % NFRAMES) != pt_proc_gen[f])) {
      uint32_t o = frame_owner[f];
      /*@ ghost sums_include(o, f); */
      /*@ ghost path_usage_ge(o, 1); */
      uncharge(o, 1);
      frame_release(f);
      /* Inv part by part (as one goal it timed out at MAXFRAMES 2^22) */
      /*@ assert frames_wf; */
      /*@ assert conts: containers_wf; */
      /*@ assert paths: paths_wf; */
      /*@ assert caps: caps_wf; */
      /*@ assert fws: fws_wf; */
      /*@ assert own_ok: \forall integer x; is_container(x) ==>
            c_own[x] == own_count(x, NFRAMES); */
      /*@ assert usage_ok: \forall integer x; is_container(x) ==>
            c_usage[x] == c_own[x] + child_sum(x, NFRAMES); */
      /*@ assert acct_wf; */
      /*@ assert inv: Inv; */
    }
  }
}
