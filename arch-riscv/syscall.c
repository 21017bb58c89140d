/*
 * syscall.c: the decode layer. Reads a syscall's number and arguments
 * from the caller's saved registers, checks every argument the core does
 * not check itself (ranges, packed rights, user buffers, "self" values),
 * calls the core operation and writes the results back (a0 = error,
 * a1.. = results; docs/SYSCALLS.md). A bad argument is an error code,
 * never a kernel stop.
 *
 * In a debug build (KERNEL_DEBUG) every refused invocation is logged on
 * one line: the process, the call and its arguments, the error and the
 * check it stands for, and the actual state of each capability slot the
 * call names. A release build is quiet.
 */
#include "user.h"
#include "console.h"
#include "uvm.h"
#include "proc.h"
#include "internal.h"
#include "decode.h"
#include "vspace.h"
#include "irq.h"
#include "timers.h"
#include "riscv.h"
#include "plic.h"

#define A(i) p_reg(cur, 10 + (i))   /* register a(i) of cur */

static const char *const err_names[] = { KERR_LIST(KERR_NAME) };

#ifdef KERNEL_DEBUG
#define SYSCALL_NAME(n) #n,
static const char *const syscall_names[SYS_COUNT] = { SYSCALL_LIST(SYSCALL_NAME) };
#undef SYSCALL_NAME


/* the check each error code stands for (MODEL.md, SYSCALLS.md) */
static const char *const err_checks[] = {
  "none", "slot < NSLOTS", "slot holds a capability",
  "capability generation matches its object's", "capability has the expected type",
  "capability has the needed right", "destination slot is empty",
  "every container on the path stays within its limit", "a free frame exists",
  "depth / forwarder chain within bound", "argument within its domain",
  "target is not the root container", "object belongs to the container's subtree",
  "syscall number < SYS_COUNT", "process state allows the operation",
  "cspace is empty", "user buffer mapped with the needed permission",
  "frame and address not already mapped", "something is mapped there",
  "a reply is pending for a waiting caller", "the blocked call completed",
};

static const char *const type_names[OT_COUNT] = {
  [OT_FREE] = "free", [OT_CONTAINER] = "container", [OT_CSPACE] = "cspace",
  [OT_FRAME] = "frame", [OT_FORWARDER] = "forwarder", [OT_ENDPOINT] = "endpoint",
  [OT_NOTIFICATION] = "notification", [OT_PROCESS] = "process",
  [OT_PAGETABLE] = "pagetable", [OT_DEVICE] = "device page",
  [OT_IRQ_CONTROL] = "irq control", [OT_IRQ_HANDLER] = "irq handler",
  [OT_TIMER] = "timer",
  [OT_RETIRED] = "retired",
};

#endif

const char *kerr_name(uint64_t e)
{
  return e < sizeof err_names / sizeof err_names[0] ? err_names[e] : "E_?";
}

#ifdef KERNEL_DEBUG
/* which arguments of each call are slots in the caller's cspace: bit i */
/* what each slot argument must hold, per call (docs/SYSCALLS.md): the
 * "expected" half of the refusal log; the actual slot follows it */
