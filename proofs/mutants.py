#!/usr/bin/env python3
"""Guard mutants: each guard of an entry point, removed, must fail its proof
(issue 14 item 5).

A contract that names the exact error of every refusal, and says that a
refusal changes nothing, rejects code that lost one of its checks. This
tool tries that, one guard at a time: it copies kernel/ and proofs/ to a
temporary directory, makes the guard's condition false there (`if (c)`
becomes `if (0 && (c))`: the check is gone, the rest of the text the
same), and runs the proof pass (proofs/wp.py, cached goals replayed, no
cache written) on the guard's function. The mutant is *killed* when WP
fails to prove it; a mutant that proves means the contract would not
notice the guard's loss, and the tool fails naming it.

Besides guards, the table has *replacement* mutants (five fields: the
text becomes the fourth) and *effect* mutants (four fields: the fourth
a statement): a write inserted before the text, where the function's
assigns allow it and a success overwrites it, so that only the clause
"a refusal changes nothing" can kill it. (Such clauses were once true of
any two states, one-label predicates: proofs/acsl_labels.py.)

Usage: proofs/mutants.py [--timeout S] [NAME...]   (NAME: a mutant below;
none: all of them). Each mutant costs one WP run of one function, most of
it the failing goals' timeout (default 5 s here).

proofs/mutants.py --check-texts: no proof, only that every mutant's text
still finds a guard inside its own function (a second or so; CTest runs
it, `proof.mutant_texts`, so that a change to the C cannot leave the
table pointing at nothing, as the records change once did).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name: (file under kernel/, function to prove, the guard's text): the
# guard is the first `if (` at or after the first occurrence of the text
# in that function (from its definition on).
MUTANTS = {
    "proc_resume.cap": ("proc.c", "proc_resume",
                        "if (r.err != E_OK)\n    return r.err;\n  p = r.obj;"),
    "proc_resume.state": ("proc.c", "proc_resume",
                          "if (p_state(p) != PS_SUSPENDED && p_state(p) != PS_STOPPED)"),
    "proc_suspend.cap": ("proc.c", "proc_suspend",
                         "if (r.err != E_OK)\n    return r.err;\n  if (p_state(r.obj) == PS_NONE)"),
    "proc_suspend.state": ("proc.c", "proc_suspend", "if (p_state(r.obj) == PS_NONE)"),
    "proc_read_reg.reg": ("proc.c", "proc_read_reg",
                          "if (reg < 1 || reg > REG_PC) {\n    ret.err = E_BAD_ARG;"),
    "proc_read_reg.state": ("proc.c", "proc_read_reg",
                            "if (p_state(r.obj) == PS_READY) {\n    ret.err = (kerr_t)E_BAD_STATE;"),
    "proc_write_reg.reg": ("proc.c", "proc_write_reg",
                           "if (reg < 1 || reg > REG_PC)\n    return E_BAD_ARG;\n"
                           "  if (p_state(r.obj) == PS_READY)\n    return (kerr_t)E_BAD_STATE;\n"
                           "  p_reg(r.obj, reg) = value;"),
    "proc_write_reg.state": ("proc.c", "proc_write_reg",
                             "if (p_state(r.obj) == PS_READY)\n    return (kerr_t)E_BAD_STATE;\n"
                             "  p_reg(r.obj, reg) = value;"),
    "proc_set_fault.proc": ("proc.c", "proc_set_fault",
                            "if (p.err != E_OK)\n    return p.err;\n  e = cap_lookup"),
    "proc_set_fault.ep": ("proc.c", "proc_set_fault",
                          "if (e != E_OK)\n    return e;\n  ep = cap_obj"),
    "proc_create.cont": ("proc.c", "proc_create",
                         "if (e != E_OK)\n    return e;\n  e = cap_lookup(cs, cspace_slot"),
    "proc_create.cspace": ("proc.c", "proc_create",
                           "if (e != E_OK)\n    return e;\n  space ="),
    "proc_create.empty": ("proc.c", "proc_create", "if (!cspace_is_empty(space))"),
    "proc_create.prio": ("proc.c", "proc_create", "if (prio >= NPRIO"),
    "proc_create.dst": ("proc.c", "proc_create", "if (e != E_OK)\n    return e;\n  cont ="),
    "proc_create.room": ("proc.c", "proc_create", "if (!path_has_room(cont))"),
    "proc_create.memory": ("proc.c", "proc_create", "if (f == NFRAMES)"),
    "ipc_send.ep": ("ipc.c", "ipc_send",
                    "if (e.err != E_OK) {\n    ret.err = e.err;\n    return ret;\n  }\n  if (p_reg(cur, A6)"),
    "ipc_send.desc": ("ipc.c", "ipc_send",
                      "if (p_reg(cur, A6) >= 1048576u) {\n    ret.err = E_BAD_ARG;"),
    "ipc_send.msg": ("ipc.c", "ipc_send",
                     "if (err != E_OK) {\n    ret.err = err;"),
    "ipc_send.grant": ("ipc.c", "ipc_send", "if (desc % 4u != 0 && e.grant == 0) {"),
    "msg_check.count": ("ipc.c", "msg_check", "if (n > MSG_CAPS || desc / 262144u != 0)"),
    "msg_check.lookup": ("ipc.c", "msg_check", "if (e != E_OK)\n      return e;"),
    "msg_check.grant": ("ipc.c", "msg_check", "if (cap_grant[cs][s] == 0)\n      return E_NO_RIGHTS;"),
    "ipc_recv.ep": ("ipc.c", "ipc_recv",
                    "if (e.err != E_OK)\n    return e.err;\n  ep = e.obj;"),
    "ipc_reply.desc": ("ipc.c", "ipc_reply",
                       "if (p_reg(cur, A6) >= 1048576u)\n    return E_BAD_ARG;"),
    "ipc_reply.msg": ("ipc.c", "ipc_reply",
                      "if (err != E_OK)\n    return err;\n  p_reply_to(cur) = NO_PROC;"),
    "ipc_reply.valid": ("ipc.c", "ipc_reply", "if (c >= NFRAMES || !proc_live(c)"),
    "ntfn_signal.cap": ("ipc.c", "ntfn_signal",
                        "if (e.err != E_OK) {\n    ret.err = e.err;\n    return ret;\n  }\n  all = "),
    "ntfn_signal.bits": ("ipc.c", "ntfn_signal", "if (all == 0) {"),
    "ntfn_wait.cap": ("ipc.c", "ntfn_wait",
                      "if (e.err != E_OK)\n    return e.err;\n  n = e.obj;"),
    "ntfn_wait.bits": ("ipc.c", "ntfn_wait", "if (n_bits(n) == 0) {"),
    # the capability calls (kernel/cap.c)
    "cap_copy.rights": ("cap.c", "cap_copy", "if (r > 1"),
    "cap_copy.src": ("cap.c", "cap_copy", "if (e != E_OK)"),
    "cap_copy.dst": ("cap.c", "cap_copy", "if (e != E_OK)\n    return e;\n  slot_copy"),
    "cap_mint.rights": ("cap.c", "cap_mint", "if (r > 1"),
    "cap_mint.src": ("cap.c", "cap_mint", "if (e != E_OK)"),
    "cap_mint.dst": ("cap.c", "cap_mint", "if (e != E_OK)\n    return e;\n  if (cap_badge"),
    "cap_mint.badge": ("cap.c", "cap_mint", "if (cap_badge[cs][src] != 0)"),
    "cap_move.src": ("cap.c", "cap_move", "if (e != E_OK)"),
    "cap_move.dst": ("cap.c", "cap_move", "if (e != E_OK)\n    return e;\n  slot_set"),
    "cap_delete.slot": ("cap.c", "cap_delete", "if (slot >= NSLOTS)"),
    "cap_delete.empty": ("cap.c", "cap_delete", "if (cap_type[cs][slot] == OT_FREE)"),
    # the container calls (kernel/container.c)
    "container_create.parent": ("container.c", "container_create", "if (e != E_OK)"),
    "container_create.dst": ("container.c", "container_create",
                             "if (e != E_OK)\n    return e;\n  parent ="),
    "container_create.limit": ("container.c", "container_create", "if (limit < 1"),
    "container_create.depth": ("container.c", "container_create", "if (c_depth(parent) + 1u >= MAXDEPTH)"),
    "container_create.room": ("container.c", "container_create", "if (!path_has_room"),
    "container_create.memory": ("container.c", "container_create", "if (f == NFRAMES)"),
    "obj_alloc.cont": ("container.c", "obj_alloc", "if (e != E_OK)"),
    "obj_alloc.type": ("container.c", "obj_alloc", "if (!alloc_type_ok(type))"),
    "obj_alloc.dst": ("container.c", "obj_alloc", "if (e != E_OK)\n    return e;\n  cont ="),
    "obj_alloc.room": ("container.c", "obj_alloc", "if (!path_has_room"),
    "obj_alloc.memory": ("container.c", "obj_alloc", "if (f == NFRAMES)"),
    "typed_alloc.cont": ("container.c", "typed_alloc", "if (e != E_OK)"),
    "typed_alloc.dst": ("container.c", "typed_alloc", "if (e != E_OK)\n    return e;\n  cont ="),
    "typed_alloc.room": ("container.c", "typed_alloc", "if (!path_has_room"),
    "typed_alloc.memory": ("container.c", "typed_alloc", "if (f == NFRAMES)"),
    "irq_handler_create.ctl": ("container.c", "irq_handler_create", "if (e != E_OK)"),
    "irq_handler_create.src": ("container.c", "irq_handler_create",
                               "if (src == 0 || src >= irq_sources)"),
    "irq_handler_create.taken": ("container.c", "irq_handler_create",
                                 "if (o < NFRAMES && frame_type[o] == OT_IRQ_HANDLER"),
    "irq_handler_create.cont": ("container.c", "irq_handler_create",
                                "e = cap_lookup(cs, cont_slot, OT_CONTAINER, 0, 1);\n  if (e != E_OK)"),
    "irq_handler_create.dst": ("container.c", "irq_handler_create",
                               "if (e != E_OK)\n    return e;\n  cont ="),
    "irq_handler_create.room": ("container.c", "irq_handler_create", "if (!path_has_room"),
    "irq_handler_create.memory": ("container.c", "irq_handler_create", "if (h == NFRAMES)"),
    "obj_free.cont": ("container.c", "obj_free", "if (e != E_OK)"),
    "obj_free.obj": ("container.c", "obj_free", "e = cap_lookup(cs, obj_slot, OT_FREE, 0, 0);\n  if (e != E_OK)"),
    # the whole guard (a container or a device page): dropping only its
    # OT_DEVICE half is not a mutant of the `if (0 && (c))` form
    "obj_free.container": ("container.c", "obj_free",
                           "if (cap_type[cs][obj_slot] == OT_CONTAINER ||"),
    "obj_free.owner": ("container.c", "obj_free", "if (!(c_depth(owner) >= c_depth(cont)"),
    "container_destroy.cont": ("container.c", "container_destroy", "if (e != E_OK)"),
    "container_destroy.target": ("container.c", "container_destroy",
                                 "if (e != E_OK)\n    return e;\n  cont ="),
    "container_destroy.root": ("container.c", "container_destroy", "if (c_depth(t) == 0)"),
    "container_destroy.owner": ("container.c", "container_destroy", "if (!(c_depth(t) >= c_depth(cont)"),
    # forwarders (kernel/forwarder.c)
    "fwd_create.cont": ("forwarder.c", "fwd_create", "if (e != E_OK)"),
    "fwd_create.target": ("forwarder.c", "fwd_create", "if (e != E_OK)\n    return e;\n  if (fwd_chain_len"),
    "fwd_create.depth": ("forwarder.c", "fwd_create", "if (fwd_chain_len"),
    "fwd_create.dst": ("forwarder.c", "fwd_create", "if (e != E_OK)\n    return e;\n  cont ="),
    "fwd_create.room": ("forwarder.c", "fwd_create", "if (!path_has_room"),
    "fwd_create.memory": ("forwarder.c", "fwd_create", "if (f == NFRAMES)"),
    "invoke_lookup.type": ("proc.c", "invoke_lookup", "if (r.type != type) {"),
    "invoke_lookup.rights": ("proc.c", "invoke_lookup",
                             "if ((need_r != 0 && r.read == 0) || (need_w != 0 && r.write == 0))"),
    # interrupt handlers (kernel/irq.c)
    "irq_set_ntfn.handler": ("irq.c", "irq_set_ntfn",
                             "if (h.err != E_OK) {\n    ret.err = h.err;"),
    "irq_set_ntfn.ntfn": ("irq.c", "irq_set_ntfn", "if (e != E_OK) {\n    ret.err = e;"),
    "irq_ack.handler": ("irq.c", "irq_ack", "if (h.err != E_OK) {\n    ret.err = h.err;"),
    "irq_ack.pending": ("irq.c", "irq_ack", "if (s == 0 || s >= irq_sources"),
    "irq_target.handler": ("irq.c", "irq_target",
                           "if (h >= NFRAMES || frame_type[h] != OT_IRQ_HANDLER"),
    "irq_target.ntfn": ("irq.c", "irq_target",
                        "if (n >= NFRAMES || frame_type[n] != OT_NOTIFICATION"),
    "irq_deliver.target": ("irq.c", "irq_deliver", "if (n == NFRAMES)"),
    # timers (kernel/timers.c, issue 15): timer_set's three refusals, the
    # liveness tests of what fires, what is due and what is next
    "timer_set.timer": ("timers.c", "timer_set", "if (t.err != E_OK)"),
    "timer_set.ntfn": ("timers.c", "timer_set", "if (e != E_OK)"),
    "timer_set.full": ("timers.c", "timer_set", "if (r == NTIMERS)"),
    "timer_cancel.timer": ("timers.c", "timer_cancel", "if (t.err != E_OK)"),
    "timer_fire.armed": ("timers.c", "timer_fire", "if (!row_armed(r))"),
    "timer_fire.bound": ("timers.c", "timer_fire", "if (!row_bound(r))"),
    "timer_due.armed": ("timers.c", "timer_due", "if (row_armed(r) && tmr_deadline[r] <= now)"),
    "timer_next.armed": ("timers.c", "timer_next", "if (row_armed(r) && tmr_deadline[r] < next)"),
    "timer_free_row.free": ("timers.c", "timer_free_row", "if (tmr_obj[r] == t || !row_armed(r))"),
    "timer_target.live": ("timers.c", "timer_target", "if (!row_armed(r) || !row_bound(r))"),
    # SYS_MAP's frame argument (kernel/decode.c): the one refusal, a device
    # page mapped executable (the `r.err != E_WRONG_TYPE` test before it
    # only chooses the second lookup)
    "map_frame_lookup.exec": ("decode.c", "map_frame_lookup",
                              "if (r.err == E_OK && perm / 4 == 1)"),
    # address spaces (kernel/vspace.c): each refusal of a map or an unmap,
    # and the reaper's test that a mapping is out of force
    "vs_map.va": ("vspace.c", "vs_map", "if (va < VS_VA_MIN"),
    "vs_map.live": ("vspace.c", "vs_map", "if (map_live(f))"),
    "vs_map.blocked": ("vspace.c", "vs_map", "if (w.missing < 0)"),
    "vs_map.taken": ("vspace.c", "vs_map", "if (w.missing == 0 && pt_entry"),
    "vs_map.room": ("vspace.c", "vs_map", "if (n > 0 && !path_room_n(c, n))"),
    "vs_map.free": ("vspace.c", "vs_map", "if (t.err != E_OK)"),
    "vs_new_tables.free1": ("vspace.c", "vs_new_tables", "if (g1 == NFRAMES)"),
    "vs_new_tables.free2": ("vspace.c", "vs_new_tables", "if (g2 == NFRAMES)"),
    "vs_new_tables.free3": ("vspace.c", "vs_new_tables", "if (g3 == NFRAMES)"),
    "vs_unmap.va": ("vspace.c", "vs_unmap", "if (va < VS_VA_MIN"),
    "vs_unmap.path": ("vspace.c", "vs_unmap", "if (w.missing != 0)"),
    "vs_unmap.leaf": ("vspace.c", "vs_unmap", "if (e % 2u == 0)"),
    "vs_unmap.record": ("vspace.c", "vs_unmap", "if (g < NFRAMES && m_used[g] != 0"),
    "record_forget.live": ("vspace.c", "record_forget", "if (m_used[f] == 0 || map_live(f))"),
    "vs_reap_one.ended": ("vspace.c", "vs_reap_one", "if (record_forget(f))"),
    # a mapping lives as long as the capability it was made through: the
    # map's check that the process exists, and the mark's tests when the
    # capability is deleted or moved
    "sys_map.state": ("decode.c", "sys_map", "if (!proc_live(p.obj))"),
    "vs_slot_gone.mark": ("vspace.c", "vs_slot_gone", "if (m != 0 && m <= NFRAMES)"),
    "vs_follow.mark": ("vspace.c", "vs_follow", "if (m == 0 || m > NFRAMES)"),
    "vs_follow.record": ("vspace.c", "vs_follow", "if (m_cs[f] != cs"),
    # the decode's and the walk's other guards (a review of the contracts,
    # 2026-12-05): each one's loss breaks the function's own contract
    "dst_cspace.self": ("decode.c", "dst_cspace", "if (slot == SLOT_SELF)"),
    "dst_cspace.slot": ("decode.c", "dst_cspace", "if (slot >= NSLOTS)"),
    "dst_cspace.resolve": ("decode.c", "dst_cspace", "if (r.err != E_OK)"),
    "dst_cspace.type": ("decode.c", "dst_cspace", "if (r.type != OT_CSPACE && r.type != OT_PROCESS)"),
    "dst_cspace.write": ("decode.c", "dst_cspace", "if (r.write == 0)"),
    "dst_cspace.cspace": ("decode.c", "dst_cspace", "if (r.type == OT_CSPACE)"),
    "dst_cspace.stale": ("decode.c", "dst_cspace", "if (ret.obj == NFRAMES)"),
    "caller_cspace.live": ("decode.c", "caller_cspace", "if (cs < NFRAMES && frame_type[cs] == OT_CSPACE"),
    "proc_arg.self": ("decode.c", "proc_arg", "if (slot == SLOT_SELF)"),
    "proc_arg.slot": ("decode.c", "proc_arg", "if (slot >= NSLOTS)"),
    "proc_arg.lookup": ("decode.c", "proc_arg", "if (r.err != E_OK)"),
    "rights_unpack.bad": ("decode.c", "rights_unpack", "if (x >= 8)"),
    "perm_check.bad": ("decode.c", "perm_check", "if (perm == 0"),
    "map_frame_lookup.frame": ("decode.c", "map_frame_lookup", "if (r.err != E_WRONG_TYPE)"),
    "frame_write_lookup.range": ("decode.c", "frame_write_lookup", "if (r.err == E_OK && (off > FRAME_BYTES"),
    "sys_cap_copy.rights": ("decode.c", "sys_cap_copy", "if (rt.err != E_OK)"),
    "sys_cap_copy.dst": ("decode.c", "sys_cap_copy", "if (d.err != E_OK)"),
    "sys_cap_mint.rights": ("decode.c", "sys_cap_mint", "if (rt.err != E_OK)"),
    "sys_cap_mint.dst": ("decode.c", "sys_cap_mint", "if (d.err != E_OK)"),
    "sys_cap_move.dst": ("decode.c", "sys_cap_move", "if (d.err != E_OK)"),
    "sys_map.proc": ("decode.c", "sys_map", "if (p.err != E_OK)"),
    "sys_map.perm": ("decode.c", "sys_map", "if (err != E_OK)"),
    "sys_map.frame": ("decode.c", "sys_map", "if (f.err != E_OK)"),
    "sys_unmap.proc": ("decode.c", "sys_unmap", "if (p.err != E_OK)"),
    "link_child.leaf": ("vspace.c", "link_child", "if (e % 2u == 0 || e / 2u % 8u != 0)"),
    "link_child.mine": ("vspace.c", "link_child", "if (!pt_mine(p, t))"),
    "vs_walk.root": ("vspace.c", "vs_walk", "if (!pt_mine(p, r))"),
    "vs_walk.e2": ("vspace.c", "vs_walk", "if (e % 2u == 0) {\n    w.missing = 2;"),
    "vs_walk.t1": ("vspace.c", "vs_walk", "if (w.t1 == NFRAMES || w.t1 == r)"),
    "vs_walk.e1": ("vspace.c", "vs_walk", "if (e % 2u == 0) {\n    w.missing = 1;"),
    "vs_walk.t0": ("vspace.c", "vs_walk", "if (w.t0 == NFRAMES"),
    "vs_lookup.path": ("vspace.c", "vs_lookup", "if (w.missing != 0)"),
    "slot_mine.boot": ("vspace.c", "slot_mine", "if (cs == NFRAMES)"),
    "map_live.record": ("vspace.c", "map_live", "if (m_used[f] == 0 || !proc_live(q)"),
    "map_live.type": ("vspace.c", "map_live", "if (frame_type[f] != OT_FRAME"),
    "map_live.gen": ("vspace.c", "map_live", "if (frame_gen[f] != m_fgen[f]"),
    "map_live.slot": ("vspace.c", "map_live", "if (!slot_mine(f))"),
    "map_live.boot": ("vspace.c", "map_live", "if (m_cs[f] == NFRAMES)"),
    "map_live.path": ("vspace.c", "map_live", "if (!slot_chain_ok("),
    "slot_chain_ok.valid": ("vspace.c", "slot_chain_ok", "if (t == OT_FREE || o >= NFRAMES"),
    "slot_chain_ok.deep": ("vspace.c", "slot_chain_ok", "if (n == MAXFWD)"),
    "slot_chain_ok.link": ("vspace.c", "slot_chain_ok", "if (fw_type(o) == OT_FREE"),
    "path_link.root": ("vspace.c", "path_link", "if (n == 3)"),
    "map_build.slot": ("vspace.c", "map_build", "if (cs < NFRAMES)"),
    "timer_set.hi": ("timers.c", "timer_set", "if (r >= tmr_hi)"),
    "timer_disarm.match": ("timers.c", "timer_disarm", "if (tmr_obj[r] == t)"),
    "leaf_clear.leaf": ("vspace.c", "leaf_clear", "if (e % 2u == 1 && ppn_frame("),
    # the reaper clearing a leaf that maps another frame
    "leaf_clear.any_leaf": ("vspace.c", "leaf_clear",
                             "e % 2u == 1 && ppn_frame(e / 1024u % VS_PPN_END) == f",
                             "e % 2u == 1", "replace"),
    # a send that writes another object's queue index (its assigns name
    # the endpoint's only)
    "send_commit.other_index": ("ipc.c", "send_commit", "ep_recv(ep) = NO_PROC;",
                                "ep_recv(cur) = NO_PROC;", "replace"),
    # a root that keeps a reused frame's old bytes in its upper half
    "table_init.half_zeroed": ("vspace.c", "table_init", "z < PTES / 8u;",
                               "z < (root ? PTES / 16u : PTES / 8u);", "replace"),
    # effect mutants: a write before the call that may refuse
    "sys_cap_copy.write_first": ("decode.c", "sys_cap_copy", "return cap_copy(",
                                 "cap_badge[d.obj][slot32(a2)] = 1;"),
    "sys_cap_mint.write_first": ("decode.c", "sys_cap_mint", "return cap_mint(",
                                 "cap_read[d.obj][slot32(a2)] = 1;"),
    "sys_cap_move.write_first": ("decode.c", "sys_cap_move", "return cap_move(",
                                 "cap_grant[d.obj][slot32(a2)] = 1;"),
    "sys_map.mark_first": ("decode.c", "sys_map", "err = vs_map(",
                           "cap_mapped[cs][frame] = 0;"),
    # a receive that writes the sender's a1 where its a0 is meant (the
    # review's named survivor; killed by ipc_recv's sender_a0)
    "ipc_recv.sender_a0": ("ipc.c", "ipc_recv", "p_reg(s, A0) = E_OK;",
                           "p_reg(s, A1) = E_OK;", "replace"),
    # a reply that also writes another process's register (the caller's
    # reply target) where only the caller's and cur's are named
    "reply_to_caller.other_reg": ("ipc.c", "reply_to_caller", "p_reg(cur, A0) = E_OK;",
                                  "p_reg(cur, A0) = E_OK;\n  p_reg(p_reply_to(cur) % NFRAMES, A1) = 0;",
                                  "replace"),
    # a fault delivered to the receiver but also to cur's registers
    "ipc_fault.other_reg": ("ipc.c", "ipc_fault", "deliver_msg(cur, r, 0);",
                            "deliver_msg(cur, r, 0);\n  p_reg(p_wait(r) % NFRAMES, A1) = 0;",
                            "replace"),
    # a deletion that clears the slot's mark but leaves the record and the
    # leaf the MMU walks (killed by sys_cap_delete's leaf_gone, which
    # held of nothing until 2026-12-06: vs_slot_gone's premise)
    "sys_cap_delete.leaf": ("decode.c", "sys_cap_delete", "vs_slot_gone(cs, s);",
                            "cap_mapped[cs][s] = 0;", "replace"),
    # a process made ready at the front of its round robin (no new
    # ticket): killed by proc_ready's ticket (the review's S2-5)
    "proc_ready.ticket": ("sched.c", "proc_ready", "p_ticket(IX(p)) = ticket_take();",
                          "p_ticket(IX(p)) = 0; (void)ticket_take();", "replace"),
    # a freed cspace whose marks are left (a slot refilled later would
    # find its old mark): killed by vs_cspace_gone's none
    "vs_cspace_gone.mark": ("vspace.c", "vs_cspace_gone", "cap_mapped[cs][s] = 0;",
                            "(void)0;", "replace"),
    # obj_gone acting on a live object (the caller's mistake): killed by
    # not_dead
    "obj_gone.dead": ("decode.c", "obj_gone",
                      "if (o >= NFRAMES || (frame_type[o] != OT_FREE"),
    # a freed frame whose mapping is left: killed by frame_unmapped
    "obj_gone.frame": ("decode.c", "obj_gone", "if (t == OT_FRAME)"),
    # a freed cspace whose slots' mappings are left: killed by
    # slots_unmapped
    "obj_gone.cspace": ("decode.c", "obj_gone", "vs_cspace_gone(o);", "(void)o;", "replace"),
    # a new root without the kernel's half
    "table_init.root": ("vspace.c", "table_init", "if (root)"),
    # replacement mutants (five fields, the last "replace"): the text
    # itself becomes the fourth field. A post that loses its badge:
    "timer_fire.badge": ("timers.c", "timer_fire", "tmr_badge[r] != 0 ? tmr_badge[r] : 1u",
                         "1u", "replace"),
    "irq_deliver.badge": ("irq.c", "irq_deliver", "h_badge(h) != 0 ? h_badge(h) : 1u",
                          "1u", "replace"),
}


def definition(text, func):
    """Where func's definition starts in text (not a prototype)."""
    m = re.search(r"^(?:static\s+)?(?:inline\s+)?(?:struct\s+\w+|\w+)\s+%s\s*\([^;{]*?\)\s*\n\{"
                  % re.escape(func), text, re.M)
    if not m:
        raise ValueError("no definition of %s" % func)
    return m.start()


