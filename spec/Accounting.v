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

Definition owned_count (st : State) (c : nat) : nat :=
  count NFRAMES (fun g => live st g && Nat.eqb (frame_owner st g) c).

Definition subtree_count (st : State) (c : nat) : nat :=
  count NFRAMES (fun g => live st g && in_subtree st (frame_owner st g) c).

Definition accounting (st : State) : Prop :=
  forall c, is_container st c ->
    c_own st c = owned_count st c /\ c_usage st c = subtree_count st c.

Definition Wf (st : State) : Prop :=
  frames_wf st /\ containers_wf st /\ paths_wf st /\ accounting st.

(* Never compute with these in proofs: NFRAMES = 1024 unfolds into a
   1024-step computation. *)
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

Lemma Wf_obj_free : forall st cs a b st',
  caps_inv st -> Wf st -> obj_free st cs a b = (E_OK, st') -> Wf st'.
Proof.
  intros st cs a b st' [CI FI] (FW & CW & PW & AC) H.
  unfold obj_free in H. op_ok H. apply Ok_inj in H; subst st'.
  apply lookup_ok in Ha0 as (-> & _ & Vc & Tc & _).
  apply lookup_ok in Ha1 as (-> & _ & Vo & _).
  apply negb_true_iff in Ha2.
  set (o := cap_obj (cap st cs b)) in *.
  set (k := frame_owner st o) in *.
  (* o is a live frame in range, not a container; k is its owner *)
  destruct (CI cs b) as [[NR Ho] _].
  apply valid_live_type in Vo as [To NF]. fold o in To, Ho.
  assert (Lo : live st o = true).
  { unfold live, live_type. rewrite To.
    destruct (cap_type (cap st cs b)); try contradiction; reflexivity. }
  assert (NC : frame_type st o <> OT_CONTAINER).
  { rewrite To. intro E. rewrite E in Ha2. discriminate. }
  destruct (FW o Ho) as [Go Ko]. specialize (Ko Lo). fold k in Ko.
  assert (Go' : (frame_gen st o < GEN_MAX)%N).
  { apply Go. rewrite To. assumption. }
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

Lemma Wf_obj_alloc : forall st cs a ty b st',
  caps_inv st -> Wf st -> obj_alloc st cs a ty b = (E_OK, st') -> Wf st'.
Proof.
  intros st cs a ty b st' [CI _] W H.
  unfold obj_alloc in H. op_ok H. apply Ok_inj in H; subst st'.
  apply lookup_ok in Ha0 as (-> & _ & Vc & Tc & _).
  apply alloc_type_ok, allocatable_live in Ha1 as (N1 & N2 & N3 & _).
  apply alloc_frame_ok in Ha4 as [Hf Ff].
  apply (wf_same_tables (make_object (charge st (cap_obj (cap st cs a))) a5 a2
                                     (cap_obj (cap st cs a)))); auto.
  apply Wf_alloc_object; auto.
  apply valid_live_type in Vc as [T _]. rewrite (Tc OT_CONTAINER eq_refl) in T.
  split; [apply (proj2 (proj1 (CI cs a)))|exact T].
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
