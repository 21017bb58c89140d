/* container.c: memory containers and hierarchical accounting. Creating a
 * child, allocating and freeing objects, destroying a subtree, querying.
 *
 * Accounting (MODEL.md, acct_wf in model.acsl): c_own[c] is the number of
 * live frames c paid for, and c_usage[c] = c_own[c] + the sum of the usage
 * of c's children. Charging one frame to container c adds 1 to c_usage[a]
 * for every a on c's ancestor path (c included) and frame_claim adds 1 to
 * c_own[c]; freeing undoes both. The equation is a sum over the whole
 * frame table, which SMT provers cannot unfold by themselves: each step
 * that changes a summand carries a ghost loop over the table that proves
 * how the sums move (charge, uncharge here; frame_claim, frame_release in
 * frame.c), and the ghost lemma functions below derive the bounds a
 * decrement needs (usage of every ancestor >= what is taken away). */
#include "core.h"
#include "internal.h"
#include "proc.h"      /* n_bits: a new notification starts with no bits */
#include "irq.h"       /* irq_handler_create */
#include "decode.h"    /* free_kept (obj_free's refusals) */

/* The commit of an allocation is inlined into each of its three callers
 * (CORE_INLINE; obj_alloc's is on the spawn path). */

/* Can n more frames be charged to c: is every container on c's path to
 * the root at least n below its limit? Bound: c_depth[c] + 1 <= MAXDEPTH
 * steps. (n = 1: path_has_room; a map's missing page tables: vs_map.) */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_container(c);
  assigns \nothing;
  ensures \result == 0 || \result == 1;
  ensures \result == 1 <==> path_room(c, n);
*/
int path_room_n(uint32_t c, uint32_t n)
{
  uint32_t d;
  /*@
    loop invariant 0 <= d <= c_depth[c] + 1;
    loop invariant \forall integer e; 0 <= e < d ==>
      c_usage[c_anc[c][e]] + n <= c_limit[c_anc[c][e]];
    loop assigns d;
    loop variant c_depth[c] + 1 - d;
  */
  for (d = 0; d <= c_depth(c); d++) {
    uint32_t a = c_anc(c, d);
    if ((uint64_t)c_usage(a) + n > c_limit(a))
      return 0;
  }
  return 1;
}

/* Can one more frame be charged to c? */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_container(c);
  assigns \nothing;
  ensures \result == 1 <==> path_room(c, 1);
  ensures \result == 0 || \result == 1;
*/
int path_has_room(uint32_t c)
{
  return path_room_n(c, 1u);
}

/* Charge one frame to c: c_usage + 1 on c's whole path. The caller has
 * checked path_room, and claims the frame (frame_claim) right after. */
/*@
  requires sizes: SIZES_OK;
  requires shape_wf;
  requires is_container(c);
  requires room: path_room(c, 1);
  assigns c_usage[0 .. NFRAMES-1];
  ensures shape: shape_wf;
  ensures path_charged: \forall integer a; 0 <= a < NFRAMES && in_subtree(c, a) ==>
    c_usage[a] == \old(c_usage[a]) + 1;
  ensures others_same: \forall integer a; 0 <= a < NFRAMES && !in_subtree(c, a) ==>
    c_usage[a] == \old(c_usage[a]);
  ensures children: \forall integer a; 0 <= a < NFRAMES ==>
    (proper_anc(c, a) ==> child_sum(a, NFRAMES) == \old(child_sum(a, NFRAMES)) + 1) &&
    (!proper_anc(c, a) ==> child_sum(a, NFRAMES) == \old(child_sum(a, NFRAMES)));
*/
void charge(uint32_t c)
{
  uint32_t d;
  /*@ ghost uint32_t k; */
  /*@
    loop invariant 0 <= d <= c_depth[c] + 1;
    loop invariant done: \forall integer a; 0 <= a < NFRAMES &&
      in_subtree(c, a) && c_depth[a] < d ==> c_usage[a] == \at(c_usage[a], Pre) + 1;
    loop invariant todo: \forall integer a; 0 <= a < NFRAMES &&
      !(in_subtree(c, a) && c_depth[a] < d) ==> c_usage[a] == \at(c_usage[a], Pre);
    loop assigns d, c_usage[0 .. NFRAMES-1];
    loop variant c_depth[c] + 1 - d;
  */
  for (d = 0; d <= c_depth(c); d++) {
    uint32_t a = c_anc(c, d);
    /*@ assert c_depth[a] == d && in_subtree(c, a); */
    c_usage(a) = c_usage(a) + 1u;
  }
  /* Each proper ancestor a of c has exactly one child on c's path (the
   * path entry one level below it), whose usage went up by 1. */
  /*@ ghost
    /@ loop invariant 0 <= k <= NFRAMES;
       loop invariant sums: \forall integer a; 0 <= a < NFRAMES ==>
         \let kk = k;
         ((proper_anc(c, a) && c_anc[c][c_depth[a] + 1] < kk) ==>
           child_sum(a, kk) == \at(child_sum(a, kk), Pre) + 1) &&
         (!(proper_anc(c, a) && c_anc[c][c_depth[a] + 1] < kk) ==>
           child_sum(a, kk) == \at(child_sum(a, kk), Pre));
       loop assigns k;
       loop variant NFRAMES - k; @/
    for (k = 0; k < NFRAMES; k++) {
      /@ assert on_path: \forall integer a; 0 <= a < NFRAMES && is_child(k, a) &&
           in_subtree(c, k) ==> proper_anc(c, a) && k == c_anc[c][c_depth[a] + 1]; @/
      /@ assert path_kid: \forall integer a; 0 <= a < NFRAMES && proper_anc(c, a) &&
           k == c_anc[c][c_depth[a] + 1] ==> is_child(k, a) && in_subtree(c, k); @/
    }
  */
}

/* Uncharge n frames from c's path: c_usage - n on c's path. The caller
 * shows (path_usage_ge) that every usage there is at least n. (It needs
 * only the container parts of shape_wf; the capability parts, which it
 * cannot touch, are left out of its hypotheses: with them the ghost
 * loop's sums goal no longer proved.) */
/*@
  requires sizes: SIZES_OK;
  requires frames_wf && containers_wf && paths_wf;
  requires is_container(c);
  requires enough: \forall integer a; 0 <= a < NFRAMES && in_subtree(c, a) ==>
    c_usage[a] >= n;
  assigns c_usage[0 .. NFRAMES-1];
  ensures shape: \old(shape_wf) ==> shape_wf;
  ensures path_uncharged: \forall integer a; 0 <= a < NFRAMES && in_subtree(c, a) ==>
    c_usage[a] == \old(c_usage[a]) - n;
  ensures others_same: \forall integer a; 0 <= a < NFRAMES && !in_subtree(c, a) ==>
    c_usage[a] == \old(c_usage[a]);
  ensures children: \forall integer a; 0 <= a < NFRAMES ==>
    (proper_anc(c, a) ==> child_sum(a, NFRAMES) == \old(child_sum(a, NFRAMES)) - n) &&
    (!proper_anc(c, a) ==> child_sum(a, NFRAMES) == \old(child_sum(a, NFRAMES)));
*/
void uncharge(uint32_t c, uint32_t n)
{
  uint32_t d;
  /*@ ghost uint32_t k; */
  /*@
    loop invariant 0 <= d <= c_depth[c] + 1;
    loop invariant done: \forall integer a; 0 <= a < NFRAMES &&
      in_subtree(c, a) && c_depth[a] < d ==>
      c_usage[a] == \at(c_usage[a], Pre) - n;
    loop invariant todo: \forall integer a; 0 <= a < NFRAMES &&
      !(in_subtree(c, a) && c_depth[a] < d) ==> c_usage[a] == \at(c_usage[a], Pre);
    loop assigns d, c_usage[0 .. NFRAMES-1];
    loop variant c_depth[c] + 1 - d;
  */
  for (d = 0; d <= c_depth(c); d++) {
    uint32_t a = c_anc(c, d);
    /*@ assert c_depth[a] == d && in_subtree(c, a); */
    c_usage(a) = c_usage(a) - n;
  }
  /*@ ghost
    /@ loop invariant 0 <= k <= NFRAMES;
       loop invariant sums: \forall integer a; 0 <= a < NFRAMES ==>
         \let kk = k;
         ((proper_anc(c, a) && c_anc[c][c_depth[a] + 1] < kk) ==>
           child_sum(a, kk) == \at(child_sum(a, kk), Pre) - n) &&
         (!(proper_anc(c, a) && c_anc[c][c_depth[a] + 1] < kk) ==>
           child_sum(a, kk) == \at(child_sum(a, kk), Pre));
       loop assigns k;
       loop variant NFRAMES - k; @/
    for (k = 0; k < NFRAMES; k++) {
      /@ assert on_path: \forall integer a; 0 <= a < NFRAMES && is_child(k, a) &&
           in_subtree(c, k) ==> proper_anc(c, a) && k == c_anc[c][c_depth[a] + 1]; @/
      /@ assert path_kid: \forall integer a; 0 <= a < NFRAMES && proper_anc(c, a) &&
           k == c_anc[c][c_depth[a] + 1] ==> is_child(k, a) && in_subtree(c, k); @/
    }
  */
}

/* Ghost lemma: the sums over the table are bounded, and include frame g:
 * own_count(c) counts g if c paid for g; child_sum(c) includes g's usage
 * if g is a child of c. (A loop over the table, because the sums are
 * defined by recursion and SMT provers do no induction.) */
