/* decode.c: a syscall's arguments, checked in the proved core (decode.h).
 * Each function takes raw register values (64 bits) and the caller's
 * capability space, and says what they name or the error that refuses
 * them; none changes the state. The architecture layer calls them before
 * the core operation (arch-riscv/syscall.c). */
#include "decode.h"
#include "vspace.h"
#include "internal.h"

/* spec: caller_cspace */
/* Process cur's own capability space, or NFRAMES if it is no longer the
 * live cspace the process was given (destroyed, or its frame reused as
 * another cspace). For the caller every invocation is then E_STALE; the
 * same check serves a destination process (dst_cspace) and the two ends
 * of a capability transfer in IPC (ipc.c, caps_transfer). */
/*@
  requires sizes: SIZES_OK;
  requires cur < NFRAMES;
  assigns \nothing;
  ensures live: cspace_of_ok(cur) ==> \result == p_cspace[cur] && is_cspace(\result);
  ensures gone: !cspace_of_ok(cur) ==> \result == NFRAMES;
*/
inline uint32_t caller_cspace(uint32_t cur)
{
  uint32_t cs = p_cspace(cur);
  if (cs < NFRAMES && frame_type[cs] == OT_CSPACE && frame_gen[cs] == p_cspace_gen(cur))
    return cs;
  return NFRAMES;
}

/* spec: dst_cspace */
/* A destination capability space argument (cap_copy, cap_mint, cap_move):
 * SLOT_SELF for the caller's own, else a slot holding, directly or
 * through forwarders, a cspace or process capability with the write
 * right (a process's: its capability space). Authority to write into
 * another cspace is a capability to it (docs/SYSCALLS.md). */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  assigns \nothing;
  ensures live: \result.err == E_OK ==> is_cspace(\result.obj);
  ensures refused: \result.err != E_OK ==> \result.obj == NFRAMES;
  behavior self:
    assumes slot == SLOT_SELF;
    ensures \result.err == E_OK && \result.obj == cs;
  behavior by_cap:
    assumes slot != SLOT_SELF;
    ensures exact_err: \result.err == dst_err(cs, slot);
    ensures designated: \result.err == E_OK ==> \result.obj == dst_of(cs, slot);
    ensures authority: \result.err == E_OK ==> resolved_write(cs, slot) &&
      (resolved_type(cs, slot) == OT_CSPACE || resolved_type(cs, slot) == OT_PROCESS);
  complete behaviors;
  disjoint behaviors;
*/
struct obj_ret dst_cspace(uint32_t cs, uint64_t slot)
{
  struct obj_ret ret = { E_OK, NFRAMES };
  if (slot == SLOT_SELF) {
    ret.obj = cs;
    return ret;
  }
  if (slot >= NSLOTS) {
    ret.err = E_BAD_SLOT;
    return ret;
  }
  struct resolve_ret r = cap_resolve(cs, (uint32_t)slot);
  if (r.err != E_OK) {
    ret.err = r.err;
    return ret;
  }
  if (r.type != OT_CSPACE && r.type != OT_PROCESS) {
    ret.err = E_WRONG_TYPE;
    return ret;
  }
  if (r.write == 0) {
    ret.err = E_NO_RIGHTS;
    return ret;
  }
  if (r.type == OT_CSPACE) {
    ret.obj = r.obj;
    return ret;
  }
  ret.obj = caller_cspace(r.obj);
  if (ret.obj == NFRAMES)
    ret.err = E_STALE;
  return ret;
}

/* spec: proc_arg */
/* The process argument of map and unmap: SLOT_SELF for the caller, else
 * a slot holding, directly or through forwarders, a process capability
 * with the write right. (The process calls, proc_resume and the others,
 * take a capability only: invoke_lookup.) */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  requires cur < NFRAMES;
  assigns \nothing;
  ensures refused: \result.err != E_OK ==> \result.obj == NO_PROC;
  behavior self:
    assumes slot == SLOT_SELF;
    ensures \result.err == E_OK && \result.obj == cur;
  behavior by_cap:
    assumes slot != SLOT_SELF;
    ensures exact_err: \result.err == invoke_err(cs, slot, OT_PROCESS, 0, 1);
    ensures designated: \result.err == E_OK ==>
      \result.obj == resolved_obj(cs, slot) && \result.obj < NFRAMES &&
      frame_type[\result.obj] == OT_PROCESS;
  complete behaviors;
  disjoint behaviors;
*/
struct obj_ret proc_arg(uint32_t cur, uint32_t cs, uint64_t slot)
{
  struct obj_ret ret = { E_OK, NO_PROC };
  if (slot == SLOT_SELF) {
    ret.obj = cur;
    return ret;
  }
  if (slot >= NSLOTS) {
    ret.err = E_BAD_SLOT;
    return ret;
  }
  struct resolve_ret r = invoke_lookup(cs, (uint32_t)slot, OT_PROCESS, 0, 1);
  if (r.err != E_OK) {
    ret.err = r.err;
    return ret;
  }
  ret.obj = r.obj;
  return ret;
}

/* spec: slot32 */
/* A 64-bit register as a slot number for the core (which takes 32 bits):
 * a value that does not fit stays out of range (no slot, not SLOT_SELF),
 * so the core refuses it with E_BAD_SLOT instead of seeing its low half. */
