"""What the bench/*_table.py scripts share: episodes.csv (from `misgen export`) read into per-(agent, setting)
counts, the 95% Wilson interval, and min / quartiles / max. Preference for the line = n(obj1) / (n(obj1) + n(obj2)),
timeouts excluded; an agent prefers a side when the Wilson interval lies wholly on that side of 0.5."""
import csv, math, statistics
from collections import defaultdict

def wilson(k, n, z=1.959964):
    if n == 0:
        return float('nan'), float('nan')
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return c - h, c + h

def quartiles(xs):
    xs = sorted(xs)
    if len(xs) < 2:
        return xs * 5
    q = statistics.quantiles(xs, n=4, method='inclusive')
    return [xs[0], q[0], q[1], q[2], xs[-1]]

def read_episodes(path):
    """{(agent, setting): {'obj1': n, 'obj2': n, 'timeout': n, 'steps': [...]}} from an episodes.csv."""
    episodes = defaultdict(lambda: {'obj1': 0, 'obj2': 0, 'timeout': 0, 'steps': []})
    with open(path) as f:
        for row in csv.DictReader(f):
            e = episodes[(row['agent'], row['setting'])]
            e[row['outcome']] += 1
            e['steps'].append(int(row['steps']))
    return episodes

def preference(e):
    """The preference for obj1 (the line), timeouts excluded, and the side the Wilson interval puts it on."""
    n = e['obj1'] + e['obj2']
    lo, hi = wilson(e['obj1'], n)
    return e['obj1'] / n if n else float('nan'), 'line' if lo > 0.5 else 'gem' if hi < 0.5 else '~'
