/* param.h: the sizes of the kernel core, in one place (docs/MODEL.md).
 * The proof pass and the kernel use exactly these values: what is proved
 * is what runs. The Coq model takes NFRAMES and NSLOTS as parameters
 * (spec/Model.v, Sizes), and a host build of the core may choose others
 * (-DMAXFRAMES=.. -DNSLOTS=.. -DKCORE_TEST_SIZES): the conformance test
 * runs the model and such a build at a small size as well. */
#ifndef PARAM_H
#define PARAM_H

#ifndef MAXFRAMES
#define MAXFRAMES 4194304u     /* the most 4 KiB frames managed (2^22: 16 GiB) */
#endif
#ifndef NSLOTS
#define NSLOTS    128u         /* slots per capability space (one frame's worth) */
#endif
#define MAXDEPTH  8u           /* container depths 0..MAXDEPTH-1; root is 0   */
#define MAXFWD    4u           /* longest forwarder chain a cap may resolve    */
#if NSLOTS % 4 != 0 || NSLOTS < 4
#error "NSLOTS: a multiple of 4 (cspace_clear empties four slots a turn)"
#endif
#define GEN_MAX   0xFFFFFFFFu  /* a frame whose generation reaches it retires  */


/* The object universe: frames 0 .. NFRAMES-1. NFRAMES is a variable, set
 * once at boot before any kernel operation and never written again (no
 * contract assigns it); every contract requires SIZES_OK, so no proof
 * rests on its value. The kernel sets it from the RAM the device tree
 * reports (arch-riscv/uvm.c, frames_init), at most MAXFRAMES; the host
 * builds (unit and conformance tests) choose MAXFRAMES 1024 and keep
 * nframes = MAXFRAMES (kernel/CMakeLists.txt). */
#include <stdint.h>
extern uint32_t nframes;
#define NFRAMES nframes
#define SIZES_OK (2 <= NFRAMES && NFRAMES <= MAXFRAMES)

#endif
