#!/usr/bin/env python3
"""smoke.py: WP's smoke tests over every function of kernel/ (issue 14
item 7): a proof can pass because what it assumes is contradictory (a
precondition, a loop invariant, a callee's contract, the assumes of a
behavior) or because the code it covers cannot be reached. For each
such place WP asks the provers to prove `false` from what holds there; a
smoke test passes when they cannot (Z3, within WP's smoke timeout of
2 s), and fails when they can: the proof above it is then vacuous.

Only the smoke goals run here (every other property is deselected with
-wp-prop; proofs/wp.py proves those). Results go to their own cache,
proofs/wp-smoke-cache/, in WP's `update` mode: a goal found there is not
run again, a goal missing from it (the code changed) runs Z3, so a new
dead branch cannot hide behind the cache.

Exits non-zero, naming each failed smoke test and its source line, if
any smoke test fails, or if a job that has smoke goals prints no WP
summary. (A function with no precondition, behavior, loop, call or branch
has no smoke test: slot32.) A "dead call" test is named after the callee
and counted under "(calls)".

Usage: proofs/smoke.py [--jobs N] [--prune] [FUNCTION...]
"""
import argparse
import concurrent.futures as cf
import os
import re
import shutil
import sys
import tempfile
import time

import wp

SMOKE_CACHE = os.path.join(wp.ROOT, "proofs", "wp-smoke-cache")
# Frama-C jobs (each parses the core: about 3 s of CPU before any goal)
SPLIT = 8

# Every property category but the smoke tests.
NOT_SMOKE = ",".join("-@" + c for c in (
    "ensures", "assigns", "assert", "invariant", "variant", "requires",
    "decreases", "check", "exits", "terminates", "breaks", "continues",
    "returns", "complete_behaviors", "disjoint_behaviors", "lemma"))

SMOKE_RE = re.compile(r"^\[wp\] \[(Passed|Failed)\] Smoke-test typed_(\w+)", re.M)
WHERE_RE = re.compile(r"^\[wp\] (\S+:\d+): Warning: Failed smoke-test", re.M)


CACHE_RE = re.compile(r"^\[wp\] \[Cache\] (.*)$", re.M)


def cache_complete(out):
    """Whether an offline run found in the cache every smoke goal it looked
    up. WP prints `[Cache] found:N` then, and `failed:M` beside it for the
    M goals it did not find, which offline mode reports as smoke tests
    passed: those must run Z3 (a second phase)."""
    stats = CACHE_RE.findall(out)
    if len(stats) != 1:
        return False
    keys = [kv.split(":")[0].strip() for kv in stats[0].split(",")]
    return bool(keys) and all(k == "found" for k in keys)


def run_frama_c(fcts, tune, mode, par):
    cmd = ["frama-c", "-cpp-extra-args=-I" + os.path.join(wp.KERNEL, "include")]
    # wp.py's options but -wp-rte (its goals are not smoke tests)
    opts = [o for o in wp.FRAMAC_OPTS if o != "-wp-rte"]
    cmd += wp.sources() + opts + ["-wp-smoke-tests", "-wp-prop=" + NOT_SMOKE,
                           "-wp-prover", "z3", "-wp-par", par,
                           "-wp-cache", mode, "-wp-cache-dir", SMOKE_CACHE,
                           "-wp-fct", ",".join(fcts)]
    if tune:
        cmd += ["-load-module", tune]
    return wp.run_timed(cmd)


