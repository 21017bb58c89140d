(** * Counting: the number of frames below [n] with a property

    Used to state the accounting invariant ([c_own] is the number of frames
    a container owns, [c_usage] the number of frames owned in its subtree)
    and to prove it. *)

From Coq Require Import Arith Bool Lia.

Fixpoint count (n : nat) (P : nat -> bool) : nat :=
  match n with
  | 0 => 0
  | S m => count m P + (if P m then 1 else 0)
  end.

Lemma count_ext : forall n P Q,
  (forall g, g < n -> P g = Q g) -> count n P = count n Q.
Proof.
  induction n; intros; simpl; [reflexivity|].
  rewrite (IHn P Q) by (intros; apply H; lia). rewrite (H n) by lia. reflexivity.
Qed.

Lemma count_le : forall n P Q,
  (forall g, g < n -> P g = true -> Q g = true) -> count n P <= count n Q.
Proof.
  induction n; intros; simpl; [lia|].
  assert (IH := IHn P Q ltac:(intros; apply H; auto; lia)).
  destruct (P n) eqn:E; [rewrite (H n) by (auto; lia)|destruct (Q n)]; lia.
Qed.

Lemma count_zero : forall n P, (forall g, g < n -> P g = false) -> count n P = 0.
Proof.
  induction n; intros; simpl; [reflexivity|].
  rewrite IHn by (intros; apply H; lia). rewrite H by lia. reflexivity.
Qed.

Lemma count_split : forall n P D,
  count n P = count n (fun g => P g && D g) + count n (fun g => P g && negb (D g)).
Proof.
  induction n; intros; simpl; [reflexivity|].
  rewrite (IHn P D). destruct (P n), (D n); simpl; lia.
Qed.

(** Changing the property at one index [f] changes the count by the
    difference there. *)
Lemma count_upd : forall n P Q f, f < n ->
  (forall g, g < n -> g <> f -> Q g = P g) ->
  count n Q + (if P f then 1 else 0) = count n P + (if Q f then 1 else 0).
Proof.
  induction n; intros P Q f Hf E; [lia|]; simpl.
  destruct (Nat.eq_dec f n) as [->|Ne].
  - rewrite (count_ext n Q P) by (intros; apply E; lia). lia.
  - rewrite (E n) by lia.
    assert (IH := IHn P Q f ltac:(lia) ltac:(intros; apply E; lia)). lia.
Qed.

(** A property true at exactly one index [f < n]. *)
Lemma count_one : forall n P f, f < n -> P f = true ->
  (forall g, g < n -> g <> f -> P g = false) -> count n P = 1.
Proof.
  intros.
  assert (U : count n P + (if (fun _ : nat => false) f then 1 else 0) =
              count n (fun _ => false) + (if P f then 1 else 0)).
  { apply (count_upd n (fun _ => false) P f); [assumption|].
    intros g Hg Ne. apply H1; assumption. }
  rewrite (count_zero n (fun _ => false)) in U by reflexivity.
  rewrite H0 in U. simpl in U. lia.
Qed.