/*@ ghost
  /@ requires sizes: SIZES_OK;
     requires g < NFRAMES;
     assigns \nothing;
     ensures own_bounds: 0 <= own_count(c, NFRAMES) <= NFRAMES;
     ensures kids_nonneg: child_sum(c, NFRAMES) >= 0;
     ensures own_has: live(g) && frame_owner[g] == c ==> own_count(c, NFRAMES) >= 1;
     ensures kids_has: is_child(g, c) ==> child_sum(c, NFRAMES) >= c_usage[g]; @/
  void sums_include(uint32_t c, uint32_t g)
  {
    uint32_t k;
    /@ loop invariant 0 <= k <= NFRAMES;
       loop invariant 0 <= own_count(c, k) <= k;
       loop invariant child_sum(c, k) >= 0;
       loop invariant g < k && live(g) && frame_owner[g] == c ==> own_count(c, k) >= 1;
       loop invariant g < k && is_child(g, c) ==> child_sum(c, k) >= c_usage[g];
       loop assigns k;
       loop variant NFRAMES - k; @/
    for (k = 0; k < NFRAMES; k++) ;
  }
*/

/* Ghost lemma: under the accounting equation, usage never grows going
 * down a path, so if usage(c) >= n then every ancestor's usage is too
 * (what uncharge(c, n) needs). Walks c's path from c up to the root. */
/*@ ghost
  /@ requires sizes: SIZES_OK;
     requires Inv;
     requires is_container(c);
     requires c_usage[c] >= n;
     assigns \nothing;
     ensures \forall integer a; 0 <= a < NFRAMES && in_subtree(c, a) ==>
       c_usage[a] >= n; @/
  void path_usage_ge(uint32_t c, uint32_t n)
  {
    uint32_t d = c_depth[c];
    /@ loop invariant 0 <= d <= c_depth[c];
       loop invariant \forall integer e; d <= e <= c_depth[c] ==>
         c_usage[c_anc[c][e]] >= n;
       loop assigns d;
       loop variant d; @/
    while (d > 0) {
      /@ assert is_child(c_anc[c][d], c_anc[c][d - 1]); @/
      sums_include(c_anc[c][d - 1], c_anc[c][d]);
      d = d - 1;
    }
  }
*/

/* Give the new container f (a child of p) its path: p's path, then f. */
/*@
  requires sizes: SIZES_OK;
  requires p < NFRAMES && c_depth[p] + 1 < MAXDEPTH;
  requires f < NFRAMES && f != p;
  assigns c_depth[f], c_anc[f][0 .. MAXDEPTH-1];
  ensures c_depth[f] == c_depth[p] + 1;
  ensures prefix: \forall integer d; 0 <= d <= c_depth[p] ==> c_anc[f][d] == c_anc[p][d];
  ensures self: c_anc[f][c_depth[f]] == f;
*/
static void path_extend(uint32_t f, uint32_t p)
{
  uint32_t d;
  uint32_t pd = c_depth(p);
  /*@
    loop invariant 0 <= d <= MAXDEPTH;
    loop invariant \forall integer e; 0 <= e < d && e <= pd ==> c_anc[f][e] == c_anc[p][e];
    loop invariant \forall integer e; 0 <= e < d && e == pd + 1 ==> c_anc[f][e] == f;
    loop assigns d, c_anc[f][0 .. MAXDEPTH-1];
    loop variant MAXDEPTH - d;
  */
  for (d = 0; d < MAXDEPTH; d++) {
    if (d <= pd)
      c_anc(f, d) = c_anc(p, d);
    else if (d == pd + 1u)
      c_anc(f, d) = f;
    else
      c_anc(f, d) = 0;
  }
  c_depth(f) = pd + 1u;
}

/* Make free frame f a new child container of p with the given limit:
 * type, owner (the parent pays), counters, depth and ancestor path.
 * (The capability parts of shape_wf are carried through, not required:
 * among the hypotheses they cost the path goals their proof.) */
/*@
  requires sizes: SIZES_OK;
  requires frames_wf && containers_wf && paths_wf;
  requires own_ok: c_own[p] == own_count(p, NFRAMES);
  requires epq: epq_wf;
  requires is_container(p) && c_depth[p] + 1 < MAXDEPTH;
  requires f < NFRAMES && frame_type[f] == OT_FREE;
  requires 1 <= limit <= c_limit[p];
  assigns frame_type[f], frame_owner[f], c_limit[f], c_usage[f], c_own[f],
          c_depth[f], c_anc[f][0 .. MAXDEPTH-1], c_own[p], f_hi, f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures frames: frames_wf;
  ensures conts: containers_wf;
  ensures paths: paths_wf;
  ensures caps: \old(caps_wf) ==> caps_wf;
  ensures fws: \old(fws_wf) ==> fws_wf;
  ensures made: is_container(f) && frame_owner[f] == p && c_limit[f] == limit &&
    c_usage[f] == 0 && c_own[f] == 0 && c_depth[f] == c_depth[p] + 1;
  ensures own: c_own[p] == \old(c_own[p]) + 1;
  ensures own_count: \forall integer x; own_count(x, NFRAMES) ==
    \old(own_count(x, NFRAMES)) + (x == p ? 1 : 0);
  ensures child_sum: \forall integer x; child_sum(x, NFRAMES) ==
    \old(child_sum(x, NFRAMES));
  ensures fresh: own_count(f, NFRAMES) == 0 && child_sum(f, NFRAMES) == 0;
  ensures epq: epq_wf;
*/
static void container_install(uint32_t f, uint32_t p, uint32_t limit)
{
  /*@ assert p_path: \forall integer d; 0 <= d <= c_depth[p] ==>
        is_container(c_anc[p][d]) && c_anc[p][d] != f &&
        c_depth[c_anc[p][d]] == d &&
        (\forall integer e; 0 <= e <= d ==> c_anc[c_anc[p][d]][e] == c_anc[p][e]); */
  /*@ assert not_on_a_path: \forall integer c, d; is_container(c) &&
        0 <= d <= c_depth[c] ==> c_anc[c][d] != f; */
  path_extend(f, p);
  c_limit(f) = limit;
  frame_claim(f, p, OT_CONTAINER);
  /*@ assert prefix: \forall integer d; 0 <= d <= c_depth[p] ==>
        c_anc[f][d] == c_anc[p][d] && c_anc[p][d] != f; */
  /*@ assert new_path_old_part: \forall integer d; 0 <= d <= c_depth[p] ==>
        is_container(c_anc[f][d]) && c_depth[c_anc[f][d]] == d &&
        (\forall integer e; 0 <= e <= d ==> c_anc[c_anc[f][d]][e] == c_anc[f][e]); */
  /*@ assert new_path_self: c_anc[f][c_depth[f]] == f &&
        c_depth[f] == c_depth[p] + 1; */
  /*@ assert new_path_last: is_container(c_anc[f][c_depth[f]]) &&
        c_depth[c_anc[f][c_depth[f]]] == c_depth[f] &&
        (\forall integer e; 0 <= e <= c_depth[f] ==>
          c_anc[c_anc[f][c_depth[f]]][e] == c_anc[f][e]); */
  /*@ assert new_path_cases: \forall integer d; 0 <= d <= c_depth[f] ==>
        d <= c_depth[p] || d == c_depth[f]; */
  /*@ assert new_path: \forall integer d; 0 <= d <= c_depth[f] ==>
        is_container(c_anc[f][d]) && c_depth[c_anc[f][d]] == d &&
        (\forall integer e; 0 <= e <= d ==> c_anc[c_anc[f][d]][e] == c_anc[f][e]); */
}

/* The commit of container_create: every guard passed, so the free frame f
 * becomes a child of parent with the given limit, charged on parent's
 * path, and a capability to it lands in the empty slot dst of cs. Nothing
 * here can fail. (Split from the guards so that WP proves these effects
 * without the guard paths in every goal: proofs/README.md.) */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires epq: epq_wf;
  requires is_cspace(cs) && 0 <= dst < NSLOTS && cap_type[cs][dst] == OT_FREE;
  requires is_container(parent) && 1 <= limit <= c_limit[parent] &&
    c_depth[parent] + 1 < MAXDEPTH && path_room(parent, 1);
  requires 0 <= f < NFRAMES && frame_type[f] == OT_FREE;
  assigns frame_type[f], frame_owner[f], c_usage[0 .. NFRAMES-1],
          c_own[parent], c_own[f], c_limit[f], c_depth[f],
          c_anc[f][0 .. MAXDEPTH-1],
          cap_type[cs][dst], cap_obj[cs][dst], cap_gen[cs][dst],
          cap_read[cs][dst], cap_write[cs][dst], cap_grant[cs][dst],
          cap_badge[cs][dst], f_hi, f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  // one clause, one goal (proofs/README.md: "One goal per group")
  ensures post:
    (inv: Inv && epq_wf) &&
    (new_cap: new_full_cap(cs, dst, OT_CONTAINER) && cap_obj[cs][dst] == f) &&
    (new_child: frame_owner[f] == parent && c_limit[f] == limit &&
      c_usage[f] == 0 && c_own[f] == 0 && c_depth[f] == \old(c_depth[parent]) + 1) &&
    (accounting_path: \forall integer a; 0 <= a < NFRAMES && a != f &&
      \old(in_subtree(parent, a)) ==> c_usage[a] == \old(c_usage[a]) + 1) &&
    (accounting_others: \forall integer a; 0 <= a < NFRAMES && a != f &&
      !\old(in_subtree(parent, a)) ==> c_usage[a] == \old(c_usage[a])) &&
    (only_new_frame: \forall integer g; 0 <= g < NFRAMES && g != f ==>
      frame_type[g] == \old(frame_type[g]) &&
      frame_owner[g] == \old(frame_owner[g]) && frame_gen[g] == \old(frame_gen[g])) &&
    (only_dst_slot: \forall integer c, s; 0 <= c < NFRAMES &&
      0 <= s < NSLOTS && !(c == cs && s == dst) ==>
      cap_type[c][s] == \old(cap_type[c][s]) && cap_obj[c][s] == \old(cap_obj[c][s]));
