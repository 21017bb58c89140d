#!/usr/bin/env python3
"""The Frama-C/WP proof pass over kernel/ (issue 3).

Runs `frama-c -wp -wp-rte` on every kernel/*.c: the functions are packed
into --split jobs of about equal weight (selected with -wp-fct), plus one
job for the ACSL lemmas, --jobs of them in parallel, heaviest first. Each
job parses the whole core (about 3 s of CPU with WP's set-up), so a handful of balanced jobs
beats one job per function, and beats one job per file (the biggest file
would run alone at the end). Prints the goals proved per
function and the total; exits non-zero if any goal is not proved (unknown,
timeout, failed), if Frama-C reports a parse or typing error, or if a job's
summary line is missing.

Cache: the WP cache (proof results keyed by the goal's text) lives in
proofs/wp-cache/ and is committed. `--cache replay` (the default, used by
the CTest test) reuses cached results and runs the provers on any goal not
in the cache, without writing it; `--cache update` also stores new results
(after changing the kernel, `--cache update --prune`, then commit
proofs/wp-cache/ and proofs/wp-cvc4.txt). How the cached check is made
fast (phases, the CVC4 hint, Qed options, OCaml runtime settings):
proofs/README.md.

Usage: proofs/wp.py [--jobs N] [--timeout S] [--cache MODE] [FUNCTION...]
"""
import argparse
import collections
import concurrent.futures as cf
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.path.join(ROOT, "kernel")
CACHE = os.path.join(ROOT, "proofs", "wp-cache")

# A function definition: return type, name, parameters, then a line
# holding only "{", each line indented alike (ghost functions sit indented
# inside their /*@ ghost ... */ block). Only for the jobs' weights: the
# functions to prove are the ones Frama-C itself lists (frama_c_functions),
# and the pass fails if this reading and Frama-C's list differ.
DEF_RE = re.compile(
    r"^([ \t]*)(?:static\s+)?(?:inline\s+)?(?:struct\s+\w+|\w+)\s+(\w+)\s*"
    r"\([^;{]*?\)\s*\n\1\{", re.M)

FRAMAC_OPTS = [
    "-wp", "-wp-rte", "-warn-unsigned-overflow", "-warn-unsigned-downcast",
    # Two of Qed's simplification passes off: they cost far more than they
    # gain here: Qed's time over the whole pass fell from 126 s to 41 s,
    # and Qed alone still proved 2731 of the then 3547 goals (2779 with
    # them; the other 48 went to Z3 or CVC4, from the cache). Soundness is
    # untouched: these only decide how far Qed simplifies a goal before a
    # prover sees it. Figures: proofs/README.md.
    "-wp-no-pruning", "-wp-no-ground",
]

PROVERS = "z3,cvc4"

# The functions with a goal that only CVC4 proved at the last --prune pass
# (wp.py writes the file then). A cached check of any other function asks
# the cache for Z3 alone: WP prepares and prints every goal for each prover
# it is given, to look it up, and CVC4's copy of a goal Z3 proved is wasted
# work (22 s of a 117 s CPU total). The file is only a hint: a function it
# omits that does need CVC4 has a goal missing after that first phase, and
# runs again with both provers.
CVC4_HINT = os.path.join(ROOT, "proofs", "wp-cvc4.txt")
# Per character of text, a function checked with both provers took 1.8
# times as long as one checked with Z3 alone (2026-12-01, cached pass).
CVC4_WEIGHT = 1.8

# OCaml runtime settings for Frama-C (proofs/wp_tune.ml), compiled once
# per pass and loaded into every job.
TUNE_ML = os.path.join(ROOT, "proofs", "wp_tune.ml")

# Cached goals are checked with a high -wp-par: WP's task scheduler waits
# between the tasks it starts, so with -wp-par 1 a replay of cached goals
# spends about half its wall time idle (obj_alloc: 23 s wall for 11 s of
# CPU; with -wp-par 32, 12.8 s). That is safe only when no prover runs, so
# the first phase is -wp-cache offline; the functions it leaves with a goal
# not in the cache run again in the requested cache mode with -wp-par 1,
# where each prover call gets a core to itself and the timeout means what
# it says.
CACHED_PAR = "32"
PROVER_PAR = "1"

