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
#include "irq.h"
#include "plic.h"
#include "timers.h"
#include "ktables.h"
#include "boot.h"

extern const uint8_t roottask_image[], roottask_image_end[];

static uint8_t kstack[KSTACK_SIZE] __attribute__((aligned(16)));
uint64_t user_kstack_top;              /* sp on every trap (uentry.S) */
static uint64_t slice;                 /* time units per slice */
static uint64_t slice_end;             /* when the running slice ends */
static uint64_t time_hz;               /* ticks of `time` per second */
static int clock_sstc;                 /* the boot hart has Sstc: stimecmp */
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

static uint32_t external_interrupt(void);
static int can_wake(void);
static void timer_rearm(void);

/* No process is ready, and no interrupt can make one ready (idle_wait),
 * so the system has settled: say so and power off; where SBI cannot
 * power off (sifive_u), idle in wfi with interrupts masked. The power-off is a failure unless the root
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

/* Fire every armed timer that is due (the proved core decides which,
 * timer_due, and whom each signals, timer_fire). The woken process of
 * highest priority, or NO_PROC. */
static uint32_t timers_expire(void)
{
  uint64_t now = r_time();
  uint32_t r, best = NO_PROC;
  while ((r = timer_due(now)) < NTIMERS) {
    struct send_ret f = timer_fire(r);
    if (f.partner < NFRAMES && (best == NO_PROC || p_prio(f.partner) > p_prio(best)))
      best = f.partner;
  }
  return best;
}

/* The hart's timer fires once `time` reaches t: with Sstc (QEMU virt)
 * the kernel writes stimecmp itself, else it asks SBI (sifive_u, the
 * HiFive boards), which costs two trips to M-mode (the call, and the
 * machine timer interrupt OpenSBI forwards). Either way the pending
 * timer interrupt clears when t is in the future. */
static void clock_set(uint64_t t)
{
  if (clock_sstc)
    __asm__ volatile("csrw 0x14d, %0" : : "r"(t));     /* stimecmp */
  else
    sbi_set_timer(t);
}

/* The one SBI timer, multiplexed: it fires at the end of the running
 * slice or at the earliest armed timer's deadline, whichever comes
 * first. */
static void clock_program(void)
{
  uint64_t t = timer_next();
  clock_set(t < slice_end ? t : slice_end);
}

/* A timer was armed or cancelled (syscall.c): fire what is due now (a
 * deadline already past signals before the call returns) and program
 * the clock again. The woken process of highest priority, or NO_PROC. */
uint32_t clock_update(void)
{
  uint32_t w = timers_expire();
  clock_program();
  return w;
}

uint64_t clock_hz(void)
{
  return time_hz;
}

/* No process is ready. While a driver waits for an interrupt that can
 * come, or a process for an armed timer (can_wake), wait for it with no time slice: the hart sleeps in wfi (sstatus.SIE is
 * 0 in the kernel, so the interrupt wakes it without a trap), the
 * claimed interrupt is delivered and due timers fire here. Otherwise
 * idle. */
static uint32_t idle_wait(void)
{
  if (!can_wake())
    idle();
  for (;;) {
    uint64_t t = timer_next();
    clock_set(t);                  /* the timers only; DEADLINE_NEVER: off */
    if (t == DEADLINE_NEVER)
      c_sie(SIE_STIE);
    else
      s_sie(SIE_STIE);
    wait_for_interrupt();
    if (r_sip() & SIE_SEIE)
      external_interrupt();
    timers_expire();
    uint32_t next = sched_pick();
    if (next != NO_PROC) {
      timer_rearm();
      s_sie(SIE_STIE);
      return next;
    }
    if (!can_wake())
      idle();
  }
}

static uint64_t *schedule(void)
{
  uint32_t next = sched_pick();
  if (next == NO_PROC)
    next = idle_wait();
  return switch_to(next);
}

/* A new time slice starts now. */
static void timer_rearm(void)
{
  slice_end = r_time() + slice;
  clock_program();
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

/* A device interrupted cur, which was running, so no ready process had a
 * higher priority: a woken driver of higher priority is now the one to
 * run (its interrupt preempts), else cur goes on. (Apart from handle_trap,
 * so that the syscall path does not pay for its registers.) */
static __attribute__((noinline)) uint64_t *device_interrupt(uint32_t cur)
{
  uint32_t w = external_interrupt();
  if (w == NO_PROC || p_prio(w) <= p_prio(cur))
    return regs_of(cur);
  return switch_to(w);
}

/* The SBI timer fired: due timers fire first; then, if the slice is
 * over, cur goes to the back of its round robin and the scheduler picks;
 * otherwise a woken process of higher priority than cur preempts it (as
 * device_interrupt), else cur goes on. */
static __attribute__((noinline)) uint64_t *clock_interrupt(uint32_t cur)
{
  uint32_t w = timers_expire();
  if (r_time() >= slice_end) {
    timer_rearm();
    sched_tick();
    return schedule();
  }
  clock_program();
  if (w == NO_PROC || p_prio(w) <= p_prio(cur))
    return regs_of(cur);
  return switch_to(w);
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
    if (code == IRQ_S_EXT)
      return device_interrupt(cur);
    else if (code == IRQ_S_TIMER)
      return clock_interrupt(cur);
    else
      user_fatal(cur, scause, stval, "unexpected interrupt");
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
    uint32_t e = uvm_boot_map(p, f.frame, va + (uint64_t)i * PAGE_SIZE, perm);
    if (e != E_OK)
      return e;
  }
  return E_OK;
}

