/*
 * uvm.c: managed frame memory and user address spaces (see uvm.h).
 */
#include "uvm.h"
#include "memlayout.h"
#include "memmap.h"
#include "riscv.h"
#include "proc.h"
#include "internal.h"
#include "ktables.h"
#include "user.h"

static uint64_t kernel_root;          /* the kernel's root table      */
static uint64_t kernel_satp;          /* MAKE_SATP(kernel_root)       */
/* The valid entries of the kernel's half of kernel_root, fixed once the
 * frame window is mapped (uvm_init): a new root table copies these and
 * leaves the rest zero. At most the direct map's 128 GiB, the frame
 * window's 16 GiB and the image's 1 GiB of 1 GiB entries. */
static uint16_t kroot_index[PTES_PER_PT / 2];
static unsigned kroot_count;

/* where each user frame is mapped: by process m_proc (of generation
 * m_pgen) at m_va, while the frame has generation m_fgen, through the
 * forwarders m_path (each of the generation it had at map time) */
FRAME_TABLE_DEF(uint32_t, m_proc);
FRAME_TABLE_DEF(uint32_t, m_pgen);
FRAME_TABLE_DEF(uint32_t, m_fgen);
FRAME_TABLE_DEF(uint64_t, m_va);
FRAME_TABLE_DEF(uint8_t, m_used);
FRAME_TABLE_DEF(struct map_path, m_path);


/* Zero words [from, to) (to - from a multiple of 8): sixteen stores a
 * turn, then eight for a rest of eight (18 instructions for 16 words; one
 * store a turn took 48). Spawn zeroes every page it loads with it, and
 * the boot the tables. */
static void words_zero(uint64_t *w, uint64_t from, uint64_t to)
{
  uint64_t i = from;
  for (; to - i >= 16; i += 16) {
    w[i] = 0; w[i + 1] = 0; w[i + 2] = 0; w[i + 3] = 0;
    w[i + 4] = 0; w[i + 5] = 0; w[i + 6] = 0; w[i + 7] = 0;
    w[i + 8] = 0; w[i + 9] = 0; w[i + 10] = 0; w[i + 11] = 0;
    w[i + 12] = 0; w[i + 13] = 0; w[i + 14] = 0; w[i + 15] = 0;
  }
  if (i < to) {
    w[i] = 0; w[i + 1] = 0; w[i + 2] = 0; w[i + 3] = 0;
    w[i + 4] = 0; w[i + 5] = 0; w[i + 6] = 0; w[i + 7] = 0;
  }
}

/* The managed frames' physical memory: up to FRAME_RUNS runs of free
 * RAM, each from a 2 MiB boundary, frame indices following one another
 * across them (run i holds frames first .. first + count - 1). The frame
 * window maps them all, one after another, at FWIN_BASE, so frame_kva
 * needs no run; frame_pa (a page-table entry, a satp) finds its run. */
#define FRAME_RUNS 4
struct frame_run { uint64_t pa; uint32_t first, count; };
static struct frame_run runs[FRAME_RUNS];
static unsigned nruns;

/* The device pages (issue 15): frames DEV_FIRST .. DEV_FIRST + ndevpages
 * - 1 stand for pages of device memory, one per page of each device the
 * device tree lists (fdt.c, consider_device), in device-tree order: the
 * first frames after the root container's and its cspace's (0 and 1,
 * kernel_init), which the boot allocates next. Their frame indices are in
 * the first run: the RAM pages behind those indices in the frame window
 * stay unused (at most MAX_DEVICE_PAGES pages), which keeps the window's
 * 2 MiB pages and every run as it was. frame_pa gives
 * a device frame's device page, so a user mapping of it reaches the
 * device; nothing in the kernel touches a device page's memory. */
static uint64_t dev_pa[MAX_DEVICE_PAGES];
static uint32_t dev_irq[MAX_DEVICE_PAGES];
static uint8_t dev_kind[MAX_DEVICE_PAGES];
static uint32_t ndevpages, devpages_dropped;
#define DEV_FIRST 2u

