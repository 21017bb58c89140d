/* forwarder.c: forwarders (selective revocation) and capability resolution
 * through forwarder chains. */
#include "core.h"
#include "internal.h"
#include "proc.h"      /* epq_wf: the endpoint indices every entry point keeps */

/* Follow the (valid) capability in slot s of cs through its forwarders.
 * Each step: a forwarder found after MAXFWD steps gives E_TOO_DEEP; else
 * its stored target must be valid (E_STALE otherwise); the rights are
 * intersected and the badge becomes the target's. Bound: MAXFWD steps. */
/*@
  requires sizes: SIZES_OK;
  requires caps_wf && fws_wf;
  requires is_cspace(cs) && s < NSLOTS && cap_valid(cs, s);
  assigns \nothing;
  // one clause, one goal (proofs/README.md: "One goal per group")
  ensures result:
   (codes: \result.err == E_OK || \result.err == E_STALE ||
      \result.err == E_TOO_DEEP) &&
   (refused: \result.err != E_OK ==> \result.type == 0 &&
      \result.obj == 0 && \result.read == 0 && \result.write == 0 &&
      \result.grant == 0 && \result.badge == 0) &&
   (resolved: \result.err == E_OK ==>
      \result.obj < NFRAMES && \result.type == frame_type[\result.obj] &&
      live(\result.obj) && \result.type != OT_FORWARDER) &&
   (attenuated: \result.err == E_OK ==>
      \result.read <= cap_read[cs][s] && \result.write <= cap_write[cs][s] &&
      \result.grant <= cap_grant[cs][s]) &&
   (direct: cap_type[cs][s] != OT_FORWARDER ==>
      \result.err == E_OK && \result.type == cap_type[cs][s] &&
      \result.obj == cap_obj[cs][s] && \result.read == cap_read[cs][s] &&
      \result.write == cap_write[cs][s] &&
      \result.grant == cap_grant[cs][s] &&
      \result.badge == cap_badge[cs][s]) &&
   (one_hop: cap_type[cs][s] == OT_FORWARDER &&
      fw_valid(cap_obj[cs][s]) && fw_type[cap_obj[cs][s]] != OT_FORWARDER ==>
      \result.err == E_OK && \result.type == fw_type[cap_obj[cs][s]] &&
      \result.obj == fw_obj[cap_obj[cs][s]] &&
      \result.badge == fw_badge[cap_obj[cs][s]] &&
      (\result.read == 1 <==>
         (cap_read[cs][s] == 1 && fw_read[cap_obj[cs][s]] == 1)) &&
      (\result.write == 1 <==>
         (cap_write[cs][s] == 1 && fw_write[cap_obj[cs][s]] == 1)) &&
      (\result.grant == 1 <==>
         (cap_grant[cs][s] == 1 && fw_grant[cap_obj[cs][s]] == 1))) &&
   (dead_link: cap_type[cs][s] == OT_FORWARDER &&
      !fw_valid(cap_obj[cs][s]) ==> \result.err == E_STALE) &&
   (grant_chain: \result.err == E_OK ==>
      (\result.grant == 1 <==> resolved_grant(cs, s)));
  ensures exact_err: \result.err == resolve_err(cs, s);
  ensures resolved_to: \result.err == E_OK ==>
    \result.obj == resolved_obj(cs, s) && \result.type == resolved_type(cs, s);
  ensures read_chain: \result.err == E_OK ==>
    (\result.read == 1 <==> resolved_read(cs, s));
  ensures write_chain: \result.err == E_OK ==>
    (\result.write == 1 <==> resolved_write(cs, s));
  ensures badge_chain: \result.err == E_OK ==> \result.badge == resolved_badge(cs, s);
*/
struct resolve_ret resolve_slot(uint32_t cs, uint32_t s)
{
  struct resolve_ret ret = { E_OK, 0, 0, 0, 0, 0, 0 };
  uint32_t type = cap_type[cs][s];
  uint32_t obj = cap_obj[cs][s];
  uint32_t r = cap_read[cs][s], w = cap_write[cs][s], g = cap_grant[cs][s];
  uint64_t badge = cap_badge[cs][s];
  uint32_t n;
  /*@
    loop invariant 0 <= n <= MAXFWD;
    loop invariant cur_valid: obj < NFRAMES && type == frame_type[obj] &&
      type != OT_FREE && type < OT_RETIRED;
    loop invariant rights: r <= cap_read[cs][s] && w <= cap_write[cs][s] &&
      g <= cap_grant[cs][s];
    loop invariant start: n == 0 ==> type == cap_type[cs][s] &&
      obj == cap_obj[cs][s] && r == cap_read[cs][s] &&
      w == cap_write[cs][s] && g == cap_grant[cs][s] &&
      badge == cap_badge[cs][s];
    loop invariant hop1: n == 1 ==> type == fw_type[cap_obj[cs][s]] &&
      obj == fw_obj[cap_obj[cs][s]] && badge == fw_badge[cap_obj[cs][s]] &&
      (r == 1 <==> (cap_read[cs][s] == 1 && fw_read[cap_obj[cs][s]] == 1)) &&
      (w == 1 <==> (cap_write[cs][s] == 1 && fw_write[cap_obj[cs][s]] == 1)) &&
      (g == 1 <==> (cap_grant[cs][s] == 1 && fw_grant[cap_obj[cs][s]] == 1));
    loop invariant n >= 1 ==> cap_type[cs][s] == OT_FORWARDER &&
      fw_valid(cap_obj[cs][s]);
    loop invariant n >= 2 ==> fw_type[cap_obj[cs][s]] == OT_FORWARDER;
    loop invariant grant_chain: (g == 1 && chain_grant(MAXFWD - n, type, obj) == 1) <==>
      resolved_grant(cs, s);
    loop invariant read_chain: (r == 1 && chain_read(MAXFWD - n, type, obj) == 1) <==>
      resolved_read(cs, s);
    loop invariant write_chain: (w == 1 && chain_write(MAXFWD - n, type, obj) == 1) <==>
      resolved_write(cs, s);
    loop invariant err_chain: chain_err(MAXFWD - n, type, obj) == resolve_err(cs, s);
    loop invariant obj_chain: chain_obj(MAXFWD - n, type, obj) == resolved_obj(cs, s);
    loop invariant type_chain: chain_type(MAXFWD - n, type, obj) == resolved_type(cs, s);
    loop invariant badge_chain: chain_badge(MAXFWD - n, type, obj, badge) == resolved_badge(cs, s);
    loop assigns n, type, obj, r, w, g, badge;
    loop variant MAXFWD - n;
  */
  for (n = 0; type == OT_FORWARDER; n++) {
    uint32_t fw = obj;
    if (n == MAXFWD) {
      ret.err = E_TOO_DEEP;
      return ret;
    }
    if (fw_type(fw) == OT_FREE || frame_type[fw_obj(fw)] != fw_type(fw) ||
        frame_gen[fw_obj(fw)] != fw_gen(fw)) {
      ret.err = E_STALE;
      return ret;
    }
    type = fw_type(fw);
    obj = fw_obj(fw);
    r = right_and(r, fw_read(fw));
    w = right_and(w, fw_write(fw));
    g = right_and(g, fw_grant(fw));
    badge = fw_badge(fw);
  }
  ret.type = type;
  ret.obj = obj;
  ret.read = r;
  ret.write = w;
  ret.grant = g;
  ret.badge = badge;
  return ret;
}

