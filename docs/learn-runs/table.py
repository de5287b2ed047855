import re,os
M='/work/runs/measure'
S={}
for line in open(f'{M}/summary.tsv'):
    p=line.rstrip('\n').split('\t')
    if len(p)>=3: S[p[0]]=(float(p[1]),dict(kv.split('=') for kv in p[2:]))
def log(n):
    f=f'{M}/{n}.log'
    return open(f,errors='replace').read() if os.path.exists(f) else ''
def info(n):
    t=log(n); m=re.search(r'after (\d+) iterations in (\d+) s \(features (\d+) s, ([0-9.]+) s/iteration\)',t)
    rss=re.search(r'Maximum resident set size \(kbytes\): (\d+)',t)
    return m.groups() if m else None, (int(rss.group(1))/1e6 if rss else None)
for d,cls in (('aerial-roads',['background','road']),('cwfid',['soil','crop','weed'])):
    print(f'\n{d}\n| row | images | base | iterations | s/iteration | val mIoU | '+' | '.join(cls)+' |')
    print('|---|---|---|---|---|---|'+'---|'*len(cls))
    rows=[(f'before-{d}','default model, no learning (classes mapped by name/text)','-','default'),
          (f'learn-{d}-5','learn, 5 min','5','auto'),(f'learn-{d}-10','learn, 5 min','10','auto'),(f'learn-{d}-20','learn, 5 min','20','auto'),
          (f'whole-{d}-10','learn --whole, 5 min','10','auto'),(f'train-{d}-10','train from ImageNet, same budget','10','ImageNet'),
          (f'learn20min-{d}-10','learn, 20 min','10','auto')]
    for n,label,k,base in rows:
        if n not in S: print(f'| {label} | {k} | | | | (not run) |'); continue
        miou,pc=S[n]; (g,rss)=info(n)
        its,spi=(g[0],g[3]) if g else ('-','-')
        if n.startswith('train'):
            t=log(n); m=re.search(r'Finished after (\d+) iterations \((\d+) s\)',t); its=m.group(1) if m else '?'
            spi='%.2f'%(int(m.group(2))/int(m.group(1))) if m else '?'
        print(f'| {label} | {k} | {base} | {its} | {spi} | **{miou:.2f}** | '+' | '.join('%.1f'%float(pc[c]) for c in cls)+' |')
