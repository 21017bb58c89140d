/* cap.c: capability lookup and the slot operations (copy, mint, move,
 * delete, identify). Each entry point checks every guard of MODEL.md, in
 * order, before it changes anything. */
#include "core.h"
#include "vspace.h"
#include "internal.h"

/* The standard guard sequence lookup(cs, s, type, rights) of MODEL.md:
 * slot in range, non-empty, generation/type match, the expected type
 * (type == OT_FREE accepts any), the required rights. Reads only. */
/*@
  requires sizes: SIZES_OK;
  requires is_cspace(cs);
  requires caps_wf;
  assigns \nothing;
  ensures \result == lookup_err(cs, s, type, need_read, need_write);
  ensures ok_valid: \result == E_OK ==> s < NSLOTS && cap_valid(cs, s);
*/
kerr_t cap_lookup(uint32_t cs, uint32_t s, uint32_t type,
                  uint32_t need_read, uint32_t need_write)
{
  uint32_t obj;
  if (s >= NSLOTS)
    return E_BAD_SLOT;
  if (cap_type[cs][s] == OT_FREE)
    return E_EMPTY;
  obj = cap_obj[cs][s];
  if (frame_type[obj] != cap_type[cs][s] || frame_gen[obj] != cap_gen[cs][s])
    return E_STALE;
  if (type != OT_FREE && cap_type[cs][s] != type)
    return E_WRONG_TYPE;
  if ((need_read != 0 && cap_read[cs][s] == 0) ||
      (need_write != 0 && cap_write[cs][s] == 0))
    return E_NO_RIGHTS;
  return E_OK;
}

/* The guard sequence free_dst(cs, d): d in range and the slot empty. */
/*@
  requires sizes: SIZES_OK;
  requires cs < NFRAMES;
  assigns \nothing;
  ensures \result == free_dst_err(cs, d);
*/
kerr_t free_dst(uint32_t cs, uint32_t d)
{
  if (d >= NSLOTS)
    return E_BAD_SLOT;
  if (cap_type[cs][d] != OT_FREE)
    return E_OCCUPIED;
  return E_OK;
}

/* One right of an attenuated capability: held only if both inputs hold it. */
/*@
  requires sizes: SIZES_OK;
  assigns \nothing;
  ensures \result <= 1;
  ensures \result == 1 <==> (a != 0 && b != 0);
*/
uint8_t right_and(uint32_t a, uint32_t b)
{
  return (a != 0 && b != 0) ? 1u : 0u;
}

/* Write a whole capability into slot s of cs. */
/*@
  requires sizes: SIZES_OK;
  requires cs < NFRAMES && s < NSLOTS;
  requires type < OT_RETIRED && obj < NFRAMES && r <= 1 && w <= 1 && g <= 1;
  assigns cap_type[cs][s], cap_obj[cs][s], cap_gen[cs][s], cap_read[cs][s],
          cap_write[cs][s], cap_grant[cs][s], cap_badge[cs][s];
  ensures cap_type[cs][s] == type && cap_obj[cs][s] == obj &&
          cap_gen[cs][s] == gen && cap_read[cs][s] == r &&
          cap_write[cs][s] == w && cap_grant[cs][s] == g &&
          cap_badge[cs][s] == badge;
*/
void slot_set(uint32_t cs, uint32_t s, uint32_t type, uint32_t obj,
              uint32_t gen, uint32_t r, uint32_t w, uint32_t g,
              uint64_t badge)
{
  cap_type[cs][s] = (uint8_t)type;
  cap_obj[cs][s] = obj;
  cap_gen[cs][s] = gen;
  cap_read[cs][s] = (uint8_t)r;
  cap_write[cs][s] = (uint8_t)w;
  cap_grant[cs][s] = (uint8_t)g;
  cap_badge[cs][s] = badge;
}

