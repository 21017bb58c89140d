(** * VSpace: user address spaces (Sv39) in the core (issue 14 item 2)

    The Coq side of [kernel/include/vspace.h] and [kernel/vspace.c]: the
    page-table walk, [vs_map], [vs_unmap], [vs_lookup], [vs_proc_init],
    [vs_reap] (removal of the mappings whose frame, process, capability
    or a forwarder it resolves through died) and [vs_reap_one];
    [vs_slot_gone] and [vs_follow] (what a capability's deletion or move
    does to the mapping made through it); [vs_cspace_gone] and
    [kernel/decode.c]'s [obj_gone] (what a freed object carried ends
    with it: SYS_OBJ_FREE since commit 37ad752a, [sys_obj_free_c]); and
    the system calls of [kernel/decode.c] that run them,
    [sys_map], [sys_unmap], [sys_cap_delete], [sys_cap_move]. Same names
    as the ACSL logic of [vspace.h] ([pt_of], [pt_link], [vs_e2] ..
    [vs_e0], [vs_missing], [vs_mapped], [pte_of], [free_n], [path_live],
    [fw_link_ok], [chain_ok0] .. [chain_ok4], [slot_resolves],
    [slot_live], [mapping_live], [slot_maps]), same guards in the same
    order as the C, same error codes.

    The state. A page table is an [OT_PAGETABLE] frame of the core
    [State], charged to its process's container (like [kobj_alloc]), and
    owned by a process through [pt_proc] / [pt_proc_gen] of [Procs]. The
    new tables are a second record [VS], next to [KState]:
    - [pt_entry t i]: entry [i] of table [t] (the C's [pt_entry[t][i]]);
    - [p_vroot p], [p_satp p]: a process's root table and its satp;
    - per frame, its mapping record [m_used], [m_proc], [m_pgen],
      [m_fgen], [m_va], and the capability slot the mapping was made
      through, [m_cs], [m_csgen], [m_slot] ([m_cs = NFRAMES]: a boot
      mapping, without capability). The forwarders that capability
      resolves through are not recorded: the mapping is in force while
      the slot still looks up and resolves ([path_live]; a capability's
      fields and a forwarder's target do not change while they exist,
      and a move re-homes the record, [vs_follow]);
    - per slot of a cspace, its mark [cap_mapped cs s]: 1 + the frame of
      the mapping made through it, 0 none (a mark the frame's record does
      not confirm means none, [slot_live]). A mapping lives as long as
      the capability it was made through stays in its slot.
    An operation takes and returns the pair [(KState * VS)].

    What the architecture supplies is a section variable, never assumed
    globally: [ppn_of] / [frame_of_ppn] (the C's [frame_ppn] /
    [ppn_frame]), the kernel's half of every root table [vs_kroot] (the
    pairs [vs_kroot_idx[k]], [vs_kroot_pte[k]], in order) and
    [vs_kernel_satp]. The theorems that need the correspondence of frames
    and physical pages take [ppn_wf] as a premise. *)

From Coq Require Import Arith NArith ZArith Bool Lia List.
From Spec Require Import Model Ops Facts Invariants Accounting Tree Procs ProcTheorems Decode.

(** The sizes are parameters (Model.v, [Sizes]): everything below holds
    for every instance. *)
Section Sized.
Context {SZ : Sizes}.

(** ** Constants of [vspace.h] *)

Definition PTES : nat := 512.
Definition VS_VA_MIN : N := 4096.
Definition VS_VA_END : N := 274877906944.            (* 2^38 *)
Definition VS_PPN_END : N := 17592186044416.         (* 2^44 *)
Definition VS_SATP_SV39 : N := 9223372036854775808.  (* 8 << 60 *)
Definition VS_PTE_V : N := 1.
Definition VS_PTE_U : N := 16.
Definition VS_PTE_AD : N := 192.

(** ** What the architecture layer supplies (section variables) *)

