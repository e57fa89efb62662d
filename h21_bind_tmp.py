import sys, pandas as pd, datetime as dt
from collections import defaultdict
from optimizer.scenario import load_scenario
from optimizer.report.beds import beds_held
folder = sys.argv[1]
sc = load_scenario(folder + '/scenario')
s = pd.read_csv(folder + '/schedule.csv', dtype=str, keep_default_na=False)
by = {c.case_id: c for c in sc.cases}
print(s.status.value_counts().to_dict())
print("resource_full blocking:", s[s.cause=='resource_full'].blocking.value_counts().to_dict())
held = beds_held(sc, s.to_dict('records'))
for bed in ('icu_bed','ward_bed'):
    print(bed, "full on:", [str(r.date) for r in sc.resources if r.resource==bed and held[bed, r.date] >= r.capacity])
k = sc.policy.anaesthetist_rooms
per = defaultdict(list)
for r in s.itertuples():
    if r.status in ('kept','postponed','scheduled'):
        c = by[r.case_id]
        if c.needs_anaesthetist:
            h,m = map(int, r.start.split(':')); st=h*60+m
            per[r.date].append((st, st+c.duration_min, st+c.induction_min))
cap = {str(r.date): r.capacity for r in sc.resources if r.resource=='anaesthetist'}
for d, xs in sorted(per.items()):
    pr = max(sum(a<=t<b for a,b,_ in xs) for t,_,_ in xs)
    pi = max([sum(a<=t<e for a,_,e in xs) for t,_,_ in xs] or [0])
    flag = " <- binds" if pi >= cap[d] or pr >= k*cap[d] else ""
    print(d, "A", cap[d], "peak running", pr, "/", k*cap[d], "peak inductions", pi, flag)
