/* frame.c: the frame table. Lowest-free allocation, and the end of an
 * object's life: generation bump (or retirement at GEN_MAX). */
#include "core.h"
#include "internal.h"

/* Find the lowest-index OT_FREE frame (MODEL.md: the spec and the code
 * allocate the same frame). Returns NFRAMES when none is free. Bound: one
 * pass over NFRAMES frames. */
/*@
  requires frames_wf;
  assigns \nothing;
  ensures range: \result <= NFRAMES;
  ensures lowest: \forall integer f; 0 <= f < \result ==> frame_type[f] != OT_FREE;
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
  /*@
    loop invariant 0 <= f <= NFRAMES;
    loop invariant \forall integer g; 0 <= g < f ==> frame_type[g] != OT_FREE;
    loop assigns f;
    loop variant NFRAMES - f;
  */
  for (f = 0; f < NFRAMES; f++) {
    if (frame_type[f] == OT_FREE)
      return f;
  }
  return NFRAMES;
}

/* Empty every slot of capability space `cs` (all fields zero): a new cspace
 * starts empty, a freed one loses all its capabilities. */
/*@
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
  uint32_t s;
  /*@
    loop invariant 0 <= s <= NSLOTS;
    loop invariant \forall integer t; 0 <= t < s ==>
      cap_type[cs][t] == OT_FREE && cap_obj[cs][t] == 0 && cap_gen[cs][t] == 0 &&
      cap_read[cs][t] == 0 && cap_write[cs][t] == 0 && cap_grant[cs][t] == 0 &&
      cap_badge[cs][t] == 0;
    loop assigns s, cap_type[cs][0 .. NSLOTS-1], cap_obj[cs][0 .. NSLOTS-1],
          cap_gen[cs][0 .. NSLOTS-1], cap_read[cs][0 .. NSLOTS-1],
          cap_write[cs][0 .. NSLOTS-1], cap_grant[cs][0 .. NSLOTS-1],
          cap_badge[cs][0 .. NSLOTS-1];
    loop variant NSLOTS - s;
  */
  for (s = 0; s < NSLOTS; s++)
    slot_clear(cs, s);
}

/* Empty one slot: every field back to zero (type OT_FREE). */
/*@
  requires cs < NFRAMES && s < NSLOTS;
  assigns cap_type[cs][s], cap_obj[cs][s], cap_gen[cs][s], cap_read[cs][s],
          cap_write[cs][s], cap_grant[cs][s], cap_badge[cs][s];
  ensures cap_type[cs][s] == OT_FREE && cap_obj[cs][s] == 0 &&
          cap_gen[cs][s] == 0 && cap_read[cs][s] == 0 &&
          cap_write[cs][s] == 0 && cap_grant[cs][s] == 0 &&
          cap_badge[cs][s] == 0;
*/
void slot_clear(uint32_t cs, uint32_t s)
{
  cap_type[cs][s] = OT_FREE;
  cap_obj[cs][s] = 0;
  cap_gen[cs][s] = 0;
  cap_read[cs][s] = 0;
  cap_write[cs][s] = 0;
  cap_grant[cs][s] = 0;
  cap_badge[cs][s] = 0;
}

/* End the life of the object in live frame f: its generation is bumped
 * so every capability to f dies at once; the frame becomes OT_FREE, or
 * OT_RETIRED when the new generation reaches GEN_MAX (never reused, so a
 * generation never wraps). Accounting, and emptying a capability space
 * (obj_free), are the caller's job. */
/*@
  requires f < NFRAMES;
  requires frame_type[f] != OT_RETIRED;
  requires frame_gen[f] < GEN_MAX;
  assigns frame_type[f], frame_gen[f];
  ensures bumped: frame_gen[f] == \old(frame_gen[f]) + 1;
  ensures dead: frame_type[f] == OT_FREE || frame_type[f] == OT_RETIRED;
  ensures retired: frame_type[f] == OT_RETIRED <==> frame_gen[f] == GEN_MAX;
*/
void frame_kill(uint32_t f)
{
  frame_gen[f] = frame_gen[f] + 1u;
  if (frame_gen[f] == GEN_MAX)
    frame_type[f] = OT_RETIRED;
  else
    frame_type[f] = OT_FREE;
}
