/*
 * trap.h: the trap frame, shared by trapvec.S and C.
 *
 * Every trap saves the whole register file into a struct trap_frame and
 * every return restores it from there, sepc and sstatus included. So a
 * handler may change any field (skip an instruction, return a value in
 * a0, switch to another saved context by pointing sp elsewhere) and the
 * trapped code resumes with exactly what the frame holds. (Traps from
 * U-mode do not use it: uentry.S keeps a process's registers in its
 * record, p_reg.)
 */
#ifndef ARCH_RISCV_TRAP_H
#define ARCH_RISCV_TRAP_H

/* byte offsets, for trapvec.S */
#define TF_REG(i)   ((i) * 8)   /* register xi; slot 0 (x0) is unused */
#define TF_SEPC     256
#define TF_SSTATUS  264
#define TF_SCAUSE   272
#define TF_STVAL    280
#define TF_SIZE     288         /* a multiple of 16: keeps sp aligned */

/* values the register self-test loads into xi before its ebreak */
#define TRAP_TEST_PATTERN_BASE 0x5eed000000000000
#define TRAP_TEST_PATTERN_STEP 0x0001000100010001

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trap_frame {
  uint64_t regs[32];   /* x0..x31 as they were at the trap; regs[2] is sp */
  uint64_t sepc;       /* where to resume */
  uint64_t sstatus;    /* restored on return: SPP, SPIE decide mode and SIE */
  uint64_t scause;     /* read-only for handlers: why we trapped */
  uint64_t stval;      /* faulting address or instruction */
};

_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, sepc) == TF_SEPC, "trap frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, sstatus) == TF_SSTATUS, "trap frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, scause) == TF_SCAUSE, "trap frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, stval) == TF_STVAL, "trap frame layout");

static inline uint64_t trap_test_pattern(int i)
{
  return TRAP_TEST_PATTERN_BASE + (uint64_t)i * TRAP_TEST_PATTERN_STEP;
}

/* trapvec.S */
void trap_vector(void);
/* loads patterns into x1 and x3..x31, ebreak, stores x0..x31 into out[32] */
void trap_selftest_run(uint64_t out[32]);

/* trap.c */
void trap_init(void);                 /* stvec = trap_vector, stack = boot_stack */
/*
 * The stack the kernel runs on: trap_vector treats a trap with sp outside
 * [lo + TF_SIZE, hi] as a stack overflow. Call it when switching the
 * kernel to another stack.
 */
void trap_set_kernel_stack(uint64_t lo, uint64_t hi);
void trap_dispatch(struct trap_frame *tf);
/* trapvec.S found sp outside the kernel stack: report and fail */
void __attribute__((noreturn)) trap_bad_stack(struct trap_frame *tf);
/* check that a trap saves and restores every register; 0 if all good */
int trap_selftest(void);
void __attribute__((noreturn)) trap_fatal(const struct trap_frame *tf, const char *why);
const char *scause_name(uint64_t scause);

#endif
#endif
