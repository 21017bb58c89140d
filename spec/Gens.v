(** * Gens: generations only grow, so a dead capability stays dead

    [step st st'] is one kernel operation, with any arguments, any outcome.
    Generations never decrease along steps. A capability whose generation
    is behind its object's is dead: never valid again, in any state
    reachable by any sequence of operations. This is what makes
    revocation by generation bump final (Revocation.v). *)

From Coq Require Import Arith NArith Bool Lia Relations.
From Spec Require Import Model Ops Facts.

(** The sizes are parameters (Model.v, [Sizes]): everything below holds
    for every instance. *)
Section Sized.
Context {SZ : Sizes}.

(** One operation after boot (queries change nothing and are left out). *)
Inductive step : State -> State -> Prop :=
| step_container_create : forall st cs a b c e st',
    container_create st cs a b c = (e, st') -> step st st'
| step_obj_alloc : forall st cs a b c e st',
    obj_alloc st cs a b c = (e, st') -> step st st'
| step_obj_free : forall st cs a b e st',
    obj_free st cs a b = (e, st') -> step st st'
| step_container_destroy : forall st cs a b e st',
    container_destroy st cs a b = (e, st') -> step st st'
| step_cap_copy : forall st cs a dcs b r w g e st',
    cap_copy st cs a dcs b r w g = (e, st') -> step st st'
| step_cap_mint : forall st cs a dcs b r w g x e st',
    cap_mint st cs a dcs b r w g x = (e, st') -> step st st'
| step_cap_move : forall st cs a dcs b e st',
    cap_move st cs a dcs b = (e, st') -> step st st'
| step_cap_delete : forall st cs a e st',
    cap_delete st cs a = (e, st') -> step st st'
| step_fwd_create : forall st cs a b c e st',
    fwd_create st cs a b c = (e, st') -> step st st'
| step_typed_alloc : forall st cs a t b e st',
    typed_alloc st cs a t b = (e, st') -> step st st'
| step_handler_alloc : forall st cs a b e st',
    handler_alloc st cs a b = (e, st') -> step st st'.

Definition reachable : State -> State -> Prop := clos_refl_trans State step.

(** ** Generations grow *)

Lemma free_frame_gen : forall st f x,
  frame_gen (free_frame st f) x =
  if Nat.eqb x f then N.succ (frame_gen st f) else frame_gen st x.
Proof. reflexivity. Qed.

Lemma free_frame_gen_le : forall st f x,
  (frame_gen st x <= frame_gen (free_frame st f) x)%N.
Proof.
  intros; rewrite free_frame_gen; destruct (Nat.eqb_spec x f); subst; lia.
Qed.

Lemma destroy_pass_gen_le : forall st t n x,
  (frame_gen st x <= frame_gen (destroy_pass st t n) x)%N.
Proof.
  induction n; intros; simpl; [lia|].
  destruct (doomed _ t n); [|apply IHn].
  eapply N.le_trans; [apply IHn|apply free_frame_gen_le].
Qed.

(** Unfold the operation in [H] and split: refused (state unchanged) or
    the successful guard chain. *)
End Sized.

Ltac op_unfold H :=
  unfold container_create, obj_alloc, typed_alloc, handler_alloc, alloc_object, obj_free,
    container_destroy, cap_copy, cap_mint, cap_move, cap_delete, fwd_create in H.

Section Sized.
Context {SZ : Sizes}.

(** Projections of the state builders that Ops.v uses, without unfolding
    [destroy_pass] (a 1024-step fixpoint: never [simpl] it). *)
End Sized.

Ltac proj := cbn [frame_gen frame_type frame_owner c_limit c_usage c_own c_depth
                  c_anc cap fw root_cont set_cap init_container make_object
                  charge uncharge with_usage_own set_fw].
Ltac proj_in G := cbn [frame_gen frame_type frame_owner c_limit c_usage c_own
                  c_depth c_anc cap fw root_cont set_cap init_container
                  make_object charge uncharge with_usage_own set_fw] in G.

Section Sized.
Context {SZ : Sizes}.

Theorem step_gen_le : forall st st', step st st' ->
  forall f, (frame_gen st f <= frame_gen st' f)%N.
Proof.
  intros st st' S; destruct S as [st cs a b c e st' H|st cs a b c e st' H
    |st cs a b e st' H|st cs a b e st' H|st cs a dcs b r w g e st' H
    |st cs a dcs b r w g x e st' H|st cs a dcs b e st' H|st cs a e st' H
    |st cs a b c e st' H|st cs a t b e st' H
    |st cs a b e st' H];
  op_unfold H; apply commit_cases in H as [[H _]| ->]; try (intros; lia);
  peel H; apply Ok_inj in H; subst st'; intros; try (proj; lia).
  - (* obj_free *)
    match goal with |- context [free_frame ?s ?o] =>
      pose proof (free_frame_gen_le s o f) as G; proj_in G; exact G end.
  - (* container_destroy *)
    match goal with |- context [destroy_pass ?s ?t ?n] =>
      pose proof (destroy_pass_gen_le s t n f) as G; proj_in G; exact G end.
Qed.

Theorem reachable_gen_le : forall st st', reachable st st' ->
  forall f, (frame_gen st f <= frame_gen st' f)%N.
Proof.
  induction 1; intros.
  - eapply step_gen_le; eauto.
  - lia.
  - eapply N.le_trans; eauto.
Qed.

(** ** Dead capabilities *)

(** [k] is dead in [st]: its object's generation has moved past it. *)
Definition dead (st : State) (k : Cap) : Prop :=
  (cap_gen k < frame_gen st (cap_obj k))%N.

Lemma dead_not_valid : forall st k, dead st k -> cap_valid st k = false.
Proof.
  unfold dead, cap_valid; intros.
  destruct (N.eqb_spec (frame_gen st (cap_obj k)) (cap_gen k)); [lia|].
  rewrite !andb_false_r; reflexivity.
Qed.

(** Main theorem: once dead, dead and invalid forever. *)
Theorem dead_forever : forall st st' k,
  dead st k -> reachable st st' -> dead st' k /\ cap_valid st' k = false.
Proof.
  intros st st' k D R.
  assert (D' : dead st' k).
  { unfold dead in *. pose proof (reachable_gen_le _ _ R (cap_obj k)). lia. }
  split; [exact D'|apply dead_not_valid; exact D'].
Qed.

End Sized.