def mutate(text, guard, func):
    """text with the guard in func made false: `if (0 && (c))`."""
    i = text.find(guard, definition(text, func))
    if i < 0:
        raise ValueError("the guard's text is not in %s" % func)
    j = text.index("if (", i)
    depth, k = 0, j + 3
    while True:                     # the condition's closing parenthesis
        depth += {"(": 1, ")": -1}.get(text[k], 0)
        if depth == 0:
            break
        k += 1
    cond = text[j + 4:k]
    return text[:j] + "if (0 && (" + cond + "))" + text[k + 1:]


def locate(text, needle, func):
    """where needle first stands in func's definition (ValueError: not
    there)"""
    start = definition(text, func)
    i = text.find(needle, start)
    end = text.find("\n}\n", start)
    if i < 0 or (end >= 0 and i > end):
        raise ValueError("the text %r is not in %s" % (needle, func))
    return i


def insert(text, anchor, stmt, func):
    """text with stmt inserted before anchor, in func: an effect mutant."""
    i = locate(text, anchor, func)
    return text[:i] + stmt + "\n  " + text[i:]


def replace(text, old, new, func):
    """text with old (in func) replaced by new: a replacement mutant."""
    i = locate(text, old, func)
    return text[:i] + new + text[i + len(old):]


def apply(text, entry):
    """the mutant of text an entry of MUTANTS names"""
    fname, func, anchor = entry[:3]
    if len(entry) == 5:
        return replace(text, anchor, entry[3], func)
    if len(entry) == 4:
        return insert(text, anchor, entry[3], func)
    return mutate(text, anchor, func)


