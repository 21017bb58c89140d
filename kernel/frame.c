/* frame.c: the frame table. Lowest-free allocation, and the end of an
 * object's life: generation bump (or retirement at GEN_MAX). */
#include "core.h"
#include "internal.h"
#include "proc.h"      /* the queue indices (epq_wf) */

uint32_t f_hi;         /* state.h */
uint32_t f_lo;         /* state.h */

/* Find the lowest-index OT_FREE frame (MODEL.md: the spec and the code
 * allocate the same frame). Returns NFRAMES when none is free. Bound: one
 * pass over the frames below the lowest free one (at most f_hi + 1). */
/*@
  requires sizes: SIZES_OK;
  requires frames_wf;
  requires flo: flo_wf;
  assigns \nothing;
  ensures range: \result <= NFRAMES;
  ensures lowest: \forall integer f; 0 <= f < \result ==> frame_type[f] != OT_FREE;
  ensures lowest_free: \result == lowest_free_from(0);
  behavior found:
    assumes \exists integer f; 0 <= f < NFRAMES && frame_type[f] == OT_FREE;
    ensures \result < NFRAMES && frame_type[\result] == OT_FREE;
  behavior none:
    assumes \forall integer f; 0 <= f < NFRAMES ==> frame_type[f] != OT_FREE;
    ensures \result == NFRAMES;
  complete behaviors;
  disjoint behaviors;
*/
uint32_t frame_find_free(void)
{
  uint32_t f;
  /*@ ghost uint32_t k; */
  /* The frames below f_lo are in use (flo_wf), so the lowest free frame
   * from 0 is the lowest from f_lo: one frame at a time, as the provers
   * do no induction. */
  /*@ ghost
    /@ loop invariant 0 <= k <= f_lo;
       loop invariant lowest_free_from(0) == lowest_free_from(k);
       loop assigns k;
       loop variant f_lo - k; @/
    for (k = 0; k < f_lo; k++) ;
  */
  f = frame_free_from(f_lo);
  return f;
}

/* The lowest free frame at or above `from`, NFRAMES if none (from f_lo:
 * frame_find_free; above a frame just found: vs_map's page tables). */
/*@
  requires sizes: SIZES_OK;
  requires from <= NFRAMES;
  assigns \nothing;
  ensures range: from <= \result <= NFRAMES;
  ensures lowest: \forall integer g; from <= g < \result ==> frame_type[g] != OT_FREE;
  ensures lowest_free: \result == lowest_free_from(from);
  ensures free: \result < NFRAMES ==> frame_type[\result] == OT_FREE;
*/
uint32_t frame_free_from(uint32_t from)
{
  uint32_t f;
  /*@
    loop invariant from <= f <= NFRAMES;
    loop invariant \forall integer g; from <= g < f ==> frame_type[g] != OT_FREE;
    loop invariant lowest_free_from(from) == lowest_free_from(f);
    loop assigns f;
    loop variant NFRAMES - f;
  */
  for (f = from; f < NFRAMES; f++)
    if (frame_type[f] == OT_FREE)
      return f;
  return NFRAMES;
}

/* Empty every slot of capability space `cs` (all fields zero): a new cspace
 * starts empty, a freed one loses all its capabilities. Through each
 * field's row (its address taken once): a store an instruction, about 8
 * a slot, where indexing the two-dimensional fields took 20 (a spawn
 * makes two cspaces, docs/BENCHMARKS.md). */