/* slot_set for a running kernel: writing a well-formed capability keeps
 * the invariant. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires cs < NFRAMES && s < NSLOTS;
  requires type < OT_RETIRED && obj < NFRAMES && r <= 1 && w <= 1 && g <= 1;
  requires sound: cap_sound(type, obj, gen);
  assigns cap_type[cs][s], cap_obj[cs][s], cap_gen[cs][s], cap_read[cs][s],
          cap_write[cs][s], cap_grant[cs][s], cap_badge[cs][s];
  ensures inv: Inv;
  ensures cap_type[cs][s] == type && cap_obj[cs][s] == obj &&
          cap_gen[cs][s] == gen && cap_read[cs][s] == r &&
          cap_write[cs][s] == w && cap_grant[cs][s] == g &&
          cap_badge[cs][s] == badge;
*/
void cap_install(uint32_t cs, uint32_t s, uint32_t type, uint32_t obj,
                 uint32_t gen, uint32_t r, uint32_t w, uint32_t g,
                 uint64_t badge)
{
  slot_set(cs, s, type, obj, gen, r, w, g, badge);
}

/* Copy src (in cs) to dst (in dst_cs) with rights src AND (r, w, g) and
 * the same badge; shared by cap_copy and cap_mint once their guards hold.
 * Its assigns clause is the frame condition: nothing but the destination
 * slot changes. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs) && src < NSLOTS && dst_cs < NFRAMES && dst < NSLOTS;
  requires cs != dst_cs || src != dst;
  requires r <= 1 && w <= 1 && g <= 1;
  assigns cap_type[dst_cs][dst], cap_obj[dst_cs][dst], cap_gen[dst_cs][dst],
          cap_read[dst_cs][dst], cap_write[dst_cs][dst],
          cap_grant[dst_cs][dst], cap_badge[dst_cs][dst];
  ensures inv: Inv;
  ensures same_object: cap_type[dst_cs][dst] == cap_type[cs][src] &&
    cap_obj[dst_cs][dst] == cap_obj[cs][src] &&
    cap_gen[dst_cs][dst] == cap_gen[cs][src];
  ensures read: cap_read[dst_cs][dst] == 1 <==> (cap_read[cs][src] == 1 && r == 1);
  ensures write: cap_write[dst_cs][dst] == 1 <==> (cap_write[cs][src] == 1 && w == 1);
  ensures grant: cap_grant[dst_cs][dst] == 1 <==> (cap_grant[cs][src] == 1 && g == 1);
  ensures badge: cap_badge[dst_cs][dst] == badge;
*/
static void slot_copy(uint32_t cs, uint32_t src, uint32_t dst_cs,
                      uint32_t dst, uint32_t r, uint32_t w, uint32_t g,
                      uint64_t badge)
{
  slot_set(dst_cs, dst, cap_type[cs][src], cap_obj[cs][src], cap_gen[cs][src],
           right_and(cap_read[cs][src], r), right_and(cap_write[cs][src], w),
           right_and(cap_grant[cs][src], g), badge);
}

