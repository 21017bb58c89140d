/* sys.h: the system-call stubs of userland (one per SYSCALL_LIST entry),
 * over the ABI of kernel/include/abi.h (docs/SYSCALLS.md). */
#ifndef USER_SYS_H
#define USER_SYS_H

#include <stdint.h>
#include "abi.h"

/* a raw syscall: number, seven arguments; returns a0..a7 */
struct sysret { uint64_t r[8]; };

static inline struct sysret syscall7(uint64_t nr, uint64_t a0, uint64_t a1,
                                     uint64_t a2, uint64_t a3, uint64_t a4,
                                     uint64_t a5, uint64_t a6)
{
  register uint64_t x10 __asm__("a0") = a0;
  register uint64_t x11 __asm__("a1") = a1;
  register uint64_t x12 __asm__("a2") = a2;
  register uint64_t x13 __asm__("a3") = a3;
  register uint64_t x14 __asm__("a4") = a4;
  register uint64_t x15 __asm__("a5") = a5;
  register uint64_t x16 __asm__("a6") = a6;
  register uint64_t x17 __asm__("a7") = nr;
  __asm__ volatile("ecall"
                   : "+r"(x10), "+r"(x11), "+r"(x12), "+r"(x13), "+r"(x14),
                     "+r"(x15), "+r"(x16), "+r"(x17)
                   :
                   : "memory");
  struct sysret r = { { x10, x11, x12, x13, x14, x15, x16, x17 } };
  return r;
}

static inline long sys0(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
                        uint64_t a3, uint64_t a4)
{
  return (long)syscall7(nr, a0, a1, a2, a3, a4, 0, 0).r[0];
}

/* a received message */
struct msg {
  long     err;
  uint64_t badge, label, w[MSG_WORDS];
  uint64_t caps;             /* mask of the caps that arrived */
};

static inline struct msg msg_of(struct sysret r)
{
  struct msg m = { (long)r.r[0], r.r[1], r.r[2], { r.r[3], r.r[4], r.r[5], r.r[6] }, r.r[7] };
  return m;
}

/* packing helpers (abi.h) */
#define RIGHTS(r, w, g) ((uint64_t)(r) + 2u * (w) + 4u * (g))
#define RIGHTS_ALL RIGHTS(1, 1, 1)
#define CAPS0 0u
#define CAPS1(s0) (1u + 4u * (s0))
#define CAPS2(s0, s1) (2u + 4u * (s0) + 1024u * (s1))

static inline long sys_debug_write(const char *s, uint64_t n) { return sys0(SYS_DEBUG_WRITE, (uint64_t)s, n, 0, 0, 0); }
/* on = 1: the kernel's debug log marks my refusals "refused (expected)"
 * (a test that provokes them on purpose); 0: plain "refused" again */
