/* records.h: where the fields of one object live.
 *
 * Everything that belongs to one object is a field of its record, read
 * and written through an accessor named after the field: p_state(p),
 * p_reg(p, i), c_anc(c, d), fw_obj(w), ep_recv(e), n_bits(n), ...
 *
 * - For the proofs and the host builds (unit and conformance tests), each
 *   field is a table indexed by frame, as docs/MODEL.md names them
 *   (p_state[p], p_regs[REG(p, i)], c_anc[c][d]); the accessors index
 *   those tables, and the contracts speak of the tables.
 * - In the kernel (KERNEL_FRAME_WINDOW), the record is in the object's own
 *   frame, the memory its container pays for: struct frame_rec at the
 *   start of frame f, seen through the frame window at FREC(f). A
 *   capability space's slots follow it (CS_BASE, state.h). Each kind of
 *   object has its part (a process's .proc, a container's .cont, a
 *   forwarder's .fwd, an endpoint's or notification's .queue, an
 *   interrupt handler's .irq), one after another, so that
 *   no two fields of any frame share a byte. proofs/ASSUMPTIONS.md §6
 *   says why the proofs' separate tables describe this memory.
 *
 * So the kernel keeps no table of these that grows with RAM (issue 13):
 * what a frame's record holds costs nothing until the frame is an object
 * of that kind. A record means something only while its frame has the
 * type: the invariants speak of it only then, and the code sets up every
 * field it reads when a frame takes the type (proc_make, container_install,
 * fwd_install, object_install). */
#ifndef RECORDS_H
#define RECORDS_H

#include <stdint.h>
#include "param.h"
#include "abi.h"
#include "tables.h"

#ifdef KERNEL_FRAME_WINDOW

#include "memlayout.h"

struct proc_rec {
  uint64_t regs[NREGS];        /* first: a process's frame address is its
                                  register row (uentry.S) */
  uint64_t ticket, mlabel, mbadge, reply_tkt, fault_badge;
  uint64_t mword[MSG_WORDS];
  uint64_t satp;               /* its address space (vspace.h) */
  uint32_t vroot;              /* its root page table (vspace.h) */
  uint32_t gen, cspace, cspace_gen, prio, wait, wait_gen, mcaps;
  uint32_t reply_to, reply_gen, fault_ep, fault_gen;
  uint32_t rslot[MSG_CAPS];
  uint8_t  state;
#ifdef KERNEL_DEBUG            /* the arch layer's refusal log (syscall.c) */
  uint8_t  refusal_flags;
  uint32_t refusals, refusal_next;
#endif
};
struct cont_rec {
  uint32_t limit, usage, own, depth;
  uint32_t anc[MAXDEPTH];
};
struct fwd_rec {
  uint64_t badge;
  uint32_t obj, gen;
  uint8_t  type, read, write, grant;
};
struct queue_rec {             /* an endpoint's or a notification's */
  uint64_t bits;               /* a notification's pending bits */
  uint32_t recv;
  uint8_t  nosend;
};
struct irq_rec {               /* an interrupt handler's (issue 15) */
  uint64_t badge;              /* the bits it signals (the notification cap's badge) */
  uint32_t src, ntfn, ngen;    /* its source; its notification (NFRAMES: none) */
};
struct frame_rec {
  struct proc_rec  proc;
  struct cont_rec  cont;
  struct fwd_rec   fwd;
  struct queue_rec queue;
  struct irq_rec   irq;
};

#define FREC(f_) ((struct frame_rec *)(FWIN_BASE + (uint64_t)(f_) * 4096u))

/* the tables of the proof build do not exist here: a field is reached
 * only through its accessor */
#define RECORD_FIELD(type_, name_)      _Static_assert(1, #name_)
#define RECORD_ROWS(type_, name_, n_)    _Static_assert(1, #name_)
#define RECORD_TABLE2(type_, name_, n_)  _Static_assert(1, #name_)
#define RECORD_FIELD_DEF(type_, name_)      _Static_assert(1, #name_)
#define RECORD_ROWS_DEF(type_, name_, n_)    _Static_assert(1, #name_)
#define RECORD_TABLE2_DEF(type_, name_, n_)  _Static_assert(1, #name_)

