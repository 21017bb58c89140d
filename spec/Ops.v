(** * Ops: every kernel operation as a total function

    One definition per C entry point, same name, same guards in the same
    order as the table in [docs/MODEL.md]. Each operation either fails with
    an error and leaves the state unchanged, or returns [E_OK] and the new
    state. A comment "C:" followed by the C function's name sits above each
    operation ([tests/xref] checks the pairing in both directions).

    Reading order: the helpers (lookup, charging, allocation, freeing),
    then the operations in the order of MODEL.md. *)

From Coq Require Import Arith NArith Bool Lia.
From Spec Require Import Model.

(** The sizes are parameters (Model.v, [Sizes]): everything below holds
    for every instance. *)
Section Sized.
Context {SZ : Sizes}.

(** ** Guard helpers *)

(** [cs] must name a live capability space. The C core takes this as a
    precondition (the syscall layer resolves [cs] from the caller); the
    spec, being total, turns it into a guard. *)
Definition cspace_ok (st : State) (cs : nat) : bool :=
  (cs <? NFRAMES) && is_type st cs OT_CSPACE.

(** lookup(cs, s, T, rights): the standard guard sequence. [ty = None]
    accepts any type. Lookups do not follow forwarders. *)
Definition lookup (st : State) (cs s : nat) (ty : option ObjType)
                  (need_read need_write : bool) : res Cap :=
  check (s <? NSLOTS) else E_BAD_SLOT ;;
  let k := cap st cs s in
  check negb (ot_eqb (cap_type k) OT_FREE) else E_EMPTY ;;
  check cap_valid st k else E_STALE ;;
  check (match ty with None => true | Some t => ot_eqb (cap_type k) t end)
    else E_WRONG_TYPE ;;
  check (implb need_read (cap_read k) && implb need_write (cap_write k))
    else E_NO_RIGHTS ;;
  Ok k.

(** free_dst(cs, d): the destination slot exists and is empty. *)
Definition free_dst (st : State) (cs d : nat) : res unit :=
  check (d <? NSLOTS) else E_BAD_SLOT ;;
  check ot_eqb (cap_type (cap st cs d)) OT_FREE else E_OCCUPIED ;;
  Ok tt.

(** [forall_below n p]: [p d] holds for every [d < n]. *)
Fixpoint forall_below (n : nat) (p : nat -> bool) : bool :=
  match n with
  | 0 => true
  | S m => forall_below m p && p m
  end.

(** ** Charging and uncharging

    The ancestors of [c], itself included, are [c_anc c d] for
    [d <= c_depth c]; equivalently the [a] with [in_subtree st c a]. *)

Definition can_charge (st : State) (c : nat) : bool :=
  forall_below (S (c_depth st c))
    (fun d => let a := c_anc st c d in c_usage st a + 1 <=? c_limit st a).

(** Add [n] to the usage of every ancestor of [c] (itself included). *)
Definition add_usage_path (st : State) (c n : nat) : nat -> nat :=
  fun a => if in_subtree st c a then c_usage st a + n else c_usage st a.

(** Subtract [n] from the usage of every ancestor of [c]. *)
Definition sub_usage_path (st : State) (c n : nat) : nat -> nat :=
  fun a => if in_subtree st c a then c_usage st a - n else c_usage st a.

Definition with_usage_own (st : State) (u o : nat -> nat) : State :=
  {| frame_type := frame_type st; frame_owner := frame_owner st;
     frame_gen := frame_gen st; c_limit := c_limit st; c_usage := u;
     c_own := o; c_depth := c_depth st; c_anc := c_anc st;
     cap := cap st; fw := fw st; root_cont := root_cont st |}.

(** Charge one frame to [c]: [c_own c + 1], usage of the path + 1. *)
Definition charge (st : State) (c : nat) : State :=
  with_usage_own st (add_usage_path st c 1) (upd (c_own st) c (c_own st c + 1)).

