#!/usr/bin/env python3
"""The Frama-C/WP proof pass over kernel/ (issue 3).

Runs `frama-c -wp -wp-rte` on every kernel/*.c, one job per C function plus
one job for the ACSL lemmas, N jobs in parallel. Prints the goals proved per
function and the total; exits non-zero if any goal is not proved (unknown,
timeout, failed), if Frama-C reports a parse or typing error, or if a job's
summary line is missing.

Cache: the WP cache (proof results keyed by the goal's text) lives in
proofs/wp-cache/ and is committed. `--cache replay` (the default, used by
the CTest test) reuses cached results and runs the provers on any goal not
in the cache, without writing it; `--cache update` also stores new results
(use it after changing a contract, then commit proofs/wp-cache/).

Usage: proofs/wp.py [--jobs N] [--timeout S] [--cache MODE] [FUNCTION...]
"""
import argparse
import concurrent.futures as cf
import glob
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.path.join(ROOT, "kernel")
CACHE = os.path.join(ROOT, "proofs", "wp-cache")

# A function definition at column 0: return type, name, parameters, then
# a line holding only "{".
DEF_RE = re.compile(
    r"^(?:static\s+)?(?:struct\s+\w+|\w+)\s+(\w+)\s*\([^;{]*?\)\s*\n\{", re.M)

FRAMAC_OPTS = [
    "-wp", "-wp-rte", "-warn-unsigned-overflow", "-warn-unsigned-downcast",
    "-wp-prover", "z3,cvc4", "-wp-par", "1",
]


def sources():
    return sorted(glob.glob(os.path.join(KERNEL, "*.c")))


def functions():
    names = []
    for path in sources():
        with open(path) as f:
            names += DEF_RE.findall(f.read())
    return names


def run_job(name, timeout, cache):
    """Prove one function's goals (name) or the lemmas (name == None)."""
    cmd = ["frama-c", "-cpp-extra-args=-I" + os.path.join(KERNEL, "include")]
    cmd += sources() + FRAMAC_OPTS
    cmd += ["-wp-timeout", str(timeout), "-wp-cache", cache,
            "-wp-cache-dir", CACHE]
    if name is None:
        # Only the lemmas: select no function, then the lemma category.
        cmd += ["-wp-prop", "@lemma"]
    else:
        cmd += ["-wp-fct", name]
    env = dict(os.environ)
    env.pop("FRAMAC_WP_CACHE", None)
    env.pop("FRAMAC_WP_CACHEDIR", None)
    t0 = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, env=env)
    out = p.stdout
    m = re.search(r"\[wp\] Proved goals:\s+(\d+)\s*/\s*(\d+)", out)
    proved, total = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    problems = []
    if p.returncode != 0:
        problems.append("frama-c exited with status %d" % p.returncode)
    if re.search(r"User Error|annot-error|Frama-C aborted|Unexpected error", out):
        problems.append("Frama-C reported an error")
    if not m:
        if "No goal generated" in out or "0 goal scheduled" in out:
            pass
        else:
            problems.append("no WP summary line")
    if m and proved != total:
        problems.append("%d goal(s) not proved" % (total - proved))
    failed = [l for l in out.splitlines()
              if re.match(r"\[wp\] \[(Failed|Unknown|Timeout|Stepout)\]", l)
              or re.match(r"\[wp\] .*Goal .* : (Unknown|Timeout|Failed)", l)]
    return name or "(lemmas)", proved, total, time.time() - t0, problems, failed, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=20)
    ap.add_argument("--cache", default="replay",
                    choices=["replay", "update", "none", "rebuild"])
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("only", nargs="*")
    a = ap.parse_args()

    names = a.only or ([None] + functions())
    os.makedirs(CACHE, exist_ok=True)
    t0 = time.time()
    results = []
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futs = [ex.submit(run_job, n, a.timeout, a.cache) for n in names]
        for fut in cf.as_completed(futs):
            r = fut.result()
            results.append(r)
            name, proved, total, secs, problems, failed, out = r
            status = "ok" if not problems else "FAIL"
            print("%-22s %4d / %-4d goals  %6.1fs  %s" %
                  (name, proved, total, secs, status), flush=True)
            for l in failed:
                print("    " + l)
            for pr in problems:
                print("    " + pr)
            if (problems and not failed) or a.verbose:
                print(out)
    proved = sum(r[1] for r in results)
    total = sum(r[2] for r in results)
    bad = [r[0] for r in results if r[4]]
    print("TOTAL: %d / %d goals proved in %d jobs, %.1fs wall%s" %
          (proved, total, len(results), time.time() - t0,
           "" if not bad else "; FAILED: " + ", ".join(bad)))
    return 1 if bad or proved != total or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
