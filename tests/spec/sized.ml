(* sized.ml: the extracted spec at the sizes of this run.

   The universe size and the cspace size are parameters of the Coq model
   (spec/Model.v, [Sizes]): every extracted operation that depends on
   them takes the sizes first. The harnesses open this module after
   Spec_model, so they call every operation at one size, chosen by
   CONFORM_SIZE: "small" for the small universe (spec/Extract.v,
   small_sizes: 64 frames, 16 slots), unset or "kernel" for the kernel's
   (kernel_sizes, kernel/include/param.h). The C driver must be built
   with the same sizes; [check_driver] asks it (driver -sizes). *)

open Spec_model

let size_name, sizes =
  match Sys.getenv_opt "CONFORM_SIZE" with
  | Some "small" -> ("small", small_sizes)
  | None | Some "" | Some "kernel" -> ("kernel", kernel_sizes)
  | Some s ->
    prerr_endline ("CONFORM_SIZE=" ^ s ^ ": expected small or kernel"); exit 2

let nFRAMES = nFRAMES sizes
let nSLOTS = nSLOTS sizes

(* the core *)
let kernel_init = kernel_init sizes
let container_create = container_create sizes
let obj_alloc = obj_alloc sizes
let typed_alloc = typed_alloc sizes
let map_frame_lookup = map_frame_lookup sizes
let irq_handler_create = irq_handler_create sizes
let irq_set_ntfn = irq_set_ntfn sizes
let irq_ack = irq_ack sizes
let irq_deliver = irq_deliver sizes
let irq_taken = irq_taken sizes
let timer_set = timer_set sizes
let timer_cancel = timer_cancel sizes
let timer_due = timer_due sizes
let timer_fire = timer_fire sizes
let timer_next = timer_next sizes
let obj_free = obj_free sizes
let container_destroy = container_destroy sizes
let container_info = container_info sizes
let cap_copy = cap_copy sizes
let cap_mint = cap_mint sizes
let cap_move = cap_move sizes
let cap_delete = cap_delete sizes
let cap_resolve = cap_resolve sizes
let cap_identify = cap_identify sizes
let fwd_create = fwd_create sizes

(* processes, IPC, notifications, scheduling *)
let kboot = kboot sizes
let proc_create = proc_create sizes
let proc_resume = proc_resume sizes
let proc_suspend = proc_suspend sizes
let proc_read_reg = proc_read_reg sizes
let proc_write_reg = proc_write_reg sizes
let proc_set_fault = proc_set_fault sizes
let kobj_alloc = kobj_alloc sizes
let proc_reap = proc_reap sizes
let ipc_send = ipc_send sizes
let ipc_send_to = ipc_send_to sizes
let ipc_recv = ipc_recv sizes
let ipc_reply = ipc_reply sizes
let ipc_fault = ipc_fault sizes
let ntfn_signal = ntfn_signal sizes
let ntfn_wait = ntfn_wait sizes
let sched_pick = sched_pick sizes
let sched_tick = sched_tick sizes
let ipc_fast_call = ipc_fast_call sizes
let ipc_fast_reply_recv = ipc_fast_reply_recv sizes
let ntfn_fast_signal = ntfn_fast_signal sizes
let proc_live = proc_live sizes
let proc_make = proc_make sizes
let obj_alloc_k = obj_alloc_k sizes

(* the decode *)
let caller_cspace = caller_cspace sizes
let proc_arg = proc_arg sizes
let sys_cap_copy = sys_cap_copy sizes
let sys_cap_mint = sys_cap_mint sizes
let sys_cap_move_caps = sys_cap_move_caps sizes
let sys_set_recv_slots = sys_set_recv_slots sizes

(* the address spaces (spec/VSpace.v), with the host's architecture half
   (spec/Extract.v: host_ppn_of, host_frame_of_ppn, host_kroot,
   host_kernel_satp) *)
let host_frame_of_ppn = host_frame_of_ppn sizes
let vs_proc_init = host_vs_proc_init sizes
let vs_map = host_vs_map sizes
let vs_unmap = host_vs_unmap sizes
let vs_lookup = host_vs_lookup sizes
let vs_reap = host_vs_reap sizes
(* the address-space system calls (kernel/decode.c) *)
let sys_map = host_sys_map sizes
let sys_unmap = host_sys_unmap sizes
let sys_cap_delete = host_sys_cap_delete sizes
let sys_cap_move = sys_cap_move sizes
let vs_follow = vs_follow sizes
let slot_live = slot_live sizes
let mapping_live = mapping_live sizes
(* SYS_OBJ_FREE's second half (kernel/decode.c obj_gone, kernel/vspace.c
   vs_cspace_gone) and the whole call as arch-riscv/syscall.c runs it *)
let vs_cspace_gone = host_vs_cspace_gone sizes
let obj_gone = host_obj_gone sizes
let sys_obj_free_c = host_sys_obj_free_c sizes

(* The driver's sizes (its -sizes answer) must be the model's: a harness
   calls this before its first trace, and prints the sizes it runs. *)
let check_driver (name : string) (driver : string) =
  let ic = Unix.open_process_args_in driver [| driver; "-sizes" |] in
  let line = try input_line ic with End_of_file -> "" in
  ignore (Unix.close_process_in ic);
  let want = Printf.sprintf "%d %d" nFRAMES nSLOTS in
  if String.trim line <> want then begin
    Printf.printf "%s: the driver's sizes (NFRAMES NSLOTS) are \"%s\", the model's (%s) %s\n"
      name (String.trim line) size_name want;
    exit 2
  end;
  Printf.printf "%s: sizes %s: %d frames, %d slots a cspace\n%!" name size_name nFRAMES nSLOTS
