# The keys-and-chests measures (KeysChestsStudy.Summarise) from `misgen export`'s episodes.csv, as a Markdown table.
# usage: python3 scripts/keys_chests_measures.py csv/episodes.csv
import csv,sys,collections
rows=list(csv.DictReader(open(sys.argv[1])))
g=collections.defaultdict(list)
for r in rows: g[(r['agent'],r['setting'])].append(r)
print('| agent | setting | episodes | complete | chests opened (share) | keys beyond chests | keys unused at end | steps after last chest | keys after last chest | mean steps |')
print('|---|---|---|---|---|---|---|---|---|---|')
for (a,s),L in sorted(g.items()):
    f=lambda k: [float(r[k]) for r in L]
    n=len(L); steps=sum(f('steps'))
    comp=sum(1 for r in L if r['outcome']=='complete')/n
    ch=sum(float(r['chests_opened'])/max(1,float(r['chests_total'])) for r in L)/n
    beyond=sum(max(0,float(r['keys_collected'])-float(r['chests_total'])) for r in L)/n
    unused=sum(f('keys_held'))/n
    after=sum(f('steps_after_last_chest'))/steps
    kal=sum(f('keys_after_last_chest'))/n
    print(f'| {a} | {s} | {n} | {comp:.1%} | {ch:.1%} | {beyond:.2f} | {unused:.2f} | {after:.1%} | {kal:.2f} | {steps/n:.0f} |')
