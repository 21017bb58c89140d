/* vspace.h: user address spaces (Sv39) in the proved core (issue 14 item 2).
 *
 * A process's address space is a tree of page tables: a root table, then
 * tables of levels 1 and 0, each an OT_PAGETABLE object of one frame,
 * charged to the process's container, whose 512 entries are the frame's
 * 4,096 bytes (pt_entry[t][i], a frame-window view as a cspace's slots
 * are). pt_proc[t] / pt_proc_gen[t] name the process a table belongs to;
 * p_vroot(p) is p's root table (none until its first mapping: then it
 * names no table of p's, and p runs on the kernel's root, p_satp).
 *
 * The core decides every entry: which table, which index, which bits. The
 * architecture layer supplies two things it cannot know (proofs/
 * ASSUMPTIONS.md §8): the physical page number of a frame (frame_ppn),
 * and the frame of a physical page number (ppn_frame), and it fences the
 * TLB after a change (arch-riscv/uvm.c).
 *
 * The walk trusts nothing it reads: each table it goes through must be
 * one of p's own (type, owner and generation checked), so a mapping
 * call writes only into the tables of the process it names, whatever
 * the entries hold (proved in Coq: VSpace.v, vs_map_only_mine).
 *
 * A frame is mapped at most once; its mapping record (m_*, per frame)
 * says where and through which capability slot. A mapping lives as long
 * as all of these: the frame, the process, the capability it was made
 * through (its slot's cap_mapped names the frame back, and deleting or
 * moving the capability changes that: vs_slot_gone after cap_delete,
 * vs_follow in cap_move), and every forwarder on that capability's path
 * (the slot still resolves). vs_reap removes every mapping one of these
 * died for, and vs_reap_one one frame's, in O(1): vs_reap_one and
 * vs_slot_gone prove that the entry the MMU walks no longer maps the
 * frame (leaf_gone), and all three that they only clear entries
 * (zeroed). Where one object dies (obj_free), what it carried ends where
 * it dies (obj_gone, kernel/decode.c): a frame's mapping (vs_reap_at),
 * a cspace's slots' mappings (vs_cspace_gone); a forwarder's still
 * takes vs_reap's pass, as does every death of container_destroy. The kernel's own mappings of the root task's
 * image, made at boot, have no capability (m_cs == NFRAMES): they live
 * as long as the frame and the process.
 */
#ifndef VSPACE_H
#define VSPACE_H

#include "param.h"
#if MAXFWD != 4
#error "vspace.h writes the forwarder chain out for MAXFWD = 4 (chain_ok0 .. chain_ok4)"
#endif

#include <stdint.h>
#include "proc.h"
#include "decode.h"

#define PTES        512u               /* entries in a page table            */
#define VS_VA_MIN   0x1000u            /* page 0 stays unmapped              */
#define VS_VA_END   0x4000000000u      /* the lower half of Sv39 (2^38)      */
#define VS_PPN_END  0x100000000000u    /* 2^44: the physical page numbers    */
#define VS_SATP_SV39 0x8000000000000000u /* satp's mode field: Sv39 (8 << 60) */

/* Sv39 entry bits (the privileged spec, 4.4.1) */
#define VS_PTE_V    1u
#define VS_PTE_U    16u
#define VS_PTE_AD   192u               /* accessed + dirty, set up front     */

/* the page-permission argument of SYS_MAP: read + 2*write + 4*exec */
#define VS_PERM_R   1u
#define VS_PERM_W   2u
#define VS_PERM_X   4u

/* A page table's entries: its frame, as 512 entries of 8 bytes. */
#ifdef KERNEL_FRAME_WINDOW
#define pt_entry FWIN_FIELD(uint64_t, 0)
#else
extern uint64_t pt_entry[MAXFRAMES][PTES];
#endif

/* Per process: its root table (a frame; anything that is not a table of
 * p's means none yet) and the satp that loads its address space. */
RECORD_FIELD(uint32_t, p_vroot);
RECORD_FIELD(uint64_t, p_satp);

/* Per frame: where it is mapped. By process m_proc (of generation
 * m_pgen) at m_va, while the frame has generation m_fgen, through the
 * capability in slot m_slot of cspace m_cs (of generation m_csgen;
 * m_cs == NFRAMES: a boot mapping, no capability); m_used = 0:
 * nowhere. The forwarders that capability resolves through are not
 * recorded: the mapping is in force while the slot still resolves
 * (path_live, below). */
