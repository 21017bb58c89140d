/* state.h: every table of the kernel core (docs/MODEL.md), one global array
 * per field, indexed by frame (and slot), as the proofs, the unit tests and
 * the conformance driver see them. In the kernel, only the per-frame
 * tables (type, owner, generation) are tables: the fields of an object's
 * record, and a capability space's slots, live in the object's own frame
 * (records.h, and the frame window below). */
#ifndef STATE_H
#define STATE_H

#include <stdint.h>
#include "param.h"
#include "objtype.h"
#include "abi.h"
#include "tables.h"
#include "records.h"

/* Per frame: what it holds, who paid for it, its generation. */
extern FRAME_TABLE(uint8_t,  frame_type);   /* enum objtype                      */
extern FRAME_TABLE(uint32_t, frame_owner);  /* container frame that paid (live)  */
extern FRAME_TABLE(uint32_t, frame_gen);    /* bumped when the object dies       */

/* The frames' high-water mark: no frame at or above f_hi has held an
 * object since boot (allocation takes the lowest free frame, so f_hi is
 * the number of frames the system has needed at its peak). The passes
 * over frames that look for live objects (container_destroy's, the
 * reaper's) stop there, so that their cost follows what exists, not the
 * size of RAM (issue 13). frame_claim raises it; nothing lowers it. */
extern uint32_t f_hi;
/*@
  predicate fhi_wf = f_hi <= NFRAMES &&
    \forall integer g; f_hi <= g < NFRAMES ==> frame_type[g] == OT_FREE;
*/

/* The lowest-free hint: no frame below f_lo is free, so the search for
 * the lowest free frame (frame_find_free) starts there instead of at
 * frame 0, past every frame in use. frame_claim moves it past the frame
 * it takes when that was f_lo; frame_release lowers it to the frame it
 * frees. */
extern uint32_t f_lo;
/*@
  predicate flo_wf = f_lo <= NFRAMES &&
    \forall integer g; 0 <= g < f_lo ==> frame_type[g] != OT_FREE;
*/

/* Per container (meaningful when frame_type[c] == OT_CONTAINER). */
RECORD_FIELD(uint32_t, c_limit);      /* frames this subtree may hold       */
RECORD_FIELD(uint32_t, c_usage);      /* frames this subtree holds          */
RECORD_FIELD(uint32_t, c_own);        /* frames whose owner is this one     */
RECORD_FIELD(uint32_t, c_depth);      /* 0 for the root                     */
RECORD_TABLE2(uint32_t, c_anc, MAXDEPTH); /* ancestor path, [depth] == self  */

/* Per capability slot, indexed [cspace frame][slot]: the slots of a
 * capability space live in the cspace's own frame (the memory its
 * container pays for), after the frame's records (records.h: CS_BASE),
 * one field after another (CS_OFF_*). */
#define CS_BASE       576u                 /* struct frame_rec fits below it */
#define CS_OFF_TYPE   (CS_BASE)             /* uint8_t  [NSLOTS]              */
#define CS_OFF_READ   (CS_BASE + 1u * NSLOTS)  /* uint8_t  [NSLOTS]           */
#define CS_OFF_WRITE  (CS_BASE + 2u * NSLOTS)  /* uint8_t  [NSLOTS]           */
#define CS_OFF_GRANT  (CS_BASE + 3u * NSLOTS)  /* uint8_t  [NSLOTS]           */
#define CS_OFF_OBJ    (CS_BASE + 4u * NSLOTS)  /* uint32_t [NSLOTS]           */
#define CS_OFF_GEN    (CS_BASE + 8u * NSLOTS)  /* uint32_t [NSLOTS]           */
#define CS_OFF_BADGE  (CS_BASE + 12u * NSLOTS) /* uint64_t [NSLOTS]           */
#define CS_OFF_MAPPED (CS_BASE + 20u * NSLOTS) /* uint32_t [NSLOTS]          */
#define CS_BYTES      (24u * NSLOTS)       /* 3072 at 128 slots              */
#define FRAME_BYTES   4096u

#ifdef KERNEL_FRAME_WINDOW
/* In the kernel: frame f is mapped at FWIN_BASE + f * FRAME_BYTES (the
 * frame window, arch-riscv/memlayout.h), so cap_type[cs][s] is byte s of
 * cspace cs's own frame. Each field is an array of rows one frame apart.
 * The proved C indexes rows by slots below NSLOTS only (WP's RTE goals,
 * on the declarations below), so two fields never share a byte.
 * proofs/ASSUMPTIONS.md says why WP's separate arrays model this. */
#include "memlayout.h"
#define FWIN_FIELD(type, off) \
  (*(type (*)[MAXFRAMES][FRAME_BYTES / sizeof(type)])(FWIN_BASE + (off)))
#define cap_type  FWIN_FIELD(uint8_t,  CS_OFF_TYPE)
#define cap_read  FWIN_FIELD(uint8_t,  CS_OFF_READ)
#define cap_write FWIN_FIELD(uint8_t,  CS_OFF_WRITE)
#define cap_grant FWIN_FIELD(uint8_t,  CS_OFF_GRANT)
#define cap_obj   FWIN_FIELD(uint32_t, CS_OFF_OBJ)
#define cap_gen   FWIN_FIELD(uint32_t, CS_OFF_GEN)
#define cap_badge FWIN_FIELD(uint64_t, CS_OFF_BADGE)
#define cap_mapped FWIN_FIELD(uint32_t, CS_OFF_MAPPED)
#else
/* For the proofs and the host tests: plain tables (kernel/state.c). */
extern uint8_t  cap_type[MAXFRAMES][NSLOTS];  /* OT_FREE = empty slot          */
extern uint32_t cap_obj[MAXFRAMES][NSLOTS];   /* designated object's frame     */
extern uint32_t cap_gen[MAXFRAMES][NSLOTS];   /* its generation at cap creation */
extern uint8_t  cap_read[MAXFRAMES][NSLOTS];  /* rights, each 0 or 1           */
extern uint8_t  cap_write[MAXFRAMES][NSLOTS];
extern uint8_t  cap_grant[MAXFRAMES][NSLOTS];
extern uint64_t cap_badge[MAXFRAMES][NSLOTS]; /* 0 = unbadged                  */
/* 1 + the frame of the mapping made through this slot's capability (the
 * frame's record, vspace.h, names the slot back); 0 or any value that
 * the record does not confirm: none. Written only by the mapping calls
 * (vs_map, vs_follow in cap_move, vs_slot_gone: kernel/vspace.c). */
extern uint32_t cap_mapped[MAXFRAMES][NSLOTS];
#endif

/* Per forwarder (meaningful when frame_type[w] == OT_FORWARDER): the one
 * target capability it stands in front of. */
RECORD_FIELD(uint8_t, fw_type);
RECORD_FIELD(uint32_t, fw_obj);
RECORD_FIELD(uint32_t, fw_gen);
RECORD_FIELD(uint8_t, fw_read);
RECORD_FIELD(uint8_t, fw_write);
RECORD_FIELD(uint8_t, fw_grant);
RECORD_FIELD(uint64_t, fw_badge);

/* The shared ACSL vocabulary (predicates named as in MODEL.md, and the
 * kernel invariant Inv). Only Frama-C reads it; for gcc it is a comment. */
#include "model.acsl"

#endif
