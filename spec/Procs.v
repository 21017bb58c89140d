(** * Procs: processes, scheduling, IPC and notifications (issue 4)

    The Coq side of docs/MODEL.md, section "Processes, address spaces,
    IPC", and of [kernel/proc.c], [kernel/sched.c], [kernel/ipc.c] with the
    tables of [kernel/include/proc.h]. Same names, same guards in the same
    order, same error codes.

    The state of the whole kernel is the core [State] of [Model.v] (frames,
    containers, capabilities, forwarders) together with the process tables
    [Procs] below: [KState = (core, procs)]. The operations of [Ops.v] act
    on the core and leave the process tables as they are (which is what the
    C does: [obj_free] and [container_destroy] only bump generations, and
    [proc_reap] then retires the process state; see [core_op] below).

    Representation:
    - one field per C table, a total function from frame index (and
      register / word / slot index) to a value, as in [Model.v];
    - the flat C tables [p_regs[REG(p, i)]], [p_mword[MW(p, i)]],
      [p_rslot[MC(p, i)]] are two-argument functions [p_regs p i], ...;
    - register values, labels, badges, bits and generations are [N]
      (64- and 32-bit in C); tickets are [nat] (the C counter is 64-bit and
      saturates at 2^64-1, which [ticket_take] models too);
    - "no process" is [NO_PROC = NFRAMES], "no fault endpoint" is
      [NFRAMES], "no receive slot" is any slot >= [NSLOTS].

    Not modelled here: page-table contents (Sv39 in [arch-riscv/uvm.c] is
    not part of the portable core). A page table is an [OT_PAGETABLE]
    frame, charged like any object ([kobj_alloc]), with an owning process
    ([pt_proc], [pt_proc_gen], set by the architecture layer: [pt_bind]);
    [proc_reap] frees the page tables whose process died. The syscall
    decode layer ([arch-riscv/syscall.c]) is not modelled either: it calls
    these operations with [cur] = the running process. *)

From Coq Require Import Arith NArith Bool Lia.
From Spec Require Import Model Ops.

(** The sizes are parameters (Model.v, [Sizes]): everything below holds
    for every instance. *)
Section Sized.
Context {SZ : Sizes}.

(** ** Sizes ([kernel/include/param.h], [abi.h]) *)

Definition NPRIO     : nat := 8.
Definition MSG_WORDS : nat := 4.
Definition MSG_CAPS  : nat := 2.
Definition NREGS     : nat := 33.      (* x0..x31, pc *)
Definition REG_PC    : nat := 32.
Definition NO_PROC   : nat := NFRAMES.
Definition TICKET_MAX : nat := 18446744073709551615. (* UINT64_MAX *)

(** Argument registers: a0 = x10 ... a7 = x17. *)
Definition A0 : nat := 10.
Definition A1 : nat := 11.
Definition A2 : nat := 12.
Definition A6 : nat := 16.
Definition A7 : nat := 17.

(** ** Process states ([PS_*] in proc.h, same order) *)

Inductive PState :=
| PS_NONE | PS_SUSPENDED | PS_READY | PS_SEND | PS_CALL | PS_RECV
| PS_REPLY | PS_NOTIF | PS_STOPPED.

Definition ps_code (s : PState) : nat :=
  match s with
  | PS_NONE => 0 | PS_SUSPENDED => 1 | PS_READY => 2 | PS_SEND => 3
  | PS_CALL => 4 | PS_RECV => 5 | PS_REPLY => 6 | PS_NOTIF => 7
  | PS_STOPPED => 8
  end.

Definition ps_eqb (a b : PState) : bool := Nat.eqb (ps_code a) (ps_code b).

Lemma ps_eqb_eq : forall a b, ps_eqb a b = true <-> a = b.
Proof.
  intros a b; unfold ps_eqb; split; intro H.
  - destruct a, b; simpl in H; congruence.
  - subst; apply Nat.eqb_refl.
Qed.

(** Blocked in IPC: [PS_SEND .. PS_NOTIF] (the C test
    [st >= PS_SEND && st <= PS_NOTIF]). *)
Definition ps_blocked (s : PState) : bool :=
  (3 <=? ps_code s) && (ps_code s <=? 7).

(** ** The process tables *)

Record Procs := mkProcs {
  p_state       : nat -> PState;
  p_gen         : nat -> N;         (* frame_gen p at creation *)
  p_cspace      : nat -> nat;
  p_cspace_gen  : nat -> N;
  p_prio        : nat -> nat;
  p_ticket      : nat -> nat;
  p_wait        : nat -> nat;       (* object a blocked process waits on *)
  p_wait_gen    : nat -> N;
  p_regs        : nat -> nat -> N;  (* p_regs[REG(p, i)] *)
  p_mlabel      : nat -> N;
  p_mword       : nat -> nat -> N;  (* p_mword[MW(p, i)] *)
  p_mcaps       : nat -> nat;
  p_mbadge      : nat -> N;
  p_reply_to    : nat -> nat;       (* NO_PROC: no reply capability *)
  p_reply_gen   : nat -> N;
  p_reply_tkt   : nat -> nat;
  p_rslot       : nat -> nat -> nat; (* p_rslot[MC(p, i)] *)
  p_fault_ep    : nat -> nat;       (* NFRAMES: none *)
  p_fault_gen   : nat -> N;
  p_fault_badge : nat -> N;
  n_bits        : nat -> N;         (* per notification *)
  pt_proc       : nat -> nat;       (* per page table: its process *)
  pt_proc_gen   : nat -> N;
  cur_proc      : nat;              (* running process, or NO_PROC *)
  next_ticket   : nat
}.

(** Interrupt sources and handlers (issue 15, [kernel/include/irq.h]):
    per source, the handler that took it (frame and generation) and
    whether an interrupt is signalled and not yet acknowledged; per
    handler, its source and its binding (notification, generation,
    badge). [irq_sources] is set once at boot (sources 1 .. irq_sources -
    1), never by an operation. *)
Definition NIRQ : nat := 1024.

(** Armed timers (issue 15, [kernel/include/timers.h]): a fixed table of
    [NTIMERS] rows, each a timer (frame and generation), its deadline in
    ticks of the clock, and the notification (frame, generation) and
    badge it signals; the rows from [tmr_hi] on name no timer
    ([NFRAMES]). The timer objects themselves hold nothing. *)
Definition NTIMERS : nat := 64.
Definition DEADLINE_NEVER : N := 18446744073709551615%N.   (* 2^64 - 1 *)

Record Timers := mkTimers {
  tmr_hi       : nat;
  tmr_obj      : nat -> nat;          (* NFRAMES: no timer *)
  tmr_gen      : nat -> N;
  tmr_deadline : nat -> N;
  tmr_ntfn     : nat -> nat;
  tmr_ngen     : nat -> N;
  tmr_badge    : nat -> N
}.

(* C: timers_init *)
Definition timers_init : Timers :=
  {| tmr_hi := 0; tmr_obj := fun _ => NFRAMES; tmr_gen := fun _ => 0%N;
     tmr_deadline := fun _ => 0%N; tmr_ntfn := fun _ => 0; tmr_ngen := fun _ => 0%N;
     tmr_badge := fun _ => 0%N |}.

Record Irqs := mkIrqs {
  irq_sources : nat;
  irq_handler : nat -> nat;
  irq_hgen    : nat -> N;
  irq_pending : nat -> bool;
  h_src       : nat -> nat;
  h_ntfn      : nat -> nat;          (* NFRAMES: none *)
  h_ngen      : nat -> N;
  h_badge     : nat -> N;
  timers      : Timers
}.

(** What the host builds start with (the kernel's sources come from the
    device tree: [arch-riscv/plic.c]). *)
Definition empty_irqs : Irqs :=
  {| irq_sources := NIRQ; irq_handler := fun _ => 0; irq_hgen := fun _ => 0%N;
     irq_pending := fun _ => false; h_src := fun _ => 0; h_ntfn := fun _ => 0;
     h_ngen := fun _ => 0%N; h_badge := fun _ => 0%N; timers := timers_init |}.

(** The whole kernel state. *)
Record KState := mkKState { core : State; procs : Procs; irqs : Irqs }.

Definition empty_procs : Procs :=
  {| p_state := fun _ => PS_NONE; p_gen := fun _ => 0%N;
     p_cspace := fun _ => 0; p_cspace_gen := fun _ => 0%N;
     p_prio := fun _ => 0; p_ticket := fun _ => 0;
     p_wait := fun _ => 0; p_wait_gen := fun _ => 0%N;
     p_regs := fun _ _ => 0%N; p_mlabel := fun _ => 0%N;
     p_mword := fun _ _ => 0%N; p_mcaps := fun _ => 0;
     p_mbadge := fun _ => 0%N; p_reply_to := fun _ => 0;
     p_reply_gen := fun _ => 0%N; p_reply_tkt := fun _ => 0;
     p_rslot := fun _ _ => 0; p_fault_ep := fun _ => 0;
     p_fault_gen := fun _ => 0%N; p_fault_badge := fun _ => 0%N;
     n_bits := fun _ => 0%N; pt_proc := fun _ => 0;
     pt_proc_gen := fun _ => 0%N; cur_proc := NO_PROC; next_ticket := 0 |}.

(** Boot: the core as [kernel_init] leaves it, no process yet (the
    architecture layer then makes the root task with [kobj_alloc] and
    [proc_make]). *)
Definition kboot (r cs : nat) : error * KState :=
  let (e, st) := kernel_init r cs in (e, mkKState st empty_procs empty_irqs).

(** ** Updating one table

    One small setter per table keeps the operations readable. *)

