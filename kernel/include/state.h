/* state.h: every table of the kernel core (docs/MODEL.md), one global array
 * per field, indexed by frame (and slot). Declared here so that the proofs,
 * the unit tests and the conformance driver can read the whole state. */
#ifndef STATE_H
#define STATE_H

#include <stdint.h>
#include "param.h"
#include "objtype.h"
#include "abi.h"

/* Per frame: what it holds, who paid for it, its generation. */
extern uint8_t  frame_type[NFRAMES];   /* enum objtype                      */
extern uint32_t frame_owner[NFRAMES];  /* container frame that paid (live)  */
extern uint32_t frame_gen[NFRAMES];    /* bumped when the object dies       */

/* Per container (meaningful when frame_type[c] == OT_CONTAINER). */
extern uint32_t c_limit[NFRAMES];      /* frames this subtree may hold       */
extern uint32_t c_usage[NFRAMES];      /* frames this subtree holds          */
extern uint32_t c_own[NFRAMES];        /* frames whose owner is this one     */
extern uint32_t c_depth[NFRAMES];      /* 0 for the root                     */
extern uint32_t c_anc[NFRAMES][MAXDEPTH]; /* ancestor path, [depth] == self  */

/* Per capability slot, indexed [cspace frame][slot]. */
extern uint8_t  cap_type[NFRAMES][NSLOTS];  /* OT_FREE = empty slot          */
extern uint32_t cap_obj[NFRAMES][NSLOTS];   /* designated object's frame     */
extern uint32_t cap_gen[NFRAMES][NSLOTS];   /* its generation at cap creation */
extern uint8_t  cap_read[NFRAMES][NSLOTS];  /* rights, each 0 or 1           */
extern uint8_t  cap_write[NFRAMES][NSLOTS];
extern uint8_t  cap_grant[NFRAMES][NSLOTS];
extern uint64_t cap_badge[NFRAMES][NSLOTS]; /* 0 = unbadged                  */

/* Per forwarder (meaningful when frame_type[w] == OT_FORWARDER): the one
 * target capability it stands in front of. */
extern uint8_t  fw_type[NFRAMES];
extern uint32_t fw_obj[NFRAMES];
extern uint32_t fw_gen[NFRAMES];
extern uint8_t  fw_read[NFRAMES];
extern uint8_t  fw_write[NFRAMES];
extern uint8_t  fw_grant[NFRAMES];
extern uint64_t fw_badge[NFRAMES];

/* The shared ACSL vocabulary (predicates named as in MODEL.md, and the
 * kernel invariant Inv). Only Frama-C reads it; for gcc it is a comment. */
#include "model.acsl"

#endif