*/
static void container_commit(uint32_t cs, uint32_t dst, uint32_t parent,
                             uint32_t f, uint32_t limit)
{
  charge(parent);
  container_install(f, parent, limit);
  /* The accounting equation again: the parent's own count and usage went
   * up by one, every proper ancestor's usage and children's sum by one;
   * the new child has nothing. */
  /*@ assert new_containers: \forall integer x; is_container(x) ==>
        (\at(is_container(x), Pre) && x != f) || x == f; */
  /*@ assert own_new: c_own[f] == own_count(f, NFRAMES); */
  /*@ assert own_parent: c_own[parent] == own_count(parent, NFRAMES); */
  /*@ assert own_rest: \forall integer x; is_container(x) && x != f && x != parent ==>
        c_own[x] == own_count(x, NFRAMES); */
  /*@ assert own_ok: \forall integer x; is_container(x) ==>
        c_own[x] == own_count(x, NFRAMES); */
  /*@ assert usage_ok: \forall integer x; is_container(x) ==>
        c_usage[x] == c_own[x] + child_sum(x, NFRAMES); */
  cap_install(cs, dst, OT_CONTAINER, f, frame_gen[f], 1, 1, 1, 0);
}

/* spec: container_create. A child container of the one in parent_slot,
 * with its own limit, paid for (one frame) by the parent. */
/*@
  requires sizes: SIZES_OK;
  requires flo: flo_wf;
  requires Inv;
  requires is_cspace(cs);
  requires epq: epq_wf;
  assigns frame_type[lowest_free_from(0)], frame_owner[lowest_free_from(0)],
          c_usage[0 .. NFRAMES-1], c_own[cap_obj[cs][parent_slot]],
          c_own[lowest_free_from(0)], c_limit[lowest_free_from(0)],
          c_depth[lowest_free_from(0)], c_anc[lowest_free_from(0)][0 .. MAXDEPTH-1],
          cap_type[cs][dst],
          cap_obj[cs][dst],
          cap_gen[cs][dst],
          cap_read[cs][dst],
          cap_write[cs][dst],
          cap_grant[cs][dst],
          cap_badge[cs][dst], f_hi, f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures inv: Inv && epq_wf;  // one clause, not two: proofs/README.md
  behavior bad_parent:
    assumes lookup_err(cs, parent_slot, OT_CONTAINER, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, parent_slot, OT_CONTAINER, 0, 1));
  behavior bad_dst:
    assumes lookup_err(cs, parent_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes free_dst_err(cs, dst) != E_OK;
    assigns \nothing;
    ensures \result == \old(free_dst_err(cs, dst));
  behavior bad_limit:
    assumes lookup_err(cs, parent_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes limit < 1 || limit > c_limit[cap_obj[cs][parent_slot]];
    assigns \nothing;
    ensures \result == E_BAD_ARG;
  behavior too_deep:
    assumes lookup_err(cs, parent_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes 1 <= limit <= c_limit[cap_obj[cs][parent_slot]];
    assumes c_depth[cap_obj[cs][parent_slot]] + 1 >= MAXDEPTH;
    assigns \nothing;
    ensures \result == E_TOO_DEEP;
  behavior over_limit:
    assumes lookup_err(cs, parent_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes 1 <= limit <= c_limit[cap_obj[cs][parent_slot]];
    assumes c_depth[cap_obj[cs][parent_slot]] + 1 < MAXDEPTH;
    assumes !path_room(cap_obj[cs][parent_slot], 1);
    assigns \nothing;
    ensures \result == E_OVER_LIMIT;
  behavior no_memory:
    assumes lookup_err(cs, parent_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes 1 <= limit <= c_limit[cap_obj[cs][parent_slot]];
    assumes c_depth[cap_obj[cs][parent_slot]] + 1 < MAXDEPTH;
    assumes path_room(cap_obj[cs][parent_slot], 1);
    assumes !has_free;
    assigns \nothing;
    ensures \result == E_NO_MEMORY;
  behavior ok:
    assumes lookup_err(cs, parent_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes 1 <= limit <= c_limit[cap_obj[cs][parent_slot]];
    assumes c_depth[cap_obj[cs][parent_slot]] + 1 < MAXDEPTH;
    assumes path_room(cap_obj[cs][parent_slot], 1);
    assumes has_free;
    // one clause, one goal (proofs/README.md: "One goal per group")
    ensures ok:
      (\result == E_OK) &&
      (new_cap: new_full_cap(cs, dst, OT_CONTAINER)) &&
      (lowest: \forall integer g; 0 <= g < cap_obj[cs][dst] ==>
        \old(frame_type[g]) != OT_FREE) &&
      (new_child: \let n = cap_obj[cs][dst]; \at(frame_type[n], Pre) == OT_FREE &&
        frame_owner[cap_obj[cs][dst]] == \old(cap_obj[cs][parent_slot]) &&
        c_limit[cap_obj[cs][dst]] == limit && c_usage[cap_obj[cs][dst]] == 0 &&
        c_own[cap_obj[cs][dst]] == 0 &&
        c_depth[cap_obj[cs][dst]] == \old(c_depth[cap_obj[cs][parent_slot]]) + 1) &&
      (accounting_path: \forall integer a; 0 <= a < NFRAMES &&
        a != cap_obj[cs][dst] && \old(in_subtree(cap_obj[cs][parent_slot], a)) ==>
        c_usage[a] == \old(c_usage[a]) + 1) &&
      (accounting_others: \forall integer a; 0 <= a < NFRAMES &&
        a != cap_obj[cs][dst] && !\old(in_subtree(cap_obj[cs][parent_slot], a)) ==>
        c_usage[a] == \old(c_usage[a])) &&
      (only_new_frame: \forall integer g; 0 <= g < NFRAMES &&
        g != cap_obj[cs][dst] ==> frame_type[g] == \old(frame_type[g]) &&
        frame_owner[g] == \old(frame_owner[g]) && frame_gen[g] == \old(frame_gen[g])) &&
      (only_dst_slot: \forall integer c, s; 0 <= c < NFRAMES &&
        0 <= s < NSLOTS && !(c == cs && s == dst) ==>
        cap_type[c][s] == \old(cap_type[c][s]) && cap_obj[c][s] == \old(cap_obj[c][s]));
  complete behaviors;
  disjoint behaviors;
*/
kerr_t container_create(uint32_t cs, uint32_t parent_slot, uint32_t dst,
                        uint32_t limit)
{
  uint32_t parent, f;
  kerr_t e = cap_lookup(cs, parent_slot, OT_CONTAINER, 0, 1);
  if (e != E_OK)
    return e;
  e = free_dst(cs, dst);
  if (e != E_OK)
    return e;
  parent = cap_obj[cs][parent_slot];
  if (limit < 1 || limit > c_limit(parent))
    return E_BAD_ARG;
  if (c_depth(parent) + 1u >= MAXDEPTH)
    return E_TOO_DEEP;
  if (!path_has_room(parent))
    return E_OVER_LIMIT;
  f = frame_find_free();
  if (f == NFRAMES)
    return E_NO_MEMORY;
  /* commit point: every guard passed, nothing below can fail */
  container_commit(cs, dst, parent, f, limit);
  return E_OK;
}

/* Types obj_alloc may create (containers, forwarders and processes have
 * their own calls). */
/*@
  requires sizes: SIZES_OK;
  assigns \nothing;
  ensures \result == 1 <==> (type == OT_CSPACE || type == OT_FRAME ||
                             type == OT_ENDPOINT || type == OT_NOTIFICATION ||
                             type == OT_TIMER);
  ensures \result == 0 || \result == 1;
*/
static int alloc_type_ok(uint32_t type)
{
  return type == OT_CSPACE || type == OT_FRAME || type == OT_ENDPOINT ||
         type == OT_NOTIFICATION || type == OT_TIMER;
}

/* Make free frame f a new object of `type` (one obj_alloc accepts), owned
 * by container cont, in its zero state: a capability space starts with
 * every slot empty, a notification with no bits pending, an endpoint's or
 * notification's queue indices "unknown" (the frame's record held
 * anything: in the kernel it is the frame's own memory). */
