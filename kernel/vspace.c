/* vspace.c: user address spaces (Sv39) in the proved core: the page-table
 * walk, map, unmap and the removal of mappings whose frame, process or
 * forwarder died (include/vspace.h says how the tables are kept). The
 * architecture layer calls these and fences the TLB after them
 * (arch-riscv/uvm.c). */
#include "vspace.h"
#include "internal.h"


RECORD_FIELD_DEF(uint32_t, p_vroot);
RECORD_FIELD_DEF(uint64_t, p_satp);
FRAME_TABLE_DEF(uint32_t, m_proc);
FRAME_TABLE_DEF(uint32_t, m_pgen);
FRAME_TABLE_DEF(uint32_t, m_fgen);
FRAME_TABLE_DEF(uint64_t, m_va);
FRAME_TABLE_DEF(uint8_t, m_used);
FRAME_TABLE_DEF(uint32_t, m_cs);
FRAME_TABLE_DEF(uint32_t, m_csgen);
FRAME_TABLE_DEF(uint32_t, m_slot);
#ifndef KERNEL_FRAME_WINDOW    /* else each table's own frame: vspace.h */
uint64_t pt_entry[MAXFRAMES][PTES];
#endif

uint64_t vs_kernel_satp;
uint32_t vs_kroot_n;
uint16_t vs_kroot_idx[PTES / 2];
uint64_t vs_kroot_pte[PTES / 2];

/* spec: vs_proc_init */
/* A new process p has no address space of its own: it runs on the
 * kernel's root table until its first mapping makes its own. */
/*@
  requires sizes: SIZES_OK;
  requires p < NFRAMES;
  assigns p_vroot[p], p_satp[p];
  ensures p_vroot[p] == NFRAMES && p_satp[p] == vs_kernel_satp;
  ensures none: vs_missing(p, 0) == 3;
*/
void vs_proc_init(uint32_t p)
{
  p_vroot(p) = NFRAMES;
  p_satp(p) = vs_kernel_satp;
}

/* Is t one of p's page tables? */
/*@
  requires sizes: SIZES_OK;
  requires p < NFRAMES;
  assigns \nothing;
  ensures \result == 0 || \result == 1;
  ensures \result == 1 <==> pt_of(p, t);
*/
static inline int pt_mine(uint32_t p, uint32_t t) CORE_INLINE;
static inline int pt_mine(uint32_t p, uint32_t t)
{
  return t < NFRAMES && frame_type[t] == OT_PAGETABLE && pt_proc[t] == p &&
         pt_proc_gen[t] == p_gen(p);
}

/* The table entry e links to, if e is a link to one of p's tables; else
 * NFRAMES. */
/*@
  requires sizes: SIZES_OK;
  requires p < NFRAMES;
  assigns \nothing;
  ensures link: pt_link(p, e) ==> \result == pte_child(e) && \result < NFRAMES;
  ensures none: !pt_link(p, e) ==> \result == NFRAMES;
*/
static inline uint32_t link_child(uint32_t p, uint64_t e) CORE_INLINE;
static inline uint32_t link_child(uint32_t p, uint64_t e)
{
  uint32_t t;
  if (e % 2u == 0 || e / 2u % 8u != 0)
    return NFRAMES;
  t = ppn_frame(e / 1024u % VS_PPN_END);
  if (!pt_mine(p, t))
    return NFRAMES;
  return t;
}

/* va's path in p's tree: how many tables are missing (vs_missing), and
 * the tables that are there. */
struct vs_path {
  int32_t  missing;
  uint32_t t2, t1, t0;
};

/*@
  requires sizes: SIZES_OK;
  requires p < NFRAMES;
  assigns \nothing;
  ensures missing: \result.missing == vs_missing(p, va);
  ensures t2: \result.missing != 3 ==>
    \result.t2 == p_vroot[p] && pt_of(p, \result.t2);
  ensures t1: (\result.missing == 0 || \result.missing == 1) ==>
    \result.t1 == vs_t1(p, va) && pt_of(p, \result.t1) && \result.t1 != \result.t2;
  ensures t0: \result.missing == 0 ==>
    \result.t0 == vs_t0(p, va) && pt_of(p, \result.t0) &&
    \result.t0 != \result.t1 && \result.t0 != \result.t2;
*/
static inline struct vs_path vs_walk(uint32_t p, uint64_t va) CORE_INLINE;
static inline struct vs_path vs_walk(uint32_t p, uint64_t va)
{
  struct vs_path w = { 3, NFRAMES, NFRAMES, NFRAMES };
  uint64_t e;
  uint32_t r = p_vroot(p);
  if (!pt_mine(p, r))
    return w;
  w.t2 = r;
  e = pt_entry[r][va / 1073741824u % 512u];
  if (e % 2u == 0) {
    w.missing = 2;
    return w;
  }
  w.t1 = link_child(p, e);
  if (w.t1 == NFRAMES || w.t1 == r) {
    w.missing = -1;
    return w;
  }
  e = pt_entry[w.t1][va / 2097152u % 512u];
  if (e % 2u == 0) {
    w.missing = 1;
    return w;
  }
  w.t0 = link_child(p, e);
  if (w.t0 == NFRAMES || w.t0 == w.t1 || w.t0 == r) {
    w.missing = -1;
    return w;
  }
  w.missing = 0;
  return w;
}

/* spec: vs_lookup */
/* The leaf entry for va in p's tables (0 if the path to it is not all
 * there): what the architecture layer reads to reach user memory. */
/*@
  requires sizes: SIZES_OK;
  requires p < NFRAMES;
  assigns \nothing;
  ensures vs_missing(p, va) == 0 ==> \result == vs_e0(p, va);
  ensures vs_missing(p, va) != 0 ==> \result == 0;
*/
uint64_t vs_lookup(uint32_t p, uint64_t va)
{
  struct vs_path w = vs_walk(p, va);
  if (w.missing != 0)
    return 0;
  return pt_entry[w.t0][va / 4096u % 512u];
}

/* Is the capability frame f's mapping was made through still in its
 * slot (slot_live)? */
/*@
  requires sizes: SIZES_OK;
  requires f < NFRAMES;
  assigns \nothing;
  ensures \result == 0 || \result == 1;
  ensures \result == 1 <==> slot_live(f);
*/
static inline int slot_mine(uint32_t f) CORE_INLINE;
static inline int slot_mine(uint32_t f)
{
  uint32_t cs = m_cs[f], s = m_slot[f];
  if (cs == NFRAMES)
    return 1;
  return cs < NFRAMES && frame_type[cs] == OT_CSPACE && frame_gen[cs] == m_csgen[f] &&
         s < NSLOTS && cap_mapped[cs][s] == f + 1u;
}

/* Ghost lemma: a capability that looks up and resolves (cap_resolve's
 * E_OK, chain_err at MAXFWD = 4) satisfies slot_resolves, its unrolled
 * form (vspace.h), under the invariant (every object index in range).
 * No loop: the fuel is a constant, and the definitions unfold. */
/*@ ghost
  /@ requires sizes: SIZES_OK;
     requires Inv;
     requires is_cspace(cs) && s < NSLOTS;
     assigns \nothing;
     ensures lookup_err(cs, s, OT_FREE, 0, 0) == E_OK && resolve_err(cs, s) == E_OK ==>
       slot_resolves(cs, s); @/
  void chain_unrolled(uint32_t cs, uint32_t s)
  {
  }
*/