/*@
  requires sizes: SIZES_OK;
  requires cs < NFRAMES;
  assigns cap_type[cs][0 .. NSLOTS-1], cap_obj[cs][0 .. NSLOTS-1],
          cap_gen[cs][0 .. NSLOTS-1], cap_read[cs][0 .. NSLOTS-1],
          cap_write[cs][0 .. NSLOTS-1], cap_grant[cs][0 .. NSLOTS-1],
          cap_badge[cs][0 .. NSLOTS-1];
  ensures emptied: \forall integer s; 0 <= s < NSLOTS ==>
    cap_type[cs][s] == OT_FREE && cap_obj[cs][s] == 0 && cap_gen[cs][s] == 0 &&
    cap_read[cs][s] == 0 && cap_write[cs][s] == 0 && cap_grant[cs][s] == 0 &&
    cap_badge[cs][s] == 0;
*/
void cspace_clear(uint32_t cs)
{
  uint8_t *type = cap_type[cs], *rd = cap_read[cs], *wr = cap_write[cs], *gr = cap_grant[cs];
  uint32_t *obj = cap_obj[cs], *gen = cap_gen[cs];
  uint64_t *badge = cap_badge[cs];
  uint64_t s;
  /*@
    loop invariant 0 <= s <= NSLOTS && s % 2 == 0;
    loop invariant type: \forall integer t; 0 <= t < s ==> cap_type[cs][t] == OT_FREE;
    loop invariant obj: \forall integer t; 0 <= t < s ==> cap_obj[cs][t] == 0;
    loop invariant gen: \forall integer t; 0 <= t < s ==> cap_gen[cs][t] == 0;
    loop invariant read: \forall integer t; 0 <= t < s ==> cap_read[cs][t] == 0;
    loop invariant write: \forall integer t; 0 <= t < s ==> cap_write[cs][t] == 0;
    loop invariant grant: \forall integer t; 0 <= t < s ==> cap_grant[cs][t] == 0;
    loop invariant badge: \forall integer t; 0 <= t < s ==> cap_badge[cs][t] == 0;
    loop assigns s, cap_type[cs][0 .. NSLOTS-1], cap_obj[cs][0 .. NSLOTS-1],
          cap_gen[cs][0 .. NSLOTS-1], cap_read[cs][0 .. NSLOTS-1],
          cap_write[cs][0 .. NSLOTS-1], cap_grant[cs][0 .. NSLOTS-1],
          cap_badge[cs][0 .. NSLOTS-1];
    loop variant NSLOTS - s;
  */
  for (s = 0; s < NSLOTS; s += 2) {
    type[s] = OT_FREE; obj[s] = 0; gen[s] = 0; rd[s] = 0; wr[s] = 0; gr[s] = 0; badge[s] = 0;
    type[s + 1] = OT_FREE; obj[s + 1] = 0; gen[s + 1] = 0; rd[s + 1] = 0; wr[s + 1] = 0;
    gr[s + 1] = 0; badge[s + 1] = 0;
  }
}

/* Empty one slot: every field back to zero (type OT_FREE). */
/*@
  requires sizes: SIZES_OK;
  requires cs < NFRAMES && s < NSLOTS;
  assigns cap_type[cs][s], cap_obj[cs][s], cap_gen[cs][s], cap_read[cs][s],
          cap_write[cs][s], cap_grant[cs][s], cap_badge[cs][s];
  ensures cap_type[cs][s] == OT_FREE && cap_obj[cs][s] == 0 &&
          cap_gen[cs][s] == 0 && cap_read[cs][s] == 0 &&
          cap_write[cs][s] == 0 && cap_grant[cs][s] == 0 &&
          cap_badge[cs][s] == 0;
*/
inline void slot_clear(uint32_t cs, uint64_t s)
{
  cap_type[cs][s] = OT_FREE;
  cap_obj[cs][s] = 0;
  cap_gen[cs][s] = 0;
  cap_read[cs][s] = 0;
  cap_write[cs][s] = 0;
  cap_grant[cs][s] = 0;
  cap_badge[cs][s] = 0;
}

/* Give free frame f to a new object of `type` paid for by container c:
 * owner, type, and c's own count; a new container starts with zero
 * counters. The caller has charged c's path (charge) and sets up the
 * object's other fields. The ghost loop carries the two accounting sums
 * across the one changed frame. */
