import json,sys
M='/work/runs/measure'
def conf(f):
    d=json.load(open(f)); return d['confusion'], d['miou']
def share(c,t,p):
    s=sum(c[t]); return 0 if s==0 else c[t][p]/s
rows=[('CamVid val, default model','words-default',(8,3),('Car','Road')),
      ('aerial-roads val, default model mapped by name/text, no learning','words-before-aerial-roads',(1,0),('road','background')),
      ('aerial-roads val, learned (ImageNet base, 10 images, 5 min)','words-learn-aerial-roads-10',(1,0),('road','background')),
      ('CWFID val, default model mapped by text, no learning','words-before-cwfid',(1,2),('crop','weed')),
      ('CWFID val, learned (ImageNet base, 10 images, 5 min)','words-learn-cwfid-10',(1,2),('crop','weed'))]
print('| model | swapped names | GT pixels of A labelled as the slot now named A (plain → swapped) | of B | still their own slot after the swap (A, B) | mIoU plain → swapped |')
print('|---|---|---|---|---|---|')
for name,f,(a,b),(na,nb) in rows:
    try:
        P,mp=conf(f'{M}/{f}-plain.json'); W,mw=conf(f'{M}/{f}-swap.json')
    except Exception as e:
        print(f'| {name} | missing: {e} |'); continue
    print(f'| {name} | {na} ↔ {nb} | {100*share(P,a,b):.1f} % → {100*share(W,a,b):.1f} % | {100*share(P,b,a):.1f} % → {100*share(W,b,a):.1f} % | {100*share(W,a,a):.1f} %, {100*share(W,b,b):.1f} % | {100*mp:.2f} → {100*mw:.2f} |')
