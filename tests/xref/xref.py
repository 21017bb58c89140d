#!/usr/bin/env python3
"""xref.py SPEC_DIR KERNEL_DIR: the spec <-> C cross-reference check.

Spec side: every `(* C: name *)` comment in spec/*.v must be followed by the
definition of a Coq operation with that same name (the next Definition /
Fixpoint), and `name` must be a C function defined in kernel/*.c that
carries the tag `/* spec: name */`.

C side: every `spec: name` tag in kernel/ must name a Coq definition that
carries `(* C: name *)`, and must sit in the comment just above the C
function `name` (only blank or comment lines may come between). Every
function declared in kernel/include/core.h is an entry point and must be
tagged.

One vocabulary: every ACSL predicate or logic function declared in
kernel/include/*.acsl must have a Coq definition of the same name in spec/
(the spec's reading of it; Invariants.v says how slot-based ACSL
predicates map to the Coq ones).

Processes (issue 4): every non-static function defined in kernel/proc.c,
kernel/sched.c and kernel/ipc.c is a kernel entry point (or a helper the
architecture layer calls) and must be tagged, like core.h's.

One invariant (issue 14): ACSL's Inv (model.acsl) and Coq's Invariant
(Accounting.v), each expanded through the conjunctions it is made of
(shape_wf; caps_inv, Wf), must have the same clauses by name, but for the
pairs in SAME_CLAUSE, where Coq's clause is stated otherwise and a Coq
theorem links the two (named there).

Owed tags: pending_tags.txt (next to this script) lists, one per line, C
functions whose Coq operation exists but whose `spec:` tag has not landed
in kernel/ yet (kernel/ is another engineer's path). A listed name must
still be a C function defined in kernel/*.c and must NOT be tagged yet
(then it has to leave the list); it is reported as PENDING, not as a pass.
An empty list is the finished state.

Exits 1 and lists every name without its partner.
"""
import pathlib
import re
import sys

spec_dir = pathlib.Path(sys.argv[1])
kernel_dir = pathlib.Path(sys.argv[2])
problems = []

# ---- spec side ----------------------------------------------------------
coq_tag = re.compile(r"\(\*\s*C:\s*([A-Za-z_]\w*)\s*\*\)")
coq_def = re.compile(r"^\s*(?:Definition|Fixpoint|Function)\s+([A-Za-z_][\w']*)", re.M)
spec_ops = {}          # name -> file
coq_defs = set()
for v in sorted(spec_dir.glob("*.v")):
    text = v.read_text()
    coq_defs.update(coq_def.findall(text))
    for m in coq_tag.finditer(text):
        name = m.group(1)
        nxt = coq_def.search(text, m.end())
        if nxt is None or nxt.group(1) != name:
            got = nxt.group(1) if nxt else "nothing"
            problems.append(f"{v.name}: (* C: {name} *) is followed by {got}, "
                            f"not by the definition of {name}")
        spec_ops[name] = v.name

# ---- C side -------------------------------------------------------------
c_tag = re.compile(r"spec:\s*([A-Za-z_]\w*)")
c_fundef = r"^[A-Za-z_][\w \t\*]*\b{}\s*\([^;]*$"
c_files = sorted(kernel_dir.rglob("*.c")) + sorted(kernel_dir.rglob("*.h"))
c_tags = {}            # name -> file
c_text = {f: f.read_text() for f in c_files}


def defined_in_c(name):
    pat = re.compile(c_fundef.format(re.escape(name)), re.M)
    return [f for f in c_files if f.suffix == ".c" and pat.search(c_text[f])]


def tag_precedes_definition(text, pos, name):
    """The tag at text[pos] is in a comment block that is followed (after
    more comments only, ACSL contracts included) by the C function name."""
    end = text.find("*/", pos)
    if end < 0:
        return False
    rest = text[end + 2:]
    skip = re.compile(r"\s*(/\*.*?\*/|//[^\n]*)", re.S)
    while True:
        m = skip.match(rest)
        if not m:
            break
        rest = rest[m.end():]
    first = rest.lstrip("\n").split("{", 1)[0]
    head = " ".join(first.split())
    return re.match(r"^[A-Za-z_][\w \*]*\b" + re.escape(name) + r"\s*\(", head) is not None


for f in c_files:
    text = c_text[f]
    for m in c_tag.finditer(text):
        name = m.group(1)
        line = text.count("\n", 0, m.start()) + 1
        if f.suffix == ".c" and not tag_precedes_definition(text, m.start(), name):
            problems.append(f"{f.relative_to(kernel_dir)}:{line}: tag spec: {name} "
                            f"is not in the comment just above the C function {name}")
        c_tags.setdefault(name, f)

# entry points: functions declared in core.h
core_h = kernel_dir / "include" / "core.h"
entry_points = set()
if core_h.exists():
    decl = re.compile(r"^[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*\(", re.M)
    for m in decl.finditer(core_h.read_text()):
        entry_points.add(m.group(1))
else:
    problems.append("kernel/include/core.h not found: no entry points to check")

# entry points: non-static functions of the process files
proc_files = [kernel_dir / n for n in ("proc.c", "sched.c", "ipc.c")]
c_def_line = re.compile(r"^(?!static\b)(?:[A-Za-z_]\w*[ \t\*]+)+([A-Za-z_]\w*)\s*\([^;]*$", re.M)
for f in proc_files:
    if f.exists():
        for m in c_def_line.finditer(c_text.get(f, f.read_text())):
            if m.group(1) not in ("if", "for", "while", "switch", "return", "sizeof"):
                entry_points.add(m.group(1))

