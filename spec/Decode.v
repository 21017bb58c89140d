(** * Decode: a syscall's arguments, checked (issue 14 item 1)

    The Coq side of [kernel/decode.c]: what a raw register value names,
    and with which authority. The architecture layer reads the registers
    and calls these before the core operation ([arch-riscv/syscall.c]);
    [sys_cap_copy] below is that composition for a capability copy, the
    syscall through which one process writes into another's capability
    space.

    Raw register values are [N] (64-bit in C). [SLOT_SELF] is 2^32 - 1.

    The vocabulary of the decode's contracts (ACSL, [model.acsl] and
    [decode.acsl]) is defined here too, name for name: the read and write
    rights, the error and the end of a forwarder chain, and the errors of
    the guard sequences. [resolve_chain_ends] and [chain_err_resolve]
    say that they are exactly what [resolve_chain] computes. *)

From Coq Require Import Arith NArith Bool Lia.
From Spec Require Import Model Ops Facts Invariants Procs.

Section Sized.
Context {SZ : Sizes}.

Definition SLOT_SELF : N := 4294967295.

(** ** The end of a forwarder chain ([model.acsl]) *)

(** A right at the end of the chain from [k] ([sel] reads it from a
    capability), every forwarder's on the way; [chain_read] and
    [chain_write] below, as [chain_grant] (Ops.v) for the grant right. *)
Fixpoint chain_right (sel : Cap -> bool) (st : State) (fuel : nat) (k : Cap) : bool :=
  if ot_eqb (cap_type k) OT_FORWARDER then
    match fuel with
    | 0 => false
    | S n => let t := fw st (cap_obj k) in sel t && chain_right sel st n t
    end
  else true.

Definition chain_read (st : State) (fuel : nat) (k : Cap) : bool :=
  chain_right cap_read st fuel k.

Definition chain_write (st : State) (fuel : nat) (k : Cap) : bool :=
  chain_right cap_write st fuel k.

Definition resolved_read (st : State) (k : Cap) : bool :=
  cap_read k && chain_read st MAXFWD k.

Definition resolved_write (st : State) (k : Cap) : bool :=
  cap_write k && chain_write st MAXFWD k.

(** The error a resolve ends in, and the object and type it ends at. *)
Fixpoint chain_err (st : State) (fuel : nat) (k : Cap) : error :=
  if ot_eqb (cap_type k) OT_FORWARDER then
    match fuel with
    | 0 => E_TOO_DEEP
    | S n => let t := fw st (cap_obj k) in
             if cap_valid st t then chain_err st n t else E_STALE
    end
  else E_OK.

(** The capability the chain from [k] ends at (after at most [fuel]
    forwarders); its object and type. *)
Fixpoint chain_end (st : State) (fuel : nat) (k : Cap) : Cap :=
  if ot_eqb (cap_type k) OT_FORWARDER then
    match fuel with
    | 0 => k
    | S n => chain_end st n (fw st (cap_obj k))
    end
  else k.

Definition chain_obj (st : State) (fuel : nat) (k : Cap) : nat :=
  cap_obj (chain_end st fuel k).

Definition chain_type (st : State) (fuel : nat) (k : Cap) : ObjType :=
  cap_type (chain_end st fuel k).

Definition chain_badge (st : State) (fuel : nat) (k : Cap) : N :=
  cap_badge (chain_end st fuel k).

Definition resolve_err (st : State) (k : Cap) : error := chain_err st MAXFWD k.
Definition resolved_obj (st : State) (k : Cap) : nat := chain_obj st MAXFWD k.
Definition resolved_type (st : State) (k : Cap) : ObjType := chain_type st MAXFWD k.
Definition resolved_badge (st : State) (k : Cap) : N := chain_badge st MAXFWD k.

(** A successful resolve ends where the chain functions say, with the
    rights they say. *)
Lemma resolve_chain_ends : forall st fuel k r,
  resolve_chain st fuel k = Ok r ->
  cap_obj r = chain_obj st fuel k /\ cap_type r = chain_type st fuel k /\
  cap_read r = (cap_read k && chain_read st fuel k) /\
  cap_write r = (cap_write k && chain_write st fuel k) /\
  cap_badge r = chain_badge st fuel k.