extern FRAME_TABLE(uint32_t, m_proc);
extern FRAME_TABLE(uint32_t, m_pgen);
extern FRAME_TABLE(uint32_t, m_fgen);
extern FRAME_TABLE(uint64_t, m_va);
extern FRAME_TABLE(uint8_t, m_used);
extern FRAME_TABLE(uint32_t, m_cs);
extern FRAME_TABLE(uint32_t, m_csgen);
extern FRAME_TABLE(uint32_t, m_slot);

/* The kernel's half of every root table, set at boot by the architecture
 * layer (uvm_init) and never written again: satp of the kernel's own
 * root (what a process without a root table runs on), and the valid
 * entries of its upper half (vs_kroot_n of them, at indices 256..511),
 * which every new root table repeats so that the kernel stays mapped. */
extern uint64_t vs_kernel_satp;
extern uint32_t vs_kroot_n;
extern uint16_t vs_kroot_idx[PTES / 2];
extern uint64_t vs_kroot_pte[PTES / 2];

/*@
  // The architecture's correspondence of frames and physical pages
  // (arch-riscv/uvm.c: frame_pa, pa_frame). The core assumes only that
  // they are functions; ppn_wf (below) is what boot establishes.
  axiomatic Ppn {
    logic integer ppn_of(integer f);
    logic integer frame_of_ppn(integer ppn);
  }

  // Every managed frame has a physical page number, and that number names
  // it back. Established at boot (frames_init), never changed: required
  // as SIZES_OK is (proofs/ASSUMPTIONS.md §9).
  predicate ppn_wf = \forall integer f; 0 <= f < NFRAMES ==>
    0 <= ppn_of(f) < VS_PPN_END && frame_of_ppn(ppn_of(f)) == f;

  // (indices in the upper half, each once: uvm_init lists them rising)
  predicate kroot_wf = vs_kroot_n <= PTES / 2 &&
    (\forall integer k; 0 <= k < vs_kroot_n ==>
      PTES / 2 <= vs_kroot_idx[k] < PTES) &&
    (\forall integer j, k; 0 <= j < k < vs_kroot_n ==> vs_kroot_idx[j] != vs_kroot_idx[k]);

  // table t holds the kernel's half: every kernel root entry at its index
  predicate kernel_half(integer t) = \forall integer k; 0 <= k < vs_kroot_n ==>
    pt_entry[t][vs_kroot_idx[k]] == vs_kroot_pte[k];

  predicate va_ok(integer va) =
    VS_VA_MIN <= va < VS_VA_END && va % 4096 == 0;
  logic integer vpn2(integer va) = va / 1073741824 % 512;
  logic integer vpn1(integer va) = va / 2097152 % 512;
  logic integer vpn0(integer va) = va / 4096 % 512;

  // (The functions the walk is made of are integers built from single
  // comparisons, not booleans: Z3 fails on boolean connectives in terms.)
  predicate pte_valid(integer e) = e % 2 == 1;
  predicate pte_leaf(integer e) = e / 2 % 8 != 0;
  logic integer pte_ppn(integer e) = e / 1024 % VS_PPN_END;
  logic integer pte_child(integer e) = frame_of_ppn(pte_ppn(e));

  // 1 if t is one of p's page tables, else 0
  logic integer pt_ok(integer p, integer t) =
    t < 0 ? 0 : t >= NFRAMES ? 0 : frame_type[t] != OT_PAGETABLE ? 0 :
    pt_proc[t] != p ? 0 : pt_proc_gen[t] != p_gen[p] ? 0 : 1;
  predicate pt_of(integer p, integer t) = pt_ok(p, t) == 1;
  // 1 if e links to a table of p's: valid, no leaf, and the table is p's
  logic integer link_ok(integer p, integer e) =
    e % 2 != 1 ? 0 : e / 2 % 8 != 0 ? 0 : pt_ok(p, pte_child(e));
  predicate pt_link(integer p, integer e) = link_ok(p, e) == 1;

  // the entries on va's path in p's tree, level 2 (the root's) down
  logic integer vs_e2(integer p, integer va) = pt_entry[p_vroot[p]][vpn2(va)];
  logic integer vs_t1(integer p, integer va) = pte_child(vs_e2(p, va));
  logic integer vs_e1(integer p, integer va) = pt_entry[vs_t1(p, va)][vpn1(va)];
  logic integer vs_t0(integer p, integer va) = pte_child(vs_e1(p, va));
  logic integer vs_e0(integer p, integer va) = pt_entry[vs_t0(p, va)][vpn0(va)];

  // How many tables a mapping at va in p still needs (3: p has no root
  // table yet), or -1: the path is blocked (an entry above level 0 that
  // is a leaf, or names no table of p's, or a table already on the path:
  // the tables of a path are distinct, so that writing one entry of it
  // leaves the others as they were).
  logic integer vs_missing(integer p, integer va) =
    pt_ok(p, p_vroot[p]) == 0 ? 3 :
    vs_e2(p, va) % 2 != 1 ? 2 :
    link_ok(p, vs_e2(p, va)) == 0 ? -1 :
    vs_t1(p, va) == p_vroot[p] ? -1 :
    vs_e1(p, va) % 2 != 1 ? 1 :
    link_ok(p, vs_e1(p, va)) == 0 ? -1 :
    vs_t0(p, va) == vs_t1(p, va) ? -1 :
    vs_t0(p, va) == p_vroot[p] ? -1 : 0;

  // va is mapped in p: the whole path is there and its leaf entry valid
  predicate vs_mapped(integer p, integer va) =
    vs_missing(p, va) == 0 && pte_valid(vs_e0(p, va));

  // the leaf entry of a mapping with permissions perm (perm_ok)
  logic integer pte_bits(integer perm) =
    VS_PTE_V + VS_PTE_U + VS_PTE_AD + perm % 2 * 2 + perm / 2 % 2 * 4 +
    perm / 4 % 2 * 8;
  logic integer pte_of(integer f, integer perm) =
    ppn_of(f) * 1024 + pte_bits(perm);

  // There are n free frames (0 <= n <= 3): the n lowest, which a map
  // takes for its tables.
  // (spelled out: a logic constant would not follow the state)
  predicate free_n(integer n) =
    (n >= 1 ==> lowest_free_from(0) < NFRAMES) &&
    (n >= 2 ==> lowest_free_from(lowest_free_from(0) + 1) < NFRAMES) &&
    (n >= 3 ==> lowest_free_from(lowest_free_from(lowest_free_from(0) + 1) + 1) < NFRAMES);

  // One link of a chain of forwarders holds: forwarder o's target is
  // still what it stood in front of (chain_err's E_STALE test; the
  // bound on the target, which the invariant gives a live forwarder,
  // written out so that the reaper needs no invariant to test it).
  predicate fw_link_ok(integer o) =
    0 <= o < NFRAMES && fw_type[o] != OT_FREE && 0 <= fw_obj[o] < NFRAMES &&
    frame_type[fw_obj[o]] == fw_type[o] && frame_gen[fw_obj[o]] == fw_gen[o];

  // chain_err(k, t, o) == E_OK (model.acsl), written out for k = 0 .. 4
  // (MAXFWD), one name a level: where a mapping's liveness sits in a
  // goal's context, a recursive definition lets the provers unfold it
  // without end (each instance of the definition names the next fuel,
  // whatever the test), and goals that once took a second time out. The
  // ghost lemma chain_unrolled (vspace.c) proves that a slot that looks
  // up and resolves (cap_resolve's E_OK) satisfies slot_resolves.
  predicate chain_ok0(integer t, integer o) = t != OT_FORWARDER;
  predicate chain_ok1(integer t, integer o) =
    t != OT_FORWARDER || (fw_link_ok(o) && chain_ok0(fw_type[o], fw_obj[o]));
  predicate chain_ok2(integer t, integer o) =
    t != OT_FORWARDER || (fw_link_ok(o) && chain_ok1(fw_type[o], fw_obj[o]));
  predicate chain_ok3(integer t, integer o) =
    t != OT_FORWARDER || (fw_link_ok(o) && chain_ok2(fw_type[o], fw_obj[o]));
  predicate chain_ok4(integer t, integer o) =
    t != OT_FORWARDER || (fw_link_ok(o) && chain_ok3(fw_type[o], fw_obj[o]));

  // The capability in slot s of cs looks up and resolves (as cap_resolve
  // succeeds: lookup_err, then resolve_err, E_OK; with the bounds the
  // invariant gives written out, as in fw_link_ok).
  predicate slot_resolves(integer cs, integer s) =
    0 <= s < NSLOTS && cap_type[cs][s] != OT_FREE && 0 <= cap_obj[cs][s] < NFRAMES &&
    frame_type[cap_obj[cs][s]] == cap_type[cs][s] &&
    frame_gen[cap_obj[cs][s]] == cap_gen[cs][s] &&
    chain_ok4(cap_type[cs][s], cap_obj[cs][s]);

  // every forwarder the capability it was made through resolves
  // through lives: the slot still looks up and resolves (a boot mapping
  // has no capability: m_cs == NFRAMES). (Not stored: a capability's
  // fields and a forwarder's target never change while they exist, and
  // a move re-homes the record (vs_follow), so the chain the slot
  // resolves through now is the one it resolved through at map time.)
  predicate path_live(integer f) =
    m_cs[f] == NFRAMES || slot_resolves(m_cs[f], m_slot[f]);

  // the capability it was made through is still in its slot: the
  // cspace lives (same generation) and the slot names the frame back
  // (a boot mapping has none: m_cs == NFRAMES)
  predicate slot_live(integer f) =
    m_cs[f] == NFRAMES ||
    (m_cs[f] < NFRAMES && frame_type[m_cs[f]] == OT_CSPACE &&
     frame_gen[m_cs[f]] == m_csgen[f] && m_slot[f] < NSLOTS &&
     cap_mapped[m_cs[f]][m_slot[f]] == f + 1);

  // From L to H every frame that was not free kept its type, and every
  // generation and forwarder is as it was: what a map does (its new
  // tables were free frames) to the frames a capability resolves through.
  predicate types_grown{L, H} = \at(NFRAMES, H) == \at(NFRAMES, L) &&
    \forall integer x; 0 <= x < \at(NFRAMES, L) ==>
      (\at(frame_type[x], L) != OT_FREE ==> \at(frame_type[x], H) == \at(frame_type[x], L)) &&
      \at(frame_gen[x], H) == \at(frame_gen[x], L) &&
      \at(fw_type[x], H) == \at(fw_type[x], L) && \at(fw_obj[x], H) == \at(fw_obj[x], L) &&
      \at(fw_gen[x], H) == \at(fw_gen[x], L);

  // the record half of a mapping in force: all but the capability's
  // chain (what vs_follow, which moves no capability, can speak of)
  predicate record_live(integer f) =
    m_used[f] != 0 && m_proc[f] < NFRAMES && p_state[m_proc[f]] != PS_NONE &&
    frame_type[m_proc[f]] == OT_PROCESS &&
    frame_gen[m_proc[f]] == p_gen[m_proc[f]] && p_gen[m_proc[f]] == m_pgen[f] &&
    (frame_type[f] == OT_FRAME || frame_type[f] == OT_DEVICE) &&
    frame_gen[f] == m_fgen[f] && slot_live(f);
  predicate mapping_live(integer f) = record_live(f) && path_live(f);

  // a mapping in force made through slot s of cs, and its record half
  predicate slot_maps(integer cs, integer s, integer f) =
    mapping_live(f) && m_cs[f] == cs && m_slot[f] == s;
  predicate record_maps(integer cs, integer s, integer f) =
    record_live(f) && m_cs[f] == cs && m_slot[f] == s;
*/

