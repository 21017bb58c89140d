/* driver.c: run a trace of kernel-core operations on the host build of
 * kernel/ (library kcore) and print, after every step, the result and a
 * canonical dump of the abstract state. The OCaml conformance test
 * (conform.ml) prints the same line from the extracted Coq spec and
 * compares. Trace format: one operation per line, its C name followed by
 * its arguments in decimal, as in core.h; plus one test-only step,
 * "set_gen f g", which writes frame_gen[f] (to reach retirement without
 * four billion frees; the generator uses it only on free frames).
 *
 * Output line: "<results> |<dump>", results "e=<code>" plus the extra
 * results of queries; the dump lists every frame that is not free or whose
 * generation is not 0, with the fields MODEL.md says are meaningful for its
 * type (see dump_frame).
 *
 * The address spaces (kernel/vspace.c, issue 14 item 7) run as the
 * architecture layer runs them: a new process gets vs_proc_init (boot_proc,
 * and proc_create when it succeeds: process_new in arch-riscv/); sys_map,
 * sys_unmap, sys_cap_delete and sys_cap_move are kernel/decode.c's, which
 * arch-riscv/syscall.c calls ("cap_delete" is the core's alone, without
 * the mapping's end: conform.ml's);
 * vs_reap is the step after proc_reap that the syscall layer's reap() takes
 * after container_destroy. SYS_OBJ_FREE (since commit 37ad752a) is obj_free
 * then obj_gone of the object and type the slot held before the call
 * (arch-riscv/syscall.c, obj_free_call): "sys_obj_free cs a0 a1" runs that
 * composition, as obj_free_call does but for the TLB fence and the
 * refusal log; "obj_gone o t" and "vs_cspace_gone cs" run the two
 * functions alone (the harness passes them a frame just freed, or any).
 * The architecture's half is the host's (tests/system/host_ppn.c, linked
 * in) and the kernel half of a root table is set in main, the same as
 * spec/Extract.v's host_kroot and host_kernel_satp. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "state.h"
#include "proc.h"
#include "decode.h"
#include "irq.h"
#include "timers.h"
#include "vspace.h"

static void dump_cap(char tag, unsigned idx, unsigned type, unsigned obj,
                     unsigned gen, unsigned r, unsigned w, unsigned g,
                     uint64_t badge)
{
  printf(":%c%u=%u,%u,%u,%u%u%u,%" PRIu64, tag, idx, type, obj, gen, r, w, g,
         badge);
}

static void dump_frame(unsigned f)
{
  unsigned t = frame_type[f];
  if (t == OT_FREE && frame_gen[f] == 0)
    return;
  printf(" %u:%u:%u", f, t, (unsigned)frame_gen[f]);
  if (t == OT_FREE || t == OT_RETIRED)
    return;
  printf(":o%u", (unsigned)frame_owner[f]);
  if (t == OT_CONTAINER) {
    printf(":l%u:u%u:w%u:d%u:a", (unsigned)c_limit[f], (unsigned)c_usage[f],
           (unsigned)c_own[f], (unsigned)c_depth[f]);
    for (unsigned d = 0; d <= c_depth[f] && d < MAXDEPTH; d++)
      printf("%s%u", d ? "," : "", (unsigned)c_anc[f][d]);
  } else if (t == OT_CSPACE) {
    for (unsigned s = 0; s < NSLOTS; s++)
      if (cap_type[f][s] != OT_FREE)
        dump_cap('s', s, cap_type[f][s], cap_obj[f][s], cap_gen[f][s],
                 cap_read[f][s], cap_write[f][s], cap_grant[f][s],
                 cap_badge[f][s]);
  } else if (t == OT_FORWARDER) {
    dump_cap('F', 0, fw_type[f], fw_obj[f], fw_gen[f], fw_read[f],
             fw_write[f], fw_grant[f], fw_badge[f]);
  }
}

/* The process tables (issue 4), in the format of dump_procs in
 * conform_procs.ml: every process (a frame of type OT_PROCESS) whose state
 * is not PS_NONE with all its fields, every notification's non-zero
 * n_bits, cur_proc and next_ticket. (The record of a frame of another
 * type means nothing: records.h.) */
