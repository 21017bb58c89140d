(** * VSpace: user address spaces (Sv39) in the core (issue 14 item 2)

    The Coq side of [kernel/include/vspace.h] and [kernel/vspace.c]: the
    page-table walk, [vs_map], [vs_unmap], [vs_lookup], [vs_proc_init] and
    [vs_reap] (removal of the mappings whose frame, process or forwarder
    died). Same names as the ACSL logic of [vspace.h] ([pt_of],
    [pt_link], [vs_e2] .. [vs_e0], [vs_missing], [vs_mapped], [pte_of],
    [free_n], [path_live], [mapping_live]), same guards in the same order
    as the C, same error codes.

    The state. A page table is an [OT_PAGETABLE] frame of the core
    [State], charged to its process's container (like [kobj_alloc]), and
    owned by a process through [pt_proc] / [pt_proc_gen] of [Procs]. The
    new tables are a second record [VS], next to [KState] (not inside it:
    the extracted model and the conformance tests do not see it yet):
    - [pt_entry t i]: entry [i] of table [t] (the C's [pt_entry[t][i]]);
    - [p_vroot p], [p_satp p]: a process's root table and its satp;
    - per frame, its mapping record [m_used], [m_proc], [m_pgen],
      [m_fgen], [m_va], [m_path] (the forwarders, as [map_path_of]
      returns them: frame and generation).
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
  m_path   : nat -> list (nat * N)
}.

Definition set_pte (vs : VS) (t i : nat) (e : N) : VS :=
  {| pt_entry := upd2 (pt_entry vs) t i e; p_vroot := p_vroot vs; p_satp := p_satp vs;
     m_used := m_used vs; m_proc := m_proc vs; m_pgen := m_pgen vs;
     m_fgen := m_fgen vs; m_va := m_va vs; m_path := m_path vs |}.

Definition set_row (vs : VS) (t : nat) (row : nat -> N) : VS :=
  {| pt_entry := upd (pt_entry vs) t row; p_vroot := p_vroot vs; p_satp := p_satp vs;
     m_used := m_used vs; m_proc := m_proc vs; m_pgen := m_pgen vs;
     m_fgen := m_fgen vs; m_va := m_va vs; m_path := m_path vs |}.

Definition set_root (vs : VS) (p r : nat) (satp : N) : VS :=
  {| pt_entry := pt_entry vs; p_vroot := upd (p_vroot vs) p r;
     p_satp := upd (p_satp vs) p satp;
     m_used := m_used vs; m_proc := m_proc vs; m_pgen := m_pgen vs;
     m_fgen := m_fgen vs; m_va := m_va vs; m_path := m_path vs |}.

Definition set_record (vs : VS) (f p : nat) (pg fg va : N) (path : list (nat * N)) : VS :=
  {| pt_entry := pt_entry vs; p_vroot := p_vroot vs; p_satp := p_satp vs;
     m_used := upd (m_used vs) f true; m_proc := upd (m_proc vs) f p;
     m_pgen := upd (m_pgen vs) f pg; m_fgen := upd (m_fgen vs) f fg;
     m_va := upd (m_va vs) f va; m_path := upd (m_path vs) f path |}.

Definition clear_used (vs : VS) (f : nat) : VS :=
  {| pt_entry := pt_entry vs; p_vroot := p_vroot vs; p_satp := p_satp vs;
     m_used := upd (m_used vs) f false; m_proc := m_proc vs; m_pgen := m_pgen vs;
     m_fgen := m_fgen vs; m_va := m_va vs; m_path := m_path vs |}.

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
    [frame_find_free] and [vs_free_from]). *)
Definition free1 (st : State) : nat := lowest_free_from st 0.
Definition free2 (st : State) : nat := lowest_free_from st (S (free1 st)).
Definition free3 (st : State) : nat := lowest_free_from st (S (free2 st)).
Definition free_n (st : State) (n : nat) : bool :=
  (negb (1 <=? n) || (free1 st <? NFRAMES)) && (negb (2 <=? n) || (free2 st <? NFRAMES)) &&
  (negb (3 <=? n) || (free3 st <? NFRAMES)).