static const char *slot_expect(uint64_t nr, unsigned i)
{
  switch (nr) {
  case SYS_CONTAINER_CREATE: return i == 0 ? "container, write" : "empty slot";
  case SYS_OBJ_ALLOC: return i == 0 ? "container, write" : "empty slot";
  case SYS_OBJ_FREE: return i == 0 ? "container, write" : "any live object but a container";
  case SYS_CONTAINER_DESTROY: return "container, write";
  case SYS_CONTAINER_INFO: return "container, read";
  case SYS_CAP_COPY: case SYS_CAP_MINT: case SYS_CAP_MOVE:
    return i == 0 ? "any live capability" : i == 1 ? "cspace or process, write" : "empty slot";
  case SYS_CAP_DELETE: return "a capability";
  case SYS_CAP_IDENTIFY: case SYS_CAP_RESOLVE: return "any live capability";
  case SYS_FWD_CREATE:
    return i == 0 ? "container, write" : i == 1 ? "any live capability" : "empty slot";
  case SYS_PROC_CREATE:
    return i == 0 ? "container, write" : i == 1 ? "empty cspace, write" : "empty slot";
  case SYS_PROC_READ_REG: return "process, read";
  case SYS_PROC_RESUME: case SYS_PROC_SUSPEND: case SYS_PROC_WRITE_REG: case SYS_UNMAP:
    return "process, write";
  case SYS_PROC_SET_FAULT: return i == 0 ? "process, write" : "endpoint, write";
  case SYS_MAP: return i == 0 ? "process, write" : "frame or device page, rights >= perms";
  case SYS_SEND: case SYS_CALL: return "endpoint, write (grant if caps)";
  case SYS_RECV: case SYS_REPLY_RECV: return "endpoint, read";
  case SYS_NOTIFY_SIGNAL: return "notification, write";
  case SYS_NOTIFY_WAIT: return "notification, read";
  case SYS_DEVICE_INFO: return "device page";
  case SYS_IRQ_HANDLER_CREATE: return i == 0 ? "irq control, write" : i == 1 ? "container, write" : "empty slot";
  case SYS_IRQ_SET_NTFN: return i == 0 ? "irq handler, write" : "notification, write";
  case SYS_IRQ_ACK: return "irq handler, write";
  case SYS_TIMER_SET: return i == 0 ? "timer, write" : "notification (direct), write";
  case SYS_TIMER_CANCEL: return "timer, write";
  case SYS_FRAME_WRITE: return "frame, write";
  default: return "?";
  }
}

static unsigned slot_args(uint64_t nr)
{
  switch (nr) {
  case SYS_CONTAINER_CREATE: return 1 | 2;
  case SYS_OBJ_ALLOC: return 1 | 4;
  case SYS_OBJ_FREE: case SYS_CONTAINER_DESTROY: case SYS_CAP_IDENTIFY: return 1 | 2;
  case SYS_CAP_COPY: case SYS_CAP_MINT: case SYS_CAP_MOVE: return 1 | 2 | 4;
  case SYS_FWD_CREATE: return 1 | 2 | 4;
  case SYS_PROC_CREATE: return 1 | 2 | 4;
  case SYS_PROC_SET_FAULT: case SYS_MAP: return 1 | 2;
  case SYS_CAP_DELETE: case SYS_CONTAINER_INFO: case SYS_CAP_RESOLVE:
  case SYS_PROC_RESUME: case SYS_PROC_SUSPEND: case SYS_PROC_READ_REG:
  case SYS_PROC_WRITE_REG: case SYS_UNMAP: case SYS_SEND: case SYS_CALL:
  case SYS_RECV: case SYS_REPLY_RECV: case SYS_NOTIFY_SIGNAL:
  case SYS_NOTIFY_WAIT: case SYS_DEVICE_INFO: case SYS_IRQ_ACK: return 1;
  case SYS_IRQ_HANDLER_CREATE: return 1 | 2 | 8;
  case SYS_IRQ_SET_NTFN: case SYS_TIMER_SET: return 1 | 2;
  case SYS_TIMER_CANCEL: case SYS_FRAME_WRITE: return 1;
  default: return 0;
  }
}

#endif

#ifdef KERNEL_DEBUG
/* The refusal-log cap: a hostile program makes hundreds of refusals, which
 * would bury everything else on the console. The first REFUSALS_LOGGED
 * refusals of a process are logged in full, then one line says the rest
 * are only counted; the count is printed when the process exits or dies.
 *
 * A process's log is in its own record (records.h: struct proc_rec, in
 * the debug kernel), set up when the process is made (process_new): a
 * new process in a reused frame starts from zero. The
 * processes past the cap are on a list through their records, in frame
 * order (refusal_head, p_refusal_next), so that after a destruction
 * refusal_reap finds those that died: a dead process's record is whole
 * until its frame is handed out again, and the reap comes first. */
#define REFUSALS_LOGGED 8u
#define p_refusals(p_)      (FREC(p_)->proc.refusals)       /* counted */
#define p_refusal_flags(p_) (FREC(p_)->proc.refusal_flags)
#define p_refusal_next(p_)  (FREC(p_)->proc.refusal_next)   /* if LISTED */
/* EXPECTING: the process provokes refusals on purpose (a test: it said so
 * with SYS_DEBUG_EXPECT_REFUSALS), and its log lines say "refused
 * (expected)"; SURPRISED: it had a refusal while not expecting one (its
 * total at the end is then not marked expected); LISTED: on the list */