static inline long sys_debug_expect_refusals(uint64_t on) { return sys0(SYS_DEBUG_EXPECT_REFUSALS, on, 0, 0, 0, 0); }
static inline long sys_yield(void) { return sys0(SYS_YIELD, 0, 0, 0, 0, 0); }
static inline long sys_exit(uint64_t code) { return sys0(SYS_EXIT, code, 0, 0, 0, 0); }
static inline long sys_container_create(uint64_t parent, uint64_t dst, uint64_t limit) { return sys0(SYS_CONTAINER_CREATE, parent, dst, limit, 0, 0); }
static inline long sys_obj_alloc(uint64_t cont, uint64_t type, uint64_t dst) { return sys0(SYS_OBJ_ALLOC, cont, type, dst, 0, 0); }
static inline long sys_obj_free(uint64_t cont, uint64_t obj) { return sys0(SYS_OBJ_FREE, cont, obj, 0, 0, 0); }
static inline long sys_container_destroy(uint64_t cont, uint64_t target) { return sys0(SYS_CONTAINER_DESTROY, cont, target, 0, 0, 0); }
static inline long sys_container_info(uint64_t cont, uint64_t *limit, uint64_t *usage)
{
  struct sysret r = syscall7(SYS_CONTAINER_INFO, cont, 0, 0, 0, 0, 0, 0);
  if (limit) *limit = r.r[1];
  if (usage) *usage = r.r[2];
  return (long)r.r[0];
}
static inline long sys_cap_copy(uint64_t src, uint64_t dst_cs, uint64_t dst, uint64_t rights) { return sys0(SYS_CAP_COPY, src, dst_cs, dst, rights, 0); }
static inline long sys_cap_mint(uint64_t src, uint64_t dst_cs, uint64_t dst, uint64_t rights, uint64_t badge) { return sys0(SYS_CAP_MINT, src, dst_cs, dst, rights, badge); }
static inline long sys_cap_move(uint64_t src, uint64_t dst_cs, uint64_t dst) { return sys0(SYS_CAP_MOVE, src, dst_cs, dst, 0, 0); }
static inline long sys_cap_delete(uint64_t slot) { return sys0(SYS_CAP_DELETE, slot, 0, 0, 0, 0); }
static inline long sys_cap_identify(uint64_t ref, uint64_t slot, uint64_t *same, uint64_t *badge)
{
  struct sysret r = syscall7(SYS_CAP_IDENTIFY, ref, slot, 0, 0, 0, 0, 0);
  if (same) *same = r.r[1];
  if (badge) *badge = r.r[2];
  return (long)r.r[0];
}
static inline long sys_fwd_create(uint64_t cont, uint64_t target, uint64_t dst) { return sys0(SYS_FWD_CREATE, cont, target, dst, 0, 0); }
static inline long sys_cap_resolve(uint64_t slot, uint64_t *type, uint64_t *rights, uint64_t *badge)
{
  struct sysret r = syscall7(SYS_CAP_RESOLVE, slot, 0, 0, 0, 0, 0, 0);
  if (type) *type = r.r[1];
  if (rights) *rights = r.r[2];
  if (badge) *badge = r.r[3];
  return (long)r.r[0];
}
/* which device page a capability names (root task: slots ROOT_SLOT_DEVICE..) */
static inline long sys_device_info(uint64_t slot, uint64_t *kind, uint64_t *pa, uint64_t *irq)
{
  struct sysret r = syscall7(SYS_DEVICE_INFO, slot, 0, 0, 0, 0, 0, 0);
  if (kind) *kind = r.r[1];
  if (pa) *pa = r.r[2];
  if (irq) *irq = r.r[3];
  return (long)r.r[0];
}
/* interrupts (issue 15): a handler for source src from the IRQ control */
static inline long sys_irq_handler_create(uint64_t ctl, uint64_t cont, uint64_t src, uint64_t dst)
{ return sys0(SYS_IRQ_HANDLER_CREATE, ctl, cont, src, dst, 0); }
static inline long sys_irq_set_ntfn(uint64_t h, uint64_t n) { return sys0(SYS_IRQ_SET_NTFN, h, n, 0, 0, 0); }
static inline long sys_irq_ack(uint64_t h) { return sys0(SYS_IRQ_ACK, h, 0, 0, 0, 0); }
/* time (issue 15): a timer signals a notification at a deadline, in
 * ticks of the `time` counter (sys_clock: now, and ticks per second) */
