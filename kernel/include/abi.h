/* abi.h: the one system-call ABI header, shared by the kernel and
 * userland: error codes, calling convention, message format, syscall
 * numbers. docs/SYSCALLS.md explains every call; docs/MODEL.md says which
 * check produces which error. The Coq spec's `error` inductive lists the
 * codes in the same order.
 *
 * Calling convention (RISC-V, `ecall` from U-mode):
 *   a7      syscall number (SYSCALL_LIST order, from 0)
 *   a0..a6  arguments
 *   a0      result: an error code (enum kerr; E_OK = 0)
 *   a1..a7  further results, where the call documents them; the others
 *           are not specified (today they keep what the caller put
 *           there: nothing of the kernel's or of another process's)
 * Every other register is preserved.
 *
 * Capabilities are named by slot in the caller's own capability space.
 * A "destination cspace" argument is a slot holding a cspace capability
 * (write right) or a process capability (write right: its cspace),
 * directly or through forwarders, or SLOT_SELF for the caller's own
 * cspace. The process argument of map and unmap may be SLOT_SELF for the
 * caller itself; every other process argument (proc_resume, _suspend,
 * _read_reg, _write_reg, _set_fault) is a capability (E_BAD_SLOT for
 * SLOT_SELF): authority over a process is a capability to it.
 *
 * Rights travel packed in one argument: read + 2*write + 4*grant (each
 * 0 or 1; any other value is E_BAD_ARG). Page permissions likewise:
 * read + 2*write + 4*exec.
 */
#ifndef ABI_H
#define ABI_H

#include "objtype.h"

/* Every error a caller can get back, one line each: name, number, meaning.
 * 0..12 come from the capability core, 13..20 from processes, address
 * spaces and IPC, 21 from interrupt handlers. */
#define KERR_LIST(X) \
  X(E_OK,          0)  /* success                                             */ \
  X(E_BAD_SLOT,    1)  /* slot index out of range (>= CSPACE_SLOTS)           */ \
  X(E_EMPTY,       2)  /* slot holds no capability                            */ \
  X(E_STALE,       3)  /* capability's object was destroyed (or a forwarder link) */ \
  X(E_WRONG_TYPE,  4)  /* capability designates the wrong kind of object      */ \
  X(E_NO_RIGHTS,   5)  /* capability lacks a right the operation needs        */ \
  X(E_OCCUPIED,    6)  /* destination slot is not empty                       */ \
  X(E_OVER_LIMIT,  7)  /* a container or one of its ancestors would exceed its limit */ \
  X(E_NO_MEMORY,   8)  /* no free frame left in managed RAM (timers: TIMERS_MAX armed) */ \
  X(E_TOO_DEEP,    9)  /* container depth or forwarder chain bound reached    */ \
  X(E_BAD_ARG,     10) /* an argument out of its domain (type, rights, limit) */ \
  X(E_ROOT,        11) /* the root container cannot be destroyed              */ \
  X(E_NOT_OWNER,   12) /* object was not allocated from that container's subtree */ \
  X(E_BAD_SYSCALL, 13) /* unknown syscall number                              */ \
  X(E_BAD_STATE,   14) /* process not in a state that allows the operation    */ \
  X(E_NOT_EMPTY,   15) /* cspace handed to proc_create is not empty           */ \
  X(E_FAULT,       16) /* user buffer not mapped or not readable/writable     */ \
  X(E_MAPPED,      17) /* frame already mapped, or the address is taken       */ \
  X(E_NOT_MAPPED,  18) /* nothing mapped at that address                      */ \
  X(E_NO_REPLY,    19) /* no pending reply, or the caller stopped waiting     */ \
  X(E_CANCELLED,   20) /* blocked IPC ended without a message (suspended,     \
                          or the endpoint / partner was destroyed)            */ \
  X(E_IN_USE,      21) /* the interrupt source already has a live handler   */

#define KERR_ENUM(name, val) name = val,
enum kerr { KERR_LIST(KERR_ENUM) };
#undef KERR_ENUM
typedef enum kerr kerr_t;

