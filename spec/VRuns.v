(** * VRuns: confinement, integrity and isolation with address spaces

    Issue 14 item 4, the part [Runs.v] left out ("address spaces left
    out"): runs of the whole kernel over the pair [(KState * VS)] of
    [VSpace.v].

    The step relation [vstep_by a s s'] ([a] an [Actor] of [Runs.v]):
    - every system call and kernel step of [Runs.sstep_by], the address
      spaces unchanged ([vb_sys]);
    - as the syscall layer runs them (arch-riscv/syscall.c): a successful
      [container_destroy] followed by [reap ()]: [proc_reap], then
      [uvm_reap] = [vs_reap] ([vb_container_destroy]; [after_destroy]);
      SYS_OBJ_FREE since commit 37ad752a: a successful [obj_free]
      followed by [obj_gone] ([vb_obj_gone], [after_gone]: of any
      object and type, a superset of the C's, which passes what the
      slot held before the call; [sys_obj_free_c_gone]: the whole call,
      [VSpace.sys_obj_free_c], is such a step); [obj_free] followed by
      [reap ()] as before that commit ([vb_obj_free], kept: the relation
      is a superset, and [VAgree.leaf_agree_fails] runs it); a
      successful [proc_create] followed by [process_new] =
      [vs_proc_init] of the new process ([vb_proc_create]);
    - the address-space system calls of [VSpace.v]: [sys_map] and
      [sys_unmap] invoked by the running process [cur] through its
      capability space ([AProc cur]; [vb_map], [vb_unmap]),
      [sys_cap_delete] and [sys_cap_move] through a capability space
      ([ACs cs], as [Runs.v]'s [ss_cap_delete], [ss_cap_move];
      [vb_cap_delete], [vb_cap_move]).
    [vstep_kstate] / [sstep_vstep]: on the [KState] component the
    relation is exactly [sstep_by]'s steps (a destruction with its
    reaper, or [obj_free] with an [obj_gone] that runs [proc_reap] or
    [waits_cancel]: two of them); [vstep_cap_delete_core], [vstep_cap_move_core],
    [vstep_unmap_core], [vstep_map_Invariant]: the address-space calls'
    [KState] is [ss_cap_delete]'s, [ss_cap_move]'s, unchanged, or keeps
    the core invariant. Since [vb_sys] also contains the plain
    [ss_cap_delete], [ss_cap_move] and destructions without the reaper,
    the relation is a superset of what the C does: every theorem below
    holds of the C's runs a fortiori.

    Mappings. A frame [f]'s mapping is its record in [VS] ([m_used],
    [m_proc], [m_pgen], [m_fgen], [m_va]: [mrec]), the slot it was made
    through ([m_cs], [m_csgen], [m_slot]: [mslot]) and that slot's mark;
    it is in force when [mapping_live] (which also reads the capability
    in that slot: it must still look up and resolve, [path_live]). The theorems are
    about these records and about the page-table entries and roots.

    1. [vstep_mappings] (the classification every theorem below uses):
       after any step, frame [f]'s mapping is unchanged (record, slot and
       mark: [vrec_same]); or the step is a [sys_map] that made it
       ([map_made]); or it only ended it ([ended]: nothing but [m_used]
       and the mark changed, it is not in force after the step, and the
       reason is one of: the step's new kernel state no longer keeps the
       old record in force (a death, or it was not in force before); an
       unmap by an invoker that may map into its process ([map_touch]);
       an invoker that may write ([Runs.may_write]) the capability space
       the mapping was made through: a delete, a move, a map through that
       slot); or a [sys_cap_move] by that capability space moved it to a
       slot of a capability space it may write ([moved]).
    2. Mapping authority, rights-aware ([vrun_mapping_authority],
       [vrun_map_rights], [vrun_leaf_rights]): if after a run frame [f]
       has a mapping in force (in process [q]), either its record was
       already there at the start of the run, or some step of the run
       was a successful [sys_map] by a running process [cur] that made
       it: [q] is [cur] or a process [cur]'s capability space holds with
       the write right; [cur]'s capability space held [f] (through a slot
       and forwarders) with the rights the permission needs
       ([perm_rights]); the leaf it wrote is [pte_of f perm], writable
       (W) only if that capability space held [f] with the write right,
       readable or executable (R, X) only with the read right
       ([pte_of_bits], [leaf_rights]); the mapping is in force through
       that slot ([slot_maps]). As [Runs.no_spread_rights]
       ([no_map_spread], [no_write_map_spread]): over a run in which no
       running process that makes a step reaches [f] (resp. holds it
       with write), no new mapping of [f] arises (resp. none whose leaf
       is writable).
    3. Integrity of address spaces ([vstep_addr_integrity],
       [vstep_pt_integrity], [vstep_root_integrity],
       [vstep_tables_may_touch]): a step changes a
       mapping only as in 1 (made by an invoker that may touch its
       process in [Runs.may_touch]'s sense: [map_touch_may_touch]; only
       ended; moved); it changes a page-table entry only in a table of a
       process its invoker may map into ([map_touch]), or only to 0 (a
       removal: unmap, reaper); it changes a process's root only when it
       maps into it, or creates it. The steps that only remove, stated
       so ([only_removes]): the kernel's own steps
       ([kernel_vstep_only_removes]), the reaper after a destruction
       ([after_destroy_only_removes]), [obj_gone] after [obj_free]
       ([after_gone_only_removes]), an unmap
       ([sys_unmap_only_removes]), a capability delete
       ([sys_cap_delete_only_removes]).
    4. Isolation ([isolation_vstep], [isolation_vrun_mappings],
       [isolation_vrun_in_force], [isolation_vrun_deaths],
       [isolation_pt_step]): along a run whose invokers have no write
       chain to a set [B] of capability spaces ([Runs.no_write_chain])
       and may map into no process of a set [Bp] ([no_map_touch]; kernel
       steps allowed), every mapping in force of a process of [Bp] made
       through a capability space of [B] keeps its record, slot and mark
       to the end of the run, unless at some step the change of the
       kernel state alone takes the same record out of force
       ([record_dies], [mapping_death]: its process is no longer live or
       was remade, its frame or its capability space is no longer the
       one recorded, or the capability in its slot no longer looks up or
       resolves: it or a forwarder on its chain died, or the slot
       changed); no address-space operation
       ends it. The entries of a table of a process of [Bp] change only
       to 0. Survival ([vstep_frames], [isolation_vrun_survives]): a step
       destroys a live frame other than a page table only through a
       container covering it that its invoker holds with the write right
       ([Runs.kill_cover]); a step leaves a forwarder's target alone
       unless the frame was free ([vstep_fw]) and a slot of a capability
       space of [B] alone ([vstep_slot_kept]); if moreover no invoker
       holds such a container over the mapping's frame, capability
       space, process frame and the forwarders its slot's capability
       resolves through ([slot_chain_in]), only its process's own record
       (its state, its generation in the process table) can end it.

    Not proved here: that the record of a mapping in force and the leaf
    the walk reaches agree along a run; it is false for [vstep_by]
    ([VAgree.leaf_agree_fails]: a destruction whose reaper does not reach
    the frame leaves its leaf in force), and [VAgree.v] states authority
    at the level of the leaves instead ([vrun_leaf_authority]); so the
    permission of a mapping is stated at the step that made it (the leaf
    it wrote), not read back at the end of the run. Nor that a process's
    own record (state, generation) stays while its frame does. The isolation
    hypotheses are checked at each step's state, not proved preserved. *)

From Coq Require Import Arith NArith ZArith Bool Lia List.
From Spec Require Import Model Ops Facts Gens Invariants Preservation Confinement Accounting Tree Procs
  ProcTheorems Decode Runs VSpace.

Section Sized.
Context {SZ : Sizes}.

