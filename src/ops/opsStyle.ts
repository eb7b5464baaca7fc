/**
 * The ops pages' one stylesheet, inline and allowed by its hash. Colours keep at least 4.5:1
 * against their background (WCAG AA); state is always said in words too, never by colour alone.
 */
export const OPS_STYLE = `
:root{--ink:#1d2330;--muted:#4a5263;--line:#d5d9e0;--bg:#f6f7f9;--card:#fff;--link:#0b57a4;--bad:#a3140b;--bad-bg:#fde8e6;--warn:#7a4b00;--warn-bg:#fff3d6;--ok:#14612c;--ok-bg:#e3f4e8;--info:#0b3d6e;--info-bg:#e1ecfa}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--link)}
a:focus-visible,button:focus-visible,select:focus-visible,input:focus-visible{outline:3px solid #f5a300;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}
.skip:focus{left:1rem;z-index:2}
header{background:#1d2330;color:#fff;padding:.8rem 1.5rem;display:flex;gap:1.5rem;align-items:baseline;flex-wrap:wrap}
header .brand{margin:0;font-size:1.2rem;font-weight:700;color:#fff}
header p{margin:0;color:#dfe3ea}
header a{color:#cfe3ff}
main{padding:1rem 1.5rem 3rem;max-width:1600px}
h1{font-size:1.4rem;margin:1rem 0;overflow-wrap:anywhere}
h2{font-size:1.1rem;margin:1rem 0 .6rem}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
section.card,form.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.4rem 1rem 1rem;margin-bottom:1rem}
.filters{display:flex;flex-wrap:wrap;gap:.6rem 1.4rem;align-items:flex-end}
.filters h2{flex-basis:100%;margin:.6rem 0 0}
.field{display:flex;flex-direction:column;gap:.2rem}
.check{display:flex;gap:.4rem;align-items:center;min-height:2.2rem}
label{font-weight:600}
select,button{font:inherit;padding:.35rem .5rem;border:1px solid #8a93a3;border-radius:4px;background:#fff;color:var(--ink)}
input[type=checkbox]{width:1.1rem;height:1.1rem}
button{background:var(--link);border-color:var(--link);color:#fff;padding:.4rem 1rem;cursor:pointer}
.note{color:var(--muted);margin:.2rem 0 .6rem}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:var(--card)}
caption{text-align:left;color:var(--muted);padding:.3rem 0}
th,td{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid var(--line)}
thead th{background:#eceef2;position:sticky;top:0;font-size:.85rem;text-transform:uppercase;letter-spacing:.02em}
tbody tr:hover{background:#f0f4fa}
tr.is-failed{background:var(--bad-bg)}
tr.is-overdue{background:var(--warn-bg)}
tr.is-failed .badge,tr.is-overdue .badge{background:#fff;box-shadow:inset 0 0 0 1px currentColor}
.subject{min-width:14rem;max-width:28rem;overflow-wrap:anywhere}
.when{white-space:nowrap}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:999px;font-size:.85rem;font-weight:600;white-space:nowrap;background:var(--info-bg);color:var(--info)}
.badge.resolved,.badge.closed,.badge.Completed{background:var(--ok-bg);color:var(--ok)}
.badge.escalated,.badge.Failed,.badge.Terminated{background:var(--bad-bg);color:var(--bad)}
.badge.awaiting_confirmation,.badge.Suspended{background:var(--warn-bg);color:var(--warn)}
.flag{color:var(--bad);font-weight:700}
.who{margin:.6rem 0 .2rem}
.what{color:var(--muted);font-size:.9rem}
.empty{margin:.3rem 0 .8rem;color:var(--muted)}
time,tbody th{white-space:nowrap}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1.2rem;margin:.4rem 0}
dl.facts dt{font-weight:600;color:var(--muted)}
dl.facts dt::first-letter{text-transform:uppercase}
.grid{align-items:start}
.stack>section{margin-bottom:1rem}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.text{white-space:pre-wrap;overflow-wrap:anywhere;background:#fafbfc;border-left:3px solid var(--line);padding:.5rem .8rem;margin:.3rem 0 .8rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,36rem),1fr));gap:0 1rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.6rem;margin:.4rem 0 1rem}
.tile{border:1px solid var(--line);border-radius:6px;padding:.5rem .7rem;background:#fafbfc}
.tile .value{font-size:1.4rem;font-weight:700}
.tile .label{color:var(--muted);font-size:.85rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,30rem),1fr));gap:1rem}
figure{margin:0}
figcaption{font-weight:600;margin-bottom:.3rem}
svg text{font:12px system-ui,sans-serif;fill:#1d2330}
nav.pages{margin:.8rem 0}
`;
