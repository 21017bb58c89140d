(** * Tree: the accounting equation over the container tree

    MODEL.md states the accounting invariant as
    [c_usage c = c_own c + Σ (children k of c) c_usage k]. [Accounting.v]
    keeps [c_usage c] equal to the number of live frames owned in [c]'s
    subtree; this file derives MODEL.md's equation from that and the tree
    structure ([paths_wf]): the subtree of [c] is [c] itself and the
    disjoint subtrees of its children. A child of [c] is a container whose
    frame [c] owns (the root owns its own frame, and is nobody's child). *)

From Coq Require Import Arith NArith Bool Lia.
From Spec Require Import Model Ops Gens Invariants Counting Accounting.

(** The sizes are parameters (Model.v, [Sizes]): everything below holds
    for every instance. *)
Section Sized.
Context {SZ : Sizes}.

Fixpoint sum (n : nat) (f : nat -> nat) : nat :=
  match n with 0 => 0 | S m => sum m f + f m end.

Definition is_child (st : State) (k c : nat) : bool :=
  (k <? NFRAMES) && is_type st k OT_CONTAINER &&
  Nat.eqb (frame_owner st k) c && negb (Nat.eqb k c).

Lemma sum_plus : forall n (f g : nat -> nat), sum n (fun k => f k + g k) = sum n f + sum n g.
Proof. induction n; intros; simpl; [reflexivity|]. rewrite IHn. lia. Qed.

Lemma sum_zero : forall n, sum n (fun _ => 0) = 0.
Proof. induction n; simpl; [reflexivity|]. rewrite IHn. reflexivity. Qed.

Lemma sum_indicator : forall n (P : nat -> bool), sum n (fun k => if P k then 1 else 0) = count n P.
Proof. induction n; intros; simpl; [reflexivity|]. rewrite IHn. reflexivity. Qed.

(** Exchange of the two finite sums. *)
Lemma sum_count : forall n m (P : nat -> nat -> bool),
  sum n (fun k => count m (P k)) = sum m (fun g => count n (fun k => P k g)).
Proof.
  intros n m P. induction m; simpl.
  - apply sum_zero.
  - rewrite (sum_plus n (fun k => count m (P k)) (fun k => if P k m then 1 else 0)).
    rewrite IHm, sum_indicator. reflexivity.
Qed.

Lemma sum_ext : forall n (f g : nat -> nat), (forall k, k < n -> f k = g k) -> sum n f = sum n g.
Proof.
  induction n; intros; simpl; [reflexivity|].
  rewrite (IHn f g) by (intros; apply H; lia). rewrite H by lia. reflexivity.
Qed.

Local Opaque NFRAMES count.

Section Tree.
  Variable st : State.
  Context (FW : frames_wf st) (CW : containers_wf st) (PW : paths_wf st).

  Lemma child_depth : forall k c, is_container st k -> frame_owner st k = c -> k <> c ->
    c_depth st k = S (c_depth st c) /\ c_anc st k (c_depth st c) = c /\ is_container st c.
  Proof.
    intros k c Ck Ok Nkc. destruct (CW k Ck) as (_ & A & R0 & R1 & _).
    destruct (c_depth st k) eqn:E.
    - exfalso. apply Nkc. rewrite <- Ok. symmetry. apply R0. reflexivity.
    - rewrite R1 in Ok by lia. replace (S n - 1) with n in Ok by lia.
      destruct (PW k n Ck ltac:(lia)) as (C1 & D1 & _). rewrite Ok in C1, D1.
      rewrite D1. auto.
  Qed.

  (** The one child of [c] whose subtree holds container [o], when [o] is
      strictly below [c]. *)
  Lemma unique_child : forall o c, is_container st o -> is_container st c ->
    forall k, is_container st k -> frame_owner st k = c -> k <> c ->
    in_subtree st o k = true ->
    in_subtree st o c = true /\ o <> c /\ k = c_anc st o (S (c_depth st c)).
  Proof.
    intros o c Co Cc k Ck Ok Nkc Sk.
    destruct (child_depth k c Ck Ok Nkc) as (Dk & Ak & _).
    unfold in_subtree in Sk. apply andb_true_iff in Sk as [S1 S2].
    apply Nat.leb_le in S1. apply Nat.eqb_eq in S2.
    destruct (PW o (c_depth st k) Co S1) as (_ & _ & Pk). rewrite S2 in Pk.
    repeat split.
    - unfold in_subtree. apply andb_true_iff; split; [apply Nat.leb_le; lia|].
      apply Nat.eqb_eq. rewrite <- Pk by lia. exact Ak.
    - intro E; subst o. lia.
    - rewrite <- Dk. symmetry. exact S2.
  Qed.

  Lemma child_exists : forall o c, is_container st o -> is_container st c ->
    in_subtree st o c = true -> o <> c ->
    let k := c_anc st o (S (c_depth st c)) in
    is_container st k /\ frame_owner st k = c /\ k <> c /\ in_subtree st o k = true.
  Proof.
    intros o c Co Cc Soc Noc. cbv zeta. set (k := c_anc st o (S (c_depth st c))).
    unfold in_subtree in Soc. apply andb_true_iff in Soc as [S1 S2].
    apply Nat.leb_le in S1. apply Nat.eqb_eq in S2.
    destruct (CW o Co) as (_ & Ao & _).
    assert (Lt : S (c_depth st c) <= c_depth st o).
    { destruct (Nat.eq_dec (c_depth st c) (c_depth st o)) as [E|]; [|lia].
      exfalso. rewrite E, Ao in S2. contradiction. }
    destruct (PW o (S (c_depth st c)) Co Lt) as (Ck & Dk & Pk). fold k in Ck, Dk, Pk.
    destruct (CW k Ck) as (_ & _ & _ & R1 & _).
    split; [exact Ck|]. split; [|split].
    - rewrite R1 by lia. rewrite Dk. replace (S (c_depth st c) - 1) with (c_depth st c) by lia.
      rewrite Pk by lia. exact S2.
    - intro E. rewrite E in Dk. lia.
    - unfold in_subtree. rewrite Dk. apply andb_true_iff; split; [apply Nat.leb_le; lia|].
      apply Nat.eqb_eq. reflexivity.
  Qed.

  (** Per frame: owned strictly below [c] iff owned in exactly one child's
      subtree. *)
  Lemma per_frame : forall c g, is_container st c -> g < NFRAMES ->
    count NFRAMES (fun k => is_child st k c && live st g && in_subtree st (frame_owner st g) k) =
    if live st g && in_subtree st (frame_owner st g) c && negb (Nat.eqb (frame_owner st g) c)
    then 1 else 0.
  Proof.
    intros c g Cc Hg.
    destruct (live st g) eqn:Lg; [|apply count_zero; intros; rewrite andb_false_r; reflexivity].
    pose proof (proj2 (FW g Hg) Lg) as Co. set (o := frame_owner st g) in *.
    assert (Child : forall k, is_child st k c = true <->
              is_container st k /\ frame_owner st k = c /\ k <> c).
    { intros k. unfold is_child, is_container, is_type. split.
      - intro H. apply andb_true_iff in H as [H N]. apply andb_true_iff in H as [H O].
        apply andb_true_iff in H as [K T]. apply Nat.ltb_lt in K. apply ot_eqb_eq in T.
        apply Nat.eqb_eq in O. apply negb_true_iff, Nat.eqb_neq in N. auto.
      - intros ([K T] & O & N). apply Nat.ltb_lt in K. rewrite K, O, Nat.eqb_refl.
        rewrite (proj2 (ot_eqb_eq _ _) T). apply Nat.eqb_neq in N. rewrite N. reflexivity. }
    cbn [andb].
    destruct (in_subtree st o c && negb (Nat.eqb o c)) eqn:B.
    - apply andb_true_iff in B as [Soc N]. apply negb_true_iff, Nat.eqb_neq in N.
      destruct (child_exists o c Co Cc Soc N) as (Ck & Ok & Nk & Sk).
      set (k0 := c_anc st o (S (c_depth st c))) in *.
      apply (count_one NFRAMES _ k0); [destruct Ck; assumption| |].
      + rewrite (proj2 (Child k0) (conj Ck (conj Ok Nk))), Sk. reflexivity.
      + intros k Hk Ne. destruct (is_child st k c) eqn:Kc; [|reflexivity].
        apply Child in Kc as (Ck' & Ok' & Nk'). simpl andb.
        destruct (in_subtree st o k) eqn:Sk'; [|reflexivity]. exfalso.
        destruct (unique_child o c Co Cc k Ck' Ok' Nk' Sk') as (_ & _ & E). contradiction.
    - apply count_zero. intros k Hk.
      destruct (is_child st k c) eqn:Kc; [|reflexivity].
      apply Child in Kc as (Ck' & Ok' & Nk'). simpl andb.
      destruct (in_subtree st o k) eqn:Sk'; [|reflexivity]. exfalso.
      destruct (unique_child o c Co Cc k Ck' Ok' Nk' Sk') as (Soc & N & _).
      rewrite Soc in B. apply Nat.eqb_neq in N. rewrite N in B. discriminate.
  Qed.

  (** MODEL.md's accounting equation. *)
  Theorem usage_is_own_plus_children : forall c, accounting st -> is_container st c ->
    c_usage st c = c_own st c +
      sum NFRAMES (fun k => if is_child st k c then c_usage st k else 0).
  Proof.
    intros c AC Cc.
    destruct (AC c Cc) as [Oc Uc]. rewrite Uc, Oc.
    (* children's usage = their subtree counts *)
    rewrite (sum_ext NFRAMES _ (fun k => count NFRAMES
               (fun g => is_child st k c && live st g && in_subtree st (frame_owner st g) k))).
    2:{ intros k Hk. destruct (is_child st k c) eqn:Kc.
        - assert (Ck : is_container st k).
          { unfold is_child in Kc. apply andb_true_iff in Kc as [Kc _].
            apply andb_true_iff in Kc as [Kc _]. apply andb_true_iff in Kc as [_ T].
            split; [exact Hk|apply ot_eqb_eq; exact T]. }
          destruct (AC k Ck) as [_ Uk]. rewrite Uk. unfold subtree_count.
          apply count_ext. intros g _. reflexivity.
        - symmetry. apply count_zero. intros; reflexivity. }
    rewrite (sum_count NFRAMES NFRAMES
               (fun k g => is_child st k c && live st g && in_subtree st (frame_owner st g) k)).
    rewrite (sum_ext NFRAMES _ (fun g => if live st g && in_subtree st (frame_owner st g) c &&
                                               negb (Nat.eqb (frame_owner st g) c) then 1 else 0))
      by (intros g Hg; apply per_frame; assumption).
    rewrite sum_indicator. unfold subtree_count, owned_count.
    rewrite (count_split NFRAMES (fun g => live st g && in_subtree st (frame_owner st g) c)
               (fun g => Nat.eqb (frame_owner st g) c)).
    f_equal.
    - apply count_ext. intros g _.
      destruct (live st g), (Nat.eqb_spec (frame_owner st g) c) as [E|];
        rewrite ?andb_false_r; try reflexivity.
      rewrite E. destruct (CW c Cc) as (_ & A & _). unfold in_subtree.
      rewrite Nat.leb_refl, A, Nat.eqb_refl. reflexivity.
  Qed.
End Tree.

(** Along any run from boot, every live container satisfies MODEL.md's
    equation and its limit. *)
Theorem accounting_equation : forall r cs st0 st c,
  kernel_init r cs = (E_OK, st0) -> reachable st0 st -> is_container st c ->
  c_usage st c = c_own st c +
    sum NFRAMES (fun k => if is_child st k c then c_usage st k else 0) /\
  c_usage st c <= c_limit st c.
Proof.
  intros r cs st0 st c I R Cc.
  destruct (reachable_Invariant st0 st (kernel_init_Invariant r cs st0 I) R)
    as [_ (FW & CW & PW & AC)].
  split; [apply usage_is_own_plus_children; assumption|].
  apply (CW c Cc).
Qed.

(** ** The ACSL names of the same facts (kernel/include/model.acsl)

    The WP proof states the accounting invariant with these definitions:
    [own_count] and [child_sum] are the sums over the first [n] frames of
    the frame table (frames [0] to [n - 1]), by the same recursion as the ACSL logic functions;
    [acct_wf] is the equation as an invariant; [shape_wf] is the rest of
    the ACSL [Inv] (here, [Inv] itself). *)
Definition own_count (st : State) (c n : nat) : nat :=
  count n (fun g => live st g && Nat.eqb (frame_owner st g) c).

Definition child_sum (st : State) (c n : nat) : nat :=
  sum n (fun k => if is_child st k c then c_usage st k else 0).

(** [a] is a proper ancestor of [c]. *)
Definition proper_anc (st : State) (c a : nat) : bool :=
  in_subtree st c a && negb (Nat.eqb a c).

Definition shape_wf (st : State) : Prop := Inv st.

(** The lowest free frame at or above [n], [NFRAMES] if none: the frame
    an allocation takes, which the C's [frame_find_free] is proved to
    return as [lowest_free_from 0] (the ACSL assigns clauses of [obj_alloc]
    and [container_create] name it). *)
Fixpoint lowest_free_go (st : State) (fuel n : nat) : nat :=
  match fuel with
  | 0 => NFRAMES
  | S k => if is_type st n OT_FREE then n else lowest_free_go st k (S n)
  end.

Definition lowest_free_from (st : State) (n : nat) : nat :=
  lowest_free_go st (NFRAMES - n) n.

Definition acct_wf (st : State) : Prop :=
  forall c, is_container st c ->
    c_own st c = own_count st c NFRAMES /\
    c_usage st c = c_own st c + child_sum st c NFRAMES.

(** Every state reachable from boot satisfies [acct_wf]: the invariant the
    WP pass proves operation by operation on the C. *)
Theorem acct_wf_reachable : forall r cs st0 st,
  kernel_init r cs = (E_OK, st0) -> reachable st0 st -> acct_wf st.
Proof.
  intros r cs st0 st I R c Cc.
  destruct (reachable_Invariant st0 st (kernel_init_Invariant r cs st0 I) R)
    as [_ (FW & CW & PW & AC)].
  split.
  - destruct (AC c Cc) as [Oc _]. exact Oc.
  - unfold child_sum. apply usage_is_own_plus_children; assumption.
Qed.

End Sized.
