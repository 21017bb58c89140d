(* core_dump.ml: the canonical dump of the core tables (frames,
   containers, capability spaces, forwarders) of an extracted spec state, in
   the format of dump_frame in driver.c; shared by conform.ml and
   conform_procs.ml. *)

open Spec_model
open Sized

(* The extracted state is a record of functions built by overriding; after
   many steps a lookup walks a long chain of closures. [normalise] memoises
   every table into arrays (pure functions, so the meaning is unchanged). *)
let normalise (s : state) : state =
  let n = nFRAMES in
  let memo f =
    let a = Array.init n f in
    fun i -> if i >= 0 && i < n then a.(i) else f i in
  let memo2 width f =
    let rows = Array.init n (fun i -> lazy (Array.init width (f i))) in
    fun i j ->
      if i >= 0 && i < n && j >= 0 && j < width then (Lazy.force rows.(i)).(j)
      else f i j in
  { frame_type = memo s.frame_type; frame_owner = memo s.frame_owner;
    frame_gen = memo s.frame_gen; c_limit = memo s.c_limit;
    c_usage = memo s.c_usage; c_own = memo s.c_own; c_depth = memo s.c_depth;
    c_anc = memo2 (mAXDEPTH + 1) s.c_anc; cap0 = memo2 nSLOTS s.cap0;
    fw = memo s.fw; root_cont = s.root_cont }

let b2i b = if b then 1 else 0

let dump_cap buf tag idx (k : cap) =
  Printf.bprintf buf ":%c%d=%d,%d,%d,%d%d%d,%d" tag idx
    (objtype_code k.cap_type) k.cap_obj k.cap_gen
    (b2i k.cap_read) (b2i k.cap_write) (b2i k.cap_grant) k.cap_badge

(* Same format as dump_frame in driver.c. *)
let dump (s : state) : string =
  let buf = Buffer.create 4096 in
  Buffer.add_string buf " |";
  for f = 0 to nFRAMES - 1 do
    let t = s.frame_type f in
    let g = s.frame_gen f in
    if not (t = OT_FREE && g = 0) then begin
      Printf.bprintf buf " %d:%d:%d" f (objtype_code t) g;
      if t <> OT_FREE && t <> OT_RETIRED then begin
        Printf.bprintf buf ":o%d" (s.frame_owner f);
        match t with
        | OT_CONTAINER ->
          Printf.bprintf buf ":l%d:u%d:w%d:d%d:a" (s.c_limit f) (s.c_usage f)
            (s.c_own f) (s.c_depth f);
          for d = 0 to min (s.c_depth f) (mAXDEPTH - 1) do
            Printf.bprintf buf "%s%d" (if d > 0 then "," else "") (s.c_anc f d)
          done
        | OT_CSPACE ->
          for sl = 0 to nSLOTS - 1 do
            let k = s.cap0 f sl in
            if k.cap_type <> OT_FREE then dump_cap buf 's' sl k
          done
        | OT_FORWARDER -> dump_cap buf 'F' 0 (s.fw f)
        | _ -> ()
      end
    end
  done;
  Buffer.contents buf
