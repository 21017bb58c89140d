(** * Main: the headline theorems, stated for runs from boot

    Each statement here is a corollary of the files before it, phrased for
    a reader: "after boot and any sequence of operations, ...". *)

From Coq Require Import Arith NArith Bool Lia Relations.
From Spec Require Import Model Ops Facts Gens Revocation Invariants Preservation
  Confinement Counting Accounting Tree.

(** The sizes are parameters (Model.v, [Sizes]): everything below holds
    for every instance. *)
Section Sized.
Context {SZ : Sizes}.

(** A state reachable from boot. *)
Definition from_boot (st : State) : Prop :=
  exists r cs st0, kernel_init r cs = (E_OK, st0) /\ reachable st0 st.

Lemma from_boot_Invariant : forall st, from_boot st -> Invariant st.
Proof.
  intros st (r & cs & st0 & I & R).
  eapply reachable_Invariant; [eapply kernel_init_Invariant; eauto|exact R].
Qed.

(** Revocation, for the capabilities actually held: after [obj_free],
    every capability that any capability space held to the object, or any
    copy of it made later, is invalid forever. *)
Theorem obj_free_revokes_held : forall st cs cslot oslot st',
  from_boot st -> obj_free st cs cslot oslot = (E_OK, st') ->
  let o := cap_obj (cap st cs oslot) in
  forall x s, cap_obj (cap st x s) = o -> cap_type (cap st x s) <> OT_FREE ->
  forall st'', reachable st' st'' -> cap_valid st'' (cap st x s) = false.
Proof.
  intros st cs cslot oslot st' B H o x s Ho NF st'' R.
  destruct (from_boot_Invariant st B) as [[CW _] _].
  destruct (CW x s) as [_ Snd]. destruct (Snd NF) as [Le _].
  apply (obj_free_revokes st cs cslot oslot st' H st'' (cap st x s) R Ho).
  rewrite Ho in Le. exact Le.
Qed.

(** [container_destroy] kills only doomed frames. *)
Lemma destroy_kills_doomed : forall st cs a b st' f,
  container_destroy st cs a b = (E_OK, st') -> f < NFRAMES ->
  live st f = true -> live st' f = false ->
  f = cap_obj (cap st cs b) \/ in_subtree st (frame_owner st f) (cap_obj (cap st cs b)) = true.
Proof.
  intros st cs a b st' f H Hf L L'.
  destruct (container_destroy_exact st cs a b st' H f Hf) as [_ Keep].
  destruct (Nat.eqb_spec f (cap_obj (cap st cs b))) as [Eq|Ne]; [left; exact Eq|].
  case_eq (in_subtree st (frame_owner st f) (cap_obj (cap st cs b))); intros I;
    [right; reflexivity|].
  exfalso.
  assert (N : ~ (live st f = true /\ (f = cap_obj (cap st cs b) \/
                 in_subtree st (frame_owner st f) (cap_obj (cap st cs b)) = true)))
    by (intros [_ [Eq|Sb]]; [contradiction|congruence]).
  destruct (Keep N) as [T _].
  unfold live in L, L'. rewrite T in L'. rewrite L in L'. discriminate.
Qed.

(** Destruction is confined: an operation invoked from [cs] kills a frame
    only if the frame was allocated from the subtree of a container that
    [cs] holds with the write right: for [obj_free] its owner is in that
    container's subtree; for [container_destroy] the frame is the target
    or is owned in the target's subtree, and the target is in that
    container's subtree. A capability space cannot destroy what was
    allocated from containers it does not hold, so siblings are safe from
    each other unless one holds a capability to a common ancestor
    container. *)
Theorem destruction_confined : forall cs st st' f,
  op_by cs st st' -> f < NFRAMES -> live st f = true -> live st' f = false ->
  exists s k, lookup st cs s (Some OT_CONTAINER) false true = Ok k /\
    (in_subtree st (frame_owner st f) (cap_obj k) = true \/
     exists t, in_subtree st t (cap_obj k) = true /\
               (f = t \/ in_subtree st (frame_owner st f) t = true)).
Proof.
  intros cs st st' f S Hf L L'.
  destruct S as [st a b c e st' H|st a b c e st' H
    |st a b e st' H|st a b e st' H|st a dcs b r w g e st' H
    |st a dcs b r w g x e st' H|st a dcs b e st' H|st a e st' H
    |st a b c e st' H];
  pose proof H as H0;
  op_unfold H; apply commit_cases in H as [[H E]| ->];
  try (rewrite L in L'; discriminate);
  subst e; peel H; apply Ok_inj in H; subst st'.
  - (* container_create: only a free frame changes *)
    exfalso. apply alloc_frame_ok in Ha5 as [_ Ff]. unfold live in L, L'.
    cbn [set_cap init_container make_object charge with_usage_own frame_type] in L'.
    unfold upd in L'. destruct (Nat.eqb_spec f a6); [subst; rewrite Ff in L; discriminate|].
    rewrite L in L'; discriminate.
  - exfalso. apply alloc_frame_ok in Ha4 as [_ Ff]. unfold live in L, L'.
    cbn [set_cap make_object charge with_usage_own frame_type] in L'.
    unfold upd in L'. destruct (Nat.eqb_spec f a5); [subst; rewrite Ff in L; discriminate|].
    rewrite L in L'; discriminate.
  - (* obj_free: the freed frame is the named object *)
    exists a, a1. split; [exact Ha0|]. left.
    pose proof (live_free_frame (uncharge st (frame_owner st (cap_obj a2))) (cap_obj a2) f) as E.
    change (live (free_frame (uncharge st (frame_owner st (cap_obj a2))) (cap_obj a2)) f = false) in L'.
    rewrite L' in E. destruct (Nat.eqb_spec f (cap_obj a2)) as [->|Ne].
    + apply guard_ok in Ha3. exact Ha3.
    + exfalso. change (live st f) with (live (uncharge st (frame_owner st (cap_obj a2))) f) in L.
      rewrite L in E. discriminate.
  - (* container_destroy: the frame was doomed *)
    exists a, a1. split; [exact Ha0|]. right.
    apply lookup_ok in Ha1 as (Ea2 & _). subst a2.
    apply guard_ok in Ha3. exists (cap_obj (cap st cs b)). split; [exact Ha3|].
    exact (destroy_kills_doomed st cs a b _ f H0 Hf L L').
  - exfalso. unfold live in L, L'. cbn [set_cap frame_type] in L'. rewrite L in L'; discriminate.
  - exfalso. unfold live in L, L'. cbn [set_cap frame_type] in L'. rewrite L in L'; discriminate.
  - exfalso. unfold live in L, L'. cbn [set_cap frame_type] in L'. rewrite L in L'; discriminate.
  - exfalso. unfold live in L, L'. cbn [set_cap frame_type] in L'. rewrite L in L'; discriminate.
  - exfalso. apply alloc_frame_ok in Ha5 as [_ Ff]. unfold live in L, L'.
    cbn [set_cap set_fw make_object charge with_usage_own frame_type] in L'.
    unfold upd in L'. destruct (Nat.eqb_spec f a6); [subst; rewrite Ff in L; discriminate|].
    rewrite L in L'; discriminate.
Qed.

(** The whole invariant and MODEL.md's accounting equation hold in every
    state reachable from boot. *)
Theorem invariant_from_boot : forall st, from_boot st ->
  caps_wf st /\ fws_wf st /\ frames_wf st /\ containers_wf st /\ paths_wf st /\
  accounting st /\
  (forall c, is_container st c ->
     c_usage st c = c_own st c +
       sum NFRAMES (fun k => if is_child st k c then c_usage st k else 0)).
Proof.
  intros st B. destruct (from_boot_Invariant st B) as [[CW FW'] (FW & CoW & PW & AC)].
  split; [exact CW|]. split; [exact FW'|]. split; [exact FW|]. split; [exact CoW|].
  split; [exact PW|]. split; [exact AC|].
  intros c Cc. apply usage_is_own_plus_children; auto.
Qed.

End Sized.