(** Uncharge one frame owned by [c]. *)
Definition uncharge (st : State) (c : nat) : State :=
  with_usage_own st (sub_usage_path st c 1) (upd (c_own st) c (c_own st c - 1)).

(** ** Allocation: always the lowest-index free frame *)

Fixpoint lowest_free_below (st : State) (n : nat) : option nat :=
  match n with
  | 0 => None
  | S m =>
      match lowest_free_below st m with
      | Some f => Some f
      | None => if is_type st m OT_FREE then Some m else None
      end
  end.

Definition lowest_free (st : State) : option nat := lowest_free_below st NFRAMES.

(** Turn free frame [f] into a fresh object of type [t] paid by [owner]:
    zeroed state (an empty capability space, an empty forwarder). The
    generation is kept: it is what makes old capabilities to [f] stale. *)
Definition make_object (st : State) (f : nat) (t : ObjType) (owner : nat) : State :=
  {| frame_type := upd (frame_type st) f t;
     frame_owner := upd (frame_owner st) f owner;
     frame_gen := frame_gen st;
     c_limit := c_limit st; c_usage := c_usage st; c_own := c_own st;
     c_depth := c_depth st; c_anc := c_anc st;
     cap := upd (cap st) f (fun _ => null_cap);
     fw := upd (fw st) f null_cap;
     root_cont := root_cont st |}.

(** The container tables of a new container [c], child of [p]. *)
Definition init_container (st : State) (c p limit : nat) : State :=
  let d := S (c_depth st p) in
  {| frame_type := frame_type st; frame_owner := frame_owner st;
     frame_gen := frame_gen st;
     c_limit := upd (c_limit st) c limit;
     c_usage := upd (c_usage st) c 0;
     c_own := upd (c_own st) c 0;
     c_depth := upd (c_depth st) c d;
     c_anc := upd (c_anc st) c
                (fun e => if e <? d then c_anc st p e
                          else if Nat.eqb e d then c else 0);
     cap := cap st; fw := fw st; root_cont := root_cont st |}.

Definition set_fw (st : State) (w : nat) (k : Cap) : State :=
  {| frame_type := frame_type st; frame_owner := frame_owner st;
     frame_gen := frame_gen st; c_limit := c_limit st; c_usage := c_usage st;
     c_own := c_own st; c_depth := c_depth st; c_anc := c_anc st;
     cap := cap st; fw := upd (fw st) w k; root_cont := root_cont st |}.

(** ** Freeing: bump the generation, retire at [GEN_MAX]

    Every capability to the object dies at once because its generation no
    longer matches. A frame whose generation reaches [GEN_MAX] is retired
    and never allocated again. A freed capability space loses its
    capabilities. *)

Definition bumped_type (g : N) : ObjType :=
  if N.eqb g GEN_MAX then OT_RETIRED else OT_FREE.

Definition free_frame (st : State) (f : nat) : State :=
  let g := N.succ (frame_gen st f) in
  {| frame_type := upd (frame_type st) f (bumped_type g);
     frame_owner := frame_owner st;
     frame_gen := upd (frame_gen st) f g;
     c_limit := c_limit st; c_usage := c_usage st; c_own := c_own st;
     c_depth := c_depth st; c_anc := c_anc st;
     cap := upd (cap st) f (fun _ => null_cap);
     fw := fw st; root_cont := root_cont st |}.

(** The pass of [container_destroy]: frames [0 .. n-1], each freed when it
    is live and is the target or is owned by a container of the target's
    subtree. [in_subtree] reads only the container paths, which the pass
    does not change, so the order of the pass does not matter. *)
Definition doomed (st : State) (t f : nat) : bool :=
  live st f && (Nat.eqb f t || in_subtree st (frame_owner st f) t).

Fixpoint destroy_pass (st : State) (t n : nat) : State :=
  match n with
  | 0 => st
  | S m =>
      let st' := destroy_pass st t m in
      if doomed st' t m then free_frame st' m else st'
  end.

(** ** Forwarders *)

