(** * Model: the abstract kernel state

    This file is the Coq side of [docs/MODEL.md]: the sizes, the object
    types, the error codes, and the kernel state as a set of index-based
    tables, exactly the tables the C core keeps in [kernel/include/state.h].
    The operations on this state are in [Ops.v].

    Representation choices (so that proofs stay small):
    - every table is a total function from frame index ([nat]) to a value;
      only indices below [NFRAMES] (or [NSLOTS]) are meaningful;
    - an update is a function override ([upd]);
    - generations and badges are binary naturals ([N]) because they are
      32- and 64-bit values in C; everything else is [nat];
    - the three rights of a capability are booleans (the C keeps them as
      separate 0/1 fields, which is the same thing). *)

From Coq Require Import Arith NArith Bool Lia.

(** ** Sizes ([kernel/include/param.h]) *)

(** The size of the object universe ([NFRAMES] frames) and of a capability
    space ([NSLOTS] slots) are parameters of the model: the other files
    open a section over an instance of [Sizes], so every operation takes
    one and every theorem holds for all of them. The one fact a proof
    needs is that the root container and its capability space
    ([kernel_init]) fit. The C kernel's sizes are [kernel_sizes]; the
    conformance test ([tests/spec]) also runs a small instance. *)
Class Sizes := {
  NFRAMES : nat;
  NSLOTS  : nat;
  NFRAMES_two : 2 <= NFRAMES
}.

