(** * Preservation: every operation keeps the capability invariant

    [caps_inv] (every stored capability and forwarder target is well
    formed and sound, see Invariants.v) holds after boot and after every
    operation, whatever its arguments and outcome. *)

From Coq Require Import Arith NArith Bool Lia.
From Spec Require Import Model Ops Facts Gens Invariants.

(** The sizes are parameters (Model.v, [Sizes]): everything below holds
    for every instance. *)
Section Sized.
Context {SZ : Sizes}.

(** A capability already stored somewhere in [st]. *)
Definition stored (st : State) (k : Cap) : Prop :=
  (exists cs s, k = cap st cs s) \/ (exists w, k = fw st w).

(** [k] designates what some stored capability designates (it may carry
    other rights or another badge). *)
Definition from_old (st : State) (k : Cap) : Prop :=
  exists k0, stored st k0 /\ cap_type k = cap_type k0 /\
             cap_obj k = cap_obj k0 /\ cap_gen k = cap_gen k0.

Definition good (st : State) (k : Cap) : Prop := cap_wf k /\ cap_sound st k.

Lemma good_from_old : forall st st' k,
  caps_inv st -> safe st st' -> from_old st k -> good st' k.
Proof.
  intros st st' k [CW FW] S (k0 & Sto & T & O & G).
  assert (H0 : cap_wf k0 /\ cap_sound st k0).
  { destruct Sto as [(cs & s & ->)|(w & ->)]; [apply CW|apply FW]. }
  destruct H0 as [[W1 W2] Snd].
  apply (cap_sound_safe _ st') in Snd; [|exact S].
  unfold good, cap_wf, cap_sound in *. rewrite T, O, G. split; [split; assumption|].
  exact Snd.
Qed.

Lemma caps_inv_transfer : forall st st',
  caps_inv st -> safe st st' ->
  (forall cs s, from_old st (cap st' cs s) \/ good st' (cap st' cs s)) ->
  (forall w, from_old st (fw st' w) \/ good st' (fw st' w)) ->
  caps_inv st'.
Proof.
  intros st st' I S HC HF. split.
  - intros cs s. destruct (HC cs s) as [O|G]; [|exact G].
    eapply good_from_old; eauto.
  - intros w. destruct (HF w) as [O|G]; [|exact G].
    eapply good_from_old; eauto.
Qed.

Lemma old_cap : forall st cs s, from_old st (cap st cs s).
Proof. intros; exists (cap st cs s); split; [left; eauto|auto]. Qed.

Lemma old_fw : forall st w, from_old st (fw st w).
Proof. intros; exists (fw st w); split; [right; eauto|auto]. Qed.

Lemma good_null : forall st, good st null_cap.
Proof. intros; split; [apply cap_wf_null|apply cap_sound_null]. Qed.

(** A fresh capability to a live object in range is good. *)
Lemma good_full_cap : forall st f,
  f < NFRAMES -> frame_type st f <> OT_FREE -> frame_type st f <> OT_RETIRED ->
  good st (full_cap st f).
Proof.
  unfold good, full_cap, cap_wf, cap_sound; simpl; intros. split; [auto|].
  intros; split; [lia|auto].
Qed.

Lemma good_frames : forall st st' k,
  frame_type st' = frame_type st -> frame_gen st' = frame_gen st -> good st k -> good st' k.
Proof. unfold good, cap_sound; intros; rewrite H, H0; assumption. Qed.

Lemma cap_upd_cases : forall (t : nat -> nat -> Cap) c row x y,
  upd t c row x y = t x y \/ (x = c /\ upd t c row x y = row y).
Proof. intros; unfold upd; destruct (Nat.eqb_spec x c); subst; auto. Qed.

Lemma set_cap_cases : forall st c s k x y,
  cap (set_cap st c s k) x y = cap st x y \/ cap (set_cap st c s k) x y = k.
Proof.
  intros; simpl; unfold upd.
  destruct (Nat.eqb_spec x c); subst; auto.
  destruct (Nat.eqb_spec y s); subst; auto.
Qed.

Lemma fw_upd_cases : forall (t : nat -> Cap) w k x, upd t w k x = t x \/ upd t w k x = k.
Proof. intros; unfold upd; destruct (Nat.eqb_spec x w); auto. Qed.

Lemma destroy_pass_cap : forall st t n x y,
  cap (destroy_pass st t n) x y = cap st x y \/ cap (destroy_pass st t n) x y = null_cap.
Proof.
  induction n; intros; simpl; [auto|].
  destruct (doomed _ _ _); [|apply IHn].
  simpl. unfold upd. destruct (Nat.eqb_spec x n); [auto|apply IHn].
Qed.

Lemma destroy_pass_fw : forall st t n, fw (destroy_pass st t n) = fw st.
Proof. induction n; simpl; [|destruct (doomed _ _ _)]; auto. Qed.

Lemma restrict_ref : forall k r w g,
  cap_type (restrict k r w g) = cap_type k /\ cap_obj (restrict k r w g) = cap_obj k /\
  cap_gen (restrict k r w g) = cap_gen k.
Proof. auto. Qed.

End Sized.

Ltac old_slot :=
  match goal with
  | |- from_old ?st (cap ?st ?a ?b) \/ _ => left; apply old_cap
  | |- from_old ?st (fw ?st ?a) \/ _ => left; apply old_fw
  end.

Section Sized.
Context {SZ : Sizes}.

(** The derived copy [restrict k ..] (and a minted one) of a stored [k]. *)
Lemma from_old_restrict : forall st cs s r w g b,
  from_old st (restrict (cap st cs s) r w g) /\
  from_old st (with_badge (restrict (cap st cs s) r w g) b).
Proof.
  intros; split; exists (cap st cs s); split; try (left; eauto); auto.
Qed.

End Sized.

Ltac rw_ok :=
  repeat match goal with
  | H : lookup _ _ _ _ _ _ = Ok _ |- _ =>
      let k := fresh "Hk" in let s := fresh "Hs" in let v := fresh "Hv" in
      apply lookup_ok in H as (k & s & v & _); subst
  | H : free_dst _ _ _ = Ok _ |- _ => apply free_dst_ok in H as [? ?]
  | H : alloc_frame _ = Ok _ |- _ => apply alloc_frame_ok in H as [? ?]
  | H : alloc_type _ = Ok _ |- _ => apply alloc_type_ok in H
  end.

Section Sized.
Context {SZ : Sizes}.

Lemma allocatable_live : forall t, allocatable t = true ->
  t <> OT_FREE /\ t <> OT_RETIRED /\ t <> OT_CONTAINER /\ t <> OT_FORWARDER.
Proof. destruct t; simpl; intuition discriminate. Qed.

(** The [obj_alloc] and [typed_alloc] cases: a new object (of a type
    that is neither free nor retired: [discriminate] or the hypotheses
    say so) in the free frame [f], a full capability in slot [d] of [cs]. *)
Ltac alloc_case :=
  match goal with CI : caps_inv ?st |- caps_inv (set_cap ?s1 ?cs ?d (full_cap _ ?f)) =>
    let st1 := fresh "st1" in let S1 := fresh "S1" in
    set (st1 := s1);
    assert (S1 : safe st st1) by (apply (safe_alloc st st1 f);
      [assumption|reflexivity|intros; cbn; apply upd_neq; assumption]);
    apply (caps_inv_transfer st); [exact CI|exact S1| |];
    [ intros x y; destruct (set_cap_cases st1 cs d (full_cap st1 f) x y) as [E|E]; rewrite E;
      [ cbn; destruct (cap_upd_cases (cap st) f (fun _ => null_cap) x y) as [E2|[_ E2]];
        rewrite E2; [old_slot|right; apply good_null]
      | right; apply (good_frames st1); [reflexivity|reflexivity|];
        apply good_full_cap; auto; cbn; rewrite upd_eq; (assumption || discriminate) ]
    | intros v; cbn; destruct (fw_upd_cases (fw st) f null_cap v) as [E|E]; rewrite E;
      [old_slot|right; apply good_null] ]
  end.

Theorem step_caps_inv : forall st st', caps_inv st -> step st st' -> caps_inv st'.
Proof.
  intros st st' I S.
  destruct S as [st cs a b c e st' H|st cs a b c e st' H
    |st cs a b e st' H|st cs a b e st' H|st cs a dcs b r w g e st' H
    |st cs a dcs b r w g x e st' H|st cs a dcs b e st' H|st cs a e st' H
    |st cs a b c e st' H|st cs a t b e st' H
    |st cs a b e st' H];
  op_unfold H; apply commit_cases in H as [[H _]| ->]; try exact I;
  peel H; apply Ok_inj in H; subst st'; rw_ok.
  - (* container_create *)
    set (st1 := init_container (make_object (charge st (cap_obj (cap st cs a))) a6 OT_CONTAINER
                  (cap_obj (cap st cs a))) a6 (cap_obj (cap st cs a)) c).
    assert (S1 : safe st st1) by (apply (safe_alloc st st1 a6); [assumption|reflexivity|intros; cbn; apply upd_neq; assumption]).
    apply (caps_inv_transfer st); [exact I| exact S1 | |].
    + intros x y. destruct (set_cap_cases st1 cs b (full_cap st1 a6) x y) as [E|E]; rewrite E.
      * cbn. destruct (cap_upd_cases (cap st) a6 (fun _ => null_cap) x y) as [E2|[_ E2]];
        rewrite E2; [old_slot|right; apply good_null].
      * right. apply (good_frames st1); [reflexivity|reflexivity|].
        apply good_full_cap; auto; cbn; rewrite upd_eq; discriminate.
    + intros v. cbn. destruct (fw_upd_cases (fw st) a6 null_cap v) as [E|E]; rewrite E;
      [old_slot|right; apply good_null].
  - (* obj_alloc *)
    apply allocatable_live in Ha1 as (N1 & N2 & _). alloc_case.
  - (* obj_free *)
    set (o := cap_obj (cap st cs b)).
    apply (caps_inv_transfer st); [exact I| |intros x y|intros v].
    + apply (safe_trans st (uncharge st (frame_owner st o))); [apply safe_same; reflexivity|apply safe_free_frame].
    + cbn. destruct (cap_upd_cases (cap st) o (fun _ => null_cap) x y) as [E2|[_ E2]];
      rewrite E2; [old_slot|right; apply good_null].
    + cbn. old_slot.
  - (* container_destroy *)
    match goal with |- caps_inv (destroy_pass ?s1 ?t ?n) =>
      apply (caps_inv_transfer st); [exact I| |intros x y|intros v];
      [ eapply safe_trans; [apply (safe_same st s1); reflexivity|apply safe_destroy_pass]
      | destruct (destroy_pass_cap s1 t n x y) as [E|E]; rewrite E;
        [left; exact (old_cap st x y)|right; apply good_null]
      | rewrite destroy_pass_fw; left; exact (old_fw st v) ] end.
  - (* cap_copy *)
    apply (caps_inv_transfer st); [exact I|apply safe_same; reflexivity| |intros v; cbn; old_slot].
    intros x y. destruct (set_cap_cases st dcs b (restrict (cap st cs a) (bit r) (bit w) (bit g)) x y)
      as [E|E]; rewrite E; [old_slot|left; apply from_old_restrict].
  - (* cap_mint *)
    apply (caps_inv_transfer st); [exact I|apply safe_same; reflexivity| |intros v; cbn; old_slot].
    intros y z. destruct (set_cap_cases st dcs b
      (with_badge (restrict (cap st cs a) (bit r) (bit w) (bit g)) x) y z)
      as [E|E]; rewrite E; [old_slot|left; apply from_old_restrict].
  - (* cap_move *)
    apply (caps_inv_transfer st); [exact I|apply safe_same; reflexivity| |intros v; cbn; old_slot].
    intros x y.
    destruct (set_cap_cases (set_cap st dcs b (cap st cs a)) cs a null_cap x y) as [E|E];
    rewrite E; [|right; apply good_null].
    destruct (set_cap_cases st dcs b (cap st cs a) x y) as [E2|E2]; rewrite E2; old_slot.
  - (* cap_delete *)
    apply (caps_inv_transfer st); [exact I|apply safe_same; reflexivity| |intros v; cbn; old_slot].
    intros x y. destruct (set_cap_cases st cs a null_cap x y) as [E|E]; rewrite E;
    [old_slot|right; apply good_null].
  - (* fwd_create *)
    set (st1 := set_fw (make_object (charge st (cap_obj (cap st cs a))) a6 OT_FORWARDER
                  (cap_obj (cap st cs a))) a6 (cap st cs b)).
    assert (S1 : safe st st1) by (apply (safe_alloc st st1 a6); [assumption|reflexivity|intros; cbn; apply upd_neq; assumption]).
    apply (caps_inv_transfer st); [exact I| exact S1 | |].
    + intros x y.
      destruct (set_cap_cases st1 cs c (mkCap OT_FORWARDER a6 (frame_gen st1 a6)
         (cap_read (cap st cs b)) (cap_write (cap st cs b)) (cap_grant (cap st cs b)) 0%N) x y)
        as [E|E]; rewrite E.
      * cbn. destruct (cap_upd_cases (cap st) a6 (fun _ => null_cap) x y) as [E2|[_ E2]];
        rewrite E2; [old_slot|right; apply good_null].
      * right. unfold good, cap_wf, cap_sound; cbn. rewrite upd_eq.
        split; [split; [discriminate|assumption]|]. intros; split; [lia|auto].
    + intros v. cbn. unfold upd. destruct (Nat.eqb_spec v a6); [left; apply old_cap|].
      old_slot.
  - (* typed_alloc *)
    match goal with H : (if kernel_made ?t then _ else _) = Ok _ |- _ =>
      destruct t; cbn in H; try discriminate; apply Ok_inj in H; subst end;
    alloc_case.
  - (* handler_alloc *)
    match goal with H : Ok OT_IRQ_HANDLER = Ok _ |- _ => apply Ok_inj in H; subst end.
    alloc_case.
Qed.

Theorem reachable_caps_inv : forall st st', caps_inv st -> reachable st st' -> caps_inv st'.
Proof.
  intros st st' I R. induction R; eauto using step_caps_inv.
Qed.

Lemma init_type_cs : forall r cs, frame_type (init_state r cs) cs = OT_CSPACE.
Proof. intros; unfold init_state, upd; cbn [frame_type]; rewrite Nat.eqb_refl; reflexivity. Qed.

Lemma init_type_r : forall r cs, r <> cs -> frame_type (init_state r cs) r = OT_CONTAINER.
Proof.
  intros; unfold init_state, upd; cbn [frame_type].
  destruct (Nat.eqb_spec r cs); [congruence|]. rewrite Nat.eqb_refl; reflexivity.
Qed.

Lemma init_gen : forall r cs f, frame_gen (init_state r cs) f = 0%N.
Proof. reflexivity. Qed.

(** Boot establishes it. *)
Theorem kernel_init_caps_inv : forall r cs st,
  kernel_init r cs = (E_OK, st) -> caps_inv st.
Proof.
  unfold kernel_init; intros r cs st H.
  destruct ((r <? NFRAMES) && (cs <? NFRAMES) && negb (Nat.eqb r cs)) eqn:C;
    [|discriminate].
  apply andb_true_iff in C as [C N]; apply andb_true_iff in C as [R CS].
  apply Nat.ltb_lt in R, CS. apply negb_true_iff, Nat.eqb_neq in N.
  inversion H; subst st; clear H.
  split.
  - intros x y.
    assert (E : cap (init_state r cs) x y = null_cap \/
                cap (init_state r cs) x y = mkCap OT_CONTAINER r 0%N true true true 0%N \/
                cap (init_state r cs) x y = mkCap OT_CSPACE cs 0%N true true true 0%N).
    { unfold init_state, upd; cbn [cap].
      destruct (Nat.eqb x cs); [|auto].
      destruct (Nat.eqb y 1); [auto|]. destruct (Nat.eqb y 0); auto. }
    destruct E as [E|[E|E]]; rewrite E; [apply good_null| |];
    unfold good, cap_wf, cap_sound; cbn [cap_type cap_obj cap_gen];
    rewrite init_gen.
    + rewrite init_type_r by assumption.
      split; [split; [discriminate|assumption]|]. intros; split; [lia|auto].
    + rewrite init_type_cs.
      split; [split; [discriminate|assumption]|]. intros; split; [lia|auto].
  - intros v; apply good_null.
Qed.

End Sized.