(** Attenuate rights: the result has at most the rights of [k]. *)
Definition restrict (k : Cap) (r w g : bool) : Cap :=
  mkCap (cap_type k) (cap_obj k) (cap_gen k)
        (cap_read k && r) (cap_write k && w) (cap_grant k && g) (cap_badge k).

(** Follow forwarders from a valid capability [k], at most [fuel] of them.
    The result has the final target's type, object, generation and badge,
    and the rights intersected along the chain. *)
Fixpoint resolve_chain (st : State) (fuel : nat) (k : Cap) : res Cap :=
  if ot_eqb (cap_type k) OT_FORWARDER then
    match fuel with
    | 0 => Err E_TOO_DEEP
    | S n =>
        let t := fw st (cap_obj k) in
        check cap_valid st t else E_STALE ;;
        let* r := resolve_chain st n t in
        Ok (restrict r (cap_read k) (cap_write k) (cap_grant k))
    end
  else Ok k.

(** Number of forwarders a new forwarder over [k] would stand in front of:
    the valid forwarder links of the chain starting at [k], counted up to
    [fuel]; a dead link ends the chain. *)
Fixpoint fwd_chain_len (st : State) (fuel : nat) (k : Cap) : nat :=
  match fuel with
  | 0 => 0
  | S n => if ot_eqb (cap_type k) OT_FORWARDER && cap_valid st k
           then S (fwd_chain_len st n (fw st (cap_obj k)))
           else 0
  end.

(** ACSL's [fwd_chain] (model.acsl) is this count, over the fields of
    [k]: fwd_create's contract says E_TOO_DEEP exactly when it is
    [MAXFWD]. *)
Definition fwd_chain (st : State) (fuel : nat) (k : Cap) : nat :=
  fwd_chain_len st fuel k.

(** ACSL's [chain_grant] and [resolved_grant] (model.acsl): the grant
    right at the end of the forwarder chain from [k], every forwarder's on
    the way and [k]'s own, within [fuel] hops. Read where the resolve
    succeeds ([resolve_chain]), where it is the resolved capability's grant
    right: ipc_send's contract says a message with capabilities goes only
    through an endpoint capability for which it holds. *)
Fixpoint chain_grant (st : State) (fuel : nat) (k : Cap) : bool :=
  if ot_eqb (cap_type k) OT_FORWARDER then
    match fuel with
    | 0 => false
    | S n => let t := fw st (cap_obj k) in cap_grant t && chain_grant st n t
    end
  else true.

Definition resolved_grant (st : State) (k : Cap) : bool :=
  cap_grant k && chain_grant st MAXFWD k.

(** ** Results of operations *)

(** A state-changing operation: on error, the state is unchanged. *)
Definition commit (st : State) (r : res State) : error * State :=
  match r with
  | Ok st' => (E_OK, st')
  | Err e => (e, st)
  end.

(** A query: it never changes the state; [dflt] is returned on error. *)
Definition answer {A : Type} (st : State) (dflt : A) (r : res A)
  : error * A * State :=
  match r with
  | Ok a => (E_OK, a, st)
  | Err e => (e, dflt, st)
  end.

Definition alloc_frame (st : State) : res nat :=
  match lowest_free st with Some f => Ok f | None => Err E_NO_MEMORY end.

(** ** Boot *)

Definition empty_state : State :=
  {| frame_type := fun _ => OT_FREE; frame_owner := fun _ => 0;
     frame_gen := fun _ => 0%N; c_limit := fun _ => 0; c_usage := fun _ => 0;
     c_own := fun _ => 0; c_depth := fun _ => 0; c_anc := fun _ _ => 0;
     cap := fun _ _ => null_cap; fw := fun _ => null_cap; root_cont := 0 |}.

