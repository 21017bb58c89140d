(* conform_procs.ml: executable conformance of the process, IPC,
   notification and scheduling operations (issue 4) of the C core against
   the Coq spec (spec/Procs.v), in the manner of conform.ml: random traces
   on the extracted model (Spec_model) and on the host build of kernel/
   (driver.c, run with -p so that it also dumps the process tables); the
   result and the whole state (core tables and process tables) are compared
   after every step; a divergence is shrunk and printed.

   Each trace boots like the architecture layer does: kernel_init, then a
   root process made by kobj_alloc + proc_make + proc_ready (driver step
   boot_proc), then random operations: allocations, process creation,
   resume / suspend, register reads and writes, fault endpoints, capability
   copies between capability spaces, sends, calls, receives, replies,
   faults, notifications, the scheduler, destruction followed by proc_reap.
   "sys_set_recv_slots p a0 a1" and "sys_yield p" are the decode's
   (kernel/decode.c) system calls on the caller's own state.

   usage: conform_procs DRIVER [-seed N] [-traces N] [-steps N]
*)

open Spec_model
open Sized
open Core_dump
open Trace_harness

let normalise_procs (ps : procs) : procs =
  let n = nFRAMES in
  let memo f =
    let a = Array.init n f in
    fun i -> if i >= 0 && i < n then a.(i) else f i in
  let memo2 width f =
    let rows = Array.init n (fun i -> lazy (Array.init width (f i))) in
    fun i j ->
      if i >= 0 && i < n && j >= 0 && j < width then (Lazy.force rows.(i)).(j)
      else f i j in
  { p_state = memo ps.p_state; p_gen = memo ps.p_gen; p_cspace = memo ps.p_cspace;
    p_cspace_gen = memo ps.p_cspace_gen; p_prio = memo ps.p_prio;
    p_ticket = memo ps.p_ticket; p_wait = memo ps.p_wait;
    p_wait_gen = memo ps.p_wait_gen; p_regs = memo2 nREGS ps.p_regs;
    p_mlabel = memo ps.p_mlabel; p_mword = memo2 4 ps.p_mword;
    p_mcaps = memo ps.p_mcaps; p_mbadge = memo ps.p_mbadge;
    p_reply_to = memo ps.p_reply_to; p_reply_gen = memo ps.p_reply_gen;
    p_reply_tkt = memo ps.p_reply_tkt; p_rslot = memo2 2 ps.p_rslot;
    p_fault_ep = memo ps.p_fault_ep; p_fault_gen = memo ps.p_fault_gen;
    p_fault_badge = memo ps.p_fault_badge; n_bits = memo ps.n_bits;
    pt_proc = memo ps.pt_proc; pt_proc_gen = memo ps.pt_proc_gen;
    cur_proc = ps.cur_proc; next_ticket = ps.next_ticket }

let normalise_irqs (iq : irqs) : irqs =
  let n = max nFRAMES iq.irq_sources in
  let memo f = let a = Array.init n f in fun i -> if i >= 0 && i < n then a.(i) else f i in
  { iq with irq_handler = memo iq.irq_handler; irq_hgen = memo iq.irq_hgen;
            irq_pending = memo iq.irq_pending; h_src = memo iq.h_src; h_ntfn = memo iq.h_ntfn;
            h_ngen = memo iq.h_ngen; h_badge = memo iq.h_badge;
            timers0 = (let tm = iq.timers0 in
                      let memo f = let a = Array.init nTIMERS f in fun i -> if i >= 0 && i < nTIMERS then a.(i) else f i in
                      { tm with tmr_obj = memo tm.tmr_obj; tmr_gen = memo tm.tmr_gen;
                                tmr_deadline = memo tm.tmr_deadline; tmr_ntfn = memo tm.tmr_ntfn;
                                tmr_ngen = memo tm.tmr_ngen; tmr_badge = memo tm.tmr_badge }) }

let knorm (k : kState) : kState =
  { core = normalise k.core; procs0 = normalise_procs k.procs0; irqs0 = normalise_irqs k.irqs0 }

(* Same format as dump_proc / dump_state in driver.c. *)
let dump_procs (k : kState) : string =
  let ps = k.procs0 in
  let buf = Buffer.create 1024 in
  Buffer.add_string buf " ||";
  (* a frame's process fields, and its bits, mean something only while it
     is a process (a notification): the C keeps them in the frame's own
     memory (kernel/include/records.h) *)
  for p = 0 to nFRAMES - 1 do
    if k.core.frame_type p = OT_PROCESS && ps.p_state p <> PS_NONE then begin
      Printf.bprintf buf " P%d:%d:%d:%d:%d:%d:%d:%d:%d:r" p (ps_code (ps.p_state p))
        (ps.p_gen p) (ps.p_cspace p) (ps.p_cspace_gen p) (ps.p_prio p)
        (ps.p_ticket p) (ps.p_wait p) (ps.p_wait_gen p);
      for i = 0 to nREGS - 1 do
        if ps.p_regs p i <> 0 then Printf.bprintf buf "%d=%d," i (ps.p_regs p i)
      done;
      Printf.bprintf buf ":m%d" (ps.p_mlabel p);
      for i = 0 to 3 do Printf.bprintf buf ",%d" (ps.p_mword p i) done;
      Printf.bprintf buf ",%d,%d:y%d,%d,%d:s%d,%d:f%d,%d,%d" (ps.p_mcaps p) (ps.p_mbadge p)
        (ps.p_reply_to p) (ps.p_reply_gen p) (ps.p_reply_tkt p)
        (ps.p_rslot p 0) (ps.p_rslot p 1) (ps.p_fault_ep p) (ps.p_fault_gen p)
        (ps.p_fault_badge p)
    end
  done;
  for f = 0 to nFRAMES - 1 do
    if k.core.frame_type f = OT_NOTIFICATION && ps.n_bits f <> 0 then
      Printf.bprintf buf " N%d=%d" f (ps.n_bits f)
  done;
  Printf.bprintf buf " cur=%d next=%d" ps.cur_proc ps.next_ticket;
  (* interrupt sources (those ever taken or pending) and handlers *)
  let iq = k.irqs0 in
  Buffer.add_string buf " |I";
  for s = 0 to iq.irq_sources - 1 do
    if iq.irq_handler s <> 0 || iq.irq_hgen s <> 0 || iq.irq_pending s then
      Printf.bprintf buf " S%d:%d:%d:%d" s (iq.irq_handler s) (iq.irq_hgen s)
        (if iq.irq_pending s then 1 else 0)
  done;
  for h = 0 to nFRAMES - 1 do
    if k.core.frame_type h = OT_IRQ_HANDLER then begin
      Printf.bprintf buf " H%d:%d:%d" h (iq.h_src h) (iq.h_ntfn h);
      if iq.h_ntfn h <> nFRAMES then Printf.bprintf buf ":%d:%d" (iq.h_ngen h) (iq.h_badge h)
    end
  done;
  (* armed-timer rows that name a timer (issue 15) *)
  let tm = iq.timers0 in
  Printf.bprintf buf " |T hi=%d" tm.tmr_hi;
  for r = 0 to nTIMERS - 1 do
    if tm.tmr_obj r <> nFRAMES then
      Printf.bprintf buf " R%d:%d:%d:%d:%d:%d:%d" r (tm.tmr_obj r) (tm.tmr_gen r)
        (tm.tmr_deadline r) (tm.tmr_ntfn r) (tm.tmr_ngen r) (tm.tmr_badge r)
  done;
  Buffer.contents buf

