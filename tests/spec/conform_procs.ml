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

   The address spaces (spec/VSpace.v, kernel/vspace.c; issue 14 item 7):
   the model's state is the pair (KState, VS), and the dump adds the page
   tables, each process's root and satp, and the frames' mapping records
   (dump_vs), with each record's capability slot (m_cs, m_csgen, m_slot)
   and every cspace's non-zero marks (cap_mapped). As in the kernel, a new
   process gets vs_proc_init (boot_proc, a successful proc_create);
   "sys_map", "sys_unmap", "sys_cap_delete" and "sys_cap_move" are
   kernel/decode.c's (spec/VSpace.v's sys_map ... sys_cap_move): a mapping
   lives as long as the capability it was made through stays in its slot
   and still resolves (no forwarder path is stored: path_live re-resolves
   the slot), ends when it is deleted (vs_slot_gone) and follows it when
   it is moved (vs_follow); every capability deletion of these traces is
   sys_cap_delete; a container's destruction is followed by proc_reap
   then vs_reap (the syscall layer's reap), an object's free (SYS_OBJ_FREE
   since commit 37ad752a) mostly by obj_gone of the object and type its
   slot held before (kernel/decode.c), sometimes by vs_cspace_gone alone
   (a cspace) or by reap as before that commit; "sys_obj_free" is the
   whole call as arch-riscv/syscall.c runs it (obj_free_call), and
   obj_gone also runs alone on any frame. Every third trace is an address-space trace (a
   process in a small container, frames, a device page, forwarders to a
   frame; maps and unmaps from then on, mixed with everything else); every
   fourth of those (at the kernel's sizes: with -fill, the first only)
   retires three frames and fills the memory, with frame objects in bulk
   and then page tables (the root task maps and unmaps in ever new
   regions), until the maps run out of frames (E_NO_MEMORY). The run ends
   with the results of the address-space steps ("address spaces:", and
   "mappings and capabilities:": the maps refused with E_BAD_STATE, the
   deletions that ended a mapping, the moves that carried one) and fails
   if one it should reach was not.

   usage: conform_procs DRIVER [-seed N] [-traces N] [-steps N] [-fill] [-show N]
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

(* ---------- the address spaces (spec/VSpace.v) ---------- *)

let ptes = 512

(* The page tables' rows as last read: a row read again with the same
   entries (most rows, most steps: the dump reads every table's) is that
   array again, not a new one (a fill trace keeps hundreds of tables). *)
let row_cache : int array option array = Array.make nFRAMES None
let row_scratch = Array.make ptes 0

(* the last tables normalise_vs made: most steps leave them as they are *)
let last_vs : vS option ref = ref None

let normalise_vs (v : vS) : vS =
  match !last_vs with
  | Some l when l == v -> v
  | _ ->
  let n = nFRAMES in
  let memo f =
    let a = Array.init n f in
    fun i -> if i >= 0 && i < n then a.(i) else f i in
  let read_row t =
    for i = 0 to ptes - 1 do row_scratch.(i) <- v.pt_entry t i done;
    let same r = let rec eq i = i >= ptes || (r.(i) = row_scratch.(i) && eq (i + 1)) in eq 0 in
    match row_cache.(t) with
    | Some r when same r -> r
    | _ -> let r = Array.copy row_scratch in row_cache.(t) <- Some r; r in
  let rows = Array.init n (fun t -> lazy (read_row t)) in
  { pt_entry = (fun t i ->
        if t >= 0 && t < n && i >= 0 && i < ptes then (Lazy.force rows.(t)).(i)
        else v.pt_entry t i);
    p_vroot = memo v.p_vroot; p_satp = memo v.p_satp; m_used = memo v.m_used;
    m_proc = memo v.m_proc; m_pgen = memo v.m_pgen; m_fgen = memo v.m_fgen;
    m_va = memo v.m_va;
    m_cs = memo v.m_cs; m_csgen = memo v.m_csgen; m_slot = memo v.m_slot;
    (* the marks, a row a cspace, read when first asked *)
    cap_mapped = (let rows = Array.init n (fun c -> lazy (Array.init nSLOTS (v.cap_mapped c))) in
                  fun c i -> if c >= 0 && c < n && i >= 0 && i < nSLOTS then (Lazy.force rows.(c)).(i)
                    else v.cap_mapped c i) }
  |> fun v' -> last_vs := Some v'; v'

let snorm ((k, v) : kState * vS) = (knorm k, normalise_vs v)

(* A satp: the model's VS_SATP_SV39 (2^63) is min_int (spec/Extract.v), so
   the sign bit of the OCaml int stands for satp's bit 63; printed, as the
   driver does, as the top two bits and the low 62. *)
let satp_str (x : int) = Printf.sprintf "%d:%d" (if x < 0 then 2 else 0) (x land max_int)

(* Same format as dump_vs in driver.c. *)
let dump_vs (k : kState) (v : vS) : string =
  let buf = Buffer.create 1024 in
  Buffer.add_string buf " |V";
  for t = 0 to nFRAMES - 1 do
    if k.core.frame_type t = OT_PAGETABLE then begin
      Printf.bprintf buf " T%d:%d:%d" t (k.procs0.pt_proc t) (k.procs0.pt_proc_gen t);
      for i = 0 to ptes - 1 do
        let e = v.pt_entry t i in
        if e <> 0 then Printf.bprintf buf ":%d=%d" i e
      done
    end
  done;
  for p = 0 to nFRAMES - 1 do
    if k.core.frame_type p = OT_PROCESS && k.procs0.p_state p <> PS_NONE then
      Printf.bprintf buf " V%d:%d:%s" p (v.p_vroot p) (satp_str (v.p_satp p))
  done;
  for f = 0 to nFRAMES - 1 do
    if v.m_used f then
      Printf.bprintf buf " M%d:%d:%d:%d:%d:s%d.%d.%d" f (v.m_proc f) (v.m_pgen f) (v.m_fgen f)
        (v.m_va f) (v.m_cs f) (v.m_csgen f) (v.m_slot f)
  done;
  (* the marks: every slot of a cspace that says a mapping was made
     through it (cap_mapped, not 0) *)
  for c = 0 to nFRAMES - 1 do
    if k.core.frame_type c = OT_CSPACE then
      for i = 0 to nSLOTS - 1 do
        let m = v.cap_mapped c i in
        if m <> 0 then Printf.bprintf buf " K%d.%d=%d" c i m
      done
  done;
  Buffer.contents buf

let sdump ((k, v) : kState * vS) = kdump k ^ dump_vs k v

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
  | Sys_delete of int * int                      (* cs a0: SYS_CAP_DELETE *)
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
  (* the address spaces (issue 14 item 7): SYS_MAP and SYS_UNMAP from
     their decode on (registers as the caller passes them), the reaper's
     second half, and the lookup the architecture layer makes *)
  | Sys_map of int * int * int * int * int * int   (* cur cs proc frame va perm *)
  | Sys_unmap of int * int * int * int             (* cur cs proc va *)
  | Vs_reap
  | Vs_lookup of int * int                         (* p va *)
  (* SYS_OBJ_FREE since 37ad752a: the whole call (cs a0 a1: registers),
     and its second half alone, obj_gone (object, type code) and
     vs_cspace_gone (a dead cspace) *)
  | Sys_free of int * int * int
  | Obj_gone of int * int
  | Cspace_gone of int
  (* the driver's test-only step (driver.c): a free frame's generation, to
     retire a frame without four billion frees (conform.ml does too) *)
  | Set_gen of int * int

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
  | Sys_delete (a, b) -> Printf.sprintf "sys_cap_delete %d %d" a b
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
  | Sys_map (a, b, c, d, e, f) -> Printf.sprintf "sys_map %d %d %d %d %d %d" a b c d e f
  | Sys_unmap (a, b, c, d) -> Printf.sprintf "sys_unmap %d %d %d %d" a b c d
  | Vs_reap -> "vs_reap"
  | Vs_lookup (a, b) -> Printf.sprintf "vs_lookup %d %d" a b
  | Sys_free (a, b, c) -> Printf.sprintf "sys_obj_free %d %d %d" a b c
  | Obj_gone (a, b) -> Printf.sprintf "obj_gone %d %d" a b
  | Cspace_gone a -> Printf.sprintf "vs_cspace_gone %d" a
  | Set_gen (f, g) -> Printf.sprintf "set_gen %d %d" f g

let err e = Printf.sprintf "e=%d" (error_code e)

(* [taken]: for a fast path, whether the C took it (its result line
   starts "t=1"). The spec does not model the conditions under which the C
   takes a fast path (they read the queue indices, which are C only): the
   harness takes the C's word for that, and checks the state either way:
   taken, the spec's fast operation (the slow path's state but for cur's
   message record, spec/Procs.v); declined, nothing changed. *)
let kstep ?(taken = false) (k : kState) (o : op) : string * kState =
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
  | Proc_arg (a, b, c) ->
    (match proc_arg k a b c with
     | Ok o -> (Printf.sprintf "e=0 o=%d" o, k)
     | Err e -> (Printf.sprintf "%s o=%d" (err e) nFRAMES, k))
  | Map_frame (a, b, c) ->
    (match map_frame_lookup k.core a b c with
     | Ok r -> (Printf.sprintf "e=0 o=%d" r.cap_obj, k)
     | Err e -> (Printf.sprintf "%s o=%d" (err e) nFRAMES, k))
  | Caller_cs a -> (Printf.sprintf "cs=%d" (caller_cspace k a), k)
  | Set_gen (f, g) ->
    ("e=0", { k with core = { k.core with frame_gen = (fun i -> if i = f then g else k.core.frame_gen i) } })
  | Sys_map _ | Sys_unmap _ | Sys_delete _ | Sys_move _ | Vs_reap | Vs_lookup _
  | Sys_free _ | Obj_gone _ | Cspace_gone _ ->
    invalid_arg "kstep: an address-space operation (step)"

(* An object type from its code (obj_gone's argument); a code that names
   none does what a type obj_gone ignores does: nothing (OT_FREE). *)
let all_types = [ OT_FREE; OT_CONTAINER; OT_CSPACE; OT_FRAME; OT_FORWARDER; OT_ENDPOINT;
                  OT_NOTIFICATION; OT_PROCESS; OT_PAGETABLE; OT_DEVICE; OT_IRQ_CONTROL;
                  OT_IRQ_HANDLER; OT_TIMER; OT_RETIRED ]
let type_of_code c = try List.find (fun t -> objtype_code t = c) all_types with Not_found -> OT_FREE

(* What SYS_OBJ_FREE reads before obj_free: the object slot's object and
   type ([NFRAMES] and OT_FREE past the cspace), as arch-riscv/syscall.c
   does (and spec/VSpace.v's sys_obj_free_c). *)
let free_reads (k : kState) (cs : int) (sl : int) : int * int =
  if sl >= 0 && sl < nSLOTS then
    let c = k.core.cap0 cs sl in (c.cap_obj, objtype_code c.cap_type)
  else (nFRAMES, objtype_code OT_FREE)

(* The process a step made, if it made one (then vs_proc_init, as the
   architecture layer's process_new). *)
let made_proc (k' : kState) (o : op) (r : string) : int option =
  match o with
  | Boot_proc _ -> (try Scanf.sscanf r "e=0 f=%d%!" (fun f -> Some f) with _ -> None)
  | Proc_create (a, _, _, _, e, _) when r = "e=0" -> Some (k'.core.cap0 a e).cap_obj
  | _ -> None

(* One step on the model's pair of states. *)
let step ?(taken = false) ((k, v) as s : kState * vS) (o : op) : string * (kState * vS) =
  match o with
  | Sys_map (cur, cs, proc, frame, va, perm) ->
    let (e, s') = sys_map s cur cs proc frame va perm in (err e, s')
  | Sys_unmap (cur, cs, proc, va) -> let (e, s') = sys_unmap s cur cs proc va in (err e, s')
  (* a capability's deletion and move end or carry the mapping made
     through it (kernel/decode.c: vs_slot_gone, vs_follow) *)
  | Sys_delete (cs, a0) -> let (e, s') = sys_cap_delete s cs a0 in (err e, s')
  | Sys_move (cs, a0, a1, a2) -> let (e, s') = sys_cap_move s cs a0 a1 a2 in (err e, s')
  (* vs_reap passes over every frame: the C's bound f_hi is the frames'
     high-water mark, and no frame at or above it was ever mapped *)
  | Vs_reap -> ("e=0", vs_reap s nFRAMES)
  | Vs_lookup (p, va) -> (Printf.sprintf "pte=%d" (vs_lookup s p va), s)
  (* obj_gone's forwarder case runs vs_reap: the bound as for Vs_reap *)
  | Sys_free (cs, a0, a1) -> let (e, s') = sys_obj_free_c s nFRAMES cs a0 a1 in (err e, s')
  | Obj_gone (o, t) -> ("e=0", obj_gone s nFRAMES o (type_of_code t))
  | Cspace_gone c -> ("e=0", vs_cspace_gone s c)
  | _ ->
    let (r, k') = kstep ~taken k o in
    match made_proc k' o r with
    | Some p -> (r, vs_proc_init (k', v) p)
    | None -> (r, (k', v))

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
  | Sys_delete (a, _) | Resume (a, _) | Suspend (a, _) | Read_reg (a, _, _)
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
  (* the caller of a map or an unmap is a live process (the one running);
     vs_lookup's process is one too (the architecture asks it of the
     process it copies to or from) *)
  | Sys_unmap (cur, cs, _, _) ->
    cur >= 0 && cur < nFRAMES && proc_live k cur && is_cspace k.core cs
  (* sys_map's own preconditions are only these (kernel/decode.c): a
     caller that is no process (any more) is refused, E_BAD_STATE, when
     it names itself *)
  | Sys_map (cur, cs, _, _, _, _) -> cur >= 0 && cur < nFRAMES && is_cspace k.core cs
  | Vs_reap -> true
  | Vs_lookup (p, _) -> p >= 0 && p < nFRAMES && proc_live k p
  | Sys_free (a, _, _) -> is_cspace k.core a
  (* obj_gone asks nothing of its arguments (it checks them); vs_cspace_gone
     wants a frame that is no cspace (kernel/vspace.c), here a dead one, as
     obj_gone passes it *)
  | Obj_gone _ -> true
  | Cspace_gone c -> c >= 0 && c < nFRAMES
                     && (k.core.frame_type c = OT_FREE || k.core.frame_type c = OT_RETIRED)
  | Set_gen (f, g) -> f >= 0 && f < nFRAMES && k.core.frame_type f = OT_FREE
                      && g >= k.core.frame_gen f && g < gEN_MAX

(* ---------- the model and the C in lockstep ---------- *)

let driver = ref ""

(* Run a trace on the model and on the C driver side by side (the driver
   as a co-process, one operation and one result line at a time, so that
   a fast path's step follows the C's verdict): the operations kept
   (those whose C preconditions held on the model's state), the model's
   lines, and the first step where the two lines differ. *)
(* The maps the model made, by the number of forwarders the frame
   argument's capability resolved through (read on the model's state
   before the map: the records no longer store that path). *)
let fw_maps = Array.make (mAXFWD + 1) 0

let count_fw_map ((k, _) : kState * vS) (cs : int) (frame : int) =
  let st = k.core in
  let rec len (c : cap) n =
    if c.cap_type = OT_FORWARDER && n < mAXFWD then len (st.fw c.cap_obj) (n + 1) else n in
  let n = len (st.cap0 cs (slot32 frame)) 0 in
  fw_maps.(n) <- fw_maps.(n) + 1

(* SYS_OBJ_FREE's second half: obj_gone by the branch it takes (read on
   the model's state before it: for sys_obj_free, after its obj_free),
   and how many of each removed a mapping record ("+removed") *)
let gone_seen : (string, int) Hashtbl.t = Hashtbl.create 16
let gone_branch (k : kState) (o : int) (t : int) : string =
  if o < 0 || o >= nFRAMES
     || not (k.core.frame_type o = OT_FREE || k.core.frame_type o = OT_RETIRED) then "alive"
  else match type_of_code t with
    | OT_FRAME -> "frame" | OT_CSPACE -> "cspace" | OT_FORWARDER -> "forwarder"
    | OT_ENDPOINT -> "endpoint" | OT_NOTIFICATION -> "notification" | OT_PROCESS -> "process"
    | _ -> "other"
let note_gone (key : string) ((_, v) : kState * vS) ((_, v') : kState * vS) =
  let bump k = Hashtbl.replace gone_seen k (1 + try Hashtbl.find gone_seen k with Not_found -> 0) in
  bump key;
  if List.exists (fun f -> v.m_used f && not (v'.m_used f)) (List.init nFRAMES Fun.id) then
    bump (key ^ "+removed")
let count_gone (s : kState * vS) (s' : kState * vS) (o : op) (r : string) =
  match o with
  | Obj_gone (ob, t) -> note_gone ("obj_gone:" ^ gone_branch (fst s) ob t) s s'
  | Cspace_gone _ -> note_gone "vs_cspace_gone" s s'
  | Sys_free (cs, a0, a1) when r = "e=0" ->
    let sl = slot32 a1 in
    let (ob, t) = free_reads (fst s) cs sl in
    let (_, st1) = obj_free (fst s).core cs (slot32 a0) sl in
    note_gone ("sys_obj_free:" ^ gone_branch { (fst s) with core = st1 } ob t) s s'
  | _ -> ()

let run_both (trace : op list) : op list * string list * (int * string * string) option =
  let (ic, oc) = Unix.open_process_args !driver [| !driver; "-p" |] in
  let finish kept lines diff =
    close_out_noerr oc;
    (try while true do ignore (input_line ic) done with End_of_file -> ());
    ignore (Unix.close_process (ic, oc));
    (List.rev kept, List.rev lines, diff) in
  let rec go s kept lines i = function
    | [] -> finish kept lines None
    | o :: rest ->
      if not (precondition (fst s) o) then go s kept lines i rest
      else begin
        output_string oc (op_line o ^ "\n");
        flush oc;
        let c = try input_line ic with End_of_file -> "<driver crashed or failed>" in
        let taken = String.length c >= 3 && String.sub c 0 3 = "t=1" in
        let (r, s') = step ~taken s o in
        (match o with
         | Sys_map (_, cs, _, frame, _, _) when r = "e=0" -> count_fw_map s cs frame
         | _ -> count_gone s s' o r);
        let s' = snorm s' in
        let m = r ^ sdump s' in
        if m <> c then finish (o :: kept) (m :: lines) (Some (i, m, c))
        else go s' (o :: kept) (m :: lines) (i + 1) rest
      end in
  match trace with
  | Init _ :: _ ->
    let (_, k0) = kboot 0 1 in
    go (snorm (k0, vs_empty)) [] [] 0 trace
  | _ -> finish [] [] None

let first_divergence (trace : op list) : (int * string * string) option =
  let (_, _, d) = run_both trace in d

let diverges t = first_divergence t <> None

(* Shrinking a long trace (an address-space fill runs to some 2,000
   steps) one operation at a time takes as many runs as it has steps:
   first drop chunks, from half the trace down to two operations (never
   the first, the boot step). *)
let shrink_chunks (diverges : op list -> bool) (trace : op list) : op list =
  let rec pass t i size =
    if i >= List.length t then t
    else
      let t' = List.filteri (fun j _ -> j < i || j >= i + size) t in
      if diverges t' then pass t' i size else pass t (i + size) size in
  let rec sizes t size = if size < 2 then t else sizes (pass t 1 size) (size / 2) in
  sizes trace (List.length trace / 2)

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

(* The address spaces (issue 14 item 7): maps and unmaps through the
   decode, by a live process of the root task's cspace (1), into its own
   space (SLOT_SELF) or another process's (a process capability, direct or
   through a forwarder, or a forged one); of frames and device pages, held
   directly or through forwarders (chains of them too); at addresses of
   the process's mappings (taken), of a few shared regions (tables in
   common: 0 to 3 new tables), anywhere, or bad (unaligned, page 0, past
   2^38); permissions good and bad. Frames, device pages and forwarders to
   them are made and freed (the reaper then removes what died). The
   capabilities mappings were made through are deleted and moved (within
   the root task's cspace, and to the process's, where the process maps
   through them and they are deleted and moved again); a caller that is
   no live process maps (E_BAD_STATE). *)
let good_vas = [ 0x1000; 0x2000; 0x3000; 0x200000; 0x201000; 0x40000000; 0x40200000;
                 0x3FFFFFF000; 0x123456000 ]
let bad_vas = [ 0; 0x800; 0xFFF; 0x1001; 0x3FFFFFF001; 1 lsl 38; (1 lsl 38) + 4096;
                1 lsl 40; (1 lsl 62) - 4096 ]

let vs_op ((k, v) : kState * vS) : op =
  let s = k.core in
  let from l fallback = if l = [] then fallback () else pick l in
  let holding t = slots_where s 1 (fun x -> x.cap_type = t) in
  let full () = from (slots_where s 1 (fun x -> x.cap_type <> OT_FREE)) slot in
  let empty () = from (slots_where s 1 (fun x -> x.cap_type = OT_FREE)) slot in
  let cont () = from (holding OT_CONTAINER) slot in
  let live = frames_where k (fun f -> proc_live k f) in
  (* the capabilities that name a frame or a device page, directly and
     through forwarders (chains too): those whose object lives *)
  let resolves i = match map_frame_lookup s 1 i 1 with Ok _ -> true | Err _ -> false in
  let frames = List.filter resolves (holding OT_FRAME) in
  let fw_frames = List.filter resolves (holding OT_FORWARDER) in
  let cur = from live (fun () -> 2) in
  let proc_a () =
    match rint 10 with
    | 0 | 1 | 2 -> slot_self
    | 3 | 4 | 5 | 6 -> from (holding OT_PROCESS) slot
    | 7 -> from (holding OT_FORWARDER) slot
    | 8 -> reg_slot (from (holding OT_PROCESS) slot)
    | _ -> reg_slot (full ()) in
  (* the process a process argument names (cur if none) *)
  let target a = match proc_arg k cur 1 a with Ok p -> p | Err _ -> cur in
  let frame_a () =
    match rint 20 with
    | n when n < 8 -> from frames (fun () -> from (holding OT_FRAME) slot)
    | 8 -> from (holding OT_FRAME) slot
    | 9 | 10 -> from (holding OT_DEVICE) slot
    | n when n < 16 -> from fw_frames (fun () -> from (holding OT_FRAME) slot)
    | 16 -> from (holding OT_FORWARDER) slot
    | 17 -> full ()
    | _ -> reg_slot (slot ()) in
  let perm () = if chance 0.85 then pick [ 1; 3; 3; 5; 7; 4 ] else pick [ 0; 2; 6; 8; 15; 1 lsl 40 ] in
  let mapped p = List.filter_map (fun f ->
      if v.m_used f && v.m_proc f = p then Some (v.m_va f) else None)
      (List.init nFRAMES Fun.id) in
  let va p =
    match rint 20 with
    | n when n < 6 -> from (mapped p) (fun () -> pick good_vas)
    | n when n < 13 -> pick good_vas
    | n when n < 16 -> 4096 * (1 + rint ((1 lsl 26) - 1))
    | _ -> pick bad_vas in
  (* the slots of cspace c through which a mapping was made: a mark
     (cap_mapped) that the frame's record confirms *)
  let marked c = List.filter (fun i ->
      let m = v.cap_mapped c i in
      m > 0 && m <= nFRAMES && v.m_used (m - 1) && v.m_cs (m - 1) = c && v.m_slot (m - 1) = i)
      (List.init nSLOTS Fun.id) in
  let cspaces = frames_where k (fun f -> is_cspace s f) in
  let free_in c = from (slots_where s c (fun x -> x.cap_type = OT_FREE)) slot in
  match rint 32 with
  | 24 | 25 ->
    (* a capability a mapping was made through is deleted (the mapping
       ends with it), or any other *)
    Sys_delete (1, if chance 0.75 then from (marked 1) full else full ())
  | 26 | 27 ->
    (* one is moved: in the root task's cspace, or to the process's
       (through the cspace capability the root task holds); the mapping
       follows it *)
    let src = if chance 0.6 then from (marked 1) full
      else if chance 0.8 then from (holding OT_FRAME @ holding OT_FORWARDER) full else full () in
    (match holding OT_CSPACE with
     | c :: _ when chance 0.35 ->
       let d = (s.cap0 1 c).cap_obj in
       Sys_move (1, src, c, if is_cspace s d then free_in d else slot ())
     | _ -> Sys_move (1, src, slot_self, empty ()))
  | 28 ->
    (* in another cspace (one a capability was moved to): a deletion, or
       a move back within it *)
    let others = List.filter (fun c -> c <> 1 && marked c <> []) cspaces in
    let c = from others (fun () -> from cspaces (fun () -> 1)) in
    if chance 0.7 then Sys_delete (c, from (marked c) (fun () -> rint nSLOTS))
    else Sys_move (c, from (marked c) (fun () -> rint nSLOTS), slot_self, free_in c)
  | 29 | 23 ->
    (* a map through a capability of another cspace (the process's own,
       by the process); if it holds no frame unmapped, one moved there *)
    let unmapped c i = match map_frame_lookup s c i 1 with
      | Ok r -> not (mapping_live k v r.cap_obj) | Err _ -> false in
    let with_cs = List.filter_map (fun i ->
        let c = (s.cap0 1 i).cap_obj in
        if (s.cap0 1 i).cap_type = OT_CSPACE && is_cspace s c && c <> 1 then Some (i, c) else None)
        (List.init nSLOTS Fun.id) in
    (match with_cs with
     | [] -> Vs_reap
     | l ->
       let (i, c) = pick l in
       (match List.filter (unmapped c) (List.init nSLOTS Fun.id) with
        | [] ->
          Sys_move (1, from (List.filter (unmapped 1) (holding OT_FRAME @ holding OT_FORWARDER)) full,
                    i, free_in c)
        | fr ->
          let users = List.filter (fun p -> k.procs0.p_cspace p = c) live in
          let p = from users (fun () -> cur) in
          Sys_map (p, c, slot_self, pick fr, va p, perm ())))
  | 30 ->
    (* a caller that is not a live process (what the kernel's dispatch
       never passes): naming itself, refused with E_BAD_STATE *)
    let dead = frames_where k (fun f -> not (proc_live k f)) in
    Sys_map (from dead (fun () -> 0), 1, (if chance 0.8 then slot_self else proc_a ()),
             frame_a (), va cur, perm ())
  | 31 -> Sys_unmap (cur, 1, slot_self, from (mapped cur) (fun () -> pick good_vas))
  | 0 | 1 -> Alloc (1, cont (), 3, empty ())
  | 2 | 3 ->
    if chance 0.2 then Device (1, cont (), 9, empty ())
    (* half the time over a forwarder to a frame: chains up to MAXFWD
       forwarders long, and past it (E_TOO_DEEP) *)
    else Fwd (1, cont (), (if chance 0.5 then from fw_frames full
                           else from (holding OT_FRAME @ holding OT_DEVICE) full), empty ())
  | n when n < 11 ->
    let a = proc_a () in
    Sys_map (cur, 1, a, frame_a (), va (target a), perm ())
  | n when n < 15 ->
    let a = proc_a () in
    Sys_unmap (cur, 1, a, va (target a))
  | 15 | 16 -> let p = from live (fun () -> 2) in Vs_lookup (p, va p)
  | 17 | 18 | 20 ->
    (* a mapped frame, or a forwarder a mapping goes through, dies; or a
       cspace mappings were made through (its slots marked); by the
       whole SYS_OBJ_FREE, or by obj_free (then, in gen_trace, obj_gone
       of what the slot held) *)
    let marked_cs = List.filter (fun i ->
        let c = (s.cap0 1 i).cap_obj in is_cspace s c && c <> 1 && marked c <> [])
        (holding OT_CSPACE) in
    let victim = if marked_cs <> [] && chance 0.25 then pick marked_cs
      else from (holding OT_FRAME @ holding OT_FORWARDER @ holding OT_DEVICE) full in
    if chance 0.3 then Sys_free (1, 0, victim) else Free (1, 0, victim)
  | 19 ->
    (* the reaper; or obj_gone / vs_cspace_gone alone, of a dead frame
       (free or retired: what may still hold a record or marks) with any
       type, or of any frame *)
    let dead = frames_where k (fun f -> s.frame_type f = OT_FREE || s.frame_type f = OT_RETIRED) in
    (match rint 4 with
     | 0 -> Obj_gone ((if chance 0.8 then from dead (fun () -> rint nFRAMES) else rint (nFRAMES + 2)),
                      pick [ 2; 3; 4; 5; 6; 7; 1; 9; 12; 13; 99 ])
     | 1 when dead <> [] -> Cspace_gone (pick dead)
     (* the syscall layer's whole reap (proc_reap, then vs_reap: gen_trace
        adds it), as after a container's destruction: what a dead
        process (obj_gone of a process runs proc_reap only) or a process
        whose cspace died leaves to it *)
     | 2 -> Reap
     | _ -> Vs_reap)
  | _ -> Sys_map (cur, 1, slot_self, frame_a (), va cur, perm ())

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
  | n when n < 96 ->
    if chance 0.3 then Sys_free (1, reg_slot 0, reg_slot (any_slot 1)) else Free (1, 0, any_slot 1)
  | n when n >= 100 -> decode_op k
  | n when n < 98 -> Destroy (1, 0, typed 1 OT_CONTAINER)
  | _ -> Sys_delete (1, if chance 0.1 then reg_slot (any_slot 1) else any_slot 1)

let from_opt = function Some x -> x | None -> 0
(* a slot of the root task's cspace with a capability to the root
   container (slot 0 at first) *)
let root_slot (k : kState) =
  List.find_opt (fun i -> let c = k.core.cap0 1 i in
                  c.cap_type = OT_CONTAINER && c.cap_obj = 0 && c.cap_write
                  && c.cap_gen = k.core.frame_gen 0) (List.init nSLOTS Fun.id)
let free_frames (k : kState) =
  List.length (List.filter (fun f -> k.core.frame_type f = OT_FREE) (List.init nFRAMES Fun.id))
(* The address-space traces' fill: the i-th map of the root task at a
   new region, 1 GiB apart first (two new tables each), then 2 MiB apart
   in the first gigabyte (one). *)
let fill_va i = if i < 255 then (i + 1) lsl 30 else (1 + (i - 255) mod 511) lsl 21

let gen_trace ?(prio2 = 5) ?(script = [||]) ?(vspace = false) ?(fill = false)
    (steps : int) : op list =
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
  (* An address-space trace: after the root task (frame 2), a container of
     limit 5 (frame 3, slot 2), a cspace (4, slot 3) and a process on
     them (5, slot 4: charged to the small container, whose maps soon
     reach its limit, E_OVER_LIMIT), started; three frames (6, 7, 8,
     slots 5 to 7), a device page (9, slot 8), a forwarder to the frame of
     slot 5 (10, slot 9), one to that forwarder (11, slot 10) and one to
     that (12, slot 11); the root
     task maps the frame of slot 6 (three new tables), and the process's
     space gets the frame of slot 5 through the two forwarders. *)
  let vprefix = [ Init (0, 1); Boot_proc (0, 1, 7);
                  Create (1, 0, 2, 5); Alloc (1, 0, 2, 3); Proc_create (1, 2, 2, 3, 4, 3);
                  Resume (1, 4);
                  Alloc (1, 0, 3, 5); Alloc (1, 0, 3, 6); Alloc (1, 0, 3, 7);
                  Device (1, 0, 9, 8); Fwd (1, 0, 5, 9); Fwd (1, 0, 9, 10); Fwd (1, 0, 10, 11);
                  Sys_map (2, 1, slot_self, 6, 0x1000, 3); Sys_map (2, 1, 4, 10, 0x2000, 1) ] in
  let prefix = if vspace then vprefix else prefix in
  let s0 = List.fold_left (fun s o -> if precondition (fst s) o then snorm (snd (step s o)) else s)
      (snorm (snd (kboot 0 1), vs_empty)) prefix in
  (* how often an operation is an address-space one *)
  let vs_rate = if vspace then 0.5 else 0.06 in
  let next = ref 0 and region = ref 0 and retired = ref 0 and fill_slot = ref (-1) and nomem = ref 0
  and bulk_cs = ref (-1) in
  let run s ops = List.fold_left (fun s o ->
      if precondition (fst s) o then snorm (snd (step s o)) else s) s ops in
  let rec go s n acc =
    if n = 0 then List.rev acc
    else if Array.length script > 0 && chance 0.6 then begin
      (* the script's next step, kept whatever the generator's state says
         (its guess of a fast path's verdict may be wrong: the lockstep
         run drops the steps whose preconditions fail) *)
      let o = script.(!next mod Array.length script) in
      incr next;
      let s' = if precondition (fst s) o then snorm (snd (step s o)) else s in
      go s' (n - 1) (o :: acc)
    end
    else if fill && !retired < 3 then begin
      (* the fill first retires three frames (the lowest free frame's
         generation pushed to the last, then allocated and freed): frames
         neither free nor charged to a container, without which the root
         container's limit (NFRAMES) would refuse a map (E_OVER_LIMIT)
         before memory ran out (E_NO_MEMORY) *)
      incr retired;
      let st = (fst s).core in
      let f = from_opt (List.find_opt (fun f -> st.frame_type f = OT_FREE) (List.init nFRAMES Fun.id)) in
      let e = from_opt (List.find_opt (fun i -> (st.cap0 1 i).cap_type = OT_FREE) (List.init nSLOTS Fun.id)) in
      let r = match root_slot (fst s) with Some r -> r | None -> 0 in
      let ops = [ Set_gen (f, gEN_MAX - 1); Alloc (1, r, 3, e); Free (1, r, e); Reap; Vs_reap ] in
      go (run s ops) (n - 1) (List.rev_append ops acc)
    end
    else if fill && !nomem < 4 && chance 0.7 then
      if free_frames (fst s) > 40 && !bulk_cs <> -2 then begin
      (* the fill's bulk (at the kernel's sizes; at the small ones fewer
         than 40 frames are free by then): frames taken as frame objects
         into a cspace of their own (one step a frame), which holds a
         copy of the root container's capability, until 40 frames are
         left for the page tables *)
      let st = (fst s).core in
      let root = root_slot (fst s) in
      let free_slot c = List.find_opt (fun i -> (st.cap0 c i).cap_type = OT_FREE) (List.init nSLOTS Fun.id) in
      let bulk_ok = !bulk_cs >= 0 && is_cspace st !bulk_cs && (st.cap0 !bulk_cs 0).cap_type = OT_CONTAINER in
      match (if bulk_ok then free_slot !bulk_cs else None), free_slot 1, root with
      | Some j, _, _ -> let o = Alloc (!bulk_cs, 0, 3, j) in go (run s [ o ]) (n - 1) (o :: acc)
      | None, Some e, Some r ->
        let a = Alloc (1, r, 2, e) in
        let s1 = run s [ a ] in
        let c = ((fst s1).core.cap0 1 e).cap_obj in
        let cp = Copy (1, r, c, 0, 1, 1, 1) in
        bulk_cs := (if is_cspace (fst s1).core c then c else -2);
        go (run s1 [ cp ]) (n - 1) (cp :: a :: acc)
      | _ -> bulk_cs := -2; go s (n - 1) acc
    end
    else begin
      (* the fill: the root task maps its fill frame (one no mapping holds)
         at a new region and unmaps it, which leaves the new tables in
         place; a new fill frame first if the last one died or was mapped
         by another step *)
      let (k, v) = s in
      let usable i = match map_frame_lookup k.core 1 i 3 with
        | Ok r -> not (v.m_used r.cap_obj) | Err _ -> false in
      let ops =
        if !fill_slot >= 0 && usable !fill_slot then begin
          let va = fill_va !region in
          incr region;
          [ Sys_map (2, 1, slot_self, !fill_slot, va, 3); Sys_unmap (2, 1, slot_self, va) ]
        end else
          (* a new fill frame, from the root container (a random step may
             have moved or deleted slot 0's capability to it), or a frame
             the root task holds *)
          match List.find_opt (fun i -> (k.core.cap0 1 i).cap_type = OT_FREE) (List.init nSLOTS Fun.id),
                root_slot k,
                List.find_opt usable (slots_where k.core 1 (fun x -> x.cap_type = OT_FRAME)) with
          | _, _, Some f -> fill_slot := f; []
          | Some e, Some r, None -> fill_slot := e; [ Alloc (1, r, 3, e) ]
          | _ -> [ Sys_delete (1, 1 + rint (nSLOTS - 1)) ] in
      let s' = run s ops in
      (* out of frames (E_NO_MEMORY) a few times: the fill is done, and
         the trace ends after a few more steps *)
      let n = match ops with
        | (Sys_map _ as o) :: _ when fst (step s o) = err E_NO_MEMORY ->
          incr nomem; if !nomem >= 4 then min n 41 else n
        | _ -> n in
      go s' (n - 1) (List.rev_append ops acc)
    end
    else
      let o = if chance vs_rate then vs_op s else gen_op (fst s) in
      if precondition (fst s) o then
        let (r, s1) = step s o in
        let s' = snorm s1 in
        match o with
        (* a container's destruction is followed by the reaper, as in
           the kernel (the syscall layer's reap: proc_reap, then
           vs_reap) *)
        | Destroy _ ->
          let s'' = snorm (snd (step (snorm (snd (step s' Reap))) Vs_reap)) in
          go s'' (n - 1) (Vs_reap :: Reap :: o :: acc)
        | Reap -> go (run s' [ Vs_reap ]) (n - 1) (Vs_reap :: o :: acc)
        (* an object's successful free by obj_gone of the object and type
           its slot held before (SYS_OBJ_FREE since 37ad752a); a freed
           cspace sometimes by vs_cspace_gone alone; half the time
           by the reaper, as before that commit (and as after a
           container's destruction: what keeps vs_reap removing
           mappings); a dead process's mappings (obj_gone leaves them to
           the reaper: its tables are freed) often by a later reap *)
        | Free (a, _, c) when r = "e=0" ->
          let (ob, t) = free_reads (fst s) a c in
          let ops = if chance 0.5 then [ Reap; Vs_reap ]
            else if t = objtype_code OT_CSPACE && chance 0.3 then [ Cspace_gone ob ]
            else if t = objtype_code OT_PROCESS && chance 0.5 then [ Obj_gone (ob, t); Vs_reap ]
            else [ Obj_gone (ob, t) ] in
          go (run s' ops) (n - 1) (List.rev_append ops (o :: acc))
        | _ -> go s' (n - 1) (o :: acc)
      else go s (n - 1) acc in
  go s0 steps (List.rev prefix)

let () =
  let seed = ref (-1) and ntraces = ref 60 and nsteps = ref 80 and show = ref (-1)
  and force_fill = ref false in
  let args = ref [] in
  Arg.parse
    [ ("-seed", Arg.Set_int seed, "random seed (default: $CONFORM_SEED, else a fresh one)");
      ("-traces", Arg.Set_int ntraces, "number of random traces (default 60)");
      ("-steps", Arg.Set_int nsteps, "steps per random trace (default 80)");
      ("-show", Arg.Set_int show, "print trace N's operations and results");
      ("-fill", Arg.Set force_fill, "at the kernel's sizes too, one trace that fills the memory") ]
    (fun a -> args := a :: !args)
    "conform_procs DRIVER [options]";
  (match !args with
   | [ d ] -> driver := d
   | _ -> prerr_endline "usage: conform_procs DRIVER [options]"; exit 2);
  seed := choose_seed "conform_procs" !seed;
  (* a fill trace's states are large: fewer, larger collections *)
  (* The memoised tables (normalise, normalise_vs) are large arrays made
     every step: a major heap allowed to grow more before it is collected
     runs the kernel's sizes some 40% faster (measured). *)
  Gc.set { (Gc.get ()) with Gc.space_overhead = 200 };
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
  (* Every third trace (the second of three) is an address-space trace;
     every fourth of those fills the memory (until the maps run out of
     frames: the fill stops itself). At the kernel's sizes a fill takes
     some 1,200 steps of a thousand-frame state (about 20 s): there, only
     with -fill, and only the first. *)
  let fills = ref 0 in
  let traces = List.init !ntraces (fun i ->
      let n = 1 + rint (2 * !nsteps) in
      if i mod 3 = 2 then gen_trace ~prio2:(pick [ 3; 5 ]) ~script n
      else if i mod 3 = 1 then begin
        let fill = (i / 3) mod 4 = 0 && (nFRAMES <= 256 || (!force_fill && i = 1)) in
        if fill then incr fills;
        gen_trace ~vspace:true ~fill (if fill then 3 * nFRAMES else n)
      end
      else gen_trace n) in
  let total = ref 0 and results = Hashtbl.create 16 and blocked_steps = ref 0 in
  let count key = Hashtbl.replace results key (1 + try Hashtbl.find results key with Not_found -> 0) in
  (* the address spaces: reaps that removed something (the maps made
     through forwarders are counted by run_both: fw_maps) *)
  let reaped = ref 0 in
  Array.fill fw_maps 0 (Array.length fw_maps) 0;
  (* and the capabilities' part: deletions that ended a mapping, moves
     that carried one (its record names the new slot), maps through
     another cspace than the root task's *)
  let del_unmapped = ref 0 and moved = ref 0 and other_cs_maps = ref 0 in
  let mwords l = List.filter (fun w -> String.length w > 1 && w.[0] = 'M') (words l) in
  (* a record's frame and the slot it was made through ("s<cs>.<gen>.<slot>") *)
  let mslots l = List.filter_map (fun w ->
      match String.split_on_char ':' w with
      | f :: _ :: _ :: _ :: _ :: sl :: _ -> Some (f, sl)
      | _ -> None) (mwords l) in
  let after_bar l = match String.index_opt l '|' with Some i -> String.sub l i (String.length l - i) | None -> l in
  List.iteri (fun ti t ->
      let (kept, model, divergence) = run_both t in
      total := !total + List.length kept;
      if ti = !show then
        List.iter2 (fun o l -> Printf.printf "  %s -> %s\n" (op_line o) (List.hd (words l))) kept model;
      ignore (List.fold_left2 (fun prev o l ->
          (match o with
           | Vs_reap when after_bar l <> after_bar prev -> incr reaped
           | Sys_delete _ when List.hd (words l) = "e=0" ->
             let now = List.map fst (mslots l) in
             if List.exists (fun (f, _) -> not (List.mem f now)) (mslots prev) then incr del_unmapped
           | Sys_move _ when List.hd (words l) = "e=0" ->
             let now = mslots l in
             if List.exists (fun (f, sl) ->
                 match List.assoc_opt f now with Some sl' -> sl' <> sl | None -> false) (mslots prev)
             then incr moved
           | Sys_map (_, cs, _, _, _, _) when List.hd (words l) = "e=0" ->
             if cs <> 1 then incr other_cs_maps
           | _ -> ());
          l) "" kept model);
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
          (* nor does a page-table entry's: "pte=0" (none) or "pte=N" *)
          let r = if String.length r > 4 && String.sub r 0 4 = "pte=" && r <> "pte=0"
            then "pte=N" else r in
          let key = (List.hd (words (op_line o))) ^ ":" ^ r in
          count key;
          (* the architecture layer's process_new after a new process *)
          (match o with
           | (Boot_proc _ | Proc_create _) when r = "e=0" -> count "vs_proc_init:run"
           | _ -> ()))
        kept model;
      match divergence with
      | None -> ()
      | Some _ ->
        Printf.printf "conform_procs: trace %d (seed %d) diverges; shrinking... (replay: CONFORM_SEED=%d)\n%!" ti !seed !seed;
        (* the operations up to the divergence (the rest cannot matter),
           then chunks, then single operations *)
        let (small, _, _) = run_both (shrink diverges (shrink_chunks diverges kept)) in
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
                  "obj_free"; "container_create"; "container_destroy"; "cap_copy"; "sys_cap_delete";
                  "proc_create"; "proc_resume"; "proc_suspend"; "proc_read_reg"; "proc_write_reg";
                  "proc_set_fault"; "proc_reap"; "ipc_send"; "ipc_recv"; "ipc_reply"; "ipc_fault";
                  "ntfn_signal"; "ntfn_wait"; "sched_pick"; "fwd_create"; "sys_cap_copy";
                  "sys_cap_mint"; "sys_cap_move"; "proc_arg"; "caller_cspace"; "sched_tick";
                  "typed_alloc"; "map_frame_lookup"; "irq_handler_create"; "irq_set_ntfn";
                  "irq_ack"; "irq_deliver"; "timer_set"; "timer_cancel"; "timer_due";
                  "timer_fire"; "timer_next";
                  "fast_call"; "fast_reply_recv"; "fast_signal";
                  "sys_map"; "sys_unmap"; "vs_reap"; "vs_lookup"; "vs_proc_init";
                  "sys_obj_free"; "obj_gone"; "vs_cspace_gone" ] in
  let ran name = List.exists (fun (k, _) -> List.hd (String.split_on_char ':' k) = name) seen in
  let codes = List.sort_uniq compare (List.filter_map (fun (k, _) ->
      match String.split_on_char ':' k with
      | [ _; r ] when String.length r > 2 && String.sub r 0 2 = "e=" ->
        int_of_string_opt (String.sub r 2 (String.length r - 2))
      | _ -> None) seen) in
  Printf.printf "coverage: %d of %d operations run; error codes reached: %s\n"
    (List.length (List.filter ran all_ops)) (List.length all_ops)
    (String.concat " " (List.map string_of_int codes));
  (* the address spaces: each result of map and unmap, the reaps that
     removed a mapping, the maps by the number of forwarders their frame
     capability resolved through *)
  let results_of name = List.filter_map (fun (k, v) ->
      match String.split_on_char ':' k with
      | [ n; r ] when n = name -> Some (Printf.sprintf "%s=%d" r v)
      | _ -> None) seen in
  Printf.printf "address spaces: sys_map %s; sys_unmap %s; vs_reap %d (%d removed a mapping); vs_lookup %s; vs_proc_init %d; maps by forwarders on the chain: %s\n"
    (String.concat " " (results_of "sys_map")) (String.concat " " (results_of "sys_unmap"))
    (try Hashtbl.find results "vs_reap:e=0" with Not_found -> 0) !reaped
    (String.concat " " (results_of "vs_lookup"))
    (try Hashtbl.find results "vs_proc_init:run" with Not_found -> 0)
    (String.concat " " (Array.to_list (Array.mapi (fun n c -> Printf.sprintf "%d:%d" n c) fw_maps)));
  Printf.printf "mappings and capabilities: maps refused E_BAD_STATE %d; maps through another cspace %d; sys_cap_delete %s (%d ended a mapping); sys_cap_move %s (%d carried a mapping)\n"
    (try Hashtbl.find results (Printf.sprintf "sys_map:e=%d" (error_code E_BAD_STATE)) with Not_found -> 0)
    !other_cs_maps (String.concat " " (results_of "sys_cap_delete")) !del_unmapped
    (String.concat " " (results_of "sys_cap_move")) !moved;
  (* SYS_OBJ_FREE's end: each branch of obj_gone, alone and in the whole
     call, and those that removed a mapping record *)
  let gone = Hashtbl.fold (fun k v acc -> (k, v) :: acc) gone_seen [] |> List.sort compare in
  Printf.printf "obj_free's end (obj_gone by branch, +removed: a mapping record removed):%s\n"
    (String.concat "" (List.map (fun (k, v) -> Printf.sprintf " %s=%d" k v) gone));
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
  end;
  (* with an address-space trace in the run, every outcome of map and
     unmap the traces can reach (E_NO_MEMORY with a fill trace): mapped,
     refused each way, through forwarders; and a reap that removed a
     mapping *)
  if List.length traces >= 2 then begin
    let code e = Printf.sprintf "e=%d" (error_code e) in
    let want = [ ("sys_map", [ E_OK; E_MAPPED; E_BAD_ARG; E_OVER_LIMIT; E_BAD_STATE ]
                             @ (if !fills > 0 then [ E_NO_MEMORY ] else []));
                 ("sys_unmap", [ E_OK; E_NOT_MAPPED; E_BAD_ARG ]) ] in
    let missing = List.concat_map (fun (name, es) ->
        List.filter_map (fun e ->
            if Hashtbl.mem results (name ^ ":" ^ code e) then None
            else Some (name ^ ":" ^ code e)) es) want in
    let missing = missing @ (if !reaped = 0 then [ "vs_reap (removing a mapping)" ] else [])
                  @ (if !del_unmapped = 0 then [ "sys_cap_delete (ending a mapping)" ] else [])
                  @ (if !moved = 0 then [ "sys_cap_move (carrying a mapping)" ] else [])
                  @ (if fw_maps.(1) + fw_maps.(2) = 0 then [ "sys_map through forwarders" ] else []) in
    (* SYS_OBJ_FREE's end: obj_gone (alone or in sys_obj_free) of a frame
       just freed (and one that removed its mapping), of a cspace, of a
       forwarder, of an endpoint, notification or process *)
    let gone b = List.exists (fun p -> Hashtbl.mem gone_seen (p ^ b)) [ "obj_gone:"; "sys_obj_free:" ] in
    let missing = missing
                  @ List.filter_map (fun b -> if gone b then None else Some ("obj_gone:" ^ b))
                      [ "frame"; "frame+removed"; "cspace"; "forwarder" ]
                  @ (if List.exists gone [ "endpoint"; "notification"; "process" ] then []
                     else [ "obj_gone:endpoint|notification|process" ]) in
    if missing <> [] then begin
      Printf.printf "conform_procs: never reached: %s; the generator is broken\n" (String.concat " " missing);
      exit 1
    end
  end
