/* state.c: the kernel core's tables (declared in include/state.h). They are
 * zero at load (.bss); kernel_init puts them in their boot state. */
#include "state.h"

/* The object universe's size (param.h): every table below has room for
 * MAXFRAMES frames and the kernel manages the first nframes. Set before
 * kernel_init and never written by the core. */
uint32_t nframes = MAXFRAMES;

FRAME_TABLE_DEF(uint8_t, frame_type);
FRAME_TABLE_DEF(uint32_t, frame_owner);
FRAME_TABLE_DEF(uint32_t, frame_gen);

RECORD_FIELD_DEF(uint32_t, c_limit);
RECORD_FIELD_DEF(uint32_t, c_usage);
RECORD_FIELD_DEF(uint32_t, c_own);
RECORD_FIELD_DEF(uint32_t, c_depth);
RECORD_TABLE2_DEF(uint32_t, c_anc, MAXDEPTH);

#ifndef KERNEL_FRAME_WINDOW   /* else in the cspaces' own frames: state.h */
uint8_t  cap_type[MAXFRAMES][NSLOTS];
uint32_t cap_obj[MAXFRAMES][NSLOTS];
uint32_t cap_gen[MAXFRAMES][NSLOTS];
uint8_t  cap_read[MAXFRAMES][NSLOTS];
uint8_t  cap_write[MAXFRAMES][NSLOTS];
uint8_t  cap_grant[MAXFRAMES][NSLOTS];
uint64_t cap_badge[MAXFRAMES][NSLOTS];
uint32_t cap_mapped[MAXFRAMES][NSLOTS];
#endif
#ifndef __FRAMAC__             /* checked by every gcc build */
#ifndef KCORE_TEST_SIZES       /* but a host build at other sizes (param.h) */
_Static_assert(NSLOTS == CSPACE_SLOTS, "abi.h tells users the slot count");
#endif
_Static_assert(CS_BASE + CS_BYTES <= FRAME_BYTES, "a capability space's slots fit its frame");
#ifdef KERNEL_FRAME_WINDOW
_Static_assert(sizeof(struct frame_rec) <= CS_BASE,
               "the records (records.h) fit below a cspace's slots");
#endif
#endif

RECORD_FIELD_DEF(uint8_t, fw_type);
RECORD_FIELD_DEF(uint32_t, fw_obj);
RECORD_FIELD_DEF(uint32_t, fw_gen);
RECORD_FIELD_DEF(uint8_t, fw_read);
RECORD_FIELD_DEF(uint8_t, fw_write);
RECORD_FIELD_DEF(uint8_t, fw_grant);
RECORD_FIELD_DEF(uint64_t, fw_badge);