/*@
  assigns \nothing;
  ensures \result == slot_of(x);
  ensures x >= NSLOTS ==> \result >= NSLOTS;
  ensures x < NSLOTS ==> \result == x;
*/
uint32_t slot32(uint64_t x)
{
  return x > 0xFFFFFFFFu ? 0xFFFFFFFEu : (uint32_t)x;
}

/* spec: rights_unpack */
/* Packed rights read + 2*write + 4*grant, each 0 or 1 (cap_copy,
 * cap_mint): E_BAD_ARG for any other value. */
/*@
  assigns \nothing;
  behavior bad:
    assumes x >= 8;
    ensures \result.err == E_BAD_ARG && \result.read == 0 &&
      \result.write == 0 && \result.grant == 0;
  behavior ok:
    assumes x < 8;
    ensures \result.err == E_OK && \result.read == x % 2 &&
      \result.write == x / 2 % 2 && \result.grant == x / 4 % 2;
  complete behaviors;
  disjoint behaviors;
*/
struct rights_ret rights_unpack(uint64_t x)
{
  struct rights_ret ret = { E_OK, 0, 0, 0 };
  if (x >= 8) {
    ret.err = E_BAD_ARG;
    return ret;
  }
  ret.read = (uint32_t)(x % 2);
  ret.write = (uint32_t)(x / 2 % 2);
  ret.grant = (uint32_t)(x / 4 % 2);
  return ret;
}

/* spec: perm_check */
/* SYS_MAP's page permission read + 2*write + 4*exec: E_BAD_ARG for no
 * permission, an unknown bit, or write without read. */
/*@
  assigns \nothing;
  ensures ok: \result == E_OK <==> perm_ok(perm);
  ensures bad: \result == E_OK || \result == E_BAD_ARG;
*/
kerr_t perm_check(uint64_t perm)
{
  if (perm == 0 || perm > 7 || (perm % 4 / 2 == 1 && perm % 2 == 0))
    return E_BAD_ARG;
  return E_OK;
}

/* spec: map_frame_lookup */
/* SYS_MAP's frame argument, after perm_check: a user frame or a device
 * page (issue 15), directly or through forwarders, with the read right
 * for a readable or executable page and the write right for a writable
 * one; a device page is never mapped executable (E_BAD_ARG). Tried as a
 * frame first, so that the common case costs one lookup. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  requires perm_ok(perm);
  assigns \nothing;
  ensures exact_err: \result.err == map_frame_err(cs, slot, perm);
  ensures found: \result.err == E_OK ==> \result.obj == resolved_obj(cs, slot) &&
    \result.obj < NFRAMES &&
    (frame_type[\result.obj] == OT_FRAME || frame_type[\result.obj] == OT_DEVICE) &&
    (frame_type[\result.obj] == OT_DEVICE ==> perm / 4 != 1);
*/
struct resolve_ret map_frame_lookup(uint32_t cs, uint32_t slot, uint64_t perm)
{
  /* read or exec wanted (no `||`: under perm_ok its second half would
   * be dead code, which the smoke tests reject) */
  uint32_t need_r = perm % 2 + perm / 4 != 0;
  uint32_t need_w = perm / 2 % 2 == 1;
  struct resolve_ret r = invoke_lookup(cs, slot, OT_FRAME, need_r, need_w);
  if (r.err != E_WRONG_TYPE)
    return r;
  r = invoke_lookup(cs, slot, OT_DEVICE, need_r, need_w);
  if (r.err == E_OK && perm / 4 == 1)
    r.err = E_BAD_ARG;
  return r;
}

/* ---- the capability transfers, as the syscalls run them ----
 * cs is the caller's capability space (caller_cspace, checked by the
 * dispatch); a0 the source slot, a1 the destination cspace argument
 * (dst_cspace), a2 the destination slot, a3 the packed rights (cap_copy,
 * cap_mint), a4 the badge (cap_mint). Authority: a capability lands only
 * in the caller's own cspace or in one it holds with the write right. */

/* spec: sys_cap_copy */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  // the slot the destination arguments name (a refusal assigns nothing)
  assigns cap_type[dst_named(cs, a1)][slot_of(a2)], cap_obj[dst_named(cs, a1)][slot_of(a2)],
          cap_gen[dst_named(cs, a1)][slot_of(a2)], cap_read[dst_named(cs, a1)][slot_of(a2)],
          cap_write[dst_named(cs, a1)][slot_of(a2)], cap_grant[dst_named(cs, a1)][slot_of(a2)],
          cap_badge[dst_named(cs, a1)][slot_of(a2)];
  ensures inv: Inv;
  behavior bad_rights:
    assumes a3 >= 8;
    assigns \nothing;
    ensures \result == E_BAD_ARG;
  behavior bad_dst:
    assumes a3 < 8 && dst_named_err(cs, a1) != E_OK;
    assigns \nothing;
    ensures \result == dst_named_err(cs, a1);
  behavior decoded:
    assumes a3 < 8 && dst_named_err(cs, a1) == E_OK;
    ensures err: \result == \old(copy_err(cs, slot_of(a0), dst_named(cs, a1), slot_of(a2)));
    ensures refused: \result != E_OK ==>
      slot_kept{Pre, Here}(\old(dst_named(cs, a1)), slot_of(a2));
    ensures copied: \result == E_OK ==>
      \let d = \old(dst_named(cs, a1)); \let t = slot_of(a2); \let s = slot_of(a0);
      cap_type[d][t] == cap_type[cs][s] && cap_obj[d][t] == cap_obj[cs][s] &&
      cap_gen[d][t] == cap_gen[cs][s] && cap_badge[d][t] == cap_badge[cs][s] &&
      cap_read[d][t] <= cap_read[cs][s] && cap_read[d][t] <= a3 % 2 &&
      cap_write[d][t] <= cap_write[cs][s] && cap_write[d][t] <= a3 / 2 % 2 &&
      cap_grant[d][t] <= cap_grant[cs][s] && cap_grant[d][t] <= a3 / 4 % 2;
    // and no fewer: each right both the source and a3 give
    ensures rights_kept: \result == E_OK ==>
      \let d = \old(dst_named(cs, a1)); \let t = slot_of(a2); \let s = slot_of(a0);
      (cap_read[cs][s] == 1 && a3 % 2 == 1 ==> cap_read[d][t] == 1) &&
      (cap_write[cs][s] == 1 && a3 / 2 % 2 == 1 ==> cap_write[d][t] == 1) &&
      (cap_grant[cs][s] == 1 && a3 / 4 % 2 == 1 ==> cap_grant[d][t] == 1);
  complete behaviors;
  disjoint behaviors;
