(** * Revocation is complete (DESIGN.md law 3)

    - After [obj_free] of an object (a forwarder included), no capability
      to that object, however copied, is ever valid again, and no
      resolution ever passes through it again: in every state reachable
      afterwards by any operations.
    - [container_destroy] frees exactly the live frames of the target's
      subtree (the target and every frame owned by a container of its
      subtree), changes no other frame's type or generation, and every
      capability to a freed frame is dead forever. *)

From Coq Require Import Arith NArith Bool Lia Relations.
From Spec Require Import Model Ops Facts Gens.

(** The sizes are parameters (Model.v, [Sizes]): everything below holds
    for every instance. *)
Section Sized.
Context {SZ : Sizes}.

(** ** obj_free *)

Lemma obj_free_ok : forall st cs cslot oslot st',
  obj_free st cs cslot oslot = (E_OK, st') ->
  exists st1, st' = free_frame st1 (cap_obj (cap st cs oslot)) /\
              frame_gen st1 = frame_gen st /\ frame_type st1 = frame_type st /\
              cap_valid st (cap st cs oslot) = true.
Proof.
  intros. unfold obj_free in H. op_ok H. apply Ok_inj in H; subst st'.
  apply lookup_ok in Ha1 as (-> & _ & V & _).
  eexists; split; [reflexivity|]. auto.
Qed.

(** The destroyed incarnation of [o]: every capability to it, anywhere, in
    any later state, is invalid. *)
Theorem obj_free_revokes : forall st cs cslot oslot st',
  obj_free st cs cslot oslot = (E_OK, st') ->
  let o := cap_obj (cap st cs oslot) in
  forall st'' k, reachable st' st'' ->
  cap_obj k = o -> (cap_gen k <= frame_gen st o)%N ->
  cap_valid st'' k = false.
Proof.
  intros st cs cslot oslot st' H o st'' k R Ho Hg.
  apply obj_free_ok in H as (st1 & -> & Eg & _).
  apply (dead_forever (free_frame st1 o)); [|exact R].
  unfold dead. rewrite Ho, free_frame_gen, Nat.eqb_refl, Eg. lia.
Qed.

(** ** Resolution only passes through live forwarders *)

(** [through st n k w g]: following forwarders from [k] (at most [n] steps)
    meets a link designating forwarder [w] at generation [g]. *)
Inductive through (st : State) : nat -> Cap -> nat -> N -> Prop :=
| through_here : forall n k,
    cap_type k = OT_FORWARDER -> through st n k (cap_obj k) (cap_gen k)
| through_next : forall n k w g,
    cap_type k = OT_FORWARDER -> through st n (fw st (cap_obj k)) w g ->
    through st (S n) k w g.

Lemma cap_valid_parts : forall st k, cap_valid st k = true ->
  frame_type st (cap_obj k) = cap_type k /\ frame_gen st (cap_obj k) = cap_gen k.
Proof.
  unfold cap_valid; intros.
  apply andb_true_iff in H as [H G]; apply andb_true_iff in H as [_ T].
  apply ot_eqb_eq in T; apply N.eqb_eq in G; auto.
Qed.

Lemma resolve_through_live : forall st n k w g r,
  cap_valid st k = true -> resolve_chain st n k = Ok r -> through st n k w g ->
  frame_type st w = OT_FORWARDER /\ frame_gen st w = g.
Proof.
  intros st n k w g r V R T. revert r V R.
  induction T as [n k F | n k w g F T IH]; intros r V R.
  - apply cap_valid_parts in V as [? ?]. split; congruence.
  - simpl in R. rewrite (proj2 (ot_eqb_eq _ _) F) in R.
    unfold bind, guard in R.
    destruct (cap_valid st (fw st (cap_obj k))) eqn:V'; [|discriminate].
    destruct (resolve_chain st n (fw st (cap_obj k))) eqn:R'; [|discriminate].
    eapply IH; eauto.
Qed.

Lemma cap_resolve_ok : forall st cs slot r s,
  cap_resolve st cs slot = (E_OK, r, s) ->
  cap_valid st (cap st cs slot) = true /\
  resolve_chain st MAXFWD (cap st cs slot) = Ok r.
Proof.
  unfold cap_resolve; intros.
  apply answer_ok in H as [H _]; [|no_eok; apply resolve_chain_no_eok].
  peel H. apply lookup_ok in Ha0 as (-> & _ & V & _). auto.
Qed.

(** Selective revocation: after a forwarder (or any object) [w] is freed,
    no successful [cap_resolve], in any later state, passes through the
    destroyed incarnation of [w]. *)
Theorem obj_free_no_resolution_through : forall st cs cslot oslot st',
  obj_free st cs cslot oslot = (E_OK, st') ->
  let w := cap_obj (cap st cs oslot) in
  forall st'' cs2 slot2 r s g, reachable st' st'' ->
  cap_resolve st'' cs2 slot2 = (E_OK, r, s) ->
  (g <= frame_gen st w)%N ->
  ~ through st'' MAXFWD (cap st'' cs2 slot2) w g.
Proof.
  intros st cs cslot oslot st' H w st'' cs2 slot2 r s g R Res Hg T.
  apply cap_resolve_ok in Res as [V Res].
  destruct (resolve_through_live _ _ _ _ _ _ V Res T) as [_ G].
  apply obj_free_ok in H as (st1 & -> & Eg & _).
  pose proof (reachable_gen_le _ _ R w) as Le.
  rewrite free_frame_gen, Nat.eqb_refl, Eg in Le. unfold w in *. lia.
Qed.

(** ** container_destroy *)

Lemma destroy_pass_owner : forall st t n, frame_owner (destroy_pass st t n) = frame_owner st.
Proof. induction n; simpl; [|destruct (doomed _ _ _)]; auto. Qed.

Lemma destroy_pass_depth : forall st t n, c_depth (destroy_pass st t n) = c_depth st.
Proof. induction n; simpl; [|destruct (doomed _ _ _)]; auto. Qed.

Lemma destroy_pass_anc : forall st t n, c_anc (destroy_pass st t n) = c_anc st.
Proof. induction n; simpl; [|destruct (doomed _ _ _)]; auto. Qed.

Lemma destroy_pass_above : forall st t n x, n <= x ->
  frame_type (destroy_pass st t n) x = frame_type st x /\
  frame_gen (destroy_pass st t n) x = frame_gen st x.
Proof.
  induction n; intros; simpl; [auto|].
  destruct (doomed _ _ _); [|apply IHn; lia].
  simpl. unfold upd. destruct (Nat.eqb_spec x n); [lia|]. apply IHn; lia.
Qed.

Lemma doomed_pass : forall st t n m, n <= m ->
  doomed (destroy_pass st t n) t m = doomed st t m.
Proof.
  intros. unfold doomed, live, in_subtree.
  rewrite destroy_pass_owner, destroy_pass_depth, destroy_pass_anc.
  rewrite (proj1 (destroy_pass_above st t n m H)). reflexivity.
Qed.

(** The pass, frame by frame: a doomed frame below [n] is freed with its
    generation bumped; every other frame keeps its type and generation. *)
Lemma destroy_pass_spec : forall st t n x,
  frame_type (destroy_pass st t n) x =
    (if (x <? n) && doomed st t x then bumped_type (N.succ (frame_gen st x))
     else frame_type st x) /\
  frame_gen (destroy_pass st t n) x =
    (if (x <? n) && doomed st t x then N.succ (frame_gen st x) else frame_gen st x).
Proof.
  induction n; intros; simpl; [auto|].
  rewrite doomed_pass by lia.
  destruct (Nat.eqb_spec x n) as [->|Ne].
  - destruct (IHn n) as [T0 G0]. rewrite Nat.ltb_irrefl in T0, G0; simpl in T0, G0.
    assert (L : n <? S n = true) by (apply Nat.ltb_lt; lia). rewrite L; simpl.
    destruct (doomed st t n) eqn:D; simpl.
    + unfold upd; rewrite Nat.eqb_refl, G0. auto.
    + auto.
  - assert (L : (x <? S n) = (x <? n)).
    { destruct (Nat.ltb_spec x (S n)), (Nat.ltb_spec x n); auto; lia. }
    rewrite L.
    destruct (doomed st t n); simpl; [unfold upd; destruct (Nat.eqb_spec x n); [lia|]|];
    apply IHn.
Qed.

Lemma container_destroy_ok : forall st cs cslot tslot st',
  container_destroy st cs cslot tslot = (E_OK, st') ->
  let t := cap_obj (cap st cs tslot) in
  exists st1, st' = destroy_pass st1 t NFRAMES /\
    frame_type st1 = frame_type st /\ frame_gen st1 = frame_gen st /\
    frame_owner st1 = frame_owner st /\ c_depth st1 = c_depth st /\
    c_anc st1 = c_anc st /\
    t <> root_cont st /\ in_subtree st t (cap_obj (cap st cs cslot)) = true.
Proof.
  intros. unfold container_destroy in H. op_ok H. apply Ok_inj in H; subst st'.
  apply lookup_ok in Ha0 as (-> & _). apply lookup_ok in Ha1 as (-> & _).
  apply negb_true_iff, Nat.eqb_neq in Ha2.
  eexists; repeat split; eauto.
Qed.

Definition freed_type (t : ObjType) : Prop := t = OT_FREE \/ t = OT_RETIRED.

(** Exactly the subtree: a frame is freed (generation bumped, type free or
    retired) iff it was live and is the target or is owned by a container
    of the target's subtree; every other frame keeps its type and
    generation. *)
Theorem container_destroy_exact : forall st cs cslot tslot st',
  container_destroy st cs cslot tslot = (E_OK, st') ->
  let t := cap_obj (cap st cs tslot) in
  forall f, f < NFRAMES ->
  (live st f = true /\ (f = t \/ in_subtree st (frame_owner st f) t = true) ->
     freed_type (frame_type st' f) /\ frame_gen st' f = N.succ (frame_gen st f)) /\
  (~ (live st f = true /\ (f = t \/ in_subtree st (frame_owner st f) t = true)) ->
     frame_type st' f = frame_type st f /\ frame_gen st' f = frame_gen st f).
Proof.
  intros st cs cslot tslot st' H t f Hf.
  apply container_destroy_ok in H as (st1 & -> & Ty & Gn & Ow & Dp & An & _).
  fold t.
  destruct (destroy_pass_spec st1 t NFRAMES f) as [T G].
  assert (Lt : f <? NFRAMES = true) by (apply Nat.ltb_lt; assumption).
  rewrite Lt, andb_true_l in T, G.
  assert (D : doomed st1 t f = doomed st t f).
  { unfold doomed, live, in_subtree. rewrite Ty, Ow, Dp, An. reflexivity. }
  rewrite D in T, G. rewrite Ty in T. rewrite Gn in T, G.
  unfold doomed in T, G.
  split.
  - intros [L O]. rewrite L in T, G.
    assert (E : (Nat.eqb f t || in_subtree st (frame_owner st f) t) = true).
    { destruct O as [->|O]; [rewrite Nat.eqb_refl; reflexivity|rewrite O; apply orb_true_r]. }
    rewrite E in T, G. cbv iota in T, G. split; [|exact G].
    rewrite T; unfold bumped_type, freed_type.
    destruct (N.eqb _ _); auto.
  - intros N.
    assert (E : live st f && (Nat.eqb f t || in_subtree st (frame_owner st f) t) = false).
    { destruct (live st f) eqn:L; [|reflexivity]. simpl.
      destruct (Nat.eqb_spec f t); [exfalso; apply N; auto|].
      destruct (in_subtree st (frame_owner st f) t) eqn:I; [exfalso; apply N; auto|].
      reflexivity. }
    rewrite E in T, G. cbv iota in T, G. auto.
Qed.

(** ... and every capability to a frame it freed is dead forever. *)
Theorem container_destroy_revokes : forall st cs cslot tslot st',
  container_destroy st cs cslot tslot = (E_OK, st') ->
  let t := cap_obj (cap st cs tslot) in
  forall f, f < NFRAMES -> live st f = true ->
  (f = t \/ in_subtree st (frame_owner st f) t = true) ->
  forall st'' k, reachable st' st'' ->
  cap_obj k = f -> (cap_gen k <= frame_gen st f)%N ->
  cap_valid st'' k = false.
Proof.
  intros st cs cslot tslot st' H t f Hf L O st'' k R Ho Hg.
  destruct (container_destroy_exact _ _ _ _ _ H f Hf) as [Fr _].
  destruct (Fr (conj L O)) as [_ G].
  apply (dead_forever st'); [|exact R].
  unfold dead. rewrite Ho, G. lia.
Qed.

End Sized.
