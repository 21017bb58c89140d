(** * Invariants: the shared vocabulary and the kernel invariant

    The names below are those of the ACSL logic definitions in
    [kernel/include/model.acsl], so that a C contract proved by WP reads as
    a statement about this model ([tests/xref] checks that every ACSL
    predicate there has a Coq definition of the same name here or in
    [Model.v] / [Ops.v]). The ACSL versions read the C globals; these read
    a [State]. Slot-based ACSL predicates ([cap_valid(cs, s)]) correspond
    to the Coq predicate applied to the slot's value ([cap_valid st (cap st
    cs s)]). *)

From Coq Require Import Arith NArith Bool Lia.
From Spec Require Import Model Ops Facts.

(** The sizes are parameters (Model.v, [Sizes]): everything below holds
    for every instance. *)
Section Sized.
Context {SZ : Sizes}.

Definition is_container (st : State) (c : nat) : Prop :=
  c < NFRAMES /\ frame_type st c = OT_CONTAINER.

Definition is_cspace (st : State) (cs : nat) : Prop :=
  cs < NFRAMES /\ frame_type st cs = OT_CSPACE.

Definition fw_valid (st : State) (w : nat) : bool := cap_valid st (fw st w).

Definition slot_empty (st : State) (cs s : nat) : Prop :=
  cap_type (cap st cs s) = OT_FREE.

(** The error the lookup guard sequence gives ([E_OK] when it passes). *)
Definition lookup_err (st : State) (cs s : nat) (ty : option ObjType)
                      (nr nw : bool) : error :=
  match lookup st cs s ty nr nw with Ok _ => E_OK | Err e => e end.

Definition free_dst_err (st : State) (cs d : nat) : error :=
  match free_dst st cs d with Ok _ => E_OK | Err e => e end.

(** Every ancestor of [c] has room for [n] more frames. *)
Definition path_room (st : State) (c n : nat) : Prop :=
  forall d, d <= c_depth st c -> c_usage st (c_anc st c d) + n <= c_limit st (c_anc st c d).

Definition has_free (st : State) : Prop :=
  exists f, f < NFRAMES /\ frame_type st f = OT_FREE.

(** Saturating subtraction, as [nat] subtraction is. *)
Definition sat_sub (x y : nat) : nat := x - y.

(** ** The kernel invariant, in parts (same parts as [Inv] in ACSL) *)

(** Frames: only retired frames may carry [GEN_MAX] (so a bump never
    wraps); every live frame is owned by a live container. *)
Definition frames_wf (st : State) : Prop :=
  forall f, f < NFRAMES ->
    (frame_type st f <> OT_RETIRED -> (frame_gen st f < GEN_MAX)%N) /\
    (live st f = true -> is_container st (frame_owner st f)).

(** Containers: bounded depth, the path ends in itself, the frame is owned
    by the parent (the root owns itself), limits respected. *)
Definition containers_wf (st : State) : Prop :=
  forall c, is_container st c ->
    c_depth st c < MAXDEPTH /\ c_anc st c (c_depth st c) = c /\
    (c_depth st c = 0 -> frame_owner st c = c) /\
    (c_depth st c > 0 -> frame_owner st c = c_anc st c (c_depth st c - 1)) /\
    c_usage st c <= c_limit st c /\ c_limit st c <= NFRAMES /\
    c_own st c <= c_usage st c.

(** Ancestor paths: every entry is a live container at that depth whose
    own path is the matching prefix. *)
Definition paths_wf (st : State) : Prop :=
  forall c d, is_container st c -> d <= c_depth st c ->
    is_container st (c_anc st c d) /\ c_depth st (c_anc st c d) = d /\
    (forall e, e <= d -> c_anc st (c_anc st c d) e = c_anc st c e).

(** A stored capability is well formed: a type a live object can have (or
    [OT_FREE]), an object in range; and sound: its generation is not ahead
    of its object's, and when they are equal the object is still the one
    it was made for. Soundness is what keeps a freshly allocated frame out
    of reach of every old capability. *)
Definition cap_wf (k : Cap) : Prop :=
  cap_type k <> OT_RETIRED /\ cap_obj k < NFRAMES.

Definition cap_sound (st : State) (k : Cap) : Prop :=
  cap_type k <> OT_FREE ->
  (cap_gen k <= frame_gen st (cap_obj k))%N /\
  (cap_gen k = frame_gen st (cap_obj k) -> frame_type st (cap_obj k) = cap_type k).

Definition caps_wf (st : State) : Prop :=
  forall cs s, cap_wf (cap st cs s) /\ cap_sound st (cap st cs s).

Definition fws_wf (st : State) : Prop :=
  forall w, cap_wf (fw st w) /\ cap_sound st (fw st w).

Definition Inv (st : State) : Prop :=
  frames_wf st /\ containers_wf st /\ paths_wf st /\ caps_wf st /\ fws_wf st.

(** ** The capability invariant is preserved *)

