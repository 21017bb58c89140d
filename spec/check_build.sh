#!/bin/sh
# check_build.sh COQC SRCDIR WORKDIR FILE...
# Compile every spec file from scratch in WORKDIR, in the order given, and
# fail on any coqc error or on any proof escape hatch in the sources.
set -eu
coqc=$1; src=$2; work=$3; shift 3
rm -rf "$work"; mkdir -p "$work"
for v in "$@"; do
  cp "$src/$v.v" "$work/"
done
# No escape hatches: Admitted, admit, Axiom, Parameter, Conjecture.
# (Comments are not stripped, so the sources never mention them in prose.
# Section variables (Variable, Context) are fine: they are discharged as
# arguments at End Section; spec.assumptions checks the final theorems.)
if grep -nE '\b(Admitted|admit|Axiom|Axioms|Parameter|Parameters|Conjecture|Hypothesis|Hypotheses)\b' "$work"/*.v; then
  echo "check_build: escape hatch found (lines above)" >&2
  exit 1
fi
cd "$work"
for v in "$@"; do
  echo "coqc $v.v"
  "$coqc" -q -Q . Spec "$v.v"
done
echo "check_build: $# files checked"