/* spec: cap_resolve. lookup(slot, any type), then follow forwarders. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  assigns \nothing;
  ensures inv: Inv;
  behavior bad_slot:
    assumes lookup_err(cs, slot, OT_FREE, 0, 0) != E_OK;
    ensures \result.err == lookup_err(cs, slot, OT_FREE, 0, 0);
  behavior looked_up:
    assumes lookup_err(cs, slot, OT_FREE, 0, 0) == E_OK;
    ensures \result.err == E_OK || \result.err == E_STALE ||
            \result.err == E_TOO_DEEP;
    ensures resolved: \result.err == E_OK ==>
      \result.obj < NFRAMES && \result.type == frame_type[\result.obj] &&
      live(\result.obj) && \result.type != OT_FORWARDER;
    ensures attenuated: \result.err == E_OK ==>
      \result.read <= cap_read[cs][slot] &&
      \result.write <= cap_write[cs][slot] &&
      \result.grant <= cap_grant[cs][slot];
    ensures direct: cap_type[cs][slot] != OT_FORWARDER ==>
      \result.err == E_OK && \result.obj == cap_obj[cs][slot] &&
      \result.badge == cap_badge[cs][slot];
    ensures one_hop: cap_type[cs][slot] == OT_FORWARDER &&
      fw_valid(cap_obj[cs][slot]) &&
      fw_type[cap_obj[cs][slot]] != OT_FORWARDER ==>
      \result.err == E_OK && \result.obj == fw_obj[cap_obj[cs][slot]] &&
      \result.badge == fw_badge[cap_obj[cs][slot]] &&
      \result.read <= fw_read[cap_obj[cs][slot]] &&
      \result.write <= fw_write[cap_obj[cs][slot]] &&
      \result.grant <= fw_grant[cap_obj[cs][slot]];
    ensures revoked_link: cap_type[cs][slot] == OT_FORWARDER &&
      !fw_valid(cap_obj[cs][slot]) ==> \result.err == E_STALE;
    ensures grant_chain: \result.err == E_OK ==>
      (\result.grant == 1 <==> resolved_grant(cs, slot));
    ensures exact_err: \result.err == resolve_err(cs, slot);
    ensures resolved_to: \result.err == E_OK ==>
      \result.obj == resolved_obj(cs, slot) &&
      \result.type == resolved_type(cs, slot);
    ensures read_chain: \result.err == E_OK ==>
      (\result.read == 1 <==> resolved_read(cs, slot));
    ensures write_chain: \result.err == E_OK ==>
      (\result.write == 1 <==> resolved_write(cs, slot));
    ensures badge_chain: \result.err == E_OK ==> \result.badge == resolved_badge(cs, slot);
  complete behaviors;
  disjoint behaviors;
*/
struct resolve_ret cap_resolve(uint32_t cs, uint32_t slot)
{
  struct resolve_ret ret = { E_OK, 0, 0, 0, 0, 0, 0 };
  kerr_t e = cap_lookup(cs, slot, OT_FREE, 0, 0);
  if (e != E_OK) {
    ret.err = e;
    return ret;
  }
  return resolve_slot(cs, slot);
}