(** A frame transition is safe for capabilities when no generation goes
    down and a frame whose generation stays either keeps its type or was
    free (a fresh allocation). *)
Definition safe (st st' : State) : Prop :=
  forall f, (frame_gen st f <= frame_gen st' f)%N /\
    (frame_gen st' f = frame_gen st f ->
     frame_type st' f = frame_type st f \/ frame_type st f = OT_FREE).

Lemma cap_sound_safe : forall st st' k,
  safe st st' -> cap_sound st k -> cap_sound st' k.
Proof.
  unfold cap_sound; intros st st' k S C NF.
  destruct (C NF) as [Le Eq]. destruct (S (cap_obj k)) as [Le' Same].
  split; [lia|]. intro E.
  assert (E' : cap_gen k = frame_gen st (cap_obj k)) by lia.
  specialize (Eq E').
  destruct (Same ltac:(lia)) as [T|T]; congruence.
Qed.

(** Validity after a safe transition implies validity before, for a sound
    capability: no old capability becomes valid by an allocation. *)
Lemma valid_back : forall st st' k,
  safe st st' -> cap_sound st k -> cap_valid st' k = true -> cap_valid st k = true.
Proof.
  intros st st' k S C V.
  pose proof V as V0. unfold cap_valid in V.
  apply andb_true_iff in V as [V G]; apply andb_true_iff in V as [NF T].
  apply negb_true_iff in NF. apply ot_eqb_eq in T. apply N.eqb_eq in G.
  assert (NF' : cap_type k <> OT_FREE) by (intro E; rewrite E in NF; discriminate).
  destruct (C NF') as [Le Eq]. destruct (S (cap_obj k)) as [Le' Same].
  assert (E' : cap_gen k = frame_gen st (cap_obj k)) by lia.
  specialize (Eq E').
  unfold cap_valid. rewrite Eq, <- E'.
  destruct (cap_type k) eqn:Ty; try (exfalso; apply NF'; reflexivity);
  cbn; rewrite N.eqb_refl; reflexivity.
Qed.

Lemma safe_same : forall st st',
  frame_type st' = frame_type st -> frame_gen st' = frame_gen st -> safe st st'.
Proof. unfold safe; intros; rewrite H, H0; split; [lia|auto]. Qed.

Lemma safe_trans : forall a b c, safe a b -> safe b c -> safe a c.
Proof.
  unfold safe; intros a b c H1 H2 f.
  destruct (H1 f) as [L1 S1], (H2 f) as [L2 S2]. split; [lia|].
  intro E. assert (E1 : frame_gen b f = frame_gen a f) by lia.
  assert (E2 : frame_gen c f = frame_gen b f) by lia.
  destruct (S1 E1) as [T1|T1], (S2 E2) as [T2|T2]; try (left; congruence); auto.
  right; congruence.
Qed.

Lemma safe_make_object : forall st f t o,
  frame_type st f = OT_FREE -> safe st (make_object st f t o).
Proof.
  unfold safe; intros; cbn. split; [lia|]. intro.
  unfold upd; destruct (Nat.eqb_spec f0 f); subst; auto.
Qed.

Lemma safe_alloc : forall st st1 f,
  frame_type st f = OT_FREE -> frame_gen st1 = frame_gen st ->
  (forall x, x <> f -> frame_type st1 x = frame_type st x) -> safe st st1.
Proof.
  unfold safe; intros st st1 f F G T x. rewrite G. split; [lia|intros _].
  destruct (Nat.eq_dec x f); [subst; auto|left; auto].
Qed.

Lemma safe_free_frame : forall st f, safe st (free_frame st f).
Proof.
  unfold safe; intros; cbn. unfold upd.
  destruct (Nat.eqb_spec f0 f); subst; split; try lia; auto.
Qed.

Lemma safe_destroy_pass : forall st t n, safe st (destroy_pass st t n).
Proof.
  induction n; simpl; [apply safe_same; reflexivity|].
  destruct (doomed _ _ _); [|assumption].
  eapply safe_trans; [exact IHn|apply safe_free_frame].
Qed.

Lemma cap_sound_null : forall st, cap_sound st null_cap.
Proof. unfold cap_sound; simpl; congruence. Qed.

Lemma cap_wf_null : cap_wf null_cap.
Proof. unfold cap_wf; simpl; pose proof NFRAMES_two; split; [discriminate|lia]. Qed.

(** A valid capability is sound and, under [caps_wf], well formed. *)
Lemma valid_sound : forall st k, cap_valid st k = true -> cap_sound st k.
Proof.
  intros st k V. unfold cap_sound; intros _.
  unfold cap_valid in V.
  apply andb_true_iff in V as [V G]; apply andb_true_iff in V as [_ T].
  apply ot_eqb_eq in T. apply N.eqb_eq in G. split; [lia|auto].
Qed.

(** The capability parts of the invariant, transported along a safe
    transition for all the capabilities that did not change. *)
Definition caps_inv (st : State) : Prop := caps_wf st /\ fws_wf st.

End Sized.
