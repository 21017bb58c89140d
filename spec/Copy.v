(** * Copy: the primitive transfer (DESIGN.md law 2)

    A successful [cap_copy] puts into the destination slot the source
    capability with its rights intersected with the requested ones, and
    changes nothing else. The copy is co-equal with its original: it is
    valid, and it stays valid and unchanged when the original is deleted. *)

From Coq Require Import Arith NArith Bool Lia.
From Spec Require Import Model Ops Facts.

(** The sizes are parameters (Model.v, [Sizes]): everything below holds
    for every instance. *)
Section Sized.
Context {SZ : Sizes}.

(** The copy as a value: [cap_copy] writes exactly this into [dst]. *)
Theorem cap_copy_effect : forall st cs src dst_cs dst r w g st',
  cap_copy st cs src dst_cs dst r w g = (E_OK, st') ->
  st' = set_cap st dst_cs dst (restrict (cap st cs src) (bit r) (bit w) (bit g)).
Proof.
  intros; unfold cap_copy in H; op_ok H.
  apply lookup_ok in Ha1 as (-> & _).
  inversion H; reflexivity.
Qed.

(** Validity depends on the frame tables only, which [set_cap] keeps. *)
Lemma cap_valid_set_cap : forall st cs s k k',
  cap_valid (set_cap st cs s k) k' = cap_valid st k'.
Proof. reflexivity. Qed.

Lemma cap_copy_succeeded : forall st cs src dst_cs dst r w g st',
  cap_copy st cs src dst_cs dst r w g = (E_OK, st') ->
  cap_valid st (cap st cs src) = true /\ src < NSLOTS /\ dst < NSLOTS /\
  cap_type (cap st dst_cs dst) = OT_FREE.
Proof.
  intros; unfold cap_copy in H; op_ok H.
  apply lookup_ok in Ha1 as (-> & ? & ? & _). apply free_dst_ok in Ha2 as [? ?].
  auto.
Qed.

(** Main theorem: the copy designates the same object (type, object,
    generation, badge), has no right the original lacks, is valid, and no
    other slot or table changes. *)
Theorem cap_copy_coequal : forall st cs src dst_cs dst r w g st',
  cap_copy st cs src dst_cs dst r w g = (E_OK, st') ->
  let k := cap st cs src in
  let k' := cap st' dst_cs dst in
  cap_type k' = cap_type k /\ cap_obj k' = cap_obj k /\
  cap_gen k' = cap_gen k /\ cap_badge k' = cap_badge k /\
  (cap_read k' = true -> cap_read k = true) /\
  (cap_write k' = true -> cap_write k = true) /\
  (cap_grant k' = true -> cap_grant k = true) /\
  cap_valid st' k' = true /\
  (forall c t, (c, t) <> (dst_cs, dst) -> cap st' c t = cap st c t) /\
  frame_type st' = frame_type st /\ frame_owner st' = frame_owner st /\
  frame_gen st' = frame_gen st /\ c_limit st' = c_limit st /\
  c_usage st' = c_usage st /\ c_own st' = c_own st /\
  c_depth st' = c_depth st /\ c_anc st' = c_anc st /\ fw st' = fw st /\
  root_cont st' = root_cont st.
Proof.
  intros st cs src dst_cs dst r w g st' H.
  pose proof (cap_copy_succeeded _ _ _ _ _ _ _ _ _ H) as (Hv & _).
  apply cap_copy_effect in H; subst st'.
  cbv zeta. rewrite set_cap_same.
  unfold restrict; simpl cap_type; simpl cap_obj; simpl cap_gen; simpl cap_badge.
  simpl cap_read; simpl cap_write; simpl cap_grant.
  repeat split; try (intros; apply andb_true_iff in H; tauto).
  - rewrite cap_valid_set_cap. unfold cap_valid in *; simpl. exact Hv.
  - intros; apply set_cap_other; assumption.
Qed.

(** Co-equality: deleting the original leaves the copy intact and valid.
    (The copy does not depend on the original staying alive.) *)
Theorem cap_copy_survives_source_delete :
  forall st cs src dst_cs dst r w g st1 st2,
  cap_copy st cs src dst_cs dst r w g = (E_OK, st1) ->
  cap_delete st1 cs src = (E_OK, st2) ->
  cap st2 dst_cs dst = cap st1 dst_cs dst /\
  cap_valid st2 (cap st2 dst_cs dst) = true.
Proof.
  intros st cs src dst_cs dst r w g st1 st2 H1 H2.
  pose proof (cap_copy_coequal _ _ _ _ _ _ _ _ _ H1) as C. cbv zeta in C.
  pose proof (cap_copy_succeeded _ _ _ _ _ _ _ _ _ H1) as (Hv & _ & _ & Hfree).
  (* source and destination are different slots: the destination was
     empty, the source was not *)
  assert (Hne : (cs, src) <> (dst_cs, dst)).
  { intro E; inversion E; subst.
    unfold cap_valid in Hv. rewrite Hfree in Hv. discriminate. }
  unfold cap_delete in H2; op_ok H2.
  inversion H2; subst st2; clear H2.
  rewrite set_cap_other by congruence.
  split; [reflexivity|].
  rewrite cap_valid_set_cap. tauto.
Qed.

(** Minting is a copy that brands an unbadged capability: same object,
    no more rights, the requested badge, nothing else changes. *)
Theorem cap_mint_effect : forall st cs src dst_cs dst r w g b st',
  cap_mint st cs src dst_cs dst r w g b = (E_OK, st') ->
  cap_badge (cap st cs src) = 0%N /\
  st' = set_cap st dst_cs dst
          (with_badge (restrict (cap st cs src) (bit r) (bit w) (bit g)) b) /\
  let k := cap st cs src in
  let k' := cap st' dst_cs dst in
  cap_type k' = cap_type k /\ cap_obj k' = cap_obj k /\ cap_gen k' = cap_gen k /\
  cap_badge k' = b /\
  (cap_read k' = true -> cap_read k = true) /\
  (cap_write k' = true -> cap_write k = true) /\
  (cap_grant k' = true -> cap_grant k = true).
Proof.
  intros. unfold cap_mint in H. op_ok H.
  apply lookup_ok in Ha1 as (-> & _). apply N.eqb_eq in Ha3.
  apply Ok_inj in H; subst st'.
  split; [exact Ha3|]. split; [reflexivity|].
  cbv zeta. rewrite set_cap_same. unfold with_badge, restrict; simpl.
  repeat split; intro E; apply andb_true_iff in E; tauto.
Qed.

End Sized.
