import csv, math, sys, random
rows=[r for r in csv.DictReader(open('/tmp/calib-oof.csv'))]
for r in rows:
    r['raw']=float(r['raw']); r['top']=float(r['top']); r['y']=int(r['correct']); r['seed']=int(r['seed']); r['fold']=int(r['fold'])
    r['agree']= 1 if r['raw']-r['top']>0.005 else 0
    # hits from raw=(top+.45h)/(1+.45h) -> h=(raw-top)/(.45(1-raw))
    h=(r['raw']-r['top'])/(0.45*(1-r['raw'])) if r['raw']<1 else 2
    r['h']=min(2,max(0,round(h)))
EPS=1e-4
def lg(p): p=min(max(p,EPS),1-EPS); return math.log(p/(1-p))
def sig(z): return 1/(1+math.exp(-z)) if z>-700 else 0.0
def logreg(X,y,iters=200,l2=1e-3):
    # Newton's method
    d=len(X[0])+1; w=[0.0]*d
    for _ in range(iters):
        g=[0.0]*d; H=[[0.0]*d for _ in range(d)]
        for x,t in zip(X,y):
            xx=[1.0]+list(x); p=sig(sum(a*b for a,b in zip(w,xx)))
            for i in range(d):
                g[i]+=(p-t)*xx[i]
                for j in range(d): H[i][j]+=p*(1-p)*xx[i]*xx[j]
        for i in range(d): g[i]+=l2*w[i]; H[i][i]+=l2
        # solve H s = g
        A=[H[i][:]+[g[i]] for i in range(d)]
        for i in range(d):
            piv=max(range(i,d),key=lambda k:abs(A[k][i])); A[i],A[piv]=A[piv],A[i]
            for k in range(d):
                if k!=i:
                    f=A[k][i]/A[i][i]
                    for j in range(i,d+1): A[k][j]-=f*A[i][j]
        s=[A[i][d]/A[i][i] for i in range(d)]
        w=[a-b for a,b in zip(w,s)]
        if max(abs(v) for v in s)<1e-8: break
    return lambda x: sig(sum(a*b for a,b in zip(w,[1.0]+list(x))))
def iso_fit(pairs,minblock=1):
    pairs=sorted(pairs,key=lambda p:p[0])  # stable, as the C# OrderBy: ties keep fold order
    blocks=[]
    for s,y in pairs:
        blocks.append([s,y,1])
        while len(blocks)>1 and (blocks[-2][1]/blocks[-2][2]>=blocks[-1][1]/blocks[-1][2]):
            b=blocks.pop(); blocks[-1]=[blocks[-1][0]+b[0],blocks[-1][1]+b[1],blocks[-1][2]+b[2]]
    if minblock>1:
        # merge small blocks into neighbour (then re-pool)
        changed=True
        while changed and len(blocks)>1:
            changed=False
            for i,b in enumerate(blocks):
                if b[2]<minblock:
                    j=i+1 if i+1<len(blocks) else i-1
                    if i>0 and i+1<len(blocks) and blocks[i-1][2]<blocks[i+1][2]: j=i-1
                    a,c=min(i,j),max(i,j)
                    blocks[a]=[blocks[a][0]+blocks[c][0],blocks[a][1]+blocks[c][1],blocks[a][2]+blocks[c][2]]; del blocks[c]
                    changed=True; break
    xs=[b[0]/b[2] for b in blocks]; ys=[b[1]/b[2] for b in blocks]
    def f(s):
        if s<=xs[0]: v=ys[0]
        elif s>=xs[-1]: v=ys[-1]
        else:
            i=1
            while xs[i]<s: i+=1
            t=(s-xs[i-1])/(xs[i]-xs[i-1]); v=ys[i-1]+t*(ys[i]-ys[i-1])
        return round(min(max(v,0.01),0.99),3)
    return f
def clampr(f): return lambda r: round(min(max(f(r),0.01),0.99),3)
M={}
M['iso_raw']=lambda tr: (lambda f: lambda r: f(r['raw']))(iso_fit([(r['raw'],r['y']) for r in tr]))
for m in (10,20,40,80):
    M[f'iso_raw_min{m}']=(lambda m: lambda tr: (lambda f: lambda r: f(r['raw']))(iso_fit([(r['raw'],r['y']) for r in tr],m)))(m)