/*@
  requires sizes: SIZES_OK;
  requires shape_wf;
  requires is_container(cont);
  requires f < NFRAMES && frame_type[f] == OT_FREE;
  requires type == OT_CSPACE || type == OT_FRAME || type == OT_ENDPOINT ||
           type == OT_NOTIFICATION || type == OT_DEVICE || type == OT_IRQ_CONTROL ||
           type == OT_IRQ_HANDLER || type == OT_TIMER;
  requires own_ok: c_own[cont] == own_count(cont, NFRAMES);
  requires epq: epq_wf;
  assigns frame_type[f], frame_owner[f], c_own[cont], c_usage[f], c_own[f],
          cap_type[f][0 .. NSLOTS-1], cap_obj[f][0 .. NSLOTS-1],
          cap_gen[f][0 .. NSLOTS-1], cap_read[f][0 .. NSLOTS-1],
          cap_write[f][0 .. NSLOTS-1], cap_grant[f][0 .. NSLOTS-1],
          cap_badge[f][0 .. NSLOTS-1], n_bits[f], ep_recv[f], ep_nosend[f],
          f_hi, f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  // grouped (proofs/README.md: "One goal per group"), epq_wf and the
  // counts apart: as one clause it timed out
  ensures epq: epq_wf;
  ensures kept_frames: frames_wf;
  ensures kept_conts: containers_wf;
  ensures kept_paths: paths_wf;
  // apart: with the generation soundness in caps_wf / fws_wf, the grouped
  // clause failed
  ensures kept_caps: caps_wf;
  ensures kept_fws: fws_wf;
  ensures counts:
    (own_count: \forall integer x; own_count(x, NFRAMES) ==
      \old(own_count(x, NFRAMES)) + (x == cont ? 1 : 0)) &&
    (child_sum: \forall integer x; child_sum(x, NFRAMES) ==
      \old(child_sum(x, NFRAMES))) &&
    (usage_same: \forall integer x; c_usage[x] == \old(c_usage[x]));
  ensures made: frame_type[f] == type && frame_owner[f] == cont;
  ensures no_bits: type == OT_NOTIFICATION ==> n_bits[f] == 0;
  ensures own: c_own[cont] == \old(c_own[cont]) + 1;
*/
static void object_install(uint32_t f, uint32_t cont, uint32_t type)
{
  if (type == OT_CSPACE)
    cspace_clear(f);
  if (type == OT_NOTIFICATION)
    n_bits(f) = 0;
  if (type == OT_ENDPOINT || type == OT_NOTIFICATION) {
    ep_recv(f) = EPQ_UNKNOWN;
    ep_nosend(f) = 0;
  }
  frame_claim(f, cont, type);
}

/* The commit of obj_alloc: every guard passed, so the free frame f
 * becomes a new object of the given type owned by cont, charged on cont's
 * path, and a capability to it lands in the empty slot dst of cs. Nothing
 * here can fail. (Split from the guards: see container_commit.) */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires epq: epq_wf;
  requires is_cspace(cs) && 0 <= dst < NSLOTS && cap_type[cs][dst] == OT_FREE;
  requires is_container(cont) && path_room(cont, 1);
  requires type == OT_CSPACE || type == OT_FRAME || type == OT_ENDPOINT ||
    type == OT_NOTIFICATION || type == OT_DEVICE || type == OT_IRQ_CONTROL ||
    type == OT_IRQ_HANDLER || type == OT_TIMER;
  requires 0 <= f < NFRAMES && frame_type[f] == OT_FREE;
  assigns frame_type[f], frame_owner[f], c_usage[0 .. NFRAMES-1],
          c_own[cont], c_own[f], n_bits[f], ep_recv[f], ep_nosend[f],
          cap_type[f][0 .. NSLOTS-1], cap_obj[f][0 .. NSLOTS-1],
          cap_gen[f][0 .. NSLOTS-1], cap_read[f][0 .. NSLOTS-1],
          cap_write[f][0 .. NSLOTS-1], cap_grant[f][0 .. NSLOTS-1],
          cap_badge[f][0 .. NSLOTS-1],
          cap_type[cs][dst], cap_obj[cs][dst], cap_gen[cs][dst],
          cap_read[cs][dst], cap_write[cs][dst], cap_grant[cs][dst],
          cap_badge[cs][dst], f_hi, f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  // one clause, one goal (proofs/README.md: "One goal per group")
  ensures post:
    (inv: Inv && epq_wf) &&
    (new_cap: new_full_cap(cs, dst, type) && cap_obj[cs][dst] == f) &&
    (new_object: frame_owner[f] == cont) &&
    (zero_state: type == OT_NOTIFICATION ==> n_bits[f] == 0) &&
    (accounting_path: \forall integer a; 0 <= a < NFRAMES &&
      \old(in_subtree(cont, a)) ==> c_usage[a] == \old(c_usage[a]) + 1) &&
    (accounting_others: \forall integer a; 0 <= a < NFRAMES &&
      !\old(in_subtree(cont, a)) ==> c_usage[a] == \old(c_usage[a])) &&
    (only_new_frame: \forall integer g; 0 <= g < NFRAMES && g != f ==>
      frame_type[g] == \old(frame_type[g]) &&
      frame_owner[g] == \old(frame_owner[g]) && frame_gen[g] == \old(frame_gen[g])) &&
    (only_dst_slot: \forall integer c, s; 0 <= c < NFRAMES && c != f &&
      0 <= s < NSLOTS && !(c == cs && s == dst) ==>
      cap_type[c][s] == \old(cap_type[c][s]) && cap_obj[c][s] == \old(cap_obj[c][s]));
*/
static inline void obj_alloc_commit(uint32_t cs, uint32_t dst, uint32_t cont,
                                    uint32_t type, uint32_t f) CORE_INLINE;
static inline void obj_alloc_commit(uint32_t cs, uint32_t dst, uint32_t cont,
                                    uint32_t type, uint32_t f)
{
  charge(cont);
  object_install(f, cont, type);
  /* The accounting equation again: cont's own count and usage went up by
   * one, every proper ancestor's usage and children's sum by one. */
  /*@ assert same_containers: \forall integer x; is_container(x) ==>
        \at(is_container(x), Pre) && x != f; */
  /*@ assert own_ok: \forall integer x; is_container(x) ==>
        c_own[x] == own_count(x, NFRAMES); */
  /*@ assert usage_ok: \forall integer x; is_container(x) ==>
        c_usage[x] == c_own[x] + child_sum(x, NFRAMES); */
  cap_install(cs, dst, type, f, frame_gen[f], 1, 1, 1, 0);
}

/* spec: obj_alloc. A new object of `type` in the lowest free frame, paid
 * for by the container in cont_slot; dst gets a capability with all rights.
 * A new capability space starts empty. (A user frame's 4 KiB are zeroed by
 * the architecture layer, which owns the memory.) */
/*@
  requires sizes: SIZES_OK;
  requires flo: flo_wf;
  requires Inv;
  requires is_cspace(cs);
  requires epq: epq_wf;
  assigns frame_type[lowest_free_from(0)], frame_owner[lowest_free_from(0)],
          c_usage[0 .. NFRAMES-1], c_own[cap_obj[cs][cont_slot]],
          c_own[lowest_free_from(0)], n_bits[lowest_free_from(0)],
          ep_recv[lowest_free_from(0)], ep_nosend[lowest_free_from(0)],
          cap_type[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_obj[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_gen[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_read[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_write[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_grant[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_badge[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_type[cs][dst],
          cap_obj[cs][dst],
          cap_gen[cs][dst],
          cap_read[cs][dst],
          cap_write[cs][dst],
          cap_grant[cs][dst],
          cap_badge[cs][dst], f_hi, f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures inv: Inv && epq_wf;  // one clause, not two: proofs/README.md
  behavior bad_cont:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1));
  behavior bad_type:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes !(type == OT_CSPACE || type == OT_FRAME || type == OT_ENDPOINT ||
              type == OT_NOTIFICATION || type == OT_TIMER);
    assigns \nothing;
    ensures \result == E_BAD_ARG;
  behavior bad_dst:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes type == OT_CSPACE || type == OT_FRAME || type == OT_ENDPOINT ||
            type == OT_NOTIFICATION || type == OT_TIMER;
    assumes free_dst_err(cs, dst) != E_OK;
    assigns \nothing;
    ensures \result == \old(free_dst_err(cs, dst));
  behavior over_limit:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes type == OT_CSPACE || type == OT_FRAME || type == OT_ENDPOINT ||
            type == OT_NOTIFICATION || type == OT_TIMER;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes !path_room(cap_obj[cs][cont_slot], 1);
    assigns \nothing;
    ensures \result == E_OVER_LIMIT;
  behavior no_memory:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes type == OT_CSPACE || type == OT_FRAME || type == OT_ENDPOINT ||
            type == OT_NOTIFICATION || type == OT_TIMER;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes path_room(cap_obj[cs][cont_slot], 1);
    assumes !has_free;
    assigns \nothing;
    ensures \result == E_NO_MEMORY;
  behavior ok:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes type == OT_CSPACE || type == OT_FRAME || type == OT_ENDPOINT ||
            type == OT_NOTIFICATION || type == OT_TIMER;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes path_room(cap_obj[cs][cont_slot], 1);
    assumes has_free;
    // one clause, one goal (proofs/README.md: "One goal per group")
    ensures ok:
      (\result == E_OK) &&
      (new_cap: new_full_cap(cs, dst, type)) &&
      (new_object: \let n = cap_obj[cs][dst]; \at(frame_type[n], Pre) == OT_FREE &&
        frame_owner[n] == \old(cap_obj[cs][cont_slot])) &&
      (zero_state: type == OT_NOTIFICATION ==> n_bits[cap_obj[cs][dst]] == 0) &&
      (lowest: \forall integer g; 0 <= g < cap_obj[cs][dst] ==>
        \old(frame_type[g]) != OT_FREE) &&
      (accounting_path: \forall integer a; 0 <= a < NFRAMES &&
        in_subtree(\old(cap_obj[cs][cont_slot]), a) ==>
        c_usage[a] == \old(c_usage[a]) + 1) &&
      (accounting_others: \forall integer a; 0 <= a < NFRAMES &&
        !in_subtree(\old(cap_obj[cs][cont_slot]), a) ==>
        c_usage[a] == \old(c_usage[a])) &&
      (only_new_frame: \forall integer g; 0 <= g < NFRAMES &&
        g != cap_obj[cs][dst] ==> frame_type[g] == \old(frame_type[g]) &&
        frame_owner[g] == \old(frame_owner[g]) && frame_gen[g] == \old(frame_gen[g])) &&
      (only_dst_slot: \forall integer c, s; 0 <= c < NFRAMES &&
        c != cap_obj[cs][dst] && 0 <= s < NSLOTS && !(c == cs && s == dst) ==>
        cap_type[c][s] == \old(cap_type[c][s]) && cap_obj[c][s] == \old(cap_obj[c][s]));
  complete behaviors;
  disjoint behaviors;
*/
kerr_t obj_alloc(uint32_t cs, uint32_t cont_slot, uint32_t type, uint32_t dst)
{
  uint32_t cont, f;
  kerr_t e = cap_lookup(cs, cont_slot, OT_CONTAINER, 0, 1);
  if (e != E_OK)
    return e;
  if (!alloc_type_ok(type))
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
  obj_alloc_commit(cs, dst, cont, type, f);
  return E_OK;
}

