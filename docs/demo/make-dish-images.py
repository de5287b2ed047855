import math, random, json, subprocess, os
W,H=480,360
import sys
out=sys.argv[1] if len(sys.argv) > 1 else 'dish'
os.makedirs(out, exist_ok=True)
meta={}
for n in range(9):
    r=random.Random(100+n)
    cells=[]
    while len(cells)<r.randint(6,9):
        cr=r.randint(16,28); cx=r.randint(cr+4,W-cr-4); cy=r.randint(cr+4,H-cr-4)
        if all((cx-x)**2+(cy-y)**2>(cr+rr+8)**2 for x,y,rr in cells): cells.append((cx,cy,cr))
    ph=[r.random()*6.28 for _ in range(6)]
    buf=bytearray()
    for y in range(H):
        for x in range(W):
            t=(math.sin(x*0.021+ph[0])+math.sin(y*0.017+ph[1])+math.sin((x+y)*0.011+ph[2])+0.5*math.sin(x*0.07+y*0.05+ph[3]))
            g=r.random()*14
            R,G,B=222+6*t+g,196+5*t+g,170+4*t+g
            for cx,cy,cr in cells:
                d=math.hypot(x-cx,y-cy)
                if d<cr:
                    e=d/cr
                    R,G,B=(150-40*(1-e)+g,70+20*e+g,150+30*(1-e)+g) if d>cr*0.35 else (70+g,30+g,100+g)
            buf+=bytes([max(0,min(255,int(v))) for v in (R,G,B)])
    p=f'{out}/dish_{n+1:02d}.ppm'
    open(p,'wb').write(b'P6 %d %d 255\n'%(W,H)+bytes(buf))
    subprocess.run(['/usr/bin/convert',p,p[:-4]+'.png'],check=True); os.remove(p)
    meta[f'dish_{n+1:02d}.png']=cells
json.dump(meta,open(os.path.join(out,'cells.json'),'w'))
