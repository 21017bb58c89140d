(* conform.ml: executable conformance of the C core against the Coq spec.

   Generates random operation traces (hostile arguments included), runs each
   one on the spec extracted from Coq (Spec_model) and on the host build of
   kernel/ (the C driver, driver.c), and compares the result and the
   canonical state dump after every step. On a divergence it shrinks the
   trace (drops operations while it still diverges), prints the shortest
   trace found, the step and the first differing field, and exits 1.

   usage: conform DRIVER [-seed N] [-traces N] [-steps N] [-long N]
*)

open Spec_model
open Sized
open Core_dump
open Trace_harness

(* ---------- operations ---------- *)

type op =
  | Init of int * int
  | Set_gen of int * int
  | Create of int * int * int * int          (* cs parent_slot dst limit *)
  | Alloc of int * int * int * int           (* cs cont_slot type dst *)
  | Device of int * int * int * int          (* cs cont_slot type dst *)
  | Free of int * int * int                  (* cs cont_slot obj_slot *)
  | Destroy of int * int * int               (* cs cont_slot target_slot *)
  | Info of int * int
  | Copy of int * int * int * int * int * int * int
  | Mint of int * int * int * int * int * int * int * int
  | Move of int * int * int * int
  | Delete of int * int
  | Identify of int * int * int
  | Fwd of int * int * int * int
  | Resolve of int * int

let op_line = function
  | Init (r, c) -> Printf.sprintf "kernel_init %d %d" r c
  | Set_gen (f, g) -> Printf.sprintf "set_gen %d %d" f g
  | Create (a, b, c, d) -> Printf.sprintf "container_create %d %d %d %d" a b c d
  | Alloc (a, b, c, d) -> Printf.sprintf "obj_alloc %d %d %d %d" a b c d
  | Device (a, b, t, c) -> Printf.sprintf "typed_alloc %d %d %d %d" a b t c
  | Free (a, b, c) -> Printf.sprintf "obj_free %d %d %d" a b c
  | Destroy (a, b, c) -> Printf.sprintf "container_destroy %d %d %d" a b c
  | Info (a, b) -> Printf.sprintf "container_info %d %d" a b
  | Copy (a, b, c, d, r, w, g) ->
    Printf.sprintf "cap_copy %d %d %d %d %d %d %d" a b c d r w g
  | Mint (a, b, c, d, r, w, g, x) ->
    Printf.sprintf "cap_mint %d %d %d %d %d %d %d %d" a b c d r w g x
  | Move (a, b, c, d) -> Printf.sprintf "cap_move %d %d %d %d" a b c d
  | Delete (a, b) -> Printf.sprintf "cap_delete %d %d" a b
  | Identify (a, b, c) -> Printf.sprintf "cap_identify %d %d %d" a b c
  | Fwd (a, b, c, d) -> Printf.sprintf "fwd_create %d %d %d %d" a b c d
  | Resolve (a, b) -> Printf.sprintf "cap_resolve %d %d" a b

let err e = Printf.sprintf "e=%d" (error_code e)