/* spec: typed_alloc. At boot only (the architecture layer calls it, no
 * syscall does): a new device page or the IRQ-control object, in the
 * lowest free frame, paid for by the container in cont_slot, a capability
 * with all rights in dst. The architecture layer numbers the frames so
 * that the device pages it makes are not RAM (arch-riscv/uvm.c) and
 * records which physical page each is. Guards as obj_alloc's, but for
 * the type. (An interrupt handler, the third type obj_alloc refuses, is
 * irq_handler_create's, below: it has a source to take as well.) */
/*@
  requires sizes: SIZES_OK;
  requires flo: flo_wf;
  requires Inv;
  requires is_cspace(cs);
  requires epq: epq_wf;
  requires type: type == OT_DEVICE || type == OT_IRQ_CONTROL;
  assigns frame_type[lowest_free_from(0)], frame_owner[lowest_free_from(0)],
          c_usage[0 .. NFRAMES-1], c_own[cap_obj[cs][cont_slot]],
          c_own[lowest_free_from(0)], n_bits[lowest_free_from(0)],
          ep_recv[lowest_free_from(0)], ep_nosend[lowest_free_from(0)],
          cap_type[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_obj[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_gen[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_read[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_write[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_grant[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_badge[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_type[cs][dst], cap_obj[cs][dst], cap_gen[cs][dst],
          cap_read[cs][dst], cap_write[cs][dst], cap_grant[cs][dst],
          cap_badge[cs][dst], f_hi, f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures inv: Inv && epq_wf;
  behavior bad_cont:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1));
  behavior bad_dst:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes free_dst_err(cs, dst) != E_OK;
    assigns \nothing;
    ensures \result == \old(free_dst_err(cs, dst));
  behavior over_limit:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes !path_room(cap_obj[cs][cont_slot], 1);
    assigns \nothing;
    ensures \result == E_OVER_LIMIT;
  behavior no_memory:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes path_room(cap_obj[cs][cont_slot], 1);
    assumes !has_free;
    assigns \nothing;
    ensures \result == E_NO_MEMORY;
  behavior ok:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes path_room(cap_obj[cs][cont_slot], 1);
    assumes has_free;
    // one clause, one goal (proofs/README.md: "One goal per group")
    ensures ok:
      (\result == E_OK) &&
      (new_cap: new_full_cap(cs, dst, type)) &&
      (new_object: \let n = cap_obj[cs][dst]; \at(frame_type[n], Pre) == OT_FREE &&
        frame_owner[n] == \old(cap_obj[cs][cont_slot])) &&
      (lowest: \forall integer g; 0 <= g < cap_obj[cs][dst] ==>
        \old(frame_type[g]) != OT_FREE) &&
      (accounting_path: \forall integer a; 0 <= a < NFRAMES &&
        in_subtree(\old(cap_obj[cs][cont_slot]), a) ==>
        c_usage[a] == \old(c_usage[a]) + 1) &&
      (accounting_others: \forall integer a; 0 <= a < NFRAMES &&
        !in_subtree(\old(cap_obj[cs][cont_slot]), a) ==>
        c_usage[a] == \old(c_usage[a])) &&
      (only_new_frame: \forall integer g; 0 <= g < NFRAMES &&
        g != cap_obj[cs][dst] ==> frame_type[g] == \old(frame_type[g]) &&
        frame_owner[g] == \old(frame_owner[g]) && frame_gen[g] == \old(frame_gen[g])) &&
      (only_dst_slot: \forall integer c, s; 0 <= c < NFRAMES &&
        c != cap_obj[cs][dst] && 0 <= s < NSLOTS && !(c == cs && s == dst) ==>
        cap_type[c][s] == \old(cap_type[c][s]) && cap_obj[c][s] == \old(cap_obj[c][s]));
  complete behaviors;
  disjoint behaviors;
*/
kerr_t typed_alloc(uint32_t cs, uint32_t cont_slot, uint32_t type, uint32_t dst)
{
  uint32_t cont, f;
  kerr_t e = cap_lookup(cs, cont_slot, OT_CONTAINER, 0, 1);
  if (e != E_OK)
    return e;
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
  obj_alloc_commit(cs, dst, cont, type, f);
  return E_OK;
}

/* spec: irq_handler_create */
/* A handler for interrupt source src (1 .. irq_sources - 1), made with
 * the IRQ-control capability in ctl_slot (write right) from the container
 * in cont_slot, a capability to it in dst; unbound (no notification yet),
 * nothing pending. Guards in order: the control capability; src a source
 * (E_BAD_ARG: a forged source number); src not taken by a live handler
 * (E_IN_USE); then those of every allocation (container, dst, limit,
 * memory), as typed_alloc's. */
/*@
  requires sizes: SIZES_OK;
  requires irq: irq_ok;
  requires flo: flo_wf;
  requires Inv;
  requires is_cspace(cs);
  requires epq: epq_wf;
  assigns frame_type[lowest_free_from(0)], frame_owner[lowest_free_from(0)],
          c_usage[0 .. NFRAMES-1], c_own[cap_obj[cs][cont_slot]],
          c_own[lowest_free_from(0)], n_bits[lowest_free_from(0)],
          ep_recv[lowest_free_from(0)], ep_nosend[lowest_free_from(0)],
          cap_type[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_obj[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_gen[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_read[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_write[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_grant[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_badge[lowest_free_from(0)][0 .. NSLOTS-1],
          cap_type[cs][dst], cap_obj[cs][dst], cap_gen[cs][dst],
          cap_read[cs][dst], cap_write[cs][dst], cap_grant[cs][dst],
          cap_badge[cs][dst], f_hi, f_lo,
          h_src[lowest_free_from(0)], h_ntfn[lowest_free_from(0)],
          irq_handler[src], irq_hgen[src], irq_pending[src];
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures inv: Inv && epq_wf;
  behavior bad_ctl:
    assumes lookup_err(cs, ctl_slot, OT_IRQ_CONTROL, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, ctl_slot, OT_IRQ_CONTROL, 0, 1));
  behavior bad_src:
    assumes lookup_err(cs, ctl_slot, OT_IRQ_CONTROL, 0, 1) == E_OK;
    assumes src == 0 || src >= irq_sources;
    assigns \nothing;
    ensures \result == E_BAD_ARG;
  behavior taken:
    assumes lookup_err(cs, ctl_slot, OT_IRQ_CONTROL, 0, 1) == E_OK;
    assumes 0 < src < irq_sources && irq_taken(src);
    assigns \nothing;
    ensures \result == E_IN_USE;
  behavior bad_cont:
    assumes lookup_err(cs, ctl_slot, OT_IRQ_CONTROL, 0, 1) == E_OK;
    assumes 0 < src < irq_sources && !irq_taken(src);
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1));
  behavior bad_dst:
    assumes lookup_err(cs, ctl_slot, OT_IRQ_CONTROL, 0, 1) == E_OK;
    assumes 0 < src < irq_sources && !irq_taken(src);
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes free_dst_err(cs, dst) != E_OK;
    assigns \nothing;
    ensures \result == \old(free_dst_err(cs, dst));
  behavior over_limit:
    assumes lookup_err(cs, ctl_slot, OT_IRQ_CONTROL, 0, 1) == E_OK;
    assumes 0 < src < irq_sources && !irq_taken(src);
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes !path_room(cap_obj[cs][cont_slot], 1);
    assigns \nothing;
    ensures \result == E_OVER_LIMIT;
  behavior no_memory:
    assumes lookup_err(cs, ctl_slot, OT_IRQ_CONTROL, 0, 1) == E_OK;
    assumes 0 < src < irq_sources && !irq_taken(src);
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes path_room(cap_obj[cs][cont_slot], 1);
    assumes !has_free;
    assigns \nothing;
    ensures \result == E_NO_MEMORY;
  behavior ok:
    assumes lookup_err(cs, ctl_slot, OT_IRQ_CONTROL, 0, 1) == E_OK;
    assumes 0 < src < irq_sources && !irq_taken(src);
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes free_dst_err(cs, dst) == E_OK;
    assumes path_room(cap_obj[cs][cont_slot], 1);
    assumes has_free;
    ensures ok:
      (\result == E_OK) &&
      (new_cap: new_full_cap(cs, dst, OT_IRQ_HANDLER)) &&
      (new_object: \let h = cap_obj[cs][dst]; \at(frame_type[h], Pre) == OT_FREE &&
        frame_owner[h] == \old(cap_obj[cs][cont_slot])) &&
      (record: \let h = cap_obj[cs][dst]; h_src[h] == src && h_ntfn[h] == NFRAMES) &&
      (source: \let h = cap_obj[cs][dst]; irq_handler[src] == h &&
        irq_hgen[src] == frame_gen[h] && irq_pending[src] == 0 && irq_taken(src)) &&
      (accounting_path: \forall integer a; 0 <= a < NFRAMES &&
        in_subtree(\old(cap_obj[cs][cont_slot]), a) ==>
        c_usage[a] == \old(c_usage[a]) + 1) &&
      (accounting_others: \forall integer a; 0 <= a < NFRAMES &&
        !in_subtree(\old(cap_obj[cs][cont_slot]), a) ==>
        c_usage[a] == \old(c_usage[a]));
  complete behaviors;
  disjoint behaviors;
*/
kerr_t irq_handler_create(uint32_t cs, uint32_t ctl_slot, uint32_t cont_slot,
                          uint32_t src, uint32_t dst)
{
  uint32_t h, o, cont;
  kerr_t e = cap_lookup(cs, ctl_slot, OT_IRQ_CONTROL, 0, 1);
  if (e != E_OK)
    return e;
  if (src == 0 || src >= irq_sources)
    return E_BAD_ARG;
  o = irq_handler[src];
  if (o < NFRAMES && frame_type[o] == OT_IRQ_HANDLER && frame_gen[o] == irq_hgen[src])
    return E_IN_USE;
  /* typed_alloc's guards, then its commit */
  e = cap_lookup(cs, cont_slot, OT_CONTAINER, 0, 1);
  if (e != E_OK)
    return e;
  e = free_dst(cs, dst);
  if (e != E_OK)
    return e;
  cont = cap_obj[cs][cont_slot];
  if (!path_has_room(cont))
    return E_OVER_LIMIT;
  h = frame_find_free();
  if (h == NFRAMES)
    return E_NO_MEMORY;
  /* commit point: every guard passed, nothing below can fail */
  obj_alloc_commit(cs, dst, cont, OT_IRQ_HANDLER, h);
  h_src(h) = src;
  h_ntfn(h) = NFRAMES;
  irq_handler[src] = h;
  irq_hgen[src] = frame_gen[h];
  /* a handler that died holding an interrupt: the architecture layer
   * completes it when it enables the source again (irq_set_ntfn) */
  irq_pending[src] = 0;
  return E_OK;
}


