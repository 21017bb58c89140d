(** * VAgree: what the MMU sees, along a run

    [VRuns.v] states mapping authority about a frame's mapping RECORD
    ([m_used], [m_proc], [m_va], ...). The MMU does not read records: it
    reads page-table entries. This file asks whether the two agree along
    a run, and states authority at the level of the entries.

    1. The agreement ([leaf_agree]: for a live process and an address of
       the user range the walk maps, the frame the leaf names has its
       record in force for exactly that place) is FALSE along the runs of
       [vstep_by] ([leaf_agree_fails], a run from boot at the end of this
       file): [vstep_by] contains destructions whose reaper does not reach
       the destroyed frame (after [vb_obj_free] / [vb_container_destroy]
       the reaper runs below any bound [hi]; [vb_sys] has the plain
       destructions, with no reaper at all). Such a step leaves the leaf
       of a destroyed frame in force, its record no longer in force (A);
       [sys_map] checks only that the frame's record is not in force, so
       once the frame is allocated again a map of the new object rewrites
       the record for another place while the old leaf, written for the
       freed object, still names the frame (B). The C's syscall layer
       does not make these steps ([reap ()] passes the high-water mark
       [f_hi], above every frame that ever held an object); the relation,
       a superset of the C's steps, does. (Other steps of [vb_sys] that
       break it, argued, not run: [pt_bind] of a table to any process,
       [proc_create] without [vs_proc_init].) The converse ([record_agree]: every
       record in force has its leaf) fails too ([record_agree_fails]):
       the kernel's [pt_bind], a step of [vb_sys], rebinds a table in
       use to another process, and the walk of the mapping's process is
       blocked while its record stays in force.
       The steps that keep it: [boot_agree] (at boot, no walk maps),
       [sys_unmap_agree], [sys_cap_delete_agree], and
       [sys_cap_move_agree] if the destination slot's mark names no
       mapping in force; [walk_back]: a walk that maps after a step that
       only zeroes entries, keeps the roots and makes no table a
       process's, mapped before through the same entries. Not proved:
       [sys_map] (it needs the same condition on the slot it maps
       through, a kernel half of the roots with no links, and one path
       to each table of a process), the destructions with a reaper that
       reaches every used frame, process creation.

    2. What is true for every step, with no invariant:
       [vstep_entry]: an entry changes only to 0, or by a successful
       [sys_map] of the running process [cur] (into a process [cur] may
       map into, in a table of that process's), to one of the values a
       map writes ([map_value]: the leaf [pte_of f perm] of the frame [f]
       [cur]'s capability space holds with [perm_rights perm], a link to
       a table, a new table's first contents: 0 or the kernel's half of a
       root). [vrun_entry]: over a run, the final value of every entry is
       its value at the start, 0, or such a value written by a step of
       the run (and the same value at the end).

    3. Mapping authority at the level the MMU sees ([vrun_leaf_authority],
       [vrun_walk_authority], [no_leaf_spread], [no_write_leaf_spread]):
       given [ppn_wf], every valid leaf entry in any table at the end of a
       run (in particular the one a walk reaches) is the entry that was at
       the same place at the start, or the kernel's own (the kernel half
       of a root, [vs_kroot]), or it was written by a successful [sys_map]
       of a running process whose capability space then held the frame
       its ppn names with the write right if the leaf is writable and the
       read right if it is readable or executable, into a table of a
       process it may map into. Over a run in which no running process
       that makes a step holds frame [g] (resp. holds it with write), no
       new leaf naming [g] (resp. no new writable one) appears anywhere.
       What these do not say, because of 1: that the object in frame [f]
       at the end is the one the capability designated when the leaf was
       written (in B it is not). *)

From Coq Require Import Arith NArith ZArith Bool Lia List.
From Spec Require Import Model Ops Facts Invariants Accounting Tree Procs ProcTheorems Decode
  Runs VSpace VRuns.

Section Sized.
Context {SZ : Sizes}.

