(** * Facts: small lemmas about the guard helpers, used by every proof *)

From Coq Require Import Arith NArith Bool Lia.
From Spec Require Import Model Ops.

(** The sizes are parameters (Model.v, [Sizes]): everything below holds
    for every instance. *)
Section Sized.
Context {SZ : Sizes}.

Lemma lookup_ok : forall st cs s ty nr nw k,
  lookup st cs s ty nr nw = Ok k ->
  k = cap st cs s /\ s < NSLOTS /\ cap_valid st k = true /\
  (forall t, ty = Some t -> cap_type k = t) /\
  (nr = true -> cap_read k = true) /\ (nw = true -> cap_write k = true).
Proof.
  unfold lookup, bind, guard; intros.
  destruct (s <? NSLOTS) eqn:Hs; [|discriminate].
  destruct (negb _) eqn:He; [|discriminate].
  destruct (cap_valid st (cap st cs s)) eqn:Hv; [|discriminate].
  apply Nat.ltb_lt in Hs.
  destruct ty as [t|]; [destruct (ot_eqb _ t) eqn:Ht|]; try discriminate;
  destruct (implb nr _ && implb nw _) eqn:Hr; try discriminate;
  inversion H; subst; apply andb_true_iff in Hr as [Hr1 Hr2];
  repeat split; auto; intros; subst; try discriminate;
  try (apply ot_eqb_eq; congruence);
  try (inversion H0; subst; apply ot_eqb_eq; assumption);
  simpl in *; assumption.
Qed.

Lemma lookup_no_eok : forall st cs s ty nr nw, lookup st cs s ty nr nw <> Err E_OK.
Proof.
  unfold lookup, bind, guard; intros.
  destruct (s <? NSLOTS); [|discriminate].
  destruct (negb _); [|discriminate].
  destruct (cap_valid _ _); [|discriminate].
  destruct ty as [t|]; [destruct (ot_eqb _ t)|]; try discriminate;
  destruct (_ && _); discriminate.
Qed.

Lemma free_dst_ok : forall st cs d u,
  free_dst st cs d = Ok u -> d < NSLOTS /\ cap_type (cap st cs d) = OT_FREE.
Proof.
  unfold free_dst, bind, guard; intros.
  destruct (d <? NSLOTS) eqn:Hd; [|discriminate].
  destruct (ot_eqb _ _) eqn:Ht; [|discriminate].
  apply Nat.ltb_lt in Hd. apply ot_eqb_eq in Ht. auto.
Qed.

Lemma free_dst_no_eok : forall st cs d, free_dst st cs d <> Err E_OK.
Proof.
  unfold free_dst, bind, guard; intros.
  destruct (d <? NSLOTS); [|discriminate]. destruct (ot_eqb _ _); discriminate.
Qed.

Lemma alloc_frame_no_eok : forall st, alloc_frame st <> Err E_OK.
Proof. unfold alloc_frame; intros; destruct (lowest_free st); discriminate. Qed.

Lemma alloc_type_no_eok : forall n, alloc_type n <> Err E_OK.
Proof.
  unfold alloc_type; intros; destruct (objtype_of_code n); [destruct (allocatable o)|];
  discriminate.
Qed.

Lemma alloc_type_ok : forall n t, alloc_type n = Ok t -> allocatable t = true.
Proof.
  unfold alloc_type; intros; destruct (objtype_of_code n); [|discriminate].
  destruct (allocatable o) eqn:E; inversion H; subst; auto.
Qed.

Lemma lowest_free_below_spec : forall st n f,
  lowest_free_below st n = Some f -> f < n /\ frame_type st f = OT_FREE.
Proof.
  intros st n; induction n as [|n IHn]; simpl; intros f H; [discriminate|].
  case_eq (lowest_free_below st n); [intros g E | intros E]; rewrite E in H.
  - inversion H; subst. apply IHn in E. destruct E; split; [lia|assumption].
  - unfold is_type in H. destruct (ot_eqb _ _) eqn:T; inversion H; subst.
    apply ot_eqb_eq in T. split; auto.
Qed.

Lemma alloc_frame_ok : forall st f,
  alloc_frame st = Ok f -> f < NFRAMES /\ frame_type st f = OT_FREE.
Proof.
  unfold alloc_frame, lowest_free; intros.
  destruct (lowest_free_below st NFRAMES) eqn:E; inversion H; subst.
  apply lowest_free_below_spec in E; auto.
Qed.