/* For an error-name table: static const char *const t[] = { KERR_LIST(KERR_NAME) }; */
#define KERR_NAME(name, val) [val] = #name,


#define CSPACE_SLOTS 128u         /* slots 0 .. 127 in every cspace        */
#define SLOT_SELF 0xFFFFFFFFu     /* "my own cspace / my own process"     */
#define SLOT_NONE 0xFFFFFFFFu     /* "no slot" in set_recv_slots          */

/* Message format. A message is a label, MSG_WORDS data words and up to
 * MSG_CAPS capabilities. Sending: a1 = label, a2..a5 = words, a6 = caps
 * descriptor n + 4*slot0 + 1024*slot1 (n in 0..2, 8 bits a slot, below
 * 2^18 else E_BAD_ARG; slots in the sender's
 * cspace; each cap needs the grant right, and so does the endpoint cap
 * when n > 0). Receiving: a0 = E_OK, a1 = badge of the sender's endpoint
 * capability, a2 = label, a3..a6 = words, a7 = received-caps mask
 * (bit i: cap i landed in the receiver's i-th receive slot). */
#define MSG_WORDS 4
#define MSG_CAPS  2

/* Labels the kernel itself puts on messages to a fault endpoint.
 * Words: w0 = cause (scause), w1 = address (stval), w2 = pc, w3 = 0
 * (exit: w0 = exit code). The badge is that of the fault endpoint cap
 * the parent named. */
#define LABEL_FAULT 0xFA17u
#define LABEL_EXIT  0xE417u

#define NPRIO 8u                   /* priorities 0 (lowest) .. NPRIO-1    */

/* Register numbers for proc_read_reg / proc_write_reg: 1..31 = x1..x31,
 * REG_PC = the pc the process resumes at. */
#define REG_PC 32u
#define NREGS  33u

/* One syscall per operation; numbers are positions in this list. */
#define SYSCALL_LIST(X) \
  X(SYS_DEBUG_WRITE)       /* (buf, len): bytes to the console          */ \
  X(SYS_YIELD)             /* (): back of my priority's round robin     */ \
  X(SYS_EXIT)              /* (code): stop; LABEL_EXIT to fault ep      */ \
  X(SYS_CONTAINER_CREATE)  /* (parent, dst, limit)                      */ \
  X(SYS_OBJ_ALLOC)         /* (cont, type, dst)                         */ \
  X(SYS_OBJ_FREE)          /* (cont, obj)                               */ \
  X(SYS_CONTAINER_DESTROY) /* (cont, target)                            */ \
  X(SYS_CONTAINER_INFO)    /* (cont) -> a1 limit, a2 usage              */ \
  X(SYS_CAP_COPY)          /* (src, dst_cs, dst, rights)                */ \
  X(SYS_CAP_MINT)          /* (src, dst_cs, dst, rights, badge)         */ \
  X(SYS_CAP_MOVE)          /* (src, dst_cs, dst)                        */ \
  X(SYS_CAP_DELETE)        /* (slot)                                    */ \
  X(SYS_CAP_IDENTIFY)      /* (ref, slot) -> a1 same, a2 badge          */ \
  X(SYS_FWD_CREATE)        /* (cont, target, dst)                       */ \
  X(SYS_CAP_RESOLVE)       /* (slot) -> a1 type, a2 rights, a3 badge    */ \
  X(SYS_PROC_CREATE)       /* (cont, cspace, dst, prio)                 */ \
  X(SYS_PROC_RESUME)       /* (proc): start or resume                   */ \
  X(SYS_PROC_SUSPEND)      /* (proc)                                    */ \
  X(SYS_PROC_READ_REG)     /* (proc, reg) -> a1 value                   */ \
  X(SYS_PROC_WRITE_REG)    /* (proc, reg, value)                        */ \
  X(SYS_PROC_SET_FAULT)    /* (proc, ep)                                */ \
  X(SYS_MAP)               /* (proc, frame, va, perms)                  */ \
  X(SYS_UNMAP)             /* (proc, va)                                */ \
  X(SYS_SEND)              /* (ep, label, w0..w3, caps)                 */ \
  X(SYS_CALL)              /* (ep, label, w0..w3, caps) -> reply        */ \
  X(SYS_RECV)              /* (ep) -> message                           */ \
  X(SYS_REPLY)             /* (-, label, w0..w3, caps)                  */ \
  X(SYS_REPLY_RECV)        /* (ep, label, w0..w3, caps) -> message      */ \
  X(SYS_SET_RECV_SLOTS)    /* (slot0, slot1): where received caps land  */ \
  X(SYS_NOTIFY_SIGNAL)     /* (ntfn, bits)                              */ \
  X(SYS_NOTIFY_WAIT)       /* (ntfn) -> a1 bits                         */ \
  X(SYS_DEBUG_EXPECT_REFUSALS) /* (on): log my refusals as expected    */ \
  X(SYS_DEVICE_INFO)       /* (dev) -> a1 kind, a2 phys addr, a3 irq    */ \
  X(SYS_IRQ_HANDLER_CREATE) /* (ctl, cont, src, dst)                    */ \
  X(SYS_IRQ_SET_NTFN)      /* (handler, ntfn)                           */ \
  X(SYS_IRQ_ACK)           /* (handler)                                 */ \
  X(SYS_TIMER_SET)         /* (timer, ntfn, deadline)                   */ \
  X(SYS_TIMER_CANCEL)      /* (timer)                                   */ \
  X(SYS_CLOCK)             /* () -> a1 now, a2 ticks per second         */ \
  X(SYS_FRAME_WRITE)       /* (frame, off, src, len): my bytes into it  */

