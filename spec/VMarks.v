(** * VMarks: the C's steps, the mark invariant, no revival through an emptied slot

    [VRuns.vstep_by] is a superset of what the C does: its [vb_sys]
    takes every [Runs.sstep_by] step with the address spaces unchanged,
    so also the bare core [cap_delete] ([ss_cap_delete]) and
    [sys_cap_move_caps] ([ss_cap_move]), which empty a slot and leave
    its mark ([VRuns.bare_delete_revives]), and the destructions without
    their reaper. This file:

    1. [vstep_c], the C's steps: [vstep_by] less those bare steps. The
       system calls and kernel steps of [sstep_c] ([Runs.sstep_by] less
       [ss_cap_delete], [ss_cap_move], [ss_obj_free],
       [ss_container_destroy], and [ss_proc_create] when it succeeds),
       and the C's compositions: [vc_obj_free] (SYS_OBJ_FREE since
       commit 37ad752a, [VSpace.sys_obj_free_c]: the slot's object and
       type read, [obj_free], then [obj_gone] of them; before that
       commit it was [obj_free] then [reap ()], [VRuns.after_destroy],
       which [vstep_c] no longer takes), [vc_container_destroy]
       ([container_destroy] then [reap ()]), [vc_proc_create],
       [vc_map], [vc_unmap], [vc_cap_delete] ([sys_cap_delete]:
       [cap_delete] then [vs_slot_gone]), [vc_cap_move]
       ([sys_cap_move]: [cap_move] then [vs_follow]).
       [vstep_c_vstep], [vrun_c_vrun]: every [vstep_c] step (run) is a
       [vstep_by] step (run), so every theorem of [VRuns.v] and
       [VAgree.v] about [vstep_by] holds of the C's steps.
    2. The mark invariant [marks_inv]: for every mapping record in use
       made through a slot of a capability space (not a boot mapping),
       (a) the recorded generation of that capability space is not
       ahead of the frame's, and if it is the frame's, the frame is a
       capability space ([cs_current]); (b) if the slot's mark names
       the record back, at that generation ([slot_live]), the slot is
       not empty. MODEL.md's "an empty slot's mark names no mapping in
       force", in the form the steps keep. [marks_inv_boot] (no record
       in use, as the C's zeroed tables at boot), [marks_inv_step],
       [marks_inv_run]: kept by every [vstep_c] step and run. It is false
       along [vstep_by] ([bare_delete_revives]'s first step empties the
       slot and keeps record and mark).
    3. No revival through the slot: [slot_revival_step],
       [slot_revival_run]: along [vstep_c], a record whose slot half is
       not in force ([m_used && slot_live] false: not in use, or its
       slot's mark does not name it, or its capability space died)
       comes back in use and marked only by a successful [sys_map] of
       a running process (which re-makes it). [no_revival_empty_slot]:
       a mapping in use whose slot is empty (the state
       [bare_delete_revives] reaches after its bare delete) is out of
       force, and is in force in a later state of a [vstep_c] run only
       if some step in between was a successful [sys_map]: the
       negation, for the C's steps, of [bare_delete_revives].

    Not proved here: that a mapping out of force for another reason
    (its process, its frame, a forwarder on its chain died while the
    slot kept its capability) stays out of force until a map; see
    spec/README.md. *)

From Coq Require Import Arith NArith ZArith Bool Lia List.
From Spec Require Import Model Ops Facts Gens Invariants Preservation Confinement Accounting Tree Procs
  ProcTheorems Decode Runs VSpace VRuns.

Section Sized.
Context {SZ : Sizes}.