*/
kerr_t sys_cap_copy(uint32_t cs, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
  struct rights_ret rt = rights_unpack(a3);
  if (rt.err != E_OK)
    return rt.err;
  struct obj_ret d = dst_cspace(cs, a1);
  if (d.err != E_OK)
    return d.err;
  return cap_copy(cs, slot32(a0), d.obj, slot32(a2), rt.read, rt.write, rt.grant);
}

/* spec: sys_cap_mint */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  // the slot the destination arguments name (a refusal assigns nothing)
  assigns cap_type[dst_named(cs, a1)][slot_of(a2)], cap_obj[dst_named(cs, a1)][slot_of(a2)],
          cap_gen[dst_named(cs, a1)][slot_of(a2)], cap_read[dst_named(cs, a1)][slot_of(a2)],
          cap_write[dst_named(cs, a1)][slot_of(a2)], cap_grant[dst_named(cs, a1)][slot_of(a2)],
          cap_badge[dst_named(cs, a1)][slot_of(a2)];
  ensures inv: Inv;
  behavior bad_rights:
    assumes a3 >= 8;
    assigns \nothing;
    ensures \result == E_BAD_ARG;
  behavior bad_dst:
    assumes a3 < 8 && dst_named_err(cs, a1) != E_OK;
    assigns \nothing;
    ensures \result == dst_named_err(cs, a1);
  behavior decoded:
    assumes a3 < 8 && dst_named_err(cs, a1) == E_OK;
    ensures err: \result == \old(
      copy_err(cs, slot_of(a0), dst_named(cs, a1), slot_of(a2)) != E_OK ?
        copy_err(cs, slot_of(a0), dst_named(cs, a1), slot_of(a2)) :
      cap_badge[cs][slot_of(a0)] != 0 ? E_BAD_ARG : E_OK);
    ensures refused: \result != E_OK ==>
      slot_kept{Pre, Here}(\old(dst_named(cs, a1)), slot_of(a2));
    ensures minted: \result == E_OK ==>
      \let d = \old(dst_named(cs, a1)); \let t = slot_of(a2); \let s = slot_of(a0);
      cap_type[d][t] == cap_type[cs][s] && cap_obj[d][t] == cap_obj[cs][s] &&
      cap_gen[d][t] == cap_gen[cs][s];
    ensures new_badge: \result == E_OK ==>
      cap_badge[\old(dst_named(cs, a1))][slot_of(a2)] == a4;
    ensures rights: \result == E_OK ==>
      \let d = \old(dst_named(cs, a1)); \let t = slot_of(a2); \let s = slot_of(a0);
      cap_read[d][t] <= cap_read[cs][s] && cap_read[d][t] <= a3 % 2 &&
      cap_write[d][t] <= cap_write[cs][s] && cap_write[d][t] <= a3 / 2 % 2 &&
      cap_grant[d][t] <= cap_grant[cs][s] && cap_grant[d][t] <= a3 / 4 % 2;
    ensures rights_kept: \result == E_OK ==>
      \let d = \old(dst_named(cs, a1)); \let t = slot_of(a2); \let s = slot_of(a0);
      (cap_read[cs][s] == 1 && a3 % 2 == 1 ==> cap_read[d][t] == 1) &&
      (cap_write[cs][s] == 1 && a3 / 2 % 2 == 1 ==> cap_write[d][t] == 1) &&
      (cap_grant[cs][s] == 1 && a3 / 4 % 2 == 1 ==> cap_grant[d][t] == 1);
  complete behaviors;
  disjoint behaviors;
*/
kerr_t sys_cap_mint(uint32_t cs, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                    uint64_t a4)
{
  struct rights_ret rt = rights_unpack(a3);
  if (rt.err != E_OK)
    return rt.err;
  struct obj_ret d = dst_cspace(cs, a1);
  if (d.err != E_OK)
    return d.err;
  return cap_mint(cs, slot32(a0), d.obj, slot32(a2), rt.read, rt.write, rt.grant, a4);
}