/* The commit of obj_free: obj, a live object that is not a container,
 * dies. Its generation is bumped (every capability to it, and every
 * forwarder chain through it, is dead at once), a capability space is
 * emptied, the frame is free again and uncharged from its owner's path.
 * Nothing here can fail. (Split from obj_free's guards so that WP proves
 * these effects without the guard paths in every goal: proofs/README.md.) */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires epq: epq_wf;
  requires obj: 0 <= obj < NFRAMES && live(obj) && frame_type[obj] != OT_CONTAINER;
  assigns frame_type[0 .. NFRAMES-1], frame_gen[0 .. NFRAMES-1],
          c_usage[0 .. NFRAMES-1], c_own[0 .. NFRAMES-1],
          ep_recv[0 .. NFRAMES-1], ep_nosend[0 .. NFRAMES-1],
          cap_type[obj][0 .. NSLOTS-1], cap_obj[obj][0 .. NSLOTS-1],
          cap_gen[obj][0 .. NSLOTS-1], cap_read[obj][0 .. NSLOTS-1],
          cap_write[obj][0 .. NSLOTS-1], cap_grant[obj][0 .. NSLOTS-1],
          cap_badge[obj][0 .. NSLOTS-1], f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  // one clause, one goal (proofs/README.md: "One goal per group")
  ensures post:
    (inv: Inv) &&
    (epq: epq_wf) &&
    (freed: frame_type[obj] == OT_FREE || frame_type[obj] == OT_RETIRED) &&
    (bumped: frame_gen[obj] == \old(frame_gen[obj]) + 1) &&
    (revoked: \forall integer c, s; is_cspace(c) && 0 <= s < NSLOTS &&
      cap_valid(c, s) ==> cap_obj[c][s] != obj) &&
    (cspace_emptied: \old(frame_type[obj]) == OT_CSPACE ==>
      \forall integer s; 0 <= s < NSLOTS ==> cap_type[obj][s] == OT_FREE) &&
    (revoked_links: \forall integer w; 0 <= w < NFRAMES &&
      frame_type[w] == OT_FORWARDER && fw_valid(w) ==>
      fw_obj[w] != obj) &&
    (only_this_frame: \forall integer g; 0 <= g < NFRAMES && g != obj ==>
      frame_type[g] == \old(frame_type[g]) && frame_gen[g] == \old(frame_gen[g])) &&
    (accounting_path: \forall integer a; 0 <= a < NFRAMES &&
      \old(in_subtree(frame_owner[obj], a)) ==> c_usage[a] == \old(c_usage[a]) - 1) &&
    (accounting_others: \forall integer a; 0 <= a < NFRAMES &&
      !\old(in_subtree(frame_owner[obj], a)) ==> c_usage[a] == \old(c_usage[a]));
*/
static void obj_destroy(uint32_t obj)
{
  uint32_t owner = frame_owner[obj];
  /*@ ghost sums_include(owner, obj); */
  /*@ ghost path_usage_ge(owner, 1); */
  uncharge(owner, 1);
  if (frame_type[obj] == OT_CSPACE)
    cspace_clear(obj);
  frame_release(obj);
  /*@ assert same_containers: \forall integer x; 0 <= x < NFRAMES ==>
        (is_container(x) <==> \at(is_container(x), Pre)); */
  /*@ assert frames: frames_wf; */
  /*@ assert conts: containers_wf; */
  /*@ assert paths: paths_wf; */
  /*@ assert caps: caps_wf; */
  /*@ assert fws: fws_wf; */
  /* The accounting equation again: the owner lost one own frame, and its
   * proper ancestors one unit of usage from their children. */
  /*@ assert own_ok: \forall integer x; is_container(x) ==>
        c_own[x] == own_count(x, NFRAMES); */
  /*@ assert usage_owner: c_usage[owner] == c_own[owner] + child_sum(owner, NFRAMES); */
  /*@ assert usage_anc: \forall integer x; is_container(x) && proper_anc(owner, x) ==>
        c_usage[x] == c_own[x] + child_sum(x, NFRAMES); */
  /*@ assert usage_rest: \forall integer x; is_container(x) && !in_subtree(owner, x) ==>
        c_usage[x] == c_own[x] + child_sum(x, NFRAMES); */
  /*@ assert acct: acct_wf; */
}

/* spec: obj_free. Destroy one (non-container) object allocated from the
 * subtree of the container in cont_slot (obj_destroy says what that does).
 * Guards in order: lookup(cont_slot, CONTAINER, write); lookup(obj_slot,
 * any type); not a container (E_WRONG_TYPE: container_destroy does that)
 * nor a device page (E_WRONG_TYPE: device memory is not RAM and is never
 * given back); owned inside cont's subtree (E_NOT_OWNER). */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  requires epq: epq_wf;
  assigns frame_type[0 .. NFRAMES-1], frame_gen[0 .. NFRAMES-1],
          c_usage[0 .. NFRAMES-1], c_own[0 .. NFRAMES-1],
          ep_recv[0 .. NFRAMES-1], ep_nosend[0 .. NFRAMES-1],
          cap_type[cap_obj[cs][obj_slot]][0 .. NSLOTS-1],
          cap_obj[cap_obj[cs][obj_slot]][0 .. NSLOTS-1],
          cap_gen[cap_obj[cs][obj_slot]][0 .. NSLOTS-1],
          cap_read[cap_obj[cs][obj_slot]][0 .. NSLOTS-1],
          cap_write[cap_obj[cs][obj_slot]][0 .. NSLOTS-1],
          cap_grant[cap_obj[cs][obj_slot]][0 .. NSLOTS-1],
          cap_badge[cap_obj[cs][obj_slot]][0 .. NSLOTS-1], f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures inv: Inv && epq_wf;
  ensures refused: \result != E_OK ==> free_kept{Pre, Here}(\old(cap_obj[cs][obj_slot]));
  behavior bad_cont:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1));
  behavior bad_obj:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, obj_slot, OT_FREE, 0, 0) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, obj_slot, OT_FREE, 0, 0));
  behavior not_freeable:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, obj_slot, OT_FREE, 0, 0) == E_OK;
    assumes cap_type[cs][obj_slot] == OT_CONTAINER ||
            cap_type[cs][obj_slot] == OT_DEVICE;
    assigns \nothing;
    ensures \result == E_WRONG_TYPE;
  behavior not_owner:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, obj_slot, OT_FREE, 0, 0) == E_OK;
    assumes cap_type[cs][obj_slot] != OT_CONTAINER &&
            cap_type[cs][obj_slot] != OT_DEVICE;
    assumes !in_subtree(frame_owner[cap_obj[cs][obj_slot]], cap_obj[cs][cont_slot]);
    assigns \nothing;
    ensures \result == E_NOT_OWNER;
  behavior ok:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, obj_slot, OT_FREE, 0, 0) == E_OK;
    assumes cap_type[cs][obj_slot] != OT_CONTAINER &&
            cap_type[cs][obj_slot] != OT_DEVICE;
    assumes in_subtree(frame_owner[cap_obj[cs][obj_slot]], cap_obj[cs][cont_slot]);
    // one clause, one goal (proofs/README.md: "One goal per group")
    ensures ok:
      (\result == E_OK) &&
      (freed: frame_type[\old(cap_obj[cs][obj_slot])] == OT_FREE ||
        frame_type[\old(cap_obj[cs][obj_slot])] == OT_RETIRED) &&
      (bumped: frame_gen[\old(cap_obj[cs][obj_slot])] ==
        \old(frame_gen[cap_obj[cs][obj_slot]]) + 1) &&
      (revoked: \forall integer c, s; is_cspace(c) && 0 <= s < NSLOTS &&
        cap_valid(c, s) ==> cap_obj[c][s] != \old(cap_obj[cs][obj_slot])) &&
      (cspace_emptied: \old(cap_type[cs][obj_slot]) == OT_CSPACE ==>
        \forall integer s; 0 <= s < NSLOTS ==>
        cap_type[\old(cap_obj[cs][obj_slot])][s] == OT_FREE) &&
      (revoked_links: \forall integer w; 0 <= w < NFRAMES &&
      frame_type[w] == OT_FORWARDER && fw_valid(w) ==>
        fw_obj[w] != \old(cap_obj[cs][obj_slot])) &&
      (only_this_frame: \forall integer g; 0 <= g < NFRAMES &&
        g != \old(cap_obj[cs][obj_slot]) ==>
        frame_type[g] == \old(frame_type[g]) && frame_gen[g] == \old(frame_gen[g])) &&
      (accounting_path: \forall integer a; 0 <= a < NFRAMES &&
        \old(in_subtree(frame_owner[cap_obj[cs][obj_slot]], a)) ==>
        c_usage[a] == \old(c_usage[a]) - 1) &&
      (accounting_others: \forall integer a; 0 <= a < NFRAMES &&
        !\old(in_subtree(frame_owner[cap_obj[cs][obj_slot]], a)) ==>
        c_usage[a] == \old(c_usage[a]));
  complete behaviors;
  disjoint behaviors;
