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
#include "vspace.h"

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
  /* from the first run up: frames are handed out lowest first, so most
   * live in the first run (one test instead of one a run) */
  unsigned i = 0;
  while (i + 1 < nruns && f >= runs[i + 1].first)
    i++;
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

/* The kernel's half of every root table, for the core (vs_kernel_satp,
 * vs_kroot_*: kernel/include/vspace.h), once the frame window is mapped:
 * a new root table copies the valid entries and leaves the rest zero. At
 * most the direct map's 128 GiB, the frame window's 16 GiB and the
 * image's 1 GiB of 1 GiB entries. */
void uvm_init(uint64_t kernel_root_pa)
{
  const uint64_t *kroot = pa_to_kva(kernel_root_pa);
  vs_kernel_satp = MAKE_SATP(kernel_root_pa);
  vs_kroot_n = 0;
  for (unsigned i = PTES_PER_PT / 2; i < PTES_PER_PT; i++)
    if (kroot[i] & PTE_V) {
      vs_kroot_idx[vs_kroot_n] = (uint16_t)i;
      vs_kroot_pte[vs_kroot_n] = kroot[i];
      vs_kroot_n++;
    }
}

/* The core's view of physical memory (kernel/include/vspace.h, assumed
 * there: proofs/ASSUMPTIONS.md §8): a frame's physical page number, and
 * the frame of a physical page number (NFRAMES for none). */
__attribute__((always_inline)) inline uint64_t frame_ppn(uint32_t f)
{
  return frame_pa(f) >> PAGE_SHIFT;
}

__attribute__((always_inline)) inline uint32_t ppn_frame(uint64_t ppn)
{
  /* pa_frame, by page number (every walk asks this of two entries): a
   * page below a run's start wraps to a count no run has. Unlike
   * pa_frame it names the unused RAM page behind a device frame's index
   * by that index: no entry the core writes holds such a page (a device
   * frame's number is the device's, frame_ppn), and the core checks what
   * it reads (a table must be a table, a leaf's frame its record's). */
  for (unsigned i = 0; i < nruns; i++) {
    uint64_t k = ppn - (runs[i].pa >> PAGE_SHIFT);
    if (k < runs[i].count)
      return runs[i].first + (uint32_t)k;
  }
  return pa_frame(ppn << PAGE_SHIFT);
}

/* ppn_wf (kernel/include/vspace.h), which the core assumes of frame_ppn
 * and ppn_frame: checked where the piecewise map could go wrong, the
 * first and last frame of every run and every device page. 0: holds. */
int ppn_check(void)
{
  for (unsigned i = 0; i < nruns; i++) {
    uint32_t ends[2] = { runs[i].first, runs[i].first + runs[i].count - 1 };
    for (unsigned k = 0; k < 2; k++)
      if (!is_dev_frame(ends[k]) &&
          (frame_ppn(ends[k]) >= (1ul << 44) || ppn_frame(frame_ppn(ends[k])) != ends[k]))
        return -1;
  }
  for (uint32_t k = 0; k < ndevpages; k++)
    if (frame_ppn(DEV_FIRST + k) >= (1ul << 44) ||
        ppn_frame(frame_ppn(DEV_FIRST + k)) != DEV_FIRST + k)
      return -1;
  return 0;
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
  vs_proc_init(p);
  if (loaded_proc == p)
    loaded_proc = NO_PROC;
}

uint64_t uvm_satp(uint32_t p)
{
  return p_satp(p);
}

/* The boot's loads of the root task (no capability, no forwarder). */
uint32_t uvm_boot_map(uint32_t p, uint32_t frame, uint64_t va, uint32_t perm)
{
  uint64_t satp = p_satp(p);
  kerr_t err = vs_map(p, frame, va, perm, NFRAMES, 0);
  if (err != E_OK)
    return err;
  if (p_satp(p) != satp)
    satp_reload(p);
  sfence_vma_all();
  return E_OK;
}

/* After a syscall changed mappings: a process other than cur is not
 * loaded (its satp is read when it is switched to), so only cur's new
 * root, if it got one, needs loading here. */
void uvm_changed(uint32_t cur, uint64_t satp_before)
{
  if (p_satp(cur) != satp_before)
    satp_reload(cur);
  sfence_vma_all();
}

/* After a destruction: the core removes every mapping whose frame,
 * process or forwarder died (vs_reap); then the TLB forgets them. Runs
 * before any freed frame can be handed out again. */