#define p_state(p_)       (FREC(p_)->proc.state)
#define p_gen(p_)         (FREC(p_)->proc.gen)
#define p_cspace(p_)      (FREC(p_)->proc.cspace)
#define p_cspace_gen(p_)  (FREC(p_)->proc.cspace_gen)
#define p_prio(p_)        (FREC(p_)->proc.prio)
#define p_ticket(p_)      (FREC(p_)->proc.ticket)
#define p_wait(p_)        (FREC(p_)->proc.wait)
#define p_wait_gen(p_)    (FREC(p_)->proc.wait_gen)
#define p_reg(p_, i_)      (FREC(p_)->proc.regs[i_])
#define p_regx(p_, i_)     (FREC((int32_t)(p_))->proc.regs[(int32_t)(i_)])
#define p_mlabel(p_)      (FREC(p_)->proc.mlabel)
#define p_mw(p_, i_)       (FREC(p_)->proc.mword[i_])
#define p_mcaps(p_)       (FREC(p_)->proc.mcaps)
#define p_mbadge(p_)      (FREC(p_)->proc.mbadge)
#define p_reply_to(p_)    (FREC(p_)->proc.reply_to)
#define p_reply_gen(p_)   (FREC(p_)->proc.reply_gen)
#define p_reply_tkt(p_)   (FREC(p_)->proc.reply_tkt)
#define p_rs(p_, i_)       (FREC(p_)->proc.rslot[i_])
#define p_fault_ep(p_)    (FREC(p_)->proc.fault_ep)
#define p_fault_gen(p_)   (FREC(p_)->proc.fault_gen)
#define p_fault_badge(p_) (FREC(p_)->proc.fault_badge)
#define c_limit(c_)       (FREC(c_)->cont.limit)
#define c_usage(c_)       (FREC(c_)->cont.usage)
#define c_own(c_)         (FREC(c_)->cont.own)
#define c_depth(c_)       (FREC(c_)->cont.depth)
#define c_anc(c_, d_)      (FREC(c_)->cont.anc[d_])
#define fw_type(w_)       (FREC(w_)->fwd.type)
#define fw_obj(w_)        (FREC(w_)->fwd.obj)
#define fw_gen(w_)        (FREC(w_)->fwd.gen)
#define fw_read(w_)       (FREC(w_)->fwd.read)
#define fw_write(w_)      (FREC(w_)->fwd.write)
#define fw_grant(w_)      (FREC(w_)->fwd.grant)
#define fw_badge(w_)      (FREC(w_)->fwd.badge)
#define ep_recv(e_)       (FREC(e_)->queue.recv)
#define ep_nosend(e_)     (FREC(e_)->queue.nosend)
#define n_bits(n_)        (FREC(n_)->queue.bits)
#define h_src(h_)         (FREC(h_)->irq.src)
#define h_ntfn(h_)        (FREC(h_)->irq.ntfn)
#define h_ngen(h_)        (FREC(h_)->irq.ngen)
#define h_badge(h_)       (FREC(h_)->irq.badge)
#define p_vroot(p_)       (FREC(p_)->proc.vroot)
#define p_satp(p_)        (FREC(p_)->proc.satp)

#else

#define RECORD_FIELD(type, name)          extern FRAME_TABLE(type, name)
#define RECORD_ROWS(type, name, n)        extern FRAME_ROWS(type, name, n)
#define RECORD_TABLE2(type, name, n)      extern FRAME_TABLE2(type, name, n)
#define RECORD_FIELD_DEF(type, name)      FRAME_TABLE_DEF(type, name)
#define RECORD_ROWS_DEF(type, name, n)    FRAME_ROWS_DEF(type, name, n)
#define RECORD_TABLE2_DEF(type, name, n)  FRAME_TABLE2_DEF(type, name, n)

#define p_state(p)       (p_state[p])
#define p_gen(p)         (p_gen[p])
#define p_cspace(p)      (p_cspace[p])
#define p_cspace_gen(p)  (p_cspace_gen[p])
#define p_prio(p)        (p_prio[p])
#define p_ticket(p)      (p_ticket[p])
#define p_wait(p)        (p_wait[p])
#define p_wait_gen(p)    (p_wait_gen[p])
#define p_reg(p, i)      (p_regs[REG(p, i)])
#define p_regx(p, i)     (p_regs[REGX(p, i)])
#define p_mlabel(p)      (p_mlabel[p])
#define p_mw(p, i)       (p_mword[MW(p, i)])
#define p_mcaps(p)       (p_mcaps[p])
#define p_mbadge(p)      (p_mbadge[p])
#define p_reply_to(p)    (p_reply_to[p])
#define p_reply_gen(p)   (p_reply_gen[p])
#define p_reply_tkt(p)   (p_reply_tkt[p])
#define p_rs(p, i)       (p_rslot[MC(p, i)])
#define p_fault_ep(p)    (p_fault_ep[p])
#define p_fault_gen(p)   (p_fault_gen[p])
#define p_fault_badge(p) (p_fault_badge[p])
#define c_limit(c)       (c_limit[c])
#define c_usage(c)       (c_usage[c])
#define c_own(c)         (c_own[c])
#define c_depth(c)       (c_depth[c])
#define c_anc(c, d)      (c_anc[c][d])
#define fw_type(w)       (fw_type[w])
#define fw_obj(w)        (fw_obj[w])
#define fw_gen(w)        (fw_gen[w])
#define fw_read(w)       (fw_read[w])
#define fw_write(w)      (fw_write[w])
#define fw_grant(w)      (fw_grant[w])
#define fw_badge(w)      (fw_badge[w])
#define ep_recv(e)       (ep_recv[e])
#define ep_nosend(e)     (ep_nosend[e])
#define n_bits(n)        (n_bits[n])
#define h_src(h)         (h_src[h])
#define h_ntfn(h)        (h_ntfn[h])
#define h_ngen(h)        (h_ngen[h])
#define h_badge(h)       (h_badge[h])
#define p_vroot(p)       (p_vroot[p])
#define p_satp(p)        (p_satp[p])

#endif

#endif