/* How many forwarders a new forwarder over slot s would stand in front of:
 * the length of the chain of valid forwarder links starting at s's
 * (valid) capability, counted up to MAXFWD. Bound: MAXFWD steps. */
/*@
  requires sizes: SIZES_OK;
  requires caps_wf && fws_wf;
  requires is_cspace(cs) && s < NSLOTS && cap_valid(cs, s);
  assigns \nothing;
  ensures \result <= MAXFWD;
  ensures chain: \result == fwd_chain(MAXFWD, cap_type[cs][s], cap_obj[cs][s], cap_gen[cs][s]);
  ensures cap_type[cs][s] != OT_FORWARDER ==> \result == 0;
  ensures cap_type[cs][s] == OT_FORWARDER ==> \result >= 1;
*/
uint32_t fwd_chain_len(uint32_t cs, uint32_t s)
{
  uint32_t type = cap_type[cs][s];
  uint32_t obj = cap_obj[cs][s];
  uint32_t gen = cap_gen[cs][s];
  uint32_t n = 0;
  /*@
    loop invariant 0 <= n <= MAXFWD;
    loop invariant obj < NFRAMES;
    loop invariant n == 0 ==> type == cap_type[cs][s] &&
      obj == cap_obj[cs][s] && gen == cap_gen[cs][s];
    loop invariant n > 0 ==> cap_type[cs][s] == OT_FORWARDER;
    loop invariant chain: n + fwd_chain(MAXFWD - n, type, obj, gen) ==
      fwd_chain(MAXFWD, cap_type[cs][s], cap_obj[cs][s], cap_gen[cs][s]);
    loop assigns n, type, obj, gen;
    loop variant MAXFWD - n;
  */
  while (n < MAXFWD && type == OT_FORWARDER && frame_type[obj] == type &&
         frame_gen[obj] == gen) {
    uint32_t fw = obj;
    n++;
    type = fw_type(fw);
    obj = fw_obj(fw);
    gen = fw_gen(fw);
  }
  return n;
}