*/
kerr_t obj_free(uint32_t cs, uint32_t cont_slot, uint32_t obj_slot)
{
  uint32_t cont, obj, owner;
  kerr_t e = cap_lookup(cs, cont_slot, OT_CONTAINER, 0, 1);
  if (e != E_OK)
    return e;
  e = cap_lookup(cs, obj_slot, OT_FREE, 0, 0);
  if (e != E_OK)
    return e;
  /* a container goes with container_destroy; a device page never goes */
  if (cap_type[cs][obj_slot] == OT_CONTAINER || cap_type[cs][obj_slot] == OT_DEVICE)
    return E_WRONG_TYPE;
  cont = cap_obj[cs][cont_slot];
  obj = cap_obj[cs][obj_slot];
  owner = frame_owner[obj];
  if (!(c_depth(owner) >= c_depth(cont) && c_anc(owner, c_depth(cont)) == cont))
    return E_NOT_OWNER;
  /* commit point: every guard passed, nothing below can fail */
  /*@ assert live_object: live(obj) && frame_type[obj] != OT_CONTAINER; */
  obj_destroy(obj);
  return E_OK;
}

/* Ghost lemma: destroying t kills exactly t's subtree of containers (a
 * fact about one state, proved here on its own so that subtree_free's
 * proof need not redo it in its much larger context). */
/*@ ghost
  /@ requires sizes: SIZES_OK;
     requires containers_wf && paths_wf && is_container(t);
     assigns \nothing;
     ensures doomed_in_subtree: \forall integer a; is_container(a) &&
       doomed{Here}(a, t) ==> in_subtree(a, t);
     ensures subtree_doomed: \forall integer c; is_container(c) &&
       in_subtree(c, t) ==> doomed{Here}(c, t);
     ensures anc_in_subtree: \forall integer c, d; is_container(c) &&
       0 <= d <= c_depth[c] && in_subtree(c_anc[c][d], t) ==> in_subtree(c, t); @/
  void doomed_is_subtree(uint32_t t)
  {
  }
*/

/* Free every frame that destroying container t takes with it: t itself and
 * every live frame owned by a container of t's subtree (which covers the
 * subtree's containers, owned by their parents). Bound: one pass over
 * the frames below f_hi (none above it holds an object: fhi_wf), O(1)
 * work each. Whether frame f goes is decided
 * from tables the pass does not write (frame_owner, c_depth, c_anc) and
 * from frame_type[f], which only step f writes, so the pass sees the
 * starting state. The slots of a destroyed capability space are left as
 * they are: a dead cspace is unreachable (every operation requires a live
 * one) and obj_alloc empties a cspace frame when it reuses it. */
/*@
  requires sizes: SIZES_OK;
  requires fhi: fhi_wf;
  requires shape_wf;
  requires is_container(t) && c_depth[t] > 0;
  requires own_ok: \forall integer x; is_container(x) ==>
    c_own[x] == own_count(x, NFRAMES);
  requires epq: epq_wf;
  assigns frame_type[0 .. NFRAMES-1], frame_gen[0 .. NFRAMES-1],
          c_own[0 .. NFRAMES-1], ep_recv[0 .. NFRAMES-1],
          ep_nosend[0 .. NFRAMES-1], f_lo;
  ensures fhi: fhi_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  // one clause, one goal (proofs/README.md: "One goal per group")
  ensures post:
    (epq: epq_wf) &&
    (paths: paths_wf) &&
    (caps: caps_wf) &&
    (fws: fws_wf) &&
    (freed: \forall integer g; 0 <= g < NFRAMES && doomed{Pre}(g, t) ==>
      (frame_type[g] == OT_FREE || frame_type[g] == OT_RETIRED) &&
      frame_gen[g] == \old(frame_gen[g]) + 1) &&
    (kept: \forall integer g; 0 <= g < NFRAMES && !doomed{Pre}(g, t) ==>
      frame_type[g] == \old(frame_type[g]) && frame_gen[g] == \old(frame_gen[g])) &&
    (own_ok: \forall integer x; \old(is_container(x)) ==>
      c_own[x] == own_count(x, NFRAMES)) &&
    (own_count: \forall integer x; \old(is_container(x)) &&
      !\old(in_subtree(x, t)) ==> own_count(x, NFRAMES) ==
      \old(own_count(x, NFRAMES)) - (x == frame_owner[t] ? 1 : 0)) &&
    (child_sum: \forall integer x; \old(is_container(x)) &&
      !\old(in_subtree(x, t)) ==> child_sum(x, NFRAMES) ==
      \old(child_sum(x, NFRAMES)) - (x == frame_owner[t] ? c_usage[t] : 0));
  ensures frames: frames_wf;
  ensures conts: containers_wf;
*/
static void subtree_free(uint32_t t)
{
  uint32_t f;
  /*@ ghost doomed_is_subtree(t); */
  /*@
    loop invariant 0 <= f <= f_hi;
    loop invariant fhi: fhi_wf;
    loop invariant hi: \at(hi_wf, Pre) ==> hi_wf;
    loop invariant flo: \at(flo_wf, Pre) ==> flo_wf;
    loop invariant done: \forall integer g; 0 <= g < f && doomed{Pre}(g, t) ==>
      (frame_type[g] == OT_FREE || frame_type[g] == OT_RETIRED) &&
      frame_gen[g] == \at(frame_gen[g], Pre) + 1 &&
      (frame_type[g] == OT_RETIRED <==> frame_gen[g] == GEN_MAX);
    loop invariant kept: \forall integer g; 0 <= g < NFRAMES &&
      !(g < f && doomed{Pre}(g, t)) ==>
      frame_type[g] == \at(frame_type[g], Pre) &&
      frame_gen[g] == \at(frame_gen[g], Pre);
    loop invariant own_ok: \forall integer x; \at(is_container(x), Pre) ==>
      c_own[x] == own_count(x, NFRAMES);
    loop invariant epq: epq_wf;
    loop invariant own_count: \forall integer x; \at(is_container(x), Pre) &&
      !\at(in_subtree(x, t), Pre) ==> own_count(x, NFRAMES) ==
      \at(own_count(x, NFRAMES), Pre) - ((x == frame_owner[t] && t < f) ? 1 : 0);
    loop invariant child_sum: \forall integer x; \at(is_container(x), Pre) &&
      !\at(in_subtree(x, t), Pre) ==> child_sum(x, NFRAMES) ==
      \at(child_sum(x, NFRAMES), Pre) -
      ((x == frame_owner[t] && t < f) ? c_usage[t] : 0);
    loop assigns f, frame_type[0 .. NFRAMES-1], frame_gen[0 .. NFRAMES-1],
      c_own[0 .. NFRAMES-1], ep_recv[0 .. NFRAMES-1], ep_nosend[0 .. NFRAMES-1], f_lo;
    loop variant f_hi - f;
  */
  for (f = 0; f < f_hi; f++) {
    uint32_t o = frame_owner[f];
    if (frame_type[f] != OT_FREE && frame_type[f] != OT_RETIRED &&
        (f == t || (c_depth(o) >= c_depth(t) && c_anc(o, c_depth(t)) == t))) {
      /*@ assert doomed{Pre}(f, t); */
      /*@ assert f == t || in_subtree(frame_owner[f], t); */
      frame_release(f);
    }
  }
  /* Why no container outside t's subtree loses an ancestor: */
  /*@ assert doomed_in_subtree: \forall integer a; \at(is_container(a), Pre) &&
        doomed{Pre}(a, t) ==> in_subtree(a, t); */
  /*@ assert subtree_doomed: \forall integer c; \at(is_container(c), Pre) &&
        in_subtree(c, t) ==> doomed{Pre}(c, t); */
  /*@ assert anc_in_subtree: \forall integer c, d; \at(is_container(c), Pre) &&
        0 <= d <= c_depth[c] && in_subtree(c_anc[c][d], t) ==> in_subtree(c, t); */
  /*@ assert anc_live: \forall integer c, d; is_container(c) &&
        0 <= d <= c_depth[c] ==> is_container(c_anc[c][d]); */
}

