/* irq.c: interrupt handlers (issue 15; irq.h says what they are). The
 * architecture layer owns the PLIC: it claims a source's interrupt and
 * calls irq_deliver, completes the claim when irq_ack says so, and
 * enables a source when irq_set_ntfn binds it. What is decided here:
 * who may take a source, which notification an interrupt signals, and
 * when a source may interrupt again. */
#include "core.h"
#include "internal.h"
#include "irq.h"

uint32_t irq_sources = NIRQ;
uint32_t irq_handler[NIRQ];
uint32_t irq_hgen[NIRQ];
uint8_t  irq_pending[NIRQ];

RECORD_FIELD_DEF(uint32_t, h_src);
RECORD_FIELD_DEF(uint32_t, h_ntfn);
RECORD_FIELD_DEF(uint32_t, h_ngen);
RECORD_FIELD_DEF(uint64_t, h_badge);

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

/* spec: irq_set_ntfn */
/* Bind the handler in h_slot (write right) to the notification in n_slot
 * (write right: the handler will signal it), through forwarders: its
 * interrupts signal that notification with that capability's badge (0:
 * bit 0). A new binding replaces the old. .src is the handler's source,
 * which the architecture layer then enables. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires is_cspace(cs);
  ensures inv: Inv;
  behavior bad_handler:
    assumes invoke_err(cs, h_slot, OT_IRQ_HANDLER, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result.err == invoke_err(cs, h_slot, OT_IRQ_HANDLER, 0, 1);
  behavior bad_ntfn:
    assumes invoke_err(cs, h_slot, OT_IRQ_HANDLER, 0, 1) == E_OK;
    assumes invoke_err(cs, n_slot, OT_NOTIFICATION, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result.err == invoke_err(cs, n_slot, OT_NOTIFICATION, 0, 1);
  behavior bound:
    assumes invoke_err(cs, h_slot, OT_IRQ_HANDLER, 0, 1) == E_OK;
    assumes invoke_err(cs, n_slot, OT_NOTIFICATION, 0, 1) == E_OK;
    assigns h_ntfn[resolved_obj(cs, h_slot)], h_ngen[resolved_obj(cs, h_slot)],
            h_badge[resolved_obj(cs, h_slot)];
    ensures \result.err == E_OK;
    ensures \let h = resolved_obj(cs, h_slot); \let n = resolved_obj(cs, n_slot);
      h_ntfn[h] == n && h_ngen[h] == frame_gen[n] &&
      h_badge[h] == resolved_badge(cs, n_slot) && \result.src == h_src[h] &&
      irq_bound(h);
  complete behaviors;
  disjoint behaviors;
*/
struct irq_ret irq_set_ntfn(uint32_t cs, uint32_t h_slot, uint32_t n_slot)
{
  struct irq_ret ret = { E_OK, 0 };
  struct resolve_ret h = invoke_lookup(cs, h_slot, OT_IRQ_HANDLER, 0, 1);
  struct resolve_ret n;
  if (h.err != E_OK) {
    ret.err = h.err;
    return ret;
  }
  n = invoke_lookup(cs, n_slot, OT_NOTIFICATION, 0, 1);
  if (n.err != E_OK) {
    ret.err = n.err;
    return ret;
  }
  h_ntfn(h.obj) = n.obj;
  h_ngen(h.obj) = frame_gen[n.obj];
  h_badge(h.obj) = n.badge;
  ret.src = h_src(h.obj);
  return ret;
}

/* spec: irq_ack */
/* The driver has handled its interrupt: the handler in h_slot (write
 * right) gives its source back (.src: the architecture layer completes the
 * claim, and the source may interrupt again). E_BAD_STATE if it holds no
 * interrupt: never signalled, unbound, or acknowledged already. */