let kdump k = dump k.core ^ dump_procs k

(* ---------- operations ---------- *)

type op =
  | Init of int * int
  | Boot_proc of int * int * int                 (* cont cspace prio *)
  | Set_recv of int * int * int                  (* p a0 a1: registers *)
  | Yield of int
  | Alloc of int * int * int * int               (* cs cont_slot type dst *)
  | Device of int * int * int * int              (* cs cont_slot type dst *)
  | Irq_create of int * int * int * int * int     (* cs ctl cont src dst *)
  | Irq_bind of int * int * int                   (* cs handler ntfn *)
  | Irq_ack of int * int                          (* cs handler *)
  | Irq_deliver of int                            (* src *)
  | Timer_set of int * int * int * int           (* cs timer ntfn deadline *)
  | Timer_cancel of int * int                    (* cs timer *)
  | Timer_due of int                             (* now *)
  | Timer_fire of int                            (* row *)
  | Timer_next
  | Free of int * int * int
  | Create of int * int * int * int
  | Destroy of int * int * int
  | Copy of int * int * int * int * int * int * int
  | Delete of int * int
  | Proc_create of int * int * int * int * int * int
  | Resume of int * int
  | Suspend of int * int
  | Read_reg of int * int * int
  | Write_reg of int * int * int * int
  | Set_fault of int * int * int
  | Reap
  | Send of int * int * int                      (* cur ep_slot is_call *)
  | Recv of int * int
  | Reply of int
  | Fault of int * int * int * int * int
  | Signal of int * int * int
  | Wait of int * int
  | Pick
  | Fwd of int * int * int * int                 (* cs cont_slot target dst *)
  (* the decode (issue 14 item 1): raw 64-bit register values *)
  | Sys_copy of int * int * int * int * int       (* cs a0 a1 a2 a3 *)
  | Sys_mint of int * int * int * int * int * int (* cs a0 a1 a2 a3 a4 *)
  | Sys_move of int * int * int * int             (* cs a0 a1 a2 *)
  | Proc_arg of int * int * int                   (* cur cs slot *)
  | Map_frame of int * int * int                  (* cs slot perm *)
  | Caller_cs of int
  (* the timer tick, and the three fast paths (kernel/ipc.c) as uentry.S
     calls them: cur's argument registers set (a0 the slot; a6 = 0 for a
     call or a reply-and-receive, a1 the bits for a signal), then the fast
     function, which the C takes or declines *)
  | Tick
  | Fast_call of int * int                       (* cur a0 *)
  | Fast_rr of int * int                         (* cur a0 *)
  | Fast_signal of int * int * int               (* cur a0 a1 *)