/* Does the capability in slot s of cs still look up and resolve
 * (slot_resolves)? The walk of cap_resolve, without the invariant: each
 * index it reads is checked first. At most MAXFWD (4) forwarders. */
/*@
  requires sizes: SIZES_OK;
  requires cs < NFRAMES && s < NSLOTS;
  assigns \nothing;
  ensures \result == 0 || \result == 1;
  ensures \result == 1 <==> slot_resolves(cs, s);
*/
static inline int slot_chain_ok(uint32_t cs, uint32_t s) CORE_INLINE;
static inline int slot_chain_ok(uint32_t cs, uint32_t s)
{
  uint32_t t = cap_type[cs][s], o = cap_obj[cs][s], n;
  if (t == OT_FREE || o >= NFRAMES || frame_type[o] != t || frame_gen[o] != cap_gen[cs][s])
    return 0;
  /*@
    loop invariant 0 <= n <= 4 && o < NFRAMES;
    loop invariant ok: (n == 0 ==> (chain_ok4(cap_type[cs][s], cap_obj[cs][s]) <==> chain_ok4(t, o))) &&
      (n == 1 ==> (chain_ok4(cap_type[cs][s], cap_obj[cs][s]) <==> chain_ok3(t, o))) &&
      (n == 2 ==> (chain_ok4(cap_type[cs][s], cap_obj[cs][s]) <==> chain_ok2(t, o))) &&
      (n == 3 ==> (chain_ok4(cap_type[cs][s], cap_obj[cs][s]) <==> chain_ok1(t, o))) &&
      (n == 4 ==> (chain_ok4(cap_type[cs][s], cap_obj[cs][s]) <==> chain_ok0(t, o)));
    loop assigns n, t, o;
    loop variant 4 - n;
  */
  for (n = 0; t == OT_FORWARDER; n++) {
    if (n == MAXFWD)
      return 0;                  /* too deep (E_TOO_DEEP) */
    if (fw_type(o) == OT_FREE || fw_obj(o) >= NFRAMES ||
        frame_type[fw_obj(o)] != fw_type(o) || frame_gen[fw_obj(o)] != fw_gen(o))
      return 0;                  /* a forwarder on the path died */
    t = fw_type(o);
    o = fw_obj(o);
  }
  return 1;
}

/* Is frame f's recorded mapping in force? */
/*@
  requires sizes: SIZES_OK;
  requires f < NFRAMES;
  assigns \nothing;
  ensures \result == 0 || \result == 1;
  ensures \result == 1 <==> mapping_live(f);
*/
static inline int map_live(uint32_t f) CORE_INLINE;
static inline int map_live(uint32_t f)
{
  uint32_t q = m_proc[f];
  if (m_used[f] == 0 || !proc_live(q) || p_gen(q) != m_pgen[f])
    return 0;
  if (frame_type[f] != OT_FRAME && frame_type[f] != OT_DEVICE)
    return 0;
  if (frame_gen[f] != m_fgen[f])
    return 0;
  if (!slot_mine(f))
    return 0;
  if (m_cs[f] == NFRAMES)
    return 1;                    /* a boot mapping: no capability */
  /* the capability's forwarders: its slot still resolves (path_live) */
  if (!slot_chain_ok(m_cs[f], m_slot[f]))
    return 0;
  return 1;
}

/* The frames for the n tables (0 to 3) a map lacks: the n lowest free
 * frames, the lowest for the highest table: r the root (n == 3), m1 the
 * level-1 table (n >= 2), m0 the level-0 table (n >= 1), NFRAMES where
 * none is needed. E_NO_MEMORY: fewer than n frames are free. Reads only.
 * (Apart from vs_map so that vs_map's goals carry one call here and one
 * to map_commit, where three nested searches and three commits made it
 * the slowest function of the proof pass.) */
struct vs_new {
  kerr_t   err;
  uint32_t r, m1, m0;
};

/*@
  requires sizes: SIZES_OK;
  requires frames_wf;
  requires flo: flo_wf;
  requires 0 <= n <= 3;
  assigns \nothing;
  behavior none:
    assumes !free_n(n);
    ensures \result.err == E_NO_MEMORY;
  behavior ok:
    assumes free_n(n);
    ensures \result.err == E_OK;
    ensures new_root: n == 3 ==> \result.r < NFRAMES && frame_type[\result.r] == OT_FREE &&
      \result.r == lowest_free_from(0);
    ensures new_1: n >= 2 ==> \result.m1 < NFRAMES && frame_type[\result.m1] == OT_FREE &&
      \result.m1 != \result.r &&
      \result.m1 == (n == 3 ? lowest_free_from(lowest_free_from(0) + 1) : lowest_free_from(0));
    ensures new_0: n >= 1 ==> \result.m0 < NFRAMES && frame_type[\result.m0] == OT_FREE &&
      \result.m0 != \result.r && \result.m0 != \result.m1 &&
      \result.m0 == (n == 3 ? lowest_free_from(lowest_free_from(lowest_free_from(0) + 1) + 1) :
                     n == 2 ? lowest_free_from(lowest_free_from(0) + 1) : lowest_free_from(0));
    ensures unused: (n < 3 ==> \result.r == NFRAMES) && (n < 2 ==> \result.m1 == NFRAMES) &&
      (n < 1 ==> \result.m0 == NFRAMES);
  complete behaviors;
  disjoint behaviors;
*/
static struct vs_new vs_new_tables(uint32_t n)
{
  struct vs_new t = { E_OK, NFRAMES, NFRAMES, NFRAMES };
  uint32_t g1, g2, g3;
  if (n == 0)
    return t;
  g1 = frame_find_free();
  if (g1 == NFRAMES) {
    t.err = E_NO_MEMORY;
    return t;
  }
  /*@ assert got1: g1 == lowest_free_from(0) && g1 < NFRAMES; */
  if (n == 1) {
    /*@ assert free_n(1); */
    t.m0 = g1;
    return t;
  }
  g2 = frame_free_from(g1 + 1u);
  if (g2 == NFRAMES) {
    t.err = E_NO_MEMORY;
    return t;
  }
  /*@ assert got2: g2 == lowest_free_from(lowest_free_from(0) + 1) && g2 < NFRAMES; */
  if (n == 2) {
    /*@ assert free_n(2); */
    t.m1 = g1;
    t.m0 = g2;
    return t;
  }
  g3 = frame_free_from(g2 + 1u);
  if (g3 == NFRAMES) {
    t.err = E_NO_MEMORY;
    return t;
  }
  /*@ assert got3: g3 == lowest_free_from(lowest_free_from(lowest_free_from(0) + 1) + 1) &&
        g3 < NFRAMES; */
  /*@ assert free_n(3); */
  t.r = g1;
  t.m1 = g2;
  t.m0 = g3;
  return t;
}

/* The free frame t becomes a page table, charged to c (the process's
 * container); table_init then makes it the process's. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires epq: epq_wf;
  requires is_container(c) && path_room(c, 1);
  requires t < NFRAMES && frame_type[t] == OT_FREE;
  assigns frame_owner[t], frame_type[t], c_own[c], c_usage[0 .. NFRAMES-1],
          c_own[t], f_hi, f_lo;
  ensures inv: Inv;
  ensures epq: epq_wf;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures room2: \old(path_room(c, 3)) ==> path_room(c, 2);
  ensures room1: \old(path_room(c, 2)) ==> path_room(c, 1);
  ensures made: frame_type[t] == OT_PAGETABLE && frame_owner[t] == c;
*/
static void table_claim(uint32_t c, uint32_t t)
{
  /*@ assert t != c; */
  charge(c);
  frame_take(t, c, OT_PAGETABLE);
  /*@ assert acct: acct_wf; */
}