def prove(func, timeout, fname=None, guard=None):
    """(passed, output) of the proof pass on func, over a copy of kernel/
    in which guard (of kernel/fname) is made false, if one is given."""
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        for d in ("kernel", "proofs"):
            shutil.copytree(os.path.join(ROOT, d), os.path.join(tmp, d))
        if guard is not None:
            path = os.path.join(tmp, "kernel", fname)
            with open(path) as f:
                text = f.read()
            with open(path, "w") as f:
                f.write(apply(text, guard))
        r = subprocess.run([sys.executable, os.path.join(tmp, "proofs", "wp.py"),
                            "--cache", "replay", "--timeout", str(timeout), func],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return r.returncode == 0, r


def run(name, timeout):
    fname, func = MUTANTS[name][:2]
    passed, r = prove(func, timeout, fname, MUTANTS[name])
    killed = not passed
    total = [l for l in r.stdout.splitlines() if l.startswith("TOTAL")]
    # the goals the mutant broke, as wp.py names them ("    name: Failed")
    broke = re.findall(r"^    (\w+): (?:Failed|Timeout|Unknown|Stepout)", r.stdout, re.M)
    print("%-28s %s  (%s)" % (name, "killed" if killed else "SURVIVED: the proof passes",
                              total[0] if total else r.stdout.strip().splitlines()[-1:]))
    if broke:
        print("    %d goals not proved, e.g. %s" % (len(broke), ", ".join(broke[:3])))
    return killed


def check_texts():
    """Each mutant's guard is found, in its function, and is an `if`."""
    bad = 0
    for name, entry in sorted(MUTANTS.items()):
        fname, func, guard = entry[:3]
        with open(os.path.join(ROOT, "kernel", fname)) as f:
            text = f.read()
        try:
            start = definition(text, func)
            if len(entry) == 5:
                replace(text, guard, entry[3], func)
                continue
            if len(entry) == 4:
                insert(text, guard, entry[3], func)
                continue
            mutated = mutate(text, guard, func)
            end = text.find("\n}\n", start)
            j = mutated.find("if (0 && (", start)
            if j < 0 or (end >= 0 and j > end):
                raise ValueError("the first `if` after the text is not in %s" % func)
        except ValueError as e:
            print("mutants: %s: %s" % (name, e))
            bad += 1
    print("mutants: %d texts, %d not found" % (len(MUTANTS), bad))
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=int, default=5)
    ap.add_argument("--check-texts", action="store_true")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    if args.check_texts:
        return check_texts()
    names = args.names or sorted(MUTANTS)
    unknown = [n for n in names if n not in MUTANTS]
    if unknown:
        print("mutants: unknown: %s" % ", ".join(unknown))
        return 2
    # the control: each function proves unmutated, so that a failure below
    # is the mutant's
    for func in sorted({MUTANTS[n][1] for n in names}):
        passed, r = prove(func, args.timeout)
        if not passed:
            print(r.stdout)
            print("mutants: %s does not prove unmutated: no verdict" % func)
            return 2
    survived = [n for n in names if not run(n, args.timeout)]
    print("mutants: %d of %d killed%s" % (len(names) - len(survived), len(names),
                                          "; survived: " + ", ".join(survived) if survived else ""))
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