/* spec: sys_cap_delete */
/* SYS_CAP_DELETE (slot a0): the capability deleted (cap_delete), then
 * the mapping made through it, if any, ends at once: its record and the
 * leaf the MMU walks (vs_slot_gone, O(1)). The two steps as one proved
 * call, so that no path empties a slot and leaves its mark: a mark left
 * behind would put the old mapping back in force when the slot is filled
 * again (spec/VRuns.v, bare_delete_revives). */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  assigns cap_type[cs][slot_of(a0)], cap_obj[cs][slot_of(a0)], cap_gen[cs][slot_of(a0)],
          cap_read[cs][slot_of(a0)], cap_write[cs][slot_of(a0)],
          cap_grant[cs][slot_of(a0)], cap_badge[cs][slot_of(a0)],
          cap_mapped[cs][slot_of(a0)], m_used[0 .. NFRAMES-1],
          pt_entry[leaf_t(cap_mapped[cs][slot_of(a0)] - 1)]
                  [vpn0(m_va[cap_mapped[cs][slot_of(a0)] - 1])];
  ensures inv: Inv;
  behavior bad_slot:
    assumes a0 >= NSLOTS;
    assigns \nothing;
    ensures \result == E_BAD_SLOT;
  behavior empty:
    assumes a0 < NSLOTS && cap_type[cs][a0] == OT_FREE;
    ensures \result == E_EMPTY;
    // (cap_delete's refusal; WP gives a caller the union of a callee's
    // assigns, so "nothing changed" is stated, not assigned)
    ensures refused: slot_kept{Pre, Here}(cs, a0) &&
      cap_mapped[cs][a0] == \old(cap_mapped[cs][a0]);
  behavior deleted:
    assumes a0 < NSLOTS && cap_type[cs][a0] != OT_FREE;
    ensures \result == E_OK;
    ensures emptied: cap_type[cs][a0] == OT_FREE && cap_mapped[cs][a0] == 0;
    // no mapping in force was made through the slot; every other one stays
    ensures unmapped: \forall integer f; 0 <= f < NFRAMES ==> !slot_maps(cs, a0, f);
    ensures kept: \forall integer f; 0 <= f < NFRAMES && \old(mapping_live(f)) &&
      !(m_cs[f] == cs && m_slot[f] == a0) ==> mapping_live(f);
    // what the hardware walks: the mapping made through the slot no longer
    // maps its frame at its address, and entries only became 0
    ensures leaf_gone: \forall integer f; 0 <= f < NFRAMES && \old(slot_maps(cs, a0, f)) ==>
      !leaf_maps(m_proc[f], m_va[f], f);
    ensures zeroed: only_zeroed{Pre, Here};
  complete behaviors;
  disjoint behaviors;
*/
kerr_t sys_cap_delete(uint32_t cs, uint64_t a0)
{
  uint32_t s = slot32(a0);
  kerr_t err = cap_delete(cs, s);
  if (err != E_OK)
    return err;
  vs_slot_gone(cs, s);
  return E_OK;
}

/*@
  // frame o holds no object: free, or retired
  predicate dead_frame(integer o) = frame_type[o] == OT_FREE || frame_type[o] == OT_RETIRED;
*/

/* spec: obj_gone */
/* After obj_free freed object o of type t (SYS_OBJ_FREE; the architecture
 * layer reads the slot's type and object before the call): what o
 * carried ends with it, each by the work its kind needs.
 * - A frame: its mapping, record and leaf (vs_reap_at, O(1)).
 * - A capability space: every mapping made through one of its slots
 *   (vs_cspace_gone, O(NSLOTS)).
 * - A forwarder: every mapping whose path went through it (vs_reap, one
 *   pass over the frames below f_hi: a mapping does not record the
 *   forwarders of its path, so this one still searches).
 * - An endpoint or a notification: the blocking calls waiting on it
 *   cancelled (waits_cancel, one pass over the processes: no page table
 *   is orphaned by its death).
 * - A process: the blocking calls waiting on it cancelled and its page
 *   tables freed (proc_reap: waits_cancel, then one pass over the frames).
 *   A dead process's mappings need no more: their leaves are in its own
 *   tables, which no hart walks again and which are zeroed when reused.
 * - An interrupt handler or a timer: nothing (their tables name them by
 *   generation).
 * Each case acts only if o's frame is free (or retired): o's memory is
 * then nobody's, and a call after a refusal (o still live) does nothing. (Not one call with
 * obj_free: a callee's range of page-table entries inside the caller's
 * range is a goal neither prover closes in obj_free's context:
 * proofs/README.md, "The reaper's leaf".) */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires epq: epq_wf;
  requires hi: hi_wf;
  requires fhi: fhi_wf;
  assigns cap_mapped[o][0 .. NSLOTS-1], m_used[0 .. NFRAMES-1],
          pt_entry[0 .. MAXFRAMES-1][0 .. PTES-1],
          p_state[0 .. NFRAMES-1], p_ticket[0 .. NFRAMES-1], next_ticket,
          p_regs[0 .. NFRAMES*NREGS-1], cur_proc,
          frame_type[0 .. NFRAMES-1], frame_gen[0 .. NFRAMES-1],
          c_usage[0 .. NFRAMES-1], c_own[0 .. NFRAMES-1],
          ep_recv[0 .. NFRAMES-1], ep_nosend[0 .. NFRAMES-1], f_lo;
  ensures inv: Inv && epq_wf;
  ensures fhi: fhi_wf;
  ensures hi: hi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  // a dead frame: its record forgotten (and its leaf cleared: vs_reap_at
  // runs leaf_clear's code, which proves it, but the clause cannot be
  // carried here: proofs/README.md, "The reaper's leaf")
  ensures frame_unmapped: t == OT_FRAME && o < NFRAMES && \old(dead_frame(o)) ==>
    m_used[o] == 0;
  // a dead capability space: no mark left, and every mapping made
  // through one of its slots forgotten
  ensures slots_unmapped: t == OT_CSPACE && o < NFRAMES && \old(dead_frame(o)) ==>
    (\forall integer s; 0 <= s < NSLOTS ==> cap_mapped[o][s] == 0) &&
    (\forall integer f; 0 <= f < NFRAMES && m_cs[f] == o && 0 <= m_slot[f] < NSLOTS &&
      \old(cap_mapped[o][m_slot[f]]) == f + 1 ==> m_used[f] == 0);
  // a forwarder: no record below f_hi of a mapping out of force is left
  ensures fwd_unmapped: t == OT_FORWARDER && o < NFRAMES && \old(dead_frame(o)) ==>
    \forall integer g; 0 <= g < f_hi ==> m_used[g] != 0 ==> mapping_live(g);
  // the page tables' entries only became 0
  ensures zeroed: only_zeroed{Pre, Here};
  // o not a freed frame (the caller's mistake): nothing done
  ensures not_dead: !(o < NFRAMES && \old(dead_frame(o))) ==>
    tables_kept{Pre, Here} && cur_proc == \old(cur_proc);