/* spec: cap_copy. COPY semantics: the new capability is co-equal with the
 * source (same object, generation and badge) and independent of it; its
 * rights are the source's AND the requested ones, so they only shrink. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs) && is_cspace(dst_cs);
  assigns cap_type[dst_cs][dst], cap_obj[dst_cs][dst], cap_gen[dst_cs][dst],
          cap_read[dst_cs][dst], cap_write[dst_cs][dst],
          cap_grant[dst_cs][dst], cap_badge[dst_cs][dst];
  ensures inv: Inv;
  // a refusal keeps the destination slot (stated, not only `assigns
  // \nothing`: a caller sees the union of the assigns)
  ensures refused: \result != E_OK ==> slot_kept{Pre, Here}(dst_cs, dst);
  behavior bad_rights:
    assumes r > 1 || w > 1 || g > 1;
    assigns \nothing;
    ensures \result == E_BAD_ARG;
  behavior bad_src:
    assumes r <= 1 && w <= 1 && g <= 1;
    assumes lookup_err(cs, src, OT_FREE, 0, 0) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, src, OT_FREE, 0, 0));
  behavior bad_dst:
    assumes r <= 1 && w <= 1 && g <= 1;
    assumes lookup_err(cs, src, OT_FREE, 0, 0) == E_OK;
    assumes free_dst_err(dst_cs, dst) != E_OK;
    assigns \nothing;
    ensures \result == \old(free_dst_err(dst_cs, dst));
  behavior ok:
    assumes r <= 1 && w <= 1 && g <= 1;
    assumes lookup_err(cs, src, OT_FREE, 0, 0) == E_OK;
    assumes free_dst_err(dst_cs, dst) == E_OK;
    // one clause, one goal (proofs/README.md: "One goal per group")
    ensures ok:
      (\result == E_OK) &&
      (same_object: cap_type[dst_cs][dst] == cap_type[cs][src] &&
        cap_obj[dst_cs][dst] == cap_obj[cs][src] &&
        cap_gen[dst_cs][dst] == cap_gen[cs][src] && cap_valid(dst_cs, dst)) &&
      (rights_subset: cap_read[dst_cs][dst] <= cap_read[cs][src] &&
        cap_write[dst_cs][dst] <= cap_write[cs][src] &&
        cap_grant[dst_cs][dst] <= cap_grant[cs][src]) &&
      (rights_requested: cap_read[dst_cs][dst] <= r &&
        cap_write[dst_cs][dst] <= w && cap_grant[dst_cs][dst] <= g) &&
      (rights_kept: (cap_read[cs][src] == 1 && r == 1 ==> cap_read[dst_cs][dst] == 1) &&
        (cap_write[cs][src] == 1 && w == 1 ==> cap_write[dst_cs][dst] == 1) &&
        (cap_grant[cs][src] == 1 && g == 1 ==> cap_grant[dst_cs][dst] == 1)) &&
      (same_badge: cap_badge[dst_cs][dst] == cap_badge[cs][src]);
  complete behaviors;
  disjoint behaviors;
*/
kerr_t cap_copy(uint32_t cs, uint32_t src, uint32_t dst_cs, uint32_t dst,
                uint32_t r, uint32_t w, uint32_t g)
{
  kerr_t e;
  if (r > 1 || w > 1 || g > 1)
    return E_BAD_ARG;
  e = cap_lookup(cs, src, OT_FREE, 0, 0);
  if (e != E_OK)
    return e;
  e = free_dst(dst_cs, dst);
  if (e != E_OK)
    return e;
  slot_copy(cs, src, dst_cs, dst, r, w, g, cap_badge[cs][src]);
  return E_OK;
}

