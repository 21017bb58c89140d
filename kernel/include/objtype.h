/* objtype.h: the kinds of kernel object, one X-macro list (docs/MODEL.md).
 * The order is part of the ABI and of the Coq spec (same order there). */
#ifndef OBJTYPE_H
#define OBJTYPE_H

#define OBJTYPE_LIST(X)  \
  X(OT_FREE)           /* 0: frame unused                                  */ \
  X(OT_CONTAINER)      /* 1: memory container                              */ \
  X(OT_CSPACE)         /* 2: capability space (NSLOTS slots)               */ \
  X(OT_FRAME)          /* 3: user memory                                   */ \
  X(OT_FORWARDER)      /* 4: forwarder, for selective revocation           */ \
  X(OT_ENDPOINT)       /* 5: IPC endpoint                                  */ \
  X(OT_NOTIFICATION)   /* 6: notification (asynchronous bits)              */ \
  X(OT_PROCESS)        /* 7: process (issue 4)                             */ \
  X(OT_PAGETABLE)      /* 8: Sv39 page table (issue 4)                     */ \
  X(OT_DEVICE)         /* 9: a page of device memory, made at boot (issue 15) */ \
  X(OT_IRQ_CONTROL)    /* 10: authority to take interrupt sources (issue 15) */ \
  X(OT_IRQ_HANDLER)    /* 11: one interrupt source, bound to a notification */ \
  X(OT_TIMER)          /* 12: a deadline that signals a notification (issue 15) */ \
  X(OT_RETIRED)        /* 13: generation exhausted, never reused           */

#define OBJTYPE_ENUM(name) name,
enum objtype { OBJTYPE_LIST(OBJTYPE_ENUM) OT_COUNT };
#undef OBJTYPE_ENUM

#endif