*/
void obj_gone(uint32_t o, uint32_t t)
{
  if (o >= NFRAMES || (frame_type[o] != OT_FREE && frame_type[o] != OT_RETIRED))
    return;
  if (t == OT_FRAME)
    vs_reap_at(o);
  else if (t == OT_CSPACE)
    vs_cspace_gone(o);
  else if (t == OT_FORWARDER)
    vs_reap();
  else if (t == OT_ENDPOINT || t == OT_NOTIFICATION)
    waits_cancel();
  else if (t == OT_PROCESS)
    proc_reap();
}

/* spec: sys_cap_move */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  // the slot the destination arguments name and the source slot (a
  // refusal assigns nothing)
  assigns cap_type[dst_named(cs, a1)][slot_of(a2)], cap_obj[dst_named(cs, a1)][slot_of(a2)],
          cap_gen[dst_named(cs, a1)][slot_of(a2)], cap_read[dst_named(cs, a1)][slot_of(a2)],
          cap_write[dst_named(cs, a1)][slot_of(a2)], cap_grant[dst_named(cs, a1)][slot_of(a2)],
          cap_badge[dst_named(cs, a1)][slot_of(a2)],
          cap_type[cs][slot_of(a0)], cap_obj[cs][slot_of(a0)], cap_gen[cs][slot_of(a0)],
          cap_read[cs][slot_of(a0)], cap_write[cs][slot_of(a0)],
          cap_grant[cs][slot_of(a0)], cap_badge[cs][slot_of(a0)],
          cap_mapped[cs][slot_of(a0)], cap_mapped[dst_named(cs, a1)][slot_of(a2)],
          m_cs[cap_mapped[cs][slot_of(a0)] - 1], m_slot[cap_mapped[cs][slot_of(a0)] - 1],
          m_csgen[cap_mapped[cs][slot_of(a0)] - 1];
  ensures inv: Inv;
  behavior bad_dst:
    assumes dst_named_err(cs, a1) != E_OK;
    assigns \nothing;
    ensures \result == dst_named_err(cs, a1);
  behavior decoded:
    assumes dst_named_err(cs, a1) == E_OK;
    ensures err: \result == \old(copy_err(cs, slot_of(a0), dst_named(cs, a1), slot_of(a2)));
    ensures refused: \result != E_OK ==>
      slot_kept{Pre, Here}(\old(dst_named(cs, a1)), slot_of(a2)) &&
      slot_kept{Pre, Here}(cs, slot_of(a0));
    // (and the marks and the record a move would rewrite)
    ensures refused_marks: \result != E_OK ==>
      cap_mapped[cs][slot_of(a0)] == \old(cap_mapped[cs][slot_of(a0)]) &&
      cap_mapped[\old(dst_named(cs, a1))][slot_of(a2)] ==
        \old(cap_mapped[dst_named(cs, a1)][slot_of(a2)]) &&
      m_cs[\old(cap_mapped[cs][slot_of(a0)]) - 1] ==
        \old(m_cs[cap_mapped[cs][slot_of(a0)] - 1]) &&
      m_slot[\old(cap_mapped[cs][slot_of(a0)]) - 1] ==
        \old(m_slot[cap_mapped[cs][slot_of(a0)] - 1]) &&
      m_csgen[\old(cap_mapped[cs][slot_of(a0)]) - 1] ==
        \old(m_csgen[cap_mapped[cs][slot_of(a0)] - 1]);
    // the mapping made through the capability follows it (cap_move)
    ensures followed: \result == E_OK ==> \forall integer f; 0 <= f < NFRAMES ==>
      \old(slot_maps(cs, slot_of(a0), f)) ==>
      slot_maps(\old(dst_named(cs, a1)), slot_of(a2), f);
    ensures src_none: \result == E_OK ==> \forall integer f; 0 <= f < NFRAMES ==>
      !slot_maps(cs, slot_of(a0), f);
    // (the destination named before the move: moving the capability
    // that names it changes what a1 names afterwards)
    ensures moved: \result == E_OK ==>
      \let d = \old(dst_named(cs, a1)); \let t = slot_of(a2); \let s = slot_of(a0);
      cap_type[d][t] == \old(cap_type[cs][s]) && cap_obj[d][t] == \old(cap_obj[cs][s]) &&
      cap_gen[d][t] == \old(cap_gen[cs][s]);
    ensures moved_badge: \result == E_OK ==>
      cap_badge[\old(dst_named(cs, a1))][slot_of(a2)] == \old(cap_badge[cs][slot_of(a0)]);
    ensures moved_rights: \result == E_OK ==>
      \let d = \old(dst_named(cs, a1)); \let t = slot_of(a2); \let s = slot_of(a0);
      cap_read[d][t] == \old(cap_read[cs][s]) && cap_write[d][t] == \old(cap_write[cs][s]) &&
      cap_grant[d][t] == \old(cap_grant[cs][s]);
    // every other mapping in force stays so (cap_move)
    ensures kept: \result == E_OK ==> \forall integer f; 0 <= f < NFRAMES &&
      \old(mapping_live(f)) &&
      !(\old(m_cs[f]) == cs && \old(m_slot[f]) == slot_of(a0)) &&
      !(\old(m_cs[f]) == \old(dst_named(cs, a1)) && \old(m_slot[f]) == slot_of(a2)) ==>
      mapping_live(f);
    ensures emptied: \result == E_OK ==> cap_type[cs][slot_of(a0)] == OT_FREE;
  complete behaviors;
  disjoint behaviors;
