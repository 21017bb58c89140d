/* init.c: the boot state of the kernel core. */
#include "core.h"
#include "internal.h"
#include "proc.h"

/* Reset frame f's per-frame fields to "free, generation 0". (The records
 * of objects, in their frames' own memory in the kernel, are meaningful
 * only while the frame has their type: each is set when a frame becomes
 * one, so boot leaves them as RAM holds them.) */
/*@
  requires sizes: SIZES_OK;
  requires f < NFRAMES;
  assigns frame_type[f], frame_owner[f], frame_gen[f];
  ensures frame_type[f] == OT_FREE && frame_gen[f] == 0 && frame_owner[f] == 0;
*/
static void frame_reset(uint32_t f)
{
  frame_type[f] = OT_FREE;
  frame_owner[f] = 0;
  frame_gen[f] = 0;
}

/* spec: kernel_init. Boot state: every frame free; r the root container
 * (depth 0, limit NFRAMES, owning itself and cs); cs a capability space
 * whose slot 0 holds a capability to r and slot 1 one to cs, all rights,
 * every other slot empty. */
/*@
  requires sizes: SIZES_OK;
  requires r < NFRAMES && cs < NFRAMES && r != cs;
  assigns frame_type[0 .. NFRAMES-1], frame_owner[0 .. NFRAMES-1],
          frame_gen[0 .. NFRAMES-1], c_limit[r], c_usage[r], c_own[r],
          c_depth[r], c_anc[r][0],
          cap_type[cs][0 .. NSLOTS-1], cap_obj[cs][0 .. NSLOTS-1],
          cap_gen[cs][0 .. NSLOTS-1], cap_read[cs][0 .. NSLOTS-1],
          cap_write[cs][0 .. NSLOTS-1], cap_grant[cs][0 .. NSLOTS-1],
          cap_badge[cs][0 .. NSLOTS-1], f_hi, f_lo;
  ensures inv: Inv;
  ensures fhi: fhi_wf;
  // no frame is a process: the scans' bound and the queue indices hold
  // whatever p_hi and the records hold
  ensures hi: p_hi <= NFRAMES ==> hi_wf;
  ensures epq: epq_wf;
  ensures flo: flo_wf;
  ensures root: is_container(r) && c_depth[r] == 0 && c_limit[r] == NFRAMES &&
    c_usage[r] == 2 && c_own[r] == 2 && frame_owner[r] == r;
  ensures root_cspace: is_cspace(cs) && frame_owner[cs] == r;
  ensures caps: cap_valid(cs, 0) && cap_obj[cs][0] == r &&
    cap_valid(cs, 1) && cap_obj[cs][1] == cs;
  ensures rest_empty: \forall integer s; 2 <= s < NSLOTS ==> cap_type[cs][s] == OT_FREE;
  ensures others_free: \forall integer f; 0 <= f < NFRAMES && f != r && f != cs ==>
    frame_type[f] == OT_FREE;
*/
void kernel_init(uint32_t r, uint32_t cs)
{
  uint32_t f;
  /*@ ghost uint32_t k; */
  /*@
    loop invariant 0 <= f <= NFRAMES;
    loop invariant \forall integer g; 0 <= g < f ==>
      frame_type[g] == OT_FREE && frame_gen[g] == 0;
    loop assigns f, frame_type[0 .. NFRAMES-1], frame_owner[0 .. NFRAMES-1],
          frame_gen[0 .. NFRAMES-1];
    loop variant NFRAMES - f;
  */
  for (f = 0; f < NFRAMES; f++)
    frame_reset(f);

  frame_type[r] = OT_CONTAINER;
  frame_owner[r] = r;
  c_limit(r) = NFRAMES;
  c_usage(r) = 2;          /* its own frame and the cspace's */
  c_own(r) = 2;
  c_depth(r) = 0;
  c_anc(r, 0) = r;

  frame_type[cs] = OT_CSPACE;
  frame_owner[cs] = r;
  f_hi = (r > cs ? r : cs) + 1u;
  /* the lowest free frame: 2 if r and cs are frames 0 and 1 (as at
   * boot), 1 if one of them is frame 0, else 0 */
  f_lo = (r != 0 && cs != 0) ? 0u : ((r != 1 && cs != 1) ? 1u : 2u);

  cspace_clear(cs);
  slot_set(cs, 0, OT_CONTAINER, r, frame_gen[r], 1, 1, 1, 0);
  slot_set(cs, 1, OT_CSPACE, cs, frame_gen[cs], 1, 1, 1, 0);
  /* The accounting equation at boot: r pays for itself and cs, and has
   * no children (a loop over the table, as the sums are recursive). */
  /*@ ghost
    /@ loop invariant 0 <= k <= NFRAMES;
       loop invariant own_count(r, k) == (r < k ? 1 : 0) + (cs < k ? 1 : 0);
       loop invariant child_sum(r, k) == 0;
       loop assigns k;
       loop variant NFRAMES - k; @/
    for (k = 0; k < NFRAMES; k++) ;
  */
  /*@ assert acct: acct_wf; */
}
