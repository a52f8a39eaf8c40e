#!/usr/bin/env python3
"""The colour-channel test over many agents (BENCHMARKS.md "The colour-channel test on 20 `fast` agents"),
recomputed from raw episodes: each agent as seen and its variants AGENT+zero-r, +zero-g, +zero-b (evaluated with
`misgen eval --intervention zero-r|zero-g|zero-b`, same levels):

    misgen export results.db --out csv
    python3 bench/colour_channel_table.py csv/episodes.csv

Per setting: each agent's preference for the line as seen and with each channel zeroed (the shift in brackets);
the channel that carries the goal = the one whose zeroing moves the preference most, "none" when no shift exceeds
its noise (1.96 x the standard error of the difference of two independent proportions). Then whether that predicts
the preference as seen: Spearman's rank correlation between the preference as seen and each channel's shift, with
a two-sided permutation p-value (10,000 permutations, fixed seed).
"""
import math, random, statistics, sys
from preference import preference, read_episodes

CHANNELS = ['r', 'g', 'b']
episodes = read_episodes(sys.argv[1])

def base(agent):
    return agent.split('+')[0]

def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):  # ties share their mean rank
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2
        i = j + 1
    return r

def pearson(x, y):
    mx, my = statistics.mean(x), statistics.mean(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else float('nan')

def spearman(x, y, permutations=10000):
    rx, ry = ranks(x), ranks(y)
    rho = pearson(rx, ry)
    rng = random.Random(12345)
    shuffled, hits = list(ry), 0
    for _ in range(permutations):
        rng.shuffle(shuffled)
        hits += abs(pearson(rx, shuffled)) >= abs(rho) - 1e-12
    return rho, (hits + 1) / (permutations + 1)

def noise(e1, e2):
    n1, n2 = e1['obj1'] + e1['obj2'], e2['obj1'] + e2['obj2']
    p1, p2 = e1['obj1'] / n1, e2['obj1'] / n2
    return 1.959964 * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)

for setting in sorted({s for _, s in episodes if '+' in s}):
    agents = sorted({base(a) for a, s in episodes if s == setting
                     and all((f'{base(a)}+zero-{c}', setting) in episodes for c in CHANNELS)
                     and (base(a), setting) in episodes})
    if not agents:
        continue
    print(f'### {setting}: {len(agents)} agents\n')
    print('| agent | as seen | R zeroed | G zeroed | B zeroed | carries the goal |')
    print('|---|---|---|---|---|---|')
    seen, shifts, carriers = [], {c: [] for c in CHANNELS}, []
    for a in agents:
        e0 = episodes[(a, setting)]
        p0, side = preference(e0)
        seen.append(p0)
        cells, best, best_shift = [], 'none', 0.0
        for c in CHANNELS:
            e = episodes[(f'{a}+zero-{c}', setting)]
            p, _ = preference(e)
            d = p - p0
            shifts[c].append(d)
            cells.append(f'{p:.3f} ({d:+.3f})')
            if abs(d) > noise(e0, e) and abs(d) > abs(best_shift):
                best, best_shift = c.upper(), d
        carriers.append(best)
        print(f'| {a} | {p0:.3f} {side} | ' + ' | '.join(cells) + f' | {best} |')
    print()
    for c in ['R', 'G', 'B', 'none']:
        group = [p for p, k in zip(seen, carriers) if k == c]
        if group:
            print(f'- carried by {c}: {len(group)} agents, preference as seen median {statistics.median(group):.3f} '
                  f'(range {min(group):.3f}-{max(group):.3f})')
    for c in CHANNELS:
        rho, p = spearman(seen, shifts[c])
        print(f'- shift with {c.upper()} zeroed: median {statistics.median(shifts[c]):+.3f} '
              f'(range {min(shifts[c]):+.3f} to {max(shifts[c]):+.3f}); Spearman rho against the preference as seen '
              f'{rho:+.2f}, permutation p = {p:.4f}')
    print()