*/
kerr_t sys_cap_move(uint32_t cs, uint64_t a0, uint64_t a1, uint64_t a2)
{
  struct obj_ret d = dst_cspace(cs, a1);
  if (d.err != E_OK)
    return d.err;
  return cap_move(cs, slot32(a0), d.obj, slot32(a2));
}

/* ---- the caller's own state ---- */

/* spec: sys_set_recv_slots */
/* SYS_SET_RECV_SLOTS: where the capabilities of the caller's next
 * received messages land, slots a0 and a1 of its own cspace; a value of
 * NSLOTS or more (SLOT_NONE, or any 64-bit garbage) means "nowhere". */
/*@
  requires sizes: SIZES_OK;
  requires cur < NFRAMES;
  assigns p_rslot[MC(cur, 0)], p_rslot[MC(cur, 1)];
  ensures slot0: p_rslot[MC(cur, 0)] == (a0 < NSLOTS ? a0 : NSLOTS);
  ensures slot1: p_rslot[MC(cur, 1)] == (a1 < NSLOTS ? a1 : NSLOTS);
*/
void sys_set_recv_slots(uint32_t cur, uint64_t a0, uint64_t a1)
{
  p_rs(cur, 0) = a0 < NSLOTS ? (uint32_t)a0 : NSLOTS;
  p_rs(cur, 1) = a1 < NSLOTS ? (uint32_t)a1 : NSLOTS;
}

/* spec: sys_yield */
/* SYS_YIELD: the caller goes to the back of its priority's round robin
 * (a fresh ticket); it stays ready. */
/*@
  requires sizes: SIZES_OK;
  requires cur < NFRAMES;
  assigns p_ticket[cur], next_ticket;
  ensures back: p_ticket[cur] == \old(next_ticket);
  ensures counter: \old(next_ticket) < UINT64_MAX ==> next_ticket == \old(next_ticket) + 1;
*/
void sys_yield(uint32_t cur)
{
  p_ticket(cur) = ticket_take();
}

/* ---- address spaces (vspace.c): map, unmap, and what a capability's
 * deletion or move does to the mapping made through it ---- */

