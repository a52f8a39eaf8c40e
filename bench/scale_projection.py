#!/usr/bin/env python3
"""Per-task costs of a finished `studies/scale-50.yaml` run (the markers' `seconds`) and the projection of the
full published study (BENCHMARKS.md, "Scale"): python3 bench/scale_projection.py runs/scale-50"""
import json, glob, statistics as st, sys, heapq
root = sys.argv[1]
cost = {}
for f in glob.glob(f"{root}/tasks/**/*.done", recursive=True):
    m = json.load(open(f)); parts = m['id'].split('/')
    kind, cond = parts[0], parts[1]
    cost.setdefault((kind, cond), []).append(m['seconds'])
for k, v in sorted(cost.items()):
    print(f"{k[0]:5} {k[1]:28} n={len(v):3} mean={st.mean(v):7.1f} median={st.median(v):7.1f} min={min(v):7.1f} max={max(v):7.1f} sum={sum(v):8.0f}")
tt = st.median(cost[('train', 'maze-yellow-line-textured')]); tb = st.median(cost[('train', 'maze-yellow-line-black')])
ev = st.mean(cost[('eval', 'maze-yellow-line-textured')] + cost[('eval', 'maze-yellow-line-black')])
print(f"train textured {tt:.1f} s, train black {tb:.1f} s, eval {ev:.2f} s per (agent, setting)")
# Published study: 912 black/grey agents (300k steps) + 100 textured (600k), 12,232 evaluations.
agents = [tb] * 912 + [tt] * 100
evals = 12232
work = sum(agents) + evals * ev
print(f"published study: {work:,.0f} worker-s; this machine (2 workers): {work / 2 / 3600:.1f} h")
def makespan(tasks, slots):
    heap = [0.0] * slots
    for t in sorted(tasks, reverse=True):
        heapq.heapreplace(heap, heap[0] + t)
    return max(heap)
for slots in (2, 200):
    tr = makespan(agents, slots); e = makespan([ev] * evals, slots)
    print(f"{slots} slots: train {tr / 3600:.2f} h + eval {e / 60:.1f} min = {(tr + e) / 3600:.2f} h")
s50 = sum(v for k, vs in cost.items() for v in vs)
print(f"scale-50 worker-s {s50:,.0f}")
