/* abi.h: the one syscall ABI header, shared by the kernel and userland.
 * Error codes follow docs/MODEL.md in number and order; the Coq spec's
 * `error` inductive lists them in the same order. */
#ifndef ABI_H
#define ABI_H

#include "objtype.h"

enum kerr {
  E_OK         = 0,  /* success                                              */
  E_BAD_SLOT   = 1,  /* slot index out of range (>= NSLOTS)                  */
  E_EMPTY      = 2,  /* slot holds no capability                             */
  E_STALE      = 3,  /* capability's object was destroyed (or a forwarder link) */
  E_WRONG_TYPE = 4,  /* capability designates the wrong kind of object       */
  E_NO_RIGHTS  = 5,  /* capability lacks a right the operation needs         */
  E_OCCUPIED   = 6,  /* destination slot is not empty                        */
  E_OVER_LIMIT = 7,  /* a container or one of its ancestors would exceed its limit */
  E_NO_MEMORY  = 8,  /* no free frame left in managed RAM                    */
  E_TOO_DEEP   = 9,  /* container depth or forwarder chain bound reached     */
  E_BAD_ARG    = 10, /* an argument out of its domain (type, rights, limit)  */
  E_ROOT       = 11, /* the root container cannot be destroyed               */
  E_NOT_OWNER  = 12, /* object was not allocated from that container's subtree */
  /* ---- issue 4 (processes, address spaces, IPC) appends its codes here,
   *      numbered from 13, in the order MODEL.md lists them. ---- */
};
typedef enum kerr kerr_t;

/* ---- Syscall numbers (issue 4) go here: one X-macro list, e.g.
 *      #define SYSCALL_LIST(X) X(SYS_CAP_COPY) ...                    ---- */

#endif