/* What the kernel manages (issue 13): every line a boot test reads. */
static void report_memory(const struct frames_plan *plan, uint32_t root, uint32_t root_cs)
{
  uint64_t frames = (uint64_t)NFRAMES * PAGE_SIZE;
  uint32_t ram_frames = NFRAMES - plan->device_pages;
  uint64_t unused = plan->free_total - frames - plan->tables_bytes;
  uint64_t data = (uint64_t)(_kernel_end - _erodata);
  kprintf("user: %u managed frames at 0x%lx (%lu MiB, %u run%s of RAM), frame window "
          "0x%lx-0x%lx; root container %u, root cspace %u\n", (unsigned)ram_frames,
          (unsigned long)plan->frames_pa, (unsigned long)((uint64_t)ram_frames * PAGE_SIZE >> 20),
          plan->frame_runs,
          plan->frame_runs == 1 ? "" : "s",
          (unsigned long)FWIN_BASE, (unsigned long)(FWIN_BASE + frames - 1),
          (unsigned)root, (unsigned)root_cs);
  if (plan->device_pages)
    kprintf("user: frames %u-%u are device pages (the RAM behind them in the window "
            "stays unused)\n", device_first(), device_first() + plan->device_pages - 1);
  kprintf("user: kernel metadata %lu KiB: %lu bytes per managed frame (%u tables of "
          "%lu bytes a frame, data and bss %lu KiB)\n",
          (unsigned long)((plan->tables_bytes + data) >> 10),
          (unsigned long)((plan->tables_bytes + data) / NFRAMES), ktables_count(),
          (unsigned long)ktables_row_bytes(), (unsigned long)(data >> 10));
  kprintf("user: free RAM %lu KiB = frames %lu KiB + tables %lu KiB (in %u free range%s) "
          "+ unused %lu KiB\n", (unsigned long)(plan->free_total >> 10),
          (unsigned long)(frames >> 10), (unsigned long)(plan->tables_bytes >> 10),
          plan->table_runs, plan->table_runs == 1 ? "" : "s", (unsigned long)(unused >> 10));
  if (plan->capped)
    kprintf("user: more RAM than the kernel supports: it manages its maximum, %u frames "
            "(%lu GiB); %lu KiB stay unused\n", (unsigned)MAXFRAMES,
            (unsigned long)((uint64_t)MAXFRAMES * PAGE_SIZE >> 30),
            (unsigned long)(unused >> 10));
}

static const char *const device_kind_names[] = {
#define DEVICE_KIND_NAME(name) #name,
  DEVICE_KIND_LIST(DEVICE_KIND_NAME)
#undef DEVICE_KIND_NAME
};

/* Hand the root task the device pages (frames 0 .. n - 1, uvm.c): a
 * capability to each in slot ROOT_SLOT_DEVICE + i, paid for by the root
 * container (device_alloc, the proved core). */
static void devices_hand_out(uint32_t root_cs, const struct frames_plan *plan)
{
  uint32_t n = device_pages(), first = device_first();
  for (uint32_t i = 0; i < n; i++) {
    uint32_t kind, irq, f = first + i;
    uint64_t pa;
    kerr_t e = typed_alloc(root_cs, ROOT_SLOT_CONTAINER, OT_DEVICE, ROOT_SLOT_DEVICE + i);
    if (e != E_OK || cap_obj[root_cs][ROOT_SLOT_DEVICE + i] != f ||
        !device_page_info(f, &kind, &pa, &irq)) {
      kprintf("user: handing out device page %u failed: %s\n", (unsigned)f, kerr_name(e));
      power_fail();
    }
    kprintf("user: device page %u (frame %u): %s at 0x%lx, interrupt %u, root task slot %u\n",
            (unsigned)i, (unsigned)f, kind < DEV_KIND_COUNT ? device_kind_names[kind] : "?",
            (unsigned long)pa, (unsigned)irq, (unsigned)(ROOT_SLOT_DEVICE + i));
  }
  if (plan->device_pages_dropped)
    kprintf("user: %u more device pages than the root task's %u slots for them: "
            "left out\n", (unsigned)plan->device_pages_dropped, MAX_DEVICE_PAGES);
}

/* The interrupts (issue 15): the PLIC's S-mode context of this hart, and
 * the IRQ-control capability for the root task. */
