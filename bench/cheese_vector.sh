#!/bin/sh
# The cheese vector (Turner et al.) on one agent: per level with a decision square, subtract
# act(level with cheese) - act(same level without cheese) at embedder.block2.res1.resadd in every forward pass,
# and compare P(toward cheese) / P(toward corner) at the decision square with and without the patch.
# usage: bench/cheese_vector.sh AGENT FIRST LAST [SPEC] > out.txt
#   stdout: "LEVEL unpatched-json patched-json" per level with a decision square;
#   stderr at the end: the levels, the medians before and after, and on how many levels each probability moved which way.
# Grid files go to the current folder. MISGEN names the CLI (default: misgen on PATH).
set -e
M=${MISGEN:-misgen}
S=${4:-"cheese;world=7"}
out=$(mktemp)
# One call finds the decision squares and the unpatched probabilities of every level.
$M decision "$1" "$S" --levels "$2..$3" --json --threads 1 | grep '"p_goal"' | while read -r plain; do
  L=$(echo "$plain" | sed 's/^{"level":\([0-9]*\),.*/\1/')
  $M level "$S" --level "$L" > "a-$L.txt"
  sed 's/C/./' "a-$L.txt" > "b-$L.txt"
  patched=$($M decision "$1" "$S" --levels "$L" --json --threads 1 --patch "add:embedder.block2.res1.resadd:-1:$S#a-$L.txt,$S#b-$L.txt" | grep '"p_goal"')
  echo "$L $plain $patched"
done | tee "$out"
python3 - "$out" >&2 <<'PY'
import json, statistics, sys
rows = [line.split(' ', 1)[1] for line in open(sys.argv[1]) if line.strip()]
pairs = []
for r in rows:
    a, b = r.split('} {')
    pairs.append((json.loads(a + '}'), json.loads('{' + b)))
if not pairs:
    sys.exit('no level had a decision square')
med = lambda k, i: statistics.median(p[i][k] for p in pairs)
fell = sum(p[1]['p_goal'] < p[0]['p_goal'] for p in pairs)
rose = sum(p[1]['p_corner'] > p[0]['p_corner'] for p in pairs)
print(f"{len(pairs)} levels with a decision square: median P(toward the cheese) {med('p_goal', 0):.3f} -> {med('p_goal', 1):.3f}, "
      f"median P(toward the corner) {med('p_corner', 0):.3f} -> {med('p_corner', 1):.3f}; "
      f"P(toward the cheese) fell on {fell}, P(toward the corner) rose on {rose}")
PY
rm -f "$out"