static void dump_proc(unsigned p)
{
  printf(" P%u:%u:%u:%u:%u:%u:%" PRIu64 ":%u:%u:r", p, (unsigned)p_state[p],
         (unsigned)p_gen[p], (unsigned)p_cspace[p], (unsigned)p_cspace_gen[p],
         (unsigned)p_prio[p], p_ticket[p], (unsigned)p_wait[p],
         (unsigned)p_wait_gen[p]);
  for (unsigned i = 0; i < NREGS; i++)
    if (p_regs[REG(p, i)] != 0)
      printf("%u=%" PRIu64 ",", i, p_regs[REG(p, i)]);
  printf(":m%" PRIu64, p_mlabel[p]);
  for (unsigned i = 0; i < MSG_WORDS; i++)
    printf(",%" PRIu64, p_mword[MW(p, i)]);
  printf(",%u,%" PRIu64 ":y%u,%u,%" PRIu64 ":s%u,%u:f%u,%u,%" PRIu64,
         (unsigned)p_mcaps[p], p_mbadge[p], (unsigned)p_reply_to[p],
         (unsigned)p_reply_gen[p], p_reply_tkt[p], (unsigned)p_rslot[MC(p, 0)],
         (unsigned)p_rslot[MC(p, 1)], (unsigned)p_fault_ep[p],
         (unsigned)p_fault_gen[p], p_fault_badge[p]);
}

static int with_procs;   /* dump the process tables too (-p) */

/* A satp as its top two bits and its low 62: the model holds it in an
 * OCaml int (63 bits), with satp's mode bit 63 as its bit 62
 * (spec/Extract.v, VS_SATP_SV39). */
static void dump_satp(uint64_t satp)
{
  printf("%u:%" PRIu64, (unsigned)(satp >> 62), satp & ((UINT64_C(1) << 62) - 1));
}

/* The address spaces (issue 14 item 7), in the format of dump_vs in
 * conform_procs.ml: every page table (a frame of type OT_PAGETABLE) with
 * its process and generation and its non-zero entries; every process
 * (OT_PROCESS, state not PS_NONE) with its root table and satp; every
 * frame's mapping record that is in use, with the capability slot it was
 * made through (m_cs, m_csgen, m_slot); every non-zero mark (cap_mapped)
 * of a slot of a cspace. */
static void dump_vs(void)
{
  printf(" |V");
  for (unsigned t = 0; t < NFRAMES; t++)
    if (frame_type[t] == OT_PAGETABLE) {
      printf(" T%u:%u:%u", t, (unsigned)pt_proc[t], (unsigned)pt_proc_gen[t]);
      for (unsigned i = 0; i < PTES; i++)
        if (pt_entry[t][i] != 0)
          printf(":%u=%" PRIu64, i, pt_entry[t][i]);
    }
  for (unsigned p = 0; p < NFRAMES; p++)
    if (frame_type[p] == OT_PROCESS && p_state[p] != PS_NONE) {
      printf(" V%u:%u:", p, (unsigned)p_vroot[p]);
      dump_satp(p_satp[p]);
    }
  for (unsigned f = 0; f < NFRAMES; f++)
    if (m_used[f] != 0)
      printf(" M%u:%u:%u:%u:%" PRIu64 ":s%u.%u.%u", f, (unsigned)m_proc[f],
             (unsigned)m_pgen[f], (unsigned)m_fgen[f], m_va[f], (unsigned)m_cs[f],
             (unsigned)m_csgen[f], (unsigned)m_slot[f]);
  for (unsigned c = 0; c < NFRAMES; c++)
    if (frame_type[c] == OT_CSPACE)
      for (unsigned s = 0; s < NSLOTS; s++)
        if (cap_mapped[c][s] != 0)
          printf(" K%u.%u=%u", c, s, (unsigned)cap_mapped[c][s]);
}

