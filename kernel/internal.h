/* internal.h: helpers shared between the core's files (not an ABI).
 * Each one's contract sits above its definition. */
#ifndef INTERNAL_H
#define INTERNAL_H

#include <stdint.h>
#include "core.h"

/* A core function GCC must inline where its definition is seen (the hot
 * paths and the reapers: each use says why); the proofs see an ordinary
 * function. */
#if defined(__GNUC__) && !defined(__FRAMAC__)
#define CORE_INLINE __attribute__((always_inline))
#else
#define CORE_INLINE
#endif

/* frame.c */
uint32_t frame_find_free(void);
void     slot_clear(uint32_t cs, uint64_t s);
void     cspace_clear(uint32_t cs);
void     frame_claim(uint32_t f, uint32_t c, uint32_t type);
void     frame_release(uint32_t f);
void     frame_take(uint32_t f, uint32_t cont, uint32_t type);

/* cap.c */
kerr_t   cap_lookup(uint32_t cs, uint32_t s, uint32_t type,
                    uint32_t need_read, uint32_t need_write);
kerr_t   free_dst(uint32_t cs, uint32_t d);
uint8_t  right_and(uint32_t a, uint32_t b);
void     slot_set(uint32_t cs, uint32_t s, uint32_t type, uint32_t obj,
                  uint32_t gen, uint32_t r, uint32_t w, uint32_t g,
                  uint64_t badge);
void     cap_install(uint32_t cs, uint32_t s, uint32_t type, uint32_t obj,
                     uint32_t gen, uint32_t r, uint32_t w, uint32_t g,
                     uint64_t badge);

/* The capability every allocation gives its caller: slot dst of cs
 * designates a live object of `type` with every right and no badge. */
/*@ predicate new_full_cap(integer cs, integer dst, integer type) =
      cap_type[cs][dst] == type && cap_valid(cs, dst) &&
      cap_read[cs][dst] == 1 && cap_write[cs][dst] == 1 &&
      cap_grant[cs][dst] == 1 && cap_badge[cs][dst] == 0;
*/

/* container.c */
int      path_has_room(uint32_t c);
void     charge(uint32_t c);
void     uncharge(uint32_t c, uint32_t n);
/* ghost lemma functions (Frama-C only; see container.c) */
/*@ ghost void sums_include(uint32_t c, uint32_t g); */
/*@ ghost void path_usage_ge(uint32_t c, uint32_t n); */
/*@ ghost void chain_unrolled(uint32_t cs, uint32_t s); */

/* forwarder.c */
struct resolve_ret resolve_slot(uint32_t cs, uint32_t s);
uint32_t fwd_chain_len(uint32_t cs, uint32_t s);

/* the two searches of frame.c and container.c that vs_map also uses */
uint32_t frame_free_from(uint32_t from);
int      path_room_n(uint32_t c, uint32_t n);

#endif