/*@
  requires sizes: SIZES_OK;
  requires irq: irq_ok;
  requires Inv;
  requires is_cspace(cs);
  ensures inv: Inv;
  behavior bad_handler:
    assumes invoke_err(cs, h_slot, OT_IRQ_HANDLER, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result.err == invoke_err(cs, h_slot, OT_IRQ_HANDLER, 0, 1);
  behavior not_pending:
    assumes invoke_err(cs, h_slot, OT_IRQ_HANDLER, 0, 1) == E_OK;
    assumes !irq_unacked(resolved_obj(cs, h_slot));
    assigns \nothing;
    ensures \result.err == E_BAD_STATE;
  behavior acked:
    assumes invoke_err(cs, h_slot, OT_IRQ_HANDLER, 0, 1) == E_OK;
    assumes irq_unacked(resolved_obj(cs, h_slot));
    assigns irq_pending[h_src[resolved_obj(cs, h_slot)]];
    ensures \result.err == E_OK;
    ensures \result.src == h_src[resolved_obj(cs, h_slot)] &&
      irq_pending[\result.src] == 0;
  complete behaviors;
  disjoint behaviors;
*/
struct irq_ret irq_ack(uint32_t cs, uint32_t h_slot)
{
  struct irq_ret ret = { E_OK, 0 };
  struct resolve_ret h = invoke_lookup(cs, h_slot, OT_IRQ_HANDLER, 0, 1);
  uint32_t s;
  if (h.err != E_OK) {
    ret.err = h.err;
    return ret;
  }
  s = h_src(h.obj);
  if (s == 0 || s >= irq_sources || irq_handler[s] != h.obj ||
      irq_hgen[s] != frame_gen[h.obj] || irq_pending[s] != 1) {
    ret.err = E_BAD_STATE;
    return ret;
  }
  irq_pending[s] = 0;
  ret.src = s;
  return ret;
}

/* spec: irq_deliver */
/* Source src (the architecture layer claimed its interrupt) interrupts:
 * if its handler is alive and bound to a live notification, the source
 * is pending and the notification is signalled with the binding's badge
 * (0: bit 0): .err E_OK, .partner the waiter it woke, if any; the claim
 * stays until irq_ack. Otherwise .err E_STALE, nothing changes, and the
 * architecture layer completes the claim and disables the source. */
/*@
  requires sizes: SIZES_OK;
  requires irq: irq_ok;
  requires 0 < src < irq_sources;
  requires hi_wf;
  requires Inv;
  requires epq: epq_wf;
  ensures inv: Inv;
  ensures hi: hi_wf;
  ensures epq: epq_wf;
  behavior none:
    assumes !irq_taken(src) || !irq_bound(irq_handler[src]);
    assigns \nothing;
    ensures \result.err == E_STALE && \result.partner == NO_PROC;
  behavior signalled:
    assumes irq_taken(src) && irq_bound(irq_handler[src]);
    assigns irq_pending[src], n_bits[h_ntfn[irq_handler[src]]],
            p_state[0 .. NFRAMES-1], p_ticket[0 .. NFRAMES-1], next_ticket,
            p_regs[0 .. NFRAMES*NREGS-1];
    ensures \result.err == E_OK && irq_pending[src] == 1;
    ensures \result.partner == NO_PROC ==> n_bits[\old(h_ntfn[irq_handler[src]])] != 0;
    ensures \result.partner != NO_PROC ==>
      \result.partner < p_hi && p_state[\result.partner] == PS_READY;
  complete behaviors;
  disjoint behaviors;
*/
struct send_ret irq_deliver(uint32_t src)
{
  struct send_ret ret = { E_STALE, NO_PROC };
  uint32_t h = irq_handler[src], n;
  uint64_t bits;
  if (h >= NFRAMES || frame_type[h] != OT_IRQ_HANDLER || frame_gen[h] != irq_hgen[src])
    return ret;
  n = h_ntfn(h);
  if (n >= NFRAMES || frame_type[n] != OT_NOTIFICATION || frame_gen[n] != h_ngen(h))
    return ret;
  irq_pending[src] = 1;
  bits = h_badge(h) != 0 ? h_badge(h) : 1u;
  ret.err = E_OK;
  ret.partner = ntfn_post(n, bits);
  return ret;
}
