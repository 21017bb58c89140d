(** * ProcTheorems: what the process, IPC and scheduling operations guarantee

    - [one_queue]: a process is in at most one queue, by construction
      (its state and wait object determine the queue);
    - [sched_pick_correct]: [sched_pick] returns a live ready process of
      maximal priority, or [NO_PROC] when none is ready;
    - [ipc_caps_copied], [ipc_send_to_caps], [ipc_recv_caps],
      [ipc_reply_caps]: IPC transfers capabilities by COPY, only with the
      grant right: every capability slot after a delivery holds what it
      held before or an exact copy (same object, generation, rights,
      badge) of a capability with the grant right held by the sender's
      capability space;
    - [*_Invariant]: the invariant of the core ([Invariant] of
      Accounting.v: capabilities + structure + accounting) is preserved by
      every new operation; [proc_create] and [kobj_alloc] charge like
      [obj_alloc], [proc_reap] frees page tables like [obj_free];
    - [reap_*]: after [proc_reap], no process state remains for a dead
      process, and no blocked process waits on an object (or for the reply
      of a process) that was dead when the reaper ran. *)

From Coq Require Import Arith NArith Bool Lia Relations.
From Spec Require Import Model Ops Facts Copy Gens Revocation Invariants Preservation
  Confinement Counting Accounting Procs.

(** The sizes are parameters (Model.v, [Sizes]): everything below holds
    for every instance. *)
Section Sized.
Context {SZ : Sizes}.

Local Opaque NFRAMES.

(** ** A blocked process is in at most one queue *)

(** The queues of MODEL.md: send queue of an endpoint (PS_SEND, PS_CALL),
    receive queue (PS_RECV), notification wait queue (PS_NOTIF), closed
    wait for the reply of a process (PS_REPLY), run queue (PS_READY). *)
Inductive Queue := QSend (e : nat) | QRecv (e : nat) | QNotif (n : nat)
                 | QReply (s : nat) | QRun.

Definition in_queue (ks : KState) (p : nat) (q : Queue) : Prop :=
  let ps := procs ks in
  proc_live ks p = true /\
  match q with
  | QSend e => (p_state ps p = PS_SEND \/ p_state ps p = PS_CALL) /\ p_wait ps p = e /\
               p_wait_gen ps p = frame_gen (core ks) e
  | QRecv e => p_state ps p = PS_RECV /\ p_wait ps p = e /\
               p_wait_gen ps p = frame_gen (core ks) e
  | QNotif n => p_state ps p = PS_NOTIF /\ p_wait ps p = n /\
                p_wait_gen ps p = frame_gen (core ks) n
  | QReply s => p_state ps p = PS_REPLY /\ p_wait ps p = s
  | QRun => p_state ps p = PS_READY
  end.

Theorem one_queue : forall ks p q1 q2, in_queue ks p q1 -> in_queue ks p q2 -> q1 = q2.
Proof.
  intros ks p q1 q2 [_ H1] [_ H2].
  destruct q1, q2; cbn in *; intuition congruence.
Qed.

(** A dead process (frame freed, state [PS_NONE]) is in no queue. *)
Theorem dead_in_no_queue : forall ks p q, proc_live ks p = false -> ~ in_queue ks p q.
Proof. intros ks p q D [L _]. congruence. Qed.