#define EXPECTING 1u
#define SURPRISED 2u
#define LISTED    4u
#define REFUSALS_END MAXFRAMES          /* the list's end: never a frame */
static uint32_t refusal_head = REFUSALS_END;

/* "refused" or "refused (expected)": the start of a log line about p's
 * refusal at hand, or (total) about all of its refusals */
static const char *refused(uint32_t p, int total)
{
  int expected = total ? !(p_refusal_flags(p) & SURPRISED)
                       : (p_refusal_flags(p) & EXPECTING) != 0;
  return expected ? "refused (expected)" : "refused";
}

/* Put cur on the list of processes past the cap, in frame order (the
 * order of the totals a destruction prints), unless it is on it. */
static void refusal_list(uint32_t cur)
{
  if (p_refusal_flags(cur) & LISTED)
    return;
  uint32_t *link = &refusal_head;
  while (*link < cur)
    link = &p_refusal_next(*link);
  p_refusal_next(cur) = *link;
  *link = cur;
  p_refusal_flags(cur) |= LISTED;
}

/* Count one refusal of cur; 1 if it is to be logged in full. */
static int refusal_count(uint32_t cur)
{
  if (!(p_refusal_flags(cur) & EXPECTING))
    p_refusal_flags(cur) |= SURPRISED;
  if (p_refusals(cur) < 0xFFFFFFFFu)
    p_refusals(cur)++;
  if (p_refusals(cur) == REFUSALS_LOGGED + 1) {
    kprintf("%s: process %u: further refusals not logged (counted; total "
            "at exit or destruction)\n", refused(cur, 0), (unsigned)cur);
    refusal_list(cur);
  }
  return p_refusals(cur) <= REFUSALS_LOGGED;
}

/* Print the total of a process whose later refusals went unlogged. */
static void refusal_total(uint32_t p)
{
  if (p_refusals(p) > REFUSALS_LOGGED)
    kprintf("%s: process %u: %u refusals in all, %u not logged\n",
            refused(p, 1), (unsigned)p,
            (unsigned)p_refusals(p), (unsigned)(p_refusals(p) - REFUSALS_LOGGED));
}
#endif

/* A new process p (proc_create's, or the root task at boot): the arch
 * layer's fields of its record set up, its address space (uvm.c) and, in
 * a debug build, its refusal log. */
void process_new(uint32_t p)
{
  uvm_process_new(p);
#ifdef KERNEL_DEBUG
  p_refusals(p) = 0;
  p_refusal_flags(p) = 0;
#endif
}

/* SYS_DEBUG_EXPECT_REFUSALS: mark cur's refusals as expected (on = 1) or
 * not (0) in the log; E_BAD_ARG for another value. A release build
 * logs nothing and only checks the argument. */
static uint32_t refusal_expect(uint32_t cur, uint64_t on)
{
  if (on > 1)
    return E_BAD_ARG;
#ifdef KERNEL_DEBUG
  p_refusal_flags(cur) = (uint8_t)((p_refusal_flags(cur) & ~EXPECTING) | on);
#else
  (void)cur;
#endif
  return E_OK;
}

/* After an exit: the total of cur's unlogged refusals (debug builds). */
static void refusal_exit(uint32_t cur)
{
#ifdef KERNEL_DEBUG
  refusal_total(cur);
  p_refusals(cur) = 0;       /* once: the reap takes it off the list */
#else
  (void)cur;
#endif
}

/* After a destruction: the totals of the listed processes that died, each
 * taken off the list (a dead one's frame is not written), as is a live
 * one whose total went out at its exit (debug builds; one pass over the
 * processes past the cap). */
static void refusal_reap(void)
{
#ifdef KERNEL_DEBUG
  uint32_t *link = &refusal_head;
  while (*link != REFUSALS_END) {
    uint32_t p = *link;
    int live = proc_live(p);
    if (live && p_refusals(p) > REFUSALS_LOGGED) {
      link = &p_refusal_next(p);
      continue;
    }
    *link = p_refusal_next(p);
    if (live)
      p_refusal_flags(p) &= (uint8_t)~LISTED;
    else
      refusal_total(p);
  }
#endif
}

