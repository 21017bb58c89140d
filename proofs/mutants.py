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

Usage: proofs/mutants.py [--timeout S] [NAME...]   (NAME: a mutant below;
none: all of them). Each mutant costs one WP run of one function, most of
it the failing goals' timeout (default 5 s here).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name: (file under kernel/, function to prove, the guard's exact text).
# The text must occur exactly once in the file.
MUTANTS = {
    "proc_resume.cap": ("proc.c", "proc_resume",
                        "if (r.err != E_OK)\n    return r.err;\n  p = r.obj;"),
    "proc_resume.state": ("proc.c", "proc_resume",
                          "if (p_state[p] != PS_SUSPENDED && p_state[p] != PS_STOPPED)"),
    "proc_suspend.cap": ("proc.c", "proc_suspend",
                         "if (r.err != E_OK)\n    return r.err;\n  if (p_state[r.obj] == PS_NONE)"),
    "proc_suspend.state": ("proc.c", "proc_suspend", "if (p_state[r.obj] == PS_NONE)"),
    "proc_read_reg.reg": ("proc.c", "proc_read_reg",
                          "if (reg < 1 || reg > REG_PC) {\n    ret.err = E_BAD_ARG;"),
    "proc_read_reg.state": ("proc.c", "proc_read_reg",
                            "if (p_state[r.obj] == PS_READY) {\n    ret.err = (kerr_t)E_BAD_STATE;"),
    "proc_write_reg.reg": ("proc.c", "proc_write_reg",
                           "if (reg < 1 || reg > REG_PC)\n    return E_BAD_ARG;\n"
                           "  if (p_state[r.obj] == PS_READY)\n    return (kerr_t)E_BAD_STATE;\n"
                           "  p_regs[REG(r.obj, reg)] = value;"),
    "proc_write_reg.state": ("proc.c", "proc_write_reg",
                             "if (p_state[r.obj] == PS_READY)\n    return (kerr_t)E_BAD_STATE;\n"
                             "  p_regs[REG(r.obj, reg)] = value;"),
    "proc_set_fault.proc": ("proc.c", "proc_set_fault",
                            "if (p.err != E_OK)\n    return p.err;\n  ep = invoke_lookup"),
    "proc_set_fault.ep": ("proc.c", "proc_set_fault",
                          "if (ep.err != E_OK)\n    return ep.err;\n  p_fault_ep"),
    "invoke_lookup.type": ("proc.c", "invoke_lookup", "if (r.type != type) {"),
    "invoke_lookup.rights": ("proc.c", "invoke_lookup",
                             "if ((need_r != 0 && r.read == 0) || (need_w != 0 && r.write == 0))"),
}


def mutate(text, guard):
    """text with the first `if (` of guard made false: `if (0 && (c))`."""
    if text.count(guard) != 1:
        raise ValueError("the guard's text occurs %d times" % text.count(guard))
    i = text.index(guard)
    j = text.index("if (", i)
    depth, k = 0, j + 3
    while True:                     # the condition's closing parenthesis
        depth += {"(": 1, ")": -1}.get(text[k], 0)
        if depth == 0:
            break
        k += 1
    cond = text[j + 4:k]
    return text[:j] + "if (0 && (" + cond + "))" + text[k + 1:]


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
                f.write(mutate(text, guard))
        r = subprocess.run([sys.executable, os.path.join(tmp, "proofs", "wp.py"),
                            "--cache", "replay", "--timeout", str(timeout), func],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return r.returncode == 0, r


def run(name, timeout):
    fname, func, guard = MUTANTS[name]
    passed, r = prove(func, timeout, fname, guard)
    killed = not passed
    total = [l for l in r.stdout.splitlines() if l.startswith("TOTAL")]
    print("%-24s %s  (%s)" % (name, "killed" if killed else "SURVIVED: the proof passes",
                              total[0] if total else r.stdout.strip().splitlines()[-1:]))
    return killed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=int, default=5)
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
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
