(** Print Assumptions for every main theorem of the spec. The test
    spec.assumptions (check_assumptions.sh) fails unless each one answers
    "Closed under the global context". Add a line here for every new main
    theorem. *)
From Spec Require Import Model Ops Facts Copy Gens Revocation Invariants Preservation Confinement Counting Accounting Tree Main Procs ProcTheorems Decode Runs VSpace VRuns VAgree VMarks.

Print Assumptions cap_copy_effect.
Print Assumptions cap_copy_coequal.
Print Assumptions cap_copy_survives_source_delete.
Print Assumptions cap_mint_effect.
Print Assumptions step_gen_le.
Print Assumptions dead_forever.
Print Assumptions obj_free_revokes.
Print Assumptions obj_free_no_resolution_through.
Print Assumptions container_destroy_exact.
Print Assumptions container_destroy_revokes.
Print Assumptions kernel_init_caps_inv.
Print Assumptions step_caps_inv.
Print Assumptions reachable_caps_inv.
Print Assumptions effects_confined.
Print Assumptions authority_confinement.
Print Assumptions isolation.
Print Assumptions no_spread.
Print Assumptions cap_resolve_reach.
Print Assumptions Wf_obj_free.
Print Assumptions Wf_cap_ops.
Print Assumptions Wf_obj_alloc.
Print Assumptions Wf_fwd_create.
Print Assumptions Wf_container_create.
Print Assumptions Wf_container_destroy.
Print Assumptions kernel_init_Wf.
Print Assumptions kernel_init_Invariant.
Print Assumptions step_Invariant.
Print Assumptions reachable_Invariant.
Print Assumptions usage_is_own_plus_children.
Print Assumptions accounting_equation.
Print Assumptions acct_wf_reachable.
Print Assumptions obj_free_revokes_held.
Print Assumptions destruction_confined.
Print Assumptions invariant_from_boot.
(* processes, IPC, notifications, scheduling (Procs.v, ProcTheorems.v) *)
Print Assumptions one_queue.
Print Assumptions dead_in_no_queue.
Print Assumptions sched_pick_correct.
Print Assumptions ipc_caps_copied.
Print Assumptions ipc_send_to_caps.
Print Assumptions ipc_recv_caps.
Print Assumptions ipc_reply_caps.
Print Assumptions ipc_send_to_confined.
Print Assumptions ipc_recv_confined.
Print Assumptions ipc_reply_confined.
Print Assumptions Wf_free_object.
Print Assumptions proc_create_Invariant.
Print Assumptions kobj_alloc_Invariant.
Print Assumptions proc_reap_Invariant.
Print Assumptions waits_cancel_Invariant.
Print Assumptions kstep_Invariant.
Print Assumptions reap_no_dangling.
(* the decode (Decode.v, issue 14 item 1) *)
Print Assumptions resolve_chain_ends.
Print Assumptions chain_err_resolve.
Print Assumptions dst_cspace_authority.
Print Assumptions sys_cap_copy_integrity.
Print Assumptions obj_free_refused_kept.
Print Assumptions sys_cap_mint_integrity.
Print Assumptions sys_cap_move_integrity.
Print Assumptions timer_set_refused.
Print Assumptions timer_cancel_refused.
Print Assumptions timer_fire_dead.
(* rights-aware confinement over whole runs (Runs.v, issue 14 item 4) *)
Print Assumptions reach_r_iff.
Print Assumptions cstep_confined.
Print Assumptions kstep_by_kstep.
Print Assumptions kstep_labelled.
Print Assumptions kstep_confined.
Print Assumptions kernel_step_no_authority.
Print Assumptions run_confined.
Print Assumptions no_spread_rights.
Print Assumptions ipc_send_transfer.
Print Assumptions ipc_fast_call_transfer.
Print Assumptions ipc_recv_transfer.
Print Assumptions ipc_reply_transfer.
Print Assumptions ipc_fast_reply_recv_steps.
Print Assumptions ipc_recv_confined_sender.
Print Assumptions dst_cspace_holds.
Print Assumptions sstep_krun.
Print Assumptions sstep_integrity.
Print Assumptions kstep_safe.
Print Assumptions isolation_step.
Print Assumptions isolation_run.
Print Assumptions sstep_ksrc.
Print Assumptions isolation_run_authority.
Print Assumptions sstep_proc_integrity.
Print Assumptions isolation_procs_step.
Print Assumptions isolation_run_procs.
Print Assumptions kstep_send_blocked.
Print Assumptions run_send_blocked.
Print Assumptions ipc_recv_sender_authority.
Print Assumptions sstep_frames.
Print Assumptions isolation_run_survives.
Print Assumptions pstep_confined.
Print Assumptions vs_map_refused.
Print Assumptions vs_map_only_mine.
Print Assumptions vs_map_ok.
Print Assumptions vs_map_Invariant.
Print Assumptions vs_unmap_refused.
Print Assumptions vs_unmap_ok.
Print Assumptions vs_reap_live.
(* the C's unrolled chain (vspace.h: fw_link_ok, chain_ok0 .. chain_ok4,
   slot_resolves) is the model's lookup and resolve (VSpace.v) *)