static void dump_state(void)
{
  printf(" |");
  for (unsigned f = 0; f < NFRAMES; f++)
    dump_frame(f);
  if (with_procs) {
    printf(" ||");
    for (unsigned p = 0; p < NFRAMES; p++)
      if (frame_type[p] == OT_PROCESS && p_state[p] != PS_NONE)
        dump_proc(p);
    for (unsigned f = 0; f < NFRAMES; f++)
      if (frame_type[f] == OT_NOTIFICATION && n_bits[f] != 0)
        printf(" N%u=%" PRIu64, f, n_bits[f]);
    printf(" cur=%u next=%" PRIu64, (unsigned)cur_proc, next_ticket);
    /* interrupt sources (those ever taken or pending) and handlers */
    printf(" |I");
    for (unsigned s = 0; s < irq_sources; s++)
      if (irq_handler[s] != 0 || irq_hgen[s] != 0 || irq_pending[s] != 0)
        printf(" S%u:%u:%u:%u", s, (unsigned)irq_handler[s], (unsigned)irq_hgen[s],
               (unsigned)irq_pending[s]);
    for (unsigned h = 0; h < NFRAMES; h++)
      if (frame_type[h] == OT_IRQ_HANDLER) {
        printf(" H%u:%u:%u", h, (unsigned)h_src[h], (unsigned)h_ntfn[h]);
        if (h_ntfn[h] != NFRAMES)
          printf(":%u:%" PRIu64, (unsigned)h_ngen[h], h_badge[h]);
      }
    /* armed-timer rows that name a timer (issue 15) */
    printf(" |T hi=%u", (unsigned)tmr_hi);
    for (unsigned r = 0; r < NTIMERS; r++)
      if (tmr_obj[r] != NFRAMES)
        printf(" R%u:%u:%u:%" PRIu64 ":%u:%u:%" PRIu64, r, (unsigned)tmr_obj[r],
               (unsigned)tmr_gen[r], tmr_deadline[r], (unsigned)tmr_ntfn[r],
               (unsigned)tmr_ngen[r], tmr_badge[r]);
    dump_vs();
  }
  printf("\n");
  fflush(stdout);      /* the harness reads one line per operation (a pipe) */
}

/* ---- records of other types hold anything ----
 * In the kernel, an object's record lives in its own frame
 * (kernel/include/records.h): the record fields of a frame that is not of
 * their type are whatever that memory holds (user data, a page table, an
 * earlier object). Here they are tables; before every operation the
 * driver fills every record field of a frame not of its type with
 * pseudo-random bytes, and after it checks that the operation wrote none
 * of them but those of frames that took the field's type. So a kernel
 * that read such a field (the spec's answer would then differ) or wrote
 * one (user memory, in the kernel) fails here. */
struct view { void *base; size_t row; unsigned types; int keep; };  /* types: mask */
#define T(t) (1u << (t))
#define TPROC T(OT_PROCESS)
#define VIEW(tbl, n, types) { (void *)(tbl), sizeof (tbl)[0] * (n), (types), 0 }
/* A field the kernel never sets up when its frame takes the type: a
 * cspace's marks (cap_mapped, kernel/include/state.h: a value no mapping
 * record confirms means none; cspace_clear leaves them). Scribbled for the
 * operation, to check that it writes none of another type's frame, and
 * put back after it: a new cspace's marks are then what the table held,
 * which the model holds too (its marks outlive the cspace). */