static void refusal_log(uint32_t cur, uint32_t cs, uint64_t nr, const uint64_t *a,
                        uint64_t err)
{
#ifdef KERNEL_DEBUG
  if (!refusal_count(cur))
    return;
  kprintf("%s: process %u ", refused(cur, 0), (unsigned)cur);
  if (nr < SYS_COUNT)
    kprintf("%s", syscall_names[nr]);
  else
    kprintf("unknown syscall %lu", (unsigned long)nr);
  kprintf("(0x%lx, 0x%lx, 0x%lx, 0x%lx) -> %s: check \"%s\" failed",
          (unsigned long)a[0], (unsigned long)a[1], (unsigned long)a[2],
          (unsigned long)a[3], kerr_name(err),
          err < sizeof err_checks / sizeof err_checks[0] ? err_checks[err] : "?");
  if (nr >= SYS_COUNT)
    kprintf("; expected a syscall number < %u, actual %lu", (unsigned)SYS_COUNT,
            (unsigned long)nr);
  unsigned mask = slot_args(nr);
  for (unsigned i = 0; i < 4 && cs < NFRAMES; i++) {
    int self_ok = (i == 1 && (nr == SYS_CAP_COPY || nr == SYS_CAP_MINT || nr == SYS_CAP_MOVE)) ||
                  (i == 0 && (nr == SYS_MAP || nr == SYS_UNMAP));
    if (!(mask & (1u << i)) || (a[i] == SLOT_SELF && self_ok))
      continue;
    if (a[i] >= NSLOTS) {
      kprintf("; arg %u: expected a slot < %u, actual %lu", i, (unsigned)NSLOTS,
              (unsigned long)a[i]);
      continue;
    }
    uint32_t s = (uint32_t)a[i], t = cap_type[cs][s], o = cap_obj[cs][s];
    kprintf("; slot %u: expected %s, actual %s%s rights %c%c%c", (unsigned)s,
            slot_expect(nr, i),
            t < OT_COUNT ? type_names[t] : "?",
            t == OT_FREE ? "" : (frame_gen[o] == cap_gen[cs][s] &&
                                 frame_type[o] == t ? "" : " (stale)"),
            cap_read[cs][s] ? 'r' : '-', cap_write[cs][s] ? 'w' : '-',
            cap_grant[cs][s] ? 'g' : '-');
  }
  if (err == E_OVER_LIMIT && cs < NFRAMES && a[0] < NSLOTS &&
      cap_type[cs][a[0]] == OT_CONTAINER) {
    uint32_t c = cap_obj[cs][a[0]];
    kprintf("; container usage %u, limit %u (an ancestor may be the one at its limit)",
            (unsigned)c_usage(c), (unsigned)c_limit(c));
  }
  kprintf("\n");
#else
  (void)cur; (void)cs; (void)nr; (void)a; (void)err;
#endif
}

/* The IPC partner this syscall made ready (the receiver of a call, the
 * caller a reply answered), for user.c's direct switch; NO_PROC if none. */
uint32_t ipc_partner = MAXFRAMES;   /* NO_PROC (nframes starts at MAXFRAMES) */

static __attribute__((noinline)) uint32_t sys_debug_write(uint32_t cur, uint64_t va, uint64_t len)
{
  char buf[256];
  if (len > sizeof buf)
    return E_BAD_ARG;
  uint32_t e = uvm_copy_in(cur, buf, va, len);
  if (e != E_OK)
    return e;
  for (uint64_t i = 0; i < len; i++)
    kputc(buf[i]);
  return E_OK;
}

/* map, unmap and delete, whose decode is the core's (kernel/decode.c),
 * then the fences: out of line, and their arguments by value (an array's
 * address would make the dispatch store the arguments for every
 * syscall: 7 instructions each) */
static __attribute__((noinline)) uint32_t map_call(uint32_t cur, uint32_t cs, uint64_t proc,
                                                   uint64_t frame, uint64_t va, uint64_t perm)
{
  uint64_t satp = p_satp(cur);
  kerr_t err = sys_map(cur, cs, proc, frame, va, perm);
  if (err == E_OK)
    uvm_changed(cur, satp);
  return err;
}