/* List the device pages of the device tree's devices (a page shared by
 * two devices once, with the first one's kind). */
static void devices_plan(const struct fdt_info *fdt)
{
  ndevpages = devpages_dropped = 0;
  for (unsigned i = 0; i < fdt->ndev; i++) {
    const struct fdt_device *d = &fdt->dev[i];
    uint64_t first = d->base & ~(PAGE_SIZE - 1);
    uint64_t end = align_up(d->base + d->size, PAGE_SIZE);
    for (uint64_t pa = first; pa < end; pa += PAGE_SIZE) {
      unsigned k = 0;
      while (k < ndevpages && dev_pa[k] != pa)
        k++;
      if (k < ndevpages)
        continue;
      if (ndevpages == MAX_DEVICE_PAGES) {
        devpages_dropped++;
        continue;
      }
      dev_pa[ndevpages] = pa;
      dev_irq[ndevpages] = d->irq;
      dev_kind[ndevpages] = (uint8_t)d->kind;
      ndevpages++;
    }
  }
  devpages_dropped += fdt->dev_dropped;
}

uint32_t device_pages(void) { return ndevpages; }
uint32_t device_first(void) { return DEV_FIRST; }

/* is f a device frame? (unsigned: f below DEV_FIRST wraps, and is not) */
static int is_dev_frame(uint32_t f) { return f - DEV_FIRST < ndevpages; }

int device_page_info(uint32_t f, uint32_t *kind, uint64_t *pa, uint32_t *irq)
{
  if (!is_dev_frame(f))
    return 0;
  *kind = dev_kind[f - DEV_FIRST];
  *pa = dev_pa[f - DEV_FIRST];
  *irq = dev_irq[f - DEV_FIRST];
  return 1;
}

/* A free run of RAM that may hold frames: from its first 2 MiB boundary,
 * `avail` frames. */
struct run_cand { uint64_t base, end, fb; uint64_t avail; };

/* Place k frames in the candidate runs, largest first (a run other than
 * the last one used takes a multiple of 512 frames, so that the next
 * starts at a 2 MiB boundary of the frame window too): the runs used
 * (out[], at most FRAME_RUNS), and where the tables could go: every part
 * of every free run the frames do not take, clipped to the direct map.
 * The number of runs used, or 0 if k frames do not fit. */
static unsigned frames_place(const struct run_cand *c, unsigned nc, uint64_t k,
                             struct frame_run *out, struct ktables_region *r, unsigned *nr)
{
  uint8_t used[BOOT_FREE_MAX] = { 0 };
  uint64_t take[BOOT_FREE_MAX] = { 0 };
  uint64_t left = k;
  unsigned n = 0;
  while (left > 0 && n < FRAME_RUNS) {
    unsigned best = nc;
    for (unsigned i = 0; i < nc; i++)
      if (!used[i] && c[i].avail > 0 && (best == nc || c[i].avail > c[best].avail))
        best = i;
    if (best == nc)
      break;
    uint64_t t = c[best].avail;
    if (t >= left)
      t = left;
    else
      t -= t % 512;                  /* not the last: whole 2 MiB pages */
    if (t == 0)
      break;
    used[best] = 1;
    take[best] = t;
    out[n++] = (struct frame_run){ c[best].fb, (uint32_t)(k - left), (uint32_t)t };
    left -= t;
  }
  if (left > 0)
    return 0;
  *nr = 0;
  for (unsigned i = 0; i < nc && *nr + 2 <= KTABLES_MAX_REGIONS; i++) {
    if (!used[i]) {
      r[(*nr)++] = (struct ktables_region){ c[i].base, c[i].end - c[i].base, 0 };
      continue;
    }
    uint64_t fe = c[i].fb + take[i] * PAGE_SIZE;
    r[(*nr)++] = (struct ktables_region){ fe, c[i].end - fe, 0 };
    r[(*nr)++] = (struct ktables_region){ c[i].base, c[i].fb - c[i].base, 0 };
  }
  return n;
}