Definition init_state (r cs : nat) : State :=
  let ft := upd (upd (fun _ => OT_FREE) r OT_CONTAINER) cs OT_CSPACE in
  let root_cap := mkCap OT_CONTAINER r 0%N true true true 0%N in
  let cs_cap := mkCap OT_CSPACE cs 0%N true true true 0%N in
  {| frame_type := ft;
     frame_owner := upd (upd (fun _ => 0) r r) cs r;
     frame_gen := fun _ => 0%N;
     c_limit := upd (fun _ => 0) r NFRAMES;
     c_usage := upd (fun _ => 0) r 2;
     c_own := upd (fun _ => 0) r 2;
     c_depth := fun _ => 0;
     c_anc := upd (fun _ _ => 0) r (upd (fun _ => 0) 0 r);
     cap := upd (fun _ _ => null_cap) cs
              (upd (upd (fun _ => null_cap) 0 root_cap) 1 cs_cap);
     fw := fun _ => null_cap;
     root_cont := r |}.

(* C: kernel_init *)
(** Boot: every frame free, [r] the root container (depth 0, limit
    NFRAMES, owning itself and [cs]), [cs] a capability space holding the
    root capability in slot 0 and a capability to itself in slot 1. The C
    requires [r <> cs], both below NFRAMES; the spec reports [E_BAD_ARG]. *)
Definition kernel_init (r cs : nat) : error * State :=
  if (r <? NFRAMES) && (cs <? NFRAMES) && negb (Nat.eqb r cs)
  then (E_OK, init_state r cs)
  else (E_BAD_ARG, empty_state).

(** ** Containers *)

(* C: container_create *)
Definition container_create (st : State) (cs parent_slot dst limit : nat)
  : error * State :=
  commit st (
    check cspace_ok st cs else E_BAD_ARG ;;
    let* pk := lookup st cs parent_slot (Some OT_CONTAINER) false true in
    let p := cap_obj pk in
    let* _ := free_dst st cs dst in
    check (1 <=? limit) && (limit <=? c_limit st p) else E_BAD_ARG ;;
    check (S (c_depth st p) <? MAXDEPTH) else E_TOO_DEEP ;;
    check can_charge st p else E_OVER_LIMIT ;;
    let* c := alloc_frame st in
    (* commit point: nothing below fails *)
    let st1 := init_container (make_object (charge st p) c OT_CONTAINER p) c p limit in
    Ok (set_cap st1 cs dst (full_cap st1 c))).

(** The object types [obj_alloc] may create; containers, forwarders and
    processes have their own operations. *)
Definition allocatable (t : ObjType) : bool :=
  match t with
  | OT_CSPACE | OT_FRAME | OT_ENDPOINT | OT_NOTIFICATION | OT_TIMER => true
  | _ => false
  end.

Definition alloc_type (code : nat) : res ObjType :=
  match objtype_of_code code with
  | Some t => if allocatable t then Ok t else Err E_BAD_ARG
  | None => Err E_BAD_ARG
  end.

(** [obj_alloc] and [typed_alloc]: a new object of the type [rt] gives (or
    its error), in the lowest free frame, paid for by the container in
    [cont_slot], with a full capability in [dst]. *)
Definition alloc_object (st : State) (cs cont_slot : nat) (rt : res ObjType)
  (dst : nat) : error * State :=
  commit st (
    check cspace_ok st cs else E_BAD_ARG ;;
    let* ck := lookup st cs cont_slot (Some OT_CONTAINER) false true in
    let c := cap_obj ck in
    let* t := rt in
    let* _ := free_dst st cs dst in
    check can_charge st c else E_OVER_LIMIT ;;
    let* f := alloc_frame st in
    let st1 := make_object (charge st c) f t c in
    Ok (set_cap st1 cs dst (full_cap st1 f))).

(* C: obj_alloc *)
Definition obj_alloc (st : State) (cs cont_slot type_code dst : nat)
  : error * State :=
  alloc_object st cs cont_slot (alloc_type type_code) dst.