Definition upd2 {A : Type} (f : nat -> nat -> A) (i j : nat) (v : A) : nat -> nat -> A :=
  upd f i (upd (f i) j v).

Definition set_state (ps : Procs) (p : nat) (s : PState) : Procs :=
  {| p_state := upd (p_state ps) p s; p_gen := p_gen ps; p_cspace := p_cspace ps;
     p_cspace_gen := p_cspace_gen ps; p_prio := p_prio ps; p_ticket := p_ticket ps;
     p_wait := p_wait ps; p_wait_gen := p_wait_gen ps; p_regs := p_regs ps;
     p_mlabel := p_mlabel ps; p_mword := p_mword ps; p_mcaps := p_mcaps ps;
     p_mbadge := p_mbadge ps; p_reply_to := p_reply_to ps;
     p_reply_gen := p_reply_gen ps; p_reply_tkt := p_reply_tkt ps;
     p_rslot := p_rslot ps; p_fault_ep := p_fault_ep ps;
     p_fault_gen := p_fault_gen ps; p_fault_badge := p_fault_badge ps;
     n_bits := n_bits ps; pt_proc := pt_proc ps; pt_proc_gen := pt_proc_gen ps;
     cur_proc := cur_proc ps; next_ticket := next_ticket ps |}.

(** Receive slot [i] of [p] ([sys_set_recv_slots], Decode.v). *)
Definition set_rslot (ps : Procs) (p i s : nat) : Procs :=
  {| p_state := p_state ps; p_gen := p_gen ps; p_cspace := p_cspace ps;
     p_cspace_gen := p_cspace_gen ps; p_prio := p_prio ps; p_ticket := p_ticket ps;
     p_wait := p_wait ps; p_wait_gen := p_wait_gen ps; p_regs := p_regs ps;
     p_mlabel := p_mlabel ps; p_mword := p_mword ps; p_mcaps := p_mcaps ps;
     p_mbadge := p_mbadge ps; p_reply_to := p_reply_to ps;
     p_reply_gen := p_reply_gen ps; p_reply_tkt := p_reply_tkt ps;
     p_rslot := upd2 (p_rslot ps) p i s; p_fault_ep := p_fault_ep ps;
     p_fault_gen := p_fault_gen ps; p_fault_badge := p_fault_badge ps;
     n_bits := n_bits ps; pt_proc := pt_proc ps; pt_proc_gen := pt_proc_gen ps;
     cur_proc := cur_proc ps; next_ticket := next_ticket ps |}.

Definition set_reg (ps : Procs) (p i : nat) (v : N) : Procs :=
  {| p_state := p_state ps; p_gen := p_gen ps; p_cspace := p_cspace ps;
     p_cspace_gen := p_cspace_gen ps; p_prio := p_prio ps; p_ticket := p_ticket ps;
     p_wait := p_wait ps; p_wait_gen := p_wait_gen ps;
     p_regs := upd2 (p_regs ps) p i v;
     p_mlabel := p_mlabel ps; p_mword := p_mword ps; p_mcaps := p_mcaps ps;
     p_mbadge := p_mbadge ps; p_reply_to := p_reply_to ps;
     p_reply_gen := p_reply_gen ps; p_reply_tkt := p_reply_tkt ps;
     p_rslot := p_rslot ps; p_fault_ep := p_fault_ep ps;
     p_fault_gen := p_fault_gen ps; p_fault_badge := p_fault_badge ps;
     n_bits := n_bits ps; pt_proc := pt_proc ps; pt_proc_gen := pt_proc_gen ps;
     cur_proc := cur_proc ps; next_ticket := next_ticket ps |}.

(** Where a process waits, and in which order (state, object, generation,
    ticket). *)
Definition set_wait (ps : Procs) (p : nat) (s : PState) (obj : nat) (g : N) (t : nat)
  : Procs :=
  {| p_state := upd (p_state ps) p s; p_gen := p_gen ps; p_cspace := p_cspace ps;
     p_cspace_gen := p_cspace_gen ps; p_prio := p_prio ps;
     p_ticket := upd (p_ticket ps) p t;
     p_wait := upd (p_wait ps) p obj; p_wait_gen := upd (p_wait_gen ps) p g;
     p_regs := p_regs ps;
     p_mlabel := p_mlabel ps; p_mword := p_mword ps; p_mcaps := p_mcaps ps;
     p_mbadge := p_mbadge ps; p_reply_to := p_reply_to ps;
     p_reply_gen := p_reply_gen ps; p_reply_tkt := p_reply_tkt ps;
     p_rslot := p_rslot ps; p_fault_ep := p_fault_ep ps;
     p_fault_gen := p_fault_gen ps; p_fault_badge := p_fault_badge ps;
     n_bits := n_bits ps; pt_proc := pt_proc ps; pt_proc_gen := pt_proc_gen ps;
     cur_proc := cur_proc ps; next_ticket := next_ticket ps |}.

Definition set_ticket_state (ps : Procs) (p : nat) (s : PState) (t next : nat) : Procs :=
  {| p_state := upd (p_state ps) p s; p_gen := p_gen ps; p_cspace := p_cspace ps;
     p_cspace_gen := p_cspace_gen ps; p_prio := p_prio ps;
     p_ticket := upd (p_ticket ps) p t;
     p_wait := p_wait ps; p_wait_gen := p_wait_gen ps; p_regs := p_regs ps;
     p_mlabel := p_mlabel ps; p_mword := p_mword ps; p_mcaps := p_mcaps ps;
     p_mbadge := p_mbadge ps; p_reply_to := p_reply_to ps;
     p_reply_gen := p_reply_gen ps; p_reply_tkt := p_reply_tkt ps;
     p_rslot := p_rslot ps; p_fault_ep := p_fault_ep ps;
     p_fault_gen := p_fault_gen ps; p_fault_badge := p_fault_badge ps;
     n_bits := n_bits ps; pt_proc := pt_proc ps; pt_proc_gen := pt_proc_gen ps;
     cur_proc := cur_proc ps; next_ticket := next |}.

Definition set_next_ticket (ps : Procs) (next : nat) : Procs :=
  {| p_state := p_state ps; p_gen := p_gen ps; p_cspace := p_cspace ps;
     p_cspace_gen := p_cspace_gen ps; p_prio := p_prio ps; p_ticket := p_ticket ps;
     p_wait := p_wait ps; p_wait_gen := p_wait_gen ps; p_regs := p_regs ps;
     p_mlabel := p_mlabel ps; p_mword := p_mword ps; p_mcaps := p_mcaps ps;
     p_mbadge := p_mbadge ps; p_reply_to := p_reply_to ps;
     p_reply_gen := p_reply_gen ps; p_reply_tkt := p_reply_tkt ps;
     p_rslot := p_rslot ps; p_fault_ep := p_fault_ep ps;
     p_fault_gen := p_fault_gen ps; p_fault_badge := p_fault_badge ps;
     n_bits := n_bits ps; pt_proc := pt_proc ps; pt_proc_gen := pt_proc_gen ps;
     cur_proc := cur_proc ps; next_ticket := next |}.

(** The outgoing message of [p]: label, words, caps descriptor, badge. *)
Definition set_msg (ps : Procs) (p : nat) (label : N) (words : nat -> N)
                   (desc : nat) (badge : N) : Procs :=
  {| p_state := p_state ps; p_gen := p_gen ps; p_cspace := p_cspace ps;
     p_cspace_gen := p_cspace_gen ps; p_prio := p_prio ps; p_ticket := p_ticket ps;
     p_wait := p_wait ps; p_wait_gen := p_wait_gen ps; p_regs := p_regs ps;
     p_mlabel := upd (p_mlabel ps) p label;
     p_mword := upd (p_mword ps) p words;
     p_mcaps := upd (p_mcaps ps) p desc;
     p_mbadge := upd (p_mbadge ps) p badge;
     p_reply_to := p_reply_to ps;
     p_reply_gen := p_reply_gen ps; p_reply_tkt := p_reply_tkt ps;
     p_rslot := p_rslot ps; p_fault_ep := p_fault_ep ps;
     p_fault_gen := p_fault_gen ps; p_fault_badge := p_fault_badge ps;
     n_bits := n_bits ps; pt_proc := pt_proc ps; pt_proc_gen := pt_proc_gen ps;
     cur_proc := cur_proc ps; next_ticket := next_ticket ps |}.

(** The reply capability held by [server]. *)
Definition set_reply (ps : Procs) (server to : nat) (g : N) (t : nat) : Procs :=
  {| p_state := p_state ps; p_gen := p_gen ps; p_cspace := p_cspace ps;
     p_cspace_gen := p_cspace_gen ps; p_prio := p_prio ps; p_ticket := p_ticket ps;
     p_wait := p_wait ps; p_wait_gen := p_wait_gen ps; p_regs := p_regs ps;
     p_mlabel := p_mlabel ps; p_mword := p_mword ps; p_mcaps := p_mcaps ps;
     p_mbadge := p_mbadge ps;
     p_reply_to := upd (p_reply_to ps) server to;
     p_reply_gen := upd (p_reply_gen ps) server g;
     p_reply_tkt := upd (p_reply_tkt ps) server t;
     p_rslot := p_rslot ps; p_fault_ep := p_fault_ep ps;
     p_fault_gen := p_fault_gen ps; p_fault_badge := p_fault_badge ps;
     n_bits := n_bits ps; pt_proc := pt_proc ps; pt_proc_gen := pt_proc_gen ps;
     cur_proc := cur_proc ps; next_ticket := next_ticket ps |}.