(** [kernel/include/param.h]: what the kernel is built with (not an
    [Instance]: inside the sections only the section's own one is found) *)
Definition kernel_sizes : Sizes := {| NFRAMES := 1024; NSLOTS := 128; NFRAMES_two := ltac:(repeat constructor) |}.

Definition MAXDEPTH : nat := 8.
Definition MAXFWD   : nat := 4.
Definition GEN_MAX  : N   := 4294967295%N.   (* 0xFFFFFFFF *)

(** ** Object types, in the order of the C X-macro *)

Inductive ObjType :=
| OT_FREE | OT_CONTAINER | OT_CSPACE | OT_FRAME | OT_FORWARDER
| OT_ENDPOINT | OT_NOTIFICATION | OT_PROCESS | OT_PAGETABLE
(* issue 15: device pages, interrupt control and handlers *)
| OT_DEVICE | OT_IRQ_CONTROL | OT_IRQ_HANDLER
(* issue 15: timers *)
| OT_TIMER
| OT_RETIRED.

Definition objtype_code (t : ObjType) : nat :=
  match t with
  | OT_FREE => 0 | OT_CONTAINER => 1 | OT_CSPACE => 2 | OT_FRAME => 3
  | OT_FORWARDER => 4 | OT_ENDPOINT => 5 | OT_NOTIFICATION => 6
  | OT_PROCESS => 7 | OT_PAGETABLE => 8 | OT_DEVICE => 9
  | OT_IRQ_CONTROL => 10 | OT_IRQ_HANDLER => 11 | OT_TIMER => 12 | OT_RETIRED => 13
  end.

(** The type argument of [obj_alloc] arrives as a number from user space. *)
Definition objtype_of_code (n : nat) : option ObjType :=
  match n with
  | 0 => Some OT_FREE | 1 => Some OT_CONTAINER | 2 => Some OT_CSPACE
  | 3 => Some OT_FRAME | 4 => Some OT_FORWARDER | 5 => Some OT_ENDPOINT
  | 6 => Some OT_NOTIFICATION | 7 => Some OT_PROCESS
  | 8 => Some OT_PAGETABLE | 9 => Some OT_DEVICE | 10 => Some OT_IRQ_CONTROL
  | 11 => Some OT_IRQ_HANDLER | 12 => Some OT_TIMER | 13 => Some OT_RETIRED | _ => None
  end.

Definition ot_eqb (a b : ObjType) : bool := Nat.eqb (objtype_code a) (objtype_code b).

Lemma ot_eqb_eq : forall a b, ot_eqb a b = true <-> a = b.
Proof.
  intros a b; unfold ot_eqb; split; intro H.
  - destruct a, b; simpl in H; congruence.
  - subst; apply Nat.eqb_refl.
Qed.

(** ** Errors ([kernel/include/abi.h]), same order as the C codes *)

Inductive error :=
| E_OK | E_BAD_SLOT | E_EMPTY | E_STALE | E_WRONG_TYPE | E_NO_RIGHTS
| E_OCCUPIED | E_OVER_LIMIT | E_NO_MEMORY | E_TOO_DEEP | E_BAD_ARG
| E_ROOT | E_NOT_OWNER
(* issue 4: processes, address spaces, IPC (kernel/include/abi.h) *)
| E_BAD_SYSCALL | E_BAD_STATE | E_NOT_EMPTY | E_FAULT | E_MAPPED
| E_NOT_MAPPED | E_NO_REPLY | E_CANCELLED
(* issue 15 *)
| E_IN_USE.

Definition error_code (e : error) : nat :=
  match e with
  | E_OK => 0 | E_BAD_SLOT => 1 | E_EMPTY => 2 | E_STALE => 3
  | E_WRONG_TYPE => 4 | E_NO_RIGHTS => 5 | E_OCCUPIED => 6
  | E_OVER_LIMIT => 7 | E_NO_MEMORY => 8 | E_TOO_DEEP => 9
  | E_BAD_ARG => 10 | E_ROOT => 11 | E_NOT_OWNER => 12
  | E_BAD_SYSCALL => 13 | E_BAD_STATE => 14 | E_NOT_EMPTY => 15
  | E_FAULT => 16 | E_MAPPED => 17 | E_NOT_MAPPED => 18
  | E_NO_REPLY => 19 | E_CANCELLED => 20 | E_IN_USE => 21
  end.

(** ** Capabilities

    A capability is a small value. The same record describes a slot of a
    capability space ([cap_type], [cap_obj], ... in MODEL.md) and the
    target held by a forwarder ([fw_type], [fw_obj], ...). *)

Record Cap := mkCap {
  cap_type  : ObjType;   (* OT_FREE: the slot is empty *)
  cap_obj   : nat;       (* frame index of the designated object *)
  cap_gen   : N;         (* the object's generation when the cap was made *)
  cap_read  : bool;
  cap_write : bool;
  cap_grant : bool;
  cap_badge : N          (* 0 = unbadged *)
}.

Definition null_cap : Cap := mkCap OT_FREE 0 0%N false false false 0%N.

(** ** The kernel state *)

Record State := mkState {
  (* per frame *)
  frame_type  : nat -> ObjType;
  frame_owner : nat -> nat;
  frame_gen   : nat -> N;
  (* per container (meaningful when frame_type c = OT_CONTAINER) *)
  c_limit : nat -> nat;
  c_usage : nat -> nat;
  c_own   : nat -> nat;
  c_depth : nat -> nat;
  c_anc   : nat -> nat -> nat;       (* c_anc c d, d <= c_depth c *)
  (* per capability space: cap cs s is slot s of cspace cs *)
  cap : nat -> nat -> Cap;
  (* per forwarder: its target capability (fw_type, fw_obj, ...) *)
  fw : nat -> Cap;
  (* the root container, set by kernel_init *)
  root_cont : nat
}.

(** Processes, scheduling, endpoint queues, notification bits, IPC and
    reply capabilities (issue 4) are modelled in [Procs.v]: their tables
    form a second record, [Procs], next to this [State]; the whole kernel
    state is [KState] there. Page-table contents (Sv39) are not part of
    the portable core and are not modelled. *)

(** ** Table updates *)

Definition upd {A : Type} (f : nat -> A) (i : nat) (v : A) : nat -> A :=
  fun j => if Nat.eqb j i then v else f j.

Lemma upd_eq : forall A (f : nat -> A) i v, upd f i v i = v.
Proof. intros; unfold upd; rewrite Nat.eqb_refl; reflexivity. Qed.

Lemma upd_neq : forall A (f : nat -> A) i j v, j <> i -> upd f i v j = f j.
Proof. intros; unfold upd; destruct (Nat.eqb_spec j i); congruence. Qed.

(** [cap cs s] with slot [s] of [cs] replaced. *)
Definition set_cap (st : State) (cs s : nat) (k : Cap) : State :=
  {| frame_type := frame_type st; frame_owner := frame_owner st;
     frame_gen := frame_gen st; c_limit := c_limit st; c_usage := c_usage st;
     c_own := c_own st; c_depth := c_depth st; c_anc := c_anc st;
     cap := upd (cap st) cs (upd (cap st cs) s k);
     fw := fw st; root_cont := root_cont st |}.

(** ** Derived notions *)

Definition live_type (t : ObjType) : bool :=
  negb (ot_eqb t OT_FREE) && negb (ot_eqb t OT_RETIRED).

Definition live (st : State) (f : nat) : bool := live_type (frame_type st f).

Definition is_type (st : State) (f : nat) (t : ObjType) : bool :=
  ot_eqb (frame_type st f) t.

(** [in_subtree st x c]: container [x] is [c] or one of its descendants.
    First order thanks to the ancestor path (MODEL.md). Read the other way,
    [in_subtree st c a] says that [a] is [c] or one of [c]'s ancestors. *)
Definition in_subtree (st : State) (x c : nat) : bool :=
  (c_depth st c <=? c_depth st x) && Nat.eqb (c_anc st x (c_depth st c)) c.

(** A capability is valid iff it is non-empty and its object is still the
    one it was made for: same type, same generation. *)
Definition cap_valid (st : State) (k : Cap) : bool :=
  negb (ot_eqb (cap_type k) OT_FREE)
  && ot_eqb (frame_type st (cap_obj k)) (cap_type k)
  && N.eqb (frame_gen st (cap_obj k)) (cap_gen k).

(** A fresh capability with all rights to object [f] as it is now. *)
Definition full_cap (st : State) (f : nat) : Cap :=
  mkCap (frame_type st f) f (frame_gen st f) true true true 0%N.

(** Rights given as 0/1 numbers by user space. *)
Definition is_bit (n : nat) : bool := n <=? 1.
Definition bit (n : nat) : bool := Nat.eqb n 1.

(** ** Results

    An operation either fails with an error or succeeds with a value. The
    [bind] makes a guard list read like the C: each guard either passes or
    returns its error. *)

Inductive res (A : Type) : Type :=
| Ok  : A -> res A
| Err : error -> res A.
Arguments Ok {A} _.
Arguments Err {A} _.

Definition bind {A B : Type} (r : res A) (k : A -> res B) : res B :=
  match r with Ok a => k a | Err e => Err e end.

Notation "'let*' x := r 'in' k" := (bind r (fun x => k))
  (at level 200, x name, r at level 100, k at level 200).

(** [guard b e]: passes when [b] holds, else fails with [e]. *)
Definition guard (b : bool) (e : error) : res unit :=
  if b then Ok tt else Err e.

Notation "'check' b 'else' e ;; k" := (bind (guard b e) (fun _ => k))
  (at level 200, b at level 100, e at level 100, k at level 200).