int frames_init(const struct boot_info *bi, struct frames_plan *plan)
{
  struct fdt_region free[BOOT_FREE_MAX];
  struct run_cand c[BOOT_FREE_MAX];
  struct ktables_region r[KTABLES_MAX_REGIONS];
  struct frame_run placed[FRAME_RUNS];
  unsigned max = sizeof free / sizeof free[0], nr = 0;
  unsigned n = boot_free_ranges(bi, free, max);
  uint64_t b = 0, e = 0, total = 0;
  if (n > max)
    n = max;
  *plan = (struct frames_plan){ 0 };
  devices_plan(&bi->fdt);
  plan->device_pages = ndevpages;
  plan->device_pages_dropped = devpages_dropped;
  /* clip every run to the direct map; note the largest (for need_min) */
  for (unsigned i = 0; i < n; i++) {
    plan->free_total += free[i].size;
    if (free[i].base >= DMAP_LIMIT)
      free[i].size = 0;
    else if (free[i].base + free[i].size > DMAP_LIMIT)
      free[i].size = DMAP_LIMIT - free[i].base;
    if (free[i].size > e - b) {
      b = free[i].base;
      e = free[i].base + free[i].size;
    }
    uint64_t fb = align_up(free[i].base, MEGAPAGE), end = free[i].base + free[i].size;
    c[i] = (struct run_cand){ free[i].base, end, fb, fb < end ? (end - fb) / PAGE_SIZE : 0 };
    total += c[i].avail;
  }
  plan->run_base = b;
  plan->run_size = e - b;
  /* The frames: as many as leave room for their tables in what they do
   * not take (the most such k: a binary search), at most MAXFRAMES. */
  uint64_t lo = 0, hi = total;
  if (hi > MAXFRAMES) {
    plan->capped = 1;
    hi = MAXFRAMES;
  }
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo + 1) / 2;
    if (frames_place(c, n, mid, placed, r, &nr) != 0 &&
        ktables_fit(r, nr, (uint32_t)mid, 0) == 0)
      lo = mid;
    else
      hi = mid - 1;
  }
  /* at least MINFRAMES with their tables in the largest run: what to ask for */
  plan->need_min = align_up(b, MEGAPAGE) - b + (uint64_t)MINFRAMES * PAGE_SIZE +
                   ktables_bytes(MINFRAMES);
  if (lo < MINFRAMES + DEV_FIRST + ndevpages)
    return -1;
  nruns = frames_place(c, n, lo, runs, r, &nr);
  plan->nframes = (uint32_t)lo;
  plan->frames_pa = runs[0].pa;
  plan->frame_runs = nruns;
  plan->tables_bytes = ktables_bytes(plan->nframes);
  for (unsigned i = 0; i < nruns; i++)
    if (boot_map_frame_window((uint64_t)runs[i].first * PAGE_SIZE, runs[i].pa,
                              (uint64_t)runs[i].count * PAGE_SIZE) != 0)
      return -2;
  sfence_vma_all();
  if (ktables_fit(r, nr, plan->nframes, 1) != 0)
    return -2;
  /* the tables start zero, as .bss did (kernel_init relies on it) */
  for (unsigned i = 0; i < nr; i++)
    if (r[i].used > 0) {
      words_zero(pa_to_kva(r[i].base), 0, r[i].used / 8);
      plan->table_runs++;
    }
  nframes = plan->nframes;             /* the core's universe (param.h) */
  return 0;
}

uint64_t frame_pa(uint32_t f)
{
  if (is_dev_frame(f))
    return dev_pa[f - DEV_FIRST];
  unsigned i = nruns - 1;
  while (i > 0 && f < runs[i].first)
    i--;
  return runs[i].pa + (uint64_t)(f - runs[i].first) * PAGE_SIZE;
}