/*@
  requires sizes: SIZES_OK;
  requires frames_wf;
  requires f < NFRAMES && frame_type[f] == OT_FREE;
  requires is_container(c);
  requires OT_FREE < type < OT_RETIRED;
  requires own_ok: c_own[c] == own_count(c, NFRAMES);
  requires epq: epq_wf;
  // a new endpoint's or notification's indices are set up first (its
  // record held anything: in the kernel it is the frame's own memory)
  requires queue_new: type == OT_ENDPOINT || type == OT_NOTIFICATION ==>
    ep_recv[f] == EPQ_UNKNOWN && ep_nosend[f] == 0;
  assigns frame_owner[f], frame_type[f], c_own[c], c_usage[f], c_own[f], f_hi, f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures hi: \old(hi_wf) ==> (type != OT_PROCESS ==> hi_wf) && hi_wf_but(f);
  ensures epq_but: epq_wf_but(f);
  ensures epq: type != OT_PROCESS ==> epq_wf;
  ensures made: frame_type[f] == type && frame_owner[f] == c;
  ensures counters: type == OT_CONTAINER ==> c_usage[f] == 0 && c_own[f] == 0;
  ensures usage: \forall integer x; x != f || type != OT_CONTAINER ==>
    c_usage[x] == \old(c_usage[x]);
  ensures own_other: \forall integer x; x != c && (x != f || type != OT_CONTAINER) ==>
    c_own[x] == \old(c_own[x]);
  ensures own: c_own[c] == \old(c_own[c]) + 1 && c_own[c] <= NFRAMES;
  ensures own_count: \forall integer x; own_count(x, NFRAMES) ==
    \old(own_count(x, NFRAMES)) + (x == c ? 1 : 0);
  ensures child_sum: \forall integer x; child_sum(x, NFRAMES) ==
    \old(child_sum(x, NFRAMES));
  ensures fresh: own_count(f, NFRAMES) == 0 && child_sum(f, NFRAMES) == 0;
*/
void frame_claim(uint32_t f, uint32_t c, uint32_t type)
{
  /*@ ghost uint32_t k; */
  if (type == OT_CONTAINER) {
    c_usage(f) = 0;
    c_own(f) = 0;
  }
  frame_owner[f] = c;
  frame_type[f] = (uint8_t)type;
  if (f >= f_hi)
    f_hi = f + 1u;
  if (f == f_lo)
    f_lo = f + 1u;
  /*@ ghost
    /@ loop invariant 0 <= k <= NFRAMES;
       loop invariant own: \forall integer x; \let kk = k;
         own_count(x, kk) == \at(own_count(x, kk), Pre) + (x == c && f < kk ? 1 : 0);
       loop invariant kids: \forall integer x; \let kk = k;
         child_sum(x, kk) == \at(child_sum(x, kk), Pre);
       loop invariant bound: \let kk = k;
         \at(own_count(c, kk), Pre) <= kk - (f < kk ? 1 : 0);
       loop invariant fresh: own_count(f, k) == 0 && child_sum(f, k) == 0;
       loop assigns k;
       loop variant NFRAMES - k; @/
    for (k = 0; k < NFRAMES; k++) ;
  */
  c_own(c) = c_own(c) + 1u;
}

/* End the life of the object in live frame f: its generation is bumped
 * so every capability to f dies at once; the frame becomes OT_FREE, or
 * OT_RETIRED when the new generation reaches GEN_MAX (never reused, so a
 * generation never wraps); its owner's own count drops by one (the owner
 * may itself have died earlier in the same destroy: proofs/ASSUMPTIONS.md
 * §6). Nothing of f's record is written: once dead, the frame's record
 * means nothing (the invariants speak of a record only while its frame
 * has the type, and frame_claim sets up what the next type needs). Uncharging the
 * owner's path, and emptying a capability space (obj_free), are the
 * caller's job. The ghost loop carries the accounting sums across the
 * one changed frame. */