/* A claimed table t becomes p's: zeroed, and a root table (root != 0)
 * with the kernel's entries in its upper half. */
/*@
  requires sizes: SIZES_OK;
  requires kroot: kroot_wf;
  requires p < NFRAMES && t < NFRAMES;
  assigns pt_entry[t][0 .. PTES-1], pt_proc[t], pt_proc_gen[t];
  ensures owner: pt_proc[t] == p && pt_proc_gen[t] == p_gen[p];
  ensures empty: \forall integer i; 0 <= i < PTES / 2 ==> pt_entry[t][i] == 0;
  ensures empty_all: root == 0 ==> \forall integer i; 0 <= i < PTES ==> pt_entry[t][i] == 0;
  ensures kernel: root != 0 ==> kernel_half(t);
  // and nothing else: an entry at no kernel index is 0 (a reused frame's
  // old bytes must not become entries)
  ensures rest: \forall integer i; 0 <= i < PTES &&
    (\forall integer k; 0 <= k < vs_kroot_n ==> vs_kroot_idx[k] != i) ==> pt_entry[t][i] == 0;
*/
static void table_init(uint32_t p, uint32_t t, int root)
{
  uint64_t *e = pt_entry[t];
  uint64_t z;
  uint32_t k;
  /* eight entries a turn (a spawn makes three tables or more), through
   * the row's address and a 64-bit index: indexing the table itself
   * cost five instructions a store (sixteen a turn would save about 100
   * instructions a table, but its loop invariant did not prove) */
  /*@
    loop invariant 0 <= z <= PTES / 8;
    loop invariant \forall integer j; 0 <= j < 8 * z ==> pt_entry[t][j] == 0;
    loop assigns z, pt_entry[t][0 .. PTES-1];
    loop variant PTES / 8 - z;
  */
  for (z = 0; z < PTES / 8u; z++) {
    e[8u * z] = 0;
    e[8u * z + 1u] = 0;
    e[8u * z + 2u] = 0;
    e[8u * z + 3u] = 0;
    e[8u * z + 4u] = 0;
    e[8u * z + 5u] = 0;
    e[8u * z + 6u] = 0;
    e[8u * z + 7u] = 0;
  }
  if (root) {
    /*@
      loop invariant 0 <= k <= vs_kroot_n;
      loop invariant \forall integer j; 0 <= j < PTES / 2 ==> pt_entry[t][j] == 0;
      loop invariant kernel: \forall integer j; 0 <= j < k ==>
        pt_entry[t][vs_kroot_idx[j]] == vs_kroot_pte[j];
      loop invariant rest: \forall integer i; 0 <= i < PTES &&
        (\forall integer j; 0 <= j < k ==> vs_kroot_idx[j] != i) ==> pt_entry[t][i] == 0;
      loop assigns k, pt_entry[t][PTES / 2 .. PTES-1];
      loop variant vs_kroot_n - k;
    */
    for (k = 0; k < vs_kroot_n; k++)
      e[vs_kroot_idx[k]] = vs_kroot_pte[k];
  }
  pt_proc[t] = p;
  pt_proc_gen[t] = p_gen(p);
}

/*@
  // the two kinds of entry the core writes, read back (arithmetic, once)
  lemma link_entry: \forall integer x; 0 <= x < VS_PPN_END ==>
    pte_valid(x * 1024 + VS_PTE_V) && !pte_leaf(x * 1024 + VS_PTE_V) &&
    pte_ppn(x * 1024 + VS_PTE_V) == x;
  lemma leaf_entry: \forall integer x, perm; 0 <= x < VS_PPN_END && perm_ok(perm) ==>
    pte_valid(x * 1024 + pte_bits(perm));
*/

/* Link va's path in p's tables and write its leaf: t2, t1, t0 are p's
 * tables of levels 2 (the root), 1 and 0 on it, distinct. The n
 * lowest links are new (their tables just made): with n == 3 the root
 * itself, which p's record then names. */
/*@
  requires sizes: SIZES_OK;
  requires ppn: ppn_wf;
  requires proc: p < NFRAMES;
  requires perm: perm_ok(perm);
  requires frame: f < NFRAMES;
  requires n <= 3;
  requires tables: pt_of(p, t2) && pt_of(p, t1) && pt_of(p, t0) &&
    t2 != t1 && t2 != t0 && t1 != t0;
  requires root: n != 3 ==> p_vroot[p] == t2;
  requires link2: n <= 1 ==> pt_link(p, pt_entry[t2][vpn2(va)]) &&
    pte_child(pt_entry[t2][vpn2(va)]) == t1;
  requires link1: n == 0 ==> pt_link(p, pt_entry[t1][vpn1(va)]) &&
    pte_child(pt_entry[t1][vpn1(va)]) == t0;
  assigns p_vroot[p], p_satp[p], pt_entry[t2][vpn2(va)],
          pt_entry[t1][vpn1(va)], pt_entry[t0][vpn0(va)];
  ensures root_set: p_vroot[p] == t2;
  ensures path2: pt_link(p, pt_entry[t2][vpn2(va)]) && pte_child(pt_entry[t2][vpn2(va)]) == t1;
  ensures path1: pt_link(p, pt_entry[t1][vpn1(va)]) && pte_child(pt_entry[t1][vpn1(va)]) == t0;
  ensures leaf: pt_entry[t0][vpn0(va)] == pte_of(f, perm) && pte_valid(pte_of(f, perm));
  ensures satp: n == 3 ==> p_satp[p] == VS_SATP_SV39 + ppn_of(t2);
*/
static void path_link(uint32_t p, uint64_t va, uint32_t n, uint32_t t2,
                      uint32_t t1, uint32_t t0, uint32_t f, uint64_t perm)
{
  if (n == 3) {
    p_vroot(p) = t2;
    p_satp(p) = VS_SATP_SV39 + frame_ppn(t2);
  }
  if (n >= 2)
    pt_entry[t2][va / 1073741824u % 512u] = frame_ppn(t1) * 1024u + VS_PTE_V;
  if (n >= 1)
    pt_entry[t1][va / 2097152u % 512u] = frame_ppn(t0) * 1024u + VS_PTE_V;
  pt_entry[t0][va / 4096u % 512u] = frame_ppn(f) * 1024u + VS_PTE_V + VS_PTE_U +
    VS_PTE_AD + perm % 2u * 2u + perm / 2u % 2u * 4u + perm / 4u % 2u * 8u;
}

/* The tables are claimed: make the new ones p's, link the path and write
 * the leaf, and the frame's record. t2, t1, t0 are the tables of levels
 * 2, 1, 0 on va's path: the n lowest levels' just claimed (with n == 3
 * the root itself), the others p's already, linked. No accounting here
 * (table_claim did it), so these proofs do not carry the invariant. */