(** Only [p_reply_to] (the one-shot use of a reply capability). *)
Definition clear_reply (ps : Procs) (server : nat) : Procs :=
  {| p_state := p_state ps; p_gen := p_gen ps; p_cspace := p_cspace ps;
     p_cspace_gen := p_cspace_gen ps; p_prio := p_prio ps; p_ticket := p_ticket ps;
     p_wait := p_wait ps; p_wait_gen := p_wait_gen ps; p_regs := p_regs ps;
     p_mlabel := p_mlabel ps; p_mword := p_mword ps; p_mcaps := p_mcaps ps;
     p_mbadge := p_mbadge ps;
     p_reply_to := upd (p_reply_to ps) server NO_PROC;
     p_reply_gen := p_reply_gen ps; p_reply_tkt := p_reply_tkt ps;
     p_rslot := p_rslot ps; p_fault_ep := p_fault_ep ps;
     p_fault_gen := p_fault_gen ps; p_fault_badge := p_fault_badge ps;
     n_bits := n_bits ps; pt_proc := pt_proc ps; pt_proc_gen := pt_proc_gen ps;
     cur_proc := cur_proc ps; next_ticket := next_ticket ps |}.

Definition set_fault (ps : Procs) (p ep : nat) (g badge : N) : Procs :=
  {| p_state := p_state ps; p_gen := p_gen ps; p_cspace := p_cspace ps;
     p_cspace_gen := p_cspace_gen ps; p_prio := p_prio ps; p_ticket := p_ticket ps;
     p_wait := p_wait ps; p_wait_gen := p_wait_gen ps; p_regs := p_regs ps;
     p_mlabel := p_mlabel ps; p_mword := p_mword ps; p_mcaps := p_mcaps ps;
     p_mbadge := p_mbadge ps; p_reply_to := p_reply_to ps;
     p_reply_gen := p_reply_gen ps; p_reply_tkt := p_reply_tkt ps;
     p_rslot := p_rslot ps;
     p_fault_ep := upd (p_fault_ep ps) p ep;
     p_fault_gen := upd (p_fault_gen ps) p g;
     p_fault_badge := upd (p_fault_badge ps) p badge;
     n_bits := n_bits ps; pt_proc := pt_proc ps; pt_proc_gen := pt_proc_gen ps;
     cur_proc := cur_proc ps; next_ticket := next_ticket ps |}.

Definition set_bits (ps : Procs) (n : nat) (b : N) : Procs :=
  {| p_state := p_state ps; p_gen := p_gen ps; p_cspace := p_cspace ps;
     p_cspace_gen := p_cspace_gen ps; p_prio := p_prio ps; p_ticket := p_ticket ps;
     p_wait := p_wait ps; p_wait_gen := p_wait_gen ps; p_regs := p_regs ps;
     p_mlabel := p_mlabel ps; p_mword := p_mword ps; p_mcaps := p_mcaps ps;
     p_mbadge := p_mbadge ps; p_reply_to := p_reply_to ps;
     p_reply_gen := p_reply_gen ps; p_reply_tkt := p_reply_tkt ps;
     p_rslot := p_rslot ps; p_fault_ep := p_fault_ep ps;
     p_fault_gen := p_fault_gen ps; p_fault_badge := p_fault_badge ps;
     n_bits := upd (n_bits ps) n b; pt_proc := pt_proc ps; pt_proc_gen := pt_proc_gen ps;
     cur_proc := cur_proc ps; next_ticket := next_ticket ps |}.

Definition set_cur (ps : Procs) (c : nat) : Procs :=
  {| p_state := p_state ps; p_gen := p_gen ps; p_cspace := p_cspace ps;
     p_cspace_gen := p_cspace_gen ps; p_prio := p_prio ps; p_ticket := p_ticket ps;
     p_wait := p_wait ps; p_wait_gen := p_wait_gen ps; p_regs := p_regs ps;
     p_mlabel := p_mlabel ps; p_mword := p_mword ps; p_mcaps := p_mcaps ps;
     p_mbadge := p_mbadge ps; p_reply_to := p_reply_to ps;
     p_reply_gen := p_reply_gen ps; p_reply_tkt := p_reply_tkt ps;
     p_rslot := p_rslot ps; p_fault_ep := p_fault_ep ps;
     p_fault_gen := p_fault_gen ps; p_fault_badge := p_fault_badge ps;
     n_bits := n_bits ps; pt_proc := pt_proc ps; pt_proc_gen := pt_proc_gen ps;
     cur_proc := c; next_ticket := next_ticket ps |}.

Definition set_pt (ps : Procs) (f q : nat) (g : N) : Procs :=
  {| p_state := p_state ps; p_gen := p_gen ps; p_cspace := p_cspace ps;
     p_cspace_gen := p_cspace_gen ps; p_prio := p_prio ps; p_ticket := p_ticket ps;
     p_wait := p_wait ps; p_wait_gen := p_wait_gen ps; p_regs := p_regs ps;
     p_mlabel := p_mlabel ps; p_mword := p_mword ps; p_mcaps := p_mcaps ps;
     p_mbadge := p_mbadge ps; p_reply_to := p_reply_to ps;
     p_reply_gen := p_reply_gen ps; p_reply_tkt := p_reply_tkt ps;
     p_rslot := p_rslot ps; p_fault_ep := p_fault_ep ps;
     p_fault_gen := p_fault_gen ps; p_fault_badge := p_fault_badge ps;
     n_bits := n_bits ps; pt_proc := upd (pt_proc ps) f q;
     pt_proc_gen := upd (pt_proc_gen ps) f g;
     cur_proc := cur_proc ps; next_ticket := next_ticket ps |}.

Definition with_core (ks : KState) (st : State) : KState := mkKState st (procs ks) (irqs ks).
Definition with_procs (ks : KState) (ps : Procs) : KState := mkKState (core ks) ps (irqs ks).
Definition with_irqs (ks : KState) (iq : Irqs) : KState := mkKState (core ks) (procs ks) iq.

(** ** Small C helpers of [sched.c] *)

(* C: ticket_take *)
(** A fresh ticket and the new counter (saturating at UINT64_MAX). *)
Definition ticket_take (ps : Procs) : nat * Procs :=
  let t := next_ticket ps in
  (t, set_next_ticket ps (if t <? TICKET_MAX then S t else t)).

(* C: proc_live *)
(** [p] is a process that exists: its frame still holds the process it
    held at creation, and its state is not [PS_NONE]. *)
Definition proc_live (ks : KState) (p : nat) : bool :=
  (p <? NFRAMES) && negb (ps_eqb (p_state (procs ks) p) PS_NONE)
  && is_type (core ks) p OT_PROCESS
  && N.eqb (frame_gen (core ks) p) (p_gen (procs ks) p).

(* C: obj_live_gen *)
Definition obj_live_gen (ks : KState) (f : nat) (g : N) : bool :=
  (f <? NFRAMES) && live (core ks) f && N.eqb (frame_gen (core ks) f) g.

(* C: proc_ready *)
(** Runnable, at the back of its priority's round robin. *)
Definition proc_ready (ps : Procs) (p : nat) : Procs :=
  let (t, ps1) := ticket_take ps in
  set_ticket_state ps1 p PS_READY t (next_ticket ps1).

(** ** Invocation through forwarders *)

(* C: invoke_lookup *)
(** lookup(slot, any), resolution through forwarders ([cap_resolve]),
    then the resolved type, then the rights. *)
Definition invoke_lookup (st : State) (cs slot : nat) (t : ObjType)
                         (need_r need_w : bool) : res Cap :=
  let* k := lookup st cs slot None false false in
  let* r := resolve_chain st MAXFWD k in
  check ot_eqb (cap_type r) t else E_WRONG_TYPE ;;
  check (implb need_r (cap_read r) && implb need_w (cap_write r)) else E_NO_RIGHTS ;;
  Ok r.

(** ** Process creation *)

(* C: proc_make *)
(** Frame [p] (already an [OT_PROCESS]) gets its process state: suspended,
    registers 0, capability space [space], priority [prio], no reply
    capability, no receive slots, no fault endpoint. *)
Definition proc_make (st : State) (ps : Procs) (p space prio : nat) : Procs :=
  {| p_state := upd (p_state ps) p PS_SUSPENDED;
     p_gen := upd (p_gen ps) p (frame_gen st p);
     p_cspace := upd (p_cspace ps) p space;
     p_cspace_gen := upd (p_cspace_gen ps) p (frame_gen st space);
     p_prio := upd (p_prio ps) p prio;
     p_ticket := upd (p_ticket ps) p 0;
     p_wait := upd (p_wait ps) p NFRAMES;
     p_wait_gen := upd (p_wait_gen ps) p 0%N;
     p_regs := upd (p_regs ps) p (fun _ => 0%N);
     p_mlabel := upd (p_mlabel ps) p 0%N;
     p_mword := upd (p_mword ps) p (fun _ => 0%N);
     p_mcaps := upd (p_mcaps ps) p 0;
     p_mbadge := upd (p_mbadge ps) p 0%N;
     p_reply_to := upd (p_reply_to ps) p NO_PROC;
     p_reply_gen := upd (p_reply_gen ps) p 0%N;
     p_reply_tkt := upd (p_reply_tkt ps) p 0;
     p_rslot := upd (p_rslot ps) p (fun _ => NSLOTS);
     p_fault_ep := upd (p_fault_ep ps) p NFRAMES;
     p_fault_gen := upd (p_fault_gen ps) p 0%N;
     p_fault_badge := upd (p_fault_badge ps) p 0%N;
     n_bits := n_bits ps; pt_proc := pt_proc ps; pt_proc_gen := pt_proc_gen ps;
     cur_proc := cur_proc ps; next_ticket := next_ticket ps |}.

Definition cspace_empty (st : State) (space : nat) : bool :=
  forall_below NSLOTS (fun s => ot_eqb (cap_type (cap st space s)) OT_FREE).

(** A state-changing operation on the whole state. *)
Definition kcommit (ks : KState) (r : res KState) : error * KState :=
  match r with
  | Ok ks' => (E_OK, ks')
  | Err e => (e, ks)
  end.

