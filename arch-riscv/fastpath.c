/*
 * fastpath.c: the fast paths' entries, which uentry.S calls before
 * user_trap for an ecall with nr = SYS_CALL (user_fastpath_call),
 * SYS_REPLY_RECV (user_fastpath_reply_recv) or SYS_NOTIFY_SIGNAL
 * (user_fastpath_signal).
 *
 * uentry.S has stored every register of the process in its p_regs row
 * before it calls them, and loads a whole row again after (or calls
 * user_trap afresh), so it keeps nothing in a register across the call.
 * This file is built on its own, without LTO, with -fcall-used-s1 ..
 * -fcall-used-s11 and no frame pointer (arch-riscv/CMakeLists.txt), so
 * that the fast path has 26 registers to work in (s0 is still
 * callee-saved: GCC does not let it go) and saves none of the others.
 * For the kernel functions it runs to
 * be inlined here, their files are compiled into this translation unit
 * a second time (the two #includes below); the object is then weakened
 * (objcopy --weaken), so that every symbol of those copies yields to
 * the kernel's own definition: the rest of the kernel calls and reads
 * only its own functions and tables, compiled with the normal calling
 * convention, and the code of this file reads and writes the same
 * tables. Only the three entries below are defined nowhere else.
 *
 * The C is the proved one, unchanged: kernel/ipc.c's ipc_fast_call,
 * ipc_fast_reply_recv and ntfn_fast_signal (contracts fast_call_ok /
 * fast_reply_recv_ok / fast_signal_ok).
 */
#include "proc.h"

/* inlined here, with the static functions they call that ipc.c does not
 * mark so itself: one leaf function per entry */
inline uint32_t ipc_fast_call(uint32_t cur) __attribute__((always_inline));
inline uint32_t ipc_fast_reply_recv(uint32_t cur) __attribute__((always_inline));
inline uint32_t ntfn_fast_signal(uint32_t cur) __attribute__((always_inline));
static inline uint32_t fast_call_target(uint32_t cur) __attribute__((always_inline));
static inline uint32_t fast_reply_target(uint32_t cur) __attribute__((always_inline));
static inline uint32_t fast_signal_target(uint32_t cur) __attribute__((always_inline));
static inline void wake(uint32_t p) __attribute__((always_inline));
inline uint64_t ticket_take(void) __attribute__((always_inline));
inline void proc_ready(uint32_t p) __attribute__((always_inline));

#include "sched.c"
#include "ipc.c"

#include "riscv.h"
#include "user.h"
#include "uvm.h"

/* The numbers uentry.S uses before calling the fast path entries. */
_Static_assert(SYS_CALL == 24 && SYS_REPLY_RECV == 27 && SYS_NOTIFY_SIGNAL == 29 &&
               EXC_ECALL_U == 8 && REG_PC == 32,
               "uentry.S: SYS_CALL_NR, SYS_REPLY_RECV_NR, SYS_NOTIFY_SIGNAL_NR, EXC_ECALL_U_NR, PC_OFF");

/* Make next the running process, as user.c's switch_to does, when the
 * loaded address space is not next's (the fast path's partner is never
 * the caller): cur_proc, next's satp, its register row. */
static inline uint64_t *switch_to_other(uint32_t next)
{
  cur_proc = next;
  __asm__ volatile("csrw satp, %0" : : "r"(p_satp(IX(next))));   /* uvm_satp */
  sfence_vma_all();
  loaded_proc = next;
  return regs_of(next);
}

/* The running process cur is a ready one: the fast paths' precondition. */
static inline int ready(uint32_t cur)
{
  return cur < NFRAMES && p_state(IX(cur)) == PS_READY;
}

/* What an entry returns for its fast path's result r: not taken
 * (NO_PROC), 0, nothing changed (uentry.S then calls user_trap); taken,
 * the state is what the slow path leaves and we switch to r as user.c's
 * after_syscall would (its direct switch): r's register row. r is never
 * cur (ipc.c: same_receiver, same_caller, same_waiter). */
static inline uint64_t *taken(uint32_t r)
{
  return r == NO_PROC ? 0 : switch_to_other(r);
}

/* One entry per fast path, so that each is only its own path (uentry.S
 * has stored cur's pc past the ecall, as for every ecall):
 * a call, or a reply and receive, with a register-only message whose
 * partner is known without a scan and may run at once (the partner is
 * made ready, cur blocks); a signal that wakes the one waiter on a
 * notification, of priority above cur's (cur stays ready). */
uint64_t *user_fastpath_call(void)
{
  uint32_t cur = cur_proc;
  if (!ready(cur))
    return 0;
  return taken(ipc_fast_call(cur));
}

uint64_t *user_fastpath_reply_recv(void)
{
  uint32_t cur = cur_proc;
  if (!ready(cur))
    return 0;
  return taken(ipc_fast_reply_recv(cur));
}

uint64_t *user_fastpath_signal(void)
{
  uint32_t cur = cur_proc;
  if (!ready(cur))
    return 0;
  return taken(ntfn_fast_signal(cur));
}