(** The architecture's parts, as in [VSpace.v] and [VRuns.v]. *)
Variable ppn_of : nat -> N.
Variable frame_of_ppn : N -> nat.
Variable vs_kernel_satp : N.
Variable vs_kroot : list (nat * N).

Local Notation vstep_by := (VRuns.vstep_by ppn_of frame_of_ppn vs_kernel_satp vs_kroot).
Local Notation vrun := (VRuns.vrun ppn_of frame_of_ppn vs_kernel_satp vs_kroot).
Local Notation in_vrun := (VRuns.in_vrun ppn_of frame_of_ppn vs_kernel_satp vs_kroot).
Local Notation sys_map := (VSpace.sys_map ppn_of frame_of_ppn vs_kroot).
Local Notation ppn_wf := (VSpace.ppn_wf ppn_of frame_of_ppn).

(** ** What a map writes into an entry *)

(** The values a successful map writes into entry [i] of a table: the
    leaf [pte_of f perm], a new table's first contents (0, or the
    kernel's half of a root at [i]), or a link to a table (a frame). *)
Definition map_value (f : nat) (perm : N) (i : nat) (e : N) : Prop :=
  e = pte_of ppn_of f perm \/ e = 0%N \/ e = init_row vs_kroot true i \/
  exists x, x < NFRAMES /\ e = link_pte ppn_of x.

(** Every entry of [vs'] is the one of [vs] at the same place, or a value
    [P] allows at its index. *)
Definition entries_from (P : nat -> N -> Prop) (vs vs' : VS) : Prop :=
  forall t i, pt_entry vs' t i = pt_entry vs t i \/ P i (pt_entry vs' t i).

Lemma from_eq : forall P vs vs', pt_entry vs' = pt_entry vs -> entries_from P vs vs'.
Proof. intros P vs vs' E t i. left. rewrite E. reflexivity. Qed.

Lemma from_trans : forall P a b c, entries_from P a b -> entries_from P b c -> entries_from P a c.
Proof.
  intros P a b c Hab Hbc t i. destruct (Hbc t i) as [E|E]; [|right; exact E].
  destruct (Hab t i) as [E'|E']; [left; congruence|right; rewrite E; exact E'].
Qed.

Lemma from_set_pte : forall (P : nat -> N -> Prop) vs t i e, P i e -> entries_from P vs (set_pte vs t i e).
Proof.
  intros P vs t i e H x y. unfold set_pte, upd2, upd; cbn [pt_entry].
  destruct (Nat.eqb_spec x t) as [->|]; [|left; reflexivity].
  destruct (Nat.eqb_spec y i) as [->|]; [right; exact H|left; reflexivity].
Qed.

Lemma from_set_row : forall (P : nat -> N -> Prop) vs t r, (forall i, P i (r i)) ->
  entries_from P vs (set_row vs t r).
Proof.
  intros P vs t r H x y. unfold set_row, upd; cbn [pt_entry].
  destruct (Nat.eqb_spec x t) as [->|]; [right; apply H|left; reflexivity].
Qed.

(** A new table's first contents are map values. *)
Lemma init_row_value : forall f perm root i, map_value f perm i (init_row vs_kroot root i).
Proof.
  intros f perm [|] i; unfold map_value; [right; right; left; reflexivity|right; left; reflexivity].
Qed.

Lemma from_table_init : forall f perm (b : bool) s p t root,
  entries_from (map_value f perm) (snd s) (snd (if b then table_init vs_kroot s p t root else s)).
Proof.
  intros. destruct b; [apply from_set_row; intro i; apply init_row_value|apply from_eq; reflexivity].
Qed.

(** [path_link] writes the leaf and links to the new tables. *)
Lemma path_link_from : forall vs p va n t2 t1 t0 f perm,
  (2 <= n -> t1 < NFRAMES) -> (1 <= n -> t0 < NFRAMES) ->
  entries_from (map_value f perm) vs (path_link ppn_of vs p va n t2 t1 t0 f perm).
Proof.
  intros vs p va n t2 t1 t0 f perm L1 L0. unfold path_link. cbv zeta.
  eapply from_trans; [|apply from_set_pte; left; reflexivity].
  destruct (1 <=? n) eqn:E1; [apply Nat.leb_le in E1|].
  1: eapply from_trans; [|apply from_set_pte; right; right; right; exists t0; split; [exact (L0 E1)|reflexivity]].
  all: destruct (2 <=? n) eqn:E2; [apply Nat.leb_le in E2|].
  1,3: eapply from_trans; [|apply from_set_pte; right; right; right; exists t1; split; [exact (L1 E2)|reflexivity]].
  all: destruct (n =? 3); apply from_eq; reflexivity.
Qed.

(** The whole commit of a map: every entry is as it was or a map value. *)
Lemma map_commit_from : forall ks vs p f va perm cs sl c n,
  n <= 3 -> free_n (core ks) n = true ->
  entries_from (map_value f perm) vs
    (snd (map_commit ppn_of frame_of_ppn vs_kroot (ks, vs) p f va perm cs sl c n)).
Proof.
  intros ks vs p f va perm cs sl c n Ln Fn.
  destruct (commit_through ppn_of frame_of_ppn vs_kroot ks vs p f va perm cs sl c n)
    as (_ & Pe & _). cbv zeta in Pe.
  eapply from_trans; [|apply from_eq; exact (eq_sym Pe)]. clear Pe.
  destruct (free_facts (core ks)) as (F1 & F2 & F3).
  unfold free_n in Fn.
  unfold map_commit_tables, map_build. cbv zeta. cbn [fst snd].
  eapply from_trans; [|apply from_eq; reflexivity].
  eapply from_trans; [|apply path_link_from].
  - do 3 (eapply from_trans; [|apply from_table_init]). apply from_eq; reflexivity.
  - intro L2. unfold new_t1.
    destruct n as [|[|[|[|n]]]]; try lia; cbn [Nat.eqb Nat.leb negb orb andb] in Fn |- *;
      repeat match goal with G : _ && _ = true |- _ => apply andb_true_iff in G as [? ?] end;
      apply Nat.ltb_lt; assumption.
  - intro L1. unfold new_t0.
    destruct n as [|[|[|[|n]]]]; try lia; cbn [Nat.eqb Nat.leb negb orb andb] in Fn |- *;
      repeat match goal with G : _ && _ = true |- _ => apply andb_true_iff in G as [? ?] end;
      apply Nat.ltb_lt; assumption.
Qed.

(** ** One step, one entry *)

(** A successful [sys_map] of the running process [cur] (from [s] to
    [s']) wrote [v] at entry [i] of table [t]: a value a map writes
    ([map_value]) for a frame [f] that [cur]'s capability space held with
    the rights the permission needs ([perm_rights]), into a table of a
    process [q] that [cur] may map into ([q] is [cur], or [cur]'s
    capability space holds it with the write right). *)
Definition map_wrote (cur : nat) (s s' : KState * VS) (t i : nat) (v : N) : Prop :=
  exists proc frame va perm q f,
    sys_map s cur (p_cspace (procs (fst s)) cur) proc frame va perm = (E_OK, s') /\
    perm_ok perm = true /\ f < NFRAMES /\
    holds (core (fst s)) (p_cspace (procs (fst s)) cur) f (perm_rights perm) /\
    (q = cur \/ holds (core (fst s)) (p_cspace (procs (fst s)) cur) q Wr) /\
    pt_of (fst s') q t = true /\
    pt_entry (snd s') t i = v /\ map_value f perm i v.

(** [vs_missing] is at most 3: the number of tables a map makes. *)
Lemma missing_le_3 : forall ks vs p va n, Z.of_nat n = vs_missing frame_of_ppn ks vs p va -> n <= 3.
Proof.
  intros ks vs p va n M.
  destruct (vs_missing_cases frame_of_ppn ks vs p va) as [(E & _)|[(E & _)|[(E & _)|[(E & _)|E]]]];
    rewrite E in M; lia.
Qed.

(** A successful map: each entry is as it was, or a map value written
    into a table of the map's process. *)
Lemma sys_map_entry : forall s cur proc frame va perm s' t i,
  sys_map s cur (p_cspace (procs (fst s)) cur) proc frame va perm = (E_OK, s') ->
  pt_entry (snd s') t i = pt_entry (snd s) t i \/ map_wrote cur s s' t i (pt_entry (snd s') t i).
Proof.
  intros s cur proc frame va perm s' t i H.
  assert (Pok : perm_ok perm = true) by (eapply sys_map_perm_ok; exact H).
  pose proof H as H0. apply sys_map_inv in H as (p & r & Pa & Fl & V).
  destruct (N.eq_dec (pt_entry (snd s') t i) (pt_entry (snd s) t i)) as [E|NE]; [left; exact E|right].
  assert (Pt : pt_of (fst s') p t = true) by (eapply vs_map_only_mine; eassumption).
  destruct s as [ks vs]. cbn [fst snd] in *.
  apply vs_map_commit in V as (M & Fr & Pre & _ & Es).
  pose proof (missing_le_3 _ _ _ _ _ M) as Ln.
  subst s'.
  match type of NE with context [map_commit _ _ _ _ _ _ _ _ ?c ?sl ?o ?n] =>
    destruct (map_commit_from ks vs p (cap_obj r) va perm c sl o n Ln Fr t i) as [E|Mv];
    [contradiction|] end.
  exists proc, frame, va, perm, p, (cap_obj r).
  unfold vs_map_pre in Pre. repeat (apply andb_true_iff in Pre as [Pre ?]).
  split; [exact H0|split; [exact Pok|split; [apply Nat.ltb_lt; assumption|]]].
  split; [exact (map_frame_lookup_holds _ _ _ _ _ Fl)|].
  split; [exact (proc_arg_touch _ _ _ _ _ Pa)|].
  split; [exact Pt|split; [reflexivity|exact Mv]].
Qed.

(** Every step: an entry is as it was, or 0 (an unmap, the reaper), or
    a successful map of the running process wrote it ([map_wrote]). *)
Theorem vstep_entry : forall a s s' t i, vstep_by a s s' ->
  pt_entry (snd s') t i = pt_entry (snd s) t i \/ pt_entry (snd s') t i = 0%N \/
  exists cur, a = AProc cur /\ map_wrote cur s s' t i (pt_entry (snd s') t i).
Proof.
  intros a s s' t i S. destruct S as [a ks ks' vs S|ks vs cs a b e st' hi D|ks vs cs a b e st' hi o ty D
    |ks vs cs a b e st' hi D
    |ks vs cs caller a b dst prio ks' P|s cur proc frame va perm e s' H|s cur proc va e s' H
    |s cs a0 e s' H|s cs a0 a1 a2 e s' H].
  - left; reflexivity.
  - unfold after_destroy. destruct (is_ok e); [|left; reflexivity].
    destruct (reap_pass_rm frame_of_ppn (proc_reap (with_core ks st')) vs hi) as (_ & _ & _ & _ & _ & E & _).
    destruct (E t i); [left|right; left]; assumption.
  - destruct (after_gone_rm frame_of_ppn e (with_core ks st') vs hi o ty) as [_ (_ & _ & _ & _ & _ & E & _)].
    destruct (E t i); [left|right; left]; assumption.
  - unfold after_destroy. destruct (is_ok e); [|left; reflexivity].
    destruct (reap_pass_rm frame_of_ppn (proc_reap (with_core ks st')) vs hi) as (_ & _ & _ & _ & _ & E & _).
    destruct (E t i); [left|right; left]; assumption.
  - left; reflexivity.
  - destruct (error_eq_dec e E_OK) as [->|NE];
      [|apply sys_map_refused in H; [subst; left; reflexivity|exact NE]].
    destruct (sys_map_entry _ _ _ _ _ _ _ t i H) as [E|W]; [left; exact E|].
    right; right. exists cur. split; [reflexivity|exact W].
  - destruct (error_eq_dec e E_OK) as [->|NE];
      [|apply sys_unmap_refused in H; [subst; left; reflexivity|exact NE]].
    unfold sys_unmap in H.
    destruct (proc_arg (fst s) cur _ proc) as [p|e1] eqn:Pa;
      [|inversion H; subst; apply proc_arg_no_eok in Pa; contradiction].
    apply vs_unmap_effects in H as (_ & _ & _ & _ & _ & _ & E & _).
    destruct (E t i); [left|right; left]; assumption.
  - destruct s as [ks vs].
    apply sys_cap_delete_cases in H as [(_ & -> & _)|(-> & st' & D & ->)]; [left; reflexivity|].
    cbn [fst snd].
    destruct (vs_slot_gone_effects frame_of_ppn (with_core ks st') vs cs (N.to_nat (slot32 a0)))
      as [_ (_ & _ & _ & _ & _ & E & _)].
    destruct (E t i); [left|right; left]; assumption.
  - destruct s as [ks vs].
    apply sys_cap_move_cases in H as [(_ & ->)|(-> & d & st' & D & C & ->)]; [left; reflexivity|].
    cbn [fst snd] in *.
    pose proof (cap_move_ok _ _ _ _ _ _ C) as (_ & _ & _ & _ & Nd & _ & _).
    assert (Nsd : ~ (cs = d /\ N.to_nat (slot32 a0) = N.to_nat (slot32 a2)))
      by (intros [-> E]; destruct Nd; congruence).
    destruct (vs_follow_effects (with_core ks st') vs cs _ d _ Nsd) as (_ & Pe & _).
    left. rewrite Pe. reflexivity.
Qed.

(** ** Over a run *)

(** The final value of every entry is its value at the start of the
    run, or 0, or the value a step of the run wrote there by a successful
    map ([map_wrote], and the same value at the end). *)
Theorem vrun_entry : forall s s' t i, vrun s s' ->
  pt_entry (snd s') t i = pt_entry (snd s) t i \/ pt_entry (snd s') t i = 0%N \/
  exists cur k1 k2, in_vrun (AProc cur) k1 k2 s s' /\ map_wrote cur k1 k2 t i (pt_entry (snd s') t i).
Proof.
  intros s s' t i R. induction R as [s|a s1 s2 s3 S R IH]; [left; reflexivity|].
  destruct IH as [E|[E|(cur & k1 & k2 & I & W)]].
  - rewrite E. destruct (vstep_entry a s1 s2 t i S) as [E1|[E1|(cur & -> & W)]];
      [left; exact E1|right; left; exact E1|].
    right; right. exists cur, s1, s2. split; [apply ivr_here; assumption|exact W].
  - right; left; exact E.
  - right; right. exists cur, k1, k2. split; [eapply ivr_later; eassumption|exact W].
Qed.

(** ** Leaves: what the MMU sees *)

(** The ppn a leaf [pte_of f perm] names is [f]'s, and a link to a frame
    is not a leaf (given [ppn_wf]); 0 is not valid. *)
Lemma pte_of_ppn : forall f perm, (ppn_of f < VS_PPN_END)%N ->
  pte_ppn (pte_of ppn_of f perm) = ppn_of f.
Proof.
  intros f perm L. unfold pte_ppn, pte_of.
  assert (B : (pte_bits perm < 1024)%N).
  { unfold pte_bits, VS_PTE_V, VS_PTE_U, VS_PTE_AD.
    assert ((perm mod 2 < 2)%N) by (apply N.mod_lt; lia).
    assert ((perm / 2 mod 2 < 2)%N) by (apply N.mod_lt; lia).
    assert ((perm / 4 mod 2 < 2)%N) by (apply N.mod_lt; lia). lia. }
  rewrite N.div_add_l by lia. rewrite (N.div_small _ _ B), N.add_0_r. apply N.mod_small. exact L.
Qed.

Lemma pte_of_child : forall f perm, ppn_wf -> f < NFRAMES ->
  pte_child frame_of_ppn (pte_of ppn_of f perm) = f.
Proof.
  intros f perm W L. destruct (W f L) as [Lt Bk]. unfold pte_child. rewrite pte_of_ppn by exact Lt.
  exact Bk.
Qed.

Lemma link_not_leaf : forall x, ppn_wf -> x < NFRAMES -> pte_leaf (link_pte ppn_of x) = false.
Proof.
  intros x W L. destruct (W x L) as [Lt _]. unfold link_pte.
  destruct (link_entry _ Lt) as (_ & Lf & _). exact Lf.
Qed.

Lemma zero_not_valid : pte_valid 0%N = false.
Proof. reflexivity. Qed.

(** Leaf authority over a run: given [ppn_wf], every valid leaf entry at
    the end of a run (in any table; [vrun_walk_authority] reads it for
    the leaf a walk reaches) is the entry that was at the same place at
    the start, or the kernel's own (the kernel half of a root), or a
    step of the run, a successful [sys_map] by the running process
    [cur], wrote it: the leaf [pte_of f perm] of the frame [f] its ppn
    names, [cur]'s capability space then holding [f] with the rights
    [perm] needs, so with the write right if the leaf is writable (W)
    and the read right if it is readable or executable (R, X), into a
    table of a process [q] [cur] may map into. *)
Theorem vrun_leaf_authority : forall s s' t i, ppn_wf -> vrun s s' ->
  let e := pt_entry (snd s') t i in
  pte_valid e = true -> pte_leaf e = true ->
  e = pt_entry (snd s) t i \/ e = init_row vs_kroot true i \/
  exists cur k1 k2 perm q, in_vrun (AProc cur) k1 k2 s s' /\
    let c := p_cspace (procs (fst k1)) cur in let f := pte_child frame_of_ppn e in
    (exists proc frame va, sys_map k1 cur c proc frame va perm = (E_OK, k2)) /\
    pt_entry (snd k2) t i = e /\ e = pte_of ppn_of f perm /\ f < NFRAMES /\
    (q = cur \/ holds (core (fst k1)) c q Wr) /\ pt_of (fst k2) q t = true /\
    holds (core (fst k1)) c f (perm_rights perm) /\
    (pte_w e = true -> holds (core (fst k1)) c f Wr) /\
    (pte_r e = true \/ pte_x e = true -> holds (core (fst k1)) c f Rd).
Proof.
  intros s s' t i W R. cbv zeta. intros V Lf.
  destruct (vrun_entry s s' t i R) as [E|[E|(cur & k1 & k2 & I & W1)]];
    [left; exact E|rewrite E in V; discriminate|].
  destruct W1 as (proc & frame & va & perm & q & f & Hm & Pok & Lt & Hh & Tq & Pt & Ek & Mv).
  destruct Mv as [Ef|[E0|[Ek0|(x & Lx & Ex)]]].
  - right; right. exists cur, k1, k2, perm, q. split; [exact I|]. cbv zeta.
    rewrite Ef, (pte_of_child f perm W Lt).
    split; [exists proc, frame, va; exact Hm|]. split; [rewrite Ek, Ef; reflexivity|].
    do 4 (split; [auto|]). split; [exact Hh|].
    exact (leaf_rights ppn_of _ _ _ _ Pok Hh).
  - rewrite E0 in V. discriminate.
  - right; left; exact Ek0.
  - rewrite Ex, (link_not_leaf x W Lx) in Lf. discriminate.
Qed.

(** The same for the leaf a walk reaches: a mapping [vs_mapped] by [p]
    at [va] at the end of a run whose leaf is a leaf. *)
Corollary vrun_walk_authority : forall s s' p va, ppn_wf -> vrun s s' ->
  let t := vs_t0 frame_of_ppn (snd s') p va in
  let e := vs_e0 frame_of_ppn (snd s') p va in
  vs_mapped frame_of_ppn (fst s') (snd s') p va = true -> pte_leaf e = true ->
  e = pt_entry (snd s) t (vpn0 va) \/ e = init_row vs_kroot true (vpn0 va) \/
  exists cur k1 k2 perm q, in_vrun (AProc cur) k1 k2 s s' /\
    let c := p_cspace (procs (fst k1)) cur in let f := pte_child frame_of_ppn e in
    (exists proc frame va', sys_map k1 cur c proc frame va' perm = (E_OK, k2)) /\
    pt_entry (snd k2) t (vpn0 va) = e /\ e = pte_of ppn_of f perm /\ f < NFRAMES /\
    (q = cur \/ holds (core (fst k1)) c q Wr) /\ pt_of (fst k2) q t = true /\
    holds (core (fst k1)) c f (perm_rights perm) /\
    (pte_w e = true -> holds (core (fst k1)) c f Wr) /\
    (pte_r e = true \/ pte_x e = true -> holds (core (fst k1)) c f Rd).
Proof.
  intros s s' p va W R. cbv zeta. intros M Lf.
  unfold vs_mapped in M. apply andb_true_iff in M as [_ V].
  exact (vrun_leaf_authority s s' _ _ W R V Lf).
Qed.

(** As [Runs.no_spread_rights], at the level of the entries: over a run
    in which no running process that makes a step holds frame [g]
    (through its capability space, with any rights), every valid leaf
    naming [g] at the end is the entry that was at its place at the
    start, or the kernel's own. *)
Corollary no_leaf_spread : forall s s' g t i, ppn_wf -> vrun s s' ->
  (forall cur k1 k2, in_vrun (AProc cur) k1 k2 s s' ->
     ~ holds (core (fst k1)) (p_cspace (procs (fst k1)) cur) g (mkRights false false false)) ->
  let e := pt_entry (snd s') t i in
  pte_valid e = true -> pte_leaf e = true -> pte_child frame_of_ppn e = g ->
  e = pt_entry (snd s) t i \/ e = init_row vs_kroot true i.
Proof.
  intros s s' g t i W R N. cbv zeta. intros V Lf G.
  destruct (vrun_leaf_authority s s' t i W R V Lf) as [E|[E|(cur & k1 & k2 & perm & q & I & P)]];
    [left; exact E|right; exact E|exfalso].
  cbv zeta in P. destruct P as (_ & _ & _ & _ & _ & _ & Hh & _). rewrite G in Hh.
  apply (N cur k1 k2 I). eapply holds_weaken; [exact Hh|]. unfold rle; cbn; repeat split; discriminate.
Qed.

(** The same for writable leaves: over a run in which no running process
    that makes a step holds [g] with the write right, every valid,
    writable leaf naming [g] at the end was at its place at the start, or
    is the kernel's own. *)
Corollary no_write_leaf_spread : forall s s' g t i, ppn_wf -> vrun s s' ->
  (forall cur k1 k2, in_vrun (AProc cur) k1 k2 s s' ->
     ~ holds (core (fst k1)) (p_cspace (procs (fst k1)) cur) g Wr) ->
  let e := pt_entry (snd s') t i in
  pte_valid e = true -> pte_leaf e = true -> pte_w e = true -> pte_child frame_of_ppn e = g ->
  e = pt_entry (snd s) t i \/ e = init_row vs_kroot true i.
Proof.
  intros s s' g t i W R N. cbv zeta. intros V Lf Wb G.
  destruct (vrun_leaf_authority s s' t i W R V Lf) as [E|[E|(cur & k1 & k2 & perm & q & I & P)]];
    [left; exact E|right; exact E|exfalso].
  cbv zeta in P. destruct P as (_ & _ & _ & _ & _ & _ & _ & Hw & _). rewrite G in Hw.
  exact (N cur k1 k2 I (Hw Wb)).
Qed.

(** ** The agreement, and the steps of a concrete run *)

(** The agreement of records and leaves: for every live process [p] and
    every address [va] of the user range the walk maps, the frame [f] the
    leaf names has its record in force for exactly that place. *)
Definition leaf_agree (s : KState * VS) : Prop :=
  forall p va, proc_live (fst s) p = true -> va_ok va = true ->
    vs_mapped frame_of_ppn (fst s) (snd s) p va = true ->
    let f := pte_child frame_of_ppn (vs_e0 frame_of_ppn (snd s) p va) in
    mapping_live (fst s) (snd s) f = true /\ m_proc (snd s) f = p /\ m_va (snd s) f = va /\
    f < NFRAMES.

(** The converse direction: every record in force has its leaf, the walk
    of its process at its address reaching its frame. *)
Definition record_agree (s : KState * VS) : Prop :=
  forall f, mapping_live (fst s) (snd s) f = true ->
    vs_mapped frame_of_ppn (fst s) (snd s) (m_proc (snd s) f) (m_va (snd s) f) = true /\
    pte_child frame_of_ppn (vs_e0 frame_of_ppn (snd s) (m_proc (snd s) f) (m_va (snd s) f)) = f.

(** The steps of [vstep_by] with their result named by the operation
    (for the run below). *)
Lemma vstep_sys : forall a s ks', sstep_by a (fst s) ks' -> vstep_by a s (ks', snd s).
Proof. intros a [ks vs] ks' H. apply vb_sys. exact H. Qed.

Lemma vstep_proc_create : forall s cs caller a b dst prio,
  fst (proc_create (fst s) cs caller a b dst prio) = E_OK ->
  let ks' := snd (proc_create (fst s) cs caller a b dst prio) in
  vstep_by (ACs cs) s (vs_proc_init vs_kernel_satp (ks', snd s) (cap_obj (cap (core ks') cs dst))).
Proof.
  intros [ks vs] cs caller a b dst prio E. cbv zeta.
  apply (vb_proc_create ppn_of frame_of_ppn vs_kernel_satp vs_kroot ks vs cs caller a b dst prio).
  rewrite <- E. apply surjective_pairing.
Qed.

Lemma vstep_map : forall s cur proc frame va perm,
  vstep_by (AProc cur) s (snd (sys_map s cur (p_cspace (procs (fst s)) cur) proc frame va perm)).
Proof. intros. eapply vb_map. apply surjective_pairing. Qed.

Lemma vstep_obj_free : forall s cs a b hi,
  let r := obj_free (core (fst s)) cs a b in
  vstep_by (ACs cs) s (after_destroy frame_of_ppn (fst r) (with_core (fst s) (snd r)) (snd s) hi).
Proof.
  intros [ks vs] cs a b hi. cbv zeta.
  apply (vb_obj_free ppn_of frame_of_ppn vs_kernel_satp vs_kroot ks vs cs a b). apply surjective_pairing.
Qed.

(** ** Steps that keep the agreement

    The agreement fails along [vstep_by] (below); these are the steps
    that keep it, whatever else holds: an unmap, a capability delete.
    They rest on [walk_back]: when entries are only set to 0, the roots
    stay and no table becomes a process's, a walk that maps after the
    step mapped before, through the same entries. *)

Lemma entry_kept : forall vs vs' t i,
  (pt_entry vs' t i = pt_entry vs t i \/ pt_entry vs' t i = 0%N) ->
  pte_valid (pt_entry vs' t i) = true -> pt_entry vs' t i = pt_entry vs t i.
Proof. intros vs vs' t i [E|E] V; [exact E|rewrite E in V; discriminate]. Qed.

Lemma pt_link_valid : forall ks p e, pt_link frame_of_ppn ks p e = true -> pte_valid e = true.
Proof. unfold pt_link; intros. repeat (apply andb_true_iff in H as [H ?]). exact H. Qed.

Lemma walk_back : forall ks ks' vs vs' p va,
  (forall t i, pt_entry vs' t i = pt_entry vs t i \/ pt_entry vs' t i = 0%N) ->
  p_vroot vs' = p_vroot vs ->
  (forall t, pt_of ks' p t = true -> pt_of ks p t = true) ->
  vs_mapped frame_of_ppn ks' vs' p va = true ->
  vs_mapped frame_of_ppn ks vs p va = true /\
  vs_t0 frame_of_ppn vs' p va = vs_t0 frame_of_ppn vs p va /\
  vs_e0 frame_of_ppn vs' p va = vs_e0 frame_of_ppn vs p va.
Proof.
  intros ks ks' vs vs' p va E Rt Pt M.
  unfold vs_mapped in M. apply andb_true_iff in M as [M V0]. apply Z.eqb_eq in M.
  destruct (vs_missing_cases frame_of_ppn ks' vs' p va)
    as [(M' & _)|[(M' & _)|[(M' & _)|[(_ & R & L2 & N2 & L1 & N1 & N0)|M']]]]; try (rewrite M in M'; discriminate).
  assert (E2 : vs_e2 vs' p va = vs_e2 vs p va).
  { unfold vs_e2 in *. rewrite Rt in *. apply entry_kept; [apply E|exact (pt_link_valid _ _ _ L2)]. }
  assert (T1 : vs_t1 frame_of_ppn vs' p va = vs_t1 frame_of_ppn vs p va) by (unfold vs_t1; rewrite E2; reflexivity).
  assert (E1 : vs_e1 frame_of_ppn vs' p va = vs_e1 frame_of_ppn vs p va).
  { unfold vs_e1 in *. rewrite T1 in *. apply entry_kept; [apply E|exact (pt_link_valid _ _ _ L1)]. }
  assert (T0 : vs_t0 frame_of_ppn vs' p va = vs_t0 frame_of_ppn vs p va) by (unfold vs_t0; rewrite E1; reflexivity).
  assert (E0 : vs_e0 frame_of_ppn vs' p va = vs_e0 frame_of_ppn vs p va).
  { unfold vs_e0 in *. rewrite T0 in *. apply entry_kept; [apply E|exact V0]. }
  split; [|split; [exact T0|exact E0]].
  rewrite Rt in R, N2, N0. rewrite E2 in L2. rewrite T1 in N2, N1. rewrite E1 in L1. rewrite T0 in N1, N0.
  destruct (walk_built frame_of_ppn ks vs p va (p_vroot vs p) (vs_t1 frame_of_ppn vs p va) (vs_t0 frame_of_ppn vs p va))
    as [Wm _]; try reflexivity.
  - exact (Pt _ R).
  - exact (pt_link_move _ _ _ _ _ L2 (Pt _ (pt_link_of _ _ _ _ L2))).
  - exact (pt_link_move _ _ _ _ _ L1 (Pt _ (pt_link_of _ _ _ _ L1))).
  - exact N2.
  - exact N1.
  - exact N0.
  - unfold vs_mapped. rewrite Wm, <- E0, V0. reflexivity.
Qed.

(** An unmap forgets only the record of the mapping it removes: the
    record of the frame the leaf named, for the same process and
    address. *)
Lemma vs_unmap_record : forall s p va s',
  vs_unmap frame_of_ppn s p va = (E_OK, s') -> forall g,
  mrec (snd s') g = mrec (snd s) g \/ (m_proc (snd s) g = p /\ m_va (snd s) g = va).
Proof.
  intros [ks vs] p va s' H g. unfold vs_unmap in H. cbv zeta in H.
  match goal with H : (match ?r with _ => _ end) = _ |- _ =>
    assert (NE : r <> Err E_OK) by no_eok; destruct r eqn:R end;
    inversion H; subst; [|congruence].
  peel R. apply Ok_inj in R. subst v. cbn [fst snd] in *.
  match goal with |- context [if ?b then _ else _] => destruct b eqn:B end; [|left; reflexivity].
  unfold mrec. cbn [clear_used set_pte m_used m_proc m_pgen m_fgen m_va].
  unfold upd. match goal with |- context [Nat.eqb g ?x] => destruct (Nat.eqb_spec g x) as [->|] end;
    [right|left; reflexivity].
  repeat (apply andb_true_iff in B as [B ?]).
  match goal with G : Nat.eqb (m_proc _ _) p = true |- _ => apply Nat.eqb_eq in G end.
  match goal with G : N.eqb (m_va _ _) va = true |- _ => apply N.eqb_eq in G end.
  cbn [set_pte m_proc m_va] in *. auto.
Qed.

(** An unmap keeps the agreement. *)
Theorem sys_unmap_agree : forall s cur cs proc va e s',
  sys_unmap frame_of_ppn s cur cs proc va = (e, s') -> leaf_agree s -> leaf_agree s'.
Proof.
  intros s cur cs proc va0 e s' H A.
  destruct (error_eq_dec e E_OK) as [->|NE]; [|apply sys_unmap_refused in H; [subst; exact A|exact NE]].
  unfold sys_unmap in H. destruct (proc_arg (fst s) cur cs proc) as [p0|e1] eqn:Pa;
    [|inversion H; subst; apply proc_arg_no_eok in Pa; contradiction].
  pose proof H as H1. pose proof H as H2.
  apply vs_unmap_effects in H as (Ks & Rec & C & G & Sl & Mk & E & Rt & _).
  apply vs_unmap_ok in H1 as (_ & _ & Z0 & _).
  intros p va L Va M. rewrite Ks in L, M |- *.
  destruct (walk_back (fst s) (fst s) (snd s) (snd s') p va E Rt (fun t X => X) M) as (M0 & T0 & E0).
  destruct (A p va L Va M0) as (Lv & Pp & Pv & Lt). cbv zeta in *. rewrite E0.
  set (f := pte_child frame_of_ppn (vs_e0 frame_of_ppn (snd s) p va)) in *.
  destruct (vs_unmap_record _ _ _ _ H2 f) as [R|(Pp0 & Pv0)].
  - assert (S : vrec_same (snd s) (snd s') f).
    { unfold vrec_same, mslot. rewrite C, G, Sl, Mk. auto. }
    rewrite (vrec_same_live _ _ _ _ S). destruct (mrec_parts _ _ _ R) as [Rp Rv].
    rewrite Rp, Rv. auto.
  - (* the record forgotten is this mapping's: its leaf is now 0 *)
    exfalso. rewrite Pp in Pp0. rewrite Pv in Pv0. subst p0 va0.
    unfold vs_mapped in M. apply andb_true_iff in M as [_ V]. rewrite Z0 in V. discriminate.
Qed.

(** The walk reads the kernel state only through [pt_of]. *)
Lemma vs_missing_ks : forall ks ks' vs p va, (forall t, pt_of ks' p t = pt_of ks p t) ->
  vs_missing frame_of_ppn ks' vs p va = vs_missing frame_of_ppn ks vs p va.
Proof. intros ks ks' vs p va H. unfold vs_missing, pt_link. rewrite !H. reflexivity. Qed.

(** A capability delete keeps the agreement: the one mapping made
    through the deleted slot has its leaf cleared by [vs_slot_gone]'s
    reap (the agreement says that leaf is the only one in force naming
    the frame); every other stays in force ([sys_cap_delete_kept]). *)
Theorem sys_cap_delete_agree : forall s cs a0 e s',
  sys_cap_delete frame_of_ppn s cs a0 = (e, s') -> leaf_agree s -> leaf_agree s'.
Proof.
  intros s cs a0 e s' H A.
  destruct (error_eq_dec e E_OK) as [->|NE];
    [|apply sys_cap_delete_cases in H as [(_ & -> & _)|(E & _)]; [exact A|contradiction]].
  pose proof H as Hk. destruct s as [ks vs].
  apply sys_cap_delete_cases in H as [(NE & _)|(_ & st' & D & ->)]; [congruence|].
  cbn [fst snd] in *. apply cap_delete_ok in D as (Cok & Lsl & ->).
  set (sl := N.to_nat (slot32 a0)) in *.
  set (ks' := with_core ks (set_cap (core ks) cs sl null_cap)) in *.
  assert (Pt : forall p t, pt_of ks' p t = pt_of ks p t) by (intros; apply pt_of_core; reflexivity).
  assert (Pl : forall p, proc_live ks' p = proc_live ks p) by (intros; apply proc_live_core; reflexivity).
  destruct (vs_slot_gone_effects frame_of_ppn ks' vs cs sl) as [Fk RM]. cbv zeta in Fk, RM.
  pose proof RM as RM'. destruct RM' as (Rec & C & G & Sl & Mk & E & Rt & _).
  intros p va L Va M. rewrite Fk in L, M |- *.
  set (v := snd (vs_slot_gone frame_of_ppn (ks', vs) cs sl)) in *.
  destruct (walk_back ks ks' vs v p va E Rt (fun t X => eq_ind _ (fun b => b = true) X _ (Pt p t)) M)
    as (M0 & T0 & E0).
  rewrite Pl in L. destruct (A p va L Va M0) as (Lv & Pp & Pv & Lt). cbv zeta in *.
  cbn [fst snd] in Lv, Pp, Pv, Lt. rewrite E0.
  set (f := pte_child frame_of_ppn (vs_e0 frame_of_ppn vs p va)) in *.
  destruct (Nat.eq_dec (m_cs vs f) cs) as [Ec|Nc]; [destruct (Nat.eq_dec (m_slot vs f) sl) as [Es|Ns]|].
  - (* the mapping made through the deleted slot: its leaf is cleared *)
    exfalso.
    assert (Lc : cs < NFRAMES) by (eapply cspace_ok_lt; exact Cok).
    destruct (slot_live_marked ks vs f (mapping_live_slot _ _ _ Lv)) as (Mf & _); [rewrite Ec; exact Lc|].
    rewrite Ec, Es in Mf.
    set (vs1 := set_mark vs cs sl 0).
    assert (D1 : mapping_live ks' vs1 f = false).
    { apply mark_gone_dead; cbn [vs1 set_mark m_cs m_slot cap_mapped]; rewrite Ec; [exact Lc|].
      rewrite Es, upd2_eq. discriminate. }
    assert (W1 : vs_missing frame_of_ppn ks' vs1 p va = 0%Z /\ vs_e0 frame_of_ppn vs1 p va = vs_e0 frame_of_ppn vs p va /\
                 vs_t0 frame_of_ppn vs1 p va = vs_t0 frame_of_ppn vs p va).
    { destruct (vs_walk_ext frame_of_ppn ks' vs vs1 p va eq_refl eq_refl) as [X Y].
      split; [rewrite X, (vs_missing_ks ks ks' vs p va (Pt p)); unfold vs_mapped in M0;
              apply andb_true_iff in M0 as [M0 _]; apply Z.eqb_eq; exact M0|split; [exact Y|reflexivity]]. }
    destruct W1 as (W1 & Ee & Te).
    assert (Ur : unmap_record frame_of_ppn ks' vs1 f = set_pte vs1 (vs_t0 frame_of_ppn vs p va) (vpn0 va) 0).
    { unfold unmap_record. cbn [vs1 set_mark m_proc m_va m_pgen]. rewrite Pp, Pv.
      unfold mapping_live in Lv. repeat (apply andb_true_iff in Lv as [Lv ?]).
      rewrite Pp in *. rewrite Pl, L.
      change (p_gen (procs ks') p) with (p_gen (procs ks) p).
      match goal with G : N.eqb (p_gen _ p) _ = true |- _ => rewrite G end.
      rewrite W1, Ee, Te. cbn [negb orb Z.eqb].
      unfold vs_mapped in M0. apply andb_true_iff in M0 as [_ V0]. rewrite V0.
      fold f. rewrite Nat.eqb_refl. reflexivity. }
    assert (Hv : v = clear_used (set_pte vs1 (vs_t0 frame_of_ppn vs p va) (vpn0 va) 0) f).
    { subst v. unfold vs_slot_gone. cbn [fst snd]. rewrite Mf.
      replace ((1 <=? S f) && (S f <=? NFRAMES)) with true
        by (symmetry; apply andb_true_iff; split; apply Nat.leb_le; lia).
      replace (S f - 1) with f by lia. cbn [fst snd]. fold vs1.
      unfold vs_reap_one. rewrite D1. cbn [vs1 set_mark m_used].
      unfold mapping_live in Lv. repeat (apply andb_true_iff in Lv as [Lv ?]). rewrite Lv.
      cbn [negb orb]. rewrite Ur. reflexivity. }
    unfold vs_mapped in M. apply andb_true_iff in M as [_ V].
    unfold vs_e0 in V. rewrite T0, Hv in V. cbn [clear_used set_pte pt_entry] in V.
    rewrite upd2_eq in V. discriminate.
  - pose proof (sys_cap_delete_kept ppn_of frame_of_ppn vs_kernel_satp _ _ _ _ f Hk Lv) as K.
    cbn [fst snd] in K. rewrite Fk in K.
    destruct (Rec f) as [R|(_ & R & _)]; [apply mrec_rest in R|]; unfold mrest in R; injection R; intros;
      (split; [apply K; intros [_ X]; exact (Ns X)|split; [congruence|split; [congruence|exact Lt]]]).
  - pose proof (sys_cap_delete_kept ppn_of frame_of_ppn vs_kernel_satp _ _ _ _ f Hk Lv) as K.
    cbn [fst snd] in K. rewrite Fk in K.
    destruct (Rec f) as [R|(_ & R & _)]; [apply mrec_rest in R|]; unfold mrest in R; injection R; intros;
      (split; [apply K; intros [X _]; exact (Nc X)|split; [congruence|split; [congruence|exact Lt]]]).
Qed.

(** At boot there is no page table: no walk maps, whatever the tables
    hold, so the agreement holds. *)
Lemma kboot_no_tables : forall r cs t, frame_type (core (snd (kboot r cs))) t <> OT_PAGETABLE.
Proof.
  intros r cs t. unfold kboot, kernel_init.
  destruct ((r <? NFRAMES) && (cs <? NFRAMES) && negb (Nat.eqb r cs)); cbn; [|discriminate].
  unfold upd. destruct (Nat.eqb t cs); [discriminate|]. destruct (Nat.eqb t r); discriminate.
Qed.

Theorem boot_agree : forall r cs vs, leaf_agree (snd (kboot r cs), vs).
Proof.
  intros r cs vs p va _ _ M. exfalso. cbn [fst snd] in M.
  unfold vs_mapped in M. apply andb_true_iff in M as [M _]. apply Z.eqb_eq in M.
  destruct (vs_missing_cases frame_of_ppn (snd (kboot r cs)) vs p va)
    as [(M' & _)|[(M' & _)|[(M' & _)|[(_ & R & _)|M']]]]; try (rewrite M in M'; discriminate).
  exact (kboot_no_tables r cs _ (pt_of_type _ _ _ R)).
Qed.

(** A capability move keeps the agreement, if the destination slot's
    mark names no mapping in force (in the C an empty slot's mark names
    none: a delete and a move clear the mark of the slot they empty;
    [vb_sys]'s plain [cap_delete] / [cap_move] do not; a move, or a map,
    through a slot so emptied then overwrites the mark, which takes the
    old mapping out of force and leaves its leaf: another way the
    agreement fails along [vstep_by], argued here, not run). The mapping
    made through the source slot follows the capability
    ([sys_cap_move_follows]); every other stays in force
    ([sys_cap_move_kept]); no entry, root or record changes. *)
Theorem sys_cap_move_agree : forall s cs a0 a1 a2 e s',
  sys_cap_move s cs a0 a1 a2 = (e, s') ->
  (forall g, mapping_live (fst s) (snd s) g = true ->
     ~ (m_cs (snd s) g = dst_named (fst s) cs a1 /\ m_slot (snd s) g = N.to_nat (slot32 a2))) ->
  leaf_agree s -> leaf_agree s'.
Proof.
  intros s cs a0 a1 a2 e s' H Hd A.
  destruct (error_eq_dec e E_OK) as [->|NE];
    [|apply sys_cap_move_cases in H as [(_ & ->)|(E & _)]; [exact A|contradiction]].
  pose proof H as Hk. destruct s as [ks vs].
  apply sys_cap_move_cases in H as [(NE & _)|(_ & d & st' & D & C & ->)]; [congruence|].
  cbn [fst snd] in *.
  pose proof (cap_move_ok _ _ _ _ _ _ C) as (_ & _ & _ & _ & Nd & Ft & Fg).
  set (src := N.to_nat (slot32 a0)) in *. set (dst := N.to_nat (slot32 a2)) in *.
  assert (Nsd : ~ (cs = d /\ src = dst)) by (intros [-> E]; destruct Nd; congruence).
  set (ks' := with_core ks st') in *.
  assert (Pt : forall p t, pt_of ks' p t = pt_of ks p t) by (intros; apply pt_of_core; rewrite Ft; reflexivity).
  assert (Pl : forall p, proc_live ks' p = proc_live ks p) by (intros; apply proc_live_core; [rewrite Ft; reflexivity|exact Fg]).
  destruct (vs_follow_effects ks' vs cs src d dst Nsd) as (Fk & Pe & Rt & _ & Rec). cbv zeta in Fk, Pe, Rt, Rec.
  intros p va L Va M. rewrite Fk in L, M |- *.
  set (v := snd (vs_follow (ks', vs) cs src d dst)) in *.
  destruct (walk_back ks ks' vs v p va (fun t i => or_introl (f_equal (fun r => r t i) Pe)) Rt
              (fun t X => eq_ind _ (fun b => b = true) X _ (Pt p t)) M) as (M0 & T0 & E0).
  rewrite Pl in L. destruct (A p va L Va M0) as (Lv & Pp & Pv & Lt). cbv zeta in *.
  cbn [fst snd] in Lv, Pp, Pv, Lt. rewrite E0.
  set (f := pte_child frame_of_ppn (vs_e0 frame_of_ppn vs p va)) in *.
  destruct (Rec f) as [R _]. destruct (mrec_parts _ _ _ R) as [Rp Rv]. rewrite Rp, Rv.
  split; [|auto].
  destruct (Nat.eq_dec (m_cs vs f) cs) as [Ec|Nc]; [destruct (Nat.eq_dec (m_slot vs f) src) as [Es|Ns]|].
  - destruct (sys_cap_move_follows ppn_of frame_of_ppn vs_kernel_satp _ _ _ _ _ _ Hk) as [Fo _].
    cbv zeta in Fo. cbn [fst snd] in Fo. rewrite Fk in Fo.
    assert (Sm : slot_maps ks vs cs src f = true) by (unfold slot_maps; rewrite Lv, Ec, Es, !Nat.eqb_refl; reflexivity).
    pose proof (Fo f Lt Sm) as Sm'. unfold slot_maps in Sm'.
    apply andb_true_iff in Sm' as [Sm' _]. apply andb_true_iff in Sm' as [Sm' _]. exact Sm'.
  - pose proof (sys_cap_move_kept ppn_of frame_of_ppn vs_kernel_satp _ _ _ _ _ _ f Hk Lv) as K.
    cbn [fst snd] in K. rewrite Fk in K.
    apply K; [intros [_ X]; exact (Ns X)|exact (Hd f Lv)].
  - pose proof (sys_cap_move_kept ppn_of frame_of_ppn vs_kernel_satp _ _ _ _ _ _ f Hk Lv) as K.
    cbn [fst snd] in K. rewrite Fk in K.
    apply K; [intros [X _]; exact (Nc X)|exact (Hd f Lv)].
Qed.

End Sized.

(** ** The agreement does not hold for [vstep_by]: a run from boot

    At 16 frames and 8 slots, frame [f] at physical page [f] ([ppn_wf]
    holds: [cx_ppn_wf]), no kernel half. From boot (root container 0,
    capability space 1), the root task's capability space makes a
    capability space (frame 2, slot 2), a process in it (frame 3, slot 3,
    with [vs_proc_init]), a frame (frame 4, slot 4), and copies the
    frame's capability into the process's capability space (slot 0).
    Process 3 maps it at 4096, readable and writable: three tables
    (frames 5, 6, 7), the leaf [pte_of 4 3], the record of frame 4 in
    force for (3, 4096) ([cx5_facts]). Then:
    - A. [obj_free] of frame 4 (slot 4), with the reaper after it as
      [vb_obj_free] runs it, but below the bound [hi = 0]: the frame is
      free, its record is no longer in force, and the leaf is still in
      force, naming frame 4 ([cx6_facts]). (The same with the plain
      [obj_free] of [vb_sys], which has no reaper at all.)
    - B. Then a new frame is allocated (frame 4 again, the lowest free;
      slot 5), its capability copied to the process (slot 1), and
      process 3 maps it at 8192: [sys_map] checks only that frame 4's
      old record is not in force. Now the record of frame 4 is in force
      for (3, 8192), and the leaf at 4096, still in force, names the
      same frame: the new object is mapped twice, once through a leaf
      written for the object that was freed ([cx9_facts]).
    [leaf_agree] holds at boot ([cx0_agree]) and fails after A and after
    B ([leaf_agree_fails]). What makes it fail is a step of [vstep_by]
    that the syscall layer does not make: a destruction whose reaper
    does not reach the frame (the C's [reap ()] passes the high-water
    mark [f_hi], above every frame that ever held an object), or a plain
    destruction of [vb_sys].

    The facts are computed with [lazy]: [vm_compute] would build the unary
    [nat] [TICKET_MAX] (2^64 - 1) as soon as the reaper's code, which can
    take a ticket, is linked. *)

#[local] Instance cx_sizes : Sizes := {| NFRAMES := 16; NSLOTS := 8; NFRAMES_two := ltac:(repeat constructor) |}.

Definition cx_ppn (f : nat) : N := N.of_nat f.
Definition cx_frame (n : N) : nat := if (n <? 16)%N then N.to_nat n else 16.

Lemma cx_ppn_wf : ppn_wf cx_ppn cx_frame.
Proof.
  intros f L. cbn in L. unfold cx_ppn, cx_frame, VS_PPN_END. split; [lia|].
  assert (E : (N.of_nat f <? 16)%N = true) by (apply N.ltb_lt; lia). rewrite E. apply Nat2N.id.
Qed.

Definition cx_vs0 : VS :=
  {| pt_entry := fun _ _ => 0%N; p_vroot := fun _ => 0; p_satp := fun _ => 0%N;
     m_used := fun _ => false; m_proc := fun _ => 0; m_pgen := fun _ => 0%N;
     m_fgen := fun _ => 0%N; m_va := fun _ => 0%N;
     m_cs := fun _ => 0; m_csgen := fun _ => 0%N; m_slot := fun _ => 0;
     cap_mapped := fun _ _ => 0 |}.

Definition cx_map (s : KState * VS) (cur : nat) (frame va : N) : KState * VS :=
  snd (sys_map cx_ppn cx_frame nil s cur (p_cspace (procs (fst s)) cur) SLOT_SELF frame va 3).

Definition cx0 : KState * VS := (snd (kboot 0 1), cx_vs0).
Definition cx1 : KState * VS := (snd (obj_alloc_k (fst cx0) 1 0 2 2), snd cx0).
Definition cx_pc : error * KState := proc_create (fst cx1) 1 0 0 2 3 0.
Definition cx2 : KState * VS :=
  vs_proc_init 0 (snd cx_pc, snd cx1) (cap_obj (cap (core (snd cx_pc)) 1 3)).
Definition cx3 : KState * VS := (snd (obj_alloc_k (fst cx2) 1 0 3 4), snd cx2).
Definition cx4 : KState * VS := (snd (sys_cap_copy (fst cx3) 1 4 2 0 7), snd cx3).
Definition cx5 : KState * VS := cx_map cx4 3 0 4096.
Definition cx6 : KState * VS :=
  let r := obj_free (core (fst cx5)) 1 0 4 in
  after_destroy cx_frame (fst r) (with_core (fst cx5) (snd r)) (snd cx5) 0.
Definition cx7 : KState * VS := (snd (obj_alloc_k (fst cx6) 1 0 3 5), snd cx6).
Definition cx8 : KState * VS := (snd (sys_cap_copy (fst cx7) 1 5 2 1 7), snd cx7).
Definition cx9 : KState * VS := cx_map cx8 3 1 8192.

Lemma cx_run5 : vrun cx_ppn cx_frame 0 nil cx0 cx5.
Proof.
  apply vr_step with (a := ACs 1) (s2 := cx1); [unfold cx1; apply vstep_sys; apply ss_obj_alloc_k|].
  apply vr_step with (a := ACs 1) (s2 := cx2);
    [unfold cx2; apply (vstep_proc_create cx_ppn cx_frame 0 nil cx1 1 0 0 2 3 0); lazy; reflexivity|].
  apply vr_step with (a := ACs 1) (s2 := cx3); [unfold cx3; apply vstep_sys; apply ss_obj_alloc_k|].
  apply vr_step with (a := ACs 1) (s2 := cx4);
    [unfold cx4; apply vstep_sys; eapply ss_cap_copy; apply surjective_pairing|].
  apply vr_step with (a := AProc 3) (s2 := cx5); [unfold cx5, cx_map; apply vstep_map|]. apply vr_done.
Qed.

(** A run, then a step. *)
Lemma vrun_snoc : forall po fo sa kr s1 s2 s3 a, vrun po fo sa kr s1 s2 -> vstep_by po fo sa kr a s2 s3 ->
  vrun po fo sa kr s1 s3.
Proof.
  intros po fo sa kr s1 s2 s3 a R S. induction R as [s|b t1 t2 t3 T R IH].
  - eapply vr_step; [exact S|apply vr_done].
  - eapply vr_step; [exact T|exact (IH S)].
Qed.

Lemma cx_run : vrun cx_ppn cx_frame 0 nil cx0 cx6 /\ vrun cx_ppn cx_frame 0 nil cx6 cx9.
Proof.
  split.
  - eapply vrun_snoc; [exact cx_run5|]. unfold cx6. apply vstep_obj_free.
  - apply vr_step with (a := ACs 1) (s2 := cx7); [unfold cx7; apply vstep_sys; apply ss_obj_alloc_k|].
    apply vr_step with (a := ACs 1) (s2 := cx8);
      [unfold cx8; apply vstep_sys; eapply ss_cap_copy; apply surjective_pairing|].
    apply vr_step with (a := AProc 3) (s2 := cx9); [unfold cx9, cx_map; apply vstep_map|]. apply vr_done.
Qed.

(** Before A: the mapping of frame 4 at 4096 is in force, record and
    leaf agreeing; every operation of the run succeeded. *)
Lemma cx5_facts :
  fst cx_pc = E_OK /\ proc_live (fst cx5) 3 = true /\
  p_vroot (snd cx5) 3 = 5 /\ vs_t1 cx_frame (snd cx5) 3 4096 = 6 /\ vs_t0 cx_frame (snd cx5) 3 4096 = 7 /\
  vs_mapped cx_frame (fst cx5) (snd cx5) 3 4096 = true /\
  vs_e0 cx_frame (snd cx5) 3 4096 = pte_of cx_ppn 4 3 /\
  pte_child cx_frame (vs_e0 cx_frame (snd cx5) 3 4096) = 4 /\
  mapping_live (fst cx5) (snd cx5) 4 = true /\ m_proc (snd cx5) 4 = 3 /\ m_va (snd cx5) 4 = 4096%N.
Proof. lazy. repeat split. Qed.

(** After A: the frame is free, its record not in force, the leaf still
    in force. *)
Lemma cx6_facts :
  fst (obj_free (core (fst cx5)) 1 0 4) = E_OK /\ frame_type (core (fst cx6)) 4 = OT_FREE /\
  proc_live (fst cx6) 3 = true /\ vs_mapped cx_frame (fst cx6) (snd cx6) 3 4096 = true /\
  pte_child cx_frame (vs_e0 cx_frame (snd cx6) 3 4096) = 4 /\
  mapping_live (fst cx6) (snd cx6) 4 = false.
Proof. lazy. repeat split. Qed.

(** After B: frame 4 holds a new frame (generation 1), mapped at 8192
    (record in force), and the leaf at 4096, written for the freed
    object, is in force and names it too. *)
Lemma cx9_facts :
  frame_type (core (fst cx9)) 4 = OT_FRAME /\ frame_gen (core (fst cx9)) 4 = 1%N /\
  vs_mapped cx_frame (fst cx9) (snd cx9) 3 8192 = true /\
  pte_child cx_frame (vs_e0 cx_frame (snd cx9) 3 8192) = 4 /\
  proc_live (fst cx9) 3 = true /\ vs_mapped cx_frame (fst cx9) (snd cx9) 3 4096 = true /\
  pte_child cx_frame (vs_e0 cx_frame (snd cx9) 3 4096) = 4 /\
  mapping_live (fst cx9) (snd cx9) 4 = true /\ m_proc (snd cx9) 4 = 3 /\ m_va (snd cx9) 4 = 8192%N.
Proof. lazy. repeat split. Qed.

Lemma cx0_agree : leaf_agree cx_frame cx0.
Proof. intros p va _ _ M. lazy in M. discriminate. Qed.

(** The agreement holds at boot and fails along a run of [vstep_by]:
    after A (the leaf's record is no longer in force) and after B (the
    leaf's record is in force for another place). *)
Theorem leaf_agree_fails :
  leaf_agree cx_frame cx0 /\ vrun cx_ppn cx_frame 0 nil cx0 cx6 /\ ~ leaf_agree cx_frame cx6 /\
  vrun cx_ppn cx_frame 0 nil cx6 cx9 /\ ~ leaf_agree cx_frame cx9.
Proof.
  destruct cx_run as [R1 R2].
  split; [exact cx0_agree|split; [exact R1|split; [|split; [exact R2|]]]]; intro A.
  - destruct cx6_facts as (_ & _ & L & M & C & D).
    destruct (A 3 4096%N L eq_refl M) as (Lv & _). cbv zeta in Lv. rewrite C, D in Lv. discriminate.
  - destruct cx9_facts as (_ & _ & _ & _ & L & M & C & _ & _ & V).
    destruct (A 3 4096%N L eq_refl M) as (_ & _ & Va & _). cbv zeta in Va. rewrite C, V in Va. discriminate.
Qed.

(** The converse fails too, through another step of [vb_sys] the C does
    not make: the kernel's [pt_bind] of a table in use to another process
    (the architecture layer binds only a table it has just allocated).
    From [cx5], binding process 3's level-0 table (frame 7) to frame 0
    leaves the record of frame 4 in force while process 3's walk at 4096
    is blocked. *)
Definition cxb : KState * VS := (pt_bind (fst cx5) 7 0, snd cx5).

Lemma cxb_facts :
  mapping_live (fst cxb) (snd cxb) 4 = true /\ m_proc (snd cxb) 4 = 3 /\ m_va (snd cxb) 4 = 4096%N /\
  vs_mapped cx_frame (fst cxb) (snd cxb) 3 4096 = false.
Proof. lazy. repeat split. Qed.

Theorem record_agree_fails :
  record_agree cx_frame cx0 /\ vrun cx_ppn cx_frame 0 nil cx0 cxb /\ ~ record_agree cx_frame cxb.
Proof.
  split; [|split].
  - intros f L. exfalso. lazy in L. discriminate.
  - eapply vrun_snoc; [exact cx_run5|]. unfold cxb. apply vstep_sys. apply ss_pt_bind.
  - intro A. destruct cxb_facts as (L & P & V & M).
    destruct (A 4 L) as [M' _]. rewrite P, V, M in M'. discriminate.
Qed.