(* One step of the model: result text and new state. *)
let step (s : state) (o : op) : string * state =
  match o with
  | Init (r, c) -> let (_, s') = kernel_init r c in ("e=0", s')
  | Set_gen (f, g) ->
    ("e=0", { s with frame_gen = (fun i -> if i = f then g else s.frame_gen i) })
  | Create (a, b, c, d) -> let (e, s') = container_create s a b c d in (err e, s')
  | Alloc (a, b, c, d) -> let (e, s') = obj_alloc s a b c d in (err e, s')
  | Device (a, b, t, c) ->
    let (e, s') = typed_alloc s a b (if t = 9 then OT_DEVICE else OT_IRQ_CONTROL) c in (err e, s')
  | Free (a, b, c) -> let (e, s') = obj_free s a b c in (err e, s')
  | Destroy (a, b, c) -> let (e, s') = container_destroy s a b c in (err e, s')
  | Info (a, b) ->
    let ((e, (l, u)), s') = container_info s a b in
    (Printf.sprintf "%s l=%d u=%d" (err e) l u, s')
  | Copy (a, b, c, d, r, w, g) ->
    let (e, s') = cap_copy s a b c d r w g in (err e, s')
  | Mint (a, b, c, d, r, w, g, x) ->
    let (e, s') = cap_mint s a b c d r w g x in (err e, s')
  | Move (a, b, c, d) -> let (e, s') = cap_move s a b c d in (err e, s')
  | Delete (a, b) -> let (e, s') = cap_delete s a b in (err e, s')
  | Identify (a, b, c) ->
    let ((e, (same, bd)), s') = cap_identify s a b c in
    (Printf.sprintf "%s same=%d b=%d" (err e) same bd, s')
  | Fwd (a, b, c, d) -> let (e, s') = fwd_create s a b c d in (err e, s')
  | Resolve (a, b) ->
    let ((e, k), s') = cap_resolve s a b in
    (Printf.sprintf "%s t=%d o=%d r=%d%d%d b=%d" (err e)
       (objtype_code k.cap_type) k.cap_obj
       (b2i k.cap_read) (b2i k.cap_write) (b2i k.cap_grant) k.cap_badge, s')

(* The C core takes "cs and dst_cs are live capability spaces" (and, for
   kernel_init, two distinct frames in range) as a precondition: the
   syscall layer guarantees it. An operation breaking it is dropped from
   the trace before it reaches either side. *)
let is_cspace s c = c >= 0 && c < nFRAMES && s.frame_type c = OT_CSPACE
let precondition s = function
  | Init (r, c) -> r <> c && r >= 0 && c >= 0 && r < nFRAMES && c < nFRAMES
  | Set_gen (f, g) -> f >= 0 && f < nFRAMES && s.frame_type f = OT_FREE
                      && g >= s.frame_gen f && g < gEN_MAX
  | Create (a, _, _, _) | Alloc (a, _, _, _) | Device (a, _, _, _) | Free (a, _, _)
  | Destroy (a, _, _) | Info (a, _) | Delete (a, _) | Identify (a, _, _)
  | Fwd (a, _, _, _) | Resolve (a, _) -> is_cspace s a
  | Copy (a, _, c, _, _, _, _) | Mint (a, _, c, _, _, _, _, _)
  | Move (a, _, c, _) -> is_cspace s a && is_cspace s c

(* Run the model over a trace: the kept operations and one line per step. *)
let run_model (trace : op list) : op list * string list =
  let rec go s kept lines = function
    | [] -> (List.rev kept, List.rev lines)
    | o :: rest ->
      if not (precondition s o) then go s kept lines rest
      else
        let (r, s') = step s o in
        let s' = normalise s' in
        go s' (o :: kept) ((r ^ dump s') :: lines) rest in
  match trace with
  | Init _ as o :: rest when precondition empty_state o ->
    go (normalise empty_state) [] [] (o :: rest)
  | _ -> ([], [])

(* ---------- the C side ---------- *)

let driver = ref ""

let run_driver (trace : op list) : string list =
  Trace_harness.run_driver !driver [] (List.map op_line trace)

(* ---------- comparison ---------- *)

(* First step at which the two sides differ, with the differing fields. *)
let first_divergence (trace : op list) : (int * string * string) option =
  let (kept, model) = run_model trace in
  first_difference model (run_driver kept)

let diverges t = first_divergence t <> None

(* ---------- the generator ---------- *)

let hostile_u32 () = pick [ 32; 33; 64; 255; 1024; 65535; 4294967295 ]

(* Slots: mostly low ones, where the capabilities are; sometimes anywhere
   in range; sometimes out of range. *)
let slot () =
  if chance 0.07 then hostile_u32 ()
  else if chance 0.7 then rint 8 else rint nSLOTS

let bitv () = if chance 0.06 then pick [ 2; 3; 255; 4294967295 ] else rint 2

let badge () =
  if chance 0.5 then 0
  else if chance 0.5 then 1 + rint 100
  else Random.State.int64 !rng (Int64.shift_left 1L 62) |> Int64.to_int

let cspaces s =
  List.filter (fun f -> s.frame_type f = OT_CSPACE) (List.init nFRAMES Fun.id)

(* Slots of cspace c whose capability satisfies [p]. *)
let slots_where s c p =
  List.filter (fun i -> p (s.cap0 c i)) (List.init nSLOTS Fun.id)

let gen_op (s : state) (css : int list) : op =
  let cs () = if css = [] then 0 else pick css in
  let c = cs () in
  let from l fallback = if l = [] then fallback () else pick l in
  (* a slot to look up: mostly an occupied one *)
  let src c =
    if chance 0.7 then from (slots_where s c (fun k -> k.cap_type <> OT_FREE)) slot
    else slot () in
  (* a slot naming a container: mostly one that does *)
  let cont c =
    let conts = slots_where s c (fun k -> k.cap_type = OT_CONTAINER) in
    if conts <> [] && chance 0.3 then
      (* the deepest container held: grows chains towards MAXDEPTH *)
      let depth i = s.c_depth (s.cap0 c i).cap_obj in
      List.fold_left (fun b i -> if depth i > depth b then i else b) (List.hd conts) conts
    else if chance 0.75 then from conts slot
    else src c in
  (* a forwarder capability, to build chains towards MAXFWD *)
  let fwd_src c =
    if chance 0.5 then
      from (slots_where s c (fun k -> k.cap_type = OT_FORWARDER)) (fun () -> src c)
    else src c in
  (* a destination: mostly an empty slot *)
  let dst c =
    if chance 0.8 then from (slots_where s c (fun k -> k.cap_type = OT_FREE)) slot
    else slot () in
  match rint 100 with
  | n when n < 14 ->
    let lim = if chance 0.1 then pick [ 0; 2000; 4294967295 ] else 1 + rint 12 in
    Create (c, cont c, dst c, lim)
  | n when n < 30 ->
    let ty = if chance 0.15 then pick [ 0; 1; 4; 7; 8; 9; 10; 11; 12; 13; 99 ]
      else pick [ 2; 3; 5; 6; 2 ] in
    (* now and then a device page, as the boot makes them: never freed *)
    if chance 0.05 then Device (c, cont c, pick [ 9; 10 ], dst c) else Alloc (c, cont c, ty, dst c)
  | n when n < 38 -> Free (c, cont c, src c)
  | n when n < 44 -> Destroy (c, cont c, if chance 0.5 then cont c else src c)
  | n when n < 48 -> Info (c, if chance 0.5 then cont c else src c)
  | n when n < 60 -> let d = cs () in Copy (c, src c, d, dst d, bitv (), bitv (), bitv ())
  | n when n < 66 ->
    let d = cs () in Mint (c, src c, d, dst d, bitv (), bitv (), bitv (), badge ())
  | n when n < 71 -> let d = cs () in Move (c, src c, d, dst d)
  | n when n < 77 -> Delete (c, src c)
  | n when n < 82 -> Identify (c, fwd_src c, fwd_src c)
  | n when n < 91 -> Fwd (c, cont c, fwd_src c, dst c)
  | n when n < 97 -> Resolve (c, fwd_src c)
  | _ ->
    (* push a free frame's generation near GEN_MAX, so that retirement is
       exercised *)
    let f = rint 40 in
    let g = max (s.frame_gen f) (gEN_MAX - 1 - rint 3) in
    Set_gen (f, g)

let gen_init () =
  if chance 0.5 then Init (0, 1)
  else
    let r = if chance 0.5 then rint 4 else rint nFRAMES in
    let c = if chance 0.5 then rint 4 else rint nFRAMES in
    if r = c then Init (r, (c + 1) mod nFRAMES) else Init (r, c)

(* A trace is generated against the model as it runs, so that arguments
   can aim at live capability spaces. *)
let gen_trace ?(prefix = []) (steps : int) : op list =
  let init = gen_init () in
  let init, prefix = if prefix = [] then init, [] else List.hd prefix, List.tl prefix in
  let (_, s0) = step empty_state init in
  let s0 = List.fold_left (fun s o ->
      if precondition s o then normalise (snd (step s o)) else s) (normalise s0) prefix in
  let rec go s n acc =
    if n = 0 then List.rev acc
    else
      let css = cspaces s in
      if css = [] then List.rev acc
      else
        let o = gen_op s css in
        if precondition s o then
          let (_, s') = step s o in go (normalise s') (n - 1) (o :: acc)
        else go s (n - 1) acc in
  go s0 steps (List.rev (init :: prefix))

(* A trace that first builds a container chain and a forwarder chain past
   their bounds (MAXDEPTH, MAXFWD), then goes on at random. *)
let gen_deep_trace (steps : int) : op list =
  let lim = 20 + rint 30 in
  let conts = List.init (mAXDEPTH + 1) (fun i ->
      Create (1, (if i = 0 then 0 else 1 + i), 2 + i, lim - i)) in
  let fwds = List.init (mAXFWD + 2) (fun i ->
      Fwd (1, 0, (if i = 0 then pick [ 0; 1; 3 ] else 19 + i), 20 + i)) in
  let mid = List.init (mAXFWD + 2) (fun i -> Resolve (1, 20 + i)) in
  gen_trace ~prefix:(Init (0, 1) :: conts @ fwds @ mid) steps

(* A long trace that fills memory: many allocations from the root (with
   some generations pushed to retirement first), reaching E_NO_MEMORY and
   E_OVER_LIMIT at scale, then frees and destroys. *)
let gen_fill_trace () : op list =
  (* With no frees, allocation j takes frame 2 + j (after the root and its
     capability space). Every 50th frame gets its generation pushed to
     GEN_MAX - 1 first and is allocated and freed at once: it retires. The
     capability of each filler object is deleted, so the NSLOTS slots never run
     out; the objects stay allocated. *)
  let fill = List.concat (List.init 1050 (fun j ->
      if j mod 50 = 0 then
        [ Set_gen (2 + j, gEN_MAX - 1); Alloc (1, 0, 3, 7); Free (1, 0, 7);
          Delete (1, 7) ]
      else if j mod 97 = 0 then [ Create (1, 0, 8 + rint 4, 1 + rint 8) ]
      else [ Alloc (1, 0, pick [ 2; 3; 5; 6 ], 5); Delete (1, 5) ])) in
  let churn = List.init 300 (fun _ ->
      match rint 5 with
      | 0 -> Free (1, 0, slot ())
      | 1 -> Destroy (1, 0, slot ())
      | 2 -> Delete (1, slot ())
      | 3 -> Create (1, 0, slot (), 1 + rint 4)
      | _ -> Alloc (1, 0, 3, slot ())) in
  Init (0, 1) :: fill @ churn

(* ---------- main ---------- *)

let () =
  let seed = ref (-1) and ntraces = ref 150 and nsteps = ref 60 and nlong = ref 2 in
  let args = ref [] in
  Arg.parse
    [ ("-seed", Arg.Set_int seed, "random seed (default: $CONFORM_SEED, else a fresh one)");
      ("-traces", Arg.Set_int ntraces, "number of random traces (default 150)");
      ("-steps", Arg.Set_int nsteps, "steps per random trace (default 60)");
      ("-long", Arg.Set_int nlong, "number of long memory-filling traces (default 2)") ]
    (fun a -> args := a :: !args)
    "conform DRIVER [options]";
  (match !args with
   | [ d ] -> driver := d
   | _ -> prerr_endline "usage: conform DRIVER [options]"; exit 2);
  seed := choose_seed "conform" !seed;
  check_driver "conform" !driver;
  let traces =
    List.init !ntraces (fun i ->
        if i mod 10 = 0 then gen_deep_trace (1 + rint (2 * !nsteps))
        else gen_trace (1 + rint (2 * !nsteps)))
    @ List.init !nlong (fun _ -> gen_fill_trace ()) in
  let total_steps = ref 0 and errors = Hashtbl.create 16 and retired = ref 0 in
  let results = Hashtbl.create 64 in
  let has_retired l =
    List.exists (fun w -> match String.split_on_char ':' w with
        | _ :: "9" :: _ -> true | _ -> false) (words l) in
  List.iteri (fun ti t ->
      let (kept, model) = run_model t in
      total_steps := !total_steps + List.length kept;
      List.iter (fun l ->
          let e = List.hd (words l) in
          Hashtbl.replace errors e (1 + try Hashtbl.find errors e with Not_found -> 0);
          if has_retired l then incr retired)
        model;
      List.iter2 (fun o l ->
          let key = List.hd (words (op_line o)) ^ ":" ^ List.hd (words l) in
          Hashtbl.replace results key (1 + try Hashtbl.find results key with Not_found -> 0))
        kept model;
      match first_divergence t with
      | None -> ()
      | Some _ ->
        Printf.printf "conform: trace %d (seed %d) diverges; shrinking... (replay: CONFORM_SEED=%d)\n%!" ti !seed !seed;
        let small = fst (run_model (shrink diverges t)) in
        Printf.printf "shortest diverging trace found (%d operations):\n" (List.length small);
        List.iter (fun o -> Printf.printf "  %s\n" (op_line o)) small;
        (match first_divergence small with
         | Some (i, m, c) ->
           Printf.printf "first difference after step %d (%s):\n    %s\n" i
             (op_line (List.nth small i)) (first_field_diff m c)
         | None -> ());
        exit 1)
    traces;
  let codes = Hashtbl.fold (fun k v acc -> (k, v) :: acc) errors [] |> List.sort compare in
  Printf.printf "conform: OK: %d traces, %d steps, spec and C agree after every step\n"
    (List.length traces) !total_steps;
  Printf.printf "results seen:";
  List.iter (fun (k, v) -> Printf.printf " %s:%d" k v) codes;
  Printf.printf "\nsteps with a retired frame in the state: %d\n" !retired;
  Printf.printf "operation:result seen:";
  Hashtbl.fold (fun k v acc -> (k, v) :: acc) results [] |> List.sort compare
  |> List.iter (fun (k, v) -> Printf.printf " %s=%d" k v);
  print_newline ();
  (* A run that never reaches an error or never succeeds tests little. *)
  if List.length codes < 8 then begin
    prerr_endline "conform: too few distinct results seen; the generator is broken";
    exit 1
  end
