(** * Extract: the executable spec as OCaml

    [nat] becomes OCaml [int] and [N] becomes OCaml [int] (63-bit): the
    conformance test ([tests/spec]) keeps badges, register values and bits
    below 2^62 so that the extracted model computes exactly what the Coq
    functions compute. [TICKET_MAX] (2^64-1, where the C ticket counter
    saturates) does not fit an OCaml [int]: it is extracted as [max_int],
    a bound no test reaches either way; nor does [DEADLINE_NEVER] (2^64-1,
    a timer deadline), extracted so too and printed as "never" by both
    sides of the test. Nor does [VS_SATP_SV39] (2^63, satp's Sv39 mode
    field, VSpace.v): it is extracted as [min_int], whose 63-bit pattern
    has its top bit (bit 62) set; a satp is that constant plus a page
    number below 2^44, so bit 62 of the extracted value stands for bit 63
    of the C's, and both sides of the test print a satp as its top two
    bits and its low 62 (tests/spec/driver.c, dump_vs). *)

From Coq Require Import NArith Bool List Extraction ExtrOcamlBasic ExtrOcamlNatInt ExtrOcamlZInt.
From Spec Require Import Model Ops Procs Decode VSpace.

Extraction Language OCaml.

(** The sizes are parameters of the model (Model.v, [Sizes]): every
    extracted operation takes them as its first argument. The
    conformance test runs at the kernel's sizes ([kernel_sizes]) and at
    [small_sizes], against the C core built with the same ones. *)
Definition small_sizes : Sizes :=
  {| NFRAMES := 64; NSLOTS := 16; NFRAMES_two := ltac:(repeat constructor) |}.

(** ** The address spaces (VSpace.v) on the host

    [VSpace.v]'s section variables, what the architecture layer supplies,
    instantiated as the host builds do (tests/system/host_ppn.c): frame [f]
    is physical page [0x80000 + f], and a page number outside
    [0x80000 .. 0x80000 + NFRAMES - 1] names no frame ([NFRAMES]). The
    kernel's half of a root table and its satp are what the conformance
    driver (tests/spec/driver.c, main) sets before the first operation, as
    [uvm_init] does at boot: two 1 GiB kernel leaves, at indices 256 and
    510, and the satp of a kernel root at page 0x80400. The two must stay
    the same. *)
Definition HOST_PPN0 : N := 524288.            (* 0x80000 *)
Definition host_ppn_of (f : nat) : N := (HOST_PPN0 + N.of_nat f)%N.
Definition host_frame_of_ppn {SZ : Sizes} (ppn : N) : nat :=
  if (ppn <? HOST_PPN0)%N || (N.of_nat NFRAMES <=? ppn - HOST_PPN0)%N then NFRAMES
  else N.to_nat (ppn - HOST_PPN0).
Definition host_kroot : list (nat * N) :=
  (256, 536871119%N) :: (510, 268435663%N) :: nil.   (* 0x200000cf, 0x100000cf *)
Definition host_kernel_satp : N := (VS_SATP_SV39 + 525312)%N.   (* page 0x80400 *)

Definition host_vs_proc_init {SZ : Sizes} := @vs_proc_init SZ host_kernel_satp.
Definition host_vs_map {SZ : Sizes} := @vs_map SZ host_ppn_of host_frame_of_ppn host_kroot.
Definition host_vs_unmap {SZ : Sizes} := @vs_unmap SZ host_frame_of_ppn.
Definition host_vs_lookup {SZ : Sizes} := @vs_lookup SZ host_frame_of_ppn.
Definition host_vs_reap {SZ : Sizes} := @vs_reap SZ host_frame_of_ppn.
Definition host_sys_map {SZ : Sizes} := @sys_map SZ host_ppn_of host_frame_of_ppn host_kroot.
Definition host_sys_unmap {SZ : Sizes} := @sys_unmap SZ host_frame_of_ppn.
Definition host_sys_cap_delete {SZ : Sizes} := @sys_cap_delete SZ host_frame_of_ppn.
Definition host_vs_cspace_gone {SZ : Sizes} := @vs_cspace_gone SZ host_frame_of_ppn.
Definition host_obj_gone {SZ : Sizes} := @obj_gone SZ host_frame_of_ppn.
Definition host_sys_obj_free_c {SZ : Sizes} := @sys_obj_free_c SZ host_frame_of_ppn.

(** The tables before the first operation: all zero, as the C's globals. *)
Definition vs_empty : VS :=
  {| pt_entry := fun _ _ => 0%N; p_vroot := fun _ => 0; p_satp := fun _ => 0%N;
     m_used := fun _ => false; m_proc := fun _ => 0; m_pgen := fun _ => 0%N;
     m_fgen := fun _ => 0%N; m_va := fun _ => 0%N;
     m_cs := fun _ => 0; m_csgen := fun _ => 0%N; m_slot := fun _ => 0;
     cap_mapped := fun _ _ => 0 |}.

Extract Inlined Constant TICKET_MAX => "max_int".
Extract Inlined Constant VS_SATP_SV39 => "min_int".
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
  caller_cspace proc_arg map_frame_lookup sys_cap_copy sys_cap_mint sys_cap_move_caps
  sys_set_recv_slots sys_yield slot32 perm_ok perm_check
  (* the address spaces (VSpace.v) at the host's architecture half *)
  HOST_PPN0 host_ppn_of host_frame_of_ppn host_kernel_satp host_kroot vs_empty
  host_vs_proc_init host_vs_map host_vs_unmap host_vs_lookup host_vs_reap
  (* the address-space system calls (VSpace.v, kernel/decode.c) *)
  host_sys_map host_sys_unmap host_sys_cap_delete sys_cap_move vs_follow slot_live
  mapping_live
  (* SYS_OBJ_FREE since 37ad752a: obj_free, then obj_gone (VSpace.v) *)
  host_vs_cspace_gone host_obj_gone host_sys_obj_free_c.