def run(fcts, tune=None):
    """The smoke tests of fcts, in up to two phases: from the cache alone
    (`offline`, -wp-par 32: no prover runs, so WP's scheduler need not
    wait between tasks); if that phase did not find every smoke goal in
    the cache, or failed otherwise, the job again in WP's `update` mode at
    -wp-par 1, where Z3 runs on what is missing (one call at a time, so
    that the smoke timeout means what it says) and the cache is written."""
    returncode, out, cpu = run_frama_c(fcts, tune, "offline", wp.CACHED_PAR)
    if returncode != 0 or not cache_complete(out) or \
            wp.frama_c_problems(returncode, out):
        returncode, out2, cpu2 = run_frama_c(fcts, tune, "update", "1")
        out, cpu = out2, cpu + cpu2
    problems = wp.frama_c_problems(returncode, out)
    m = re.search(r"\[wp\] Proved goals:\s+(\d+)\s*/\s*(\d+)", out)
    tests = SMOKE_RE.findall(out)
    if not m and tests:
        problems.append("no WP summary line")
    elif m and int(m.group(2)) != len(tests):
        problems.append("%s goals, %d smoke tests: a goal that is no smoke test ran"
                        % (m.group(2), len(tests)))
    per = {}
    failed = []
    for status, goal in tests:
        fn = "(calls)" if "_wp_smoke_dead_call_" in goal else wp.owner(goal, fcts)
        ok, n = per.get(fn, (0, 0))
        per[fn] = (ok + (status == "Passed"), n + 1)
        if status != "Passed":
            failed.append(goal)
    return per, failed, WHERE_RE.findall(out), problems, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--split", type=int, default=SPLIT,
                    help="number of Frama-C jobs the functions are packed into")
    ap.add_argument("--prune", action="store_true",
                    help="after a full pass, delete the cache entries it did not read")
    ap.add_argument("only", nargs="*", help="function names (default: all)")
    a = ap.parse_args()
    funcs = a.only or sorted({n for p in wp.sources() for n in wp.functions_of(p)})
    # one job a function would parse the core a hundred times: pack them
    # into --split parts of about equal size, in the order of the sources
    nparts = min(len(funcs), a.split)
    parts = [funcs[i::nparts] for i in range(nparts)]
    os.makedirs(SMOKE_CACHE, exist_ok=True)
    if a.prune:
        if a.only:
            ap.error("--prune needs a full pass (no function names)")
        wp.mark_unread(SMOKE_CACHE)
    t0 = time.time()
    tmpdir = tempfile.mkdtemp(prefix="wp-tune-")
    tune = wp.build_tune_module(tmpdir)
    # Frama-C's own list of the functions, read meanwhile (a parse of its own)
    lister = cf.ThreadPoolExecutor(max_workers=1)
    seen_fut = lister.submit(wp.frama_c_functions)
    per, failed, where, problems, cpu = {}, [], [], [], 0.0
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for p_per, p_failed, p_where, p_problems, p_cpu in \
                ex.map(lambda fs: run(fs, tune), parts):
            per.update(p_per)
            failed += p_failed
            where += p_where
            problems += p_problems
            cpu += p_cpu
    shutil.rmtree(tmpdir, ignore_errors=True)
    total = sum(n for _, n in per.values())
    passed = sum(ok for ok, _ in per.values())
    for fn in sorted(per):
        ok, n = per[fn]
        print("    %-26s %4d / %-4d%s" % (fn, ok, n, "" if ok == n else "  FAILED"))
    for g in failed:
        print("FAILED smoke test: " + g)
    for w in where:
        print("  at " + os.path.relpath(w, wp.ROOT) if os.path.isabs(w) else "  at " + w)
    for pr in problems:
        print("FAIL: " + pr)
    seen = seen_fut.result()
    lister.shutdown()
    if seen is not None and not a.only and seen != set(funcs):
        problems.append("the functions Frama-C defines and those this pass selected differ")
        print("FAIL: " + problems[-1])
    bad = failed or problems or total == 0
    print("SMOKE: %d / %d smoke tests passed (%d functions), %.1fs wall, "
          "%.1fs CPU (Frama-C jobs)%s" %
          (passed, total, len(per), time.time() - t0, cpu,
           "; FAILED" if bad else ""))
    if a.prune and not bad:
        print("pruned %d cache entries no goal read" % wp.drop_unread(SMOKE_CACHE))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