/* spec: cap_mint. A copy that also brands the new capability with a badge;
 * only an unbadged capability may be minted (a badge is never rewritten). */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs) && is_cspace(dst_cs);
  assigns cap_type[dst_cs][dst], cap_obj[dst_cs][dst], cap_gen[dst_cs][dst],
          cap_read[dst_cs][dst], cap_write[dst_cs][dst],
          cap_grant[dst_cs][dst], cap_badge[dst_cs][dst];
  ensures inv: Inv;
  // a refusal keeps the destination slot (stated, not only `assigns
  // \nothing`: a caller sees the union of the assigns)
  ensures refused: \result != E_OK ==> slot_kept{Pre, Here}(dst_cs, dst);
  behavior bad_rights:
    assumes r > 1 || w > 1 || g > 1;
    assigns \nothing;
    ensures \result == E_BAD_ARG;
  behavior bad_src:
    assumes r <= 1 && w <= 1 && g <= 1;
    assumes lookup_err(cs, src, OT_FREE, 0, 0) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, src, OT_FREE, 0, 0));
  behavior bad_dst:
    assumes r <= 1 && w <= 1 && g <= 1;
    assumes lookup_err(cs, src, OT_FREE, 0, 0) == E_OK;
    assumes free_dst_err(dst_cs, dst) != E_OK;
    assigns \nothing;
    ensures \result == \old(free_dst_err(dst_cs, dst));
  behavior already_badged:
    assumes r <= 1 && w <= 1 && g <= 1;
    assumes lookup_err(cs, src, OT_FREE, 0, 0) == E_OK;
    assumes free_dst_err(dst_cs, dst) == E_OK;
    assumes cap_badge[cs][src] != 0;
    assigns \nothing;
    ensures \result == E_BAD_ARG;
  behavior ok:
    assumes r <= 1 && w <= 1 && g <= 1;
    assumes lookup_err(cs, src, OT_FREE, 0, 0) == E_OK;
    assumes free_dst_err(dst_cs, dst) == E_OK;
    assumes cap_badge[cs][src] == 0;
    ensures \result == E_OK;
    ensures same_object: cap_type[dst_cs][dst] == cap_type[cs][src] &&
      cap_obj[dst_cs][dst] == cap_obj[cs][src] &&
      cap_gen[dst_cs][dst] == cap_gen[cs][src] && cap_valid(dst_cs, dst);
    ensures rights_subset: cap_read[dst_cs][dst] <= cap_read[cs][src] &&
      cap_write[dst_cs][dst] <= cap_write[cs][src] &&
      cap_grant[dst_cs][dst] <= cap_grant[cs][src];
    ensures rights_requested: cap_read[dst_cs][dst] <= r &&
      cap_write[dst_cs][dst] <= w && cap_grant[dst_cs][dst] <= g;
    ensures new_badge: cap_badge[dst_cs][dst] == badge;
    // and no fewer rights: each one both the source and the request give
    ensures rights_kept: (cap_read[cs][src] == 1 && r == 1 ==> cap_read[dst_cs][dst] == 1) &&
      (cap_write[cs][src] == 1 && w == 1 ==> cap_write[dst_cs][dst] == 1) &&
      (cap_grant[cs][src] == 1 && g == 1 ==> cap_grant[dst_cs][dst] == 1);
  complete behaviors;
  disjoint behaviors;
*/
kerr_t cap_mint(uint32_t cs, uint32_t src, uint32_t dst_cs, uint32_t dst,
                uint32_t r, uint32_t w, uint32_t g, uint64_t badge)
{
  kerr_t e;
  if (r > 1 || w > 1 || g > 1)
    return E_BAD_ARG;
  e = cap_lookup(cs, src, OT_FREE, 0, 0);
  if (e != E_OK)
    return e;
  e = free_dst(dst_cs, dst);
  if (e != E_OK)
    return e;
  if (cap_badge[cs][src] != 0)
    return E_BAD_ARG;
  slot_copy(cs, src, dst_cs, dst, r, w, g, badge);
  return E_OK;
}

