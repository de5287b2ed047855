import json, subprocess, time, math, sys
X0,Y0,S=321,226,1.5146
cells=json.load(open(sys.argv[2] if len(sys.argv) > 2 else 'dish/cells.json'))
def xd(*a): subprocess.run(['xdotool',*map(str,a)],env={'DISPLAY':':55'},check=True)
def scr(x,y): return round(X0+S*x), round(Y0+S*y)
def stroke(pts):
    x,y=scr(*pts[0]); xd('mousemove',x,y,'mousedown',1); time.sleep(0.15)
    for p in pts[1:]:
        x,y=scr(*p); xd('mousemove',x,y); time.sleep(0.03)
    time.sleep(0.15); xd('mouseup',1); time.sleep(0.4)
def keys(k,n):
    for _ in range(n): xd('key',k); time.sleep(0.03)
name=sys.argv[1]
# agar everywhere
xd('mousemove',1244,467,'click',1); time.sleep(0.6); keys('bracketright',30)
for y in (20,100,180,260,340):
    stroke([(x,y) for x in range(0,481,20)])
# cells
xd('mousemove',1244,494,'click',1); time.sleep(0.6); keys('bracketleft',24)
for cx,cy,cr in cells[name]:
    rr=max(0,cr-15)
    pts=[(cx,cy)]+[(cx+rr*math.cos(t/10*6.283),cy+rr*math.sin(t/10*6.283)) for t in range(11)]
    stroke(pts)