let op_line = function
  | Init (r, c) -> Printf.sprintf "kernel_init %d %d" r c
  | Boot_proc (c, s, p) -> Printf.sprintf "boot_proc %d %d %d" c s p
  | Set_recv (p, a, b) -> Printf.sprintf "sys_set_recv_slots %d %d %d" p a b
  | Yield p -> Printf.sprintf "sys_yield %d" p
  | Alloc (a, b, c, d) -> Printf.sprintf "obj_alloc %d %d %d %d" a b c d
  | Device (a, b, t, c) -> Printf.sprintf "typed_alloc %d %d %d %d" a b t c
  | Irq_create (a, b, c, d, e) -> Printf.sprintf "irq_handler_create %d %d %d %d %d" a b c d e
  | Irq_bind (a, b, c) -> Printf.sprintf "irq_set_ntfn %d %d %d" a b c
  | Irq_ack (a, b) -> Printf.sprintf "irq_ack %d %d" a b
  | Irq_deliver s -> Printf.sprintf "irq_deliver %d" s
  | Timer_set (a, b, c, d) -> Printf.sprintf "timer_set %d %d %d %d" a b c d
  | Timer_cancel (a, b) -> Printf.sprintf "timer_cancel %d %d" a b
  | Timer_due n -> Printf.sprintf "timer_due %d" n
  | Timer_fire r -> Printf.sprintf "timer_fire %d" r
  | Timer_next -> "timer_next"
  | Free (a, b, c) -> Printf.sprintf "obj_free %d %d %d" a b c
  | Create (a, b, c, d) -> Printf.sprintf "container_create %d %d %d %d" a b c d
  | Destroy (a, b, c) -> Printf.sprintf "container_destroy %d %d %d" a b c
  | Copy (a, b, c, d, r, w, g) -> Printf.sprintf "cap_copy %d %d %d %d %d %d %d" a b c d r w g
  | Delete (a, b) -> Printf.sprintf "cap_delete %d %d" a b
  | Proc_create (a, b, c, d, e, f) -> Printf.sprintf "proc_create %d %d %d %d %d %d" a b c d e f
  | Resume (a, b) -> Printf.sprintf "proc_resume %d %d" a b
  | Suspend (a, b) -> Printf.sprintf "proc_suspend %d %d" a b
  | Read_reg (a, b, c) -> Printf.sprintf "proc_read_reg %d %d %d" a b c
  | Write_reg (a, b, c, d) -> Printf.sprintf "proc_write_reg %d %d %d %d" a b c d
  | Set_fault (a, b, c) -> Printf.sprintf "proc_set_fault %d %d %d" a b c
  | Reap -> "proc_reap"
  | Send (a, b, c) -> Printf.sprintf "ipc_send %d %d %d" a b c
  | Recv (a, b) -> Printf.sprintf "ipc_recv %d %d" a b
  | Reply a -> Printf.sprintf "ipc_reply %d" a
  | Fault (a, b, c, d, e) -> Printf.sprintf "ipc_fault %d %d %d %d %d" a b c d e
  | Signal (a, b, c) -> Printf.sprintf "ntfn_signal %d %d %d" a b c
  | Wait (a, b) -> Printf.sprintf "ntfn_wait %d %d" a b
  | Pick -> "sched_pick"
  | Fwd (a, b, c, d) -> Printf.sprintf "fwd_create %d %d %d %d" a b c d
  | Sys_copy (a, b, c, d, e) -> Printf.sprintf "sys_cap_copy %d %d %d %d %d" a b c d e
  | Sys_mint (a, b, c, d, e, f) -> Printf.sprintf "sys_cap_mint %d %d %d %d %d %d" a b c d e f
  | Sys_move (a, b, c, d) -> Printf.sprintf "sys_cap_move %d %d %d %d" a b c d
  | Proc_arg (a, b, c) -> Printf.sprintf "proc_arg %d %d %d" a b c
  | Map_frame (a, b, c) -> Printf.sprintf "map_frame_lookup %d %d %d" a b c
  | Caller_cs a -> Printf.sprintf "caller_cspace %d" a
  | Tick -> "sched_tick"
  | Fast_call (a, b) -> Printf.sprintf "fast_call %d %d" a b
  | Fast_rr (a, b) -> Printf.sprintf "fast_reply_recv %d %d" a b
  | Fast_signal (a, b, c) -> Printf.sprintf "fast_signal %d %d %d" a b c

let err e = Printf.sprintf "e=%d" (error_code e)

(* [taken]: for a fast path, whether the C took it (its result line
   starts "t=1"). The spec does not model the conditions under which the C
   takes a fast path (they read the queue indices, which are C only): the
   harness takes the C's word for that, and checks the state either way:
   taken, the spec's fast operation (the slow path's state but for cur's
   message record, spec/Procs.v); declined, nothing changed. *)
let step ?(taken = false) (k : kState) (o : op) : string * kState =
  let core r = let (e, k') = core_op k r in (err e, k') in
  let regs c l = with_procs k (List.fold_left (fun ps (i, v) -> set_reg ps c i v) k.procs0 l) in
  let fast k1 f = if taken then ("t=1", f k1) else ("t=0", k1) in
  match o with
  | Tick -> ("e=0", sched_tick k)
  | Fast_call (c, a0) -> fast (regs c [ (10, a0); (16, 0) ]) (fun k1 -> ipc_fast_call k1 c)
  | Fast_rr (c, a0) -> fast (regs c [ (10, a0); (16, 0) ]) (fun k1 -> ipc_fast_reply_recv k1 c)
  | Fast_signal (c, a0, a1) ->
    fast (regs c [ (10, a0); (11, a1) ]) (fun k1 -> ntfn_fast_signal k1 c)
  | Init (r, c) -> let (_, k') = kboot r c in ("e=0", k')
  | Boot_proc (c, s, p) ->
    let ((e, f), k1) = kobj_alloc k c OT_PROCESS in
    if e <> E_OK then (Printf.sprintf "%s f=%d" (err e) f, k1)
    else
      let ps = proc_ready (proc_make k1.core k1.procs0 f s p) f in
      (Printf.sprintf "%s f=%d" (err e) f, with_procs k1 ps)
  | Set_recv (p, a, b) -> ("e=0", sys_set_recv_slots k p a b)
  | Yield p -> ("e=0", sys_yield k p)
  | Alloc (a, b, c, d) -> let (e, k') = obj_alloc_k k a b c d in (err e, k')
  | Device (a, b, t, c) ->
    core (typed_alloc k.core a b (if t = 9 then OT_DEVICE else OT_IRQ_CONTROL) c)
  | Irq_create (a, b, c, d, e) -> let (e, k') = irq_handler_create k a b c d e in (err e, k')
  | Irq_bind (a, b, c) ->
    let ((e, s), k') = irq_set_ntfn k a b c in (Printf.sprintf "%s s=%d" (err e) s, k')
  | Irq_ack (a, b) ->
    let ((e, s), k') = irq_ack k a b in (Printf.sprintf "%s s=%d" (err e) s, k')
  | Irq_deliver s -> let (e, k') = irq_deliver k s in (err e, k')
  | Timer_set (a, b, c, d) -> let (e, k') = timer_set k a b c d in (err e, k')
  | Timer_cancel (a, b) -> let (e, k') = timer_cancel k a b in (err e, k')
  | Timer_due n -> (Printf.sprintf "r=%d" (timer_due k n), k)
  | Timer_fire r -> let (e, k') = timer_fire k r in (err e, k')
  | Timer_next ->
    let d = timer_next k in
    ((if d = max_int then "d=never" else Printf.sprintf "d=%d" d), k)
  | Free (a, b, c) -> core (obj_free k.core a b c)
  | Create (a, b, c, d) -> core (container_create k.core a b c d)
  | Destroy (a, b, c) -> core (container_destroy k.core a b c)
  | Copy (a, b, c, d, r, w, g) -> core (cap_copy k.core a b c d r w g)
  | Delete (a, b) -> core (cap_delete k.core a b)
  | Proc_create (a, b, c, d, e, f) -> let (e, k') = proc_create k a b c d e f in (err e, k')
  | Resume (a, b) -> let (e, k') = proc_resume k a b in (err e, k')
  | Suspend (a, b) -> let (e, k') = proc_suspend k a b in (err e, k')
  | Read_reg (a, b, c) ->
    let ((e, v), k') = proc_read_reg k a b c in (Printf.sprintf "%s v=%d" (err e) v, k')
  | Write_reg (a, b, c, d) -> let (e, k') = proc_write_reg k a b c d in (err e, k')
  | Set_fault (a, b, c) -> let (e, k') = proc_set_fault k a b c in (err e, k')
  | Reap -> ("e=0", proc_reap k)
  | Send (a, b, c) ->
    let ((e, r), k1) = ipc_send k a b c in
    let k2 = if e = E_OK && r <> nFRAMES then ipc_send_to k1 a r c else k1 in
    (Printf.sprintf "%s r=%d" (err e) r, k2)
  | Recv (a, b) -> let (e, k') = ipc_recv k a b in (err e, k')
  | Reply a -> let (e, k') = ipc_reply k a in (err e, k')
  | Fault (a, b, c, d, e) -> let (r, k') = ipc_fault k a b c d e in (Printf.sprintf "r=%d" r, k')
  | Signal (a, b, c) -> let (e, k') = ntfn_signal k a b c in (err e, k')
  | Wait (a, b) -> let (e, k') = ntfn_wait k a b in (err e, k')
  | Pick -> let (p, k') = sched_pick k in (Printf.sprintf "p=%d" p, k')
  | Fwd (a, b, c, d) -> core (fwd_create k.core a b c d)
  | Sys_copy (a, b, c, d, e) -> let (e, k') = sys_cap_copy k a b c d e in (err e, k')
  | Sys_mint (a, b, c, d, e, f) -> let (e, k') = sys_cap_mint k a b c d e f in (err e, k')
  | Sys_move (a, b, c, d) -> let (e, k') = sys_cap_move k a b c d in (err e, k')
  | Proc_arg (a, b, c) ->
    (match proc_arg k a b c with
     | Ok o -> (Printf.sprintf "e=0 o=%d" o, k)
     | Err e -> (Printf.sprintf "%s o=%d" (err e) nFRAMES, k))
  | Map_frame (a, b, c) ->
    (match map_frame_lookup k.core a b c with
     | Ok r -> (Printf.sprintf "e=0 o=%d" r.cap_obj, k)
     | Err e -> (Printf.sprintf "%s o=%d" (err e) nFRAMES, k))
  | Caller_cs a -> (Printf.sprintf "cs=%d" (caller_cspace k a), k)