/* spec: cap_move. The capability goes to dst unchanged; src is emptied. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs) && is_cspace(dst_cs);
  assigns cap_type[dst_cs][dst], cap_obj[dst_cs][dst], cap_gen[dst_cs][dst],
          cap_read[dst_cs][dst], cap_write[dst_cs][dst],
          cap_grant[dst_cs][dst], cap_badge[dst_cs][dst],
          cap_type[cs][src], cap_obj[cs][src], cap_gen[cs][src],
          cap_read[cs][src], cap_write[cs][src],
          cap_grant[cs][src], cap_badge[cs][src],
          cap_mapped[cs][src], cap_mapped[dst_cs][dst],
          m_cs[cap_mapped[cs][src] - 1], m_slot[cap_mapped[cs][src] - 1],
          m_csgen[cap_mapped[cs][src] - 1];
  ensures inv: Inv;
  // a refusal keeps the marks and the record a move rewrites (stated, not
  // only `assigns \nothing`: a caller sees the union of the assigns)
  ensures refused: \result != E_OK ==>
    slot_kept{Pre, Here}(dst_cs, dst) && slot_kept{Pre, Here}(cs, src);
  ensures marks_kept: \result != E_OK ==>
    cap_mapped[cs][src] == \old(cap_mapped[cs][src]) &&
    cap_mapped[dst_cs][dst] == \old(cap_mapped[dst_cs][dst]) &&
    m_cs[\old(cap_mapped[cs][src]) - 1] == \old(m_cs[cap_mapped[cs][src] - 1]) &&
    m_slot[\old(cap_mapped[cs][src]) - 1] == \old(m_slot[cap_mapped[cs][src] - 1]) &&
    m_csgen[\old(cap_mapped[cs][src]) - 1] == \old(m_csgen[cap_mapped[cs][src] - 1]);
  behavior bad_src:
    assumes lookup_err(cs, src, OT_FREE, 0, 0) != E_OK;
    assigns \nothing;
    ensures \result == \old(lookup_err(cs, src, OT_FREE, 0, 0));
  behavior bad_dst:
    assumes lookup_err(cs, src, OT_FREE, 0, 0) == E_OK;
    assumes free_dst_err(dst_cs, dst) != E_OK;
    assigns \nothing;
    ensures \result == \old(free_dst_err(dst_cs, dst));
  behavior ok:
    assumes lookup_err(cs, src, OT_FREE, 0, 0) == E_OK;
    assumes free_dst_err(dst_cs, dst) == E_OK;
    ensures \result == E_OK;
    ensures moved: cap_type[dst_cs][dst] == \old(cap_type[cs][src]) &&
      cap_obj[dst_cs][dst] == \old(cap_obj[cs][src]) &&
      cap_gen[dst_cs][dst] == \old(cap_gen[cs][src]) &&
      cap_read[dst_cs][dst] == \old(cap_read[cs][src]) &&
      cap_write[dst_cs][dst] == \old(cap_write[cs][src]) &&
      cap_grant[dst_cs][dst] == \old(cap_grant[cs][src]) &&
      cap_badge[dst_cs][dst] == \old(cap_badge[cs][src]);
    ensures src_emptied: cap_type[cs][src] == OT_FREE;
    // the mapping made through the capability follows it (vs_follow)
    ensures followed: \forall integer f; 0 <= f < NFRAMES ==>
      \old(slot_maps(cs, src, f)) ==> slot_maps(dst_cs, dst, f);
    ensures src_none: \forall integer f; 0 <= f < NFRAMES ==> !slot_maps(cs, src, f);
    ensures kept: \forall integer f; 0 <= f < NFRAMES && \old(mapping_live(f)) &&
      !(\old(m_cs[f]) == cs && \old(m_slot[f]) == src) &&
      !(\old(m_cs[f]) == dst_cs && \old(m_slot[f]) == dst) ==> mapping_live(f);
  complete behaviors;
  disjoint behaviors;
*/
kerr_t cap_move(uint32_t cs, uint32_t src, uint32_t dst_cs, uint32_t dst)
{
  kerr_t e = cap_lookup(cs, src, OT_FREE, 0, 0);
  if (e != E_OK)
    return e;
  e = free_dst(dst_cs, dst);
  if (e != E_OK)
    return e;
  slot_set(dst_cs, dst, cap_type[cs][src], cap_obj[cs][src], cap_gen[cs][src],
           cap_read[cs][src], cap_write[cs][src], cap_grant[cs][src],
           cap_badge[cs][src]);
  slot_clear(cs, src);
  /* (the capability moved whole: its chain resolves from dst as it did
   * from src, and every other slot's as before: path_live) */
  /*@ assert moved: slot_resolves(dst_cs, dst) <==> \at(slot_resolves(cs, src), Pre); */
  /*@ assert others: \forall integer f; 0 <= f < NFRAMES &&
        !(m_cs[f] == cs && m_slot[f] == src) && !(m_cs[f] == dst_cs && m_slot[f] == dst) ==>
        (path_live(f) <==> \at(path_live(f), Pre)); */
  vs_follow(cs, src, dst_cs, dst);
  return E_OK;
}

