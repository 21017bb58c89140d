/* core.h: the operations of the kernel core, one per MODEL.md operation,
 * same names, same argument lists. Conventions:
 *   - every operation is total: it returns an error and changes nothing, or
 *     E_OK and the new state;
 *   - an operation whose only result is its status returns kerr_t; one with
 *     more results returns a small struct whose first field is the status
 *     (the other fields are 0 unless err == E_OK);
 *   - capability spaces are named by frame index; the caller (syscall layer,
 *     test driver) guarantees `cs` / `dst_cs` is a live OT_CSPACE frame.
 * Contracts (ACSL) sit above each definition in the kernel/ .c files. */
#ifndef CORE_H
#define CORE_H

#include <stdint.h>
#include "abi.h"
#include "state.h"

/* container_info's results. */
struct info_ret {
  kerr_t   err;
  uint32_t limit;
  uint32_t usage;
};

/* cap_resolve's results: the capability at the end of the forwarder chain,
 * with rights intersected along the chain and the final target's badge. */
struct resolve_ret {
  kerr_t   err;
  uint32_t type;     /* enum objtype, never OT_FORWARDER when err == E_OK */
  uint32_t obj;
  uint32_t read, write, grant;
  uint64_t badge;
};

/* cap_identify's results. */
struct identify_ret {
  kerr_t   err;
  uint32_t same;     /* 1: both resolve to the same object                 */
  uint64_t badge;    /* badge of `slot`'s resolution when same, else 0      */
};

void   kernel_init(uint32_t r, uint32_t cs);

kerr_t container_create(uint32_t cs, uint32_t parent_slot, uint32_t dst,
                        uint32_t limit);
kerr_t obj_alloc(uint32_t cs, uint32_t cont_slot, uint32_t type, uint32_t dst);
kerr_t obj_free(uint32_t cs, uint32_t cont_slot, uint32_t obj_slot);
kerr_t typed_alloc(uint32_t cs, uint32_t cont_slot, uint32_t type, uint32_t dst);
kerr_t container_destroy(uint32_t cs, uint32_t cont_slot, uint32_t target_slot);
struct info_ret container_info(uint32_t cs, uint32_t slot);

kerr_t cap_copy(uint32_t cs, uint32_t src, uint32_t dst_cs, uint32_t dst,
                uint32_t r, uint32_t w, uint32_t g);
kerr_t cap_mint(uint32_t cs, uint32_t src, uint32_t dst_cs, uint32_t dst,
                uint32_t r, uint32_t w, uint32_t g, uint64_t badge);
kerr_t cap_move(uint32_t cs, uint32_t src, uint32_t dst_cs, uint32_t dst);
kerr_t cap_delete(uint32_t cs, uint32_t slot);
struct identify_ret cap_identify(uint32_t cs, uint32_t ref, uint32_t slot);

kerr_t fwd_create(uint32_t cs, uint32_t cont_slot, uint32_t target_slot,
                  uint32_t dst);
struct resolve_ret cap_resolve(uint32_t cs, uint32_t slot);

#endif