/* The commit of container_destroy: t (a container, not the root) dies
 * with its whole subtree, and every object allocated from any of them
 * (subtree_free); t's parent path is uncharged usage(t) + 1 frames. Nothing
 * here can fail. (Split from the guards so that WP proves these effects
 * without the guard paths in every goal: proofs/README.md.) */
/*@
  requires sizes: SIZES_OK;
  requires fhi: fhi_wf;
  requires Inv;
  requires epq: epq_wf;
  requires is_container(t) && c_depth[t] > 0;
  assigns frame_type[0 .. NFRAMES-1], frame_gen[0 .. NFRAMES-1],
          c_usage[0 .. NFRAMES-1], c_own[0 .. NFRAMES-1],
          ep_recv[0 .. NFRAMES-1], ep_nosend[0 .. NFRAMES-1], f_lo;
  ensures fhi: fhi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  // one clause, one goal (proofs/README.md: "One goal per group")
  ensures post:
    (inv: Inv) &&
    (epq: epq_wf) &&
    (frames_returned: \forall integer g; 0 <= g < NFRAMES &&
      doomed{Pre}(g, t) ==> frame_type[g] == OT_FREE || frame_type[g] == OT_RETIRED) &&
    (revoked: \forall integer c, s; is_cspace(c) && 0 <= s < NSLOTS &&
      cap_valid(c, s) ==> !doomed{Pre}(cap_obj[c][s], t)) &&
    (revoked_links: \forall integer w; 0 <= w < NFRAMES &&
      frame_type[w] == OT_FORWARDER && fw_valid(w) ==>
      !doomed{Pre}(fw_obj[w], t)) &&
    (no_container_left: \forall integer k; 0 <= k < NFRAMES &&
      \old(is_container(k)) && \old(in_subtree(k, t)) ==> !is_container(k)) &&
    (others_kept: \forall integer g; 0 <= g < NFRAMES &&
      !doomed{Pre}(g, t) ==> frame_type[g] == \old(frame_type[g])) &&
    (accounting_path: \forall integer a; 0 <= a < NFRAMES &&
      \old(in_subtree(frame_owner[t], a)) ==>
      c_usage[a] == \old(c_usage[a]) - (\old(c_usage[t]) + 1)) &&
    (accounting_others: \forall integer a; 0 <= a < NFRAMES &&
      !\old(in_subtree(frame_owner[t], a)) ==> c_usage[a] == \old(c_usage[a]));
*/
static void subtree_destroy(uint32_t t)
{
  uint32_t parent = frame_owner[t];
  /*@ ghost sums_include(parent, t); */
  /*@ ghost path_usage_ge(parent, c_usage[t] + 1u); */
  uncharge(parent, c_usage(t) + 1u);
  subtree_free(t);
  /* The accounting equation again: the survivors are the containers
   * outside t's subtree; t's parent lost one own frame and t's usage from
   * its children, every proper ancestor usage(t) + 1 from its children. */
  /*@ assert survivors_kept: \forall integer x; is_container(x) ==>
        0 <= x < NFRAMES && !doomed{Pre}(x, t) && \at(is_container(x), Pre); */
  /*@ assert survivors: \forall integer x; is_container(x) ==>
        \at(is_container(x), Pre) && !in_subtree(x, t); */
  /*@ assert own_ok: \forall integer x; is_container(x) ==>
        c_own[x] == own_count(x, NFRAMES); */
  /*@ assert usage_parent: c_usage[parent] ==
        c_own[parent] + child_sum(parent, NFRAMES); */
  /*@ assert usage_anc: \forall integer x; is_container(x) && proper_anc(parent, x) ==>
        c_usage[x] == c_own[x] + child_sum(x, NFRAMES); */
  /*@ assert usage_rest: \forall integer x; is_container(x) && !in_subtree(parent, x) ==>
        c_usage[x] == c_own[x] + child_sum(x, NFRAMES); */
  /*@ assert acct: acct_wf; */
}

/* spec: container_destroy. Destroy the container in target_slot (a
 * container of the subtree of the one in cont_slot; not the root) with its
 * whole subtree: every object allocated from any of them dies (generation
 * bumped) and its frame is free again. The target's parent path is
 * uncharged usage(target) + 1 frames (the subtree's frames and the target's
 * own frame), the parent's own count by 1. */
/*@
  requires sizes: SIZES_OK;
  requires fhi: fhi_wf;
  requires Inv;
  requires is_cspace(cs);
  requires epq: epq_wf;
  ensures epq: epq_wf;
  assigns frame_type[0 .. NFRAMES-1], frame_gen[0 .. NFRAMES-1],
          c_usage[0 .. NFRAMES-1], c_own[0 .. NFRAMES-1],
          ep_recv[0 .. NFRAMES-1], ep_nosend[0 .. NFRAMES-1], f_lo;
  ensures fhi: fhi_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures inv: Inv;
  behavior bad_cont:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1));
  behavior bad_target:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, target_slot, OT_CONTAINER, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, target_slot, OT_CONTAINER, 0, 1));
  behavior root:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, target_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes c_depth[cap_obj[cs][target_slot]] == 0;
    assigns \nothing;
    ensures \result == E_ROOT;
  behavior not_owner:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, target_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes c_depth[cap_obj[cs][target_slot]] != 0;
    assumes !in_subtree(cap_obj[cs][target_slot], cap_obj[cs][cont_slot]);
    assigns \nothing;
    ensures \result == E_NOT_OWNER;
  behavior ok:
    assumes lookup_err(cs, cont_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes lookup_err(cs, target_slot, OT_CONTAINER, 0, 1) == E_OK;
    assumes c_depth[cap_obj[cs][target_slot]] != 0;
    assumes in_subtree(cap_obj[cs][target_slot], cap_obj[cs][cont_slot]);
    // one clause, one goal (proofs/README.md: "One goal per group")
    ensures ok:
      (\result == E_OK) &&
      (frames_returned: \forall integer g; 0 <= g < NFRAMES &&
        doomed{Pre}(g, \at(cap_obj[cs][target_slot], Pre)) ==>
        frame_type[g] == OT_FREE || frame_type[g] == OT_RETIRED) &&
      (revoked: \forall integer c, s; is_cspace(c) && 0 <= s < NSLOTS &&
        cap_valid(c, s) ==> !doomed{Pre}(cap_obj[c][s], \at(cap_obj[cs][target_slot], Pre))) &&
      (revoked_links: \forall integer w; 0 <= w < NFRAMES &&
      frame_type[w] == OT_FORWARDER && fw_valid(w) ==>
        !doomed{Pre}(fw_obj[w], \at(cap_obj[cs][target_slot], Pre))) &&
      (no_container_left: \forall integer k; 0 <= k < NFRAMES &&
        \old(is_container(k)) &&
        \old(in_subtree(k, cap_obj[cs][target_slot])) ==> !is_container(k)) &&
      (others_kept: \forall integer g; 0 <= g < NFRAMES &&
        !doomed{Pre}(g, \at(cap_obj[cs][target_slot], Pre)) ==>
        frame_type[g] == \old(frame_type[g])) &&
      (accounting_path: \forall integer a; 0 <= a < NFRAMES &&
        \old(in_subtree(frame_owner[cap_obj[cs][target_slot]], a)) ==>
        c_usage[a] == \old(c_usage[a]) - (\old(c_usage[cap_obj[cs][target_slot]]) + 1)) &&
      (accounting_others: \forall integer a; 0 <= a < NFRAMES &&
        !\old(in_subtree(frame_owner[cap_obj[cs][target_slot]], a)) ==>
        c_usage[a] == \old(c_usage[a]));
  complete behaviors;
  disjoint behaviors;
*/
kerr_t container_destroy(uint32_t cs, uint32_t cont_slot, uint32_t target_slot)
{
  uint32_t cont, t;
  kerr_t e = cap_lookup(cs, cont_slot, OT_CONTAINER, 0, 1);
  if (e != E_OK)
    return e;
  e = cap_lookup(cs, target_slot, OT_CONTAINER, 0, 1);
  if (e != E_OK)
    return e;
  cont = cap_obj[cs][cont_slot];
  t = cap_obj[cs][target_slot];
  if (c_depth(t) == 0)
    return E_ROOT;
  if (!(c_depth(t) >= c_depth(cont) && c_anc(t, c_depth(cont)) == cont))
    return E_NOT_OWNER;
  /* commit point: every guard passed, nothing below can fail */
  subtree_destroy(t);
  return E_OK;
}

/* spec: container_info. The limit and usage of the container in slot. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  assigns \nothing;
  ensures inv: Inv;
  behavior bad_slot:
    assumes lookup_err(cs, slot, OT_CONTAINER, 1, 0) != E_OK;
    ensures \result.err == lookup_err(cs, slot, OT_CONTAINER, 1, 0);
    ensures \result.limit == 0 && \result.usage == 0;
  behavior ok:
    assumes lookup_err(cs, slot, OT_CONTAINER, 1, 0) == E_OK;
    ensures \result.err == E_OK;
    ensures \result.limit == c_limit[cap_obj[cs][slot]];
    ensures \result.usage == c_usage[cap_obj[cs][slot]];
    ensures \result.usage <= \result.limit;
  complete behaviors;
  disjoint behaviors;
*/
struct info_ret container_info(uint32_t cs, uint32_t slot)
{
  struct info_ret ret = { E_OK, 0, 0 };
  kerr_t e = cap_lookup(cs, slot, OT_CONTAINER, 1, 0);
  if (e != E_OK) {
    ret.err = e;
    return ret;
  }
  ret.limit = c_limit(cap_obj[cs][slot]);
  ret.usage = c_usage(cap_obj[cs][slot]);
  return ret;
}