(** The types [typed_alloc] makes at boot, which no syscall may ask
    [obj_alloc] for (an interrupt handler, the third such type, is
    [irq_handler_create]'s: it takes a source too). *)
Definition kernel_made (t : ObjType) : bool :=
  match t with
  | OT_DEVICE | OT_IRQ_CONTROL => true
  | _ => false
  end.

(* C: typed_alloc *)
(** A device page or the IRQ-control object, made at boot by the
    architecture layer (which numbers the frames so that the device pages
    it makes are not RAM, and knows which physical page each is). (The C
    requires one of the two types; here another type is [E_BAD_ARG], so
    that the step relation may take any.) *)
Definition typed_alloc (st : State) (cs cont_slot : nat) (t : ObjType) (dst : nat)
  : error * State :=
  alloc_object st cs cont_slot (if kernel_made t then Ok t else Err E_BAD_ARG) dst.

(** The allocation inside [irq_handler_create] (Procs.v), once its own
    guards have passed: an interrupt handler, charged like any object
    (C: the commit [irq_handler_create] shares with [obj_alloc]). *)
Definition handler_alloc (st : State) (cs cont_slot dst : nat) : error * State :=
  alloc_object st cs cont_slot (Ok OT_IRQ_HANDLER) dst.

(* C: obj_free *)
(** Free a non-container object allocated from the subtree of the
    container named by [cont_slot] (a device page is never freed). The slot naming the object keeps its
    (now stale) capability. *)
Definition obj_free (st : State) (cs cont_slot obj_slot : nat) : error * State :=
  commit st (
    check cspace_ok st cs else E_BAD_ARG ;;
    let* ck := lookup st cs cont_slot (Some OT_CONTAINER) false true in
    let* ok := lookup st cs obj_slot None false false in
    let o := cap_obj ok in
    check negb (ot_eqb (cap_type ok) OT_CONTAINER) &&
          negb (ot_eqb (cap_type ok) OT_DEVICE) else E_WRONG_TYPE ;;
    check in_subtree st (frame_owner st o) (cap_obj ck) else E_NOT_OWNER ;;
    Ok (free_frame (uncharge st (frame_owner st o)) o)).

(* C: container_destroy *)
(** Destroy the container named by [target_slot] and everything allocated
    from its subtree. Its parent chain gives back [c_usage t + 1] frames
    (the subtree's frames and the target's own frame, which the parent
    paid for). *)
Definition container_destroy (st : State) (cs cont_slot target_slot : nat)
  : error * State :=
  commit st (
    check cspace_ok st cs else E_BAD_ARG ;;
    let* ck := lookup st cs cont_slot (Some OT_CONTAINER) false true in
    let* tk := lookup st cs target_slot (Some OT_CONTAINER) false true in
    let t := cap_obj tk in
    check negb (Nat.eqb t (root_cont st)) else E_ROOT ;;
    check in_subtree st t (cap_obj ck) else E_NOT_OWNER ;;
    let p := c_anc st t (c_depth st t - 1) in
    let st1 := with_usage_own st (sub_usage_path st p (S (c_usage st t)))
                                 (upd (c_own st) p (c_own st p - 1)) in
    Ok (destroy_pass st1 t NFRAMES)).

(* C: container_info *)
(** Returns [(c_limit, c_usage)]. *)
Definition container_info (st : State) (cs slot : nat) : error * (nat * nat) * State :=
  answer st (0, 0) (
    check cspace_ok st cs else E_BAD_ARG ;;
    let* k := lookup st cs slot (Some OT_CONTAINER) true false in
    Ok (c_limit st (cap_obj k), c_usage st (cap_obj k))).

(** ** Capabilities *)

(* C: cap_copy *)
Definition cap_copy (st : State) (cs src dst_cs dst r w g : nat) : error * State :=
  commit st (
    check cspace_ok st cs && cspace_ok st dst_cs else E_BAD_ARG ;;
    check is_bit r && is_bit w && is_bit g else E_BAD_ARG ;;
    let* k := lookup st cs src None false false in
    let* _ := free_dst st dst_cs dst in
    Ok (set_cap st dst_cs dst (restrict k (bit r) (bit w) (bit g)))).

Definition with_badge (k : Cap) (b : N) : Cap :=
  mkCap (cap_type k) (cap_obj k) (cap_gen k)
        (cap_read k) (cap_write k) (cap_grant k) b.

(* C: cap_mint *)
Definition cap_mint (st : State) (cs src dst_cs dst r w g : nat) (badge : N)
  : error * State :=
  commit st (
    check cspace_ok st cs && cspace_ok st dst_cs else E_BAD_ARG ;;
    check is_bit r && is_bit w && is_bit g else E_BAD_ARG ;;
    let* k := lookup st cs src None false false in
    let* _ := free_dst st dst_cs dst in
    check N.eqb (cap_badge k) 0 else E_BAD_ARG ;;
    Ok (set_cap st dst_cs dst (with_badge (restrict k (bit r) (bit w) (bit g)) badge))).

(* C: cap_move *)
Definition cap_move (st : State) (cs src dst_cs dst : nat) : error * State :=
  commit st (
    check cspace_ok st cs && cspace_ok st dst_cs else E_BAD_ARG ;;
    let* k := lookup st cs src None false false in
    let* _ := free_dst st dst_cs dst in
    Ok (set_cap (set_cap st dst_cs dst k) cs src null_cap)).

(* C: cap_delete *)
Definition cap_delete (st : State) (cs slot : nat) : error * State :=
  commit st (
    check cspace_ok st cs else E_BAD_ARG ;;
    check (slot <? NSLOTS) else E_BAD_SLOT ;;
    check negb (ot_eqb (cap_type (cap st cs slot)) OT_FREE) else E_EMPTY ;;
    Ok (set_cap st cs slot null_cap)).

(* C: cap_resolve *)
(** The capability that [slot] finally designates, through forwarders. *)
Definition cap_resolve (st : State) (cs slot : nat) : error * Cap * State :=
  answer st null_cap (
    check cspace_ok st cs else E_BAD_ARG ;;
    let* k := lookup st cs slot None false false in
    resolve_chain st MAXFWD k).

(* C: cap_identify *)
(** Branding: [(1, badge)] when [ref] and [slot] resolve to the same
    object ([badge] is that of [slot]'s resolution), else [(0, 0)]. *)
Definition cap_identify (st : State) (cs ref slot : nat) : error * (nat * N) * State :=
  answer st (0, 0%N) (
    check cspace_ok st cs else E_BAD_ARG ;;
    let* rk := lookup st cs ref None false false in
    let* sk := lookup st cs slot None false false in
    match resolve_chain st MAXFWD rk, resolve_chain st MAXFWD sk with
    | Ok a, Ok b =>
        if Nat.eqb (cap_obj a) (cap_obj b) then Ok (1, cap_badge b) else Ok (0, 0%N)
    | _, _ => Ok (0, 0%N)
    end).

(* C: fwd_create *)
(** A forwarder standing in front of the capability in [target_slot]. The
    new capability to it carries the target's rights and badge 0. *)
Definition fwd_create (st : State) (cs cont_slot target_slot dst : nat)
  : error * State :=
  commit st (
    check cspace_ok st cs else E_BAD_ARG ;;
    let* ck := lookup st cs cont_slot (Some OT_CONTAINER) false true in
    let c := cap_obj ck in
    let* tk := lookup st cs target_slot None false false in
    check (S (fwd_chain_len st MAXFWD tk) <=? MAXFWD) else E_TOO_DEEP ;;
    let* _ := free_dst st cs dst in
    check can_charge st c else E_OVER_LIMIT ;;
    let* w := alloc_frame st in
    let st1 := set_fw (make_object (charge st c) w OT_FORWARDER c) w tk in
    Ok (set_cap st1 cs dst
          (mkCap OT_FORWARDER w (frame_gen st1 w)
                 (cap_read tk) (cap_write tk) (cap_grant tk) 0%N))).

End Sized.