(* The C preconditions (the syscall / architecture layer guarantees them);
   an operation breaking one is dropped from the trace. *)
let is_cspace s c = c >= 0 && c < nFRAMES && s.frame_type c = OT_CSPACE
let is_cont s c = c >= 0 && c < nFRAMES && s.frame_type c = OT_CONTAINER
let running (k : kState) p =
  p >= 0 && p < nFRAMES && proc_live k p && k.procs0.p_state p = PS_READY
  && is_cspace k.core (k.procs0.p_cspace p)
let precondition (k : kState) = function
  | Init (r, c) -> r <> c && r >= 0 && c >= 0 && r < nFRAMES && c < nFRAMES
  | Boot_proc (c, s, p) -> is_cont k.core c && is_cspace k.core s && p < nPRIO
  | Set_recv (p, _, _) | Yield p -> p >= 0 && p < nFRAMES && proc_live k p
  | Irq_create (a, _, _, _, _) | Irq_bind (a, _, _) | Irq_ack (a, _) -> is_cspace k.core a
  | Irq_deliver s -> s > 0 && s < k.irqs0.irq_sources
  | Timer_set (a, _, _, _) | Timer_cancel (a, _) -> is_cspace k.core a
  | Timer_fire r -> r >= 0 && r < nTIMERS
  | Timer_due _ | Timer_next -> true
  | Alloc (a, _, _, _) | Device (a, _, _, _) | Free (a, _, _) | Create (a, _, _, _) | Destroy (a, _, _)
  | Delete (a, _) | Resume (a, _) | Suspend (a, _) | Read_reg (a, _, _)
  | Write_reg (a, _, _, _) | Set_fault (a, _, _) | Signal (a, _, _) -> is_cspace k.core a
  | Copy (a, _, c, _, _, _, _) -> is_cspace k.core a && is_cspace k.core c
  | Proc_create (a, b, _, _, _, _) -> is_cspace k.core a && b >= 0 && b < nFRAMES && proc_live k b
  | Send (a, _, _) | Recv (a, _) | Reply a | Fault (a, _, _, _, _) | Wait (a, _) -> running k a
  | Reap | Pick | Tick -> true
  | Fast_call (a, _) | Fast_rr (a, _) | Fast_signal (a, _, _) -> running k a
  | Fwd (a, _, _, _) | Sys_copy (a, _, _, _, _) | Sys_mint (a, _, _, _, _, _)
  | Sys_move (a, _, _, _) -> is_cspace k.core a
  | Proc_arg (p, a, _) -> p >= 0 && p < nFRAMES && is_cspace k.core a
  | Map_frame (a, _, p) -> is_cspace k.core a && p >= 1 && p <= 7 && p <> 2 && p <> 6
  (* a process's record means something only while its frame is a
     process (kernel/include/records.h): the kernel asks caller_cspace of
     the running process, or of a process a valid capability names *)
  | Caller_cs p -> p >= 0 && p < nFRAMES && proc_live k p

(* ---------- the model and the C in lockstep ---------- *)

let driver = ref ""

