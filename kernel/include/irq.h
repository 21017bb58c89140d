/* irq.h: interrupt handlers (issue 15, docs/DEVICES.md).
 *
 * An interrupt source of the PLIC (1 .. irq_sources - 1) has at most one
 * handler, an object (OT_IRQ_HANDLER) made from the IRQ-control
 * capability and paid for by a container like any object. The handler is
 * bound to a notification; when its source interrupts, the kernel signals
 * that notification with the binding's badge and holds the source (the
 * PLIC claim, not completed) until the driver acknowledges.
 *
 * The per-source table is fixed (NIRQ rows, whatever the RAM): the
 * source's handler, named by frame and generation, so that a handler
 * that died (obj_free, container_destroy) frees its source with no work
 * at its death; and whether an interrupt is signalled and not yet
 * acknowledged. The handler's own fields are its record (records.h).
 */
#ifndef IRQ_H
#define IRQ_H

#include <stdint.h>
#include "state.h"
#include "proc.h"

#define NIRQ 1024u              /* the PLIC's most sources (1 .. 1023) */

/* Sources 1 .. irq_sources - 1 exist: set once at boot from the device
 * tree (arch-riscv/plic.c), before any kernel operation; never written by
 * the core. */
extern uint32_t irq_sources;
extern uint32_t irq_handler[NIRQ];   /* the handler that took the source  */
extern uint32_t irq_hgen[NIRQ];      /* ... its generation then           */
extern uint8_t  irq_pending[NIRQ];   /* 1: signalled, not acknowledged    */

/* Per handler (meaningful when frame_type[h] == OT_IRQ_HANDLER). */
RECORD_FIELD(uint32_t, h_src);       /* its source                        */
RECORD_FIELD(uint32_t, h_ntfn);      /* its notification, NFRAMES: none   */
RECORD_FIELD(uint32_t, h_ngen);      /* ... and its generation then       */
RECORD_FIELD(uint64_t, h_badge);     /* the badge of the binding's cap    */

/*@
  predicate irq_ok = 1 <= irq_sources <= NIRQ;

  // source s has a live handler: the one that took it, still alive
  predicate irq_taken(integer s) =
    irq_handler[s] < NFRAMES && frame_type[irq_handler[s]] == OT_IRQ_HANDLER &&
    frame_gen[irq_handler[s]] == irq_hgen[s];

  // handler h holds an interrupt it has not acknowledged: h is still its
  // source's handler, and the source is pending
  predicate irq_unacked(integer h) =
    0 < h_src[h] < irq_sources && irq_handler[h_src[h]] == h &&
    irq_hgen[h_src[h]] == frame_gen[h] && irq_pending[h_src[h]] == 1;

  // h's notification is the live one it was bound to
  predicate irq_bound(integer h) =
    h_ntfn[h] < NFRAMES && frame_type[h_ntfn[h]] == OT_NOTIFICATION &&
    frame_gen[h_ntfn[h]] == h_ngen[h];
*/

/* irq_set_ntfn's and irq_ack's results: the handler's source, for the
 * architecture layer's PLIC (0 unless err == E_OK). */
struct irq_ret {
  kerr_t   err;
  uint32_t src;
};

kerr_t          irq_handler_create(uint32_t cs, uint32_t ctl_slot, uint32_t cont_slot,
                                   uint32_t src, uint32_t dst);
struct irq_ret  irq_set_ntfn(uint32_t cs, uint32_t h_slot, uint32_t n_slot);
struct irq_ret  irq_ack(uint32_t cs, uint32_t h_slot);
struct send_ret irq_deliver(uint32_t src);
uint32_t        irq_target(uint32_t src);

#endif