static inline long sys_timer_set(uint64_t timer, uint64_t ntfn, uint64_t deadline)
{ return sys0(SYS_TIMER_SET, timer, ntfn, deadline, 0, 0); }
static inline long sys_timer_cancel(uint64_t timer) { return sys0(SYS_TIMER_CANCEL, timer, 0, 0, 0, 0); }
static inline long sys_clock(uint64_t *now, uint64_t *hz)
{
  struct sysret r = syscall7(SYS_CLOCK, 0, 0, 0, 0, 0, 0, 0);
  if (now) *now = r.r[1];
  if (hz) *hz = r.r[2];
  return (long)r.r[0];
}
static inline long sys_proc_create(uint64_t cont, uint64_t cspace, uint64_t dst, uint64_t prio) { return sys0(SYS_PROC_CREATE, cont, cspace, dst, prio, 0); }
static inline long sys_proc_resume(uint64_t proc) { return sys0(SYS_PROC_RESUME, proc, 0, 0, 0, 0); }
static inline long sys_proc_suspend(uint64_t proc) { return sys0(SYS_PROC_SUSPEND, proc, 0, 0, 0, 0); }
static inline long sys_proc_read_reg(uint64_t proc, uint64_t reg, uint64_t *value)
{
  struct sysret r = syscall7(SYS_PROC_READ_REG, proc, reg, 0, 0, 0, 0, 0);
  if (value) *value = r.r[1];
  return (long)r.r[0];
}
static inline long sys_proc_write_reg(uint64_t proc, uint64_t reg, uint64_t value) { return sys0(SYS_PROC_WRITE_REG, proc, reg, value, 0, 0); }
static inline long sys_proc_set_fault(uint64_t proc, uint64_t ep) { return sys0(SYS_PROC_SET_FAULT, proc, ep, 0, 0, 0); }
static inline long sys_map(uint64_t proc, uint64_t frame, uint64_t va, uint64_t perm) { return sys0(SYS_MAP, proc, frame, va, perm, 0); }
static inline long sys_unmap(uint64_t proc, uint64_t va) { return sys0(SYS_UNMAP, proc, va, 0, 0, 0); }
/* len bytes of my memory at src into the frame in slot `frame` (write
 * right) from byte off: off + len <= 4096; E_FAULT (nothing written) if
 * any source byte is not readable to me */
static inline long sys_frame_write(uint64_t frame, uint64_t off, const void *src, uint64_t len)
{ return sys0(SYS_FRAME_WRITE, frame, off, (uint64_t)src, len, 0); }
static inline long sys_send(uint64_t ep, uint64_t label, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, uint64_t caps)
{
  return (long)syscall7(SYS_SEND, ep, label, w0, w1, w2, w3, caps).r[0];
}
static inline struct msg sys_call(uint64_t ep, uint64_t label, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, uint64_t caps)
{
  return msg_of(syscall7(SYS_CALL, ep, label, w0, w1, w2, w3, caps));
}
static inline struct msg sys_recv(uint64_t ep) { return msg_of(syscall7(SYS_RECV, ep, 0, 0, 0, 0, 0, 0)); }
static inline long sys_reply(uint64_t label, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, uint64_t caps)
{
  return (long)syscall7(SYS_REPLY, 0, label, w0, w1, w2, w3, caps).r[0];
}
static inline struct msg sys_reply_recv(uint64_t ep, uint64_t label, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, uint64_t caps)
{
  return msg_of(syscall7(SYS_REPLY_RECV, ep, label, w0, w1, w2, w3, caps));
}
static inline long sys_set_recv_slots(uint64_t s0, uint64_t s1) { return sys0(SYS_SET_RECV_SLOTS, s0, s1, 0, 0, 0); }
static inline long sys_notify_signal(uint64_t n, uint64_t bits) { return sys0(SYS_NOTIFY_SIGNAL, n, bits, 0, 0, 0); }
static inline long sys_notify_wait(uint64_t n, uint64_t *bits)
{
  struct sysret r = syscall7(SYS_NOTIFY_WAIT, n, 0, 0, 0, 0, 0, 0);
  if (bits) *bits = r.r[1];
  return (long)r.r[0];
}

static inline uint64_t rd_instret(void) { uint64_t x; __asm__ volatile("rdinstret %0" : "=r"(x)); return x; }
static inline uint64_t rd_cycle(void) { uint64_t x; __asm__ volatile("rdcycle %0" : "=r"(x)); return x; }

#endif
