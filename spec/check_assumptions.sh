#!/bin/sh
# check_assumptions.sh COQC ASSUMPTIONS_V COQDIR
# Run Assumptions.v (one "Print Assumptions" per main theorem) against the
# compiled spec and fail unless every answer is "Closed under the global
# context". Also fail when the number of answers differs from the number
# of Print Assumptions commands (a theorem silently dropped).
set -eu
coqc=$1; file=$2; dir=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$file" "$tmp/Assumptions.v"
cd "$tmp"
"$coqc" -q -Q "$dir" Spec Assumptions.v > out.txt 2>&1 || { cat out.txt; exit 1; }
cat out.txt
asked=$(grep -c '^Print Assumptions' Assumptions.v)
closed=$(grep -c '^Closed under the global context' out.txt || true)
if [ "$asked" -eq 0 ] || [ "$asked" -ne "$closed" ]; then
  echo "check_assumptions: $asked theorems asked, $closed closed: FAIL" >&2
  exit 1
fi
if grep -v '^Closed under the global context' out.txt | grep -q .; then
  echo "check_assumptions: unexpected output (axioms?) above: FAIL" >&2
  exit 1
fi
echo "check_assumptions: $asked theorems, all closed under the global context"