/*@
  requires sizes: SIZES_OK;
  requires kroot: kroot_wf;
  requires ppn: ppn_wf;
  requires proc: p < NFRAMES;
  requires frame: f < NFRAMES;
  requires va: va_ok(va);
  requires perm: perm_ok(perm);
  requires slot: cs == NFRAMES || (cs < NFRAMES && s < NSLOTS);
  requires n <= 3;
  requires tables: t2 < NFRAMES && t1 < NFRAMES && t0 < NFRAMES &&
    t2 != t1 && t2 != t0 && t1 != t0 &&
    frame_type[t2] == OT_PAGETABLE && frame_type[t1] == OT_PAGETABLE &&
    frame_type[t0] == OT_PAGETABLE;
  requires old2: n != 3 ==> p_vroot[p] == t2 && pt_of(p, t2);
  requires old1: n <= 1 ==> pt_of(p, t1) && pt_link(p, pt_entry[t2][vpn2(va)]) &&
    pte_child(pt_entry[t2][vpn2(va)]) == t1;
  requires old0: n == 0 ==> pt_of(p, t0) && pt_link(p, pt_entry[t1][vpn1(va)]) &&
    pte_child(pt_entry[t1][vpn1(va)]) == t0;
  assigns pt_entry[t2][0 .. PTES-1], pt_entry[t1][0 .. PTES-1],
          pt_entry[t0][0 .. PTES-1], pt_proc[t2], pt_proc[t1], pt_proc[t0],
          pt_proc_gen[t2], pt_proc_gen[t1], pt_proc_gen[t0], p_vroot[p], p_satp[p],
          m_used[f], m_proc[f], m_pgen[f], m_fgen[f], m_va[f],
          m_cs[f], m_csgen[f], m_slot[f], cap_mapped[cs][s];
  ensures mapped: vs_mapped(p, va) && vs_e0(p, va) == pte_of(f, perm);
  ensures record: m_used[f] == 1 && m_proc[f] == p && m_pgen[f] == p_gen[p] &&
    m_fgen[f] == frame_gen[f] && m_va[f] == va;
  ensures slot: m_cs[f] == cs && m_slot[f] == s &&
    (cs < NFRAMES ==> m_csgen[f] == frame_gen[cs] && cap_mapped[cs][s] == f + 1);
  ensures satp: n == 3 ==> p_satp[p] == VS_SATP_SV39 + ppn_of(p_vroot[p]);
*/
static inline void map_build(uint32_t p, uint32_t f, uint64_t va, uint64_t perm,
                             uint32_t cs, uint32_t s,
                             uint32_t n, uint32_t t2, uint32_t t1, uint32_t t0) CORE_INLINE;
static inline void map_build(uint32_t p, uint32_t f, uint64_t va, uint64_t perm,
                             uint32_t cs, uint32_t s,
                             uint32_t n, uint32_t t2, uint32_t t1, uint32_t t0)
{
  if (n == 3)
    table_init(p, t2, 1);
  if (n >= 2)
    table_init(p, t1, 0);
  if (n >= 1)
    table_init(p, t0, 0);
  /*@ assert mine: pt_of(p, t2) && pt_of(p, t1) && pt_of(p, t0); */
  /*@ assert kernel: n == 3 ==> kernel_half(t2); */
  /* (a new root has the kernel's half: table_init's `kernel`, proved;
   * not carried further up, where the quantified fact in the context of
   * map_commit's goals made four of them fail: proofs/README.md) */
  /*@ assert kept2: n <= 1 ==> pt_link(p, pt_entry[t2][vpn2(va)]) &&
        pte_child(pt_entry[t2][vpn2(va)]) == t1; */
  /*@ assert kept1: n == 0 ==> pt_link(p, pt_entry[t1][vpn1(va)]) &&
        pte_child(pt_entry[t1][vpn1(va)]) == t0; */
  path_link(p, va, n, t2, t1, t0, f, perm);
  /*@ assert walk: vs_missing(p, va) == 0 && vs_t0(p, va) == t0; */
  m_used[f] = 1;
  m_proc[f] = p;
  m_pgen[f] = p_gen(p);
  m_fgen[f] = frame_gen[f];
  m_va[f] = va;
  m_cs[f] = cs;
  m_slot[f] = s;
  if (cs < NFRAMES) {
    m_csgen[f] = frame_gen[cs];
    cap_mapped[cs][s] = f + 1u;
  }
}

/* The commit of vs_map: every guard passed. The tables missing on va's
 * path are made from the free frames r (a root), m1 (level 1) and m0
 * (level 0) that the guards found (NFRAMES: not needed), each linked
 * into the table above it; then the leaf entry and the frame's record.
 * Nothing here can fail. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires epq: epq_wf;
  requires kroot: kroot_wf;
  requires ppn: ppn_wf;
  requires proc: p < NFRAMES && frame_type[p] == OT_PROCESS &&
    p_state[p] != PS_NONE && frame_gen[p] == p_gen[p];
  requires owner: c == frame_owner[p] && is_container(c);
  requires frame: f < NFRAMES && (frame_type[f] == OT_FRAME || frame_type[f] == OT_DEVICE);
  requires va: va_ok(va);
  requires perm: perm_ok(perm);
  requires slot: cs == NFRAMES || (is_cspace(cs) && s < NSLOTS);
  requires chain: cs == NFRAMES || slot_resolves(cs, s);
  requires n: n == vs_missing(p, va) && 0 <= n <= 3;
  requires room: path_room(c, n);
  requires new_root: n == 3 ==> r < NFRAMES && frame_type[r] == OT_FREE;
  requires new_1: n >= 2 ==> m1 < NFRAMES && frame_type[m1] == OT_FREE && m1 != r;
  requires new_0: n >= 1 ==> m0 < NFRAMES && frame_type[m0] == OT_FREE && m0 != r && m0 != m1;
  requires t2: n != 3 ==> w.t2 == p_vroot[p] && pt_of(p, w.t2);
  requires t1: n <= 1 ==> w.t1 == vs_t1(p, va) && pt_of(p, w.t1) && w.t1 != w.t2;
  requires t0: n == 0 ==> w.t0 == vs_t0(p, va) && pt_of(p, w.t0) &&
    w.t0 != w.t1 && w.t0 != w.t2;
  assigns frame_owner[0 .. NFRAMES-1], frame_type[0 .. NFRAMES-1],
          c_own[0 .. NFRAMES-1], c_usage[0 .. NFRAMES-1], f_hi, f_lo,
          pt_entry[(n == 3 ? r : w.t2)][0 .. PTES-1],
          pt_entry[(n >= 2 ? m1 : w.t1)][0 .. PTES-1],
          pt_entry[(n >= 1 ? m0 : w.t0)][0 .. PTES-1], pt_proc[0 .. NFRAMES-1],
          pt_proc_gen[0 .. NFRAMES-1], p_vroot[p], p_satp[p],
          m_used[f], m_proc[f], m_pgen[f], m_fgen[f], m_va[f],
          m_cs[f], m_csgen[f], m_slot[f], cap_mapped[cs][s];
  ensures inv: Inv;
  ensures epq: epq_wf;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures flo: \old(flo_wf) ==> flo_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  ensures mapped: vs_mapped(p, va) && vs_e0(p, va) == pte_of(f, perm);
  ensures record: m_used[f] == 1 && m_proc[f] == p && m_pgen[f] == p_gen[p] &&
    m_fgen[f] == frame_gen[f] && m_va[f] == va;
  ensures slot: m_cs[f] == cs && m_slot[f] == s;
  ensures live: mapping_live(f);
  ensures satp: n == 3 ==> p_satp[p] == VS_SATP_SV39 + ppn_of(p_vroot[p]);
*/
static inline void map_commit(uint32_t p, uint32_t f, uint64_t va, uint64_t perm,
                              uint32_t cs, uint32_t s,
                              uint32_t c, uint32_t n,
                              struct vs_path w, uint32_t r, uint32_t m1,
                              uint32_t m0) CORE_INLINE;
