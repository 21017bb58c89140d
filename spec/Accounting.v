(** * Accounting: the container invariant and its preservation

    [accounting st]: for every live container [c], [c_own c] is the number
    of live frames it owns and [c_usage c] the number of live frames owned
    by containers of its subtree (MODEL.md: "frames held by this container
    and its subtree"). With the tree structure ([paths_wf]) this is the
    equation [c_usage c = c_own c + Σ children's usage]: the subtree of [c]
    is [c] and its children's subtrees.

    [Wf] gathers the structural parts of the invariant ([frames_wf],
    [containers_wf] with [usage <= limit], [paths_wf]) and [accounting].
    This file proves that they are preserved by the operations listed in
    its theorems (see the README for what is still open). *)

From Coq Require Import Arith NArith Bool Lia.
From Spec Require Import Model Ops Facts Gens Revocation Invariants Preservation Counting.

(** The sizes are parameters (Model.v, [Sizes]): everything below holds
    for every instance. *)
Section Sized.
Context {SZ : Sizes}.

Definition owned_count (st : State) (c : nat) : nat :=
  count NFRAMES (fun g => live st g && Nat.eqb (frame_owner st g) c).

Definition subtree_count (st : State) (c : nat) : nat :=
  count NFRAMES (fun g => live st g && in_subtree st (frame_owner st g) c).

Definition accounting (st : State) : Prop :=
  forall c, is_container st c ->
    c_own st c = owned_count st c /\ c_usage st c = subtree_count st c.

Definition Wf (st : State) : Prop :=
  frames_wf st /\ containers_wf st /\ paths_wf st /\ accounting st.

(* Never compute with these in proofs: NFRAMES is a parameter, and at the
   kernel's size a 1024-step computation. *)
Local Opaque NFRAMES count.

(** ** Operations that do not touch the frame and container tables *)

Lemma wf_same_tables : forall st st',
  frame_type st' = frame_type st -> frame_owner st' = frame_owner st ->
  frame_gen st' = frame_gen st -> c_limit st' = c_limit st ->
  c_usage st' = c_usage st -> c_own st' = c_own st ->
  c_depth st' = c_depth st -> c_anc st' = c_anc st -> Wf st -> Wf st'.
Proof.
  intros st st' T O G L U W D A H.
  unfold Wf, frames_wf, containers_wf, paths_wf, accounting, owned_count,
    subtree_count, is_container, live, in_subtree in *.
  rewrite T, O, G, L, U, W, D, A. exact H.
Qed.

(** ** Derived facts under the structural invariant *)

Lemma in_subtree_self : forall st c,
  c_anc st c (c_depth st c) = c -> in_subtree st c c = true.
Proof.
  intros st c A. unfold in_subtree. rewrite Nat.leb_refl, A, Nat.eqb_refl. reflexivity.
Qed.

Lemma own_le_usage : forall st c,
  c_anc st c (c_depth st c) = c -> owned_count st c <= subtree_count st c.
Proof.
  intros st c A. apply count_le. intros g _ H.
  apply andb_true_iff in H as [L O]. apply Nat.eqb_eq in O.
  rewrite L, O, in_subtree_self by assumption. reflexivity.
Qed.

Lemma valid_live_type : forall st k, cap_valid st k = true ->
  frame_type st (cap_obj k) = cap_type k /\ cap_type k <> OT_FREE.
Proof.
  intros st k V. pose proof (cap_valid_parts st k V) as [T _].
  split; [exact T|]. unfold cap_valid in V.
  apply andb_true_iff in V as [V _]; apply andb_true_iff in V as [NF _].
  intro E; rewrite E in NF; discriminate.
Qed.

(** ** obj_free *)

Lemma live_free_frame : forall st o g,
  live (free_frame st o) g = if Nat.eqb g o then false else live st g.
Proof.
  intros. unfold live. cbn [free_frame frame_type]. unfold upd, bumped_type.
  destruct (Nat.eqb g o); [destruct (N.eqb _ _)|]; reflexivity.
Qed.

(** Freeing a live non-container object [o] (obj_free, and the page
    tables freed by [proc_reap]): uncharged from its owner's path. *)
Lemma Wf_free_object : forall st o,
  Wf st -> o < NFRAMES -> live st o = true -> frame_type st o <> OT_CONTAINER ->
  Wf (free_frame (uncharge st (frame_owner st o)) o).
Proof.
  intros st o (FW & CW & PW & AC) Ho Lo NC.
  set (k := frame_owner st o).
  destruct (FW o Ho) as [Go Ko]. specialize (Ko Lo). fold k in Ko.
  assert (Go' : (frame_gen st o < GEN_MAX)%N).
  { apply Go. intro E. unfold live, live_type in Lo. rewrite E in Lo. discriminate. }
  set (st' := free_frame (uncharge st k) o).
  (* the new tables *)
  assert (Ty : forall g, frame_type st' g =
            if Nat.eqb g o then bumped_type (N.succ (frame_gen st o)) else frame_type st g)
    by (intros; reflexivity).
  assert (Li : forall g, live st' g = if Nat.eqb g o then false else live st g)
    by (intros; exact (live_free_frame (uncharge st k) o g)).
  assert (CT : forall x, is_container st' x -> is_container st x /\ x <> o).
  { intros x [Hx Tx]. rewrite Ty in Tx. destruct (Nat.eqb_spec x o).
    - unfold bumped_type in Tx. destruct (N.eqb _ _); discriminate.
    - split; [split|]; assumption. }
  assert (CT' : forall x, is_container st x -> is_container st' x).
  { intros x [Hx Tx]. split; [assumption|]. rewrite Ty.
    destruct (Nat.eqb_spec x o); [subst; contradiction|assumption]. }
  (* accounting first *)
  assert (AC' : accounting st').
  { intros x Cx. destruct (CT x Cx) as [Cx0 Nxo]. destruct (AC x Cx0) as [Ow Us].
    split.
    - cbn [st' free_frame uncharge with_usage_own c_own].
      unfold owned_count in *.
      assert (U := count_upd NFRAMES
        (fun g => live st g && Nat.eqb (frame_owner st g) x)
        (fun g => live st' g && Nat.eqb (frame_owner st' g) x) o Ho
        ltac:(intros g _ Ne; cbv beta; rewrite Li; apply Nat.eqb_neq in Ne; rewrite Ne; reflexivity)).
      cbv beta in U. rewrite (Li o), Nat.eqb_refl, Lo in U.
      change (frame_owner st o) with k in U.
      unfold upd. destruct (Nat.eqb_spec x k); destruct (Nat.eqb_spec k x); try congruence;
      cbn [andb] in U; try subst x; lia.
    - cbn [st' free_frame uncharge with_usage_own c_usage]. unfold sub_usage_path.
      unfold subtree_count in *.
      assert (U := count_upd NFRAMES
        (fun g => live st g && in_subtree st (frame_owner st g) x)
        (fun g => live st' g && in_subtree st' (frame_owner st' g) x) o Ho
        ltac:(intros g _ Ne; cbv beta; rewrite Li; apply Nat.eqb_neq in Ne; rewrite Ne; reflexivity)).
      cbv beta in U. rewrite (Li o), Nat.eqb_refl, Lo in U.
      change (frame_owner st o) with k in U.
      change (in_subtree st' (frame_owner st' o) x) with (in_subtree st k x) in U.
      destruct (in_subtree st k x); cbn [andb] in U; lia. }
  split; [|split; [|split]].
  - (* frames_wf *)
    intros g Hg. split.
    + rewrite Ty. intro NRg. cbn [st' free_frame uncharge with_usage_own frame_gen]. unfold upd.
      destruct (Nat.eqb_spec g o).
      * unfold bumped_type in NRg. destruct (N.eqb_spec (N.succ (frame_gen st o)) GEN_MAX);
        [contradiction|]. subst g. lia.
      * apply (proj1 (FW g Hg)). assumption.
    + rewrite Li. destruct (Nat.eqb_spec g o); [discriminate|]. intro Lg.
      apply CT'. exact (proj2 (FW g Hg) Lg).
  - (* containers_wf *)
    intros x Cx. destruct (CT x Cx) as [Cx0 Nxo].
    destruct (CW x Cx0) as (D & A & R0 & R1 & UL & LN & OU).
    cbn [st' free_frame uncharge with_usage_own c_depth c_anc frame_owner c_usage c_limit c_own].
    repeat split; auto.
    + unfold sub_usage_path. destruct (in_subtree st k x); lia.
    + destruct (AC' x Cx) as [Ow Us].
      cbn [st' free_frame uncharge with_usage_own c_own c_usage] in Ow, Us.
      rewrite Ow, Us. apply own_le_usage. exact A.
  - (* paths_wf *)
    intros x d Cx Dx. destruct (CT x Cx) as [Cx0 _].
    cbn [st' free_frame uncharge with_usage_own c_depth c_anc] in *.
    destruct (PW x d Cx0 Dx) as (C1 & D1 & P1). split; [apply CT'; exact C1|auto].
  - exact AC'.
Qed.

Lemma Wf_obj_free : forall st cs a b st',
  caps_inv st -> Wf st -> obj_free st cs a b = (E_OK, st') -> Wf st'.
Proof.
  intros st cs a b st' [CI FI] W H.
  unfold obj_free in H. op_ok H. apply Ok_inj in H; subst st'.
  apply lookup_ok in Ha0 as (-> & _ & Vc & Tc & _).
  apply lookup_ok in Ha1 as (-> & _ & Vo & _).
  apply andb_true_iff in Ha2 as [Ha2 _]. apply negb_true_iff in Ha2.
  set (o := cap_obj (cap st cs b)) in *.
  destruct (CI cs b) as [[NR Ho] _].
  apply valid_live_type in Vo as [To NF]. fold o in To, Ho.
  apply Wf_free_object; auto.
  - unfold live, live_type. rewrite To.
    destruct (cap_type (cap st cs b)); try contradiction; reflexivity.
  - rewrite To. intro E. rewrite E in Ha2. discriminate.
Qed.

(** ** The capability operations keep every frame and container table *)

Lemma Wf_cap_ops : forall st st',
  (exists cs a dcs b r w g, cap_copy st cs a dcs b r w g = (E_OK, st')) \/
  (exists cs a dcs b r w g x, cap_mint st cs a dcs b r w g x = (E_OK, st')) \/
  (exists cs a dcs b, cap_move st cs a dcs b = (E_OK, st')) \/
  (exists cs a, cap_delete st cs a = (E_OK, st')) ->
  Wf st -> Wf st'.
Proof.
  intros st st' H W.
  destruct H as [(cs & a & dcs & b & r & w & g & H)|[(cs & a & dcs & b & r & w & g & x & H)
                 |[(cs & a & dcs & b & H)|(cs & a & H)]]];
  op_unfold H; apply commit_cases in H as [[H _]| ->]; try exact W;
  peel H; apply Ok_inj in H; subst st';
  apply (wf_same_tables st); auto.
Qed.

(** ** Allocation of one frame *)

Lemma forall_below_spec : forall n p, forall_below n p = true -> forall d, d < n -> p d = true.
Proof.
  induction n; intros p H d Hd; [lia|]. simpl in H. apply andb_true_iff in H as [H1 H2].
  destruct (Nat.eq_dec d n) as [->|Ne]; [exact H2|apply IHn; auto; lia].
Qed.

Lemma can_charge_ok : forall st c x,
  can_charge st c = true -> in_subtree st c x = true -> c_usage st x + 1 <= c_limit st x.
Proof.
  unfold can_charge, in_subtree; intros st c x H S.
  apply andb_true_iff in S as [D A]. apply Nat.leb_le in D. apply Nat.eqb_eq in A.
  pose proof (forall_below_spec _ _ H (c_depth st x) ltac:(lia)) as P. cbv beta in P.
  rewrite A in P. apply Nat.leb_le in P. exact P.
Qed.

Lemma live_type_ok : forall t, t <> OT_FREE -> t <> OT_RETIRED -> live_type t = true.
Proof. destruct t; intros; try contradiction; reflexivity. Qed.

(** A new non-container object [t] in free frame [f], paid by container
    [c] (obj_alloc, fwd_create). *)
Lemma Wf_alloc_object : forall st c f t,
  Wf st -> is_container st c -> can_charge st c = true ->
  f < NFRAMES -> frame_type st f = OT_FREE ->
  t <> OT_FREE -> t <> OT_RETIRED -> t <> OT_CONTAINER ->
  Wf (make_object (charge st c) f t c).
Proof.
  intros st c f t (FW & CW & PW & AC) Cc CC Hf Ff T1 T2 T3.
  set (st1 := make_object (charge st c) f t c).
  assert (Ty : forall g, frame_type st1 g = if Nat.eqb g f then t else frame_type st g)
    by reflexivity.
  assert (Ow : forall g, frame_owner st1 g = if Nat.eqb g f then c else frame_owner st g)
    by reflexivity.
  assert (Li : forall g, live st1 g = if Nat.eqb g f then true else live st g).
  { intros g. unfold live. rewrite Ty. destruct (Nat.eqb g f); [|reflexivity].
    apply live_type_ok; assumption. }
  assert (Lf : live st f = false) by (unfold live; rewrite Ff; reflexivity).
  assert (Ncf : c <> f) by (intro E; subst; destruct Cc as [_ E]; congruence).
  assert (CT : forall x, is_container st1 x <-> is_container st x).
  { intros x; unfold is_container; rewrite Ty.
    destruct (Nat.eqb_spec x f); [subst; rewrite Ff; split; intros [_ E]; congruence|tauto]. }
  assert (Sub : forall k x, in_subtree st1 k x = in_subtree st k x) by reflexivity.
  assert (AC' : accounting st1).
  { intros x Cx. apply CT in Cx. destruct (AC x Cx) as [O U]. split.
    - cbn [st1 make_object charge with_usage_own c_own]. unfold owned_count in *.
      assert (E := count_upd NFRAMES
        (fun g => live st g && Nat.eqb (frame_owner st g) x)
        (fun g => live st1 g && Nat.eqb (frame_owner st1 g) x) f Hf
        ltac:(intros g _ Ne; cbv beta; rewrite Li, Ow; apply Nat.eqb_neq in Ne; rewrite Ne; reflexivity)).
      cbv beta in E. rewrite (Li f), (Ow f), Nat.eqb_refl, Lf in E. cbn [andb] in E.
      unfold upd. destruct (Nat.eqb_spec x c); destruct (Nat.eqb_spec c x); try congruence; try subst x; lia.
    - cbn [st1 make_object charge with_usage_own c_usage]. unfold add_usage_path.
      unfold subtree_count in *.
      assert (E := count_upd NFRAMES
        (fun g => live st g && in_subtree st (frame_owner st g) x)
        (fun g => live st1 g && in_subtree st1 (frame_owner st1 g) x) f Hf
        ltac:(intros g _ Ne; cbv beta; rewrite Li, Ow, Sub; apply Nat.eqb_neq in Ne;
              rewrite Ne; reflexivity)).
      cbv beta in E. rewrite (Li f), (Ow f), Nat.eqb_refl, Lf, Sub in E. cbn [andb] in E.
      destruct (in_subtree st c x); lia. }
  split; [|split; [|split]].
  - intros g Hg. rewrite Ty, Li, Ow. destruct (Nat.eqb_spec g f) as [->|Ne].
    + split; [intros _; apply (proj1 (FW f Hf)); rewrite Ff; discriminate|].
      intros _; apply CT; exact Cc.
    + destruct (FW g Hg) as [G K]. split; [exact G|]. intro L; apply CT; auto.
  - intros x Cx. pose proof Cx as Cx'. apply CT in Cx.
    destruct (CW x Cx) as (D & A & R0 & R1 & UL & LN & OU).
    assert (Nxf : x <> f) by (intro E; subst; destruct Cx as [_ E]; congruence).
    destruct (AC' x Cx') as [O U].
    cbn [st1 make_object charge with_usage_own c_depth c_anc c_limit frame_owner] in *.
    rewrite !upd_neq by assumption. repeat split; auto.
    + cbn [st1 make_object charge with_usage_own c_usage]. unfold add_usage_path.
      destruct (in_subtree st c x) eqn:S; [|lia].
      apply (can_charge_ok st c x CC S).
    + rewrite O, U. apply own_le_usage. exact A.
  - intros x d Cx Dx. apply CT in Cx. destruct (PW x d Cx Dx) as (C1 & D1 & P1).
    split; [apply CT; exact C1|auto].
  - exact AC'.
Qed.

(** [obj_alloc] and [typed_alloc]: a new object of a type that is not
    free, retired or a container. *)
Lemma Wf_alloc_op : forall st cs a rt b st',
  (forall t, rt = Ok t -> t <> OT_FREE /\ t <> OT_RETIRED /\ t <> OT_CONTAINER) ->
  rt <> Err E_OK ->
  caps_inv st -> Wf st -> alloc_object st cs a rt b = (E_OK, st') -> Wf st'.
Proof.
  intros st cs a rt b st' RT RE [CI _] W H.
  unfold alloc_object in H. op_ok H. apply Ok_inj in H; subst st'.
  apply lookup_ok in Ha0 as (-> & _ & Vc & Tc & _).
  apply RT in Ha1 as (N1 & N2 & N3).
  apply alloc_frame_ok in Ha4 as [Hf Ff].
  apply (wf_same_tables (make_object (charge st (cap_obj (cap st cs a))) a5 a2
                                     (cap_obj (cap st cs a)))); auto.
  apply Wf_alloc_object; auto.
  apply valid_live_type in Vc as [T _]. rewrite (Tc OT_CONTAINER eq_refl) in T.
  split; [apply (proj2 (proj1 (CI cs a)))|exact T].
all: exact RE.
Qed.

Lemma Wf_obj_alloc : forall st cs a ty b st',
  caps_inv st -> Wf st -> obj_alloc st cs a ty b = (E_OK, st') -> Wf st'.
Proof.
  intros st cs a ty b st'. apply Wf_alloc_op; [|apply alloc_type_no_eok].
  intros t T. apply alloc_type_ok, allocatable_live in T. tauto.
Qed.

Lemma Wf_typed_alloc : forall st cs a t b st',
  caps_inv st -> Wf st -> typed_alloc st cs a t b = (E_OK, st') -> Wf st'.
Proof.
  intros st cs a t b st'. apply Wf_alloc_op; [|destruct (kernel_made t); discriminate].
  intros u T. destruct t; cbn in T; try discriminate; apply Ok_inj in T; subst;
    repeat split; discriminate.
Qed.

Lemma Wf_handler_alloc : forall st cs a b st',
  caps_inv st -> Wf st -> handler_alloc st cs a b = (E_OK, st') -> Wf st'.
Proof.
  intros st cs a b st'. apply Wf_alloc_op; [|discriminate].
  intros u T. apply Ok_inj in T; subst. repeat split; discriminate.
Qed.

Lemma Wf_fwd_create : forall st cs a b c st',
  caps_inv st -> Wf st -> fwd_create st cs a b c = (E_OK, st') -> Wf st'.
Proof.
  intros st cs a b c st' [CI _] W H.
  unfold fwd_create in H. op_ok H. apply Ok_inj in H; subst st'.
  apply lookup_ok in Ha0 as (-> & _ & Vc & Tc & _).
  apply alloc_frame_ok in Ha5 as [Hf Ff].
  apply (wf_same_tables (make_object (charge st (cap_obj (cap st cs a))) a6 OT_FORWARDER
                                     (cap_obj (cap st cs a)))); auto.
  apply Wf_alloc_object; auto; try discriminate.
  apply valid_live_type in Vc as [T _]. rewrite (Tc OT_CONTAINER eq_refl) in T.
  split; [apply (proj2 (proj1 (CI cs a)))|exact T].
Qed.

(** ** container_create *)

Lemma Wf_new_container : forall st p f limit,
  Wf st -> is_container st p -> can_charge st p = true ->
  f < NFRAMES -> frame_type st f = OT_FREE ->
  1 <= limit -> limit <= c_limit st p -> S (c_depth st p) < MAXDEPTH ->
  Wf (init_container (make_object (charge st p) f OT_CONTAINER p) f p limit).
Proof.
  intros st p f limit (FW & CW & PW & AC) Cp CC Hf Ff L1 L2 MD.
  set (st2 := init_container (make_object (charge st p) f OT_CONTAINER p) f p limit).
  assert (Ty : forall g, frame_type st2 g = if Nat.eqb g f then OT_CONTAINER else frame_type st g)
    by reflexivity.
  assert (Ow : forall g, frame_owner st2 g = if Nat.eqb g f then p else frame_owner st g)
    by reflexivity.
  assert (Li : forall g, live st2 g = if Nat.eqb g f then true else live st g).
  { intros g. unfold live. rewrite Ty. destruct (Nat.eqb g f); reflexivity. }
  assert (Lf : live st f = false) by (unfold live; rewrite Ff; reflexivity).
  assert (Npf : p <> f) by (intro E; subst; destruct Cp as [_ E]; congruence).
  assert (NCf : forall x, is_container st x -> x <> f)
    by (intros x [_ E] E'; subst; congruence).
  assert (CT : forall x, is_container st2 x <-> is_container st x \/ x = f).
  { intros x; unfold is_container; rewrite Ty.
    destruct (Nat.eqb_spec x f) as [->|Ne]; [split; [right; reflexivity|intros _; auto]|].
    split; [intros; left; assumption|intros [H|H]; [assumption|contradiction]]. }
  assert (Dp : forall x, x <> f -> c_depth st2 x = c_depth st x)
    by (intros; cbn [st2 init_container c_depth]; apply upd_neq; assumption).
  assert (An : forall x, x <> f -> c_anc st2 x = c_anc st x)
    by (intros; cbn [st2 init_container c_anc]; apply upd_neq; assumption).
  assert (Df : c_depth st2 f = S (c_depth st p))
    by (cbn [st2 init_container c_depth make_object charge with_usage_own]; apply upd_eq).
  assert (Af : forall e, c_anc st2 f e = if e <? S (c_depth st p) then c_anc st p e
                                        else if Nat.eqb e (S (c_depth st p)) then f else 0)
    by (intros; cbn [st2 init_container c_anc make_object charge with_usage_own];
        rewrite upd_eq; reflexivity).
  (* in_subtree between old containers is unchanged *)
  assert (Sub : forall k x, k <> f -> x <> f -> in_subtree st2 k x = in_subtree st k x).
  { intros k x Nk Nx. unfold in_subtree. rewrite (Dp k Nk), (Dp x Nx), (An k Nk). reflexivity. }
  (* nothing old is in the new container's subtree *)
  assert (Sub0 : forall k, is_container st k -> in_subtree st2 k f = false).
  { intros k Ck. pose proof (NCf k Ck) as Nk. unfold in_subtree.
    rewrite (Dp k Nk), Df, (An k Nk).
    destruct (Nat.leb_spec (S (c_depth st p)) (c_depth st k)) as [D|D]; [|reflexivity].
    simpl andb. apply Nat.eqb_neq. intro E.
    destruct (PW k (S (c_depth st p)) Ck D) as [C1 _]. rewrite E in C1.
    apply (NCf f C1); reflexivity. }
  assert (AC' : accounting st2).
  { intros x Cx. apply CT in Cx as [Cx| ->].
    - pose proof (NCf x Cx) as Nx. destruct (AC x Cx) as [O U]. split.
      + cbn [st2 init_container make_object charge with_usage_own c_own].
        rewrite upd_neq by assumption. unfold owned_count in *.
        assert (E := count_upd NFRAMES
          (fun g => live st g && Nat.eqb (frame_owner st g) x)
          (fun g => live st2 g && Nat.eqb (frame_owner st2 g) x) f Hf
          ltac:(intros g _ Ne; cbv beta; rewrite Li, Ow; apply Nat.eqb_neq in Ne; rewrite Ne; reflexivity)).
        cbv beta in E. rewrite (Li f), (Ow f), Nat.eqb_refl, Lf in E. cbn [andb] in E.
        unfold upd. destruct (Nat.eqb_spec x p); destruct (Nat.eqb_spec p x); try congruence;
        try subst x; lia.
      + cbn [st2 init_container make_object charge with_usage_own c_usage].
        rewrite upd_neq by assumption. unfold add_usage_path.
        unfold subtree_count in *.
        assert (E := count_upd NFRAMES
          (fun g => live st g && in_subtree st (frame_owner st g) x)
          (fun g => live st2 g && in_subtree st2 (frame_owner st2 g) x) f Hf
          ltac:(intros g Hg Ne; cbv beta; rewrite Li, Ow; apply Nat.eqb_neq in Ne; rewrite Ne;
                destruct (live st g) eqn:Lg; [|reflexivity]; simpl andb;
                apply Sub; [apply NCf, (proj2 (FW g Hg)), Lg|exact Nx])).
        cbv beta in E. rewrite (Li f), (Ow f), Nat.eqb_refl, Lf, (Sub p x Npf Nx) in E.
        cbn [andb] in E. destruct (in_subtree st p x); lia.
    - cbn [st2 init_container make_object charge with_usage_own c_own c_usage].
      rewrite !upd_eq. split; symmetry; apply count_zero; intros g Hg; rewrite Li, Ow;
      destruct (Nat.eqb_spec g f) as [->|Ne].
      + simpl andb. apply Nat.eqb_neq. exact Npf.
      + destruct (live st g) eqn:Lg; [|reflexivity]. simpl andb. apply Nat.eqb_neq.
        intro E. apply (NCf f); [rewrite <- E; apply (proj2 (FW g Hg)), Lg|reflexivity].
      + simpl andb. apply Sub0. exact Cp.
      + destruct (live st g) eqn:Lg; [|reflexivity]. simpl andb.
        apply Sub0, (proj2 (FW g Hg)), Lg. }
  destruct (CW p Cp) as (Dpp & App & _ & _ & _ & LNp & _).
  split; [|split; [|split]].
  - intros g Hg. rewrite Ty, Li, Ow. destruct (Nat.eqb_spec g f) as [->|Ne].
    + split; [intros _; apply (proj1 (FW f Hf)); rewrite Ff; discriminate|].
      intros _; apply CT; left; exact Cp.
    + destruct (FW g Hg) as [G K]. split; [exact G|]. intro L; apply CT; left; auto.
  - intros x Cx. pose proof Cx as Cx'. destruct (AC' x Cx') as [O U].
    apply CT in Cx as [Cx| ->].
    + pose proof (NCf x Cx) as Nx.
      destruct (CW x Cx) as (D & A & R0 & R1 & UL & LN & OU).
      rewrite (Dp x Nx), (An x Nx), (Ow x) in *. rewrite (proj2 (Nat.eqb_neq x f) Nx) in *.
      repeat split; auto.
      * cbn [st2 init_container make_object charge with_usage_own c_usage c_limit].
        rewrite !upd_neq by assumption. unfold add_usage_path.
        destruct (in_subtree st p x) eqn:S; [apply (can_charge_ok st p x CC S)|lia].
      * cbn [st2 init_container make_object charge with_usage_own c_limit].
        rewrite upd_neq by assumption. exact LN.
      * rewrite O, U. apply own_le_usage. rewrite (Dp x Nx), (An x Nx). exact A.
    + rewrite Df, Af, (Ow f), Nat.eqb_refl, Nat.ltb_irrefl, Nat.eqb_refl.
      cbn [st2 init_container make_object charge with_usage_own c_usage c_limit c_own].
      rewrite !upd_eq. repeat split; try lia.
      intros _. replace (S (c_depth st p) - 1) with (c_depth st p) by lia.
      rewrite Af. assert (L : c_depth st p <? S (c_depth st p) = true) by (apply Nat.ltb_lt; lia).
      rewrite L, App. reflexivity.
  - intros x d Cx Dx. apply CT in Cx as [Cx| ->].
    + pose proof (NCf x Cx) as Nx. rewrite (Dp x Nx) in Dx.
      destruct (PW x d Cx Dx) as (C1 & D1 & P1). rewrite (An x Nx).
      pose proof (NCf _ C1) as N1.
      split; [apply CT; left; exact C1|]. rewrite (Dp _ N1), (An _ N1). auto.
    + rewrite Df in Dx. rewrite Af.
      destruct (Nat.ltb_spec d (S (c_depth st p))) as [Lt|Ge].
      * assert (Dd : d <= c_depth st p) by lia.
        destruct (PW p d Cp Dd) as (C1 & D1 & P1). pose proof (NCf _ C1) as N1.
        split; [apply CT; left; exact C1|]. rewrite (Dp _ N1), (An _ N1). split; [exact D1|].
        intros e He. rewrite Af. assert (L : e <? S (c_depth st p) = true) by (apply Nat.ltb_lt; lia).
        rewrite L. apply P1; exact He.
      * assert (Ed : d = S (c_depth st p)) by lia. subst d. rewrite Nat.eqb_refl.
        split; [apply CT; right; reflexivity|]. split; [exact Df|].
        intros e He. rewrite Af. reflexivity.
  - exact AC'.
Qed.

Lemma Wf_container_create : forall st cs a b limit st',
  caps_inv st -> Wf st -> container_create st cs a b limit = (E_OK, st') -> Wf st'.
Proof.
  intros st cs a b limit st' [CI _] W H.
  unfold container_create in H. op_ok H. apply Ok_inj in H; subst st'.
  apply lookup_ok in Ha0 as (-> & _ & Vc & Tc & _).
  apply alloc_frame_ok in Ha5 as [Hf Ff].
  apply andb_true_iff in Ha2 as [L1 L2]. apply Nat.leb_le in L1, L2.
  apply Nat.ltb_lt in Ha3.
  match goal with |- Wf (set_cap ?s _ _ _) =>
    apply (wf_same_tables s); auto end.
  apply Wf_new_container; auto.
  apply valid_live_type in Vc as [T _]. rewrite (Tc OT_CONTAINER eq_refl) in T.
  split; [apply (proj2 (proj1 (CI cs a)))|exact T].
Qed.

(** ** container_destroy *)

Lemma destroy_pass_usage : forall st t n, c_usage (destroy_pass st t n) = c_usage st.
Proof. induction n; simpl; [|destruct (doomed _ _ _)]; auto. Qed.
Lemma destroy_pass_own : forall st t n, c_own (destroy_pass st t n) = c_own st.
Proof. induction n; simpl; [|destruct (doomed _ _ _)]; auto. Qed.
Lemma destroy_pass_limit : forall st t n, c_limit (destroy_pass st t n) = c_limit st.
Proof. induction n; simpl; [|destruct (doomed _ _ _)]; auto. Qed.

Section Destroy.
  Variable st : State.
  Variable t : nat.
  Context (FW : frames_wf st).
  Context (CW : containers_wf st).
  Context (PW : paths_wf st).
  Context (Ct : is_container st t).

  Let p := c_anc st t (c_depth st t - 1).
  Let D := doomed st t.

  Lemma owner_t : frame_owner st t = p.
  Proof.
    destruct (CW t Ct) as (_ & A & R0 & R1 & _). unfold p.
    destruct (c_depth st t) eqn:E.
    - rewrite R0 by reflexivity. replace (0 - 1) with 0 by reflexivity. rewrite A. reflexivity.
    - apply R1; lia.
  Qed.

  (* the path facts, unpacked *)
  Lemma path_at : forall k d, is_container st k -> d <= c_depth st k ->
    is_container st (c_anc st k d) /\ c_depth st (c_anc st k d) = d /\
    (forall e, e <= d -> c_anc st (c_anc st k d) e = c_anc st k e).
  Proof. intros; apply PW; assumption. Qed.

  Lemma sub_closed : forall k, is_container st k ->
    in_subtree st (frame_owner st k) t = true -> in_subtree st k t = true.
  Proof.
    intros k Ck Sk. destruct (CW k Ck) as (_ & A & R0 & R1 & _).
    destruct (c_depth st k) eqn:E.
    - rewrite R0 in Sk by reflexivity. exact Sk.
    - rewrite R1 in Sk by lia. replace (S n - 1) with n in Sk by lia.
      destruct (path_at k n Ck ltac:(lia)) as (_ & Dq & Pq).
      unfold in_subtree in *. rewrite Dq in Sk.
      apply andb_true_iff in Sk as [S1 S2]. apply Nat.leb_le in S1. apply Nat.eqb_eq in S2.
      rewrite Pq in S2 by lia. rewrite E. apply andb_true_iff; split.
      + apply Nat.leb_le; lia.
      + apply Nat.eqb_eq; exact S2.
  Qed.

  Lemma doomed_container_in : forall k, is_container st k -> D k = true ->
    in_subtree st k t = true.
  Proof.
    intros k Ck Dk. unfold D, doomed in Dk.
    apply andb_true_iff in Dk as [_ Dk]. apply orb_true_iff in Dk as [E|S].
    - apply Nat.eqb_eq in E; subst. destruct (CW t Ct) as (_ & A & _).
      unfold in_subtree. rewrite Nat.leb_refl, A, Nat.eqb_refl. reflexivity.
    - apply sub_closed; assumption.
  Qed.

  (** A surviving container is not in the target's subtree. *)
  Lemma survivor_out : forall x, is_container st x -> D x = false ->
    in_subtree st x t = false.
  Proof.
    intros x Cx Dx. destruct (in_subtree st x t) eqn:S; [|reflexivity]. exfalso.
    assert (Lx : live st x = true) by (unfold live; destruct Cx as [_ T]; rewrite T; reflexivity).
    unfold D, doomed in Dx. rewrite Lx in Dx. simpl andb in Dx.
    apply orb_false_iff in Dx as [Nx Ox]. apply Nat.eqb_neq in Nx.
    unfold in_subtree in S. apply andb_true_iff in S as [S1 S2].
    apply Nat.leb_le in S1. apply Nat.eqb_eq in S2.
    destruct (CW x Cx) as (_ & A & R0 & R1 & _).
    destruct (Nat.eq_dec (c_depth st t) (c_depth st x)) as [E|Ne].
    - rewrite E, A in S2. congruence.
    - rewrite R1 in Ox by lia.
      destruct (path_at x (c_depth st x - 1) Cx ltac:(lia)) as (_ & Dq & Pq).
      unfold in_subtree in Ox. rewrite Dq, Pq in Ox by lia. rewrite S2 in Ox.
      rewrite Nat.eqb_refl, andb_true_r in Ox. apply Nat.leb_gt in Ox. lia.
  Qed.

  (** A survivor sharing a descendant with the target is a strict
      ancestor of the target, hence an ancestor (or self) of [p]. *)
  Lemma survivor_above : forall x k, is_container st x -> D x = false ->
    is_container st k -> in_subtree st k t = true -> in_subtree st k x = true ->
    c_depth st t > 0 /\ in_subtree st p x = true.
  Proof.
    intros x k Cx Dx Ck Kt Kx.
    pose proof (survivor_out x Cx Dx) as Out.
    unfold in_subtree in Kt, Kx. apply andb_true_iff in Kt as [T1 T2], Kx as [X1 X2].
    apply Nat.leb_le in T1, X1. apply Nat.eqb_eq in T2, X2.
    destruct (path_at k (c_depth st t) Ck T1) as (_ & _ & Pt). rewrite T2 in Pt.
    destruct (Nat.le_gt_cases (c_depth st t) (c_depth st x)) as [Le|Gt].
    - exfalso. destruct (path_at k (c_depth st x) Ck X1) as (_ & _ & Px). rewrite X2 in Px.
      unfold in_subtree in Out. rewrite (Px _ Le), T2, Nat.eqb_refl in Out.
      apply Nat.leb_le in Le. rewrite Le in Out. discriminate.
    - split; [lia|]. unfold p.
      destruct (path_at t (c_depth st t - 1) Ct ltac:(lia)) as (_ & Dp & Pp).
      unfold in_subtree. rewrite Dp, Pp by lia. rewrite Pt by lia. rewrite X2.
      rewrite Nat.eqb_refl, andb_true_r. apply Nat.leb_le; lia.
  Qed.

  Lemma self_in : in_subtree st t t = true.
  Proof.
    destruct (CW t Ct) as (_ & A & _).
    unfold in_subtree. rewrite Nat.leb_refl, A, Nat.eqb_refl. reflexivity.
  Qed.

  (** If a survivor is above [p], the target is not the root of the tree. *)
  Lemma survivor_depth : forall x, is_container st x -> D x = false ->
    in_subtree st p x = true -> c_depth st t > 0.
  Proof.
    intros x Cx Dx Px.
    destruct (Nat.eq_dec (c_depth st t) 0) as [E|E]; [|lia]. exfalso.
    destruct (CW t Ct) as (_ & A & _).
    assert (Pt : p = t).
    { unfold p. rewrite E. replace (0 - 1) with 0 by reflexivity. rewrite E in A. exact A. }
    rewrite Pt in Px.
    destruct (survivor_above x t Cx Dx Ct self_in Px) as [G _]. lia.
  Qed.

  (** Under an ancestor-or-self [x] of [p], every doomed frame is owned in
      [x]'s subtree. *)
  Lemma doomed_under : forall x g, g < NFRAMES -> is_container st x -> D x = false ->
    in_subtree st p x = true -> D g = true -> in_subtree st (frame_owner st g) x = true.
  Proof.
    intros x g Hg Cx Dx Px Dg.
    pose proof (survivor_depth x Cx Dx Px) as Dt.
    unfold D, doomed in Dg. apply andb_true_iff in Dg as [Lg Og].
    apply orb_true_iff in Og as [E|S].
    - apply Nat.eqb_eq in E; subst g. rewrite owner_t. exact Px.
    - pose proof (proj2 (FW g Hg) Lg) as Ck. set (k := frame_owner st g) in *.
      unfold in_subtree in S, Px. apply andb_true_iff in S as [S1 S2], Px as [P1 P2].
      apply Nat.leb_le in S1, P1. apply Nat.eqb_eq in S2, P2.
      destruct (path_at k (c_depth st t) Ck S1) as (_ & _ & Pk). rewrite S2 in Pk.
      destruct (path_at t (c_depth st t - 1) Ct ltac:(lia)) as (_ & Dp & Pp).
      fold p in Dp, Pp. rewrite Dp in P1.
      unfold in_subtree. apply andb_true_iff; split; [apply Nat.leb_le; lia|].
      apply Nat.eqb_eq. rewrite <- Pk by lia. rewrite <- Pp by lia. exact P2.
  Qed.

  (** Elsewhere, no doomed frame is owned in [x]'s subtree. *)
  Lemma doomed_not_under : forall x g, g < NFRAMES -> is_container st x -> D x = false ->
    in_subtree st p x = false -> D g = true -> in_subtree st (frame_owner st g) x = false.
  Proof.
    intros x g Hg Cx Dx Px Dg.
    unfold D, doomed in Dg. apply andb_true_iff in Dg as [Lg Og].
    apply orb_true_iff in Og as [E|S].
    - apply Nat.eqb_eq in E; subst g. rewrite owner_t. exact Px.
    - pose proof (proj2 (FW g Hg) Lg) as Ck.
      destruct (in_subtree st (frame_owner st g) x) eqn:Kx; [|reflexivity].
      destruct (survivor_above x _ Cx Dx Ck S Kx) as [_ P]. congruence.
  Qed.

  (** The doomed frames number [c_usage t + 1] (the subtree's frames and
      the target's own), when the target is not a root. *)
  Lemma count_doomed : c_depth st t > 0 ->
    count NFRAMES D = S (subtree_count st t).
  Proof.
    intros Dt. unfold subtree_count.
    assert (Ht : t < NFRAMES) by (destruct Ct; assumption).
    assert (E := count_upd NFRAMES
      (fun g => live st g && in_subtree st (frame_owner st g) t) D t Ht
      ltac:(intros g _ Ne; unfold D, doomed; apply Nat.eqb_neq in Ne; rewrite Ne; reflexivity)).
    cbv beta in E. rewrite owner_t in E.
    assert (Pt : in_subtree st p t = false).
    { destruct (path_at t (c_depth st t - 1) Ct ltac:(lia)) as (_ & Dp & _).
      unfold in_subtree. fold p in Dp. rewrite Dp. 
      assert (L : c_depth st t <=? c_depth st t - 1 = false) by (apply Nat.leb_gt; lia).
      rewrite L. reflexivity. }
    assert (Dt' : D t = true).
    { unfold D, doomed. rewrite Nat.eqb_refl, orb_true_l, andb_true_r.
      unfold live; destruct Ct as [_ T]; rewrite T; reflexivity. }
    rewrite Pt, andb_false_r, Dt' in E. lia.
  Qed.
End Destroy.

Lemma Wf_container_destroy : forall st cs a b st',
  caps_inv st -> Wf st -> container_destroy st cs a b = (E_OK, st') -> Wf st'.
Proof.
  intros st cs a b st' [CI _] (FW & CW & PW & AC) H.
  pose proof H as H0. apply container_destroy_ok in H0 as (st1 & E1 & _).
  unfold container_destroy in H. op_ok H. apply Ok_inj in H; subst st'.
  apply lookup_ok in Ha1 as (-> & _ & Vt & Tt & _).
  set (t := cap_obj (cap st cs b)) in *.
  assert (Ct : is_container st t).
  { apply valid_live_type in Vt as [T _]. rewrite (Tt OT_CONTAINER eq_refl) in T.
    split; [apply (proj2 (proj1 (CI cs b)))|exact T]. }
  set (p := c_anc st t (c_depth st t - 1)).
  set (D := doomed st t).
  set (st1' := with_usage_own st (sub_usage_path st p (S (c_usage st t)))
                 (upd (c_own st) p (c_own st p - 1))).
  set (st' := destroy_pass st1' t NFRAMES).
  assert (Dm : forall g, doomed st1' t g = D g) by reflexivity.
  (* the tables after the pass *)
  assert (Ty : forall g, g < NFRAMES -> frame_type st' g =
            if D g then bumped_type (N.succ (frame_gen st g)) else frame_type st g).
  { intros g Hg. destruct (destroy_pass_spec st1' t NFRAMES g) as [T _].
    unfold st'. rewrite T. assert (L : g <? NFRAMES = true) by (apply Nat.ltb_lt; assumption).
    rewrite L, andb_true_l, Dm. reflexivity. }
  assert (Gn : forall g, g < NFRAMES -> frame_gen st' g =
            if D g then N.succ (frame_gen st g) else frame_gen st g).
  { intros g Hg. destruct (destroy_pass_spec st1' t NFRAMES g) as [_ G].
    unfold st'. rewrite G. assert (L : g <? NFRAMES = true) by (apply Nat.ltb_lt; assumption).
    rewrite L, andb_true_l, Dm. reflexivity. }
  assert (Ow : frame_owner st' = frame_owner st) by (unfold st'; rewrite destroy_pass_owner; reflexivity).
  assert (Dp : c_depth st' = c_depth st) by (unfold st'; rewrite destroy_pass_depth; reflexivity).
  assert (An : c_anc st' = c_anc st) by (unfold st'; rewrite destroy_pass_anc; reflexivity).
  assert (Us : c_usage st' = sub_usage_path st p (S (c_usage st t)))
    by (unfold st'; rewrite destroy_pass_usage; reflexivity).
  assert (Os : c_own st' = upd (c_own st) p (c_own st p - 1))
    by (unfold st'; rewrite destroy_pass_own; reflexivity).
  assert (Lm : c_limit st' = c_limit st) by (unfold st'; rewrite destroy_pass_limit; reflexivity).
  assert (Li : forall g, g < NFRAMES -> live st' g = live st g && negb (D g)).
  { intros g Hg. unfold live. rewrite (Ty g Hg).
    destruct (D g) eqn:Dg.
    - unfold bumped_type. rewrite andb_false_r. destruct (N.eqb _ _); reflexivity.
    - rewrite andb_true_r. reflexivity. }
  assert (Sb : forall k x, in_subtree st' k x = in_subtree st k x)
    by (intros; unfold in_subtree; rewrite Dp, An; reflexivity).
  (* containers after = surviving containers *)
  assert (CT : forall x, is_container st' x <-> is_container st x /\ D x = false).
  { intros x. unfold is_container. split.
    - intros [Hx T]. rewrite (Ty x Hx) in T. destruct (D x) eqn:Dx.
      + unfold bumped_type in T. destruct (N.eqb _ _); discriminate.
      + auto.
    - intros [[Hx T] Dx]. split; [exact Hx|]. rewrite (Ty x Hx), Dx. exact T. }
  assert (AC' : accounting st').
  { intros x Cx. apply CT in Cx as [Cx Dx]. destruct (AC x Cx) as [O U].
    assert (Hx : x < NFRAMES) by (destruct Cx; assumption).
    split.
    - rewrite Os. unfold owned_count in *.
      rewrite (count_ext NFRAMES (fun g => live st' g && Nat.eqb (frame_owner st' g) x)
                 (fun g => (live st g && Nat.eqb (frame_owner st g) x) && negb (D g)))
        by (intros g Hg; rewrite (Li g Hg), Ow; destruct (live st g), (D g), (Nat.eqb (frame_owner st g) x); reflexivity).
      rewrite (count_split NFRAMES (fun g => live st g && Nat.eqb (frame_owner st g) x) D) in O.
      cbv beta in O.
      (* the doomed frames owned by x: the target when x = p, else none *)
      assert (Cnt : count NFRAMES (fun g => live st g && Nat.eqb (frame_owner st g) x && D g) =
                    if Nat.eqb x p then 1 else 0).
      { destruct (Nat.eqb_spec x p) as [Exp|Nxp].
        - assert (Ht : t < NFRAMES) by (destruct Ct; assumption).
          apply (count_one NFRAMES _ t Ht).
          + rewrite owner_t by assumption. fold p. rewrite Exp, Nat.eqb_refl.
            assert (Lt : live st t = true) by (unfold live; destruct Ct as [_ T]; rewrite T; reflexivity).
            rewrite Lt. unfold D, doomed. rewrite Lt, Nat.eqb_refl. reflexivity.
          + intros g Hg Ne. destruct (live st g) eqn:Lg; [|reflexivity].
            destruct (Nat.eqb_spec (frame_owner st g) x) as [Og|]; [|reflexivity].
            destruct (D g) eqn:Dg; [|reflexivity]. exfalso.
            unfold D, doomed in Dg. rewrite Lg in Dg. apply orb_true_iff in Dg as [E|S];
              [apply Nat.eqb_eq in E; contradiction|].
            rewrite Og in S.
            pose proof (survivor_out st t CW PW x Cx Dx) as Out. congruence.
        - apply count_zero. intros g Hg.
          destruct (live st g) eqn:Lg; [|reflexivity].
          destruct (Nat.eqb_spec (frame_owner st g) x) as [Og|]; [|reflexivity].
          destruct (D g) eqn:Dg; [|reflexivity]. exfalso.
          unfold D, doomed in Dg. rewrite Lg in Dg. apply orb_true_iff in Dg as [E|S].
          + apply Nat.eqb_eq in E; subst g. rewrite owner_t in Og by assumption. fold p in Og.
            congruence.
          + rewrite Og in S.
            pose proof (survivor_out st t CW PW x Cx Dx) as Out. congruence. }
      rewrite Cnt in O. unfold upd.
      destruct (Nat.eqb_spec x p); [subst x|]; lia.
    - rewrite Us. unfold sub_usage_path. unfold subtree_count in *.
      rewrite (count_ext NFRAMES (fun g => live st' g && in_subtree st' (frame_owner st' g) x)
                 (fun g => (live st g && in_subtree st (frame_owner st g) x) && negb (D g)))
        by (intros g Hg; rewrite (Li g Hg), Ow, Sb; destruct (live st g), (D g), (in_subtree st (frame_owner st g) x); reflexivity).
      rewrite (count_split NFRAMES (fun g => live st g && in_subtree st (frame_owner st g) x) D) in U.
      cbv beta in U.
      destruct (in_subtree st p x) eqn:Px.
      + assert (Dt := survivor_depth st t CW PW Ct x Cx Dx Px).
        rewrite (count_ext NFRAMES (fun g => live st g && in_subtree st (frame_owner st g) x && D g) D)
          in U.
        * pose proof (count_doomed st t CW PW Ct Dt) as CD. fold D in CD. rewrite CD in U.
          destruct (AC t Ct) as [_ Ut]. rewrite <- Ut in U. lia.
        * intros g Hg. destruct (D g) eqn:Dg; [|apply andb_false_r].
          rewrite (doomed_under st t FW CW PW Ct x g Hg Cx Dx Px Dg).
          unfold D, doomed in Dg. apply andb_true_iff in Dg as [Lg _]. rewrite Lg. reflexivity.
      + rewrite (count_zero NFRAMES (fun g => live st g && in_subtree st (frame_owner st g) x && D g))
          in U.
        * lia.
        * intros g Hg. destruct (D g) eqn:Dg; [|apply andb_false_r].
          rewrite (doomed_not_under st t FW CW PW Ct x g Hg Cx Dx Px Dg).
          rewrite andb_false_r. reflexivity. }
  split; [|split; [|split]].
  - intros g Hg. rewrite (Ty g Hg), (Gn g Hg), (Li g Hg), Ow.
    destruct (D g) eqn:Dg.
    + unfold D, doomed in Dg. apply andb_true_iff in Dg as [Lg _].
      destruct (FW g Hg) as [G _].
      assert (G' : (frame_gen st g < GEN_MAX)%N).
      { apply G. intro E. unfold live in Lg. rewrite E in Lg. discriminate. }
      split; [|rewrite andb_false_r; discriminate].
      unfold bumped_type. destruct (N.eqb_spec (N.succ (frame_gen st g)) GEN_MAX);
      [intros N; contradiction|intros _; lia].
    + rewrite andb_true_r. destruct (FW g Hg) as [G K]. split; [exact G|].
      intro Lg. specialize (K Lg). apply CT. split; [exact K|].
      destruct (D (frame_owner st g)) eqn:Dk; [|reflexivity]. exfalso.
      pose proof (doomed_container_in st t CW PW Ct _ K Dk) as In.
      unfold D, doomed in Dg. rewrite Lg, In, orb_true_r in Dg. discriminate.
  - intros x Cx. pose proof Cx as Cx'. apply CT in Cx as [Cx Dx].
    destruct (CW x Cx) as (Dd & A & R0 & R1 & UL & LN & OU).
    destruct (AC' x Cx') as [O U].
    rewrite Dp, An, Ow, Lm. repeat split; auto.
    + rewrite Us. unfold sub_usage_path. destruct (in_subtree st p x); lia.
    + rewrite O, U. apply own_le_usage. rewrite Dp, An. exact A.
  - intros x d Cx Dx. apply CT in Cx as [Cx Dxx]. rewrite Dp in Dx.
    destruct (PW x d Cx Dx) as (C1 & D1 & P1). rewrite Dp, An.
    split; [|auto]. apply CT. split; [exact C1|].
    destruct (D (c_anc st x d)) eqn:Dk; [|reflexivity]. exfalso.
    pose proof (doomed_container_in st t CW PW Ct _ C1 Dk) as In.
    pose proof (survivor_out st t CW PW x Cx Dxx) as Out.
    unfold in_subtree in In, Out. rewrite D1 in In.
    apply andb_true_iff in In as [I1 I2]. apply Nat.leb_le in I1. apply Nat.eqb_eq in I2.
    rewrite P1 in I2 by lia. rewrite I2, Nat.eqb_refl, andb_true_r in Out.
    apply Nat.leb_gt in Out. lia.
  - exact AC'.
Qed.

(** ** Boot *)

Lemma count_two : forall n P a b, a < n -> b < n -> a <> b -> P a = true -> P b = true ->
  (forall g, g < n -> g <> a -> g <> b -> P g = false) -> count n P = 2.
Proof.
  intros n P a b Ha Hb Nab Pa Pb O.
  assert (E := count_upd n (fun g => if Nat.eqb g b then false else P g) P b Hb
                 ltac:(intros g _ Ne; cbv beta; apply Nat.eqb_neq in Ne; rewrite Ne; reflexivity)).
  cbv beta in E. rewrite Nat.eqb_refl, Pb in E.
  rewrite (count_one n (fun g => if Nat.eqb g b then false else P g) a Ha) in E.
  - lia.
  - cbv beta. destruct (Nat.eqb_spec a b); [contradiction|exact Pa].
  - intros g Hg Ne. cbv beta. destruct (Nat.eqb_spec g b); [reflexivity|]. apply O; auto.
Qed.

Theorem kernel_init_Wf : forall r cs st, kernel_init r cs = (E_OK, st) -> Wf st.
Proof.
  unfold kernel_init; intros r cs st H.
  destruct ((r <? NFRAMES) && (cs <? NFRAMES) && negb (Nat.eqb r cs)) eqn:C;
    [|discriminate].
  apply andb_true_iff in C as [C N]; apply andb_true_iff in C as [R CS].
  apply Nat.ltb_lt in R, CS. apply negb_true_iff, Nat.eqb_neq in N.
  inversion H; subst st; clear H.
  set (st := init_state r cs).
  assert (Ty : forall g, frame_type st g =
            if Nat.eqb g cs then OT_CSPACE else if Nat.eqb g r then OT_CONTAINER else OT_FREE)
    by (intros; reflexivity).
  assert (Ow : forall g, frame_owner st g = if Nat.eqb g cs then r else if Nat.eqb g r then r else 0)
    by (intros; reflexivity).
  assert (Li : forall g, live st g = (Nat.eqb g cs || Nat.eqb g r)).
  { intros g. unfold live. rewrite Ty. destruct (Nat.eqb g cs), (Nat.eqb g r); reflexivity. }
  assert (CT : forall x, is_container st x <-> x = r).
  { intros x. unfold is_container. rewrite Ty. split.
    - intros [_ T]. destruct (Nat.eqb_spec x cs); [discriminate|].
      destruct (Nat.eqb_spec x r); [assumption|discriminate].
    - intros ->. destruct (Nat.eqb_spec r cs); [contradiction|]. rewrite Nat.eqb_refl. auto. }
  assert (Dp : forall x, c_depth st x = 0) by reflexivity.
  assert (Ar : c_anc st r 0 = r) by (cbn [st init_state c_anc]; rewrite !upd_eq; reflexivity).
  assert (Srr : in_subtree st r r = true)
    by (unfold in_subtree; rewrite !Dp, Nat.leb_refl, Ar, Nat.eqb_refl; reflexivity).
  assert (Two : forall Q, Q r = true -> Q cs = true ->
            count NFRAMES (fun g => live st g && Q g) = 2).
  { intros Q Qr Qc. apply (count_two NFRAMES _ r cs R CS N).
    - rewrite Li, Nat.eqb_refl, orb_true_r. exact Qr.
    - rewrite Li, Nat.eqb_refl. exact Qc.
    - intros g _ Nr Nc. rewrite Li. apply Nat.eqb_neq in Nr, Nc. rewrite Nr, Nc. reflexivity. }
  assert (Or : frame_owner st r = r)
    by (rewrite Ow; destruct (Nat.eqb_spec r cs); [contradiction|rewrite Nat.eqb_refl; reflexivity]).
  assert (Oc : frame_owner st cs = r) by (rewrite Ow, Nat.eqb_refl; reflexivity).
  assert (AC : accounting st).
  { intros x Cx. apply CT in Cx; subst x.
    cbn [st init_state c_own c_usage]. rewrite !upd_eq. unfold owned_count, subtree_count.
    split; symmetry; apply Two.
    - rewrite Or; apply Nat.eqb_refl.
    - rewrite Oc; apply Nat.eqb_refl.
    - rewrite Or; exact Srr.
    - rewrite Oc; exact Srr. }
  split; [|split; [|split]].
  - intros g Hg. split; [intros _; reflexivity|].
    rewrite Li. intro L. apply CT. rewrite Ow.
    apply orb_true_iff in L as [L|L]; apply Nat.eqb_eq in L; subst g.
    + rewrite Nat.eqb_refl. reflexivity.
    + destruct (Nat.eqb_spec r cs); [contradiction|]. rewrite Nat.eqb_refl. reflexivity.
  - intros x Cx. pose proof Cx as Cx'. apply CT in Cx; subst x.
    destruct (AC r Cx') as [O U].
    rewrite !Dp, Ar. cbn [st init_state c_limit c_usage c_own]. rewrite !upd_eq.
    pose proof NFRAMES_two. unfold MAXDEPTH. repeat split; try lia; intros _; exact Or.
  - intros x d Cx Dx. apply CT in Cx; subst x. rewrite Dp in Dx.
    assert (d = 0) by lia. subst d. rewrite Ar, Dp.
    split; [apply CT; reflexivity|split; [reflexivity|]].
    intros e He. assert (e = 0) by lia. subst e. rewrite Ar. reflexivity.
  - exact AC.
Qed.

(** ** The whole invariant, along any run *)

Definition Invariant (st : State) : Prop := caps_inv st /\ Wf st.

Theorem kernel_init_Invariant : forall r cs st,
  kernel_init r cs = (E_OK, st) -> Invariant st.
Proof.
  intros; split; [eapply kernel_init_caps_inv|eapply kernel_init_Wf]; eauto.
Qed.

Theorem step_Invariant : forall st st', Invariant st -> step st st' -> Invariant st'.
Proof.
  intros st st' [CI W] S. split; [eapply step_caps_inv; eauto|].
  destruct S as [st cs a b c e st' H|st cs a b c e st' H
    |st cs a b e st' H|st cs a b e st' H|st cs a dcs b r w g e st' H
    |st cs a dcs b r w g x e st' H|st cs a dcs b e st' H|st cs a e st' H
    |st cs a b c e st' H|st cs a t b e st' H
    |st cs a b e st' H];
  destruct e; try (pose proof H as H'; op_unfold H'; apply commit_cases in H' as [[_ E]| ->];
                   [discriminate|exact W]).
  - eapply Wf_container_create; eauto.
  - eapply Wf_obj_alloc; eauto.
  - eapply Wf_obj_free; eauto.
  - eapply Wf_container_destroy; eauto.
  - apply (Wf_cap_ops st); [left; repeat eexists; exact H|exact W].
  - apply (Wf_cap_ops st); [right; left; repeat eexists; exact H|exact W].
  - apply (Wf_cap_ops st); [right; right; left; repeat eexists; exact H|exact W].
  - apply (Wf_cap_ops st); [right; right; right; repeat eexists; exact H|exact W].
  - eapply Wf_fwd_create; eauto.
  - eapply Wf_typed_alloc; eauto.
  - eapply Wf_handler_alloc; eauto.
Qed.

Theorem reachable_Invariant : forall st st', Invariant st -> reachable st st' -> Invariant st'.
Proof. intros st st' I R. induction R; eauto using step_Invariant. Qed.

End Sized.