#define VIEW_KEEP(tbl, n, types) { (void *)(tbl), sizeof (tbl)[0] * (n), (types), 1 }
static const struct view views[] = {
  VIEW(p_state, 1, TPROC), VIEW(p_gen, 1, TPROC), VIEW(p_cspace, 1, TPROC),
  VIEW(p_cspace_gen, 1, TPROC), VIEW(p_prio, 1, TPROC), VIEW(p_ticket, 1, TPROC),
  VIEW(p_wait, 1, TPROC), VIEW(p_wait_gen, 1, TPROC), VIEW(p_regs, NREGS, TPROC),
  VIEW(p_mlabel, 1, TPROC), VIEW(p_mword, MSG_WORDS, TPROC), VIEW(p_mcaps, 1, TPROC),
  VIEW(p_mbadge, 1, TPROC), VIEW(p_reply_to, 1, TPROC), VIEW(p_reply_gen, 1, TPROC),
  VIEW(p_reply_tkt, 1, TPROC), VIEW(p_rslot, MSG_CAPS, TPROC),
  VIEW(p_fault_ep, 1, TPROC), VIEW(p_fault_gen, 1, TPROC), VIEW(p_fault_badge, 1, TPROC),
  VIEW(c_limit, 1, T(OT_CONTAINER)), VIEW(c_usage, 1, T(OT_CONTAINER)),
  VIEW(c_own, 1, T(OT_CONTAINER)), VIEW(c_depth, 1, T(OT_CONTAINER)),
  VIEW(c_anc[0], MAXDEPTH, T(OT_CONTAINER)),
  VIEW(fw_type, 1, T(OT_FORWARDER)), VIEW(fw_obj, 1, T(OT_FORWARDER)),
  VIEW(fw_gen, 1, T(OT_FORWARDER)), VIEW(fw_read, 1, T(OT_FORWARDER)),
  VIEW(fw_write, 1, T(OT_FORWARDER)), VIEW(fw_grant, 1, T(OT_FORWARDER)),
  VIEW(fw_badge, 1, T(OT_FORWARDER)),
  VIEW(ep_recv, 1, T(OT_ENDPOINT) | T(OT_NOTIFICATION)),
  VIEW(ep_nosend, 1, T(OT_ENDPOINT) | T(OT_NOTIFICATION)),
  VIEW(n_bits, 1, T(OT_NOTIFICATION)),
  VIEW(h_src, 1, T(OT_IRQ_HANDLER)), VIEW(h_ntfn, 1, T(OT_IRQ_HANDLER)),
  VIEW(h_ngen, 1, T(OT_IRQ_HANDLER)), VIEW(h_badge, 1, T(OT_IRQ_HANDLER)),
  VIEW(cap_type[0], NSLOTS, T(OT_CSPACE)), VIEW(cap_obj[0], NSLOTS, T(OT_CSPACE)),
  VIEW(cap_gen[0], NSLOTS, T(OT_CSPACE)), VIEW(cap_read[0], NSLOTS, T(OT_CSPACE)),
  VIEW(cap_write[0], NSLOTS, T(OT_CSPACE)), VIEW(cap_grant[0], NSLOTS, T(OT_CSPACE)),
  VIEW(cap_badge[0], NSLOTS, T(OT_CSPACE)),
  VIEW_KEEP(cap_mapped[0], NSLOTS, T(OT_CSPACE)),
  /* the address spaces: a process's root and satp (its record), a page
   * table's entries (its frame) */
  VIEW(p_vroot, 1, TPROC), VIEW(p_satp, 1, TPROC),
  VIEW(pt_entry[0], PTES, T(OT_PAGETABLE)),
};
#define NVIEWS (sizeof views / sizeof views[0])

static uint64_t rng = 0x9e3779b97f4a7c15u;
static unsigned char *saved[NVIEWS];
static uint8_t type_before[MAXFRAMES];
static unsigned char *kept[NVIEWS];   /* a VIEW_KEEP's rows before the scribble */
static unsigned scribbled_lim;   /* frames [0, lim) were scribbled */
/* A frame whose VIEW_KEEP rows (a cspace's marks) the operation reads
 * and writes as the memory the dead cspace left (obj_gone and
 * vs_cspace_gone of a capability space: kernel/vspace.c): neither
 * scribbled nor checked nor put back; NO_EXEMPT: none. */
#define NO_EXEMPT 0xFFFFFFFFu
static unsigned keep_exempt = NO_EXEMPT;