static void interrupts_hand_out(const struct boot_info *bi, uint32_t root_cs)
{
  uint32_t n = plic_init(&bi->fdt, bi->hartid);
  if (n == 0) {
    kprintf("user: no PLIC context for hart %lu: no interrupts for drivers\n",
            (unsigned long)bi->hartid);
    irq_sources = 1;                  /* no source: every handler refused */
  } else {
    irq_sources = n;
    kprintf("user: PLIC at 0x%lx, sources 1-%u, context %u; IRQ control in root task "
            "slot %u\n", (unsigned long)bi->fdt.plic.base, (unsigned)n - 1,
            (unsigned)plic_context(), ROOT_SLOT_IRQ_CONTROL);
  }
  kerr_t e = typed_alloc(root_cs, ROOT_SLOT_CONTAINER, OT_IRQ_CONTROL, ROOT_SLOT_IRQ_CONTROL);
  if (e != E_OK) {
    kprintf("user: making the IRQ control failed: %s\n", kerr_name(e));
    power_fail();
  }
}

/* Source s's claimed interrupt went nowhere (no live handler, or one with
 * no live notification): give the claim back and keep the source quiet
 * until a handler binds it again (irq_set_ntfn enables it). */
static void irq_drop(uint32_t s)
{
  plic_disable(s);
  plic_complete(s);
}

/* A device interrupted: claim every pending source and let the proved core
 * signal its handler's notification (irq_deliver); the claim stays until
 * the driver's irq_ack. The woken driver of highest priority, or NO_PROC. */
static uint32_t external_interrupt(void)
{
  uint32_t s, best = NO_PROC;
  while ((s = plic_claim()) != 0) {
    if (s >= irq_sources) {
      plic_complete(s);
      continue;
    }
    struct send_ret r = irq_deliver(s);
    if (r.err != E_OK)
      irq_drop(s);
    else if (r.partner < NFRAMES && (best == NO_PROC || p_prio(r.partner) > p_prio(best)))
      best = r.partner;
  }
  return best;
}

/* Can an interrupt or a timer still make a process ready? Some process
 * waits on a notification that a live handler is bound to, whose source
 * is not held (a claim not yet acknowledged masks it: irq_target), or
 * that an armed timer will signal at a deadline that is not
 * DEADLINE_NEVER (timer_target; rows from tmr_hi on name no timer).
 * (Only the idle hart asks: one pass over the processes.) */
static int can_wake(void)
{
  for (uint32_t p = 0; p < p_hi && p < NFRAMES; p++) {
    if (!proc_live(p) || p_state(p) != PS_NOTIF)
      continue;
    for (uint32_t s = 1; s < irq_sources; s++)
      if (irq_pending[s] == 0 && irq_target(s) == p_wait(p))
        return 1;
    for (uint32_t r = 0; r < tmr_hi; r++)
      if (tmr_deadline[r] != DEADLINE_NEVER && timer_target(r) == p_wait(p))
        return 1;
  }
  return 0;
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
  if (ppn_check() != 0) {
    kprintf("user: frame_ppn / ppn_frame disagree (kernel/include/vspace.h, ppn_wf)\n");
    power_fail();
  }
  kernel_init(root, root_cs);
  report_memory(&plan, root, root_cs);
  devices_hand_out(root_cs, &plan);
  interrupts_hand_out(bi, root_cs);
  timers_init();
  struct frame_ret pr = kobj_alloc(root, OT_PROCESS);
  if (pr.err != E_OK)
    power_fail();
  uint32_t p = pr.frame;
  proc_make(p, root, root_cs, NPRIO - 1);
  process_new(p);
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
  p_reg(p, 11) = plan.device_pages;
  proc_ready(p);
  root_proc = p;
  root_gen = p_gen(p);
  kprintf("user: root task is process %u, entry 0x%lx, %lu bytes of ELF; "
          "root container usage %u of %u frames\n", (unsigned)p,
          (unsigned long)entry, (unsigned long)(roottask_image_end - roottask_image),
          (unsigned)c_usage(root), (unsigned)c_limit(root));

  time_hz = bi->fdt.timebase_hz;
  for (unsigned i = 0; i < bi->fdt.nharts; i++)
    if (bi->fdt.harts[i].hartid == bi->hartid)
      clock_sstc = bi->fdt.harts[i].sstc;
  kprintf("user: the timer: %s\n", clock_sstc ? "Sstc, the kernel writes stimecmp"
                                              : "through SBI (no Sstc)");
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
  s_sie(SIE_STIE | SIE_SEIE);
  user_kstack_top = (uint64_t)(uintptr_t)(kstack + KSTACK_SIZE);
  /* the first sret goes to U-mode (SPP = 0) with interrupts on there
   * (SPIE = 1); every later trap from U-mode leaves these bits so */
  uint64_t sst = (r_sstatus() & ~(SSTATUS_SPP | SSTATUS_SIE | SSTATUS_SUM)) | SSTATUS_SPIE;
  __asm__ volatile("csrw sstatus, %0" : : "r"(sst));
  user_return(schedule());
}