/* spec: sys_map */
/* SYS_MAP(proc, frame, va, perm): the process argument (proc_arg), the
 * process existing, the permission (perm_check), the frame argument
 * with the rights the permission needs (map_frame_lookup); then vs_map,
 * recording the slot the frame capability is in: the mapping lives as
 * long as that capability stays there (cap_delete, cap_move) and every
 * forwarder it resolves through lives (vspace.h, path_live). Every
 * refusal changes nothing. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires epq: epq_wf;
  requires flo: flo_wf;
  requires kroot: kroot_wf;
  requires ppn: ppn_wf;
  requires is_cspace(cs);
  requires cur < NFRAMES;
  assigns frame_owner[0 .. NFRAMES-1], frame_type[0 .. NFRAMES-1],
          c_own[0 .. NFRAMES-1], c_usage[0 .. NFRAMES-1], f_hi, f_lo,
          pt_entry[p_vroot[proc_named(cur, cs, proc)]][0 .. PTES-1],
          pt_entry[vs_t1(proc_named(cur, cs, proc), va)][0 .. PTES-1],
          pt_entry[vs_t0(proc_named(cur, cs, proc), va)][0 .. PTES-1],
          pt_entry[lowest_free_from(0)][0 .. PTES-1],
          pt_entry[lowest_free_from(lowest_free_from(0) + 1)][0 .. PTES-1],
          pt_entry[lowest_free_from(lowest_free_from(lowest_free_from(0) + 1) + 1)][0 .. PTES-1],
          pt_proc[0 .. NFRAMES-1], pt_proc_gen[0 .. NFRAMES-1],
          p_vroot[proc_named(cur, cs, proc)], p_satp[proc_named(cur, cs, proc)],
          m_used[resolved_obj(cs, slot_of(frame))], m_proc[resolved_obj(cs, slot_of(frame))],
          m_pgen[resolved_obj(cs, slot_of(frame))], m_fgen[resolved_obj(cs, slot_of(frame))],
          m_va[resolved_obj(cs, slot_of(frame))],
          m_cs[resolved_obj(cs, slot_of(frame))], m_csgen[resolved_obj(cs, slot_of(frame))],
          m_slot[resolved_obj(cs, slot_of(frame))], cap_mapped[cs][slot_of(frame)];
  ensures inv: Inv;
  ensures epq: epq_wf;
  ensures flo: flo_wf;
  behavior bad_proc:
    assumes proc_named_err(cs, proc) != E_OK;
    assigns \nothing;
    ensures \result == proc_named_err(cs, proc);
  behavior bad_state:
    assumes proc_named_err(cs, proc) == E_OK && !proc_exists(proc_named(cur, cs, proc));
    assigns \nothing;
    ensures \result == E_BAD_STATE;
  behavior bad_perm:
    assumes proc_named_err(cs, proc) == E_OK && proc_exists(proc_named(cur, cs, proc));
    assumes !perm_ok(perm);
    assigns \nothing;
    ensures \result == E_BAD_ARG;
  behavior bad_frame:
    assumes proc_named_err(cs, proc) == E_OK && proc_exists(proc_named(cur, cs, proc));
    assumes perm_ok(perm) && map_frame_err(cs, slot_of(frame), perm) != E_OK;
    assigns \nothing;
    ensures \result == map_frame_err(cs, slot_of(frame), perm);
  behavior bad_va:
    assumes map_decoded(cur, cs, proc, frame, perm) && !va_ok(va);
    ensures \result == E_BAD_ARG;
    ensures kept: map_kept{Pre, Here}(\old(proc_named(cur, cs, proc)),
      \old(resolved_obj(cs, slot_of(frame))), cs, slot_of(frame));
  behavior mapped:
    assumes map_decoded(cur, cs, proc, frame, perm) && va_ok(va);
    assumes mapping_live(resolved_obj(cs, slot_of(frame))) ||
      vs_missing(proc_named(cur, cs, proc), va) < 0 ||
      vs_mapped(proc_named(cur, cs, proc), va);
    ensures \result == E_MAPPED;
    ensures kept: map_kept{Pre, Here}(\old(proc_named(cur, cs, proc)),
      \old(resolved_obj(cs, slot_of(frame))), cs, slot_of(frame));
  behavior over_limit:
    assumes map_decoded(cur, cs, proc, frame, perm);
    assumes map_open(proc_named(cur, cs, proc), resolved_obj(cs, slot_of(frame)), va) &&
      !map_room(proc_named(cur, cs, proc), va);
    ensures \result == E_OVER_LIMIT;
    ensures kept: map_kept{Pre, Here}(\old(proc_named(cur, cs, proc)),
      \old(resolved_obj(cs, slot_of(frame))), cs, slot_of(frame));
  behavior no_memory:
    assumes map_decoded(cur, cs, proc, frame, perm);
    assumes map_open(proc_named(cur, cs, proc), resolved_obj(cs, slot_of(frame)), va) &&
      map_room(proc_named(cur, cs, proc), va) &&
      !free_n(vs_missing(proc_named(cur, cs, proc), va));
    ensures \result == E_NO_MEMORY;
    ensures kept: map_kept{Pre, Here}(\old(proc_named(cur, cs, proc)),
      \old(resolved_obj(cs, slot_of(frame))), cs, slot_of(frame));
  behavior ok:
    assumes map_decoded(cur, cs, proc, frame, perm);
    assumes map_open(proc_named(cur, cs, proc), resolved_obj(cs, slot_of(frame)), va) &&
      map_room(proc_named(cur, cs, proc), va) &&
      free_n(vs_missing(proc_named(cur, cs, proc), va));
    ensures \result == E_OK;
    ensures mapped: \let p = \old(proc_named(cur, cs, proc));
      \let f = \old(resolved_obj(cs, slot_of(frame)));
      vs_mapped(p, va) && vs_e0(p, va) == pte_of(f, perm);
    ensures through: \let f = \old(resolved_obj(cs, slot_of(frame)));
      slot_maps(cs, slot_of(frame), f) && m_proc[f] == \old(proc_named(cur, cs, proc)) &&
      m_va[f] == va;
  complete behaviors;
  disjoint behaviors;
*/
kerr_t sys_map(uint32_t cur, uint32_t cs, uint64_t proc, uint64_t frame, uint64_t va,
               uint64_t perm)
{
  struct obj_ret p = proc_arg(cur, cs, proc);
  struct resolve_ret f;
  kerr_t err;
  /* (each early return is closed to the behaviours that get past the
   * decode, and the path past it to those that do not: each goal then
   * carries the one path that matters, proofs/README.md) */
  if (p.err != E_OK) {
    /*@ for ok, bad_va, mapped, over_limit, no_memory: assert no_proc: \false; */
    return p.err;
  }
  if (!proc_live(p.obj)) {
    /*@ for ok, bad_va, mapped, over_limit, no_memory: assert no_state: \false; */
    return E_BAD_STATE;
  }
  err = perm_check(perm);
  if (err != E_OK) {
    /*@ for ok, bad_va, mapped, over_limit, no_memory: assert no_perm: \false; */
    return err;
  }
  f = map_frame_lookup(cs, slot32(frame), perm);
  if (f.err != E_OK) {
    /*@ for ok, bad_va, mapped, over_limit, no_memory: assert no_frame: \false; */
    return f.err;
  }
  /*@ assert slot: frame < NSLOTS; */
  /*@ for bad_proc, bad_state, bad_perm, bad_frame: assert decoded: \false; */
  /* (the mapping depends on every forwarder the slot resolves through:
   * vs_map's path_live) */
  /*@ ghost chain_unrolled(cs, (uint32_t)frame); */
  /*@ assert chain: slot_resolves(cs, frame); */
  /* (the refusals vs_map may make, each as vs_map states it, so that its
   * kept carries over: proofs/README.md, "sys_map's refusals") */
  /*@ assert named: p.obj == proc_named(cur, cs, proc) &&
        f.obj == resolved_obj(cs, slot_of(frame)) && slot_of(frame) == frame; */
  /*@ for mapped: assert refused: mapping_live(f.obj) || vs_missing(p.obj, va) < 0 ||
        vs_mapped(p.obj, va); */
  /*@ for over_limit: assert over: map_open(p.obj, f.obj, va) && !map_room(p.obj, va); */
  /*@ for no_memory: assert short: map_open(p.obj, f.obj, va) && map_room(p.obj, va) &&
        !free_n(vs_missing(p.obj, va)); */
  err = vs_map(p.obj, f.obj, va, perm, cs, (uint32_t)frame);
  /*@ for bad_va, mapped, over_limit, no_memory: assert kept_here:
        map_kept{Pre, Here}(p.obj, f.obj, cs, frame); */
  return err;
}