(* C: proc_create *)
(** Trivial confinement: a new process from the container in [cont_slot],
    with the empty capability space in [cspace_slot], priority at most the
    caller's. The C's preconditions ([cs] a live cspace, [caller] a frame
    index) are guards giving [E_BAD_ARG] here. *)
Definition proc_create (ks : KState) (cs caller cont_slot cspace_slot dst prio : nat)
  : error * KState :=
  let st := core ks in
  kcommit ks (
    check cspace_ok st cs && (caller <? NFRAMES) else E_BAD_ARG ;;
    let* ck := lookup st cs cont_slot (Some OT_CONTAINER) false true in
    let* sk := lookup st cs cspace_slot (Some OT_CSPACE) false true in
    let space := cap_obj sk in
    check cspace_empty st space else E_NOT_EMPTY ;;
    check (prio <? NPRIO) && (prio <=? p_prio (procs ks) caller) else E_BAD_ARG ;;
    let* _ := free_dst st cs dst in
    let c := cap_obj ck in
    check can_charge st c else E_OVER_LIMIT ;;
    let* f := alloc_frame st in
    (* commit point *)
    let st1 := make_object (charge st c) f OT_PROCESS c in
    Ok (mkKState (set_cap st1 cs dst (full_cap st1 f))
                 (proc_make st1 (procs ks) f space prio) (irqs ks))).

(* C: proc_resume *)
Definition proc_resume (ks : KState) (cs slot : nat) : error * KState :=
  let st := core ks in
  kcommit ks (
    check cspace_ok st cs else E_BAD_ARG ;;
    let* r := invoke_lookup st cs slot OT_PROCESS false true in
    let p := cap_obj r in
    let s := p_state (procs ks) p in
    check ps_eqb s PS_SUSPENDED || ps_eqb s PS_STOPPED else E_BAD_STATE ;;
    Ok (with_procs ks (proc_ready (procs ks) p))).

(** The C writes error codes into a0 as numbers. *)
Definition errN (e : error) : N := N.of_nat (error_code e).

(** Take [p] out of any queue: a blocked IPC ends with [E_CANCELLED]. *)
Definition suspend_one (ps : Procs) (p : nat) : Procs :=
  let ps1 := if ps_blocked (p_state ps p) then set_reg ps p A0 (errN E_CANCELLED) else ps in
  set_state ps1 p PS_SUSPENDED.

(* C: proc_suspend *)
Definition proc_suspend (ks : KState) (cs slot : nat) : error * KState :=
  let st := core ks in
  kcommit ks (
    check cspace_ok st cs else E_BAD_ARG ;;
    let* r := invoke_lookup st cs slot OT_PROCESS false true in
    (* a process frame not yet made a process (the C's frame_claim before
       proc_make, never a state between entry points): E_BAD_STATE *)
    check negb (ps_eqb (p_state (procs ks) (cap_obj r)) PS_NONE) else E_BAD_STATE ;;
    Ok (with_procs ks (suspend_one (procs ks) (cap_obj r)))).