M['platt_raw']=lambda tr: (lambda f: clampr(lambda r: f([lg(r['raw'])])))(logreg([[lg(r['raw'])] for r in tr],[r['y'] for r in tr]))
M['beta_raw']=lambda tr: (lambda f: clampr(lambda r: f([math.log(max(r['raw'],EPS)),-math.log(max(1-r['raw'],EPS))])))(logreg([[math.log(max(r['raw'],EPS)),-math.log(max(1-r['raw'],EPS))] for r in tr],[r['y'] for r in tr]))
M['platt_top_h']=lambda tr: (lambda f: clampr(lambda r: f([lg(r['top']),r['h']])))(logreg([[lg(r['top']),r['h']] for r in tr],[r['y'] for r in tr]))
M['platt_top_agree']=lambda tr: (lambda f: clampr(lambda r: f([lg(r['top']),r['agree']])))(logreg([[lg(r['top']),r['agree']] for r in tr],[r['y'] for r in tr]))
M['platt_top_agree_x']=lambda tr: (lambda f: clampr(lambda r: f([lg(r['top']),r['agree'],r['agree']*lg(r['top'])])))(logreg([[lg(r['top']),r['agree'],r['agree']*lg(r['top'])] for r in tr],[r['y'] for r in tr]))
def branch_iso(tr,minblock=1):
    fs={a:iso_fit([(r['top'],r['y']) for r in tr if r['agree']==a],minblock) for a in (0,1)}
    return lambda r: fs[r['agree']](r['top'])
M['iso_branch_top']=branch_iso
M['iso_branch_top_min20']=lambda tr: branch_iso(tr,20)
M['iso_top']=lambda tr: (lambda f: lambda r: f(r['top']))(iso_fit([(r['top'],r['y']) for r in tr]))

def table(preds):
    bins=[[] for _ in range(10)]
    for c,y in preds: bins[min(9,int(c*10))].append((c,y))
    out=[]; ece=0; n=len(preds)
    for i,b in enumerate(bins):
        if not b: out.append((i,0,None,None)); continue
        mc=sum(c for c,_ in b)/len(b); acc=sum(y for _,y in b)/len(b)
        out.append((i,len(b),mc,acc)); ece+=len(b)/n*abs(mc-acc)
    return out,ece
def summarize(name,preds,show=False):
    t,ece=table(preds)
    bad=[(i,n,mc,acc) for i,n,mc,acc in t if n>=10 and abs(mc-acc)>0.1]
    mx=max((abs(mc-acc) for i,n,mc,acc in t if n>=10),default=0)
    # overclaim >0.1 from 0.6
    s=f"{name:24s} ECE {ece:.4f} maxgap(n>=10) {mx:.3f} fails {len(bad)} "+" ".join(f"[{i/10:.1f}:{n} {mc:.2f}/{acc:.2f}]" for i,n,mc,acc in t if n)
    print(s)

# --- nested check on the training rows only: for each of the OOF dumps' fold assignments (seeds),
# fit each calibrator on the other nine folds' samples and score the held fold.
def evalm(fit, pool):
    res=[]
    for s in sorted(set(r['seed'] for r in rows)):
        outer=[r for r in rows if r['seed']==s]; foldof={r['key']:r['fold'] for r in outer}
        preds=[]
        for k in range(10):
            tr=[r for r in rows if (r['seed']==s if pool=='same' else True) and foldof[r['key']]!=k]
            f=fit(tr); preds+=[(f(r),r['y']) for r in outer if r['fold']==k]
        t,ece=table(preds)
        fails=sum(1 for i,n,mc,acc in t if n>=10 and abs(mc-acc)>0.1)
        mx=max(abs(mc-acc) for i,n,mc,acc in t if n>=10)
        res.append((fails,mx,ece))
    return res
if len(sys.argv)==1:
    for pool in ('same','all'):
        for name,fit in M.items():
            res=evalm(fit,pool)
            print(f"{pool:4s} {name:24s} fails/seed {[r[0] for r in res]} mean maxgap {sum(r[1] for r in res)/len(res):.3f} mean ECE {sum(r[2] for r in res)/len(res):.4f}")
else:
    # --- the held-out look: only with the calibrators named on the command line, fitted on seed 0's samples.
    held=[r for r in csv.DictReader(open('/tmp/calib-held.csv'))]
    for r in held: r['raw']=float(r['raw']); r['top']=float(r['top']); r['y']=int(r['correct'])
    tr=[r for r in rows if r['seed']==0]
    for name in sys.argv[1:]:
        f=M[name](tr)
        summarize('HELD '+name,[(f(r),r['y']) for r in held])