/* spec: sys_unmap */
/* SYS_UNMAP(proc, va): the process argument, then vs_unmap. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  requires cur < NFRAMES;
  assigns pt_entry[vs_t0(proc_named(cur, cs, proc), va)][vpn0(va)], m_used[0 .. NFRAMES-1];
  behavior bad_proc:
    assumes proc_named_err(cs, proc) != E_OK;
    assigns \nothing;
    ensures \result == proc_named_err(cs, proc);
  behavior bad_va:
    assumes proc_named_err(cs, proc) == E_OK && !va_ok(va);
    ensures \result == E_BAD_ARG;
    ensures kept: tables_kept{Pre, Here};
  behavior not_mapped:
    assumes proc_named_err(cs, proc) == E_OK && va_ok(va) &&
      !vs_mapped(proc_named(cur, cs, proc), va);
    ensures \result == E_NOT_MAPPED;
    ensures kept: tables_kept{Pre, Here};
  behavior ok:
    assumes proc_named_err(cs, proc) == E_OK && va_ok(va) &&
      vs_mapped(proc_named(cur, cs, proc), va);
    ensures \result == E_OK;
    ensures gone: \let p = \old(proc_named(cur, cs, proc));
      vs_missing(p, va) == 0 && vs_e0(p, va) == 0 && !vs_mapped(p, va);
    ensures forgot: \let p = \old(proc_named(cur, cs, proc));
      \forall integer g; 0 <= g < NFRAMES &&
      g == pte_child(\old(vs_e0(proc_named(cur, cs, proc), va))) && \old(m_used[g]) != 0 &&
      m_proc[g] == p && m_va[g] == va ==> m_used[g] == 0;
    ensures record: \forall integer g; 0 <= g < NFRAMES && m_used[g] != \old(m_used[g]) ==>
      g == pte_child(\old(vs_e0(proc_named(cur, cs, proc), va))) && m_used[g] == 0;
  complete behaviors;
  disjoint behaviors;
*/
kerr_t sys_unmap(uint32_t cur, uint32_t cs, uint64_t proc, uint64_t va)
{
  struct obj_ret p = proc_arg(cur, cs, proc);
  if (p.err != E_OK)
    return p.err;
  return vs_unmap(p.obj, va);
}

/* spec: frame_write_lookup */
/* SYS_FRAME_WRITE(frame, off, src, len)'s frame and range: a user frame
 * (not a device page), directly or through forwarders, with the write
 * right; then the bytes [off, off + len) within its 4,096. The copy
 * from the caller's memory is the architecture layer's (arch-riscv/uvm.c,
 * uvm_copy_to_frame), which checks the source before it writes a byte.
 * What it spares a loader: mapping each page it fills into its own
 * address space, and unmapping it (docs/BENCHMARKS.md, the spawn). */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  assigns \nothing;
  ensures exact_err: \result.err ==
    (invoke_err(cs, slot, OT_FRAME, 0, 1) != E_OK ? invoke_err(cs, slot, OT_FRAME, 0, 1) :
     (off > FRAME_BYTES || len > FRAME_BYTES - off) ? E_BAD_ARG : E_OK);
  ensures found: \result.err == E_OK ==> \result.obj == resolved_obj(cs, slot) &&
    \result.obj < NFRAMES && frame_type[\result.obj] == OT_FRAME && \result.write == 1;
*/
struct resolve_ret frame_write_lookup(uint32_t cs, uint32_t slot, uint64_t off, uint64_t len)
{
  struct resolve_ret r = invoke_lookup(cs, slot, OT_FRAME, 0, 1);
  if (r.err == E_OK && (off > FRAME_BYTES || len > FRAME_BYTES - off))
    r.err = E_BAD_ARG;
  return r;
}
