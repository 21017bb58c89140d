(** * Confinement and isolation (DESIGN.md laws 1, 4, 9)

    [reach st x o]: capability space [x] can reach object [o], through a
    valid capability in one of its slots, or through the valid target of
    a forwarder it can reach (that is what [cap_resolve] follows).

    Authority confinement: an operation invoked by (the owner of) cspace
    [cs] gives no capability space the reach of an object that it could
    not reach before, unless [cs] could reach it, or the object was just
    created (its frame was free) from a container [cs] holds with the
    write right. In particular a cspace [x] can only gain authority from
    the caller, and only what the caller has.

    Isolation (law 9, at the level the model supports: there are no
    processes yet, a cspace stands for one): if the caller cannot reach
    [o] and [o] is not newly created, no cspace gains [o]. And a frame
    dies only if it was allocated from the subtree of a container the
    caller holds with the write right: the caller cannot destroy what a
    sibling allocated from containers the caller does not hold. *)

From Coq Require Import Arith NArith Bool Lia.
From Spec Require Import Model Ops Facts Gens Revocation Invariants Preservation.

(** The sizes are parameters (Model.v, [Sizes]): everything below holds
    for every instance. *)
Section Sized.
Context {SZ : Sizes}.

Inductive reach (st : State) (x : nat) : nat -> Prop :=
| reach_direct : forall s,
    s < NSLOTS -> cap_valid st (cap st x s) = true ->
    reach st x (cap_obj (cap st x s))
| reach_fwd : forall w,
    reach st x w -> frame_type st w = OT_FORWARDER ->
    cap_valid st (fw st w) = true -> reach st x (cap_obj (fw st w)).