/* Make free frame f a forwarder owned by cont, holding a copy of the
 * capability in slot ts of cs as its target. */
/*@
  requires sizes: SIZES_OK;
  requires shape_wf;
  requires is_container(cont);
  requires f < NFRAMES && frame_type[f] == OT_FREE;
  requires is_cspace(cs) && ts < NSLOTS;
  requires own_ok: c_own[cont] == own_count(cont, NFRAMES);
  requires epq: epq_wf;
  ensures epq: epq_wf;
  assigns frame_type[f], frame_owner[f], c_own[cont], c_usage[f], c_own[f],
          fw_type[f], fw_obj[f],
          fw_gen[f], fw_read[f], fw_write[f], fw_grant[f], fw_badge[f], f_hi, f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  // shape_wf, part by part (one goal as a whole timed out at MAXFRAMES 2^22)
  ensures frames: frames_wf;
  ensures conts: containers_wf;
  ensures paths: paths_wf;
  ensures caps: caps_wf;
  ensures fws: fws_wf;
  ensures made: frame_type[f] == OT_FORWARDER && frame_owner[f] == cont;
  ensures own: c_own[cont] == \old(c_own[cont]) + 1;
  ensures own_count: \forall integer x; own_count(x, NFRAMES) ==
    \old(own_count(x, NFRAMES)) + (x == cont ? 1 : 0);
  ensures child_sum: \forall integer x; child_sum(x, NFRAMES) ==
    \old(child_sum(x, NFRAMES));
  ensures usage_same: \forall integer x; c_usage[x] == \old(c_usage[x]);
  ensures target: fw_type[f] == cap_type[cs][ts] && fw_obj[f] == cap_obj[cs][ts] &&
    fw_gen[f] == cap_gen[cs][ts] && fw_read[f] == cap_read[cs][ts] &&
    fw_write[f] == cap_write[cs][ts] && fw_grant[f] == cap_grant[cs][ts] &&
    fw_badge[f] == cap_badge[cs][ts];
*/
static void fwd_install(uint32_t f, uint32_t cont, uint32_t cs, uint32_t ts)
{
  fw_type(f) = cap_type[cs][ts];
  fw_obj(f) = cap_obj[cs][ts];
  fw_gen(f) = cap_gen[cs][ts];
  fw_read(f) = cap_read[cs][ts];
  fw_write(f) = cap_write[cs][ts];
  fw_grant(f) = cap_grant[cs][ts];
  fw_badge(f) = cap_badge[cs][ts];
  /* fws_wf before and after the claim: one step at a time for the
   * provers (as one goal it took CVC4 over 20 s at MAXFRAMES 2^22) */
  /*@ assert fws_pre: fws_wf; */
  frame_claim(f, cont, OT_FORWARDER);
}

