/* init.c: the boot state of the kernel core. */
#include "core.h"
#include "internal.h"

/* Reset frame f's per-frame, per-container and per-forwarder fields to
 * "free, generation 0". (Capability slots and ancestor paths are only
 * meaningful for live capability spaces and containers; they are set when
 * a frame becomes one.) */
/*@
  requires sizes: SIZES_OK;
  requires f < NFRAMES;
  assigns frame_type[f], frame_owner[f], frame_gen[f], c_limit[f],
          c_usage[f], c_own[f], c_depth[f],
          fw_type[f], fw_obj[f], fw_gen[f], fw_read[f], fw_write[f],
          fw_grant[f], fw_badge[f];
  ensures frame_type[f] == OT_FREE && frame_gen[f] == 0 && frame_owner[f] == 0;
  ensures c_limit[f] == 0 && c_usage[f] == 0 && c_own[f] == 0 && c_depth[f] == 0;
  ensures fw_type[f] == OT_FREE && fw_obj[f] == 0 && fw_gen[f] == 0 &&
          fw_read[f] == 0 && fw_write[f] == 0 && fw_grant[f] == 0 &&
          fw_badge[f] == 0;
*/
static void frame_reset(uint32_t f)
{
  frame_type[f] = OT_FREE;
  frame_owner[f] = 0;
  frame_gen[f] = 0;
  c_limit[f] = 0;
  c_usage[f] = 0;
  c_own[f] = 0;
  c_depth[f] = 0;
  fw_type[f] = OT_FREE;
  fw_obj[f] = 0;
  fw_gen[f] = 0;
  fw_read[f] = 0;
  fw_write[f] = 0;
  fw_grant[f] = 0;
  fw_badge[f] = 0;
}

/* spec: kernel_init. Boot state: every frame free; r the root container
 * (depth 0, limit NFRAMES, owning itself and cs); cs a capability space
 * whose slot 0 holds a capability to r and slot 1 one to cs, all rights,
 * every other slot empty. */
/*@
  requires sizes: SIZES_OK;
  requires r < NFRAMES && cs < NFRAMES && r != cs;
  assigns frame_type[0 .. NFRAMES-1], frame_owner[0 .. NFRAMES-1],
          frame_gen[0 .. NFRAMES-1], c_limit[0 .. NFRAMES-1],
          c_usage[0 .. NFRAMES-1], c_own[0 .. NFRAMES-1],
          c_depth[0 .. NFRAMES-1], c_anc[r][0],
          fw_type[0 .. NFRAMES-1], fw_obj[0 .. NFRAMES-1],
          fw_gen[0 .. NFRAMES-1], fw_read[0 .. NFRAMES-1],
          fw_write[0 .. NFRAMES-1], fw_grant[0 .. NFRAMES-1],
          fw_badge[0 .. NFRAMES-1],
          cap_type[cs][0 .. NSLOTS-1], cap_obj[cs][0 .. NSLOTS-1],
          cap_gen[cs][0 .. NSLOTS-1], cap_read[cs][0 .. NSLOTS-1],
          cap_write[cs][0 .. NSLOTS-1], cap_grant[cs][0 .. NSLOTS-1],
          cap_badge[cs][0 .. NSLOTS-1], f_hi, f_lo;
  ensures inv: Inv;
  ensures fhi: fhi_wf;
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
    loop invariant \forall integer g; 0 <= g < f ==>
      fw_type[g] == OT_FREE && fw_obj[g] == 0 &&
      fw_read[g] == 0 && fw_write[g] == 0 && fw_grant[g] == 0;
    loop assigns f, frame_type[0 .. NFRAMES-1], frame_owner[0 .. NFRAMES-1],
          frame_gen[0 .. NFRAMES-1], c_limit[0 .. NFRAMES-1],
          c_usage[0 .. NFRAMES-1], c_own[0 .. NFRAMES-1],
          c_depth[0 .. NFRAMES-1],
          fw_type[0 .. NFRAMES-1], fw_obj[0 .. NFRAMES-1],
          fw_gen[0 .. NFRAMES-1], fw_read[0 .. NFRAMES-1],
          fw_write[0 .. NFRAMES-1], fw_grant[0 .. NFRAMES-1],
          fw_badge[0 .. NFRAMES-1];
    loop variant NFRAMES - f;
  */
  for (f = 0; f < NFRAMES; f++)
    frame_reset(f);

  frame_type[r] = OT_CONTAINER;
  frame_owner[r] = r;
  c_limit[r] = NFRAMES;
  c_usage[r] = 2;          /* its own frame and the cspace's */
  c_own[r] = 2;
  c_depth[r] = 0;
  c_anc[r][0] = r;

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