(* C: proc_read_reg *)
(** Returns the register's value (0 on error). *)
Definition proc_read_reg (ks : KState) (cs slot reg : nat) : error * N * KState :=
  let st := core ks in
  match (check cspace_ok st cs else E_BAD_ARG ;;
         let* r := invoke_lookup st cs slot OT_PROCESS true false in
         check (1 <=? reg) && (reg <=? REG_PC) else E_BAD_ARG ;;
         check negb (ps_eqb (p_state (procs ks) (cap_obj r)) PS_READY) else E_BAD_STATE ;;
         Ok (p_regs (procs ks) (cap_obj r) reg)) with
  | Ok v => (E_OK, v, ks)
  | Err e => (e, 0%N, ks)
  end.

(* C: proc_write_reg *)
Definition proc_write_reg (ks : KState) (cs slot reg : nat) (value : N) : error * KState :=
  let st := core ks in
  kcommit ks (
    check cspace_ok st cs else E_BAD_ARG ;;
    let* r := invoke_lookup st cs slot OT_PROCESS false true in
    check (1 <=? reg) && (reg <=? REG_PC) else E_BAD_ARG ;;
    check negb (ps_eqb (p_state (procs ks) (cap_obj r)) PS_READY) else E_BAD_STATE ;;
    Ok (with_procs ks (set_reg (procs ks) (cap_obj r) reg value))).

(* C: proc_set_fault *)
(** The process in [slot] (write right, through forwarders) sends its
    faults and exit to the endpoint in [ep_slot] (write right, a direct
    capability: the binding outlives the call, and a forwarder's
    revocation would not reach it), badged with that capability's badge. *)
Definition proc_set_fault (ks : KState) (cs slot ep_slot : nat) : error * KState :=
  let st := core ks in
  kcommit ks (
    check cspace_ok st cs else E_BAD_ARG ;;
    let* p := invoke_lookup st cs slot OT_PROCESS false true in
    let* ep := lookup st cs ep_slot (Some OT_ENDPOINT) false true in
    Ok (with_procs ks (set_fault (procs ks) (cap_obj p) (cap_obj ep)
                         (frame_gen st (cap_obj ep)) (cap_badge ep)))).

(** The object types [kobj_alloc] may make (its C precondition). *)
Definition kobj_type (t : ObjType) : bool :=
  match t with OT_PAGETABLE | OT_PROCESS | OT_FRAME => true | _ => false end.

(* C: kobj_alloc *)
(** A kernel-held object paid by container [cont]: charged exactly like
    [obj_alloc], no capability. Returns the frame ([NFRAMES] on error).
    The C preconditions ([cont] a live container, [t] one of the kernel
    types) are an [E_BAD_ARG] guard here. *)
Definition kobj_alloc (ks : KState) (cont : nat) (t : ObjType) : error * nat * KState :=
  let st := core ks in
  match (check (cont <? NFRAMES) && is_type st cont OT_CONTAINER && kobj_type t else E_BAD_ARG ;;
         check can_charge st cont else E_OVER_LIMIT ;;
         let* f := alloc_frame st in
         Ok (f, make_object (charge st cont) f t cont)) with
  | Ok (f, st') => (E_OK, f, with_core ks st')
  | Err e => (e, NFRAMES, ks)
  end.

(** The architecture layer ([arch-riscv/uvm.c]) records which process a
    page table belongs to right after [kobj_alloc]; not a core entry
    point, so no C partner in [kernel/]. *)
Definition pt_bind (ks : KState) (f q : nat) : KState :=
  with_procs ks (set_pt (procs ks) f q (p_gen (procs ks) q)).

(** ** The reaper *)

(** Pass 1: the process state of every process whose frame died. The C
    writes no record of a dead frame (in the kernel the record is the
    frame's own memory: kernel/include/records.h); a process whose frame
    died is simply no longer a process there, which is what its scans read
    ([proc_live]), and it forgets [cur_proc] if that one died. Here the
    state says it: [PS_NONE]. The conformance dump shows the processes of
    frames of type [OT_PROCESS] only, so the two agree. *)
Definition proc_dead (ks : KState) (p : nat) : bool :=
  negb (ps_eqb (p_state (procs ks) p) PS_NONE) &&
  negb (is_type (core ks) p OT_PROCESS && N.eqb (frame_gen (core ks) p) (p_gen (procs ks) p)).

Definition reap_states (ks : KState) : Procs :=
  let ps := procs ks in
  let dead p := (p <? NFRAMES) && proc_dead ks p in
  {| p_state := fun p => if dead p then PS_NONE else p_state ps p;
     p_gen := p_gen ps; p_cspace := p_cspace ps;
     p_cspace_gen := p_cspace_gen ps; p_prio := p_prio ps; p_ticket := p_ticket ps;
     p_wait := p_wait ps; p_wait_gen := p_wait_gen ps; p_regs := p_regs ps;
     p_mlabel := p_mlabel ps; p_mword := p_mword ps; p_mcaps := p_mcaps ps;
     p_mbadge := p_mbadge ps; p_reply_to := p_reply_to ps;
     p_reply_gen := p_reply_gen ps; p_reply_tkt := p_reply_tkt ps;
     p_rslot := p_rslot ps; p_fault_ep := p_fault_ep ps;
     p_fault_gen := p_fault_gen ps; p_fault_badge := p_fault_badge ps;
     n_bits := n_bits ps; pt_proc := pt_proc ps; pt_proc_gen := pt_proc_gen ps;
     cur_proc := if dead (cur_proc ps) then NO_PROC else cur_proc ps;
     next_ticket := next_ticket ps |}.

(** Pass 2: a blocked process whose partner is gone: for a closed wait for
    a reply, the caller-side process [p_wait] (live, same generation); for
    the others, the object [p_wait] (live, same generation). *)
Definition wait_gone (ks : KState) (p : nat) : bool :=
  let ps := procs ks in
  if ps_eqb (p_state ps p) PS_REPLY
  then negb (proc_live ks (p_wait ps p)) ||
       negb (N.eqb (p_gen ps (p_wait ps p)) (p_wait_gen ps p))
  else negb (obj_live_gen ks (p_wait ps p) (p_wait_gen ps p)).

Definition cancel (ps : Procs) (p : nat) : Procs :=
  proc_ready (set_reg ps p A0 (errN E_CANCELLED)) p.

(** Frames [0 .. n-1] in order (the tickets it hands out follow that
    order). Liveness reads only states [PS_NONE] or not, which this pass
    does not change, so [wait_gone] may read the state before the pass. *)
Fixpoint reap_waits (ks : KState) (n : nat) : Procs :=
  match n with
  | 0 => procs ks
  | S m =>
      let ps := reap_waits ks m in
      if ps_blocked (p_state (procs ks) m) && wait_gone ks m then cancel ps m else ps
  end.

(** Pass 3: free every page table whose process is gone. *)
Definition pt_orphan (ks : KState) (f : nat) : bool :=
  let ps := procs ks in
  is_type (core ks) f OT_PAGETABLE &&
  (negb (proc_live ks (pt_proc ps f)) ||
   negb (N.eqb (p_gen ps (pt_proc ps f)) (pt_proc_gen ps f))).

Fixpoint reap_pts (ks : KState) (n : nat) : State :=
  match n with
  | 0 => core ks
  | S m =>
      let st := reap_pts ks m in
      if pt_orphan (mkKState st (procs ks) (irqs ks)) m
      then free_frame (uncharge st (frame_owner st m)) m
      else st
  end.

(* C: waits_cancel *)
(** After a destruction: pass 1 above, then the waits on dead objects
    cancelled (the C's first pass); [proc_reap]'s first part, and all
    that [obj_gone] runs after [obj_free] of an endpoint or a
    notification (a kernel step of its own: [ks_waits_cancel]). *)
Definition waits_cancel (ks : KState) : KState :=
  let ks1 := with_procs ks (reap_states ks) in
  with_procs ks1 (reap_waits ks1 NFRAMES).

(* C: proc_reap *)
(** After [container_destroy], and [obj_free] of a process
    ([obj_gone]): [waits_cancel], then the page tables of dead processes
    freed (the C's second pass). *)
Definition proc_reap (ks : KState) : KState :=
  let ks2 := waits_cancel ks in
  with_core ks2 (reap_pts ks2 NFRAMES).

(** ** Queues *)

(** The waiter on [obj] in state [s1] or [s2] that has waited longest
    (smallest ticket, lowest frame among equals), scanning [0 .. n-1]. *)
Definition waits_on (ks : KState) (p obj : nat) (s1 s2 : PState) : bool :=
  let ps := procs ks in
  (ps_eqb (p_state ps p) s1 || ps_eqb (p_state ps p) s2) &&
  Nat.eqb (p_wait ps p) obj && N.eqb (p_wait_gen ps p) (frame_gen (core ks) obj) &&
  is_type (core ks) p OT_PROCESS && N.eqb (frame_gen (core ks) p) (p_gen ps p) &&
  (p_cspace ps p <? NFRAMES).

Fixpoint find_waiter_below (ks : KState) (obj : nat) (s1 s2 : PState) (n : nat) : nat :=
  match n with
  | 0 => NO_PROC
  | S m =>
      let best := find_waiter_below ks obj s1 s2 m in
      if waits_on ks m obj s1 s2 &&
         (Nat.eqb best NO_PROC || (p_ticket (procs ks) m <? p_ticket (procs ks) best))
      then m else best
  end.

Definition find_waiter (ks : KState) (obj : nat) (s1 s2 : PState) : nat :=
  find_waiter_below ks obj s1 s2 NFRAMES.

(** ** Messages *)

(** Slot [i] of a caps descriptor [n + 4*s0 + 1024*s1] (8 bits a slot). *)
Definition desc_slot (desc i : nat) : nat :=
  if Nat.eqb i 0 then desc / 4 mod 256 else desc / 1024 mod 256.

Fixpoint msg_check_caps (st : State) (cs desc i n : nat) : res unit :=
  match n with
  | 0 => Ok tt
  | S m =>
      let s := desc_slot desc i in
      let* k := lookup st cs s None false false in
      check cap_grant k else E_NO_RIGHTS ;;
      msg_check_caps st cs desc (S i) m
  end.

(** The capabilities a message names: at most [MSG_CAPS], nothing above
    bit 13, each looked up and holding the grant right. *)
Definition msg_check (st : State) (cs desc : nat) : res unit :=
  let n := desc mod 4 in
  check (n <=? MSG_CAPS) && Nat.eqb (desc / 262144) 0 else E_BAD_ARG ;;
  msg_check_caps st cs desc 0 n.

(** [p]'s outgoing message from its registers a1..a6. *)
Definition msg_load (ps : Procs) (p : nat) (badge : N) : Procs :=
  let r := p_regs ps p in
  set_msg ps p (r A1) (fun i => r (A2 + i)) (N.to_nat (N.modulo (r A6) 262144)) badge.

(** [p]'s capability space is still the live cspace it was given. *)
Definition pcspace_ok (ks : KState) (p : nat) : bool :=
  let c := p_cspace (procs ks) p in
  (c <? NFRAMES) && is_type (core ks) c OT_CSPACE &&
  N.eqb (frame_gen (core ks) c) (p_cspace_gen (procs ks) p).

(** COPY slot [s] of [fcs] into empty slot [d] of [tcs] if it looks up and
    has the grant right: exactly [cap_copy] with all rights kept. *)
Definition copy_one (st : State) (fcs s tcs d : nat) : bool * State :=
  match lookup st fcs s None false false with
  | Ok k =>
      if cap_grant k then
        match cap_copy st fcs s tcs d 1 1 1 with
        | (E_OK, st') => (true, st')
        | (_, _) => (false, st)
        end
      else (false, st)
  | Err _ => (false, st)
  end.

(** One capability of a message: the [i]-th ([bitv] its bit in the mask)
    goes to [to]'s receive slot [i], if the message has it and the slot is
    one. *)
Definition transfer_step (ps : Procs) (fcs tcs to desc n i bitv : nat)
                         (acc : nat * State) : nat * State :=
  let (mask, st0) := acc in
  let d := p_rslot ps to i in
  if (i <? n) && (d <? NSLOTS) then
    let (ok, st1) := copy_one st0 fcs (desc_slot desc i) tcs d in
    (if ok then mask + bitv else mask, st1)
  else (mask, st0).

(** The capabilities of [from]'s message into [to]'s receive slots, in
    order; returns the mask of those that arrived. *)
Definition caps_transfer (ks : KState) (from to : nat) : nat * State :=
  let ps := procs ks in
  let st := core ks in
  let desc := p_mcaps ps from in
  let n := desc mod 4 in
  if Nat.eqb n 0 || negb (pcspace_ok ks from) || negb (pcspace_ok ks to) then (0, st)
  else
    let fcs := p_cspace ps from in
    let tcs := p_cspace ps to in
    transfer_step ps fcs tcs to desc n 1 2 (transfer_step ps fcs tcs to desc n 0 1 (0, st)).

(** [from]'s message into [to]'s registers: a0 = OK, a1 = badge, a2 =
    label, a3..a6 = words, a7 = mask. *)
Definition deliver_msg (ps : Procs) (from to mask : nat) : Procs :=
  let ps1 := set_reg ps to A0 (errN E_OK) in
  let ps2 := set_reg ps1 to A1 (p_mbadge ps from) in
  let ps3 := set_reg ps2 to A2 (p_mlabel ps from) in
  let ps4 := set_reg ps3 to 13 (p_mword ps from 0) in
  let ps5 := set_reg ps4 to 14 (p_mword ps from 1) in
  let ps6 := set_reg ps5 to 15 (p_mword ps from 2) in
  let ps7 := set_reg ps6 to 16 (p_mword ps from 3) in
  set_reg ps7 to A7 (N.of_nat mask).

Definition deliver (ks : KState) (from to : nat) : KState :=
  let (mask, st') := caps_transfer ks from to in
  mkKState st' (deliver_msg (procs ks) from to mask) (irqs ks).

(** [caller] waits for [server]'s reply; [server] holds the reply
    capability (caller, its generation, the ticket of this wait). *)
Definition await_reply (ps : Procs) (caller server : nat) : Procs :=
  let (t, ps1) := ticket_take ps in
  let ps2 := set_wait ps1 caller PS_REPLY server (p_gen ps server) t in
  set_reply ps2 server caller (p_gen ps caller) t.

Definition block_on (ks : KState) (p : nat) (s : PState) (obj : nat) : Procs :=
  let (t, ps1) := ticket_take (procs ks) in
  set_wait ps1 p s obj (frame_gen (core ks) obj) t.

(** The caller of an IPC operation is the running process: live, ready,
    with a live capability space (the C's precondition; a guard giving
    [E_BAD_ARG] here). *)
Definition cur_ok (ks : KState) (cur : nat) : bool :=
  proc_live ks cur && ps_eqb (p_state (procs ks) cur) PS_READY &&
  cspace_ok (core ks) (p_cspace (procs ks) cur).

(** The caps descriptor of [cur]'s message: below 2^20. *)
Definition desc_of (ks : KState) (cur : nat) : res nat :=
  let a6 := p_regs (procs ks) cur A6 in
  check (a6 <? 1048576)%N else E_BAD_ARG ;;
  Ok (N.to_nat a6).

(* C: ipc_send *)
(** First step of a send ([is_call = 0]) or call: the guards, the message
    taken, and either the receiver that waited longest (second result;
    [ipc_send_to] then delivers) or [cur] blocked in the send queue
    ([NO_PROC]). *)
Definition ipc_send (ks : KState) (cur ep_slot is_call : nat) : error * nat * KState :=
  let st := core ks in
  let cs := p_cspace (procs ks) cur in
  match (check cur_ok ks cur else E_BAD_ARG ;;
         let* e := invoke_lookup st cs ep_slot OT_ENDPOINT false true in
         let* desc := desc_of ks cur in
         let* _ := msg_check st cs desc in
         check negb (negb (Nat.eqb (desc mod 4) 0) && negb (cap_grant e)) else E_NO_RIGHTS ;;
         Ok e) with
  | Err e => (e, NO_PROC, ks)
  | Ok e =>
      let ep := cap_obj e in
      let ks1 := with_procs ks (msg_load (procs ks) cur (cap_badge e)) in
      let r := find_waiter ks1 ep PS_RECV PS_RECV in
      if Nat.eqb r NO_PROC
      then (E_OK, NO_PROC,
            with_procs ks1 (block_on ks1 cur (if Nat.eqb is_call 0 then PS_SEND else PS_CALL) ep))
      else (E_OK, r, ks1)
  end.

(* C: ipc_send_to *)
(** Second step: deliver to receiver [r], make it ready; a send completes
    (cur's a0 = OK), a call waits for [r]'s reply. *)
Definition ipc_send_to (ks : KState) (cur r is_call : nat) : KState :=
  let ks1 := deliver ks cur r in
  let ps2 := proc_ready (procs ks1) r in
  let ps3 := if Nat.eqb is_call 0 then set_reg ps2 cur A0 (errN E_OK)
             else await_reply ps2 cur r in
  with_procs ks1 ps3.

(** A whole send or call, as the syscall layer does it. *)
Definition ipc_send_full (ks : KState) (cur ep_slot is_call : nat) : error * KState :=
  let '(e, r, ks1) := ipc_send ks cur ep_slot is_call in
  if Nat.eqb r NO_PROC then (e, ks1) else (e, ipc_send_to ks1 cur r is_call).

(* C: ipc_recv *)
Definition ipc_recv (ks : KState) (cur ep_slot : nat) : error * KState :=
  let st := core ks in
  let cs := p_cspace (procs ks) cur in
  kcommit ks (
    check cur_ok ks cur else E_BAD_ARG ;;
    let* e := invoke_lookup st cs ep_slot OT_ENDPOINT true false in
    let ep := cap_obj e in
    let s := find_waiter ks ep PS_SEND PS_CALL in
    if Nat.eqb s NO_PROC then Ok (with_procs ks (block_on ks cur PS_RECV ep))
    else
      let ks1 := deliver ks s cur in
      let ps1 := procs ks1 in
      if ps_eqb (p_state ps1 s) PS_CALL
      then Ok (with_procs ks1 (await_reply ps1 s cur))
      else Ok (with_procs ks1 (proc_ready (set_reg ps1 s A0 (errN E_OK)) s))).

(** The reply capability of [cur] still names a caller waiting for
    exactly this reply. *)
Definition reply_valid (ks : KState) (cur c : nat) : bool :=
  let ps := procs ks in
  (c <? NFRAMES) && proc_live ks c && (p_cspace ps c <? NFRAMES) &&
  N.eqb (p_gen ps c) (p_reply_gen ps cur) &&
  ps_eqb (p_state ps c) PS_REPLY && Nat.eqb (p_wait ps c) cur &&
  Nat.eqb (p_ticket ps c) (p_reply_tkt ps cur).

(* C: ipc_reply *)
(** The reply capability is used up once the message is checked, even
    when the caller no longer waits ([E_NO_REPLY] then changes the state:
    the one error that does). *)
Definition ipc_reply (ks : KState) (cur : nat) : error * KState :=
  let st := core ks in
  let cs := p_cspace (procs ks) cur in
  match (check cur_ok ks cur else E_BAD_ARG ;;
         let* desc := desc_of ks cur in
         msg_check st cs desc) with
  | Err e => (e, ks)
  | Ok _ =>
      let c := p_reply_to (procs ks) cur in
      let ks1 := with_procs ks (clear_reply (procs ks) cur) in
      if negb (reply_valid ks cur c) then (E_NO_REPLY, ks1)
      else
        let ks2 := with_procs ks1 (msg_load (procs ks1) cur 0%N) in
        let ks3 := deliver ks2 cur c in
        (E_OK, with_procs ks3 (set_reg (proc_ready (procs ks3) c) cur A0 (errN E_OK)))
  end.

(** The fast paths deliver a register-only message straight from the
    sender's registers (C: deliver_now) and do not write the sender's
    message record, which the slow path writes and reads at once: a
    record is read only when its process is delivered from as a blocked
    sender, and a process becomes one only through [msg_load] or
    [ipc_fault]'s [set_msg], which write it anew. [keep_msg old ks p] is
    [ks] with [p]'s record as it was in [old]. *)
Definition keep_msg (old ks : KState) (p : nat) : KState :=
  let po := procs old in
  with_procs ks (set_msg (procs ks) p (p_mlabel po p) (p_mword po p)
                         (p_mcaps po p) (p_mbadge po p)).

(* C: ipc_fast_call *)
(** The call fast path (kernel/ipc.c). The C takes it only under
    conditions this spec does not model (a register-only message through
    a direct endpoint capability; the endpoint's receiver index naming
    the one waiting receiver, of priority at least cur's), and otherwise
    changes nothing and lets the slow path run. Taken, it leaves the state
    of the slow path: the whole call, then the decode layer's a0 := OK,
    but for [cur]'s message record, which it leaves as it was
    ([keep_msg]). *)
Definition ipc_fast_call (ks : KState) (cur : nat) : KState :=
  let slot := N.to_nat (p_regs (procs ks) cur A0) in
  let '(_, ks1) := ipc_send_full ks cur slot 1 in
  keep_msg ks (with_procs ks1 (set_reg (procs ks1) cur A0 (errN E_OK))) cur.

(* C: ipc_fast_reply_recv *)
(** The reply-and-receive fast path (kernel/ipc.c): taken (a register-only
    reply through a valid reply capability, then a receive on an endpoint
    no sender waits on), the state of the slow path: ipc_reply, ipc_recv
    (which blocks), then a0 := OK, but for [cur]'s message record
    ([keep_msg]). *)
Definition ipc_fast_reply_recv (ks : KState) (cur : nat) : KState :=
  let slot := N.to_nat (p_regs (procs ks) cur A0) in
  let '(_, ks1) := ipc_reply ks cur in
  let '(_, ks2) := ipc_recv ks1 cur slot in
  keep_msg ks (with_procs ks2 (set_reg (procs ks2) cur A0 (errN E_OK))) cur.

(* C: ipc_fault *)
(** A fault (or exit) of [cur] goes to its fault endpoint as a call with
    the fault badge; with no live fault endpoint [cur] stops. Returns 1 if
    a message was sent or queued, 0 if [cur] stopped. The C requires only
    [cur < NFRAMES] (a guard returning 0 and no change here). *)
Definition ipc_fault (ks : KState) (cur : nat) (label w0 w1 w2 : N) : nat * KState :=
  let st := core ks in
  let ps := procs ks in
  if negb (cur <? NFRAMES) then (0, ks) else
  let ep := p_fault_ep ps cur in
  if negb ((ep <? NFRAMES) && is_type st ep OT_ENDPOINT &&
           N.eqb (frame_gen st ep) (p_fault_gen ps cur))
  then (0, with_procs ks (set_state ps cur PS_STOPPED))
  else
    let words i := match i with 0 => w0 | 1 => w1 | 2 => w2 | _ => 0%N end in
    let ks1 := with_procs ks (set_msg ps cur label words 0 (p_fault_badge ps cur)) in
    let r := find_waiter ks1 ep PS_RECV PS_RECV in
    if Nat.eqb r NO_PROC then (1, with_procs ks1 (block_on ks1 cur PS_CALL ep))
    else
      let ps1 := deliver_msg (procs ks1) cur r 0 in
      (1, with_procs ks1 (await_reply (proc_ready ps1 r) cur r)).

(** ** Notifications *)

(* C: ntfn_post *)
(** Post the bits [all] to notification [n]: the longest waiter takes
    them with the pending bits and is made ready, or [n] keeps them.
    Shared by a signal and an interrupt ([irq_deliver]). *)
Definition ntfn_post (ks : KState) (n : nat) (all : N) : KState :=
  let w := find_waiter ks n PS_NOTIF PS_NOTIF in
  let ps := procs ks in
  if Nat.eqb w NO_PROC then with_procs ks (set_bits ps n (N.lor (n_bits ps n) all))
  else
    let ps1 := set_reg ps w A0 (errN E_OK) in
    let ps2 := set_reg ps1 w A1 (N.lor (n_bits ps n) all) in
    with_procs ks (proc_ready (set_bits ps2 n 0%N) w).

(* C: ntfn_signal *)
Definition ntfn_signal (ks : KState) (cs slot : nat) (bits : N) : error * KState :=
  let st := core ks in
  kcommit ks (
    check cspace_ok st cs else E_BAD_ARG ;;
    let* e := invoke_lookup st cs slot OT_NOTIFICATION false true in
    let all := N.lor bits (cap_badge e) in
    check negb (N.eqb all 0) else E_BAD_ARG ;;
    Ok (ntfn_post ks (cap_obj e) all)).

(* C: ntfn_wait *)
Definition ntfn_wait (ks : KState) (cur slot : nat) : error * KState :=
  let st := core ks in
  let ps := procs ks in
  kcommit ks (
    check cur_ok ks cur else E_BAD_ARG ;;
    let* e := invoke_lookup st (p_cspace ps cur) slot OT_NOTIFICATION true false in
    let n := cap_obj e in
    if N.eqb (n_bits ps n) 0 then Ok (with_procs ks (block_on ks cur PS_NOTIF n))
    else
      let ps1 := set_reg (set_reg ps cur A0 (errN E_OK)) cur A1 (n_bits ps n) in
      Ok (with_procs ks (set_bits ps1 n 0%N))).

(* C: ntfn_fast_signal *)
(** The signal fast path (kernel/ipc.c). The C takes it only under
    conditions this spec does not model (a direct notification capability
    with the write right and bits to give; the notification's index
    naming the one waiter, of priority above cur's), and otherwise
    changes nothing and lets the slow path run. Taken, it leaves the
    state of the slow path: the whole signal through cur's cspace, then
    the decode layer's a0 := OK. (Unlike a call, a signal writes no
    message record: nothing to keep.) *)
Definition ntfn_fast_signal (ks : KState) (cur : nat) : KState :=
  let ps := procs ks in
  let slot := N.to_nat (p_regs ps cur A0) in
  let '(_, ks1) := ntfn_signal ks (p_cspace ps cur) slot (p_regs ps cur A1) in
  with_procs ks1 (set_reg (procs ks1) cur A0 (errN E_OK)).

(** ** Scheduling *)

Definition ready_live (ks : KState) (p : nat) : bool :=
  ps_eqb (p_state (procs ks) p) PS_READY && is_type (core ks) p OT_PROCESS &&
  N.eqb (frame_gen (core ks) p) (p_gen (procs ks) p).

(** [p] is a better choice than [best]: higher priority, or equal
    priority and a smaller ticket. *)
Definition better (ps : Procs) (p best : nat) : bool :=
  Nat.eqb best NO_PROC || (p_prio ps best <? p_prio ps p) ||
  (Nat.eqb (p_prio ps p) (p_prio ps best) && (p_ticket ps p <? p_ticket ps best)).

Fixpoint pick_below (ks : KState) (n : nat) : nat :=
  match n with
  | 0 => NO_PROC
  | S m =>
      let best := pick_below ks m in
      if ready_live ks m && better (procs ks) m best then m else best
  end.

(* C: sched_pick *)
(** The live ready process of highest priority, smallest ticket among
    equals; [NO_PROC] if none. It becomes [cur_proc]. *)
Definition sched_pick (ks : KState) : nat * KState :=
  let p := pick_below ks NFRAMES in
  (p, with_procs ks (set_cur (procs ks) p)).

(* C: sched_tick *)
(** The running process's slice is over: a fresh ticket (back of its
    round robin). *)
Definition sched_tick (ks : KState) : KState :=
  let ps := procs ks in
  let p := cur_proc ps in
  if (p <? NFRAMES) && ps_eqb (p_state ps p) PS_READY
  then let (t, ps1) := ticket_take ps in
       with_procs ks (set_ticket_state ps1 p PS_READY t (next_ticket ps1))
  else ks.

(** ** The core operations on the whole state

    Every operation of [Ops.v] acts on the core and leaves the process
    tables as they are, as in C. *)
Definition core_op (ks : KState) (r : error * State) : error * KState :=
  let (e, st') := r in (e, with_core ks st').

(** [obj_alloc] on the whole state. The C [obj_alloc] also gives a new
    notification its zero state, no bits pending ([n_bits[f] = 0]): the
    frame may have held an earlier notification whose bits must not leak
    to the new owner. The other core operations leave [n_bits] alone, as
    in C. *)
Definition obj_alloc_k (ks : KState) (cs cont_slot type_code dst : nat) : error * KState :=
  match obj_alloc (core ks) cs cont_slot type_code dst, lowest_free (core ks) with
  | (E_OK, st'), Some f =>
      if is_type st' f OT_NOTIFICATION
      then (E_OK, mkKState st' (set_bits (procs ks) f 0%N) (irqs ks))
      else (E_OK, with_core ks st')
  | (e, st'), _ => (e, with_core ks st')
  end.

(** ** Interrupt handlers (issue 15, [kernel/irq.c]) *)

(** [upd] for the boolean and [N] tables of [Irqs]. *)
Definition set_source (iq : Irqs) (s h : nat) (g : N) (p : bool) : Irqs :=
  {| irq_sources := irq_sources iq; irq_handler := upd (irq_handler iq) s h;
     irq_hgen := upd (irq_hgen iq) s g; irq_pending := upd (irq_pending iq) s p;
     h_src := h_src iq; h_ntfn := h_ntfn iq; h_ngen := h_ngen iq; h_badge := h_badge iq;
     timers := timers iq |}.

Definition set_pending (iq : Irqs) (s : nat) (p : bool) : Irqs :=
  {| irq_sources := irq_sources iq; irq_handler := irq_handler iq;
     irq_hgen := irq_hgen iq; irq_pending := upd (irq_pending iq) s p;
     h_src := h_src iq; h_ntfn := h_ntfn iq; h_ngen := h_ngen iq; h_badge := h_badge iq;
     timers := timers iq |}.

Definition set_handler (iq : Irqs) (h src n : nat) (g b : N) : Irqs :=
  {| irq_sources := irq_sources iq; irq_handler := irq_handler iq;
     irq_hgen := irq_hgen iq; irq_pending := irq_pending iq;
     h_src := upd (h_src iq) h src; h_ntfn := upd (h_ntfn iq) h n;
     h_ngen := upd (h_ngen iq) h g; h_badge := upd (h_badge iq) h b;
     timers := timers iq |}.

(** [irq.h]'s predicates. *)
Definition irq_ok (iq : Irqs) : bool := (1 <=? irq_sources iq) && (irq_sources iq <=? NIRQ).

(** Source [s] has a live handler: the one that took it, still alive. *)
Definition irq_taken (ks : KState) (s : nat) : bool :=
  let h := irq_handler (irqs ks) s in
  (h <? NFRAMES) && is_type (core ks) h OT_IRQ_HANDLER &&
  N.eqb (frame_gen (core ks) h) (irq_hgen (irqs ks) s).

(** Handler [h] holds an interrupt it has not acknowledged. *)
Definition irq_unacked (ks : KState) (h : nat) : bool :=
  let iq := irqs ks in
  let s := h_src iq h in
  (0 <? s) && (s <? irq_sources iq) && Nat.eqb (irq_handler iq s) h &&
  N.eqb (irq_hgen iq s) (frame_gen (core ks) h) && irq_pending iq s.

(** Handler [h]'s notification is the live one it was bound to. *)
Definition irq_bound (ks : KState) (h : nat) : bool :=
  let n := h_ntfn (irqs ks) h in
  (n <? NFRAMES) && is_type (core ks) n OT_NOTIFICATION &&
  N.eqb (frame_gen (core ks) n) (h_ngen (irqs ks) h).

(* C: irq_handler_create *)
(** A handler for source [src], made with the IRQ control in [ctl_slot]
    (write right), paid for by the container in [cont_slot]: unbound,
    nothing pending. *)
Definition irq_handler_create (ks : KState) (cs ctl_slot cont_slot src dst : nat)
  : error * KState :=
  let st := core ks in
  kcommit ks (
    check cspace_ok st cs else E_BAD_ARG ;;
    let* _ := lookup st cs ctl_slot (Some OT_IRQ_CONTROL) false true in
    check (0 <? src) && (src <? irq_sources (irqs ks)) else E_BAD_ARG ;;
    check negb (irq_taken ks src) else E_IN_USE ;;
    match handler_alloc st cs cont_slot dst with
    | (E_OK, st') =>
        let h := cap_obj (cap st' cs dst) in
        let iq := set_handler (irqs ks) h src NFRAMES (h_ngen (irqs ks) h)
                              (h_badge (irqs ks) h) in
        Ok (mkKState st' (procs ks) (set_source iq src h (frame_gen st' h) false))
    | (e, _) => Err e
    end).

(* C: irq_set_ntfn *)
(** Bind the handler in [h_slot] (write right, through forwarders) to the
    notification in [n_slot] (write right, a direct capability: a binding
    outlives the call, and a forwarder's revocation would not reach it),
    with that capability's badge; the result is the handler's source. *)
Definition irq_set_ntfn (ks : KState) (cs h_slot n_slot : nat) : error * nat * KState :=
  let st := core ks in
  match (check cspace_ok st cs else E_BAD_ARG ;;
         let* h := invoke_lookup st cs h_slot OT_IRQ_HANDLER false true in
         let* n := lookup st cs n_slot (Some OT_NOTIFICATION) false true in
         Ok (h, n)) with
  | Ok (h, n) =>
      let iq := irqs ks in
      let o := cap_obj h in
      (E_OK, h_src iq o,
       with_irqs ks (set_handler iq o (h_src iq o) (cap_obj n)
                                 (frame_gen st (cap_obj n)) (cap_badge n)))
  | Err e => (e, 0, ks)
  end.

(* C: irq_ack *)
(** The handler in [h_slot] (write right) gives its source back, if it
    holds an interrupt ([E_BAD_STATE] otherwise); the result is the
    source. *)
Definition irq_ack (ks : KState) (cs h_slot : nat) : error * nat * KState :=
  let st := core ks in
  match (check cspace_ok st cs else E_BAD_ARG ;;
         let* h := invoke_lookup st cs h_slot OT_IRQ_HANDLER false true in
         check irq_unacked ks (cap_obj h) else E_BAD_STATE ;;
         Ok (h_src (irqs ks) (cap_obj h))) with
  | Ok s => (E_OK, s, with_irqs ks (set_pending (irqs ks) s false))
  | Err e => (e, 0, ks)
  end.

(* C: irq_target *)
(** The notification source [s]'s interrupt would signal: that of its
    live, bound handler; else [NFRAMES]. *)
Definition irq_target (ks : KState) (s : nat) : nat :=
  let h := irq_handler (irqs ks) s in
  if irq_taken ks s && irq_bound ks h then h_ntfn (irqs ks) h else NFRAMES.

(* C: irq_deliver *)
(** Source [src] interrupts: its live, bound handler's notification gets
    the binding's badge (0: bit 0) and the source is pending; otherwise
    [E_STALE] and nothing changes. *)
Definition irq_deliver (ks : KState) (src : nat) : error * KState :=
  let h := irq_handler (irqs ks) src in
  if irq_taken ks src && irq_bound ks h then
    let b := h_badge (irqs ks) h in
    let ks1 := with_irqs ks (set_pending (irqs ks) src true) in
    (E_OK, ntfn_post ks1 (h_ntfn (irqs ks) h) (if N.eqb b 0 then 1%N else b))
  else (E_STALE, ks).

(** ** Timers (issue 15, [kernel/timers.c]) *)

Definition with_timers (ks : KState) (tm : Timers) : KState :=
  let iq := irqs ks in
  with_irqs ks {| irq_sources := irq_sources iq; irq_handler := irq_handler iq;
                  irq_hgen := irq_hgen iq; irq_pending := irq_pending iq;
                  h_src := h_src iq; h_ntfn := h_ntfn iq; h_ngen := h_ngen iq;
                  h_badge := h_badge iq; timers := tm |}.

Definition set_tmr_obj (tm : Timers) (r o : nat) : Timers :=
  {| tmr_hi := tmr_hi tm; tmr_obj := upd (tmr_obj tm) r o; tmr_gen := tmr_gen tm;
     tmr_deadline := tmr_deadline tm; tmr_ntfn := tmr_ntfn tm; tmr_ngen := tmr_ngen tm;
     tmr_badge := tmr_badge tm |}.

Definition set_tmr_hi (tm : Timers) (h : nat) : Timers :=
  {| tmr_hi := h; tmr_obj := tmr_obj tm; tmr_gen := tmr_gen tm;
     tmr_deadline := tmr_deadline tm; tmr_ntfn := tmr_ntfn tm; tmr_ngen := tmr_ngen tm;
     tmr_badge := tmr_badge tm |}.

(** Row [r] armed: timer [t] (generation [g]) at deadline [d], to signal
    notification [n] (generation [ng]) with badge [b]. *)
Definition set_row (tm : Timers) (r t : nat) (g d : N) (n : nat) (ng b : N) : Timers :=
  {| tmr_hi := tmr_hi tm; tmr_obj := upd (tmr_obj tm) r t; tmr_gen := upd (tmr_gen tm) r g;
     tmr_deadline := upd (tmr_deadline tm) r d; tmr_ntfn := upd (tmr_ntfn tm) r n;
     tmr_ngen := upd (tmr_ngen tm) r ng; tmr_badge := upd (tmr_badge tm) r b |}.

(** [timers.h]'s predicates: row [r] holds a live timer (it is armed);
    its notification is the live one it was armed with. *)
Definition tmr_armed (ks : KState) (r : nat) : bool :=
  let tm := timers (irqs ks) in
  let o := tmr_obj tm r in
  (o <? NFRAMES) && is_type (core ks) o OT_TIMER && N.eqb (frame_gen (core ks) o) (tmr_gen tm r).

Definition tmr_bound (ks : KState) (r : nat) : bool :=
  let tm := timers (irqs ks) in
  let n := tmr_ntfn tm r in
  (n <? NFRAMES) && is_type (core ks) n OT_NOTIFICATION &&
  N.eqb (frame_gen (core ks) n) (tmr_ngen tm r).

(** The first row of [lo .. lo + k - 1] that satisfies [f]. *)
Fixpoint first_row (f : nat -> bool) (lo k : nat) : option nat :=
  match k with
  | 0 => None
  | S k' => if f lo then Some lo else first_row f (S lo) k'
  end.

(** [tmr_hi] lowered past the free rows at the top. *)
Fixpoint shrink_hi (obj : nat -> nat) (h : nat) : nat :=
  match h with
  | 0 => 0
  | S h' => if Nat.eqb (obj h') NFRAMES then shrink_hi obj h' else h
  end.

(* C: timer_shrink *)
Definition timer_shrink (tm : Timers) : Timers := set_tmr_hi tm (shrink_hi (tmr_obj tm) (tmr_hi tm)).

(* C: timer_free_row *)
(** The lowest row below [tmr_hi] that holds no live timer or holds [t];
    else [tmr_hi] ([NTIMERS] when the table is full). *)
Definition timer_free_row (ks : KState) (t : nat) : nat :=
  let tm := timers (irqs ks) in
  match first_row (fun r => negb (tmr_armed ks r) || Nat.eqb (tmr_obj tm r) t) 0 (tmr_hi tm) with
  | Some r => r
  | None => tmr_hi tm
  end.

(* C: timer_disarm *)
(** Every row below [tmr_hi] that names [t] is freed; then [timer_shrink]. *)
Definition timer_disarm (tm : Timers) (t : nat) : Timers :=
  let hi := tmr_hi tm in
  timer_shrink
    {| tmr_hi := hi;
       tmr_obj := fun r => if (r <? hi) && Nat.eqb (tmr_obj tm r) t then NFRAMES else tmr_obj tm r;
       tmr_gen := tmr_gen tm; tmr_deadline := tmr_deadline tm; tmr_ntfn := tmr_ntfn tm;
       tmr_ngen := tmr_ngen tm; tmr_badge := tmr_badge tm |}.

(* C: timer_set *)
(** Arm the timer in [t_slot] (write right, through forwarders) to signal
    the notification in [n_slot] (write right, a direct capability: the
    arming outlives the call) with that capability's badge at
    [deadline]; [E_NO_MEMORY] when [NTIMERS] other timers are armed. *)
Definition timer_set (ks : KState) (cs t_slot n_slot : nat) (deadline : N) : error * KState :=
  let st := core ks in
  match (check cspace_ok st cs else E_BAD_ARG ;;
         let* t := invoke_lookup st cs t_slot OT_TIMER false true in
         let* n := lookup st cs n_slot (Some OT_NOTIFICATION) false true in
         Ok (t, n)) with
  | Ok (t, n) =>
      let r := timer_free_row ks (cap_obj t) in
      if Nat.eqb r NTIMERS then (E_NO_MEMORY, ks)
      else
        let tm1 := timer_disarm (timers (irqs ks)) (cap_obj t) in
        let tm2 := set_row tm1 r (cap_obj t) (frame_gen st (cap_obj t)) deadline
                           (cap_obj n) (frame_gen st (cap_obj n)) (cap_badge n) in
        let tm3 := if r <? tmr_hi tm2 then tm2 else set_tmr_hi tm2 (S r) in
        (E_OK, with_timers ks tm3)
  | Err e => (e, ks)
  end.

(* C: timer_cancel *)
(** Disarm the timer in [t_slot] (write right, through forwarders); no
    error when it is not armed. *)
Definition timer_cancel (ks : KState) (cs t_slot : nat) : error * KState :=
  let st := core ks in
  match (check cspace_ok st cs else E_BAD_ARG ;;
         invoke_lookup st cs t_slot OT_TIMER false true) with
  | Ok t => (E_OK, with_timers ks (timer_disarm (timers (irqs ks)) (cap_obj t)))
  | Err e => (e, ks)
  end.

(* C: timer_due *)
(** The lowest armed row whose deadline is at or before [now]; [NTIMERS]:
    none. *)
Definition timer_due (ks : KState) (now : N) : nat :=
  let tm := timers (irqs ks) in
  match first_row (fun r => tmr_armed ks r && N.leb (tmr_deadline tm r) now) 0 (tmr_hi tm) with
  | Some r => r
  | None => NTIMERS
  end.

(* C: timer_fire *)
(** Row [r] fires: an armed row is freed, and its notification, if alive,
    gets the row's badge (0: bit 0); otherwise [E_STALE]. *)
Definition timer_fire (ks : KState) (r : nat) : error * KState :=
  if tmr_armed ks r then
    let tm := timers (irqs ks) in
    let ks1 := with_timers ks (timer_shrink (set_tmr_obj tm r NFRAMES)) in
    if tmr_bound ks r then
      let b := tmr_badge tm r in
      (E_OK, ntfn_post ks1 (tmr_ntfn tm r) (if N.eqb b 0 then 1%N else b))
    else (E_STALE, ks1)
  else (E_STALE, ks).

(* C: timer_target *)
(** The notification row [r] will signal: that of its live timer, if it
    is alive; else [NFRAMES]. *)
Definition timer_target (ks : KState) (r : nat) : nat :=
  if tmr_armed ks r && tmr_bound ks r then tmr_ntfn (timers (irqs ks)) r else NFRAMES.

(** The earliest deadline of an armed row among [r .. r + k - 1], or [acc]. *)
Fixpoint next_from (ks : KState) (r k : nat) (acc : N) : N :=
  match k with
  | 0 => acc
  | S k' =>
      let d := tmr_deadline (timers (irqs ks)) r in
      next_from ks (S r) k' (if tmr_armed ks r && N.ltb d acc then d else acc)
  end.

(* C: timer_next *)
(** The earliest deadline of an armed row, [DEADLINE_NEVER] if none. *)
Definition timer_next (ks : KState) : N :=
  next_from ks 0 (tmr_hi (timers (irqs ks))) DEADLINE_NEVER.

End Sized.