/* The commit of fwd_create: every guard passed, so the free frame f
 * becomes a forwarder owned by cont over the capability in slot ts of cs,
 * charged on cont's path, and a capability to it, with the target's rights
 * and badge 0, lands in the empty slot dst. Nothing here can fail. (Split
 * from the guards so that WP proves these effects without the guard paths
 * in every goal: proofs/README.md.) */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires epq: epq_wf;
  requires is_cspace(cs) && 0 <= dst < NSLOTS && cap_type[cs][dst] == OT_FREE;
  requires 0 <= ts < NSLOTS && cap_type[cs][ts] != OT_FREE;
  requires is_container(cont) && path_room(cont, 1);
  requires 0 <= f < NFRAMES && frame_type[f] == OT_FREE;
  assigns frame_type[f], frame_owner[f], c_own[cont], c_own[f],
          c_usage[0 .. NFRAMES-1],
          fw_type[f], fw_obj[f], fw_gen[f], fw_read[f], fw_write[f],
          fw_grant[f], fw_badge[f],
          cap_type[cs][dst], cap_obj[cs][dst], cap_gen[cs][dst],
          cap_read[cs][dst], cap_write[cs][dst], cap_grant[cs][dst],
          cap_badge[cs][dst], f_hi, f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures inv: Inv && epq_wf;
  ensures charged: \forall integer a; 0 <= a < NFRAMES ==>
    (\old(in_subtree(cont, a)) ==> c_usage[a] == \old(c_usage[a]) + 1) &&
    (!\old(in_subtree(cont, a)) ==> c_usage[a] == \old(c_usage[a]));
  ensures new_fw: cap_type[cs][dst] == OT_FORWARDER && cap_obj[cs][dst] == f &&
    cap_valid(cs, dst) &&
    fw_type[f] == \old(cap_type[cs][ts]) && fw_obj[f] == \old(cap_obj[cs][ts]) &&
    fw_gen[f] == \old(cap_gen[cs][ts]) && fw_badge[f] == \old(cap_badge[cs][ts]) &&
    cap_read[cs][dst] == \old(cap_read[cs][ts]) &&
    cap_write[cs][dst] == \old(cap_write[cs][ts]) &&
    cap_grant[cs][dst] == \old(cap_grant[cs][ts]) && cap_badge[cs][dst] == 0;
*/
static void fwd_commit(uint32_t cs, uint32_t dst, uint32_t cont, uint32_t ts,
                       uint32_t f)
{
  charge(cont);
  fwd_install(f, cont, cs, ts);
  /* The accounting equation again (as in obj_alloc_commit). */
  /*@ assert same_containers: \forall integer x; is_container(x) ==>
        \at(is_container(x), Pre) && x != f; */
  /*@ assert own_ok: \forall integer x; is_container(x) ==>
        c_own[x] == own_count(x, NFRAMES); */
  /*@ assert usage_ok: \forall integer x; is_container(x) ==>
        c_usage[x] == c_own[x] + child_sum(x, NFRAMES); */
  cap_install(cs, dst, OT_FORWARDER, f, frame_gen[f], cap_read[cs][ts],
              cap_write[cs][ts], cap_grant[cs][ts], 0);
}

/*@
  // how many forwarders the capability in slot s of cs already stands
  // behind (fwd_chain_len's result; fwd_create's E_TOO_DEEP at MAXFWD)
  logic integer fwd_depth(integer cs, integer s) =
    fwd_chain(MAXFWD, cap_type[cs][s], cap_obj[cs][s], cap_gen[cs][s]);
*/

/* spec: fwd_create. A new forwarder, paid for by the container in
 * cont_slot, holding a copy of the capability in target_slot; dst receives
 * a capability to the forwarder with the target's rights and badge 0.
 * Handing out that capability instead of the target lets the owner revoke
 * it later (obj_free on the forwarder) without touching the target. */
