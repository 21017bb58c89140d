/* state.c: the kernel core's tables (declared in include/state.h). They are
 * zero at load (.bss); kernel_init puts them in their boot state. */
#include "state.h"

/* The object universe's size (param.h): every table below has room for
 * MAXFRAMES frames and the kernel manages the first nframes. Set before
 * kernel_init and never written by the core. */
uint32_t nframes = MAXFRAMES;

uint8_t  frame_type[MAXFRAMES];
uint32_t frame_owner[MAXFRAMES];
uint32_t frame_gen[MAXFRAMES];

uint32_t c_limit[MAXFRAMES];
uint32_t c_usage[MAXFRAMES];
uint32_t c_own[MAXFRAMES];
uint32_t c_depth[MAXFRAMES];
uint32_t c_anc[MAXFRAMES][MAXDEPTH];

#ifndef KERNEL_FRAME_WINDOW   /* else in the cspaces' own frames: state.h */
uint8_t  cap_type[MAXFRAMES][NSLOTS];
uint32_t cap_obj[MAXFRAMES][NSLOTS];
uint32_t cap_gen[MAXFRAMES][NSLOTS];
uint8_t  cap_read[MAXFRAMES][NSLOTS];
uint8_t  cap_write[MAXFRAMES][NSLOTS];
uint8_t  cap_grant[MAXFRAMES][NSLOTS];
uint64_t cap_badge[MAXFRAMES][NSLOTS];
#endif
#ifndef __FRAMAC__             /* checked by every gcc build */
#ifndef KCORE_TEST_SIZES       /* but a host build at other sizes (param.h) */
_Static_assert(NSLOTS == CSPACE_SLOTS, "abi.h tells users the slot count");
#endif
_Static_assert(CS_BYTES <= FRAME_BYTES, "a capability space's slots fit its frame");
#endif

uint8_t  fw_type[MAXFRAMES];
uint32_t fw_obj[MAXFRAMES];
uint32_t fw_gen[MAXFRAMES];
uint8_t  fw_read[MAXFRAMES];
uint8_t  fw_write[MAXFRAMES];
uint8_t  fw_grant[MAXFRAMES];
uint64_t fw_badge[MAXFRAMES];