# owed tags (see the docstring)
pending_file = pathlib.Path(__file__).resolve().parent / "pending_tags.txt"
pending = set()
if pending_file.exists():
    for line in pending_file.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            pending.add(line)

# ---- one vocabulary: ACSL logic names have Coq definitions ------------
coq_names = set(coq_defs)
for v in sorted(spec_dir.glob("*.v")):
    coq_names.update(re.findall(r"^\s*(?:Inductive|Definition|Fixpoint|Lemma|Theorem)\s+([A-Za-z_][\w']*)",
                                v.read_text(), re.M))
acsl_names = {}
acsl_decl = re.compile(r"\b(?:predicate|logic\s+[A-Za-z_][\w ]*?)\s+([A-Za-z_]\w*)\s*[({=]")
for a in sorted((kernel_dir / "include").glob("*.acsl")):
    for m in acsl_decl.finditer(a.read_text()):
        acsl_names.setdefault(m.group(1), a.name)
for name, afile in sorted(acsl_names.items()):
    if name not in coq_names:
        problems.append(f"ACSL {name} ({afile}) has no Coq definition of the same name in spec/")

# ---- one invariant: ACSL Inv and Coq Invariant, clause by clause --------
# ACSL clause -> (Coq clause, the Coq theorem that links them)
SAME_CLAUSE = {"acct_wf": ("accounting", "acct_wf_reachable")}


def clauses(name, text, definition, sep, leaf, seen=()):
    """The leaves of the definition of `name` read as a conjunction: the
    definition's body (regex `definition` with {} for the name) split at
    `sep`, each part matching `leaf` (group 1: the clause's name) expanded
    in turn; a definition that is not such a conjunction is a leaf."""
    m = re.search(definition.format(re.escape(name)), text)
    if not m or name in seen:
        return {name}
    parts = [re.fullmatch(leaf, p.strip()) for p in m.group(1).split(sep)]
    if not all(parts):
        return {name}
    out = set()
    for p in parts:
        out |= clauses(p.group(1), text, definition, sep, leaf, seen + (name,))
    return out


# ACSL: predicate X = a && b;   Coq: Definition X (st : State) : Prop := a st /\ b st.
ACSL_CONJ = (r"\bpredicate\s+{}\s*=\s*([^;]*);", "&&", r"([A-Za-z_]\w*)")
COQ_CONJ = (r"Definition\s+{}\s*\(st\s*:\s*State\)\s*:\s*Prop\s*:=\s*([^.]*)\.", "/\\",
            r"([A-Za-z_]\w*)\s+st")
acsl_text = "\n".join(a.read_text() for a in sorted((kernel_dir / "include").glob("*.acsl")))
coq_text = "\n".join(v.read_text() for v in sorted(spec_dir.glob("*.v")))
inv_acsl = clauses("Inv", acsl_text, *ACSL_CONJ)
inv_coq = clauses("Invariant", coq_text, *COQ_CONJ)
mapped = {SAME_CLAUSE.get(c, (c, None))[0] for c in inv_acsl}
if mapped != inv_coq:
    problems.append("ACSL Inv and Coq Invariant differ: clauses only in ACSL: "
                    f"{sorted(mapped - inv_coq) or '-'}; only in Coq: {sorted(inv_coq - mapped) or '-'}")
for a, (c, thm) in SAME_CLAUSE.items():
    if a in inv_acsl and not re.search(r"\b(?:Theorem|Lemma)\s+" + re.escape(thm) + r"\b", coq_text):
        problems.append(f"ACSL clause {a} stands for Coq's {c}, but the theorem {thm} linking them is gone")

# ---- partners -----------------------------------------------------------
for name in sorted(pending):
    if name in c_tags:
        problems.append(f"{name} is tagged in C now: remove it from tests/xref/pending_tags.txt")
    if name not in spec_ops:
        problems.append(f"pending tag {name} has no Coq operation (* C: {name} *)")
for name, vfile in sorted(spec_ops.items()):
    if name not in c_tags and name not in pending:
        problems.append(f"spec operation {name} ({vfile}) has no C function tagged spec: {name}")
    if not defined_in_c(name):
        problems.append(f"spec operation {name} ({vfile}) has no C definition in kernel/*.c")
for name, cfile in sorted(c_tags.items()):
    if name not in coq_defs:
        problems.append(f"C tag spec: {name} ({cfile.relative_to(kernel_dir)}) has no Coq definition {name}")
    elif name not in spec_ops:
        problems.append(f"C tag spec: {name}: Coq definition {name} lacks its (* C: {name} *) comment")
for name in sorted(entry_points):
    if name not in c_tags and name not in pending:
        problems.append(f"C entry point {name} (core.h or a non-static function of proc.c, sched.c, ipc.c) carries no spec: tag")

if problems:
    print("xref: FAIL")
    for p in problems:
        print("  " + p)
    sys.exit(1)
print(f"xref: OK: {len(spec_ops)} spec operations, {len(c_tags)} tagged C functions, "
      f"{len(pending)} tags owed (pending_tags.txt), "
      f"{len(entry_points)} entry points, all paired (or owed); "
      f"{len(acsl_names)} ACSL logic names, all defined in the spec; "
      f"Inv = Invariant clause by clause: {', '.join(sorted(inv_acsl))}")
for name in sorted(spec_ops):
    if name in c_tags:
        print(f"  {name:18} spec/{spec_ops[name]:12} <-> kernel/{c_tags[name].relative_to(kernel_dir)}")
    else:
        print(f"  {name:18} spec/{spec_ops[name]:12} <-> PENDING: C function {name} "
              f"({', '.join(str(f.relative_to(kernel_dir)) for f in defined_in_c(name))}) owes /* spec: {name} */")
