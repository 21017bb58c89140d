(* trace_harness.ml: the parts of a conformance harness that do not depend
   on which operations a trace holds; shared by conform.ml (core) and
   conform_procs.ml (processes, IPC). *)

(* Run the C driver on a trace (one operation per line, written to a
   temporary file) with extra arguments before the file; its output lines,
   with a marker line added if it did not exit cleanly. *)
let run_driver (driver : string) (args : string list) (lines : string list)
    : string list =
  let file = Filename.temp_file "conform" ".trace" in
  let oc = open_out file in
  List.iter (fun l -> output_string oc (l ^ "\n")) lines;
  close_out oc;
  let argv = Array.of_list ((driver :: args) @ [file]) in
  let ic = Unix.open_process_args_in driver argv in
  let rec read acc =
    match input_line ic with
    | l -> read (l :: acc)
    | exception End_of_file -> List.rev acc in
  let out = read [] in
  let status = Unix.close_process_in ic in
  Sys.remove file;
  if status <> Unix.WEXITED 0 then begin
    prerr_endline "conform: driver did not exit cleanly";
    out @ ["<driver crashed or failed>"]
  end else out

(* First step at which the model's and the C's dump lines differ. *)
let first_difference (model : string list) (impl : string list)
    : (int * string * string) option =
  let rec cmp i ms cs =
    match ms, cs with
    | [], [] -> None
    | m :: ms', c :: cs' -> if m = c then cmp (i + 1) ms' cs' else Some (i, m, c)
    | m :: _, [] -> Some (i, m, "<no output>")
    | [], c :: _ -> Some (i, "<no output>", c) in
  cmp 0 model impl

(* Shrink: drop one operation at a time (never the first, the boot step)
   while the trace still diverges; repeat until no single drop keeps it
   diverging. *)
let shrink (diverges : 'op list -> bool) (trace : 'op list) : 'op list =
  let rec pass t i =
    if i >= List.length t then t
    else
      let t' = List.filteri (fun j _ -> j <> i) t in
      if i > 0 && diverges t' then pass t' i else pass t (i + 1) in
  let rec fix t =
    let t' = pass t 1 in
    if List.length t' < List.length t then fix t' else t' in
  fix trace

let words s = String.split_on_char ' ' s

let first_field_diff m c =
  let rec go a b =
    match a, b with
    | x :: a', y :: b' -> if x = y then go a' b' else Printf.sprintf "spec: %s\n    C:    %s" x y
    | x :: _, [] -> Printf.sprintf "spec: %s\n    C:    <missing>" x
    | [], y :: _ -> Printf.sprintf "spec: <missing>\n    C:    %s" y
    | [], [] -> "(no field differs)" in
  go (words m) (words c)

(* The generator's random source, reseeded by each harness's seed. *)
let rng = ref (Random.State.make [| 1 |])

(* The seed of a run: -seed N if given (>= 0), else $CONFORM_SEED, else a
   fresh one (the clock and the process id), so that every run explores
   new traces. Printed first: a failing run is replayed with
   CONFORM_SEED=<seed>. *)
let choose_seed (name : string) (given : int) : int =
  let s =
    if given >= 0 then given
    else match Sys.getenv_opt "CONFORM_SEED" with
      | Some v ->
        (match int_of_string_opt (String.trim v) with
         | Some s when s >= 0 -> s
         | _ -> prerr_endline (name ^ ": CONFORM_SEED must be a number >= 0"); exit 2)
      | None ->
        (int_of_float (Unix.gettimeofday () *. 1000.) lxor (Unix.getpid () lsl 16))
        land 0x3fffffff in
  Printf.printf "%s: seed %d (replay: CONFORM_SEED=%d)\n%!" name s s;
  rng := Random.State.make [| s |];
  s
let rint n = Random.State.int !rng n
let chance p = Random.State.float !rng 1.0 < p
let pick l = List.nth l (rint (List.length l))
