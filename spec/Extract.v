(** * Extract: the executable spec as OCaml

    [nat] becomes OCaml [int] and [N] becomes OCaml [int] (63-bit): the
    conformance test ([tests/spec]) keeps badges, register values and bits
    below 2^62 so that the extracted model computes exactly what the Coq
    functions compute. [TICKET_MAX] (2^64-1, where the C ticket counter
    saturates) does not fit an OCaml [int]: it is extracted as [max_int],
    a bound no test reaches either way; nor does [DEADLINE_NEVER] (2^64-1,
    a timer deadline), extracted so too and printed as "never" by both
    sides of the test. *)

From Coq Require Import NArith Extraction ExtrOcamlBasic ExtrOcamlNatInt ExtrOcamlZInt.
From Spec Require Import Model Ops Procs Decode.

Extraction Language OCaml.

(** The sizes are parameters of the model (Model.v, [Sizes]): every
    extracted operation takes them as its first argument. The
    conformance test runs at the kernel's sizes ([kernel_sizes]) and at
    [small_sizes], against the C core built with the same ones. *)
Definition small_sizes : Sizes :=
  {| NFRAMES := 64; NSLOTS := 16; NFRAMES_two := ltac:(repeat constructor) |}.

Extract Inlined Constant TICKET_MAX => "max_int".
Extract Inlined Constant DEADLINE_NEVER => "max_int".
Extract Inlined Constant N.lor => "(lor)".

Extraction "spec_model.ml"
  kernel_sizes small_sizes NFRAMES NSLOTS MAXDEPTH MAXFWD GEN_MAX
  objtype_code error_code live
  kernel_init container_create obj_alloc typed_alloc obj_free container_destroy
  container_info cap_copy cap_mint cap_move cap_delete cap_resolve
  cap_identify fwd_create
  (* processes, IPC, notifications, scheduling *)
  NPRIO NREGS ps_code kboot core_op proc_create proc_resume proc_suspend
  proc_read_reg proc_write_reg proc_set_fault kobj_alloc pt_bind proc_reap
  ipc_send ipc_send_to ipc_recv ipc_reply ipc_fault ntfn_signal ntfn_wait
  sched_pick sched_tick ipc_fast_call ipc_fast_reply_recv ntfn_fast_signal set_reg
  proc_live proc_make proc_ready with_procs ps_blocked obj_alloc_k
  (* the decode (Decode.v) *)
  irq_handler_create irq_set_ntfn irq_ack irq_deliver irq_taken
  NTIMERS timer_set timer_cancel timer_due timer_fire timer_next timer_target tmr_armed
  caller_cspace proc_arg map_frame_lookup sys_cap_copy sys_cap_mint sys_cap_move
  sys_set_recv_slots sys_yield.
