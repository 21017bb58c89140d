#!/usr/bin/env python3
"""acsl_labels.py: refuse ACSL definitions of ONE label that compare a
state with itself.

In ACSL, a predicate or logic function with exactly one label reads every
access without \\at at that label. So

    predicate kept{L} = x == \\at(x, L);

says x == x: true of any two states, and an `ensures kept{Pre}` proves
whatever the function does (found in 2026-12: the refusal clauses
slot_kept, tables_kept and map_kept were such tautologies). A definition
of one label is accepted only if it has no \\at at all, or is a single
\\at(..., L) around its whole body (every access then at L). Anything
that relates two states must name two labels (kept{L, H}).

    python3 proofs/acsl_labels.py [DIR ...]    (default: kernel/)
Exit 1 with the offending definitions listed.
"""
import os
import re
import sys

DEF = re.compile(r'\b(predicate|logic\s+[A-Za-z_][A-Za-z_0-9 ]*?)\s+([A-Za-z_][A-Za-z_0-9]*)'
                 r'\s*\{\s*([A-Za-z_][A-Za-z_0-9]*)\s*\}')


def annotations(text):
    """the bodies of the /*@ ... */ and //@ comments of a file, with
    offsets"""
    for m in re.finditer(r'/\*@(.*?)\*/|//@([^\n]*)', text, re.S):
        g = 1 if m.group(1) is not None else 2
        yield m.start(g), m.group(g)


def strip_line_comments(body):
    return re.sub(r'//[^\n]*', '', body)


def definition_body(ann, end):
    """the text of the definition starting after its label list: up to
    the next declaration in the annotation (a binder's ';', as in
    `\\forall integer i;`, does not end it)"""
    m = re.compile(r'\b(predicate|logic|lemma|axiom|axiomatic|inductive|type)\b').search(ann, end)
    return ann[end:m.start() if m else len(ann)]


def one_at_around_all(body, label):
    """body is `(params) = \\at(..., label)` (or `(params) = \\at(...)`)"""
    eq = re.search(r'=(?!=)', body)
    if not eq:
        return False
    rhs = body[eq.end():].strip().rstrip(';').strip()
    rhs = re.sub(r'\}\s*$', '', rhs).strip()
    if not rhs.startswith('\\at('):
        return False
    depth = 0
    for i, c in enumerate(rhs):
        if c == '(':
            depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0:
                return i == len(rhs) - 1 and re.search(r',\s*' + label + r'\s*\)$', rhs)
    return False


def check(path):
    bad = []
    text = open(path, encoding='utf-8', errors='replace').read()
    for off, ann in annotations(text):
        ann = strip_line_comments(ann)
        for m in DEF.finditer(ann):
            label = m.group(3)
            body = definition_body(ann, m.end())
            body = re.sub(r'\\at\s*\(', lambda _: '\\at(', body)
            if '\\at(' not in body:
                continue
            if one_at_around_all(body, label):
                continue
            line = text.count('\n', 0, off) + ann.count('\n', 0, m.start()) + 1
            bad.append(f'{path}:{line}: {m.group(2)}{{{label}}}: one label and an \\at inside: '
                       f'its unlabelled accesses are read at {label} too; name two labels')
    return bad


def main(argv):
    dirs = argv[1:] or [os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'kernel')]
    bad = []
    n = 0
    for d in dirs:
        for root, _, files in os.walk(d):
            for f in sorted(files):
                if f.endswith(('.c', '.h', '.acsl')):
                    n += 1
                    bad += check(os.path.join(root, f))
    for b in bad:
        print(b)
    print(f'{n} files, {len(bad)} one-label definitions comparing a state with itself')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