Variable ppn_of : nat -> N.          (* frame_ppn, arch-riscv/uvm.c *)
Variable frame_of_ppn : N -> nat.    (* ppn_frame *)
Variable vs_kernel_satp : N.         (* satp of the kernel's own root *)
Variable vs_kroot : list (nat * N).  (* (vs_kroot_idx[k], vs_kroot_pte[k]) *)

(** Every managed frame has a physical page number, which names it back
    (ACSL [ppn_wf], established at boot). *)
Definition ppn_wf : Prop :=
  forall f, f < NFRAMES -> (ppn_of f < VS_PPN_END)%N /\ frame_of_ppn (ppn_of f) = f.

(** ** The address-space tables *)

Record VS := mkVS {
  pt_entry : nat -> nat -> N;          (* pt_entry[t][i] *)
  p_vroot  : nat -> nat;               (* per process: its root table *)
  p_satp   : nat -> N;
  m_used   : nat -> bool;              (* per frame: its mapping record *)
  m_proc   : nat -> nat;
  m_pgen   : nat -> N;
  m_fgen   : nat -> N;
  m_va     : nat -> N;
  (* the capability the mapping was made through (the C's m_cs, m_csgen,
     m_slot): slot m_slot of cspace m_cs, of generation m_csgen; m_cs =
     NFRAMES: a boot mapping, without capability *)
  m_cs     : nat -> nat;
  m_csgen  : nat -> N;
  m_slot   : nat -> nat;
  (* per slot (the C's cap_mapped[cs][s]): 1 + the frame of the mapping
     made through the slot's capability, 0 none; a value the frame's
     record does not confirm ([slot_live]) means none *)
  cap_mapped : nat -> nat -> nat
}.

Definition set_pte (vs : VS) (t i : nat) (e : N) : VS :=
  {| pt_entry := upd2 (pt_entry vs) t i e; p_vroot := p_vroot vs; p_satp := p_satp vs;
     m_used := m_used vs; m_proc := m_proc vs; m_pgen := m_pgen vs;
     m_fgen := m_fgen vs; m_va := m_va vs;
     m_cs := m_cs vs; m_csgen := m_csgen vs; m_slot := m_slot vs;
     cap_mapped := cap_mapped vs |}.

Definition set_row (vs : VS) (t : nat) (row : nat -> N) : VS :=
  {| pt_entry := upd (pt_entry vs) t row; p_vroot := p_vroot vs; p_satp := p_satp vs;
     m_used := m_used vs; m_proc := m_proc vs; m_pgen := m_pgen vs;
     m_fgen := m_fgen vs; m_va := m_va vs;
     m_cs := m_cs vs; m_csgen := m_csgen vs; m_slot := m_slot vs;
     cap_mapped := cap_mapped vs |}.

Definition set_root (vs : VS) (p r : nat) (satp : N) : VS :=
  {| pt_entry := pt_entry vs; p_vroot := upd (p_vroot vs) p r;
     p_satp := upd (p_satp vs) p satp;
     m_used := m_used vs; m_proc := m_proc vs; m_pgen := m_pgen vs;
     m_fgen := m_fgen vs; m_va := m_va vs;
     m_cs := m_cs vs; m_csgen := m_csgen vs; m_slot := m_slot vs;
     cap_mapped := cap_mapped vs |}.

Definition set_record (vs : VS) (f p : nat) (pg fg va : N) : VS :=
  {| pt_entry := pt_entry vs; p_vroot := p_vroot vs; p_satp := p_satp vs;
     m_used := upd (m_used vs) f true; m_proc := upd (m_proc vs) f p;
     m_pgen := upd (m_pgen vs) f pg; m_fgen := upd (m_fgen vs) f fg;
     m_va := upd (m_va vs) f va;
     m_cs := m_cs vs; m_csgen := m_csgen vs; m_slot := m_slot vs;
     cap_mapped := cap_mapped vs |}.

(** The slot half of a mapping's record (the C's [map_build]): made
    through slot [sl] of [cs], whose generation is [g]; for a capability
    ([cs < NFRAMES]) the generation and the slot's mark are written. *)
Definition set_through (vs : VS) (f cs sl : nat) (g : N) : VS :=
  {| pt_entry := pt_entry vs; p_vroot := p_vroot vs; p_satp := p_satp vs;
     m_used := m_used vs; m_proc := m_proc vs; m_pgen := m_pgen vs;
     m_fgen := m_fgen vs; m_va := m_va vs;
     m_cs := upd (m_cs vs) f cs;
     m_csgen := if cs <? NFRAMES then upd (m_csgen vs) f g else m_csgen vs;
     m_slot := upd (m_slot vs) f sl;
     cap_mapped := if cs <? NFRAMES then upd2 (cap_mapped vs) cs sl (S f)
                   else cap_mapped vs |}.

(** Frame [f]'s record names slot [sl] of [cs], of generation [g] (the
    C's [vs_follow]). *)
Definition set_slot_rec (vs : VS) (f cs sl : nat) (g : N) : VS :=
  {| pt_entry := pt_entry vs; p_vroot := p_vroot vs; p_satp := p_satp vs;
     m_used := m_used vs; m_proc := m_proc vs; m_pgen := m_pgen vs;
     m_fgen := m_fgen vs; m_va := m_va vs;
     m_cs := upd (m_cs vs) f cs; m_csgen := upd (m_csgen vs) f g;
     m_slot := upd (m_slot vs) f sl; cap_mapped := cap_mapped vs |}.

(** Slot [sl] of [cs]'s mark ([cap_mapped]) is [m]. *)
Definition set_mark (vs : VS) (cs sl m : nat) : VS :=
  {| pt_entry := pt_entry vs; p_vroot := p_vroot vs; p_satp := p_satp vs;
     m_used := m_used vs; m_proc := m_proc vs; m_pgen := m_pgen vs;
     m_fgen := m_fgen vs; m_va := m_va vs;
     m_cs := m_cs vs; m_csgen := m_csgen vs; m_slot := m_slot vs;
     cap_mapped := upd2 (cap_mapped vs) cs sl m |}.

Definition clear_used (vs : VS) (f : nat) : VS :=
  {| pt_entry := pt_entry vs; p_vroot := p_vroot vs; p_satp := p_satp vs;
     m_used := upd (m_used vs) f false; m_proc := m_proc vs; m_pgen := m_pgen vs;
     m_fgen := m_fgen vs; m_va := m_va vs;
     m_cs := m_cs vs; m_csgen := m_csgen vs; m_slot := m_slot vs;
     cap_mapped := cap_mapped vs |}.

(** ** The ACSL logic of [vspace.h] *)

Definition va_ok (va : N) : bool :=
  (VS_VA_MIN <=? va)%N && (va <? VS_VA_END)%N && N.eqb (va mod 4096) 0.
Definition vpn2 (va : N) : nat := N.to_nat (va / 1073741824 mod 512).
Definition vpn1 (va : N) : nat := N.to_nat (va / 2097152 mod 512).
Definition vpn0 (va : N) : nat := N.to_nat (va / 4096 mod 512).

Definition pte_valid (e : N) : bool := N.eqb (e mod 2) 1.
Definition pte_leaf (e : N) : bool := negb (N.eqb (e / 2 mod 8) 0).
Definition pte_ppn (e : N) : N := e / 1024 mod VS_PPN_END.
Definition pte_child (e : N) : nat := frame_of_ppn (pte_ppn e).

(** [t] is one of [p]'s page tables (the C's [pt_mine]). *)
Definition pt_of (ks : KState) (p t : nat) : bool :=
  (t <? NFRAMES) && is_type (core ks) t OT_PAGETABLE &&
  Nat.eqb (pt_proc (procs ks) t) p && N.eqb (pt_proc_gen (procs ks) t) (p_gen (procs ks) p).

(** [e] links to a table of [p]'s (the C's [link_child] not [NFRAMES]). *)
Definition pt_link (ks : KState) (p : nat) (e : N) : bool :=
  pte_valid e && negb (pte_leaf e) && pt_of ks p (pte_child e).

(** The entries on [va]'s path in [p]'s tree, level 2 (the root's) down. *)
Definition vs_e2 (vs : VS) (p : nat) (va : N) : N := pt_entry vs (p_vroot vs p) (vpn2 va).
Definition vs_t1 (vs : VS) (p : nat) (va : N) : nat := pte_child (vs_e2 vs p va).
Definition vs_e1 (vs : VS) (p : nat) (va : N) : N := pt_entry vs (vs_t1 vs p va) (vpn1 va).
Definition vs_t0 (vs : VS) (p : nat) (va : N) : nat := pte_child (vs_e1 vs p va).
Definition vs_e0 (vs : VS) (p : nat) (va : N) : N := pt_entry vs (vs_t0 vs p va) (vpn0 va).

(** How many tables a mapping at [va] in [p] still needs, or -1: the path
    is blocked (what the C's [vs_walk] returns as [missing]). *)
Definition vs_missing (ks : KState) (vs : VS) (p : nat) (va : N) : Z :=
  if negb (pt_of ks p (p_vroot vs p)) then 3
  else if negb (pte_valid (vs_e2 vs p va)) then 2
  else if negb (pt_link ks p (vs_e2 vs p va)) || Nat.eqb (vs_t1 vs p va) (p_vroot vs p) then -1
  else if negb (pte_valid (vs_e1 vs p va)) then 1
  else if negb (pt_link ks p (vs_e1 vs p va)) || Nat.eqb (vs_t0 vs p va) (vs_t1 vs p va)
          || Nat.eqb (vs_t0 vs p va) (p_vroot vs p) then -1
  else 0.

Definition vs_mapped (ks : KState) (vs : VS) (p : nat) (va : N) : bool :=
  Z.eqb (vs_missing ks vs p va) 0 && pte_valid (vs_e0 vs p va).

(** The leaf entry of a mapping with permissions [perm]. *)
Definition pte_bits (perm : N) : N :=
  VS_PTE_V + VS_PTE_U + VS_PTE_AD + perm mod 2 * 2 + perm / 2 mod 2 * 4 + perm / 4 mod 2 * 8.
Definition pte_of (f : nat) (perm : N) : N := ppn_of f * 1024 + pte_bits perm.

(** A link to table [t] (what [path_link] writes above level 0). *)
Definition link_pte (t : nat) : N := ppn_of t * 1024 + VS_PTE_V.

(** The n lowest free frames (ACSL [free1] .. [free3], the C's
    [frame_find_free] and [frame_free_from]). *)
Definition free1 (st : State) : nat := lowest_free_from st 0.
Definition free2 (st : State) : nat := lowest_free_from st (S (free1 st)).
Definition free3 (st : State) : nat := lowest_free_from st (S (free2 st)).
Definition free_n (st : State) (n : nat) : bool :=
  (negb (1 <=? n) || (free1 st <? NFRAMES)) && (negb (2 <=? n) || (free2 st <? NFRAMES)) &&
  (negb (3 <=? n) || (free3 st <? NFRAMES)).

(** [e] is [E_OK]. *)
Definition is_ok (e : error) : bool := match e with E_OK => true | _ => false end.

(** No capability ([cs = NFRAMES]: a boot mapping), or the capability in
    slot [s] of [cs] still looks up (any type, no right needed:
    [lookup_err] of [Invariants.v]) and resolves ([resolve_err] of
    [Decode.v]): every forwarder on its chain lives. The condition
    [vs_map] requires of the slot it maps through (the C's [requires
    chain]). *)
Definition chain_ok (st : State) (cs s : nat) : bool :=
  Nat.eqb cs NFRAMES ||
  (is_ok (lookup_err st cs s None false false) && is_ok (resolve_err st (cap st cs s))).

(** Every forwarder the capability frame [f]'s mapping was made through
    resolves through lives: the slot still looks up and resolves (ACSL
    [path_live]: [m_cs[f] == NFRAMES || (lookup_err(m_cs[f], m_slot[f],
    OT_FREE, 0, 0) == E_OK && resolve_err(m_cs[f], m_slot[f]) == E_OK)]).
    Nothing is stored: while the slot holds the capability, its fields
    and its forwarders' targets do not change, so the chain it resolves
    through now is the one it resolved through at map time. *)
Definition path_live (ks : KState) (vs : VS) (f : nat) : bool :=
  chain_ok (core ks) (m_cs vs f) (m_slot vs f).

(** The same condition as the C's ACSL states it ([vspace.h]): the
    forwarder chain written out, one predicate a level, no recursion
    (a recursive one made the provers loop), every bound the invariant
    gives written out. [slot_resolves_iff] below: under [caps_inv] it is
    [chain_ok]'s lookup-and-resolve; [path_live_slot_resolves]: so
    [path_live] is the C's [m_cs[f] == NFRAMES || slot_resolves(m_cs[f],
    m_slot[f])]. *)

(** ACSL [fw_link_ok(o)]: forwarder [o]'s target is still what it stood
    in front of ([chain_err]'s [E_STALE] test), [o] and the target's
    object in range. *)
Definition fw_link_ok (st : State) (o : nat) : bool :=
  let t := fw st o in
  (o <? NFRAMES) && negb (ot_eqb (cap_type t) OT_FREE) && (cap_obj t <? NFRAMES) &&
  ot_eqb (frame_type st (cap_obj t)) (cap_type t) && N.eqb (frame_gen st (cap_obj t)) (cap_gen t).

(** ACSL [chain_ok0(t, o)] .. [chain_ok4(t, o)]: [chain_err(k, t, o) ==
    E_OK] for [k] = 0 .. 4 ([MAXFWD]): the chain from an object [o] of
    type [t] ends, within [k] forwarders, all of them live. *)
Definition chain_ok0 (st : State) (t : ObjType) (o : nat) : bool :=
  negb (ot_eqb t OT_FORWARDER).
Definition chain_ok1 (st : State) (t : ObjType) (o : nat) : bool :=
  negb (ot_eqb t OT_FORWARDER) ||
  (fw_link_ok st o && chain_ok0 st (cap_type (fw st o)) (cap_obj (fw st o))).
Definition chain_ok2 (st : State) (t : ObjType) (o : nat) : bool :=
  negb (ot_eqb t OT_FORWARDER) ||
  (fw_link_ok st o && chain_ok1 st (cap_type (fw st o)) (cap_obj (fw st o))).
Definition chain_ok3 (st : State) (t : ObjType) (o : nat) : bool :=
  negb (ot_eqb t OT_FORWARDER) ||
  (fw_link_ok st o && chain_ok2 st (cap_type (fw st o)) (cap_obj (fw st o))).
Definition chain_ok4 (st : State) (t : ObjType) (o : nat) : bool :=
  negb (ot_eqb t OT_FORWARDER) ||
  (fw_link_ok st o && chain_ok3 st (cap_type (fw st o)) (cap_obj (fw st o))).

(** ACSL [slot_resolves(cs, s)]: the capability in slot [s] of [cs]
    looks up (any type, no right) and resolves, the object's bound
    written out. *)
Definition slot_resolves (st : State) (cs s : nat) : bool :=
  let k := cap st cs s in
  (s <? NSLOTS) && negb (ot_eqb (cap_type k) OT_FREE) && (cap_obj k <? NFRAMES) &&
  ot_eqb (frame_type st (cap_obj k)) (cap_type k) && N.eqb (frame_gen st (cap_obj k)) (cap_gen k) &&
  chain_ok4 st (cap_type k) (cap_obj k).

(** The capability frame [f]'s mapping was made through is still in its
    slot (the C's [slot_mine]): a boot mapping has none ([m_cs = NFRAMES]);
    else the cspace lives, of the generation recorded, and the slot's mark
    names [f] back. *)
Definition slot_live (ks : KState) (vs : VS) (f : nat) : bool :=
  let c := m_cs vs f in
  Nat.eqb c NFRAMES ||
  ((c <? NFRAMES) && is_type (core ks) c OT_CSPACE &&
   N.eqb (frame_gen (core ks) c) (m_csgen vs f) && (m_slot vs f <? NSLOTS) &&
   Nat.eqb (cap_mapped vs c (m_slot vs f)) (S f)).

(** Frame [f]'s recorded mapping is in force (the C's [map_live]). The
    ACSL's four conjuncts on the process are [proc_live]. *)
Definition mapping_live (ks : KState) (vs : VS) (f : nat) : bool :=
  let q := m_proc vs f in
  m_used vs f && proc_live ks q && N.eqb (p_gen (procs ks) q) (m_pgen vs f) &&
  (is_type (core ks) f OT_FRAME || is_type (core ks) f OT_DEVICE) &&
  N.eqb (frame_gen (core ks) f) (m_fgen vs f) && path_live ks vs f && slot_live ks vs f.

(** A mapping in force made through slot [s] of [cs] (ACSL [slot_maps]). *)
Definition slot_maps (ks : KState) (vs : VS) (cs s f : nat) : bool :=
  mapping_live ks vs f && Nat.eqb (m_cs vs f) cs && Nat.eqb (m_slot vs f) s.

(** Room for [n] more frames on [c]'s path (the C's [path_room_n]; it is
    [path_room] of [Invariants.v], [vs_room_path_room]). *)
Definition vs_room (st : State) (c n : nat) : bool :=
  forall_below (S (c_depth st c))
    (fun d => c_usage st (c_anc st c d) + n <=? c_limit st (c_anc st c d)).

(** ** The operations *)

(* C: vs_proc_init *)
(** A new process has no address space of its own: the kernel's. *)
Definition vs_proc_init (s : KState * VS) (p : nat) : KState * VS :=
  (fst s, set_root (snd s) p NFRAMES vs_kernel_satp).

(* C: vs_lookup *)
(** The leaf entry for [va] in [p]'s tables, 0 if the path is not all there. *)
Definition vs_lookup (s : KState * VS) (p : nat) (va : N) : N :=
  if Z.eqb (vs_missing (fst s) (snd s) p va) 0 then vs_e0 (snd s) p va else 0.

(** The free frame [t] becomes a page table charged to [c] (the C's
    [table_claim]: [charge], then [frame_take]), exactly as [kobj_alloc]
    makes an [OT_PAGETABLE]. *)
Definition table_claim (st : State) (c t : nat) : State :=
  make_object (charge st c) t OT_PAGETABLE c.

(** A root table's first contents: zero, then the kernel's entries in
    order (the C's [table_init] with [root]). *)
Definition init_row (root : bool) : nat -> N :=
  if root then fold_left (fun r ie => upd r (fst ie) (snd ie)) vs_kroot (fun _ => 0%N)
  else fun _ => 0%N.

(** The C's [table_init]: zeroed (a root with the kernel half), and
    [p]'s ([pt_bind] of [Procs.v]: [pt_proc], [pt_proc_gen]). *)
Definition table_init (s : KState * VS) (p t : nat) (root : bool) : KState * VS :=
  (pt_bind (fst s) t p, set_row (snd s) t (init_row root)).

(** The C's [path_link]: the [n] lowest links are new. *)
Definition path_link (vs : VS) (p : nat) (va : N) (n t2 t1 t0 f : nat) (perm : N) : VS :=
  let vs1 := if n =? 3 then set_root vs p t2 (VS_SATP_SV39 + ppn_of t2) else vs in
  let vs2 := if 2 <=? n then set_pte vs1 t2 (vpn2 va) (link_pte t1) else vs1 in
  let vs3 := if 1 <=? n then set_pte vs2 t1 (vpn1 va) (link_pte t0) else vs2 in
  set_pte vs3 t0 (vpn0 va) (pte_of f perm).

(** The C's [map_build]: init the new tables, link, leaf, record (but
    for the record's slot half, [set_through], which [map_commit] adds:
    those fields are read by nothing else here). *)
Definition map_build (s : KState * VS) (p f : nat) (va perm : N)
                     (n t2 t1 t0 : nat) : KState * VS :=
  let s1 := if n =? 3 then table_init s p t2 true else s in
  let s2 := if 2 <=? n then table_init s1 p t1 false else s1 in
  let s3 := if 1 <=? n then table_init s2 p t0 false else s2 in
  let ks := fst s3 in
  (ks, set_record (path_link (snd s3) p va n t2 t1 t0 f perm) f p
         (p_gen (procs ks) p) (frame_gen (core ks) f) va).

(** The tables on [va]'s path after the commit: the new ones are the
    lowest free frames, the lowest the highest level (the C's [vs_map]
    passes [g1], [g2], [g3] to [map_commit] that way). *)
Definition new_t2 (ks : KState) (vs : VS) (p : nat) (n : nat) : nat :=
  if n =? 3 then free1 (core ks) else p_vroot vs p.
Definition new_t1 (ks : KState) (vs : VS) (p : nat) (va : N) (n : nat) : nat :=
  if n =? 3 then free2 (core ks) else if n =? 2 then free1 (core ks) else vs_t1 vs p va.
Definition new_t0 (ks : KState) (vs : VS) (p : nat) (va : N) (n : nat) : nat :=
  if n =? 3 then free3 (core ks) else if n =? 2 then free2 (core ks)
  else if n =? 1 then free1 (core ks) else vs_t0 vs p va.

(** The tables of the C's [map_commit]: claim the new tables from the
    top, then build. *)
Definition map_commit_tables (s : KState * VS) (p f : nat) (va perm : N)
                             (c n : nat) : KState * VS :=
  let ks := fst s in let vs := snd s in
  let t2 := new_t2 ks vs p n in
  let t1 := new_t1 ks vs p va n in
  let t0 := new_t0 ks vs p va n in
  let st0 := core ks in
  let st1 := if n =? 3 then table_claim st0 c t2 else st0 in
  let st2 := if 2 <=? n then table_claim st1 c t1 else st1 in
  let st3 := if 1 <=? n then table_claim st2 c t0 else st2 in
  map_build (with_core ks st3, vs) p f va perm n t2 t1 t0.

(** The C's [map_commit]: the tables, and the record's slot half (the
    C's [map_build] writes it with the rest of the record): made through
    slot [sl] of [cs]. *)
Definition map_commit (s : KState * VS) (p f : nat) (va perm : N)
                      (cs sl c n : nat) : KState * VS :=
  let s' := map_commit_tables s p f va perm c n in
  (fst s', set_through (snd s') f cs sl (frame_gen (core (fst s')) cs)).

(** The C preconditions of [vs_map] on its arguments (a live process, a
    user frame or device page, [perm_ok], no capability ([cs = NFRAMES])
    or a slot of a cspace whose capability looks up and resolves,
    [chain_ok]): a guard returning [E_BAD_ARG] here, as for the other
    operations. *)
Definition vs_map_pre (ks : KState) (p f : nat) (perm : N) (cs sl : nat) : bool :=
  proc_live ks p && (f <? NFRAMES) &&
  (is_type (core ks) f OT_FRAME || is_type (core ks) f OT_DEVICE) &&
  perm_ok perm && chain_ok (core ks) cs sl &&
  (Nat.eqb cs NFRAMES || (cspace_ok (core ks) cs && (sl <? NSLOTS))).

(* C: vs_map *)
(** Map frame [f] at [va] in [p]'s address space with [perm], recording
    the capability slot [sl] of [cs] it is mapped through ([cs =
    NFRAMES]: none, a boot mapping), and so every forwarder that
    capability resolves through. Every table the path lacks is checked
    for (room, then free frames) before any is made: a refused map
    changes nothing. *)
Definition vs_map (s : KState * VS) (p f : nat) (va perm : N)
                  (cs sl : nat) : error * (KState * VS) :=
  let ks := fst s in let vs := snd s in let st := core ks in
  match (check vs_map_pre ks p f perm cs sl else E_BAD_ARG ;;
         check va_ok va else E_BAD_ARG ;;
         check negb (mapping_live ks vs f) else E_MAPPED ;;
         let m := vs_missing ks vs p va in
         check (0 <=? m)%Z else E_MAPPED ;;
         check negb (Z.eqb m 0 && pte_valid (vs_e0 vs p va)) else E_MAPPED ;;
         let n := Z.to_nat m in
         let c := frame_owner st p in
         check (n =? 0) || vs_room st c n else E_OVER_LIMIT ;;
         check free_n st n else E_NO_MEMORY ;;
         Ok (map_commit s p f va perm cs sl c n)) with
  | Ok s' => (E_OK, s')
  | Err e => (e, s)
  end.

(* C: vs_unmap *)
(** Remove what is mapped at [va] in [p], and the mapped frame's record
    if it is this mapping's. The C precondition [p < NFRAMES] is a guard. *)
Definition vs_unmap (s : KState * VS) (p : nat) (va : N) : error * (KState * VS) :=
  let ks := fst s in let vs := snd s in
  match (check (p <? NFRAMES) else E_BAD_ARG ;;
         check va_ok va else E_BAD_ARG ;;
         check Z.eqb (vs_missing ks vs p va) 0 else E_NOT_MAPPED ;;
         let e := vs_e0 vs p va in
         check pte_valid e else E_NOT_MAPPED ;;
         let vs1 := set_pte vs (vs_t0 vs p va) (vpn0 va) 0 in
         let g := pte_child e in
         Ok (if (g <? NFRAMES) && m_used vs1 g && Nat.eqb (m_proc vs1 g) p &&
                N.eqb (m_va vs1 g) va
             then clear_used vs1 g else vs1)) with
  | Ok vs' => (E_OK, (ks, vs'))
  | Err e => (e, s)
  end.

(** The C's [unmap_record]: clear [f]'s leaf if its process is still the
    one that made the mapping and the entry still maps [f]. *)
Definition unmap_record (ks : KState) (vs : VS) (f : nat) : VS :=
  let q := m_proc vs f in
  let va := m_va vs f in
  if negb (proc_live ks q) || negb (N.eqb (p_gen (procs ks) q) (m_pgen vs f)) then vs
  else if negb (Z.eqb (vs_missing ks vs q va) 0) then vs
  else let e := vs_e0 vs q va in
       if pte_valid e && Nat.eqb (pte_child e) f
       then set_pte vs (vs_t0 vs q va) (vpn0 va) 0 else vs.

(* C: vs_reap_one *)
(** Frame [f]'s mapping, if it is no longer in force: its record
    forgotten, and its leaf cleared ([unmap_record]). *)
Definition vs_reap_one (ks : KState) (vs : VS) (f : nat) : VS :=
  if negb (m_used vs f) || mapping_live ks vs f then vs
  else clear_used (unmap_record ks vs f) f.

(** Frames [0 .. n-1] in order. *)
Fixpoint reap_pass (ks : KState) (vs : VS) (n : nat) : VS :=
  match n with
  | 0 => vs
  | S m => vs_reap_one ks (reap_pass ks vs m) m
  end.

(* C: vs_reap *)
(** One pass over the frames below [hi], the core's high-water mark
    [f_hi] (no frame at or above it ever held an object; the spec's
    [State] does not carry it, so the caller passes it). *)
Definition vs_reap (s : KState * VS) (hi : nat) : KState * VS :=
  (fst s, reap_pass (fst s) (snd s) hi).

(* C: vs_slot_gone *)
(** The capability in slot [sl] of [cs] was deleted: the slot's mark is
    cleared, so the mapping made through it ends, and the frame it named
    (if the mark names one) is reaped at once ([vs_reap_one]). *)
Definition vs_slot_gone (s : KState * VS) (cs sl : nat) : KState * VS :=
  let m := cap_mapped (snd s) cs sl in
  let vs1 := set_mark (snd s) cs sl 0 in
  if (1 <=? m) && (m <=? NFRAMES) then (fst s, vs_reap_one (fst s) vs1 (m - 1))
  else (fst s, vs1).

(** The C's loop of [vs_cspace_gone] over slots [0 .. n-1], in order:
    each slot's body is [vs_slot_gone]'s code (read the mark, clear it,
    reap the frame it names if [1 <= m <= NFRAMES]; the C calls
    [vs_reap_at], which has [vs_reap_one]'s effect). *)
Fixpoint cspace_gone_pass (s : KState * VS) (cs n : nat) : KState * VS :=
  match n with
  | 0 => s
  | S m => vs_slot_gone (cspace_gone_pass s cs m) cs m
  end.

(* C: vs_cspace_gone *)
(** Capability space [cs] died ([obj_gone], after [obj_free]): every
    slot's mark is cleared and the frame it names (if any) is reaped at
    once, slot 0 first. The C requires [frame_type[cs] != OT_CSPACE]
    (and [cs < NFRAMES]); the model is total. *)
Definition vs_cspace_gone (s : KState * VS) (cs : nat) : KState * VS :=
  cspace_gone_pass s cs NSLOTS.

(* C: vs_follow *)
(** The capability in slot [src] of [cs] moved to slot [dst] of [d]: the
    old slot's mark is cleared; if it named a frame whose record confirms
    it (made through [(cs, src)] while [cs] had its present generation),
    the record names [(d, dst)] and [d]'s generation, and [dst] is
    marked. *)
Definition vs_follow (s : KState * VS) (cs src d dst : nat) : KState * VS :=
  let ks := fst s in
  let m := cap_mapped (snd s) cs src in
  let vs1 := set_mark (snd s) cs src 0 in
  if (m =? 0) || (NFRAMES <? m) then (ks, vs1)
  else
    let f := m - 1 in
    if negb (Nat.eqb (m_cs vs1 f) cs) || negb (Nat.eqb (m_slot vs1 f) src) ||
       negb (N.eqb (m_csgen vs1 f) (frame_gen (core ks) cs))
    then (ks, vs1)
    else (ks, set_mark (set_slot_rec vs1 f d dst (frame_gen (core ks) d)) d dst m).

(** ** The system calls ([kernel/decode.c])

    [cs] is the caller's capability space, [cur] the caller; the other
    arguments are the registers, as [Decode.v]'s. *)

(* C: sys_map *)
(** SYS_MAP(proc, frame, va, perm): the process argument ([proc_arg]),
    the process existing ([E_BAD_STATE]), the permission ([perm_check]),
    the frame argument ([map_frame_lookup]); then [vs_map], through the
    frame argument's slot: the mapping lives as long as the capability
    stays there and every forwarder it resolves through lives
    ([path_live]). (The C passes the slot as [(uint32_t)frame], which is
    [slot32 frame] once the frame argument looked up.) *)
Definition sys_map (s : KState * VS) (cur cs : nat) (proc frame va perm : N)
  : error * (KState * VS) :=
  let ks := fst s in
  match proc_arg ks cur cs proc with
  | Err e => (e, s)
  | Ok p =>
      if negb (proc_live ks p) then (E_BAD_STATE, s)
      else if negb (perm_ok perm) then (E_BAD_ARG, s)
      else
        let sl := N.to_nat (slot32 frame) in
        match map_frame_lookup (core ks) cs sl perm with
        | Err e => (e, s)
        | Ok r => vs_map s p (cap_obj r) va perm cs sl
        end
  end.

(* C: sys_unmap *)
(** SYS_UNMAP(proc, va): the process argument, then [vs_unmap]. *)
Definition sys_unmap (s : KState * VS) (cur cs : nat) (proc va : N) : error * (KState * VS) :=
  match proc_arg (fst s) cur cs proc with
  | Err e => (e, s)
  | Ok p => vs_unmap s p va
  end.

(** SYS_CAP_DELETE(slot): [cap_delete], then, on success, [vs_slot_gone]:
    the mapping made through the deleted capability ends with it. C:
    sys_cap_delete (kernel/decode.c), which the syscall layer calls
    (arch-riscv/syscall.c, [delete_call], adds only the TLB fence). *)
(* C: sys_cap_delete *)
Definition sys_cap_delete (s : KState * VS) (cs : nat) (a0 : N) : error * (KState * VS) :=
  let ks := fst s in
  let sl := N.to_nat (slot32 a0) in
  let (e, st') := cap_delete (core ks) cs sl in
  if is_ok e then (E_OK, vs_slot_gone (with_core ks st', snd s) cs sl) else (e, s).

(* C: sys_cap_move *)
(** SYS_CAP_MOVE(src, dst cspace, dst): [Decode.sys_cap_move_caps]
    (the destination argument, then [cap_move]), and the mapping made
    through the capability follows it ([vs_follow]). *)
Definition sys_cap_move (s : KState * VS) (cs : nat) (a0 a1 a2 : N) : error * (KState * VS) :=
  let ks := fst s in
  match dst_cspace ks cs a1 with
  | Err e => (e, s)
  | Ok d =>
      let src := N.to_nat (slot32 a0) in
      let dst := N.to_nat (slot32 a2) in
      let (e, st') := cap_move (core ks) cs src d dst in
      if is_ok e then (E_OK, vs_follow (with_core ks st', snd s) cs src d dst) else (e, s)
  end.

(* C: obj_gone *)
(** After [obj_free] freed object [o] of type [t] (SYS_OBJ_FREE: the
    architecture layer reads the slot's type and object before the
    call): what [o] carried ends with it, each by the work its kind
    needs. Nothing unless [o < NFRAMES] and [o]'s frame is free or
    retired (in the state after the free); then a frame: its own mapping
    ([vs_reap_one], the C's [vs_reap_at]); a capability space: the
    mappings made through its slots ([vs_cspace_gone]); a forwarder:
    the reaper's pass below [hi] ([vs_reap]; [hi] is the C's [f_hi],
    which the core [State] does not carry); an endpoint or a
    notification: the waits on it cancelled ([waits_cancel], the
    processes' pass only: no page table is orphaned by their death); a
    process: [proc_reap]; any other type: nothing. *)
Definition obj_gone (s : KState * VS) (hi o : nat) (t : ObjType) : KState * VS :=
  let st := core (fst s) in
  if (NFRAMES <=? o) || negb (is_type st o OT_FREE || is_type st o OT_RETIRED) then s
  else match t with
       | OT_FRAME => (fst s, vs_reap_one (fst s) (snd s) o)
       | OT_CSPACE => vs_cspace_gone s o
       | OT_FORWARDER => vs_reap s hi
       | OT_ENDPOINT | OT_NOTIFICATION => (waits_cancel (fst s), snd s)
       | OT_PROCESS => (proc_reap (fst s), snd s)
       | _ => s
       end.

(** SYS_OBJ_FREE(container slot, object slot) as the syscall layer runs
    it since commit 37ad752a (arch-riscv/syscall.c, [obj_free_call]; no
    C function of this name): the object slot [s = slot32 a1]; its
    object and type read before the call ([NFRAMES] and [OT_FREE] for
    [s >= NSLOTS]); [obj_free]; on success [obj_gone] of what was read.
    (The TLB fence and the refusal log's reap that follow are the
    architecture's, not modelled.) [hi]: the C's [f_hi], as for
    [vs_reap]. *)
Definition sys_obj_free_c (s : KState * VS) (hi cs : nat) (a0 a1 : N) : error * (KState * VS) :=
  let ks := fst s in
  let sl := N.to_nat (slot32 a1) in
  let o := if sl <? NSLOTS then cap_obj (cap (core ks) cs sl) else NFRAMES in
  let t := if sl <? NSLOTS then cap_type (cap (core ks) cs sl) else OT_FREE in
  let (e, st') := obj_free (core ks) cs (N.to_nat (slot32 a0)) sl in
  if is_ok e then (E_OK, obj_gone (with_core ks st', snd s) hi o t) else (e, s).

(** ** Lemmas *)

Lemma upd2_eq : forall A (g : nat -> nat -> A) i j v, upd2 g i j v i j = v.
Proof. intros; unfold upd2; rewrite !upd_eq; reflexivity. Qed.

Lemma upd2_other : forall A (g : nat -> nat -> A) i j v x y,
  x <> i -> upd2 g i j v x y = g x y.
Proof. intros; unfold upd2; rewrite upd_neq by assumption; reflexivity. Qed.

Lemma pte_set_same : forall vs t i e, pt_entry (set_pte vs t i e) t i = e.
Proof. intros; apply upd2_eq. Qed.
Lemma pte_set_other : forall vs t i e x y, x <> t -> pt_entry (set_pte vs t i e) x y = pt_entry vs x y.
Proof. intros; apply upd2_other; assumption. Qed.
Lemma pte_row_other : forall vs t r x y, x <> t -> pt_entry (set_row vs t r) x y = pt_entry vs x y.
Proof. intros; cbn; rewrite upd_neq by assumption; reflexivity. Qed.

(** The two kinds of entry the core writes, read back. *)
Lemma link_entry : forall x, (x < VS_PPN_END)%N ->
  pte_valid (x * 1024 + VS_PTE_V) = true /\ pte_leaf (x * 1024 + VS_PTE_V) = false /\
  pte_ppn (x * 1024 + VS_PTE_V) = x.
Proof.
  unfold pte_valid, pte_leaf, pte_ppn, VS_PTE_V, VS_PPN_END; intros x H. repeat split.
  - replace (x*1024+1)%N with (1 + (x*512)*2)%N by lia. rewrite N.mod_add by lia. reflexivity.
  - replace (x*1024+1)%N with (1 + (x*512)*2)%N by lia. rewrite N.div_add by lia.
    change (1/2)%N with 0%N. replace (0 + x*512)%N with ((x*64)*8)%N by lia.
    rewrite N.mod_mul by lia. reflexivity.
  - replace (x*1024+1)%N with (1 + x*1024)%N by lia. rewrite N.div_add by lia.
    change (1/1024)%N with 0%N. rewrite N.mod_small; lia.
Qed.

Lemma leaf_entry : forall x perm, pte_valid (x * 1024 + pte_bits perm) = true.
Proof.
  unfold pte_valid, pte_bits, VS_PTE_V, VS_PTE_U, VS_PTE_AD; intros x p.
  replace (x * 1024 + (1 + 16 + 192 + p mod 2 * 2 + p / 2 mod 2 * 4 + p / 4 mod 2 * 8))%N
    with (1 + (x * 512 + 104 + p mod 2 + p / 2 mod 2 * 2 + p / 4 mod 2 * 4) * 2)%N by lia.
  rewrite N.mod_add by lia. reflexivity.
Qed.

Lemma link_pte_link : forall ks p t, ppn_wf -> t < NFRAMES -> pt_of ks p t = true ->
  pt_link ks p (link_pte t) = true /\ pte_child (link_pte t) = t.
Proof.
  intros ks p t W Ht Pt. destruct (W t Ht) as [Lt Bk].
  destruct (link_entry _ Lt) as (V & L & Pp). unfold link_pte, pt_link, pte_child.
  rewrite V, L, Pp, Bk, Pt. auto.
Qed.

Lemma pt_of_lt : forall ks p t, pt_of ks p t = true -> t < NFRAMES.
Proof. unfold pt_of; intros. repeat (apply andb_true_iff in H as [H ?]). apply Nat.ltb_lt; auto. Qed.

Lemma pt_of_type : forall ks p t, pt_of ks p t = true -> frame_type (core ks) t = OT_PAGETABLE.
Proof.
  unfold pt_of, is_type; intros. repeat (apply andb_true_iff in H as [H ?]).
  apply ot_eqb_eq; assumption.
Qed.

Lemma pt_link_of : forall ks p e, pt_link ks p e = true -> pt_of ks p (pte_child e) = true.
Proof. unfold pt_link; intros. repeat (apply andb_true_iff in H as [H ?]). assumption. Qed.

(** [pt_link] reads the core only through [pt_of] of the child. *)
Lemma pt_link_move : forall ks ks' p e, pt_link ks p e = true ->
  pt_of ks' p (pte_child e) = true -> pt_link ks' p e = true.
Proof.
  unfold pt_link; intros. apply andb_true_iff in H as [H _]. rewrite H, H0. reflexivity.
Qed.

(** Binding a table to [p] keeps every table of [p]'s. *)
Lemma pt_of_bind_keep : forall ks t p x, pt_of ks p x = true -> pt_of (pt_bind ks t p) p x = true.
Proof.
  unfold pt_of, pt_bind, with_procs, set_pt; cbn [core procs pt_proc pt_proc_gen p_gen]; intros ks t p x H.
  unfold upd; destruct (Nat.eqb_spec x t) as [->|]; [|exact H].
  repeat (apply andb_true_iff in H as [H ?]). rewrite H, H2, Nat.eqb_refl, N.eqb_refl. reflexivity.
Qed.

Lemma pt_of_bind_new : forall ks t p, t < NFRAMES -> frame_type (core ks) t = OT_PAGETABLE ->
  pt_of (pt_bind ks t p) p t = true.
Proof.
  unfold pt_of, pt_bind, with_procs, set_pt, is_type; cbn [core procs pt_proc pt_proc_gen p_gen]; intros ks t p H T.
  rewrite !upd_eq, T, Nat.eqb_refl, N.eqb_refl. apply Nat.ltb_lt in H. rewrite H. reflexivity.
Qed.

Lemma claim_type_same : forall st c t, frame_type (table_claim st c t) t = OT_PAGETABLE.
Proof. intros; cbn; apply upd_eq. Qed.
Lemma claim_type_other : forall st c t x, x <> t -> frame_type (table_claim st c t) x = frame_type st x.
Proof. intros; cbn; apply upd_neq; assumption. Qed.
Lemma claim_gen : forall st c t, frame_gen (table_claim st c t) = frame_gen st.
Proof. reflexivity. Qed.
Lemma claim_cap_other : forall st c t x, x <> t -> cap (table_claim st c t) x = cap st x.
Proof. intros; cbn; apply upd_neq; assumption. Qed.
Lemma claim_fw_other : forall st c t x, x <> t -> fw (table_claim st c t) x = fw st x.
Proof. intros; cbn; apply upd_neq; assumption. Qed.

(** [pt_of], [proc_live], the frame tests read only the types and
    generations of the core. *)
Lemma pt_of_core : forall ks st x p, frame_type st x = frame_type (core ks) x ->
  pt_of (with_core ks st) p x = pt_of ks p x.
Proof. unfold pt_of, is_type, with_core; cbn [core procs]; intros. rewrite H. reflexivity. Qed.

(** *** The free frames *)

Lemma lowest_free_go_spec : forall st k n,
  lowest_free_go st k n = NFRAMES \/
  (n <= lowest_free_go st k n /\ frame_type st (lowest_free_go st k n) = OT_FREE).
Proof.
  induction k; intros n; cbn; [left; reflexivity|].
  destruct (is_type st n OT_FREE) eqn:F.
  - right. split; [lia|]. apply ot_eqb_eq; exact F.
  - destruct (IHk (S n)) as [E|[L T]]; [left; exact E|right; split; [lia|exact T]].
Qed.

Lemma lowest_free_from_spec : forall st n, lowest_free_from st n < NFRAMES ->
  n <= lowest_free_from st n /\ frame_type st (lowest_free_from st n) = OT_FREE.
Proof.
  intros st n H. unfold lowest_free_from in *.
  destruct (lowest_free_go_spec st (NFRAMES - n) n) as [E|R]; [lia|exact R].
Qed.

(** *** Room *)

Lemma forall_below_intro : forall n (q : nat -> bool), (forall d, d < n -> q d = true) ->
  forall_below n q = true.
Proof.
  induction n; intros q H; cbn; [reflexivity|].
  rewrite IHn by (intros; apply H; lia). rewrite H by lia. reflexivity.
Qed.

Lemma vs_room_path_room : forall st c n, vs_room st c n = true -> path_room st c n.
Proof.
  unfold vs_room, path_room; intros st c n H d Hd.
  pose proof (forall_below_spec _ _ H d ltac:(lia)) as P. cbv beta in P.
  apply Nat.leb_le in P. exact P.
Qed.

Lemma path_room_can_charge : forall st c n, path_room st c (S n) -> can_charge st c = true.
Proof.
  unfold path_room, can_charge; intros st c n H. apply forall_below_intro. intros d Hd.
  apply Nat.leb_le. specialize (H d ltac:(lia)). lia.
Qed.

Lemma add_usage_path_le : forall st c a, add_usage_path st c 1 a <= c_usage st a + 1.
Proof. unfold add_usage_path; intros. destruct (in_subtree st c a); lia. Qed.

(** One table claimed: the invariant holds, [c] is still a container
    with room for one fewer, and only [t]'s type changed. *)
Lemma claim_step : forall st c t k,
  Invariant st -> is_container st c -> path_room st c (S k) ->
  t < NFRAMES -> frame_type st t = OT_FREE ->
  Invariant (table_claim st c t) /\ is_container (table_claim st c t) c /\
  path_room (table_claim st c t) c k.
Proof.
  intros st c t k I Cc R Ht Ft.
  assert (Nct : c <> t) by (intro; subst; destruct Cc as [_ T]; congruence).
  split; [|split].
  - apply alloc_Invariant; auto; [eapply path_room_can_charge; eassumption|discriminate..].
  - destruct Cc as [Hc Tc]. split; [exact Hc|]. rewrite claim_type_other by assumption. exact Tc.
  - unfold path_room in *. intros d Hd. cbn in Hd |- *.
    specialize (R d Hd). pose proof (add_usage_path_le st c (c_anc st c d)). lia.
Qed.

(** *** The walk *)

(** What each value of [vs_missing] says about the path. *)
Lemma vs_missing_cases : forall ks vs p va,
  (vs_missing ks vs p va = 3%Z /\ pt_of ks p (p_vroot vs p) = false) \/
  (vs_missing ks vs p va = 2%Z /\ pt_of ks p (p_vroot vs p) = true) \/
  (vs_missing ks vs p va = 1%Z /\ pt_of ks p (p_vroot vs p) = true /\
     pt_link ks p (vs_e2 vs p va) = true /\ vs_t1 vs p va <> p_vroot vs p) \/
  (vs_missing ks vs p va = 0%Z /\ pt_of ks p (p_vroot vs p) = true /\
     pt_link ks p (vs_e2 vs p va) = true /\ vs_t1 vs p va <> p_vroot vs p /\
     pt_link ks p (vs_e1 vs p va) = true /\ vs_t0 vs p va <> vs_t1 vs p va /\
     vs_t0 vs p va <> p_vroot vs p) \/
  vs_missing ks vs p va = (-1)%Z.
Proof.
  intros. unfold vs_missing.
  destruct (pt_of ks p (p_vroot vs p)) eqn:R; cbn [negb]; [|left; auto].
  destruct (pte_valid (vs_e2 vs p va)); cbn [negb]; [|right; left; auto].
  destruct (pt_link ks p (vs_e2 vs p va)) eqn:L2; cbn [negb orb]; [|auto].
  destruct (Nat.eqb_spec (vs_t1 vs p va) (p_vroot vs p)); cbn [orb]; [auto|].
  destruct (pte_valid (vs_e1 vs p va)); cbn [negb]; [|right; right; left; auto].
  destruct (pt_link ks p (vs_e1 vs p va)) eqn:L1; cbn [negb orb]; [|auto].
  destruct (Nat.eqb_spec (vs_t0 vs p va) (vs_t1 vs p va)); cbn [orb]; [auto|].
  destruct (Nat.eqb_spec (vs_t0 vs p va) (p_vroot vs p)); cbn [orb]; [auto|].
  right; right; right; left; auto 10.
Qed.

(** A built path: the root, two links to distinct tables of [p]'s. *)
Lemma walk_built : forall ks vs p va t2 t1 t0,
  p_vroot vs p = t2 -> pt_of ks p t2 = true ->
  pt_link ks p (pt_entry vs t2 (vpn2 va)) = true -> pte_child (pt_entry vs t2 (vpn2 va)) = t1 ->
  pt_link ks p (pt_entry vs t1 (vpn1 va)) = true -> pte_child (pt_entry vs t1 (vpn1 va)) = t0 ->
  t1 <> t2 -> t0 <> t1 -> t0 <> t2 ->
  vs_missing ks vs p va = 0%Z /\ vs_t0 vs p va = t0.
Proof.
  intros ks vs p va t2 t1 t0 R P2 L2 C2 L1 C1 N12 N01 N02.
  assert (E2 : vs_e2 vs p va = pt_entry vs t2 (vpn2 va)) by (unfold vs_e2; rewrite R; reflexivity).
  assert (T1 : vs_t1 vs p va = t1) by (unfold vs_t1; rewrite E2; exact C2).
  assert (E1 : vs_e1 vs p va = pt_entry vs t1 (vpn1 va)) by (unfold vs_e1; rewrite T1; reflexivity).
  assert (T0 : vs_t0 vs p va = t0) by (unfold vs_t0; rewrite E1; exact C1).
  split; [|exact T0].
  unfold vs_missing. rewrite R, P2, E2, L2, T1, E1, L1, T0.
  unfold pt_link in L2, L1. apply andb_true_iff in L2 as [L2 _]; apply andb_true_iff in L2 as [V2 _].
  apply andb_true_iff in L1 as [L1 _]; apply andb_true_iff in L1 as [V1 _].
  rewrite V2, V1. cbn.
  destruct (Nat.eqb_spec t1 t2); [contradiction|].
  destruct (Nat.eqb_spec t0 t1); [contradiction|].
  destruct (Nat.eqb_spec t0 t2); [contradiction|]. reflexivity.
Qed.

(** ** The success case of [vs_map], taken apart *)

Lemma vs_map_ok_inv : forall s p f va perm cs sl s',
  vs_map s p f va perm cs sl = (E_OK, s') ->
  vs_map_pre (fst s) p f perm cs sl = true /\ va_ok va = true /\
  mapping_live (fst s) (snd s) f = false /\
  (0 <= vs_missing (fst s) (snd s) p va)%Z /\
  (Z.to_nat (vs_missing (fst s) (snd s) p va) = 0 \/
   path_room (core (fst s)) (frame_owner (core (fst s)) p) (Z.to_nat (vs_missing (fst s) (snd s) p va))) /\
  free_n (core (fst s)) (Z.to_nat (vs_missing (fst s) (snd s) p va)) = true /\
  s' = map_commit s p f va perm cs sl (frame_owner (core (fst s)) p)
         (Z.to_nat (vs_missing (fst s) (snd s) p va)).
Proof.
  intros s p f va perm cs sl s' H. unfold vs_map in H. cbv zeta in H.
  match type of H with context [match ?r with _ => _ end] =>
    assert (NE : r <> Err E_OK) by no_eok; destruct r eqn:R end;
    inversion H; subst; [|congruence].
  peel R. apply Ok_inj in R.
  repeat match goal with G : guard _ _ = Ok _ |- _ => apply guard_ok in G end.
  match goal with G : negb (mapping_live _ _ _) = true |- _ => apply negb_true_iff in G end.
  match goal with G : (0 <=? _)%Z = true |- _ => apply Z.leb_le in G end.
  match goal with G : (_ =? 0) || vs_room _ _ _ = true |- _ =>
    apply orb_true_iff in G as [G|G]; [apply Nat.eqb_eq in G|apply vs_room_path_room in G] end;
  repeat split; auto.
Qed.

Lemma free_facts : forall st,
  (free1 st < NFRAMES -> frame_type st (free1 st) = OT_FREE) /\
  (free2 st < NFRAMES -> free1 st < free2 st /\ frame_type st (free2 st) = OT_FREE) /\
  (free3 st < NFRAMES -> free2 st < free3 st /\ frame_type st (free3 st) = OT_FREE).
Proof.
  intros st. unfold free3, free2, free1.
  split; [intro H; apply (lowest_free_from_spec st 0 H)|].
  split; intro H; destruct (lowest_free_from_spec _ _ H); split; auto; lia.
Qed.

Lemma is_type_true : forall st x t, is_type st x t = true <-> frame_type st x = t.
Proof. intros; unfold is_type; apply ot_eqb_eq. Qed.

Lemma proc_live_core : forall ks st' p,
  frame_type st' p = frame_type (core ks) p -> frame_gen st' = frame_gen (core ks) ->
  proc_live (with_core ks st') p = proc_live ks p.
Proof. intros. unfold proc_live, is_type, with_core; cbn [core procs]. rewrite H, H0. reflexivity. Qed.

Lemma is_type_same : forall st st' x t, frame_type st' x = frame_type st x -> is_type st' x t = is_type st x t.
Proof. intros. unfold is_type. rewrite H. reflexivity. Qed.

Lemma pt_bind_core : forall ks t p, core (pt_bind ks t p) = core ks.
Proof. reflexivity. Qed.
Lemma pt_bind_pgen : forall ks t p, p_gen (procs (pt_bind ks t p)) = p_gen (procs ks).
Proof. reflexivity. Qed.
Lemma pt_bind_live : forall ks t p q, proc_live (pt_bind ks t p) q = proc_live ks q.
Proof. reflexivity. Qed.

Ltac neq := solve [assumption | apply not_eq_sym; assumption | lia].

Ltac pte_simpl := repeat first
  [ rewrite pte_set_same
  | rewrite pte_set_other by neq
  | rewrite pte_row_other by neq ].

Ltac types := repeat first
  [ rewrite claim_type_same | rewrite claim_type_other by neq ].

Ltac ptof := repeat match goal with
  | |- pt_of (pt_bind _ ?t _) _ ?t = true =>
      apply pt_of_bind_new; [neq|cbn [core pt_bind with_procs with_core]; types; reflexivity]
  | |- pt_of (pt_bind _ _ _) _ _ = true => apply pt_of_bind_keep
  | |- pt_of (with_core _ _) _ _ = true =>
      rewrite pt_of_core; [assumption|cbn [core]; types; reflexivity]
  end.

(** Strip the writes of the commit that do not touch [pt_entry]. *)
Ltac vs_unfold := cbn [pt_entry p_vroot m_used m_proc m_pgen m_fgen set_record set_root].

(** An entry on the path after the commit, read back through the writes
    of [path_link] (used for each level of each case of [commit_facts]). *)
Ltac commit_entry v :=
  subst v; vs_unfold; unfold path_link; cbn [Nat.eqb Nat.leb]; pte_simpl; reflexivity.

(** The record of a commit ([set_record]) read back at its frame: one
    lemma for the four fields, used by every case of [commit_facts]. *)
Lemma set_record_fields : forall vs f p pg fg va,
  m_used (set_record vs f p pg fg va) f = true /\
  m_proc (set_record vs f p pg fg va) f = p /\
  m_pgen (set_record vs f p pg fg va) f = pg /\
  m_fgen (set_record vs f p pg fg va) f = fg.
Proof. intros; cbn [set_record m_used m_proc m_pgen m_fgen]; rewrite !upd_eq; auto. Qed.

(** The shape of each case of [commit_facts]: the three tables, the
    goals left (entries, walk, types), then the core's generations and
    process tables (unchanged by definition) and the record
    ([set_record_fields]). *)
Ltac commit_split P0 P1 P2 :=
  refine (conj P0 (conj P1 (conj P2 (conj _ (conj _ (conj _ (conj eq_refl (conj eq_refl
    (conj eq_refl (set_record_fields _ _ _ _ _ _)))))))))).

(** A walk built ([walk_built]) reads the leaf written. *)
Ltac walk_done :=
  match goal with Wm : vs_missing _ _ _ _ = 0%Z, Wt : vs_t0 _ _ _ = _, E0 : pt_entry _ _ _ = _ |- _ =>
    split; [exact Wm|]; unfold vs_e0; rewrite Wt; exact E0 end.

(** A frame that was not free keeps its type, its capabilities and its
    forwarder's target through the claims. *)
Ltac claims_other k :=
  let x := fresh "x" in let Hx := fresh "Hx" in let E := fresh "E" in
  intros x Hx; subst k;
  cbn [core pt_bind with_procs with_core];
  rewrite !claim_type_other, !claim_cap_other, !claim_fw_other;
    [split; [reflexivity|split; reflexivity]|intro E; subst x; congruence..].

(** The commit, for each number [n] of new tables: the three tables on
    the path are [p]'s, only they are written, the path is linked and
    the leaf written; the core changes only by the claims (a frame that
    was not free keeps its type, capabilities and forwarder target). *)
Lemma commit_facts : forall ks vs p f va perm n,
  Z.of_nat n = vs_missing ks vs p va -> free_n (core ks) n = true ->
  let t2 := new_t2 ks vs p n in let t1 := new_t1 ks vs p va n in
  let t0 := new_t0 ks vs p va n in
  let s' := map_commit_tables (ks, vs) p f va perm (frame_owner (core ks) p) n in
  pt_of (fst s') p t2 = true /\ pt_of (fst s') p t1 = true /\ pt_of (fst s') p t0 = true /\
  (forall x y, x <> t2 -> x <> t1 -> x <> t0 -> pt_entry (snd s') x y = pt_entry vs x y) /\
  (ppn_wf -> vs_missing (fst s') (snd s') p va = 0%Z /\ vs_e0 (snd s') p va = pte_of f perm) /\
  (forall x, frame_type (core ks) x <> OT_FREE ->
     frame_type (core (fst s')) x = frame_type (core ks) x /\
     cap (core (fst s')) x = cap (core ks) x /\ fw (core (fst s')) x = fw (core ks) x) /\
  frame_gen (core (fst s')) = frame_gen (core ks) /\
  p_state (procs (fst s')) = p_state (procs ks) /\ p_gen (procs (fst s')) = p_gen (procs ks) /\
  m_used (snd s') f = true /\ m_proc (snd s') f = p /\
  m_pgen (snd s') f = p_gen (procs ks) p /\ m_fgen (snd s') f = frame_gen (core ks) f.
Proof.
  intros ks vs p f va perm n M Fn.
  destruct (free_facts (core ks)) as (F1 & F2 & F3).
  set (c := frame_owner (core ks) p).
  destruct (vs_missing_cases ks vs p va)
    as [(M' & R)|[(M' & R)|[(M' & R & L2 & N2)|[(M' & R & L2 & N2 & L1 & N1 & N0)|M']]]];
    rewrite M' in M; [assert (E : n = 3) by lia|assert (E : n = 2) by lia
                     |assert (E : n = 1) by lia|assert (E : n = 0) by lia|lia]; subst n;
    unfold free_n in Fn; cbn [Nat.leb negb orb andb] in Fn;
    repeat match goal with G : _ && _ = true |- _ => apply andb_true_iff in G as [? ?] end;
    repeat match goal with G : (_ <? _) = true |- _ => apply Nat.ltb_lt in G end;
    cbv zeta;
    cbn [map_commit_tables map_build table_init new_t2 new_t1 new_t0 path_link fst snd Nat.eqb Nat.leb].
  all: match goal with |- pt_of ?k _ _ = true /\ _ => set (ks' := k) end.
  all: match goal with |- context [pt_entry (set_record ?v ?a ?b ?c ?d ?e)] =>
         set (vs' := set_record v a b c d e) end.
  - (* n = 3: a root and two tables, all new *)
    destruct F3 as [L3 T3]; [assumption|]. destruct F2 as [Lt2 T2]; [assumption|].
    specialize (F1 ltac:(assumption)).
    set (g1 := free1 (core ks)) in *. set (g2 := free2 (core ks)) in *.
    set (g3 := free3 (core ks)) in *.
    assert (D12 : g1 <> g2) by lia. assert (D13 : g1 <> g3) by lia. assert (D23 : g2 <> g3) by lia.
    assert (P1 : pt_of ks' p g1 = true) by (subst ks'; ptof).
    assert (P2 : pt_of ks' p g2 = true) by (subst ks'; ptof).
    assert (P3 : pt_of ks' p g3 = true) by (subst ks'; ptof).
    commit_split P1 P2 P3.
    + intros x y X1 X2 X3. subst vs'. vs_unfold. unfold path_link. cbn [Nat.eqb Nat.leb].
      pte_simpl. vs_unfold. pte_simpl. reflexivity.
    + intro W. destruct (link_pte_link ks' p g2 W ltac:(lia) P2) as [K2 C2].
      destruct (link_pte_link ks' p g3 W ltac:(lia) P3) as [K3 C3].
      assert (E2 : pt_entry vs' g1 (vpn2 va) = link_pte g2)
        by commit_entry vs'.
      assert (E1 : pt_entry vs' g2 (vpn1 va) = link_pte g3)
        by commit_entry vs'.
      assert (E0 : pt_entry vs' g3 (vpn0 va) = pte_of f perm)
        by commit_entry vs'.
      assert (Rt : p_vroot vs' p = g1) by (subst vs'; vs_unfold; unfold path_link; cbn [Nat.eqb Nat.leb]; vs_unfold; apply upd_eq).
      destruct (walk_built ks' vs' p va g1 g2 g3) as [Wm Wt]; try rewrite E2; try rewrite E1; auto.
      walk_done.
    + claims_other ks'.
  - (* n = 2: the root is there, two new tables below it *)
    destruct F2 as [Lt2 T2]; [assumption|]. specialize (F1 ltac:(assumption)).
    set (g1 := free1 (core ks)) in *. set (g2 := free2 (core ks)) in *.
    set (vr := p_vroot vs p) in *.
    assert (TR : frame_type (core ks) vr = OT_PAGETABLE) by (apply (pt_of_type ks p); exact R).
    assert (Lr : vr < NFRAMES) by (apply (pt_of_lt ks p); exact R).
    assert (D12 : g1 <> g2) by lia.
    assert (Dr1 : vr <> g1) by (intro E; rewrite E in TR; congruence).
    assert (Dr2 : vr <> g2) by (intro E; rewrite E in TR; congruence).
    assert (P0 : pt_of ks' p vr = true) by (subst ks'; ptof).
    assert (P1 : pt_of ks' p g1 = true) by (subst ks'; ptof).
    assert (P2 : pt_of ks' p g2 = true) by (subst ks'; ptof).
    commit_split P0 P1 P2.
    + intros x y X1 X2 X3. subst vs'. vs_unfold. unfold path_link. cbn [Nat.eqb Nat.leb].
      pte_simpl. reflexivity.
    + intro W. destruct (link_pte_link ks' p g1 W ltac:(lia) P1) as [K1 C1].
      destruct (link_pte_link ks' p g2 W ltac:(lia) P2) as [K2 C2].
      assert (E2 : pt_entry vs' vr (vpn2 va) = link_pte g1)
        by commit_entry vs'.
      assert (E1 : pt_entry vs' g1 (vpn1 va) = link_pte g2)
        by commit_entry vs'.
      assert (E0 : pt_entry vs' g2 (vpn0 va) = pte_of f perm)
        by commit_entry vs'.
      assert (Rt : p_vroot vs' p = vr) by (subst vs'; reflexivity).
      destruct (walk_built ks' vs' p va vr g1 g2) as [Wm Wt]; try rewrite E2; try rewrite E1; auto.
      walk_done.
    + claims_other ks'.
  - (* n = 1: root and level-1 table there, a new level-0 table *)
    specialize (F1 ltac:(assumption)).
    set (g1 := free1 (core ks)) in *.
    set (vr := p_vroot vs p) in *. set (u1 := vs_t1 vs p va) in *.
    assert (Pu : pt_of ks p u1 = true) by exact (pt_link_of _ _ _ L2).
    assert (TR : frame_type (core ks) vr = OT_PAGETABLE) by (apply (pt_of_type ks p); exact R).
    assert (TU : frame_type (core ks) u1 = OT_PAGETABLE) by (apply (pt_of_type ks p); exact Pu).
    assert (Dr1 : vr <> g1) by (intro E; rewrite E in TR; congruence).
    assert (Du1 : u1 <> g1) by (intro E; rewrite E in TU; congruence).
    assert (P0 : pt_of ks' p vr = true) by (subst ks'; ptof).
    assert (P1 : pt_of ks' p u1 = true) by (subst ks'; ptof).
    assert (P2 : pt_of ks' p g1 = true) by (subst ks'; ptof).
    commit_split P0 P1 P2.
    + intros x y X1 X2 X3. subst vs'. vs_unfold. unfold path_link. cbn [Nat.eqb Nat.leb].
      pte_simpl. reflexivity.
    + intro W. destruct (link_pte_link ks' p g1 W ltac:(lia) P2) as [K1 C1].
      assert (E2 : pt_entry vs' vr (vpn2 va) = vs_e2 vs p va)
        by commit_entry vs'.
      assert (E1 : pt_entry vs' u1 (vpn1 va) = link_pte g1)
        by commit_entry vs'.
      assert (E0 : pt_entry vs' g1 (vpn0 va) = pte_of f perm)
        by commit_entry vs'.
      assert (Rt : p_vroot vs' p = vr) by (subst vs'; reflexivity).
      assert (K2 : pt_link ks' p (vs_e2 vs p va) = true) by exact (pt_link_move ks ks' p _ L2 P1).
      destruct (walk_built ks' vs' p va vr u1 g1) as [Wm Wt]; try rewrite E2; try rewrite E1; auto.
      walk_done.
    + claims_other ks'.
  - (* n = 0: the whole path is there, only the leaf is written *)
    set (vr := p_vroot vs p) in *. set (u1 := vs_t1 vs p va) in *. set (u0 := vs_t0 vs p va) in *.
    assert (Pu1 : pt_of ks p u1 = true) by exact (pt_link_of _ _ _ L2).
    assert (Pu0 : pt_of ks p u0 = true) by exact (pt_link_of _ _ _ L1).
    assert (P0 : pt_of ks' p vr = true) by (subst ks'; ptof).
    assert (P1 : pt_of ks' p u1 = true) by (subst ks'; ptof).
    assert (P2 : pt_of ks' p u0 = true) by (subst ks'; ptof).
    commit_split P0 P1 P2.
    + intros x y X1 X2 X3. subst vs'. vs_unfold. unfold path_link. cbn [Nat.eqb Nat.leb].
      pte_simpl. reflexivity.
    + intro W.
      assert (E2 : pt_entry vs' vr (vpn2 va) = vs_e2 vs p va)
        by commit_entry vs'.
      assert (E1 : pt_entry vs' u1 (vpn1 va) = vs_e1 vs p va)
        by commit_entry vs'.
      assert (E0 : pt_entry vs' u0 (vpn0 va) = pte_of f perm)
        by commit_entry vs'.
      assert (Rt : p_vroot vs' p = vr) by (subst vs'; reflexivity).
      assert (K2 : pt_link ks' p (vs_e2 vs p va) = true) by exact (pt_link_move ks ks' p _ L2 P1).
      assert (K1 : pt_link ks' p (vs_e1 vs p va) = true) by exact (pt_link_move ks ks' p _ L1 P2).
      destruct (walk_built ks' vs' p va vr u1 u0) as [Wm Wt]; try rewrite E2; try rewrite E1; auto.
      walk_done.
    + intros x Hx. subst ks'. split; [reflexivity|split; reflexivity].
Qed.


(** *** The slot's chain ([chain_ok], [path_live]) *)

Lemma is_ok_eq : forall e, is_ok e = true <-> e = E_OK.
Proof. intros []; cbn; split; congruence. Qed.

(** A lookup of any type with no right: the slot exists and holds a
    valid capability. *)
Lemma lookup_any_ok : forall st cs s,
  lookup_err st cs s None false false = E_OK <-> s < NSLOTS /\ cap_valid st (cap st cs s) = true.
Proof.
  intros st cs s. unfold lookup_err, lookup, bind, guard.
  destruct (Nat.ltb_spec s NSLOTS) as [L|L];
    [|split; [discriminate|intros [L' _]; lia]].
  destruct (ot_eqb (cap_type (cap st cs s)) OT_FREE) eqn:F; cbn [negb].
  - split; [discriminate|]. intros [_ V]. unfold cap_valid in V. rewrite F in V. discriminate V.
  - destruct (cap_valid st (cap st cs s)); cbn; split; intros; auto; try discriminate.
    destruct H; discriminate.
Qed.

Lemma lookup_any_is_ok : forall st cs s,
  is_ok (lookup_err st cs s None false false) = (s <? NSLOTS) && cap_valid st (cap st cs s).
Proof.
  intros st cs s. unfold lookup_err, lookup, bind, guard.
  destruct (s <? NSLOTS); [|reflexivity]. cbn [andb].
  destruct (ot_eqb (cap_type (cap st cs s)) OT_FREE) eqn:F; cbn [negb].
  - unfold cap_valid. rewrite F. reflexivity.
  - destruct (cap_valid st (cap st cs s)); reflexivity.
Qed.

(** *** The chain written out ([fw_link_ok], [chain_ok0] .. [chain_ok4],
    [slot_resolves]) is the chain looked up and resolved *)

(** The recursion [chain_ok0] .. [chain_ok4] spell out, one level a
    step ([chain_ok4_okn]: they are its instance at [MAXFWD]). *)
Fixpoint chain_okn (st : State) (n : nat) (t : ObjType) (o : nat) : bool :=
  match n with
  | 0 => chain_ok0 st t o
  | S m => negb (ot_eqb t OT_FORWARDER) ||
           (fw_link_ok st o && chain_okn st m (cap_type (fw st o)) (cap_obj (fw st o)))
  end.

Lemma chain_ok4_okn : forall st t o, chain_ok4 st t o = chain_okn st MAXFWD t o.
Proof. reflexivity. Qed.

Lemma fw_link_ok_iff : forall st o, fw_link_ok st o = true <->
  o < NFRAMES /\ cap_obj (fw st o) < NFRAMES /\ cap_valid st (fw st o) = true.
Proof.
  intros st o. unfold fw_link_ok, cap_valid. cbv zeta.
  rewrite !andb_true_iff, !Nat.ltb_lt. split.
  - intros ((((Ho & NF) & Hb) & T) & G). repeat split; assumption.
  - intros (Ho & Hb & (NF & T) & G). repeat split; assumption.
Qed.

(** Without any invariant, the written-out chain is a resolve. *)
Lemma chain_okn_err : forall st n k,
  chain_okn st n (cap_type k) (cap_obj k) = true -> chain_err st n k = E_OK.
Proof.
  intros st n. induction n as [|n IH]; intros k H; cbn [chain_okn chain_err] in *;
    unfold chain_ok0 in *.
  - destruct (ot_eqb (cap_type k) OT_FORWARDER); [discriminate|reflexivity].
  - destruct (ot_eqb (cap_type k) OT_FORWARDER); [|reflexivity]. cbn [negb orb] in H.
    apply andb_true_iff in H as [L H]. apply fw_link_ok_iff in L as (_ & _ & V).
    rewrite V. exact (IH _ H).
Qed.

(** Conversely, when every object on the way is in range (what
    [caps_wf] and [fws_wf] give). *)
Lemma err_chain_okn : forall st n k,
  (forall w, cap_obj (fw st w) < NFRAMES) -> cap_obj k < NFRAMES ->
  chain_err st n k = E_OK -> chain_okn st n (cap_type k) (cap_obj k) = true.
Proof.
  intros st n. induction n as [|n IH]; intros k B Bk H; cbn [chain_okn chain_err] in *;
    unfold chain_ok0 in *.
  - destruct (ot_eqb (cap_type k) OT_FORWARDER); [discriminate|reflexivity].
  - destruct (ot_eqb (cap_type k) OT_FORWARDER); [|reflexivity]. cbn [negb orb].
    destruct (cap_valid st (fw st (cap_obj k))) eqn:V; [|discriminate].
    apply andb_true_iff; split; [apply fw_link_ok_iff; auto|]. apply IH; auto.
Qed.

(** The C's [slot_resolves] implies the model's lookup and resolve, with
    no invariant (the C's ghost lemma [chain_unrolled] proves the other
    direction, under [Inv]). *)
Theorem slot_resolves_ok : forall st cs s, slot_resolves st cs s = true ->
  lookup_err st cs s None false false = E_OK /\ resolve_err st (cap st cs s) = E_OK.
Proof.
  intros st cs s H. unfold slot_resolves in H. cbv zeta in H. rewrite chain_ok4_okn in H.
  apply andb_true_iff in H as [H C]. split.
  - apply lookup_any_ok. unfold cap_valid. rewrite !andb_true_iff, !Nat.ltb_lt in H.
    destruct H as ((((Hs & NF) & _) & T) & G). split; [exact Hs|].
    rewrite NF, T, G. reflexivity.
  - apply chain_okn_err. exact C.
Qed.

(** The model's lookup and resolve imply [slot_resolves] under the
    capability invariant [caps_inv] (of it, only the bound [cap_obj <
    NFRAMES] of the slot's capability and of every forwarder's target is
    used: the model's tables are total functions, so a capability to an
    object past [NFRAMES] may look up and resolve, [slot_resolves_needs_bound]).
    The C's [chain_unrolled]. *)
Theorem ok_slot_resolves : forall st cs s, caps_inv st ->
  lookup_err st cs s None false false = E_OK -> resolve_err st (cap st cs s) = E_OK ->
  slot_resolves st cs s = true.
Proof.
  intros st cs s [CW FW] L R. apply lookup_any_ok in L as [Hs V].
  destruct (CW cs s) as [[_ B] _].
  unfold slot_resolves. cbv zeta. rewrite chain_ok4_okn.
  rewrite (err_chain_okn st MAXFWD (cap st cs s)); [|intro w; apply (FW w)|exact B|exact R].
  unfold cap_valid in V. apply andb_true_iff in V as [V G]. apply andb_true_iff in V as [NF T].
  rewrite (proj2 (Nat.ltb_lt _ _) Hs), NF, (proj2 (Nat.ltb_lt _ _) B), T, G. reflexivity.
Qed.

Theorem slot_resolves_iff : forall st cs s, caps_inv st ->
  (slot_resolves st cs s = true <->
   lookup_err st cs s None false false = E_OK /\ resolve_err st (cap st cs s) = E_OK).
Proof.
  intros st cs s I. split; [apply slot_resolves_ok|intros [L R]; exact (ok_slot_resolves st cs s I L R)].
Qed.

(** The invariant is needed for [ok_slot_resolves]: without it, a
    capability to an object past [NFRAMES] (whose table entries a total
    function still gives) looks up and resolves. *)
Lemma slot_resolves_needs_bound : 0 < NSLOTS -> exists st,
  lookup_err st 0 0 None false false = E_OK /\ resolve_err st (cap st 0 0) = E_OK /\
  slot_resolves st 0 0 = false.
Proof.
  intros Hs.
  exists (mkState (fun _ => OT_FRAME) (fun _ => 0) (fun _ => 0%N) (fun _ => 0) (fun _ => 0)
            (fun _ => 0) (fun _ => 0) (fun _ _ => 0)
            (fun _ _ => mkCap OT_FRAME NFRAMES 0%N false false false 0%N) (fun _ => null_cap) 0).
  apply Nat.ltb_lt in Hs.
  unfold lookup_err, lookup, bind, guard, slot_resolves, resolve_err. cbv zeta.
  cbn [cap cap_obj cap_type cap_gen frame_type frame_gen]. rewrite Hs, Nat.ltb_irrefl.
  split; [reflexivity|split; [reflexivity|reflexivity]].
Qed.

(** The model's [path_live] is the C's: [m_cs[f] == NFRAMES ||
    slot_resolves(m_cs[f], m_slot[f])], under [caps_inv]. *)
Theorem path_live_slot_resolves : forall ks vs f, caps_inv (core ks) ->
  path_live ks vs f =
  (Nat.eqb (m_cs vs f) NFRAMES || slot_resolves (core ks) (m_cs vs f) (m_slot vs f)).
Proof.
  intros ks vs f I. unfold path_live, chain_ok.
  destruct (Nat.eqb (m_cs vs f) NFRAMES); [reflexivity|]. cbn [orb].
  apply eq_true_iff_eq. rewrite andb_true_iff, !is_ok_eq, slot_resolves_iff by exact I.
  apply iff_refl.
Qed.

(** One direction needs no invariant: the C's [path_live] implies the
    model's. *)
Lemma slot_resolves_path_live : forall ks vs f,
  (Nat.eqb (m_cs vs f) NFRAMES || slot_resolves (core ks) (m_cs vs f) (m_slot vs f)) = true ->
  path_live ks vs f = true.
Proof.
  intros ks vs f H. unfold path_live, chain_ok.
  apply orb_true_iff in H as [H|H]; [rewrite H; reflexivity|].
  apply slot_resolves_ok in H as [L R]. rewrite L, R. apply orb_true_r.
Qed.

Lemma valid_not_free_type : forall st k, cap_valid st k = true ->
  frame_type st (cap_obj k) = cap_type k /\ cap_type k <> OT_FREE.
Proof.
  intros st k V. unfold cap_valid in V. apply andb_true_iff in V as [V _].
  apply andb_true_iff in V as [V T]. split; [apply ot_eqb_eq; exact T|].
  intro E. rewrite E in V. discriminate V.
Qed.

(** What a map does to the frames ([map_commit]: its tables were free
    frames): every frame that was not free keeps its type, capabilities
    and forwarder target, every generation stays (the C's
    [types_grown]). *)
Definition grown (st st' : State) : Prop :=
  (forall x, frame_type st x <> OT_FREE ->
     frame_type st' x = frame_type st x /\ cap st' x = cap st x /\ fw st' x = fw st x) /\
  frame_gen st' = frame_gen st.

Lemma valid_grown : forall st st' k, grown st st' -> cap_valid st k = true -> cap_valid st' k = true.
Proof.
  intros st st' k [T G] V. destruct (valid_not_free_type st k V) as [Tk Nk].
  assert (Nf : frame_type st (cap_obj k) <> OT_FREE) by (rewrite Tk; exact Nk).
  unfold cap_valid in *. rewrite (proj1 (T _ Nf)), G. exact V.
Qed.

(** A chain that resolves still does after such a change (the C's
    [chain_grown]). *)
Lemma chain_err_grown : forall st st' n k, grown st st' -> cap_valid st k = true ->
  chain_err st n k = E_OK -> chain_err st' n k = E_OK.
Proof.
  intros st st' n. induction n as [|n IH]; intros k Gr V H; cbn [chain_err] in *; [exact H|].
  destruct (ot_eqb (cap_type k) OT_FORWARDER); [|reflexivity].
  destruct (valid_not_free_type st k V) as [Tk Nk].
  assert (Nf : frame_type st (cap_obj k) <> OT_FREE) by (rewrite Tk; exact Nk).
  destruct Gr as [T G]. rewrite (proj2 (proj2 (T _ Nf))).
  destruct (cap_valid st (fw st (cap_obj k))) eqn:Vt; [|discriminate].
  rewrite (valid_grown st st' _ (conj T G) Vt). apply IH; [split; assumption|exact Vt|exact H].
Qed.

Lemma chain_ok_grown : forall st st' cs s, grown st st' ->
  (cs <> NFRAMES -> frame_type st cs <> OT_FREE) ->
  chain_ok st cs s = true -> chain_ok st' cs s = true.
Proof.
  intros st st' cs s Gr Nc H. unfold chain_ok in *.
  destruct (Nat.eqb_spec cs NFRAMES) as [|Ne]; [reflexivity|]. cbn [orb] in *.
  apply andb_true_iff in H as [Lk Rs]. apply is_ok_eq in Lk. apply is_ok_eq in Rs.
  apply lookup_any_ok in Lk as [Ls V].
  assert (Ec : cap st' cs s = cap st cs s) by (destruct Gr as [T _]; rewrite (proj1 (proj2 (T _ (Nc Ne)))); reflexivity).
  apply andb_true_iff. rewrite !is_ok_eq, lookup_any_ok, Ec. split; [split; [exact Ls|]|].
  - exact (valid_grown st st' _ Gr V).
  - unfold resolve_err in *. exact (chain_err_grown st st' MAXFWD _ Gr V Rs).
Qed.

(** The walk reads only [pt_entry] and [p_vroot]. *)
Lemma vs_walk_ext : forall ks vs vs' p va,
  pt_entry vs' = pt_entry vs -> p_vroot vs' = p_vroot vs ->
  vs_missing ks vs' p va = vs_missing ks vs p va /\ vs_e0 vs' p va = vs_e0 vs p va.
Proof.
  intros. unfold vs_missing, vs_e0, vs_t0, vs_e1, vs_t1, vs_e2. rewrite H, H0. auto.
Qed.

(** The commit is the tables' commit and the record's slot half. *)
Lemma commit_through : forall ks vs p f va perm cs sl c n,
  let s0 := map_commit_tables (ks, vs) p f va perm c n in
  let s' := map_commit (ks, vs) p f va perm cs sl c n in
  fst s' = fst s0 /\ pt_entry (snd s') = pt_entry (snd s0) /\
  p_vroot (snd s') = p_vroot (snd s0) /\
  m_used (snd s') = m_used (snd s0) /\ m_proc (snd s') = m_proc (snd s0) /\
  m_pgen (snd s') = m_pgen (snd s0) /\ m_fgen (snd s') = m_fgen (snd s0) /\
  m_va (snd s') = m_va (snd s0) /\
  m_cs (snd s') f = cs /\ m_slot (snd s') f = sl /\
  (cs < NFRAMES -> m_csgen (snd s') f = frame_gen (core (fst s0)) cs /\
                   cap_mapped (snd s') cs sl = S f).
Proof.
  intros until n. cbv zeta. unfold map_commit. cbv zeta. cbn [fst snd set_through pt_entry p_vroot
    m_used m_proc m_pgen m_fgen m_va m_cs m_slot m_csgen cap_mapped].
  rewrite !upd_eq. do 10 (split; [reflexivity|]).
  intro L. apply Nat.ltb_lt in L. rewrite L. rewrite upd_eq, upd2_eq. split; reflexivity.
Qed.

(** ** The theorems *)

Lemma error_eq_dec : forall a b : error, {a = b} + {a <> b}.
Proof. decide equality. Defined.

(** 1. A refused [vs_map] changes nothing. *)
Theorem vs_map_refused : forall s p f va perm cs sl e s',
  vs_map s p f va perm cs sl = (e, s') -> e <> E_OK -> s' = s.
Proof.
  intros s p f va perm cs sl e s' H NE. unfold vs_map in H. cbv zeta in H.
  match type of H with context [match ?r with _ => _ end] => destruct r end;
    inversion H; subst; [congruence|reflexivity].
Qed.

(** The commit facts, from a successful [vs_map]. *)
Lemma vs_map_commit : forall ks vs p f va perm cs sl s',
  vs_map (ks, vs) p f va perm cs sl = (E_OK, s') ->
  let n := Z.to_nat (vs_missing ks vs p va) in
  Z.of_nat n = vs_missing ks vs p va /\ free_n (core ks) n = true /\
  vs_map_pre ks p f perm cs sl = true /\
  (n = 0 \/ path_room (core ks) (frame_owner (core ks) p) n) /\
  s' = map_commit (ks, vs) p f va perm cs sl (frame_owner (core ks) p) n.
Proof.
  intros ks vs p f va perm cs sl s' H.
  apply vs_map_ok_inv in H as (Pre & _ & _ & Z0 & Rm & Fr & E). cbn [fst snd] in *.
  repeat split; auto. rewrite Z2Nat.id by exact Z0. reflexivity.
Qed.

(** 2. [vs_map] writes only into [p]'s own tables (as they are after it). *)
Theorem vs_map_only_mine : forall s p f va perm cs sl e s',
  vs_map s p f va perm cs sl = (e, s') ->
  forall t i, pt_entry (snd s') t i <> pt_entry (snd s) t i -> pt_of (fst s') p t = true.
Proof.
  intros [ks vs] p f va perm cs sl e s' H t i D.
  destruct (error_eq_dec e E_OK) as [->|NE];
    [|apply vs_map_refused in H; [subst; contradiction|exact NE]].
  apply vs_map_commit in H as (M & Fr & _ & _ & ->).
  destruct (commit_facts ks vs p f va perm _ M Fr) as (P2 & P1 & P0 & Un & _).
  destruct (commit_through ks vs p f va perm cs sl (frame_owner (core ks) p)
              (Z.to_nat (vs_missing ks vs p va))) as (Fs & Pe & _).
  cbn [snd] in D. rewrite Pe in D. rewrite Fs.
  destruct (Nat.eq_dec t (new_t2 ks vs p (Z.to_nat (vs_missing ks vs p va)))) as [->|N2]; [exact P2|].
  destruct (Nat.eq_dec t (new_t1 ks vs p va (Z.to_nat (vs_missing ks vs p va)))) as [->|N1]; [exact P1|].
  destruct (Nat.eq_dec t (new_t0 ks vs p va (Z.to_nat (vs_missing ks vs p va)))) as [->|N0]; [exact P0|].
  exfalso. apply D. apply Un; assumption.
Qed.

(** 3. A successful [vs_map]: the walk reaches the new leaf, and the
    frame's mapping is in force. *)
Theorem vs_map_ok : forall s p f va perm cs sl s',
  ppn_wf -> vs_map s p f va perm cs sl = (E_OK, s') ->
  vs_mapped (fst s') (snd s') p va = true /\ vs_e0 (snd s') p va = pte_of f perm /\
  mapping_live (fst s') (snd s') f = true /\ m_cs (snd s') f = cs /\ m_slot (snd s') f = sl.
Proof.
  intros [ks vs] p f va perm cs sl s' W H.
  apply vs_map_commit in H as (M & Fr & Pre & _ & ->).
  destruct (commit_facts ks vs p f va perm _ M Fr)
    as (_ & _ & _ & _ & Wk & Ty & Ge & Ps & Pg & Mu & Mp & Mg & Mf).
  destruct (commit_through ks vs p f va perm cs sl (frame_owner (core ks) p)
              (Z.to_nat (vs_missing ks vs p va)))
    as (Fs & Pe & Pr & Eu & Ep & Eg & Ef & _ & Cs & Sl & Sg).
  set (s0 := map_commit_tables (ks, vs) p f va perm (frame_owner (core ks) p)
               (Z.to_nat (vs_missing ks vs p va))) in *.
  destruct (Wk W) as [Wm We].
  destruct (vs_walk_ext (fst s0) (snd s0)
              (snd (map_commit (ks, vs) p f va perm cs sl (frame_owner (core ks) p)
                     (Z.to_nat (vs_missing ks vs p va)))) p va Pe Pr) as [Xm Xe].
  rewrite Fs, Xe. split; [|split; [exact We|split; [|split; assumption]]].
  - unfold vs_mapped. rewrite Xm, Xe, Wm, We. cbn [Z.eqb andb]. unfold pte_of. apply leaf_entry.
  - unfold vs_map_pre in Pre.
    apply andb_true_iff in Pre as [Pre Ps0].
    apply andb_true_iff in Pre as [Pre Pp]. apply andb_true_iff in Pre as [Pre _].
    apply andb_true_iff in Pre as [Pre Ft]. apply andb_true_iff in Pre as [Pl _].
    assert (Gr : grown (core ks) (core (fst s0))) by (split; [exact Ty|exact Ge]).
    assert (Tp : frame_type (core ks) p = OT_PROCESS)
      by (unfold proc_live in Pl; repeat (apply andb_true_iff in Pl as [Pl ?]);
          apply is_type_true; assumption).
    assert (Tf : frame_type (core ks) f <> OT_FREE)
      by (intro E; unfold is_type in Ft; rewrite E in Ft; discriminate Ft).
    unfold mapping_live, path_live. cbv zeta. rewrite Eu, Ep, Eg, Ef, Mu, Mp, Mg, Mf, Cs, Sl.
    match goal with |- context [proc_live ?k p] =>
      assert (Lp : proc_live k p = true) by
        (unfold proc_live in *; rewrite Ps, Pg, Ge,
           (is_type_same (core ks) (core k) p OT_PROCESS (proj1 (Ty p ltac:(rewrite Tp; discriminate))));
         exact Pl);
      rewrite Lp end.
    rewrite Pg, N.eqb_refl, Ge, N.eqb_refl.
    rewrite (is_type_same (core ks) _ f OT_FRAME (proj1 (Ty f Tf))),
      (is_type_same (core ks) _ f OT_DEVICE (proj1 (Ty f Tf))), Ft.
    cbn [andb]. apply andb_true_iff; split.
    { apply (chain_ok_grown (core ks)); [exact Gr| |exact Pp].
      intro Nc. apply orb_true_iff in Ps0 as [Ps0|Ps0]; [apply Nat.eqb_eq in Ps0; contradiction|].
      apply andb_true_iff in Ps0 as [Cc _]. unfold cspace_ok in Cc.
      apply andb_true_iff in Cc as [_ Tc]. intro E. unfold is_type in Tc. rewrite E in Tc. discriminate Tc. }
    unfold slot_live. rewrite Cs, Sl.
    destruct (Nat.eqb_spec cs NFRAMES) as [_|NC]; [reflexivity|]. cbn [orb].
    apply orb_true_iff in Ps0 as [Ps0|Ps0]; [discriminate Ps0|].
    apply andb_true_iff in Ps0 as [Cc Ls]. unfold cspace_ok in Cc.
    apply andb_true_iff in Cc as [Lc Tc]. apply Nat.ltb_lt in Lc.
    destruct (Sg Lc) as [-> ->]. rewrite Ls, Ge, N.eqb_refl, Nat.eqb_refl.
    apply Nat.ltb_lt in Lc. rewrite Lc.
    assert (Tcs : frame_type (core ks) cs <> OT_FREE)
      by (intro E; unfold is_type in Tc; rewrite E in Tc; discriminate Tc).
    rewrite (is_type_same (core ks) _ cs OT_CSPACE (proj1 (Ty cs Tcs))), Tc. reflexivity.
Qed.

(** 4. [vs_map] keeps the core invariant: its tables are charged like
    [kobj_alloc]'s objects ([alloc_Invariant]). *)
Theorem vs_map_Invariant : forall s p f va perm cs sl e s',
  Invariant (core (fst s)) -> vs_map s p f va perm cs sl = (e, s') -> Invariant (core (fst s')).
Proof.
  intros [ks vs] p f va perm cs sl e s' I H.
  destruct (error_eq_dec e E_OK) as [->|NE];
    [|apply vs_map_refused in H; [subst; exact I|exact NE]].
  apply vs_map_commit in H as (M & Fr & Pre & Rm & ->). cbn [fst] in I.
  set (c := frame_owner (core ks) p) in *.
  assert (Cc : is_container (core ks) c).
  { unfold vs_map_pre in Pre. apply andb_true_iff in Pre as [Pre _].
    apply andb_true_iff in Pre as [Pre _].
    apply andb_true_iff in Pre as [Pre _]. apply andb_true_iff in Pre as [Pre _].
    apply andb_true_iff in Pre as [Pl _].
    unfold proc_live in Pl. repeat (apply andb_true_iff in Pl as [Pl ?]).
    destruct I as [_ (FW & _)]. apply (FW p (proj1 (Nat.ltb_lt _ _) Pl)).
    unfold live. match goal with G : is_type _ p OT_PROCESS = true |- _ =>
      apply is_type_true in G; rewrite G end. reflexivity. }
  destruct (free_facts (core ks)) as (F1 & F2 & F3).
  destruct (vs_missing_cases ks vs p va)
    as [(M' & _)|[(M' & _)|[(M' & _)|[(M' & _)|M']]]];
    rewrite M' in M, Rm, Fr |- *; cbv [Z.to_nat Pos.to_nat Pos.iter_op Nat.add] in Rm, Fr |- *;
    [| | | |lia];
    unfold free_n in Fr; cbn [Nat.leb negb orb andb] in Fr;
    repeat match goal with G : _ && _ = true |- _ => apply andb_true_iff in G as [? ?] end;
    repeat match goal with G : (_ <? _) = true |- _ => apply Nat.ltb_lt in G end;
    unfold map_commit, map_commit_tables, map_build, table_init, new_t2, new_t1, new_t0; cbv zeta;
    cbn [fst snd Nat.eqb Nat.leb core pt_bind with_procs with_core].
  - destruct Rm as [Rm|Rm]; [discriminate|].
    destruct F3 as [L3 T3]; [assumption|]. destruct F2 as [L2 T2]; [assumption|].
    specialize (F1 ltac:(assumption)).
    destruct (claim_step (core ks) c (free1 (core ks)) 2 I Cc Rm ltac:(assumption) F1) as (I1 & C1 & R1).
    destruct (claim_step _ c (free2 (core ks)) 1 I1 C1 R1 ltac:(assumption)) as (I2 & C2 & R2);
      [rewrite claim_type_other by lia; exact T2|].
    destruct (claim_step _ c (free3 (core ks)) 0 I2 C2 R2 ltac:(assumption)) as (I3 & _ & _);
      [rewrite !claim_type_other by lia; exact T3|exact I3].
  - destruct Rm as [Rm|Rm]; [discriminate|].
    destruct F2 as [L2 T2]; [assumption|]. specialize (F1 ltac:(assumption)).
    destruct (claim_step (core ks) c (free1 (core ks)) 1 I Cc Rm ltac:(assumption) F1) as (I1 & C1 & R1).
    destruct (claim_step _ c (free2 (core ks)) 0 I1 C1 R1 ltac:(assumption)) as (I2 & _ & _);
      [rewrite claim_type_other by lia; exact T2|exact I2].
  - destruct Rm as [Rm|Rm]; [discriminate|].
    specialize (F1 ltac:(assumption)).
    destruct (claim_step (core ks) c (free1 (core ks)) 0 I Cc Rm ltac:(assumption) F1) as (I1 & _ & _).
    exact I1.
  - exact I.
Qed.

(** 5. [vs_unmap]: a refusal changes nothing; a success removes the
    mapping (the path is still there, its leaf is 0) and leaves the core
    and process tables alone. *)
Theorem vs_unmap_refused : forall s p va e s',
  vs_unmap s p va = (e, s') -> e <> E_OK -> s' = s.
Proof.
  intros s p va e s' H NE. unfold vs_unmap in H. cbv zeta in H.
  match type of H with context [match ?r with _ => _ end] => destruct r end;
    inversion H; subst; [congruence|reflexivity].
Qed.

Theorem vs_unmap_ok : forall s p va s',
  vs_unmap s p va = (E_OK, s') ->
  fst s' = fst s /\ vs_missing (fst s') (snd s') p va = 0%Z /\ vs_e0 (snd s') p va = 0%N /\
  vs_mapped (fst s') (snd s') p va = false.
Proof.
  intros [ks vs] p va s' H. unfold vs_unmap in H. cbv zeta in H.
  match type of H with context [match ?r with _ => _ end] =>
    assert (NE : r <> Err E_OK) by no_eok; destruct r eqn:R end;
    inversion H; subst; [|congruence].
  peel R. apply Ok_inj in R. cbn [fst snd] in *.
  repeat match goal with G : guard _ _ = Ok _ |- _ => apply guard_ok in G end.
  match goal with G : Z.eqb _ 0 = true |- _ => apply Z.eqb_eq in G; rename G into M end.
  set (vs1 := set_pte vs (vs_t0 vs p va) (vpn0 va) 0) in *.
  assert (Ex : pt_entry v = pt_entry vs1 /\ p_vroot v = p_vroot vs1)
    by (rewrite <- R; match goal with |- context [if ?b then _ else _] => destruct b end;
        split; reflexivity).
  destruct Ex as [Ee Er].
  destruct (vs_missing_cases ks vs p va)
    as [(M' & _)|[(M' & _)|[(M' & _)|[(M' & Rt & L2 & N2 & L1 & N1 & N0)|M']]]];
    rewrite M' in M; try discriminate.
  set (vr := p_vroot vs p) in *. set (u1 := vs_t1 vs p va) in *. set (u0 := vs_t0 vs p va) in *.
  assert (E2 : pt_entry vs1 vr (vpn2 va) = vs_e2 vs p va)
    by (subst vs1; rewrite pte_set_other by neq; reflexivity).
  assert (E1 : pt_entry vs1 u1 (vpn1 va) = vs_e1 vs p va)
    by (subst vs1; rewrite pte_set_other by neq; reflexivity).
  destruct (walk_built ks vs1 p va vr u1 u0) as [Wm Wt]; try rewrite E2; try rewrite E1; auto.
  destruct (vs_walk_ext ks vs1 v p va Ee Er) as [Xm Xe].
  assert (Z0 : vs_e0 vs1 p va = 0%N) by (unfold vs_e0; rewrite Wt; subst vs1; apply pte_set_same).
  split; [reflexivity|]. unfold vs_mapped. rewrite Xm, Xe, Wm, Z0.
  exact (conj eq_refl (conj eq_refl eq_refl)).
Qed.

(** 6. After [vs_reap] every frame below the bound whose record is used
    is [mapping_live], and every record in force is kept; the core and
    process tables are unchanged. *)
(** [slot_live] reads the record's slot half and the marks. *)
Lemma slot_live_ext : forall ks vs vs' g,
  m_cs vs' g = m_cs vs g -> m_csgen vs' g = m_csgen vs g -> m_slot vs' g = m_slot vs g ->
  cap_mapped vs' = cap_mapped vs -> slot_live ks vs' g = slot_live ks vs g.
Proof. intros. unfold slot_live. rewrite H, H0, H1, H2. reflexivity. Qed.

Lemma mapping_live_record : forall ks vs vs' g,
  m_used vs' g = m_used vs g -> m_proc vs' g = m_proc vs g -> m_pgen vs' g = m_pgen vs g ->
  m_fgen vs' g = m_fgen vs g -> m_cs vs' g = m_cs vs g -> m_slot vs' g = m_slot vs g ->
  slot_live ks vs' g = slot_live ks vs g ->
  mapping_live ks vs' g = mapping_live ks vs g.
Proof. intros. unfold mapping_live, path_live. rewrite H, H0, H1, H2, H3, H4, H5. reflexivity. Qed.

Lemma unmap_record_m : forall ks vs f,
  m_used (unmap_record ks vs f) = m_used vs /\ m_proc (unmap_record ks vs f) = m_proc vs /\
  m_pgen (unmap_record ks vs f) = m_pgen vs /\ m_fgen (unmap_record ks vs f) = m_fgen vs /\
  m_cs (unmap_record ks vs f) = m_cs vs /\
  m_csgen (unmap_record ks vs f) = m_csgen vs /\ m_slot (unmap_record ks vs f) = m_slot vs /\
  cap_mapped (unmap_record ks vs f) = cap_mapped vs.
Proof.
  intros. unfold unmap_record. cbv zeta.
  repeat match goal with |- context [if ?b then _ else _] => destruct b end;
  repeat split.
Qed.

(** [vs_reap_one] writes no slot half and no mark. *)
Lemma reap_one_marks : forall ks vs f,
  m_cs (vs_reap_one ks vs f) = m_cs vs /\ m_csgen (vs_reap_one ks vs f) = m_csgen vs /\
  m_slot (vs_reap_one ks vs f) = m_slot vs /\ cap_mapped (vs_reap_one ks vs f) = cap_mapped vs.
Proof.
  intros. unfold vs_reap_one. destruct (_ || _); [repeat split|].
  destruct (unmap_record_m ks vs f) as (_ & _ & _ & _ & A & B & C & D).
  cbn [clear_used m_cs m_csgen m_slot cap_mapped]. rewrite A, B, C, D. repeat split.
Qed.

Lemma reap_one_slot_live : forall ks vs f g,
  slot_live ks (vs_reap_one ks vs f) g = slot_live ks vs g.
Proof.
  intros. destruct (reap_one_marks ks vs f) as (A & B & C & D).
  apply slot_live_ext; [rewrite A|rewrite B|rewrite C|]; auto.
Qed.

Lemma reap_one_other : forall ks vs f g, g <> f ->
  m_used (vs_reap_one ks vs f) g = m_used vs g /\ m_proc (vs_reap_one ks vs f) g = m_proc vs g /\
  m_pgen (vs_reap_one ks vs f) g = m_pgen vs g /\ m_fgen (vs_reap_one ks vs f) g = m_fgen vs g /\
  m_cs (vs_reap_one ks vs f) g = m_cs vs g /\ m_slot (vs_reap_one ks vs f) g = m_slot vs g.
Proof.
  intros ks vs f g Ng. unfold vs_reap_one.
  destruct (_ || _); [repeat split|].
  destruct (unmap_record_m ks vs f) as (A & B & C & D & E & _ & F & _).
  cbn [clear_used m_used m_proc m_pgen m_fgen m_cs m_slot]. rewrite upd_neq by assumption.
  rewrite A, B, C, D, E, F. repeat split.
Qed.

Lemma reap_one_same : forall ks vs f,
  (m_used (vs_reap_one ks vs f) f = true -> mapping_live ks (vs_reap_one ks vs f) f = true) /\
  (m_used vs f = true -> mapping_live ks vs f = true -> vs_reap_one ks vs f = vs).
Proof.
  intros. unfold vs_reap_one. split.
  - destruct (negb (m_used vs f) || mapping_live ks vs f) eqn:E.
    + intro U. apply orb_true_iff in E as [E|E]; [rewrite U in E; discriminate|exact E].
    + cbn [clear_used m_used]. rewrite upd_eq. discriminate.
  - intros U L. rewrite U, L. reflexivity.
Qed.

Theorem vs_reap_live : forall s hi s',
  vs_reap s hi = s' -> fst s' = fst s /\
  (forall g, g < hi -> m_used (snd s') g = true -> mapping_live (fst s') (snd s') g = true).
Proof.
  intros [ks vs] hi s' <-. cbn [vs_reap fst snd]. split; [reflexivity|].
  induction hi as [|m IH]; [intros; lia|]. cbn [reap_pass].
  set (v := reap_pass ks vs m) in *.
  intros g Hg U. destruct (Nat.eq_dec g m) as [->|Ng].
  - apply (proj1 (reap_one_same ks v m)); exact U.
  - destruct (reap_one_other ks v m g Ng) as (A & B & C & D & E & F).
    rewrite (mapping_live_record ks v _ g A B C D E F (reap_one_slot_live ks v m g)).
    rewrite A in U. apply IH; [lia|exact U].
Qed.

(** ** A mapping lives as long as its capability stays in its slot *)

Lemma upd2_neq : forall A (g : nat -> nat -> A) i j v x y,
  x <> i \/ y <> j -> upd2 g i j v x y = g x y.
Proof.
  intros A g i j v x y H. unfold upd2, upd.
  destruct (Nat.eqb_spec x i) as [->|]; [|reflexivity].
  destruct (Nat.eqb_spec y j) as [->|]; [destruct H; congruence|reflexivity].
Qed.

Lemma vs_eta : forall ks : KState, with_core ks (core ks) = ks.
Proof. intros []; reflexivity. Qed.

Lemma mapping_live_slot : forall ks vs f,
  mapping_live ks vs f = true -> slot_live ks vs f = true.
Proof. unfold mapping_live; intros. apply andb_true_iff in H as [_ H]. exact H. Qed.

(** A slot of a cspace whose mark is 0 has no mapping in force. *)
Lemma slot_live_unmarked : forall ks vs cs sl f,
  cs < NFRAMES -> cap_mapped vs cs sl = 0 -> m_cs vs f = cs -> m_slot vs f = sl ->
  slot_live ks vs f = false.
Proof.
  intros ks vs cs sl f L M C S. unfold slot_live. rewrite C, S, M.
  destruct (Nat.eqb_spec cs NFRAMES); [lia|]. cbn [orb]. rewrite !andb_false_r. reflexivity.
Qed.

(** The mark of a slot whose mapping is in force names it. *)
Lemma slot_live_marked : forall ks vs f,
  slot_live ks vs f = true -> m_cs vs f < NFRAMES ->
  cap_mapped vs (m_cs vs f) (m_slot vs f) = S f /\
  frame_gen (core ks) (m_cs vs f) = m_csgen vs f /\ m_slot vs f < NSLOTS.
Proof.
  unfold slot_live; intros ks vs f H L. apply orb_true_iff in H as [H|H].
  - apply Nat.eqb_eq in H. lia.
  - repeat (apply andb_true_iff in H as [H ?]).
    repeat match goal with G : Nat.eqb _ _ = true |- _ => apply Nat.eqb_eq in G
                      | G : N.eqb _ _ = true |- _ => apply N.eqb_eq in G
                      | G : (_ <? _) = true |- _ => apply Nat.ltb_lt in G end.
    auto.
Qed.

(** [chain_ok] reads the core only through the slot's capability, the
    frames' types and generations and the forwarders' targets. *)
Lemma chain_err_ext : forall st st' n k,
  frame_type st' = frame_type st -> frame_gen st' = frame_gen st -> fw st' = fw st ->
  chain_err st' n k = chain_err st n k.
Proof.
  intros st st' n k T G F.
  assert (V : forall k, cap_valid st' k = cap_valid st k)
    by (intro; unfold cap_valid; rewrite T, G; reflexivity).
  revert k. induction n as [|n IH]; intro k; cbn [chain_err]; [reflexivity|].
  rewrite F, V, IH. reflexivity.
Qed.

Lemma chain_ok_ext : forall st st' cs s,
  frame_type st' = frame_type st -> frame_gen st' = frame_gen st -> fw st' = fw st ->
  cap st' cs s = cap st cs s -> chain_ok st' cs s = chain_ok st cs s.
Proof.
  intros st st' cs s T G F C. unfold chain_ok, resolve_err.
  rewrite (chain_err_ext st st' MAXFWD _ T G F), C.
  assert (L : lookup_err st' cs s None false false = lookup_err st cs s None false false).
  { unfold lookup_err, lookup, cap_valid. rewrite C, T, G. reflexivity. }
  rewrite L. reflexivity.
Qed.

(** [mapping_live] reads the core only through the frames' types and
    generations, the forwarders' targets and the capability in the
    record's slot. *)
Lemma mapping_live_core : forall ks st' vs f,
  frame_type st' = frame_type (core ks) -> frame_gen st' = frame_gen (core ks) ->
  fw st' = fw (core ks) -> cap st' (m_cs vs f) (m_slot vs f) = cap (core ks) (m_cs vs f) (m_slot vs f) ->
  mapping_live (with_core ks st') vs f = mapping_live ks vs f.
Proof.
  intros ks st' vs f T G F C. unfold mapping_live, path_live, slot_live, proc_live, is_type.
  cbn [core procs with_core]. rewrite (chain_ok_ext (core ks) st' _ _ T G F C), T, G. reflexivity.
Qed.

(** The mark of slot [sl] of [cs] changed: every mapping made through
    another slot is as it was. *)
Lemma mapping_live_mark : forall ks vs cs sl m f,
  ~ (m_cs vs f = cs /\ m_slot vs f = sl) ->
  mapping_live ks (set_mark vs cs sl m) f = mapping_live ks vs f.
Proof.
  intros ks vs cs sl m f N. apply mapping_live_record; try reflexivity.
  unfold slot_live. cbn [set_mark m_cs m_csgen m_slot cap_mapped].
  rewrite upd2_neq; [reflexivity|].
  destruct (Nat.eq_dec (m_cs vs f) cs); [right|left; assumption]. intro; tauto.
Qed.

Lemma slot_live_at : forall ks vs vs' g,
  m_cs vs' g = m_cs vs g -> m_csgen vs' g = m_csgen vs g -> m_slot vs' g = m_slot vs g ->
  cap_mapped vs' (m_cs vs g) (m_slot vs g) = cap_mapped vs (m_cs vs g) (m_slot vs g) ->
  slot_live ks vs' g = slot_live ks vs g.
Proof. intros. unfold slot_live. rewrite H, H0, H1, H2. reflexivity. Qed.

(** A frame reaped by [vs_reap_one]: any other frame's mapping is as it
    was, and a mapping in force is not reaped. *)
Lemma reap_one_live : forall ks vs g f,
  mapping_live ks vs f = true -> mapping_live ks (vs_reap_one ks vs g) f = true.
Proof.
  intros ks vs g f L. destruct (Nat.eq_dec f g) as [->|N].
  - rewrite (proj2 (reap_one_same ks vs g)); [exact L| |exact L].
    unfold mapping_live in L. repeat (apply andb_true_iff in L as [L ?]). exact L.
  - destruct (reap_one_other ks vs g f N) as (A & B & C & D & E & F).
    rewrite (mapping_live_record ks vs _ f A B C D E F (reap_one_slot_live ks vs g f)). exact L.
Qed.

Lemma cap_delete_ok : forall st cs sl st',
  cap_delete st cs sl = (E_OK, st') ->
  cspace_ok st cs = true /\ sl < NSLOTS /\ st' = set_cap st cs sl null_cap.
Proof.
  unfold cap_delete, commit, bind, guard; intros st cs sl st' H.
  destruct (cspace_ok st cs); [|discriminate].
  destruct (sl <? NSLOTS) eqn:L; [|discriminate].
  destruct (negb _); [|discriminate]. inversion H. apply Nat.ltb_lt in L. auto.
Qed.

Lemma cap_delete_err : forall st cs sl e st',
  cap_delete st cs sl = (e, st') -> e <> E_OK -> st' = st.
Proof.
  unfold cap_delete; intros. apply commit_cases in H as [[_ ->]| ->]; [congruence|reflexivity].
Qed.

Lemma cap_move_ok : forall st cs src d dst st',
  cap_move st cs src d dst = (E_OK, st') ->
  cspace_ok st cs = true /\ cspace_ok st d = true /\ src < NSLOTS /\ dst < NSLOTS /\
  (d <> cs \/ dst <> src) /\ frame_type st' = frame_type st /\ frame_gen st' = frame_gen st.
Proof.
  unfold cap_move, commit; intros st cs src d dst st' H.
  destruct (cspace_ok st cs && cspace_ok st d) eqn:C; cbn in H; [|discriminate].
  apply andb_true_iff in C as [C1 C2].
  destruct (lookup st cs src None false false) as [k|] eqn:L; cbn in H;
    [|inversion H; subst; apply lookup_no_eok in L; contradiction].
  destruct (free_dst st d dst) as [u|] eqn:F; cbn in H;
    [|inversion H; subst; apply free_dst_no_eok in F; contradiction].
  inversion H; subst; clear H.
  apply lookup_ok in L as (-> & Ls & V & _). apply free_dst_ok in F as [Ld Fd].
  repeat split; auto.
  destruct (Nat.eq_dec d cs) as [->|]; [right|left; assumption]. intros ->.
  unfold cap_valid in V. rewrite Fd in V. discriminate V.
Qed.

(** What a successful [cap_move] does to the capability tables: the
    destination slot holds the source's capability, the others but the
    source are as they were; no forwarder's target changes. *)
Lemma cap_move_caps : forall st cs src d dst st',
  cap_move st cs src d dst = (E_OK, st') ->
  fw st' = fw st /\ cap st' d dst = cap st cs src /\
  (forall x y, ~ (x = cs /\ y = src) -> ~ (x = d /\ y = dst) -> cap st' x y = cap st x y).
Proof.
  intros st cs src d dst st' H. pose proof (cap_move_ok _ _ _ _ _ _ H) as (_ & _ & _ & _ & Nd & _ & _).
  unfold cap_move, commit in H.
  destruct (cspace_ok st cs && cspace_ok st d) eqn:C; cbn in H; [|discriminate].
  destruct (lookup st cs src None false false) as [k|] eqn:L; cbn in H;
    [|inversion H; subst; apply lookup_no_eok in L; contradiction].
  destruct (free_dst st d dst) as [u|] eqn:F; cbn in H;
    [|inversion H; subst; apply free_dst_no_eok in F; contradiction].
  inversion H; subst; clear H. apply lookup_ok in L as (-> & _).
  split; [reflexivity|split].
  - rewrite set_cap_other by (intro E; inversion E; subst; destruct Nd; congruence).
    apply set_cap_same.
  - intros x y N1 N2. rewrite !set_cap_other; [reflexivity|intro E; inversion E; subst; tauto..].
Qed.

Lemma cap_move_err : forall st cs src d dst e st',
  cap_move st cs src d dst = (e, st') -> e <> E_OK -> st' = st.
Proof.
  unfold cap_move; intros. apply commit_cases in H as [[_ ->]| ->]; [congruence|reflexivity].
Qed.

Lemma is_ok_true : forall e, is_ok e = true -> e = E_OK.
Proof. intros []; cbn; congruence. Qed.
Lemma is_ok_false : forall e, is_ok e = false -> e <> E_OK.
Proof. intros [] H; cbn in H; congruence. Qed.

(** What [sys_cap_delete] is, taken apart. *)
Lemma sys_cap_delete_cases : forall s cs a0 e s',
  sys_cap_delete s cs a0 = (e, s') ->
  (e <> E_OK /\ s' = s /\ exists st', cap_delete (core (fst s)) cs (N.to_nat (slot32 a0)) = (e, st')
                                      /\ st' = core (fst s)) \/
  (e = E_OK /\ exists st', cap_delete (core (fst s)) cs (N.to_nat (slot32 a0)) = (E_OK, st') /\
     s' = vs_slot_gone (with_core (fst s) st', snd s) cs (N.to_nat (slot32 a0))).
Proof.
  intros [ks vs] cs a0 e s' H. unfold sys_cap_delete in H. cbn [fst snd] in *.
  destruct (cap_delete (core ks) cs (N.to_nat (slot32 a0))) as [e1 st1] eqn:D.
  destruct (is_ok e1) eqn:O; inversion H; subst; clear H.
  - apply is_ok_true in O. subst. right. eauto.
  - apply is_ok_false in O. left. repeat split; auto. exists st1. split; [reflexivity|].
    eapply cap_delete_err; eassumption.
Qed.

(** What [vs_slot_gone] does: the slot's mark is 0, the other marks and
    every record's slot half are as they were, and a mapping in force
    that was not made through the slot stays in force. *)
Lemma vs_slot_gone_facts : forall ks vs cs sl,
  let s' := vs_slot_gone (ks, vs) cs sl in
  fst s' = ks /\ cap_mapped (snd s') = upd2 (cap_mapped vs) cs sl 0 /\
  m_cs (snd s') = m_cs vs /\ m_slot (snd s') = m_slot vs /\
  (forall f, mapping_live ks vs f = true -> ~ (m_cs vs f = cs /\ m_slot vs f = sl) ->
             mapping_live ks (snd s') f = true).
Proof.
  intros ks vs cs sl. cbv zeta. unfold vs_slot_gone. cbn [fst snd].
  set (vs1 := set_mark vs cs sl 0).
  assert (K : forall f, mapping_live ks vs f = true -> ~ (m_cs vs f = cs /\ m_slot vs f = sl) ->
                        mapping_live ks vs1 f = true)
    by (intros f L N; subst vs1; rewrite mapping_live_mark by exact N; exact L).
  destruct (_ && _); cbn [fst snd].
  - destruct (reap_one_marks ks vs1 (cap_mapped vs cs sl - 1)) as (A & _ & C & D).
    rewrite A, C, D. do 4 (split; [reflexivity|]).
    intros f L N. apply reap_one_live. apply K; assumption.
  - do 4 (split; [reflexivity|]). exact K.
Qed.

(** (a) After a successful SYS_CAP_DELETE of slot [sl] of [cs], no
    mapping in force was made through that slot. *)
Theorem sys_cap_delete_unmaps : forall s cs a0 s',
  sys_cap_delete s cs a0 = (E_OK, s') ->
  forall f, slot_maps (fst s') (snd s') cs (N.to_nat (slot32 a0)) f = false.
Proof.
  intros [ks vs] cs a0 s' H f.
  apply sys_cap_delete_cases in H as [(NE & _)|(_ & st' & D & ->)]; [congruence|].
  cbn [fst snd] in *. apply cap_delete_ok in D as (C & _ & _).
  unfold cspace_ok in C. apply andb_true_iff in C as [Lc _]. apply Nat.ltb_lt in Lc.
  destruct (vs_slot_gone_facts (with_core ks st') vs cs (N.to_nat (slot32 a0)))
    as (F & M & Cs & Sl & _).
  unfold slot_maps. rewrite F.
  destruct (Nat.eqb_spec (m_cs (snd (vs_slot_gone (with_core ks st', vs) cs (N.to_nat (slot32 a0)))) f) cs)
    as [Ec|]; [|rewrite andb_false_r; reflexivity].
  destruct (Nat.eqb_spec (m_slot (snd (vs_slot_gone (with_core ks st', vs) cs (N.to_nat (slot32 a0)))) f)
              (N.to_nat (slot32 a0))) as [Es|]; [|rewrite andb_false_r; reflexivity].
  rewrite !andb_true_r. unfold mapping_live.
  rewrite (slot_live_unmarked _ _ cs (N.to_nat (slot32 a0)) f Lc); [rewrite andb_false_r; reflexivity| |assumption|assumption].
  rewrite M. apply upd2_eq.
Qed.

(** (b) Every mapping in force before a successful SYS_CAP_DELETE that
    was not made through the deleted slot is in force after it. *)
Theorem sys_cap_delete_kept : forall s cs a0 s' f,
  sys_cap_delete s cs a0 = (E_OK, s') ->
  mapping_live (fst s) (snd s) f = true ->
  ~ (m_cs (snd s) f = cs /\ m_slot (snd s) f = N.to_nat (slot32 a0)) ->
  mapping_live (fst s') (snd s') f = true.
Proof.
  intros [ks vs] cs a0 s' f H L N.
  apply sys_cap_delete_cases in H as [(NE & _)|(_ & st' & D & ->)]; [congruence|].
  cbn [fst snd] in *. apply cap_delete_ok in D as (_ & _ & ->).
  destruct (vs_slot_gone_facts (with_core ks (set_cap (core ks) cs (N.to_nat (slot32 a0)) null_cap))
              vs cs (N.to_nat (slot32 a0))) as (F & _ & _ & _ & K).
  rewrite F. apply K; [|exact N]. rewrite mapping_live_core; try reflexivity; [exact L|].
  apply set_cap_other. intro E. inversion E. tauto.
Qed.

(** A refused SYS_CAP_DELETE changes nothing; its capability half is
    [cap_delete] (the step [ss_cap_delete] of [Runs.v]). *)
Theorem sys_cap_delete_refused : forall s cs a0 e s',
  sys_cap_delete s cs a0 = (e, s') -> e <> E_OK -> s' = s.
Proof.
  intros s cs a0 e s' H NE. apply sys_cap_delete_cases in H as [(_ & -> & _)|(E & _)]; congruence.
Qed.

Theorem sys_cap_delete_core_step : forall s cs a0 e s',
  sys_cap_delete s cs a0 = (e, s') ->
  exists st', cap_delete (core (fst s)) cs (N.to_nat (slot32 a0)) = (e, st') /\
              fst s' = with_core (fst s) st'.
Proof.
  intros s cs a0 e s' H.
  apply sys_cap_delete_cases in H as [(_ & -> & st' & D & ->)|(-> & st' & D & ->)].
  - exists (core (fst s)). split; [exact D|]. symmetry. apply vs_eta.
  - exists st'. split; [exact D|]. unfold vs_slot_gone. destruct (_ && _); reflexivity.
Qed.

Lemma dst_cspace_no_eok : forall ks cs a, dst_cspace ks cs a <> Err E_OK.
Proof.
  intros. unfold dst_cspace. destruct (N.eqb a SLOT_SELF); [discriminate|].
  unfold dst_by_cap, slot_arg, bind, guard.
  destruct (N.ltb a (N.of_nat NSLOTS)); [|discriminate].
  destruct (lookup _ _ _ _ _ _) eqn:L;
    [|intro E; inversion E; subst; apply lookup_no_eok in L; contradiction].
  destruct (resolve_chain _ _ _) eqn:R;
    [|intro E; inversion E; subst; apply resolve_chain_no_eok in R; contradiction].
  destruct (_ || _); [|discriminate].
  destruct (cap_write _); [|discriminate].
  destruct (ot_eqb _ OT_CSPACE); [discriminate|].
  destruct (pcspace_ok _ _); discriminate.
Qed.

(** What [sys_cap_move] is, taken apart. *)
Lemma sys_cap_move_cases : forall s cs a0 a1 a2 e s',
  sys_cap_move s cs a0 a1 a2 = (e, s') ->
  (e <> E_OK /\ s' = s) \/
  (e = E_OK /\ exists d st', dst_cspace (fst s) cs a1 = Ok d /\
     cap_move (core (fst s)) cs (N.to_nat (slot32 a0)) d (N.to_nat (slot32 a2)) = (E_OK, st') /\
     s' = vs_follow (with_core (fst s) st', snd s) cs (N.to_nat (slot32 a0)) d
                    (N.to_nat (slot32 a2))).
Proof.
  intros [ks vs] cs a0 a1 a2 e s' H. unfold sys_cap_move in H. cbn [fst snd] in *.
  destruct (dst_cspace ks cs a1) as [d|e1] eqn:D.
  - destruct (cap_move (core ks) cs (N.to_nat (slot32 a0)) d (N.to_nat (slot32 a2)))
      as [e1 st1] eqn:C.
    destruct (is_ok e1) eqn:O; inversion H; subst; clear H.
    + apply is_ok_true in O. subst. right. eauto 6.
    + apply is_ok_false in O. left. auto.
  - inversion H; subst. left. split; [|reflexivity].
    intro E; subst. apply (dst_cspace_no_eok ks cs a1). exact D.
Qed.

Theorem sys_cap_move_refused : forall s cs a0 a1 a2 e s',
  sys_cap_move s cs a0 a1 a2 = (e, s') -> e <> E_OK -> s' = s.
Proof.
  intros. apply sys_cap_move_cases in H as [(_ & ->)|(E & _)]; [reflexivity|congruence].
Qed.

(** The whole call's capability half is [Decode.sys_cap_move_caps] (the
    step [ss_cap_move] of [Runs.v]): [vs_follow] writes only the
    address-space tables. *)
Theorem sys_cap_move_core_step : forall s cs a0 a1 a2 e s',
  sys_cap_move s cs a0 a1 a2 = (e, s') -> sys_cap_move_caps (fst s) cs a0 a1 a2 = (e, fst s').
Proof.
  intros [ks vs] cs a0 a1 a2 e s' H. unfold sys_cap_move in H. unfold sys_cap_move_caps.
  cbn [fst snd] in *.
  destruct (dst_cspace ks cs a1) as [d|e1]; [|inversion H; reflexivity].
  destruct (cap_move (core ks) cs (N.to_nat (slot32 a0)) d (N.to_nat (slot32 a2)))
    as [e1 st1] eqn:C. unfold core_op.
  destruct (is_ok e1) eqn:O; inversion H; subst; clear H.
  - apply is_ok_true in O. subst. unfold vs_follow. cbv zeta.
    repeat match goal with |- context [if ?b then _ else _] => destruct b end; reflexivity.
  - apply is_ok_false in O. apply cap_move_err in C; [|exact O]. subst. cbn [fst].
    rewrite vs_eta. reflexivity.
Qed.

(** What [vs_follow] does to a frame's mapping, after a successful
    [cap_move] from [(cs, src)] to [(d, dst)]. *)
Lemma vs_follow_facts : forall ks st' vs cs src d dst,
  cap_move (core ks) cs src d dst = (E_OK, st') ->
  let s' := vs_follow (with_core ks st', vs) cs src d dst in
  fst s' = with_core ks st' /\
  (* the source slot has no mapping in force *)
  (forall f, slot_maps (fst s') (snd s') cs src f = false) /\
  (* the mapping made through it follows it *)
  (forall f, f < NFRAMES -> slot_maps ks vs cs src f = true -> slot_maps (fst s') (snd s') d dst f = true) /\
  (* every other mapping in force stays, through the same slot *)
  (forall f, mapping_live ks vs f = true -> ~ (m_cs vs f = cs /\ m_slot vs f = src) ->
     ~ (m_cs vs f = d /\ m_slot vs f = dst) ->
     mapping_live (fst s') (snd s') f = true /\ m_cs (snd s') f = m_cs vs f /\
     m_slot (snd s') f = m_slot vs f).
Proof.
  intros ks st' vs cs src d dst H.
  pose proof (cap_move_caps _ _ _ _ _ _ H) as (Fw & Cmv & Coth).
  apply cap_move_ok in H as (Cc & Cd & Ls & Ld & Nd & Ty & Ge).
  unfold cspace_ok in Cc, Cd. apply andb_true_iff in Cc as [Lc Tc]. apply andb_true_iff in Cd as [Lcd Td].
  apply Nat.ltb_lt in Lc. apply Nat.ltb_lt in Lcd.
  set (ks' := with_core ks st').
  (* a mapping made through neither slot reads the same capability *)
  assert (LK : forall v f, ~ (m_cs v f = cs /\ m_slot v f = src) -> ~ (m_cs v f = d /\ m_slot v f = dst) ->
                 mapping_live ks' v f = mapping_live ks v f)
    by (intros v f N1 N2; apply mapping_live_core; try assumption; apply Coth; assumption).
  assert (Nsd : ~ (cs = d /\ src = dst)) by (intros [-> ->]; destruct Nd; congruence).
  cbv zeta. unfold vs_follow. cbn [fst snd]. fold ks'.
  set (m := cap_mapped vs cs src). set (vs1 := set_mark vs cs src 0).
  assert (M1 : cap_mapped vs1 cs src = 0) by apply upd2_eq.
  (* a mapping in force made through (cs, src) is the one the mark names *)
  assert (Fm : forall f, f < NFRAMES -> slot_maps ks vs cs src f = true ->
                 m = S f /\ m_csgen vs f = frame_gen (core ks) cs).
  { intros f Lf Sm. unfold slot_maps in Sm. apply andb_true_iff in Sm as [Sm Es].
    apply andb_true_iff in Sm as [L Ec]. apply Nat.eqb_eq in Ec. apply Nat.eqb_eq in Es.
    apply mapping_live_slot in L. destruct (slot_live_marked ks vs f L) as (Mk & G & _); [lia|].
    rewrite Ec, Es in Mk. rewrite Ec in G. auto. }
  assert (None1 : forall f, slot_maps ks' vs1 cs src f = false).
  { intro f. unfold slot_maps, mapping_live.
    destruct (Nat.eqb_spec (m_cs vs1 f) cs) as [Ec|]; [|rewrite andb_false_r; reflexivity].
    destruct (Nat.eqb_spec (m_slot vs1 f) src) as [Es|]; [|rewrite andb_false_r; reflexivity].
    rewrite (slot_live_unmarked ks' vs1 cs src f Lc M1 Ec Es). rewrite !andb_false_r. reflexivity. }
  assert (Keep1 : forall f, mapping_live ks vs f = true -> ~ (m_cs vs f = cs /\ m_slot vs f = src) ->
                    ~ (m_cs vs f = d /\ m_slot vs f = dst) -> mapping_live ks' vs1 f = true)
    by (intros f L N N2; subst vs1; rewrite mapping_live_mark by exact N; rewrite LK by assumption; exact L).
  destruct ((m =? 0) || (NFRAMES <? m)) eqn:Z.
  { (* no frame named: only the source's mark is cleared *)
    split; [reflexivity|]. split; [exact None1|]. split.
    - intros f Lf Sm. destruct (Fm f Lf Sm) as [Em _]. rewrite Em in Z.
      apply orb_true_iff in Z as [Z|Z]; [discriminate Z|apply Nat.ltb_lt in Z; lia].
    - intros f L N N2. split; [exact (Keep1 f L N N2)|split; reflexivity]. }
  set (g := m - 1).
  destruct (negb (Nat.eqb (m_cs vs1 g) cs) || negb (Nat.eqb (m_slot vs1 g) src) ||
            negb (N.eqb (m_csgen vs1 g) (frame_gen (core ks') cs))) eqn:R.
  { (* a mark the record does not confirm: none *)
    split; [reflexivity|]. split; [exact None1|]. split.
    - intros f Lf Sm. destruct (Fm f Lf Sm) as [Em Gm].
      assert (Eg : g = f) by (subst g; rewrite Em; lia). rewrite Eg in R.
      unfold slot_maps in Sm. apply andb_true_iff in Sm as [Sm Es].
      apply andb_true_iff in Sm as [_ Ec].
      cbn [vs1 set_mark m_cs m_slot m_csgen] in R. rewrite Ec, Es in R.
      cbn [core ks' with_core] in R. rewrite Ge, Gm, N.eqb_refl in R. discriminate R.
    - intros f L N N2. split; [exact (Keep1 f L N N2)|split; reflexivity]. }
  (* the record confirms the mark: it follows the capability *)
  assert (Rc : m_cs vs g = cs /\ m_slot vs g = src).
  { repeat (apply orb_false_iff in R as [R ?]). apply negb_false_iff in R.
    match goal with G : negb (Nat.eqb (m_slot _ _) _) = false |- _ =>
      apply negb_false_iff in G; apply Nat.eqb_eq in G end.
    apply Nat.eqb_eq in R. split; assumption. }
  set (vs2 := set_mark (set_slot_rec vs1 g d dst (frame_gen (core ks') d)) d dst m).
  assert (Mg : S g = m) by (apply orb_false_iff in Z as [Z0 Z1]; apply Nat.eqb_neq in Z0; subst g; lia).
  assert (Lg : g < NFRAMES) by (apply orb_false_iff in Z as [_ Z1]; apply Nat.ltb_ge in Z1; lia).
  split; [reflexivity|]. cbn [fst snd]. split; [|split].
  - (* the source: its mark is 0 *)
    intro f. unfold slot_maps, mapping_live.
    destruct (Nat.eqb_spec (m_cs vs2 f) cs) as [Ec|]; [|rewrite andb_false_r; reflexivity].
    destruct (Nat.eqb_spec (m_slot vs2 f) src) as [Es|]; [|rewrite andb_false_r; reflexivity].
    rewrite (slot_live_unmarked ks' vs2 cs src f Lc); [rewrite !andb_false_r; reflexivity| |exact Ec|exact Es].
    subst vs2. cbn [set_mark set_slot_rec cap_mapped]. rewrite upd2_neq; [exact M1|].
    destruct (Nat.eq_dec cs d) as [->|]; [right|left; assumption]. intros ->. apply Nsd; auto.
  - (* the one it names follows *)
    intros f Lf Sm. destruct (Fm f Lf Sm) as [Em _].
    assert (Eg : g = f) by (subst g; rewrite Em; lia). rewrite <- Eg in Sm |- *.
    unfold slot_maps in Sm |- *. apply andb_true_iff in Sm as [Sm _]. apply andb_true_iff in Sm as [L _].
    assert (Cs2 : m_cs vs2 g = d) by (subst vs2; cbn; apply upd_eq).
    assert (Sl2 : m_slot vs2 g = dst) by (subst vs2; cbn; apply upd_eq).
    rewrite Cs2, Sl2, !Nat.eqb_refl, !andb_true_r.
    (* its capability is the one the source held: it resolves as it did *)
    assert (P : path_live ks' vs2 g = path_live ks vs g).
    { unfold path_live, chain_ok. rewrite Cs2, Sl2, (proj1 Rc), (proj2 Rc).
      destruct (Nat.eqb_spec d NFRAMES); [lia|]. destruct (Nat.eqb_spec cs NFRAMES); [lia|].
      cbn [orb]. rewrite !lookup_any_is_ok. cbn [core ks' with_core]. rewrite Cmv.
      unfold resolve_err. rewrite (chain_err_ext (core ks) st' MAXFWD _ Ty Ge Fw).
      apply Nat.ltb_lt in Ls. apply Nat.ltb_lt in Ld. rewrite Ls, Ld.
      unfold cap_valid. rewrite Ty, Ge. reflexivity. }
    assert (Lr : mapping_live ks' vs2 g = mapping_live ks vs g).
    { assert (S0 : slot_live ks vs g = true) by (apply mapping_live_slot; exact L).
      assert (S2 : slot_live ks' vs2 g = slot_live ks vs g).
      { rewrite S0. unfold slot_live. rewrite Cs2, Sl2.
      assert (Cg : m_csgen vs2 g = frame_gen (core ks') d) by (subst vs2; cbn; apply upd_eq).
      assert (Mk : cap_mapped vs2 d dst = S g) by (subst vs2; cbn; rewrite upd2_eq; symmetry; exact Mg).
      rewrite Cg, Mk, N.eqb_refl, Nat.eqb_refl.
      destruct (Nat.eqb_spec d NFRAMES); [lia|]. cbn [orb].
      apply Nat.ltb_lt in Lcd. apply Nat.ltb_lt in Ld. rewrite Lcd, Ld.
      unfold is_type. cbn [core ks' with_core]. rewrite Ty. unfold is_type in Td. rewrite Td.
      reflexivity. }
      unfold mapping_live. rewrite P, S2. subst vs2 vs1.
      cbn [set_mark set_slot_rec m_used m_proc m_pgen m_fgen].
      unfold proc_live, is_type. cbn [core ks' with_core procs]. rewrite Ty, Ge. reflexivity. }
    rewrite Lr. exact L.
  - (* the others stay *)
    intros f L N1 N2.
    assert (Nf : f <> g) by (intros ->; apply N1; exact Rc).
    assert (Cs2 : m_cs vs2 f = m_cs vs f) by (subst vs2; cbn; rewrite upd_neq by exact Nf; reflexivity).
    assert (Sl2 : m_slot vs2 f = m_slot vs f) by (subst vs2; cbn; rewrite upd_neq by exact Nf; reflexivity).
    split; [|split; assumption].
    assert (Lr : mapping_live ks' vs2 f = mapping_live ks' vs1 f).
    { apply mapping_live_record; try reflexivity; [rewrite Cs2; reflexivity|rewrite Sl2; reflexivity|].
      apply slot_live_at; try (subst vs2; cbn; rewrite upd_neq by exact Nf; reflexivity).
      (* the marks differ only at (d, dst), which f's record does not name *)
      subst vs2. cbn [set_mark set_slot_rec cap_mapped m_cs m_slot vs1].
      apply upd2_neq. destruct (Nat.eq_dec (m_cs vs f) d); [right|left; assumption].
      intro; apply N2; auto. }
    rewrite Lr. exact (Keep1 f L N1 N2).
Qed.

(** (c) After a successful SYS_CAP_MOVE from slot [src] of [cs] to slot
    [dst] of the cspace the destination argument names ([dst_named]):
    the mapping in force made through [(cs, src)] is in force, made
    through [(d, dst)]; no mapping in force is made through [(cs, src)];
    every other mapping in force stays so, through the same slot. *)
Theorem sys_cap_move_follows : forall s cs a0 a1 a2 s',
  sys_cap_move s cs a0 a1 a2 = (E_OK, s') ->
  let src := N.to_nat (slot32 a0) in let dst := N.to_nat (slot32 a2) in
  let d := dst_named (fst s) cs a1 in
  (forall f, f < NFRAMES -> slot_maps (fst s) (snd s) cs src f = true ->
             slot_maps (fst s') (snd s') d dst f = true) /\
  (forall f, slot_maps (fst s') (snd s') cs src f = false).
Proof.
  intros [ks vs] cs a0 a1 a2 s' H.
  apply sys_cap_move_cases in H as [(NE & _)|(_ & d & st' & D & C & ->)]; [congruence|].
  cbn [fst snd] in *. unfold dst_named. rewrite D. cbv zeta.
  destruct (vs_follow_facts ks st' vs cs _ d _ C) as (_ & No & Fo & _). split; assumption.
Qed.

Theorem sys_cap_move_kept : forall s cs a0 a1 a2 s' f,
  sys_cap_move s cs a0 a1 a2 = (E_OK, s') ->
  mapping_live (fst s) (snd s) f = true ->
  ~ (m_cs (snd s) f = cs /\ m_slot (snd s) f = N.to_nat (slot32 a0)) ->
  ~ (m_cs (snd s) f = dst_named (fst s) cs a1 /\ m_slot (snd s) f = N.to_nat (slot32 a2)) ->
  mapping_live (fst s') (snd s') f = true /\ m_cs (snd s') f = m_cs (snd s) f /\
  m_slot (snd s') f = m_slot (snd s) f.
Proof.
  intros [ks vs] cs a0 a1 a2 s' f H L N1 N2.
  apply sys_cap_move_cases in H as [(NE & _)|(_ & d & st' & D & C & ->)]; [congruence|].
  cbn [fst snd] in *. unfold dst_named in N2. rewrite D in N2.
  destruct (vs_follow_facts ks st' vs cs _ d _ C) as (_ & _ & _ & K). apply K; assumption.
Qed.

(** (d) SYS_MAP and SYS_UNMAP: a refusal changes nothing; a process that
    does not exist is refused ([E_BAD_STATE]) before anything else of the
    map is looked at; a successful map is in force, made through the
    frame argument's slot. *)
Theorem sys_map_refused : forall s cur cs proc frame va perm e s',
  sys_map s cur cs proc frame va perm = (e, s') -> e <> E_OK -> s' = s.
Proof.
  intros s cur cs proc frame va perm e s' H NE. unfold sys_map in H.
  destruct (proc_arg (fst s) cur cs proc) as [p|e1]; [|inversion H; reflexivity].
  destruct (negb (proc_live (fst s) p)); [inversion H; reflexivity|].
  destruct (negb (perm_ok perm)); [inversion H; reflexivity|].
  destruct (map_frame_lookup _ _ _ _) as [r|e1]; [|inversion H; reflexivity].
  eapply vs_map_refused; eassumption.
Qed.

Theorem sys_map_bad_state : forall s cur cs proc frame va perm p,
  proc_arg (fst s) cur cs proc = Ok p -> proc_live (fst s) p = false ->
  sys_map s cur cs proc frame va perm = (E_BAD_STATE, s).
Proof. intros. unfold sys_map. rewrite H, H0. reflexivity. Qed.

Lemma invoke_lookup_no_eok : forall st cs sl t nr nw, invoke_lookup st cs sl t nr nw <> Err E_OK.
Proof.
  intros. unfold invoke_lookup. no_eok. apply resolve_chain_no_eok.
Qed.

Lemma proc_arg_no_eok : forall ks cur cs a, proc_arg ks cur cs a <> Err E_OK.
Proof.
  intros. unfold proc_arg. destruct (N.eqb a SLOT_SELF); [discriminate|].
  unfold slot_arg. no_eok. apply invoke_lookup_no_eok.
Qed.

Lemma map_frame_lookup_no_eok : forall st cs sl perm, map_frame_lookup st cs sl perm <> Err E_OK.
Proof.
  intros. unfold map_frame_lookup.
  destruct (invoke_lookup st cs sl OT_FRAME _ _) as [k|e] eqn:I; [discriminate|].
  destruct e; try (intro E; discriminate E); [apply invoke_lookup_no_eok in I; contradiction|].
  no_eok. apply invoke_lookup_no_eok.
Qed.

(** The frame argument looked up, its slot looks up and resolves: the
    chain condition [vs_map] requires ([chain_ok], the C's [assert
    chain] in [sys_map]) holds, so it never refuses a map for it. *)
Lemma map_frame_lookup_chain : forall st cs sl perm r,
  map_frame_lookup st cs sl perm = Ok r -> chain_ok st cs sl = true.
Proof.
  intros st cs sl perm r H.
  assert (I : exists t nr nw k, invoke_lookup st cs sl t nr nw = Ok k).
  { unfold map_frame_lookup in H.
    destruct (invoke_lookup st cs sl OT_FRAME _ _) as [k|e] eqn:I; [eauto|].
    destruct e; try discriminate. peel H. eauto. }
  destruct I as (t & nr & nw & k & I). unfold invoke_lookup in I. peel I.
  unfold chain_ok. apply orb_true_iff. right. apply andb_true_iff.
  rewrite !is_ok_eq. unfold lookup_err, resolve_err.
  match goal with L : lookup _ _ _ _ _ _ = Ok _ |- _ =>
    rewrite L; pose proof (lookup_ok _ _ _ _ _ _ _ L) as (-> & _) end.
  split; [reflexivity|]. rewrite chain_err_resolve.
  match goal with R : resolve_chain _ _ _ = Ok _ |- _ => rewrite R end. reflexivity.
Qed.

Theorem sys_map_ok : forall s cur cs proc frame va perm s',
  ppn_wf -> sys_map s cur cs proc frame va perm = (E_OK, s') ->
  exists p r, proc_arg (fst s) cur cs proc = Ok p /\ proc_live (fst s) p = true /\
    map_frame_lookup (core (fst s)) cs (N.to_nat (slot32 frame)) perm = Ok r /\
    vs_mapped (fst s') (snd s') p va = true /\ vs_e0 (snd s') p va = pte_of (cap_obj r) perm /\
    slot_maps (fst s') (snd s') cs (N.to_nat (slot32 frame)) (cap_obj r) = true.
Proof.
  intros s cur cs proc frame va perm s' W H. unfold sys_map in H.
  destruct (proc_arg (fst s) cur cs proc) as [p|e1] eqn:Pa;
    [|inversion H; subst; apply proc_arg_no_eok in Pa; contradiction].
  destruct (proc_live (fst s) p) eqn:Lp; cbn [negb] in H; [|inversion H].
  destruct (negb (perm_ok perm)); [inversion H|].
  destruct (map_frame_lookup _ _ _ _) as [r|e1] eqn:Mr;
    [|inversion H; subst; apply map_frame_lookup_no_eok in Mr; contradiction].
  apply vs_map_ok in H as (Wm & We & L & Cs & Sl); [|exact W].
  exists p, r. repeat split; auto.
  unfold slot_maps. rewrite L, Cs, Sl, !Nat.eqb_refl. reflexivity.
Qed.

Theorem sys_unmap_refused : forall s cur cs proc va e s',
  sys_unmap s cur cs proc va = (e, s') -> e <> E_OK -> s' = s.
Proof.
  intros s cur cs proc va e s' H NE. unfold sys_unmap in H.
  destruct (proc_arg (fst s) cur cs proc) as [p|e1]; [|inversion H; reflexivity].
  eapply vs_unmap_refused; eassumption.
Qed.


(** ** SYS_OBJ_FREE's end ([obj_gone], since commit 37ad752a) *)

(** A successful [obj_free]: the object slot looked up, and the object's
    frame is free (or retired) after. *)
Lemma obj_free_dead : forall st cs a b st', obj_free st cs a b = (E_OK, st') ->
  b < NSLOTS /\
  (frame_type st' (cap_obj (cap st cs b)) = OT_FREE \/
   frame_type st' (cap_obj (cap st cs b)) = OT_RETIRED).
Proof.
  intros st cs a b st' H. unfold obj_free in H. op_ok H. apply Ok_inj in H. subst st'.
  match goal with L : lookup st cs b None false false = Ok ?k |- _ =>
    apply lookup_ok in L as (-> & Hb & _) end.
  split; [exact Hb|]. cbn [free_frame frame_type]. rewrite upd_eq. unfold bumped_type.
  destruct (N.eqb _ _); auto.
Qed.

(** A record whose frame is neither a frame nor a device page, or made
    through a slot of a frame that is no capability space, is not in
    force. *)
Lemma frame_dead_not_live : forall ks vs f,
  frame_type (core ks) f <> OT_FRAME -> frame_type (core ks) f <> OT_DEVICE ->
  mapping_live ks vs f = false.
Proof.
  intros ks vs f T1 T2. unfold mapping_live.
  rewrite (proj1 (not_true_iff_false (is_type (core ks) f OT_FRAME)) (fun H => T1 (proj1 (is_type_true _ _ _) H))),
          (proj1 (not_true_iff_false (is_type (core ks) f OT_DEVICE)) (fun H => T2 (proj1 (is_type_true _ _ _) H))).
  rewrite orb_false_r, !andb_false_r, !andb_false_l. reflexivity.
Qed.

Lemma cs_dead_not_live : forall ks vs f, m_cs vs f < NFRAMES ->
  frame_type (core ks) (m_cs vs f) <> OT_CSPACE -> mapping_live ks vs f = false.
Proof.
  intros ks vs f Lc T. destruct (mapping_live ks vs f) eqn:L; [|reflexivity]. exfalso.
  apply mapping_live_slot in L. unfold slot_live in L.
  apply orb_true_iff in L as [L|L]; [apply Nat.eqb_eq in L; lia|].
  repeat (apply andb_true_iff in L as [L ?]).
  match goal with H : is_type _ _ OT_CSPACE = true |- _ => apply is_type_true in H; contradiction end.
Qed.

(** [vs_reap_one] of a record not in force forgets it; it never sets a
    record in use. *)
Lemma reap_one_forgets : forall ks vs f, mapping_live ks vs f = false ->
  m_used (vs_reap_one ks vs f) f = false.
Proof.
  intros ks vs f L. unfold vs_reap_one. rewrite L, orb_false_r.
  destruct (m_used vs f) eqn:U; cbn [negb]; [|exact U].
  cbn [clear_used m_used]. apply upd_eq.
Qed.

Lemma reap_one_used : forall ks vs f g, m_used (vs_reap_one ks vs f) g = true -> m_used vs g = true.
Proof.
  intros ks vs f g. unfold vs_reap_one. destruct (_ || _); [auto|].
  cbn [clear_used m_used]. destruct (unmap_record_m ks vs f) as (A & _). rewrite A.
  unfold upd. destruct (Nat.eqb g f); [discriminate|auto].
Qed.

(** [vs_cspace_gone]'s loop over the slots below [n] of a frame [o]
    that is no capability space: the slot halves kept, records only
    forgotten; the marks below [n] are 0, the others as they were; and
    every record made through a slot below [n] whose mark named it is
    forgotten (the C's [forgotten]). *)
Lemma cspace_gone_pass_facts : forall ks vs o n, o < NFRAMES ->
  frame_type (core ks) o <> OT_CSPACE ->
  let v := snd (cspace_gone_pass (ks, vs) o n) in
  fst (cspace_gone_pass (ks, vs) o n) = ks /\
  m_cs v = m_cs vs /\ m_csgen v = m_csgen vs /\ m_slot v = m_slot vs /\
  (forall g, m_used v g = true -> m_used vs g = true) /\
  (forall j, j < n -> cap_mapped v o j = 0) /\
  (forall j, n <= j -> cap_mapped v o j = cap_mapped vs o j) /\
  (forall f, f < NFRAMES -> m_cs vs f = o -> m_slot vs f < n ->
     cap_mapped vs o (m_slot vs f) = S f -> m_used v f = false).
Proof.
  intros ks vs o n Lo T. cbv zeta. induction n as [|n IH].
  - cbn [cspace_gone_pass fst snd]. repeat split; auto; intros; lia.
  - destruct IH as (F & C & G & Sl & U & Z & K & Fg).
    cbn [cspace_gone_pass]. rewrite (surjective_pairing (cspace_gone_pass (ks, vs) o n)), F.
    set (v := snd (cspace_gone_pass (ks, vs) o n)) in *.
    assert (Mn : cap_mapped v o n = cap_mapped vs o n) by (apply K; lia).
    set (w := set_mark v o n 0).
    assert (Wm : forall j, cap_mapped w o j = if Nat.eqb j n then 0 else cap_mapped v o j).
    { intro j. subst w. cbn [set_mark cap_mapped]. unfold upd2, upd. rewrite Nat.eqb_refl. reflexivity. }
    assert (Wrest : m_cs w = m_cs v /\ m_csgen w = m_csgen v /\ m_slot w = m_slot v /\ m_used w = m_used v)
      by (subst w; repeat split).
    destruct Wrest as (Wc & Wg & Ws & Wu).
    unfold vs_slot_gone. cbn [fst snd]. fold w.
    destruct ((1 <=? cap_mapped v o n) && (cap_mapped v o n <=? NFRAMES)) eqn:R; cbn [fst snd].
    + destruct (reap_one_marks ks w (cap_mapped v o n - 1)) as (Rc & Rg & Rs & Rm).
      split; [reflexivity|].
      rewrite Rc, Rg, Rs, Wc, Wg, Ws. split; [exact C|split; [exact G|split; [exact Sl|]]].
      split; [intros g Ug; apply U; rewrite <- Wu; exact (reap_one_used _ _ _ _ Ug)|].
      rewrite Rm. split; [|split].
      * intros j Lj. rewrite Wm. destruct (Nat.eqb_spec j n); [reflexivity|apply Z; lia].
      * intros j Lj. rewrite Wm. destruct (Nat.eqb_spec j n); [lia|apply K; lia].
      * intros f Lf Cf Sf Mf.
        destruct (Nat.eq_dec (m_slot vs f) n) as [En|Nn].
        -- rewrite En, <- Mn in Mf. rewrite Mf. replace (S f - 1) with f by lia.
           apply reap_one_forgets. apply cs_dead_not_live; rewrite Wc, C, Cf; assumption.
        -- destruct (m_used (vs_reap_one ks w (cap_mapped v o n - 1)) f) eqn:E; [|reflexivity].
           apply reap_one_used in E. rewrite Wu, (Fg f Lf Cf ltac:(lia) Mf) in E. discriminate.
    + split; [reflexivity|]. rewrite Wc, Wg, Ws. split; [exact C|split; [exact G|split; [exact Sl|]]].
      split; [intros g Ug; apply U; rewrite <- Wu; exact Ug|].
      split; [|split].
      * intros j Lj. rewrite Wm. destruct (Nat.eqb_spec j n); [reflexivity|apply Z; lia].
      * intros j Lj. rewrite Wm. destruct (Nat.eqb_spec j n); [lia|apply K; lia].
      * intros f Lf Cf Sf Mf.
        destruct (Nat.eq_dec (m_slot vs f) n) as [En|Nn].
        -- exfalso. rewrite En, <- Mn in Mf. rewrite Mf in R.
           rewrite (proj2 (Nat.leb_le 1 (S f)) ltac:(lia)), (proj2 (Nat.leb_le (S f) NFRAMES) ltac:(lia)) in R.
           discriminate.
        -- rewrite Wu. apply Fg; [exact Lf|exact Cf|lia|exact Mf].
Qed.

(** After SYS_OBJ_FREE of a frame (the C's [obj_gone], [frame_unmapped]):
    the frame has no mapping record in use. [caps_wf]: a stored
    capability's object is a frame number below [NFRAMES]. *)
Theorem sys_obj_free_frame_unmapped : forall s hi cs a0 a1 s',
  caps_wf (core (fst s)) -> sys_obj_free_c s hi cs a0 a1 = (E_OK, s') ->
  cap_type (cap (core (fst s)) cs (N.to_nat (slot32 a1))) = OT_FRAME ->
  m_used (snd s') (cap_obj (cap (core (fst s)) cs (N.to_nat (slot32 a1)))) = false.
Proof.
  intros [ks vs] hi cs a0 a1 s' W H Ty. cbn [fst snd] in *. unfold sys_obj_free_c in H. cbn [fst snd] in H.
  set (sl := N.to_nat (slot32 a1)) in *. set (o := cap_obj (cap (core ks) cs sl)) in *.
  destruct (obj_free (core ks) cs (N.to_nat (slot32 a0)) sl) as [e st'] eqn:F.
  destruct (is_ok e) eqn:Ok; [|inversion H; subst; discriminate Ok].
  destruct e; try discriminate Ok. injection H as <-.
  destruct (obj_free_dead _ _ _ _ _ F) as [Ls Dt]. fold o in Dt.
  assert (Lo : o < NFRAMES) by exact (proj2 (proj1 (W cs sl))).
  rewrite (proj2 (Nat.ltb_lt _ _) Ls), Ty. unfold obj_gone. cbn [fst snd core with_core].
  rewrite (proj2 (Nat.leb_gt _ _) Lo).
  assert (Dd : is_type st' o OT_FREE || is_type st' o OT_RETIRED = true)
    by (destruct Dt as [D|D]; unfold is_type; rewrite D; reflexivity).
  rewrite Dd. cbn [orb negb snd].
  apply reap_one_forgets. apply frame_dead_not_live; cbn [core with_core];
    destruct Dt as [D|D]; rewrite D; discriminate.
Qed.

(** After SYS_OBJ_FREE of a capability space (the C's [obj_gone],
    [slots_unmapped]): every mark of its slots is 0, and every record
    made through one of its slots whose mark named it before the call
    is no longer in use: no record in use is confirmed by a mark of the
    dead capability space. *)
Theorem sys_obj_free_cspace_unmapped : forall s hi cs a0 a1 s',
  caps_wf (core (fst s)) -> sys_obj_free_c s hi cs a0 a1 = (E_OK, s') ->
  let o := cap_obj (cap (core (fst s)) cs (N.to_nat (slot32 a1))) in
  cap_type (cap (core (fst s)) cs (N.to_nat (slot32 a1))) = OT_CSPACE ->
  (forall j, j < NSLOTS -> cap_mapped (snd s') o j = 0) /\
  (forall f, f < NFRAMES -> m_cs (snd s) f = o -> m_slot (snd s) f < NSLOTS ->
     cap_mapped (snd s) o (m_slot (snd s) f) = S f -> m_used (snd s') f = false).
Proof.
  intros [ks vs] hi cs a0 a1 s' W H o Ty. cbn [fst snd] in *. unfold sys_obj_free_c in H. cbn [fst snd] in H.
  set (sl := N.to_nat (slot32 a1)) in *. fold o in Ty |- *.
  destruct (obj_free (core ks) cs (N.to_nat (slot32 a0)) sl) as [e st'] eqn:F.
  destruct (is_ok e) eqn:Ok; [|inversion H; subst; discriminate Ok].
  destruct e; try discriminate Ok. injection H as <-.
  destruct (obj_free_dead _ _ _ _ _ F) as [Ls Dt]. fold sl o in Dt.
  assert (Lo : o < NFRAMES) by exact (proj2 (proj1 (W cs sl))).
  rewrite (proj2 (Nat.ltb_lt _ _) Ls). fold o. rewrite Ty. unfold obj_gone. cbn [fst snd core with_core].
  rewrite (proj2 (Nat.leb_gt _ _) Lo).
  assert (Dd : is_type st' o OT_FREE || is_type st' o OT_RETIRED = true)
    by (destruct Dt as [D|D]; unfold is_type; rewrite D; reflexivity).
  rewrite Dd. cbn [orb negb]. unfold vs_cspace_gone.
  assert (T : frame_type (core (with_core ks st')) o <> OT_CSPACE)
    by (cbn [core with_core]; destruct Dt as [D|D]; rewrite D; discriminate).
  destruct (cspace_gone_pass_facts (with_core ks st') vs o NSLOTS Lo T) as (_ & _ & _ & _ & _ & Z & _ & Fg).
  split; [exact Z|exact Fg].
Qed.


End Sized.