/* spec: cap_delete. Empties a slot; a stale capability may be deleted.
 * SYS_CAP_DELETE is sys_cap_delete (decode.c), which then ends the
 * mapping made through the capability, if any (vs_slot_gone, O(1)). */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  assigns cap_type[cs][slot], cap_obj[cs][slot], cap_gen[cs][slot],
          cap_read[cs][slot], cap_write[cs][slot], cap_grant[cs][slot],
          cap_badge[cs][slot];
  ensures inv: Inv;
  // (stated as well as assigned: a caller sees the union of the
  // behaviours' assigns)
  ensures refused: \result != E_OK ==> slot_kept{Pre, Here}(cs, slot);
  behavior bad_slot:
    assumes slot >= NSLOTS;
    assigns \nothing;
    ensures \result == E_BAD_SLOT;
  behavior empty:
    assumes slot < NSLOTS && cap_type[cs][slot] == OT_FREE;
    assigns \nothing;
    ensures \result == E_EMPTY;
  behavior ok:
    assumes slot < NSLOTS && cap_type[cs][slot] != OT_FREE;
    ensures \result == E_OK;
    ensures emptied: cap_type[cs][slot] == OT_FREE;
  complete behaviors;
  disjoint behaviors;
*/
kerr_t cap_delete(uint32_t cs, uint32_t slot)
{
  if (slot >= NSLOTS)
    return E_BAD_SLOT;
  if (cap_type[cs][slot] == OT_FREE)
    return E_EMPTY;
  slot_clear(cs, slot);
  return E_OK;
}

/* spec: cap_identify. Does `slot` designate the same object as `ref` (both
 * followed through their forwarders), and with which badge? Lets a server
 * authenticate a client's capability against one of its own. A chain that
 * fails to resolve simply does not match (same = 0). Reads only. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  assigns \nothing;
  ensures inv: Inv;
  behavior bad_ref:
    assumes lookup_err(cs, ref, OT_FREE, 0, 0) != E_OK;
    ensures \result.err == lookup_err(cs, ref, OT_FREE, 0, 0);
    ensures \result.same == 0 && \result.badge == 0;
  behavior bad_slot:
    assumes lookup_err(cs, ref, OT_FREE, 0, 0) == E_OK;
    assumes lookup_err(cs, slot, OT_FREE, 0, 0) != E_OK;
    ensures \result.err == lookup_err(cs, slot, OT_FREE, 0, 0);
    ensures \result.same == 0 && \result.badge == 0;
  behavior ok:
    assumes lookup_err(cs, ref, OT_FREE, 0, 0) == E_OK;
    assumes lookup_err(cs, slot, OT_FREE, 0, 0) == E_OK;
    ensures \result.err == E_OK;
    ensures \result.same <= 1;
    ensures \result.same == 0 ==> \result.badge == 0;
    ensures direct: cap_type[cs][ref] != OT_FORWARDER &&
      cap_type[cs][slot] != OT_FORWARDER ==>
      (\result.same == 1 <==> cap_obj[cs][ref] == cap_obj[cs][slot]) &&
      (\result.same == 1 ==> \result.badge == cap_badge[cs][slot]);
  complete behaviors;
  disjoint behaviors;
*/
struct identify_ret cap_identify(uint32_t cs, uint32_t ref, uint32_t slot)
{
  struct identify_ret ret = { E_OK, 0, 0 };
  struct resolve_ret a, b;
  kerr_t e = cap_lookup(cs, ref, OT_FREE, 0, 0);
  if (e != E_OK) {
    ret.err = e;
    return ret;
  }
  e = cap_lookup(cs, slot, OT_FREE, 0, 0);
  if (e != E_OK) {
    ret.err = e;
    return ret;
  }
  a = resolve_slot(cs, ref);
  b = resolve_slot(cs, slot);
  if (a.err == E_OK && b.err == E_OK && a.obj == b.obj) {
    ret.same = 1;
    ret.badge = b.badge;
  }
  return ret;
}