/*@
  // SYS_MAP and SYS_UNMAP's decode (kernel/decode.c): the process the
  // process argument a names (SLOT_SELF: the caller), and its refusal
  logic integer proc_named(integer cur, integer cs, integer a) =
    a == SLOT_SELF ? cur : resolved_obj(cs, a);
  logic integer proc_named_err(integer cs, integer a) =
    a == SLOT_SELF ? E_OK : invoke_err(cs, a, OT_PROCESS, 0, 1);

  // p is a process that exists (sched.c, proc_live)
  predicate proc_exists(integer p) =
    0 <= p < NFRAMES && p_state[p] != PS_NONE && frame_type[p] == OT_PROCESS &&
    frame_gen[p] == p_gen[p];

  // every argument of a map decoded: the process exists, the permission
  // is one, the frame argument designates a frame or device page with
  // the rights it needs
  predicate map_decoded(integer cur, integer cs, integer proc, integer frame,
                        integer perm) =
    proc_named_err(cs, proc) == E_OK && proc_exists(proc_named(cur, cs, proc)) &&
    perm_ok(perm) && map_frame_err(cs, slot_of(frame), perm) == E_OK;
*/

/*@
  // Nothing a map or an unmap may write has changed from L to H: what a
  // refusal promises (vs_map's and vs_unmap's assigns, all of them).
  // (Two labels, each access under its own: a predicate of ONE label
  // reads every unlabelled access at that label, so "x == \at(x, L)"
  // under one label is true of any two states: proofs/acsl_labels.py.)
  predicate tables_kept{L, H} =
    (\forall integer t, i; 0 <= t < \at(NFRAMES, L) && 0 <= i < PTES ==>
      \at(pt_entry[t][i], H) == \at(pt_entry[t][i], L)) &&
    (\forall integer g; 0 <= g < \at(NFRAMES, L) ==> \at(m_used[g], H) == \at(m_used[g], L));
  predicate map_kept{L, H}(integer p, integer f, integer cs, integer s) =
    tables_kept{L, H} &&
    (\forall integer g; 0 <= g < \at(NFRAMES, L) ==>
      \at(frame_owner[g], H) == \at(frame_owner[g], L) &&
      \at(frame_type[g], H) == \at(frame_type[g], L) &&
      \at(c_own[g], H) == \at(c_own[g], L) && \at(c_usage[g], H) == \at(c_usage[g], L) &&
      \at(pt_proc[g], H) == \at(pt_proc[g], L) &&
      \at(pt_proc_gen[g], H) == \at(pt_proc_gen[g], L)) &&
    \at(f_hi, H) == \at(f_hi, L) && \at(f_lo, H) == \at(f_lo, L) &&
    \at(p_vroot[p], H) == \at(p_vroot[p], L) && \at(p_satp[p], H) == \at(p_satp[p], L) &&
    \at(m_proc[f], H) == \at(m_proc[f], L) && \at(m_pgen[f], H) == \at(m_pgen[f], L) &&
    \at(m_fgen[f], H) == \at(m_fgen[f], L) && \at(m_va[f], H) == \at(m_va[f], L) &&
    \at(m_cs[f], H) == \at(m_cs[f], L) &&
    \at(m_csgen[f], H) == \at(m_csgen[f], L) && \at(m_slot[f], H) == \at(m_slot[f], L) &&
    \at(cap_mapped[cs][s], H) == \at(cap_mapped[cs][s], L);
*/