(** The architecture's parts, as in [VSpace.v] and [VRuns.v]. *)
Variable ppn_of : nat -> N.
Variable frame_of_ppn : N -> nat.
Variable vs_kernel_satp : N.
Variable vs_kroot : list (nat * N).

Local Notation vstep_by := (VRuns.vstep_by ppn_of frame_of_ppn vs_kernel_satp vs_kroot).
Local Notation vrun := (VRuns.vrun ppn_of frame_of_ppn vs_kernel_satp vs_kroot).
Local Notation sys_map := (VSpace.sys_map ppn_of frame_of_ppn vs_kroot).
Local Notation after_destroy := (VRuns.after_destroy frame_of_ppn).
Local Notation after_gone := (VRuns.after_gone frame_of_ppn).
Local Notation sys_obj_free_c := (VSpace.sys_obj_free_c frame_of_ppn).

(** ** 1. The C's steps *)

(** The system calls and kernel steps of [Runs.sstep_by] that the C
    takes as they are: all but the bare [cap_delete] and
    [sys_cap_move_caps] (the C runs [vs_slot_gone] after the one and
    [vs_follow] inside the other), the destructions without their
    reaper, and a successful [proc_create] without [vs_proc_init]. The
    C's compositions are [vstep_c]'s own constructors. *)
Inductive sstep_c : Actor -> KState -> KState -> Prop :=
| sc_container_create : forall ks cs a b c e st',
    container_create (core ks) cs a b c = (e, st') -> sstep_c (ACs cs) ks (with_core ks st')
| sc_fwd_create : forall ks cs a b c e st',
    fwd_create (core ks) cs a b c = (e, st') -> sstep_c (ACs cs) ks (with_core ks st')
| sc_typed_alloc : forall ks cs a t b e st',
    typed_alloc (core ks) cs a t b = (e, st') -> sstep_c (ACs cs) ks (with_core ks st')
| sc_cap_copy : forall ks cs a0 a1 a2 a3 e ks',
    sys_cap_copy ks cs a0 a1 a2 a3 = (e, ks') -> sstep_c (ACs cs) ks ks'
| sc_cap_mint : forall ks cs a0 a1 a2 a3 a4 e ks',
    sys_cap_mint ks cs a0 a1 a2 a3 a4 = (e, ks') -> sstep_c (ACs cs) ks ks'
| sc_obj_alloc_k : forall ks cs a t d, sstep_c (ACs cs) ks (snd (obj_alloc_k ks cs a t d))
| sc_proc_create_refused : forall ks cs caller a b dst prio e ks',
    proc_create ks cs caller a b dst prio = (e, ks') -> e <> E_OK -> sstep_c (ACs cs) ks ks'
| sc_proc_resume : forall ks cs s, sstep_c (ACs cs) ks (snd (proc_resume ks cs s))
| sc_proc_suspend : forall ks cs s, sstep_c (ACs cs) ks (snd (proc_suspend ks cs s))
| sc_proc_write_reg : forall ks cs s r v, sstep_c (ACs cs) ks (snd (proc_write_reg ks cs s r v))
| sc_proc_set_fault : forall ks cs s es, sstep_c (ACs cs) ks (snd (proc_set_fault ks cs s es))
| sc_kobj_alloc : forall ks cont t e f ks', kobj_alloc ks cont t = (e, f, ks') -> sstep_c AKernel ks ks'
| sc_pt_bind : forall ks f q, sstep_c AKernel ks (pt_bind ks f q)
| sc_proc_reap : forall ks, sstep_c AKernel ks (proc_reap ks)
| sc_ipc_send : forall ks cur s c e ks', ipc_send_full ks cur s c = (e, ks') -> sstep_c (AProc cur) ks ks'
| sc_ipc_recv : forall ks cur s e ks', ipc_recv ks cur s = (e, ks') -> sstep_c (AProc cur) ks ks'
| sc_ipc_reply : forall ks cur e ks', ipc_reply ks cur = (e, ks') -> sstep_c (AProc cur) ks ks'
| sc_ipc_fault : forall ks cur l a b c, sstep_c (AProc cur) ks (snd (ipc_fault ks cur l a b c))
| sc_ntfn_signal : forall ks cs s b, sstep_c (ACs cs) ks (snd (ntfn_signal ks cs s b))
| sc_ntfn_wait : forall ks cur s, sstep_c (AProc cur) ks (snd (ntfn_wait ks cur s))
| sc_ipc_fast_call : forall ks cur, sstep_c (AProc cur) ks (ipc_fast_call ks cur)
| sc_ipc_fast_reply_recv : forall ks cur, sstep_c (AProc cur) ks (ipc_fast_reply_recv ks cur)
| sc_ntfn_fast_signal : forall ks cur, sstep_c (AProc cur) ks (ntfn_fast_signal ks cur)
| sc_sched_pick : forall ks, sstep_c AKernel ks (snd (sched_pick ks))
| sc_sched_tick : forall ks, sstep_c AKernel ks (sched_tick ks)
| sc_irq_handler_create : forall ks cs a b s d,
    sstep_c (ACs cs) ks (snd (irq_handler_create ks cs a b s d))
| sc_irq_set_ntfn : forall ks cs h n, sstep_c (ACs cs) ks (snd (irq_set_ntfn ks cs h n))
| sc_irq_ack : forall ks cs h, sstep_c (ACs cs) ks (snd (irq_ack ks cs h))
| sc_irq_deliver : forall ks s, sstep_c AKernel ks (snd (irq_deliver ks s))
| sc_timer_set : forall ks cs t n d, sstep_c (ACs cs) ks (snd (timer_set ks cs t n d))
| sc_timer_cancel : forall ks cs t, sstep_c (ACs cs) ks (snd (timer_cancel ks cs t))
| sc_timer_fire : forall ks r, sstep_c AKernel ks (snd (timer_fire ks r)).

Lemma sstep_c_sstep : forall a ks ks', sstep_c a ks ks' -> sstep_by a ks ks'.
Proof.
  intros a ks ks' H. destruct H.
  - eapply ss_container_create; eassumption.
  - eapply ss_fwd_create; eassumption.
  - eapply ss_typed_alloc; eassumption.
  - eapply ss_cap_copy; eassumption.
  - eapply ss_cap_mint; eassumption.
  - apply ss_obj_alloc_k.
  - eapply ss_proc_create; eassumption.
  - apply ss_proc_resume.
  - apply ss_proc_suspend.
  - apply ss_proc_write_reg.
  - apply ss_proc_set_fault.
  - eapply ss_kobj_alloc; eassumption.
  - apply ss_pt_bind.
  - apply ss_proc_reap.
  - eapply ss_ipc_send; eassumption.
  - eapply ss_ipc_recv; eassumption.
  - eapply ss_ipc_reply; eassumption.
  - apply ss_ipc_fault.
  - apply ss_ntfn_signal.
  - apply ss_ntfn_wait.
  - apply ss_ipc_fast_call.
  - apply ss_ipc_fast_reply_recv.
  - apply ss_ntfn_fast_signal.
  - apply ss_sched_pick.
  - apply ss_sched_tick.
  - apply ss_irq_handler_create.
  - apply ss_irq_set_ntfn.
  - apply ss_irq_ack.
  - apply ss_irq_deliver.
  - apply ss_timer_set.
  - apply ss_timer_cancel.
  - apply ss_timer_fire.
Qed.

(** The C's steps: [vstep_by] less the bare slot steps ([vb_sys] with
    [ss_cap_delete] or [ss_cap_move]), the destructions without their
    reaper and a process creation without [vs_proc_init]; SYS_OBJ_FREE
    as the C runs it since 37ad752a ([sys_obj_free_c], [vstep_by]'s
    [vb_obj_gone]), not [vb_obj_free]'s earlier composition. *)
Inductive vstep_c : Actor -> KState * VS -> KState * VS -> Prop :=
| vc_sys : forall a ks ks' vs, sstep_c a ks ks' -> vstep_c a (ks, vs) (ks', vs)
| vc_obj_free : forall s cs a0 a1 hi e s', sys_obj_free_c s hi cs a0 a1 = (e, s') ->
    vstep_c (ACs cs) s s'
| vc_container_destroy : forall ks vs cs a b e st' hi, container_destroy (core ks) cs a b = (e, st') ->
    vstep_c (ACs cs) (ks, vs) (after_destroy e (with_core ks st') vs hi)
| vc_proc_create : forall ks vs cs caller a b dst prio ks',
    proc_create ks cs caller a b dst prio = (E_OK, ks') ->
    vstep_c (ACs cs) (ks, vs) (vs_proc_init vs_kernel_satp (ks', vs) (cap_obj (cap (core ks') cs dst)))
| vc_map : forall s cur proc frame va perm e s',
    sys_map s cur (p_cspace (procs (fst s)) cur) proc frame va perm = (e, s') ->
    vstep_c (AProc cur) s s'
| vc_unmap : forall s cur proc va e s',
    sys_unmap frame_of_ppn s cur (p_cspace (procs (fst s)) cur) proc va = (e, s') ->
    vstep_c (AProc cur) s s'
| vc_cap_delete : forall s cs a0 e s', sys_cap_delete frame_of_ppn s cs a0 = (e, s') ->
    vstep_c (ACs cs) s s'
| vc_cap_move : forall s cs a0 a1 a2 e s', sys_cap_move s cs a0 a1 a2 = (e, s') ->
    vstep_c (ACs cs) s s'.

(** Every step of the C is a step of [vstep_by]: every theorem about
    [vstep_by] steps and runs holds of the C's. *)
Theorem vstep_c_vstep : forall a s s', vstep_c a s s' -> vstep_by a s s'.
Proof.
  intros a s s' H. destruct H.
  - apply vb_sys. apply sstep_c_sstep. exact H.
  - rewrite sys_obj_free_c_gone in H. inversion H; subst. destruct s as [ks vs].
    eapply vb_obj_gone. apply surjective_pairing.
  - eapply vb_container_destroy; eassumption.
  - eapply vb_proc_create; eassumption.
  - eapply vb_map; eassumption.
  - eapply vb_unmap; eassumption.
  - eapply vb_cap_delete; eassumption.
  - eapply vb_cap_move; eassumption.
Qed.

Inductive vrun_c : KState * VS -> KState * VS -> Prop :=
| vc_done : forall s, vrun_c s s
| vc_step : forall a s1 s2 s3, vstep_c a s1 s2 -> vrun_c s2 s3 -> vrun_c s1 s3.

Theorem vrun_c_vrun : forall s s', vrun_c s s' -> vrun s s'.
Proof.
  intros s s' R. induction R as [s|a s1 s2 s3 S R IH]; [apply vr_done|].
  eapply vr_step; [apply vstep_c_vstep; exact S|exact IH].
Qed.

(** A step of a run of [vstep_c]. *)
Inductive in_vrun_c (a : Actor) (k1 k2 : KState * VS) : KState * VS -> KState * VS -> Prop :=
| ivc_here : forall s3, vstep_c a k1 k2 -> vrun_c k2 s3 -> in_vrun_c a k1 k2 k1 s3
| ivc_later : forall b s1 s2 s3, vstep_c b s1 s2 -> in_vrun_c a k1 k2 s2 s3 -> in_vrun_c a k1 k2 s1 s3.

(** ** Slots that stay full *)

(** From [st] to [st'], no slot of a capability space that is one at
    both ends, with the same generation, is emptied, except the slots
    [E]. *)
Definition keeps_full (E : nat -> nat -> Prop) (st st' : State) : Prop :=
  forall x y, ~ E x y -> frame_type st x = OT_CSPACE -> frame_type st' x = OT_CSPACE ->
    frame_gen st' x = frame_gen st x ->
    cap_type (cap st x y) <> OT_FREE -> cap_type (cap st' x y) <> OT_FREE.

Definition no_slot (x y : nat) : Prop := False.

(** What a step does to one slot: kept, or it was empty, or it is full
    after, or it is not (was not) a capability space's. *)
Definition fills (st st' : State) (x y : nat) : Prop :=
  cap st' x y = cap st x y \/ cap_type (cap st x y) = OT_FREE \/ cap_type (cap st' x y) <> OT_FREE \/
  frame_type st x <> OT_CSPACE \/ frame_type st' x <> OT_CSPACE.

Lemma fills_keeps : forall st st', (forall x y, fills st st' x y) -> keeps_full no_slot st st'.
Proof.
  intros st st' F x y _ T T' _ NF.
  destruct (F x y) as [E|[E|[E|[E|E]]]]; [rewrite E; exact NF|contradiction|exact E|contradiction|contradiction].
Qed.

Lemma fills_refl : forall st st' x y, cap st' x y = cap st x y -> fills st st' x y.
Proof. intros; left; assumption. Qed.

Lemma keeps_full_trans : forall E st1 st2 st3,
  safe st1 st2 -> safe st2 st3 -> keeps_full E st1 st2 -> keeps_full E st2 st3 -> keeps_full E st1 st3.
Proof.
  intros E st1 st2 st3 S1 S2 K1 K2 x y NE T1 T3 G NF.
  destruct (cspace_between st1 st2 st3 x S1 S2 T1 T3 G) as [T2 G2].
  apply (K2 x y NE T2 T3); [congruence|]. exact (K1 x y NE T1 T2 G2 NF).
Qed.

Lemma keeps_full_none : forall (E : nat -> nat -> Prop) st st', keeps_full no_slot st st' -> keeps_full E st st'.
Proof. intros E st st' K x y _. apply K. intro F; exact F. Qed.

Lemma alloc_fills : forall st st1 cs d k f x y,
  frame_type st f = OT_FREE -> cap st1 = upd (cap st) f (fun _ => null_cap) ->
  cap_type (cap st cs d) = OT_FREE -> fills st (set_cap st1 cs d k) x y.
Proof.
  intros st st1 cs d k f x y Ff C Fd. unfold fills.
  destruct (Nat.eq_dec x f) as [->|Nx].
  - right; right; right; left. rewrite Ff. discriminate.
  - destruct (Nat.eq_dec x cs) as [->|Nc]; [destruct (Nat.eq_dec y d) as [->|Ny]|].
    + right; left; exact Fd.
    + left. rewrite set_cap_other by congruence. rewrite C. rewrite upd_neq by exact Nx. reflexivity.
    + left. rewrite set_cap_other by congruence. rewrite C. rewrite upd_neq by exact Nx. reflexivity.
Qed.

Lemma set_fills : forall st cs d k x y, cap_type (cap st cs d) = OT_FREE -> fills st (set_cap st cs d k) x y.
Proof.
  intros st cs d k x y Fd. unfold fills.
  destruct (Nat.eq_dec x cs) as [->|Nc]; [destruct (Nat.eq_dec y d) as [->|Ny]|].
  - right; left; exact Fd.
  - left. apply set_cap_other. congruence.
  - left. apply set_cap_other. congruence.
Qed.

Lemma alloc_object_fills : forall st cs a rt d e st' x y,
  alloc_object st cs a rt d = (e, st') -> fills st st' x y.
Proof.
  intros st cs a rt d e st' x y H. unfold alloc_object in H.
  apply commit_cases in H as [[H _]| ->]; [|left; reflexivity].
  peel H. apply Ok_inj in H; subst st'.
  match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [Hf Ff] end.
  match goal with F : free_dst _ _ _ = Ok _ |- _ => apply free_dst_ok in F as [_ Fd] end.
  eapply alloc_fills; [exact Ff|reflexivity|exact Fd].
Qed.

Lemma delivered_fills : forall st st' f t x y, delivered st st' f t ->
  cap st' x y = cap st x y \/ cap_type (cap st' x y) <> OT_FREE.
Proof.
  intros st st' f t x y D. destruct (D x y) as [E|(_ & s & _ & E & _ & V)]; [left; exact E|].
  right. rewrite E. apply (valid_not_free_type _ _ V).
Qed.

Lemma weak_fills : forall st st' x y, cap st' x y = cap st x y \/ cap_type (cap st' x y) <> OT_FREE ->
  fills st st' x y.
Proof. intros st st' x y [E|E]; [left; exact E|right; right; left; exact E]. Qed.

Lemma proc_create_fills : forall ks cs caller a b dst prio e ks' x y,
  proc_create ks cs caller a b dst prio = (e, ks') -> fills (core ks) (core ks') x y.
Proof.
  intros ks cs caller a b dst prio e ks' x y H. unfold proc_create, kcommit in H.
  destruct (_ : res KState) eqn:R in H; inversion H; subst; clear H; [|left; reflexivity].
  peel R. apply Ok_inj in R; subst. cbn [core].
  match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [Hf Ff] end.
  match goal with F : free_dst _ _ _ = Ok _ |- _ => apply free_dst_ok in F as [_ Fd] end.
  eapply alloc_fills; [exact Ff|reflexivity|exact Fd].
Qed.

(** Every step of [sstep_c] keeps every full slot of a capability space
    full. *)
Theorem sstep_c_fills : forall a ks ks', sstep_c a ks ks' -> forall x y, fills (core ks) (core ks') x y.
Proof.
  intros a ks ks' H x y.
  destruct H.
  - (* container_create *)
    rewrite core_with_core. unfold container_create in H.
    apply commit_cases in H as [[H _]| ->]; [|left; reflexivity].
    peel H. apply Ok_inj in H; subst st'.
    match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [Hf Ff] end.
    match goal with F : free_dst _ _ _ = Ok _ |- _ => apply free_dst_ok in F as [_ Fd] end.
    eapply alloc_fills; [exact Ff|reflexivity|exact Fd].
  - (* fwd_create *)
    rewrite core_with_core. unfold fwd_create in H.
    apply commit_cases in H as [[H _]| ->]; [|left; reflexivity].
    peel H. apply Ok_inj in H; subst st'.
    match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [Hf Ff] end.
    match goal with F : free_dst _ _ _ = Ok _ |- _ => apply free_dst_ok in F as [_ Fd] end.
    eapply alloc_fills; [exact Ff|reflexivity|exact Fd].
  - rewrite core_with_core. eapply alloc_object_fills; exact H.
  - (* sys_cap_copy *)
    unfold sys_cap_copy in H. destruct (rights_unpack a3) as [[[r w] g]|e']; [|inversion H; subst; left; reflexivity].
    destruct (dst_cspace ks cs a1) as [d|e']; [|inversion H; subst; left; reflexivity].
    unfold core_op in H. destruct (cap_copy _ _ _ _ _ _ _ _) as [e1 st1] eqn:C. inversion H; subst; clear H.
    rewrite core_with_core. unfold cap_copy in C.
    apply commit_cases in C as [[C _]| ->]; [|left; reflexivity].
    peel C. apply Ok_inj in C; subst st1.
    match goal with F : free_dst _ _ _ = Ok _ |- _ => apply free_dst_ok in F as [_ Fd] end.
    apply set_fills; exact Fd.
  - (* sys_cap_mint *)
    unfold sys_cap_mint in H. destruct (rights_unpack a3) as [[[r w] g]|e']; [|inversion H; subst; left; reflexivity].
    destruct (dst_cspace ks cs a1) as [d|e']; [|inversion H; subst; left; reflexivity].
    unfold core_op in H. destruct (cap_mint _ _ _ _ _ _ _ _ _) as [e1 st1] eqn:C. inversion H; subst; clear H.
    rewrite core_with_core. unfold cap_mint in C.
    apply commit_cases in C as [[C _]| ->]; [|left; reflexivity].
    peel C. apply Ok_inj in C; subst st1.
    match goal with F : free_dst _ _ _ = Ok _ |- _ => apply free_dst_ok in F as [_ Fd] end.
    apply set_fills; exact Fd.
  - rewrite obj_alloc_k_core. eapply alloc_object_fills. apply surjective_pairing.
  - eapply proc_create_fills; exact H.
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
    unfold fills. destruct (Nat.eq_dec x f) as [->|Nx]; [right; right; right; left; rewrite Ff; discriminate|left].
    cbn [cap make_object charge with_usage_own]. rewrite upd_neq by exact Nx. reflexivity.
  - left; reflexivity.
  - (* proc_reap *)
    destruct (reap_pts_writes (with_procs (with_procs ks (reap_states ks))
               (reap_waits (with_procs ks (reap_states ks)) NFRAMES)) NFRAMES x y) as [E|E];
    [left; exact E|right; right; right; left; cbn [core with_procs] in E; rewrite E; discriminate].
  - (* ipc_send_full *)
    apply weak_fills.
    apply ipc_send_transfer in H as [E|(ep & r & _ & L & W & Wt & D & _)]; [left; rewrite E; reflexivity|].
    exact (delivered_fills _ _ _ _ x y D).
  - apply weak_fills.
    apply ipc_recv_transfer in H as [E|(ep & s0 & _ & _ & _ & _ & _ & _ & D & _)]; [left; rewrite E; reflexivity|].
    exact (delivered_fills _ _ _ _ x y D).
  - apply weak_fills.
    apply ipc_reply_transfer in H as [E|(_ & RV & D & _)]; [left; rewrite E; reflexivity|].
    exact (delivered_fills _ _ _ _ x y D).
  - left; rewrite ipc_fault_core; reflexivity.
  - left; rewrite ntfn_signal_core; reflexivity.
  - left; rewrite ntfn_wait_core; reflexivity.
  - apply weak_fills.
    destruct (ipc_fast_call_transfer ks cur) as [E|(ep & r & _ & L & W & Wt & D & _)];
      [left; rewrite E; reflexivity|].
    exact (delivered_fills _ _ _ _ x y D).
  - apply weak_fills.
    destruct (ipc_fast_reply_recv_steps ks cur) as (e1 & ks1 & e2 & ks2 & E1 & E2 & C). rewrite C.
    assert (X2 : cap (core ks2) x y = cap (core ks1) x y \/ cap_type (cap (core ks2) x y) <> OT_FREE).
    { apply ipc_recv_transfer in E2 as [E|(ep & s & _ & _ & _ & _ & _ & _ & D & _)];
        [left; rewrite E; reflexivity|exact (delivered_fills _ _ _ _ x y D)]. }
    destruct X2 as [X2|X2]; [rewrite X2|right; exact X2].
    apply ipc_reply_transfer in E1 as [E|(_ & RV & D & _)]; [left; rewrite E; reflexivity|].
    exact (delivered_fills _ _ _ _ x y D).
  - left; rewrite ntfn_fast_signal_core; reflexivity.
  - left; rewrite (proj1 (sched_core ks)); reflexivity.
  - left; rewrite (proj2 (sched_core ks)); reflexivity.
  - (* irq_handler_create *)
    unfold irq_handler_create, kcommit. cbn [bind guard].
    destruct (cspace_ok _ _); [|left; reflexivity]. cbn [bind].
    destruct (lookup _ _ _ _ _ _); cbn [bind]; [|left; reflexivity].
    destruct (_ && _); cbn [bind]; [|left; reflexivity].
    destruct (negb _); cbn [bind]; [|left; reflexivity].
    destruct (handler_alloc (core ks) cs b d) as [e st'] eqn:T.
    destruct e; try (left; reflexivity). cbn [snd core].
    eapply alloc_object_fills; exact T.
  - left; rewrite irq_set_ntfn_core; reflexivity.
  - left; rewrite irq_ack_core; reflexivity.
  - left; rewrite irq_deliver_core; reflexivity.
  - left; rewrite timer_set_core; reflexivity.
  - left; rewrite timer_cancel_core; reflexivity.
  - left; rewrite timer_fire_core; reflexivity.
Qed.

(** ** 2. The mark invariant *)

(** The capability space a record names is at the recorded generation
    only while it is a capability space; it is never behind. *)
Definition cs_current (ks : KState) (vs : VS) (g : nat) : Prop :=
  (m_csgen vs g < frame_gen (core ks) (m_cs vs g))%N \/
  (m_csgen vs g = frame_gen (core ks) (m_cs vs g) /\ frame_type (core ks) (m_cs vs g) = OT_CSPACE).

(** The mark invariant: every record in use made through a slot of a
    capability space names a capability space that is current
    ([cs_current]), and if that slot's mark names the record back at
    that generation ([slot_live]), the slot is not empty. *)
Definition marks_inv (s : KState * VS) : Prop :=
  forall g, m_used (snd s) g = true -> m_cs (snd s) g < NFRAMES ->
    cs_current (fst s) (snd s) g /\
    (slot_live (fst s) (snd s) g = true ->
       cap_type (cap (core (fst s)) (m_cs (snd s) g) (m_slot (snd s) g)) <> OT_FREE).

(** At boot no record is in use (the C's tables are zeroed). *)
Theorem marks_inv_boot : forall ks vs, (forall g, m_used vs g = false) -> marks_inv (ks, vs).
Proof. intros ks vs U g H. cbn [snd] in H. rewrite U in H. discriminate. Qed.

Lemma slot_live_parts : forall ks vs g, m_cs vs g < NFRAMES -> slot_live ks vs g = true ->
  frame_type (core ks) (m_cs vs g) = OT_CSPACE /\ frame_gen (core ks) (m_cs vs g) = m_csgen vs g /\
  m_slot vs g < NSLOTS /\ cap_mapped vs (m_cs vs g) (m_slot vs g) = S g.
Proof.
  intros ks vs g Lc SL. unfold slot_live in SL.
  rewrite (proj2 (Nat.eqb_neq (m_cs vs g) NFRAMES) ltac:(lia)) in SL. cbn [orb] in SL.
  rewrite !andb_true_iff in SL. destruct SL as ((((_ & T) & G) & Sl) & M).
  apply is_type_true in T. apply N.eqb_eq in G. apply Nat.ltb_lt in Sl. apply Nat.eqb_eq in M. auto.
Qed.

Lemma slot_live_intro : forall ks vs g, m_cs vs g < NFRAMES ->
  frame_type (core ks) (m_cs vs g) = OT_CSPACE -> frame_gen (core ks) (m_cs vs g) = m_csgen vs g ->
  m_slot vs g < NSLOTS -> cap_mapped vs (m_cs vs g) (m_slot vs g) = S g -> slot_live ks vs g = true.
Proof.
  intros ks vs g Lc T G Sl M. unfold slot_live.
  rewrite (proj2 (Nat.ltb_lt _ _) Lc), (proj2 (is_type_true _ _ _) T), G, N.eqb_refl,
    (proj2 (Nat.ltb_lt _ _) Sl), M, Nat.eqb_refl, orb_true_r. reflexivity.
Qed.

(** What a step does to a record in use after it: its slot half kept
    (and a mark naming it after named it before) ... *)
Definition kept_rec (vs vs' : VS) (g : nat) : Prop :=
  m_used vs g = true /\ m_cs vs' g = m_cs vs g /\ m_csgen vs' g = m_csgen vs g /\
  m_slot vs' g = m_slot vs g /\
  (cap_mapped vs' (m_cs vs g) (m_slot vs g) = S g -> cap_mapped vs (m_cs vs g) (m_slot vs g) = S g).

(** ... the step is a successful [sys_map] of the running process ... *)
Definition map_step (a : Actor) (s s' : KState * VS) : Prop :=
  exists cur proc frame va perm, a = AProc cur /\
    sys_map s cur (p_cspace (procs (fst s)) cur) proc frame va perm = (E_OK, s').

(** ... or it made the slot half anew (a map) or moved it (a move: it
    was in use and its mark named it before), and the invariant holds
    of it after. *)
Definition rehomed (a : Actor) (s s' : KState * VS) (g : nat) : Prop :=
  (m_cs (snd s') g < NFRAMES -> cs_current (fst s') (snd s') g /\
     (slot_live (fst s') (snd s') g = true ->
        cap_type (cap (core (fst s')) (m_cs (snd s') g) (m_slot (snd s') g)) <> OT_FREE)) /\
  ((m_used (snd s) g = true /\ slot_live (fst s) (snd s) g = true) \/ map_step a s s').

(** The shape of a step of the C, for the marks. *)
Definition step_shape (a : Actor) (s s' : KState * VS) : Prop :=
  safe (core (fst s)) (core (fst s')) /\
  exists E : nat -> nat -> Prop, keeps_full E (core (fst s)) (core (fst s')) /\
    (forall x y, E x y -> cap_mapped (snd s') x y = 0) /\
    forall g, m_used (snd s') g = true -> kept_rec (snd s) (snd s') g \/ rehomed a s s' g.

Lemma shape_same_vs : forall a ks ks' vs, safe (core ks) (core ks') ->
  keeps_full no_slot (core ks) (core ks') -> step_shape a (ks, vs) (ks', vs).
Proof.
  intros a ks ks' vs S K. split; [exact S|]. exists no_slot. split; [exact K|split; [intros x y F; destruct F|]].
  intros g U. left. cbn [snd] in *. repeat split; auto.
Qed.

Lemma shape_refl : forall a s, step_shape a s s.
Proof.
  intros a [ks vs]. apply shape_same_vs; [apply safe_same; reflexivity|].
  apply fills_keeps. intros; left; reflexivity.
Qed.

Lemma sstep_safe : forall a ks ks', sstep_by a ks ks' -> safe (core ks) (core ks').
Proof. intros a ks ks' S. exact (krun_safe _ _ (sstep_krun _ _ _ S)). Qed.

Lemma obj_free_fills : forall st cs a b e st' x y, obj_free st cs a b = (e, st') -> fills st st' x y.
Proof.
  intros st cs a b e st' x y H. unfold obj_free in H.
  apply commit_cases in H as [[H _]| ->]; [|left; reflexivity].
  peel H. apply Ok_inj in H; subst st'.
  match goal with |- context [free_frame (uncharge ?s1 (frame_owner ?s1 ?o)) ?o] =>
    destruct (free_writes s1 o x y) as [E|E]; [left; exact E|right; right; right; right; exact E] end.
Qed.

Lemma container_destroy_fills : forall st cs a b e st' x y,
  container_destroy st cs a b = (e, st') -> fills st st' x y.
Proof.
  intros st cs a b e st' x y H. unfold container_destroy in H.
  apply commit_cases in H as [[H _]| ->]; [|left; reflexivity].
  peel H. apply Ok_inj in H; subst st'.
  match goal with |- context [destroy_pass ?s1 ?t ?n] =>
    destruct (destroy_pass_writes s1 t n x y) as [E|E]; [left; exact E|right; right; right; right; exact E] end.
Qed.

(** A destruction, then the reaper. *)
Lemma destroy_shape : forall a ks st' e vs hi,
  sstep_by a ks (with_core ks st') -> (forall x y, fills (core ks) st' x y) ->
  step_shape a (ks, vs) (after_destroy e (with_core ks st') vs hi).
Proof.
  intros a ks st' e vs hi S F. unfold after_destroy. destruct (is_ok e).
  - unfold vs_reap. cbn [fst snd].
    pose proof (sstep_safe _ _ _ S) as S1.
    pose proof (sstep_safe _ _ _ (ss_proc_reap (with_core ks st'))) as S2.
    split; [eapply safe_trans; eassumption|].
    exists no_slot. split; [|split; [intros x y Fx; destruct Fx|]].
    + eapply keeps_full_trans; [exact S1|exact S2|apply fills_keeps; exact F|].
      apply fills_keeps. apply (sstep_c_fills AKernel). apply sc_proc_reap.
    + intros g U. cbn [snd] in U |- *. left.
      destruct (reap_pass_rm frame_of_ppn (proc_reap (with_core ks st')) vs hi) as (R & C & G & Sl & M & _).
      destruct (R g) as [Eg|(U' & _)]; [|rewrite U' in U; discriminate].
      unfold kept_rec. rewrite C, G, Sl, M. split; [rewrite <- (mrec_used _ _ _ Eg); exact U|repeat split; auto].
  - apply shape_same_vs; [exact (sstep_safe _ _ _ S)|]. apply fills_keeps. exact F.
Qed.

(** [obj_free], then [obj_gone] (SYS_OBJ_FREE since 37ad752a): no slot
    emptied but by the free, no mark made, every record in use after
    was in use before with its slot half, and a mark naming it after
    named it before (marks only become 0). *)
Lemma gone_shape : forall ks vs cs a b e st' hi o t, obj_free (core ks) cs a b = (e, st') ->
  step_shape (ACs cs) (ks, vs) (after_gone e (with_core ks st') vs hi o t).
Proof.
  intros ks vs cs a b e st' hi o t D.
  pose proof (ss_obj_free ks cs a b e st' D) as S.
  assert (F : forall x y, fills (core ks) st' x y) by (intros x y; eapply obj_free_fills; exact D).
  destruct (after_gone_rm frame_of_ppn e (with_core ks st') vs hi o t) as [Fk RM].
  set (r := after_gone e (with_core ks st') vs hi o t) in *.
  assert (SK : safe (core ks) (core (fst r)) /\ keeps_full no_slot (core ks) (core (fst r))).
  { pose proof (sstep_safe _ _ _ S) as S1.
    destruct Fk as [-> | [-> | ->]]; cbn [core with_core] in *.
    - split; [exact S1|apply fills_keeps; exact F].
    - pose proof (sstep_safe _ _ _ (ss_proc_reap (with_core ks st'))) as S2.
      split; [eapply safe_trans; eassumption|].
      eapply keeps_full_trans; [exact S1|exact S2|apply fills_keeps; exact F|].
      apply fills_keeps. intros x y.
      exact (sstep_c_fills AKernel (with_core ks st') _ (sc_proc_reap _) x y).
    - (* waits_cancel: the core unchanged *)
      rewrite waits_cancel_core. cbn [core with_core].
      split; [exact S1|apply fills_keeps; exact F]. }
  destruct SK as [Sf K].
  split; [exact Sf|]. exists no_slot. split; [exact K|split; [intros x y Fx; destruct Fx|]].
  intros g U. left. cbn [fst snd] in U |- *.
  destruct RM as (R & C & G & Sl & M & _).
  assert (U0 : m_used vs g = true).
  { destruct (R g) as [E|(U' & _)]; [rewrite <- (mrec_used _ _ _ E); exact U|congruence]. }
  unfold kept_rec. rewrite C, G, Sl. split; [exact U0|split; [reflexivity|split; [reflexivity|split; [reflexivity|]]]].
  intro Mk. destruct (M (m_cs vs g) (m_slot vs g)) as [E|(Z & _)]; [congruence|congruence].
Qed.

Lemma grown_safe : forall st st', grown st st' -> safe st st'.
Proof.
  intros st st' [T G] f. rewrite G. split; [lia|]. intros _.
  destruct (ot_eqb (frame_type st f) OT_FREE) eqn:E; [right; apply ot_eqb_eq; exact E|].
  left. apply (T f). intro H. rewrite H in E. discriminate E.
Qed.

Lemma grown_fills : forall st st' x y, grown st st' -> fills st st' x y.
Proof.
  intros st st' x y [T _].
  destruct (ot_eqb (frame_type st x) OT_FREE) eqn:E.
  - right; right; right; left. apply ot_eqb_eq in E. rewrite E. discriminate.
  - left. assert (N : frame_type st x <> OT_FREE) by (intro H; rewrite H in E; discriminate E).
    destruct (T x N) as (_ & C & _). rewrite C. reflexivity.
Qed.

Lemma cap_move_src_full : forall st cs src d dst st',
  cap_move st cs src d dst = (E_OK, st') -> cap_type (cap st cs src) <> OT_FREE.
Proof.
  unfold cap_move, commit; intros st cs src d dst st' H.
  destruct (cspace_ok st cs && cspace_ok st d) eqn:C; cbn in H; [|discriminate].
  destruct (lookup st cs src None false false) as [k|] eqn:L; cbn in H;
    [|inversion H; subst; apply lookup_no_eok in L; contradiction].
  apply lookup_ok in L as (-> & _ & V & _). exact (proj2 (valid_not_free_type _ _ V)).
Qed.

(** What [vs_follow] does to the slot halves and marks. *)
Lemma vs_follow_marks : forall ks vs cs src d dst, ~ (d = cs /\ dst = src) ->
  let v := snd (vs_follow (ks, vs) cs src d dst) in
  fst (vs_follow (ks, vs) cs src d dst) = ks /\ cap_mapped v cs src = 0 /\ m_used v = m_used vs /\
  forall g,
    (m_cs v g = m_cs vs g /\ m_csgen v g = m_csgen vs g /\ m_slot v g = m_slot vs g /\
     (cap_mapped v (m_cs vs g) (m_slot vs g) = S g -> cap_mapped vs (m_cs vs g) (m_slot vs g) = S g)) \/
    (m_cs vs g = cs /\ m_slot vs g = src /\ m_csgen vs g = frame_gen (core ks) cs /\
     cap_mapped vs cs src = S g /\
     m_cs v g = d /\ m_slot v g = dst /\ m_csgen v g = frame_gen (core ks) d /\ cap_mapped v d dst = S g).
Proof.
  intros ks vs cs src d dst Nd. cbv zeta. unfold vs_follow. cbv zeta. cbn [fst snd].
  set (m := cap_mapped vs cs src).
  assert (K1 : forall g, cap_mapped (set_mark vs cs src 0) (m_cs vs g) (m_slot vs g) = S g ->
                         cap_mapped vs (m_cs vs g) (m_slot vs g) = S g).
  { intro g. cbn [set_mark cap_mapped].
    destruct (Nat.eq_dec (m_cs vs g) cs) as [Ec|Nc]; [destruct (Nat.eq_dec (m_slot vs g) src) as [Es|Ns]|].
    - rewrite Ec, Es, upd2_eq. discriminate.
    - rewrite upd2_neq by (right; exact Ns). auto.
    - rewrite upd2_neq by (left; exact Nc). auto. }
  assert (Z0 : cap_mapped (set_mark vs cs src 0) cs src = 0) by (cbn [set_mark cap_mapped]; apply upd2_eq).
  destruct ((m =? 0) || (NFRAMES <? m)) eqn:Z.
  { cbn [fst snd]. split; [reflexivity|split; [exact Z0|split; [reflexivity|]]].
    intro g. left. cbn [set_mark m_cs m_csgen m_slot]. repeat split; auto. }
  set (f := m - 1).
  destruct (negb (Nat.eqb (m_cs (set_mark vs cs src 0) f) cs) || _ || _) eqn:R.
  { cbn [fst snd]. split; [reflexivity|split; [exact Z0|split; [reflexivity|]]].
    intro g. left. cbn [set_mark m_cs m_csgen m_slot]. repeat split; auto. }
  cbn [set_mark m_cs m_csgen m_slot] in R.
  repeat (apply orb_false_iff in R as [R ?]). apply negb_false_iff, Nat.eqb_eq in R.
  repeat match goal with G : negb _ = false |- _ => apply negb_false_iff in G end.
  match goal with G : Nat.eqb (m_slot _ _) _ = true |- _ => apply Nat.eqb_eq in G end.
  match goal with G : N.eqb (m_csgen _ _) _ = true |- _ => apply N.eqb_eq in G end.
  assert (Mf : m = S f) by (apply orb_false_iff in Z as [Z0' _]; apply Nat.eqb_neq in Z0'; subst f; lia).
  cbn [fst snd set_mark set_slot_rec cap_mapped m_used m_cs m_csgen m_slot].
  split; [reflexivity|split; [|split; [reflexivity|]]].
  - rewrite upd2_neq by (destruct (Nat.eq_dec cs d); [right; intro; apply Nd; split; congruence|left; congruence]).
    apply upd2_eq.
  - intro g. destruct (Nat.eq_dec g f) as [->|Ng].
    + right. rewrite !upd_eq, upd2_eq. repeat split; auto; try congruence.
    + left. rewrite !upd_neq by exact Ng. split; [reflexivity|split; [reflexivity|split; [reflexivity|]]].
      destruct (Nat.eq_dec (m_cs vs g) d) as [Ed|Nd']; [destruct (Nat.eq_dec (m_slot vs g) dst) as [Es|Ns]|].
      * rewrite Ed, Es, upd2_eq. intro E. exfalso. apply Ng. lia.
      * rewrite upd2_neq by (right; exact Ns). apply K1.
      * rewrite upd2_neq by (left; exact Nd'). apply K1.
Qed.

Lemma cspace_ok_type : forall st cs, cspace_ok st cs = true -> frame_type st cs = OT_CSPACE.
Proof. unfold cspace_ok; intros st cs H. apply andb_true_iff in H as [_ T]. apply is_type_true; exact T. Qed.

(** Every step of the C has that shape. *)
Theorem vstep_c_shape : forall a s s', vstep_c a s s' -> step_shape a s s'.
Proof.
  intros a s s' H. destruct H as [a ks ks' vs S|s cs a0 a1 hi e s' H|ks vs cs a b e st' hi D
    |ks vs cs caller a b dst prio ks' P|s cur proc frame va perm e s' H|s cur proc va e s' H
    |s cs a0 e s' H|s cs a0 a1 a2 e s' H].
  - apply shape_same_vs; [exact (sstep_safe _ _ _ (sstep_c_sstep _ _ _ S))|].
    apply fills_keeps. exact (sstep_c_fills _ _ _ S).
  - (* SYS_OBJ_FREE: obj_free, then obj_gone *)
    rewrite sys_obj_free_c_gone in H. inversion H; subst. destruct s as [ks vs].
    eapply gone_shape. apply surjective_pairing.
  - apply destroy_shape; [eapply ss_container_destroy; exact D|intros x y; eapply container_destroy_fills; exact D].
  - (* proc_create, then vs_proc_init *)
    unfold vs_proc_init. cbn [fst snd].
    split; [exact (sstep_safe _ _ _ (ss_proc_create _ _ _ _ _ _ _ _ _ P))|].
    exists no_slot. split; [apply fills_keeps; intros x y; eapply proc_create_fills; exact P|].
    split; [intros x y F; destruct F|].
    intros g U. left. unfold kept_rec. cbn [set_root m_used m_cs m_csgen m_slot cap_mapped] in U |- *.
    repeat split; auto.
  - (* map *)
    destruct (error_eq_dec e E_OK) as [->|NE];
      [|eapply sys_map_refused in H; [subst; apply shape_refl|exact NE]].
    pose proof H as H0.
    assert (Gr : grown (core (fst s)) (core (fst s'))) by (eapply sys_map_grown; exact H).
    destruct s as [ks vs]. unfold step_shape. cbn [fst snd] in *.
    eapply sys_map_inv in H as (p & r & Pa & Mr & V).
    set (cs := p_cspace (procs ks) cur) in *. set (sl := N.to_nat (slot32 frame)) in *.
    set (f := cap_obj r) in *.
    pose proof V as V0.
    eapply vs_map_effects in V as (NL & Ep & Eva & Ecs & Esl & Oth & Mk & Mcs & Mbig & _).
    eapply vs_map_commit in V0 as (Mz & Fr & Pre & _ & Es').
    cbn [fst snd] in *.
    split; [apply grown_safe; exact Gr|].
    exists no_slot. split; [apply fills_keeps; intros x y; apply grown_fills; exact Gr|].
    split; [intros x y F; destruct F|].
    intros g U. destruct (Nat.eq_dec g f) as [->|Ng].
    + right. split; [|right; exists cur, proc, frame, va, perm; split; [reflexivity|exact H0]].
      intro Lc. rewrite Ecs in Lc |- *. rewrite Esl.
      unfold vs_map_pre in Pre. rewrite !andb_true_iff in Pre.
      destruct Pre as (((((_ & _) & _) & _) & Ch) & Cs).
      unfold chain_ok in Ch.
      rewrite (proj2 (Nat.eqb_neq cs NFRAMES) ltac:(lia)) in Cs, Ch. cbn [orb] in Cs, Ch.
      apply andb_true_iff in Cs as [Cs _]. apply cspace_ok_type in Cs.
      apply andb_true_iff in Ch as [Lk _]. apply is_ok_eq, lookup_any_ok in Lk as [_ Vk].
      destruct Gr as [GT GG].
      assert (Nf : frame_type (core ks) cs <> OT_FREE) by (rewrite Cs; discriminate).
      destruct (GT cs Nf) as (T' & C' & _).
      destruct (commit_through ppn_of frame_of_ppn vs_kroot ks vs p f va perm cs sl
                  (frame_owner (core ks) p) (Z.to_nat (vs_missing frame_of_ppn ks vs p va)))
        as (Fs & _ & _ & _ & _ & _ & _ & _ & _ & _ & Sg).
      rewrite <- Es' in Fs, Sg. destruct (Sg Lc) as [Gs _].
      split.
      * unfold cs_current. rewrite Ecs, Gs, Fs. right. split; [reflexivity|]. rewrite <- Fs, T'. exact Cs.
      * intros _. rewrite C'. exact (proj2 (valid_not_free_type _ _ Vk)).
    + left. destruct (Oth g Ng) as [Er Esm]. unfold mslot in Esm. injection Esm as Ec Eg Es.
      unfold kept_rec. rewrite Ec, Eg, Es. split; [rewrite <- (mrec_used _ _ _ Er); exact U|].
      split; [reflexivity|split; [reflexivity|split; [reflexivity|]]].
      destruct (Nat.eq_dec (m_cs vs g) cs) as [E1|N1]; [destruct (Nat.eq_dec (m_slot vs g) sl) as [E2|N2]|].
      * destruct (Nat.lt_ge_cases cs NFRAMES) as [Lt|Ge].
        -- rewrite E1, E2, (Mcs Lt). intro E. exfalso. apply Ng. congruence.
        -- rewrite Mbig by exact Ge. auto.
      * rewrite Mk by (intros [_ E]; contradiction). auto.
      * rewrite Mk by (intros [E _]; contradiction). auto.
  - (* unmap *)
    destruct (error_eq_dec e E_OK) as [->|NE];
      [|eapply sys_unmap_refused in H; [subst; apply shape_refl|exact NE]].
    unfold sys_unmap in H.
    destruct (proc_arg (fst s) cur (p_cspace (procs (fst s)) cur) proc) as [p|e1] eqn:Pa;
      [|inversion H; subst; apply proc_arg_no_eok in Pa; contradiction].
    eapply vs_unmap_effects in H as (F & R & C & G & Sl & M & _).
    unfold step_shape. rewrite F.
    split; [apply safe_same; reflexivity|].
    exists no_slot. split; [apply fills_keeps; intros; left; reflexivity|split; [intros x y Fx; destruct Fx|]].
    intros g U. left. destruct (R g) as [Eg|(U' & _)]; [|rewrite U' in U; discriminate].
    unfold kept_rec. rewrite C, G, Sl, M. split; [rewrite <- (mrec_used _ _ _ Eg); exact U|repeat split; auto].
  - (* sys_cap_delete: cap_delete, then vs_slot_gone *)
    destruct s as [ks vs].
    apply sys_cap_delete_cases in H as [(_ & -> & _)|(-> & st' & D & ->)]; [apply shape_refl|].
    cbn [fst snd] in *. apply cap_delete_ok in D as (Cc & Hsl & ->).
    set (sl := N.to_nat (slot32 a0)) in *.
    set (ks' := with_core ks (set_cap (core ks) cs sl null_cap)).
    destruct (vs_slot_gone_effects frame_of_ppn ks' vs cs sl) as [F RM].
    destruct RM as (R & C & G & Sl & M & _).
    unfold step_shape. rewrite F. subst ks'. cbn [core with_core fst snd].
    split; [apply safe_same; reflexivity|].
    exists (fun x y => x = cs /\ y = sl). split; [|split].
    + intros x y NE _ _ _ NF. rewrite set_cap_other; [exact NF|].
      intro E. inversion E. apply NE. split; assumption.
    + intros x y [-> ->]. rewrite M. cbn [set_mark cap_mapped]. apply upd2_eq.
    + intros g U. left. destruct (R g) as [Eg|(U' & _)]; [|rewrite U' in U; discriminate].
      unfold kept_rec. rewrite C, G, Sl, M. cbn [set_mark m_cs m_csgen m_slot cap_mapped m_used].
      pose proof (mrec_used _ _ _ Eg) as Ue. cbn [set_mark m_used] in Ue.
      split; [rewrite <- Ue; exact U|split; [reflexivity|split; [reflexivity|split; [reflexivity|]]]].
      destruct (Nat.eq_dec (m_cs vs g) cs) as [E1|N1]; [destruct (Nat.eq_dec (m_slot vs g) sl) as [E2|N2]|].
      * rewrite E1, E2, upd2_eq. discriminate.
      * rewrite upd2_neq by (right; exact N2). auto.
      * rewrite upd2_neq by (left; exact N1). auto.
  - (* sys_cap_move: cap_move, then vs_follow *)
    destruct s as [ks vs].
    apply sys_cap_move_cases in H as [(_ & ->)|(-> & d & st' & Dd & Mv & ->)]; [apply shape_refl|].
    cbn [fst snd] in *.
    set (src := N.to_nat (slot32 a0)) in *. set (dst := N.to_nat (slot32 a2)) in *.
    pose proof (cap_move_ok _ _ _ _ _ _ Mv) as (Cc & Cd & Hs & Hd & Nsd & Ty & Ge).
    pose proof (cap_move_caps ppn_of frame_of_ppn vs_kernel_satp _ _ _ _ _ _ Mv) as (_ & Cdst & Coth).
    pose proof (cap_move_src_full _ _ _ _ _ _ Mv) as Full.
    assert (Nd : ~ (d = cs /\ dst = src)) by (intros [E1 E2]; destruct Nsd; contradiction).
    destruct (vs_follow_marks (with_core ks st') vs cs src d dst Nd) as (F & Z & Uv & Gs).
    unfold step_shape. rewrite F. cbn [core with_core fst snd].
    split; [apply safe_same; assumption|].
    exists (fun x y => x = cs /\ y = src). split; [|split].
    + intros x y NE _ _ _ NF.
      destruct (Nat.eq_dec x d) as [->|N1]; [destruct (Nat.eq_dec y dst) as [->|N2]|].
      * rewrite Cdst. exact Full.
      * rewrite Coth; [exact NF|exact NE|intros [_ E]; contradiction].
      * rewrite Coth; [exact NF|exact NE|intros [E _]; contradiction].
    + intros x y [-> ->]. exact Z.
    + intros g U. rewrite Uv in U.
      destruct (Gs g) as [(C & G & Sl & M)|(C0 & S0 & G0 & M0 & C1 & S1 & G1 & M1)].
      * left. unfold kept_rec. rewrite C, G, Sl. auto.
      * right. split.
        -- intro Lc. split.
           ++ unfold cs_current. rewrite F. cbn [core with_core]. rewrite C1, G1. right.
              split; [reflexivity|]. cbn [core with_core]. rewrite Ty. exact (cspace_ok_type _ _ Cd).
           ++ intros _. rewrite F. cbn [core with_core]. rewrite C1, S1, Cdst. exact Full.
        -- left. cbn [fst snd]. split; [exact U|]. apply slot_live_intro.
           ++ rewrite C0. exact (cspace_ok_lt _ _ Cc).
           ++ rewrite C0. exact (cspace_ok_type _ _ Cc).
           ++ rewrite C0, G0. cbn [core with_core]. rewrite Ge. reflexivity.
           ++ rewrite S0. exact Hs.
           ++ rewrite C0, S0. exact M0.
Qed.

(** The invariant is kept by every step of the C ... *)
Theorem marks_inv_step : forall a s s', vstep_c a s s' -> marks_inv s -> marks_inv s'.
Proof.
  intros a s s' S M g U Lc.
  destruct (vstep_c_shape a s s' S) as (Sf & E & K & EM & Sh).
  destruct (Sh g U) as [(U0 & C & G & Sl & Mk)|(R & _)]; [|exact (R Lc)].
  rewrite C in Lc. destruct (M g U0 Lc) as [Cur Full]. unfold cs_current in Cur.
  set (c := m_cs (snd s) g) in *.
  destruct (Sf c) as [Le Same].
  assert (Cur' : cs_current (fst s') (snd s') g).
  { unfold cs_current. rewrite C, G. fold c.
    destruct Cur as [Lt|(Eq & T)]; [left; lia|].
    destruct (N.eq_dec (frame_gen (core (fst s')) c) (frame_gen (core (fst s)) c)) as [Eg|Ng].
    - right. split; [congruence|]. destruct (Same Eg) as [T'|T']; [congruence|congruence].
    - left. lia. }
  split; [exact Cur'|].
  intro SL. rewrite <- C in Lc.
  destruct (slot_live_parts _ _ _ Lc SL) as (T' & G' & Hs & M').
  rewrite C in T'. rewrite C, G in G'. rewrite Sl in Hs. rewrite C, Sl in M'. rewrite C, Sl. fold c in T', G', M', Hs |- *.
  assert (Gq : frame_gen (core (fst s)) c = m_csgen (snd s) g).
  { destruct Cur as [Lt|(Eq & _)]; [lia|symmetry; exact Eq]. }
  assert (Tc : frame_type (core (fst s)) c = OT_CSPACE).
  { destruct Cur as [Lt|(_ & T)]; [lia|exact T]. }
  assert (SL0 : slot_live (fst s) (snd s) g = true)
    by (apply slot_live_intro; fold c; [rewrite <- C; exact Lc|exact Tc|exact Gq|exact Hs|exact (Mk M')]).
  apply (K c (m_slot (snd s) g)); [|exact Tc|exact T'|congruence|exact (Full SL0)].
  intro Ex. apply EM in Ex. rewrite M' in Ex. discriminate.
Qed.

(** ... and along every run of the C. *)
Theorem marks_inv_run : forall s s', vrun_c s s' -> marks_inv s -> marks_inv s'.
Proof.
  intros s s' R. induction R as [s|a s1 s2 s3 S R IH]; intro M; [exact M|].
  apply IH. exact (marks_inv_step a s1 s2 S M).
Qed.

(** ** 3. No revival through the slot *)

(** A record whose slot half is not in force before a step of the C
    ([m_used && slot_live] false) is in use and marked after it only if
    the step is a successful [sys_map]. *)
Theorem slot_revival_step : forall a s s' g, vstep_c a s s' -> marks_inv s ->
  m_used (snd s) g && slot_live (fst s) (snd s) g = false ->
  m_used (snd s') g && slot_live (fst s') (snd s') g = true -> map_step a s s'.
Proof.
  intros a s s' g S M Off On. apply andb_true_iff in On as [U SL].
  destruct (vstep_c_shape a s s' S) as (Sf & E & K & EM & Sh).
  destruct (Sh g U) as [(U0 & C & G & Sl & Mk)|(_ & [[U1 L1]|Ms])];
    [|rewrite U1, L1 in Off; discriminate|exact Ms].
  exfalso. rewrite U0 in Off. cbn [andb] in Off.
  destruct (Nat.lt_ge_cases (m_cs (snd s) g) NFRAMES) as [Lc|Ge].
  - destruct (M g U0 Lc) as [Cur _]. unfold cs_current in Cur.
    rewrite <- C in Lc. destruct (slot_live_parts _ _ _ Lc SL) as (T' & G' & Hs & M').
    rewrite C in Lc, T'. rewrite C, G in G'. rewrite Sl in Hs. rewrite C, Sl in M'.
    destruct (Sf (m_cs (snd s) g)) as [Le Same].
    assert (Gq : frame_gen (core (fst s)) (m_cs (snd s) g) = m_csgen (snd s) g).
    { destruct Cur as [Lt|(Eq & _)]; [lia|symmetry; exact Eq]. }
    assert (Tc : frame_type (core (fst s)) (m_cs (snd s) g) = OT_CSPACE).
    { destruct Cur as [Lt|(_ & T)]; [lia|exact T]. }
    rewrite (slot_live_intro _ _ _ Lc Tc Gq Hs (Mk M')) in Off. discriminate.
  - unfold slot_live in SL, Off. rewrite C, Sl in SL. rewrite G in SL.
    rewrite (proj2 (Nat.ltb_ge _ _) Ge) in SL, Off. rewrite !andb_false_l, !orb_false_r in SL, Off.
    rewrite SL in Off. discriminate.
Qed.

(** Over a run of the C: a record whose slot half is not in force at
    the start and is in use and marked at the end was re-made by a
    successful [sys_map] at some step of the run. *)
Theorem slot_revival_run : forall s s' g, vrun_c s s' -> marks_inv s ->
  m_used (snd s) g && slot_live (fst s) (snd s) g = false ->
  m_used (snd s') g && slot_live (fst s') (snd s') g = true ->
  exists a k1 k2, in_vrun_c a k1 k2 s s' /\ map_step a k1 k2.
Proof.
  intros s s' g R. induction R as [s|a s1 s2 s3 S R IH]; intros M Off On; [congruence|].
  destruct (m_used (snd s2) g && slot_live (fst s2) (snd s2) g) eqn:Mid.
  - exists a, s1, s2. split; [apply ivc_here; assumption|].
    exact (slot_revival_step a s1 s2 g S M Off Mid).
  - destruct (IH (marks_inv_step a s1 s2 S M) eq_refl On) as (b & k1 & k2 & I & Ms).
    exists b, k1, k2. split; [eapply ivc_later; eassumption|exact Ms].
Qed.

(** The negation, for the C's steps, of [VRuns.bare_delete_revives]: a
    mapping in use made through a slot that is empty (the state that
    example reaches by its bare delete) is out of force, and in force in
    a later state of a run of the C only if a step in between was a
    successful [sys_map]. *)
Theorem no_revival_empty_slot : forall s s' g, vrun_c s s' -> marks_inv s ->
  m_used (snd s) g = true -> m_cs (snd s) g < NFRAMES ->
  cap_type (cap (core (fst s)) (m_cs (snd s) g) (m_slot (snd s) g)) = OT_FREE ->
  mapping_live (fst s) (snd s) g = false /\
  (mapping_live (fst s') (snd s') g = true -> exists a k1 k2, in_vrun_c a k1 k2 s s' /\ map_step a k1 k2).
Proof.
  intros s s' g R M U Lc F.
  assert (Off : slot_live (fst s) (snd s) g = false).
  { destruct (slot_live (fst s) (snd s) g) eqn:SL; [|reflexivity].
    exfalso. exact (proj2 (M g U Lc) SL F). }
  split.
  - unfold mapping_live. rewrite Off, andb_false_r. reflexivity.
  - intro L. apply (slot_revival_run s s' g R M); [rewrite Off, andb_false_r; reflexivity|].
    apply andb_true_iff; split; [|exact (mapping_live_slot _ _ _ L)].
    unfold mapping_live in L. destruct (m_used (snd s') g); [reflexivity|discriminate L].
Qed.

End Sized.