/*@
  requires sizes: SIZES_OK;
  requires f < NFRAMES;
  requires live(f);
  requires frame_gen[f] < GEN_MAX;
  requires frame_owner[f] < NFRAMES;
  requires own_ok: c_own[frame_owner[f]] == own_count(frame_owner[f], NFRAMES);
  requires epq: epq_wf;
  assigns frame_type[f], frame_gen[f], c_own[frame_owner[f]], f_lo;
  ensures epq: epq_wf;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures frames: \old(frames_wf) && \old(frame_type[f]) != OT_CONTAINER ==>
    frames_wf;
  ensures bumped: frame_gen[f] == \old(frame_gen[f]) + 1;
  // every capability to f dies and stays sound (its generation is now
  // below f's), so the capability invariants hold on
  ensures caps: \old(caps_wf) ==> caps_wf;
  ensures fws: \old(fws_wf) ==> fws_wf;
  ensures dead: frame_type[f] == OT_FREE || frame_type[f] == OT_RETIRED;
  ensures retired: frame_type[f] == OT_RETIRED <==> frame_gen[f] == GEN_MAX;
  ensures own: c_own[frame_owner[f]] == \old(c_own[frame_owner[f]]) - 1;
  ensures own_count: \forall integer x; own_count(x, NFRAMES) ==
    \old(own_count(x, NFRAMES)) - (x == frame_owner[f] ? 1 : 0);
  ensures own_ok_kept: \forall integer x; 0 <= x < NFRAMES &&
    \old(c_own[x]) == \old(own_count(x, NFRAMES)) ==>
    c_own[x] == own_count(x, NFRAMES);
  ensures child_sum: \forall integer x; child_sum(x, NFRAMES) ==
    \old(child_sum(x, NFRAMES)) - ((\old(frame_type[f]) == OT_CONTAINER &&
      f != x && frame_owner[f] == x) ? c_usage[f] : 0);
*/
void frame_release(uint32_t f)
{
  /*@ ghost uint32_t k; */
  uint32_t o = frame_owner[f];
  if (f < f_lo)
    f_lo = f;
  frame_gen[f] = frame_gen[f] + 1u;
  if (frame_gen[f] == GEN_MAX)
    frame_type[f] = OT_RETIRED;
  else
    frame_type[f] = OT_FREE;
  /*@ ghost
    /@ loop invariant 0 <= k <= NFRAMES;
       loop invariant own: \forall integer x; \let kk = k;
         own_count(x, kk) == \at(own_count(x, kk), Pre) - (x == o && f < kk ? 1 : 0);
       loop invariant kids: \forall integer x; \let kk = k;
         child_sum(x, kk) == \at(child_sum(x, kk), Pre) -
         ((\at(frame_type[f], Pre) == OT_CONTAINER && f != x &&
           frame_owner[f] == x && f < kk) ? c_usage[f] : 0);
       loop invariant own_pos: own_count(o, k) >= 0;
       loop assigns k;
       loop variant NFRAMES - k; @/
    for (k = 0; k < NFRAMES; k++) ;
  */
  c_own(o) = c_own(o) - 1u;
}

/* Give the free frame f to a new kernel-held object of `type`, owned by
 * container cont (the caller has charged cont already): kobj_alloc's and
 * proc_create's commit (proc.c), and a new page table's (vspace.c). */
/*@
  requires sizes: SIZES_OK;
  requires shape_wf;
  requires f < NFRAMES && frame_type[f] == OT_FREE;
  requires is_container(cont);
  requires type == OT_PAGETABLE || type == OT_PROCESS || type == OT_FRAME;
  requires own_ok: c_own[cont] == own_count(cont, NFRAMES);
  requires epq: epq_wf;
  ensures epq_but: epq_wf_but(f);
  ensures epq: type != OT_PROCESS ==> epq_wf;
  assigns frame_owner[f], frame_type[f], c_own[cont], c_usage[f], c_own[f], f_hi, f_lo;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures hi: \old(hi_wf) ==> (type != OT_PROCESS ==> hi_wf) && hi_wf_but(f);
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures shape: shape_wf;
  ensures frame_type[f] == type && frame_owner[f] == cont;
  ensures own: c_own[cont] == \old(c_own[cont]) + 1;
  ensures own_count: \forall integer x; own_count(x, NFRAMES) ==
    \old(own_count(x, NFRAMES)) + (x == cont ? 1 : 0);
  ensures child_sum: \forall integer x; child_sum(x, NFRAMES) ==
    \old(child_sum(x, NFRAMES));
  ensures usage_same: \forall integer x; c_usage[x] == \old(c_usage[x]);
*/
void frame_take(uint32_t f, uint32_t cont, uint32_t type)
{
  /*@ assert f != cont; */
  frame_claim(f, cont, type);
  /*@ assert frames_wf; */
  /*@ assert containers_wf; */
  /*@ assert paths_wf; */
}