static uint64_t rnd_next(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* n pseudo-random bytes at row, eight a step (a page table's row is
 * 4,096 bytes) */
static void rnd_fill(unsigned char *row, size_t n)
{
  size_t b = 0;
  for (; b + 8 <= n; b += 8) {
    uint64_t x = rnd_next();
    memcpy(row + b, &x, 8);
  }
  for (; b < n; b++)
    row[b] = (unsigned char)(rnd_next() >> 24);
}

/* Fill the fields of every frame below f_hi + 1 that is not of their type
 * (the frames an operation can reach: allocation takes the lowest free
 * frame, at most f_hi) and keep a copy. */
static void scribble(void)
{
  unsigned lim = f_hi + 1 < NFRAMES ? f_hi + 1 : NFRAMES;
  for (unsigned v = 0; v < NVIEWS; v++) {
    if (!saved[v])
      saved[v] = malloc(views[v].row * MAXFRAMES);
    for (unsigned f = 0; f < lim; f++) {
      unsigned char *row = (unsigned char *)views[v].base + views[v].row * f;
      if (views[v].types & T(frame_type[f]))
        continue;
      if (views[v].keep && f == keep_exempt)
        continue;
      if (views[v].keep) {
        if (!kept[v])
          kept[v] = malloc(views[v].row * MAXFRAMES);
        memcpy(kept[v] + views[v].row * f, row, views[v].row);
      }
      rnd_fill(row, views[v].row);
      memcpy(saved[v] + views[v].row * f, row, views[v].row);
    }
  }
  for (unsigned f = 0; f < lim; f++)
    type_before[f] = frame_type[f];
  scribbled_lim = lim;
}

/* After the operation: a scribbled field of a frame that has not taken
 * its type must hold what it held. 0 if so; else the driver stops. */
static int scribble_check(unsigned lineno)
{
  for (unsigned v = 0; v < NVIEWS; v++)
    for (unsigned f = 0; f < scribbled_lim; f++) {
      if (views[v].types & (T(type_before[f]) | T(frame_type[f])))
        continue;
      if (views[v].keep && f == keep_exempt)
        continue;
      unsigned char *row = (unsigned char *)views[v].base + views[v].row * f;
      if (memcmp(row, saved[v] + views[v].row * f, views[v].row) != 0) {
        fprintf(stderr, "driver: line %u: the operation wrote record field %u "
                "of frame %u, which is not of its type (type %u)\n",
                lineno, v, f, (unsigned)frame_type[f]);
        return 1;
      }
    }
  /* a VIEW_KEEP's scribbled rows back as they were (those of the frames
   * that have the type now too: the operation set up none of them) */
  for (unsigned v = 0; v < NVIEWS; v++)
    if (views[v].keep)
      for (unsigned f = 0; f < scribbled_lim; f++)
        if (!(views[v].types & T(type_before[f])) && f != keep_exempt)
          memcpy((unsigned char *)views[v].base + views[v].row * f,
                 kept[v] + views[v].row * f, views[v].row);
  return 0;
}

#define MAXARGS 8

/* The kernel's half of every root table, as uvm_init sets it at boot: two
 * 1 GiB kernel leaves (indices 256 and 510) and the satp of a kernel root
 * at page 0x80400. spec/Extract.v's host_kroot and host_kernel_satp are
 * the same. */
static void kroot_init(void)
{
  vs_kernel_satp = VS_SATP_SV39 + 0x80400u;
  vs_kroot_n = 2;
  vs_kroot_idx[0] = 256;
  vs_kroot_pte[0] = 0x200000cfu;
  vs_kroot_idx[1] = 510;
  vs_kroot_pte[1] = 0x100000cfu;
}


int main(int argc, char **argv)
{
  /* the sizes this driver's core was built with (the harness checks that
   * they are the model's: tests/spec/sized.ml) */
  if (argc > 1 && !strcmp(argv[1], "-sizes")) {
    printf("%u %u\n", (unsigned)NFRAMES, (unsigned)NSLOTS);
    return 0;
  }
  if (argc > 1 && !strcmp(argv[1], "-p")) {
    with_procs = 1;
    argv++;
    argc--;
  }
  kroot_init();
  FILE *in = argc > 1 ? fopen(argv[1], "r") : stdin;
  if (!in) {
    perror(argv[1]);
    return 2;
  }
  char line[512];
  unsigned lineno = 0;
  while (fgets(line, sizeof line, in)) {
    lineno++;
    char op[32];
    unsigned long long a[MAXARGS] = {0};
    int n = sscanf(line, "%31s %llu %llu %llu %llu %llu %llu %llu %llu", op,
                   &a[0], &a[1], &a[2], &a[3], &a[4], &a[5], &a[6], &a[7]);
    if (n < 1)
      continue;
    uint32_t u[MAXARGS];
    for (int i = 0; i < MAXARGS; i++)
      u[i] = (uint32_t)a[i];
    int scribbled = 0;
    keep_exempt = NO_EXEMPT;
    if ((!strcmp(op, "obj_gone") && u[1] == OT_CSPACE) || !strcmp(op, "vs_cspace_gone"))
      keep_exempt = u[0];
    if (strcmp(op, "kernel_init") != 0 && strcmp(op, "set_gen") != 0) {
      scribble();
      scribbled = 1;
    }
    if (!strcmp(op, "kernel_init")) {
      kernel_init(u[0], u[1]);
      timers_init();        /* the architecture layer's boot does too */
      printf("e=0");
    } else if (!strcmp(op, "set_gen")) {
      frame_gen[u[0] % NFRAMES] = u[1];
      printf("e=0");
    } else if (!strcmp(op, "container_create")) {
      printf("e=%d", container_create(u[0], u[1], u[2], u[3]));
    } else if (!strcmp(op, "obj_alloc")) {
      printf("e=%d", obj_alloc(u[0], u[1], u[2], u[3]));
    } else if (!strcmp(op, "typed_alloc")) {
      printf("e=%d", typed_alloc(u[0], u[1], u[2], u[3]));
    } else if (!strcmp(op, "obj_free")) {
      printf("e=%d", obj_free(u[0], u[1], u[2]));
    } else if (!strcmp(op, "container_destroy")) {
      printf("e=%d", container_destroy(u[0], u[1], u[2]));
    } else if (!strcmp(op, "container_info")) {
      struct info_ret r = container_info(u[0], u[1]);
      printf("e=%d l=%u u=%u", r.err, (unsigned)r.limit, (unsigned)r.usage);
    } else if (!strcmp(op, "cap_copy")) {
      printf("e=%d", cap_copy(u[0], u[1], u[2], u[3], u[4], u[5], u[6]));
    } else if (!strcmp(op, "cap_mint")) {
      printf("e=%d", cap_mint(u[0], u[1], u[2], u[3], u[4], u[5], u[6],
                              (uint64_t)a[7]));
    } else if (!strcmp(op, "cap_move")) {
      printf("e=%d", cap_move(u[0], u[1], u[2], u[3]));
    } else if (!strcmp(op, "cap_delete")) {
      printf("e=%d", cap_delete(u[0], u[1]));
    } else if (!strcmp(op, "cap_identify")) {
      struct identify_ret r = cap_identify(u[0], u[1], u[2]);
      printf("e=%d same=%u b=%" PRIu64, r.err, (unsigned)r.same, r.badge);
    } else if (!strcmp(op, "fwd_create")) {
      printf("e=%d", fwd_create(u[0], u[1], u[2], u[3]));
    } else if (!strcmp(op, "cap_resolve")) {
      struct resolve_ret r = cap_resolve(u[0], u[1]);
      printf("e=%d t=%u o=%u r=%u%u%u b=%" PRIu64, r.err, (unsigned)r.type,
             (unsigned)r.obj, (unsigned)r.read, (unsigned)r.write,
             (unsigned)r.grant, r.badge);
    /* ---- processes, IPC, notifications (issue 4) ---- */
    } else if (!strcmp(op, "boot_proc")) {
      /* what the architecture layer does for the root task: a kernel-held
       * process from container u[0], with cspace u[1] and priority u[2] */
      struct frame_ret r = kobj_alloc(u[0], OT_PROCESS);
      if (r.err == E_OK) {
        proc_make(r.frame, u[0], u[1], u[2]);
        proc_ready(r.frame);
        vs_proc_init(r.frame);     /* process_new */
      }
      printf("e=%d f=%u", r.err, (unsigned)r.frame);
    } else if (!strcmp(op, "sys_set_recv_slots")) {
      sys_set_recv_slots(u[0], a[1], a[2]);
      printf("e=0");
    } else if (!strcmp(op, "sys_yield")) {
      sys_yield(u[0]);
      printf("e=0");
    } else if (!strcmp(op, "proc_create")) {
      /* and, as the syscall layer does for a new process, process_new */
      kerr_t e = proc_create(u[0], u[1], u[2], u[3], u[4], u[5]);
      if (e == E_OK)
        vs_proc_init(cap_obj[u[0]][u[4]]);
      printf("e=%d", e);
    } else if (!strcmp(op, "proc_resume")) {
      printf("e=%d", proc_resume(u[0], u[1]));
    } else if (!strcmp(op, "proc_suspend")) {
      printf("e=%d", proc_suspend(u[0], u[1]));
    } else if (!strcmp(op, "proc_read_reg")) {
      struct reg_ret r = proc_read_reg(u[0], u[1], u[2]);
      printf("e=%d v=%" PRIu64, r.err, r.value);
    } else if (!strcmp(op, "proc_write_reg")) {
      printf("e=%d", proc_write_reg(u[0], u[1], u[2], (uint64_t)a[3]));
    } else if (!strcmp(op, "proc_set_fault")) {
      printf("e=%d", proc_set_fault(u[0], u[1], u[2]));
    } else if (!strcmp(op, "proc_reap")) {
      proc_reap();
      printf("e=0");
    } else if (!strcmp(op, "ipc_send")) {
      /* as the syscall layer: the second step when a receiver waited */
      struct send_ret r = ipc_send(u[0], u[1], u[2]);
      if (r.err == E_OK && r.partner != NO_PROC)
        ipc_send_to(u[0], r.partner, u[2]);
      printf("e=%d r=%u", r.err, (unsigned)r.partner);
    } else if (!strcmp(op, "ipc_recv")) {
      printf("e=%d", ipc_recv(u[0], u[1]));
    } else if (!strcmp(op, "ipc_reply")) {
      printf("e=%d", ipc_reply(u[0]));
    } else if (!strcmp(op, "ipc_fault")) {
      printf("r=%d", ipc_fault(u[0], (uint64_t)a[1], (uint64_t)a[2],
                               (uint64_t)a[3], (uint64_t)a[4]));
    } else if (!strcmp(op, "irq_handler_create")) {
      printf("e=%d", irq_handler_create(u[0], u[1], u[2], u[3], u[4]));
    } else if (!strcmp(op, "irq_set_ntfn")) {
      struct irq_ret r = irq_set_ntfn(u[0], u[1], u[2]);
      printf("e=%d s=%u", r.err, (unsigned)r.src);
    } else if (!strcmp(op, "irq_ack")) {
      struct irq_ret r = irq_ack(u[0], u[1]);
      printf("e=%d s=%u", r.err, (unsigned)r.src);
    } else if (!strcmp(op, "irq_deliver")) {
      printf("e=%d", irq_deliver(u[0]).err);
    } else if (!strcmp(op, "timer_set")) {
      printf("e=%d", timer_set(u[0], u[1], u[2], (uint64_t)a[3]));
    } else if (!strcmp(op, "timer_cancel")) {
      printf("e=%d", timer_cancel(u[0], u[1]));
    } else if (!strcmp(op, "timer_due")) {
      printf("r=%u", (unsigned)timer_due((uint64_t)a[0]));
    } else if (!strcmp(op, "timer_fire")) {
      printf("e=%d", timer_fire(u[0]).err);
    } else if (!strcmp(op, "timer_next")) {
      uint64_t d = timer_next();
      if (d == DEADLINE_NEVER)
        printf("d=never");
      else
        printf("d=%" PRIu64, d);
    } else if (!strcmp(op, "ntfn_signal")) {
      printf("e=%d", ntfn_signal(u[0], u[1], (uint64_t)a[2]).err);
    } else if (!strcmp(op, "ntfn_wait")) {
      printf("e=%d", ntfn_wait(u[0], u[1]));
    /* ---- the decode (issue 14 item 1): 64-bit register values ---- */
    } else if (!strcmp(op, "sys_cap_copy")) {
      printf("e=%d", sys_cap_copy(u[0], a[1], a[2], a[3], a[4]));
    } else if (!strcmp(op, "sys_cap_mint")) {
      printf("e=%d", sys_cap_mint(u[0], a[1], a[2], a[3], a[4], a[5]));
    } else if (!strcmp(op, "sys_cap_move")) {
      printf("e=%d", sys_cap_move(u[0], a[1], a[2], a[3]));
    } else if (!strcmp(op, "proc_arg")) {
      struct obj_ret r = proc_arg(u[0], u[1], a[2]);
      printf("e=%d o=%u", r.err, (unsigned)r.obj);
    } else if (!strcmp(op, "map_frame_lookup")) {
      struct resolve_ret r = map_frame_lookup(u[0], u[1], a[2]);
      printf("e=%d o=%u", r.err, r.err == E_OK ? (unsigned)r.obj : (unsigned)NFRAMES);
    /* ---- the address spaces (issue 14 item 7) ---- */
    } else if (!strcmp(op, "sys_map")) {
      printf("e=%d", sys_map(u[0], u[1], a[2], a[3], a[4], a[5]));
    } else if (!strcmp(op, "sys_unmap")) {
      printf("e=%d", sys_unmap(u[0], u[1], a[2], a[3]));
    } else if (!strcmp(op, "sys_cap_delete")) {
      printf("e=%d", sys_cap_delete(u[0], a[1]));
    } else if (!strcmp(op, "vs_reap")) {
      vs_reap();
      printf("e=0");
    } else if (!strcmp(op, "obj_gone")) {
      obj_gone(u[0], u[1]);
      printf("e=0");
    } else if (!strcmp(op, "vs_cspace_gone")) {
      vs_cspace_gone(u[0]);
      printf("e=0");
    } else if (!strcmp(op, "sys_obj_free")) {
      /* arch-riscv/syscall.c, obj_free_call: the object slot's object
       * and type read before the call, obj_free, then obj_gone */
      uint32_t cs = u[0], s = slot32(a[2]);
      uint32_t obj = s < NSLOTS ? cap_obj[cs][s] : NFRAMES;
      uint32_t type = s < NSLOTS ? cap_type[cs][s] : OT_FREE;
      kerr_t e = obj_free(cs, slot32(a[1]), s);
      if (e == E_OK)
        obj_gone(obj, type);
      printf("e=%d", e);
    } else if (!strcmp(op, "vs_lookup")) {
      printf("pte=%" PRIu64, vs_lookup(u[0], a[1]));
    } else if (!strcmp(op, "caller_cspace")) {
      printf("cs=%u", (unsigned)caller_cspace(u[0]));
    } else if (!strcmp(op, "sched_pick")) {
      printf("p=%u", (unsigned)sched_pick());
    } else if (!strcmp(op, "sched_tick")) {
      sched_tick();
      printf("e=0");
    /* ---- the fast paths, as uentry.S / fastpath.c call them: the
     * caller's argument registers, then the fast function; t=1 when it
     * was taken (a partner returned), t=0 when it declined ---- */
    } else if (!strcmp(op, "fast_call") || !strcmp(op, "fast_reply_recv")) {
      p_regs[REG(u[0], 10)] = a[1];
      p_regs[REG(u[0], 16)] = 0;
      uint32_t r = !strcmp(op, "fast_call") ? ipc_fast_call(u[0]) : ipc_fast_reply_recv(u[0]);
      printf("t=%d", r != NO_PROC);
    } else if (!strcmp(op, "fast_signal")) {
      p_regs[REG(u[0], 10)] = a[1];
      p_regs[REG(u[0], 11)] = a[2];
      printf("t=%d", ntfn_fast_signal(u[0]) != NO_PROC);
    } else {
      fprintf(stderr, "driver: line %u: unknown operation '%s'\n", lineno, op);
      return 2;
    }
    if (scribbled && scribble_check(lineno) != 0)
      return 3;
    dump_state();
  }
  return 0;
}