(** A forwarder path (as [map_path_of] returns it) is still in force. *)
Definition path_ok (st : State) (path : list (nat * N)) : bool :=
  (length path <=? MAXFWD) &&
  forallb (fun wg => (fst wg <? NFRAMES) && is_type st (fst wg) OT_FORWARDER &&
                     N.eqb (frame_gen st (fst wg)) (snd wg)) path.

Definition path_live (ks : KState) (vs : VS) (f : nat) : bool := path_ok (core ks) (m_path vs f).

(** Frame [f]'s recorded mapping is in force (the C's [map_live]). The
    ACSL's four conjuncts on the process are [proc_live]. *)
Definition mapping_live (ks : KState) (vs : VS) (f : nat) : bool :=
  let q := m_proc vs f in
  m_used vs f && proc_live ks q && N.eqb (p_gen (procs ks) q) (m_pgen vs f) &&
  (is_type (core ks) f OT_FRAME || is_type (core ks) f OT_DEVICE) &&
  N.eqb (frame_gen (core ks) f) (m_fgen vs f) && path_live ks vs f.

(** Room for [n] more frames on [c]'s path (the C's [vs_room]; it is
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

(** The C's [map_build]: init the new tables, link, leaf, record. *)
Definition map_build (s : KState * VS) (p f : nat) (va perm : N) (path : list (nat * N))
                     (n t2 t1 t0 : nat) : KState * VS :=
  let s1 := if n =? 3 then table_init s p t2 true else s in
  let s2 := if 2 <=? n then table_init s1 p t1 false else s1 in
  let s3 := if 1 <=? n then table_init s2 p t0 false else s2 in
  let ks := fst s3 in
  (ks, set_record (path_link (snd s3) p va n t2 t1 t0 f perm) f p
         (p_gen (procs ks) p) (frame_gen (core ks) f) va path).

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

(** The C's [map_commit]: claim the new tables from the top, then build. *)
Definition map_commit (s : KState * VS) (p f : nat) (va perm : N) (path : list (nat * N))
                      (c n : nat) : KState * VS :=
  let ks := fst s in let vs := snd s in
  let t2 := new_t2 ks vs p n in
  let t1 := new_t1 ks vs p va n in
  let t0 := new_t0 ks vs p va n in
  let st0 := core ks in
  let st1 := if n =? 3 then table_claim st0 c t2 else st0 in
  let st2 := if 2 <=? n then table_claim st1 c t1 else st1 in
  let st3 := if 1 <=? n then table_claim st2 c t0 else st2 in
  map_build (with_core ks st3, vs) p f va perm path n t2 t1 t0.

(** The C preconditions of [vs_map] on its arguments (a live process, a
    user frame or device page, [perm_ok], a path of live forwarders): a
    guard returning [E_BAD_ARG] here, as for the other operations. *)
Definition vs_map_pre (ks : KState) (p f : nat) (perm : N) (path : list (nat * N)) : bool :=
  proc_live ks p && (f <? NFRAMES) &&
  (is_type (core ks) f OT_FRAME || is_type (core ks) f OT_DEVICE) &&
  perm_ok perm && path_ok (core ks) path.

(* C: vs_map *)
(** Map frame [f] at [va] in [p]'s address space with [perm], recording
    the forwarders of [path]. Every table the path lacks is checked for
    (room, then free frames) before any is made: a refused map changes
    nothing. *)
Definition vs_map (s : KState * VS) (p f : nat) (va perm : N) (path : list (nat * N))
  : error * (KState * VS) :=
  let ks := fst s in let vs := snd s in let st := core ks in
  match (check vs_map_pre ks p f perm path else E_BAD_ARG ;;
         check va_ok va else E_BAD_ARG ;;
         check negb (mapping_live ks vs f) else E_MAPPED ;;
         let m := vs_missing ks vs p va in
         check (0 <=? m)%Z else E_MAPPED ;;
         check negb (Z.eqb m 0 && pte_valid (vs_e0 vs p va)) else E_MAPPED ;;
         let n := Z.to_nat m in
         let c := frame_owner st p in
         check (n =? 0) || vs_room st c n else E_OVER_LIMIT ;;
         check free_n st n else E_NO_MEMORY ;;
         Ok (map_commit s p f va perm path c n)) with
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

(** The C's [reap_one]. *)
Definition reap_one (ks : KState) (vs : VS) (f : nat) : VS :=
  if negb (m_used vs f) || mapping_live ks vs f then vs
  else clear_used (unmap_record ks vs f) f.

(** Frames [0 .. n-1] in order. *)
Fixpoint reap_pass (ks : KState) (vs : VS) (n : nat) : VS :=
  match n with
  | 0 => vs
  | S m => reap_one ks (reap_pass ks vs m) m
  end.

(* C: vs_reap *)
(** One pass over the frames below [hi], the core's high-water mark
    [f_hi] (no frame at or above it ever held an object; the spec's
    [State] does not carry it, so the caller passes it). *)
Definition vs_reap (s : KState * VS) (hi : nat) : KState * VS :=
  (fst s, reap_pass (fst s) (snd s) hi).

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

(** [pt_of], [proc_live], [path_ok], the frame tests read only the
    types and generations of the core. *)
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

Lemma vs_map_ok_inv : forall s p f va perm path s',
  vs_map s p f va perm path = (E_OK, s') ->
  vs_map_pre (fst s) p f perm path = true /\ va_ok va = true /\
  mapping_live (fst s) (snd s) f = false /\
  (0 <= vs_missing (fst s) (snd s) p va)%Z /\
  (Z.to_nat (vs_missing (fst s) (snd s) p va) = 0 \/
   path_room (core (fst s)) (frame_owner (core (fst s)) p) (Z.to_nat (vs_missing (fst s) (snd s) p va))) /\
  free_n (core (fst s)) (Z.to_nat (vs_missing (fst s) (snd s) p va)) = true /\
  s' = map_commit s p f va perm path (frame_owner (core (fst s)) p)
         (Z.to_nat (vs_missing (fst s) (snd s) p va)).
Proof.
  intros s p f va perm path s' H. unfold vs_map in H. cbv zeta in H.
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
Ltac vs_unfold := cbn [pt_entry p_vroot m_used m_proc m_pgen m_fgen m_path set_record set_root].

(** The commit, for each number [n] of new tables: the three tables on
    the path are [p]'s, only they are written, the path is linked and
    the leaf written; the core changes only by the claims. *)
Lemma commit_facts : forall ks vs p f va perm path n,
  Z.of_nat n = vs_missing ks vs p va -> free_n (core ks) n = true ->
  let t2 := new_t2 ks vs p n in let t1 := new_t1 ks vs p va n in
  let t0 := new_t0 ks vs p va n in
  let s' := map_commit (ks, vs) p f va perm path (frame_owner (core ks) p) n in
  pt_of (fst s') p t2 = true /\ pt_of (fst s') p t1 = true /\ pt_of (fst s') p t0 = true /\
  (forall x y, x <> t2 -> x <> t1 -> x <> t0 -> pt_entry (snd s') x y = pt_entry vs x y) /\
  (ppn_wf -> vs_missing (fst s') (snd s') p va = 0%Z /\ vs_e0 (snd s') p va = pte_of f perm) /\
  (forall x, frame_type (core ks) x <> OT_FREE -> frame_type (core (fst s')) x = frame_type (core ks) x) /\
  frame_gen (core (fst s')) = frame_gen (core ks) /\
  p_state (procs (fst s')) = p_state (procs ks) /\ p_gen (procs (fst s')) = p_gen (procs ks) /\
  m_used (snd s') f = true /\ m_proc (snd s') f = p /\
  m_pgen (snd s') f = p_gen (procs ks) p /\ m_fgen (snd s') f = frame_gen (core ks) f /\
  m_path (snd s') f = path.
Proof.
  intros ks vs p f va perm path n M Fn.
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
    cbn [map_commit map_build table_init new_t2 new_t1 new_t0 path_link fst snd Nat.eqb Nat.leb].
  all: match goal with |- pt_of ?k _ _ = true /\ _ => set (ks' := k) end.
  all: match goal with |- context [pt_entry (set_record ?v ?a ?b ?c ?d ?e ?g)] =>
         set (vs' := set_record v a b c d e g) end.
  - (* n = 3: a root and two tables, all new *)
    destruct F3 as [L3 T3]; [assumption|]. destruct F2 as [Lt2 T2]; [assumption|].
    specialize (F1 ltac:(assumption)).
    set (g1 := free1 (core ks)) in *. set (g2 := free2 (core ks)) in *.
    set (g3 := free3 (core ks)) in *.
    assert (D12 : g1 <> g2) by lia. assert (D13 : g1 <> g3) by lia. assert (D23 : g2 <> g3) by lia.
    assert (P1 : pt_of ks' p g1 = true) by (subst ks'; ptof).
    assert (P2 : pt_of ks' p g2 = true) by (subst ks'; ptof).
    assert (P3 : pt_of ks' p g3 = true) by (subst ks'; ptof).
    refine (conj P1 (conj P2 (conj P3 (conj _ (conj _ (conj _ (conj eq_refl (conj eq_refl
      (conj eq_refl (conj _ (conj _ (conj _ (conj _ _))))))))))))).
    + intros x y X1 X2 X3. subst vs'. vs_unfold. unfold path_link. cbn [Nat.eqb Nat.leb].
      pte_simpl. vs_unfold. pte_simpl. reflexivity.
    + intro W. destruct (link_pte_link ks' p g2 W ltac:(lia) P2) as [K2 C2].
      destruct (link_pte_link ks' p g3 W ltac:(lia) P3) as [K3 C3].
      assert (E2 : pt_entry vs' g1 (vpn2 va) = link_pte g2)
        by (subst vs'; vs_unfold; unfold path_link; cbn [Nat.eqb Nat.leb]; pte_simpl; reflexivity).
      assert (E1 : pt_entry vs' g2 (vpn1 va) = link_pte g3)
        by (subst vs'; vs_unfold; unfold path_link; cbn [Nat.eqb Nat.leb]; pte_simpl; reflexivity).
      assert (E0 : pt_entry vs' g3 (vpn0 va) = pte_of f perm)
        by (subst vs'; vs_unfold; unfold path_link; cbn [Nat.eqb Nat.leb]; pte_simpl; reflexivity).
      assert (Rt : p_vroot vs' p = g1) by (subst vs'; vs_unfold; unfold path_link; cbn [Nat.eqb Nat.leb]; vs_unfold; apply upd_eq).
      destruct (walk_built ks' vs' p va g1 g2 g3) as [Wm Wt]; try rewrite E2; try rewrite E1; auto.
      split; [exact Wm|]. unfold vs_e0. rewrite Wt. exact E0.
    + intros x Hx. subst ks'. cbn [core pt_bind with_procs with_core].
      rewrite !claim_type_other; [reflexivity|intro E; subst x; congruence..].
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
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
    refine (conj P0 (conj P1 (conj P2 (conj _ (conj _ (conj _ (conj eq_refl (conj eq_refl
      (conj eq_refl (conj _ (conj _ (conj _ (conj _ _))))))))))))).
    + intros x y X1 X2 X3. subst vs'. vs_unfold. unfold path_link. cbn [Nat.eqb Nat.leb].
      pte_simpl. reflexivity.
    + intro W. destruct (link_pte_link ks' p g1 W ltac:(lia) P1) as [K1 C1].
      destruct (link_pte_link ks' p g2 W ltac:(lia) P2) as [K2 C2].
      assert (E2 : pt_entry vs' vr (vpn2 va) = link_pte g1)
        by (subst vs'; vs_unfold; unfold path_link; cbn [Nat.eqb Nat.leb]; pte_simpl; reflexivity).
      assert (E1 : pt_entry vs' g1 (vpn1 va) = link_pte g2)
        by (subst vs'; vs_unfold; unfold path_link; cbn [Nat.eqb Nat.leb]; pte_simpl; reflexivity).
      assert (E0 : pt_entry vs' g2 (vpn0 va) = pte_of f perm)
        by (subst vs'; vs_unfold; unfold path_link; cbn [Nat.eqb Nat.leb]; pte_simpl; reflexivity).
      assert (Rt : p_vroot vs' p = vr) by (subst vs'; reflexivity).
      destruct (walk_built ks' vs' p va vr g1 g2) as [Wm Wt]; try rewrite E2; try rewrite E1; auto.
      split; [exact Wm|]. unfold vs_e0. rewrite Wt. exact E0.
    + intros x Hx. subst ks'. cbn [core pt_bind with_procs with_core].
      rewrite !claim_type_other; [reflexivity|intro E; subst x; congruence..].
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
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
    refine (conj P0 (conj P1 (conj P2 (conj _ (conj _ (conj _ (conj eq_refl (conj eq_refl
      (conj eq_refl (conj _ (conj _ (conj _ (conj _ _))))))))))))).
    + intros x y X1 X2 X3. subst vs'. vs_unfold. unfold path_link. cbn [Nat.eqb Nat.leb].
      pte_simpl. reflexivity.
    + intro W. destruct (link_pte_link ks' p g1 W ltac:(lia) P2) as [K1 C1].
      assert (E2 : pt_entry vs' vr (vpn2 va) = vs_e2 vs p va)
        by (subst vs'; vs_unfold; unfold path_link; cbn [Nat.eqb Nat.leb]; pte_simpl; reflexivity).
      assert (E1 : pt_entry vs' u1 (vpn1 va) = link_pte g1)
        by (subst vs'; vs_unfold; unfold path_link; cbn [Nat.eqb Nat.leb]; pte_simpl; reflexivity).
      assert (E0 : pt_entry vs' g1 (vpn0 va) = pte_of f perm)
        by (subst vs'; vs_unfold; unfold path_link; cbn [Nat.eqb Nat.leb]; pte_simpl; reflexivity).
      assert (Rt : p_vroot vs' p = vr) by (subst vs'; reflexivity).
      assert (K2 : pt_link ks' p (vs_e2 vs p va) = true) by exact (pt_link_move ks ks' p _ L2 P1).
      destruct (walk_built ks' vs' p va vr u1 g1) as [Wm Wt]; try rewrite E2; try rewrite E1; auto.
      split; [exact Wm|]. unfold vs_e0. rewrite Wt. exact E0.
    + intros x Hx. subst ks'. cbn [core pt_bind with_procs with_core].
      rewrite !claim_type_other; [reflexivity|intro E; subst x; congruence..].
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
  - (* n = 0: the whole path is there, only the leaf is written *)
    set (vr := p_vroot vs p) in *. set (u1 := vs_t1 vs p va) in *. set (u0 := vs_t0 vs p va) in *.
    assert (Pu1 : pt_of ks p u1 = true) by exact (pt_link_of _ _ _ L2).
    assert (Pu0 : pt_of ks p u0 = true) by exact (pt_link_of _ _ _ L1).
    assert (P0 : pt_of ks' p vr = true) by (subst ks'; ptof).
    assert (P1 : pt_of ks' p u1 = true) by (subst ks'; ptof).
    assert (P2 : pt_of ks' p u0 = true) by (subst ks'; ptof).
    refine (conj P0 (conj P1 (conj P2 (conj _ (conj _ (conj _ (conj eq_refl (conj eq_refl
      (conj eq_refl (conj _ (conj _ (conj _ (conj _ _))))))))))))).
    + intros x y X1 X2 X3. subst vs'. vs_unfold. unfold path_link. cbn [Nat.eqb Nat.leb].
      pte_simpl. reflexivity.
    + intro W.
      assert (E2 : pt_entry vs' vr (vpn2 va) = vs_e2 vs p va)
        by (subst vs'; vs_unfold; unfold path_link; cbn [Nat.eqb Nat.leb]; pte_simpl; reflexivity).
      assert (E1 : pt_entry vs' u1 (vpn1 va) = vs_e1 vs p va)
        by (subst vs'; vs_unfold; unfold path_link; cbn [Nat.eqb Nat.leb]; pte_simpl; reflexivity).
      assert (E0 : pt_entry vs' u0 (vpn0 va) = pte_of f perm)
        by (subst vs'; vs_unfold; unfold path_link; cbn [Nat.eqb Nat.leb]; pte_simpl; reflexivity).
      assert (Rt : p_vroot vs' p = vr) by (subst vs'; reflexivity).
      assert (K2 : pt_link ks' p (vs_e2 vs p va) = true) by exact (pt_link_move ks ks' p _ L2 P1).
      assert (K1 : pt_link ks' p (vs_e1 vs p va) = true) by exact (pt_link_move ks ks' p _ L1 P2).
      destruct (walk_built ks' vs' p va vr u1 u0) as [Wm Wt]; try rewrite E2; try rewrite E1; auto.
      split; [exact Wm|]. unfold vs_e0. rewrite Wt. exact E0.
    + intros x Hx. subst ks'. reflexivity.
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
    + subst vs'; vs_unfold; apply upd_eq.
Qed.


Lemma path_ok_same : forall st st' path,
  (forall x, frame_type st x <> OT_FREE -> frame_type st' x = frame_type st x) ->
  frame_gen st' = frame_gen st -> path_ok st path = true -> path_ok st' path = true.
Proof.
  unfold path_ok; intros st st' path T G H. apply andb_true_iff in H as [Lp H].
  rewrite Lp. cbn [andb]. rewrite forallb_forall in *. intros [w g] Iw. specialize (H _ Iw).
  cbn [fst snd] in *. apply andb_true_iff in H as [H Gw]. apply andb_true_iff in H as [Lw Tw].
  rewrite Lw, G, Gw. unfold is_type in *. rewrite T; [rewrite Tw; reflexivity|].
  apply ot_eqb_eq in Tw. rewrite Tw. discriminate.
Qed.

(** ** The theorems *)

Lemma error_eq_dec : forall a b : error, {a = b} + {a <> b}.
Proof. decide equality. Defined.

(** 1. A refused [vs_map] changes nothing. *)
Theorem vs_map_refused : forall s p f va perm path e s',
  vs_map s p f va perm path = (e, s') -> e <> E_OK -> s' = s.
Proof.
  intros s p f va perm path e s' H NE. unfold vs_map in H. cbv zeta in H.
  match type of H with context [match ?r with _ => _ end] => destruct r end;
    inversion H; subst; [congruence|reflexivity].
Qed.

(** The commit facts, from a successful [vs_map]. *)
Lemma vs_map_commit : forall ks vs p f va perm path s',
  vs_map (ks, vs) p f va perm path = (E_OK, s') ->
  let n := Z.to_nat (vs_missing ks vs p va) in
  Z.of_nat n = vs_missing ks vs p va /\ free_n (core ks) n = true /\
  vs_map_pre ks p f perm path = true /\
  (n = 0 \/ path_room (core ks) (frame_owner (core ks) p) n) /\
  s' = map_commit (ks, vs) p f va perm path (frame_owner (core ks) p) n.
Proof.
  intros ks vs p f va perm path s' H.
  apply vs_map_ok_inv in H as (Pre & _ & _ & Z0 & Rm & Fr & E). cbn [fst snd] in *.
  repeat split; auto. rewrite Z2Nat.id by exact Z0. reflexivity.
Qed.

(** 2. [vs_map] writes only into [p]'s own tables (as they are after it). *)
Theorem vs_map_only_mine : forall s p f va perm path e s',
  vs_map s p f va perm path = (e, s') ->
  forall t i, pt_entry (snd s') t i <> pt_entry (snd s) t i -> pt_of (fst s') p t = true.
Proof.
  intros [ks vs] p f va perm path e s' H t i D.
  destruct (error_eq_dec e E_OK) as [->|NE];
    [|apply vs_map_refused in H; [subst; contradiction|exact NE]].
  apply vs_map_commit in H as (M & Fr & _ & _ & ->).
  destruct (commit_facts ks vs p f va perm path _ M Fr) as (P2 & P1 & P0 & Un & _).
  cbn [snd] in D.
  destruct (Nat.eq_dec t (new_t2 ks vs p (Z.to_nat (vs_missing ks vs p va)))) as [->|N2]; [exact P2|].
  destruct (Nat.eq_dec t (new_t1 ks vs p va (Z.to_nat (vs_missing ks vs p va)))) as [->|N1]; [exact P1|].
  destruct (Nat.eq_dec t (new_t0 ks vs p va (Z.to_nat (vs_missing ks vs p va)))) as [->|N0]; [exact P0|].
  exfalso. apply D. apply Un; assumption.
Qed.

(** 3. A successful [vs_map]: the walk reaches the new leaf, and the
    frame's mapping is in force. *)
Theorem vs_map_ok : forall s p f va perm path s',
  ppn_wf -> vs_map s p f va perm path = (E_OK, s') ->
  vs_mapped (fst s') (snd s') p va = true /\ vs_e0 (snd s') p va = pte_of f perm /\
  mapping_live (fst s') (snd s') f = true.
Proof.
  intros [ks vs] p f va perm path s' W H.
  apply vs_map_commit in H as (M & Fr & Pre & _ & ->).
  destruct (commit_facts ks vs p f va perm path _ M Fr)
    as (_ & _ & _ & _ & Wk & Ty & Ge & Ps & Pg & Mu & Mp & Mg & Mf & Mpa).
  destruct (Wk W) as [Wm We]. split; [|split; [exact We|]].
  - unfold vs_mapped. rewrite Wm, We. cbn [Z.eqb andb]. unfold pte_of. apply leaf_entry.
  - unfold vs_map_pre in Pre.
    apply andb_true_iff in Pre as [Pre Pp]. apply andb_true_iff in Pre as [Pre _].
    apply andb_true_iff in Pre as [Pre Ft]. apply andb_true_iff in Pre as [Pl _].
    assert (Tp : frame_type (core ks) p = OT_PROCESS)
      by (unfold proc_live in Pl; repeat (apply andb_true_iff in Pl as [Pl ?]);
          apply is_type_true; assumption).
    assert (Tf : frame_type (core ks) f <> OT_FREE)
      by (intro E; unfold is_type in Ft; rewrite E in Ft; discriminate Ft).
    unfold mapping_live, path_live. cbv zeta. rewrite Mu, Mp, Mg, Mf, Mpa.
    match goal with |- context [proc_live ?k p] =>
      assert (Lp : proc_live k p = true) by
        (unfold proc_live in *; rewrite Ps, Pg, Ge,
           (is_type_same (core ks) (core k) p OT_PROCESS (Ty p ltac:(rewrite Tp; discriminate)));
         exact Pl);
      rewrite Lp end.
    rewrite Pg, N.eqb_refl, Ge, N.eqb_refl.
    rewrite (is_type_same (core ks) _ f OT_FRAME (Ty f Tf)), (is_type_same (core ks) _ f OT_DEVICE (Ty f Tf)), Ft.
    cbn [andb]. apply (path_ok_same (core ks)); auto.
Qed.

(** 4. [vs_map] keeps the core invariant: its tables are charged like
    [kobj_alloc]'s objects ([alloc_Invariant]). *)
Theorem vs_map_Invariant : forall s p f va perm path e s',
  Invariant (core (fst s)) -> vs_map s p f va perm path = (e, s') -> Invariant (core (fst s')).
Proof.
  intros [ks vs] p f va perm path e s' I H.
  destruct (error_eq_dec e E_OK) as [->|NE];
    [|apply vs_map_refused in H; [subst; exact I|exact NE]].
  apply vs_map_commit in H as (M & Fr & Pre & Rm & ->). cbn [fst] in I.
  set (c := frame_owner (core ks) p) in *.
  assert (Cc : is_container (core ks) c).
  { unfold vs_map_pre in Pre. apply andb_true_iff in Pre as [Pre _].
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
    unfold map_commit, map_build, table_init, new_t2, new_t1, new_t0; cbv zeta;
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

Lemma vs_walk_ext : forall ks vs vs' p va,
  pt_entry vs' = pt_entry vs -> p_vroot vs' = p_vroot vs ->
  vs_missing ks vs' p va = vs_missing ks vs p va /\ vs_e0 vs' p va = vs_e0 vs p va.
Proof.
  intros. unfold vs_missing, vs_e0, vs_t0, vs_e1, vs_t1, vs_e2. rewrite H, H0. auto.
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
Lemma mapping_live_record : forall ks vs vs' g,
  m_used vs' g = m_used vs g -> m_proc vs' g = m_proc vs g -> m_pgen vs' g = m_pgen vs g ->
  m_fgen vs' g = m_fgen vs g -> m_path vs' g = m_path vs g ->
  mapping_live ks vs' g = mapping_live ks vs g.
Proof. intros. unfold mapping_live, path_live. rewrite H, H0, H1, H2, H3. reflexivity. Qed.

Lemma unmap_record_m : forall ks vs f,
  m_used (unmap_record ks vs f) = m_used vs /\ m_proc (unmap_record ks vs f) = m_proc vs /\
  m_pgen (unmap_record ks vs f) = m_pgen vs /\ m_fgen (unmap_record ks vs f) = m_fgen vs /\
  m_path (unmap_record ks vs f) = m_path vs.
Proof.
  intros. unfold unmap_record. cbv zeta.
  repeat match goal with |- context [if ?b then _ else _] => destruct b end;
  repeat split.
Qed.

Lemma reap_one_other : forall ks vs f g, g <> f ->
  m_used (reap_one ks vs f) g = m_used vs g /\ m_proc (reap_one ks vs f) g = m_proc vs g /\
  m_pgen (reap_one ks vs f) g = m_pgen vs g /\ m_fgen (reap_one ks vs f) g = m_fgen vs g /\
  m_path (reap_one ks vs f) g = m_path vs g.
Proof.
  intros ks vs f g Ng. unfold reap_one.
  destruct (_ || _); [repeat split|].
  destruct (unmap_record_m ks vs f) as (A & B & C & D & E).
  cbn [clear_used m_used m_proc m_pgen m_fgen m_path]. rewrite upd_neq by assumption.
  rewrite A, B, C, D, E. repeat split.
Qed.

Lemma reap_one_same : forall ks vs f,
  (m_used (reap_one ks vs f) f = true -> mapping_live ks (reap_one ks vs f) f = true) /\
  (m_used vs f = true -> mapping_live ks vs f = true -> reap_one ks vs f = vs).
Proof.
  intros. unfold reap_one. split.
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
  - destruct (reap_one_other ks v m g Ng) as (A & B & C & D & E).
    rewrite (mapping_live_record ks v _ g A B C D E). rewrite A in U. apply IH; [lia|exact U].
Qed.


End Sized.