/* The architecture's half (arch-riscv/uvm.c), assumed (ASSUMPTIONS.md §8) */
/*@
  assigns \nothing;
  ensures \result == ppn_of(f);
*/
uint64_t frame_ppn(uint32_t f);
/*@
  assigns \nothing;
  ensures \result == frame_of_ppn(ppn);
*/
uint32_t ppn_frame(uint64_t ppn);

void     vs_proc_init(uint32_t p);
kerr_t   vs_map(uint32_t p, uint32_t f, uint64_t va, uint64_t perm,
                uint32_t cs, uint32_t s);
kerr_t   vs_unmap(uint32_t p, uint64_t va);
uint64_t vs_lookup(uint32_t p, uint64_t va);
void     vs_reap(void);
void     vs_reap_one(uint32_t f);
void     vs_slot_gone(uint32_t cs, uint32_t s);
void     vs_cspace_gone(uint32_t cs);
void     vs_reap_at(uint32_t f);
void     vs_follow(uint32_t cs, uint32_t src, uint32_t d, uint32_t dst);

/*@
  // A map of f at va in p past vs_map's first three guards: va is a user
  // page, no mapping of f is in force, the tables down to va are p's
  // (some may be missing) and nothing is mapped at va; and the tables it
  // lacks are within the limits of p's container.
  predicate map_open(integer p, integer f, integer va) =
    va_ok(va) && !mapping_live(f) && vs_missing(p, va) >= 0 && !vs_mapped(p, va);
  predicate map_room(integer p, integer va) =
    path_room(frame_owner[p], vs_missing(p, va));

  // The table holding the leaf of frame f's recorded mapping (table 0
  // when the walk names no managed frame: vs_reap_one then writes none)
  logic integer leaf_t(integer f) =
    vs_t0(m_proc[f], m_va[f]) < 0 ? 0 :
    vs_t0(m_proc[f], m_va[f]) >= NFRAMES ? 0 : vs_t0(m_proc[f], m_va[f]);

  // What the hardware walks: va in p reaches a valid leaf that maps f.
  predicate leaf_maps(integer p, integer va, integer f) =
    vs_mapped(p, va) && pte_child(vs_e0(p, va)) == f;

  // Entries that only kept their value or became 0 from L to H (what
  // the reaper does to the tables), in every row the table has.
  predicate only_zeroed{L, H} = \forall integer t, i; 0 <= t < MAXFRAMES && 0 <= i < PTES ==>
    \at(pt_entry[t][i], H) == \at(pt_entry[t][i], L) || \at(pt_entry[t][i], H) == 0;
*/

#endif
