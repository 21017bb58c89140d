(** Print Assumptions for every main theorem of the spec. The test
    spec.assumptions (check_assumptions.sh) fails unless each one answers
    "Closed under the global context". Add a line here for every new main
    theorem. *)
From Spec Require Import Model Ops Facts Copy.

Print Assumptions cap_copy_effect.
Print Assumptions cap_copy_coequal.
Print Assumptions cap_copy_survives_source_delete.