(* Run a trace on the model and on the C driver side by side (the driver
   as a co-process, one operation and one result line at a time, so that
   a fast path's step follows the C's verdict): the operations kept
   (those whose C preconditions held on the model's state), the model's
   lines, and the first step where the two lines differ. *)
let run_both (trace : op list) : op list * string list * (int * string * string) option =
  let (ic, oc) = Unix.open_process_args !driver [| !driver; "-p" |] in
  let finish kept lines diff =
    close_out_noerr oc;
    (try while true do ignore (input_line ic) done with End_of_file -> ());
    ignore (Unix.close_process (ic, oc));
    (List.rev kept, List.rev lines, diff) in
  let rec go k kept lines i = function
    | [] -> finish kept lines None
    | o :: rest ->
      if not (precondition k o) then go k kept lines i rest
      else begin
        output_string oc (op_line o ^ "\n");
        flush oc;
        let c = try input_line ic with End_of_file -> "<driver crashed or failed>" in
        let taken = String.length c >= 3 && String.sub c 0 3 = "t=1" in
        let (r, k') = step ~taken k o in
        let k' = knorm k' in
        let m = r ^ kdump k' in
        if m <> c then finish (o :: kept) (m :: lines) (Some (i, m, c))
        else go k' (o :: kept) (m :: lines) (i + 1) rest
      end in
  match trace with
  | Init _ :: _ ->
    let (_, k0) = kboot 0 1 in
    go (knorm k0) [] [] 0 trace
  | _ -> finish [] [] None

let first_divergence (trace : op list) : (int * string * string) option =
  let (_, _, d) = run_both trace in d

let diverges t = first_divergence t <> None

(* ---------- the generator ---------- *)

let hostile_u32 () = pick [ 32; 33; 255; 1024; 4294967295 ]
let slot () = if chance 0.05 then hostile_u32 () else if chance 0.7 then rint 10 else rint nSLOTS

let frames_where (k : kState) p = List.filter p (List.init nFRAMES Fun.id)
let slots_where s c p = List.filter (fun i -> p (s.cap0 c i)) (List.init nSLOTS Fun.id)

let value () =
  if chance 0.4 then rint 5
  else if chance 0.5 then pick [ 1; 2; 4; 5; 6; 9; 13; 1 + 4 * 3; 2 + 4 * 2 + 1024 * 3; 1 + 4 * 100; 2 + 4 * 70 + 1024 * 127; 3; 262143; 262144; 1048575; 1048576 ]
  else Random.State.int64 !rng (Int64.shift_left 1L 62) |> Int64.to_int

(* A register value as hostile user code may pass it: SLOT_SELF, a value
   whose low 32 bits are a good slot, a huge one, or a plain slot. *)
let slot_self = 4294967295
let reg_slot good =
  match rint 20 with
  | 0 -> slot_self
  | 1 -> (1 lsl 32) + good
  | 2 -> pick [ 1 lsl 40; (1 lsl 62) - 1; 4294967294; 4294967296 ]
  | 3 -> rint 256
  | _ -> good

(* The decode's operations: capability transfers through a destination
   argument (SLOT_SELF, a cspace or process capability, direct or through
   forwarders, or anything else), forwarders to make such chains, and
   process arguments. *)
let decode_op (k : kState) : op =
  let s = k.core in
  let ps = k.procs0 in
  let from l fallback = if l = [] then fallback () else pick l in
  let slots p = slots_where s 1 (fun x -> p x) in
  let holding t = slots (fun x -> x.cap_type = t) in
  let empty () = from (slots (fun x -> x.cap_type = OT_FREE)) slot in
  let full () = from (slots (fun x -> x.cap_type <> OT_FREE)) slot in
  let dst_arg () =
    match rint 6 with
    | 0 -> slot_self
    | 1 -> reg_slot (from (holding OT_CSPACE) slot)
    | 2 -> reg_slot (from (holding OT_PROCESS) slot)
    | 3 -> reg_slot (from (holding OT_FORWARDER) slot)
    | 4 -> reg_slot (full ())
    | _ -> reg_slot (slot ()) in
  let rights () = if chance 0.85 then rint 8 else pick [ 8; 15; 255; 1 lsl 33 ] in
  match rint 8 with
  | 7 -> Yield (from (frames_where k (fun f -> ps.p_state f <> PS_NONE)) (fun () -> 0))
  | 0 ->
    (* a forwarder over a cspace, process or forwarder capability *)
    let t = from (holding (pick [ OT_CSPACE; OT_PROCESS; OT_FORWARDER ])) full in
    Fwd (1, from (holding OT_CONTAINER) slot, t, empty ())
  | 1 | 2 -> Sys_copy (1, reg_slot (full ()), dst_arg (), reg_slot (rint 10), rights ())
  | 3 -> Sys_mint (1, reg_slot (full ()), dst_arg (), reg_slot (rint 10), rights (),
                  if chance 0.3 then 0 else 1 + rint 1000)
  | 4 -> Sys_move (1, reg_slot (full ()), dst_arg (), reg_slot (rint 10))
  | 5 ->
    let cur = from (frames_where k (fun f -> ps.p_state f <> PS_NONE)) (fun () -> 0) in
    Proc_arg (cur, 1, match rint 4 with
                      | 0 -> slot_self
                      | 1 -> reg_slot (from (holding OT_FORWARDER) slot)
                      | _ -> reg_slot (from (holding OT_PROCESS) slot))
  | 6 when chance 0.5 ->
    (* map's frame argument: a frame, a device page, through forwarders or not *)
    Map_frame (1, (match rint 4 with
                   | 0 -> from (holding OT_DEVICE) slot
                   | 1 -> from (holding OT_FRAME) slot
                   | 2 -> from (holding OT_FORWARDER) slot
                   | _ -> full ()), pick [ 1; 3; 4; 5; 7 ])
  | _ -> Caller_cs (from (frames_where k (fun f -> proc_live k f)) (fun () -> 0))

(* The interrupt handlers (issue 15): an IRQ control, handlers for a few
   sources (and forged ones), bindings to notifications, interrupts of
   taken and free sources, acknowledgements (and second ones). *)
let irq_op (k : kState) : op =
  let s = k.core in
  let from l fallback = if l = [] then fallback () else pick l in
  let holding t = slots_where s 1 (fun x -> x.cap_type = t) in
  let empty () = from (slots_where s 1 (fun x -> x.cap_type = OT_FREE)) slot in
  let src () = if chance 0.85 then 1 + rint 6 else pick [ 0; 1023; 1024; 5000; 0xFFFFFFFF ] in
  (* mostly a source whose handler lives, so that interrupts and
     acknowledgements succeed as often as they are refused *)
  let taken = List.filter (fun x -> irq_taken k x) (List.init 8 Fun.id) in
  let live_src () = if chance 0.8 then from taken src else src () in
  match rint 10 with
  | 0 -> Device (1, from (holding OT_CONTAINER) slot, 10, empty ())
  | 1 | 2 -> Irq_create (1, from (holding OT_IRQ_CONTROL) slot, from (holding OT_CONTAINER) slot,
                         src (), empty ())
  | 3 | 4 -> Irq_bind (1, from (holding OT_IRQ_HANDLER) slot,
                       from (holding OT_NOTIFICATION) slot)
  | 5 | 6 | 7 -> Irq_deliver (live_src ())
  | _ -> Irq_ack (1, if chance 0.9 then from (holding OT_IRQ_HANDLER) slot else slot ())

(* The timers (issue 15): timers made and armed (through forwarders too,
   and with a forwarder as the notification: refused), cancelled; the
   clock's questions (due, next) and the rows fired, mostly those due. *)
let timer_op (k : kState) : op =
  let s = k.core in
  let from l fallback = if l = [] then fallback () else pick l in
  let holding t = slots_where s 1 (fun x -> x.cap_type = t) in
  let timer () = if chance 0.8 then from (holding OT_TIMER) slot
    else if chance 0.5 then from (holding OT_FORWARDER) slot else slot () in
  let ntfn () = if chance 0.85 then from (holding OT_NOTIFICATION) slot
    else from (holding OT_FORWARDER) slot in
  let deadline () = if chance 0.1 then pick [ 1 lsl 40; 1 lsl 61 ] else rint 1000 in
  match rint 12 with
  | 0 | 1 -> Alloc (1, from (holding OT_CONTAINER) slot, 12,
                    from (slots_where s 1 (fun x -> x.cap_type = OT_FREE)) slot)
  | 2 | 3 | 4 -> Timer_set (1, timer (), ntfn (), deadline ())
  | 5 -> Timer_cancel (1, timer ())
  | 6 | 7 -> Timer_due (rint 1200)
  | 8 | 9 ->
    let d = timer_due k (rint 1200) in
    Timer_fire (if d < nTIMERS && chance 0.9 then d else rint nTIMERS)
  | _ -> Timer_next

let gen_op (k : kState) : op =
  let s = k.core in
  let ps = k.procs0 in
  let css = frames_where k (fun f -> s.frame_type f = OT_CSPACE) in
  let procs = frames_where k (fun f -> ps.p_state f <> PS_NONE) in
  let runners = List.filter (running k) procs in
  let from l fallback = if l = [] then fallback () else pick l in
  (* mostly the root task's cspace (1), where the capabilities are *)
  let cs () = if chance 0.8 || css = [] then 1 else pick css in
  let with_type c t = slots_where s c (fun x -> x.cap_type = t) in
  let typed c t = if chance 0.85 then from (with_type c t) slot else slot () in
  let dst c = if chance 0.85 then from (slots_where s c (fun x -> x.cap_type = OT_FREE)) slot else slot () in
  let cur () = if chance 0.9 then from runners (fun () -> rint 8) else from procs (fun () -> rint 8) in
  let any_slot c = if chance 0.7 then from (slots_where s c (fun x -> x.cap_type <> OT_FREE)) slot else slot () in
  match rint 170 with
  | n when n >= 150 -> timer_op k
  | n when n >= 140 -> irq_op k
  | n when n >= 130 ->
    (* a fast path from a running process (taken when its conditions
       hold: a waiting partner, priorities, a register-only message), or
       a timer tick *)
    let c = from runners (fun () -> rint 8) in
    let cc = ps.p_cspace c in
    let ep () = if chance 0.9 then from (with_type cc OT_ENDPOINT) slot else slot () in
    (match n - 130 with
     | 0 | 1 | 2 -> Fast_call (c, ep ())
     | 3 | 4 | 5 -> Fast_rr (c, ep ())
     | 6 | 7 ->
       Fast_signal (c, (if chance 0.9 then from (with_type cc OT_NOTIFICATION) slot else slot ()),
                    if chance 0.2 then 0 else value ())
     | _ -> Tick)
  | n when n < 12 ->
    if chance 0.06 then Device (1, typed 1 OT_CONTAINER, pick [ 9; 10 ], dst 1)
    else Alloc (1, typed 1 OT_CONTAINER, pick [ 2; 2; 3; 5; 5; 6; 6; 7 ], dst 1)
  | n when n < 16 -> Create (1, typed 1 OT_CONTAINER, dst 1, 2 + rint 10)
  | n when n < 24 ->
    (* a new process from a container, with an empty cspace *)
    let empty = List.filter (fun i ->
        let c = (s.cap0 1 i).cap_obj in
        List.for_all (fun j -> (s.cap0 c j).cap_type = OT_FREE) (List.init nSLOTS Fun.id))
        (with_type 1 OT_CSPACE) in
    let caller = from procs (fun () -> 0) in
    Proc_create (1, caller, typed 1 OT_CONTAINER,
                 (if chance 0.85 then from empty (fun () -> typed 1 OT_CSPACE) else typed 1 OT_CSPACE),
                 dst 1, if chance 0.1 then pick [ 8; 9; 255 ] else rint 8)
  | n when n < 30 -> Resume (1, typed 1 OT_PROCESS)
  | n when n < 34 ->
    (* mostly a process blocked in IPC, whose call is then cancelled *)
    let blocked = slots_where s 1 (fun x ->
        x.cap_type = OT_PROCESS && ps_blocked (ps.p_state x.cap_obj)) in
    Suspend (1, if chance 0.7 then from blocked (fun () -> typed 1 OT_PROCESS)
                else typed 1 OT_PROCESS)
  | n when n < 40 ->
    Write_reg (1, typed 1 OT_PROCESS, (if chance 0.1 then pick [ 0; 33; 99 ] else pick [ 10; 11; 12; 13; 16; 16; 17; 32 ]), value ())
  | n when n < 43 -> Read_reg (1, typed 1 OT_PROCESS, if chance 0.1 then pick [ 0; 33 ] else 1 + rint 32)
  | n when n < 46 -> Set_fault (1, typed 1 OT_PROCESS, typed 1 OT_ENDPOINT)
  | n when n < 53 ->
    (* give a process's cspace a capability (an endpoint, notification...) *)
    let d = if css = [] then 1 else pick css in
    Copy (1, any_slot 1, d, dst d, rint 2, rint 2, if chance 0.8 then 1 else 0)
  | n when n < 56 ->
    let rs () = if chance 0.8 then 10 + rint 8
                else pick [ slot (); nSLOTS; slot_self; 1 lsl 40; (1 lsl 32) + 12 ] in
    Set_recv (from procs (fun () -> 0), rs (), rs ())
  | n when n < 66 ->
    let c = cur () in
    let cc = ps.p_cspace c in
    Send (c, typed cc OT_ENDPOINT, rint 2)
  | n when n < 74 -> let c = cur () in Recv (c, typed (ps.p_cspace c) OT_ENDPOINT)
  | n when n < 78 -> Reply (cur ())
  | n when n < 80 -> Fault (cur (), value (), value (), value (), value ())
  | n when n < 85 -> Signal (1, typed 1 OT_NOTIFICATION, if chance 0.2 then 0 else value ())
  | n when n < 89 -> let c = cur () in Wait (c, typed (ps.p_cspace c) OT_NOTIFICATION)
  | n when n < 93 -> Pick
  | n when n < 96 -> Free (1, 0, any_slot 1)
  | n when n >= 100 -> decode_op k
  | n when n < 98 -> Destroy (1, 0, typed 1 OT_CONTAINER)
  | _ -> Delete (1, any_slot 1)

let gen_trace ?(prio2 = 5) ?(script = [||]) (steps : int) : op list =
  (* Frames are allocated lowest first: the root task is frame 2, then an
     endpoint (3, slot 2), a notification (4, slot 3), two capability
     spaces (5 and 6, slots 4 and 5), two processes on them (7 and 8,
     slots 6 and 7; proc_create wants an empty cspace, E_NOT_EMPTY), then
     each cspace gets the endpoint (its slot 0) and the notification (slot
     1), and both processes start; an IRQ control and a bound handler;
     two timers, one armed.
     Then anything goes. *)
  let prefix = [ Init (0, 1); Boot_proc (0, 1, 7);
                 Alloc (1, 0, 5, 2); Alloc (1, 0, 6, 3); Alloc (1, 0, 2, 4); Alloc (1, 0, 2, 5);
                 Proc_create (1, 2, 0, 4, 6, 3); Proc_create (1, 2, 0, 5, 7, prio2);
                 Copy (1, 2, 5, 0, 1, 1, 1); Copy (1, 3, 5, 1, 1, 1, 1);
                 Copy (1, 2, 6, 0, 1, 1, 1); Copy (1, 3, 6, 1, 1, 1, 1);
                 Resume (1, 6); Resume (1, 7);
                 (* an IRQ control (slot 8), a handler of source 3 (slot 9)
                    bound to the notification *)
                 Device (1, 0, 10, 8); Irq_create (1, 8, 0, 3, 9); Irq_bind (1, 9, 3);
                 (* two timers (slots 10, 11), one armed for the notification *)
                 Alloc (1, 0, 12, 10); Alloc (1, 0, 12, 11); Timer_set (1, 10, 3, 500) ] in
  let k0 = List.fold_left (fun k o -> if precondition k o then knorm (snd (step k o)) else k)
      (knorm (snd (kboot 0 1))) prefix in
  let next = ref 0 in
  let rec go k n acc =
    if n = 0 then List.rev acc
    else if Array.length script > 0 && chance 0.6 then begin
      (* the script's next step, kept whatever the generator's state says
         (its guess of a fast path's verdict may be wrong: the lockstep
         run drops the steps whose preconditions fail) *)
      let o = script.(!next mod Array.length script) in
      incr next;
      let k' = if precondition k o then knorm (snd (step k o)) else k in
      go k' (n - 1) (o :: acc)
    end
    else
      let o = gen_op k in
      if precondition k o then
        let (_, k') = step k o in
        (* a destruction is followed by the reaper, as in the kernel *)
        let k' = knorm k' in
        match o with
        | Free _ | Destroy _ -> go (knorm (snd (step k' Reap))) (n - 1) (Reap :: o :: acc)
        | _ -> go k' (n - 1) (o :: acc)
      else go k (n - 1) acc in
  go k0 steps (List.rev prefix)

let () =
  let seed = ref (-1) and ntraces = ref 60 and nsteps = ref 80 in
  let args = ref [] in
  Arg.parse
    [ ("-seed", Arg.Set_int seed, "random seed (default: $CONFORM_SEED, else a fresh one)");
      ("-traces", Arg.Set_int ntraces, "number of random traces (default 60)");
      ("-steps", Arg.Set_int nsteps, "steps per random trace (default 80)") ]
    (fun a -> args := a :: !args)
    "conform_procs DRIVER [options]";
  (match !args with
   | [ d ] -> driver := d
   | _ -> prerr_endline "usage: conform_procs DRIVER [options]"; exit 2);
  seed := choose_seed "conform_procs" !seed;
  check_driver "conform_procs" !driver;
  (* Every third trace follows a script between the two child processes
     (frames 7 and 8: endpoint in slot 0, notification in slot 1 of their
     cspaces), interleaved with random steps: receive, call, reply and
     receive, signal to a waiter, a slow call answered by a plain reply,
     ticks. At equal priorities (8 at 3) the call and reply-and-receive
     fast paths can be taken; with 8 above 7 (5) the call and the signal
     fast paths. *)
  let script = [| Recv (8, 0); Fast_call (7, 0); Fast_rr (8, 0); Fast_call (7, 0); Reply 8;
                  Wait (8, 1); Fast_signal (7, 1, 5); Send (7, 0, 1); Recv (8, 0); Reply 8;
                  Tick |] in
  let traces = List.init !ntraces (fun i ->
      let n = 1 + rint (2 * !nsteps) in
      if i mod 3 = 2 then gen_trace ~prio2:(pick [ 3; 5 ]) ~script n else gen_trace n) in
  let total = ref 0 and results = Hashtbl.create 16 and blocked_steps = ref 0 in
  List.iteri (fun ti t ->
      let (kept, model, divergence) = run_both t in
      total := !total + List.length kept;
      List.iter (fun l -> if List.exists (fun w ->
          match String.split_on_char ':' w with
          | p :: st :: _ when String.length p > 1 && p.[0] = 'P' ->
            (match int_of_string_opt st with Some c -> c >= 3 && c <= 7 | None -> false)
          | _ -> false) (words l) then incr blocked_steps) model;
      List.iter2 (fun o l ->
          let r = List.hd (words l) in
          (* a deadline's value says nothing of coverage: "d=N" or "d=never" *)
          let r = if String.length r > 2 && String.sub r 0 2 = "d=" && r <> "d=never"
            then "d=N" else r in
          let key = (List.hd (words (op_line o))) ^ ":" ^ r in
          Hashtbl.replace results key (1 + try Hashtbl.find results key with Not_found -> 0))
        kept model;
      match divergence with
      | None -> ()
      | Some _ ->
        Printf.printf "conform_procs: trace %d (seed %d) diverges; shrinking... (replay: CONFORM_SEED=%d)\n%!" ti !seed !seed;
        let (small, _, _) = run_both (shrink diverges t) in
        Printf.printf "shortest diverging trace found (%d operations):\n" (List.length small);
        List.iter (fun o -> Printf.printf "  %s\n" (op_line o)) small;
        (match first_divergence small with
         | Some (i, m, c) ->
           Printf.printf "first difference after step %d (%s):\n    %s\n" i
             (op_line (List.nth small i)) (first_field_diff m c)
         | None -> ());
        exit 1)
    traces;
  let seen = Hashtbl.fold (fun k v acc -> (k, v) :: acc) results [] |> List.sort compare in
  Printf.printf "conform_procs: OK: %d traces, %d steps, spec and C agree after every step\n"
    (List.length traces) !total;
  Printf.printf "steps with a process blocked in IPC: %d\n" !blocked_steps;
  Printf.printf "operation:result seen:";
  List.iter (fun (k, v) -> Printf.printf " %s=%d" k v) seen;
  print_newline ();
  (* Coverage: every operation of the harness, and the error codes the
     run reached (of any operation). *)
  let all_ops = [ "kernel_init"; "boot_proc"; "sys_set_recv_slots"; "sys_yield"; "obj_alloc";
                  "obj_free"; "container_create"; "container_destroy"; "cap_copy"; "cap_delete";
                  "proc_create"; "proc_resume"; "proc_suspend"; "proc_read_reg"; "proc_write_reg";
                  "proc_set_fault"; "proc_reap"; "ipc_send"; "ipc_recv"; "ipc_reply"; "ipc_fault";
                  "ntfn_signal"; "ntfn_wait"; "sched_pick"; "fwd_create"; "sys_cap_copy";
                  "sys_cap_mint"; "sys_cap_move"; "proc_arg"; "caller_cspace"; "sched_tick";
                  "typed_alloc"; "map_frame_lookup"; "irq_handler_create"; "irq_set_ntfn";
                  "irq_ack"; "irq_deliver"; "timer_set"; "timer_cancel"; "timer_due";
                  "timer_fire"; "timer_next";
                  "fast_call"; "fast_reply_recv"; "fast_signal" ] in
  let ran name = List.exists (fun (k, _) -> List.hd (String.split_on_char ':' k) = name) seen in
  let codes = List.sort_uniq compare (List.filter_map (fun (k, _) ->
      match String.split_on_char ':' k with
      | [ _; r ] when String.length r > 2 && String.sub r 0 2 = "e=" ->
        int_of_string_opt (String.sub r 2 (String.length r - 2))
      | _ -> None) seen) in
  Printf.printf "coverage: %d of %d operations run; error codes reached: %s\n"
    (List.length (List.filter ran all_ops)) (List.length all_ops)
    (String.concat " " (List.map string_of_int codes));
  let never = List.filter (fun o -> not (ran o)) all_ops in
  if never <> [] then begin
    Printf.printf "conform_procs: never run: %s; the generator is broken\n" (String.concat " " never);
    exit 1
  end;
  (* a run in which the IPC paths never succeed tests little; a long run
     must also have taken each fast path *)
  let ok name = List.exists (fun (k, _) -> k = name ^ ":e=0") seen in
  let taken name = List.exists (fun (k, _) -> k = name ^ ":t=1") seen in
  let want_taken = if !total >= 20000 then [ "fast_call"; "fast_reply_recv"; "fast_signal" ] else [] in
  if not (List.for_all ok [ "proc_create"; "proc_resume"; "ipc_send"; "ipc_recv"; "ntfn_signal"; "ntfn_wait";
                            "ipc_reply"; "sched_tick" ]) || not (List.for_all taken want_taken) then begin
    prerr_endline "conform_procs: some operation never succeeded (or a fast path never taken); the generator is broken";
    exit 1
  end
