/* irq.c: interrupt handlers (issue 15; irq.h says what they are). The
 * architecture layer owns the PLIC: it claims a source's interrupt and
 * calls irq_deliver, completes the claim when irq_ack says so, and
 * enables a source when irq_set_ntfn binds it. What is decided here:
 * which notification an interrupt signals, and when a source may
 * interrupt again; who may take a source is irq_handler_create's, with
 * the other allocations in container.c. */
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

/* flatten (GCC): what irq_deliver calls, irq_target and ntfn_post, is
 * inlined into it, on the interrupt path. As calls they cost delivery
 * 390 instructions; inlined, 322 (bench, measured); the proofs see
 * ordinary functions. */
#if defined(__GNUC__) && !defined(__FRAMAC__)
#define IRQ_FLATTEN __attribute__((flatten))
#else
#define IRQ_FLATTEN
#endif
struct send_ret irq_deliver(uint32_t src) IRQ_FLATTEN;

/* spec: irq_set_ntfn */
/* Bind the handler in h_slot (write right, through forwarders) to the
 * notification in n_slot (write right: the handler will signal it): its
 * interrupts signal that notification with that capability's badge (0:
 * bit 0). A new binding replaces the old. .src is the handler's source,
 * which the architecture layer then enables. The notification capability
 * must be a direct one (a forwarder: E_WRONG_TYPE): the binding outlives
 * the call, and a forwarder's revocation would not reach it (selective
 * revocation, law 3); a binding ends with its handler or its
 * notification. */
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
    assumes lookup_err(cs, n_slot, OT_NOTIFICATION, 0, 1) != E_OK;
    assigns \nothing;
    ensures \result.err == lookup_err(cs, n_slot, OT_NOTIFICATION, 0, 1);
  behavior bound:
    assumes invoke_err(cs, h_slot, OT_IRQ_HANDLER, 0, 1) == E_OK;
    assumes lookup_err(cs, n_slot, OT_NOTIFICATION, 0, 1) == E_OK;
    assigns h_ntfn[resolved_obj(cs, h_slot)], h_ngen[resolved_obj(cs, h_slot)],
            h_badge[resolved_obj(cs, h_slot)];
    ensures \result.err == E_OK;
    ensures \let h = resolved_obj(cs, h_slot); \let n = cap_obj[cs][n_slot];
      h_ntfn[h] == n && h_ngen[h] == frame_gen[n] &&
      h_badge[h] == cap_badge[cs][n_slot] && \result.src == h_src[h] &&
      irq_bound(h);
  complete behaviors;
  disjoint behaviors;
*/
struct irq_ret irq_set_ntfn(uint32_t cs, uint32_t h_slot, uint32_t n_slot)
{
  struct irq_ret ret = { E_OK, 0 };
  struct resolve_ret h = invoke_lookup(cs, h_slot, OT_IRQ_HANDLER, 0, 1);
  kerr_t e;
  uint32_t n;
  if (h.err != E_OK) {
    ret.err = h.err;
    return ret;
  }
  e = cap_lookup(cs, n_slot, OT_NOTIFICATION, 0, 1);
  if (e != E_OK) {
    ret.err = e;
    return ret;
  }
  n = cap_obj[cs][n_slot];
  h_ntfn(h.obj) = n;
  h_ngen(h.obj) = frame_gen[n];
  h_badge(h.obj) = cap_badge[cs][n_slot];
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

/* spec: irq_target */
/* The notification source src's interrupt would signal: that of its live
 * handler, if the handler is bound to a live one; else NFRAMES. The one
 * test of both liveness conditions, for irq_deliver and for the idle
 * hart's question whether an interrupt can still wake anyone
 * (arch-riscv/user.c, irq_can_wake). */
/*@
  requires sizes: SIZES_OK;
  requires src < NIRQ;
  assigns \nothing;
  ensures live: \result != NFRAMES <==> irq_taken(src) && irq_bound(irq_handler[src]);
  ensures target: \result != NFRAMES ==> \result == h_ntfn[irq_handler[src]];
*/
uint32_t irq_target(uint32_t src)
{
  uint32_t h = irq_handler[src], n;
  if (h >= NFRAMES || frame_type[h] != OT_IRQ_HANDLER || frame_gen[h] != irq_hgen[src])
    return NFRAMES;
  n = h_ntfn(h);
  if (n >= NFRAMES || frame_type[n] != OT_NOTIFICATION || frame_gen[n] != h_ngen(h))
    return NFRAMES;
  return n;
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
    // the binding's badge (0: bit 0) is posted (ntfn_post): kept by the
    // notification, or taken in a1 (a0 = E_OK) by the one waiter woken
    ensures posted: \let h = irq_handler[src];
      posted{Pre, Here}(h_ntfn[h], h_badge[h] != 0 ? h_badge[h] : 1, \result.partner);
    // and no other process changes
    ensures others: \forall integer q; 0 <= q < NFRAMES && q != \result.partner ==>
      proc_kept{Pre, Here}(q);
    ensures other_regs: \result.partner != NO_PROC ==>
      regs_kept_but_a01{Pre, Here}(\result.partner);
  complete behaviors;
  disjoint behaviors;
*/
struct send_ret irq_deliver(uint32_t src)
{
  struct send_ret ret = { E_STALE, NO_PROC };
  uint32_t n = irq_target(src), h;
  uint64_t bits;
  if (n == NFRAMES)
    return ret;
  h = irq_handler[src];
  irq_pending[src] = 1;
  bits = h_badge(h) != 0 ? h_badge(h) : 1u;
  ret.err = E_OK;
  ret.partner = ntfn_post(n, bits);
  return ret;
}