/*@
  requires sizes: SIZES_OK;
  requires flo: flo_wf;
  requires Inv;
  requires is_cspace(cs);
  requires epq: epq_wf;
  // (the frame it takes is the lowest free one: frame_find_free)
  assigns frame_type[lowest_free_from(0)], frame_owner[lowest_free_from(0)],
          c_own[cap_obj[cs][cont_slot]], c_own[lowest_free_from(0)], c_usage[0 .. NFRAMES-1],
          fw_type[lowest_free_from(0)], fw_obj[lowest_free_from(0)], fw_gen[lowest_free_from(0)], fw_read[lowest_free_from(0)], fw_write[lowest_free_from(0)],
          fw_grant[lowest_free_from(0)], fw_badge[lowest_free_from(0)],
          cap_type[cs][dst], cap_obj[cs][dst], cap_gen[cs][dst],
          cap_read[cs][dst], cap_write[cs][dst], cap_grant[cs][dst],
          cap_badge[cs][dst], f_hi, f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures inv: Inv && epq_wf;  // one clause, not two: proofs/README.md
  behavior bad_cont:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1));
  behavior bad_target:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, target_slot, OT_FREE, 0, 0) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, target_slot, OT_FREE, 0, 0));
  // the target is already at the end of MAXFWD forwarders
  behavior too_deep:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, target_slot, OT_FREE, 0, 0) == E_OK;
    assumes fwd_depth(cs, target_slot) == MAXFWD;
    assigns \nothing;
    ensures \result == E_TOO_DEEP;
  behavior bad_dst:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, target_slot, OT_FREE, 0, 0) == E_OK;
    assumes fwd_depth(cs, target_slot) < MAXFWD;
    assumes free_dst_err(cs, dst) != E_OK;
    assigns \nothing;
    ensures \result == \old(free_dst_err(cs, dst));
  behavior over_limit:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, target_slot, OT_FREE, 0, 0) == E_OK;
    assumes fwd_depth(cs, target_slot) < MAXFWD;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes !path_room(cap_obj[cs][cont_slot], 1);
    assigns \nothing;
    ensures \result == E_OVER_LIMIT;
  behavior no_memory:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, target_slot, OT_FREE, 0, 0) == E_OK;
    assumes fwd_depth(cs, target_slot) < MAXFWD;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes path_room(cap_obj[cs][cont_slot], 1);
    assumes !has_free;
    assigns \nothing;
    ensures \result == E_NO_MEMORY;
  behavior ok:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, target_slot, OT_FREE, 0, 0) == E_OK;
    assumes fwd_depth(cs, target_slot) < MAXFWD;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes path_room(cap_obj[cs][cont_slot], 1);
    assumes has_free;
    // one clause, one goal (proofs/README.md: "One goal per group")
    ensures ok:
      (\result == E_OK) &&
      (ok_charged: \forall integer a; 0 <= a < NFRAMES ==>
        (in_subtree(\old(cap_obj[cs][cont_slot]), a) ==> c_usage[a] == \old(c_usage[a]) + 1) &&
        (!in_subtree(\old(cap_obj[cs][cont_slot]), a) ==> c_usage[a] == \old(c_usage[a]))) &&
      (ok_new_fw: cap_type[cs][dst] == OT_FORWARDER && cap_valid(cs, dst) &&
        cap_obj[cs][dst] == \old(lowest_free_from(0)) &&
        fw_type[cap_obj[cs][dst]] == \old(cap_type[cs][target_slot]) &&
        fw_obj[cap_obj[cs][dst]] == \old(cap_obj[cs][target_slot]) &&
        fw_gen[cap_obj[cs][dst]] == \old(cap_gen[cs][target_slot]) &&
        fw_badge[cap_obj[cs][dst]] == \old(cap_badge[cs][target_slot]) &&
        cap_read[cs][dst] == \old(cap_read[cs][target_slot]) &&
        cap_write[cs][dst] == \old(cap_write[cs][target_slot]) &&
        cap_grant[cs][dst] == \old(cap_grant[cs][target_slot]) &&
        cap_badge[cs][dst] == 0);
  complete behaviors;
  disjoint behaviors;
*/
kerr_t fwd_create(uint32_t cs, uint32_t cont_slot, uint32_t target_slot,
                  uint32_t dst)
{
  uint32_t cont, f;
  kerr_t e = cap_lookup(cs, cont_slot, OT_CONTAINER, 0, 1);
  if (e != E_OK)
    return e;
  e = cap_lookup(cs, target_slot, OT_FREE, 0, 0);
  if (e != E_OK)
    return e;
  if (fwd_chain_len(cs, target_slot) + 1u > MAXFWD)
    return E_TOO_DEEP;
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
  fwd_commit(cs, dst, cont, target_slot, f);
  return E_OK;
}
