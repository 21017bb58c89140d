/*
 * trap.c: what happens on a trap. The kernel expects only the timer
 * interrupt (and, during the register self-test, one breakpoint);
 * anything else is a bug and fails loudly: cause, faulting address, pc
 * and all 31 registers, then a failure power-off.
 */
#include "trap.h"
#include "boot.h"
#include "console.h"
#include "power.h"
#include "riscv.h"
#include "timer.h"

/* set while trap_selftest() runs: the breakpoint it takes is expected */
static volatile int selftest_armed;
/* registers the breakpoint handler found wrong in the frame */
static volatile int selftest_frame_mismatches;
static volatile int selftest_hits;

static const char *const reg_names[32] = {
  "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1",
  "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
  "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

const char *scause_name(uint64_t scause)
{
  static const char *const exceptions[16] = {
    "instruction address misaligned", "instruction access fault",
    "illegal instruction", "breakpoint", "load address misaligned",
    "load access fault", "store/AMO address misaligned",
    "store/AMO access fault", "environment call from U-mode",
    "environment call from S-mode", "reserved", "environment call from M-mode",
    "instruction page fault", "load page fault", "reserved",
    "store/AMO page fault",
  };
  uint64_t code = SCAUSE_CODE(scause);
  if (scause & SCAUSE_INTERRUPT) {
    if (code == IRQ_S_SOFT) return "supervisor software interrupt";
    if (code == IRQ_S_TIMER) return "supervisor timer interrupt";
    if (code == IRQ_S_EXT) return "supervisor external interrupt";
    return "unknown interrupt";
  }
  return code < 16 ? exceptions[code] : "unknown exception";
}

/* the kernel stack trap_vector accepts sp in (read by trapvec.S) */
uint64_t trap_stack_lo, trap_stack_hi;

void trap_set_kernel_stack(uint64_t lo, uint64_t hi)
{
  trap_stack_lo = lo;
  trap_stack_hi = hi;
}

void trap_init(void)
{
  trap_set_kernel_stack((uint64_t)(uintptr_t)boot_stack, (uint64_t)(uintptr_t)boot_stack_top);
  w_sscratch(0);
  w_stvec((uint64_t)(uintptr_t)trap_vector);
}

void trap_fatal(const struct trap_frame *tf, const char *why)
{
  static volatile int dying;
  intr_off();
  if (dying)                          /* a trap while reporting one: just stop */
    power_fail();
  dying = 1;
  kprintf("\n*** FATAL: %s in %s-mode\n", why,
          (tf->sstatus & SSTATUS_SPP) ? "S" : "U");
  kprintf("scause  0x%016lx (%s)\n", (unsigned long)tf->scause, scause_name(tf->scause));
  kprintf("stval   0x%016lx\n", (unsigned long)tf->stval);
  kprintf("sepc    0x%016lx\n", (unsigned long)tf->sepc);
  kprintf("sstatus 0x%016lx\n", (unsigned long)tf->sstatus);
  for (int i = 1; i < 32; i++)
    kprintf("x%-2d %-4s 0x%016lx%s", i, reg_names[i], (unsigned long)tf->regs[i],
            i % 3 == 0 || i == 31 ? "\n" : "   ");
  kprintf("*** powering off with failure status\n");
  power_fail();
}

/* the breakpoint taken by trap_selftest_run(): check the frame, skip, flip a0 */
static void selftest_breakpoint(struct trap_frame *tf)
{
  for (int i = 1; i < 32; i++)
    if (i != 2 && tf->regs[i] != trap_test_pattern(i))
      selftest_frame_mismatches++;
  selftest_hits++;
  tf->regs[10] = ~tf->regs[10];       /* a0: proves the return path reads the frame */
  uint16_t insn = *(const uint16_t *)(uintptr_t)tf->sepc;
  tf->sepc += (insn & 3) == 3 ? 4 : 2;
}

void trap_dispatch(struct trap_frame *tf)
{
  uint64_t code = SCAUSE_CODE(tf->scause);
  if (tf->scause & SCAUSE_INTERRUPT) {
    if (code == IRQ_S_TIMER) {
      timer_interrupt();
      return;
    }
    trap_fatal(tf, "unexpected interrupt");
  }
  if (code == EXC_BREAKPOINT && selftest_armed) {
    selftest_breakpoint(tf);
    return;
  }
  trap_fatal(tf, "unexpected trap");
}

void trap_bad_stack(struct trap_frame *tf)
{
  trap_fatal(tf, "trap with sp outside the kernel stack (stack overflow?)");
}

int trap_selftest(void)
{
  uint64_t out[32];
  int bad = 0;
  selftest_frame_mismatches = 0;
  selftest_hits = 0;
  selftest_armed = 1;
  trap_selftest_run(out);
  selftest_armed = 0;
  for (int i = 1; i < 32; i++) {
    uint64_t want = i == 10 ? ~trap_test_pattern(10) : trap_test_pattern(i);
    if (i != 2 && out[i] != want)
      bad++;
  }
  if (out[0] != 0)
    bad++;
  if (selftest_hits != 1)
    bad++;
  return bad + selftest_frame_mismatches;
}