static inline void map_commit(uint32_t p, uint32_t f, uint64_t va, uint64_t perm,
                              uint32_t cs, uint32_t s,
                              uint32_t c, uint32_t n,
                              struct vs_path w, uint32_t r, uint32_t m1,
                              uint32_t m0)
{
  uint32_t t2 = n == 3 ? r : w.t2;
  uint32_t t1 = n >= 2 ? m1 : w.t1;
  uint32_t t0 = n >= 1 ? m0 : w.t0;
  /*@ assert distinct: t2 != t1 && t2 != t0 && t1 != t0 && t2 < NFRAMES &&
        t1 < NFRAMES && t0 < NFRAMES; */
  /* (r, m1, m0 mean something only for the levels being made) */
  /*@ assert others: (n == 3 ==> p != r && f != r) && (n >= 2 ==> p != m1 && f != m1) &&
        (n >= 1 ==> p != m0 && f != m0); */
  /*@ assert cs_others: cs < NFRAMES ==> (n == 3 ==> cs != r) && (n >= 2 ==> cs != m1) &&
        (n >= 1 ==> cs != m0); */
  /*@ assert old_others: (n == 2 ==> t2 != m1 && t2 != m0) && (n == 1 ==> t2 != m0 && t1 != m0); */
  /* (each claim takes a free frame: types_grown a step at a time, then
   * over the three, for the capability's chain below) */
  if (n == 3)
    table_claim(c, r);
  /*@ assert grown2: types_grown{Pre, Here}; */
  /*@ assert room2: n >= 2 ==> path_room(c, 2); */
  /*@ assert type2: frame_type[t2] == OT_PAGETABLE; */
Claim1:
  if (n >= 2)
    table_claim(c, m1);
  /*@ assert grown1: types_grown{Claim1, Here}; */
  /*@ assert room1: n >= 1 ==> path_room(c, 1); */
  /*@ assert type1: frame_type[t2] == OT_PAGETABLE && frame_type[t1] == OT_PAGETABLE; */
Claim0:
  if (n >= 1)
    table_claim(c, m0);
  /*@ assert grown0: types_grown{Claim0, Here}; */
  /*@ assert claimed: Inv && epq_wf; */
  /*@ assert types: frame_type[t2] == OT_PAGETABLE && frame_type[t1] == OT_PAGETABLE &&
        frame_type[t0] == OT_PAGETABLE; */
  /*@ assert proc_same: frame_type[p] == OT_PROCESS && frame_type[f] == \at(frame_type[f], Pre); */
  /*@ assert cs_same: cs < NFRAMES ==> frame_type[cs] == OT_CSPACE; */
  /*@ assert old2: n != 3 ==> p_vroot[p] == t2 && pt_of(p, t2); */
  /*@ assert old1: n <= 1 ==> pt_of(p, t1) && pt_link(p, pt_entry[t2][vpn2(va)]) &&
        pte_child(pt_entry[t2][vpn2(va)]) == t1; */
  /*@ assert old0: n == 0 ==> pt_of(p, t0) && pt_link(p, pt_entry[t1][vpn1(va)]) &&
        pte_child(pt_entry[t1][vpn1(va)]) == t0; */
  map_build(p, f, va, perm, cs, s, n, t2, t1, t0);
  /* (the tables were free frames: every frame on the capability's chain
   * keeps its type, so the chain still resolves: chain_grown) */
  /*@ assert grown: types_grown{Pre, Here}; */
  /*@ assert looked_up: cs < NFRAMES ==> lookup_err(cs, s, OT_FREE, 0, 0) == E_OK; */
  /*@ assert resolves: cs < NFRAMES ==> chain_ok4(cap_type[cs][s], cap_obj[cs][s]); */
  /*@ assert path_live: path_live(f); */
  /*@ assert proc_live: p < NFRAMES && p_state[p] != PS_NONE &&
        frame_type[p] == OT_PROCESS && frame_gen[p] == p_gen[p]; */
  /*@ assert frame_kept: (frame_type[f] == OT_FRAME || frame_type[f] == OT_DEVICE) &&
        frame_gen[f] == m_fgen[f]; */
  /*@ assert slot_kept: slot_live(f); */
}

/* spec: vs_map */
/* SYS_MAP past its decode (kernel/decode.c, sys_map: the process
 * argument, perm_check, map_frame_lookup): map frame f (a user frame or
 * a device page) at va in p's address space with permissions perm,
 * recording that the mapping depends on the capability in slot s of cs
 * (cs == NFRAMES: none, a boot mapping), and so on every forwarder that
 * capability resolves through. The
 * tables the path to va lacks are made from p's container, all of them
 * checked for before any is: a refused map changes nothing. */