/* through the frame window: frame f is at FWIN_BASE + f * 4096 */
void *frame_kva(uint32_t f) { return (void *)(FWIN_BASE + (uint64_t)f * PAGE_SIZE); }

void frame_zero(uint32_t f)
{
  words_zero(frame_kva(f), 0, PAGE_SIZE / 8);
}

/* the frame index of a physical address: a device page's, or a managed
 * RAM frame's (not the unused RAM behind the device frames' indices), or
 * NFRAMES */
static uint32_t pa_frame(uint64_t pa)
{
  for (unsigned i = 0; i < nruns; i++)
    if (pa >= runs[i].pa && pa < runs[i].pa + (uint64_t)runs[i].count * PAGE_SIZE) {
      uint32_t f = runs[i].first + (uint32_t)((pa - runs[i].pa) / PAGE_SIZE);
      return is_dev_frame(f) ? NFRAMES : f;
    }
  for (uint32_t k = 0; k < ndevpages; k++)
    if (dev_pa[k] == (pa & ~(PAGE_SIZE - 1)))
      return DEV_FIRST + k;
  return NFRAMES;
}

void uvm_init(uint64_t kernel_root_pa)
{
  const uint64_t *kroot = pa_to_kva(kernel_root_pa);
  kernel_root = kernel_root_pa;
  kernel_satp = MAKE_SATP(kernel_root_pa);
  kroot_count = 0;
  for (unsigned i = PTES_PER_PT / 2; i < PTES_PER_PT; i++)
    if (kroot[i] & PTE_V)
      kroot_index[kroot_count++] = (uint16_t)i;
}

/* Load process p's satp if p's address space is the one loaded. */
static void satp_reload(uint32_t p)
{
  if (loaded_proc == p) {
    __asm__ volatile("csrw satp, %0" : : "r"(p_satp(p)));
    sfence_vma_all();
  }
}

/* A new process p: no root table yet (the kernel's). If the process
 * that last ran on frame p is still loaded, it is not any more. */
void uvm_process_new(uint32_t p)
{
  p_satp(p) = kernel_satp;
  if (loaded_proc == p)
    loaded_proc = NO_PROC;
}

uint64_t uvm_satp(uint32_t p)
{
  return p_satp(p);
}

/* p's root table, or 0 while p has none */
static uint64_t *root_table(uint32_t p)
{
  uint64_t satp = p_satp(p);
  if (satp == kernel_satp)
    return 0;
  return pa_to_kva((satp & SATP_PPN_MASK) << PAGE_SHIFT);
}

/* Make a page table for p, paid by p's container: zeroed, and a root
 * table (root != 0) with the kernel's valid entries (three at 128 MiB;
 * copying all 256 of the kernel's half cost 1,500 instructions a spawn). */
static __attribute__((noinline)) struct frame_ret table_make(uint32_t p, int root)
{
  struct frame_ret t = kobj_alloc(frame_owner[p], OT_PAGETABLE);
  if (t.err != E_OK)
    return t;
  uint64_t *table = frame_kva(t.frame);
  frame_zero(t.frame);
  if (root) {
    const uint64_t *kroot = pa_to_kva(kernel_root);
    for (unsigned k = 0; k < kroot_count; k++)
      table[kroot_index[k]] = kroot[kroot_index[k]];
  }
  pt_proc[t.frame] = p;
  pt_proc_gen[t.frame] = p_gen(p);
  return t;
}

/* the level-0 entry for va in p's tables; with `alloc`, missing tables are
 * allocated from p's container. *err says why when 0 is returned. */