Print Assumptions slot_resolves_ok.
Print Assumptions ok_slot_resolves.
Print Assumptions slot_resolves_iff.
Print Assumptions slot_resolves_needs_bound.
Print Assumptions path_live_slot_resolves.
Print Assumptions slot_resolves_path_live.
(* a mapping lives as long as the capability it was made through stays
   in its slot (VSpace.v: sys_map, sys_cap_delete, sys_cap_move) *)
Print Assumptions sys_map_refused.
Print Assumptions sys_map_bad_state.
Print Assumptions sys_map_ok.
Print Assumptions sys_unmap_refused.
Print Assumptions sys_cap_delete_unmaps.
Print Assumptions sys_cap_delete_kept.
Print Assumptions sys_cap_delete_refused.
Print Assumptions sys_cap_delete_core_step.
Print Assumptions sys_cap_move_follows.
Print Assumptions sys_cap_move_kept.
Print Assumptions sys_cap_move_refused.
Print Assumptions sys_cap_move_core_step.
(* SYS_OBJ_FREE's end since 37ad752a (VSpace.v): a freed frame's record,
   a freed cspace's marks and the records they confirmed *)
Print Assumptions sys_obj_free_frame_unmapped.
Print Assumptions sys_obj_free_cspace_unmapped.
Print Assumptions cspace_gone_pass_facts.
(* issue 14 item 4 with address spaces (VRuns.v): the whole kernel's
   steps over (KState * VS), mapping authority, integrity and isolation *)
Print Assumptions vstep_kstate.
Print Assumptions sstep_vstep.
Print Assumptions vstep_cap_delete_core.
Print Assumptions vstep_cap_move_core.
Print Assumptions vstep_unmap_core.
Print Assumptions vstep_map_Invariant.
Print Assumptions vstep_mappings.
Print Assumptions vrun_mapping_authority.
Print Assumptions vrun_map_rights.
Print Assumptions vrun_leaf_rights.
Print Assumptions no_map_spread.
Print Assumptions no_write_map_spread.
Print Assumptions vstep_addr_integrity.
Print Assumptions vstep_pt_integrity.
Print Assumptions vstep_root_integrity.
Print Assumptions vstep_tables_may_touch.
Print Assumptions isolation_vstep.
Print Assumptions isolation_vrun_mappings.
Print Assumptions isolation_vrun_in_force.
Print Assumptions mapping_death.
Print Assumptions isolation_vrun_deaths.
Print Assumptions vstep_frames.
Print Assumptions isolation_vrun_survives.
Print Assumptions isolation_pt_step.
Print Assumptions kernel_vstep_only_removes.
Print Assumptions after_destroy_only_removes.
Print Assumptions after_gone_only_removes.
Print Assumptions obj_gone_rm.
Print Assumptions sys_obj_free_c_gone.
Print Assumptions sys_unmap_only_removes.
Print Assumptions sys_cap_delete_only_removes.
(* a gap of vstep_by: a bare cap_delete, then a copy, brings a mapping
   back in force (VRuns.v) *)
Print Assumptions bare_delete_revives.
(* what the MMU sees along a run (VAgree.v): every entry's provenance,
   leaf authority with the rights the leaf's bits need *)
Print Assumptions vstep_entry.
Print Assumptions vrun_entry.
Print Assumptions vrun_leaf_authority.
Print Assumptions vrun_walk_authority.
Print Assumptions no_leaf_spread.
Print Assumptions no_write_leaf_spread.
Print Assumptions leaf_agree_fails.
Print Assumptions boot_agree.
Print Assumptions walk_back.
Print Assumptions sys_unmap_agree.
Print Assumptions sys_cap_delete_agree.
Print Assumptions sys_cap_move_agree.
Print Assumptions record_agree_fails.
(* the C's steps, the mark invariant, no revival through an emptied slot
   (VMarks.v) *)
Print Assumptions vstep_c_vstep.
Print Assumptions vrun_c_vrun.
Print Assumptions sstep_c_fills.
Print Assumptions vstep_c_shape.
Print Assumptions gone_shape.
Print Assumptions marks_inv_boot.
Print Assumptions marks_inv_step.
Print Assumptions marks_inv_run.
Print Assumptions slot_revival_step.
Print Assumptions slot_revival_run.
Print Assumptions no_revival_empty_slot.