Proof.
  unfold chain_read, chain_write, chain_obj, chain_type, chain_badge.
  induction fuel as [|n IH]; intros k r H; simpl in *.
  - destruct (ot_eqb (cap_type k) OT_FORWARDER); [discriminate|].
    inversion H; subst. rewrite !andb_true_r. auto.
  - destruct (ot_eqb (cap_type k) OT_FORWARDER).
    + destruct (cap_valid st (fw st (cap_obj k))); simpl in H; [|discriminate].
      destruct (resolve_chain st n (fw st (cap_obj k))) as [r'|e] eqn:E;
        simpl in H; [|discriminate].
      inversion H; subst; clear H.
      destruct (IH _ _ E) as (O & T & R & W & B).
      unfold restrict; simpl. rewrite O, T, R, W, B.
      repeat split; apply andb_comm.
    + inversion H; subst. rewrite !andb_true_r. auto.
Qed.

(** [chain_err] is the error of [resolve_chain]. *)
Lemma chain_err_resolve : forall st fuel k,
  chain_err st fuel k =
  match resolve_chain st fuel k with Ok _ => E_OK | Err e => e end.
Proof.
  induction fuel as [|n IH]; intros k; simpl.
  - destruct (ot_eqb (cap_type k) OT_FORWARDER); reflexivity.
  - destruct (ot_eqb (cap_type k) OT_FORWARDER); [|reflexivity].
    destruct (cap_valid st (fw st (cap_obj k))); simpl; [|reflexivity].
    rewrite IH. destruct (resolve_chain st n (fw st (cap_obj k))); reflexivity.
Qed.

(** [invoke_lookup]'s error, guard by guard ([model.acsl]). *)
Definition invoke_err (st : State) (cs s : nat) (t : ObjType) (nr nw : bool) : error :=
  match invoke_lookup st cs s t nr nw with Ok _ => E_OK | Err e => e end.

(** ** The decode ([kernel/decode.c]) *)

(* C: caller_cspace *)
(** The caller's capability space, or [NFRAMES] once it is gone. *)
Definition caller_cspace (ks : KState) (cur : nat) : nat :=
  if pcspace_ok ks cur then p_cspace (procs ks) cur else NFRAMES.

(** A slot argument as a slot: out of range ([E_BAD_SLOT]) unless below
    [NSLOTS]. *)
Definition slot_arg (slot : N) : res nat :=
  check (slot <? N.of_nat NSLOTS)%N else E_BAD_SLOT ;;
  Ok (N.to_nat slot).

(** A destination cspace named by a capability: a cspace, or a process
    (its capability space, still live), with the write right, through
    forwarders. *)
Definition dst_by_cap (ks : KState) (cs : nat) (slot : N) : res nat :=
  let st := core ks in
  let* s := slot_arg slot in
  let* k := lookup st cs s None false false in
  let* r := resolve_chain st MAXFWD k in
  check ot_eqb (cap_type r) OT_CSPACE || ot_eqb (cap_type r) OT_PROCESS
    else E_WRONG_TYPE ;;
  check cap_write r else E_NO_RIGHTS ;;
  if ot_eqb (cap_type r) OT_CSPACE then Ok (cap_obj r)
  else (check pcspace_ok ks (cap_obj r) else E_STALE ;;
        Ok (p_cspace (procs ks) (cap_obj r))).

(* C: dst_cspace *)
Definition dst_cspace (ks : KState) (cs : nat) (slot : N) : res nat :=
  if N.eqb slot SLOT_SELF then Ok cs else dst_by_cap ks cs slot.

(** [decode.acsl]'s names for [dst_by_cap]'s error and result. *)
Definition dst_err (ks : KState) (cs : nat) (slot : N) : error :=
  match dst_by_cap ks cs slot with Ok _ => E_OK | Err e => e end.

Definition dst_of (ks : KState) (cs : nat) (slot : N) : nat :=
  match dst_by_cap ks cs slot with Ok d => d | Err _ => NFRAMES end.

(* C: proc_arg *)
(** The process of map and unmap: [SLOT_SELF], or a process capability
    with the write right. *)
Definition proc_arg (ks : KState) (cur cs : nat) (slot : N) : res nat :=
  if N.eqb slot SLOT_SELF then Ok cur else
  let* s := slot_arg slot in
  let* r := invoke_lookup (core ks) cs s OT_PROCESS false true in
  Ok (cap_obj r).

(* C: slot32 *)
(** A 64-bit register as a 32-bit slot number: too big stays too big
    (2^32 - 2: no slot, and not [SLOT_SELF]). *)
Definition slot32 (x : N) : N :=
  if (x <=? 4294967295)%N then x else 4294967294%N.

Definition slot_of (x : N) : N := slot32 x.

(* C: rights_unpack *)
(** Packed rights read + 2*write + 4*grant. *)
Definition rights_unpack (x : N) : res (nat * nat * nat) :=
  check (x <? 8)%N else E_BAD_ARG ;;
  Ok (N.to_nat (x mod 2), N.to_nat (x / 2 mod 2), N.to_nat (x / 4 mod 2)).

(** SYS_MAP's page permission read + 2*write + 4*exec. *)
Definition perm_ok (p : N) : bool :=
  (1 <=? p)%N && (p <=? 7)%N && negb (N.eqb (p mod 4 / 2) 1 && N.eqb (p mod 2) 0).

(* C: perm_check *)
Definition perm_check (p : N) : error := if perm_ok p then E_OK else E_BAD_ARG.

(* C: map_frame_lookup *)
(** SYS_MAP's frame argument, after [perm_check]: a user frame or a device
    page (issue 15), directly or through forwarders, with the read right
    for a readable or executable page and the write right for a writable
    one; a device page is never mapped executable. Tried as a frame
    first. *)
Definition map_frame_lookup (st : State) (cs s : nat) (p : N) : res Cap :=
  let nr := N.eqb (p mod 2) 1 || N.eqb (p / 4) 1 in
  let nw := N.eqb (p / 2 mod 2) 1 in
  match invoke_lookup st cs s OT_FRAME nr nw with
  | Err E_WRONG_TYPE =>
      let* k := invoke_lookup st cs s OT_DEVICE nr nw in
      check negb (N.eqb (p / 4) 1) else E_BAD_ARG ;;
      Ok k
  | r => r
  end.

(* C: frame_write_lookup *)
(** SYS_FRAME_WRITE(frame, off, src, len)'s frame and range: a user frame
    (not a device page), directly or through forwarders, with the write
    right; then the bytes from off to off + len within its 4,096 (no sum that
    wraps: [len] is compared with [4096 - off]). The copy from the
    caller's memory is the architecture layer's and is not modelled: the
    model's state holds no frame contents. *)
Definition frame_write_lookup (st : State) (cs s : nat) (off len : N) : res Cap :=
  let* k := invoke_lookup st cs s OT_FRAME false true in
  check negb (4096 <? off)%N && negb (4096 - off <? len)%N else E_BAD_ARG ;;
  Ok k.

(** Its error ([decode.acsl]). *)
Definition map_frame_err (st : State) (cs s : nat) (p : N) : error :=
  match map_frame_lookup st cs s p with Ok _ => E_OK | Err e => e end.

(** ** Authority: what a destination argument can name *)

(** A destination cspace is the caller's own, or one the caller holds a
    capability to with the write right: the cspace itself, or a live
    process whose capability space it is, at the end of a valid
    capability's forwarder chain. *)
Theorem dst_cspace_authority : forall ks cs slot d,
  dst_cspace ks cs slot = Ok d ->
  (slot = SLOT_SELF /\ d = cs) \/
  exists s k r, N.to_nat slot = s /\ s < NSLOTS /\
    lookup (core ks) cs s None false false = Ok k /\
    resolve_chain (core ks) MAXFWD k = Ok r /\ cap_write r = true /\
    ((cap_type r = OT_CSPACE /\ d = cap_obj r) \/
     (cap_type r = OT_PROCESS /\ pcspace_ok ks (cap_obj r) = true /\
      d = p_cspace (procs ks) (cap_obj r))).
Proof.
  intros ks cs slot d H. unfold dst_cspace in H.
  destruct (N.eqb_spec slot SLOT_SELF) as [E|NE].
  - left. inversion H; auto.
  - right. unfold dst_by_cap, slot_arg, bind, guard in H.
    destruct (N.ltb_spec slot (N.of_nat NSLOTS)) as [Lt|]; [|discriminate].
    destruct (lookup (core ks) cs (N.to_nat slot) None false false) as [k|e] eqn:HL;
      [|discriminate].
    destruct (resolve_chain (core ks) MAXFWD k) as [r|e] eqn:HR; [|discriminate].
    exists (N.to_nat slot), k, r.
    destruct (ot_eqb (cap_type r) OT_CSPACE) eqn:C; simpl in H.
    + destruct (cap_write r) eqn:W; [|discriminate].
      inversion H; subst. apply ot_eqb_eq in C. repeat split; auto; lia.
    + destruct (ot_eqb (cap_type r) OT_PROCESS) eqn:P; [|discriminate].
      destruct (cap_write r) eqn:W; [|discriminate].
      destruct (pcspace_ok ks (cap_obj r)) eqn:Q; [|discriminate].
      inversion H; subst. apply ot_eqb_eq in P. repeat split; auto; lia.
Qed.

(** [decode.acsl]'s names for a destination argument: the capability
    space it names ([NFRAMES] when refused) and its refusal. *)
Definition dst_named (ks : KState) (cs : nat) (a : N) : nat :=
  match dst_cspace ks cs a with Ok d => d | Err _ => NFRAMES end.

Definition dst_named_err (ks : KState) (cs : nat) (a : N) : error :=
  match dst_cspace ks cs a with Ok _ => E_OK | Err e => e end.

(** The core's refusal of a copy, move or mint once the destination is
    decoded: the source looks up, then the destination slot is free. *)
Definition copy_err (st : State) (cs src dcs dst : nat) : error :=
  match lookup st cs src None false false with
  | Err e => e
  | Ok _ => free_dst_err st dcs dst
  end.

(** [decode.acsl]'s [slot_kept]: slot [s] of [cs] is the same in both
    states. *)
Definition slot_kept (st st' : State) (cs s : nat) : Prop :=
  cap st' cs s = cap st cs s.

(** [decode.acsl]'s [free_kept]: nothing [obj_free] may write has
    changed, the slots of capability space [o] included (its refusals'
    promise, [obj_free_refused_kept]). Of the C's fields the spec's
    [State] has [frame_type], [frame_gen], [c_usage], [c_own]; the C's
    [f_lo], [ep_recv], [ep_nosend] are C only. *)
Definition free_kept (st st' : State) (o : nat) : Prop :=
  (forall g, g < NFRAMES ->
     frame_type st' g = frame_type st g /\ frame_gen st' g = frame_gen st g /\
     c_usage st' g = c_usage st g /\ c_own st' g = c_own st g) /\
  (forall s, s < NSLOTS -> slot_kept st st' o s).

(** A refused [obj_free] keeps it, whatever [o] (the state is the one
    before). *)
Lemma obj_free_refused_kept : forall st cs a b e st' o,
  obj_free st cs a b = (e, st') -> e <> E_OK -> free_kept st st' o.
Proof.
  intros st cs a b e st' o H NE. unfold obj_free in H.
  apply commit_cases in H as [[_ E]| ->]; [contradiction|].
  split; [intros; repeat split|intros; reflexivity].
Qed.

(** ** The capability transfers as the syscalls run them *)

(** [cs] is the caller's capability space ([caller_cspace], which the
    dispatch checks first: [E_STALE] when it is gone); the registers are
    a0 = source slot, a1 = destination cspace argument, a2 = destination
    slot, a3 = packed rights, a4 = badge. *)

(* C: sys_cap_copy *)
Definition sys_cap_copy (ks : KState) (cs : nat) (a0 a1 a2 a3 : N) : error * KState :=
  match rights_unpack a3 with
  | Err e => (e, ks)
  | Ok (r, w, g) =>
      match dst_cspace ks cs a1 with
      | Err e => (e, ks)
      | Ok d => core_op ks (cap_copy (core ks) cs (N.to_nat (slot32 a0)) d
                                      (N.to_nat (slot32 a2)) r w g)
      end
  end.

(* C: sys_cap_mint *)
Definition sys_cap_mint (ks : KState) (cs : nat) (a0 a1 a2 a3 a4 : N) : error * KState :=
  match rights_unpack a3 with
  | Err e => (e, ks)
  | Ok (r, w, g) =>
      match dst_cspace ks cs a1 with
      | Err e => (e, ks)
      | Ok d => core_op ks (cap_mint (core ks) cs (N.to_nat (slot32 a0)) d
                                      (N.to_nat (slot32 a2)) r w g a4)
      end
  end.

(** The capability half of [sys_cap_move] (VSpace.v): the decode and
    [cap_move]. The C's [sys_cap_move] then moves the mark of the mapping
    made through the capability ([vs_follow], VSpace.v), which changes
    only the address-space tables; [VSpace.sys_cap_move_sstep] says the
    whole call's [KState] is this one's. *)
Definition sys_cap_move_caps (ks : KState) (cs : nat) (a0 a1 a2 : N) : error * KState :=
  match dst_cspace ks cs a1 with
  | Err e => (e, ks)
  | Ok d => core_op ks (cap_move (core ks) cs (N.to_nat (slot32 a0)) d
                                  (N.to_nat (slot32 a2)))
  end.

(** ** The caller's own state *)

(** A receive-slot register: a slot, or [NSLOTS] ("nowhere") for any
    value that is none. *)
Definition rslot_arg (a : N) : nat :=
  if (a <? N.of_nat NSLOTS)%N then N.to_nat a else NSLOTS.

(* C: sys_set_recv_slots *)
Definition sys_set_recv_slots (ks : KState) (cur : nat) (a0 a1 : N) : KState :=
  with_procs ks (set_rslot (set_rslot (procs ks) cur 0 (rslot_arg a0)) cur 1 (rslot_arg a1)).

(* C: sys_yield *)
(** A fresh ticket: the back of the caller's priority's round robin. *)
Definition sys_yield (ks : KState) (cur : nat) : KState :=
  let (t, ps1) := ticket_take (procs ks) in
  with_procs ks (set_ticket_state ps1 cur (p_state ps1 cur) t (next_ticket ps1)).

Lemma cap_copy_writes : forall st cs src dcs dst r w g e st',
  cap_copy st cs src dcs dst r w g = (e, st') ->
  forall x s, cap st' x s = cap st x s \/ (x = dcs /\ s = dst).
Proof.
  intros st cs src dcs dst r w g e st' H x s.
  unfold cap_copy, commit in H.
  destruct (cspace_ok st cs && cspace_ok st dcs); simpl in H;
    [|inversion H; subst; auto].
  destruct (is_bit r && is_bit w && is_bit g); simpl in H; [|inversion H; subst; auto].
  destruct (lookup st cs src None false false) as [k|e']; simpl in H;
    [|inversion H; subst; auto].
  destruct (free_dst st dcs dst) as [u|e']; simpl in H; [|inversion H; subst; auto].
  inversion H; subst; clear H. simpl.
  destruct (Nat.eqb_spec x dcs) as [->|NX].
  - destruct (Nat.eqb_spec s dst) as [->|NS]; [right; auto|left].
    rewrite upd_eq, upd_neq; auto.
  - left. rewrite upd_neq; auto.
Qed.

Lemma cap_mint_writes : forall st cs src dcs dst r w g b e st',
  cap_mint st cs src dcs dst r w g b = (e, st') ->
  forall x s, cap st' x s = cap st x s \/ (x = dcs /\ s = dst).
Proof.
  intros st cs src dcs dst r w g b e st' H x s.
  unfold cap_mint, commit in H.
  destruct (cspace_ok st cs && cspace_ok st dcs); simpl in H;
    [|inversion H; subst; auto].
  destruct (is_bit r && is_bit w && is_bit g); simpl in H; [|inversion H; subst; auto].
  destruct (lookup st cs src None false false) as [k|e']; simpl in H;
    [|inversion H; subst; auto].
  destruct (free_dst st dcs dst) as [u|e']; simpl in H; [|inversion H; subst; auto].
  destruct (N.eqb (cap_badge k) 0); simpl in H; [|inversion H; subst; auto].
  inversion H; subst; clear H. simpl.
  destruct (Nat.eqb_spec x dcs) as [->|NX].
  - destruct (Nat.eqb_spec s dst) as [->|NS]; [right; auto|left].
    rewrite upd_eq, upd_neq; auto.
  - left. rewrite upd_neq; auto.
Qed.

Lemma cap_move_writes : forall st cs src dcs dst e st',
  cap_move st cs src dcs dst = (e, st') ->
  forall x s, cap st' x s = cap st x s \/ (x = dcs /\ s = dst) \/ (x = cs /\ s = src).
Proof.
  intros st cs src dcs dst e st' H x s.
  unfold cap_move, commit in H.
  destruct (cspace_ok st cs && cspace_ok st dcs); simpl in H;
    [|inversion H; subst; auto].
  destruct (lookup st cs src None false false) as [k|e']; simpl in H;
    [|inversion H; subst; auto].
  destruct (free_dst st dcs dst) as [u|e']; simpl in H; [|inversion H; subst; auto].
  inversion H; subst; clear H. simpl. unfold upd.
  repeat match goal with |- context[Nat.eqb ?a ?b] => destruct (Nat.eqb_spec a b) end;
    subst; intuition.
Qed.

(** Integrity under SYS_CAP_MOVE: the slot the destination argument names
    in the cspace it names, and the caller's source slot; nothing else. *)
Theorem sys_cap_move_integrity : forall ks cs a0 a1 a2 e ks',
  sys_cap_move_caps ks cs a0 a1 a2 = (e, ks') ->
  procs ks' = procs ks /\
  forall x s, cap (core ks') x s = cap (core ks) x s \/
    (dst_cspace ks cs a1 = Ok x /\ s = N.to_nat (slot32 a2)) \/
    (x = cs /\ s = N.to_nat (slot32 a0)).
Proof.
  intros ks cs a0 a1 a2 e ks' H. unfold sys_cap_move_caps in H.
  destruct (dst_cspace ks cs a1) as [d|e'] eqn:D; [|inversion H; subst; auto].
  unfold core_op in H.
  destruct (cap_move (core ks) cs (N.to_nat (slot32 a0)) d (N.to_nat (slot32 a2)))
    as [e1 st1] eqn:C.
  inversion H; subst; clear H. split; [reflexivity|].
  intros x s. simpl.
  destruct (cap_move_writes _ _ _ _ _ _ _ C x s) as [E|[[E1 E2]|[E1 E2]]];
    [left; auto| |].
  - right; left. subst. auto.
  - right; right. auto.
Qed.

(** Integrity of capability spaces under SYS_CAP_COPY and SYS_CAP_MINT:
    the only slot either can change lies in the capability space its
    destination argument names, which is the caller's own or one the
    caller holds a write capability to ([dst_cspace_authority]); the
    process tables do not change. *)
Theorem sys_cap_copy_integrity : forall ks cs a0 a1 a2 a3 e ks',
  sys_cap_copy ks cs a0 a1 a2 a3 = (e, ks') ->
  procs ks' = procs ks /\
  forall x s, cap (core ks') x s = cap (core ks) x s \/
    (dst_cspace ks cs a1 = Ok x /\ s = N.to_nat (slot32 a2)).
Proof.
  intros ks cs a0 a1 a2 a3 e ks' H. unfold sys_cap_copy in H.
  destruct (rights_unpack a3) as [[[r w] g]|e']; [|inversion H; subst; auto].
  destruct (dst_cspace ks cs a1) as [d|e'] eqn:D; [|inversion H; subst; auto].
  unfold core_op in H.
  destruct (cap_copy (core ks) cs (N.to_nat (slot32 a0)) d
              (N.to_nat (slot32 a2)) r w g) as [e1 st1] eqn:C.
  inversion H; subst; clear H. split; [reflexivity|].
  intros x s. simpl.
  destruct (cap_copy_writes _ _ _ _ _ _ _ _ _ _ C x s) as [E|[E1 E2]]; [left; auto|].
  right. subst. auto.
Qed.

Theorem sys_cap_mint_integrity : forall ks cs a0 a1 a2 a3 a4 e ks',
  sys_cap_mint ks cs a0 a1 a2 a3 a4 = (e, ks') ->
  procs ks' = procs ks /\
  forall x s, cap (core ks') x s = cap (core ks) x s \/
    (dst_cspace ks cs a1 = Ok x /\ s = N.to_nat (slot32 a2)).
Proof.
  intros ks cs a0 a1 a2 a3 a4 e ks' H. unfold sys_cap_mint in H.
  destruct (rights_unpack a3) as [[[r w] g]|e']; [|inversion H; subst; auto].
  destruct (dst_cspace ks cs a1) as [d|e'] eqn:D; [|inversion H; subst; auto].
  unfold core_op in H.
  destruct (cap_mint (core ks) cs (N.to_nat (slot32 a0)) d
              (N.to_nat (slot32 a2)) r w g a4) as [e1 st1] eqn:C.
  inversion H; subst; clear H. split; [reflexivity|].
  intros x s. simpl.
  destruct (cap_mint_writes _ _ _ _ _ _ _ _ _ _ _ C x s) as [E|[E1 E2]]; [left; auto|].
  right. subst. auto.
Qed.

End Sized.
