/*
 * user.c: the process side of the kernel. Boot of the root task, the trap
 * path from U-mode (syscalls, faults, timer ticks), context switch and
 * the idle hart.
 *
 * One kernel stack; the kernel runs with interrupts off. A process's
 * registers always live in its record (p_reg, kernel/include/records.h:
 * the first bytes of its frame): uentry.S stores them there on a trap and
 * loads the next process's from there (no trap frame, no copies).
 */
#include "user.h"
#include "console.h"
#include "memlayout.h"
#include "power.h"
#include "riscv.h"
#include "sbi.h"
#include "uvm.h"
#include "proc.h"
#include "internal.h"
#include "ktables.h"
#include "boot.h"

extern const uint8_t roottask_image[], roottask_image_end[];

static uint8_t kstack[KSTACK_SIZE] __attribute__((aligned(16)));
uint64_t user_kstack_top;              /* sp on every trap (uentry.S) */
static uint64_t slice;                 /* time units per slice */
uint32_t loaded_proc = MAXFRAMES;  /* NO_PROC; whose satp is loaded (fastpath.c too) */

static const char *const reg_names[32] = {
  "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1",
  "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
  "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

/* A kernel bug seen on the user trap path: report it with the trapped
 * process's registers, as trap.c reports any other. */
static void __attribute__((noreturn)) user_fatal(uint32_t cur, uint64_t scause,
                                                 uint64_t stval, const char *why)
{
  struct trap_frame tf;
  for (int i = 0; i < 32; i++)
    tf.regs[i] = cur < NFRAMES && i > 0 ? p_reg(cur, i) : 0;
  tf.sepc = cur < NFRAMES ? p_reg(cur, REG_PC) : 0;
  tf.sstatus = r_sstatus();
  tf.scause = scause;
  tf.stval = stval;
  trap_fatal(&tf, why);
  for (;;)
    ;
}

#ifdef ENTRY_STATS
static void entry_stats_print(void);     /* below, with the counters */
#endif

/* The root task's fate: the verdict of the whole run. Booted as a test
 * suite or a system, the root task is the one process whose end says
 * whether the system worked; a script or a boot checker reads it from
 * the power-off status (QEMU's exit status on virt). */
enum root_fate { ROOT_RUNNING, ROOT_EXITED_OK, ROOT_EXITED_ERROR, ROOT_FAULTED };
static uint32_t root_proc = MAXFRAMES, root_gen;   /* NO_PROC */
static enum root_fate root_fate = ROOT_RUNNING;
static uint64_t root_why;              /* exit code, or scause of the fault */

void user_stopped(uint32_t p, int faulted, uint64_t why)
{
  if (p != root_proc || p_gen(p) != root_gen || root_fate != ROOT_RUNNING)
    return;
  root_fate = faulted ? ROOT_FAULTED : why == 0 ? ROOT_EXITED_OK : ROOT_EXITED_ERROR;
  root_why = why;
}

/* A fault report in words: process, cause, address, every register. */
static void fault_report(uint32_t p, uint64_t scause, uint64_t stval)
{
  user_stopped(p, 1, scause);
  kprintf("fault: process %u stopped: %s at address 0x%lx, pc 0x%lx\n",
          (unsigned)p, scause_name(scause), (unsigned long)stval,
          (unsigned long)p_reg(p, REG_PC));
  for (int i = 1; i < 32; i++)
    kprintf("  %-4s 0x%016lx%s", reg_names[i], (unsigned long)p_reg(p, i),
            i % 4 == 0 || i == 31 ? "\n" : "");
}

/* No process is ready. Nothing but a process can make another one ready
 * (no device interrupt reaches user space), so the system has settled:
 * say so and power off; where SBI cannot power off (sifive_u), idle in
 * wfi with interrupts masked. The power-off is a failure unless the root
 * task exited with code 0: it exited with another code, stopped on a
 * fault, or never exited (blocked for ever: the system is stuck). */
static void __attribute__((noreturn)) idle(void)
{
  c_sie(SIE_STIE);
#ifdef ENTRY_STATS
  entry_stats_print();
#endif
  if (root_fate != ROOT_EXITED_OK) {
    if (root_fate == ROOT_EXITED_ERROR)
      kprintf("capkernel: the root task (process %u) FAILED: exit code %lu\n",
              (unsigned)root_proc, (unsigned long)root_why);
    else if (root_fate == ROOT_FAULTED)
      kprintf("capkernel: the root task (process %u) FAILED: stopped on a fault (%s)\n",
              (unsigned)root_proc, scause_name(root_why));
    else
      kprintf("capkernel: the root task (process %u) FAILED: it never exited\n",
              (unsigned)root_proc);
    kprintf("capkernel: idle: no process is ready; failure status, powering off\n");
    power_fail();
  }
  kprintf("capkernel: idle: no process is ready; powering off\n");
  power_off();
  for (;;)
    wait_for_interrupt();
}

/* Make next the running process: its address space. Its registers stay
 * in p_regs, where uentry.S loads them from. */
static uint64_t *switch_to(uint32_t next)
{
  cur_proc = next;
  if (next != loaded_proc) {
    __asm__ volatile("csrw satp, %0" : : "r"(p_satp(IX(next))));   /* uvm_satp */
    sfence_vma_all();
    loaded_proc = next;
  }
  return regs_of(next);
}

/* Pick the next process; its register row. */
static uint64_t *schedule(void)
{
  uint32_t next = sched_pick();
  if (next == NO_PROC)
    idle();
  return switch_to(next);
}

static void timer_rearm(void)
{
  sbi_set_timer(r_time() + slice);
}

/* After a syscall of cur that took `tickets` tickets in all: who runs. */
static uint64_t *after_syscall(uint32_t cur, uint64_t tickets)
{
  /* No ticket taken: no process became ready or blocked, so the caller,
   * still ready, is still the one to run (skip the scheduler's scan). */
  if (tickets == 0 && proc_live(cur) && p_state(cur) == PS_READY)
    return regs_of(cur);
  /* Direct switch (as seL4's fastpath): a call or reply that readied
   * exactly its partner and blocked the caller (two tickets) hands the
   * CPU to the partner if its priority is at least the caller's. The
   * caller ran because no ready process had a higher priority, and only
   * the partner became ready, so the partner is a highest-priority ready
   * process; among equals it goes first (the caller donates the rest of
   * its time slice). Otherwise: the scan. */
  uint32_t r = ipc_partner;
  if (tickets == 2 && r != NO_PROC && proc_live(r) && p_state(r) == PS_READY &&
      p_state(cur) != PS_READY && p_prio(r) >= p_prio(cur))
    return switch_to(r);
  /* Direct switch for a signal, send or reply that woke its partner r
   * (one ticket: r's), the caller still ready: if r's priority is above
   * the caller's, r is
   * the one highest-priority ready process (the caller ran as a highest
   * one, and only r became ready), so the scheduler would pick it. Not
   * above: the scan (among equals the oldest ticket goes first, which
   * need not be the caller's after a direct switch). */
  if (tickets == 1 && r != NO_PROC && r != cur && proc_live(r) && p_state(r) == PS_READY &&
      proc_live(cur) && p_state(cur) == PS_READY && p_prio(r) > p_prio(cur))
    return switch_to(r);
  return schedule();
}

#ifdef ENTRY_STATS
/* Entry statistics (the stats image, docs/BENCHMARKS.md): the number of
 * traps user_trap handled and the longest, in instructions retired from
 * its start to its return (the register save and restore around it, about
 * 40 instructions, and the fast paths, which never come here, are not
 * counted). Printed when the system goes idle. */
static uint64_t entries, entry_max, entry_max_cause, entry_max_nr;

static void entry_stats_print(void)
{
  kprintf("capkernel: entries: %lu through user_trap; the longest %lu instructions (%s",
          (unsigned long)entries, (unsigned long)entry_max,
          entry_max_cause & SCAUSE_INTERRUPT ? "interrupt" :
          SCAUSE_CODE(entry_max_cause) == EXC_ECALL_U ? "syscall " : "exception");
  if (!(entry_max_cause & SCAUSE_INTERRUPT) && SCAUSE_CODE(entry_max_cause) == EXC_ECALL_U)
    kprintf("%lu", (unsigned long)entry_max_nr);
  kprintf(")\n");
}
#endif

static uint64_t *handle_trap(uint64_t scause, uint64_t stval);

uint64_t *user_trap(uint64_t scause, uint64_t stval)
{
#ifdef ENTRY_STATS
  uint64_t t0 = r_instret();
  uint64_t nr = cur_proc < NFRAMES ? p_reg(cur_proc, 17) : 0;
  uint64_t *row = handle_trap(scause, stval);
  uint64_t n = r_instret() - t0;
  entries++;
  if (n > entry_max) {
    entry_max = n;
    entry_max_cause = scause;
    entry_max_nr = nr;
  }
  return row;
#else
  return handle_trap(scause, stval);
#endif
}

static uint64_t *handle_trap(uint64_t scause, uint64_t stval)
{
  uint32_t cur = cur_proc;
  uint64_t code = SCAUSE_CODE(scause);
  if ((r_sstatus() & SSTATUS_SPP) != 0)
    user_fatal(cur, scause, stval, "trap from S-mode through the user vector");
  if (cur >= NFRAMES)
    user_fatal(cur, scause, stval, "trap from U-mode with no current process");
  if (scause & SCAUSE_INTERRUPT) {
    if (code != IRQ_S_TIMER)
      user_fatal(cur, scause, stval, "unexpected interrupt");
    timer_rearm();
    sched_tick();
  } else if (code == EXC_ECALL_U) {
    uint64_t tickets = next_ticket;
    /* the pc is past the ecall already (uentry.S) */
    syscall_dispatch(cur);
    return after_syscall(cur, next_ticket - tickets);
  } else {
    if (ipc_fault(cur, LABEL_FAULT, scause, stval, p_reg(cur, REG_PC)) == 0)
      fault_report(cur, scause, stval);
  }
  return schedule();
}

/* Map n zeroed pages at va for p, frames paid by container c. */
static uint32_t map_fresh(uint32_t p, uint32_t c, uint64_t va, unsigned n,
                          uint32_t perm)
{
  for (unsigned i = 0; i < n; i++) {
    struct frame_ret f = kobj_alloc(c, OT_FRAME);
    if (f.err != E_OK)
      return f.err;
    frame_zero(f.frame);
    uint32_t e = uvm_map(p, f.frame, va + (uint64_t)i * PAGE_SIZE, perm, 0);
    if (e != E_OK)
      return e;
  }
  return E_OK;
}

/* What the kernel manages (issue 13): every line a boot test reads. */
static void report_memory(const struct frames_plan *plan, uint32_t root, uint32_t root_cs)
{
  uint64_t frames = (uint64_t)NFRAMES * PAGE_SIZE;
  uint64_t unused = plan->free_total - frames - plan->tables_bytes;
  uint64_t data = (uint64_t)(_kernel_end - _erodata);
  kprintf("user: %u managed frames at 0x%lx (%lu MiB, %u run%s of RAM), frame window "
          "0x%lx-0x%lx; root container %u, root cspace %u\n", (unsigned)NFRAMES,
          (unsigned long)plan->frames_pa, (unsigned long)(frames >> 20), plan->frame_runs,
          plan->frame_runs == 1 ? "" : "s",
          (unsigned long)FWIN_BASE, (unsigned long)(FWIN_BASE + frames - 1),
          (unsigned)root, (unsigned)root_cs);
  kprintf("user: kernel metadata %lu KiB: %lu bytes per managed frame (%u tables of "
          "%lu bytes a frame, data and bss %lu KiB)\n",
          (unsigned long)((plan->tables_bytes + data) >> 10),
          (unsigned long)((plan->tables_bytes + data) / NFRAMES), ktables_count(),
          (unsigned long)ktables_row_bytes(), (unsigned long)(data >> 10));
  kprintf("user: free RAM %lu KiB = frames %lu KiB + tables %lu KiB (in %u free ranges) "
          "+ unused %lu KiB\n", (unsigned long)(plan->free_total >> 10),
          (unsigned long)(frames >> 10), (unsigned long)(plan->tables_bytes >> 10),
          plan->table_runs, (unsigned long)(unused >> 10));
  if (plan->capped)
    kprintf("user: more RAM than the kernel supports: it manages its maximum, %u frames "
            "(%lu GiB); %lu KiB stay unused\n", (unsigned)MAXFRAMES,
            (unsigned long)((uint64_t)MAXFRAMES * PAGE_SIZE >> 30),
            (unsigned long)(unused >> 10));
}

void user_start(const struct boot_info *bi)
{
  const uint32_t root = 0, root_cs = 1;
  uint64_t entry = 0;
  struct frames_plan plan;
  int fe = frames_init(bi, &plan);
  if (fe == -1) {
    /* RAM it takes: what lies below the run's start (firmware, kernel),
     * the run, and the firmware's device tree at the top (QEMU's),
     * rounded up to MiB */
    uint64_t ram_base = bi->fdt.nmem > 0 ? bi->fdt.mem[0].base : bi->kernel_pa;
    uint64_t below = plan.run_base > ram_base ? plan.run_base - ram_base : 0;
    uint64_t want = below + plan.need_min + bi->fdt.totalsize + (1ul << 20);
    unsigned long mib = (unsigned long)((want + (1ul << 20) - 1) >> 20);
    kprintf("user: the kernel needs one free run of %lu KiB of RAM for its %u frames "
            "and their tables; the largest here is %lu KiB.\nuser: give the machine more "
            "RAM: at least %lu MiB (QEMU: -m %luM)\n", (unsigned long)(plan.need_min >> 10),
            MINFRAMES, (unsigned long)(plan.run_size >> 10), mib, mib);
    power_fail();
  }
  if (fe != 0) {
    kprintf("user: mapping the frame window failed (boot page-table pool: %lu of %u "
            "frames used)\n", (unsigned long)bi->pt_used, BOOT_PT_FRAMES);
    power_fail();
  }
  uvm_init(bi->root_pa);
  kernel_init(root, root_cs);
  report_memory(&plan, root, root_cs);
  struct frame_ret pr = kobj_alloc(root, OT_PROCESS);
  if (pr.err != E_OK)
    power_fail();
  uint32_t p = pr.frame;
  proc_make(p, root, root_cs, NPRIO - 1);
  uvm_process_new(p);
  slot_set(root_cs, ROOT_SLOT_PROCESS, OT_PROCESS, p, frame_gen[p], 1, 1, 1, 0);

  uint32_t e = elf_load_kernel(p, root, roottask_image,
                               (uint64_t)(roottask_image_end - roottask_image), &entry);
  if (e == E_OK)
    e = map_fresh(p, root, USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE,
                  USER_STACK_PAGES, UPERM_R | UPERM_W);
  if (e != E_OK) {
    kprintf("user: loading the root task failed: %s\n", kerr_name(e));
    power_fail();
  }
  p_reg(p, REG_PC) = entry;
  p_reg(p, 2) = USER_STACK_TOP;
  p_reg(p, 10) = ROOT_FIRST_FREE;
  proc_ready(p);
  root_proc = p;
  root_gen = p_gen(p);
  kprintf("user: root task is process %u, entry 0x%lx, %lu bytes of ELF; "
          "root container usage %u of %u frames\n", (unsigned)p,
          (unsigned long)entry, (unsigned long)(roottask_image_end - roottask_image),
          (unsigned)c_usage(root), (unsigned)c_limit(root));

  slice = bi->fdt.timebase_hz / SLICE_HZ;
  if (slice == 0)
    slice = 1;
  /* user mode may read time, cycle and instret (benchmarks) */
  __asm__ volatile("csrw scounteren, %0" : : "r"(7ul));
  /* traps from S-mode (kernel bugs) now happen on kstack: tell trap.c */
  trap_set_kernel_stack((uint64_t)(uintptr_t)kstack,
                        (uint64_t)(uintptr_t)(kstack + KSTACK_SIZE));
  w_stvec((uint64_t)(uintptr_t)user_vector);
  timer_rearm();
  s_sie(SIE_STIE);
  user_kstack_top = (uint64_t)(uintptr_t)(kstack + KSTACK_SIZE);
  /* the first sret goes to U-mode (SPP = 0) with interrupts on there
   * (SPIE = 1); every later trap from U-mode leaves these bits so */
  uint64_t sst = (r_sstatus() & ~(SSTATUS_SPP | SSTATUS_SIE | SSTATUS_SUM)) | SSTATUS_SPIE;
  __asm__ volatile("csrw sstatus, %0" : : "r"(sst));
  user_return(schedule());
}
