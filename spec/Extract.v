(** * Extract: the executable spec as OCaml

    [nat] becomes OCaml [int] and [N] becomes OCaml [int] (63-bit): the
    conformance test ([tests/spec]) keeps badges below 2^62 so that the
    extracted model computes exactly what the Coq functions compute. *)

From Coq Require Import Extraction ExtrOcamlBasic ExtrOcamlNatInt ExtrOcamlZInt.
From Spec Require Import Model Ops.

Extraction Language OCaml.

Extraction "spec_model.ml"
  NFRAMES NSLOTS MAXDEPTH MAXFWD GEN_MAX
  objtype_code error_code live
  kernel_init container_create obj_alloc obj_free container_destroy
  container_info cap_copy cap_mint cap_move cap_delete cap_resolve
  cap_identify fwd_create.
