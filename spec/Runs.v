(** * Runs: rights-aware confinement over whole runs of the kernel

    Issue 14 item 4 ("confinement that means something"). Address spaces
    and mappings are left out here: [VRuns.v] lifts these steps to the
    pair [(KState * VS)] of [VSpace.v], adds the address-space system
    calls and the reaper, and proves mapping authority, integrity and
    isolation of address spaces over those runs.

    Authority, with rights: [reach_r st x o a] (capability space [x]
    reaches object [o] with rights [a] through one of its slots and then
    forwarders, the rights being the meet along the chain, what
    [resolve_chain] computes; [reach_r_iff]: without the rights it is
    [Confinement.reach]); [holds st x o a]: with at least the rights [a];
    [granted st x o a]: the same through a slot whose capability has the
    grant right (what IPC may copy out).

    Steps: [kstep_by a ks ks'] is [ProcTheorems.kstep] with its invoker
    [a]: a capability space ([ACs cs], the core and capability-naming
    operations), the running process ([AProc p], IPC, notification wait,
    the fast paths, a fault), or the kernel ([AKernel]: [sched_pick],
    [sched_tick], [proc_reap], [irq_deliver], [timer_fire], and the
    architecture layer's [kobj_alloc], [pt_bind]). [kstep_by_kstep] and
    [kstep_labelled]: every [kstep] (all 29 constructors, every core
    operation) is a labelled step and conversely. [krun]: runs of them.

    1. Confinement ([kstep_confined], [pstep_confined] for the steps of
       one process, [run_confined], [no_spread_rights],
       [kernel_step_no_authority]): after any step a capability space
       holds [o] with rights [r] only if it did before, or the invoker's
       capability space held [o] with at least [r], or an IPC sender (the
       invoker, or a process blocked sending on an endpoint the invoker
       holds with the read right) held it through a grant capability, or
       [o] was just created, paid from a container the
       invoker holds with the write right. Over a run: whoever holds
       [o] with [r] at the end held it at the start or some step of the
       run had such a source. Kernel steps give nothing.
    2. IPC ([ipc_send_transfer], [ipc_fast_call_transfer],
       [ipc_recv_transfer], [ipc_reply_transfer],
       [ipc_recv_confined_sender]): every capability delivered is an exact
       copy (type, object, generation, badge, rights) of a valid grant
       capability of the named sender's capability space, written only
       into the named receiver's; a send needs the endpoint with the
       write right (and the grant right to carry capabilities) and a
       receiver blocked on that endpoint; a receive takes from a process
       blocked sending on the endpoint the receiver holds with read; a
       reply goes only to the caller the reply capability names. That a
       blocked sender held its endpoint with write is not in the state
       it is received from; it is a fact about the run:
       [kstep_send_blocked], [run_send_blocked]: a process becomes
       blocked sending on an endpoint only by its own send, holding that
       endpoint (same generation) with the write right, or by its own
       fault on its fault endpoint; [ipc_recv_sender_authority]: from
       boot, the sender a receive takes from did so at an earlier step of
       the run. [kstep]'s [ipc_send_to] alone (any receiver) is only run
       by the kernel right after [ipc_send], which is what
       [ipc_send_full] / [sstep_by] model.
    3. Integrity ([sstep_integrity]), for the system calls as the kernel
       runs them ([sstep_by]: transfers through the decode, a send as one
       step; [sstep_krun]: each is a run of labelled [kstep]s): a step
       changes a capability slot only in a capability space its invoker
       may write ([may_write]: its own; one it holds with write; that of
       a process it holds with write; that of a process blocked receiving
       on an endpoint it holds with write; the caller its reply
       capability names), or in a frame that is not a capability space
       before or after the step (allocated from free, destroyed:
       [Main.destruction_confined] says by whom, or a page table the
       reaper frees). [sstep_proc_integrity]: a step changes the state or
       the registers ([prec]) only of a process its invoker may touch
       ([may_touch]: held with write; created; blocked on an endpoint or
       notification the invoker holds with the right that operation
       needs; its reply or fault partner; itself), any for a kernel
       step. Not covered: the other fields of a process record (wait
       object, ticket, message record, reply and fault bindings, receive
       slots, priority), notification bits, interrupt and timer tables,
       [cur_proc] and the ticket counter.
    4. Isolation ([isolation_step], [isolation_run]): along any
       interleaving of system calls whose invokers have no write chain to
       a set [B] of capability spaces ([no_write_chain]: not one of them,
       holds none of them and no process of theirs with write, holds with
       write no endpoint a process of theirs is blocked receiving on, and
       no reply capability to one of their processes), and of kernel
       steps, every capability space of [B] that is one with the same
       generation at both ends keeps every slot, and holds nothing it did
       not hold ([isolation_run_authority]). [isolation_run_survives]:
       if moreover no invoker holds with the write right a container
       covering a capability space of [B] ([no_kill_cover]: no common
       container ancestor; [sstep_frames]: a step destroys a live frame
       other than a page table only through such a container), every
       capability space of [B] survives, same generation, same slots.
       The hypotheses are checked at each step's state; that they are
       preserved along the run is not proved.
       [isolation_procs_step], [isolation_run_procs]: over a run of
       system calls none of which may touch a process of a set [Bp]
       ([no_touch], checked at each step; it excludes kernel steps, and
       a shared endpoint or notification a process of [Bp] is blocked
       on is a channel it excludes), every process of [Bp] keeps its
       state and registers. *)

From Coq Require Import Arith NArith Bool Lia Relations.
From Spec Require Import Model Ops Facts Copy Gens Revocation Invariants Preservation
  Confinement Counting Accounting Tree Main Procs ProcTheorems Decode.

Section Sized.
Context {SZ : Sizes}.

Local Opaque NFRAMES.

(** ** Rights *)

Record Rights := mkRights { rt_read : bool; rt_write : bool; rt_grant : bool }.

Definition rights_of (k : Cap) : Rights := mkRights (cap_read k) (cap_write k) (cap_grant k).

Definition rmeet (a b : Rights) : Rights :=
  mkRights (rt_read a && rt_read b) (rt_write a && rt_write b) (rt_grant a && rt_grant b).

(** [rle a b]: [a] has no right that [b] lacks. *)
Definition rle (a b : Rights) : Prop :=
  (rt_read a = true -> rt_read b = true) /\ (rt_write a = true -> rt_write b = true) /\
  (rt_grant a = true -> rt_grant b = true).

Lemma rle_refl : forall a, rle a a.
Proof. intros; repeat split; auto. Qed.

Lemma rle_trans : forall a b c, rle a b -> rle b c -> rle a c.
Proof. unfold rle; intros a b c (R1 & W1 & G1) (R2 & W2 & G2); repeat split; auto. Qed.

Lemma rle_meet_l : forall a b, rle (rmeet a b) a.
Proof.
  unfold rle, rmeet; intros; cbn; repeat split; intro H; apply andb_true_iff in H; tauto.
Qed.

Lemma rle_meet_r : forall a b, rle (rmeet a b) b.
Proof.
  unfold rle, rmeet; intros; cbn; repeat split; intro H; apply andb_true_iff in H; tauto.
Qed.

Lemma rle_meet_mono : forall a a' b, rle a a' -> rle (rmeet a b) (rmeet a' b).
Proof.
  unfold rle, rmeet; intros a a' b (R & W & G); cbn; repeat split; intro H;
  apply andb_true_iff in H as [H1 H2]; apply andb_true_iff; auto.
Qed.

(** ** Reach with rights

    [chain st k o a]: starting from the capability [k], object [o] is
    reached with rights [a]: [k] itself (valid) with its own rights, or
    the valid target of a forwarder reached, the rights being the meet
    along the chain (what [resolve_chain] computes). *)
Inductive chain (st : State) (k : Cap) : nat -> Rights -> Prop :=
| ch_here : cap_valid st k = true -> chain st k (cap_obj k) (rights_of k)
| ch_fwd : forall w a, chain st k w a -> frame_type st w = OT_FORWARDER ->
    cap_valid st (fw st w) = true ->
    chain st k (cap_obj (fw st w)) (rmeet a (rights_of (fw st w))).

(** Capability space [x] reaches [o] with rights [a] (through one of its
    slots, then forwarders). *)
Definition reach_r (st : State) (x o : nat) (a : Rights) : Prop :=
  exists s, s < NSLOTS /\ chain st (cap st x s) o a.

(** [x] holds [o] with at least the rights [a]. *)
Definition holds (st : State) (x o : nat) (a : Rights) : Prop :=
  exists a', reach_r st x o a' /\ rle a a'.

(** [x] holds [o] with at least the rights [a] through a slot whose
    capability has the grant right (what IPC may copy out of [x]). *)
Definition granted (st : State) (x o : nat) (a : Rights) : Prop :=
  exists s a', s < NSLOTS /\ cap_grant (cap st x s) = true /\ cap_valid st (cap st x s) = true /\
               chain st (cap st x s) o a' /\ rle a a'.

Lemma granted_holds : forall st x o a, granted st x o a -> holds st x o a.
Proof. intros st x o a (s & a' & Hs & _ & _ & C & L). exists a'; split; [exists s|]; auto. Qed.

Lemma holds_weaken : forall st x o a b, holds st x o b -> rle a b -> holds st x o a.
Proof. intros st x o a b (b' & R & L) L'. exists b'; split; [exact R|eapply rle_trans; eauto]. Qed.

(** The rights-aware reach is [Confinement.reach] with the rights kept. *)
Lemma chain_reach : forall st x s o a, s < NSLOTS -> chain st (cap st x s) o a -> reach st x o.
Proof.
  intros st x s o a Hs C. induction C as [V|w a C IH T V].
  - apply reach_direct; auto.
  - apply reach_fwd; auto.
Qed.

Theorem reach_r_iff : forall st x o, reach st x o <-> exists a, reach_r st x o a.
Proof.
  intros st x o; split.
  - intro R. induction R as [s Hs V|w R IH T V].
    + exists (rights_of (cap st x s)), s. split; [exact Hs|apply ch_here; exact V].
    + destruct IH as (a & s & Hs & C).
      exists (rmeet a (rights_of (fw st w))), s. split; [exact Hs|apply ch_fwd; auto].
  - intros (a & s & Hs & C). eapply chain_reach; eauto.
Qed.

(** A capability no stronger than [k0]: same type, object, generation,
    rights included in [k0]'s (the badge may differ). *)
Definition cap_le (k k0 : Cap) : Prop :=
  cap_type k = cap_type k0 /\ cap_obj k = cap_obj k0 /\ cap_gen k = cap_gen k0 /\
  rle (rights_of k) (rights_of k0).

Lemma cap_le_refl : forall k, cap_le k k.
Proof. intros; repeat split; auto. Qed.

Lemma cap_le_restrict : forall k r w g, cap_le (restrict k r w g) k.
Proof.
  intros; unfold cap_le, restrict, rle, rights_of; cbn; repeat split; auto;
  intro H; apply andb_true_iff in H; tauto.
Qed.

Lemma cap_le_mint : forall k r w g b, cap_le (with_badge (restrict k r w g) b) k.
Proof.
  intros; unfold cap_le, with_badge, restrict, rle, rights_of; cbn; repeat split; auto;
  intro H; apply andb_true_iff in H; tauto.
Qed.

Lemma chain_le : forall st k k0 o a, cap_le k k0 -> chain st k o a ->
  exists a0, chain st k0 o a0 /\ rle a a0.
Proof.
  intros st k k0 o a (T & O & G & L) C. induction C as [V|w a C IH Tw Vw].
  - exists (rights_of k0). split; [|exact L]. rewrite O.
    apply ch_here. unfold cap_valid in *. rewrite <- T, <- O, <- G. exact V.
  - destruct IH as (a0 & C0 & L0). exists (rmeet a0 (rights_of (fw st w))).
    split; [apply ch_fwd; auto|apply rle_meet_mono; exact L0].
Qed.

(** ** What a core operation may do to the capability tables, with rights *)

(** A slot of [cs] holding a valid capability of which [k] is a weaker
    copy. *)
Definition caller_le (st : State) (cs : nat) (k : Cap) : Prop :=
  exists s0, s0 < NSLOTS /\ cap_valid st (cap st cs s0) = true /\ cap_le k (cap st cs s0).

(** [cs] holds a container with the write right (what every creation
    pays with). *)
Definition creator (st : State) (cs : nat) : Prop :=
  exists s k, lookup st cs s (Some OT_CONTAINER) false true = Ok k.

Definition effects_r (cs : nat) (st st' : State) : Prop :=
  safe st st' /\
  (forall x s, let k := cap st' x s in
     k = cap st x s \/ k = null_cap \/ caller_le st cs k \/
     (frame_type st (cap_obj k) = OT_FREE /\ creator st cs)) /\
  (forall w, (fw st' w = fw st w /\
              (frame_type st' w = OT_FORWARDER -> frame_type st w = OT_FORWARDER)) \/
             fw st' w = null_cap \/
             (frame_type st w = OT_FREE /\
              exists s0, s0 < NSLOTS /\ cap_valid st (cap st cs s0) = true /\
                         fw st' w = cap st cs s0)).

(** The general argument: every chain after such a transition was a chain
    of [x] or of [cs] before, with at least the same rights, or it ends at
    a frame that was free (and [cs] holds a container with write). *)
Lemma effects_r_chain : forall cs st st' x s o a,
  caps_inv st -> effects_r cs st st' -> s < NSLOTS -> chain st' (cap st' x s) o a ->
  holds st x o a \/ holds st cs o a \/ (frame_type st o = OT_FREE /\ creator st cs).
Proof.
  intros cs st st' x s o a [CW FW] [S [EC EF]] Hs C.
  induction C as [V|w a C IH Tw Vw].
  - destruct (EC x s) as [E|[E|[E|[E Cr]]]]; cbv zeta in E.
    + left. exists (rights_of (cap st' x s)). split; [|apply rle_refl].
      exists s. split; [exact Hs|]. rewrite E in *. apply ch_here.
      eapply valid_back; eauto. apply CW.
    + rewrite E in V. discriminate.
    + destruct E as (s0 & Hs0 & V0 & L). right; left.
      destruct (chain_le st _ _ _ _ L (ch_here st (cap st' x s) ltac:(
        unfold cap_valid in *; destruct L as (T & O & G & _); rewrite T, O, G; exact V0)))
        as (a0 & C0 & L0).
      exists a0. split; [exists s0; split; auto|exact L0].
    + right; right. split; [exact E|exact Cr].
  - destruct (EF w) as [[E TF]|[E|(_ & s0 & Hs0 & V0 & E)]].
    + rewrite E in *.
      assert (Vb : cap_valid st (fw st w) = true) by (eapply valid_back; eauto; apply FW).
      specialize (TF Tw).
      destruct IH as [(a' & (s1 & Hs1 & C1) & L)|[(a' & (s1 & Hs1 & C1) & L)|[F _]]].
      * left. exists (rmeet a' (rights_of (fw st w))). split; [|apply rle_meet_mono; exact L].
        exists s1. split; [exact Hs1|apply ch_fwd; auto].
      * right; left. exists (rmeet a' (rights_of (fw st w))). split; [|apply rle_meet_mono; exact L].
        exists s1. split; [exact Hs1|apply ch_fwd; auto].
      * congruence.
    + rewrite E in Vw; discriminate.
    + rewrite E. right; left. exists (rights_of (cap st cs s0)).
      split; [exists s0; split; [exact Hs0|apply ch_here; exact V0]|apply rle_meet_r].
Qed.

Theorem effects_r_confined : forall cs st st' x o a,
  caps_inv st -> effects_r cs st st' -> holds st' x o a ->
  holds st x o a \/ holds st cs o a \/ (frame_type st o = OT_FREE /\ creator st cs).
Proof.
  intros cs st st' x o a I E (a' & (s & Hs & C) & L).
  destruct (effects_r_chain cs st st' x s o a' I E Hs C) as [H|[H|H]];
  [left|right; left|right; right]; try (eapply holds_weaken; eauto); exact H.
Qed.

(** ** Transitions that add no authority at all (kernel-side frees,
    allocations without a capability) *)

Definition effects_none (st st' : State) : Prop :=
  safe st st' /\
  (forall x s, cap st' x s = cap st x s \/ cap st' x s = null_cap) /\
  (forall w, (fw st' w = fw st w /\
              (frame_type st' w = OT_FORWARDER -> frame_type st w = OT_FORWARDER)) \/
             fw st' w = null_cap).

Lemma effects_none_refl : forall st, effects_none st st.
Proof.
  intros st. split; [apply safe_same; reflexivity|split; [intros; left; reflexivity|]].
  intros; left; split; auto.
Qed.

Lemma effects_none_trans : forall a b c, effects_none a b -> effects_none b c -> effects_none a c.
Proof.
  intros a b c (S1 & C1 & F1) (S2 & C2 & F2). split; [eapply safe_trans; eauto|split].
  - intros x s. destruct (C2 x s) as [E|E]; [rewrite E; apply C1|right; exact E].
  - intros w. destruct (F2 w) as [[E T]|E]; [|right; exact E].
    rewrite E. destruct (F1 w) as [[E' T']|E']; [left; split; auto|right; exact E'].
Qed.

Lemma effects_none_r : forall cs st st', effects_none st st' -> effects_r cs st st'.
Proof.
  intros cs st st' (S & C & F). split; [exact S|split].
  - intros x s; cbv zeta. destruct (C x s) as [E|E]; auto.
  - intros w. destruct (F w); auto.
Qed.

Lemma effects_none_chain : forall st st' x s o a,
  caps_inv st -> effects_none st st' -> s < NSLOTS -> chain st' (cap st' x s) o a ->
  chain st (cap st x s) o a.
Proof.
  intros st st' x s o a [CW FW] (S & EC & EF) Hs C.
  induction C as [V|w a C IH Tw Vw].
  - destruct (EC x s) as [E|E]; rewrite E in *; [|discriminate].
    apply ch_here. eapply valid_back; eauto. apply CW.
  - destruct (EF w) as [[E TF]|E]; rewrite E in *; [|discriminate].
    apply ch_fwd; auto. eapply valid_back; eauto. apply FW.
Qed.

Theorem effects_none_confined : forall st st' x o a,
  caps_inv st -> effects_none st st' -> holds st' x o a -> holds st x o a.
Proof.
  intros st st' x o a I E (a' & (s & Hs & C) & L).
  exists a'. split; [exists s; split; [exact Hs|eapply effects_none_chain; eauto]|exact L].
Qed.

Lemma effects_none_free : forall st f, effects_none st (free_frame (uncharge st (frame_owner st f)) f).
Proof.
  intros st f. split; [|split].
  - apply (safe_trans st (uncharge st (frame_owner st f)));
      [apply safe_same; reflexivity|apply safe_free_frame].
  - intros x y. cbn [cap free_frame uncharge with_usage_own].
    destruct (alloc_caps st _ f x y eq_refl) as [E|E]; auto.
  - intros v. left; split; [reflexivity|]. intro T. apply free_frame_type_fwd in T. exact T.
Qed.

Lemma effects_none_set_null : forall st st1 x s,
  effects_none st st1 -> effects_none st (set_cap st1 x s null_cap).
Proof.
  intros st st1 x s E. eapply effects_none_trans; [exact E|].
  split; [apply safe_same; reflexivity|split; [|intros; left; split; auto]].
  intros y z. destruct (set_cap_cases st1 x s null_cap y z) as [E1|E1]; rewrite E1; auto.
Qed.

Lemma effects_r_set_null : forall cs st st1 x s,
  effects_r cs st st1 -> effects_r cs st (set_cap st1 x s null_cap).
Proof.
  intros cs st st1 x s (S & C & F). split; [exact S|split; [|exact F]].
  intros y z; cbv zeta. destruct (set_cap_cases st1 x s null_cap y z) as [E1|E1]; rewrite E1;
  [apply C|auto].
Qed.

Lemma effects_r_set_caller : forall cs st x s k,
  caller_le st cs k -> effects_r cs st (set_cap st x s k).
Proof.
  intros cs st x s k L. split; [apply safe_same; reflexivity|split; [|intros; left; split; auto]].
  intros y z; cbv zeta. destruct (set_cap_cases st x s k y z) as [E1|E1]; rewrite E1; auto.
Qed.

(** An allocation of the free frame [f] paid from a container [cs] holds
    with write, with a new capability [k] to it in a slot. *)
Lemma alloc_effects_gen : forall cs st st1 f d k,
  frame_type st f = OT_FREE -> creator st cs -> cap_obj k = f ->
  frame_gen st1 = frame_gen st -> (forall x, x <> f -> frame_type st1 x = frame_type st x) ->
  (forall x y, cap st1 x y = cap st x y \/ cap st1 x y = null_cap) ->
  (forall v, v <> f -> fw st1 v = fw st v) ->
  (fw st1 f = null_cap \/
   exists s0, s0 < NSLOTS /\ cap_valid st (cap st cs s0) = true /\ fw st1 f = cap st cs s0) ->
  effects_r cs st (set_cap st1 cs d k).
Proof.
  intros cs st st1 f d k Ff Cr Ok G T C Fo Ff'. split; [|split].
  - apply (safe_alloc st _ f); [exact Ff|exact G|intros x Nx; cbn; apply T; exact Nx].
  - intros x y; cbv zeta. destruct (set_cap_cases st1 cs d k x y) as [E|E]; rewrite E.
    + destruct (C x y) as [E2|E2]; rewrite E2; auto.
    + right; right; right. rewrite Ok. split; [exact Ff|exact Cr].
  - intros v. cbn [fw set_cap]. destruct (Nat.eq_dec v f) as [->|Nv].
    + destruct Ff' as [E|E]; [auto|right; right; split; [exact Ff|exact E]].
    + left. split; [apply Fo; exact Nv|]. cbn [frame_type set_cap]. rewrite T by exact Nv. auto.
Qed.

Lemma make_object_caps : forall st f t c x y,
  cap (make_object (charge st c) f t c) x y = cap st x y \/
  cap (make_object (charge st c) f t c) x y = null_cap.
Proof.
  intros. cbn [cap make_object charge with_usage_own].
  destruct (alloc_caps st _ f x y eq_refl) as [E|E]; auto.
Qed.

Lemma lookup_creator : forall st cs s k, lookup st cs s (Some OT_CONTAINER) false true = Ok k ->
  creator st cs.
Proof. intros; do 2 eexists; eassumption. Qed.

Lemma alloc_object_effects : forall st cs a rt d e st',
  alloc_object st cs a rt d = (e, st') -> effects_r cs st st'.
Proof.
  intros st cs a rt d e st' H. unfold alloc_object in H.
  apply commit_cases in H as [[H _]| ->]; [|apply effects_none_r, effects_none_refl].
  peel H. apply Ok_inj in H; subst st'.
  match goal with L : lookup _ _ _ (Some OT_CONTAINER) false true = Ok _ |- _ =>
    pose proof (lookup_creator _ _ _ _ L) as Cr end.
  match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [Hf Ff] end.
  eapply alloc_effects_gen; eauto.
  - intros x Nx. cbn. apply upd_neq; exact Nx.
  - intros. apply make_object_caps.
  - intros v Nv. cbn. apply upd_neq; exact Nv.
  - left. cbn. apply upd_eq.
Qed.

Lemma destroy_pass_none : forall st t n, effects_none st (destroy_pass st t n).
Proof.
  intros st t n. split; [apply safe_destroy_pass|split].
  - intros x y. destruct (destroy_pass_cap st t n x y) as [E|E]; auto.
  - intros v; left; rewrite destroy_pass_fw; split; [reflexivity|].
    intro T; apply destroy_pass_type_fwd in T; exact T.
Qed.

(** ** One core operation, with the capability space it is invoked from *)

Inductive cstep_by (cs : nat) : State -> State -> Prop :=
| cb_container_create : forall st a b c e st',
    container_create st cs a b c = (e, st') -> cstep_by cs st st'
| cb_obj_alloc : forall st a b c e st',
    obj_alloc st cs a b c = (e, st') -> cstep_by cs st st'
| cb_obj_free : forall st a b e st',
    obj_free st cs a b = (e, st') -> cstep_by cs st st'
| cb_container_destroy : forall st a b e st',
    container_destroy st cs a b = (e, st') -> cstep_by cs st st'
| cb_cap_copy : forall st a dcs b r w g e st',
    cap_copy st cs a dcs b r w g = (e, st') -> cstep_by cs st st'
| cb_cap_mint : forall st a dcs b r w g x e st',
    cap_mint st cs a dcs b r w g x = (e, st') -> cstep_by cs st st'
| cb_cap_move : forall st a dcs b e st',
    cap_move st cs a dcs b = (e, st') -> cstep_by cs st st'
| cb_cap_delete : forall st a e st',
    cap_delete st cs a = (e, st') -> cstep_by cs st st'
| cb_fwd_create : forall st a b c e st',
    fwd_create st cs a b c = (e, st') -> cstep_by cs st st'
| cb_typed_alloc : forall st a t b e st',
    typed_alloc st cs a t b = (e, st') -> cstep_by cs st st'
| cb_handler_alloc : forall st a b e st',
    handler_alloc st cs a b = (e, st') -> cstep_by cs st st'.

Lemma cstep_by_step : forall cs st st', cstep_by cs st st' -> step st st'.
Proof.
  intros cs st st' H; destruct H;
  [eapply step_container_create|eapply step_obj_alloc|eapply step_obj_free
  |eapply step_container_destroy|eapply step_cap_copy|eapply step_cap_mint
  |eapply step_cap_move|eapply step_cap_delete|eapply step_fwd_create
  |eapply step_typed_alloc|eapply step_handler_alloc]; eauto.
Qed.

Lemma step_cstep_by : forall st st', step st st' -> exists cs, cstep_by cs st st'.
Proof.
  intros st st' H; destruct H; eexists;
  [eapply cb_container_create|eapply cb_obj_alloc|eapply cb_obj_free
  |eapply cb_container_destroy|eapply cb_cap_copy|eapply cb_cap_mint
  |eapply cb_cap_move|eapply cb_cap_delete|eapply cb_fwd_create
  |eapply cb_typed_alloc|eapply cb_handler_alloc]; eauto.
Qed.

Theorem cstep_effects : forall cs st st', cstep_by cs st st' -> effects_r cs st st'.
Proof.
  intros cs st st' S.
  destruct S as [st a b c e st' H|st a b c e st' H
    |st a b e st' H|st a b e st' H|st a dcs b r w g e st' H
    |st a dcs b r w g x e st' H|st a dcs b e st' H|st a e st' H
    |st a b c e st' H|st a t b e st' H|st a b e st' H].
  - (* container_create *)
    unfold container_create in H.
    apply commit_cases in H as [[H _]| ->]; [|apply effects_none_r, effects_none_refl].
    peel H. apply Ok_inj in H; subst st'.
    match goal with L : lookup _ _ _ (Some OT_CONTAINER) false true = Ok _ |- _ =>
      pose proof (lookup_creator _ _ _ _ L) as Cr end.
    match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [Hf Ff] end.
    eapply alloc_effects_gen; eauto.
    + intros x Nx. cbn. apply upd_neq; exact Nx.
    + intros. cbn [cap init_container]. apply make_object_caps.
    + intros v Nv. cbn. apply upd_neq; exact Nv.
    + left. cbn. apply upd_eq.
  - eapply alloc_object_effects; exact H.
  - (* obj_free *)
    unfold obj_free in H.
    apply commit_cases in H as [[H _]| ->]; [|apply effects_none_r, effects_none_refl].
    peel H. apply Ok_inj in H; subst st'. apply effects_none_r, effects_none_free.
  - (* container_destroy *)
    unfold container_destroy in H.
    apply commit_cases in H as [[H _]| ->]; [|apply effects_none_r, effects_none_refl].
    peel H. apply Ok_inj in H; subst st'. apply effects_none_r.
    match goal with |- effects_none st (destroy_pass ?s1 ?t ?n) =>
      apply (effects_none_trans st s1); [|apply destroy_pass_none] end.
    split; [apply safe_same; reflexivity|split; [intros; left; reflexivity|intros; left; split; auto]].
  - (* cap_copy *)
    unfold cap_copy in H.
    apply commit_cases in H as [[H _]| ->]; [|apply effects_none_r, effects_none_refl].
    peel H. apply Ok_inj in H; subst st'. rw_ok.
    apply effects_r_set_caller. exists a. split; [assumption|split; [assumption|apply cap_le_restrict]].
  - (* cap_mint *)
    unfold cap_mint in H.
    apply commit_cases in H as [[H _]| ->]; [|apply effects_none_r, effects_none_refl].
    peel H. apply Ok_inj in H; subst st'. rw_ok.
    apply effects_r_set_caller. exists a. split; [assumption|split; [assumption|apply cap_le_mint]].
  - (* cap_move *)
    unfold cap_move in H.
    apply commit_cases in H as [[H _]| ->]; [|apply effects_none_r, effects_none_refl].
    peel H. apply Ok_inj in H; subst st'. rw_ok.
    apply effects_r_set_null, effects_r_set_caller.
    exists a. split; [assumption|split; [assumption|apply cap_le_refl]].
  - (* cap_delete *)
    unfold cap_delete in H.
    apply commit_cases in H as [[H _]| ->]; [|apply effects_none_r, effects_none_refl].
    peel H. apply Ok_inj in H; subst st'.
    apply effects_none_r, effects_none_set_null, effects_none_refl.
  - (* fwd_create *)
    unfold fwd_create in H.
    apply commit_cases in H as [[H _]| ->]; [|apply effects_none_r, effects_none_refl].
    peel H. apply Ok_inj in H; subst st'.
    match goal with L : lookup _ _ _ (Some OT_CONTAINER) false true = Ok _ |- _ =>
      pose proof (lookup_creator _ _ _ _ L) as Cr end.
    match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [Hf Ff] end.
    match goal with L : lookup _ _ b None false false = Ok _ |- _ =>
      apply lookup_ok in L as (-> & Hb & Vb & _) end.
    eapply alloc_effects_gen; eauto.
    + intros x Nx. cbn. apply upd_neq; exact Nx.
    + intros. cbn [cap set_fw]. apply make_object_caps.
    + intros v Nv. cbn. rewrite !upd_neq by exact Nv. reflexivity.
    + right. exists b. split; [exact Hb|split; [exact Vb|]]. cbn. apply upd_eq.
  - eapply alloc_object_effects; exact H.
  - eapply alloc_object_effects; exact H.
Qed.

Theorem cstep_confined : forall cs st st' x o a,
  caps_inv st -> cstep_by cs st st' -> holds st' x o a ->
  holds st x o a \/ holds st cs o a \/ (frame_type st o = OT_FREE /\ creator st cs).
Proof. intros. eapply effects_r_confined; eauto. apply cstep_effects; assumption. Qed.

(** ** IPC deliveries, naming the source and the destination *)

(** Every slot after the delivery holds what it held, or lies in the
    receiver's capability space [tcs] and holds an exact copy (same
    object, generation, badge and rights) of a valid capability with the
    grant right held by the sender's capability space [fcs]. *)
Definition delivered (st st' : State) (fcs tcs : nat) : Prop :=
  forall x y, cap st' x y = cap st x y \/
    (x = tcs /\ exists s, s < NSLOTS /\ cap st' x y = cap st fcs s /\
       cap_grant (cap st fcs s) = true /\ cap_valid st (cap st fcs s) = true).

Lemma delivered_refl : forall st f t, delivered st st f t.
Proof. intros st f t x y; left; reflexivity. Qed.

Lemma same_frames_refl : forall st, same_frames st st.
Proof. intros; split; auto. Qed.

Lemma same_frames_valid : forall st st' k, same_frames st st' -> cap_valid st' k = cap_valid st k.
Proof. intros st st' k (T & G & _). unfold cap_valid. rewrite T, G. reflexivity. Qed.

Lemma delivered_step : forall st st0 fcs s tcs d ok st1,
  delivered st st0 fcs tcs -> same_frames st st0 ->
  copy_one st0 fcs s tcs d = (ok, st1) -> delivered st st1 fcs tcs /\ same_frames st st1.
Proof.
  intros st st0 fcs s tcs d ok st1 C SF H.
  pose proof (same_frames_copy_one _ _ _ _ _ _ _ H) as SF1.
  split; [|eapply same_frames_trans; eauto].
  apply copy_one_spec in H as [->|(_ & Hs & G & V & ->)]; [exact C|].
  intros x y. destruct (Nat.eq_dec x tcs) as [->|Nx];
  [destruct (Nat.eq_dec y d) as [->|Ny]|].
  - rewrite set_cap_same. right. split; [reflexivity|].
    destruct (C fcs s) as [E|(_ & s' & Hs' & E & G' & V')].
    + exists s. rewrite <- E. split; [exact Hs|split; [reflexivity|split; [exact G|]]].
      rewrite <- (same_frames_valid st st0 _ SF). exact V.
    + exists s'. rewrite E. auto.
  - rewrite set_cap_other by congruence. apply C.
  - rewrite set_cap_other by congruence. apply C.
Qed.

Lemma transfer_step_delivered : forall ps fcs tcs to desc n i bitv st mask0 st0 mask st1,
  delivered st st0 fcs tcs -> same_frames st st0 ->
  transfer_step ps fcs tcs to desc n i bitv (mask0, st0) = (mask, st1) ->
  delivered st st1 fcs tcs /\ same_frames st st1.
Proof.
  intros ps fcs tcs to desc n i bitv st mask0 st0 mask st1 C SF H.
  unfold transfer_step in H.
  destruct ((i <? n) && (p_rslot ps to i <? NSLOTS)); [|inversion H; subst; auto].
  destruct (copy_one st0 fcs (desc_slot desc i) tcs (p_rslot ps to i)) as [ok st2] eqn:E.
  inversion H; subst. eapply delivered_step; eauto.
Qed.

Theorem deliver_delivered : forall ks from to,
  delivered (core ks) (core (deliver ks from to)) (p_cspace (procs ks) from) (p_cspace (procs ks) to) /\
  same_frames (core ks) (core (deliver ks from to)).
Proof.
  intros. unfold deliver. destruct (caps_transfer ks from to) as [m st'] eqn:E. cbn [core].
  unfold caps_transfer in E. cbv zeta in E.
  destruct (_ || _ || _); [inversion E; subst; split; [apply delivered_refl|apply same_frames_refl]|].
  destruct (transfer_step (procs ks) (p_cspace (procs ks) from) (p_cspace (procs ks) to) to
             (p_mcaps (procs ks) from) (p_mcaps (procs ks) from mod 4) 0 1 (0, core ks))
    as [m1 st1] eqn:E1.
  destruct (transfer_step_delivered _ _ _ _ _ _ _ _ _ _ _ _ _
              (delivered_refl _ _ _) (same_frames_refl _) E1) as [C1 S1].
  eapply transfer_step_delivered; eauto.
Qed.

Lemma chain_same_frames : forall st st' k o a, same_frames st st' -> chain st' k o a -> chain st k o a.
Proof.
  intros st st' k o a SF C. pose proof SF as (T & G & F).
  induction C as [V|w a C IH Tw Vw].
  - apply ch_here. rewrite <- (same_frames_valid st st' _ SF). exact V.
  - rewrite F in *. apply ch_fwd; [exact IH|rewrite <- T; exact Tw|].
    rewrite <- (same_frames_valid st st' _ SF). exact Vw.
Qed.

Lemma granted_extend : forall st c w a, granted st c w a -> frame_type st w = OT_FORWARDER ->
  cap_valid st (fw st w) = true -> granted st c (cap_obj (fw st w)) (rmeet a (rights_of (fw st w))).
Proof.
  intros st c w a (s & a' & Hs & G & V & C & L) T Vw.
  exists s, (rmeet a' (rights_of (fw st w))).
  split; [exact Hs|split; [exact G|split; [exact V|split; [apply ch_fwd; auto|apply rle_meet_mono; exact L]]]].
Qed.

Lemma delivered_chain : forall st st' fcs tcs x s o a,
  delivered st st' fcs tcs -> same_frames st st' -> s < NSLOTS ->
  chain st' (cap st' x s) o a -> chain st (cap st x s) o a \/ (x = tcs /\ granted st fcs o a).
Proof.
  intros st st' fcs tcs x s o a C SF Hs Ch. pose proof SF as (T & G & F).
  induction Ch as [V|w a Ch IH Tw Vw].
  - rewrite (same_frames_valid st st' _ SF) in V.
    destruct (C x s) as [E|(Ex & s' & Hs' & E & Gr & V')]; rewrite E in *.
    + left. apply ch_here; exact V.
    + right. split; [exact Ex|]. exists s', (rights_of (cap st fcs s')).
      split; [exact Hs'|split; [exact Gr|split; [exact V'|split; [apply ch_here; exact V'|apply rle_refl]]]].
  - rewrite F in *. rewrite (same_frames_valid st st' _ SF) in Vw. rewrite T in Tw.
    destruct IH as [IH|[Ex IH]]; [left; apply ch_fwd; auto|right; split; [exact Ex|apply granted_extend; auto]].
Qed.

Lemma granted_delivered : forall st st' fcs tcs c o a,
  delivered st st' fcs tcs -> same_frames st st' ->
  granted st' c o a -> granted st c o a \/ granted st fcs o a.
Proof.
  intros st st' fcs tcs c o a C SF (s & a' & Hs & Gr & V & Ch & L).
  apply (chain_same_frames st st') in Ch; [|exact SF].
  rewrite (same_frames_valid st st' _ SF) in V.
  destruct (C c s) as [E|(_ & s' & Hs' & E & Gr' & V')]; rewrite E in *.
  - left. exists s, a'.
    split; [exact Hs|split; [exact Gr|split; [exact V|split; [exact Ch|exact L]]]].
  - right. exists s', a'.
    split; [exact Hs'|split; [exact Gr'|split; [exact V'|split; [exact Ch|exact L]]]].
Qed.

Theorem delivered_confined : forall st st' fcs tcs x o a,
  delivered st st' fcs tcs -> same_frames st st' ->
  holds st' x o a -> holds st x o a \/ (x = tcs /\ granted st fcs o a).
Proof.
  intros st st' fcs tcs x o a C SF (a' & (s & Hs & Ch) & L).
  destruct (delivered_chain st st' fcs tcs x s o a' C SF Hs Ch) as [H|(Ex & s2 & a2 & H)].
  - left. exists a'. split; [exists s; auto|exact L].
  - right. split; [exact Ex|]. exists s2, a2. destruct H as (? & ? & ? & ? & L2).
    split; [assumption|split; [assumption|split; [assumption|split; [assumption|]]]].
    eapply rle_trans; eauto.
Qed.

(** ** The IPC operations, with the parties they name *)

Lemma desc_mod4 : forall x : N, N.to_nat (x mod 262144) mod 4 = N.to_nat x mod 4.
Proof.
  intros x.
  assert (E : ((x mod 262144) mod 4 = x mod 4)%N).
  { change 262144%N with (4 * 65536)%N. rewrite N.mod_mul_r by discriminate.
    rewrite N.mul_comm, N.mod_add by discriminate. apply N.mod_mod. discriminate. }
  change 4 with (N.to_nat 4). rewrite <- !N2Nat.inj_mod by discriminate. rewrite E. reflexivity.
Qed.

Lemma find_waiter_below_spec : forall ks obj s1 s2 n,
  find_waiter_below ks obj s1 s2 n = NO_PROC \/
  waits_on ks (find_waiter_below ks obj s1 s2 n) obj s1 s2 = true.
Proof.
  intros ks obj s1 s2 n; induction n as [|n IH]; cbn [find_waiter_below]; [left; reflexivity|].
  destruct (waits_on ks n obj s1 s2 && _) eqn:W; [|exact IH].
  right; apply andb_true_iff in W as [W _]; exact W.
Qed.

Lemma find_waiter_spec : forall ks obj s1 s2,
  find_waiter ks obj s1 s2 <> NO_PROC -> waits_on ks (find_waiter ks obj s1 s2) obj s1 s2 = true.
Proof.
  intros ks obj s1 s2 N. unfold find_waiter in *.
  destruct (find_waiter_below_spec ks obj s1 s2 NFRAMES) as [E|E]; [contradiction|exact E].
Qed.

(** [waits_on]: the waiter is in one of the two states, on that object,
    at its current generation. *)
Lemma waits_on_parts : forall ks p obj s1 s2, waits_on ks p obj s1 s2 = true ->
  (p_state (procs ks) p = s1 \/ p_state (procs ks) p = s2) /\ p_wait (procs ks) p = obj /\
  p_wait_gen (procs ks) p = frame_gen (core ks) obj.
Proof.
  unfold waits_on; intros ks p obj s1 s2 H.
  apply andb_true_iff in H as [H _]. apply andb_true_iff in H as [H _].
  apply andb_true_iff in H as [H _]. apply andb_true_iff in H as [H G].
  apply andb_true_iff in H as [H W]. apply Nat.eqb_eq in W. apply N.eqb_eq in G.
  apply orb_true_iff in H as [S|S]; apply ps_eqb_eq in S; auto.
Qed.

Lemma invoke_lookup_rights : forall st cs s t nr nw k,
  invoke_lookup st cs s t nr nw = Ok k ->
  cap_type k = t /\ (nr = true -> cap_read k = true) /\ (nw = true -> cap_write k = true).
Proof.
  intros st cs s t nr nw k H. unfold invoke_lookup in H. peel H.
  apply Ok_inj in H; subst.
  repeat match goal with G : guard _ _ = Ok _ |- _ => apply guard_ok in G end.
  match goal with G : ot_eqb _ _ = true |- _ => apply ot_eqb_eq in G end.
  match goal with G : implb _ _ && implb _ _ = true |- _ => apply andb_true_iff in G as [R W] end.
  split; [assumption|split; intros ->; [exact R|exact W]].
Qed.

(** The first step of a send: the core is unchanged; a receiver is named
    only when [cur] (running, live) holds the endpoint through its own
    capability space with the write right (and the grant right if the
    message names capabilities), and the receiver waits on that very
    endpoint. *)
Lemma ipc_send_info : forall ks cur slot c e r ks1,
  ipc_send ks cur slot c = (e, r, ks1) ->
  core ks1 = core ks /\ p_cspace (procs ks1) = p_cspace (procs ks) /\
  (r = NO_PROC \/
   exists ep, cur_ok ks cur = true /\
     invoke_lookup (core ks) (p_cspace (procs ks) cur) slot OT_ENDPOINT false true = Ok ep /\
     (p_mcaps (procs ks1) cur mod 4 <> 0 -> cap_grant ep = true) /\
     waits_on ks r (cap_obj ep) PS_RECV PS_RECV = true /\
     ks1 = with_procs ks (msg_load (procs ks) cur (cap_badge ep))).
Proof.
  intros ks cur slot c e r ks1 H. unfold ipc_send in H.
  match type of H with (match ?x with Ok _ => _ | Err _ => _ end) = _ =>
    destruct x as [ep|err] eqn:G end; [|inversion H; subst; auto].
  cbv zeta in H.
  destruct (Nat.eqb_spec (find_waiter (with_procs ks (msg_load (procs ks) cur (cap_badge ep)))
              (cap_obj ep) PS_RECV PS_RECV) NO_PROC) as [E|E];
  inversion H; subst; clear H; [split; [reflexivity|split; [reflexivity|left; reflexivity]]|].
  split; [reflexivity|split; [reflexivity|right]].
  peel G. apply Ok_inj in G; subst.
  repeat match goal with G : guard _ _ = Ok _ |- _ => apply guard_ok in G end.
  exists ep. split; [assumption|split; [assumption|split; [|split; [|reflexivity]]]].
  - unfold desc_of in Ha1. peel Ha1. apply Ok_inj in Ha1. subst a1.
    intro N0. cbn [procs with_procs msg_load set_msg p_mcaps] in N0. rewrite upd_eq in N0.
    rewrite desc_mod4 in N0.
    apply negb_true_iff, andb_false_iff in Ha3 as [G|G].
    + apply negb_false_iff, Nat.eqb_eq in G. contradiction.
    + apply negb_false_iff in G. exact G.
  - apply find_waiter_spec in E. exact E.
Qed.

Lemma deliver_procs : forall ks from to,
  procs (deliver ks from to) = deliver_msg (procs ks) from to (fst (caps_transfer ks from to)).
Proof. intros. unfold deliver. destruct (caps_transfer ks from to); reflexivity. Qed.

(** A whole send or call ([ipc_send], then [ipc_send_to] to the receiver
    it found): the core is unchanged, or the capabilities go from [cur]'s
    capability space into that of a receiver waiting on the endpoint. *)
Lemma ipc_send_full_info : forall ks cur slot c e ks',
  ipc_send_full ks cur slot c = (e, ks') ->
  core ks' = core ks \/
  exists ep r ks1, cur_ok ks cur = true /\
     invoke_lookup (core ks) (p_cspace (procs ks) cur) slot OT_ENDPOINT false true = Ok ep /\
     (p_mcaps (procs ks1) cur mod 4 <> 0 -> cap_grant ep = true) /\
     waits_on ks r (cap_obj ep) PS_RECV PS_RECV = true /\
     ks1 = with_procs ks (msg_load (procs ks) cur (cap_badge ep)) /\
     core ks' = core (deliver ks1 cur r).
Proof.
  intros ks cur slot c e ks' H. unfold ipc_send_full in H.
  destruct (ipc_send ks cur slot c) as [[e1 r] ks1] eqn:E.
  apply ipc_send_info in E as (C & P & I).
  destruct (Nat.eqb_spec r NO_PROC) as [R|R]; inversion H; subst; clear H; [left; exact C|].
  destruct I as [I|(ep & Cu & L & G & W & ->)]; [contradiction|].
  right. exists ep, r, (with_procs ks (msg_load (procs ks) cur (cap_badge ep))).
  repeat split; auto.
Qed.

Lemma ipc_recv_info : forall ks cur slot e ks',
  ipc_recv ks cur slot = (e, ks') ->
  core ks' = core ks \/
  exists ep s, cur_ok ks cur = true /\
    invoke_lookup (core ks) (p_cspace (procs ks) cur) slot OT_ENDPOINT true false = Ok ep /\
    waits_on ks s (cap_obj ep) PS_SEND PS_CALL = true /\ core ks' = core (deliver ks s cur).
Proof.
  intros ks cur slot e ks' H. unfold ipc_recv, kcommit in H. cbn [bind guard] in H.
  destruct (cur_ok ks cur) eqn:Cu; [|inversion H; auto]. cbn [bind] in H.
  destruct (invoke_lookup _ _ _ _ _ _) as [ep|] eqn:IL; cbn [bind] in H; [|inversion H; auto].
  destruct (Nat.eqb_spec (find_waiter ks (cap_obj ep) PS_SEND PS_CALL) NO_PROC) as [E|E];
    [inversion H; auto|].
  right. exists ep, (find_waiter ks (cap_obj ep) PS_SEND PS_CALL).
  split; [reflexivity|split; [reflexivity|split; [apply find_waiter_spec; exact E|]]].
  cbn [bind guard] in H. destruct (ps_eqb _ _); inversion H; reflexivity.
Qed.

Lemma ipc_reply_info : forall ks cur e ks',
  ipc_reply ks cur = (e, ks') ->
  core ks' = core ks \/
  (cur_ok ks cur = true /\ reply_valid ks cur (p_reply_to (procs ks) cur) = true /\
   exists ks2, core ks2 = core ks /\ p_cspace (procs ks2) = p_cspace (procs ks) /\
     core ks' = core (deliver ks2 cur (p_reply_to (procs ks) cur))).
Proof.
  intros ks cur e ks' H. unfold ipc_reply in H. cbn [bind guard] in H.
  destruct (cur_ok ks cur) eqn:Cu; [|inversion H; auto]. cbn [bind] in H.
  destruct (desc_of ks cur); cbn [bind] in H; [|inversion H; auto].
  destruct (msg_check _ _ _); [|inversion H; auto].
  destruct (reply_valid ks cur (p_reply_to (procs ks) cur)) eqn:RV; cbn [negb] in H;
    [|inversion H; auto].
  inversion H. right. split; [reflexivity|split; [first [exact RV|reflexivity]|]].
  eexists; split; [|split]; [| |reflexivity]; reflexivity.
Qed.

Lemma proc_ready_state : forall ps c, p_state (proc_ready ps c) = upd (p_state ps) c PS_READY.
Proof. reflexivity. Qed.

Lemma pc_set_reg : forall ps p i v, p_cspace (set_reg ps p i v) = p_cspace ps.
Proof. reflexivity. Qed.
Lemma pc_proc_ready : forall ps p, p_cspace (proc_ready ps p) = p_cspace ps.
Proof. reflexivity. Qed.
Lemma pc_deliver_msg : forall ps f t m, p_cspace (deliver_msg ps f t m) = p_cspace ps.
Proof. reflexivity. Qed.
Lemma ps_deliver_msg : forall ps f t m, p_state (deliver_msg ps f t m) = p_state ps.
Proof. reflexivity. Qed.
Lemma ps_set_reg : forall ps p i v, p_state (set_reg ps p i v) = p_state ps.
Proof. reflexivity. Qed.

Lemma ipc_reply_procs : forall ks cur e ks',
  ipc_reply ks cur = (e, ks') ->
  p_cspace (procs ks') = p_cspace (procs ks) /\
  forall p, p_state (procs ks') p = p_state (procs ks) p \/ p_state (procs ks') p = PS_READY.
Proof.
  intros ks cur e ks' H. unfold ipc_reply in H.
  destruct (_ : res unit) eqn:G in H; [|inversion H; subst; split; [reflexivity|intros; left; reflexivity]].
  destruct (negb _) in H; inversion H; subst; clear H; [split; [reflexivity|intros; left; reflexivity]|].
  cbn [procs with_procs]. rewrite pc_set_reg, pc_proc_ready, deliver_procs, pc_deliver_msg.
  split; [reflexivity|].
  intros p. rewrite ps_set_reg, proc_ready_state, ps_deliver_msg. unfold upd.
  destruct (Nat.eqb p (p_reply_to (procs ks) cur)); [right; reflexivity|left; reflexivity].
Qed.
(** ** Rights at the end of a resolution *)

(** The write right, alone. *)
Definition Wr : Rights := mkRights false true false.

Lemma rle_Wr : forall k, cap_write k = true -> rle Wr (rights_of k).
Proof. intros k W. unfold rle, Wr, rights_of; cbn; repeat split; intro H; discriminate || exact W. Qed.

Lemma rmeet_assoc : forall a b c, rmeet a (rmeet b c) = rmeet (rmeet a b) c.
Proof. intros [] [] []; unfold rmeet; cbn; rewrite !andb_assoc; reflexivity. Qed.

(** Behind a valid forwarder capability [k], a chain from its target is a
    chain from [k], with [k]'s rights met in. *)
Lemma chain_through : forall st k t o a,
  cap_valid st k = true -> cap_type k = OT_FORWARDER -> t = fw st (cap_obj k) ->
  chain st t o a -> chain st k o (rmeet (rights_of k) a).
Proof.
  intros st k t o a V T -> C. induction C as [Vt|w a C IH Tw Vw].
  - apply ch_fwd; [apply ch_here; exact V| |exact Vt].
    destruct (cap_valid_parts st k V) as [Tk _]. rewrite Tk. exact T.
  - rewrite rmeet_assoc. apply ch_fwd; auto.
Qed.

(** What [resolve_chain] returns is at the end of a chain from [k], with
    exactly the rights it returns. *)
Lemma resolve_chain_chain : forall st n k r,
  cap_valid st k = true -> resolve_chain st n k = Ok r -> chain st k (cap_obj r) (rights_of r).
Proof.
  intros st n. induction n as [|n IH]; intros k r V H; simpl in H.
  - destruct (ot_eqb (cap_type k) OT_FORWARDER); [discriminate|].
    inversion H; subst. apply ch_here; exact V.
  - destruct (ot_eqb (cap_type k) OT_FORWARDER) eqn:F; [|inversion H; subst; apply ch_here; exact V].
    apply ot_eqb_eq in F. unfold bind, guard in H.
    destruct (cap_valid st (fw st (cap_obj k))) eqn:Vt; [|discriminate].
    destruct (resolve_chain st n (fw st (cap_obj k))) as [r'|] eqn:R'; [|discriminate].
    inversion H; subst r; clear H.
    pose proof (chain_through st k _ _ _ V F eq_refl (IH _ _ Vt R')) as C.
    replace (rights_of (restrict r' (cap_read k) (cap_write k) (cap_grant k)))
      with (rmeet (rights_of k) (rights_of r')).
    + exact C.
    + unfold rmeet, rights_of, restrict; cbn. f_equal; apply andb_comm.
Qed.

Lemma invoke_lookup_holds : forall st cs s t nr nw k,
  invoke_lookup st cs s t nr nw = Ok k -> cap_write k = true -> holds st cs (cap_obj k) Wr.
Proof.
  intros st cs s t nr nw k H W. unfold invoke_lookup in H. peel H.
  apply Ok_inj in H; subst.
  match goal with L : lookup _ _ _ _ _ _ = Ok _ |- _ => apply lookup_ok in L as (-> & Hs & V & _) end.
  exists (rights_of k). split; [|apply rle_Wr; exact W].
  exists s. split; [exact Hs|]. eapply resolve_chain_chain; eauto.
Qed.

(** The read right, alone. *)
Definition Rd : Rights := mkRights true false false.

Lemma rle_Rd : forall k, cap_read k = true -> rle Rd (rights_of k).
Proof. intros k R. unfold rle, Rd, rights_of; cbn; repeat split; intro H; discriminate || exact R. Qed.

Lemma invoke_lookup_holds_r : forall st cs s t nr nw k,
  invoke_lookup st cs s t nr nw = Ok k -> cap_read k = true -> holds st cs (cap_obj k) Rd.
Proof.
  intros st cs s t nr nw k H R. unfold invoke_lookup in H. peel H.
  apply Ok_inj in H; subst.
  match goal with L : lookup _ _ _ _ _ _ = Ok _ |- _ => apply lookup_ok in L as (-> & Hs & V & _) end.
  exists (rights_of k). split; [|apply rle_Rd; exact R].
  exists s. split; [exact Hs|]. eapply resolve_chain_chain; eauto.
Qed.

Lemma invoke_lookup_w : forall st cs s t nr k,
  invoke_lookup st cs s t nr true = Ok k -> holds st cs (cap_obj k) Wr.
Proof.
  intros st cs s t nr k H. eapply invoke_lookup_holds; [exact H|].
  apply invoke_lookup_rights in H as (_ & _ & W). apply W; reflexivity.
Qed.

Lemma invoke_lookup_r : forall st cs s t nw k,
  invoke_lookup st cs s t true nw = Ok k -> holds st cs (cap_obj k) Rd.
Proof.
  intros st cs s t nw k H. eapply invoke_lookup_holds_r; [exact H|].
  apply invoke_lookup_rights in H as (_ & R & _). apply R; reflexivity.
Qed.

Lemma pw_set_reg : forall ps p i v, p_wait (set_reg ps p i v) = p_wait ps.
Proof. reflexivity. Qed.
Lemma pw_proc_ready : forall ps p, p_wait (proc_ready ps p) = p_wait ps.
Proof. reflexivity. Qed.
Lemma pw_deliver_msg : forall ps f t m, p_wait (deliver_msg ps f t m) = p_wait ps.
Proof. reflexivity. Qed.

Lemma ipc_reply_pwait : forall ks cur e ks',
  ipc_reply ks cur = (e, ks') -> p_wait (procs ks') = p_wait (procs ks).
Proof.
  intros ks cur e ks' H. unfold ipc_reply in H.
  destruct (_ : res unit) eqn:G in H; [|inversion H; subst; reflexivity].
  destruct (negb _) in H; inversion H; subst; clear H; [reflexivity|].
  cbn [procs with_procs]. rewrite pw_set_reg, pw_proc_ready, deliver_procs, pw_deliver_msg.
  reflexivity.
Qed.

(** ** Every step of the whole kernel, with who invokes it

    [ACs cs]: an operation invoked through capability space [cs] (the
    decode layer passes the running process's [p_cspace]); [AProc p]: an
    IPC or notification operation of the running process [p] (it acts
    through [p_cspace p]), or a fault of [p]; [AKernel]: what no user
    invokes (scheduler, reaper, interrupt delivery, timer expiry, and the
    architecture layer's [kobj_alloc] and [pt_bind]). *)
Inductive Actor := ACs (cs : nat) | AProc (p : nat) | AKernel.

Definition actor_cs (a : Actor) (ks : KState) : option nat :=
  match a with
  | ACs cs => Some cs
  | AProc p => Some (p_cspace (procs ks) p)
  | AKernel => None
  end.

Inductive kstep_by : Actor -> KState -> KState -> Prop :=
| kb_core : forall ks cs st', cstep_by cs (core ks) st' -> kstep_by (ACs cs) ks (with_core ks st')
| kb_obj_alloc_k : forall ks cs a t d, kstep_by (ACs cs) ks (snd (obj_alloc_k ks cs a t d))
| kb_proc_create : forall ks cs caller a b dst prio e ks',
    proc_create ks cs caller a b dst prio = (e, ks') -> kstep_by (ACs cs) ks ks'
| kb_proc_resume : forall ks cs s, kstep_by (ACs cs) ks (snd (proc_resume ks cs s))
| kb_proc_suspend : forall ks cs s, kstep_by (ACs cs) ks (snd (proc_suspend ks cs s))
| kb_proc_write_reg : forall ks cs s r v, kstep_by (ACs cs) ks (snd (proc_write_reg ks cs s r v))
| kb_proc_set_fault : forall ks cs s es, kstep_by (ACs cs) ks (snd (proc_set_fault ks cs s es))
| kb_kobj_alloc : forall ks cont t e f ks', kobj_alloc ks cont t = (e, f, ks') -> kstep_by AKernel ks ks'
| kb_pt_bind : forall ks f q, kstep_by AKernel ks (pt_bind ks f q)
| kb_proc_reap : forall ks, kstep_by AKernel ks (proc_reap ks)
| kb_waits_cancel : forall ks, kstep_by AKernel ks (waits_cancel ks)
| kb_ipc_send : forall ks cur s c e r ks', ipc_send ks cur s c = (e, r, ks') -> kstep_by (AProc cur) ks ks'
| kb_ipc_send_to : forall ks cur r c, kstep_by (AProc cur) ks (ipc_send_to ks cur r c)
| kb_ipc_recv : forall ks cur s e ks', ipc_recv ks cur s = (e, ks') -> kstep_by (AProc cur) ks ks'
| kb_ipc_reply : forall ks cur e ks', ipc_reply ks cur = (e, ks') -> kstep_by (AProc cur) ks ks'
| kb_ipc_fault : forall ks cur l a b c, kstep_by (AProc cur) ks (snd (ipc_fault ks cur l a b c))
| kb_ntfn_signal : forall ks cs s b, kstep_by (ACs cs) ks (snd (ntfn_signal ks cs s b))
| kb_ntfn_wait : forall ks cur s, kstep_by (AProc cur) ks (snd (ntfn_wait ks cur s))
| kb_ipc_fast_call : forall ks cur, kstep_by (AProc cur) ks (ipc_fast_call ks cur)
| kb_ipc_fast_reply_recv : forall ks cur, kstep_by (AProc cur) ks (ipc_fast_reply_recv ks cur)
| kb_ntfn_fast_signal : forall ks cur, kstep_by (AProc cur) ks (ntfn_fast_signal ks cur)
| kb_sched_pick : forall ks, kstep_by AKernel ks (snd (sched_pick ks))
| kb_sched_tick : forall ks, kstep_by AKernel ks (sched_tick ks)
| kb_irq_handler_create : forall ks cs a b s d,
    kstep_by (ACs cs) ks (snd (irq_handler_create ks cs a b s d))
| kb_irq_set_ntfn : forall ks cs h n, kstep_by (ACs cs) ks (snd (irq_set_ntfn ks cs h n))
| kb_irq_ack : forall ks cs h, kstep_by (ACs cs) ks (snd (irq_ack ks cs h))
| kb_irq_deliver : forall ks s, kstep_by AKernel ks (snd (irq_deliver ks s))
| kb_timer_set : forall ks cs t n d, kstep_by (ACs cs) ks (snd (timer_set ks cs t n d))
| kb_timer_cancel : forall ks cs t, kstep_by (ACs cs) ks (snd (timer_cancel ks cs t))
| kb_timer_fire : forall ks r, kstep_by AKernel ks (snd (timer_fire ks r)).

(** The labels cover [kstep] exactly: every step of the kernel is a
    labelled step and conversely. *)
Theorem kstep_by_kstep : forall a ks ks', kstep_by a ks ks' -> kstep ks ks'.
Proof.
  intros a ks ks' H; destruct H; try (econstructor; eassumption).
  - apply ks_core. eapply cstep_by_step; eassumption.
Qed.

Theorem kstep_labelled : forall ks ks', kstep ks ks' -> exists a, kstep_by a ks ks'.
Proof.
  intros ks ks' H; destruct H;
  [apply step_cstep_by in H as [cs H]; exists (ACs cs); apply kb_core; exact H|..];
  try (eexists; econstructor; eassumption);
  try (eexists; econstructor).
Qed.

(** A process blocked in a send queue (a sender an IPC may deliver from). *)
Definition send_blocked (ks : KState) (p : nat) : Prop :=
  p_state (procs ks) p = PS_SEND \/ p_state (procs ks) p = PS_CALL.

(** The processes whose capabilities a step may deliver by IPC: the
    invoking process itself, or a sender blocked in the send queue of an
    endpoint the invoker holds with the read right (from which a receive
    takes the message). *)
Definition ipc_from (a : Actor) (ks : KState) (p : nat) : Prop :=
  match a with
  | AProc cur =>
      p = cur \/
      exists e, holds (core ks) (p_cspace (procs ks) cur) e Rd /\ send_blocked ks p /\
                p_wait (procs ks) p = e
  | _ => False
  end.

(** What a labelled step does to the core, in one of three shapes. *)
Definition ksrc (a : Actor) (ks ks' : KState) : Prop :=
  effects_none (core ks) (core ks') \/
  (exists c, actor_cs a ks = Some c /\ effects_r c (core ks) (core ks')) \/
  (exists p1 p2 t1 t2 st1, ipc_from a ks p1 /\ ipc_from a ks p2 /\
     delivered (core ks) st1 (p_cspace (procs ks) p1) t1 /\ same_frames (core ks) st1 /\
     delivered st1 (core ks') (p_cspace (procs ks) p2) t2 /\ same_frames st1 (core ks')).

Lemma ksrc_same : forall a ks ks', core ks' = core ks -> ksrc a ks ks'.
Proof. intros a ks ks' E. left. rewrite E. apply effects_none_refl. Qed.

Lemma ksrc_one : forall a ks ks' p t, ipc_from a ks p ->
  delivered (core ks) (core ks') (p_cspace (procs ks) p) t -> same_frames (core ks) (core ks') ->
  ksrc a ks ks'.
Proof.
  intros a ks ks' p t F D S. right; right.
  exists p, p, t, t, (core ks). split; [exact F|split; [exact F|]].
  split; [apply delivered_refl|split; [apply same_frames_refl|split; assumption]].
Qed.

Lemma ksrc_core_eq : forall a ks k1 k2, core k2 = core k1 -> ksrc a ks k1 -> ksrc a ks k2.
Proof. intros a ks k1 k2 E H. unfold ksrc in *. rewrite E. exact H. Qed.

Lemma core_with_procs : forall ks ps, core (with_procs ks ps) = core ks.
Proof. reflexivity. Qed.
Lemma core_with_core : forall ks st, core (with_core ks st) = st.
Proof. reflexivity. Qed.
Lemma pc_msg_load : forall ps p b, p_cspace (msg_load ps p b) = p_cspace ps.
Proof. reflexivity. Qed.
Lemma procs_with_procs : forall ks ps, procs (with_procs ks ps) = ps.
Proof. reflexivity. Qed.

Lemma obj_alloc_k_core : forall ks cs a t d,
  core (snd (obj_alloc_k ks cs a t d)) = snd (obj_alloc (core ks) cs a t d).
Proof.
  intros. unfold obj_alloc_k. destruct (obj_alloc (core ks) cs a t d) as [e st'] eqn:E.
  destruct e; destruct (lowest_free (core ks)); try reflexivity.
  destruct (is_type st' n OT_NOTIFICATION); reflexivity.
Qed.

Lemma proc_create_effects : forall ks cs caller a b dst prio e ks',
  proc_create ks cs caller a b dst prio = (e, ks') -> effects_r cs (core ks) (core ks').
Proof.
  intros ks cs caller a b dst prio e ks' H. unfold proc_create, kcommit in H.
  destruct (_ : res KState) eqn:R in H; inversion H; subst; clear H;
    [|apply effects_none_r, effects_none_refl].
  peel R. apply Ok_inj in R; subst. cbn [core].
  match goal with L : lookup _ _ _ (Some OT_CONTAINER) false true = Ok _ |- _ =>
    pose proof (lookup_creator _ _ _ _ L) as Cr end.
  match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [Hf Ff] end.
  eapply alloc_effects_gen; eauto.
  - intros x Nx. cbn. apply upd_neq; exact Nx.
  - intros. apply make_object_caps.
  - intros v Nv. cbn. apply upd_neq; exact Nv.
  - left. cbn. apply upd_eq.
Qed.

Lemma kobj_alloc_none : forall ks cont t e f ks',
  kobj_alloc ks cont t = (e, f, ks') -> effects_none (core ks) (core ks').
Proof.
  intros ks cont t e f ks' H. unfold kobj_alloc in H.
  destruct (_ : res (nat * State)) eqn:R in H; [destruct p|]; inversion H; subst; clear H;
    [|apply effects_none_refl].
  peel R. apply Ok_inj in R. inversion R; subst; clear R. cbn [core with_core].
  match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [Hf Ff] end.
  split; [|split].
  - apply (safe_alloc _ _ f); [exact Ff|reflexivity|intros x Nx; cbn; apply upd_neq; exact Nx].
  - intros. apply make_object_caps.
  - intros v. cbn [fw make_object charge with_usage_own]. unfold upd.
    destruct (Nat.eqb_spec v f) as [->|Nv]; [right; reflexivity|left; split; [reflexivity|]].
    cbn [frame_type make_object charge with_usage_own]. unfold upd.
    destruct (Nat.eqb_spec v f); [contradiction|auto].
Qed.

Lemma reap_pts_none : forall ks n, effects_none (core ks) (reap_pts ks n).
Proof.
  intros ks n; induction n as [|n IH]; cbn [reap_pts]; [apply effects_none_refl|].
  destruct (pt_orphan _ n); [|exact IH].
  eapply effects_none_trans; [exact IH|apply effects_none_free].
Qed.

Lemma irq_handler_create_effects : forall ks cs a b s d,
  effects_r cs (core ks) (core (snd (irq_handler_create ks cs a b s d))).
Proof.
  intros ks cs a b s d. unfold irq_handler_create, kcommit. cbn [bind guard].
  destruct (cspace_ok _ _); [|apply effects_none_r, effects_none_refl]. cbn [bind].
  destruct (lookup _ _ _ _ _ _); cbn [bind]; [|apply effects_none_r, effects_none_refl].
  destruct (_ && _); cbn [bind]; [|apply effects_none_r, effects_none_refl].
  destruct (negb _); cbn [bind]; [|apply effects_none_r, effects_none_refl].
  destruct (handler_alloc (core ks) cs b d) as [e st'] eqn:T.
  destruct e; try (apply effects_none_r, effects_none_refl). cbn [snd core].
  eapply alloc_object_effects; exact T.
Qed.

Lemma ipc_fast_call_core : forall ks cur,
  core (ipc_fast_call ks cur) = core (snd (ipc_send_full ks cur (N.to_nat (p_regs (procs ks) cur A0)) 1)).
Proof.
  intros. unfold ipc_fast_call.
  destruct (ipc_send_full ks cur _ 1) as [e1 ks1]. reflexivity.
Qed.

Lemma ntfn_fast_signal_core : forall ks cur, core (ntfn_fast_signal ks cur) = core ks.
Proof.
  intros ks cur. unfold ntfn_fast_signal.
  pose proof (ntfn_signal_core ks (p_cspace (procs ks) cur)
                (N.to_nat (p_regs (procs ks) cur A0)) (p_regs (procs ks) cur A1)) as C.
  destruct (ntfn_signal ks _ _ _) as [e ks1]. cbn [snd] in C. rewrite core_with_procs. exact C.
Qed.

Lemma ipc_send_full_ksrc : forall ks cur slot c e ks',
  ipc_send_full ks cur slot c = (e, ks') -> ksrc (AProc cur) ks ks'.
Proof.
  intros ks cur slot c e ks' H.
  apply ipc_send_full_info in H as [E|(ep & r & ks1 & _ & _ & _ & _ & -> & E)];
    [apply ksrc_same; exact E|].
  destruct (deliver_delivered (with_procs ks (msg_load (procs ks) cur (cap_badge ep))) cur r)
    as [D S].
  rewrite core_with_procs, procs_with_procs, !pc_msg_load in D.
  rewrite core_with_procs in S. rewrite <- E in D, S.
  eapply ksrc_one; [left; reflexivity|exact D|exact S].
Qed.

Lemma ipc_recv_ksrc : forall ks cur slot e ks',
  ipc_recv ks cur slot = (e, ks') ->
  core ks' = core ks \/
  exists s, (exists e, holds (core ks) (p_cspace (procs ks) cur) e Rd /\ send_blocked ks s /\
                       p_wait (procs ks) s = e) /\
    delivered (core ks) (core ks') (p_cspace (procs ks) s) (p_cspace (procs ks) cur) /\
    same_frames (core ks) (core ks').
Proof.
  intros ks cur slot e ks' H.
  apply ipc_recv_info in H as [E|(ep & s & _ & L & W & E)]; [left; exact E|right].
  exists s. apply waits_on_parts in W as (St & Wt & _).
  split; [exists (cap_obj ep); split; [eapply invoke_lookup_r; exact L|split; [destruct St; [left|right]; assumption|exact Wt]]|].
  rewrite E. apply deliver_delivered.
Qed.

Lemma ipc_reply_ksrc : forall ks cur e ks',
  ipc_reply ks cur = (e, ks') ->
  core ks' = core ks \/
  (delivered (core ks) (core ks') (p_cspace (procs ks) cur)
     (p_cspace (procs ks) (p_reply_to (procs ks) cur)) /\ same_frames (core ks) (core ks')).
Proof.
  intros ks cur e ks' H.
  apply ipc_reply_info in H as [E|(_ & _ & ks2 & C & P & E)]; [left; exact E|right].
  destruct (deliver_delivered ks2 cur (p_reply_to (procs ks) cur)) as [D S].
  rewrite C, P, <- E in D. rewrite C, <- E in S. split; assumption.
Qed.

Theorem kstep_ksrc : forall a ks ks', kstep_by a ks ks' -> ksrc a ks ks'.
Proof.
  intros a ks ks' H; destruct H.
  - right; left. exists cs. split; [reflexivity|]. rewrite core_with_core.
    apply cstep_effects; assumption.
  - right; left. exists cs. split; [reflexivity|]. rewrite obj_alloc_k_core.
    apply cstep_effects. eapply cb_obj_alloc. apply surjective_pairing.
  - right; left. exists cs. split; [reflexivity|]. eapply proc_create_effects; eassumption.
  - apply ksrc_same, proc_resume_core.
  - apply ksrc_same, proc_suspend_core.
  - apply ksrc_same, proc_write_reg_core.
  - apply ksrc_same, proc_set_fault_core.
  - left. eapply kobj_alloc_none; eassumption.
  - apply ksrc_same. reflexivity.
  - left. exact (reap_pts_none _ NFRAMES).
  - apply ksrc_same. reflexivity.
  - apply ksrc_same. apply ipc_send_info in H. apply H.
  - destruct (deliver_delivered ks cur r) as [D S].
    rewrite <- ipc_send_to_core with (c := c) in D, S.
    eapply ksrc_one; [left; reflexivity|exact D|exact S].
  - apply ipc_recv_ksrc in H as [E|(s' & B & D & S)]; [apply ksrc_same; exact E|].
    eapply ksrc_one; [right; exact B|exact D|exact S].
  - apply ipc_reply_ksrc in H as [E|(D & S)]; [apply ksrc_same; exact E|].
    eapply ksrc_one; [left; reflexivity|exact D|exact S].
  - apply ksrc_same, ipc_fault_core.
  - apply ksrc_same, ntfn_signal_core.
  - apply ksrc_same, ntfn_wait_core.
  - pose proof (ipc_fast_call_core ks cur) as E.
    destruct (ipc_send_full ks cur _ 1) as [e1 ks1] eqn:F. cbn [snd] in E.
    apply ipc_send_full_ksrc in F.
    destruct F as [N|[(c & A & R)|(p1 & p2 & t1 & t2 & st1 & F1 & F2 & D1 & S1 & D2 & S2)]];
      rewrite <- E in *; [left; exact N|right; left; exists c; auto|].
    right; right. exists p1, p2, t1, t2, st1. auto 10.
  - (* the reply, then the receive *)
    unfold ipc_fast_reply_recv.
    destruct (ipc_reply ks cur) as [e1 ks1] eqn:E1.
    destruct (ipc_recv ks1 cur _) as [e2 ks2] eqn:E2.
    unfold keep_msg.
    match goal with |- ksrc _ _ ?K =>
      apply (ksrc_core_eq _ _ ks2 K); [rewrite !core_with_procs; reflexivity|] end.
    destruct (ipc_reply_procs _ _ _ _ E1) as [P1 St1].
    assert (R1 : exists st1, delivered (core ks) st1 (p_cspace (procs ks) cur)
                  (p_cspace (procs ks) (p_reply_to (procs ks) cur)) /\
                  same_frames (core ks) st1 /\ st1 = core ks1).
    { apply ipc_reply_ksrc in E1 as [E|(D & S)].
      - exists (core ks1). rewrite E. split; [apply delivered_refl|split; [apply same_frames_refl|reflexivity]].
      - exists (core ks1). auto. }
    destruct R1 as (st1 & D1 & S1 & ->).
    apply ipc_recv_ksrc in E2 as [E|(s' & B & D2 & S2)].
    + right; right. exists cur, cur, (p_cspace (procs ks) (p_reply_to (procs ks) cur)),
        (p_cspace (procs ks) cur), (core ks1).
      split; [left; reflexivity|split; [left; reflexivity|]].
      split; [exact D1|split; [exact S1|]]. rewrite E.
      split; [apply delivered_refl|apply same_frames_refl].
    + right; right. exists cur, s', (p_cspace (procs ks) (p_reply_to (procs ks) cur)),
        (p_cspace (procs ks1) cur), (core ks1).
      split; [left; reflexivity|split; [right|]].
      * destruct B as (e0 & Hh & B & Wt). exists e0. split; [|split].
        -- rewrite P1 in Hh. destruct (ipc_reply_ksrc _ _ _ _ E1) as [C|(D & S)];
             [rewrite C in Hh; exact Hh|].
           destruct (delivered_confined _ _ _ _ _ _ _ D S Hh) as [H0|[_ G]];
             [exact H0|apply granted_holds; exact G].
        -- destruct B as [B|B]; destruct (St1 s') as [E|E]; rewrite E in B;
             try discriminate; [left|right]; exact B.
        -- rewrite (ipc_reply_pwait _ _ _ _ E1) in Wt. exact Wt.
      * rewrite P1 in D2 |- *. split; [exact D1|split; [exact S1|split; [exact D2|exact S2]]].
  - apply ksrc_same, ntfn_fast_signal_core.
  - apply ksrc_same, (proj1 (sched_core ks)).
  - apply ksrc_same, (proj2 (sched_core ks)).
  - right; left. exists cs. split; [reflexivity|]. apply irq_handler_create_effects.
  - apply ksrc_same, irq_set_ntfn_core.
  - apply ksrc_same, irq_ack_core.
  - apply ksrc_same, irq_deliver_core.
  - apply ksrc_same, timer_set_core.
  - apply ksrc_same, timer_cancel_core.
  - apply ksrc_same, timer_fire_core.
Qed.

(** ** Item 1: authority confinement, rights-aware, one step *)

(** Where a step's new authority over [o] (with rights [r]) may come
    from: the invoker's capability space held it with those rights; or an
    IPC sender (the invoker, or a process blocked sending on an endpoint
    the invoker holds with read) held it through a capability with the
    grant right; or [o] is created by this step,
    paid from a container the invoker holds with the write right. *)
Definition source (a : Actor) (ks : KState) (o : nat) (r : Rights) : Prop :=
  (exists c, actor_cs a ks = Some c /\ holds (core ks) c o r) \/
  (exists p, ipc_from a ks p /\ granted (core ks) (p_cspace (procs ks) p) o r) \/
  (frame_type (core ks) o = OT_FREE /\ exists c, actor_cs a ks = Some c /\ creator (core ks) c).

Theorem kstep_confined : forall a ks ks' x o r,
  caps_inv (core ks) -> kstep_by a ks ks' -> holds (core ks') x o r ->
  holds (core ks) x o r \/ source a ks o r.
Proof.
  intros a ks ks' x o r I S H.
  destruct (kstep_ksrc a ks ks' S)
    as [N|[(c & A & E)|(p1 & p2 & t1 & t2 & st1 & F1 & F2 & D1 & S1 & D2 & S2)]].
  - left. eapply effects_none_confined; eauto.
  - destruct (effects_r_confined c _ _ x o r I E H) as [H1|[H1|[F Cr]]];
      [left; exact H1|right; left; exists c; auto|right; right; right; split; [exact F|exists c; auto]].
  - destruct (delivered_confined _ _ _ _ x o r D2 S2 H) as [H1|[_ G1]].
    + destruct (delivered_confined _ _ _ _ x o r D1 S1 H1) as [H0|[_ G0]];
        [left; exact H0|right; right; left; exists p1; auto].
    + destruct (granted_delivered _ _ _ _ _ o r D1 S1 G1) as [G0|G0];
        right; right; left; [exists p2|exists p1]; auto.
Qed.

(** Kernel steps ([AKernel]: scheduler, reaper, interrupts, timer
    expiry, [kobj_alloc], [pt_bind]) give no capability space any new
    authority. *)
Corollary kernel_step_no_authority : forall ks ks' x o r,
  caps_inv (core ks) -> kstep_by AKernel ks ks' -> holds (core ks') x o r -> holds (core ks) x o r.
Proof.
  intros ks ks' x o r I S H.
  destruct (kstep_confined _ _ _ x o r I S H) as [H0|[(c & A & _)|[(p & F & _)|(_ & c & A & _)]]];
  [exact H0|discriminate|destruct F|discriminate].
Qed.

(** The same for the steps of one process [p]: those it invokes as the
    running process, and those invoked through its capability space (the
    decode layer passes [p_cspace p] to the core operations). *)
Definition pstep (p : nat) (ks ks' : KState) : Prop :=
  kstep_by (AProc p) ks ks' \/ kstep_by (ACs (p_cspace (procs ks) p)) ks ks'.

Corollary pstep_confined : forall p ks ks' x o r,
  caps_inv (core ks) -> pstep p ks ks' -> holds (core ks') x o r ->
  holds (core ks) x o r \/
  holds (core ks) (p_cspace (procs ks) p) o r \/
  (exists q, (q = p \/ exists e, holds (core ks) (p_cspace (procs ks) p) e Rd /\
                                  send_blocked ks q /\ p_wait (procs ks) q = e) /\
             granted (core ks) (p_cspace (procs ks) q) o r) \/
  (frame_type (core ks) o = OT_FREE /\ creator (core ks) (p_cspace (procs ks) p)).
Proof.
  intros p ks ks' x o r I [S|S] H;
  destruct (kstep_confined _ _ _ x o r I S H)
    as [H0|[(c & A & Hc)|[(q & F & G)|(Fr & c & A & Cr)]]];
  cbn [actor_cs ipc_from] in *; try (inversion A; subst c);
  try (left; exact H0); try (right; left; exact Hc); try (right; right; right; split; assumption);
  try (right; right; left; exists q; split; assumption); destruct F.
Qed.

(** ** Item 1 over whole runs *)

Inductive krun : KState -> KState -> Prop :=
| kr_done : forall ks, krun ks ks
| kr_step : forall a ks1 ks2 ks3, kstep_by a ks1 ks2 -> krun ks2 ks3 -> krun ks1 ks3.

(** [in_run a k1 k2 ks ks']: the step [k1 -> k2] invoked by [a] is one of
    the steps of the run from [ks] to [ks']. *)
Inductive in_run (a : Actor) (k1 k2 : KState) : KState -> KState -> Prop :=
| ir_here : forall ks3, kstep_by a k1 k2 -> krun k2 ks3 -> in_run a k1 k2 k1 ks3
| ir_later : forall b ks1 ks2 ks3, kstep_by b ks1 ks2 -> in_run a k1 k2 ks2 ks3 ->
    in_run a k1 k2 ks1 ks3.

Lemma krun_Invariant : forall ks ks', Invariant (core ks) -> krun ks ks' -> Invariant (core ks').
Proof.
  intros ks ks' I R. induction R as [|a ks1 ks2 ks3 S R IH]; [exact I|].
  apply IH. eapply kstep_Invariant; [exact I|eapply kstep_by_kstep; exact S].
Qed.

(** Whoever holds [o] with rights [r] at the end of a run held it at its
    start, or there is a step of the run after which it holds it and at
    which the authority came from a [source]: the invoker's capability
    space held [o] with at least [r], or an IPC sender held it through a
    capability with the grant right, or [o] was created paid from a
    container the invoker holds with the write right. *)
Theorem run_confined : forall ks ks' x o r,
  Invariant (core ks) -> krun ks ks' -> holds (core ks') x o r ->
  holds (core ks) x o r \/
  exists a k1 k2, in_run a k1 k2 ks ks' /\ holds (core k2) x o r /\ source a k1 o r.
Proof.
  intros ks ks' x o r I R. induction R as [ks|a ks1 ks2 ks3 S R IH]; intros H; [left; exact H|].
  assert (I2 : Invariant (core ks2))
    by (eapply kstep_Invariant; [exact I|eapply kstep_by_kstep; exact S]).
  destruct (IH I2 H) as [H2|(b & k1 & k2 & IR & H2 & Src)].
  - destruct (kstep_confined a ks1 ks2 x o r (proj1 I) S H2) as [H1|Src]; [left; exact H1|].
    right. exists a, ks1, ks2. split; [apply ir_here; assumption|split; assumption].
  - right. exists b, k1, k2. split; [eapply ir_later; eassumption|split; assumption].
Qed.

(** The set of capability spaces holding [o] with rights [r] grows only
    through its members: over a run in which no step has a [source] for
    [o] with rights [r], no capability space gains it. *)
Corollary no_spread_rights : forall ks ks' o r,
  Invariant (core ks) -> krun ks ks' ->
  (forall a k1 k2, in_run a k1 k2 ks ks' -> ~ source a k1 o r) ->
  forall x, holds (core ks') x o r -> holds (core ks) x o r.
Proof.
  intros ks ks' o r I R N x H.
  destruct (run_confined ks ks' x o r I R H) as [H0|(a & k1 & k2 & IR & _ & Src)];
    [exact H0|exfalso; exact (N a k1 k2 IR Src)].
Qed.

(** From boot: [kboot], then any run. *)
Definition kfrom_boot (ks : KState) : Prop :=
  exists r cs ks0, kboot r cs = (E_OK, ks0) /\ krun ks0 ks.

Lemma kfrom_boot_Invariant : forall ks, kfrom_boot ks -> Invariant (core ks).
Proof.
  intros ks (r & cs & ks0 & B & R). eapply krun_Invariant; [|exact R].
  unfold kboot in B. destruct (kernel_init r cs) as [e st] eqn:K. inversion B; subst.
  eapply kernel_init_Invariant; exact K.
Qed.

(** ** Item 2: IPC transfers, naming the actual sender *)

Lemma deliver_nocaps : forall ks from to,
  p_mcaps (procs ks) from mod 4 = 0 -> core (deliver ks from to) = core ks.
Proof.
  intros ks from to H. unfold deliver, caps_transfer. cbv zeta. rewrite H. cbn [Nat.eqb orb].
  reflexivity.
Qed.

(** A send or call as the kernel runs it ([ipc_send], then [ipc_send_to]
    to the receiver it found; also the call fast path, below): either no
    capability slot changes, or the sender [cur] (the running process,
    live) held a valid capability to the endpoint, through its own
    capability space, resolving with the write (send) right, a receiver
    [r] waits on that very endpoint (at its current generation), and
    every slot that changed lies in [r]'s capability space and holds an
    exact copy (same type, object, generation, badge, rights) of a valid
    capability with the grant right held by [cur]'s capability space;
    when any slot changed, the endpoint capability had the grant right
    too. No frame or forwarder changes. *)
Theorem ipc_send_transfer : forall ks cur slot c e ks',
  ipc_send_full ks cur slot c = (e, ks') ->
  core ks' = core ks \/
  exists ep r, cur_ok ks cur = true /\
    invoke_lookup (core ks) (p_cspace (procs ks) cur) slot OT_ENDPOINT false true = Ok ep /\
    cap_write ep = true /\
    waits_on ks r (cap_obj ep) PS_RECV PS_RECV = true /\
    delivered (core ks) (core ks') (p_cspace (procs ks) cur) (p_cspace (procs ks) r) /\
    same_frames (core ks) (core ks') /\
    (forall x y, cap (core ks') x y <> cap (core ks) x y -> cap_grant ep = true).
Proof.
  intros ks cur slot c e ks' H.
  apply ipc_send_full_info in H as [E|(ep & r & ks1 & Cu & L & G & W & -> & E)];
    [left; exact E|right].
  exists ep, r. split; [exact Cu|split; [exact L|split]].
  { apply invoke_lookup_rights in L as (_ & _ & Wr). apply Wr; reflexivity. }
  split; [exact W|].
  destruct (deliver_delivered (with_procs ks (msg_load (procs ks) cur (cap_badge ep))) cur r)
    as [D S].
  rewrite core_with_procs, procs_with_procs, !pc_msg_load in D.
  rewrite core_with_procs in S. rewrite <- E in D, S.
  split; [exact D|split; [exact S|]].
  intros x y Ne.
  destruct (Nat.eq_dec (p_mcaps (procs (with_procs ks (msg_load (procs ks) cur (cap_badge ep))))
                          cur mod 4) 0) as [Z|Z]; [|exact (G Z)].
  exfalso. apply Ne. rewrite E, deliver_nocaps by exact Z. rewrite core_with_procs. reflexivity.
Qed.

(** The call fast path changes the core exactly as the whole call. *)
Corollary ipc_fast_call_transfer : forall ks cur,
  let slot := N.to_nat (p_regs (procs ks) cur A0) in
  let ks' := ipc_fast_call ks cur in
  core ks' = core ks \/
  exists ep r, cur_ok ks cur = true /\
    invoke_lookup (core ks) (p_cspace (procs ks) cur) slot OT_ENDPOINT false true = Ok ep /\
    cap_write ep = true /\
    waits_on ks r (cap_obj ep) PS_RECV PS_RECV = true /\
    delivered (core ks) (core ks') (p_cspace (procs ks) cur) (p_cspace (procs ks) r) /\
    same_frames (core ks) (core ks') /\
    (forall x y, cap (core ks') x y <> cap (core ks) x y -> cap_grant ep = true).
Proof.
  intros ks cur slot ks'. subst ks'. rewrite ipc_fast_call_core.
  destruct (ipc_send_full ks cur _ 1) as [e1 ks1] eqn:F. cbn [snd].
  exact (ipc_send_transfer _ _ _ _ _ _ F).
Qed.

(** A receive: either no slot changes, or the receiver [cur] (running,
    live) holds the endpoint through its capability space with the read
    right, the sender [s] is a process blocked sending on that very
    endpoint (at its current generation), and every slot that changed
    lies in [cur]'s capability space and holds an exact copy of a valid
    capability with the grant right held by [s]'s capability space.
    (That [s] held the endpoint with the write right was checked when it
    blocked, by [ipc_send]; the state keeps no record of it, so this
    theorem cannot restate it. A fault message, [ipc_fault], names no
    capability.) *)
Theorem ipc_recv_transfer : forall ks cur slot e ks',
  ipc_recv ks cur slot = (e, ks') ->
  core ks' = core ks \/
  exists ep s, cur_ok ks cur = true /\
    invoke_lookup (core ks) (p_cspace (procs ks) cur) slot OT_ENDPOINT true false = Ok ep /\
    cap_read ep = true /\
    send_blocked ks s /\ p_wait (procs ks) s = cap_obj ep /\
    p_wait_gen (procs ks) s = frame_gen (core ks) (cap_obj ep) /\
    delivered (core ks) (core ks') (p_cspace (procs ks) s) (p_cspace (procs ks) cur) /\
    same_frames (core ks) (core ks').
Proof.
  intros ks cur slot e ks' H.
  apply ipc_recv_info in H as [E|(ep & s & Cu & L & W & E)]; [left; exact E|right].
  exists ep, s. split; [exact Cu|split; [exact L|split]].
  { apply invoke_lookup_rights in L as (_ & Rd & _). apply Rd; reflexivity. }
  apply waits_on_parts in W as (St & Wt & Wg).
  split; [destruct St; [left|right]; assumption|split; [exact Wt|split; [exact Wg|]]].
  rewrite E. apply deliver_delivered.
Qed.

(** A reply: either no slot changes, or [cur]'s reply capability names a
    caller waiting for exactly this reply ([reply_valid]: live, blocked
    in [PS_REPLY] on [cur], same generation and ticket), and every slot
    that changed lies in that caller's capability space and holds an
    exact copy of a valid capability with the grant right held by
    [cur]'s capability space. *)
Theorem ipc_reply_transfer : forall ks cur e ks',
  ipc_reply ks cur = (e, ks') ->
  core ks' = core ks \/
  (cur_ok ks cur = true /\ reply_valid ks cur (p_reply_to (procs ks) cur) = true /\
   delivered (core ks) (core ks') (p_cspace (procs ks) cur)
     (p_cspace (procs ks) (p_reply_to (procs ks) cur)) /\
   same_frames (core ks) (core ks')).
Proof.
  intros ks cur e ks' H. pose proof H as H0.
  apply ipc_reply_info in H as [E|(Cu & RV & _)]; [left; exact E|right].
  split; [exact Cu|split; [exact RV|]].
  apply ipc_reply_ksrc in H0 as [E|D]; [|exact D].
  rewrite E. split; [apply delivered_refl|apply same_frames_refl].
Qed.

(** The reply-and-receive fast path is a reply, then a receive from the
    state the reply leaves: the two theorems above apply in turn. *)
Lemma ipc_fast_reply_recv_steps : forall ks cur,
  exists e1 ks1 e2 ks2, ipc_reply ks cur = (e1, ks1) /\
    ipc_recv ks1 cur (N.to_nat (p_regs (procs ks) cur A0)) = (e2, ks2) /\
    core (ipc_fast_reply_recv ks cur) = core ks2.
Proof.
  intros ks cur. unfold ipc_fast_reply_recv.
  destruct (ipc_reply ks cur) as [e1 ks1] eqn:E1.
  destruct (ipc_recv ks1 cur _) as [e2 ks2] eqn:E2.
  exists e1, ks1, e2, ks2. split; [reflexivity|split; [exact E2|]].
  unfold keep_msg. rewrite !core_with_procs. reflexivity.
Qed.

(** Confinement over a receive, naming the sender (replaces the
    existential [ipc_recv_confined]): after it, a capability space holds
    [o] with rights [r] only if it did before, or it is the receiver's
    and the sender blocked on the endpoint the receiver received on held
    [o] with at least [r] through a capability with the grant right. *)
Theorem ipc_recv_confined_sender : forall ks cur slot e ks' x o r,
  ipc_recv ks cur slot = (e, ks') -> holds (core ks') x o r ->
  holds (core ks) x o r \/
  (x = p_cspace (procs ks) cur /\
   exists ep s, invoke_lookup (core ks) (p_cspace (procs ks) cur) slot OT_ENDPOINT true false = Ok ep /\
     send_blocked ks s /\ p_wait (procs ks) s = cap_obj ep /\
     granted (core ks) (p_cspace (procs ks) s) o r).
Proof.
  intros ks cur slot e ks' x o r H Hd.
  apply ipc_recv_transfer in H as [E|(ep & s & _ & L & _ & B & Wt & _ & D & S)].
  - left. rewrite E in Hd. exact Hd.
  - destruct (delivered_confined _ _ _ _ x o r D S Hd) as [H0|[Ex G]]; [left; exact H0|right].
    split; [exact Ex|]. exists ep, s. auto.
Qed.

(** ** Item 3: integrity of capability spaces

    Stated for the system calls as the kernel runs them ([sstep_by]):
    the capability transfers through the decode layer ([sys_cap_copy],
    [sys_cap_mint], [sys_cap_move_caps]: [sys_cap_move]'s capability
    half, VSpace.v [sys_cap_move_sstep]; which check the destination
    capability space: [Decode.dst_cspace]) and a send or call as one
    step ([ipc_send_full]: [ipc_send], then [ipc_send_to] to the receiver
    it found). [kstep] alone also has [cap_copy] with any destination and
    [ipc_send_to] to any process, which the kernel only runs in those
    compositions; [sstep_kstep] says every [sstep_by] is [kstep]s. *)

(** A destination capability space ([Decode.dst_cspace]) is the caller's
    own, one it holds with the write right, or that of a process it holds
    with the write right. *)
Theorem dst_cspace_holds : forall ks cs slot d,
  dst_cspace ks cs slot = Ok d ->
  d = cs \/ holds (core ks) cs d Wr \/
  (exists q, holds (core ks) cs q Wr /\ d = p_cspace (procs ks) q).
Proof.
  intros ks cs slot d H.
  apply dst_cspace_authority in H as [[_ E]|(s & k & r & _ & Hs & L & R & W & C)]; [left; exact E|right].
  apply lookup_ok in L as (-> & _ & V & _).
  assert (Hr : holds (core ks) cs (cap_obj r) Wr).
  { exists (rights_of r). split; [|apply rle_Wr; exact W].
    exists s. split; [exact Hs|]. eapply resolve_chain_chain; eauto. }
  destruct C as [(_ & ->)|(_ & _ & ->)]; [left; exact Hr|right; exists (cap_obj r); auto].
Qed.

(** The system calls as the kernel runs them: as [kstep_by], but the
    capability transfers go through the decode ([sys_cap_copy],
    [sys_cap_mint], [sys_cap_move_caps]) and a send is one step
    ([ipc_send_full]); the other core operations as they are. *)
Inductive sstep_by : Actor -> KState -> KState -> Prop :=
| ss_container_create : forall ks cs a b c e st',
    container_create (core ks) cs a b c = (e, st') -> sstep_by (ACs cs) ks (with_core ks st')
| ss_obj_free : forall ks cs a b e st',
    obj_free (core ks) cs a b = (e, st') -> sstep_by (ACs cs) ks (with_core ks st')
| ss_container_destroy : forall ks cs a b e st',
    container_destroy (core ks) cs a b = (e, st') -> sstep_by (ACs cs) ks (with_core ks st')
| ss_cap_delete : forall ks cs a e st',
    cap_delete (core ks) cs a = (e, st') -> sstep_by (ACs cs) ks (with_core ks st')
| ss_fwd_create : forall ks cs a b c e st',
    fwd_create (core ks) cs a b c = (e, st') -> sstep_by (ACs cs) ks (with_core ks st')
| ss_typed_alloc : forall ks cs a t b e st',
    typed_alloc (core ks) cs a t b = (e, st') -> sstep_by (ACs cs) ks (with_core ks st')
| ss_cap_copy : forall ks cs a0 a1 a2 a3 e ks',
    sys_cap_copy ks cs a0 a1 a2 a3 = (e, ks') -> sstep_by (ACs cs) ks ks'
| ss_cap_mint : forall ks cs a0 a1 a2 a3 a4 e ks',
    sys_cap_mint ks cs a0 a1 a2 a3 a4 = (e, ks') -> sstep_by (ACs cs) ks ks'
| ss_cap_move : forall ks cs a0 a1 a2 e ks',
    sys_cap_move_caps ks cs a0 a1 a2 = (e, ks') -> sstep_by (ACs cs) ks ks'
| ss_obj_alloc_k : forall ks cs a t d, sstep_by (ACs cs) ks (snd (obj_alloc_k ks cs a t d))
| ss_proc_create : forall ks cs caller a b dst prio e ks',
    proc_create ks cs caller a b dst prio = (e, ks') -> sstep_by (ACs cs) ks ks'
| ss_proc_resume : forall ks cs s, sstep_by (ACs cs) ks (snd (proc_resume ks cs s))
| ss_proc_suspend : forall ks cs s, sstep_by (ACs cs) ks (snd (proc_suspend ks cs s))
| ss_proc_write_reg : forall ks cs s r v, sstep_by (ACs cs) ks (snd (proc_write_reg ks cs s r v))
| ss_proc_set_fault : forall ks cs s es, sstep_by (ACs cs) ks (snd (proc_set_fault ks cs s es))
| ss_kobj_alloc : forall ks cont t e f ks', kobj_alloc ks cont t = (e, f, ks') -> sstep_by AKernel ks ks'
| ss_pt_bind : forall ks f q, sstep_by AKernel ks (pt_bind ks f q)
| ss_proc_reap : forall ks, sstep_by AKernel ks (proc_reap ks)
| ss_waits_cancel : forall ks, sstep_by AKernel ks (waits_cancel ks)
| ss_ipc_send : forall ks cur s c e ks', ipc_send_full ks cur s c = (e, ks') -> sstep_by (AProc cur) ks ks'
| ss_ipc_recv : forall ks cur s e ks', ipc_recv ks cur s = (e, ks') -> sstep_by (AProc cur) ks ks'
| ss_ipc_reply : forall ks cur e ks', ipc_reply ks cur = (e, ks') -> sstep_by (AProc cur) ks ks'
| ss_ipc_fault : forall ks cur l a b c, sstep_by (AProc cur) ks (snd (ipc_fault ks cur l a b c))
| ss_ntfn_signal : forall ks cs s b, sstep_by (ACs cs) ks (snd (ntfn_signal ks cs s b))
| ss_ntfn_wait : forall ks cur s, sstep_by (AProc cur) ks (snd (ntfn_wait ks cur s))
| ss_ipc_fast_call : forall ks cur, sstep_by (AProc cur) ks (ipc_fast_call ks cur)
| ss_ipc_fast_reply_recv : forall ks cur, sstep_by (AProc cur) ks (ipc_fast_reply_recv ks cur)
| ss_ntfn_fast_signal : forall ks cur, sstep_by (AProc cur) ks (ntfn_fast_signal ks cur)
| ss_sched_pick : forall ks, sstep_by AKernel ks (snd (sched_pick ks))
| ss_sched_tick : forall ks, sstep_by AKernel ks (sched_tick ks)
| ss_irq_handler_create : forall ks cs a b s d,
    sstep_by (ACs cs) ks (snd (irq_handler_create ks cs a b s d))
| ss_irq_set_ntfn : forall ks cs h n, sstep_by (ACs cs) ks (snd (irq_set_ntfn ks cs h n))
| ss_irq_ack : forall ks cs h, sstep_by (ACs cs) ks (snd (irq_ack ks cs h))
| ss_irq_deliver : forall ks s, sstep_by AKernel ks (snd (irq_deliver ks s))
| ss_timer_set : forall ks cs t n d, sstep_by (ACs cs) ks (snd (timer_set ks cs t n d))
| ss_timer_cancel : forall ks cs t, sstep_by (ACs cs) ks (snd (timer_cancel ks cs t))
| ss_timer_fire : forall ks r, sstep_by AKernel ks (snd (timer_fire ks r)).

Lemma with_core_same : forall ks, with_core ks (core ks) = ks.
Proof. intros [c p i]; reflexivity. Qed.

(** The shape of a system call, the one case analysis of [sstep_by]
    the lemmas about it share ([sstep_krun], [sstep_ksrc], and
    [VRuns.sstep_fw]): a refused decode (no change), one labelled
    [kstep] by the same invoker (the core operations, the decoded
    transfers once their decode passed, and every other call), or a
    whole send ([ipc_send_full]: [ipc_send], then [ipc_send_to] if a
    receiver was waiting). *)
Lemma sstep_kstep : forall a ks ks', sstep_by a ks ks' ->
  ks' = ks \/ kstep_by a ks ks' \/
  exists cur s c e, a = AProc cur /\ ipc_send_full ks cur s c = (e, ks').
Proof.
  intros a ks ks' H.
  destruct H; try (right; left; solve [econstructor; eassumption|econstructor]).
  - right; left; apply kb_core; eapply cb_container_create; eassumption.
  - right; left; apply kb_core; eapply cb_obj_free; eassumption.
  - right; left; apply kb_core; eapply cb_container_destroy; eassumption.
  - right; left; apply kb_core; eapply cb_cap_delete; eassumption.
  - right; left; apply kb_core; eapply cb_fwd_create; eassumption.
  - right; left; apply kb_core; eapply cb_typed_alloc; eassumption.
  - unfold sys_cap_copy in H. destruct (rights_unpack a3) as [[[r w] g]|e']; [|inversion H; left; reflexivity].
    destruct (dst_cspace ks cs a1) as [d|e']; [|inversion H; left; reflexivity].
    unfold core_op in H. destruct (cap_copy _ _ _ _ _ _ _ _) as [e1 st1] eqn:C. inversion H; subst.
    right; left; apply kb_core; eapply cb_cap_copy; exact C.
  - unfold sys_cap_mint in H. destruct (rights_unpack a3) as [[[r w] g]|e']; [|inversion H; left; reflexivity].
    destruct (dst_cspace ks cs a1) as [d|e']; [|inversion H; left; reflexivity].
    unfold core_op in H. destruct (cap_mint _ _ _ _ _ _ _ _ _) as [e1 st1] eqn:C. inversion H; subst.
    right; left; apply kb_core; eapply cb_cap_mint; exact C.
  - unfold sys_cap_move_caps in H.
    destruct (dst_cspace ks cs a1) as [d|e']; [|inversion H; left; reflexivity].
    unfold core_op in H. destruct (cap_move _ _ _ _ _) as [e1 st1] eqn:C. inversion H; subst.
    right; left; apply kb_core; eapply cb_cap_move; exact C.
  - right; right. exists cur, s, c, e. split; [reflexivity|exact H].
Qed.

(** Every system-call step is a run of labelled [kstep]s by the same
    invoker (none, one or two). *)
Theorem sstep_krun : forall a ks ks', sstep_by a ks ks' -> krun ks ks'.
Proof.
  intros a ks ks' H.
  assert (One : forall b k1 k2, kstep_by b k1 k2 -> krun k1 k2)
    by (intros; eapply kr_step; [eassumption|apply kr_done]).
  destruct (sstep_kstep a ks ks' H) as [->|[K|(cur & s & c & e & _ & F)]];
    [apply kr_done|exact (One _ _ _ K)|].
  unfold ipc_send_full in F. destruct (ipc_send ks cur s c) as [[e1 r] ks1] eqn:E.
  destruct (Nat.eqb r NO_PROC); inversion F; subst.
  + eapply One; eapply kb_ipc_send; exact E.
  + eapply kr_step; [eapply kb_ipc_send; exact E|]. eapply One. apply kb_ipc_send_to.
Qed.

(** The capability spaces whose slots a step of [a] may change: its own;
    one it holds with the write right, or the capability space of a
    process it holds with the write right (a transfer's destination); the
    capability space of a process waiting to receive on an endpoint it
    holds with the write right (a send's receiver); for a process, that
    of the caller waiting for its reply (its reply capability). *)
Definition may_write (a : Actor) (ks : KState) (x : nat) : Prop :=
  match actor_cs a ks with
  | None => False
  | Some c =>
      x = c \/ holds (core ks) c x Wr \/
      (exists q, holds (core ks) c q Wr /\ x = p_cspace (procs ks) q) \/
      (exists q e, holds (core ks) c e Wr /\ waits_on ks q e PS_RECV PS_RECV = true /\
                   x = p_cspace (procs ks) q) \/
      (exists p, a = AProc p /\ reply_valid ks p (p_reply_to (procs ks) p) = true /\
                 x = p_cspace (procs ks) (p_reply_to (procs ks) p))
  end.

(** A slot that changed is one of [x]'s, where [x] is the frame allocated
    (it was free) or [cs]. *)
Lemma alloc_writes : forall st st1 cs d k f x y,
  frame_type st f = OT_FREE -> cap st1 = upd (cap st) f (fun _ => null_cap) ->
  cap (set_cap st1 cs d k) x y = cap st x y \/ x = cs \/ frame_type st x = OT_FREE.
Proof.
  intros st st1 cs d k f x y Ff C.
  destruct (Nat.eq_dec x cs) as [->|Nx]; [right; left; reflexivity|].
  rewrite set_cap_other by congruence. rewrite C. unfold upd.
  destruct (Nat.eqb_spec x f) as [->|Nf]; [right; right; exact Ff|left; reflexivity].
Qed.

Lemma alloc_object_writes : forall st cs a rt d e st' x y,
  alloc_object st cs a rt d = (e, st') ->
  cap st' x y = cap st x y \/ x = cs \/ frame_type st x = OT_FREE.
Proof.
  intros st cs a rt d e st' x y H. unfold alloc_object in H.
  apply commit_cases in H as [[H _]| ->]; [|left; reflexivity].
  peel H. apply Ok_inj in H; subst st'.
  match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [Hf Ff] end.
  eapply alloc_writes; [exact Ff|reflexivity].
Qed.

Lemma free_writes : forall st o x y,
  cap (free_frame (uncharge st (frame_owner st o)) o) x y = cap st x y \/
  frame_type (free_frame (uncharge st (frame_owner st o)) o) x <> OT_CSPACE.
Proof.
  intros st o x y. cbn [cap frame_type free_frame uncharge with_usage_own]. unfold upd.
  destruct (Nat.eqb_spec x o); [right; unfold bumped_type; destruct (N.eqb _ _); discriminate|auto].
Qed.

Lemma destroy_pass_writes : forall st t n x y,
  cap (destroy_pass st t n) x y = cap st x y \/ frame_type (destroy_pass st t n) x <> OT_CSPACE.
Proof.
  intros st t n x y. induction n as [|n IH]; cbn [destroy_pass]; [left; reflexivity|].
  destruct (doomed _ t n); [|exact IH].
  cbn [cap frame_type free_frame]. unfold upd.
  destruct (Nat.eqb_spec x n); [right; unfold bumped_type; destruct (N.eqb _ _); discriminate|exact IH].
Qed.

Lemma reap_pts_writes : forall ks n x y,
  cap (reap_pts ks n) x y = cap (core ks) x y \/ frame_type (core ks) x = OT_PAGETABLE.
Proof.
  intros ks n x y. induction n as [|n IH]; cbn [reap_pts]; [left; reflexivity|].
  destruct (pt_orphan _ n) eqn:P; [|exact IH].
  cbn [cap free_frame uncharge with_usage_own]. unfold upd.
  destruct (Nat.eqb_spec x n) as [->|Nx]; [|exact IH].
  right. unfold pt_orphan in P. apply andb_true_iff in P as [T _]. cbn [core] in T.
  unfold is_type in T. apply ot_eqb_eq in T.
  destruct (ot_eqb (frame_type (core ks) n) OT_PAGETABLE) eqn:D; [apply ot_eqb_eq in D; exact D|].
  exfalso. assert (ND : frame_type (core ks) n <> OT_PAGETABLE)
    by (intro E; apply ot_eqb_eq in E; congruence).
  destruct (reap_pts_other ks n n ND) as [T' _]. congruence.
Qed.

Lemma delivered_writes : forall st st' f t x y,
  delivered st st' f t -> cap st' x y = cap st x y \/ x = t.
Proof. intros st st' f t x y D. destruct (D x y) as [E|(E & _)]; auto. Qed.

Lemma irq_handler_create_writes : forall ks cs a b s d x y,
  cap (core (snd (irq_handler_create ks cs a b s d))) x y = cap (core ks) x y \/
  x = cs \/ frame_type (core ks) x = OT_FREE.
Proof.
  intros ks cs a b s d x y. unfold irq_handler_create, kcommit. cbn [bind guard].
  destruct (cspace_ok _ _); [|left; reflexivity]. cbn [bind].
  destruct (lookup _ _ _ _ _ _); cbn [bind]; [|left; reflexivity].
  destruct (_ && _); cbn [bind]; [|left; reflexivity].
  destruct (negb _); cbn [bind]; [|left; reflexivity].
  destruct (handler_alloc (core ks) cs b d) as [e st'] eqn:T.
  destruct e; try (left; reflexivity). cbn [snd core].
  eapply alloc_object_writes; exact T.
Qed.

Lemma free_not_cspace : forall st x, frame_type st x = OT_FREE -> frame_type st x <> OT_CSPACE.
Proof. intros st x F. rewrite F. discriminate. Qed.

(** Integrity of capability spaces: a system call of [a] changes a slot
    only in a capability space [a] may write ([may_write]), or in a frame
    that is not a capability space before or after the step (one it
    allocates, which was free, or one it destroys: [Main.destruction_confined]
    says which; the reaper's page tables). Kernel steps change no
    capability space's slots. *)
Theorem sstep_integrity : forall a ks ks', sstep_by a ks ks' ->
  forall x y, cap (core ks') x y = cap (core ks) x y \/ may_write a ks x \/
    frame_type (core ks) x <> OT_CSPACE \/ frame_type (core ks') x <> OT_CSPACE.
Proof.
  intros a ks ks' H x y.
  assert (Own : forall cs, x = cs -> may_write (ACs cs) ks x) by (intros cs ->; left; reflexivity).
  assert (AW : forall st' cs, (cap st' x y = cap (core ks) x y \/ x = cs \/ frame_type (core ks) x = OT_FREE) ->
     cap st' x y = cap (core ks) x y \/ may_write (ACs cs) ks x \/
     frame_type (core ks) x <> OT_CSPACE \/ frame_type st' x <> OT_CSPACE).
  { intros st' cs [E|[E|E]]; [left; exact E|right; left; apply Own; exact E|].
    right; right; left; apply free_not_cspace; exact E. }
  destruct H.
  - (* container_create *)
    rewrite core_with_core. apply AW. unfold container_create in H.
    apply commit_cases in H as [[H _]| ->]; [|left; reflexivity].
    peel H. apply Ok_inj in H; subst st'.
    match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [Hf Ff] end.
    eapply alloc_writes; [exact Ff|reflexivity].
  - (* obj_free *)
    rewrite core_with_core. unfold obj_free in H.
    apply commit_cases in H as [[H _]| ->]; [|left; reflexivity].
    peel H. apply Ok_inj in H; subst st'.
    match goal with |- context [free_frame (uncharge ?s1 (frame_owner ?s1 ?o)) ?o] =>
      destruct (free_writes s1 o x y) as [E|E]; [left; exact E|right; right; right; exact E] end.
  - (* container_destroy *)
    rewrite core_with_core. unfold container_destroy in H.
    apply commit_cases in H as [[H _]| ->]; [|left; reflexivity].
    peel H. apply Ok_inj in H; subst st'.
    match goal with |- context [destroy_pass ?s1 ?t ?n] =>
      destruct (destroy_pass_writes s1 t n x y) as [E|E]; [left; exact E|right; right; right; exact E] end.
  - (* cap_delete *)
    rewrite core_with_core. unfold cap_delete in H.
    apply commit_cases in H as [[H _]| ->]; [|left; reflexivity].
    peel H. apply Ok_inj in H; subst st'.
    destruct (Nat.eq_dec x cs) as [->|Nx]; [right; left; apply Own; reflexivity|].
    left. apply set_cap_other. congruence.
  - (* fwd_create *)
    rewrite core_with_core. apply AW. unfold fwd_create in H.
    apply commit_cases in H as [[H _]| ->]; [|left; reflexivity].
    peel H. apply Ok_inj in H; subst st'.
    match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [Hf Ff] end.
    eapply alloc_writes; [exact Ff|reflexivity].
  - rewrite core_with_core. apply AW. eapply alloc_object_writes; exact H.
  - (* sys_cap_copy *)
    apply sys_cap_copy_integrity in H as [_ H]. destruct (H x y) as [E|[D _]]; [left; exact E|right; left].
    apply dst_cspace_holds in D as [D|[D|D]]; [left; exact D|right; left; exact D|right; right; left; exact D].
  - apply sys_cap_mint_integrity in H as [_ H]. destruct (H x y) as [E|[D _]]; [left; exact E|right; left].
    apply dst_cspace_holds in D as [D|[D|D]]; [left; exact D|right; left; exact D|right; right; left; exact D].
  - apply sys_cap_move_integrity in H as [_ H]. destruct (H x y) as [E|[[D _]|[D _]]];
      [left; exact E| |right; left; left; exact D]. right; left.
    apply dst_cspace_holds in D as [D|[D|D]]; [left; exact D|right; left; exact D|right; right; left; exact D].
  - rewrite obj_alloc_k_core. apply AW. eapply alloc_object_writes. apply surjective_pairing.
  - (* proc_create *)
    apply AW. unfold proc_create, kcommit in H.
    destruct (_ : res KState) eqn:R in H; inversion H; subst; clear H; [|left; reflexivity].
    peel R. apply Ok_inj in R; subst. cbn [core].
    match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [Hf Ff] end.
    eapply alloc_writes; [exact Ff|reflexivity].
  - left; rewrite proc_resume_core; reflexivity.
  - left; rewrite proc_suspend_core; reflexivity.
  - left; rewrite proc_write_reg_core; reflexivity.
  - left; rewrite proc_set_fault_core; reflexivity.
  - (* kobj_alloc *)
    unfold kobj_alloc in H.
    destruct (_ : res (nat * State)) eqn:R in H; [destruct p|]; inversion H; subst; clear H;
      [|left; reflexivity].
    peel R. apply Ok_inj in R. inversion R; subst; clear R. cbn [core with_core].
    match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [Hf Ff] end.
    cbn [cap make_object charge with_usage_own]. unfold upd.
    destruct (Nat.eqb_spec x f) as [->|Nx]; [right; right; left; apply free_not_cspace; exact Ff|left; reflexivity].
  - left; reflexivity.
  - (* proc_reap *)
    destruct (reap_pts_writes (with_procs (with_procs ks (reap_states ks))
               (reap_waits (with_procs ks (reap_states ks)) NFRAMES)) NFRAMES x y) as [E|E];
    [left; exact E|right; right; left; cbn [core with_procs] in E; rewrite E; discriminate].
  - (* waits_cancel *) left; reflexivity.
  - (* ipc_send_full *)
    apply ipc_send_transfer in H as [E|(ep & r & _ & L & W & Wt & D & _)]; [left; rewrite E; reflexivity|].
    destruct (delivered_writes _ _ _ _ x y D) as [E|E]; [left; exact E|right; left].
    right; right; right; left. exists r, (cap_obj ep). split; [eapply invoke_lookup_holds; eauto|auto].
  - (* ipc_recv *)
    apply ipc_recv_transfer in H as [E|(ep & s0 & _ & _ & _ & _ & _ & _ & D & _)]; [left; rewrite E; reflexivity|].
    destruct (delivered_writes _ _ _ _ x y D) as [E|E]; [left; exact E|right; left; left; exact E].
  - (* ipc_reply *)
    apply ipc_reply_transfer in H as [E|(_ & RV & D & _)]; [left; rewrite E; reflexivity|].
    destruct (delivered_writes _ _ _ _ x y D) as [E|E]; [left; exact E|right; left].
    right; right; right; right. exists cur. auto.
  - left; rewrite ipc_fault_core; reflexivity.
  - left; rewrite ntfn_signal_core; reflexivity.
  - left; rewrite ntfn_wait_core; reflexivity.
  - (* fast call *)
    destruct (ipc_fast_call_transfer ks cur) as [E|(ep & r & _ & L & W & Wt & D & _)];
      [left; rewrite E; reflexivity|].
    destruct (delivered_writes _ _ _ _ x y D) as [E|E]; [left; exact E|right; left].
    right; right; right; left. exists r, (cap_obj ep). split; [eapply invoke_lookup_holds; eauto|auto].
  - (* fast reply and receive *)
    destruct (ipc_fast_reply_recv_steps ks cur) as (e1 & ks1 & e2 & ks2 & E1 & E2 & C). rewrite C.
    destruct (ipc_reply_procs _ _ _ _ E1) as [P1 _].
    assert (X2 : cap (core ks2) x y = cap (core ks1) x y \/ x = p_cspace (procs ks) cur).
    { apply ipc_recv_transfer in E2 as [E|(ep & s & _ & _ & _ & _ & _ & _ & D & _)];
        [left; rewrite E; reflexivity|].
      rewrite P1 in D. exact (delivered_writes _ _ _ _ x y D). }
    destruct X2 as [X2|X2]; [rewrite X2|right; left; left; exact X2].
    apply ipc_reply_transfer in E1 as [E|(_ & RV & D & _)]; [left; rewrite E; reflexivity|].
    destruct (delivered_writes _ _ _ _ x y D) as [E|E]; [left; exact E|right; left].
    right; right; right; right. exists cur. auto.
  - left; rewrite ntfn_fast_signal_core; reflexivity.
  - left; rewrite (proj1 (sched_core ks)); reflexivity.
  - left; rewrite (proj2 (sched_core ks)); reflexivity.
  - apply AW. apply irq_handler_create_writes.
  - left; rewrite irq_set_ntfn_core; reflexivity.
  - left; rewrite irq_ack_core; reflexivity.
  - left; rewrite irq_deliver_core; reflexivity.
  - left; rewrite timer_set_core; reflexivity.
  - left; rewrite timer_cancel_core; reflexivity.
  - left; rewrite timer_fire_core; reflexivity.
Qed.

(** ** Item 4: isolation *)

(** Every step keeps generations and types safe ([Invariants.safe]: no
    generation goes down; a frame whose generation stays keeps its type,
    or was free). *)
Lemma kstep_safe : forall a ks ks', kstep_by a ks ks' -> safe (core ks) (core ks').
Proof.
  intros a ks ks' H.
  destruct (kstep_ksrc a ks ks' H)
    as [(S & _)|[(c & _ & S & _)|(p1 & p2 & t1 & t2 & st1 & _ & _ & _ & (T1 & G1 & _) & _ & (T2 & G2 & _))]];
  [exact S|exact S|].
  eapply safe_trans; apply safe_same; eassumption.
Qed.

Lemma krun_safe : forall ks ks', krun ks ks' -> safe (core ks) (core ks').
Proof.
  intros ks ks' R. induction R as [ks|a ks1 ks2 ks3 S R IH]; [apply safe_same; reflexivity|].
  eapply safe_trans; [eapply kstep_safe; exact S|exact IH].
Qed.

(** A frame that is a capability space with the same generation at both
    ends of a safe pair of transitions is one in between. *)
Lemma cspace_between : forall st1 st2 st3 x,
  safe st1 st2 -> safe st2 st3 ->
  frame_type st1 x = OT_CSPACE -> frame_type st3 x = OT_CSPACE ->
  frame_gen st3 x = frame_gen st1 x ->
  frame_type st2 x = OT_CSPACE /\ frame_gen st2 x = frame_gen st1 x.
Proof.
  intros st1 st2 st3 x S1 S2 T1 T3 G.
  destruct (S1 x) as [L1 E1], (S2 x) as [L2 E2].
  assert (G2 : frame_gen st2 x = frame_gen st1 x) by lia. split; [|exact G2].
  destruct (E1 G2) as [T|T]; [congruence|congruence].
Qed.

(** The invoker of a step has no write authority reaching the capability
    spaces [B]: it is not one of them; it holds none of them, and no
    process whose capability space is one of them, with the write right
    (through any forwarder chain); it holds with the write right no
    endpoint on which such a process is blocked receiving; and (for a
    process) its reply capability names no such process. Vacuous for the
    kernel's own steps. *)
Definition no_write_chain (ks : KState) (a : Actor) (B : nat -> Prop) : Prop :=
  forall c, actor_cs a ks = Some c ->
    ~ B c /\
    (forall x, B x -> ~ holds (core ks) c x Wr) /\
    (forall q, B (p_cspace (procs ks) q) -> ~ holds (core ks) c q Wr) /\
    (forall q e, B (p_cspace (procs ks) q) -> waits_on ks q e PS_RECV PS_RECV = true ->
                 ~ holds (core ks) c e Wr) /\
    (forall p, a = AProc p -> reply_valid ks p (p_reply_to (procs ks) p) = true ->
               ~ B (p_cspace (procs ks) (p_reply_to (procs ks) p))).

(** A system call whose invoker has no write chain to [B] may write no
    capability space of [B]. *)
Lemma may_write_chain : forall ks a B x, no_write_chain ks a B -> B x -> may_write a ks x -> False.
Proof.
  intros ks a B x N Bx M. unfold may_write in M. destruct (actor_cs a ks) as [c|] eqn:A; [|exact M].
  destruct (N c A) as (N1 & N2 & N3 & N4 & N5).
  destruct M as [->|[M|[(q & M & ->)|[(q & e & M & W & ->)|(p & -> & RV & ->)]]]].
  - exact (N1 Bx).
  - exact (N2 x Bx M).
  - exact (N3 q Bx M).
  - exact (N4 q e Bx W M).
  - exact (N5 p eq_refl RV Bx).
Qed.

(** One step: a system call whose invoker has no write chain to [B]
    leaves every capability space of [B] that is still one afterwards
    exactly as it was, slot for slot. *)
Theorem isolation_step : forall a ks ks' B x,
  sstep_by a ks ks' -> no_write_chain ks a B -> B x ->
  frame_type (core ks) x = OT_CSPACE -> frame_type (core ks') x = OT_CSPACE ->
  forall y, cap (core ks') x y = cap (core ks) x y.
Proof.
  intros a ks ks' B x S N Bx T T' y.
  destruct (sstep_integrity a ks ks' S x y) as [E|[M|[F|F]]]; [exact E| |contradiction|contradiction].
  exfalso. exact (may_write_chain ks a B x N Bx M).
Qed.

(** Over runs: any interleaving of system calls invoked without a write
    chain to [B] (checked at the state where each is invoked) and of the
    kernel's own steps. *)
Inductive iso_run (B : nat -> Prop) : KState -> KState -> Prop :=
| iso_done : forall ks, iso_run B ks ks
| iso_step : forall a ks1 ks2 ks3, sstep_by a ks1 ks2 -> no_write_chain ks1 a B ->
    iso_run B ks2 ks3 -> iso_run B ks1 ks3.

Lemma iso_run_safe : forall B ks ks', iso_run B ks ks' -> safe (core ks) (core ks').
Proof.
  intros B ks ks' R. induction R as [ks|a ks1 ks2 ks3 S N R IH]; [apply safe_same; reflexivity|].
  eapply safe_trans; [eapply krun_safe, sstep_krun; exact S|exact IH].
Qed.

(** Isolation over a whole run: every capability space of [B] that is a
    capability space of the same generation at both ends of the run (it
    was not destroyed and remade on the way) has exactly the slots it
    had. *)
Theorem isolation_run : forall B ks ks' x,
  iso_run B ks ks' -> B x ->
  frame_type (core ks) x = OT_CSPACE -> frame_type (core ks') x = OT_CSPACE ->
  frame_gen (core ks') x = frame_gen (core ks) x ->
  forall y, cap (core ks') x y = cap (core ks) x y.
Proof.
  intros B ks ks' x R. induction R as [ks|a ks1 ks2 ks3 S N R IH]; intros Bx T1 T3 G y; [reflexivity|].
  pose proof (krun_safe _ _ (sstep_krun _ _ _ S)) as S12.
  pose proof (iso_run_safe _ _ _ R) as S23.
  destruct (cspace_between _ _ _ x S12 S23 T1 T3 G) as [T2 G2].
  rewrite (IH Bx T2 T3 ltac:(rewrite G2 in *; exact G) y).
  exact (isolation_step a ks1 ks2 B x S N Bx T1 T2 y).
Qed.

(** *** Nor does [B]'s authority grow *)

Lemma valid_not_free : forall st k, cap_valid st k = true -> frame_type st (cap_obj k) <> OT_FREE.
Proof.
  intros st k V. pose proof (cap_valid_parts st k V) as [T _]. rewrite T.
  unfold cap_valid in V. apply andb_true_iff in V as [V _]. apply andb_true_iff in V as [V _].
  intro E. rewrite E in V. discriminate.
Qed.

Lemma chain_not_free : forall st k o a, chain st k o a -> frame_type st o <> OT_FREE.
Proof. intros st k o a C. destruct C; apply valid_not_free; assumption. Qed.

(** A capability space whose slots a transition leaves alone reaches
    nothing new. *)
Lemma untouched_effects_r : forall c st st' x s o a,
  caps_inv st -> effects_r c st st' -> (forall y, cap st' x y = cap st x y) ->
  chain st' (cap st' x s) o a -> chain st (cap st x s) o a.
Proof.
  intros c st st' x s o a [CW FW] (S & _ & EF) U C.
  induction C as [V|w a C IH Tw Vw].
  - rewrite U in *. apply ch_here. eapply valid_back; eauto. apply CW.
  - destruct (EF w) as [[E TF]|[E|(F & _)]].
    + rewrite E in *. apply ch_fwd; [exact IH|exact (TF Tw)|]. eapply valid_back; eauto. apply FW.
    + rewrite E in Vw; discriminate.
    + exfalso. exact (chain_not_free _ _ _ _ IH F).
Qed.

Lemma untouched_ksrc : forall a ks ks' x o r,
  caps_inv (core ks) -> ksrc a ks ks' -> (forall y, cap (core ks') x y = cap (core ks) x y) ->
  holds (core ks') x o r -> holds (core ks) x o r.
Proof.
  intros a ks ks' x o r I K U (r' & (s & Hs & C) & L). exists r'. split; [exists s; split; [exact Hs|]|exact L].
  destruct K as [N|[(c & _ & E)|(p1 & p2 & t1 & t2 & st1 & _ & _ & _ & S1 & _ & S2)]].
  - eapply effects_none_chain; eauto.
  - eapply untouched_effects_r; eauto.
  - rewrite U in C. eapply chain_same_frames; [|exact C]. eapply same_frames_trans; eauto.
Qed.

Lemma ksrc_kstep_core : forall a ks st', cstep_by a (core ks) st' -> ksrc (ACs a) ks (with_core ks st').
Proof. intros. apply kstep_ksrc. apply kb_core; assumption. Qed.

(** The system calls have the shapes of [ksrc] too. *)
Theorem sstep_ksrc : forall a ks ks', sstep_by a ks ks' -> ksrc a ks ks'.
Proof.
  intros a ks ks' H.
  destruct (sstep_kstep a ks ks' H) as [->|[K|(cur & s & c & e & -> & F)]].
  - apply ksrc_same; reflexivity.
  - apply kstep_ksrc; exact K.
  - eapply ipc_send_full_ksrc; exact F.
Qed.

(** Isolation of authority: under the same hypotheses as
    [isolation_run], a capability space of [B] that survives holds
    nothing at the end that it did not hold at the start (with the same
    rights or more). *)
Theorem isolation_run_authority : forall B ks ks' x o r,
  Invariant (core ks) -> iso_run B ks ks' -> B x ->
  frame_type (core ks) x = OT_CSPACE -> frame_type (core ks') x = OT_CSPACE ->
  frame_gen (core ks') x = frame_gen (core ks) x ->
  holds (core ks') x o r -> holds (core ks) x o r.
Proof.
  intros B ks ks' x o r I R. induction R as [ks|a ks1 ks2 ks3 S N R IH]; intros Bx T1 T3 G H; [exact H|].
  pose proof (krun_safe _ _ (sstep_krun _ _ _ S)) as S12.
  pose proof (iso_run_safe _ _ _ R) as S23.
  destruct (cspace_between _ _ _ x S12 S23 T1 T3 G) as [T2 G2].
  assert (I2 : Invariant (core ks2)) by (eapply krun_Invariant; [exact I|eapply sstep_krun; exact S]).
  assert (H2 : holds (core ks2) x o r) by (apply IH; auto; rewrite G2 in *; exact G).
  eapply untouched_ksrc; [exact (proj1 I)|eapply sstep_ksrc; exact S| |exact H2].
  exact (isolation_step a ks1 ks2 B x S N Bx T1 T2).
Qed.

(** ** Integrity and isolation of process records (state and registers) *)

(** The part of a process record covered here: its state and its
    registers. *)
Definition prec (ps : Procs) (q : nat) : PState * (nat -> N) := (p_state ps q, p_regs ps q).

Lemma prec_set_reg : forall ps p i v q, q <> p -> prec (set_reg ps p i v) q = prec ps q.
Proof. intros. unfold prec, set_reg, upd2; cbn. rewrite upd_neq by assumption. reflexivity. Qed.
Lemma prec_set_state : forall ps p st q, q <> p -> prec (set_state ps p st) q = prec ps q.
Proof. intros. unfold prec, set_state; cbn. rewrite upd_neq by assumption. reflexivity. Qed.
Lemma prec_set_wait : forall ps p st o g t q, q <> p -> prec (set_wait ps p st o g t) q = prec ps q.
Proof. intros. unfold prec, set_wait; cbn. rewrite upd_neq by assumption. reflexivity. Qed.
Lemma prec_proc_ready : forall ps p q, q <> p -> prec (proc_ready ps p) q = prec ps q.
Proof. intros. unfold prec, proc_ready, ticket_take, set_ticket_state; cbn. rewrite upd_neq by assumption. reflexivity. Qed.
Lemma prec_block_on : forall ks p st o q, q <> p -> prec (block_on ks p st o) q = prec (procs ks) q.
Proof. intros. unfold prec, block_on, ticket_take, set_wait; cbn. rewrite upd_neq by assumption. reflexivity. Qed.
Lemma prec_await_reply : forall ps c sv q, q <> c -> prec (await_reply ps c sv) q = prec ps q.
Proof. intros. unfold prec, await_reply, ticket_take, set_reply, set_wait; cbn. rewrite upd_neq by assumption. reflexivity. Qed.
Lemma prec_deliver_msg : forall ps f t m q, q <> t -> prec (deliver_msg ps f t m) q = prec ps q.
Proof. intros. unfold deliver_msg. rewrite !prec_set_reg by assumption. reflexivity. Qed.
Lemma prec_suspend_one : forall ps p q, q <> p -> prec (suspend_one ps p) q = prec ps q.
Proof.
  intros. unfold suspend_one. rewrite prec_set_state by assumption.
  destruct (ps_blocked _); [apply prec_set_reg; assumption|reflexivity].
Qed.
Lemma prec_proc_make : forall st ps p sp pr q, q <> p -> prec (proc_make st ps p sp pr) q = prec ps q.
Proof. intros. unfold prec, proc_make; cbn. rewrite !upd_neq by assumption. reflexivity. Qed.
Lemma prec_set_msg : forall ps p l w d b q, prec (set_msg ps p l w d b) q = prec ps q.
Proof. reflexivity. Qed.
Lemma prec_msg_load : forall ps p b q, prec (msg_load ps p b) q = prec ps q.
Proof. reflexivity. Qed.
Lemma prec_clear_reply : forall ps p q, prec (clear_reply ps p) q = prec ps q.
Proof. reflexivity. Qed.
Lemma prec_set_bits : forall ps n b q, prec (set_bits ps n b) q = prec ps q.
Proof. reflexivity. Qed.
Lemma prec_set_fault : forall ps p e g b q, prec (set_fault ps p e g b) q = prec ps q.
Proof. reflexivity. Qed.
Lemma prec_deliver : forall ks f t q, q <> t -> prec (procs (deliver ks f t)) q = prec (procs ks) q.
Proof. intros. rewrite deliver_procs. apply prec_deliver_msg; assumption. Qed.

Lemma ntfn_post_prec : forall ks n all q,
  prec (procs (ntfn_post ks n all)) q = prec (procs ks) q \/
  waits_on ks q n PS_NOTIF PS_NOTIF = true.
Proof.
  intros ks n all q. unfold ntfn_post. cbv zeta.
  destruct (Nat.eqb_spec (find_waiter ks n PS_NOTIF PS_NOTIF) NO_PROC) as [E|E].
  - left. rewrite procs_with_procs. apply prec_set_bits.
  - destruct (Nat.eq_dec q (find_waiter ks n PS_NOTIF PS_NOTIF)) as [->|Nq];
      [right; apply find_waiter_spec; exact E|left].
    rewrite procs_with_procs, prec_proc_ready, prec_set_bits, !prec_set_reg by exact Nq.
    reflexivity.
Qed.

Lemma ntfn_signal_prec : forall ks cs slot b q,
  prec (procs (snd (ntfn_signal ks cs slot b))) q = prec (procs ks) q \/
  exists n, holds (core ks) cs n Wr /\ waits_on ks q n PS_NOTIF PS_NOTIF = true.
Proof.
  intros ks cs slot b q. unfold ntfn_signal, kcommit. cbn [bind guard].
  destruct (cspace_ok _ _); [|left; reflexivity]. cbn [bind].
  destruct (invoke_lookup _ _ _ _ _ _) as [e|] eqn:IL; cbn [bind]; [|left; reflexivity].
  destruct (negb _); [|left; reflexivity]. cbn [bind guard snd].
  destruct (ntfn_post_prec ks (cap_obj e) (N.lor b (cap_badge e)) q) as [E|W]; [left; exact E|right].
  exists (cap_obj e). split; [eapply invoke_lookup_w; exact IL|exact W].
Qed.

Lemma ntfn_wait_prec : forall ks cur s q,
  prec (procs (snd (ntfn_wait ks cur s))) q = prec (procs ks) q \/ q = cur.
Proof.
  intros ks cur s q. destruct (Nat.eq_dec q cur) as [->|Nq]; [right; reflexivity|left].
  unfold ntfn_wait, kcommit. cbn [bind guard].
  destruct (cur_ok _ _); [|reflexivity]. cbn [bind].
  destruct (invoke_lookup _ _ _ _ _ _); cbn [bind]; [|reflexivity].
  destruct (N.eqb _ _); cbn [bind guard snd]; rewrite procs_with_procs.
  - apply prec_block_on; exact Nq.
  - rewrite prec_set_bits, !prec_set_reg by exact Nq. reflexivity.
Qed.

(** The three operations on a process held with the write right. *)
Lemma proc_ops_prec : forall ks cs s r v es q,
  (prec (procs (snd (proc_resume ks cs s))) q = prec (procs ks) q \/ holds (core ks) cs q Wr) /\
  (prec (procs (snd (proc_suspend ks cs s))) q = prec (procs ks) q \/ holds (core ks) cs q Wr) /\
  (prec (procs (snd (proc_write_reg ks cs s r v))) q = prec (procs ks) q \/ holds (core ks) cs q Wr) /\
  prec (procs (snd (proc_set_fault ks cs s es))) q = prec (procs ks) q.
Proof.
  intros ks cs s r v es q. split; [|split; [|split]].
  - unfold proc_resume, kcommit. cbn [bind guard].
    destruct (cspace_ok _ _); [|left; reflexivity]. cbn [bind].
    destruct (invoke_lookup _ _ _ _ _ _) as [k|] eqn:IL; cbn [bind]; [|left; reflexivity].
    destruct (_ || _); [|left; reflexivity]. cbn [bind guard snd]. rewrite procs_with_procs.
    destruct (Nat.eq_dec q (cap_obj k)) as [->|Nq]; [right; eapply invoke_lookup_w; exact IL|].
    left. apply prec_proc_ready; exact Nq.
  - unfold proc_suspend, kcommit. cbn [bind guard].
    destruct (cspace_ok _ _); [|left; reflexivity]. cbn [bind].
    destruct (invoke_lookup _ _ _ _ _ _) as [k|] eqn:IL; cbn [bind]; [|left; reflexivity].
    destruct (negb _); [|left; reflexivity]. cbn [bind guard snd]. rewrite procs_with_procs.
    destruct (Nat.eq_dec q (cap_obj k)) as [->|Nq]; [right; eapply invoke_lookup_w; exact IL|].
    left. apply prec_suspend_one; exact Nq.
  - unfold proc_write_reg, kcommit. cbn [bind guard].
    destruct (cspace_ok _ _); [|left; reflexivity]. cbn [bind].
    destruct (invoke_lookup _ _ _ _ _ _) as [k|] eqn:IL; cbn [bind]; [|left; reflexivity].
    destruct (_ && _); [|left; reflexivity]. destruct (negb _); [|left; reflexivity].
    cbn [bind guard snd]. rewrite procs_with_procs.
    destruct (Nat.eq_dec q (cap_obj k)) as [->|Nq]; [right; eapply invoke_lookup_w; exact IL|].
    left. apply prec_set_reg; exact Nq.
  - unfold proc_set_fault, kcommit. cbn [bind guard].
    destruct (cspace_ok _ _); [|reflexivity]. cbn [bind].
    destruct (invoke_lookup _ _ _ _ _ _); cbn [bind]; [|reflexivity].
    destruct (lookup _ _ _ _ _ _); [|reflexivity]. cbn [bind guard snd]. rewrite procs_with_procs.
    apply prec_set_fault.
Qed.

Lemma proc_create_prec : forall ks cs caller a b dst prio e ks' q,
  proc_create ks cs caller a b dst prio = (e, ks') ->
  prec (procs ks') q = prec (procs ks) q \/ frame_type (core ks) q = OT_FREE.
Proof.
  intros ks cs caller a b dst prio e ks' q H. unfold proc_create, kcommit in H.
  destruct (_ : res KState) eqn:R in H; inversion H; subst; clear H; [|left; reflexivity].
  peel R. apply Ok_inj in R; subst. cbn [procs].
  match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [Hf Ff] end.
  match goal with |- context [proc_make _ _ ?f _ _] =>
    destruct (Nat.eq_dec q f) as [->|Nq]; [right; exact Ff|left; apply prec_proc_make; exact Nq] end.
Qed.

Lemma obj_alloc_k_prec : forall ks cs a t d q,
  prec (procs (snd (obj_alloc_k ks cs a t d))) q = prec (procs ks) q.
Proof.
  intros. unfold obj_alloc_k. destruct (obj_alloc (core ks) cs a t d) as [e st'] eqn:E.
  destruct e; destruct (lowest_free (core ks)); try reflexivity.
  destruct (is_type st' n OT_NOTIFICATION); [apply prec_set_bits|reflexivity].
Qed.

Lemma ipc_send_prec : forall ks cur slot c e r ks1 q,
  ipc_send ks cur slot c = (e, r, ks1) -> prec (procs ks1) q = prec (procs ks) q \/ q = cur.
Proof.
  intros ks cur slot c e r ks1 q H.
  destruct (Nat.eq_dec q cur) as [->|Nq]; [right; reflexivity|left].
  unfold ipc_send in H.
  match type of H with (match ?x with Ok _ => _ | Err _ => _ end) = _ =>
    destruct x as [ep|err] end; [|inversion H; subst; reflexivity].
  cbv zeta in H.
  destruct (Nat.eqb _ NO_PROC); inversion H; subst; clear H; rewrite procs_with_procs.
  - rewrite prec_block_on by exact Nq. rewrite procs_with_procs. apply prec_msg_load.
  - apply prec_msg_load.
Qed.

Lemma ipc_send_to_prec : forall ks cur r c q, q <> cur -> q <> r ->
  prec (procs (ipc_send_to ks cur r c)) q = prec (procs ks) q.
Proof.
  intros ks cur r c q N1 N2. unfold ipc_send_to. rewrite procs_with_procs.
  destruct (Nat.eqb c 0).
  - rewrite prec_set_reg, prec_proc_ready, prec_deliver by assumption. reflexivity.
  - rewrite prec_await_reply, prec_proc_ready, prec_deliver by assumption. reflexivity.
Qed.

Lemma ipc_send_full_prec : forall ks cur slot c e ks' q,
  ipc_send_full ks cur slot c = (e, ks') ->
  prec (procs ks') q = prec (procs ks) q \/ q = cur \/
  exists ep, holds (core ks) (p_cspace (procs ks) cur) (cap_obj ep) Wr /\
             waits_on ks q (cap_obj ep) PS_RECV PS_RECV = true.
Proof.
  intros ks cur slot c e ks' q H. unfold ipc_send_full in H.
  destruct (ipc_send ks cur slot c) as [[e1 r] ks1] eqn:E.
  destruct (Nat.eq_dec q cur) as [->|Nq]; [right; left; reflexivity|].
  destruct (ipc_send_prec _ _ _ _ _ _ _ q E) as [P|P]; [|contradiction].
  destruct (Nat.eqb_spec r NO_PROC) as [R|R]; inversion H; subst; clear H; [left; exact P|].
  apply ipc_send_info in E as (_ & _ & [I|(ep & _ & L & _ & W & _)]); [contradiction|].
  destruct (Nat.eq_dec q r) as [->|Nr]; [right; right; exists ep; split; [eapply invoke_lookup_w; exact L|exact W]|].
  left. rewrite ipc_send_to_prec by assumption. exact P.
Qed.

Lemma ipc_recv_prec : forall ks cur slot e ks' q,
  ipc_recv ks cur slot = (e, ks') ->
  prec (procs ks') q = prec (procs ks) q \/ q = cur \/
  exists ep, holds (core ks) (p_cspace (procs ks) cur) (cap_obj ep) Rd /\
             waits_on ks q (cap_obj ep) PS_SEND PS_CALL = true.
Proof.
  intros ks cur slot e ks' q H.
  destruct (Nat.eq_dec q cur) as [->|Nq]; [right; left; reflexivity|].
  unfold ipc_recv, kcommit in H. cbn [bind guard] in H.
  destruct (cur_ok ks cur); [|inversion H; subst; left; reflexivity]. cbn [bind] in H.
  destruct (invoke_lookup _ _ _ _ _ _) as [ep|] eqn:IL; cbn [bind] in H; [|inversion H; subst; left; reflexivity].
  destruct (Nat.eqb_spec (find_waiter ks (cap_obj ep) PS_SEND PS_CALL) NO_PROC) as [E|E].
  - cbn [bind guard] in H. inversion H; subst; clear H. left. rewrite procs_with_procs.
    apply prec_block_on; exact Nq.
  - destruct (Nat.eq_dec q (find_waiter ks (cap_obj ep) PS_SEND PS_CALL)) as [->|Ns].
    + right; right. exists ep. split; [eapply invoke_lookup_r; exact IL|apply find_waiter_spec; exact E].
    + left. cbn [bind guard] in H.
      destruct (ps_eqb _ _); inversion H; subst; clear H; rewrite procs_with_procs.
      * rewrite prec_await_reply, prec_deliver by assumption. reflexivity.
      * rewrite prec_proc_ready, prec_set_reg, prec_deliver by assumption. reflexivity.
Qed.

Lemma ipc_reply_prec : forall ks cur e ks' q,
  ipc_reply ks cur = (e, ks') ->
  prec (procs ks') q = prec (procs ks) q \/ q = cur \/
  (reply_valid ks cur (p_reply_to (procs ks) cur) = true /\ q = p_reply_to (procs ks) cur).
Proof.
  intros ks cur e ks' q H.
  destruct (Nat.eq_dec q cur) as [->|Nq]; [right; left; reflexivity|].
  unfold ipc_reply in H.
  destruct (_ : res unit) eqn:G in H; [|inversion H; subst; left; reflexivity].
  destruct (reply_valid ks cur (p_reply_to (procs ks) cur)) eqn:RV; cbn [negb] in H;
    inversion H; subst; clear H.
  - destruct (Nat.eq_dec q (p_reply_to (procs ks) cur)) as [->|Nc]; [right; right; auto|left].
    rewrite procs_with_procs, prec_set_reg, prec_proc_ready, prec_deliver by assumption.
    rewrite !procs_with_procs, prec_msg_load, prec_clear_reply. reflexivity.
  - left. rewrite procs_with_procs. apply prec_clear_reply.
Qed.

Lemma waits_on_set_msg : forall ks p l w d b q o s1 s2,
  waits_on (with_procs ks (set_msg (procs ks) p l w d b)) q o s1 s2 = waits_on ks q o s1 s2.
Proof. reflexivity. Qed.

Lemma ipc_fault_prec : forall ks cur l a b c q,
  prec (procs (snd (ipc_fault ks cur l a b c))) q = prec (procs ks) q \/ q = cur \/
  waits_on ks q (p_fault_ep (procs ks) cur) PS_RECV PS_RECV = true.
Proof.
  intros ks cur l a b c q.
  destruct (Nat.eq_dec q cur) as [->|Nq]; [right; left; reflexivity|].
  unfold ipc_fault. destruct (negb _); [left; reflexivity|].
  destruct (negb _); [left; cbn [snd]; rewrite procs_with_procs; apply prec_set_state; exact Nq|].
  cbv zeta.
  match goal with |- context [find_waiter ?k1 ?ep PS_RECV PS_RECV] =>
    destruct (Nat.eqb_spec (find_waiter k1 ep PS_RECV PS_RECV) NO_PROC) as [E|E];
    [|destruct (Nat.eq_dec q (find_waiter k1 ep PS_RECV PS_RECV)) as [->|Nr]] end.
  - left. cbn [snd]. rewrite procs_with_procs, prec_block_on by exact Nq.
    rewrite procs_with_procs. apply prec_set_msg.
  - right; right. apply find_waiter_spec in E. rewrite waits_on_set_msg in E. exact E.
  - left. cbn [snd]. rewrite procs_with_procs, prec_await_reply, prec_proc_ready, prec_deliver_msg by assumption.
    rewrite procs_with_procs. apply prec_set_msg.
Qed.

Lemma procs_unchanged_ops : forall ks cs a b s d h n t dl,
  procs (snd (irq_handler_create ks cs a b s d)) = procs ks /\
  procs (snd (irq_set_ntfn ks cs h n)) = procs ks /\
  procs (snd (irq_ack ks cs h)) = procs ks /\
  procs (snd (timer_set ks cs t n dl)) = procs ks /\
  procs (snd (timer_cancel ks cs t)) = procs ks.
Proof.
  intros. split; [|split; [|split; [|split]]].
  - unfold irq_handler_create, kcommit. cbn [bind guard].
    destruct (cspace_ok _ _); [|reflexivity]. cbn [bind].
    destruct (lookup _ _ _ _ _ _); cbn [bind]; [|reflexivity].
    destruct (_ && _); cbn [bind]; [|reflexivity].
    destruct (negb _); cbn [bind]; [|reflexivity].
    destruct (handler_alloc (core ks) cs b d) as [e st'].
    destruct e; reflexivity.
  - unfold irq_set_ntfn. cbn [bind guard].
    destruct (cspace_ok _ _); [|reflexivity]. cbn [bind].
    destruct (invoke_lookup _ _ _ _ _ _); cbn [bind]; [|reflexivity].
    destruct (lookup _ _ _ _ _ _); reflexivity.
  - unfold irq_ack. cbn [bind guard].
    destruct (cspace_ok _ _); [|reflexivity]. cbn [bind].
    destruct (invoke_lookup _ _ _ _ _ _); cbn [bind]; [|reflexivity].
    destruct (irq_unacked _ _); reflexivity.
  - unfold timer_set.
    match goal with |- context [match ?x with Ok _ => _ | Err _ => _ end] =>
      destruct x as [[u v]|e] end; [|reflexivity].
    destruct (Nat.eqb _ NTIMERS); reflexivity.
  - unfold timer_cancel. cbn [bind guard].
    destruct (cspace_ok _ _); [|reflexivity]. cbn [bind].
    destruct (invoke_lookup _ _ _ _ _ _); reflexivity.
Qed.

(** The processes whose state or registers a step of [a] may change:
    for a capability space, a process it holds with the write right
    (resume, suspend, register write), a process it creates (its frame
    was free), a process waiting on a notification it holds with the
    write right (a signal wakes it); for a process [p] (acting through
    its capability space [c]): itself, a process blocked receiving on
    an endpoint [c] holds with the write right (a send), a process
    blocked sending on an endpoint [c] holds with the read right (a
    receive), the caller its reply capability names (a reply), a process
    blocked receiving on its fault endpoint (a fault), a process waiting
    on a notification [c] holds with the write right (the signal fast
    path); for the kernel, any. *)
Definition may_touch (a : Actor) (ks : KState) (q : nat) : Prop :=
  match a with
  | AKernel => True
  | ACs c => holds (core ks) c q Wr \/ frame_type (core ks) q = OT_FREE \/
             (exists n, holds (core ks) c n Wr /\ waits_on ks q n PS_NOTIF PS_NOTIF = true)
  | AProc p =>
      q = p \/
      (exists e, holds (core ks) (p_cspace (procs ks) p) e Wr /\
                 waits_on ks q e PS_RECV PS_RECV = true) \/
      (exists e, holds (core ks) (p_cspace (procs ks) p) e Rd /\ send_blocked ks q /\
                 p_wait (procs ks) q = e) \/
      (reply_valid ks p (p_reply_to (procs ks) p) = true /\ q = p_reply_to (procs ks) p) \/
      waits_on ks q (p_fault_ep (procs ks) p) PS_RECV PS_RECV = true \/
      (exists n, holds (core ks) (p_cspace (procs ks) p) n Wr /\
                 waits_on ks q n PS_NOTIF PS_NOTIF = true)
  end.

Lemma recv_touch : forall ks cur q ep, holds (core ks) (p_cspace (procs ks) cur) (cap_obj ep) Rd ->
  waits_on ks q (cap_obj ep) PS_SEND PS_CALL = true ->
  exists e, holds (core ks) (p_cspace (procs ks) cur) e Rd /\ send_blocked ks q /\ p_wait (procs ks) q = e.
Proof.
  intros ks cur q ep H W. apply waits_on_parts in W as (St & Wt & _).
  exists (cap_obj ep). split; [exact H|split; [destruct St; [left|right]; assumption|exact Wt]].
Qed.

(** Integrity of process records (state and registers): a system call of
    [a] changes them only for a process [a] may touch ([may_touch]). *)
Theorem sstep_proc_integrity : forall a ks ks', sstep_by a ks ks' ->
  forall q, prec (procs ks') q = prec (procs ks) q \/ may_touch a ks q.
Proof.
  intros a ks ks' H q. destruct H; try (right; exact I); try (left; reflexivity).
  - apply sys_cap_copy_integrity in H as [P _]. left; rewrite P; reflexivity.
  - apply sys_cap_mint_integrity in H as [P _]. left; rewrite P; reflexivity.
  - apply sys_cap_move_integrity in H as [P _]. left; rewrite P; reflexivity.
  - left; apply obj_alloc_k_prec.
  - destruct (proc_create_prec _ _ _ _ _ _ _ _ _ q H) as [E|E]; [left; exact E|right; right; left; exact E].
  - destruct (proj1 (proc_ops_prec ks cs s 0 0%N 0 q)) as [E|E]; [left; exact E|right; left; exact E].
  - destruct (proj1 (proj2 (proc_ops_prec ks cs s 0 0%N 0 q))) as [E|E]; [left; exact E|right; left; exact E].
  - destruct (proj1 (proj2 (proj2 (proc_ops_prec ks cs s r v 0 q)))) as [E|E]; [left; exact E|right; left; exact E].
  - left. exact (proj2 (proj2 (proj2 (proc_ops_prec ks cs s 0 0%N es q)))).
  - destruct (ipc_send_full_prec _ _ _ _ _ _ q H) as [E|[E|(ep & Hh & W)]]; [left; exact E|right; left; exact E|].
    right; right; left. exists (cap_obj ep). auto.
  - destruct (ipc_recv_prec _ _ _ _ _ q H) as [E|[E|(ep & Hh & W)]]; [left; exact E|right; left; exact E|].
    right; right; right; left. eapply recv_touch; eauto.
  - destruct (ipc_reply_prec _ _ _ _ q H) as [E|[E|E]]; [left; exact E|right; left; exact E|].
    right; right; right; right; left. exact E.
  - destruct (ipc_fault_prec ks cur l a b c q) as [E|[E|E]]; [left; exact E|right; left; exact E|].
    right; right; right; right; right; left. exact E.
  - destruct (ntfn_signal_prec ks cs s b q) as [E|E]; [left; exact E|right; right; right; exact E].
  - destruct (ntfn_wait_prec ks cur s q) as [E|E]; [left; exact E|right; left; exact E].
  - (* fast call *)
    destruct (Nat.eq_dec q cur) as [->|Nq]; [right; left; reflexivity|].
    unfold ipc_fast_call. destruct (ipc_send_full ks cur _ 1) as [e1 ks1] eqn:F.
    unfold keep_msg. rewrite procs_with_procs, prec_set_msg, procs_with_procs, prec_set_reg by exact Nq.
    destruct (ipc_send_full_prec _ _ _ _ _ _ q F) as [E|[E|(ep & Hh & W)]]; [left; exact E|contradiction|].
    right; right; left. exists (cap_obj ep). auto.
  - (* fast reply and receive *)
    destruct (Nat.eq_dec q cur) as [->|Nq]; [right; left; reflexivity|].
    unfold ipc_fast_reply_recv.
    destruct (ipc_reply ks cur) as [e1 ks1] eqn:E1.
    destruct (ipc_recv ks1 cur _) as [e2 ks2] eqn:E2.
    unfold keep_msg. rewrite procs_with_procs, prec_set_msg, procs_with_procs, prec_set_reg by exact Nq.
    destruct (ipc_reply_procs _ _ _ _ E1) as [P1 St1].
    pose proof (ipc_reply_pwait _ _ _ _ E1) as W1.
    destruct (ipc_recv_prec _ _ _ _ _ q E2) as [E|[E|(ep & Hh & W)]]; [|contradiction|].
    + rewrite E. destruct (ipc_reply_prec _ _ _ _ q E1) as [E'|[E'|E']]; [left; exact E'|contradiction|].
      right; right; right; right; left. exact E'.
    + right; right; right; left. apply waits_on_parts in W as (St & Wt & _).
      exists (cap_obj ep). split; [|split].
      * rewrite P1 in Hh. apply ipc_reply_transfer in E1 as [C|(_ & _ & D & S)].
        -- rewrite C in Hh. exact Hh.
        -- destruct (delivered_confined _ _ _ _ _ _ _ D S Hh) as [H0|[_ G]];
             [exact H0|apply granted_holds; exact G].
      * destruct St as [St|St]; destruct (St1 q) as [E|E]; rewrite E in St; try discriminate;
          [left|right]; exact St.
      * rewrite W1 in Wt. exact Wt.
  - (* signal fast path *)
    destruct (Nat.eq_dec q cur) as [->|Nq]; [right; left; reflexivity|].
    unfold ntfn_fast_signal.
    pose proof (ntfn_signal_prec ks (p_cspace (procs ks) cur) (N.to_nat (p_regs (procs ks) cur A0))
                  (p_regs (procs ks) cur A1) q) as P.
    destruct (ntfn_signal ks _ _ _) as [e1 ks1]. cbn [snd] in P.
    rewrite procs_with_procs, prec_set_reg by exact Nq.
    destruct P as [E|E]; [left; exact E|right; right; right; right; right; right; exact E].
  - left. rewrite (proj1 (procs_unchanged_ops ks cs a b s d 0 0 0 0%N)). reflexivity.
  - left. rewrite (proj1 (proj2 (procs_unchanged_ops ks cs 0 0 0 0 h n 0 0%N))). reflexivity.
  - left. rewrite (proj1 (proj2 (proj2 (procs_unchanged_ops ks cs 0 0 0 0 h 0 0 0%N)))). reflexivity.
  - left. rewrite (proj1 (proj2 (proj2 (proj2 (procs_unchanged_ops ks cs 0 0 0 0 0 n t d))))). reflexivity.
  - left. rewrite (proj2 (proj2 (proj2 (proj2 (procs_unchanged_ops ks cs 0 0 0 0 0 0 t 0%N))))). reflexivity.
Qed.

(** No process of [Bp] is one the invoker may touch: it is not the
    invoker; the invoker's capability space holds none of them with the
    write right, no endpoint one of them is blocked receiving on with the
    write right, no endpoint one of them is blocked sending on with the
    read right, no notification one of them waits on with the write
    right; the invoker's reply capability names none of them, and none
    of them is blocked receiving on its fault endpoint; none of them is a
    free frame. The kernel's own steps (scheduler, reaper, interrupt
    delivery, timer expiry) may change any process record, so no kernel
    step satisfies it for a non-empty [Bp]. *)
Definition no_touch (ks : KState) (a : Actor) (Bp : nat -> Prop) : Prop :=
  forall q, Bp q -> ~ may_touch a ks q.

Theorem isolation_procs_step : forall a ks ks' Bp q,
  sstep_by a ks ks' -> no_touch ks a Bp -> Bp q -> prec (procs ks') q = prec (procs ks) q.
Proof.
  intros a ks ks' Bp q S N Bq.
  destruct (sstep_proc_integrity a ks ks' S q) as [E|M]; [exact E|exfalso; exact (N q Bq M)].
Qed.

Inductive iso_proc_run (Bp : nat -> Prop) : KState -> KState -> Prop :=
| ipr_done : forall ks, iso_proc_run Bp ks ks
| ipr_step : forall a ks1 ks2 ks3, sstep_by a ks1 ks2 -> no_touch ks1 a Bp ->
    iso_proc_run Bp ks2 ks3 -> iso_proc_run Bp ks1 ks3.

(** Over a run of system calls none of which may touch a process of
    [Bp] (checked at each step), every process of [Bp] keeps its state
    and registers. *)
Theorem isolation_run_procs : forall Bp ks ks' q,
  iso_proc_run Bp ks ks' -> Bp q -> prec (procs ks') q = prec (procs ks) q.
Proof.
  intros Bp ks ks' q R Bq. induction R as [ks|a ks1 ks2 ks3 S N R IH]; [reflexivity|].
  rewrite IH. exact (isolation_procs_step a ks1 ks2 Bp q S N Bq).
Qed.

(** ** Item 2, continued: a blocked sender blocked through its own send *)

(** [q] is blocked sending on [e], waiting at generation [g]. *)
Definition sb (ps : Procs) (q e : nat) (g : N) : Prop :=
  (p_state ps q = PS_SEND \/ p_state ps q = PS_CALL) /\ p_wait ps q = e /\ p_wait_gen ps q = g.

Lemma sb_set_reg : forall ps p i v q e g, sb (set_reg ps p i v) q e g -> sb ps q e g.
Proof. intros. exact H. Qed.
Lemma sb_set_msg : forall ps p l w d b q e g, sb (set_msg ps p l w d b) q e g -> sb ps q e g.
Proof. intros. exact H. Qed.
Lemma sb_msg_load : forall ps p b q e g, sb (msg_load ps p b) q e g -> sb ps q e g.
Proof. intros. exact H. Qed.
Lemma sb_clear_reply : forall ps p q e g, sb (clear_reply ps p) q e g -> sb ps q e g.
Proof. intros. exact H. Qed.
Lemma sb_set_bits : forall ps n b q e g, sb (set_bits ps n b) q e g -> sb ps q e g.
Proof. intros. exact H. Qed.
Lemma sb_set_fault : forall ps p x y z q e g, sb (set_fault ps p x y z) q e g -> sb ps q e g.
Proof. intros. exact H. Qed.
Lemma sb_set_cur : forall ps c q e g, sb (set_cur ps c) q e g -> sb ps q e g.
Proof. intros. exact H. Qed.
Lemma sb_set_pt : forall ps f x y q e g, sb (set_pt ps f x y) q e g -> sb ps q e g.
Proof. intros. exact H. Qed.
Lemma sb_deliver_msg : forall ps f t m q e g, sb (deliver_msg ps f t m) q e g -> sb ps q e g.
Proof. intros. exact H. Qed.

Lemma sb_proc_ready : forall ps p q e g, sb (proc_ready ps p) q e g -> sb ps q e g.
Proof.
  intros ps p q e g (St & W & G). unfold sb in *. rewrite proc_ready_state in St. unfold upd in St.
  destruct (Nat.eqb q p); [destruct St as [St|St]; discriminate|]. auto.
Qed.

Lemma sb_set_state : forall ps p st q e g, st <> PS_SEND -> st <> PS_CALL ->
  sb (set_state ps p st) q e g -> sb ps q e g.
Proof.
  intros ps p st q e g N1 N2 (St & W & G). unfold sb in *. cbn in St. unfold upd in St.
  destruct (Nat.eqb q p); [destruct St; congruence|]. auto.
Qed.

Lemma sb_suspend_one : forall ps p q e g, sb (suspend_one ps p) q e g -> sb ps q e g.
Proof.
  intros ps p q e g H. unfold suspend_one in H. apply sb_set_state in H; try discriminate.
  destruct (ps_blocked _); [exact H|exact H].
Qed.

Lemma sb_await_reply : forall ps c sv q e g, sb (await_reply ps c sv) q e g -> sb ps q e g.
Proof.
  intros ps c sv q e g (St & W & G). unfold sb, await_reply, ticket_take, set_reply, set_wait in *.
  cbn in *. unfold upd in *. destruct (Nat.eqb q c); [destruct St; discriminate|]. auto.
Qed.

Lemma sb_proc_make : forall st ps p sp pr q e g, sb (proc_make st ps p sp pr) q e g -> sb ps q e g.
Proof.
  intros st ps p sp pr q e g (St & W & G). unfold sb, proc_make in *. cbn in *. unfold upd in *.
  destruct (Nat.eqb q p); [destruct St; discriminate|]. auto.
Qed.

(** [block_on]: the blocked process now waits on [o] at [o]'s generation. *)
Lemma sb_block_on : forall ks p st o q e g, sb (block_on ks p st o) q e g ->
  sb (procs ks) q e g \/ (q = p /\ (st = PS_SEND \/ st = PS_CALL) /\ e = o /\ g = frame_gen (core ks) o).
Proof.
  intros ks p st o q e g (St & W & G). unfold sb, block_on, ticket_take, set_wait in *. cbn in *.
  unfold upd in *. destruct (Nat.eqb_spec q p) as [->|Nq]; [right; subst; auto|left; auto].
Qed.

Lemma sb_not_blocking : forall ks p st o q e g, st <> PS_SEND -> st <> PS_CALL ->
  sb (block_on ks p st o) q e g -> sb (procs ks) q e g.
Proof.
  intros ks p st o q e g N1 N2 H. apply sb_block_on in H as [H|(_ & [S|S] & _)]; [exact H|congruence|congruence].
Qed.

Lemma sb_deliver : forall ks f t q e g, sb (procs (deliver ks f t)) q e g -> sb (procs ks) q e g.
Proof. intros ks f t q e g H. rewrite deliver_procs in H. exact (sb_deliver_msg _ _ _ _ _ _ _ H). Qed.

Lemma sb_ntfn_post : forall ks n all q e g, sb (procs (ntfn_post ks n all)) q e g -> sb (procs ks) q e g.
Proof.
  intros ks n all q e g H. unfold ntfn_post in H. cbv zeta in H.
  destruct (Nat.eqb _ NO_PROC); rewrite procs_with_procs in H.
  - exact (sb_set_bits _ _ _ _ _ _ H).
  - apply sb_proc_ready, sb_set_bits, sb_set_reg, sb_set_reg in H. exact H.
Qed.

Lemma sb_ntfn_signal : forall ks cs s b q e g,
  sb (procs (snd (ntfn_signal ks cs s b))) q e g -> sb (procs ks) q e g.
Proof.
  intros ks cs s b q e g H. unfold ntfn_signal, kcommit in H. cbn [bind guard] in H.
  destruct (cspace_ok _ _); [|exact H]. cbn [bind] in H.
  destruct (invoke_lookup _ _ _ _ _ _); cbn [bind] in H; [|exact H].
  destruct (negb _); cbn [bind guard snd] in H; [|exact H].
  exact (sb_ntfn_post _ _ _ _ _ _ H).
Qed.

Lemma sb_ipc_send_to : forall ks cur r c q e g,
  sb (procs (ipc_send_to ks cur r c)) q e g -> sb (procs ks) q e g.
Proof.
  intros ks cur r c q e g H. unfold ipc_send_to in H. rewrite procs_with_procs in H.
  destruct (Nat.eqb c 0).
  - apply sb_set_reg, sb_proc_ready, sb_deliver in H. exact H.
  - apply sb_await_reply, sb_proc_ready, sb_deliver in H. exact H.
Qed.

(** A send: the sender itself may become blocked sending, on the
    endpoint it holds with write, at that endpoint's generation. *)
Lemma sb_ipc_send : forall ks cur slot c e0 r ks1 q e g,
  ipc_send ks cur slot c = (e0, r, ks1) -> sb (procs ks1) q e g ->
  sb (procs ks) q e g \/
  (q = cur /\ frame_gen (core ks) e = g /\ holds (core ks) (p_cspace (procs ks) cur) e Wr).
Proof.
  intros ks cur slot c e0 r ks1 q e g H S. unfold ipc_send in H.
  match type of H with (match ?x with Ok _ => _ | Err _ => _ end) = _ =>
    destruct x as [ep|err] eqn:G end; [|inversion H; subst; left; exact S].
  cbv zeta in H.
  destruct (Nat.eqb _ NO_PROC); inversion H; subst; clear H; rewrite procs_with_procs in S.
  - apply sb_block_on in S as [S|(-> & _ & -> & ->)]; [left; exact (sb_msg_load _ _ _ _ _ _ S)|right].
    split; [reflexivity|split; [reflexivity|]].
    peel G. apply Ok_inj in G; subst. eapply invoke_lookup_w; eassumption.
  - left; exact (sb_msg_load _ _ _ _ _ _ S).
Qed.

Lemma sb_ipc_send_full : forall ks cur slot c e0 ks' q e g,
  ipc_send_full ks cur slot c = (e0, ks') -> sb (procs ks') q e g ->
  sb (procs ks) q e g \/
  (q = cur /\ frame_gen (core ks) e = g /\ holds (core ks) (p_cspace (procs ks) cur) e Wr).
Proof.
  intros ks cur slot c e0 ks' q e g H S. unfold ipc_send_full in H.
  destruct (ipc_send ks cur slot c) as [[e1 r] ks1] eqn:E.
  destruct (Nat.eqb r NO_PROC); inversion H; subst; clear H;
    [|apply sb_ipc_send_to in S]; eapply sb_ipc_send; eauto.
Qed.

Lemma sb_ipc_recv : forall ks cur slot e0 ks' q e g,
  ipc_recv ks cur slot = (e0, ks') -> sb (procs ks') q e g -> sb (procs ks) q e g.
Proof.
  intros ks cur slot e0 ks' q e g H S. unfold ipc_recv, kcommit in H. cbn [bind guard] in H.
  destruct (cur_ok ks cur); [|inversion H; subst; exact S]. cbn [bind] in H.
  destruct (invoke_lookup _ _ _ _ _ _) as [ep|]; cbn [bind] in H; [|inversion H; subst; exact S].
  destruct (Nat.eqb (find_waiter ks (cap_obj ep) PS_SEND PS_CALL) NO_PROC); cbn [bind guard] in H.
  - inversion H; subst; clear H. rewrite procs_with_procs in S.
    exact (sb_not_blocking ks cur PS_RECV _ q e g ltac:(discriminate) ltac:(discriminate) S).
  - destruct (ps_eqb _ _); cbn [bind guard] in H; inversion H; subst; clear H; rewrite procs_with_procs in S.
    + apply sb_await_reply, sb_deliver in S. exact S.
    + apply sb_proc_ready, sb_set_reg, sb_deliver in S. exact S.
Qed.

Lemma sb_ipc_reply : forall ks cur e0 ks' q e g,
  ipc_reply ks cur = (e0, ks') -> sb (procs ks') q e g -> sb (procs ks) q e g.
Proof.
  intros ks cur e0 ks' q e g H S. unfold ipc_reply in H.
  destruct (_ : res unit) eqn:G in H; [|inversion H; subst; exact S].
  destruct (negb _); inversion H; subst; clear H; rewrite procs_with_procs in S.
  - exact (sb_clear_reply _ _ _ _ _ S).
  - apply sb_set_reg, sb_proc_ready, sb_deliver in S. cbn [procs with_procs] in S.
    apply sb_msg_load, sb_clear_reply in S. exact S.
Qed.

(** A fault: the faulting process may become blocked (calling) on its
    fault endpoint. *)
Lemma sb_ipc_fault : forall ks cur l a b c q e g,
  sb (procs (snd (ipc_fault ks cur l a b c))) q e g ->
  sb (procs ks) q e g \/ (q = cur /\ frame_gen (core ks) e = g /\ e = p_fault_ep (procs ks) cur).
Proof.
  intros ks cur l a b c q e g S. unfold ipc_fault in S. destruct (negb _); [left; exact S|].
  destruct (negb _); [left; cbn [snd] in S; rewrite procs_with_procs in S;
    eapply sb_set_state; [| |exact S]; discriminate|].
  cbv zeta in S. destruct (Nat.eqb _ NO_PROC); cbn [snd] in S; rewrite procs_with_procs in S.
  - apply sb_block_on in S as [S|(-> & _ & -> & ->)].
    + left. rewrite procs_with_procs in S. exact (sb_set_msg _ _ _ _ _ _ _ _ _ S).
    + right. auto.
  - left. apply sb_await_reply, sb_proc_ready, sb_deliver_msg in S. rewrite procs_with_procs in S.
    exact (sb_set_msg _ _ _ _ _ _ _ _ _ S).
Qed.

Lemma sb_proc_reap : forall ks q e g, sb (procs (proc_reap ks)) q e g -> sb (procs ks) q e g.
Proof.
  intros ks q e g (St & W & G). cbn [proc_reap waits_cancel with_core with_procs procs] in St, W, G.
  destruct (reap_waits_keeps (with_procs ks (reap_states ks)) NFRAMES) as (Wk & Gk & _).
  rewrite Wk in W. rewrite Gk in G. cbn [procs with_procs reap_states p_wait p_wait_gen] in W, G.
  rewrite reap_waits_state in St. cbn [procs with_procs reap_states p_state] in St.
  destruct (_ && _ && _); [destruct St; discriminate|].
  destruct (_ && _); [destruct St; discriminate|].
  split; [exact St|split; assumption].
Qed.

(** [waits_cancel] is [proc_reap]'s process half: the same process tables. *)
Lemma sb_waits_cancel : forall ks q e g, sb (procs (waits_cancel ks)) q e g -> sb (procs ks) q e g.
Proof. intros ks q e g S. exact (sb_proc_reap ks q e g S). Qed.

Lemma sb_sched : forall ks q e g,
  (sb (procs (snd (sched_pick ks))) q e g -> sb (procs ks) q e g) /\
  (sb (procs (sched_tick ks)) q e g -> sb (procs ks) q e g).
Proof.
  intros ks q e g. split; intro S.
  - unfold sched_pick in S. cbn [snd] in S. rewrite procs_with_procs in S. exact (sb_set_cur _ _ _ _ _ S).
  - unfold sched_tick in S. destruct (_ && _); [|exact S].
    destruct S as (St & W & G). unfold sb. cbn in St, W, G. unfold upd in St.
    destruct (Nat.eqb q (cur_proc (procs ks))); [destruct St; discriminate|auto].
Qed.

Lemma sb_proc_ops : forall ks cs s r v es q e g,
  (sb (procs (snd (proc_resume ks cs s))) q e g -> sb (procs ks) q e g) /\
  (sb (procs (snd (proc_suspend ks cs s))) q e g -> sb (procs ks) q e g) /\
  (sb (procs (snd (proc_write_reg ks cs s r v))) q e g -> sb (procs ks) q e g) /\
  (sb (procs (snd (proc_set_fault ks cs s es))) q e g -> sb (procs ks) q e g).
Proof.
  intros. split; [|split; [|split]]; intro S.
  - unfold proc_resume, kcommit in S. cbn [bind guard] in S.
    destruct (cspace_ok _ _); [|exact S]. cbn [bind] in S.
    destruct (invoke_lookup _ _ _ _ _ _); cbn [bind] in S; [|exact S].
    destruct (_ || _); cbn [bind guard snd] in S; [|exact S].
    cbn [procs with_procs] in S. exact (sb_proc_ready _ _ _ _ _ S).
  - unfold proc_suspend, kcommit in S. cbn [bind guard] in S.
    destruct (cspace_ok _ _); [|exact S]. cbn [bind] in S.
    destruct (invoke_lookup _ _ _ _ _ _); cbn [bind] in S; [|exact S].
    destruct (negb _); cbn [bind guard snd] in S; [|exact S].
    cbn [procs with_procs] in S. exact (sb_suspend_one _ _ _ _ _ S).
  - unfold proc_write_reg, kcommit in S. cbn [bind guard] in S.
    destruct (cspace_ok _ _); [|exact S]. cbn [bind] in S.
    destruct (invoke_lookup _ _ _ _ _ _); cbn [bind] in S; [|exact S].
    destruct (_ && _); cbn [bind guard] in S; [|exact S].
    destruct (negb _); cbn [bind guard snd] in S; [|exact S].
    cbn [procs with_procs] in S. exact (sb_set_reg _ _ _ _ _ _ _ S).
  - unfold proc_set_fault, kcommit in S. cbn [bind guard] in S.
    destruct (cspace_ok _ _); [|exact S]. cbn [bind] in S.
    destruct (invoke_lookup _ _ _ _ _ _); cbn [bind] in S; [|exact S].
    destruct (lookup _ _ _ _ _ _); cbn [bind snd] in S; [|exact S].
    cbn [procs with_procs] in S. exact (sb_set_fault _ _ _ _ _ _ _ _ S).
Qed.

Lemma sb_ntfn_wait : forall ks cur s q e g,
  sb (procs (snd (ntfn_wait ks cur s))) q e g -> sb (procs ks) q e g.
Proof.
  intros ks cur s q e g S. unfold ntfn_wait, kcommit in S. cbn [bind guard] in S.
  destruct (cur_ok _ _); [|exact S]. cbn [bind] in S.
  destruct (invoke_lookup _ _ _ _ _ _); cbn [bind] in S; [|exact S].
  destruct (N.eqb _ _); cbn [bind guard snd] in S; rewrite procs_with_procs in S.
  - exact (sb_not_blocking ks cur PS_NOTIF _ q e g ltac:(discriminate) ltac:(discriminate) S).
  - apply sb_set_bits, sb_set_reg, sb_set_reg in S. exact S.
Qed.

Lemma sb_irq_timer : forall ks src r q e g,
  (sb (procs (snd (irq_deliver ks src))) q e g -> sb (procs ks) q e g) /\
  (sb (procs (snd (timer_fire ks r))) q e g -> sb (procs ks) q e g).
Proof.
  intros. split; intro S.
  - unfold irq_deliver in S. destruct (_ && _); [|exact S]. cbn [snd] in S.
    apply sb_ntfn_post in S. exact S.
  - unfold timer_fire in S. destruct (tmr_armed _ _); [|exact S].
    destruct (tmr_bound _ _); cbn [snd] in S; [apply sb_ntfn_post in S|]; exact S.
Qed.

(** A process becomes blocked sending on an endpoint only through its own
    send on it, holding it (through its capability space) with the write
    right, at the endpoint's generation of that moment; or through its
    own fault, on its fault endpoint. Every other step leaves a blocked
    sender where it was. *)
Theorem kstep_send_blocked : forall a ks ks' q e g, kstep_by a ks ks' -> sb (procs ks') q e g ->
  sb (procs ks) q e g \/
  (a = AProc q /\ frame_gen (core ks) e = g /\
   (holds (core ks) (p_cspace (procs ks) q) e Wr \/ e = p_fault_ep (procs ks) q)).
Proof.
  intros a ks ks' q e g H S. destruct H.
  - left. exact S.
  - left. unfold obj_alloc_k in S. destruct (obj_alloc (core ks) cs a t d) as [e1 st'].
    destruct e1; destruct (lowest_free (core ks)); try exact S.
    destruct (is_type st' n OT_NOTIFICATION); [exact (sb_set_bits _ _ _ _ _ _ S)|exact S].
  - left. unfold proc_create, kcommit in H.
    destruct (_ : res KState) eqn:R in H; inversion H; subst; clear H; [|exact S].
    peel R. apply Ok_inj in R; subst. exact (sb_proc_make _ _ _ _ _ _ _ _ S).
  - left. exact (proj1 (sb_proc_ops ks cs s 0 0%N 0 q e g) S).
  - left. exact (proj1 (proj2 (sb_proc_ops ks cs s 0 0%N 0 q e g)) S).
  - left. exact (proj1 (proj2 (proj2 (sb_proc_ops ks cs s r v 0 q e g))) S).
  - left. exact (proj2 (proj2 (proj2 (sb_proc_ops ks cs s 0 0%N es q e g))) S).
  - left. unfold kobj_alloc in H.
    destruct (_ : res (nat * State)) in H; [destruct p|]; inversion H; subst; exact S.
  - left. exact (sb_set_pt _ _ _ _ _ _ _ S).
  - left. exact (sb_proc_reap _ _ _ _ S).
  - left. exact (sb_waits_cancel _ _ _ _ S).
  - destruct (sb_ipc_send _ _ _ _ _ _ _ _ _ _ H S) as [E|(-> & G & Hh)]; [left; exact E|right].
    split; [reflexivity|split; [exact G|left; exact Hh]].
  - left. exact (sb_ipc_send_to _ _ _ _ _ _ _ S).
  - left. exact (sb_ipc_recv _ _ _ _ _ _ _ _ H S).
  - left. exact (sb_ipc_reply _ _ _ _ _ _ _ H S).
  - destruct (sb_ipc_fault _ _ _ _ _ _ _ _ _ S) as [E|(-> & G & Ef)]; [left; exact E|right].
    split; [reflexivity|split; [exact G|right; exact Ef]].
  - left. exact (sb_ntfn_signal _ _ _ _ _ _ _ S).
  - left. exact (sb_ntfn_wait _ _ _ _ _ _ S).
  - (* fast call *)
    unfold ipc_fast_call in S. destruct (ipc_send_full ks cur _ 1) as [e1 ks1] eqn:F.
    unfold keep_msg in S. rewrite procs_with_procs in S. apply sb_set_msg in S.
    rewrite procs_with_procs in S. apply sb_set_reg in S.
    destruct (sb_ipc_send_full _ _ _ _ _ _ _ _ _ F S) as [E|(-> & G & Hh)]; [left; exact E|right].
    split; [reflexivity|split; [exact G|left; exact Hh]].
  - (* fast reply and receive *)
    left. unfold ipc_fast_reply_recv in S.
    destruct (ipc_reply ks cur) as [e1 ks1] eqn:E1.
    destruct (ipc_recv ks1 cur _) as [e2 ks2] eqn:E2.
    unfold keep_msg in S. rewrite procs_with_procs in S. apply sb_set_msg in S.
    rewrite procs_with_procs in S. apply sb_set_reg in S.
    exact (sb_ipc_reply _ _ _ _ _ _ _ E1 (sb_ipc_recv _ _ _ _ _ _ _ _ E2 S)).
  - left. unfold ntfn_fast_signal in S.
    destruct (ntfn_signal ks _ _ _) as [e1 ks1] eqn:F. rewrite procs_with_procs in S.
    apply sb_set_reg in S. pose proof (sb_ntfn_signal ks (p_cspace (procs ks) cur)
      (N.to_nat (p_regs (procs ks) cur A0)) (p_regs (procs ks) cur A1) q e g) as L.
    rewrite F in L. exact (L S).
  - left. exact (proj1 (sb_sched ks q e g) S).
  - left. exact (proj2 (sb_sched ks q e g) S).
  - left. rewrite (proj1 (procs_unchanged_ops ks cs a b s d 0 0 0 0%N)) in S. exact S.
  - left. rewrite (proj1 (proj2 (procs_unchanged_ops ks cs 0 0 0 0 h n 0 0%N))) in S. exact S.
  - left. rewrite (proj1 (proj2 (proj2 (procs_unchanged_ops ks cs 0 0 0 0 h 0 0 0%N)))) in S. exact S.
  - left. exact (proj1 (sb_irq_timer ks s 0 q e g) S).
  - left. rewrite (proj1 (proj2 (proj2 (proj2 (procs_unchanged_ops ks cs 0 0 0 0 0 n t d))))) in S. exact S.
  - left. rewrite (proj2 (proj2 (proj2 (proj2 (procs_unchanged_ops ks cs 0 0 0 0 0 0 t 0%N))))) in S. exact S.
  - left. exact (proj2 (sb_irq_timer ks 0 r q e g) S).
Qed.

(** Over a run: a process blocked sending on [e] (waiting at generation
    [g]) at the end was blocked so at the start, or blocked at a step of
    the run that it invoked itself, after which it is blocked so, and at
    which it held [e] (at generation [g]) through its capability space
    with the write right, or [e] was its fault endpoint. *)
Theorem run_send_blocked : forall ks ks' q e g, krun ks ks' -> sb (procs ks') q e g ->
  sb (procs ks) q e g \/
  exists k1 k2, in_run (AProc q) k1 k2 ks ks' /\ sb (procs k2) q e g /\ frame_gen (core k1) e = g /\
    (holds (core k1) (p_cspace (procs k1) q) e Wr \/ e = p_fault_ep (procs k1) q).
Proof.
  intros ks ks' q e g R. induction R as [ks|a ks1 ks2 ks3 S R IH]; intros H; [left; exact H|].
  destruct (IH H) as [H2|(k1 & k2 & IR & Hk & G & A)].
  - destruct (kstep_send_blocked a ks1 ks2 q e g S H2) as [H1|(-> & G & A)]; [left; exact H1|right].
    exists ks1, ks2. split; [apply ir_here; assumption|auto].
  - right. exists k1, k2. split; [eapply ir_later; eassumption|auto].
Qed.

(** From boot, where no process exists: the sender an [ipc_recv] takes
    its message from (blocked on the endpoint the receiver holds with
    read, at the endpoint's current generation) blocked there by its own
    send at an earlier step, holding that same endpoint object (same
    generation) through its capability space with the write right; or by
    its own fault, on its fault endpoint (a fault message names no
    capability). *)
Theorem ipc_recv_sender_authority : forall r cs ks0 ks cur slot e ks',
  kboot r cs = (E_OK, ks0) -> krun ks0 ks -> ipc_recv ks cur slot = (e, ks') ->
  core ks' = core ks \/
  exists ep s, invoke_lookup (core ks) (p_cspace (procs ks) cur) slot OT_ENDPOINT true false = Ok ep /\
    delivered (core ks) (core ks') (p_cspace (procs ks) s) (p_cspace (procs ks) cur) /\
    exists k1 k2, in_run (AProc s) k1 k2 ks0 ks /\
      frame_gen (core k1) (cap_obj ep) = frame_gen (core ks) (cap_obj ep) /\
      (holds (core k1) (p_cspace (procs k1) s) (cap_obj ep) Wr \/
       cap_obj ep = p_fault_ep (procs k1) s).
Proof.
  intros r cs ks0 ks cur slot e ks' B R H.
  apply ipc_recv_transfer in H as [E|(ep & s & _ & L & _ & Sb & Wt & Wg & D & _)]; [left; exact E|right].
  exists ep, s. split; [exact L|split; [exact D|]].
  assert (SB : sb (procs ks) s (cap_obj ep) (frame_gen (core ks) (cap_obj ep)))
    by (split; [exact Sb|split; assumption]).
  destruct (run_send_blocked _ _ _ _ _ R SB) as [S0|(k1 & k2 & IR & _ & G & A)].
  - exfalso. unfold kboot in B. destruct (kernel_init r cs) as [e0 st0]. inversion B; subst.
    destruct S0 as [[St|St] _]; cbn in St; discriminate.
  - exists k1, k2. auto.
Qed.

(** *** Survival: what a step may destroy *)

(** [c] holds, with the write right, a container from whose subtree [x]
    was allocated, or one in whose subtree lies a container that is [x]
    or from whose subtree [x] was allocated: what
    [Main.destruction_confined] says a destruction needs. *)
Definition kill_cover (st : State) (c x : nat) : Prop :=
  exists s k, lookup st c s (Some OT_CONTAINER) false true = Ok k /\
    (in_subtree st (frame_owner st x) (cap_obj k) = true \/
     exists t, in_subtree st t (cap_obj k) = true /\
               (x = t \/ in_subtree st (frame_owner st x) t = true)).

Definition frame_same (st st' : State) (x : nat) : Prop :=
  frame_type st' x = frame_type st x /\ frame_gen st' x = frame_gen st x.

Lemma live_not_free : forall st x, live st x = true -> frame_type st x <> OT_FREE.
Proof. intros st x L E. unfold live in L. rewrite E in L. discriminate. Qed.

Lemma alloc_frame_other : forall st f x, alloc_frame st = Ok f -> live st x = true -> x <> f.
Proof.
  intros st f x A L E. subst. apply alloc_frame_ok in A as [_ Ff].
  exact (live_not_free _ _ L Ff).
Qed.

Lemma alloc_object_frames : forall st cs a rt d e st' x,
  alloc_object st cs a rt d = (e, st') -> live st x = true -> frame_same st st' x.
Proof.
  intros st cs a rt d e st' x H L. unfold alloc_object in H.
  apply commit_cases in H as [[H _]| ->]; [|split; reflexivity].
  peel H. apply Ok_inj in H; subst st'.
  match goal with G : alloc_frame _ = Ok ?f |- _ => pose proof (alloc_frame_other _ _ _ G L) as N end.
  split; cbn; [apply upd_neq; exact N|reflexivity].
Qed.

Lemma freed_not_live : forall st x, freed_type (frame_type st x) -> live st x = false.
Proof. intros st x [E|E]; unfold live; rewrite E; reflexivity. Qed.

Lemma op_frames_or_dead : forall cs st st' x, op_by cs st st' -> x < NFRAMES -> live st x = true ->
  frame_same st st' x \/ live st' x = false.
Proof.
  intros cs st st' x S Hx L.
  destruct S as [st a b c e st' H|st a b c e st' H
    |st a b e st' H|st a b e st' H|st a dcs b r w g e st' H
    |st a dcs b r w g y e st' H|st a dcs b e st' H|st a e st' H
    |st a b c e st' H].
  - left. unfold container_create in H.
    apply commit_cases in H as [[H _]| ->]; [|split; reflexivity].
    peel H. apply Ok_inj in H; subst st'.
    match goal with G : alloc_frame _ = Ok ?f |- _ => pose proof (alloc_frame_other _ _ _ G L) as N end.
    split; cbn; [apply upd_neq; exact N|reflexivity].
  - left. eapply alloc_object_frames; eassumption.
  - unfold obj_free in H. apply commit_cases in H as [[H _]| ->]; [|left; split; reflexivity].
    peel H. apply Ok_inj in H; subst st'.
    match goal with |- context [free_frame _ ?o] => destruct (Nat.eq_dec x o) as [->|N] end.
    + right. unfold live. cbn. rewrite upd_eq. unfold bumped_type. destruct (N.eqb _ _); reflexivity.
    + left. split; cbn; rewrite upd_neq by exact N; reflexivity.
  - pose proof H as H0. unfold container_destroy in H0.
    apply commit_cases in H0 as [[_ E]| ->]; [subst e|left; split; reflexivity].
    destruct (container_destroy_exact st cs a b st' H x Hx) as [D K].
    destruct (Nat.eq_dec x (cap_obj (cap st cs b))) as [Et|Nt].
    + right. apply freed_not_live, (proj1 (D (conj L (or_introl Et)))).
    + destruct (in_subtree st (frame_owner st x) (cap_obj (cap st cs b))) eqn:I.
      * right. apply freed_not_live, (proj1 (D (conj L (or_intror eq_refl)))).
      * left. apply K. intros (_ & [E|E]); [contradiction|discriminate].
  - left. unfold cap_copy in H. apply commit_cases in H as [[H _]| ->]; [|split; reflexivity].
    peel H. apply Ok_inj in H; subst st'. split; reflexivity.
  - left. unfold cap_mint in H. apply commit_cases in H as [[H _]| ->]; [|split; reflexivity].
    peel H. apply Ok_inj in H; subst st'. split; reflexivity.
  - left. unfold cap_move in H. apply commit_cases in H as [[H _]| ->]; [|split; reflexivity].
    peel H. apply Ok_inj in H; subst st'. split; reflexivity.
  - left. unfold cap_delete in H. apply commit_cases in H as [[H _]| ->]; [|split; reflexivity].
    peel H. apply Ok_inj in H; subst st'. split; reflexivity.
  - left. unfold fwd_create in H.
    apply commit_cases in H as [[H _]| ->]; [|split; reflexivity].
    peel H. apply Ok_inj in H; subst st'.
    match goal with G : alloc_frame _ = Ok ?f |- _ => pose proof (alloc_frame_other _ _ _ G L) as N end.
    split; cbn; [apply upd_neq; exact N|reflexivity].
Qed.

Lemma op_frames : forall cs st st' x, op_by cs st st' -> x < NFRAMES -> live st x = true ->
  frame_same st st' x \/ kill_cover st cs x.
Proof.
  intros cs st st' x S Hx L.
  destruct (op_frames_or_dead cs st st' x S Hx L) as [F|D]; [left; exact F|right].
  destruct (destruction_confined cs st st' x S Hx L D) as (s & k & Lk & C). exists s, k. auto.
Qed.

Lemma cstep_frames : forall cs st st' x, cstep_by cs st st' -> x < NFRAMES -> live st x = true ->
  frame_same st st' x \/ kill_cover st cs x.
Proof.
  intros cs st st' x S Hx L. destruct S.
  - eapply op_frames; [eapply by_container_create; eassumption|assumption|assumption].
  - eapply op_frames; [eapply by_obj_alloc; eassumption|assumption|assumption].
  - eapply op_frames; [eapply by_obj_free; eassumption|assumption|assumption].
  - eapply op_frames; [eapply by_container_destroy; eassumption|assumption|assumption].
  - eapply op_frames; [eapply by_cap_copy; eassumption|assumption|assumption].
  - eapply op_frames; [eapply by_cap_mint; eassumption|assumption|assumption].
  - eapply op_frames; [eapply by_cap_move; eassumption|assumption|assumption].
  - eapply op_frames; [eapply by_cap_delete; eassumption|assumption|assumption].
  - eapply op_frames; [eapply by_fwd_create; eassumption|assumption|assumption].
  - left. eapply alloc_object_frames; eassumption.
  - left. eapply alloc_object_frames; eassumption.
Qed.

Lemma frame_same_core : forall st st' x, st' = st -> frame_same st st' x.
Proof. intros; subst; split; reflexivity. Qed.

Lemma frame_same_sf : forall st st' x, same_frames st st' -> frame_same st st' x.
Proof. intros st st' x (T & G & _). split; [rewrite T|rewrite G]; reflexivity. Qed.

Lemma irq_handler_create_frames : forall ks cs a b s d x, live (core ks) x = true ->
  frame_same (core ks) (core (snd (irq_handler_create ks cs a b s d))) x.
Proof.
  intros ks cs a b s d x L. unfold irq_handler_create, kcommit. cbn [bind guard].
  destruct (cspace_ok _ _); [|split; reflexivity]. cbn [bind].
  destruct (lookup _ _ _ _ _ _); cbn [bind]; [|split; reflexivity].
  destruct (_ && _); cbn [bind]; [|split; reflexivity].
  destruct (negb _); cbn [bind]; [|split; reflexivity].
  destruct (handler_alloc (core ks) cs b d) as [e st'] eqn:T.
  destruct e; try (split; reflexivity). cbn [snd core].
  eapply alloc_object_frames; eassumption.
Qed.

(** A labelled step of the kernel keeps every live frame that is not a
    page table as it is (type and generation), or its invoker holds
    with the write right a container covering it ([kill_cover]). *)
Lemma kstep_frames : forall a ks ks' x, kstep_by a ks ks' -> x < NFRAMES ->
  live (core ks) x = true -> frame_type (core ks) x <> OT_PAGETABLE ->
  frame_same (core ks) (core ks') x \/ exists c, actor_cs a ks = Some c /\ kill_cover (core ks) c x.
Proof.
  intros a ks ks' x H Hx L NP.
  assert (CS : forall cs st', cstep_by cs (core ks) st' ->
     frame_same (core ks) st' x \/ exists c, actor_cs (ACs cs) ks = Some c /\ kill_cover (core ks) c x).
  { intros cs st' C. destruct (cstep_frames cs _ _ x C Hx L) as [F|K]; [left; exact F|right; exists cs; auto]. }
  destruct H.
  - apply CS. exact H.
  - rewrite obj_alloc_k_core. apply CS. eapply cb_obj_alloc. apply surjective_pairing.
  - left. unfold proc_create, kcommit in H.
    destruct (_ : res KState) eqn:R in H; inversion H; subst; clear H; [|split; reflexivity].
    peel R. apply Ok_inj in R; subst. cbn [core].
    match goal with G : alloc_frame _ = Ok ?f |- _ => pose proof (alloc_frame_other _ _ _ G L) as N end.
    split; cbn; [apply upd_neq; exact N|reflexivity].
  - left; apply frame_same_core, proc_resume_core.
  - left; apply frame_same_core, proc_suspend_core.
  - left; apply frame_same_core, proc_write_reg_core.
  - left; apply frame_same_core, proc_set_fault_core.
  - left. unfold kobj_alloc in H.
    destruct (_ : res (nat * State)) eqn:R in H; [destruct p|]; inversion H; subst; clear H;
      [|split; reflexivity].
    peel R. apply Ok_inj in R. inversion R; subst; clear R. cbn [core with_core].
    match goal with G : alloc_frame _ = Ok ?f |- _ => pose proof (alloc_frame_other _ _ _ G L) as N end.
    split; cbn; [apply upd_neq; exact N|reflexivity].
  - left; split; reflexivity.
  - left. destruct (reap_pts_other (with_procs (with_procs ks (reap_states ks))
               (reap_waits (with_procs ks (reap_states ks)) NFRAMES)) NFRAMES x NP) as [T G].
    split; assumption.
  - left; split; reflexivity.
  - left. apply frame_same_core. apply ipc_send_info in H. apply H.
  - left. destruct (deliver_delivered ks cur r) as [_ S].
    rewrite <- ipc_send_to_core with (c := c) in S. apply frame_same_sf; exact S.
  - left. apply ipc_recv_transfer in H as [E|(ep & s0 & _ & _ & _ & _ & _ & _ & _ & S)];
      [apply frame_same_core; exact E|apply frame_same_sf; exact S].
  - left. apply ipc_reply_transfer in H as [E|(_ & _ & _ & S)];
      [apply frame_same_core; exact E|apply frame_same_sf; exact S].
  - left; apply frame_same_core, ipc_fault_core.
  - left; apply frame_same_core, ntfn_signal_core.
  - left; apply frame_same_core, ntfn_wait_core.
  - left. destruct (ipc_fast_call_transfer ks cur) as [E|(ep & r & _ & _ & _ & _ & _ & S & _)];
      [apply frame_same_core; exact E|apply frame_same_sf; exact S].
  - left. destruct (ipc_fast_reply_recv_steps ks cur) as (e1 & ks1 & e2 & ks2 & E1 & E2 & C).
    rewrite C.
    assert (S1 : same_frames (core ks) (core ks1)).
    { apply ipc_reply_transfer in E1 as [E|(_ & _ & _ & S)]; [rewrite E; apply same_frames_refl|exact S]. }
    assert (S2 : same_frames (core ks1) (core ks2)).
    { apply ipc_recv_transfer in E2 as [E|(ep & s0 & _ & _ & _ & _ & _ & _ & _ & S)];
        [rewrite E; apply same_frames_refl|exact S]. }
    apply frame_same_sf. eapply same_frames_trans; eassumption.
  - left; apply frame_same_core, ntfn_fast_signal_core.
  - left; apply frame_same_core, (proj1 (sched_core ks)).
  - left; apply frame_same_core, (proj2 (sched_core ks)).
  - left; apply irq_handler_create_frames; exact L.
  - left; apply frame_same_core, irq_set_ntfn_core.
  - left; apply frame_same_core, irq_ack_core.
  - left; apply frame_same_core, irq_deliver_core.
  - left; apply frame_same_core, timer_set_core.
  - left; apply frame_same_core, timer_cancel_core.
  - left; apply frame_same_core, timer_fire_core.
Qed.

(** A system call keeps every live frame that is not a page table as it
    is (type and generation), or its invoker holds with the write right
    a container covering it ([kill_cover]). *)
Theorem sstep_frames : forall a ks ks' x, sstep_by a ks ks' -> x < NFRAMES ->
  live (core ks) x = true -> frame_type (core ks) x <> OT_PAGETABLE ->
  frame_same (core ks) (core ks') x \/ exists c, actor_cs a ks = Some c /\ kill_cover (core ks) c x.
Proof.
  intros a ks ks' x H Hx L NP.
  destruct (sstep_kstep a ks ks' H) as [->|[K|(cur & s & c & e & _ & F)]].
  - left; split; reflexivity.
  - exact (kstep_frames a ks ks' x K Hx L NP).
  - left. apply ipc_send_transfer in F as [E|(ep & r & _ & _ & _ & _ & _ & S & _)];
      [apply frame_same_core; exact E|apply frame_same_sf; exact S].
Qed.

(** The invoker of a step holds no container covering a capability space
    of [B] ([kill_cover]: no common container ancestor with the write
    right). *)
Definition no_kill_cover (ks : KState) (a : Actor) (B : nat -> Prop) : Prop :=
  forall c, actor_cs a ks = Some c -> forall x, B x -> frame_type (core ks) x = OT_CSPACE ->
    ~ kill_cover (core ks) c x.

Inductive iso_run_cover (B : nat -> Prop) : KState -> KState -> Prop :=
| irc_done : forall ks, iso_run_cover B ks ks
| irc_step : forall a ks1 ks2 ks3, sstep_by a ks1 ks2 -> no_write_chain ks1 a B ->
    no_kill_cover ks1 a B -> iso_run_cover B ks2 ks3 -> iso_run_cover B ks1 ks3.

(** Isolation, survival included: along any interleaving of kernel steps
    and of system calls whose invokers have no write chain to [B] and
    hold no container covering a capability space of [B] (both checked
    at each step), every capability space of [B] stays one, of the same
    generation, with exactly the same slots. *)
Theorem isolation_run_survives : forall B ks ks' x,
  iso_run_cover B ks ks' -> B x -> x < NFRAMES -> frame_type (core ks) x = OT_CSPACE ->
  frame_type (core ks') x = OT_CSPACE /\ frame_gen (core ks') x = frame_gen (core ks) x /\
  forall y, cap (core ks') x y = cap (core ks) x y.
Proof.
  intros B ks ks' x R. induction R as [ks|a ks1 ks2 ks3 S N K R IH]; intros Bx Hx T;
    [split; [exact T|split; [reflexivity|reflexivity]]|].
  assert (L : live (core ks1) x = true) by (unfold live; rewrite T; reflexivity).
  destruct (sstep_frames a ks1 ks2 x S Hx L ltac:(rewrite T; discriminate)) as [[T2 G2]|(c & A & C)];
    [|exfalso; exact (K c A x Bx T C)].
  rewrite T in T2.
  destruct (IH Bx Hx T2) as (T3 & G3 & C3).
  split; [exact T3|split; [rewrite G3; exact G2|]].
  intros y. rewrite C3. exact (isolation_step a ks1 ks2 B x S N Bx T T2 y).
Qed.

End Sized.