(** A committed result: either the guarded computation succeeded, or the
    state is unchanged. *)
Lemma commit_cases : forall st r e st',
  commit st r = (e, st') -> (r = Ok st' /\ e = E_OK) \/ st' = st.
Proof.
  unfold commit; intros; destruct r; inversion H; auto.
Qed.

Lemma guard_ok : forall b e u, guard b e = Ok u -> b = true.
Proof. unfold guard; intros; destruct b; congruence. Qed.

Lemma guard_no_eok : forall b e, e <> E_OK -> guard b e <> Err E_OK.
Proof. unfold guard; intros; destruct b; congruence. Qed.

Lemma set_cap_same : forall st cs s k, cap (set_cap st cs s k) cs s = k.
Proof. intros; simpl; rewrite !upd_eq; reflexivity. Qed.

Lemma set_cap_other : forall st cs s k c t,
  (c, t) <> (cs, s) -> cap (set_cap st cs s k) c t = cap st c t.
Proof.
  intros; simpl; unfold upd.
  destruct (Nat.eqb_spec c cs); subst; [|reflexivity].
  destruct (Nat.eqb_spec t s); subst; [congruence|reflexivity].
Qed.

(** Decompose a successful guard chain [bind r k = Ok x]. *)
Lemma bind_ok : forall A B (r : res A) (k : A -> res B) x,
  bind r k = Ok x -> exists a, r = Ok a /\ k a = Ok x.
Proof. intros; destruct r; simpl in H; [eauto|discriminate]. Qed.

Lemma bind_err_ok : forall A B (r : res A) (k : A -> res B),
  (forall a, k a <> Err E_OK) -> r <> Err E_OK -> bind r k <> Err E_OK.
Proof. intros; destruct r; simpl; [apply H | intro E; inversion E; subst; congruence]. Qed.

(** Peel the guard chain of an operation hypothesis [H : bind .. = Ok x]. *)
End Sized.

Ltac peel H :=
  repeat (cbv beta zeta in H; match type of H with
  | bind _ _ = Ok _ =>
      let a := fresh "a" in let Ha := fresh "Ha" in
      apply bind_ok in H as (a & Ha & H)
  end).

Section Sized.
Context {SZ : Sizes}.

Lemma commit_ok : forall st r st',
  commit st r = (E_OK, st') -> r <> Err E_OK -> r = Ok st'.
Proof.
  unfold commit; intros; destruct r; inversion H; subst; congruence.
Qed.

(** Prove that a guard chain never fails with [E_OK] itself. *)
End Sized.

Ltac no_eok :=
  repeat match goal with
  | |- bind _ _ <> Err E_OK => apply bind_err_ok; [intro|]
  | |- guard _ _ <> Err E_OK => apply guard_no_eok; discriminate
  | |- lookup _ _ _ _ _ _ <> Err E_OK => apply lookup_no_eok
  | |- free_dst _ _ _ <> Err E_OK => apply free_dst_no_eok
  | |- alloc_frame _ <> Err E_OK => apply alloc_frame_no_eok
  | |- alloc_type _ <> Err E_OK => apply alloc_type_no_eok
  | |- Ok _ <> Err E_OK => discriminate
  | |- _ => progress cbv zeta
  end.

Section Sized.
Context {SZ : Sizes}.

(** From [op st args = (E_OK, st')] to the successful guard chain. *)
End Sized.

Ltac op_ok H :=
  apply commit_ok in H; [|no_eok]; peel H;
  repeat match goal with
  | G : guard _ _ = Ok _ |- _ => apply guard_ok in G
  end.

Section Sized.
Context {SZ : Sizes}.

Lemma Ok_inj : forall A (a b : A), Ok a = Ok b -> a = b.
Proof. intros; congruence. Qed.

Lemma answer_ok : forall A st (d : A) r x s,
  answer st d r = (E_OK, x, s) -> r <> Err E_OK -> r = Ok x /\ s = st.
Proof.
  unfold answer; intros; destruct r; inversion H; subst; [auto|congruence].
Qed.

Lemma resolve_chain_no_eok : forall st n k, resolve_chain st n k <> Err E_OK.
Proof.
  induction n; intros; simpl; destruct (ot_eqb (cap_type k) OT_FORWARDER);
  try discriminate; unfold bind, guard; destruct (cap_valid _ _); try discriminate.
  specialize (IHn (fw st (cap_obj k))).
  destruct (resolve_chain st n _); [discriminate|assumption].
Qed.

End Sized.