static uint64_t *walk(uint32_t p, uint64_t va, int alloc, uint32_t *err)
{
  uint64_t *table = root_table(p);
  if (table == 0) {
    if (!alloc) {
      *err = E_NOT_MAPPED;
      return 0;
    }
    struct frame_ret t = table_make(p, 1);
    if (t.err != E_OK) {
      *err = t.err;
      return 0;
    }
    p_satp(p) = MAKE_SATP(frame_pa(t.frame));
    satp_reload(p);
    table = frame_kva(t.frame);
  }
  for (int level = 2; level > 0; level--) {
    uint64_t *pte = &table[VPN(va, level)];
    if ((*pte & PTE_V) == 0) {
      if (!alloc) {
        *err = E_NOT_MAPPED;
        return 0;
      }
      struct frame_ret t = table_make(p, 0);
      if (t.err != E_OK) {
        *err = t.err;
        return 0;
      }
      *pte = PA2PTE(frame_pa(t.frame)) | PTE_V;
    } else if (PTE_LEAF(*pte)) {
      *err = E_MAPPED;               /* never made by uvm, but be safe */
      return 0;
    }
    table = pa_to_kva(PTE2PA(*pte));
  }
  return &table[VPN(va, 0)];
}

static int va_ok(uint64_t va)
{
  return va >= USER_VA_MIN && va < USER_VA_END && va % PAGE_SIZE == 0;
}

/* Is every forwarder the mapping of frame f was made through alive? */
static int path_live(uint32_t f)
{
  const struct map_path *m = &m_path[f];
  for (unsigned i = 0; i < m->n && i < MAXFWD; i++)
    if (frame_type[m->fw[i]] != OT_FORWARDER || frame_gen[m->fw[i]] != m->gen[i])
      return 0;
  return 1;
}

/* Is frame f's recorded mapping still in force? */
static int mapping_live(uint32_t f)
{
  return m_used[f] && proc_live(m_proc[f]) && p_gen(m_proc[f]) == m_pgen[f] &&
         (frame_type[f] == OT_FRAME || frame_type[f] == OT_DEVICE) &&
         frame_gen[f] == m_fgen[f] && path_live(f);
}

/* How many page tables mapping va in p needs that p does not have yet
 * (0 to 3: 3 when p has no root table yet). */
static unsigned tables_missing(uint32_t p, uint64_t va)
{
  const uint64_t *table = root_table(p);
  if (table == 0)
    return 3;
  for (int level = 2; level > 0; level--) {
    uint64_t pte = table[VPN(va, level)];
    if ((pte & PTE_V) == 0)
      return (unsigned)level;
    if (PTE_LEAF(pte))
      return 0;                      /* walk refuses it: E_MAPPED */
    table = pa_to_kva(PTE2PA(pte));
  }
  return 0;
}

/* Can container c pay for n more frames, and are there n free frames?
 * The error kobj_alloc would give on the way (E_OVER_LIMIT before
 * E_NO_MEMORY), or E_OK. Checked before a map allocates two tables or
 * three, so that a refused map changes nothing: one needs no check (its one
 * allocation is the first thing that can fail, and a refused allocation
 * changes nothing), which spares the common case the scan for free
 * frames. */
static uint32_t room_for(uint32_t c, unsigned n)
{
  if (n < 2)
    return E_OK;
  for (uint32_t d = 0; d <= c_depth(c) && d < MAXDEPTH; d++) {
    uint32_t a = c_anc(c, d);
    if ((uint64_t)c_usage(a) + n > c_limit(a))
      return E_OVER_LIMIT;
  }
  unsigned free = 0;
  for (uint32_t f = f_lo; f < NFRAMES && free < n; f++)   /* none below f_lo */
    free += frame_type[f] == OT_FREE;
  return free >= n ? E_OK : E_NO_MEMORY;
}

uint32_t uvm_map(uint32_t p, uint32_t frame, uint64_t va, uint32_t perm,
                 const struct map_path *path)
{
  uint32_t err = E_OK;
  if (!va_ok(va))
    return E_BAD_ARG;
  if (mapping_live(frame))
    return E_MAPPED;
  err = room_for(frame_owner[p], tables_missing(p, va));
  if (err != E_OK)
    return err;
  uint64_t *pte = walk(p, va, 1, &err);
  if (pte == 0)
    return err;
  if ((*pte & PTE_V) != 0)
    return E_MAPPED;
  uint64_t bits = PTE_V | PTE_U | PTE_A | PTE_D;
  if (perm & UPERM_R) bits |= PTE_R;
  if (perm & UPERM_W) bits |= PTE_W;
  if (perm & UPERM_X) bits |= PTE_X;
  *pte = PA2PTE(frame_pa(frame)) | bits;
  m_used[frame] = 1;
  m_proc[frame] = p;
  m_pgen[frame] = p_gen(p);
  m_fgen[frame] = frame_gen[frame];
  m_va[frame] = va;
  m_path[frame].n = 0;
  if (path != 0)
    m_path[frame] = *path;
  sfence_vma_all();
  return E_OK;
}