static __attribute__((noinline)) uint32_t unmap_call(uint32_t cur, uint32_t cs, uint64_t proc,
                                                     uint64_t va)
{
  kerr_t err = sys_unmap(cur, cs, proc, va);
  if (err == E_OK)
    uvm_changed(cur, p_satp(cur));
  return err;
}

/* SYS_CAP_DELETE: the core's sys_cap_delete (the capability, then the
 * mapping made through it: its contract says no mapping in force names
 * the slot afterwards); fenced if the slot had made one (cap_mapped, read
 * before it is cleared) */
static __attribute__((noinline)) uint32_t delete_call(uint32_t cur, uint32_t cs,
                                                      uint64_t slot)
{
  uint32_t mapped = slot < NSLOTS ? cap_mapped[cs][slot] : 0;
  kerr_t err = sys_cap_delete(cs, slot);
  if (err != E_OK)
    return err;
  if (mapped != 0)
    uvm_changed(cur, p_satp(cur));
  return E_OK;
}

/* SYS_FRAME_WRITE: the core decides the frame and the range, the copy is
 * the architecture's */
static __attribute__((noinline)) uint32_t frame_write_call(uint32_t cur, uint32_t cs,
                                                           uint64_t frame, uint64_t off,
                                                           uint64_t va, uint64_t len)
{
  struct resolve_ret r = frame_write_lookup(cs, slot32(frame), off, len);
  if (r.err != E_OK)
    return r.err;
  return uvm_copy_to_frame(cur, r.obj, off, va, len);
}

/* after container_destroy: retire what died */
static __attribute__((noinline)) void reap(void)
{
  proc_reap();
  uvm_reap();
  refusal_reap();
}

/* SYS_OBJ_FREE: the object dies (obj_free), then what it carried ends
 * with it (obj_gone, which needs its type and frame: read before, as a
 * freed cspace's own slots are emptied); the TLB forgets what was
 * unmapped, and the refusal log a dead process */
static __attribute__((noinline)) uint32_t obj_free_call(uint32_t cs, uint64_t a0,
                                                        uint64_t a1)
{
  uint32_t s = slot32(a1);
  uint32_t obj = s < NSLOTS ? cap_obj[cs][s] : NFRAMES;
  uint32_t type = s < NSLOTS ? cap_type[cs][s] : OT_FREE;
  kerr_t err = obj_free(cs, slot32(a0), s);
  if (err != E_OK)
    return err;
  obj_gone(obj, type);
  uvm_fence();
  refusal_reap();
  return E_OK;
}

/* ipc_reply, naming the caller it woke (ipc_partner) for after_syscall's
 * direct switch */
static kerr_t reply_naming_caller(uint32_t cur)
{
  uint32_t caller = p_reply_to(cur);
  kerr_t err = ipc_reply(cur);
  if (err == E_OK)
    ipc_partner = caller;
  return err;
}

/* The time calls (issue 15), apart from dispatch so that the other
 * calls do not pay for their registers. (The arguments by value: taking
 * the address of dispatch's argument array would make every syscall store
 * it to the stack, 6 instructions more on each.) */
static __attribute__((noinline)) uint32_t time_syscall(uint32_t cur, uint32_t cs, uint64_t nr,
                                                     uint64_t a0, uint64_t a1, uint64_t a2)
{
  switch (nr) {
  case SYS_TIMER_SET: {
    /* the deadline is all 64 bits of a2 (DEADLINE_NEVER: never) */
    kerr_t e = timer_set(cs, slot32(a0), slot32(a1), a2);
    if (e == E_OK)
      ipc_partner = clock_update();   /* a deadline past: signalled now */
    return e;
  }
  case SYS_TIMER_CANCEL: {
    kerr_t e = timer_cancel(cs, slot32(a0));
    if (e == E_OK)
      clock_update();
    return e;
  }
  case SYS_CLOCK:
    A(1) = r_time();
    A(2) = clock_hz();
    return E_OK;
  default:
    return E_BAD_SYSCALL;
  }
}

