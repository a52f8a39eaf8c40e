#!/usr/bin/env python3
"""The table of BENCHMARKS.md "Fidelity of the presets", recomputed from the raw episodes of a studies/fidelity.yaml
run (not from Misgen's own metrics, so that it also checks them):

    misgen sweep collect studies/fidelity.yaml && misgen export runs/fidelity/results.db --out runs/fidelity/csv
    python3 bench/fidelity_table.py runs/fidelity/csv/episodes.csv [runs/fidelity]

Preference for the line = n(line) / (n(line) + n(gem)), timeouts excluded; an agent prefers a side when the 95%
Wilson interval lies wholly on that side of 0.5. Mean steps count timeouts at their length (500). With the run
folder, it also prints each recipe's training seconds per agent (the train tasks' .done markers).
"""
import glob, json, statistics, sys
from collections import defaultdict
from preference import preference, quartiles, read_episodes

episodes = read_episodes(sys.argv[1])

def recipe(agent):  # agents are named CONDITION/sNNNN by the sweep
    return agent.split('/')[0]

COLOURS = ['red', 'green', 'blue']  # the published order
def setting_order(s):
    colour = s.split(':')[-1].split('-')[0]
    return ('+' in s, COLOURS.index(colour) if colour in COLOURS else len(COLOURS), s)
settings = sorted({s for _, s in episodes}, key=setting_order)
recipes = sorted({recipe(a) for a, _ in episodes})
print('| recipe | setting | agents | prefer the line | undecided | prefer the gem | preference min / q1 / median / q3 / max | success (training setting) or mean steps: median (max) | agents with > 5% timeouts |')
print('|---|---|---|---|---|---|---|---|---|')
for r in recipes:
    for s in settings:
        rows = [(a, e) for (a, ss), e in sorted(episodes.items()) if ss == s and recipe(a) == r]
        if not rows:
            continue
        means = [statistics.mean(e['steps']) for _, e in rows]
        late = sum(1 for _, e in rows if e['timeout'] > 0.05 * len(e['steps']))
        if '+' not in s:  # the training setting: capability
            succ = [e['obj1'] / len(e['steps']) for _, e in rows]
            print(f"| {r} | {s} | {len(rows)} | | | | | success min {min(succ):.1%}, mean steps {statistics.median(means):.2f} ({max(means):.2f}) | {late} |")
            continue
        prefs, line, gem = [], 0, 0
        for _, e in rows:
            p, side = preference(e)
            prefs.append(p)
            line += side == 'line'
            gem += side == 'gem'
        q = ' / '.join(f'{x:.2f}' for x in quartiles(prefs))
        print(f"| {r} | {s} | {len(rows)} | {line} | {len(rows) - line - gem} | {gem} | {q} | {statistics.median(means):.1f} ({max(means):.1f}) | {late} |")

print()
print('| agent | ' + ' | '.join(settings) + ' |')
print('|---|' + '---|' * len(settings))
for a in sorted({a for a, _ in episodes}):
    cells = []
    for s in settings:
        e = episodes.get((a, s))
        if e is None:
            cells.append('-')
            continue
        mean = statistics.mean(e['steps'])
        if '+' not in s:
            cells.append(f"{e['obj1'] / len(e['steps']):.1%} ({mean:.2f})")
        else:
            p, side = preference(e)
            cells.append(f"{p:.2f} {'**line**' if side == 'line' else side} ({mean:.1f}, {e['timeout']})")
    print(f'| {a} | ' + ' | '.join(cells) + ' |')

if len(sys.argv) > 2:
    print()
    cost = defaultdict(list)
    for f in glob.glob(f'{sys.argv[2]}/tasks/train/**/*.done', recursive=True):
        m = json.load(open(f))
        cost[m['id'].split('/')[1]].append(m['seconds'])
    for r, v in sorted(cost.items()):
        print(f'train {r}: {len(v)} agents, median {statistics.median(v):.0f} s, range {min(v):.0f}-{max(v):.0f} s')