(** ** The scheduler's choice *)

Lemma pick_below_spec : forall ks n, n <= NFRAMES ->
  let p := pick_below ks n in
  (p = NO_PROC /\ forall q, q < n -> ready_live ks q = false) \/
  (p < n /\ ready_live ks p = true /\
   forall q, q < n -> ready_live ks q = true -> p_prio (procs ks) q <= p_prio (procs ks) p).
Proof.
  intros ks n; induction n as [|n IH]; intros Hn; cbn zeta in *.
  - left; split; [reflexivity|intros; lia].
  - specialize (IH ltac:(lia)). cbn [pick_below]. destruct (ready_live ks n) eqn:R; cbn [andb].
    + destruct (better (procs ks) n (pick_below ks n)) eqn:B.
      * right. split; [lia|split; [exact R|]]. intros q Hq Rq.
        destruct (Nat.eq_dec q n) as [->|Nq]; [lia|].
        destruct IH as [[E N]|(Lt & Rp & M)].
        -- rewrite N in Rq by lia. discriminate.
        -- specialize (M q ltac:(lia) Rq). unfold better in B.
           assert (Np : pick_below ks n <> NO_PROC).
           { intro E. rewrite E in Lt. unfold NO_PROC in Lt. lia. }
           apply Nat.eqb_neq in Np. rewrite Np in B. cbn [orb] in B.
           apply orb_true_iff in B as [B|B].
           ++ apply Nat.ltb_lt in B. lia.
           ++ apply andb_true_iff in B as [B _]. apply Nat.eqb_eq in B. lia.
      * destruct IH as [[E N]|(Lt & Rp & M)].
        -- unfold better in B. rewrite E, Nat.eqb_refl in B. discriminate.
        -- right. split; [lia|split; [exact Rp|]]. intros q Hq Rq.
           destruct (Nat.eq_dec q n) as [->|Nq]; [|apply M; auto; lia].
           unfold better in B. apply orb_false_iff in B as [B1 B2].
           apply orb_false_iff in B1 as [_ B1]. apply Nat.ltb_ge in B1. exact B1.
    + destruct IH as [[E N]|(Lt & Rp & M)].
      * left. split; [exact E|]. intros q Hq.
        destruct (Nat.eq_dec q n) as [->|Nq]; [exact R|apply N; lia].
      * right. split; [lia|split; [exact Rp|]]. intros q Hq Rq.
        destruct (Nat.eq_dec q n) as [->|Nq]; [congruence|apply M; auto; lia].
Qed.

Theorem sched_pick_correct : forall ks p ks',
  sched_pick ks = (p, ks') ->
  cur_proc (procs ks') = p /\ core ks' = core ks /\
  ((p = NO_PROC /\ forall q, q < NFRAMES -> ready_live ks q = false) \/
   (p < NFRAMES /\ ready_live ks p = true /\ proc_live ks p = true /\
    forall q, q < NFRAMES -> ready_live ks q = true ->
      p_prio (procs ks) q <= p_prio (procs ks) p)).
Proof.
  intros ks p ks' H. unfold sched_pick in H. inversion H; subst; clear H.
  split; [reflexivity|split; [reflexivity|]].
  destruct (pick_below_spec ks NFRAMES (le_n _)) as [A|(Lt & R & M)]; [left; exact A|right].
  split; [exact Lt|split; [exact R|split; [|exact M]]].
  unfold ready_live in R. unfold proc_live.
  apply andb_true_iff in R as [R G]. apply andb_true_iff in R as [R T].
  apply ps_eqb_eq in R. rewrite R, T, G. apply Nat.ltb_lt in Lt. rewrite Lt. reflexivity.
Qed.

(** ** IPC moves capabilities by COPY, only with the grant right *)

(** The new capabilities of a state: every slot of [st'] holds what it
    held in [st], or an exact copy of a capability with the grant right
    held in [st] by capability space [from]. *)
Definition copies_from (st st' : State) (from : nat) : Prop :=
  forall x y, cap st' x y = cap st x y \/
              exists s, s < NSLOTS /\ cap st' x y = cap st from s /\
                        cap_grant (cap st from s) = true.

Lemma copies_from_refl : forall st from, copies_from st st from.
Proof. intros st from x y; left; reflexivity. Qed.

Lemma restrict_all : forall k, restrict k true true true = k.
Proof. intros [t o g r w gr b]; unfold restrict; cbn; rewrite !andb_true_r; reflexivity. Qed.

Lemma copy_one_spec : forall st fcs s tcs d ok st',
  copy_one st fcs s tcs d = (ok, st') ->
  st' = st \/
  (cap_copy st fcs s tcs d 1 1 1 = (E_OK, st') /\ s < NSLOTS /\
   cap_grant (cap st fcs s) = true /\ cap_valid st (cap st fcs s) = true /\
   st' = set_cap st tcs d (cap st fcs s)).
Proof.
  intros st fcs s tcs d ok st' H. unfold copy_one in H.
  destruct (lookup st fcs s None false false) as [k|e] eqn:L; [|inversion H; auto].
  destruct (cap_grant k) eqn:G; [|inversion H; auto].
  destruct (cap_copy st fcs s tcs d 1 1 1) as [e st1] eqn:C.
  destruct e; inversion H; subst; auto.
  right. apply lookup_ok in L as (-> & Hs & V & _).
  split; [reflexivity|split; [exact Hs|split; [exact G|split; [exact V|]]]].
  pose proof C as C'. unfold cap_copy in C'. op_ok C'. apply Ok_inj in C'. subst st'.
  rewrite restrict_all. apply lookup_ok in Ha1 as (-> & _). reflexivity.
Qed.

Lemma cap_valid_set_cap : forall st a b c k, cap_valid (set_cap st a b c) k = cap_valid st k.
Proof. reflexivity. Qed.

(** One more copy on top of copies. *)
Lemma copies_from_step : forall st st0 fcs s tcs d ok st1,
  copies_from st st0 fcs -> copy_one st0 fcs s tcs d = (ok, st1) -> copies_from st st1 fcs.
Proof.
  intros st st0 fcs s tcs d ok st1 C H.
  apply copy_one_spec in H as [->|(_ & Hs & G & V & ->)]; [exact C|].
  intros x y. destruct (Nat.eq_dec x tcs) as [->|Nx];
  [destruct (Nat.eq_dec y d) as [->|Ny]|].
  - rewrite set_cap_same. destruct (C fcs s) as [E|(s' & Hs' & E & G')].
    + right. exists s. rewrite E in G. rewrite E. auto.
    + right. exists s'. rewrite E. auto.
  - rewrite set_cap_other by congruence. apply C.
  - rewrite set_cap_other by congruence. apply C.
Qed.

Lemma copy_one_reach : forall st fcs s tcs d ok st',
  copy_one st fcs s tcs d = (ok, st') -> reachable st st'.
Proof.
  intros. apply copy_one_spec in H as [->|(C & _)]; [apply rt_refl|].
  apply rt_step. eapply step_cap_copy; exact C.
Qed.

Lemma transfer_step_spec : forall ps fcs tcs to desc n i bitv st mask0 st0 mask st1,
  copies_from st st0 fcs -> reachable st st0 ->
  transfer_step ps fcs tcs to desc n i bitv (mask0, st0) = (mask, st1) ->
  copies_from st st1 fcs /\ reachable st st1.
Proof.
  intros ps fcs tcs to desc n i bitv st mask0 st0 mask st1 C R H.
  unfold transfer_step in H.
  destruct ((i <? n) && (p_rslot ps to i <? NSLOTS)); [|inversion H; subst; auto].
  destruct (copy_one st0 fcs (desc_slot desc i) tcs (p_rslot ps to i)) as [ok st2] eqn:E.
  inversion H; subst. split; [eapply copies_from_step; eauto|].
  eapply rt_trans; [exact R|eapply copy_one_reach; exact E].
Qed.

Theorem ipc_caps_copied : forall ks from to mask st',
  caps_transfer ks from to = (mask, st') ->
  copies_from (core ks) st' (p_cspace (procs ks) from) /\ reachable (core ks) st'.
Proof.
  intros ks from to mask st' H. unfold caps_transfer in H. cbv zeta in H.
  destruct (_ || _ || _); [inversion H; subst; split; [apply copies_from_refl|apply rt_refl]|].
  destruct (transfer_step (procs ks) (p_cspace (procs ks) from) (p_cspace (procs ks) to) to
             (p_mcaps (procs ks) from) (p_mcaps (procs ks) from mod 4) 0 1 (0, core ks))
    as [m1 st1] eqn:E1.
  destruct (transfer_step_spec _ _ _ _ _ _ _ _ _ _ _ _ _
              (copies_from_refl (core ks) _) (rt_refl _ _ _) E1) as [C1 R1].
  eapply transfer_step_spec; eauto.
Qed.

Lemma deliver_spec : forall ks from to,
  copies_from (core ks) (core (deliver ks from to)) (p_cspace (procs ks) from) /\
  reachable (core ks) (core (deliver ks from to)).
Proof.
  intros. unfold deliver. destruct (caps_transfer ks from to) as [m st'] eqn:E.
  exact (ipc_caps_copied _ _ _ _ _ E).
Qed.

(** A delivery changes no frame table and no forwarder. *)
Definition same_frames (st st' : State) : Prop :=
  frame_type st' = frame_type st /\ frame_gen st' = frame_gen st /\ fw st' = fw st.

Lemma same_frames_copy_one : forall st fcs s tcs d ok st',
  copy_one st fcs s tcs d = (ok, st') -> same_frames st st'.
Proof.
  intros. apply copy_one_spec in H as [->|(_ & _ & _ & _ & ->)]; split; auto.
Qed.

Lemma same_frames_trans : forall a b c, same_frames a b -> same_frames b c -> same_frames a c.
Proof. intros a b c (T1 & G1 & F1) (T2 & G2 & F2); split; [|split]; congruence. Qed.

Lemma transfer_step_frames : forall ps fcs tcs to desc n i bitv mask0 st0 mask st1,
  transfer_step ps fcs tcs to desc n i bitv (mask0, st0) = (mask, st1) -> same_frames st0 st1.
Proof.
  intros. unfold transfer_step in H.
  destruct ((i <? n) && (p_rslot ps to i <? NSLOTS)); [|inversion H; subst; split; auto].
  destruct (copy_one st0 fcs (desc_slot desc i) tcs (p_rslot ps to i)) as [ok st2] eqn:E.
  inversion H; subst. eapply same_frames_copy_one; eauto.
Qed.

Lemma deliver_frames : forall ks from to, same_frames (core ks) (core (deliver ks from to)).
Proof.
  intros. unfold deliver. destruct (caps_transfer ks from to) as [m st'] eqn:E. cbn [core].
  unfold caps_transfer in E. cbv zeta in E.
  destruct (_ || _ || _); [inversion E; subst; split; auto|].
  destruct (transfer_step (procs ks) (p_cspace (procs ks) from) (p_cspace (procs ks) to) to
             (p_mcaps (procs ks) from) (p_mcaps (procs ks) from mod 4) 0 1 (0, core ks))
    as [m1 st1] eqn:E1.
  eapply same_frames_trans; eapply transfer_step_frames; eauto.
Qed.

(** ** IPC at the level of the operations *)

End Sized.

Ltac split_ops H :=
  unfold kcommit, bind, guard in H;
  repeat (cbv beta iota in H;
          match type of H with
          | context [match ?x with Ok _ => _ | Err _ => _ end] => destruct x eqn:?
          | context [if ?b then _ else _] => destruct b eqn:?
          end).

Section Sized.
Context {SZ : Sizes}.

Lemma ipc_send_core : forall ks cur slot c e r ks',
  ipc_send ks cur slot c = (e, r, ks') -> core ks' = core ks.
Proof.
  intros. unfold ipc_send in H. split_ops H; inversion H; reflexivity.
Qed.

Lemma ipc_send_to_core : forall ks cur r c,
  core (ipc_send_to ks cur r c) = core (deliver ks cur r).
Proof. reflexivity. Qed.

Lemma ipc_recv_core : forall ks cur slot e ks',
  ipc_recv ks cur slot = (e, ks') ->
  core ks' = core ks \/ exists s, core ks' = core (deliver ks s cur).
Proof.
  intros. unfold ipc_recv, kcommit in H. cbn [bind guard] in H.
  destruct (cur_ok ks cur); [|inversion H; auto]. cbn [bind] in H.
  destruct (invoke_lookup _ _ _ _ _ _); cbn [bind] in H; [|inversion H; auto].
  destruct (_ =? NO_PROC); [inversion H; auto|].
  destruct (ps_eqb _ _); inversion H; right; eexists; reflexivity.
Qed.

Lemma ipc_reply_core : forall ks cur e ks',
  ipc_reply ks cur = (e, ks') ->
  core ks' = core ks \/
  exists ks2, core ks2 = core ks /\ p_cspace (procs ks2) = p_cspace (procs ks) /\
              core ks' = core (deliver ks2 cur (p_reply_to (procs ks) cur)).
Proof.
  intros. unfold ipc_reply in H. cbn [bind guard] in H.
  destruct (cur_ok ks cur); [|inversion H; auto]. cbn [bind] in H.
  destruct (desc_of ks cur); cbn [bind] in H; [|inversion H; auto].
  destruct (msg_check _ _ _); [|inversion H; auto].
  destruct (negb _); [inversion H; auto|].
  inversion H. right. eexists; split; [|split]; [| |reflexivity]; reflexivity.
Qed.

Theorem ipc_send_to_caps : forall ks cur r c,
  copies_from (core ks) (core (ipc_send_to ks cur r c)) (p_cspace (procs ks) cur).
Proof. intros. rewrite ipc_send_to_core. apply deliver_spec. Qed.

Theorem ipc_recv_caps : forall ks cur slot e ks',
  ipc_recv ks cur slot = (e, ks') ->
  exists s, copies_from (core ks) (core ks') (p_cspace (procs ks) s).
Proof.
  intros. apply ipc_recv_core in H as [->|(s & ->)];
  [exists 0; apply copies_from_refl|exists s; apply deliver_spec].
Qed.

Theorem ipc_reply_caps : forall ks cur e ks',
  ipc_reply ks cur = (e, ks') -> copies_from (core ks) (core ks') (p_cspace (procs ks) cur).
Proof.
  intros. apply ipc_reply_core in H as [->|(ks2 & C & P & ->)]; [apply copies_from_refl|].
  rewrite <- C, <- P. apply deliver_spec.
Qed.

(** *** Authority confinement extends to IPC

    After a delivery, a capability space reaches (directly or through
    forwarders) only what it reached before or what the sender's
    capability space reached before. *)
Lemma reach_copies : forall st st' fcs x o,
  copies_from st st' fcs -> same_frames st st' ->
  reach st' x o -> reach st x o \/ reach st fcs o.
Proof.
  intros st st' fcs x o C (T & G & F) R. induction R as [s Hs V|w R IH Tw Vw].
  - assert (VV : forall k, cap_valid st' k = cap_valid st k)
      by (intros; unfold cap_valid; rewrite T, G; reflexivity).
    rewrite VV in V. destruct (C x s) as [E|(s' & Hs' & E & _)]; rewrite E in *.
    + left. apply reach_direct; assumption.
    + right. apply reach_direct; assumption.
  - assert (VV : forall k, cap_valid st' k = cap_valid st k)
      by (intros; unfold cap_valid; rewrite T, G; reflexivity).
    rewrite F in *. rewrite VV in Vw. rewrite T in Tw.
    destruct IH as [IH|IH]; [left|right]; apply reach_fwd; assumption.
Qed.

Theorem ipc_send_to_confined : forall ks cur r c x o,
  reach (core (ipc_send_to ks cur r c)) x o ->
  reach (core ks) x o \/ reach (core ks) (p_cspace (procs ks) cur) o.
Proof.
  intros. rewrite ipc_send_to_core in H.
  eapply reach_copies; [apply deliver_spec|apply deliver_frames|exact H].
Qed.

Theorem ipc_recv_confined : forall ks cur slot e ks' x o,
  ipc_recv ks cur slot = (e, ks') -> reach (core ks') x o ->
  reach (core ks) x o \/ exists s, reach (core ks) (p_cspace (procs ks) s) o.
Proof.
  intros. apply ipc_recv_core in H as [E|(s & E)]; rewrite E in H0; [left; exact H0|].
  destruct (reach_copies _ _ _ _ _ (proj1 (deliver_spec ks s cur)) (deliver_frames ks s cur) H0);
  [left|right; exists s]; assumption.
Qed.

Theorem ipc_reply_confined : forall ks cur e ks' x o,
  ipc_reply ks cur = (e, ks') -> reach (core ks') x o ->
  reach (core ks) x o \/ reach (core ks) (p_cspace (procs ks) cur) o.
Proof.
  intros. apply ipc_reply_core in H as [E|(ks2 & C & P & E)]; rewrite E in H0; [left; exact H0|].
  rewrite <- C, <- P.
  eapply reach_copies; [apply deliver_spec|apply deliver_frames|exact H0].
Qed.

(** ** The core invariant along the new operations *)

(** A new kernel-held or process object (kobj_alloc, proc_create) is
    charged and made exactly like an [obj_alloc] object. *)
Lemma alloc_Invariant : forall st c f t,
  Invariant st -> is_container st c -> can_charge st c = true ->
  f < NFRAMES -> frame_type st f = OT_FREE ->
  t <> OT_FREE -> t <> OT_RETIRED -> t <> OT_CONTAINER ->
  Invariant (make_object (charge st c) f t c).
Proof.
  intros st c f t [I W] Cc CC Hf Ff T1 T2 T3. split; [|apply Wf_alloc_object; auto].
  set (st1 := make_object (charge st c) f t c).
  assert (S1 : safe st st1)
    by (apply (safe_alloc st st1 f); [assumption|reflexivity|intros; cbn; apply upd_neq; assumption]).
  apply (caps_inv_transfer st); [exact I| exact S1 | |].
  - intros x y. cbn. destruct (cap_upd_cases (cap st) f (fun _ => null_cap) x y) as [E2|[_ E2]];
    rewrite E2; [old_slot|right; apply good_null].
  - intros v. cbn. destruct (fw_upd_cases (fw st) f null_cap v) as [E|E]; rewrite E;
    [old_slot|right; apply good_null].
Qed.

Lemma free_Invariant : forall st o,
  Invariant st -> o < NFRAMES -> live st o = true -> frame_type st o <> OT_CONTAINER ->
  Invariant (free_frame (uncharge st (frame_owner st o)) o).
Proof.
  intros st o [I W] Ho Lo NC. split; [|apply Wf_free_object; auto].
  apply (caps_inv_transfer st); [exact I| |intros x y|intros v].
  - apply (safe_trans st (uncharge st (frame_owner st o)));
      [apply safe_same; reflexivity|apply safe_free_frame].
  - cbn. destruct (cap_upd_cases (cap st) o (fun _ => null_cap) x y) as [E2|[_ E2]];
    rewrite E2; [old_slot|right; apply good_null].
  - cbn. old_slot.
Qed.

Theorem proc_create_Invariant : forall ks cs caller a b dst prio e ks',
  Invariant (core ks) -> proc_create ks cs caller a b dst prio = (e, ks') ->
  Invariant (core ks').
Proof.
  intros ks cs caller a b dst prio e ks' I H. unfold proc_create, kcommit in H.
  destruct (_ : res KState) eqn:R in H; inversion H; subst; [|exact I].
  peel R. apply Ok_inj in R; subst. cbn [core].
  repeat match goal with G : guard _ _ = Ok _ |- _ => apply guard_ok in G end.
  apply lookup_ok in Ha0 as (-> & _ & Vc & Tc & _).
  match goal with G : alloc_frame _ = Ok ?f |- _ =>
    apply alloc_frame_ok in G as [Hf Ff]; rename f into fr end.
  set (c := cap_obj (cap (core ks) cs a)) in *.
  set (st1 := make_object (charge (core ks) c) fr OT_PROCESS c).
  assert (Cc : is_container (core ks) c).
  { destruct I as [[CI _] _]. apply valid_live_type in Vc as [T _].
    rewrite (Tc OT_CONTAINER eq_refl) in T.
    split; [apply (proj2 (proj1 (CI cs a)))|exact T]. }
  assert (I1 : Invariant st1) by (apply alloc_Invariant; auto; discriminate).
  destruct I1 as [CI1 W1]. split.
  - apply (caps_inv_transfer st1); [exact CI1|apply safe_same; reflexivity| |intros v; left; exact (old_fw st1 v)].
    intros x y. destruct (set_cap_cases st1 cs dst (full_cap st1 fr) x y) as [E|E]; rewrite E.
    + old_slot.
    + right. apply (good_frames st1); [reflexivity|reflexivity|].
      apply good_full_cap; auto; cbn; rewrite upd_eq; discriminate.
  - apply (wf_same_tables st1); auto.
Qed.

Theorem kobj_alloc_Invariant : forall ks cont t e f ks',
  Invariant (core ks) -> kobj_alloc ks cont t = (e, f, ks') -> Invariant (core ks').
Proof.
  intros ks cont t e f ks' I H. unfold kobj_alloc in H.
  destruct (_ : res (nat * State)) eqn:R in H; [destruct p|]; inversion H; subst; [|exact I].
  peel R. apply Ok_inj in R. inversion R; subst. cbn [core with_core].
  repeat match goal with G : guard _ _ = Ok _ |- _ => apply guard_ok in G end.
  match goal with G : (_ && _ && _) = true |- _ =>
    apply andb_true_iff in G as [G K]; apply andb_true_iff in G as [Lt T] end.
  match goal with G : alloc_frame _ = Ok _ |- _ => apply alloc_frame_ok in G as [Hf Ff] end.
  apply alloc_Invariant; auto.
  - split; [apply Nat.ltb_lt; exact Lt|apply ot_eqb_eq; exact T].
  - destruct t; cbn in K; discriminate.
  - destruct t; cbn in K; discriminate.
  - destruct t; cbn in K; discriminate.
Qed.

Lemma reap_pts_Invariant : forall ks n, n <= NFRAMES ->
  Invariant (core ks) -> Invariant (reap_pts ks n).
Proof.
  intros ks n; induction n as [|n IH]; intros Hn I; cbn [reap_pts]; [exact I|].
  specialize (IH ltac:(lia) I).
  destruct (pt_orphan _ n) eqn:P; [|exact IH].
  unfold pt_orphan in P. apply andb_true_iff in P as [T _]. cbn [core] in T.
  unfold is_type in T. apply ot_eqb_eq in T.
  apply free_Invariant.
  - exact IH.
  - lia.
  - unfold live, live_type. rewrite T. reflexivity.
  - rewrite T; discriminate.
Qed.

Theorem proc_reap_Invariant : forall ks, Invariant (core ks) -> Invariant (core (proc_reap ks)).
Proof. intros. unfold proc_reap, waits_cancel. cbn [core with_core]. apply reap_pts_Invariant; auto. Qed.

(** [waits_cancel] (after an endpoint's or a notification's death,
    [obj_gone]) writes only the process tables. *)
Lemma waits_cancel_core : forall ks, core (waits_cancel ks) = core ks.
Proof. reflexivity. Qed.

Theorem waits_cancel_Invariant : forall ks, Invariant (core ks) -> Invariant (core (waits_cancel ks)).
Proof. intros ks I. rewrite waits_cancel_core. exact I. Qed.

(** The operations that change only the process tables. *)
Lemma proc_resume_core : forall ks cs s, core (snd (proc_resume ks cs s)) = core ks.
Proof.
  intros. unfold proc_resume, kcommit. cbn [bind guard].
  destruct (cspace_ok _ _); [|reflexivity]. cbn [bind].
  destruct (invoke_lookup _ _ _ _ _ _); cbn [bind]; [|reflexivity].
  destruct (_ || _); reflexivity.
Qed.

Lemma proc_suspend_core : forall ks cs s, core (snd (proc_suspend ks cs s)) = core ks.
Proof.
  intros. unfold proc_suspend, kcommit. cbn [bind guard].
  destruct (cspace_ok _ _); [|reflexivity]. cbn [bind].
  destruct (invoke_lookup _ _ _ _ _ _); cbn [bind]; [|reflexivity].
  destruct (negb _); reflexivity.
Qed.

Lemma proc_read_reg_state : forall ks cs s r e v ks',
  proc_read_reg ks cs s r = (e, v, ks') -> ks' = ks.
Proof.
  intros. unfold proc_read_reg in H.
  destruct (_ : res N); inversion H; reflexivity.
Qed.

Lemma proc_write_reg_core : forall ks cs s r v, core (snd (proc_write_reg ks cs s r v)) = core ks.
Proof.
  intros. unfold proc_write_reg, kcommit. cbn [bind guard].
  destruct (cspace_ok _ _); [|reflexivity]. cbn [bind].
  destruct (invoke_lookup _ _ _ _ _ _); cbn [bind]; [|reflexivity].
  destruct (_ && _); [|reflexivity]. destruct (negb _); reflexivity.
Qed.

Lemma proc_set_fault_core : forall ks cs s es, core (snd (proc_set_fault ks cs s es)) = core ks.
Proof.
  intros. unfold proc_set_fault, kcommit. cbn [bind guard].
  destruct (cspace_ok _ _); [|reflexivity]. cbn [bind].
  destruct (invoke_lookup _ _ _ _ _ _); cbn [bind]; [|reflexivity].
  destruct (lookup _ _ _ _ _ _); reflexivity.
Qed.

Lemma ipc_fault_core : forall ks cur l a b c, core (snd (ipc_fault ks cur l a b c)) = core ks.
Proof.
  intros. unfold ipc_fault. destruct (negb _); [reflexivity|].
  destruct (negb _); [reflexivity|]. destruct (_ =? NO_PROC); reflexivity.
Qed.

Lemma ntfn_post_core : forall ks n all, core (ntfn_post ks n all) = core ks.
Proof.
  intros. unfold ntfn_post. destruct (_ =? NO_PROC); reflexivity.
Qed.

Lemma ntfn_signal_core : forall ks cs s b, core (snd (ntfn_signal ks cs s b)) = core ks.
Proof.
  intros. unfold ntfn_signal, kcommit. cbn [bind guard].
  destruct (cspace_ok _ _); [|reflexivity]. cbn [bind].
  destruct (invoke_lookup _ _ _ _ _ _); cbn [bind]; [|reflexivity].
  destruct (negb _); [|reflexivity]. apply ntfn_post_core.
Qed.

Lemma ntfn_wait_core : forall ks cur s, core (snd (ntfn_wait ks cur s)) = core ks.
Proof.
  intros. unfold ntfn_wait, kcommit. cbn [bind guard].
  destruct (cur_ok _ _); [|reflexivity]. cbn [bind].
  destruct (invoke_lookup _ _ _ _ _ _); cbn [bind]; [|reflexivity].
  destruct (N.eqb _ _); reflexivity.
Qed.

Lemma sched_core : forall ks, core (snd (sched_pick ks)) = core ks /\ core (sched_tick ks) = core ks.
Proof.
  intros. split; [reflexivity|]. unfold sched_tick.
  destruct (_ && _); [destruct (ticket_take _)|]; reflexivity.
Qed.

(** The IPC operations keep the core's invariant: each either leaves the
    core as it was or delivers a message, which is a [reachable] change
    (its capabilities move by copy). *)
Lemma ipc_send_to_Invariant : forall ks cur r c,
  Invariant (core ks) -> Invariant (core (ipc_send_to ks cur r c)).
Proof.
  intros. rewrite ipc_send_to_core. eapply reachable_Invariant; [eassumption|apply deliver_spec].
Qed.

Lemma ipc_recv_Invariant : forall ks cur s e ks',
  Invariant (core ks) -> ipc_recv ks cur s = (e, ks') -> Invariant (core ks').
Proof.
  intros ks cur s e ks' I H.
  apply ipc_recv_core in H as [->|(s' & ->)]; [exact I|].
  eapply reachable_Invariant; [exact I|apply deliver_spec].
Qed.

Lemma ipc_reply_Invariant : forall ks cur e ks',
  Invariant (core ks) -> ipc_reply ks cur = (e, ks') -> Invariant (core ks').
Proof.
  intros ks cur e ks' I H.
  apply ipc_reply_core in H as [->|(ks2 & C & _ & ->)]; [exact I|].
  rewrite <- C in I. eapply reachable_Invariant; [exact I|apply deliver_spec].
Qed.

(** The fast paths are the slow paths' compositions, then register and
    message-record writes, which leave the core alone. *)
Lemma ipc_send_full_Invariant : forall ks cur s c,
  Invariant (core ks) -> Invariant (core (snd (ipc_send_full ks cur s c))).
Proof.
  intros ks cur s c I. unfold ipc_send_full.
  destruct (ipc_send ks cur s c) as [[e r] ks1] eqn:E.
  apply ipc_send_core in E.
  destruct (Nat.eqb r NO_PROC); cbn [snd]; [rewrite E; exact I|].
  apply ipc_send_to_Invariant. rewrite E. exact I.
Qed.

Lemma ipc_fast_call_Invariant : forall ks cur,
  Invariant (core ks) -> Invariant (core (ipc_fast_call ks cur)).
Proof.
  intros ks cur I. unfold ipc_fast_call.
  pose proof (ipc_send_full_Invariant ks cur (N.to_nat (p_regs (procs ks) cur A0)) 1 I) as H.
  destruct (ipc_send_full ks cur _ 1) as [e ks1]. exact H.
Qed.

Lemma ipc_fast_reply_recv_Invariant : forall ks cur,
  Invariant (core ks) -> Invariant (core (ipc_fast_reply_recv ks cur)).
Proof.
  intros ks cur I. unfold ipc_fast_reply_recv.
  destruct (ipc_reply ks cur) as [e1 ks1] eqn:E1.
  destruct (ipc_recv ks1 cur _) as [e2 ks2] eqn:E2.
  unfold keep_msg, with_procs; cbn [core].
  eapply ipc_recv_Invariant; [|exact E2]. eapply ipc_reply_Invariant; [exact I|exact E1].
Qed.

Lemma ntfn_fast_signal_Invariant : forall ks cur,
  Invariant (core ks) -> Invariant (core (ntfn_fast_signal ks cur)).
Proof.
  intros ks cur I. unfold ntfn_fast_signal.
  pose proof (ntfn_signal_core ks (p_cspace (procs ks) cur)
                (N.to_nat (p_regs (procs ks) cur A0)) (p_regs (procs ks) cur A1)) as C.
  destruct (ntfn_signal ks _ _ _) as [e ks1]. cbn [snd] in C. cbn [core with_procs].
  rewrite C. exact I.
Qed.

(** One operation of the whole kernel, any arguments, any outcome (the
    fast paths included: C ipc_fast_call, ipc_fast_reply_recv,
    ntfn_fast_signal). *)
Inductive kstep : KState -> KState -> Prop :=
| ks_core : forall ks st', step (core ks) st' -> kstep ks (with_core ks st')
| ks_obj_alloc_k : forall ks cs a t d, kstep ks (snd (obj_alloc_k ks cs a t d))
| ks_proc_create : forall ks cs caller a b dst prio e ks',
    proc_create ks cs caller a b dst prio = (e, ks') -> kstep ks ks'
| ks_proc_resume : forall ks cs s, kstep ks (snd (proc_resume ks cs s))
| ks_proc_suspend : forall ks cs s, kstep ks (snd (proc_suspend ks cs s))
| ks_proc_write_reg : forall ks cs s r v, kstep ks (snd (proc_write_reg ks cs s r v))
| ks_proc_set_fault : forall ks cs s es, kstep ks (snd (proc_set_fault ks cs s es))
| ks_kobj_alloc : forall ks cont t e f ks', kobj_alloc ks cont t = (e, f, ks') -> kstep ks ks'
| ks_pt_bind : forall ks f q, kstep ks (pt_bind ks f q)
| ks_proc_reap : forall ks, kstep ks (proc_reap ks)
| ks_waits_cancel : forall ks, kstep ks (waits_cancel ks)
| ks_ipc_send : forall ks cur s c e r ks', ipc_send ks cur s c = (e, r, ks') -> kstep ks ks'
| ks_ipc_send_to : forall ks cur r c, kstep ks (ipc_send_to ks cur r c)
| ks_ipc_recv : forall ks cur s e ks', ipc_recv ks cur s = (e, ks') -> kstep ks ks'
| ks_ipc_reply : forall ks cur e ks', ipc_reply ks cur = (e, ks') -> kstep ks ks'
| ks_ipc_fault : forall ks cur l a b c, kstep ks (snd (ipc_fault ks cur l a b c))
| ks_ntfn_signal : forall ks cs s b, kstep ks (snd (ntfn_signal ks cs s b))
| ks_ntfn_wait : forall ks cur s, kstep ks (snd (ntfn_wait ks cur s))
| ks_ipc_fast_call : forall ks cur, kstep ks (ipc_fast_call ks cur)
| ks_ipc_fast_reply_recv : forall ks cur, kstep ks (ipc_fast_reply_recv ks cur)
| ks_ntfn_fast_signal : forall ks cur, kstep ks (ntfn_fast_signal ks cur)
| ks_sched_pick : forall ks, kstep ks (snd (sched_pick ks))
| ks_sched_tick : forall ks, kstep ks (sched_tick ks)
(* issue 15: interrupt handlers *)
| ks_irq_handler_create : forall ks cs a b s d, kstep ks (snd (irq_handler_create ks cs a b s d))
| ks_irq_set_ntfn : forall ks cs h n, kstep ks (snd (irq_set_ntfn ks cs h n))
| ks_irq_ack : forall ks cs h, kstep ks (snd (irq_ack ks cs h))
| ks_irq_deliver : forall ks s, kstep ks (snd (irq_deliver ks s))
(* issue 15: timers *)
| ks_timer_set : forall ks cs t n d, kstep ks (snd (timer_set ks cs t n d))
| ks_timer_cancel : forall ks cs t, kstep ks (snd (timer_cancel ks cs t))
| ks_timer_fire : forall ks r, kstep ks (snd (timer_fire ks r)).

(** A new handler changes the core exactly as [handler_alloc] does; the
    other interrupt operations leave it as it is. *)
Lemma irq_handler_create_Invariant : forall ks cs a b s d,
  Invariant (core ks) -> Invariant (core (snd (irq_handler_create ks cs a b s d))).
Proof.
  intros ks cs a b s d I. unfold irq_handler_create, kcommit. cbn [bind guard].
  destruct (cspace_ok _ _); [|exact I]. cbn [bind].
  destruct (lookup _ _ _ _ _ _); cbn [bind]; [|exact I].
  destruct (_ && _); cbn [bind]; [|exact I].
  destruct (negb _); cbn [bind]; [|exact I].
  destruct (handler_alloc (core ks) cs b d) as [e st'] eqn:T.
  destruct e; try exact I. cbn [snd core].
  apply (step_Invariant (core ks) st' I (step_handler_alloc _ _ _ _ _ _ T)).
Qed.

Lemma irq_set_ntfn_core : forall ks cs h n, core (snd (irq_set_ntfn ks cs h n)) = core ks.
Proof.
  intros. unfold irq_set_ntfn. cbn [bind guard].
  destruct (cspace_ok _ _); [|reflexivity]. cbn [bind].
  destruct (invoke_lookup _ _ _ _ _ _); cbn [bind]; [|reflexivity].
  destruct (lookup _ _ _ _ _ _); reflexivity.
Qed.

Lemma irq_ack_core : forall ks cs h, core (snd (irq_ack ks cs h)) = core ks.
Proof.
  intros. unfold irq_ack. cbn [bind guard].
  destruct (cspace_ok _ _); [|reflexivity]. cbn [bind].
  destruct (invoke_lookup _ _ _ _ _ _); cbn [bind]; [|reflexivity].
  destruct (irq_unacked _ _); reflexivity.
Qed.

Lemma irq_deliver_core : forall ks s, core (snd (irq_deliver ks s)) = core ks.
Proof.
  intros. unfold irq_deliver. destruct (_ && _); [|reflexivity].
  cbn [snd]. rewrite ntfn_post_core. reflexivity.
Qed.

(** The timers leave the core as it is (a timer is made by [obj_alloc]). *)
Lemma timer_set_core : forall ks cs t n d, core (snd (timer_set ks cs t n d)) = core ks.
Proof.
  intros. unfold timer_set.
  match goal with |- context [match ?x with Ok _ => _ | Err _ => _ end] =>
    destruct x as [[a b]|e] end; [|reflexivity].
  destruct (Nat.eqb _ NTIMERS); reflexivity.
Qed.

Lemma timer_cancel_core : forall ks cs t, core (snd (timer_cancel ks cs t)) = core ks.
Proof.
  intros. unfold timer_cancel. cbn [bind guard].
  destruct (cspace_ok _ _); [|reflexivity]. cbn [bind].
  destruct (invoke_lookup _ _ _ _ _ _); reflexivity.
Qed.

Lemma timer_fire_core : forall ks r, core (snd (timer_fire ks r)) = core ks.
Proof.
  intros. unfold timer_fire. destruct (tmr_armed _ _); [|reflexivity].
  destruct (tmr_bound _ _); cbn [snd]; [rewrite ntfn_post_core|]; reflexivity.
Qed.

(** The timers' refusals change nothing (kernel/timers.c: "a refused call
    changes nothing"), and a row that holds no live timer does not fire:
    a timer destroyed while armed never signals. *)
Theorem timer_set_refused : forall ks cs t n d,
  fst (timer_set ks cs t n d) <> E_OK -> snd (timer_set ks cs t n d) = ks.
Proof.
  intros ks cs t n d. unfold timer_set.
  match goal with |- context [match ?x with Ok _ => _ | Err _ => _ end] =>
    destruct x as [[a b]|e] end; [|reflexivity].
  destruct (Nat.eqb _ NTIMERS); [reflexivity|]. cbn. congruence.
Qed.

Theorem timer_cancel_refused : forall ks cs t,
  fst (timer_cancel ks cs t) <> E_OK -> snd (timer_cancel ks cs t) = ks.
Proof.
  intros ks cs t. unfold timer_cancel.
  match goal with |- context [match ?x with Ok _ => _ | Err _ => _ end] =>
    destruct x as [a|e] end; [cbn; congruence | reflexivity].
Qed.

Theorem timer_fire_dead : forall ks r,
  tmr_armed ks r = false -> timer_fire ks r = (E_STALE, ks).
Proof.
  intros ks r H. unfold timer_fire. rewrite H. reflexivity.
Qed.

(** The invariant of the core (capabilities, structure, accounting) holds
    after every operation of the whole kernel. *)
Theorem kstep_Invariant : forall ks ks', Invariant (core ks) -> kstep ks ks' -> Invariant (core ks').
Proof.
  intros ks ks' I S. destruct S.
  - eapply step_Invariant; eauto.
  - eapply step_Invariant; [exact I|]. apply (step_obj_alloc (core ks) cs a t d
      (fst (obj_alloc (core ks) cs a t d))).
    unfold obj_alloc_k. destruct (obj_alloc (core ks) cs a t d) as [e st'] eqn:E.
    destruct e; destruct (lowest_free (core ks)); try reflexivity.
    destruct (is_type st' n OT_NOTIFICATION); reflexivity.
  - eapply proc_create_Invariant; eauto.
  - rewrite proc_resume_core; exact I.
  - rewrite proc_suspend_core; exact I.
  - rewrite proc_write_reg_core; exact I.
  - rewrite proc_set_fault_core; exact I.
  - eapply kobj_alloc_Invariant; eauto.
  - exact I.
  - apply proc_reap_Invariant; exact I.
  - apply waits_cancel_Invariant; exact I.
  - apply ipc_send_core in H. rewrite H. exact I.
  - apply ipc_send_to_Invariant; exact I.
  - eapply ipc_recv_Invariant; eauto.
  - eapply ipc_reply_Invariant; eauto.
  - rewrite ipc_fault_core; exact I.
  - rewrite ntfn_signal_core; exact I.
  - rewrite ntfn_wait_core; exact I.
  - apply ipc_fast_call_Invariant; exact I.
  - apply ipc_fast_reply_recv_Invariant; exact I.
  - apply ntfn_fast_signal_Invariant; exact I.
  - rewrite (proj1 (sched_core ks)); exact I.
  - rewrite (proj2 (sched_core ks)); exact I.
  - apply irq_handler_create_Invariant; exact I.
  - rewrite irq_set_ntfn_core; exact I.
  - rewrite irq_ack_core; exact I.
  - rewrite irq_deliver_core; exact I.
  - rewrite timer_set_core; exact I.
  - rewrite timer_cancel_core; exact I.
  - rewrite timer_fire_core; exact I.
Qed.

(** ** After a destruction, the reaper leaves nothing dangling *)

Lemma reap_pts_other : forall ks n f,
  frame_type (core ks) f <> OT_PAGETABLE ->
  frame_type (reap_pts ks n) f = frame_type (core ks) f /\
  frame_gen (reap_pts ks n) f = frame_gen (core ks) f.
Proof.
  intros ks n f T; induction n as [|n IH]; cbn [reap_pts]; [auto|].
  destruct (pt_orphan _ n) eqn:P; [|exact IH].
  unfold pt_orphan in P. apply andb_true_iff in P as [Tn _]. cbn [core] in Tn.
  unfold is_type in Tn. apply ot_eqb_eq in Tn.
  assert (Nf : f <> n) by (intro E; subst; destruct IH as [IH _]; congruence).
  cbn [free_frame uncharge with_usage_own frame_type frame_gen].
  rewrite !upd_neq by exact Nf. exact IH.
Qed.

Lemma cancel_state : forall ps n p, p_state (cancel ps n) p = upd (p_state ps) n PS_READY p.
Proof. reflexivity. Qed.

Lemma reap_waits_state : forall ks n p,
  p_state (reap_waits ks n) p =
  if (p <? n) && ps_blocked (p_state (procs ks) p) && wait_gone ks p
  then PS_READY else p_state (procs ks) p.
Proof.
  intros ks n p; induction n as [|n IH]; cbn [reap_waits].
  - destruct (p <? 0) eqn:L; [apply Nat.ltb_lt in L; lia|reflexivity].
  - cbv zeta. match goal with |- p_state (if ?b then _ else _) _ = _ => destruct b eqn:C end.
    + rewrite cancel_state. unfold upd.
      destruct (Nat.eqb_spec p n) as [->|Np].
      * rewrite <- andb_assoc, C. destruct (n <? S n) eqn:L; [reflexivity|apply Nat.ltb_ge in L; lia].
      * rewrite IH. destruct (Nat.ltb_spec p n), (Nat.ltb_spec p (S n)); try lia; reflexivity.
    + rewrite IH. destruct (Nat.eq_dec p n) as [->|Np].
      * rewrite Nat.ltb_irrefl. cbn [andb]. rewrite <- andb_assoc.
        rewrite C. destruct (n <? S n); reflexivity.
      * destruct (Nat.ltb_spec p n), (Nat.ltb_spec p (S n)); try lia; reflexivity.
Qed.

Lemma reap_waits_keeps : forall ks n,
  p_wait (reap_waits ks n) = p_wait (procs ks) /\
  p_wait_gen (reap_waits ks n) = p_wait_gen (procs ks) /\
  p_gen (reap_waits ks n) = p_gen (procs ks).
Proof.
  intros ks n; induction n as [|n IH]; cbn [reap_waits]; [auto|].
  destruct (_ && _); [|exact IH].
  unfold cancel, proc_ready. cbn. exact IH.
Qed.

Lemma proc_live_reap_states : forall ks q,
  proc_live (with_procs ks (reap_states ks)) q = proc_live ks q.
Proof.
  intros. unfold proc_live, with_procs, reap_states, proc_dead. cbn [procs core p_state p_gen].
  destruct (q <? NFRAMES); cbn [andb]; [|reflexivity].
  destruct (ps_eqb (p_state (procs ks) q) PS_NONE) eqn:E;
  destruct (is_type (core ks) q OT_PROCESS) eqn:T;
  destruct (N.eqb (frame_gen (core ks) q) (p_gen (procs ks) q)) eqn:G;
  cbn; rewrite ?E, ?T, ?G; reflexivity.
Qed.

Theorem reap_no_dangling : forall ks p,
  let ks' := proc_reap ks in
  let ps' := procs ks' in
  p < NFRAMES ->
  (* a process state survives only for a live process *)
  (p_state ps' p <> PS_NONE -> proc_live ks' p = true) /\
  (* a sender, receiver or notification waiter waits on an object that
     was live, with that generation, when the reaper ran (and still is,
     unless it was a page table: no IPC blocks on one) *)
  (ps_blocked (p_state ps' p) = true -> p_state ps' p <> PS_REPLY ->
     obj_live_gen ks (p_wait ps' p) (p_wait_gen ps' p) = true /\
     (frame_type (core ks) (p_wait ps' p) <> OT_PAGETABLE ->
      obj_live_gen ks' (p_wait ps' p) (p_wait_gen ps' p) = true)) /\
  (* a caller waits for the reply of a live process, of that generation *)
  (p_state ps' p = PS_REPLY ->
     proc_live ks' (p_wait ps' p) = true /\ p_gen ps' (p_wait ps' p) = p_wait_gen ps' p).
Proof.
  intros ks p ks' ps' Hp.
  set (ks1 := with_procs ks (reap_states ks)).
  set (ks2 := with_procs ks1 (reap_waits ks1 NFRAMES)).
  assert (Eps : ps' = reap_waits ks1 NFRAMES) by reflexivity.
  assert (Ecore : core ks' = reap_pts ks2 NFRAMES) by reflexivity.
  assert (C2 : core ks2 = core ks) by reflexivity.
  destruct (reap_waits_keeps ks1 NFRAMES) as (W & WG & G).
  assert (St : forall q, q < NFRAMES -> p_state ps' q =
     if ps_blocked (p_state (procs ks1) q) && wait_gone ks1 q then PS_READY
     else p_state (procs ks1) q).
  { intros q Hq. rewrite Eps, reap_waits_state. apply Nat.ltb_lt in Hq. rewrite Hq. reflexivity. }
  assert (S1 : forall q, p_state (procs ks1) q =
     if (q <? NFRAMES) && proc_dead ks q then PS_NONE else p_state (procs ks) q)
    by reflexivity.
  (* a surviving process state is a live process, and its frame is kept *)
  assert (Live : forall q, q < NFRAMES -> p_state ps' q <> PS_NONE -> proc_live ks' q = true).
  { intros q Hq N. assert (N1 : p_state (procs ks1) q <> PS_NONE).
    { rewrite St in N by exact Hq. destruct (_ && _) eqn:B; [|exact N]. intros E.
      rewrite E in B. discriminate. }
    rewrite S1 in N1. apply Nat.ltb_lt in Hq as Hq'. rewrite Hq' in N1. cbn [andb] in N1.
    destruct (proc_dead ks q) eqn:D; [congruence|].
    unfold proc_dead in D. apply andb_false_iff in D as [D|D].
    - apply negb_false_iff, ps_eqb_eq in D. congruence.
    - apply negb_false_iff, andb_true_iff in D as [T Gq].
      unfold is_type in T. apply ot_eqb_eq in T. apply N.eqb_eq in Gq.
      destruct (reap_pts_other ks2 NFRAMES q) as [T' G']; [rewrite C2, T; discriminate|].
      unfold proc_live, is_type. change (procs ks') with ps'.
      rewrite Ecore, T', G', C2, T, Hq'. cbn [andb].
      destruct (ps_eqb (p_state ps' q) PS_NONE) eqn:E; [apply ps_eqb_eq in E; congruence|].
      cbn [negb andb]. rewrite Eps, G. cbn [ks1 with_procs procs reap_states p_gen].
      rewrite Gq, N.eqb_refl. reflexivity. }
  split; [exact (Live p Hp)|split].
  - intros B NR. rewrite St in B, NR by exact Hp.
    remember (ps_blocked (p_state (procs ks1) p) && wait_gone ks1 p) as c eqn:Ec.
    destruct c; [discriminate B|].
    rewrite B in Ec. cbn [andb] in Ec. unfold wait_gone in Ec.
    destruct (ps_eqb (p_state (procs ks1) p) PS_REPLY) eqn:R;
      [apply ps_eqb_eq in R; contradiction|].
    symmetry in Ec. apply negb_false_iff in Ec.
    rewrite Eps, W, WG.
    split; [exact Ec|]. intro NP.
    unfold obj_live_gen in *. rewrite Ecore.
    destruct (reap_pts_other ks2 NFRAMES (p_wait (procs ks1) p)) as [T' G']; [exact NP|].
    unfold live in *. rewrite T', G'. exact Ec.
  - intros R. rewrite St in R by exact Hp.
    remember (ps_blocked (p_state (procs ks1) p) && wait_gone ks1 p) as c eqn:Ec.
    destruct c; [discriminate R|].
    rewrite R in Ec. cbn [ps_blocked ps_code Nat.leb andb] in Ec. unfold wait_gone in Ec.
    rewrite R in Ec. cbn [ps_eqb ps_code Nat.eqb] in Ec. symmetry in Ec.
    apply orb_false_iff in Ec as [L1 L2]. apply negb_false_iff in L1, L2.
    apply N.eqb_eq in L2.
    rewrite Eps, W, WG, G. split; [|exact L2].
    pose proof (proc_live_reap_states ks (p_wait (procs ks1) p)) as PL.
    change (with_procs ks (reap_states ks)) with ks1 in PL. rewrite PL in L1. clear PL.
    set (q := p_wait (procs ks1) p) in *.
    assert (Hq : q < NFRAMES).
    { unfold proc_live in L1. apply andb_true_iff in L1 as [L1 _].
      apply andb_true_iff in L1 as [L1 _]. apply andb_true_iff in L1 as [L1 _].
      apply Nat.ltb_lt; exact L1. }
    apply Live; [exact Hq|]. rewrite St by exact Hq.
    remember (ps_blocked (p_state (procs ks1) q) && wait_gone ks1 q) as c2 eqn:E2.
    destruct c2; [intro E; discriminate E|]. rewrite S1.
    unfold proc_live in L1. apply andb_true_iff in L1 as [L1 Gq].
    apply andb_true_iff in L1 as [L1 Tq]. apply andb_true_iff in L1 as [_ NN].
    unfold proc_dead. rewrite NN, Tq, Gq. cbn [negb andb]. rewrite andb_false_r.
    apply negb_true_iff in NN. intro E. rewrite E in NN. discriminate NN.
Qed.

End Sized.