static uint32_t dispatch(uint32_t cur, uint32_t cs, uint64_t nr, const uint64_t *a)
{
  uint32_t err = E_OK;
  switch (nr) {
  case SYS_DEBUG_WRITE:
    return sys_debug_write(cur, a[0], a[1]);
  case SYS_YIELD:
    sys_yield(cur);
    return E_OK;
  case SYS_DEBUG_EXPECT_REFUSALS:
    return refusal_expect(cur, a[0]);
  case SYS_EXIT:
    if (ipc_fault(cur, LABEL_EXIT, a[0], 0, 0) == 0) {
      kprintf("capkernel: process %u exited with code %lu\n", (unsigned)cur,
              (unsigned long)a[0]);
      user_stopped(cur, 0, a[0]);
    }
    refusal_exit(cur);
    return E_OK;
  case SYS_CONTAINER_CREATE:
    return container_create(cs, slot32(a[0]), slot32(a[1]), slot32(a[2]));
  case SYS_OBJ_ALLOC:
    err = obj_alloc(cs, slot32(a[0]), slot32(a[1]), slot32(a[2]));
    if (err == E_OK && a[1] == OT_FRAME)
      frame_zero(cap_obj[cs][a[2]]);
    return err;
  case SYS_OBJ_FREE:
    return obj_free_call(cs, a[0], a[1]);
  case SYS_CONTAINER_DESTROY:
    err = container_destroy(cs, slot32(a[0]), slot32(a[1]));
    if (err == E_OK)
      reap();
    return err;
  case SYS_CONTAINER_INFO: {
    struct info_ret i = container_info(cs, slot32(a[0]));
    if (i.err == E_OK) {
      A(1) = i.limit;
      A(2) = i.usage;
    }
    return i.err;
  }
  case SYS_CAP_COPY:
    return sys_cap_copy(cs, a[0], a[1], a[2], a[3]);
  case SYS_CAP_MINT:
    return sys_cap_mint(cs, a[0], a[1], a[2], a[3], a[4]);
  case SYS_CAP_MOVE:
    return sys_cap_move(cs, a[0], a[1], a[2]);
  case SYS_CAP_DELETE:
    return delete_call(cur, cs, a[0]);
  case SYS_CAP_IDENTIFY: {
    struct identify_ret i = cap_identify(cs, slot32(a[0]), slot32(a[1]));
    if (i.err == E_OK) {
      A(1) = i.same;
      A(2) = i.badge;
    }
    return i.err;
  }
  case SYS_FWD_CREATE:
    return fwd_create(cs, slot32(a[0]), slot32(a[1]), slot32(a[2]));
  case SYS_CAP_RESOLVE: {
    struct resolve_ret rr = cap_resolve(cs, slot32(a[0]));
    if (rr.err == E_OK) {
      A(1) = rr.type;
      A(2) = rr.read + 2u * rr.write + 4u * rr.grant;
      A(3) = rr.badge;
    }
    return rr.err;
  }
  case SYS_PROC_CREATE:
    err = proc_create(cs, cur, slot32(a[0]), slot32(a[1]), slot32(a[2]), slot32(a[3]));
    if (err == E_OK)
      process_new(cap_obj[cs][a[2]]);
    return err;
  case SYS_PROC_RESUME:
    return proc_resume(cs, slot32(a[0]));
  case SYS_PROC_SUSPEND:
    return proc_suspend(cs, slot32(a[0]));
  case SYS_PROC_READ_REG: {
    struct reg_ret rr = proc_read_reg(cs, slot32(a[0]), slot32(a[1]));
    if (rr.err == E_OK)
      A(1) = rr.value;
    return rr.err;
  }
  case SYS_PROC_WRITE_REG:
    return proc_write_reg(cs, slot32(a[0]), slot32(a[1]), a[2]);
  case SYS_PROC_SET_FAULT:
    return proc_set_fault(cs, slot32(a[0]), slot32(a[1]));
  case SYS_MAP:
    return map_call(cur, cs, a[0], a[1], a[2], a[3]);
  case SYS_UNMAP:
    return unmap_call(cur, cs, a[0], a[1]);
  case SYS_SEND:
  case SYS_CALL: {
    uint32_t is_call = nr == SYS_CALL;
    struct send_ret sr = ipc_send(cur, slot32(a[0]), is_call);
    if (sr.err == E_OK && sr.partner != NO_PROC) {
      ipc_send_to(cur, sr.partner, is_call);
      ipc_partner = sr.partner;
    }
    return sr.err;
  }
  case SYS_RECV:
    return ipc_recv(cur, slot32(a[0]));
  case SYS_REPLY:
    return reply_naming_caller(cur);
  case SYS_REPLY_RECV:
    err = reply_naming_caller(cur);
    if (err != E_OK && err != E_NO_REPLY)
      return err;
    return ipc_recv(cur, slot32(a[0]));
  case SYS_SET_RECV_SLOTS:
    sys_set_recv_slots(cur, a[0], a[1]);
    return E_OK;
  case SYS_NOTIFY_SIGNAL: {
    struct send_ret sr = ntfn_signal(cs, slot32(a[0]), a[1]);
    ipc_partner = sr.partner;        /* the waiter it woke, if any */
    return sr.err;
  }
  case SYS_NOTIFY_WAIT:
    return ntfn_wait(cur, slot32(a[0]));
  case SYS_DEVICE_INFO: {
    /* which device page the capability names: the proved lookup decides,
     * the architecture layer's table answers (uvm.c) */
    struct resolve_ret r = invoke_lookup(cs, slot32(a[0]), OT_DEVICE, 0, 0);
    uint32_t kind = 0, irq = 0;
    uint64_t pa = 0;
    if (r.err == E_OK && device_page_info(r.obj, &kind, &pa, &irq)) {
      A(1) = kind;
      A(2) = pa;
      A(3) = irq;
    }
    return r.err;
  }
  case SYS_IRQ_HANDLER_CREATE:
    /* the source number truncated as a slot is (slot32): above 2^32 - 1
     * it is no source, E_BAD_ARG */
    return irq_handler_create(cs, slot32(a[0]), slot32(a[1]), slot32(a[2]), slot32(a[3]));
  case SYS_IRQ_SET_NTFN: {
    struct irq_ret r = irq_set_ntfn(cs, slot32(a[0]), slot32(a[1]));
    if (r.err == E_OK && r.src > 0 && r.src < irq_sources) {
      /* a claim a dead handler never gave back goes back now; one the
       * handler still holds stays until its irq_ack */
      if (irq_pending[r.src] == 0)
        plic_complete(r.src);
      plic_enable(r.src);
    }
    return r.err;
  }
  case SYS_IRQ_ACK: {
    struct irq_ret r = irq_ack(cs, slot32(a[0]));
    if (r.err == E_OK)
      plic_complete(r.src);
    return r.err;
  }
  case SYS_TIMER_SET: case SYS_TIMER_CANCEL: case SYS_CLOCK:
    return time_syscall(cur, cs, nr, a[0], a[1], a[2]);
  case SYS_FRAME_WRITE:
    return frame_write_call(cur, cs, a[0], a[1], a[2], a[3]);
  default:
    return E_BAD_SYSCALL;
  }
}

void syscall_dispatch(uint32_t cur)
{
  /* the caller's register row (cur < NFRAMES: user_trap checked), read
   * at constant offsets: through REG each argument's index would be
   * computed and zero-extended on its own */
  const uint64_t *row = regs_of(cur);
  uint64_t nr = row[17];
  /* written out: a loop here costs ten instructions an argument on
   * every slow syscall (GCC at -O2 does not unroll it) */
  uint64_t a[7] = { row[10], row[11], row[12], row[13], row[14], row[15], row[16] };
  uint32_t cs = caller_cspace(cur);
  uint32_t err;
  ipc_partner = NO_PROC;
  if (nr >= SYS_COUNT)
    err = E_BAD_SYSCALL;
  else if (cs == NFRAMES && nr != SYS_DEBUG_WRITE && nr != SYS_YIELD && nr != SYS_EXIT)
    err = E_STALE;                 /* its capability space was destroyed */
  else
    err = dispatch(cur, cs, nr, a);
  if (err != E_OK)
    refusal_log(cur, cs, nr, a, err);
  /* a0 = the status; a process that blocked gets its a0 from whoever
   * wakes it (which overwrites this E_OK) */
  if (proc_live(cur))
    p_reg(cur, 10) = err;
}