(** One operation, with the capability space of its caller. *)
Inductive op_by (cs : nat) : State -> State -> Prop :=
| by_container_create : forall st a b c e st',
    container_create st cs a b c = (e, st') -> op_by cs st st'
| by_obj_alloc : forall st a b c e st',
    obj_alloc st cs a b c = (e, st') -> op_by cs st st'
| by_obj_free : forall st a b e st',
    obj_free st cs a b = (e, st') -> op_by cs st st'
| by_container_destroy : forall st a b e st',
    container_destroy st cs a b = (e, st') -> op_by cs st st'
| by_cap_copy : forall st a dcs b r w g e st',
    cap_copy st cs a dcs b r w g = (e, st') -> op_by cs st st'
| by_cap_mint : forall st a dcs b r w g x e st',
    cap_mint st cs a dcs b r w g x = (e, st') -> op_by cs st st'
| by_cap_move : forall st a dcs b e st',
    cap_move st cs a dcs b = (e, st') -> op_by cs st st'
| by_cap_delete : forall st a e st',
    cap_delete st cs a = (e, st') -> op_by cs st st'
| by_fwd_create : forall st a b c e st',
    fwd_create st cs a b c = (e, st') -> op_by cs st st'.

Lemma op_by_step : forall cs st st', op_by cs st st' -> step st st'.
Proof.
  intros cs st st' H; destruct H.
  - eapply step_container_create; eauto.
  - eapply step_obj_alloc; eauto.
  - eapply step_obj_free; eauto.
  - eapply step_container_destroy; eauto.
  - eapply step_cap_copy; eauto.
  - eapply step_cap_mint; eauto.
  - eapply step_cap_move; eauto.
  - eapply step_cap_delete; eauto.
  - eapply step_fwd_create; eauto.
Qed.

(** A slot of the caller holding a valid capability (to its object). *)
Definition caller_valid (st : State) (cs : nat) (k : Cap) : Prop :=
  exists s0, s0 < NSLOTS /\ cap_valid st (cap st cs s0) = true /\
             cap_type k = cap_type (cap st cs s0) /\
             cap_obj k = cap_obj (cap st cs s0) /\ cap_gen k = cap_gen (cap st cs s0).

(** What an operation may do to the capability tables. *)
Definition effects (cs : nat) (st st' : State) : Prop :=
  safe st st' /\
  (forall x s, let k := cap st' x s in
     k = cap st x s \/ k = null_cap \/ caller_valid st cs k \/
     frame_type st (cap_obj k) = OT_FREE) /\
  (forall w, (fw st' w = fw st w /\
              (frame_type st' w = OT_FORWARDER -> frame_type st w = OT_FORWARDER)) \/
             fw st' w = null_cap \/
             (exists s0, s0 < NSLOTS /\ cap_valid st (cap st cs s0) = true /\
                         fw st' w = cap st cs s0)).

Lemma null_not_valid : forall st, cap_valid st null_cap = false.
Proof. reflexivity. Qed.

(** The general argument, for any transition with these effects. *)
Theorem effects_confined : forall cs st st', caps_inv st -> effects cs st st' ->
  forall x o, reach st' x o -> reach st x o \/ reach st cs o \/ frame_type st o = OT_FREE.
Proof.
  intros cs st st' [CW FW] [S [EC EF]] x o R.
  induction R as [s Hs V | w R IH T V].
  - destruct (EC x s) as [E|[E|[E|E]]]; cbv zeta in E.
    + rewrite E in *. left. apply reach_direct; auto.
      eapply valid_back; eauto. apply CW.
    + rewrite E in V. discriminate.
    + destruct E as (s0 & Hs0 & V0 & _ & O & _). right; left. rewrite O.
      apply reach_direct; auto.
    + right; right; exact E.
  - destruct (EF w) as [[E TF]|[E|(s0 & Hs0 & V0 & E)]].
    + rewrite E in *.
      assert (Vb : cap_valid st (fw st w) = true) by (eapply valid_back; eauto; apply FW).
      specialize (TF T).
      destruct IH as [IH|[IH|IH]].
      * left. apply reach_fwd; auto.
      * right; left. apply reach_fwd; auto.
      * congruence.
    + rewrite E in V; discriminate.
    + rewrite E. right; left. apply reach_direct; auto.
Qed.

Lemma free_frame_type_fwd : forall st f w,
  frame_type (free_frame st f) w = OT_FORWARDER -> frame_type st w = OT_FORWARDER.
Proof.
  intros st f w. cbn [free_frame frame_type]. unfold upd, bumped_type.
  destruct (Nat.eqb_spec w f); [destruct (N.eqb _ _); discriminate|auto].
Qed.

Lemma destroy_pass_type_fwd : forall st t n w,
  frame_type (destroy_pass st t n) w = OT_FORWARDER -> frame_type st w = OT_FORWARDER.
Proof.
  induction n; intros w H; simpl in H; [exact H|].
  destruct (doomed _ _ _); [apply IHn; eapply free_frame_type_fwd; eauto|auto].
Qed.

(** Capability-table cases for an allocation of frame [f]. *)
Lemma alloc_caps : forall st (row : nat -> nat -> Cap) f x y,
  row = upd (cap st) f (fun _ => null_cap) ->
  row x y = cap st x y \/ row x y = null_cap.
Proof.
  intros; subst. destruct (cap_upd_cases (cap st) f (fun _ => null_cap) x y) as [E|[_ E]];
  rewrite E; auto.
Qed.

Lemma caller_restrict : forall st cs a r w g,
  a < NSLOTS -> cap_valid st (cap st cs a) = true ->
  caller_valid st cs (restrict (cap st cs a) r w g).
Proof. intros; exists a; repeat split; auto. Qed.

Lemma caller_mint : forall st cs a r w g b,
  a < NSLOTS -> cap_valid st (cap st cs a) = true ->
  caller_valid st cs (with_badge (restrict (cap st cs a) r w g) b).
Proof. intros; exists a; repeat split; auto. Qed.

Lemma caller_same : forall st cs a,
  a < NSLOTS -> cap_valid st (cap st cs a) = true -> caller_valid st cs (cap st cs a).
Proof. intros; exists a; repeat split; auto. Qed.

End Sized.

Ltac unchanged_fw :=
  left; split; [reflexivity|auto].

Section Sized.
Context {SZ : Sizes}.

Theorem op_by_effects : forall cs st st', op_by cs st st' -> effects cs st st'.
Proof.
  intros cs st st' S.
  destruct S as [st a b c e st' H|st a b c e st' H
    |st a b e st' H|st a b e st' H|st a dcs b r w g e st' H
    |st a dcs b r w g x e st' H|st a dcs b e st' H|st a e st' H
    |st a b c e st' H];
  op_unfold H; apply commit_cases in H as [[H _]| ->];
  try (split; [apply safe_same; reflexivity|split; [intros; left; reflexivity
                 |intros; left; split; [reflexivity|auto]]]);
  peel H; apply Ok_inj in H; subst st'; rw_ok.
  - (* container_create *)
    split; [apply (safe_alloc st _ a6); [assumption|reflexivity|intros; cbn; apply upd_neq; assumption]|split].
    + intros x y; cbv zeta.
      destruct (set_cap_cases (init_container (make_object (charge st (cap_obj (cap st cs a))) a6
         OT_CONTAINER (cap_obj (cap st cs a))) a6 (cap_obj (cap st cs a)) c) cs b
         (full_cap (init_container (make_object (charge st (cap_obj (cap st cs a))) a6
         OT_CONTAINER (cap_obj (cap st cs a))) a6 (cap_obj (cap st cs a)) c) a6) x y) as [E|E];
      rewrite E; [|right; right; right; exact H2].
      cbn [cap init_container make_object charge with_usage_own].
      destruct (alloc_caps st _ a6 x y eq_refl) as [E2|E2]; rewrite E2; auto.
    + intros v. cbn [fw set_cap init_container make_object charge with_usage_own].
      destruct (Nat.eqb_spec v a6) as [->|Ne]; [right; left; apply upd_eq|].
      left; split; [apply upd_neq; assumption|]. cbn [frame_type set_cap init_container make_object charge with_usage_own].
      rewrite upd_neq by assumption; auto.
  - (* obj_alloc *)
    split; [apply (safe_alloc st _ a5); [assumption|reflexivity|intros; cbn; apply upd_neq; assumption]|split].
    + intros x y; cbv zeta.
      destruct (set_cap_cases (make_object (charge st (cap_obj (cap st cs a))) a5 a2
         (cap_obj (cap st cs a))) cs c
         (full_cap (make_object (charge st (cap_obj (cap st cs a))) a5 a2
         (cap_obj (cap st cs a))) a5) x y) as [E|E];
      rewrite E; [|right; right; right; exact H2].
      cbn [cap make_object charge with_usage_own].
      destruct (alloc_caps st _ a5 x y eq_refl) as [E2|E2]; rewrite E2; auto.
    + intros v. cbn [fw set_cap make_object charge with_usage_own].
      destruct (Nat.eqb_spec v a5) as [->|Ne]; [right; left; apply upd_eq|].
      left; split; [apply upd_neq; assumption|]. cbn [frame_type set_cap make_object charge with_usage_own].
      rewrite upd_neq by assumption; auto.
  - (* obj_free *)
    split; [apply (safe_trans st (uncharge st (frame_owner st (cap_obj (cap st cs b)))));
            [apply safe_same; reflexivity|apply safe_free_frame]|split].
    + intros x y; cbv zeta. cbn [cap free_frame uncharge with_usage_own].
      destruct (alloc_caps st _ (cap_obj (cap st cs b)) x y eq_refl) as [E2|E2]; rewrite E2; auto.
    + intros v. left; split; [reflexivity|]. intro T.
      apply free_frame_type_fwd in T. exact T.
  - (* container_destroy *)
    match goal with |- effects cs st (destroy_pass ?s1 ?t ?n) =>
      split; [eapply safe_trans; [apply (safe_same st s1); reflexivity|apply safe_destroy_pass]|split];
      [ intros x y; cbv zeta; destruct (destroy_pass_cap s1 t n x y) as [E|E]; rewrite E; auto
      | intros v; left; rewrite destroy_pass_fw; split; [reflexivity|];
        intro T; apply destroy_pass_type_fwd in T; exact T ] end.
  - (* cap_copy *)
    split; [apply safe_same; reflexivity|split; [|intros v; left; split; [reflexivity|auto]]].
    intros y z; cbv zeta.
    destruct (set_cap_cases st dcs b (restrict (cap st cs a) (bit r) (bit w) (bit g)) y z) as [E|E];
    rewrite E; [auto|right; right; left; apply caller_restrict; auto].
  - (* cap_mint *)
    split; [apply safe_same; reflexivity|split; [|intros v; left; split; [reflexivity|auto]]].
    intros y z; cbv zeta.
    destruct (set_cap_cases st dcs b (with_badge (restrict (cap st cs a) (bit r) (bit w) (bit g)) x) y z)
      as [E|E]; rewrite E; [auto|right; right; left; apply caller_mint; auto].
  - (* cap_move *)
    split; [apply safe_same; reflexivity|split; [|intros v; left; split; [reflexivity|auto]]].
    intros x y; cbv zeta.
    destruct (set_cap_cases (set_cap st dcs b (cap st cs a)) cs a null_cap x y) as [E|E];
    rewrite E; [|auto].
    destruct (set_cap_cases st dcs b (cap st cs a) x y) as [E2|E2]; rewrite E2;
    [auto|right; right; left; apply caller_same; auto].
  - (* cap_delete *)
    split; [apply safe_same; reflexivity|split; [|intros v; left; split; [reflexivity|auto]]].
    intros x y; cbv zeta.
    destruct (set_cap_cases st cs a null_cap x y) as [E|E]; rewrite E; auto.
  - (* fwd_create *)
    split; [apply (safe_alloc st _ a6); [assumption|reflexivity|intros; cbn; apply upd_neq; assumption]|split].
    + intros x y; cbv zeta.
      match goal with |- context [set_cap ?s1 cs c ?k] =>
        destruct (set_cap_cases s1 cs c k x y) as [E|E]; rewrite E;
        [|right; right; right; exact H2] end.
      cbn [cap set_fw make_object charge with_usage_own].
      destruct (alloc_caps st _ a6 x y eq_refl) as [E2|E2]; rewrite E2; auto.
    + intros v. cbn [fw set_cap set_fw make_object charge with_usage_own].
      destruct (Nat.eqb_spec v a6) as [->|Ne].
      * right; right. exists b; rewrite upd_eq; auto.
      * rewrite upd_neq by assumption. rewrite upd_neq by assumption.
        left; split; [reflexivity|].
        cbn [frame_type set_cap set_fw make_object charge with_usage_own].
        rewrite upd_neq by assumption; auto.
Qed.

(** Main theorem: authority confinement. *)
Theorem authority_confinement : forall cs st st',
  caps_inv st -> op_by cs st st' ->
  forall x o, reach st' x o -> reach st x o \/ reach st cs o \/ frame_type st o = OT_FREE.
Proof.
  intros. eapply effects_confined; eauto. apply op_by_effects; assumption.
Qed.

(** Isolation: whatever the caller cannot reach (and that is not being
    created) no capability space can gain. *)
Theorem isolation : forall cs st st' o,
  caps_inv st -> op_by cs st st' ->
  ~ reach st cs o -> frame_type st o <> OT_FREE ->
  forall x, reach st' x o -> reach st x o.
Proof.
  intros cs st st' o I S N F x R.
  destruct (authority_confinement cs st st' I S x o R) as [H|[H|H]]; tauto.
Qed.

(** Over a whole run: while no operation is invoked by a capability space
    that can reach [o] (and [o] is not being freed and reallocated), the
    set of capability spaces that reach [o] never grows. Authority over an
    object spreads only through those who already hold it (law 9). *)
Inductive run_avoiding (o : nat) : State -> State -> Prop :=
| ra_done : forall st, run_avoiding o st st
| ra_step : forall cs st1 st2 st3,
    op_by cs st1 st2 -> ~ reach st1 cs o -> frame_type st1 o <> OT_FREE ->
    run_avoiding o st2 st3 -> run_avoiding o st1 st3.

Theorem no_spread : forall o st st',
  caps_inv st -> run_avoiding o st st' ->
  forall x, reach st' x o -> reach st x o.
Proof.
  intros o st st' I R. induction R as [st|cs st1 st2 st3 S N F R IH]; intros x H; [exact H|].
  assert (I2 : caps_inv st2) by (eapply step_caps_inv; [exact I|eapply op_by_step; exact S]).
  apply (isolation cs st1 st2 o I S N F x). apply IH; assumption.
Qed.

(** Resolution grants nothing beyond reach: the object a successful
    [cap_resolve] returns is reachable by the capability space, and the
    rights it returns are at most those of the slot's capability. *)
Lemma resolve_chain_reach : forall st x n k r,
  reach st x (cap_obj k) -> cap_valid st k = true -> resolve_chain st n k = Ok r ->
  reach st x (cap_obj r) /\
  (cap_read r = true -> cap_read k = true) /\ (cap_write r = true -> cap_write k = true) /\
  (cap_grant r = true -> cap_grant k = true).
Proof.
  intros st x n. induction n as [|n IH]; intros k r Rk Vk H; simpl in H.
  - destruct (ot_eqb (cap_type k) OT_FORWARDER); [discriminate|].
    inversion H; subst. auto.
  - destruct (ot_eqb (cap_type k) OT_FORWARDER) eqn:F; [|inversion H; subst; auto].
    apply ot_eqb_eq in F.
    unfold bind, guard in H.
    destruct (cap_valid st (fw st (cap_obj k))) eqn:Vt; [|discriminate].
    destruct (resolve_chain st n (fw st (cap_obj k))) as [r'|] eqn:R'; [|discriminate].
    inversion H; subst r; clear H.
    assert (Tk : frame_type st (cap_obj k) = OT_FORWARDER)
      by (destruct (cap_valid_parts st k Vk) as [T _]; rewrite T; exact F).
    destruct (IH (fw st (cap_obj k)) r' (reach_fwd st x (cap_obj k) Rk Tk Vt) Vt R')
      as (Rr & _).
    unfold restrict; simpl. split; [exact Rr|].
    repeat split; intro E; apply andb_true_iff in E; tauto.
Qed.

Theorem cap_resolve_reach : forall st cs slot r s,
  cap_resolve st cs slot = (E_OK, r, s) ->
  reach st cs (cap_obj r) /\
  (cap_read r = true -> cap_read (cap st cs slot) = true) /\
  (cap_write r = true -> cap_write (cap st cs slot) = true) /\
  (cap_grant r = true -> cap_grant (cap st cs slot) = true).
Proof.
  intros st cs slot r s H.
  unfold cap_resolve in H.
  apply answer_ok in H as [H _]; [|no_eok; apply resolve_chain_no_eok].
  peel H. apply lookup_ok in Ha0 as (-> & Hs & V & _).
  apply (resolve_chain_reach st cs MAXFWD (cap st cs slot) r); auto.
  apply reach_direct; assumption.
Qed.

End Sized.
