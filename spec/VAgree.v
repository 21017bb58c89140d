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
       break it: [pt_bind] of a table to any process, [proc_create]
       without [vs_proc_init].)

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
Lemma map_commit_from : forall ks vs p f va perm path cs sl c n,
  n <= 3 -> free_n (core ks) n = true ->
  entries_from (map_value f perm) vs
    (snd (map_commit ppn_of frame_of_ppn vs_kroot (ks, vs) p f va perm path cs sl c n)).
Proof.
  intros ks vs p f va perm path cs sl c n Ln Fn.
  destruct (commit_through ppn_of frame_of_ppn vs_kroot ks vs p f va perm path cs sl c n)
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
  match type of NE with context [map_commit _ _ _ _ _ _ _ _ ?pa ?c ?sl ?o ?n] =>
    destruct (map_commit_from ks vs p (cap_obj r) va perm pa c sl o n Ln Fr t i) as [E|Mv];
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
  intros a s s' t i S. destruct S as [a ks ks' vs S|ks vs cs a b e st' hi D|ks vs cs a b e st' hi D
    |ks vs cs caller a b dst prio ks' P|s cur proc frame va perm e s' H|s cur proc va e s' H
    |s cs a0 e s' H|s cs a0 a1 a2 e s' H].
  - left; reflexivity.
  - unfold after_destroy. destruct (is_ok e); [|left; reflexivity].
    destruct (reap_pass_rm frame_of_ppn (proc_reap (with_core ks st')) vs hi) as (_ & _ & _ & _ & _ & E & _).
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
    mapping_live (fst s) (snd s) f = true /\ m_proc (snd s) f = p /\ m_va (snd s) f = va.

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
     m_fgen := fun _ => 0%N; m_va := fun _ => 0%N; m_path := fun _ => nil;
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

Lemma cx_run : vrun cx_ppn cx_frame 0 nil cx0 cx6 /\ vrun cx_ppn cx_frame 0 nil cx6 cx9.
Proof.
  split.
  - apply vr_step with (a := ACs 1) (s2 := cx1); [unfold cx1; apply vstep_sys; apply ss_obj_alloc_k|].
    apply vr_step with (a := ACs 1) (s2 := cx2);
      [unfold cx2; apply (vstep_proc_create cx_ppn cx_frame 0 nil cx1 1 0 0 2 3 0); lazy; reflexivity|].
    apply vr_step with (a := ACs 1) (s2 := cx3); [unfold cx3; apply vstep_sys; apply ss_obj_alloc_k|].
    apply vr_step with (a := ACs 1) (s2 := cx4);
      [unfold cx4; apply vstep_sys; eapply ss_cap_copy; apply surjective_pairing|].
    apply vr_step with (a := AProc 3) (s2 := cx5); [unfold cx5, cx_map; apply vstep_map|].
    apply vr_step with (a := ACs 1) (s2 := cx6); [unfold cx6; apply vstep_obj_free|]. apply vr_done.
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
    destruct (A 3 4096%N L eq_refl M) as (_ & _ & Va). cbv zeta in Va. rewrite C, V in Va. discriminate.
Qed.