uint32_t uvm_unmap(uint32_t p, uint64_t va)
{
  uint32_t err = E_OK;
  if (!va_ok(va))
    return E_BAD_ARG;
  uint64_t *pte = walk(p, va, 0, &err);
  if (pte == 0)
    return err;
  if ((*pte & PTE_V) == 0)
    return E_NOT_MAPPED;
  uint32_t f = pa_frame(PTE2PA(*pte));
  *pte = 0;
  if (f < NFRAMES)
    m_used[f] = 0;
  sfence_vma_all();
  return E_OK;
}

/* After a destruction: undo every mapping whose frame died while its
 * process lives on; forget mappings of dead processes (their tables go
 * with them). Runs before any freed frame can be handed out again. */
void uvm_reap(void)
{
  for (uint32_t f = 0; f < f_hi; f++) {      /* a mapped frame lies below f_hi */
    if (!m_used[f] || mapping_live(f))
      continue;
    uint32_t p = m_proc[f];
    if (proc_live(p) && p_gen(p) == m_pgen[f]) {
      uint32_t err;
      uint64_t *pte = walk(p, m_va[f], 0, &err);
      if (pte != 0)
        *pte = 0;
    }
    m_used[f] = 0;
  }
  sfence_vma_all();
}

/* the kernel address of user byte va with the needed permission, or 0 */
static uint8_t *user_byte(uint32_t p, uint64_t va, int write)
{
  uint32_t err;
  if (va < USER_VA_MIN || va >= USER_VA_END)
    return 0;
  uint64_t *pte = walk(p, va & ~(PAGE_SIZE - 1), 0, &err);
  if (pte == 0 || (*pte & (PTE_V | PTE_U)) != (PTE_V | PTE_U))
    return 0;
  if ((*pte & PTE_R) == 0 || (write && (*pte & PTE_W) == 0))
    return 0;
  /* the kernel reads and writes user memory in RAM frames only: never a
   * device page's registers on a program's behalf */
  uint32_t f = pa_frame(PTE2PA(*pte));
  if (f >= NFRAMES || frame_type[f] != OT_FRAME)
    return 0;
  return (uint8_t *)pa_to_kva(PTE2PA(*pte)) + (va & (PAGE_SIZE - 1));
}

uint32_t uvm_copy_in(uint32_t p, void *dst, uint64_t va, uint64_t len)
{
  uint8_t *d = dst;
  while (len > 0) {
    uint8_t *s = user_byte(p, va, 0);
    if (s == 0)
      return E_FAULT;
    uint64_t n = PAGE_SIZE - (va & (PAGE_SIZE - 1));
    if (n > len)
      n = len;
    for (uint64_t i = 0; i < n; i++)
      d[i] = s[i];
    d += n;
    va += n;
    len -= n;
  }
  return E_OK;
}

uint32_t uvm_copy_out(uint32_t p, uint64_t va, const void *src, uint64_t len)
{
  const uint8_t *s = src;
  while (len > 0) {
    uint8_t *d = user_byte(p, va, 1);
    if (d == 0)
      return E_FAULT;
    uint64_t n = PAGE_SIZE - (va & (PAGE_SIZE - 1));
    if (n > len)
      n = len;
    for (uint64_t i = 0; i < n; i++)
      d[i] = s[i];
    s += n;
    va += n;
    len -= n;
  }
  return E_OK;
}