/*@
  requires sizes: SIZES_OK;
  requires Inv;
  requires epq: epq_wf;
  requires flo: flo_wf;
  requires kroot: kroot_wf;
  requires ppn: ppn_wf;
  requires proc: p < NFRAMES && frame_type[p] == OT_PROCESS &&
    p_state[p] != PS_NONE && frame_gen[p] == p_gen[p];
  requires frame: f < NFRAMES && (frame_type[f] == OT_FRAME || frame_type[f] == OT_DEVICE);
  requires perm: perm_ok(perm);
  requires slot: cs == NFRAMES || (is_cspace(cs) && s < NSLOTS);
  requires chain: cs == NFRAMES || slot_resolves(cs, s);
  assigns frame_owner[0 .. NFRAMES-1], frame_type[0 .. NFRAMES-1],
          c_own[0 .. NFRAMES-1], c_usage[0 .. NFRAMES-1], f_hi, f_lo,
          pt_entry[p_vroot[p]][0 .. PTES-1], pt_entry[vs_t1(p, va)][0 .. PTES-1],
          pt_entry[vs_t0(p, va)][0 .. PTES-1],
          pt_entry[lowest_free_from(0)][0 .. PTES-1],
          pt_entry[lowest_free_from(lowest_free_from(0) + 1)][0 .. PTES-1],
          pt_entry[lowest_free_from(lowest_free_from(lowest_free_from(0) + 1) + 1)][0 .. PTES-1],
          pt_proc[0 .. NFRAMES-1],
          pt_proc_gen[0 .. NFRAMES-1], p_vroot[p], p_satp[p],
          m_used[f], m_proc[f], m_pgen[f], m_fgen[f], m_va[f],
          m_cs[f], m_csgen[f], m_slot[f], cap_mapped[cs][s];
  ensures inv: Inv;
  ensures epq: epq_wf;
  ensures fhi: \old(fhi_wf) ==> fhi_wf;
  ensures flo: flo_wf;
  ensures hi: \old(hi_wf) ==> hi_wf;
  behavior bad_va:
    assumes !va_ok(va);
    assigns \nothing;
    ensures \result == E_BAD_ARG;
    ensures kept: map_kept{Pre, Here}(p, f, cs, s);
  behavior mapped:
    assumes va_ok(va) && mapping_live(f);
    assigns \nothing;
    ensures \result == E_MAPPED;
    ensures kept: map_kept{Pre, Here}(p, f, cs, s);
  behavior blocked:
    assumes va_ok(va) && !mapping_live(f) && vs_missing(p, va) < 0;
    assigns \nothing;
    ensures \result == E_MAPPED;
    ensures kept: map_kept{Pre, Here}(p, f, cs, s);
  behavior taken:
    assumes va_ok(va) && !mapping_live(f) && vs_mapped(p, va);
    assigns \nothing;
    ensures \result == E_MAPPED;
    ensures kept: map_kept{Pre, Here}(p, f, cs, s);
  behavior over_limit:
    assumes map_open(p, f, va) && !map_room(p, va);
    assigns \nothing;
    ensures \result == E_OVER_LIMIT;
    ensures kept: map_kept{Pre, Here}(p, f, cs, s);
  behavior no_memory:
    assumes map_open(p, f, va) && map_room(p, va) && !free_n(vs_missing(p, va));
    assigns \nothing;
    ensures \result == E_NO_MEMORY;
    ensures kept: map_kept{Pre, Here}(p, f, cs, s);
  behavior ok:
    assumes map_open(p, f, va) && map_room(p, va) && free_n(vs_missing(p, va));
    ensures \result == E_OK;
    ensures mapped: vs_mapped(p, va) && vs_e0(p, va) == pte_of(f, perm);
    ensures record: m_used[f] == 1 && m_proc[f] == p && m_pgen[f] == p_gen[p] &&
      m_fgen[f] == frame_gen[f] && m_va[f] == va;
    ensures slot: m_cs[f] == cs && m_slot[f] == s;
    ensures live: mapping_live(f);
    ensures satp: \old(vs_missing(p, va)) == 3 ==>
      p_satp[p] == VS_SATP_SV39 + ppn_of(p_vroot[p]);
  complete behaviors;
  disjoint behaviors;
*/
kerr_t vs_map(uint32_t p, uint32_t f, uint64_t va, uint64_t perm,
              uint32_t cs, uint32_t s)
{
  struct vs_path w;
  struct vs_new t;
  uint32_t c, n;
  if (va < VS_VA_MIN || va >= VS_VA_END || va % 4096u != 0) {
    /*@ for mapped, blocked, taken, over_limit, no_memory, ok: assert no_va: \false; */
    return E_BAD_ARG;
  }
  if (map_live(f)) {
    /*@ for over_limit, no_memory, ok: assert no_live: \false; */
    return E_MAPPED;
  }
  w = vs_walk(p, va);
  if (w.missing < 0) {
    /*@ for over_limit, no_memory, ok: assert no_blocked: \false; */
    return E_MAPPED;
  }
  if (w.missing == 0 && pt_entry[w.t0][va / 4096u % 512u] % 2u == 1) {
    /*@ for over_limit, no_memory, ok: assert no_taken: \false; */
    return E_MAPPED;
  }
  n = (uint32_t)w.missing;
  c = frame_owner[p];
  /*@ assert nmiss: n == vs_missing(p, va) && 0 <= n <= 3; */
  /* a map that needs no table needs no room: usage <= limit (Inv) */
  /*@ assert room0: path_room(c, 0); */
  if (n > 0 && !path_room_n(c, n)) {
    /*@ for no_memory, ok: assert no_room: \false; */
    return E_OVER_LIMIT;
  }
  /*@ for over_limit: assert room_ok: \false; */
  t = vs_new_tables(n);
  if (t.err != E_OK) {
    /*@ for ok: assert no_free: \false; */
    return E_NO_MEMORY;
  }
  /*@ for no_memory: assert free_ok: \false; */
  map_commit(p, f, va, perm, cs, s, c, n, w, t.r, t.m1, t.m0);
  return E_OK;
}

/* spec: vs_unmap */
/* SYS_UNMAP past its decode: remove what is mapped at va in p, and the
 * mapped frame's record if it is this mapping's. */
/*@
  requires sizes: SIZES_OK;
  requires proc: p < NFRAMES;
  assigns pt_entry[vs_t0(p, va)][vpn0(va)], m_used[0 .. NFRAMES-1];
  behavior bad_va:
    assumes !va_ok(va);
    assigns \nothing;
    ensures \result == E_BAD_ARG;
    ensures kept: tables_kept{Pre, Here};
  behavior not_mapped:
    assumes va_ok(va) && !vs_mapped(p, va);
    assigns \nothing;
    ensures \result == E_NOT_MAPPED;
    ensures kept: tables_kept{Pre, Here};
  behavior ok:
    assumes va_ok(va) && vs_mapped(p, va);
    assigns pt_entry[vs_t0(p, va)][vpn0(va)], m_used[0 .. NFRAMES-1];
    ensures \result == E_OK;
    ensures gone: vs_missing(p, va) == 0 && vs_e0(p, va) == 0 && !vs_mapped(p, va);
    ensures record: \forall integer g; 0 <= g < NFRAMES && m_used[g] != \old(m_used[g]) ==>
      g == pte_child(\old(vs_e0(p, va))) && m_used[g] == 0 &&
      m_proc[g] == p && m_va[g] == va;
    ensures forgot: \forall integer g; 0 <= g < NFRAMES &&
      g == pte_child(\old(vs_e0(p, va))) && \old(m_used[g]) != 0 &&
      m_proc[g] == p && m_va[g] == va ==> m_used[g] == 0;
  complete behaviors;
  disjoint behaviors;
*/
kerr_t vs_unmap(uint32_t p, uint64_t va)
{
  struct vs_path w;
  uint64_t e;
  uint32_t g;
  if (va < VS_VA_MIN || va >= VS_VA_END || va % 4096u != 0)
    return E_BAD_ARG;
  w = vs_walk(p, va);
  if (w.missing != 0)
    return E_NOT_MAPPED;
  e = pt_entry[w.t0][va / 4096u % 512u];
  if (e % 2u == 0)
    return E_NOT_MAPPED;
  pt_entry[w.t0][va / 4096u % 512u] = 0;
  g = ppn_frame(e / 1024u % VS_PPN_END);
  if (g < NFRAMES && m_used[g] != 0 && m_proc[g] == p && m_va[g] == va)
    m_used[g] = 0;
  return E_OK;
}

/* Frame f's record, if its mapping is no longer in force, forgotten
 * (1); else nothing changes (0). */
/*@
  requires sizes: SIZES_OK;
  requires f < NFRAMES;
  assigns m_used[f];
  ensures live: m_used[f] != 0 ==> mapping_live(f);
  ensures kept: \old(m_used[f]) != 0 && \old(mapping_live(f)) ==> m_used[f] != 0;
  ensures \result == 0 || \result == 1;
  ensures ended: \result == 1 <==> (\old(m_used[f]) != 0 && !\old(mapping_live(f)));
*/
static inline int record_forget(uint32_t f) CORE_INLINE;
static inline int record_forget(uint32_t f)
{
  if (m_used[f] == 0 || map_live(f))
    return 0;
  m_used[f] = 0;
  return 1;
}

/* The leaf of frame f's recorded mapping, cleared if the process that
 * made it lives on and the entry still maps f. */
