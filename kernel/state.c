/* state.c: the kernel core's tables (declared in include/state.h). They are
 * zero at load (.bss); kernel_init puts them in their boot state. */
#include "state.h"

uint8_t  frame_type[NFRAMES];
uint32_t frame_owner[NFRAMES];
uint32_t frame_gen[NFRAMES];

uint32_t c_limit[NFRAMES];
uint32_t c_usage[NFRAMES];
uint32_t c_own[NFRAMES];
uint32_t c_depth[NFRAMES];
uint32_t c_anc[NFRAMES][MAXDEPTH];

#ifndef KERNEL_FRAME_WINDOW   /* else in the cspaces' own frames: state.h */
uint8_t  cap_type[NFRAMES][NSLOTS];
uint32_t cap_obj[NFRAMES][NSLOTS];
uint32_t cap_gen[NFRAMES][NSLOTS];
uint8_t  cap_read[NFRAMES][NSLOTS];
uint8_t  cap_write[NFRAMES][NSLOTS];
uint8_t  cap_grant[NFRAMES][NSLOTS];
uint64_t cap_badge[NFRAMES][NSLOTS];
#endif
#ifndef __FRAMAC__             /* checked by every gcc build */
#ifndef KCORE_TEST_SIZES       /* but a host build at other sizes (param.h) */
_Static_assert(NSLOTS == CSPACE_SLOTS, "abi.h tells users the slot count");
#endif
_Static_assert(CS_BYTES <= FRAME_BYTES, "a capability space's slots fit its frame");
#endif

uint8_t  fw_type[NFRAMES];
uint32_t fw_obj[NFRAMES];
uint32_t fw_gen[NFRAMES];
uint8_t  fw_read[NFRAMES];
uint8_t  fw_write[NFRAMES];
uint8_t  fw_grant[NFRAMES];
uint64_t fw_badge[NFRAMES];