# Goals the cache does not hold (a cold pass, or the goals a change
# made), with --cache update or none: first Z3 alone with this short
# timeout, then what it leaves with CVC4 first and the full timeout.
# Z3 proves what it proves here in under 4 s (the slowest of the goals
# proved on 2026-12-05: 3.9 s), and the goals it does not prove it used to
# hold for the whole timeout before CVC4 got them (most of a cold pass's
# time: proofs/README.md, "Measured times"). --cache none runs on an
# empty cache of its own, so that the second phase finds the first's.
QUICK_Z3 = 5


def sources():
    return sorted(glob.glob(os.path.join(KERNEL, "*.c")))


def functions_of(path):
    with open(path) as f:
        return [m.group(2) for m in DEF_RE.finditer(f.read())]


def run_timed(cmd, env=None):
    """Run cmd, its stderr into its stdout; returns (exit status, output,
    CPU seconds of the process and the processes it waited for: cpp, the
    provers)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, env=env)
    out = p.stdout.read()
    p.stdout.close()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, out, ru.ru_utime + ru.ru_stime


def frama_c_functions():
    """Every function Frama-C sees defined in kernel/ (ghost functions
    included), from its metrics plug-in; None if the list is unreadable."""
    cmd = ["frama-c", "-cpp-extra-args=-I" + os.path.join(KERNEL, "include")]
    cmd += sources() + ["-metrics"]
    out = run_timed(cmd)[1]
    m = re.search(r"Defined functions \((\d+)\)\s*\n\s*=+\n(.*?)\n\s*\n", out, re.S)
    if not m:
        return None
    names = re.findall(r"(\w+) \(\d+ calls?\)", m.group(2))
    return set(names) if len(names) == int(m.group(1)) else None


def weighted_functions(path):
    """(weight, name) for each function of path: the weight is the size of
    its text (contract and body, up to the next definition), a rough
    stand-in for the work WP does on it."""
    with open(path) as f:
        text = f.read()
    ms = list(DEF_RE.finditer(text))
    out = []
    for i, m in enumerate(ms):
        start = text.rfind("/*@", ms[i - 1].end() if i else 0, m.start())
        start = m.start() if start < 0 else start
        end = ms[i + 1].start() if i + 1 < len(ms) else len(text)
        out.append((end - start, m.group(2)))
    return out


def read_cvc4_hint():
    try:
        with open(CVC4_HINT) as f:
            return {l.strip() for l in f if l.strip() and not l.startswith("#")}
    except OSError:
        return set()


def write_cvc4_hint(names):
    with open(CVC4_HINT, "w") as f:
        f.write("# Written by `proofs/wp.py --prune`: the functions with a goal only\n"
                "# CVC4 proved. A cached check asks the cache for Z3 alone for the\n"
                "# others (a hint only: a wrong entry costs time, never a result).\n")
        for n in sorted(names):
            f.write(n + "\n")


def balanced_groups(nbins, cvc4):
    """Every kernel function, packed into about nbins jobs of about equal
    weight (largest first, each into the lightest job), so that the
    parallel jobs finish together instead of one big file running alone at
    the end. The functions in cvc4 go into jobs of their own, whose first
    phase asks the cache for both provers; the others' asks for Z3 only.
    Returns (label, functions, first-phase provers) per job."""
    funcs = sorted(((w * (CVC4_WEIGHT if n in cvc4 else 1), n)
                    for p in sources() for w, n in weighted_functions(p)),
                   reverse=True)
    total = sum(w for w, _ in funcs) or 1
    jobs = []
    for provers, part in ((PROVERS, [f for f in funcs if f[1] in cvc4]),
                          ("z3", [f for f in funcs if f[1] not in cvc4])):
        if not part:
            continue
        n = max(1, round(nbins * sum(w for w, _ in part) / total))
        bins = [[0, []] for _ in range(n)]
        for w, name in part:
            b = min(bins, key=lambda x: x[0])
            b[0] += w
            b[1].append(name)
        jobs += [(b[0], b[1], provers) for b in bins if b[1]]
    jobs.sort(key=lambda j: -j[0])
    return [("job%d:%s" % (i + 1, fs[0]), fs, pv)
            for i, (_, fs, pv) in enumerate(jobs)]


GOAL_RE = re.compile(r"^\[wp\] \[([^\]]+)\] Goal typed_(\w+?) : (\w+)", re.M)
FAIL_RE = re.compile(r"^\[wp\] \[(Failed|Unknown|Timeout|Stepout)\] Goal typed_(\w+)\s*$", re.M)


def owner(goal, names):
    """The function a goal name 'typed_<function>_<property>' belongs to
    (longest matching function name), or 'lemma' for lemma goals."""
    if goal.startswith("lemma_"):
        return "(lemmas)"
    best = None
    for n in names:
        if goal == n or goal.startswith(n + "_"):
            if best is None or len(n) > len(best):
                best = n
    return best or "(other)"


def build_tune_module(tmpdir):
    """Compile wp_tune.ml into a plug-in for -load-module; None (and a
    note) when the OCaml compiler is missing: the pass then runs without
    it, only slower."""
    out = os.path.join(tmpdir, "wp_tune.cmxs")
    src = os.path.join(tmpdir, "wp_tune.ml")
    shutil.copy(TUNE_ML, src)   # ocamlopt writes .cmi/.cmx beside it
    try:
        p = subprocess.run(["ocamlfind", "ocamlopt", "-shared", "-o", out,
                            src], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    except OSError as e:
        p = None
        err = str(e)
    if p is not None and p.returncode == 0:
        return out
    print("note: wp_tune.ml not compiled (%s); running without it" %
          (err if p is None else p.stdout.strip()), flush=True)
    return None


# One Frama-C run: goals (proved, total) per function, the problems that
# make it fail, the goals not proved, Frama-C's output, and the functions
# a goal of which CVC4 proved.
Run = collections.namedtuple("Run", "per problems bad out cvc4 cpu")
# One job, all its phases: the same, with its label, totals, time and
# whether the provers had to run ("provers") or the cache sufficed.
Job = collections.namedtuple(
    "Job", "label per proved total secs problems bad out how cvc4 cpu start")


def run_job(label, fcts, timeout, cache, tune, first_provers=PROVERS, cache_dir=CACHE):
    """Prove the goals of functions fcts, or the lemmas (fcts == None), in
    phases, each re-running only the functions the previous one left with
    a goal not proved: from the cache alone, asking it for first_provers
    (Z3 alone unless the CVC4 hint names the job's functions); from the
    cache alone with both provers, if the first phase asked for Z3 alone;
    then with the provers, in the requested cache mode (update and none:
    Z3 alone first, QUICK_Z3). Returns the
    functions a goal of which CVC4 proved, too (for the hint)."""
    t0 = time.time()
    phases = []   # (cache mode, -wp-par, provers, timeout)
    if cache in ("replay", "update"):
        phases.append(("offline", CACHED_PAR, first_provers, timeout))
        if first_provers != PROVERS:
            phases.append(("offline", CACHED_PAR, PROVERS, timeout))
    if cache in ("update", "none") and timeout > QUICK_Z3:
        # none: "update" on an empty cache of its own (cache_dir)
        phases.append(("update", PROVER_PAR, "z3", QUICK_Z3))
        phases.append(("update", PROVER_PAR, "cvc4,z3", timeout))
    else:
        phases.append((cache, PROVER_PAR, PROVERS, timeout))
    per, outs, todo, cvc4, cpu = {}, "", fcts, set(), 0.0
    problems, bad, how = [], [], "cache"
    for i, (mode, par, provers, tmo) in enumerate(phases):
        r = run_frama_c(todo, tmo, mode, par, tune, provers, cache_dir)
        outs += r.out
        cpu += r.cpu
        last = i == len(phases) - 1
        if last or not r.problems:
            per.update(r.per)
            cvc4 |= r.cvc4
            if last:
                problems, bad, how = r.problems, r.bad, "provers"
            break
        missing = sorted(fn for fn, (pv, tt) in r.per.items() if pv != tt)
        if todo is not None and set(missing) <= set(todo) and \
                all(pr.endswith("not proved") for pr in r.problems):
            # keep what this phase proved; the next one runs the rest
            per.update({fn: v for fn, v in r.per.items() if fn not in missing})
            cvc4 |= r.cvc4 - set(missing)
            todo = missing
        # otherwise (the lemmas, or an error) the next phase runs it all
    proved = sum(pv for pv, _ in per.values())
    total = sum(tt for _, tt in per.values())
    return Job(label, per, proved, total, time.time() - t0, problems, bad,
               outs, how, cvc4, cpu, t0)


def frama_c_problems(returncode, out):
    """What makes a Frama-C run fail whatever its goals say: its exit
    status, and the errors it reports in its output."""
    problems = []
    if returncode != 0:
        problems.append("frama-c exited with status %d" % returncode)
    if re.search(r"User Error|annot-error|Frama-C aborted|Unexpected error", out):
        problems.append("Frama-C reported an error")
    return problems


def mark_unread(cache):
    """Before a --prune pass: every entry's access time to 0; an entry the
    pass reads gets an access time back (the file system updates an access
    time older than the modification time)."""
    for e in glob.glob(os.path.join(cache, "*.json")):
        os.utime(e, (0, os.stat(e).st_mtime))


def drop_unread(cache):
    """After a --prune pass: delete the entries it did not read; returns
    how many."""
    unread = [e for e in glob.glob(os.path.join(cache, "*.json"))
              if os.stat(e).st_atime == 0]
    for e in unread:
        os.remove(e)
    return len(unread)


def run_frama_c(fcts, timeout, cache, par, tune, provers, cache_dir=CACHE):
    cmd = ["frama-c", "-cpp-extra-args=-I" + os.path.join(KERNEL, "include")]
    cmd += sources() + FRAMAC_OPTS + ["-wp-prover", provers]
    if tune:
        cmd += ["-load-module", tune]
    cmd += ["-wp-par", par, "-wp-timeout", str(timeout), "-wp-cache", cache,
            "-wp-cache-dir", cache_dir]
    if fcts is None:
        cmd += ["-wp-prop", "@lemma"]
    else:
        cmd += ["-wp-fct", ",".join(fcts)]
    env = dict(os.environ)
    env.pop("FRAMAC_WP_CACHE", None)
    env.pop("FRAMAC_WP_CACHEDIR", None)
    returncode, out, cpu = run_timed(cmd, env)
    m = re.search(r"\[wp\] Proved goals:\s+(\d+)\s*/\s*(\d+)", out)
    proved, total = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    problems = frama_c_problems(returncode, out)
    if not m:
        problems.append("no WP summary line")
    if m and proved != total:
        problems.append("%d goal(s) not proved" % (total - proved))
    # Per-function tally from the per-goal lines.
    per = {}
    bad_goals = []
    cvc4 = set()
    for prover, goal, status in GOAL_RE.findall(out):
        fn = owner(goal, fcts or [])
        ok = status == "Valid"
        if ok and prover.startswith("CVC4"):
            cvc4.add(fn)
        pv, tt = per.get(fn, (0, 0))
        per[fn] = (pv + ok, tt + 1)
        if not ok:
            bad_goals.append("%s: %s (%s)" % (goal, status, prover))
    for status, goal in FAIL_RE.findall(out):
        fn = owner(goal, fcts or [])
        pv, tt = per.get(fn, (0, 0))
        per[fn] = (pv, tt + 1)
        bad_goals.append("%s: %s" % (goal, status))
    if m and sum(t for _, t in per.values()) != total:
        problems.append("per-goal lines (%d) do not add up to the summary (%d)"
                        % (sum(t for _, t in per.values()), total))
    return Run(per, problems, bad_goals, out, cvc4, cpu)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=20)
    ap.add_argument("--cache", default="replay",
                    choices=["replay", "update", "none", "rebuild"])
    ap.add_argument("--split", type=int, default=10,
                    help="number of jobs the functions are packed into")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--prune", action="store_true",
                    help="after a full pass that proves every goal, delete "
                    "the cache entries it did not read")
    ap.add_argument("only", nargs="*",
                    help="function names, or 'lemmas' (default: all)")
    a = ap.parse_args()

    groups = []   # (label, functions or None for the lemmas)
    if a.only:
        groups = [(n, [n], PROVERS) if n != "lemmas"
                  else ("(lemmas)", None, PROVERS) for n in a.only]
    else:
        # The hint only serves the cache phases; a cold run packs by text
        # alone (with the hinted jobs apart, their heavy prover goals ran
        # together: 517 s cold, against 496 s packed by text, 2026-12-01).
        hint = read_cvc4_hint() if a.cache in ("replay", "update") else set()
        groups = balanced_groups(a.split, hint)
        groups.append(("(lemmas)", None, PROVERS))
    os.makedirs(CACHE, exist_ok=True)
    if a.prune and (a.only or a.cache not in ("replay", "update")):
        ap.error("--prune needs a full pass (no function names) with "
                 "--cache replay or update")
    if a.prune:
        mark_unread(CACHE)
    t0 = time.time()
    results = []
    tmpdir = tempfile.mkdtemp(prefix="wp-tune-")
    cold_cache = os.path.join(tmpdir, "cold-cache")
    os.makedirs(cold_cache)
    tune = build_tune_module(tmpdir)
    # Every function Frama-C sees must be proved: the jobs are packed from
    # this file's reading of the sources, checked (below) against
    # Frama-C's own list, read meanwhile (a parse of its own: 2 s).
    lister = cf.ThreadPoolExecutor(max_workers=1)
    seen_fut = lister.submit(frama_c_functions)
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futs = [ex.submit(run_job, lbl, f, a.timeout, a.cache, tune, pv,
                          cold_cache if a.cache == "none" else CACHE)
                for lbl, f, pv in groups]
        for fut in cf.as_completed(futs):
            r = fut.result()
            results.append(r)
            label, per, proved, total, secs, problems, bad, out, how = r[:9]
            print("%-24s %5d / %-5d goals %7.1fs  cpu %6.1fs  @%5.1fs  %-7s %s" %
                  (label, proved, total, secs, r.cpu, r.start - t0, how,
                   "ok" if not problems else "FAIL"), flush=True)
            for fn in sorted(per):
                pv, tt = per[fn]
                print("    %-26s %4d / %-4d%s" %
                      (fn, pv, tt, "" if pv == tt else "  NOT PROVED"))
            for l in bad:
                print("    " + l)
            for pr in problems:
                print("    " + pr)
            if (problems and not bad) or a.verbose:
                print(out)
    shutil.rmtree(tmpdir, ignore_errors=True)
    proved = sum(r.proved for r in results)
    total = sum(r.total for r in results)
    bad = [r.label for r in results if r.problems]
    seen = seen_fut.result()
    lister.shutdown()
    ours = {n for p in sources() for n in functions_of(p)}
    if seen is None:
        print("FAIL: could not read Frama-C's list of defined functions (-metrics)")
        bad.append("(function list)")
        seen = ours
    elif seen != ours:
        print("FAIL: the functions Frama-C defines and those this pass selected "
              "differ:\n  only Frama-C: %s\n  only wp.py: %s" %
              (", ".join(sorted(seen - ours)) or "-", ", ".join(sorted(ours - seen)) or "-"))
        bad.append("(function list)")
    # a function that reached no goal was not checked at all: name it
    reported = set().union(*(r.per.keys() for r in results))
    unchecked = sorted((set(a.only) if a.only else seen) - reported - {"lemmas"})
    if unchecked:
        print("FAIL: no goal of these functions was proved: " + ", ".join(unchecked))
        bad.append("(unchecked functions)")
    print("TOTAL: %d / %d goals proved (%d functions) in %d jobs, %.1fs wall, "
          "%.1fs CPU (Frama-C jobs)%s" %
          (proved, total, sum(len(r.per) for r in results), len(results),
           time.time() - t0, sum(r.cpu for r in results),
           "" if not bad else "; FAILED: " + ", ".join(bad)))
    failed = bad or proved != total or total == 0
    if a.prune and not failed:
        pruned = drop_unread(CACHE)
        print("pruned %d cache entries no goal read (%d kept)" %
              (pruned, len(glob.glob(os.path.join(CACHE, "*.json")))))
        cvc4 = set().union(*(r.cvc4 for r in results)) - {"(lemmas)"}
        write_cvc4_hint(cvc4)
        print("%s: %d functions need CVC4" % (os.path.relpath(CVC4_HINT),
                                             len(cvc4)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
