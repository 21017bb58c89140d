(** * VAgree: what the MMU sees, along a run

    [VRuns.v] states mapping authority about a frame's mapping RECORD
    ([m_used], [m_proc], [m_va], ...). The MMU does not read records: it
    reads page-table entries. This file asks whether the two agree along
    a run, and states authority at the level of the entries.

    1. The agreement is false for [vstep_by] (the counterexamples are
       spelled out in spec/README.md): [vstep_by] contains every [Runs.sstep_by]
       step with the address spaces unchanged ([vb_sys]: a destruction
       without the reaper, [pt_bind], [proc_create] without
       [vs_proc_init]) and the reaper with any bound [hi]; each of these
       can leave a leaf in force whose record is no longer in force, and
       a later map of the same frame then rewrites the record for another
       place while the old leaf still names the frame.

    2. What is true for every step, with no invariant:
       [vstep_entry]: an entry changes only to 0, or by a successful
       [sys_map] of the running process [cur] (into a process [cur] may
       map into, in a table of that process's), to one of the values a
       map writes ([map_value]: the leaf [pte_of f perm] of the frame [f]
       [cur]'s capability space holds with [perm_rights perm], a link to
       a table, a new table's first contents: 0 or the kernel's half of a
       root). [vrun_entry]: over a run, the final value of every entry is
       its value at the start, 0, or such a value written by a step of
       the run (and not changed since).

    3. Mapping authority at the level the MMU sees ([vrun_leaf_authority],
       [vrun_leaf_frame_rights], [no_leaf_spread], [no_write_leaf_spread]):
       given [ppn_wf], every valid leaf entry in any table at the end of a
       run (in particular the one a walk reaches) is the entry that was at
       the same place at the start, or the kernel's own (the kernel half
       of a root, [vs_kroot]), or it was written by a successful [sys_map]
       of a running process whose capability space then held the frame
       its ppn names with the write right if the leaf is writable and the
       read right if it is readable or executable, into a table of a
       process it may map into. Over a run in which no running process
       that makes a step holds frame [g] (resp. holds it with write), no
       new leaf naming [g] (resp. no new writable one) appears anywhere. *)

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

End Sized.