(** The architecture's parts, as in [VSpace.v]. *)
Variable ppn_of : nat -> N.
Variable frame_of_ppn : N -> nat.
Variable vs_kernel_satp : N.
Variable vs_kroot : list (nat * N).

(** ** The step relation *)

(** The syscall layer's [reap ()] after a successful destruction:
    [proc_reap], then [vs_reap] ([uvm_reap]) below the high-water mark
    [hi]. *)
Definition after_destroy (e : error) (ks : KState) (vs : VS) (hi : nat) : KState * VS :=
  if is_ok e then vs_reap frame_of_ppn (proc_reap ks, vs) hi else (ks, vs).

(** SYS_OBJ_FREE since commit 37ad752a (arch-riscv/syscall.c,
    [obj_free_call]; [VSpace.sys_obj_free_c]): a successful [obj_free]
    followed by [obj_gone] of the object and type the slot held before
    the call. Here any object [o] and type [t] ([vb_obj_gone]: a
    superset, as [hi] is any bound). *)
Definition after_gone (e : error) (ks : KState) (vs : VS) (hi o : nat) (t : ObjType) : KState * VS :=
  if is_ok e then obj_gone frame_of_ppn (ks, vs) hi o t else (ks, vs).

Inductive vstep_by : Actor -> KState * VS -> KState * VS -> Prop :=
| vb_sys : forall a ks ks' vs, sstep_by a ks ks' -> vstep_by a (ks, vs) (ks', vs)
| vb_obj_free : forall ks vs cs a b e st' hi, obj_free (core ks) cs a b = (e, st') ->
    vstep_by (ACs cs) (ks, vs) (after_destroy e (with_core ks st') vs hi)
| vb_obj_gone : forall ks vs cs a b e st' hi o t, obj_free (core ks) cs a b = (e, st') ->
    vstep_by (ACs cs) (ks, vs) (after_gone e (with_core ks st') vs hi o t)
| vb_container_destroy : forall ks vs cs a b e st' hi, container_destroy (core ks) cs a b = (e, st') ->
    vstep_by (ACs cs) (ks, vs) (after_destroy e (with_core ks st') vs hi)
| vb_proc_create : forall ks vs cs caller a b dst prio ks',
    proc_create ks cs caller a b dst prio = (E_OK, ks') ->
    vstep_by (ACs cs) (ks, vs) (vs_proc_init vs_kernel_satp (ks', vs) (cap_obj (cap (core ks') cs dst)))
| vb_map : forall s cur proc frame va perm e s',
    sys_map ppn_of frame_of_ppn vs_kroot s cur (p_cspace (procs (fst s)) cur) proc frame va perm = (e, s') ->
    vstep_by (AProc cur) s s'
| vb_unmap : forall s cur proc va e s',
    sys_unmap frame_of_ppn s cur (p_cspace (procs (fst s)) cur) proc va = (e, s') ->
    vstep_by (AProc cur) s s'
| vb_cap_delete : forall s cs a0 e s', sys_cap_delete frame_of_ppn s cs a0 = (e, s') ->
    vstep_by (ACs cs) s s'
| vb_cap_move : forall s cs a0 a1 a2 e s', sys_cap_move s cs a0 a1 a2 = (e, s') ->
    vstep_by (ACs cs) s s'.

(** Runs, and a step of a run. *)
Inductive vrun : KState * VS -> KState * VS -> Prop :=
| vr_done : forall s, vrun s s
| vr_step : forall a s1 s2 s3, vstep_by a s1 s2 -> vrun s2 s3 -> vrun s1 s3.

Inductive in_vrun (a : Actor) (k1 k2 : KState * VS) : KState * VS -> KState * VS -> Prop :=
| ivr_here : forall s3, vstep_by a k1 k2 -> vrun k2 s3 -> in_vrun a k1 k2 k1 s3
| ivr_later : forall b s1 s2 s3, vstep_by b s1 s2 -> in_vrun a k1 k2 s2 s3 -> in_vrun a k1 k2 s1 s3.

(** *** What the steps are on the [KState] component *)

Lemma vs_reap_fst : forall s hi, fst (vs_reap frame_of_ppn s hi) = fst s.
Proof. reflexivity. Qed.

Lemma cspace_gone_pass_fst : forall s cs n, fst (cspace_gone_pass frame_of_ppn s cs n) = fst s.
Proof.
  intros s cs n. induction n as [|m IH]; cbn [cspace_gone_pass]; [reflexivity|].
  unfold vs_slot_gone. destruct (_ && _); exact IH.
Qed.

(** After [obj_free], [obj_gone] leaves the kernel state, or is the
    kernel's [proc_reap] (a process) or [waits_cancel] (an endpoint, a
    notification). *)
Lemma after_gone_fst : forall e ks vs hi o t,
  fst (after_gone e ks vs hi o t) = ks \/ fst (after_gone e ks vs hi o t) = proc_reap ks \/
  fst (after_gone e ks vs hi o t) = waits_cancel ks.
Proof.
  intros. unfold after_gone, obj_gone. destruct (is_ok e); [|left; reflexivity].
  cbn [fst snd]. destruct (_ || _); [left; reflexivity|].
  destruct t; cbn [fst]; auto. left. unfold vs_cspace_gone. apply cspace_gone_pass_fst.
Qed.

(** Every step is, on [KState], one step of [sstep_by] by the same
    invoker, or (a destruction with its reaper) one followed by the
    kernel's [proc_reap] or (an endpoint's or a notification's
    [obj_gone]) [waits_cancel]; or it is one of the address-space
    calls. *)
Theorem vstep_kstate : forall a s s', vstep_by a s s' ->
  sstep_by a (fst s) (fst s') \/
  (exists k, sstep_by a (fst s) k /\ sstep_by AKernel k (fst s')) \/
  (exists cur proc frame va perm e,
     sys_map ppn_of frame_of_ppn vs_kroot s cur (p_cspace (procs (fst s)) cur) proc frame va perm = (e, s')) \/
  (exists cur proc va e, sys_unmap frame_of_ppn s cur (p_cspace (procs (fst s)) cur) proc va = (e, s')) \/
  (exists cs a0 e, sys_cap_delete frame_of_ppn s cs a0 = (e, s')) \/
  (exists cs a0 a1 a2 e, sys_cap_move s cs a0 a1 a2 = (e, s')).
Proof.
  intros a s s' H. destruct H.
  - left. exact H.
  - unfold after_destroy. destruct (is_ok e).
    + right; left. exists (with_core ks st'). split; [eapply ss_obj_free; eassumption|apply ss_proc_reap].
    + left. eapply ss_obj_free; eassumption.
  - destruct (after_gone_fst e (with_core ks st') vs hi o t) as [F|[F|F]]; rewrite F.
    + left. eapply ss_obj_free; eassumption.
    + right; left. exists (with_core ks st'). split; [eapply ss_obj_free; eassumption|apply ss_proc_reap].
    + right; left. exists (with_core ks st'). split; [eapply ss_obj_free; eassumption|apply ss_waits_cancel].
  - unfold after_destroy. destruct (is_ok e).
    + right; left. exists (with_core ks st'). split; [eapply ss_container_destroy; eassumption|apply ss_proc_reap].
    + left. eapply ss_container_destroy; eassumption.
  - left. eapply ss_proc_create; eassumption.
  - right; right; left. do 6 eexists. eassumption.
  - right; right; right; left. do 4 eexists. eassumption.
  - right; right; right; right; left. do 3 eexists. eassumption.
  - right; right; right; right; right. do 5 eexists. eassumption.
Qed.

(** Conversely every step of [sstep_by] is one (the address spaces
    unchanged), and so is the C's composition of each destruction with
    its reaper and of a process creation with [vs_proc_init]. *)
Theorem sstep_vstep : forall a ks ks' vs, sstep_by a ks ks' -> vstep_by a (ks, vs) (ks', vs).
Proof. intros; apply vb_sys; assumption. Qed.

(** The address-space calls on [KState]: a delete's is [cap_delete]'s
    ([Runs.ss_cap_delete]), a move's [sys_cap_move_caps]'s
    ([Runs.ss_cap_move]), an unmap changes nothing of it, a map keeps
    the core invariant (its tables charged like [kobj_alloc]'s). *)
Theorem vstep_cap_delete_core : forall s cs a0 e s',
  sys_cap_delete frame_of_ppn s cs a0 = (e, s') -> sstep_by (ACs cs) (fst s) (fst s').
Proof.
  intros s cs a0 e s' H. apply sys_cap_delete_core_step in H as (st' & D & ->).
  eapply ss_cap_delete; exact D.
Qed.

Theorem vstep_cap_move_core : forall s cs a0 a1 a2 e s',
  sys_cap_move s cs a0 a1 a2 = (e, s') -> sstep_by (ACs cs) (fst s) (fst s').
Proof.
  intros s cs a0 a1 a2 e s' H. apply sys_cap_move_core_step in H. eapply ss_cap_move; exact H.
Qed.

Theorem vstep_unmap_core : forall s cur cs proc va e s',
  sys_unmap frame_of_ppn s cur cs proc va = (e, s') -> fst s' = fst s.
Proof.
  intros s cur cs proc va e s' H.
  destruct (error_eq_dec e E_OK) as [->|NE].
  - unfold sys_unmap in H. destruct (proc_arg (fst s) cur cs proc) as [p|e1]; [|inversion H; subst; reflexivity].
    apply vs_unmap_ok in H. apply H.
  - apply sys_unmap_refused in H; [subst; reflexivity|exact NE].
Qed.

Theorem vstep_map_Invariant : forall s cur cs proc frame va perm e s',
  Invariant (core (fst s)) ->
  sys_map ppn_of frame_of_ppn vs_kroot s cur cs proc frame va perm = (e, s') ->
  Invariant (core (fst s')).
Proof.
  intros s cur cs proc frame va perm e s' I H. unfold sys_map in H.
  destruct (proc_arg (fst s) cur cs proc) as [p|e1]; [|inversion H; subst; exact I].
  destruct (negb (proc_live (fst s) p)); [inversion H; subst; exact I|].
  destruct (negb (perm_ok perm)); [inversion H; subst; exact I|].
  destruct (map_frame_lookup _ _ _ _) as [r|e1]; [|inversion H; subst; exact I].
  eapply vs_map_Invariant; eassumption.
Qed.

(** ** Mappings: records, slots, marks *)

(** Frame [f]'s record, its slot half, and the record without [m_used]. *)
Definition mrec (vs : VS) (f : nat) : bool * nat * N * N * N :=
  (m_used vs f, m_proc vs f, m_pgen vs f, m_fgen vs f, m_va vs f).
Definition mslot (vs : VS) (f : nat) : nat * N * nat := (m_cs vs f, m_csgen vs f, m_slot vs f).
Definition mrest (vs : VS) (f : nat) : nat * N * N * N :=
  (m_proc vs f, m_pgen vs f, m_fgen vs f, m_va vs f).

(** Frame [f]'s mapping is the same in [vs'] as in [vs]: record, slot,
    and the mark of that slot. *)
Definition vrec_same (vs vs' : VS) (f : nat) : Prop :=
  mrec vs' f = mrec vs f /\ mslot vs' f = mslot vs f /\
  cap_mapped vs' (m_cs vs f) (m_slot vs f) = cap_mapped vs (m_cs vs f) (m_slot vs f).

Lemma vrec_same_refl : forall vs f, vrec_same vs vs f.
Proof. intros; repeat split. Qed.

Lemma vrec_same_trans : forall v1 v2 v3 f, vrec_same v1 v2 f -> vrec_same v2 v3 f -> vrec_same v1 v3 f.
Proof.
  unfold vrec_same, mslot; intros v1 v2 v3 f (R1 & S1 & M1) (R2 & S2 & M2).
  inversion S1 as [[C1 G1 L1]]. rewrite C1, L1 in M2. split; [congruence|split; [congruence|congruence]].
Qed.

(** The same mapping is in force or not in the same kernel state. *)
Lemma vrec_same_live : forall ks vs vs' f, vrec_same vs vs' f ->
  mapping_live ks vs' f = mapping_live ks vs f.
Proof.
  unfold vrec_same, mrec, mslot; intros ks vs vs' f (R & S & M).
  inversion R. inversion S.
  apply mapping_live_record; auto. apply slot_live_at; auto.
Qed.

(** The invoker of a map or unmap may write into [q]'s address space:
    it is the running process [cur] and [q] is [cur] (SLOT_SELF) or a
    process [cur]'s capability space holds with the write right (the
    decode's [proc_arg]). *)
Definition map_touch (a : Actor) (ks : KState) (q : nat) : Prop :=
  exists cur, a = AProc cur /\ (q = cur \/ holds (core ks) (p_cspace (procs ks) cur) q Wr).

(** In [Runs.may_touch]'s terms: the process itself, or its capability
    space, may touch [q]. *)
Lemma map_touch_may_touch : forall a ks q, map_touch a ks q ->
  may_touch a ks q \/ exists c, actor_cs a ks = Some c /\ may_touch (ACs c) ks q.
Proof.
  intros a ks q (cur & -> & [->|H]).
  - left. left. reflexivity.
  - right. exists (p_cspace (procs ks) cur). split; [reflexivity|left; exact H].
Qed.

(** The rights a map with permission [perm] needs on the frame (the
    decode's [map_frame_lookup]): read for a readable or executable
    page, write for a writable one. *)
Definition perm_rights (perm : N) : Rights :=
  mkRights (N.eqb (perm mod 2) 1 || N.eqb (perm / 4) 1) (N.eqb (perm / 2 mod 2) 1) false.

(** *** The decode's authority *)

Lemma invoke_lookup_holds_rights : forall st cs s t nr nw k,
  invoke_lookup st cs s t nr nw = Ok k -> holds st cs (cap_obj k) (mkRights nr nw false).
Proof.
  intros st cs s t nr nw k H.
  destruct (invoke_lookup_rights _ _ _ _ _ _ _ H) as (_ & R & W).
  unfold invoke_lookup in H. peel H. apply Ok_inj in H; subst.
  match goal with L : lookup _ _ _ _ _ _ = Ok _ |- _ => apply lookup_ok in L as (-> & Hs & V & _) end.
  exists (rights_of k). split.
  - exists s. split; [exact Hs|]. eapply resolve_chain_chain; eauto.
  - unfold rle, rights_of; cbn. repeat split; intro E; [exact (R E)|exact (W E)|discriminate].
Qed.

Lemma map_frame_lookup_holds : forall st cs s perm r,
  map_frame_lookup st cs s perm = Ok r -> holds st cs (cap_obj r) (perm_rights perm).
Proof.
  intros st cs s perm r H. unfold map_frame_lookup in H.
  destruct (invoke_lookup st cs s OT_FRAME _ _) as [k|e] eqn:I.
  - inversion H; subst. eapply invoke_lookup_holds_rights; exact I.
  - destruct e; try discriminate. peel H. apply Ok_inj in H; subst.
    eapply invoke_lookup_holds_rights; eassumption.
Qed.

Lemma proc_arg_touch : forall ks cur cs proc p,
  proc_arg ks cur cs proc = Ok p -> p = cur \/ holds (core ks) cs p Wr.
Proof.
  intros ks cur cs proc p H. unfold proc_arg in H.
  destruct (N.eqb proc SLOT_SELF); [left; inversion H; reflexivity|right].
  peel H. apply Ok_inj in H; subst. eapply invoke_lookup_w; eassumption.
Qed.

Lemma sys_map_inv : forall s cur cs proc frame va perm s',
  sys_map ppn_of frame_of_ppn vs_kroot s cur cs proc frame va perm = (E_OK, s') ->
  exists p r, proc_arg (fst s) cur cs proc = Ok p /\
    map_frame_lookup (core (fst s)) cs (N.to_nat (slot32 frame)) perm = Ok r /\
    vs_map ppn_of frame_of_ppn vs_kroot s p (cap_obj r) va perm
      cs (N.to_nat (slot32 frame)) = (E_OK, s').
Proof.
  intros s cur cs proc frame va perm s' H. unfold sys_map in H.
  destruct (proc_arg (fst s) cur cs proc) as [p|e1] eqn:Pa;
    [|inversion H; subst; apply proc_arg_no_eok in Pa; contradiction].
  destruct (negb (proc_live (fst s) p)); [inversion H|].
  destruct (negb (perm_ok perm)); [inversion H|].
  destruct (map_frame_lookup _ _ _ _) as [r|e1] eqn:Mr;
    [|inversion H; subst; apply map_frame_lookup_no_eok in Mr; contradiction].
  exists p, r. auto.
Qed.

(** *** What each address-space operation writes *)

(** The mapping fields (records, slots, marks) of two [VS] agree. *)
Definition same_m (vs vs' : VS) : Prop :=
  m_used vs' = m_used vs /\ m_proc vs' = m_proc vs /\ m_pgen vs' = m_pgen vs /\
  m_fgen vs' = m_fgen vs /\ m_va vs' = m_va vs /\
  m_cs vs' = m_cs vs /\ m_csgen vs' = m_csgen vs /\ m_slot vs' = m_slot vs /\
  cap_mapped vs' = cap_mapped vs.

Lemma same_m_refl : forall vs, same_m vs vs.
Proof. intros; repeat split. Qed.

Lemma same_m_trans : forall a b c, same_m a b -> same_m b c -> same_m a c.
Proof.
  unfold same_m; intros a b c (A1 & A2 & A3 & A4 & A5 & A7 & A8 & A9 & A10)
    (B1 & B2 & B3 & B4 & B5 & B7 & B8 & B9 & B10). repeat split; congruence.
Qed.

Lemma same_m_vrec : forall vs vs' f, same_m vs vs' -> vrec_same vs vs' f.
Proof.
  unfold same_m, vrec_same, mrec, mslot; intros vs vs' f (A1 & A2 & A3 & A4 & A5 & A7 & A8 & A9 & A10).
  rewrite A1, A2, A3, A4, A5, A7, A8, A9, A10. repeat split.
Qed.

Ltac same_m_tac := unfold same_m; cbn [table_init set_row set_pte set_root snd fst m_used m_proc
  m_pgen m_fgen m_va m_cs m_csgen m_slot cap_mapped p_vroot p_satp]; repeat split.

Lemma path_link_m : forall vs p va n t2 t1 t0 f perm,
  same_m vs (path_link ppn_of vs p va n t2 t1 t0 f perm) /\
  (forall q, q <> p -> p_vroot (path_link ppn_of vs p va n t2 t1 t0 f perm) q = p_vroot vs q /\
                       p_satp (path_link ppn_of vs p va n t2 t1 t0 f perm) q = p_satp vs q).
Proof.
  intros. unfold path_link.
  destruct (n =? 3), (2 <=? n), (1 <=? n);
    (split; [same_m_tac|intros q Nq; cbn [set_pte set_root p_vroot p_satp];
             rewrite ?upd_neq by exact Nq; split; reflexivity]).
Qed.

(** The shape of a commit: the record of [f] and its slot half written
    over a [VS] whose mapping fields are the old ones and whose roots
    differ at most at [p]. *)
Lemma map_commit_shape : forall s p f va perm cs sl c n,
  exists X pg fg g,
    snd (map_commit ppn_of frame_of_ppn vs_kroot s p f va perm cs sl c n) =
      set_through (set_record X f p pg fg va) f cs sl g /\
    same_m (snd s) X /\
    (forall q, q <> p -> p_vroot X q = p_vroot (snd s) q /\ p_satp X q = p_satp (snd s) q).
Proof.
  intros [ks vs] p f va perm cs sl c n.
  unfold map_commit, map_commit_tables, map_build. cbv zeta. cbn [fst snd].
  do 4 eexists. split; [reflexivity|].
  match goal with |- same_m _ (path_link ppn_of ?v p va n ?a ?b ?d f perm) /\ _ =>
    destruct (path_link_m v p va n a b d f perm) as [B BR];
    assert (T3 : same_m vs v /\ p_vroot v = p_vroot vs /\ p_satp v = p_satp vs) end.
  { destruct (n =? 3), (2 <=? n), (1 <=? n); (split; [same_m_tac|split; reflexivity]). }
  destruct T3 as (T & R & P). split; [eapply same_m_trans; eassumption|].
  intros q Nq. destruct (BR q Nq) as [R1 P1]. rewrite R1, P1, R, P. split; reflexivity.
Qed.

(** A successful [vs_map] of [f] into [p] through slot [sl] of [cs]: the
    record of [f] is new (it was not in force), made for [p] at [va]
    through that slot; every other frame's record and slot half are as
    they were; only the mark of [(cs, sl)] may change; only [p]'s root. *)
Lemma vs_map_effects : forall s p f va perm cs sl s',
  vs_map ppn_of frame_of_ppn vs_kroot s p f va perm cs sl = (E_OK, s') ->
  mapping_live (fst s) (snd s) f = false /\
  m_proc (snd s') f = p /\ m_va (snd s') f = va /\ m_cs (snd s') f = cs /\ m_slot (snd s') f = sl /\
  (forall g, g <> f -> mrec (snd s') g = mrec (snd s) g /\ mslot (snd s') g = mslot (snd s) g) /\
  (forall x y, ~ (x = cs /\ y = sl) -> cap_mapped (snd s') x y = cap_mapped (snd s) x y) /\
  (cs < NFRAMES -> cap_mapped (snd s') cs sl = S f) /\
  (NFRAMES <= cs -> cap_mapped (snd s') = cap_mapped (snd s)) /\
  (forall q, q <> p -> p_vroot (snd s') q = p_vroot (snd s) q /\ p_satp (snd s') q = p_satp (snd s) q).
Proof.
  intros [ks vs] p f va perm cs sl s' H.
  pose proof (vs_map_ok_inv ppn_of frame_of_ppn vs_kroot _ _ _ _ _ _ _ _ H) as (_ & _ & NL & _). split; [exact NL|].
  apply vs_map_commit in H as (_ & _ & _ & _ & ->).
  match goal with |- context [map_commit ppn_of frame_of_ppn vs_kroot ?s0 p f va perm cs sl ?c0 ?n0] =>
    destruct (map_commit_shape s0 p f va perm cs sl c0 n0) as (X & pg & fg & g & E & M & R);
    rewrite E end.
  cbn [snd] in M, R. destruct M as (A1 & A2 & A3 & A4 & A5 & A7 & A8 & A9 & A10).
  unfold set_through, set_record; cbn [m_used m_proc m_pgen m_fgen m_va m_cs m_csgen m_slot
    cap_mapped p_vroot p_satp].
  rewrite !upd_eq. do 4 (split; [reflexivity|]). split; [|split; [|split; [|split]]].
  - intros h Nh. unfold mrec, mslot. cbn [m_used m_proc m_pgen m_fgen m_va m_cs m_csgen m_slot].
    rewrite !upd_neq by exact Nh. rewrite A1, A2, A3, A4, A5.
    destruct (cs <? NFRAMES); [rewrite upd_neq by exact Nh|]; rewrite A7, A8, A9; split; reflexivity.
  - intros x y Nxy. destruct (cs <? NFRAMES).
    + rewrite upd2_neq by (destruct (Nat.eq_dec x cs); [right|left]; tauto). rewrite A10. reflexivity.
    + rewrite A10. reflexivity.
  - intro L. apply Nat.ltb_lt in L. rewrite L. apply upd2_eq.
  - intro L. apply Nat.ltb_ge in L. rewrite L. exact A10.
  - intros q Nq. exact (R q Nq).
Qed.

Lemma mrec_rest : forall v w g, mrec v g = mrec w g -> mrest v g = mrest w g.
Proof. unfold mrec, mrest; intros v w g H. inversion H. reflexivity. Qed.

Lemma mrec_used : forall v w g, mrec v g = mrec w g -> m_used v g = m_used w g.
Proof. unfold mrec; intros v w g H. inversion H. reflexivity. Qed.

Lemma unused_dead : forall ks vs f, m_used vs f = false -> mapping_live ks vs f = false.
Proof. intros ks vs f U. unfold mapping_live. rewrite U. reflexivity. Qed.

(** A slot of a capability space whose mark does not name [f]: [f]'s
    mapping made through it is not in force. *)
Lemma mark_gone_dead : forall ks vs f, m_cs vs f < NFRAMES ->
  cap_mapped vs (m_cs vs f) (m_slot vs f) <> S f -> mapping_live ks vs f = false.
Proof.
  intros ks vs f L M. destruct (mapping_live ks vs f) eqn:E; [|reflexivity]. exfalso.
  apply mapping_live_slot in E. destruct (slot_live_marked ks vs f E L) as (Mk & _). exact (M Mk).
Qed.

Lemma mslot_parts : forall v w f, mslot v f = mslot w f -> m_cs v f = m_cs w f /\ m_slot v f = m_slot w f.
Proof. unfold mslot; intros v w f H. injection H; auto. Qed.

Lemma mark_gone_dead' : forall ks vs vs0 f, mslot vs f = mslot vs0 f -> m_cs vs0 f < NFRAMES ->
  cap_mapped vs (m_cs vs0 f) (m_slot vs0 f) <> S f -> mapping_live ks vs f = false.
Proof.
  intros ks vs vs0 f Ms L M. destruct (mslot_parts _ _ _ Ms) as [C S].
  apply mark_gone_dead; rewrite C; [exact L|rewrite S; exact M].
Qed.

(** *** Removal only: the reaper's shape *)

(** [vs'] differs from [vs] only by forgetting records not in force in
    [ks] ([m_used] cleared) and by entries set to 0. *)
Definition rm_only (ks : KState) (vs vs' : VS) : Prop :=
  (forall g, mrec vs' g = mrec vs g \/
     (m_used vs' g = false /\ mrest vs' g = mrest vs g /\ mapping_live ks vs g = false)) /\
  m_cs vs' = m_cs vs /\ m_csgen vs' = m_csgen vs /\ m_slot vs' = m_slot vs /\
  cap_mapped vs' = cap_mapped vs /\
  (forall t i, pt_entry vs' t i = pt_entry vs t i \/ pt_entry vs' t i = 0%N) /\
  p_vroot vs' = p_vroot vs /\ p_satp vs' = p_satp vs.

Lemma rm_only_refl : forall ks vs, rm_only ks vs vs.
Proof. intros; repeat split; auto. Qed.

Lemma rm_only_vrec : forall ks vs vs' g, rm_only ks vs vs' -> mrec vs' g = mrec vs g -> vrec_same vs vs' g.
Proof.
  intros ks vs vs' g (_ & C & G & S & M & _) R. unfold vrec_same, mslot. rewrite C, G, S, M. auto.
Qed.

Lemma rm_only_trans : forall ks a b c, rm_only ks a b -> rm_only ks b c -> rm_only ks a c.
Proof.
  intros ks a b c Hab Hbc. pose proof Hab as Vab.
  destruct Hab as (R1 & C1 & G1 & S1 & M1 & E1 & P1 & Q1), Hbc as (R2 & C2 & G2 & S2 & M2 & E2 & P2 & Q2).
  split; [|repeat split; try congruence].
  - intro g. destruct (R1 g) as [Eab|(U1 & T1 & L1)]; destruct (R2 g) as [Ebc|(U2 & T2 & L2)].
    + left; congruence.
    + right. split; [exact U2|split; [rewrite T2; exact (mrec_rest _ _ _ Eab)|]].
      rewrite <- (vrec_same_live ks a b g (rm_only_vrec ks a b g Vab Eab)). exact L2.
    + right. split; [rewrite (mrec_used _ _ _ Ebc); exact U1|split; [|exact L1]].
      rewrite (mrec_rest _ _ _ Ebc). exact T1.
    + right. split; [exact U2|split; [congruence|exact L1]].
  - intros t i. destruct (E2 t i) as [X|X]; [destruct (E1 t i) as [Y|Y]; [left|right]; congruence|right; exact X].
Qed.

Ltac upd_cases :=
  repeat match goal with |- context [Nat.eqb ?a ?b] => destruct (Nat.eqb_spec a b) as [->|] end; auto.

Lemma unmap_record_rm : forall ks vs f,
  same_m vs (unmap_record frame_of_ppn ks vs f) /\
  (forall t i, pt_entry (unmap_record frame_of_ppn ks vs f) t i = pt_entry vs t i \/
               pt_entry (unmap_record frame_of_ppn ks vs f) t i = 0%N) /\
  p_vroot (unmap_record frame_of_ppn ks vs f) = p_vroot vs /\
  p_satp (unmap_record frame_of_ppn ks vs f) = p_satp vs.
Proof.
  intros ks vs f.
  assert (C : unmap_record frame_of_ppn ks vs f = vs \/
              exists t i, unmap_record frame_of_ppn ks vs f = set_pte vs t i 0).
  { unfold unmap_record. cbv zeta.
    repeat match goal with |- context [if ?b then _ else _] => destruct b end; eauto. }
  destruct C as [-> | (t0 & i0 & ->)];
    [split; [apply same_m_refl|split; [intros; left; reflexivity|split; reflexivity]]|].
  split; [same_m_tac|split; [|split; reflexivity]].
  intros t i. unfold set_pte, upd2, upd; cbn [pt_entry]. upd_cases.
Qed.

Lemma reap_one_rm : forall ks vs f, rm_only ks vs (vs_reap_one frame_of_ppn ks vs f).
Proof.
  intros ks vs f. unfold vs_reap_one.
  destruct (negb (m_used vs f) || mapping_live ks vs f) eqn:B; [apply rm_only_refl|].
  apply orb_false_iff in B as [U L]. apply negb_false_iff in U.
  destruct (unmap_record_rm ks vs f) as ((A1 & A2 & A3 & A4 & A5 & A7 & A8 & A9 & A10) & E & R & P).
  set (u := unmap_record frame_of_ppn ks vs f) in *.
  split; [|cbn [clear_used m_cs m_csgen m_slot cap_mapped pt_entry p_vroot p_satp]; repeat split; auto].
  intro g. unfold mrec, mrest. cbn [clear_used m_used m_proc m_pgen m_fgen m_va].
  rewrite A1, A2, A3, A4, A5. unfold upd.
  destruct (Nat.eqb_spec g f) as [->|]; [right; auto|left; reflexivity].
Qed.

Lemma reap_pass_rm : forall ks vs n, rm_only ks vs (reap_pass frame_of_ppn ks vs n).
Proof.
  intros ks vs n. induction n as [|m IH]; cbn [reap_pass]; [apply rm_only_refl|].
  eapply rm_only_trans; [exact IH|apply reap_one_rm].
Qed.

(** *** Unmap, delete, move, process creation *)

Lemma vs_unmap_effects : forall s p va s',
  vs_unmap frame_of_ppn s p va = (E_OK, s') ->
  fst s' = fst s /\
  (forall g, mrec (snd s') g = mrec (snd s) g \/
     (m_used (snd s') g = false /\ mrest (snd s') g = mrest (snd s) g /\ m_proc (snd s) g = p)) /\
  m_cs (snd s') = m_cs (snd s) /\ m_csgen (snd s') = m_csgen (snd s) /\ m_slot (snd s') = m_slot (snd s) /\
  cap_mapped (snd s') = cap_mapped (snd s) /\
  (forall t i, pt_entry (snd s') t i = pt_entry (snd s) t i \/ pt_entry (snd s') t i = 0%N) /\
  p_vroot (snd s') = p_vroot (snd s) /\ p_satp (snd s') = p_satp (snd s).
Proof.
  intros [ks vs] p va s' H. unfold vs_unmap in H. cbv zeta in H.
  match goal with H : (match ?r with _ => _ end) = _ |- _ =>
    assert (NE : r <> Err E_OK) by no_eok; destruct r eqn:R end;
    inversion H; subst; [|congruence].
  peel R. apply Ok_inj in R. subst v. cbn [fst snd] in *. split; [reflexivity|].
  set (vs1 := set_pte vs _ _ 0).
  assert (E1 : forall t i, pt_entry vs1 t i = pt_entry vs t i \/ pt_entry vs1 t i = 0%N).
  { intros t i. subst vs1. unfold set_pte, upd2, upd; cbn [pt_entry].
    upd_cases. }
  match goal with |- context [if ?b then _ else _] => destruct b eqn:B end;
    (split; [|cbn [clear_used vs1 set_pte m_cs m_csgen m_slot cap_mapped pt_entry p_vroot p_satp];
              repeat split; try exact E1]).
  - intro g. unfold mrec, mrest. cbn [clear_used vs1 set_pte m_used m_proc m_pgen m_fgen m_va].
    unfold upd. match goal with |- context [Nat.eqb g ?x] => destruct (Nat.eqb_spec g x) as [->|] end;
      [right|left; reflexivity].
    repeat (apply andb_true_iff in B as [B ?]).
    match goal with G : Nat.eqb (m_proc _ _) p = true |- _ => apply Nat.eqb_eq in G end. auto.
  - intro g. left. reflexivity.
Qed.

Lemma vs_slot_gone_effects : forall ks vs cs sl,
  let v := snd (vs_slot_gone frame_of_ppn (ks, vs) cs sl) in
  fst (vs_slot_gone frame_of_ppn (ks, vs) cs sl) = ks /\ rm_only ks (set_mark vs cs sl 0) v.
Proof.
  intros. subst v. unfold vs_slot_gone. cbn [fst snd].
  destruct (_ && _); cbn [fst snd]; (split; [reflexivity|]); [apply reap_one_rm|apply rm_only_refl].
Qed.

Lemma vs_follow_effects : forall ks vs cs src d dst, ~ (cs = d /\ src = dst) ->
  let v := snd (vs_follow (ks, vs) cs src d dst) in
  fst (vs_follow (ks, vs) cs src d dst) = ks /\ pt_entry v = pt_entry vs /\
  p_vroot v = p_vroot vs /\ p_satp v = p_satp vs /\
  forall f, mrec v f = mrec vs f /\
   ((m_cs vs f = cs /\ m_slot vs f = src /\ m_cs v f = d /\ m_slot v f = dst) \/
    (mslot v f = mslot vs f /\
     (cap_mapped v (m_cs vs f) (m_slot vs f) = cap_mapped vs (m_cs vs f) (m_slot vs f) \/
      ((m_cs vs f = cs \/ m_cs vs f = d) /\ cap_mapped v (m_cs vs f) (m_slot vs f) <> S f)))).
Proof.
  intros ks vs cs src d dst Nsd. cbv zeta. unfold vs_follow. cbv zeta. cbn [fst snd].
  set (m := cap_mapped vs cs src).
  assert (K1 : forall f, mslot (set_mark vs cs src 0) f = mslot vs f /\
     (cap_mapped (set_mark vs cs src 0) (m_cs vs f) (m_slot vs f) = cap_mapped vs (m_cs vs f) (m_slot vs f) \/
      ((m_cs vs f = cs \/ m_cs vs f = d) /\
       cap_mapped (set_mark vs cs src 0) (m_cs vs f) (m_slot vs f) <> S f))).
  { intro f. split; [reflexivity|]. cbn [set_mark cap_mapped].
    destruct (Nat.eq_dec (m_cs vs f) cs) as [Ec|Nc]; [destruct (Nat.eq_dec (m_slot vs f) src) as [Es|Ns]|].
    - right. rewrite Ec, Es, upd2_eq. split; [left; reflexivity|discriminate].
    - left. apply upd2_neq. right; exact Ns.
    - left. apply upd2_neq. left; exact Nc. }
  destruct ((m =? 0) || (NFRAMES <? m)) eqn:Z.
  { cbn [fst snd]. do 4 (split; [reflexivity|]). intro f. split; [reflexivity|right; apply K1]. }
  set (g := m - 1).
  destruct (negb (Nat.eqb (m_cs (set_mark vs cs src 0) g) cs) || _ || _) eqn:R.
  { cbn [fst snd]. do 4 (split; [reflexivity|]). intro f. split; [reflexivity|right; apply K1]. }
  assert (Rc : m_cs vs g = cs /\ m_slot vs g = src).
  { repeat (apply orb_false_iff in R as [R ?]). apply negb_false_iff in R.
    match goal with G : negb (Nat.eqb (m_slot _ _) _) = false |- _ =>
      apply negb_false_iff in G; apply Nat.eqb_eq in G end.
    apply Nat.eqb_eq in R. split; assumption. }
  assert (Mg : m = S g) by (apply orb_false_iff in Z as [Z0 _]; apply Nat.eqb_neq in Z0; subst g; lia).
  cbn [fst snd]. do 4 (split; [reflexivity|]). intro f. split; [reflexivity|].
  destruct (Nat.eq_dec f g) as [->|Nf].
  - left. destruct Rc as [C S]. split; [exact C|split; [exact S|]].
    cbn [set_mark set_slot_rec m_cs m_slot]. rewrite !upd_eq. split; reflexivity.
  - right. unfold mslot. cbn [set_mark set_slot_rec m_cs m_csgen m_slot cap_mapped].
    rewrite !upd_neq by exact Nf. split; [reflexivity|].
    destruct (Nat.eq_dec (m_cs vs f) d) as [Ed|Nd]; [destruct (Nat.eq_dec (m_slot vs f) dst) as [Es|Ns]|].
    + right. rewrite Ed, Es, upd2_eq. split; [right; reflexivity|]. rewrite Mg. congruence.
    + rewrite upd2_neq by (right; exact Ns). apply K1.
    + rewrite upd2_neq by (left; exact Nd). apply K1.
Qed.

(** *** [obj_gone]: removal, and the marks of a dead capability space *)

(** [rm_only], but for marks that may become 0 in a frame that is not
    a capability space (in [ks]): such a mark keeps nothing in force
    ([slot_live] reads it only in a capability space). *)
Definition rm_marks (ks : KState) (vs vs' : VS) : Prop :=
  (forall g, mrec vs' g = mrec vs g \/
     (m_used vs' g = false /\ mrest vs' g = mrest vs g /\ mapping_live ks vs g = false)) /\
  m_cs vs' = m_cs vs /\ m_csgen vs' = m_csgen vs /\ m_slot vs' = m_slot vs /\
  (forall x y, cap_mapped vs' x y = cap_mapped vs x y \/
               (cap_mapped vs' x y = 0 /\ x < NFRAMES /\ frame_type (core ks) x <> OT_CSPACE)) /\
  (forall t i, pt_entry vs' t i = pt_entry vs t i \/ pt_entry vs' t i = 0%N) /\
  p_vroot vs' = p_vroot vs /\ p_satp vs' = p_satp vs.

Lemma rm_only_marks : forall ks vs vs', rm_only ks vs vs' -> rm_marks ks vs vs'.
Proof.
  intros ks vs vs' (R & C & G & S & M & E & P & Q).
  repeat split; auto. intros x y. left. rewrite M. reflexivity.
Qed.

Lemma rm_marks_refl : forall ks vs, rm_marks ks vs vs.
Proof. intros. apply rm_only_marks, rm_only_refl. Qed.

(** Marks changed only in frames that are no capability space: every
    mapping is in force exactly when it was. *)
Lemma marks_dead_live : forall ks vs vs' g,
  mrec vs' g = mrec vs g -> m_cs vs' g = m_cs vs g -> m_csgen vs' g = m_csgen vs g ->
  m_slot vs' g = m_slot vs g ->
  (forall x y, cap_mapped vs' x y = cap_mapped vs x y \/ frame_type (core ks) x <> OT_CSPACE) ->
  mapping_live ks vs' g = mapping_live ks vs g.
Proof.
  intros ks vs vs' g R C G S M. unfold mrec in R. inversion R.
  apply mapping_live_record; auto.
  unfold slot_live. rewrite C, G, S.
  destruct (M (m_cs vs g) (m_slot vs g)) as [E|T]; [rewrite E; reflexivity|].
  rewrite (proj1 (not_true_iff_false (is_type (core ks) (m_cs vs g) OT_CSPACE))
             (fun H => T (proj1 (is_type_true _ _ _) H))).
  rewrite !andb_false_r, !andb_false_l. reflexivity.
Qed.

Lemma rm_marks_live : forall ks vs vs' g, rm_marks ks vs vs' -> mrec vs' g = mrec vs g ->
  mapping_live ks vs' g = mapping_live ks vs g.
Proof.
  intros ks vs vs' g (_ & C & G & S & M & _) R.
  apply marks_dead_live; [exact R|rewrite C; reflexivity|rewrite G; reflexivity|rewrite S; reflexivity|].
  intros x y. destruct (M x y) as [E|(_ & _ & T)]; [left; exact E|right; exact T].
Qed.

Lemma rm_marks_trans : forall ks a b c, rm_marks ks a b -> rm_marks ks b c -> rm_marks ks a c.
Proof.
  intros ks a b c Hab Hbc. pose proof Hab as Vab.
  destruct Hab as (R1 & C1 & G1 & S1 & M1 & E1 & P1 & Q1), Hbc as (R2 & C2 & G2 & S2 & M2 & E2 & P2 & Q2).
  split; [|split; [congruence|split; [congruence|split; [congruence|split; [|split; [|split; congruence]]]]]].
  - intro g. destruct (R1 g) as [Eab|(U1 & T1 & L1)]; destruct (R2 g) as [Ebc|(U2 & T2 & L2)].
    + left; congruence.
    + right. split; [exact U2|split; [rewrite T2; exact (mrec_rest _ _ _ Eab)|]].
      rewrite <- (rm_marks_live ks a b g Vab Eab). exact L2.
    + right. split; [rewrite (mrec_used _ _ _ Ebc); exact U1|split; [|exact L1]].
      rewrite (mrec_rest _ _ _ Ebc). exact T1.
    + right. split; [exact U2|split; [congruence|exact L1]].
  - intros x y. destruct (M2 x y) as [X|X]; [rewrite X; exact (M1 x y)|right; exact X].
  - intros t i. destruct (E2 t i) as [X|X]; [destruct (E1 t i) as [Y|Y]; [left|right]; congruence|right; exact X].
Qed.

(** A mark of a frame that is no capability space cleared. *)
Lemma set_mark_dead_rm : forall ks vs cs sl, cs < NFRAMES -> frame_type (core ks) cs <> OT_CSPACE ->
  rm_marks ks vs (set_mark vs cs sl 0).
Proof.
  intros ks vs cs sl Lc T. unfold set_mark.
  split; [intro g; left; reflexivity|cbn [m_cs m_csgen m_slot cap_mapped pt_entry p_vroot p_satp]].
  repeat split; auto. intros x y.
  destruct (Nat.eq_dec x cs) as [->|Nx]; [destruct (Nat.eq_dec y sl) as [->|Ny]|].
  - right. rewrite upd2_eq. auto.
  - left. unfold upd2, upd. rewrite Nat.eqb_refl. destruct (Nat.eqb_spec y sl); [contradiction|reflexivity].
  - left. apply upd2_neq. left; exact Nx.
Qed.

(** [vs_cspace_gone]'s loop, of a frame that is no capability space:
    the kernel state kept, removal and cleared marks only. *)
Lemma cspace_gone_pass_rm : forall ks vs cs n, cs < NFRAMES -> frame_type (core ks) cs <> OT_CSPACE ->
  fst (cspace_gone_pass frame_of_ppn (ks, vs) cs n) = ks /\
  rm_marks ks vs (snd (cspace_gone_pass frame_of_ppn (ks, vs) cs n)).
Proof.
  intros ks vs cs n Lc T. induction n as [|m [F R]]; cbn [cspace_gone_pass]; [split; [reflexivity|apply rm_marks_refl]|].
  rewrite (surjective_pairing (cspace_gone_pass frame_of_ppn (ks, vs) cs m)), F.
  destruct (vs_slot_gone_effects ks (snd (cspace_gone_pass frame_of_ppn (ks, vs) cs m)) cs m) as [F' R'].
  split; [exact F'|].
  eapply rm_marks_trans; [exact R|]. eapply rm_marks_trans; [exact (set_mark_dead_rm ks _ cs m Lc T)|].
  apply rm_only_marks. exact R'.
Qed.

(** What [obj_gone] does: the kernel state kept, or [proc_reap]'s (a
    process), or [waits_cancel]'s (an endpoint, a notification); the tables only lose what is
    out of force in that kernel state, entries only become 0, and marks
    only of the dead capability space, to 0. *)
Lemma obj_gone_rm : forall ks vs hi o t,
  let r := obj_gone frame_of_ppn (ks, vs) hi o t in
  (fst r = ks \/ fst r = proc_reap ks \/ fst r = waits_cancel ks) /\ rm_marks (fst r) vs (snd r).
Proof.
  intros ks vs hi o t. cbv zeta. unfold obj_gone. cbn [fst snd].
  destruct ((NFRAMES <=? o) || _) eqn:D; [split; [left; reflexivity|apply rm_marks_refl]|].
  apply orb_false_iff in D as [Lo D]. apply negb_false_iff in D. apply Nat.leb_gt in Lo.
  assert (T : frame_type (core ks) o <> OT_CSPACE).
  { intro E. apply orb_true_iff in D as [D|D]; apply is_type_true in D; congruence. }
  destruct t; cbn [fst snd];
    try (split; [left; reflexivity|apply rm_marks_refl]);
    try (split; [right; left; reflexivity|apply rm_marks_refl]);
    try (split; [right; right; reflexivity|apply rm_marks_refl]).
  - destruct (cspace_gone_pass_rm ks vs o NSLOTS Lo T) as [F R]. unfold vs_cspace_gone.
    rewrite F. split; [left; reflexivity|exact R].
  - split; [left; reflexivity|]. apply rm_only_marks, reap_one_rm.
  - split; [left; reflexivity|]. unfold vs_reap. cbn [fst snd]. apply rm_only_marks, reap_pass_rm.
Qed.

(** The C's SYS_OBJ_FREE ([VSpace.sys_obj_free_c]) is [obj_free] then
    [after_gone] of the object and type read before: so a step of
    [vb_obj_gone] ([sys_obj_free_c_vstep]). *)
Lemma sys_obj_free_c_gone : forall s hi cs a0 a1,
  let sl := N.to_nat (slot32 a1) in
  let r := obj_free (core (fst s)) cs (N.to_nat (slot32 a0)) sl in
  sys_obj_free_c frame_of_ppn s hi cs a0 a1 =
    (fst r, after_gone (fst r) (with_core (fst s) (snd r)) (snd s) hi
       (if sl <? NSLOTS then cap_obj (cap (core (fst s)) cs sl) else NFRAMES)
       (if sl <? NSLOTS then cap_type (cap (core (fst s)) cs sl) else OT_FREE)).
Proof.
  intros [[st ps iq] vs] hi cs a0 a1. cbv zeta. unfold sys_obj_free_c, after_gone. cbn [fst snd core].
  destruct (obj_free st cs _ _) as [e st'] eqn:F. cbn [fst snd].
  destruct (is_ok e) eqn:Ok.
  - destruct e; try discriminate Ok. reflexivity.
  - unfold obj_free in F. apply commit_cases in F as [[_ E]| ->]; [subst e; discriminate Ok|].
    reflexivity.
Qed.

(** The same for [after_gone]. *)
Lemma after_gone_rm : forall e ks vs hi o t,
  let r := after_gone e ks vs hi o t in
  (fst r = ks \/ fst r = proc_reap ks \/ fst r = waits_cancel ks) /\ rm_marks (fst r) vs (snd r).
Proof.
  intros. subst r. unfold after_gone. destruct (is_ok e); [apply obj_gone_rm|].
  split; [left; reflexivity|apply rm_marks_refl].
Qed.

(** ** 1. What a step does to a mapping *)

(** The step only ended frame [f]'s mapping: nothing but [m_used] and the
    mark of its slot changed, it is not in force after the step, and
    either the step's new kernel state does not keep the old record in
    force (a death, or it was not in force), or the invoker may map into
    the mapping's process (an unmap), or the invoker may write the
    capability space the mapping was made through (a delete, a move, a
    map through the same slot). *)
Definition ended (a : Actor) (s s' : KState * VS) (f : nat) : Prop :=
  mrest (snd s') f = mrest (snd s) f /\ mslot (snd s') f = mslot (snd s) f /\
  (m_used (snd s') f = m_used (snd s) f \/ m_used (snd s') f = false) /\
  mapping_live (fst s') (snd s') f = false /\
  (mapping_live (fst s') (snd s) f = false \/
   map_touch a (fst s) (m_proc (snd s) f) \/
   (m_cs (snd s) f < NFRAMES /\ may_write a (fst s) (m_cs (snd s) f))).

(** A [sys_cap_move] by the capability space the mapping was made
    through moved it (record unchanged) to a slot of a capability space
    it may write. *)
Definition moved (a : Actor) (s s' : KState * VS) (f : nat) : Prop :=
  a = ACs (m_cs (snd s) f) /\ m_cs (snd s) f < NFRAMES /\ mrec (snd s') f = mrec (snd s) f /\
  may_write a (fst s) (m_cs (snd s') f).

(** The step is a successful [sys_map] by the running process [cur] that
    made frame [f]'s mapping (it was not in force before): into a
    process [cur] may map into, [cur]'s capability space holding [f]
    with the rights the permission needs, through the frame argument's
    slot of [cur]'s capability space; given [ppn_wf], in force through
    that slot, the walk reaching the leaf [pte_of f perm]. *)
Definition map_made (a : Actor) (s s' : KState * VS) (f : nat) : Prop :=
  exists cur proc frame va perm, a = AProc cur /\
    sys_map ppn_of frame_of_ppn vs_kroot s cur (p_cspace (procs (fst s)) cur) proc frame va perm
      = (E_OK, s') /\
    mapping_live (fst s) (snd s) f = false /\
    map_touch a (fst s) (m_proc (snd s') f) /\
    holds (core (fst s)) (p_cspace (procs (fst s)) cur) f (perm_rights perm) /\
    m_va (snd s') f = va /\ m_cs (snd s') f = p_cspace (procs (fst s)) cur /\
    m_slot (snd s') f = N.to_nat (slot32 frame) /\
    (ppn_wf ppn_of frame_of_ppn ->
       slot_maps (fst s') (snd s') (p_cspace (procs (fst s)) cur) (N.to_nat (slot32 frame)) f = true /\
       vs_mapped frame_of_ppn (fst s') (snd s') (m_proc (snd s') f) va = true /\
       vs_e0 frame_of_ppn (snd s') (m_proc (snd s') f) va = pte_of ppn_of f perm).

Lemma cspace_ok_lt : forall st cs, cspace_ok st cs = true -> cs < NFRAMES.
Proof. unfold cspace_ok; intros st cs H. apply andb_true_iff in H as [H _]. apply Nat.ltb_lt; exact H. Qed.

Lemma may_write_own : forall cs ks, may_write (ACs cs) ks cs.
Proof. intros; left; reflexivity. Qed.

Lemma may_write_dst : forall ks cs a1 d, dst_cspace ks cs a1 = Ok d -> may_write (ACs cs) ks d.
Proof.
  intros ks cs a1 d D. unfold may_write; cbn [actor_cs].
  destruct (dst_cspace_holds ks cs a1 d D) as [E|[E|(q & Hq & E)]];
    [left; exact E|right; left; exact E|right; right; left; exists q; auto].
Qed.

(** A destruction, then the reaper: the frame's mapping is as it was, or
    the reaper ended it (the two destroying operations alike). *)
Ltac destroy_ended e ks st' vs hi f :=
  unfold after_destroy; destruct (is_ok e); [|left; apply vrec_same_refl];
  unfold vs_reap; cbn [fst snd];
  let RM := fresh "RM" in
  pose proof (reap_pass_rm (proc_reap (with_core ks st')) vs hi) as RM;
  let E := fresh "E" in let U := fresh "U" in let T := fresh "T" in let L := fresh "L" in
  destruct (proj1 RM f) as [E|(U & T & L)]; [left; eapply rm_only_vrec; eassumption|];
  right; right; left; unfold ended; cbn [fst snd];
  let C := fresh "C" in let G := fresh "G" in let Sl := fresh "Sl" in
  destruct RM as (_ & C & G & Sl & _);
  split; [exact T|split; [unfold mslot; rewrite C, G, Sl; reflexivity|]];
  split; [right; exact U|split; [apply unused_dead; exact U|left; exact L]].

(** Every step leaves frame [f]'s mapping as it was, or made it (a map),
    or only ended it, or moved it (a move by the capability space it was
    made through). *)
Theorem vstep_mappings : forall a s s' f, vstep_by a s s' ->
  vrec_same (snd s) (snd s') f \/ map_made a s s' f \/ ended a s s' f \/ moved a s s' f.
Proof.
  intros a s s' f H. destruct H as [a ks ks' vs S|ks vs cs a b e st' hi D|ks vs cs a b e st' hi o t D
    |ks vs cs a b e st' hi D
    |ks vs cs caller a b dst prio ks' P|s cur proc frame va perm e s' H|s cur proc va e s' H
    |s cs a0 e s' H|s cs a0 a1 a2 e s' H].
  - left. apply vrec_same_refl.
  - (* obj_free, then the reaper *)
    destroy_ended e ks st' vs hi f.
  - (* obj_free, then obj_gone *)
    destruct (after_gone_rm e (with_core ks st') vs hi o t) as [_ RM].
    set (r := after_gone e (with_core ks st') vs hi o t) in *.
    destruct RM as (R & C & G & Sl & M & _).
    assert (Ms : mslot (snd r) f = mslot vs f) by (unfold mslot; rewrite C, G, Sl; reflexivity).
    destruct (R f) as [E|(U & T & L)].
    + destruct (M (m_cs vs f) (m_slot vs f)) as [Mk|(_ & Lc & Tc)];
        [left; split; [exact E|split; [exact Ms|exact Mk]]|].
      right; right; left; unfold ended; cbn [fst snd].
      split; [exact (mrec_rest _ _ _ E)|split; [exact Ms|split; [left; exact (mrec_used _ _ _ E)|split]]].
      * apply cs_dead_not_live; rewrite C; assumption.
      * left. apply cs_dead_not_live; assumption.
    + right; right; left; unfold ended; cbn [fst snd].
      split; [exact T|split; [exact Ms|split; [right; exact U|split; [apply unused_dead; exact U|left; exact L]]]].
  - (* container_destroy, then the reaper *)
    destroy_ended e ks st' vs hi f.
  - (* process creation: only a root *)
    left. apply same_m_vrec. unfold vs_proc_init. cbn [snd]. same_m_tac.
  - (* map *)
    destruct (error_eq_dec e E_OK) as [->|NE];
      [|apply sys_map_refused in H; [subst; left; apply vrec_same_refl|exact NE]].
    pose proof H as H0.
    apply sys_map_inv in H as (p & r & Pa & Mr & V).
    apply vs_map_effects in V as (NL & Mp & Mv & Mc & Ms & Oth & Mk & Mk2 & Mk3 & _).
    set (cs := p_cspace (procs (fst s)) cur) in *.
    set (sl := N.to_nat (slot32 frame)) in *.
    destruct (Nat.eq_dec f (cap_obj r)) as [->|Nf].
    + right; left. exists cur, proc, frame, va, perm. split; [reflexivity|split; [exact H0|]].
      split; [exact NL|split; [|split; [|split; [exact Mv|split; [exact Mc|split; [exact Ms|]]]]]].
      * exists cur. split; [reflexivity|]. rewrite Mp. exact (proc_arg_touch _ _ _ _ _ Pa).
      * exact (map_frame_lookup_holds _ _ _ _ _ Mr).
      * intro W. destruct (sys_map_ok ppn_of frame_of_ppn vs_kroot _ _ _ _ _ _ _ _ W H0)
          as (p' & r' & Pa' & _ & Mr' & Vm & Ve & Sm).
        fold cs sl in Pa', Mr', Sm. rewrite Pa in Pa'. rewrite Mr in Mr'.
        inversion Pa'; inversion Mr'; subst p' r'. rewrite Mp. auto.
    + destruct (Oth f Nf) as [Er Es].
      destruct (Nat.eq_dec (m_cs (snd s) f) cs) as [Ec|Nc];
        [destruct (Nat.eq_dec (m_slot (snd s) f) sl) as [Esl|Nsl]|].
      * destruct (Nat.lt_ge_cases cs NFRAMES) as [Lc|Lc].
        -- right; right; left; unfold ended; cbn [fst snd]. split; [exact (mrec_rest _ _ _ Er)|split; [exact Es|]].
           split; [left; exact (mrec_used _ _ _ Er)|split].
           ++ apply (mark_gone_dead' _ _ (snd s) f Es); rewrite Ec; [exact Lc|].
              rewrite Esl, (Mk2 Lc). intro E. apply Nf. congruence.
           ++ right; right. rewrite Ec. split; [exact Lc|]. unfold may_write. left; reflexivity.
        -- left. split; [exact Er|split; [exact Es|]]. rewrite (Mk3 Lc). reflexivity.
      * left. split; [exact Er|split; [exact Es|]]. apply Mk. intros [_ E]; contradiction.
      * left. split; [exact Er|split; [exact Es|]]. apply Mk. intros [E _]; contradiction.
  - (* unmap *)
    destruct (error_eq_dec e E_OK) as [->|NE];
      [|apply sys_unmap_refused in H; [subst; left; apply vrec_same_refl|exact NE]].
    unfold sys_unmap in H.
    destruct (proc_arg (fst s) cur _ proc) as [p|e1] eqn:Pa;
      [|inversion H; subst; apply proc_arg_no_eok in Pa; contradiction].
    apply vs_unmap_effects in H as (F & R & C & G & Sl & M & _).
    destruct (R f) as [Ef|(U & T & Pp)].
    + left. split; [exact Ef|split; [unfold mslot; rewrite C, G, Sl; reflexivity|rewrite M; reflexivity]].
    + right; right; left; unfold ended; cbn [fst snd]. split; [exact T|split; [unfold mslot; rewrite C, G, Sl; reflexivity|]].
      split; [right; exact U|split; [apply unused_dead; exact U|]].
      right; left. exists cur. split; [reflexivity|]. rewrite Pp. exact (proc_arg_touch _ _ _ _ _ Pa).
  - (* delete *)
    destruct s as [ks vs].
    apply sys_cap_delete_cases in H as [(_ & -> & _)|(-> & st' & D & ->)]; [left; apply vrec_same_refl|].
    cbn [fst snd] in *. apply cap_delete_ok in D as (Cc & _ & ->). apply cspace_ok_lt in Cc.
    set (sl := N.to_nat (slot32 a0)) in *.
    set (ks' := with_core ks (set_cap (core ks) cs sl null_cap)).
    destruct (vs_slot_gone_effects ks' vs cs sl) as [F RM].
    set (v := snd (vs_slot_gone frame_of_ppn (ks', vs) cs sl)) in *.
    assert (Fs : fst (vs_slot_gone frame_of_ppn (ks', vs) cs sl) = ks') by exact F.
    destruct RM as (R & C & G & Sl & M & _).
    assert (Ms : mslot v f = mslot vs f) by (unfold mslot; rewrite C, G, Sl; reflexivity).
    assert (Rest : mrest v f = mrest vs f /\ (m_used v f = m_used vs f \/ m_used v f = false)).
    { destruct (R f) as [E|(U & T & _)]; [split; [exact (mrec_rest _ _ _ E)|left; exact (mrec_used _ _ _ E)]|].
      split; [exact T|right; exact U]. }
    destruct (Nat.eq_dec (m_cs vs f) cs) as [Ec|Nc];
      [destruct (Nat.eq_dec (m_slot vs f) sl) as [Esl|Nsl]|].
    + right; right; left; unfold ended; cbn [fst snd]. destruct Rest as [T U].
      split; [exact T|split; [exact Ms|split; [exact U|split]]].
      * rewrite Fs. apply (mark_gone_dead' _ _ vs f Ms); rewrite Ec; [exact Cc|].
        rewrite Esl. change (cap_mapped v cs sl <> S f). rewrite M.
        cbn [set_mark cap_mapped]. rewrite upd2_eq. discriminate.
      * right; right. rewrite Ec. split; [exact Cc|apply may_write_own].
    + assert (Mk : cap_mapped v (m_cs vs f) (m_slot vs f) = cap_mapped vs (m_cs vs f) (m_slot vs f))
        by (rewrite M; cbn [set_mark cap_mapped]; apply upd2_neq; right; exact Nsl).
      destruct (R f) as [E|(U & T & L)]; [left; split; [exact E|split; assumption]|].
      right; right; left; unfold ended; cbn [fst snd]. split; [exact T|split; [exact Ms|split; [right; exact U|split]]].
      * apply unused_dead; exact U.
      * left. rewrite Fs.
        rewrite (mapping_live_mark ppn_of frame_of_ppn vs_kernel_satp ks' vs cs sl 0 f ltac:(intros [_ E]; contradiction)) in L.
        exact L.
    + assert (Mk : cap_mapped v (m_cs vs f) (m_slot vs f) = cap_mapped vs (m_cs vs f) (m_slot vs f))
        by (rewrite M; cbn [set_mark cap_mapped]; apply upd2_neq; left; exact Nc).
      destruct (R f) as [E|(U & T & L)]; [left; split; [exact E|split; assumption]|].
      right; right; left; unfold ended; cbn [fst snd]. split; [exact T|split; [exact Ms|split; [right; exact U|split]]].
      * apply unused_dead; exact U.
      * left. rewrite Fs.
        rewrite (mapping_live_mark ppn_of frame_of_ppn vs_kernel_satp ks' vs cs sl 0 f ltac:(intros [E _]; contradiction)) in L.
        exact L.
  - (* move *)
    destruct s as [ks vs].
    apply sys_cap_move_cases in H as [(_ & ->)|(-> & d & st' & D & C & ->)]; [left; apply vrec_same_refl|].
    cbn [fst snd] in *.
    set (src := N.to_nat (slot32 a0)) in *. set (dst := N.to_nat (slot32 a2)) in *.
    pose proof (cap_move_ok _ _ _ _ _ _ C) as (Cc & Cd & _ & _ & Nd & _ & _).
    apply cspace_ok_lt in Cc. apply cspace_ok_lt in Cd.
    assert (Nsd : ~ (cs = d /\ src = dst)) by (intros [-> ->]; destruct Nd; congruence).
    destruct (vs_follow_effects (with_core ks st') vs cs src d dst Nsd) as (F & _ & _ & _ & K).
    destruct (K f) as [Mr [(C1 & S1 & C2 & S2)|(Ms & [Mk|(Cx & Mk)])]].
    + right; right; right; unfold moved; cbn [fst snd]. split; [rewrite C1; reflexivity|split; [rewrite C1; exact Cc|split; [exact Mr|]]].
      rewrite C2. eapply may_write_dst; exact D.
    + left. split; [exact Mr|split; [exact Ms|exact Mk]].
    + right; right; left; unfold ended; cbn [fst snd]. split; [exact (mrec_rest _ _ _ Mr)|split; [exact Ms|]].
      split; [left; exact (mrec_used _ _ _ Mr)|].
      assert (Lx : m_cs vs f < NFRAMES) by (destruct Cx as [-> | ->]; assumption).
      split.
      * exact (mark_gone_dead' _ _ vs f Ms Lx Mk).
      * right; right. split; [exact Lx|].
        destruct Cx as [-> | ->]; [apply may_write_own|eapply may_write_dst; exact D].
Qed.

(** ** 2. Mapping authority over runs *)

Lemma mrec_of_rest : forall v w f, mrest v f = mrest w f -> m_used v f = m_used w f -> mrec v f = mrec w f.
Proof. unfold mrest, mrec; intros v w f R U. inversion R. rewrite U. reflexivity. Qed.

Lemma mrec_parts : forall v w f, mrec v f = mrec w f -> m_proc v f = m_proc w f /\ m_va v f = m_va w f.
Proof. unfold mrec; intros v w f H. injection H; auto. Qed.

Lemma vrun_of_in : forall a k1 k2 s s', in_vrun a k1 k2 s s' -> vrun s s'.
Proof.
  intros a k1 k2 s s' H. induction H as [s3 S R|b s1 s2 s3 S _ IH]; eapply vr_step; eauto.
Qed.

(** One step: a record in use after the step is the one before, or the
    step made it. *)
Lemma vstep_made : forall a s s' f, vstep_by a s s' -> m_used (snd s') f = true ->
  mrec (snd s') f = mrec (snd s) f \/ map_made a s s' f.
Proof.
  intros a s s' f S U.
  destruct (vstep_mappings a s s' f S) as [(R & _)|[M|[(T & _ & Us & _)|(_ & _ & R & _)]]];
    [left; exact R|right; exact M| |left; exact R].
  left. apply mrec_of_rest; [exact T|]. destruct Us as [E|E]; [exact E|congruence].
Qed.

(** Mapping authority, over a whole run: a mapping record in use at the
    end of a run (in particular one in force) was there, the same, at
    its start, or a step of the run made it ([map_made]: a successful
    [sys_map] by the running process [cur], into a process [cur] may
    map into, of a frame [cur]'s capability space held with the rights
    the permission needs, through a slot of [cur]'s capability space,
    the leaf written being [pte_of f perm]), and it is that record at
    the end. *)
Theorem vrun_mapping_authority : forall s s' f,
  vrun s s' -> m_used (snd s') f = true ->
  mrec (snd s') f = mrec (snd s) f \/
  exists a k1 k2, in_vrun a k1 k2 s s' /\ map_made a k1 k2 f /\ mrec (snd k2) f = mrec (snd s') f.
Proof.
  intros s s' f R. induction R as [s|a s1 s2 s3 S R IH]; intros U; [left; reflexivity|].
  destruct (IH U) as [E|(b & k1 & k2 & I & M & E)].
  - assert (U2 : m_used (snd s2) f = true) by (rewrite <- (mrec_used _ _ _ E); exact U).
    destruct (vstep_made a s1 s2 f S U2) as [E1|M].
    + left. congruence.
    + right. exists a, s1, s2. split; [apply ivr_here; assumption|split; [exact M|symmetry; exact E]].
  - right. exists b, k1, k2. split; [eapply ivr_later; eassumption|split; assumption].
Qed.

(** The same, read for a mapping in force at the end of the run, in
    process [q], of frame [f]: made before the run, or by a step of it
    whose invoker (the running process [cur]) may map into [q] ([q] is
    [cur], or [cur]'s capability space holds [q] with the write right)
    and held [f] with the write right if the permission it mapped with
    is writable, with the read right if it is readable or executable
    ([perm_rights]); given [ppn_wf], the leaf it wrote at the mapping's
    address is [pte_of f perm], in force through the slot it named. *)
Corollary vrun_map_rights : forall s s' f,
  vrun s s' -> mapping_live (fst s') (snd s') f = true ->
  mrec (snd s') f = mrec (snd s) f \/
  exists cur k1 k2 proc frame perm,
    in_vrun (AProc cur) k1 k2 s s' /\
    sys_map ppn_of frame_of_ppn vs_kroot k1 cur (p_cspace (procs (fst k1)) cur) proc frame
      (m_va (snd s') f) perm = (E_OK, k2) /\
    (m_proc (snd s') f = cur \/ holds (core (fst k1)) (p_cspace (procs (fst k1)) cur) (m_proc (snd s') f) Wr) /\
    holds (core (fst k1)) (p_cspace (procs (fst k1)) cur) f (perm_rights perm) /\
    (ppn_wf ppn_of frame_of_ppn ->
       slot_maps (fst k2) (snd k2) (p_cspace (procs (fst k1)) cur) (N.to_nat (slot32 frame)) f = true /\
       vs_e0 frame_of_ppn (snd k2) (m_proc (snd s') f) (m_va (snd s') f) = pte_of ppn_of f perm).
Proof.
  intros s s' f R L.
  assert (U : m_used (snd s') f = true)
    by (unfold mapping_live in L; repeat (apply andb_true_iff in L as [L ?]); exact L).
  destruct (vrun_mapping_authority s s' f R U) as [E|(a & k1 & k2 & I & M & E)]; [left; exact E|right].
  destruct M as (cur & proc & frame & va & perm & -> & Hm & _ & (c & Ec & Tq) & Hh & Va & _ & _ & W).
  inversion Ec; subst c.
  destruct (mrec_parts _ _ _ E) as [Ep Ev].
  exists cur, k1, k2, proc, frame, perm. rewrite <- Ev, Va, <- Ep.
  split; [exact I|split; [exact Hm|split; [exact Tq|split; [exact Hh|]]]].
  intro Wf. destruct (W Wf) as (Sm & _ & Ve). split; assumption.
Qed.

(** *** The permission bits of the leaf a map writes *)

(** The R, W and X bits of a page-table entry (Sv39: bits 1, 2, 3). *)
Definition pte_r (e : N) : bool := N.eqb (e / 2 mod 2) 1.
Definition pte_w (e : N) : bool := N.eqb (e / 4 mod 2) 1.
Definition pte_x (e : N) : bool := N.eqb (e / 8 mod 2) 1.

Lemma pte_of_bits : forall f perm,
  pte_r (pte_of ppn_of f perm) = N.eqb (perm mod 2) 1 /\
  pte_w (pte_of ppn_of f perm) = N.eqb (perm / 2 mod 2) 1 /\
  pte_x (pte_of ppn_of f perm) = N.eqb (perm / 4 mod 2) 1.
Proof.
  intros f perm. unfold pte_r, pte_w, pte_x, pte_of, pte_bits, VS_PTE_V, VS_PTE_U, VS_PTE_AD.
  assert (R : (perm mod 2 < 2)%N) by (apply N.mod_lt; lia).
  assert (W : (perm / 2 mod 2 < 2)%N) by (apply N.mod_lt; lia).
  assert (X : (perm / 4 mod 2 < 2)%N) by (apply N.mod_lt; lia).
  set (ppn := ppn_of f). set (r := (perm mod 2)%N) in *. set (w := (perm / 2 mod 2)%N) in *.
  set (x := (perm / 4 mod 2)%N) in *. clearbody ppn r w x.
  split; [|split]; f_equal.
  - replace (ppn * 1024 + (1 + 16 + 192 + r * 2 + w * 4 + x * 8))%N
      with (1 + (r + (ppn * 256 + 52 + w + x * 2) * 2) * 2)%N by lia.
    rewrite N.div_add by lia. change (1 / 2)%N with 0%N. rewrite N.add_0_l.
    rewrite N.mod_add by lia. apply N.mod_small; lia.
  - replace (ppn * 1024 + (1 + 16 + 192 + r * 2 + w * 4 + x * 8))%N
      with ((1 + r * 2) + (w + (ppn * 128 + 26 + x) * 2) * 4)%N by lia.
    rewrite N.div_add by lia. rewrite (N.div_small (1 + r * 2)) by lia. rewrite N.add_0_l.
    rewrite N.mod_add by lia. apply N.mod_small; lia.
  - replace (ppn * 1024 + (1 + 16 + 192 + r * 2 + w * 4 + x * 8))%N
      with ((1 + r * 2 + w * 4) + (x + (ppn * 64 + 13) * 2) * 8)%N by lia.
    rewrite N.div_add by lia. rewrite (N.div_small (1 + r * 2 + w * 4)) by lia. rewrite N.add_0_l.
    rewrite N.mod_add by lia. apply N.mod_small; lia.
Qed.

Lemma sys_map_perm_ok : forall s cur cs proc frame va perm s',
  sys_map ppn_of frame_of_ppn vs_kroot s cur cs proc frame va perm = (E_OK, s') -> perm_ok perm = true.
Proof.
  intros s cur cs proc frame va perm s' H. unfold sys_map in H.
  destruct (proc_arg (fst s) cur cs proc) as [p|e1] eqn:Pa;
    [|inversion H; subst; apply proc_arg_no_eok in Pa; contradiction].
  destruct (negb (proc_live (fst s) p)); [inversion H|].
  destruct (perm_ok perm); [reflexivity|inversion H].
Qed.

(** The rights a leaf's bits need are the ones [perm_rights] asks for:
    W needs write, R or X needs read. *)
Lemma leaf_rights : forall st c f perm, perm_ok perm = true ->
  holds st c f (perm_rights perm) ->
  (pte_w (pte_of ppn_of f perm) = true -> holds st c f Wr) /\
  (pte_r (pte_of ppn_of f perm) = true \/ pte_x (pte_of ppn_of f perm) = true -> holds st c f Rd).
Proof.
  intros st c f perm Ok H. destruct (pte_of_bits f perm) as (Br & Bw & Bx).
  rewrite Br, Bw, Bx. split.
  - intro E. eapply holds_weaken; [exact H|]. unfold rle, Wr, perm_rights; cbn.
    repeat split; intro; try discriminate; exact E.
  - intro E. eapply holds_weaken; [exact H|]. unfold rle, Rd, perm_rights; cbn.
    repeat split; intro; try discriminate. apply orb_true_iff.
    destruct E as [E|E]; [left; exact E|right].
    unfold perm_ok in Ok. apply andb_true_iff in Ok as [Ok _]. apply andb_true_iff in Ok as [_ Le].
    apply N.leb_le in Le. apply N.eqb_eq in E. apply N.eqb_eq.
    assert (D : (perm / 4 < 2)%N) by (apply N.div_lt_upper_bound; lia).
    assert (M : (perm / 4 mod 2 = perm / 4)%N) by (apply N.mod_small; lia). lia.
Qed.

(** Mapping authority read from the leaf: a mapping in force at the end
    of a run was there at its start, or a step of the run wrote its
    leaf, and the invoker's capability space then held the frame with
    the write right if that leaf is writable (W), with the read right if
    it is readable or executable (R or X). *)
Corollary vrun_leaf_rights : forall s s' f,
  ppn_wf ppn_of frame_of_ppn -> vrun s s' -> mapping_live (fst s') (snd s') f = true ->
  mrec (snd s') f = mrec (snd s) f \/
  exists cur k1 k2, in_vrun (AProc cur) k1 k2 s s' /\
    let q := m_proc (snd s') f in let va := m_va (snd s') f in
    let c := p_cspace (procs (fst k1)) cur in
    let e := vs_e0 frame_of_ppn (snd k2) q va in
    vs_mapped frame_of_ppn (fst k2) (snd k2) q va = true /\
    (q = cur \/ holds (core (fst k1)) c q Wr) /\
    (pte_w e = true -> holds (core (fst k1)) c f Wr) /\
    (pte_r e = true \/ pte_x e = true -> holds (core (fst k1)) c f Rd).
Proof.
  intros s s' f W R L.
  assert (U : m_used (snd s') f = true)
    by (unfold mapping_live in L; repeat (apply andb_true_iff in L as [L ?]); exact L).
  destruct (vrun_mapping_authority s s' f R U) as [E|(a & k1 & k2 & I & M & E)]; [left; exact E|right].
  destruct M as (cur & proc & frame & va & perm & -> & Hm & _ & (c & Ec & Tq) & Hh & Va & _ & _ & Wf).
  inversion Ec; subst c.
  destruct (mrec_parts _ _ _ E) as [Ep Ev].
  exists cur, k1, k2. cbv zeta. rewrite <- Ev, Va, <- Ep.
  destruct (Wf W) as (_ & Vm & Ve). rewrite Ve.
  split; [exact I|split; [exact Vm|split; [exact Tq|]]].
  exact (leaf_rights _ _ _ _ (sys_map_perm_ok _ _ _ _ _ _ _ _ Hm) Hh).
Qed.

(** As [Runs.no_spread_rights]: over a run in which no running process
    that makes a step reaches [f] through its capability space, no new
    mapping of [f] arises: one in force at the end is the record there
    at the start. *)
Corollary no_map_spread : forall s s' f,
  vrun s s' -> mapping_live (fst s') (snd s') f = true ->
  (forall cur k1 k2, in_vrun (AProc cur) k1 k2 s s' ->
     ~ holds (core (fst k1)) (p_cspace (procs (fst k1)) cur) f (mkRights false false false)) ->
  mrec (snd s') f = mrec (snd s) f.
Proof.
  intros s s' f R L N.
  destruct (vrun_map_rights s s' f R L) as [E|(cur & k1 & k2 & proc & frame & perm & I & _ & _ & Hh & _)];
    [exact E|].
  exfalso. apply (N cur k1 k2 I). eapply holds_weaken; [exact Hh|].
  unfold rle; cbn; repeat split; discriminate.
Qed.

(** The same for writable leaves: over a run in which no running process
    that makes a step holds [f] with the write right, a mapping of [f] in
    force at the end is the record there at the start, or the leaf the
    step that made it wrote is not writable. *)
Corollary no_write_map_spread : forall s s' f,
  ppn_wf ppn_of frame_of_ppn -> vrun s s' -> mapping_live (fst s') (snd s') f = true ->
  (forall cur k1 k2, in_vrun (AProc cur) k1 k2 s s' ->
     ~ holds (core (fst k1)) (p_cspace (procs (fst k1)) cur) f Wr) ->
  mrec (snd s') f = mrec (snd s) f \/
  exists cur k1 k2, in_vrun (AProc cur) k1 k2 s s' /\
    pte_w (vs_e0 frame_of_ppn (snd k2) (m_proc (snd s') f) (m_va (snd s') f)) = false.
Proof.
  intros s s' f W R L N.
  destruct (vrun_leaf_rights s s' f W R L) as [E|(cur & k1 & k2 & I & P)]; [left; exact E|right].
  cbv zeta in P. destruct P as (_ & _ & Hw & _).
  exists cur, k1, k2. split; [exact I|].
  destruct (pte_w _) eqn:E; [exfalso; exact (N cur k1 k2 I (Hw eq_refl))|reflexivity].
Qed.

(** ** 3. Integrity of address spaces *)

(** [a], or its capability space, may touch [q] ([Runs.may_touch]). *)
Definition vmay_touch (a : Actor) (ks : KState) (q : nat) : Prop :=
  may_touch a ks q \/ exists c, actor_cs a ks = Some c /\ may_touch (ACs c) ks q.

(** A step changes a mapping only by making it, through a map into a
    process its invoker may touch; or it only ends it ([ended]: a death,
    an unmap by an invoker that may touch its process, or an invoker that
    may write the capability space it was made through); or it moves it
    (a move by that capability space to one it may write). *)
Theorem vstep_addr_integrity : forall a s s', vstep_by a s s' -> forall f,
  vrec_same (snd s) (snd s') f \/
  (map_made a s s' f /\ vmay_touch a (fst s) (m_proc (snd s') f)) \/
  ended a s s' f \/ moved a s s'  f.
Proof.
  intros a s s' S f.
  destruct (vstep_mappings a s s' f S) as [E|[M|[E|M]]]; [left; exact E| |right; right; left; exact E
    |right; right; right; exact M].
  right; left. split; [exact M|]. destruct M as (cur & proc & frame & va & perm & _ & _ & _ & T & _).
  exact (map_touch_may_touch _ _ _ T).
Qed.

(** Page-table entries: a step changes one only in a table of a process
    its invoker may map into (after the step), or sets it to 0 (an
    unmap, the reaper). *)
Theorem vstep_pt_integrity : forall a s s', vstep_by a s s' -> forall t i,
  pt_entry (snd s') t i = pt_entry (snd s) t i \/ pt_entry (snd s') t i = 0%N \/
  exists q, map_touch a (fst s) q /\ pt_of (fst s') q t = true.
Proof.
  intros a s s' S t i. destruct S as [a ks ks' vs S|ks vs cs a b e st' hi D|ks vs cs a b e st' hi o ty D
    |ks vs cs a b e st' hi D
    |ks vs cs caller a b dst prio ks' P|s cur proc frame va perm e s' H|s cur proc va e s' H
    |s cs a0 e s' H|s cs a0 a1 a2 e s' H].
  - left; reflexivity.
  - unfold after_destroy. destruct (is_ok e); [|left; reflexivity].
    destruct (reap_pass_rm (proc_reap (with_core ks st')) vs hi) as (_ & _ & _ & _ & _ & E & _).
    destruct (E t i); [left|right; left]; assumption.
  - destruct (after_gone_rm e (with_core ks st') vs hi o ty) as [_ (_ & _ & _ & _ & _ & E & _)].
    destruct (E t i); [left|right; left]; assumption.
  - unfold after_destroy. destruct (is_ok e); [|left; reflexivity].
    destruct (reap_pass_rm (proc_reap (with_core ks st')) vs hi) as (_ & _ & _ & _ & _ & E & _).
    destruct (E t i); [left|right; left]; assumption.
  - left; reflexivity.
  - destruct (error_eq_dec e E_OK) as [->|NE];
      [|apply sys_map_refused in H; [subst; left; reflexivity|exact NE]].
    apply sys_map_inv in H as (p & r & Pa & _ & V).
    destruct (N.eq_dec (pt_entry (snd s') t i) (pt_entry (snd s) t i)) as [E|NE]; [left; exact E|].
    right; right. exists p. split.
    + exists cur. split; [reflexivity|exact (proc_arg_touch _ _ _ _ _ Pa)].
    + eapply vs_map_only_mine; eassumption.
  - destruct (error_eq_dec e E_OK) as [->|NE];
      [|apply sys_unmap_refused in H; [subst; left; reflexivity|exact NE]].
    unfold sys_unmap in H.
    destruct (proc_arg (fst s) cur _ proc) as [p|e1] eqn:Pa;
      [|inversion H; subst; apply proc_arg_no_eok in Pa; contradiction].
    apply vs_unmap_effects in H as (_ & _ & _ & _ & _ & _ & E & _).
    destruct (E t i); [left|right; left]; assumption.
  - destruct s as [ks vs].
    apply sys_cap_delete_cases in H as [(_ & -> & _)|(-> & st' & D & ->)]; [left; reflexivity|].
    cbn [fst snd].
    destruct (vs_slot_gone_effects (with_core ks st') vs cs (N.to_nat (slot32 a0))) as [_ (_ & _ & _ & _ & _ & E & _)].
    destruct (E t i); [left|right; left]; assumption.
  - destruct s as [ks vs].
    apply sys_cap_move_cases in H as [(_ & ->)|(-> & d & st' & D & C & ->)]; [left; reflexivity|].
    cbn [fst snd] in *.
    pose proof (cap_move_ok _ _ _ _ _ _ C) as (_ & _ & _ & _ & Nd & _ & _).
    assert (Nsd : ~ (cs = d /\ N.to_nat (slot32 a0) = N.to_nat (slot32 a2)))
      by (intros [-> E]; destruct Nd; congruence).
    destruct (vs_follow_effects (with_core ks st') vs cs _ d _ Nsd) as (_ & Pe & _).
    left. rewrite Pe. reflexivity.
Qed.

(** The process a successful [proc_create] puts in slot [dst] was a
    free frame. *)
Lemma proc_create_new : forall ks cs caller a b dst prio ks',
  proc_create ks cs caller a b dst prio = (E_OK, ks') ->
  frame_type (core ks) (cap_obj (cap (core ks') cs dst)) = OT_FREE.
Proof.
  intros ks cs caller a b dst prio ks' H. unfold proc_create, kcommit in H.
  match type of H with context [match ?r with _ => _ end] =>
    assert (NE : r <> Err E_OK) by no_eok; destruct r eqn:R end;
    inversion H; subst; clear H; [|congruence].
  peel R. apply Ok_inj in R; subst. cbn [core set_cap cap]. rewrite !upd_eq.
  match goal with L : alloc_frame _ = Ok ?f |- _ => apply alloc_frame_ok in L as [_ Ff] end.
  exact Ff.
Qed.

(** Roots: a step changes a process's root (or satp) only when it maps
    into it, or when it creates it (the process was a free frame). *)
Theorem vstep_root_integrity : forall a s s', vstep_by a s s' -> forall q,
  (p_vroot (snd s') q = p_vroot (snd s) q /\ p_satp (snd s') q = p_satp (snd s) q) \/
  map_touch a (fst s) q \/
  (frame_type (core (fst s)) q = OT_FREE /\ exists c, a = ACs c).
Proof.
  intros a s s' S q. destruct S as [a ks ks' vs S|ks vs cs a b e st' hi D|ks vs cs a b e st' hi o ty D
    |ks vs cs a b e st' hi D
    |ks vs cs caller a b dst prio ks' P|s cur proc frame va perm e s' H|s cur proc va e s' H
    |s cs a0 e s' H|s cs a0 a1 a2 e s' H].
  - left; split; reflexivity.
  - unfold after_destroy. destruct (is_ok e); [|left; split; reflexivity].
    destruct (reap_pass_rm (proc_reap (with_core ks st')) vs hi) as (_ & _ & _ & _ & _ & _ & Rt & Pt).
    left. unfold vs_reap. cbn [fst snd]. rewrite Rt, Pt. split; reflexivity.
  - destruct (after_gone_rm e (with_core ks st') vs hi o ty) as [_ (_ & _ & _ & _ & _ & _ & Rt & Pt)].
    left. cbn [snd]. rewrite Rt, Pt. split; reflexivity.
  - unfold after_destroy. destruct (is_ok e); [|left; split; reflexivity].
    destruct (reap_pass_rm (proc_reap (with_core ks st')) vs hi) as (_ & _ & _ & _ & _ & _ & Rt & Pt).
    left. unfold vs_reap. cbn [fst snd]. rewrite Rt, Pt. split; reflexivity.
  - unfold vs_proc_init. cbn [fst snd set_root p_vroot p_satp].
    destruct (Nat.eq_dec q (cap_obj (cap (core ks') cs dst))) as [->|Nq].
    + right; right. split; [exact (proc_create_new _ _ _ _ _ _ _ _ P)|exists cs; reflexivity].
    + left. rewrite !upd_neq by exact Nq. split; reflexivity.
  - destruct (error_eq_dec e E_OK) as [->|NE];
      [|apply sys_map_refused in H; [subst; left; split; reflexivity|exact NE]].
    apply sys_map_inv in H as (p & r & Pa & _ & V).
    destruct (Nat.eq_dec q p) as [->|Nq].
    + right; left. exists cur. split; [reflexivity|exact (proc_arg_touch _ _ _ _ _ Pa)].
    + left. apply vs_map_effects in V. apply V. exact Nq.
  - destruct (error_eq_dec e E_OK) as [->|NE];
      [|apply sys_unmap_refused in H; [subst; left; split; reflexivity|exact NE]].
    unfold sys_unmap in H.
    destruct (proc_arg (fst s) cur _ proc) as [p|e1] eqn:Pa;
      [|inversion H; subst; apply proc_arg_no_eok in Pa; contradiction].
    apply vs_unmap_effects in H as (_ & _ & _ & _ & _ & _ & _ & Rt & Pt).
    left. rewrite Rt, Pt. split; reflexivity.
  - destruct s as [ks vs].
    apply sys_cap_delete_cases in H as [(_ & -> & _)|(-> & st' & D & ->)]; [left; split; reflexivity|].
    cbn [fst snd].
    destruct (vs_slot_gone_effects (with_core ks st') vs cs (N.to_nat (slot32 a0)))
      as [_ (_ & _ & _ & _ & _ & _ & Rt & Pt)].
    left. rewrite Rt, Pt. split; reflexivity.
  - destruct s as [ks vs].
    apply sys_cap_move_cases in H as [(_ & ->)|(-> & d & st' & D & C & ->)]; [left; split; reflexivity|].
    cbn [fst snd] in *.
    pose proof (cap_move_ok _ _ _ _ _ _ C) as (_ & _ & _ & _ & Nd & _ & _).
    assert (Nsd : ~ (cs = d /\ N.to_nat (slot32 a0) = N.to_nat (slot32 a2)))
      by (intros [-> E]; destruct Nd; congruence).
    destruct (vs_follow_effects (with_core ks st') vs cs _ d _ Nsd) as (_ & _ & Rt & Pt & _).
    left. rewrite Rt, Pt. split; reflexivity.
Qed.

(** Integrity of address spaces in [Runs.may_touch]'s terms: a step
    changes a page-table entry only to 0 or in a table of a process its
    invoker (or the invoker's capability space) may touch, and a
    process's root only if it may touch that process. *)
Corollary vstep_tables_may_touch : forall a s s', vstep_by a s s' ->
  (forall t i, pt_entry (snd s') t i = pt_entry (snd s) t i \/ pt_entry (snd s') t i = 0%N \/
     exists q, vmay_touch a (fst s) q /\ pt_of (fst s') q t = true) /\
  (forall q, (p_vroot (snd s') q = p_vroot (snd s) q /\ p_satp (snd s') q = p_satp (snd s) q) \/
     vmay_touch a (fst s) q).
Proof.
  intros a s s' S. split.
  - intros t i. destruct (vstep_pt_integrity a s s' S t i) as [E|[E|(q & T & P)]];
      [left; exact E|right; left; exact E|right; right].
    exists q. split; [exact (map_touch_may_touch _ _ _ T)|exact P].
  - intro q. destruct (vstep_root_integrity a s s' S q) as [E|[T|(F & c & ->)]];
      [left; exact E|right; exact (map_touch_may_touch _ _ _ T)|].
    right. left. right. left. exact F.
Qed.


(** ** 4. Isolation *)

(** The invoker may map into or unmap from no process of [Bp]: it is
    not a running process that is one of them or whose capability space
    holds one of them with the write right. (Kernel steps and steps
    through a capability space satisfy it; [map_touch_may_touch]: it
    follows from "neither the invoker nor its capability space may
    touch a process of [Bp]" in [Runs.may_touch]'s sense.) *)
Definition no_map_touch (ks : KState) (a : Actor) (Bp : nat -> Prop) : Prop :=
  forall q, Bp q -> ~ map_touch a ks q.

Lemma no_vmay_touch_map : forall ks a (Bp : nat -> Prop),
  (forall q, Bp q -> ~ vmay_touch a ks q) -> no_map_touch ks a Bp.
Proof. intros ks a Bp N q Bq T. exact (N q Bq (map_touch_may_touch _ _ _ T)). Qed.

(** What [Runs.isolation_step] uses: an invoker with no write chain to
    [B] may write no capability space of [B]. *)

(** One step: a mapping in force of a process of [Bp], made through a
    capability space of [B] (or a boot mapping), is kept as it is by a
    step whose invoker has no write chain to [B] and may map into no
    process of [Bp], unless the step's new kernel state alone takes the
    same record out of force. *)
Theorem isolation_vstep : forall a s s' B Bp f,
  vstep_by a s s' -> no_write_chain (fst s) a B -> no_map_touch (fst s) a Bp ->
  mapping_live (fst s) (snd s) f = true -> Bp (m_proc (snd s) f) ->
  (m_cs (snd s) f < NFRAMES -> B (m_cs (snd s) f)) ->
  vrec_same (snd s) (snd s') f \/ mapping_live (fst s') (snd s) f = false.
Proof.
  intros a s s' B Bp f S N T L Bq Bc.
  destruct (vstep_mappings a s s' f S) as [E|[M|[(_ & _ & _ & _ & J)|(Ea & Lc & _)]]].
  - left; exact E.
  - exfalso. destruct M as (_ & _ & _ & _ & _ & _ & _ & NL & _). congruence.
  - destruct J as [J|[J|(Lc & J)]]; [right; exact J|exfalso; exact (T _ Bq J)|].
    exfalso. exact (may_write_chain _ _ _ _ N (Bc Lc) J).
  - exfalso. subst a. destruct (N (m_cs (snd s) f) eq_refl) as (N1 & _). exact (N1 (Bc Lc)).
Qed.

(** Runs of steps each of whose invokers has no write chain to [B] and
    may map into no process of [Bp] (both checked at the step's state;
    kernel steps always qualify). *)
Inductive viso_run (B Bp : nat -> Prop) : KState * VS -> KState * VS -> Prop :=
| vi_done : forall s, viso_run B Bp s s
| vi_step : forall a s1 s2 s3, vstep_by a s1 s2 -> no_write_chain (fst s1) a B ->
    no_map_touch (fst s1) a Bp -> viso_run B Bp s2 s3 -> viso_run B Bp s1 s3.

Lemma viso_run_vrun : forall B Bp s s', viso_run B Bp s s' -> vrun s s'.
Proof. intros B Bp s s' R. induction R; [apply vr_done|eapply vr_step; eassumption]. Qed.

(** Isolation of address spaces over a run: a mapping in force at the
    start, of a process of [Bp], made through a capability space of [B]
    (or a boot mapping), keeps its record, its slot and that slot's mark
    to the end of the run; or there is a step of the run, before which
    it was still the same mapping and in force, after which the kernel
    state alone no longer keeps that record in force (its frame, its
    process or its capability space died, or changed generation, or the
    capability in its slot no longer looks up or resolves). No address-space operation of such a run ends
    it: not a map, an unmap, a delete, a move, nor the reaper. *)
Theorem isolation_vrun_mappings : forall B Bp s s' f,
  viso_run B Bp s s' -> mapping_live (fst s) (snd s) f = true -> Bp (m_proc (snd s) f) ->
  (m_cs (snd s) f < NFRAMES -> B (m_cs (snd s) f)) ->
  vrec_same (snd s) (snd s') f \/
  exists a k1 k2, in_vrun a k1 k2 s s' /\ vrec_same (snd s) (snd k1) f /\
    mapping_live (fst k1) (snd k1) f = true /\ mapping_live (fst k2) (snd s) f = false.
Proof.
  intros B Bp s s' f R. induction R as [s|a s1 s2 s3 S N T R IH]; intros L Bq Bc;
    [left; apply vrec_same_refl|].
  pose proof (viso_run_vrun _ _ _ _ R) as R'.
  destruct (isolation_vstep a s1 s2 B Bp f S N T L Bq Bc) as [E|D].
  - destruct (mapping_live (fst s2) (snd s2) f) eqn:L2.
    + destruct E as (Er & Es & Em).
      assert (Bq2 : Bp (m_proc (snd s2) f)) by (destruct (mrec_parts _ _ _ Er) as [-> _]; exact Bq).
      assert (Bc2 : m_cs (snd s2) f < NFRAMES -> B (m_cs (snd s2) f))
        by (destruct (mslot_parts _ _ _ Es) as [-> _]; exact Bc).
      destruct (IH eq_refl Bq2 Bc2) as [E2|(b & k1 & k2 & I & E2 & L1 & D)].
      * left. eapply vrec_same_trans; [split; [exact Er|split; [exact Es|exact Em]]|exact E2].
      * right. exists b, k1, k2. split; [eapply ivr_later; eassumption|].
        split; [eapply vrec_same_trans; [split; [exact Er|split; [exact Es|exact Em]]|exact E2]|].
        split; [exact L1|].
        rewrite <- (vrec_same_live (fst k2) _ _ f (conj Er (conj Es Em))). exact D.
    + right. exists a, s1, s2. split; [apply ivr_here; assumption|split; [apply vrec_same_refl|]].
      split; [exact L|]. rewrite (vrec_same_live (fst s2) _ _ f E) in L2. exact L2.
  - right. exists a, s1, s2. split; [apply ivr_here; assumption|split; [apply vrec_same_refl|]].
    split; [exact L|exact D].
Qed.

(** In the first case the mapping is in force at the end exactly when
    its original record is, in the final kernel state. *)
Corollary isolation_vrun_in_force : forall B Bp s s' f,
  viso_run B Bp s s' -> mapping_live (fst s) (snd s) f = true -> Bp (m_proc (snd s) f) ->
  (m_cs (snd s) f < NFRAMES -> B (m_cs (snd s) f)) ->
  mapping_live (fst s') (snd s') f = mapping_live (fst s') (snd s) f \/
  exists a k1 k2, in_vrun a k1 k2 s s' /\ mapping_live (fst k1) (snd k1) f = true /\
    mapping_live (fst k2) (snd s) f = false.
Proof.
  intros B Bp s s' f R L Bq Bc.
  destruct (isolation_vrun_mappings B Bp s s' f R L Bq Bc) as [E|(a & k1 & k2 & I & _ & L1 & D)].
  - left. apply vrec_same_live; exact E.
  - right. exists a, k1, k2. auto.
Qed.

(** The tables of a process of [Bp]: a step whose invoker may map into
    no process of [Bp] changes an entry of a table that is one of
    theirs after the step only to 0 (an unmap by someone else's toucher
    cannot reach it: [pt_of] names one process; the reaper). *)
Theorem isolation_pt_step : forall a s s' Bp q t i,
  vstep_by a s s' -> no_map_touch (fst s) a Bp -> Bp q -> pt_of (fst s') q t = true ->
  pt_entry (snd s') t i = pt_entry (snd s) t i \/ pt_entry (snd s') t i = 0%N.
Proof.
  intros a s s' Bp q t i S N Bq P.
  destruct (vstep_pt_integrity a s s' S t i) as [E|[E|(q' & T & P')]]; [left; exact E|right; exact E|].
  exfalso. assert (Eq : q' = q).
  { unfold pt_of in P, P'. repeat (apply andb_true_iff in P as [P ?]).
    repeat (apply andb_true_iff in P' as [P' ?]).
    repeat match goal with G : Nat.eqb _ _ = true |- _ => apply Nat.eqb_eq in G end. congruence. }
  subst q'. exact (N q Bq T).
Qed.

(** Which deaths end a mapping whose record stays: its process is no
    longer live (or its generation is not the recorded one), its frame
    is no longer that frame or device page (type, generation), the
    capability in its slot no longer looks up or resolves (that
    capability or a forwarder on its chain died, or the slot changed),
    or its capability space is no longer that capability space. *)
Definition record_dies (ks ks' : KState) (vs : VS) (f : nat) : Prop :=
  proc_live ks' (m_proc vs f) = false \/
  p_gen (procs ks') (m_proc vs f) <> p_gen (procs ks) (m_proc vs f) \/
  frame_type (core ks') f <> frame_type (core ks) f \/
  frame_gen (core ks') f <> frame_gen (core ks) f \/
  (m_cs vs f < NFRAMES /\
   (lookup_err (core ks') (m_cs vs f) (m_slot vs f) None false false <> E_OK \/
    resolve_err (core ks') (cap (core ks') (m_cs vs f) (m_slot vs f)) <> E_OK)) \/
  (m_cs vs f < NFRAMES /\
   (frame_type (core ks') (m_cs vs f) <> OT_CSPACE \/ frame_gen (core ks') (m_cs vs f) <> m_csgen vs f)).

Lemma ot_eq_dec : forall a b : ObjType, {a = b} + {a <> b}.
Proof. decide equality. Defined.

(** The same record is in force in [ks'] if its process, frame and
    capability space are as they were in [ks] where it was in force, and
    its slot still looks up and resolves. *)
Lemma mapping_live_from : forall ks ks' vs f, mapping_live ks vs f = true ->
  proc_live ks' (m_proc vs f) = true ->
  p_gen (procs ks') (m_proc vs f) = p_gen (procs ks) (m_proc vs f) ->
  frame_type (core ks') f = frame_type (core ks) f -> frame_gen (core ks') f = frame_gen (core ks) f ->
  (m_cs vs f < NFRAMES ->
     lookup_err (core ks') (m_cs vs f) (m_slot vs f) None false false = E_OK /\
     resolve_err (core ks') (cap (core ks') (m_cs vs f) (m_slot vs f)) = E_OK) ->
  (m_cs vs f < NFRAMES -> frame_type (core ks') (m_cs vs f) = OT_CSPACE /\
                          frame_gen (core ks') (m_cs vs f) = m_csgen vs f) ->
  mapping_live ks' vs f = true.
Proof.
  intros ks ks' vs f L P' Hpg Hty Hgf Hch Hc.
  unfold mapping_live in *. cbv zeta in *.
  apply andb_true_iff in L as [L Sl]. apply andb_true_iff in L as [L _].
  apply andb_true_iff in L as [L Gf]. apply andb_true_iff in L as [L Ty].
  apply andb_true_iff in L as [L Pg]. apply andb_true_iff in L as [U _].
  rewrite U, P', Hpg, Pg. unfold is_type in *. rewrite Hty, Hgf, Gf, Ty. cbn [andb].
  unfold slot_live, path_live, chain_ok, is_type in *. cbv zeta in *.
  destruct (Nat.eqb_spec (m_cs vs f) NFRAMES) as [_|NE]; [reflexivity|]. cbn [orb] in *.
  apply andb_true_iff in Sl as [Sl Mk]. apply andb_true_iff in Sl as [Sl Ls].
  apply andb_true_iff in Sl as [Sl _]. apply andb_true_iff in Sl as [Lc _].
  destruct (Hc (proj1 (Nat.ltb_lt _ _) Lc)) as [Tc Gc].
  destruct (Hch (proj1 (Nat.ltb_lt _ _) Lc)) as [Lk Rs].
  rewrite Lk, Rs. cbn [is_ok andb]. rewrite Lc, Tc, Gc, Ls, Mk, N.eqb_refl. reflexivity.
Qed.

Lemma mapping_death : forall ks ks' vs f,
  mapping_live ks vs f = true -> mapping_live ks' vs f = false -> record_dies ks ks' vs f.
Proof.
  intros ks ks' vs f L L'. unfold record_dies.
  destruct (proc_live ks' (m_proc vs f)) eqn:P'; [right|left; reflexivity].
  destruct (N.eq_dec (p_gen (procs ks') (m_proc vs f)) (p_gen (procs ks) (m_proc vs f))) as [G|G];
    [right|left; exact G].
  destruct (ot_eq_dec (frame_type (core ks') f) (frame_type (core ks) f)) as [T|T]; [right|left; exact T].
  destruct (N.eq_dec (frame_gen (core ks') f) (frame_gen (core ks) f)) as [Gf|Gf]; [right|left; exact Gf].
  destruct (lt_dec (m_cs vs f) NFRAMES) as [Lc|Lc].
  - destruct (error_eq_dec (lookup_err (core ks') (m_cs vs f) (m_slot vs f) None false false) E_OK)
      as [Lk|Lk]; [|left; split; [exact Lc|left; exact Lk]].
    destruct (error_eq_dec (resolve_err (core ks') (cap (core ks') (m_cs vs f) (m_slot vs f))) E_OK)
      as [Rs|Rs]; [|left; split; [exact Lc|right; exact Rs]].
    right. split; [exact Lc|].
    destruct (ot_eq_dec (frame_type (core ks') (m_cs vs f)) OT_CSPACE) as [Tc|Tc]; [right|left; exact Tc].
    intro Gc.
    rewrite (mapping_live_from ks ks' vs f L P' G T Gf (fun _ => conj Lk Rs) (fun _ => conj Tc Gc)) in L'.
    discriminate L'.
  - exfalso.
    rewrite (mapping_live_from ks ks' vs f L P' G T Gf (fun H => False_rect _ (Lc H))
               (fun H => False_rect _ (Lc H))) in L'.
    discriminate L'.
Qed.

(** Isolation, the deaths named: in [isolation_vrun_mappings]'s second
    case, at that step its process stopped being live (or was remade),
    its frame or its capability space stopped being the one recorded,
    or the capability in its slot stopped looking up or resolving (it,
    or a forwarder on its chain, died; or the slot changed). *)
Corollary isolation_vrun_deaths : forall B Bp s s' f,
  viso_run B Bp s s' -> mapping_live (fst s) (snd s) f = true -> Bp (m_proc (snd s) f) ->
  (m_cs (snd s) f < NFRAMES -> B (m_cs (snd s) f)) ->
  vrec_same (snd s) (snd s') f \/
  exists a k1 k2, in_vrun a k1 k2 s s' /\ vrec_same (snd s) (snd k1) f /\
    mapping_live (fst k1) (snd k1) f = true /\ record_dies (fst k1) (fst k2) (snd s) f.
Proof.
  intros B Bp s s' f R L Bq Bc.
  destruct (isolation_vrun_mappings B Bp s s' f R L Bq Bc) as [E|(a & k1 & k2 & I & E & L1 & D)];
    [left; exact E|right].
  exists a, k1, k2. split; [exact I|split; [exact E|split; [exact L1|]]].
  apply mapping_death; [|exact D].
  rewrite <- (vrec_same_live (fst k1) _ _ f E). exact L1.
Qed.

(** ** Survival: what a step may destroy *)

(** A map changes the core only by claiming free frames for its tables:
    every frame that was not free keeps its type, capabilities and
    forwarder target, every generation stays ([VSpace.grown]). *)
Lemma grown_refl : forall st, grown st st.
Proof. intros st. split; [intros; split; [reflexivity|split; reflexivity]|reflexivity]. Qed.

Lemma sys_map_grown : forall s cur cs proc frame va perm e s',
  sys_map ppn_of frame_of_ppn vs_kroot s cur cs proc frame va perm = (e, s') ->
  grown (core (fst s)) (core (fst s')).
Proof.
  intros [ks vs] cur cs proc frame va perm e s' H.
  destruct (error_eq_dec e E_OK) as [->|NE];
    [|apply sys_map_refused in H; [subst; apply grown_refl|exact NE]].
  apply sys_map_inv in H as (p & r & _ & _ & V). cbn [fst] in *.
  apply vs_map_commit in V as (M & Fr & _ & _ & ->).
  destruct (commit_facts ppn_of frame_of_ppn vs_kroot ks vs p (cap_obj r) va perm _ M Fr)
    as (_ & _ & _ & _ & _ & Ty & Ge & _).
  destruct (commit_through ppn_of frame_of_ppn vs_kroot ks vs p (cap_obj r) va perm
              cs (N.to_nat (slot32 frame))
              (frame_owner (core ks) p) (Z.to_nat (vs_missing frame_of_ppn ks vs p va))) as (Fs & _).
  rewrite Fs. split; assumption.
Qed.

(** A successful map changes no live frame's type or generation (its
    tables are claimed from free frames). *)
Lemma sys_map_frames : forall s cur cs proc frame va perm e s' x,
  sys_map ppn_of frame_of_ppn vs_kroot s cur cs proc frame va perm = (e, s') ->
  live (core (fst s)) x = true -> frame_same (core (fst s)) (core (fst s')) x.
Proof.
  intros s cur cs proc frame va perm e s' x H L.
  destruct (sys_map_grown _ _ _ _ _ _ _ _ _ H) as [T G].
  split; [exact (proj1 (T x (live_not_free _ _ L)))|rewrite G; reflexivity].
Qed.

(** Every step keeps every live frame that is not a page table as it is
    (type and generation), or its invoker holds with the write right a
    container covering it ([Runs.kill_cover]; [Runs.sstep_frames] with
    the address-space calls and the reaper). *)
Theorem vstep_frames : forall a s s' x, vstep_by a s s' -> x < NFRAMES ->
  live (core (fst s)) x = true -> frame_type (core (fst s)) x <> OT_PAGETABLE ->
  frame_same (core (fst s)) (core (fst s')) x \/
  exists c, actor_cs a (fst s) = Some c /\ kill_cover (core (fst s)) c x.
Proof.
  intros a s s' x S Hx L NP.
  destruct S as [a ks ks' vs S|ks vs cs a b e st' hi D|ks vs cs a b e st' hi o ty D
    |ks vs cs a b e st' hi D
    |ks vs cs caller a b dst prio ks' P|s cur proc frame va perm e s' H|s cur proc va e s' H
    |s cs a0 e s' H|s cs a0 a1 a2 e s' H].
  - exact (sstep_frames a ks ks' x S Hx L NP).
  - assert (S1 : sstep_by (ACs cs) ks (with_core ks st')) by (eapply ss_obj_free; exact D).
    unfold after_destroy. destruct (is_ok e); [|exact (sstep_frames _ _ _ x S1 Hx L NP)].
    unfold vs_reap. cbn [fst].
    destruct (sstep_frames _ _ _ x S1 Hx L NP) as [(T1 & G1)|K]; [left|right; exact K].
    assert (L1 : live (core (with_core ks st')) x = true) by (unfold live; rewrite T1; exact L).
    assert (NP1 : frame_type (core (with_core ks st')) x <> OT_PAGETABLE) by (rewrite T1; exact NP).
    destruct (sstep_frames _ _ _ x (ss_proc_reap (with_core ks st')) Hx L1 NP1) as [(T2 & G2)|(c & A & _)];
      [split; congruence|discriminate A].
  - assert (S1 : sstep_by (ACs cs) ks (with_core ks st')) by (eapply ss_obj_free; exact D).
    destruct (after_gone_fst e (with_core ks st') vs hi o ty) as [F|[F|F]]; rewrite F; cbn [fst] in *;
      [exact (sstep_frames _ _ _ x S1 Hx L NP)| |exact (sstep_frames _ _ _ x S1 Hx L NP)].
    destruct (sstep_frames _ _ _ x S1 Hx L NP) as [(T1 & G1)|K]; [left|right; exact K].
    assert (L1 : live (core (with_core ks st')) x = true) by (unfold live; rewrite T1; exact L).
    assert (NP1 : frame_type (core (with_core ks st')) x <> OT_PAGETABLE) by (rewrite T1; exact NP).
    destruct (sstep_frames _ _ _ x (ss_proc_reap (with_core ks st')) Hx L1 NP1) as [(T2 & G2)|(c & A & _)];
      [split; congruence|discriminate A].
  - assert (S1 : sstep_by (ACs cs) ks (with_core ks st')) by (eapply ss_container_destroy; exact D).
    unfold after_destroy. destruct (is_ok e); [|exact (sstep_frames _ _ _ x S1 Hx L NP)].
    unfold vs_reap. cbn [fst].
    destruct (sstep_frames _ _ _ x S1 Hx L NP) as [(T1 & G1)|K]; [left|right; exact K].
    assert (L1 : live (core (with_core ks st')) x = true) by (unfold live; rewrite T1; exact L).
    assert (NP1 : frame_type (core (with_core ks st')) x <> OT_PAGETABLE) by (rewrite T1; exact NP).
    destruct (sstep_frames _ _ _ x (ss_proc_reap (with_core ks st')) Hx L1 NP1) as [(T2 & G2)|(c & A & _)];
      [split; congruence|discriminate A].
  - exact (sstep_frames _ ks ks' x (ss_proc_create ks cs caller a b dst prio E_OK ks' P) Hx L NP).
  - left. eapply sys_map_frames; eassumption.
  - left. rewrite (vstep_unmap_core _ _ _ _ _ _ _ H). split; reflexivity.
  - exact (sstep_frames _ _ _ x (vstep_cap_delete_core _ _ _ _ _ H) Hx L NP).
  - exact (sstep_frames _ _ _ x (vstep_cap_move_core _ _ _ _ _ _ _ H) Hx L NP).
Qed.

(** *** Forwarders' targets and isolated slots *)

(** A step changes no forwarder's target but at a frame that was free:
    a new object's ([make_object]; [fwd_create]'s [set_fw]). *)
Definition fw_same (st st' : State) : Prop :=
  forall w, frame_type st w <> OT_FREE -> fw st' w = fw st w.

Lemma fw_same_eq : forall st st', st' = st -> fw_same st st'.
Proof. intros st st' -> w _. reflexivity. Qed.

Lemma fw_same_sf : forall st st', same_frames st st' -> fw_same st st'.
Proof. intros st st' (_ & _ & F) w _. rewrite F. reflexivity. Qed.

Lemma fw_same_trans : forall a b c, (forall x, frame_type a x <> OT_FREE -> frame_type b x <> OT_FREE) ->
  fw_same a b -> fw_same b c -> fw_same a c.
Proof. intros a b c T F1 F2 w N. rewrite (F2 w (T w N)). exact (F1 w N). Qed.

Lemma op_fw : forall cs st st', op_by cs st st' -> fw_same st st'.
Proof.
  intros cs st st' S w Nw.
  destruct S as [st a b c e st' H|st a b c e st' H|st a b e st' H|st a b e st' H|st a dcs b r w0 g e st' H
    |st a dcs b r w0 g y e st' H|st a dcs b e st' H|st a e st' H|st a b c e st' H];
  op_unfold H; apply commit_cases in H as [[H _]| ->]; try reflexivity;
  peel H; apply Ok_inj in H; subst st'; rw_ok;
  try (rewrite destroy_pass_fw; reflexivity);
  cbn [fw set_cap set_fw init_container make_object charge with_usage_own free_frame uncharge];
  repeat (rewrite upd_neq by (intro; subst; congruence)); reflexivity.
Qed.

(** An allocation ([typed_alloc], [handler_alloc]: [alloc_object]). *)
Lemma alloc_object_fw : forall st cs a rt d e st',
  alloc_object st cs a rt d = (e, st') -> fw_same st st'.
Proof.
  intros st cs a rt d e st' H w Nw. unfold alloc_object in H.
  apply commit_cases in H as [[H _]| ->]; [|reflexivity].
  peel H. apply Ok_inj in H; subst st'. rw_ok.
  cbn [fw set_cap make_object charge with_usage_own].
  rewrite upd_neq by (intro; subst; congruence). reflexivity.
Qed.

Lemma cstep_fw : forall cs st st', cstep_by cs st st' -> fw_same st st'.
Proof.
  intros cs st st' S. destruct S.
  - eapply op_fw. eapply by_container_create; eassumption.
  - eapply op_fw. eapply by_obj_alloc; eassumption.
  - eapply op_fw. eapply by_obj_free; eassumption.
  - eapply op_fw. eapply by_container_destroy; eassumption.
  - eapply op_fw. eapply by_cap_copy; eassumption.
  - eapply op_fw. eapply by_cap_mint; eassumption.
  - eapply op_fw. eapply by_cap_move; eassumption.
  - eapply op_fw. eapply by_cap_delete; eassumption.
  - eapply op_fw. eapply by_fwd_create; eassumption.
  - eapply alloc_object_fw; exact H.
  - eapply alloc_object_fw; exact H.
Qed.

Lemma reap_pts_fw : forall ks n, fw (reap_pts ks n) = fw (core ks).
Proof.
  intros ks n. induction n as [|n IH]; cbn [reap_pts]; [reflexivity|].
  destruct (pt_orphan _ n); [|exact IH]. cbn [fw free_frame uncharge with_usage_own]. exact IH.
Qed.

Lemma proc_reap_fw : forall ks, fw (core (proc_reap ks)) = fw (core ks).
Proof. intros ks. unfold proc_reap, waits_cancel. cbn [core with_core]. rewrite reap_pts_fw. reflexivity. Qed.

Lemma irq_handler_create_fw : forall ks cs a b s d,
  fw_same (core ks) (core (snd (irq_handler_create ks cs a b s d))).
Proof.
  intros ks cs a b s d. unfold irq_handler_create, kcommit. cbn [bind guard].
  destruct (cspace_ok _ _); [|apply fw_same_eq; reflexivity]. cbn [bind].
  destruct (lookup _ _ _ _ _ _); cbn [bind]; [|apply fw_same_eq; reflexivity].
  destruct (_ && _); cbn [bind]; [|apply fw_same_eq; reflexivity].
  destruct (negb _); cbn [bind]; [|apply fw_same_eq; reflexivity].
  destruct (handler_alloc (core ks) cs b d) as [e st'] eqn:T.
  destruct e; try (apply fw_same_eq; reflexivity). cbn [snd core].
  eapply cstep_fw. eapply cb_handler_alloc. exact T.
Qed.

(** Every labelled step of the kernel keeps every forwarder target but
    at a free frame. *)
Lemma kstep_fw : forall a ks ks', kstep_by a ks ks' -> fw_same (core ks) (core ks').
Proof.
  intros a ks ks' H. destruct H.
  - exact (cstep_fw cs _ _ H).
  - rewrite obj_alloc_k_core. eapply cstep_fw. eapply cb_obj_alloc. apply surjective_pairing.
  - intros w Nw. unfold proc_create, kcommit in H.
    destruct (_ : res KState) eqn:R in H; inversion H; subst; clear H; [|reflexivity].
    peel R. apply Ok_inj in R; subst. cbn [core]. rw_ok.
    cbn [fw set_cap make_object charge with_usage_own].
    repeat (rewrite upd_neq by (intro; subst; congruence)). reflexivity.
  - apply fw_same_eq, proc_resume_core.
  - apply fw_same_eq, proc_suspend_core.
  - apply fw_same_eq, proc_write_reg_core.
  - apply fw_same_eq, proc_set_fault_core.
  - intros w Nw. unfold kobj_alloc in H.
    destruct (_ : res (nat * State)) eqn:R in H; [destruct p|]; inversion H; subst; clear H;
      [|reflexivity].
    peel R. apply Ok_inj in R. inversion R; subst; clear R. cbn [core with_core]. rw_ok.
    cbn [fw make_object charge with_usage_own].
    rewrite upd_neq by (intro; subst; congruence). reflexivity.
  - apply fw_same_eq. reflexivity.
  - intros w _. rewrite proc_reap_fw. reflexivity.
  - apply fw_same_eq. reflexivity.
  - apply fw_same_eq. apply ipc_send_info in H. apply H.
  - destruct (deliver_delivered ks cur r) as [_ S].
    rewrite <- ipc_send_to_core with (c := c) in S. apply fw_same_sf; exact S.
  - apply ipc_recv_transfer in H as [E|(ep & s0 & _ & _ & _ & _ & _ & _ & _ & S)];
      [apply fw_same_eq; exact E|apply fw_same_sf; exact S].
  - apply ipc_reply_transfer in H as [E|(_ & _ & _ & S)];
      [apply fw_same_eq; exact E|apply fw_same_sf; exact S].
  - apply fw_same_eq, ipc_fault_core.
  - apply fw_same_eq, ntfn_signal_core.
  - apply fw_same_eq, ntfn_wait_core.
  - destruct (ipc_fast_call_transfer ks cur) as [E|(ep & r & _ & _ & _ & _ & _ & S & _)];
      [apply fw_same_eq; exact E|apply fw_same_sf; exact S].
  - destruct (ipc_fast_reply_recv_steps ks cur) as (e1 & ks1 & e2 & ks2 & E1 & E2 & C).
    rewrite C.
    assert (S1 : same_frames (core ks) (core ks1)).
    { apply ipc_reply_transfer in E1 as [E|(_ & _ & _ & S)]; [rewrite E; apply same_frames_refl|exact S]. }
    assert (S2 : same_frames (core ks1) (core ks2)).
    { apply ipc_recv_transfer in E2 as [E|(ep & s0 & _ & _ & _ & _ & _ & _ & _ & S)];
        [rewrite E; apply same_frames_refl|exact S]. }
    apply fw_same_sf. eapply same_frames_trans; eassumption.
  - apply fw_same_eq, ntfn_fast_signal_core.
  - apply fw_same_eq, (proj1 (sched_core ks)).
  - apply fw_same_eq, (proj2 (sched_core ks)).
  - apply irq_handler_create_fw.
  - apply fw_same_eq, irq_set_ntfn_core.
  - apply fw_same_eq, irq_ack_core.
  - apply fw_same_eq, irq_deliver_core.
  - apply fw_same_eq, timer_set_core.
  - apply fw_same_eq, timer_cancel_core.
  - apply fw_same_eq, timer_fire_core.
Qed.

(** Every system call keeps every forwarder target but at a free frame
    ([Runs.sstep_kstep]: no change, a [kstep], or a whole send). *)
Lemma sstep_fw : forall a ks ks', sstep_by a ks ks' -> fw_same (core ks) (core ks').
Proof.
  intros a ks ks' H.
  destruct (sstep_kstep a ks ks' H) as [->|[K|(cur & s & c & e & _ & F)]].
  - apply fw_same_eq; reflexivity.
  - exact (kstep_fw a ks ks' K).
  - apply ipc_send_transfer in F as [E|(ep & r & _ & _ & _ & _ & _ & S & _)];
      [apply fw_same_eq; exact E|apply fw_same_sf; exact S].
Qed.

(** Every step of [vstep_by] keeps every forwarder target but at a frame
    that was free. *)
Lemma vstep_fw : forall a s s', vstep_by a s s' -> fw_same (core (fst s)) (core (fst s')).
Proof.
  intros a s s' S.
  destruct S as [a ks ks' vs S|ks vs cs a b e st' hi D|ks vs cs a b e st' hi o ty D
    |ks vs cs a b e st' hi D
    |ks vs cs caller a b dst prio ks' P|s cur proc frame va perm e s' H|s cur proc va e s' H
    |s cs a0 e s' H|s cs a0 a1 a2 e s' H]; cbn [fst].
  - exact (sstep_fw a ks ks' S).
  - intros w Nw. unfold after_destroy. pose proof (sstep_fw _ _ _ (ss_obj_free ks cs a b e st' D) w Nw) as F.
    cbn [core with_core] in F. destruct (is_ok e); [|exact F].
    unfold vs_reap. cbn [fst]. rewrite proc_reap_fw. exact F.
  - intros w Nw. pose proof (sstep_fw _ _ _ (ss_obj_free ks cs a b e st' D) w Nw) as F.
    cbn [core with_core] in F.
    destruct (after_gone_fst e (with_core ks st') vs hi o ty) as [E|[E|E]]; rewrite E; [exact F| |exact F].
    rewrite proc_reap_fw. exact F.
  - intros w Nw. unfold after_destroy.
    pose proof (sstep_fw _ _ _ (ss_container_destroy ks cs a b e st' D) w Nw) as F.
    cbn [core with_core] in F. destruct (is_ok e); [|exact F].
    unfold vs_reap. cbn [fst]. rewrite proc_reap_fw. exact F.
  - exact (sstep_fw _ _ _ (ss_proc_create ks cs caller a b dst prio E_OK ks' P)).
  - intros w Nw. destruct (sys_map_grown _ _ _ _ _ _ _ _ _ H) as [T _]. apply (T w Nw).
  - rewrite (vstep_unmap_core _ _ _ _ _ _ _ H). apply fw_same_eq. reflexivity.
  - exact (sstep_fw _ _ _ (vstep_cap_delete_core _ _ _ _ _ H)).
  - exact (sstep_fw _ _ _ (vstep_cap_move_core _ _ _ _ _ _ _ H)).
Qed.

(** A step whose invoker has no write chain to [B] leaves every slot of
    a capability space of [B] that stays that capability space (same
    type and generation) as it was ([Runs.isolation_step], with the
    address-space calls and the reaper). *)
Lemma vstep_slot_kept : forall a s s' B x, vstep_by a s s' -> no_write_chain (fst s) a B -> B x ->
  frame_type (core (fst s)) x = OT_CSPACE -> frame_same (core (fst s)) (core (fst s')) x ->
  forall y, cap (core (fst s')) x y = cap (core (fst s)) x y.
Proof.
  intros a s s' B x S N Bx T [T' G'] y. rewrite T in T'.
  assert (NK : forall k, no_write_chain k AKernel B) by (intros k c A; discriminate A).
  assert (Two : forall k1 k2 k3 b, sstep_by b k1 k2 -> no_write_chain k1 b B -> sstep_by AKernel k2 k3 ->
            frame_type (core k1) x = OT_CSPACE -> frame_type (core k3) x = OT_CSPACE ->
            frame_gen (core k3) x = frame_gen (core k1) x -> cap (core k3) x y = cap (core k1) x y).
  { intros k1 k2 k3 b S1 N1 S2 T1 T3 G3.
    pose proof (krun_safe _ _ (sstep_krun _ _ _ S1)) as S12.
    pose proof (krun_safe _ _ (sstep_krun _ _ _ S2)) as S23.
    destruct (cspace_between _ _ _ x S12 S23 T1 T3 G3) as [T2 _].
    rewrite (isolation_step AKernel k2 k3 B x S2 (NK k2) Bx T2 T3 y).
    exact (isolation_step b k1 k2 B x S1 N1 Bx T1 T2 y). }
  destruct S as [a ks ks' vs S|ks vs cs a b e st' hi D|ks vs cs a b e st' hi o ty D
    |ks vs cs a b e st' hi D
    |ks vs cs caller a b dst prio ks' P|s cur proc frame va perm e s' H|s cur proc va e s' H
    |s cs a0 e s' H|s cs a0 a1 a2 e s' H]; cbn [fst snd] in *.
  - exact (isolation_step a ks ks' B x S N Bx T T' y).
  - unfold after_destroy in *. destruct (is_ok e).
    + unfold vs_reap in *. cbn [fst] in *.
      exact (Two _ _ _ _ (ss_obj_free ks cs a b e st' D) N (ss_proc_reap _) T T' G').
    + exact (isolation_step _ ks _ B x (ss_obj_free ks cs a b e st' D) N Bx T T' y).
  - destruct (after_gone_fst e (with_core ks st') vs hi o ty) as [E|[E|E]]; rewrite E in *.
    + exact (isolation_step _ ks _ B x (ss_obj_free ks cs a b e st' D) N Bx T T' y).
    + exact (Two _ _ _ _ (ss_obj_free ks cs a b e st' D) N (ss_proc_reap _) T T' G').
    + exact (Two _ _ _ _ (ss_obj_free ks cs a b e st' D) N (ss_waits_cancel _) T T' G').
  - unfold after_destroy in *. destruct (is_ok e).
    + unfold vs_reap in *. cbn [fst] in *.
      exact (Two _ _ _ _ (ss_container_destroy ks cs a b e st' D) N (ss_proc_reap _) T T' G').
    + exact (isolation_step _ ks _ B x (ss_container_destroy ks cs a b e st' D) N Bx T T' y).
  - exact (isolation_step _ ks ks' B x (ss_proc_create ks cs caller a b dst prio E_OK ks' P) N Bx T T' y).
  - destruct (sys_map_grown _ _ _ _ _ _ _ _ _ H) as [Tg _].
    rewrite (proj1 (proj2 (Tg x ltac:(rewrite T; discriminate)))). reflexivity.
  - rewrite (vstep_unmap_core _ _ _ _ _ _ _ H). reflexivity.
  - exact (isolation_step _ _ _ B x (vstep_cap_delete_core _ _ _ _ _ H) N Bx T T' y).
  - exact (isolation_step _ _ _ B x (vstep_cap_move_core _ _ _ _ _ _ _ H) N Bx T T' y).
Qed.

(** Isolation runs that moreover protect a set [K] of frames: no
    invoker holds with the write right a container covering one of them
    (checked at each step, as [Runs.no_kill_cover]). *)
Inductive viso_run_cover (B Bp K : nat -> Prop) : KState * VS -> KState * VS -> Prop :=
| vic_done : forall s, viso_run_cover B Bp K s s
| vic_step : forall a s1 s2 s3, vstep_by a s1 s2 -> no_write_chain (fst s1) a B ->
    no_map_touch (fst s1) a Bp ->
    (forall c, actor_cs a (fst s1) = Some c -> forall x, K x -> ~ kill_cover (core (fst s1)) c x) ->
    viso_run_cover B Bp K s2 s3 -> viso_run_cover B Bp K s1 s3.

Lemma viso_run_cover_iso : forall B Bp K s s', viso_run_cover B Bp K s s' -> viso_run B Bp s s'.
Proof. intros B Bp K s s' R. induction R; [apply vi_done|eapply vi_step; eassumption]. Qed.

(** The frames of [K] that are live and not page tables keep their type
    and generation along such a run. *)
Lemma viso_run_cover_frames : forall B Bp K s s' x,
  viso_run_cover B Bp K s s' -> K x -> x < NFRAMES -> live (core (fst s)) x = true ->
  frame_type (core (fst s)) x <> OT_PAGETABLE -> frame_same (core (fst s)) (core (fst s')) x.
Proof.
  intros B Bp K s s' x R. induction R as [s|a s1 s2 s3 S N T C R IH]; intros Kx Hx L NP;
    [split; reflexivity|].
  destruct (vstep_frames a s1 s2 x S Hx L NP) as [(T1 & G1)|(c & A & Kc)];
    [|exfalso; exact (C c A x Kx Kc)].
  destruct (IH Kx Hx ltac:(unfold live; rewrite T1; exact L) ltac:(rewrite T1; exact NP)) as [T2 G2].
  split; congruence.
Qed.

(** *** The slot's chain *)

(** A chain from a valid capability: its own object, or (a forwarder)
    one reached from its target. *)
Lemma chain_tail : forall st k o r, chain st k o r -> cap_valid st k = true ->
  o = cap_obj k \/
  (cap_type k = OT_FORWARDER /\ exists r', chain st (fw st (cap_obj k)) o r').
Proof.
  intros st k o r C Vk. induction C as [V|w r C IH Tw Vw]; [left; reflexivity|].
  right. destruct IH as [->|(Tk & r' & C')].
  - split; [rewrite <- (proj1 (valid_not_free_type st k Vk)); exact Tw|].
    eexists. apply ch_here. exact Vw.
  - split; [exact Tk|]. eexists. apply ch_fwd; eassumption.
Qed.

(** ... and conversely, through a valid forwarder. *)
Lemma chain_cons : forall st k o r, cap_valid st k = true -> frame_type st (cap_obj k) = OT_FORWARDER ->
  chain st (fw st (cap_obj k)) o r -> exists r', chain st k o r'.
Proof.
  intros st k o r Vk Tk C. induction C as [V|w r C IH Tw Vw].
  - eexists. apply ch_fwd; [apply ch_here; exact Vk|exact Tk|exact V].
  - destruct IH as (r' & C'). eexists. apply ch_fwd; eassumption.
Qed.

(** On a chain that resolves, every forwarder's target is valid. *)
Lemma chain_resolves_fw : forall st n k, cap_valid st k = true -> chain_err st n k = E_OK ->
  forall o r, chain st k o r -> frame_type st o = OT_FORWARDER -> cap_valid st (fw st o) = true.
Proof.
  intros st n. induction n as [|n IH]; intros k Vk E o r C To; cbn [chain_err] in E;
    destruct (valid_not_free_type st k Vk) as [Tk _].
  - exfalso. destruct (chain_tail st k o r C Vk) as [->|(F & _)].
    + rewrite Tk in To. rewrite To in E. discriminate E.
    + rewrite F in E. discriminate E.
  - destruct (ot_eqb (cap_type k) OT_FORWARDER) eqn:F.
    + destruct (cap_valid st (fw st (cap_obj k))) eqn:Vt; [|discriminate E].
      destruct (chain_tail st k o r C Vk) as [->|(_ & r' & C')]; [exact Vt|].
      exact (IH _ Vt E o r' C' To).
    + exfalso. destruct (chain_tail st k o r C Vk) as [->|(F' & _)].
      * rewrite Tk in To. rewrite To in F. discriminate F.
      * rewrite F' in F. discriminate F.
Qed.

(** A chain that resolves still does, through the same objects, after a
    change that keeps the type and generation of each of its objects and
    the target of each of its forwarders. *)
Lemma chain_kept : forall st st' k, cap_valid st k = true -> resolve_err st k = E_OK ->
  (forall o r, chain st k o r -> frame_same st st' o /\
     (frame_type st o = OT_FORWARDER -> fw st' o = fw st o)) ->
  cap_valid st' k = true /\ resolve_err st' k = E_OK /\
  (forall o r, chain st' k o r -> exists r', chain st k o r').
Proof.
  intros st st' k Vk Rk P.
  assert (Vp : forall t, cap_valid st t = true -> frame_same st st' (cap_obj t) -> cap_valid st' t = true).
  { intros t Vt [T G]. unfold cap_valid in *. rewrite T, G. exact Vt. }
  split; [exact (Vp k Vk (proj1 (P _ _ (ch_here st k Vk))))|split].
  - unfold resolve_err in *. revert k Vk Rk P. generalize MAXFWD as n. intro n.
    induction n as [|n IH]; intros k Vk Rk P; cbn [chain_err] in *; [exact Rk|].
    destruct (ot_eqb (cap_type k) OT_FORWARDER) eqn:F; [|reflexivity].
    destruct (valid_not_free_type st k Vk) as [Tk _].
    assert (Tf : frame_type st (cap_obj k) = OT_FORWARDER) by (rewrite Tk; apply ot_eqb_eq; exact F).
    rewrite (proj2 (P _ _ (ch_here st k Vk)) Tf).
    destruct (cap_valid st (fw st (cap_obj k))) eqn:Vt; [|discriminate Rk].
    rewrite (Vp _ Vt (proj1 (P _ _ (ch_fwd st k _ _ (ch_here st k Vk) Tf Vt)))).
    apply IH; [exact Vt|exact Rk|].
    intros o r C. destruct (chain_cons st k o r Vk Tf C) as (r' & C'). exact (P o r' C').
  - intros o r C. induction C as [V|w r C IH Tw Vw].
    + eexists. apply ch_here. exact Vk.
    + destruct IH as (r' & C'). destruct (P w r' C') as [[T G] Fw].
      assert (Tw0 : frame_type st w = OT_FORWARDER) by (rewrite <- T; exact Tw).
      rewrite (Fw Tw0). eexists. apply ch_fwd; [exact C'|exact Tw0|].
      exact (chain_resolves_fw st MAXFWD k Vk Rk w r' C' Tw0).
Qed.

(** The objects the capability frame [f]'s mapping was made through
    reaches (the capability's, then each forwarder's target) are [f] or
    forwarders of [K]: the slot's chain, which [path_live] resolves. *)
Definition slot_chain_in (K : nat -> Prop) (st : State) (vs : VS) (f : nat) : Prop :=
  m_cs vs f < NFRAMES -> forall o r, chain st (cap st (m_cs vs f) (m_slot vs f)) o r ->
    o = f \/ (frame_type st o = OT_FORWARDER /\ K o).

Lemma slot_chain_in_mslot : forall K st v w f, mslot w f = mslot v f ->
  slot_chain_in K st v f -> slot_chain_in K st w f.
Proof.
  intros K st v w f E H. destruct (mslot_parts _ _ _ E) as [C S].
  unfold slot_chain_in. rewrite C, S. exact H.
Qed.

(** One step with no kill cover of [K], by an invoker with no write
    chain to [B]: a mapping in force whose frame and capability space
    are in [K] (the capability space in [B] too) and whose slot's chain
    is [f] and forwarders of [K] keeps its frame and capability space
    (type and generation); its slot still looks up and resolves, through
    no object it did not reach before. *)
Lemma cover_step : forall a k1 k2 (B K : nat -> Prop) vs f, vstep_by a k1 k2 ->
  no_write_chain (fst k1) a B ->
  (forall c, actor_cs a (fst k1) = Some c -> forall x, K x -> ~ kill_cover (core (fst k1)) c x) ->
  (forall x, K x -> x < NFRAMES) ->
  K f -> (m_cs vs f < NFRAMES -> B (m_cs vs f) /\ K (m_cs vs f)) ->
  slot_chain_in K (core (fst k1)) vs f -> mapping_live (fst k1) vs f = true ->
  frame_same (core (fst k1)) (core (fst k2)) f /\
  (m_cs vs f < NFRAMES ->
     frame_same (core (fst k1)) (core (fst k2)) (m_cs vs f) /\
     lookup_err (core (fst k2)) (m_cs vs f) (m_slot vs f) None false false = E_OK /\
     resolve_err (core (fst k2)) (cap (core (fst k2)) (m_cs vs f) (m_slot vs f)) = E_OK) /\
  slot_chain_in K (core (fst k2)) vs f.
Proof.
  intros a k1 k2 B K vs f S N C KN Kf Kc Kp L.
  assert (Surv : forall x t, K x -> frame_type (core (fst k1)) x = t -> t <> OT_FREE -> t <> OT_RETIRED ->
            t <> OT_PAGETABLE -> frame_same (core (fst k1)) (core (fst k2)) x).
  { intros x t Kx Tx N1 N2 N3.
    assert (Lx : live (core (fst k1)) x = true).
    { unfold live, live_type. rewrite Tx.
      destruct t; try reflexivity; contradiction. }
    destruct (vstep_frames a k1 k2 x S (KN x Kx) Lx ltac:(rewrite Tx; exact N3)) as [F|(c & A & Kk)];
      [exact F|exfalso; exact (C c A x Kx Kk)]. }
  pose proof L as L0.
  unfold mapping_live in L. cbv zeta in L.
  apply andb_true_iff in L as [L Sl]. apply andb_true_iff in L as [L Pa].
  apply andb_true_iff in L as [L _]. apply andb_true_iff in L as [_ Ty].
  assert (Tf : frame_type (core (fst k1)) f = OT_FRAME \/ frame_type (core (fst k1)) f = OT_DEVICE)
    by (apply orb_true_iff in Ty as [Ty|Ty]; apply is_type_true in Ty; [left|right]; exact Ty).
  assert (Ff : frame_same (core (fst k1)) (core (fst k2)) f)
    by (destruct Tf as [Tf|Tf]; (eapply Surv; [exact Kf|exact Tf|discriminate..])).
  split; [exact Ff|].
  destruct (lt_dec (m_cs vs f) NFRAMES) as [Lc|Lc];
    [|split; [intro; contradiction|intro; contradiction]].
  destruct (Kc Lc) as [Bc Kcs].
  set (cs := m_cs vs f) in *. set (sl := m_slot vs f) in *.
  unfold slot_live in Sl. cbv zeta in Sl. fold cs sl in Sl.
  destruct (Nat.eqb_spec cs NFRAMES) as [E|_]; [lia|]. cbn [orb] in Sl.
  apply andb_true_iff in Sl as [Sl _]. apply andb_true_iff in Sl as [Sl _].
  apply andb_true_iff in Sl as [Sl _]. apply andb_true_iff in Sl as [_ Tc].
  apply is_type_true in Tc.
  assert (Fc : frame_same (core (fst k1)) (core (fst k2)) cs)
    by (eapply Surv; [exact Kcs|exact Tc|discriminate..]).
  pose proof (vstep_slot_kept a k1 k2 B cs S N Bc Tc Fc sl) as Ck.
  unfold path_live, chain_ok in Pa. fold cs sl in Pa.
  destruct (Nat.eqb_spec cs NFRAMES) as [E|_]; [lia|]. cbn [orb] in Pa.
  apply andb_true_iff in Pa as [Lk Rs]. apply is_ok_eq in Lk. apply is_ok_eq in Rs.
  apply lookup_any_ok in Lk as [Ls Vk].
  set (k := cap (core (fst k1)) cs sl) in *.
  assert (P : forall o r, chain (core (fst k1)) k o r -> frame_same (core (fst k1)) (core (fst k2)) o /\
                (frame_type (core (fst k1)) o = OT_FORWARDER -> fw (core (fst k2)) o = fw (core (fst k1)) o)).
  { intros o r Co. destruct (Kp Lc o r Co) as [->|[To Ko]].
    - split; [exact Ff|]. intro E. destruct Tf as [Tf|Tf]; rewrite Tf in E; discriminate E.
    - split; [eapply Surv; [exact Ko|exact To|discriminate..]|].
      intros _. apply (vstep_fw a k1 k2 S o). rewrite To. discriminate. }
  destruct (chain_kept _ _ k Vk Rs P) as (Vk' & Rs' & Back).
  split; [intros _; split; [exact Fc|split]|].
  - apply lookup_any_ok. rewrite Ck. split; [exact Ls|exact Vk'].
  - rewrite Ck. exact Rs'.
  - intros _ o r C2. fold cs sl in C2. rewrite Ck in C2. destruct (Back o r C2) as (r' & C1).
    destruct (Kp Lc o r' C1) as [E|[To Ko]]; [left; exact E|right].
    destruct (P o r' C1) as [[T _] _]. split; [rewrite T; exact To|exact Ko].
Qed.

(** At a step with no kill cover of [K], by an invoker with no write
    chain to [B], a mapping whose frame, process and capability space
    are in [K] (the capability space in [B]) and whose slot's chain is
    its frame and forwarders of [K] is ended by the kernel state only
    through its process's own record: the process is no longer live, or
    its generation in the process table changed. *)
Lemma cover_dies_proc : forall a k1 k2 (B K : nat -> Prop) vs f, vstep_by a k1 k2 ->
  no_write_chain (fst k1) a B ->
  (forall c, actor_cs a (fst k1) = Some c -> forall x, K x -> ~ kill_cover (core (fst k1)) c x) ->
  (forall x, K x -> x < NFRAMES) ->
  K f -> (m_cs vs f < NFRAMES -> B (m_cs vs f) /\ K (m_cs vs f)) ->
  slot_chain_in K (core (fst k1)) vs f ->
  mapping_live (fst k1) vs f = true -> record_dies (fst k1) (fst k2) vs f ->
  (proc_live (fst k2) (m_proc vs f) = false \/
   p_gen (procs (fst k2)) (m_proc vs f) <> p_gen (procs (fst k1)) (m_proc vs f)).
Proof.
  intros a k1 k2 B K vs f S N C KN Kf Kc Kp L D.
  destruct (cover_step a k1 k2 B K vs f S N C KN Kf Kc Kp L) as ([Tf Gf] & Cs & _).
  destruct D as [D|[D|[D|[D|[(Lc & D)|(Lc & D)]]]]]; [left; exact D|right; exact D|..]; exfalso.
  - exact (D Tf).
  - exact (D Gf).
  - destruct (Cs Lc) as (_ & Lk & Rs). destruct D as [D|D]; contradiction.
  - destruct (Cs Lc) as ([T G] & _).
    apply mapping_live_slot in L. destruct (slot_live_marked _ _ _ L Lc) as (_ & Gc & _).
    unfold slot_live in L. cbv zeta in L.
    destruct (Nat.eqb_spec (m_cs vs f) NFRAMES) as [E|_]; [lia|]. cbn [orb] in L.
    repeat (apply andb_true_iff in L as [L ?]).
    match goal with H : is_type _ _ OT_CSPACE = true |- _ => apply is_type_true in H; rename H into Tc end.
    destruct D as [D|D]; [apply D; rewrite T; exact Tc|apply D; rewrite G; exact Gc].
Qed.

(** Isolation with survival: along a run whose invokers have no write
    chain to [B], may map into no process of [Bp], and hold no container
    covering (with the write right) a frame of [K], a mapping in force at
    the start, of a process of [Bp], made through a capability space of
    [B], whose frame, process and capability space are in [K] and whose
    slot's chain (the capability it was made through, and the forwarders
    that capability resolves through) is its frame and forwarders of
    [K] ([slot_chain_in]), keeps its record, slot and mark to the end of
    the run; or at some step its process's own record ended it (the
    process is no longer live, or its generation in the process table
    changed). Its frame, the capability and forwarders it was made
    through and its capability space cannot die on such a run. *)
Theorem isolation_vrun_survives : forall B Bp K s s' f,
  viso_run_cover B Bp K s s' -> (forall x, K x -> x < NFRAMES) ->
  mapping_live (fst s) (snd s) f = true -> Bp (m_proc (snd s) f) ->
  (m_cs (snd s) f < NFRAMES -> B (m_cs (snd s) f)) ->
  K f -> K (m_proc (snd s) f) -> (m_cs (snd s) f < NFRAMES -> K (m_cs (snd s) f)) ->
  slot_chain_in K (core (fst s)) (snd s) f ->
  vrec_same (snd s) (snd s') f \/
  exists a k1 k2, in_vrun a k1 k2 s s' /\ vrec_same (snd s) (snd k1) f /\
    mapping_live (fst k1) (snd k1) f = true /\
    (proc_live (fst k2) (m_proc (snd s) f) = false \/
     p_gen (procs (fst k2)) (m_proc (snd s) f) <> p_gen (procs (fst k1)) (m_proc (snd s) f)).
Proof.
  intros B Bp K s s' f R KN. induction R as [s|a s1 s2 s3 S N T C R IH]; intros L Bq Bc Kf Kq Kc Kp;
    [left; apply vrec_same_refl|].
  pose proof (viso_run_vrun _ _ _ _ (viso_run_cover_iso _ _ _ _ _ R)) as R'.
  assert (BKc : m_cs (snd s1) f < NFRAMES -> B (m_cs (snd s1) f) /\ K (m_cs (snd s1) f))
    by (intro Lc; split; [exact (Bc Lc)|exact (Kc Lc)]).
  assert (Dies : mapping_live (fst s2) (snd s1) f = false ->
     proc_live (fst s2) (m_proc (snd s1) f) = false \/
     p_gen (procs (fst s2)) (m_proc (snd s1) f) <> p_gen (procs (fst s1)) (m_proc (snd s1) f)).
  { intro D. eapply cover_dies_proc; try eassumption. apply mapping_death; assumption. }
  destruct (isolation_vstep a s1 s2 B Bp f S N T L Bq Bc) as [E|D].
  - destruct (mapping_live (fst s2) (snd s2) f) eqn:L2.
    + destruct E as (Er & Es & Em).
      destruct (mrec_parts _ _ _ Er) as [Ep _]. destruct (mslot_parts _ _ _ Es) as [Ec _].
      assert (Bq2 : Bp (m_proc (snd s2) f)) by (rewrite Ep; exact Bq).
      assert (Bc2 : m_cs (snd s2) f < NFRAMES -> B (m_cs (snd s2) f)) by (rewrite Ec; exact Bc).
      assert (Kq2 : K (m_proc (snd s2) f)) by (rewrite Ep; exact Kq).
      assert (Kc2 : m_cs (snd s2) f < NFRAMES -> K (m_cs (snd s2) f)) by (rewrite Ec; exact Kc).
      assert (Kp2 : slot_chain_in K (core (fst s2)) (snd s2) f).
      { apply (slot_chain_in_mslot K _ (snd s1)); [exact Es|].
        destruct (cover_step a s1 s2 B K (snd s1) f S N C KN Kf BKc Kp L) as (_ & _ & K2). exact K2. }
      destruct (IH eq_refl Bq2 Bc2 Kf Kq2 Kc2 Kp2) as [E2|(b & k1 & k2 & I & E2 & L1 & D)].
      * left. eapply vrec_same_trans; [split; [exact Er|split; [exact Es|exact Em]]|exact E2].
      * right. exists b, k1, k2. split; [eapply ivr_later; eassumption|].
        split; [eapply vrec_same_trans; [split; [exact Er|split; [exact Es|exact Em]]|exact E2]|].
        split; [exact L1|]. rewrite Ep in D. exact D.
    + right. exists a, s1, s2. split; [apply ivr_here; assumption|split; [apply vrec_same_refl|]].
      split; [exact L|]. apply Dies. rewrite (vrec_same_live (fst s2) _ _ f E) in L2. exact L2.
  - right. exists a, s1, s2. split; [apply ivr_here; assumption|split; [apply vrec_same_refl|]].
    split; [exact L|exact (Dies D)].
Qed.

(** *** Steps that only remove *)

(** From [s] to [s'] the address spaces only lose: every mapping is as
    it was, or only its [m_used] and its slot's mark changed and it is
    not in force after; every page-table entry is as it was or 0; no
    root changed. *)
Definition only_removes (s s' : KState * VS) : Prop :=
  (forall f, vrec_same (snd s) (snd s') f \/
     (mrest (snd s') f = mrest (snd s) f /\ mslot (snd s') f = mslot (snd s) f /\
      (m_used (snd s') f = m_used (snd s) f \/ m_used (snd s') f = false) /\
      mapping_live (fst s') (snd s') f = false)) /\
  (forall t i, pt_entry (snd s') t i = pt_entry (snd s) t i \/ pt_entry (snd s') t i = 0%N) /\
  p_vroot (snd s') = p_vroot (snd s) /\ p_satp (snd s') = p_satp (snd s).

Lemma rm_only_removes : forall ks ks' vs vs', rm_only ks' vs vs' -> only_removes (ks, vs) (ks', vs').
Proof.
  intros ks ks' vs vs' RM. pose proof RM as RM0. destruct RM as (R & C & G & Sl & M & E & Rt & Pt).
  unfold only_removes. cbn [fst snd]. split; [|split; [exact E|split; assumption]].
  intro f. destruct (R f) as [Ef|(U & T & _)]; [left; eapply rm_only_vrec; eassumption|right].
  split; [exact T|split; [unfold mslot; rewrite C, G, Sl; reflexivity|]].
  split; [right; exact U|apply unused_dead; exact U].
Qed.

(** The kernel's own steps (scheduler, reaper of processes, interrupts,
    timers, ...) leave the address spaces as they are. *)
Theorem kernel_vstep_only_removes : forall s s', vstep_by AKernel s s' -> only_removes s s'.
Proof.
  intros s s' S. inversion S; subst. cbn [fst snd].
  split; [intro; left; apply vrec_same_refl|split; [intros; left; reflexivity|split; reflexivity]].
Qed.

(** The reaper after a destruction only removes. *)
Theorem after_destroy_only_removes : forall e ks vs hi,
  only_removes (ks, vs) (after_destroy e ks vs hi).
Proof.
  intros e ks vs hi. unfold after_destroy. destruct (is_ok e).
  - unfold vs_reap. cbn [fst snd]. apply rm_only_removes. apply reap_pass_rm.
  - cbn [fst snd]. split; [intro; left; apply vrec_same_refl|split; [intros; left; reflexivity|split; reflexivity]].
Qed.

Lemma rm_marks_removes : forall ks ks' vs vs', rm_marks ks' vs vs' -> only_removes (ks, vs) (ks', vs').
Proof.
  intros ks ks' vs vs' (R & C & G & Sl & M & E & Rt & Pt).
  unfold only_removes. cbn [fst snd]. split; [|split; [exact E|split; assumption]].
  intro f. assert (Ms : mslot vs' f = mslot vs f) by (unfold mslot; rewrite C, G, Sl; reflexivity).
  destruct (R f) as [Ef|(U & T & _)].
  - destruct (M (m_cs vs f) (m_slot vs f)) as [Mk|(_ & Lc & Tc)];
      [left; split; [exact Ef|split; [exact Ms|exact Mk]]|right].
    split; [exact (mrec_rest _ _ _ Ef)|split; [exact Ms|split; [left; exact (mrec_used _ _ _ Ef)|]]].
    apply cs_dead_not_live; rewrite C; assumption.
  - right. split; [exact T|split; [exact Ms|split; [right; exact U|apply unused_dead; exact U]]].
Qed.

(** [obj_gone] after [obj_free] (SYS_OBJ_FREE since 37ad752a) only
    removes. *)
Theorem after_gone_only_removes : forall e ks vs hi o t,
  only_removes (ks, vs) (after_gone e ks vs hi o t).
Proof.
  intros e ks vs hi o t. destruct (after_gone_rm e ks vs hi o t) as [_ RM].
  rewrite (surjective_pairing (after_gone e ks vs hi o t)). apply rm_marks_removes. exact RM.
Qed.

(** An unmap only removes. *)
Theorem sys_unmap_only_removes : forall s cur cs proc va e s',
  sys_unmap frame_of_ppn s cur cs proc va = (e, s') -> only_removes s s'.
Proof.
  intros s cur cs proc va e s' H.
  destruct (error_eq_dec e E_OK) as [->|NE];
    [|apply sys_unmap_refused in H; [subst; split; [intro; left; apply vrec_same_refl|
       split; [intros; left; reflexivity|split; reflexivity]]|exact NE]].
  unfold sys_unmap in H.
  destruct (proc_arg (fst s) cur cs proc) as [p|e1] eqn:Pa;
    [|inversion H; subst; apply proc_arg_no_eok in Pa; contradiction].
  apply vs_unmap_effects in H as (F & R & C & G & Sl & M & E & Rt & Pt).
  split; [|split; [exact E|split; assumption]].
  intro f. destruct (R f) as [Ef|(U & T & _)].
  - left. split; [exact Ef|split; [unfold mslot; rewrite C, G, Sl; reflexivity|rewrite M; reflexivity]].
  - right. split; [exact T|split; [unfold mslot; rewrite C, G, Sl; reflexivity|]].
    split; [right; exact U|apply unused_dead; exact U].
Qed.

(** A capability delete only removes (the mapping made through the
    deleted slot, and any mapping the reap of that frame finds not in
    force). *)
Theorem sys_cap_delete_only_removes : forall s cs a0 e s',
  sys_cap_delete frame_of_ppn s cs a0 = (e, s') -> only_removes s s'.
Proof.
  intros [ks vs] cs a0 e s' H.
  apply sys_cap_delete_cases in H as [(_ & -> & _)|(-> & st' & D & ->)];
    [split; [intro; left; apply vrec_same_refl|split; [intros; left; reflexivity|split; reflexivity]]|].
  cbn [fst snd] in *. apply cap_delete_ok in D as (Cc & _ & ->). apply cspace_ok_lt in Cc.
  set (sl := N.to_nat (slot32 a0)) in *.
  set (ks' := with_core ks (set_cap (core ks) cs sl null_cap)).
  destruct (vs_slot_gone_effects ks' vs cs sl) as [F RM].
  set (v := snd (vs_slot_gone frame_of_ppn (ks', vs) cs sl)) in *.
  assert (Ev : vs_slot_gone frame_of_ppn (ks', vs) cs sl = (ks', v))
    by (subst v; destruct (vs_slot_gone frame_of_ppn (ks', vs) cs sl) as [k0 v0];
        cbn [fst snd] in F |- *; rewrite F; reflexivity).
  rewrite Ev. pose proof RM as RM0. destruct RM as (R & C & G & Sl & M & E & Rt & Pt).
  unfold only_removes. cbn [fst snd]. split; [|split; [exact E|split; [rewrite Rt; reflexivity|rewrite Pt; reflexivity]]].
  intro f.
  assert (Ms : mslot v f = mslot vs f) by (unfold mslot; rewrite C, G, Sl; reflexivity).
  destruct (Nat.eq_dec (m_cs vs f) cs) as [Ec|Nc];
    [destruct (Nat.eq_dec (m_slot vs f) sl) as [Esl|Nsl]|].
  - right. split; [|split; [exact Ms|split]].
    + destruct (R f) as [Ef|(_ & T & _)]; [exact (mrec_rest _ _ _ Ef)|exact T].
    + destruct (R f) as [Ef|(U & _ & _)]; [left; exact (mrec_used _ _ _ Ef)|right; exact U].
    + apply (mark_gone_dead' _ _ vs f Ms); rewrite Ec; [exact Cc|].
      rewrite Esl, M. cbn [set_mark cap_mapped]. rewrite upd2_eq. discriminate.
  - assert (Mk : cap_mapped v (m_cs vs f) (m_slot vs f) = cap_mapped vs (m_cs vs f) (m_slot vs f))
      by (rewrite M; cbn [set_mark cap_mapped]; apply upd2_neq; right; exact Nsl).
    destruct (R f) as [Ef|(U & T & _)]; [left; split; [exact Ef|split; assumption]|].
    right. split; [exact T|split; [exact Ms|split; [right; exact U|apply unused_dead; exact U]]].
  - assert (Mk : cap_mapped v (m_cs vs f) (m_slot vs f) = cap_mapped vs (m_cs vs f) (m_slot vs f))
      by (rewrite M; cbn [set_mark cap_mapped]; apply upd2_neq; left; exact Nc).
    destruct (R f) as [Ef|(U & T & _)]; [left; split; [exact Ef|split; assumption]|].
    right. split; [exact T|split; [exact Ms|split; [right; exact U|apply unused_dead; exact U]]].
Qed.

(** ** A gap of the relation: a bare [cap_delete] and a copy bring a
    mapping back

    [vb_sys] contains [Runs.ss_cap_delete], the core's [cap_delete]
    without the [vs_slot_gone] that the kernel always runs after it
    (kernel/decode.c's sys_cap_delete, the C of SYS_CAP_DELETE;
    [vb_cap_delete] is that composition). Such a step empties the slot a mapping was made
    through and leaves its record and the slot's mark: the mapping is
    out of force ([path_live] fails), and a copy into the slot of any
    capability that looks up and resolves, of any object, puts it back
    in force ([bare_delete_revives]). The C never takes the first step
    alone; [vb_sys]'s [ss_cap_move] (without the [vs_follow] the C's
    [cap_move] runs inside itself) allows the same (argued, not run:
    the source slot keeps its mark and the record). The theorems of this
    file hold of these runs too (the relation is a superset of the C's);
    what the gap blocks is a theorem that a mapping out of force stays
    so until a map re-makes it (spec/README.md says what that needs). *)

(** A step that keeps the process tables, the frame types and
    generations, and [path_live] keeps [mapping_live]. *)
Lemma mapping_live_path : forall ks ks' vs f,
  procs ks' = procs ks -> frame_type (core ks') = frame_type (core ks) ->
  frame_gen (core ks') = frame_gen (core ks) -> path_live ks' vs f = path_live ks vs f ->
  mapping_live ks' vs f = mapping_live ks vs f.
Proof.
  intros ks ks' vs f P T G PL. unfold mapping_live, slot_live, proc_live, is_type.
  rewrite P, T, G, PL. reflexivity.
Qed.

(** [chain_err] reads only the frame types and generations and the
    forwarders. *)
Lemma chain_err_same : forall st st' n k, frame_type st' = frame_type st ->
  frame_gen st' = frame_gen st -> fw st' = fw st -> chain_err st' n k = chain_err st n k.
Proof.
  intros st st' n. induction n as [|n IH]; intros k T G F; cbn [chain_err]; [reflexivity|].
  unfold cap_valid. rewrite T, G, F, IH by assumption. reflexivity.
Qed.

Lemma slot32_nat : forall n, (N.of_nat n <= 4294967295)%N -> N.to_nat (slot32 (N.of_nat n)) = n.
Proof.
  intros n H. unfold slot32.
  replace ((N.of_nat n <=? 4294967295)%N) with true by (symmetry; apply N.leb_le; exact H).
  apply Nat2N.id.
Qed.

(** A mapping in force made through slot [sl] of [cs]: a bare
    [cap_delete] of that slot ([vb_sys]) takes it out of force, and a
    [sys_cap_copy] ([vb_sys]) into [sl] of the capability of another
    slot [s2] of [cs] that looks up and resolves ([slot_resolves]), to
    whatever object, puts it back in force, the record and the mark
    untouched. (The bound on [NSLOTS] lets the slot numbers pass through
    the decode's [slot32].) *)
Theorem bare_delete_revives : forall ks vs f s2,
  (N.of_nat NSLOTS <= 4294967295)%N ->
  mapping_live ks vs f = true -> m_cs vs f < NFRAMES -> m_slot vs f <> s2 ->
  slot_resolves (core ks) (m_cs vs f) s2 = true ->
  exists ks1 ks2,
    vstep_by (ACs (m_cs vs f)) (ks, vs) (ks1, vs) /\
    mapping_live ks1 vs f = false /\
    vstep_by (ACs (m_cs vs f)) (ks1, vs) (ks2, vs) /\
    mapping_live ks2 vs f = true /\
    cap (core ks2) (m_cs vs f) (m_slot vs f) = cap (core ks) (m_cs vs f) s2.
Proof.
  intros ks vs f s2 HN ML Hc Ns R.
  set (cs := m_cs vs f) in *. set (sl := m_slot vs f) in *.
  pose proof ML as ML0.
  unfold mapping_live in ML. rewrite !andb_true_iff in ML.
  destruct ML as ((((((_ & _) & _) & _) & _) & PL) & SL).
  unfold slot_live in SL. fold cs sl in SL. apply Nat.ltb_lt in Hc as Hc'.
  rewrite (proj2 (Nat.eqb_neq cs NFRAMES) ltac:(lia)) in SL. cbn [orb] in SL.
  rewrite !andb_true_iff in SL. destruct SL as ((((_ & Tc) & _) & Hsl) & _).
  apply Nat.ltb_lt in Hsl.
  unfold path_live, chain_ok in PL. fold cs sl in PL.
  rewrite (proj2 (Nat.eqb_neq cs NFRAMES) ltac:(lia)) in PL. cbn [orb] in PL.
  apply andb_true_iff in PL as [L1 _]. apply is_ok_eq, lookup_any_ok in L1 as [_ V1].
  apply slot_resolves_ok in R as [L2 R2]. apply lookup_any_ok in L2 as [Hs2 V2].
  set (st1 := set_cap (core ks) cs sl null_cap).
  assert (D : cap_delete (core ks) cs sl = (E_OK, st1)).
  { unfold cap_delete, cspace_ok. rewrite Hc', Tc. cbn [andb bind guard].
    rewrite (proj2 (Nat.ltb_lt sl NSLOTS) Hsl). cbn [bind guard].
    destruct (valid_not_free_type _ _ V1) as [_ NF].
    destruct (ot_eqb (cap_type (cap (core ks) cs sl)) OT_FREE) eqn:E;
      [apply ot_eqb_eq in E; contradiction|reflexivity]. }
  set (ks1 := with_core ks st1).
  set (k2 := cap (core ks) cs s2).
  set (st2 := set_cap st1 cs sl k2).
  assert (C : sys_cap_copy ks1 cs (N.of_nat s2) SLOT_SELF (N.of_nat sl) 7 = (E_OK, with_core ks1 st2)).
  { unfold sys_cap_copy.
    replace (rights_unpack 7) with (Ok (1, 1, 1) : res (nat * nat * nat)) by reflexivity.
    unfold dst_cspace. rewrite N.eqb_refl.
    rewrite !slot32_nat by lia.
    unfold cap_copy, commit, cspace_ok, lookup, free_dst.
    unfold ks1, st1. cbn [core with_core set_cap frame_type frame_gen cap is_bit bind guard].
    rewrite (proj2 (Nat.ltb_lt s2 NSLOTS) Hs2), (proj2 (Nat.ltb_lt sl NSLOTS) Hsl).
    rewrite upd_eq, upd_neq by (intro; apply Ns; symmetry; assumption). rewrite upd_eq.
    change (is_type (set_cap (core ks) cs sl null_cap) cs OT_CSPACE) with (is_type (core ks) cs OT_CSPACE).
    change (cap_valid (set_cap (core ks) cs sl null_cap)) with (cap_valid (core ks)).
    rewrite Hc', Tc, V2.
    destruct (valid_not_free_type _ _ V2) as [_ NF2].
    destruct (ot_eqb (cap_type (cap (core ks) cs s2)) OT_FREE) eqn:E2;
      [apply ot_eqb_eq in E2; contradiction|].
    cbn [andb negb implb is_bit bit bind guard Nat.leb Nat.eqb cap_type null_cap ot_eqb objtype_code core_op].
    replace (restrict (cap (core ks) cs s2) true true true) with (cap (core ks) cs s2)
      by (destruct (cap (core ks) cs s2); unfold restrict; cbn; rewrite !andb_true_r; reflexivity).
    reflexivity. }
  assert (P1 : path_live ks1 vs f = false).
  { unfold path_live, chain_ok, lookup_err, lookup. fold cs sl.
    rewrite (proj2 (Nat.eqb_neq cs NFRAMES) ltac:(lia)).
    unfold ks1, st1. cbn [core with_core set_cap cap]. rewrite upd_eq, upd_eq.
    rewrite (proj2 (Nat.ltb_lt sl NSLOTS) Hsl). reflexivity. }
  assert (P2 : path_live (with_core ks1 st2) vs f = true).
  { unfold path_live, chain_ok. fold cs sl.
    rewrite (proj2 (Nat.eqb_neq cs NFRAMES) ltac:(lia)). cbn [orb].
    rewrite lookup_any_is_ok. apply andb_true_iff; split; [apply andb_true_iff; split|].
    - apply Nat.ltb_lt; exact Hsl.
    - unfold ks1, st2, st1. cbn [core with_core set_cap cap]. rewrite !upd_eq.
      exact V2.
    - apply is_ok_eq. unfold ks1, st2, st1, resolve_err. cbn [core with_core set_cap cap]. rewrite !upd_eq.
      rewrite (chain_err_same (core ks)); [exact R2|reflexivity..]. }
  exists ks1, (with_core ks1 st2). split; [|split; [|split; [|split]]].
  - apply vb_sys. apply (ss_cap_delete ks cs sl E_OK st1 D).
  - unfold mapping_live. rewrite P1, andb_false_r. reflexivity.
  - apply vb_sys. eapply ss_cap_copy. exact C.
  - rewrite <- ML0. apply mapping_live_path; [reflexivity|reflexivity|reflexivity|].
    rewrite P2. symmetry. unfold mapping_live in ML0. rewrite !andb_true_iff in ML0.
    destruct ML0 as ((((((_ & _) & _) & _) & _) & PL0) & _). exact PL0.
  - unfold ks1, st2, st1. cbn [core with_core set_cap cap]. rewrite !upd_eq. reflexivity.
Qed.
  End Sized.