/*@
  requires sizes: SIZES_OK;
  requires f < NFRAMES;
  // (the one entry it may clear: the leaf of f's recorded mapping)
  assigns pt_entry[leaf_t(f)][vpn0(m_va[f])];
  ensures only_its: \forall integer t, i; 0 <= t < NFRAMES && 0 <= i < PTES &&
    !pt_of(m_proc[f], t) ==> pt_entry[t][i] == \old(pt_entry[t][i]);
  // entries are only cleared, and only the one that mapped f
  ensures zeroed: only_zeroed{Pre, Here};
  ensures only_f: \let e = \old(pt_entry[leaf_t(f)][vpn0(m_va[f])]);
    pt_entry[\old(leaf_t(f))][vpn0(m_va[f])] == e || (pte_valid(e) && pte_child(e) == f);
  // what the hardware walks: f is no longer mapped at that address
  ensures leaf_gone: proc_exists(m_proc[f]) && p_gen[m_proc[f]] == m_pgen[f] ==>
    !leaf_maps(m_proc[f], m_va[f], f);
*/
static inline void leaf_clear(uint32_t f) CORE_INLINE;
static inline void leaf_clear(uint32_t f)
{
  uint64_t *row;
  uint32_t q = m_proc[f];
  uint64_t va = m_va[f], e;
  struct vs_path w;
  if (!proc_live(q) || p_gen(q) != m_pgen[f])
    return;
  w = vs_walk(q, va);
  if (w.missing != 0) {
    /*@ assert no_path: !leaf_maps(q, va, f); */
    return;
  }
  /*@ assert t0_ok: w.t0 < NFRAMES; */
  row = pt_entry[w.t0];
  e = row[va / 4096u % 512u];
  if (e % 2u == 1 && ppn_frame(e / 1024u % VS_PPN_END) == f)
    row[va / 4096u % 512u] = 0;
  /*@ assert gone: !leaf_maps(q, va, f); */
}

/* spec: vs_reap_one */
/* Frame f's mapping, if it is no longer in force: its record forgotten,
 * and its leaf cleared if its process lives on (the one that made it)
 * and the entry still maps f. O(1): after a capability's deletion or
 * move (kernel/decode.c), for the one mapping it can have ended. */
/*@
  requires sizes: SIZES_OK;
  requires f < NFRAMES;
  // (the one entry it may clear: the leaf of f's recorded mapping)
  assigns m_used[f], pt_entry[leaf_t(f)][vpn0(m_va[f])];
  ensures live: m_used[f] != 0 ==> mapping_live(f);
  ensures kept: \old(m_used[f]) != 0 && \old(mapping_live(f)) ==> m_used[f] != 0;
  ensures only_its: \forall integer t, i; 0 <= t < NFRAMES && 0 <= i < PTES &&
    !pt_of(m_proc[f], t) ==> pt_entry[t][i] == \old(pt_entry[t][i]);
  // entries are only cleared, and only the one that mapped f
  ensures zeroed: only_zeroed{Pre, Here};
  ensures only_f: \let e = \old(pt_entry[leaf_t(f)][vpn0(m_va[f])]);
    pt_entry[\old(leaf_t(f))][vpn0(m_va[f])] == e || (pte_valid(e) && pte_child(e) == f);
  // what the hardware walks: a mapping out of force, of a process that
  // lives on, no longer maps f at its address
  ensures leaf_gone: \old(m_used[f]) != 0 && !\old(mapping_live(f)) &&
    proc_exists(m_proc[f]) && p_gen[m_proc[f]] == m_pgen[f] ==>
    !leaf_maps(m_proc[f], m_va[f], f);
*/
inline void vs_reap_one(uint32_t f) CORE_INLINE;
/* (inline: vs_reap calls it for every frame below f_hi; out of line, the
 * call cost a destruction about 3,000 instructions) */
inline void vs_reap_one(uint32_t f)
{
  if (record_forget(f))
    leaf_clear(f);
}

/* vs_reap_one as vs_reap's loop sees it: one record forgotten and, if
 * it ended, its leaf cleared (leaf_clear's code, written out here);
 * every entry of every table assigned, entries only cleared, nothing
 * said of which leaf. (Not a call of leaf_clear or vs_reap_one: where a
 * call's effect must be shown inside a range of entries, the goal is an
 * existential that neither Z3 nor CVC4 closes once mapping_live and the
 * walk's facts share its context, while a write of our own is a bounds
 * check. Rows up to MAXFRAMES, a constant, so that the loop's goals do
 * not drag in every fact that names NFRAMES. proofs/README.md, "The
 * reaper's leaf".) */
/*@
  requires sizes: SIZES_OK;
  requires f < NFRAMES;
  assigns m_used[f], pt_entry[0 .. MAXFRAMES-1][0 .. PTES-1];
  ensures live: m_used[f] != 0 ==> mapping_live(f);
  ensures kept: \old(m_used[f]) != 0 && \old(mapping_live(f)) ==> m_used[f] != 0;
  ensures zeroed: only_zeroed{Pre, Here};
*/
inline void vs_reap_at(uint32_t f) CORE_INLINE;
inline void vs_reap_at(uint32_t f)
{
  uint64_t *row;
  uint32_t q;
  uint64_t va, e;
  struct vs_path w;
  if (!record_forget(f))
    return;
  q = m_proc[f];
  va = m_va[f];
  if (!proc_live(q) || p_gen(q) != m_pgen[f])
    return;
  w = vs_walk(q, va);
  if (w.missing != 0)
    return;
  row = pt_entry[w.t0];
  e = row[va / 4096u % 512u];
  if (e % 2u == 1 && ppn_frame(e / 1024u % VS_PPN_END) == f)
    row[va / 4096u % 512u] = 0;
}

/* spec: vs_reap */
/* After a destruction (obj_free, container_destroy): remove every mapping
 * whose frame, process or forwarder died, and forget its record. Bound:
 * one pass over the frames below f_hi (no frame above it was ever
 * mapped). */
/*@
  requires sizes: SIZES_OK;
  requires fhi: fhi_wf;
  assigns m_used[0 .. NFRAMES-1], pt_entry[0 .. MAXFRAMES-1][0 .. PTES-1];
  ensures live: \forall integer g; 0 <= g < f_hi ==> m_used[g] != 0 ==> mapping_live(g);
  ensures kept: \forall integer g; 0 <= g < NFRAMES && \old(m_used[g]) != 0 &&
    \old(mapping_live(g)) ==> m_used[g] != 0;
  ensures zeroed: only_zeroed{Pre, Here};
*/
inline void vs_reap(void) CORE_INLINE;
/* (inline: as proc_reap) */
inline void vs_reap(void)
{
  uint32_t f;
  /*@
    loop invariant 0 <= f <= f_hi && f_hi <= NFRAMES;
    loop invariant live: \forall integer g; 0 <= g < f ==>
      m_used[g] != 0 ==> mapping_live(g);
    loop invariant kept: \forall integer g; 0 <= g < NFRAMES &&
      \at(m_used[g], Pre) != 0 && \at(mapping_live(g), Pre) ==> m_used[g] != 0;
    loop invariant later: \forall integer g; f <= g < NFRAMES ==>
      m_used[g] == \at(m_used[g], Pre);
    loop invariant zeroed: only_zeroed{Pre, Here};
    loop assigns f, m_used[0 .. NFRAMES-1], pt_entry[0 .. MAXFRAMES-1][0 .. PTES-1];
    loop variant f_hi - f;
  */
  for (f = 0; f < f_hi; f++)
    vs_reap_at(f);
}

