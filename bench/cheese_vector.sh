#!/bin/sh
# The cheese vector (Turner et al.) on one agent: per level with a decision square, subtract
# act(level with cheese) - act(same level without cheese) at embedder.block2.res1.resadd in every forward pass,
# and compare P(toward cheese) / P(toward corner) at the decision square with and without the patch.
# usage: bench/cheese_vector.sh AGENT FIRST LAST [SPEC]   (prints "LEVEL unpatched-json patched-json" per level)
# Grid files go to the current folder. MISGEN names the CLI (default: misgen on PATH).
M=${MISGEN:-misgen}
S=${4:-"cheese;world=7"}
for L in $(seq $2 $3); do
  $M level "$S" --level $L > a-$L.txt
  sed 's/C/./' a-$L.txt > b-$L.txt
  plain=$($M decision $1 "$S" --levels $L --json --threads 1 2>/dev/null | grep '"p_goal"')
  [ -z "$plain" ] && continue
  patched=$($M decision $1 "$S" --levels $L --json --threads 1 --patch "add:embedder.block2.res1.resadd:-1:$S#a-$L.txt,$S#b-$L.txt" 2>&1 | grep '"p_goal"')
  echo "$L $plain $patched"
done