void uvm_reap(void)
{
  vs_reap();
  sfence_vma_all();
}

/* After sys_obj_free: the TLB forgets the mappings the core removed. */
void uvm_fence(void)
{
  sfence_vma_all();
}

/* the kernel address of user byte va with the needed permission, or 0 */
static uint8_t *user_byte(uint32_t p, uint64_t va, int write)
{
  if (va < USER_VA_MIN || va >= USER_VA_END)
    return 0;
  uint64_t pte = vs_lookup(p, va & ~(PAGE_SIZE - 1));
  if ((pte & (PTE_V | PTE_U)) != (PTE_V | PTE_U))
    return 0;
  if ((pte & PTE_R) == 0 || (write && (pte & PTE_W) == 0))
    return 0;
  /* the kernel reads and writes user memory in RAM frames only: never a
   * device page's registers on a program's behalf */
  uint32_t f = pa_frame(PTE2PA(pte));
  if (f >= NFRAMES || frame_type[f] != OT_FRAME)
    return 0;
  return (uint8_t *)pa_to_kva(PTE2PA(pte)) + (va & (PAGE_SIZE - 1));
}

/* n bytes from s to d: when both are word-aligned, the words sixteen a
 * turn (a spawn's full pages) and the last n % 8 bytes one by one;
 * otherwise bytes */
static void bytes_copy(uint8_t *d, const uint8_t *s, uint64_t n)
{
  uint64_t i = 0;
  if ((((uint64_t)d | (uint64_t)s) & 7u) == 0) {
    uint64_t *dw = (uint64_t *)d;
    const uint64_t *sw = (const uint64_t *)s;
    uint64_t w = 0, words = n / 8;
    for (; words - w >= 16; w += 16) {
      uint64_t a0 = sw[w], a1 = sw[w + 1], a2 = sw[w + 2], a3 = sw[w + 3];
      uint64_t a4 = sw[w + 4], a5 = sw[w + 5], a6 = sw[w + 6], a7 = sw[w + 7];
      dw[w] = a0; dw[w + 1] = a1; dw[w + 2] = a2; dw[w + 3] = a3;
      dw[w + 4] = a4; dw[w + 5] = a5; dw[w + 6] = a6; dw[w + 7] = a7;
      a0 = sw[w + 8]; a1 = sw[w + 9]; a2 = sw[w + 10]; a3 = sw[w + 11];
      a4 = sw[w + 12]; a5 = sw[w + 13]; a6 = sw[w + 14]; a7 = sw[w + 15];
      dw[w + 8] = a0; dw[w + 9] = a1; dw[w + 10] = a2; dw[w + 11] = a3;
      dw[w + 12] = a4; dw[w + 13] = a5; dw[w + 14] = a6; dw[w + 15] = a7;
    }
    for (; w < words; w++)
      dw[w] = sw[w];
    i = words * 8;
  }
  for (; i < n; i++)
    d[i] = s[i];
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
    bytes_copy(d, s, n);
    d += n;
    va += n;
    len -= n;
  }
  return E_OK;
}

/* SYS_FRAME_WRITE's copy: len bytes of p's memory at va into frame f
 * from byte off (the core's frame_write_lookup checked the capability,
 * the frame and off + len <= 4096, so the source spans at most two
 * pages). Both source pages are found readable before a byte is
 * written, so E_FAULT writes nothing. */
uint32_t uvm_copy_to_frame(uint32_t p, uint32_t f, uint64_t off, uint64_t va, uint64_t len)
{
  uint8_t *d = (uint8_t *)frame_kva(f) + off;
  if (len == 0)
    return E_OK;
  if (len > PAGE_SIZE || va >= USER_VA_END || len > USER_VA_END - va)
    return E_FAULT;
  uint64_t first = PAGE_SIZE - (va & (PAGE_SIZE - 1));   /* bytes in va's page */
  const uint8_t *s0 = user_byte(p, va, 0), *s1 = 0;
  if (s0 == 0)
    return E_FAULT;
  if (len > first) {
    s1 = user_byte(p, va + first, 0);
    if (s1 == 0)
      return E_FAULT;
    bytes_copy(d, s0, first);
    bytes_copy(d + first, s1, len - first);
  } else {
    bytes_copy(d, s0, len);
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
    bytes_copy(d, s, n);
    s += n;
    va += n;
    len -= n;
  }
  return E_OK;
}