/* spec: vs_slot_gone */
/* The capability in slot s of cs was deleted (cap_delete; the syscall
 * layer calls this right after it): the mapping made through it ends
 * (the slot names no frame any more), and that mapping's record and leaf
 * go at once (vs_reap_one). O(1). */
/*@
  requires sizes: SIZES_OK;
  requires is_cspace(cs) && s < NSLOTS;
  assigns cap_mapped[cs][s], m_used[0 .. NFRAMES-1],
          pt_entry[leaf_t(cap_mapped[cs][s] - 1)][vpn0(m_va[cap_mapped[cs][s] - 1])];
  ensures none: cap_mapped[cs][s] == 0;
  ensures unmapped: \forall integer f; 0 <= f < NFRAMES ==> !slot_maps(cs, s, f);
  ensures forgotten: \forall integer f; 0 <= f < NFRAMES && \old(m_cs[f]) == cs &&
    \old(m_slot[f]) == s && \old(cap_mapped[cs][s]) == f + 1 ==> m_used[f] == 0;
  ensures kept: \forall integer f; 0 <= f < NFRAMES && \old(mapping_live(f)) &&
    !(m_cs[f] == cs && m_slot[f] == s) ==> mapping_live(f);
  ensures zeroed: only_zeroed{Pre, Here};
  // what the hardware walks: the mapping made through the slot no longer
  // maps its frame at its address. (Its record half: after cap_delete the
  // slot no longer resolves, so slot_maps would say nothing there.)
  ensures leaf_gone: \forall integer f; 0 <= f < NFRAMES && \old(record_maps(cs, s, f)) ==>
    !leaf_maps(m_proc[f], m_va[f], f);
*/
void vs_slot_gone(uint32_t cs, uint32_t s)
{
  uint32_t m = cap_mapped[cs][s];
  cap_mapped[cs][s] = 0;
  if (m != 0 && m <= NFRAMES)
    vs_reap_one(m - 1u);
}

/* spec: vs_cspace_gone */
/* Capability space cs died (obj_gone, after obj_free): every mapping
 * made through one of its slots ends now, its record and its leaf
 * (vs_reap_at, vs_reap_one as a loop sees it), and the slots' marks are
 * cleared, so that no mark outlives the cspace. O(NSLOTS), where the
 * reaper's pass over every frame below f_hi found the same mappings. */
/*@
  requires sizes: SIZES_OK;
  requires cs < NFRAMES;
  // (dead: no slot of cs holds a capability a mapping is in force through)
  requires dead: frame_type[cs] != OT_CSPACE;
  assigns cap_mapped[cs][0 .. NSLOTS-1], m_used[0 .. NFRAMES-1],
          pt_entry[0 .. MAXFRAMES-1][0 .. PTES-1];
  ensures none: \forall integer s; 0 <= s < NSLOTS ==> cap_mapped[cs][s] == 0;
  // every mapping made through a slot of cs: its record forgotten
  ensures forgotten: \forall integer f; 0 <= f < NFRAMES && m_cs[f] == cs &&
    0 <= m_slot[f] < NSLOTS && \old(cap_mapped[cs][m_slot[f]]) == f + 1 ==> m_used[f] == 0;
  ensures kept: \forall integer f; 0 <= f < NFRAMES && \old(mapping_live(f)) ==>
    mapping_live(f);
  ensures zeroed: only_zeroed{Pre, Here};
*/
void vs_cspace_gone(uint32_t cs)
{
  uint32_t s;
  /*@
    loop invariant 0 <= s <= NSLOTS;
    loop invariant none: \forall integer k; 0 <= k < s ==> cap_mapped[cs][k] == 0;
    loop invariant later: \forall integer k; s <= k < NSLOTS ==>
      cap_mapped[cs][k] == \at(cap_mapped[cs][k], Pre);
    loop invariant forgotten: \forall integer f; 0 <= f < NFRAMES && m_cs[f] == cs &&
      0 <= m_slot[f] < s && \at(cap_mapped[cs][m_slot[f]], Pre) == f + 1 ==> m_used[f] == 0;
    loop invariant kept: \forall integer f; 0 <= f < NFRAMES && \at(mapping_live(f), Pre) ==>
      mapping_live(f);
    loop invariant zeroed: only_zeroed{Pre, Here};
    loop assigns s, cap_mapped[cs][0 .. NSLOTS-1], m_used[0 .. NFRAMES-1],
      pt_entry[0 .. MAXFRAMES-1][0 .. PTES-1];
    loop variant NSLOTS - s;
  */
  for (s = 0; s < NSLOTS; s++) {
    uint32_t m = cap_mapped[cs][s];
    cap_mapped[cs][s] = 0;
    if (m != 0 && m <= NFRAMES)
      vs_reap_at(m - 1u);
  }
}

/* spec: vs_follow */
/* The capability in slot src of cs moved to slot dst of d (cap_move):
 * the mapping made through it now names its new slot and stays in
 * force; the old slot names none. O(1). */
/*@
  requires sizes: SIZES_OK;
  requires is_cspace(cs) && src < NSLOTS && is_cspace(d) && dst < NSLOTS;
  requires cs != d || src != dst;
  assigns cap_mapped[cs][src], cap_mapped[d][dst],
          m_cs[cap_mapped[cs][src] - 1], m_slot[cap_mapped[cs][src] - 1],
          m_csgen[cap_mapped[cs][src] - 1];
  ensures src_none: \forall integer f; 0 <= f < NFRAMES ==> !slot_maps(cs, src, f);
  // (the record's half: the capability itself moved before, cap_move)
  ensures followed: \forall integer f; 0 <= f < NFRAMES ==>
    \old(record_maps(cs, src, f)) ==> record_maps(d, dst, f);
  ensures kept: \forall integer f; 0 <= f < NFRAMES && \old(mapping_live(f)) &&
    !(\old(m_cs[f]) == cs && \old(m_slot[f]) == src) &&
    !(\old(m_cs[f]) == d && \old(m_slot[f]) == dst) ==>
    mapping_live(f) && m_cs[f] == \old(m_cs[f]) && m_slot[f] == \old(m_slot[f]);
  // the marks: the source's cleared; the destination's the source's, or
  // as it was when the record does not confirm the source's
  ensures mark_cleared: cap_mapped[cs][src] == 0;
  ensures dst_mark: cap_mapped[d][dst] == \old(cap_mapped[d][dst]) ||
    (cap_mapped[d][dst] == \old(cap_mapped[cs][src]) &&
     0 < \old(cap_mapped[cs][src]) <= NFRAMES &&
     \old(m_cs[cap_mapped[cs][src] - 1]) == cs && \old(m_slot[cap_mapped[cs][src] - 1]) == src);
*/
void vs_follow(uint32_t cs, uint32_t src, uint32_t d, uint32_t dst)
{
  uint32_t m = cap_mapped[cs][src], f;
  cap_mapped[cs][src] = 0;
  if (m == 0 || m > NFRAMES)
    return;
  f = m - 1u;
  if (m_cs[f] != cs || m_slot[f] != src || m_csgen[f] != frame_gen[cs])
    return;              /* a mark the record does not confirm: none */
  m_cs[f] = d;
  m_slot[f] = dst;
  m_csgen[f] = frame_gen[d];
  cap_mapped[d][dst] = m;
}