/* Device pages (issue 15). The kernel hands the root task one capability
 * per page of each device the device tree lists with one of these kinds,
 * in slots ROOT_SLOT_DEVICE .. ROOT_SLOT_DEVICE + n - 1 (n, at most
 * MAX_DEVICE_PAGES, arrives in the root task's a1). SYS_DEVICE_INFO says
 * which device a page belongs to: its kind, its physical address and its
 * interrupt source (0: none). docs/DEVICES.md lists what the kernel keeps
 * for itself. */
#define DEVICE_KIND_LIST(X) \
  X(DEV_NONE)          /* 0: not a device the kernel knows              */ \
  X(DEV_UART_NS16550)  /* 1: ns16550a UART (QEMU virt), byte registers   */ \
  X(DEV_UART_SIFIVE)   /* 2: SiFive UART (sifive_u, HiFive boards)       */ \
  X(DEV_VIRTIO_MMIO)   /* 3: a virtio-mmio transport                     */ \
  X(DEV_TEST)          /* 4: QEMU's test / power-off device ("sifive,test0") */ \
  X(DEV_RTC_GOLDFISH)  /* 5: goldfish real-time clock (QEMU virt)        */
#define DEVICE_KIND_ENUM(name) name,
enum device_kind { DEVICE_KIND_LIST(DEVICE_KIND_ENUM) DEV_KIND_COUNT };
#undef DEVICE_KIND_ENUM
#define ROOT_SLOT_DEVICE  96u
#define ROOT_SLOT_IRQ_CONTROL 95u  /* the IRQ-control capability (issue 15) */
#define MAX_DEVICE_PAGES  32u

/* Time (issue 15, docs/DEVICES.md "Time"). A timer (OT_TIMER, from
 * obj_alloc) armed with SYS_TIMER_SET signals a notification once the
 * clock (the `time` counter; SYS_CLOCK: now and ticks per second) reaches
 * its deadline. DEADLINE_NEVER is never reached. At most TIMERS_MAX
 * timers are armed at once in the whole system (E_NO_MEMORY). */
#define DEADLINE_NEVER 0xFFFFFFFFFFFFFFFFull
#define TIMERS_MAX     64u

#define SYSCALL_ENUM(name) name,
enum syscall_nr { SYSCALL_LIST(SYSCALL_ENUM) SYS_COUNT };
#undef SYSCALL_ENUM

#endif
