import type { ConversationEntry } from '../domain/escalation';
import type { KbArticle } from '../domain/kb';
import { friendlyTime } from '../domain/messages';
import { publicTimeline, STAGE_WORDS, whatNext } from '../domain/portal';
import type { Ticket, TimelineEntry } from '../domain/ticket';
import { escapeHtml as e, type Page } from '../ops/html';

/**
 * The requester portal's one stylesheet: readable on a phone, large touch targets, text contrast of
 * at least 4.5:1, focus always visible.
 */
export const PORTAL_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f6f7f9}
header{background:#1b3a5c;color:#fff;padding:.9rem 1.2rem}
header p{margin:0;font-weight:700;font-size:1.1rem}
main{max-width:40rem;margin:0 auto;padding:1rem 1.2rem 3rem}
h1{font-size:1.45rem;margin:1rem 0 .5rem;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:1.4rem 0 .5rem}
a{color:#0b57a4}
.card{background:#fff;border:1px solid #d5d9e0;border-radius:8px;padding:.6rem 1.1rem 1.1rem;margin:1rem 0}
label{display:block;font-weight:600;margin:.9rem 0 .25rem}
.hint{display:block;font-weight:400;color:#4a5263;font-size:.92rem}
input[type=text],input[type=email],textarea{width:100%;font:inherit;padding:.6rem;border:1px solid #6b7485;border-radius:6px;background:#fff;color:#1d2330}
textarea{min-height:8rem;resize:vertical}
input[type=file]{font:inherit;max-width:100%}
button{font:inherit;font-weight:600;padding:.7rem 1.3rem;border-radius:6px;border:2px solid #0b57a4;background:#0b57a4;color:#fff;cursor:pointer;margin:.6rem .6rem 0 0;min-height:2.8rem}
button.secondary{background:#fff;color:#0b57a4}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f5a300;outline-offset:2px}
.error{background:#fde8e6;color:#7d0f08;border:1px solid #a3140b;border-radius:6px;padding:.6rem .9rem}
.notice{background:#e3f4e8;color:#0f4d23;border:1px solid #14612c;border-radius:6px;padding:.6rem .9rem}
.suggestions{border-left:4px solid #0b57a4}
.suggestions ul{list-style:none;padding:0;margin:0}
.suggestions li{padding:.6rem 0;border-top:1px solid #e4e7ec}
.suggestions li:first-child{border-top:0}
.stage{display:inline-block;font-weight:700;background:#e1ecfa;color:#0b3d6e;border-radius:999px;padding:.15rem .8rem}
ol.timeline{padding-left:1.2rem}
ol.timeline time,.meta{color:#4a5263;font-size:.92rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:.5rem 0}
dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
.said{white-space:pre-wrap;overflow-wrap:anywhere}
[hidden]{display:none!important}
`;

/**
 * The form's one script, allowed by its hash: as the requester types the subject or description it
 * asks the portal's `suggest` route for the client's matching articles and lists them, each with a
 * "This solved it" button (it posts the form, with its token and the article, to `solved`). Built with DOM calls only (textContent, never HTML
 * strings), so nothing an article or a query holds can become markup. Without it the form still
 * files the ticket.
 */
export const PORTAL_SCRIPT = `(function(){
var form=document.getElementById('request');if(!form||!window.fetch)return;
var box=document.getElementById('suggestions'),list=box.querySelector('ul'),send=document.getElementById('send');
var token=form.querySelector('input[name=form]').value,solved=form.getAttribute('data-solved');
var fields=[form.querySelector('[name=subject]'),form.querySelector('[name=description]')];
var timer,last='';
function show(articles){
  while(list.firstChild)list.removeChild(list.firstChild);
  articles.forEach(function(a){
    var li=document.createElement('li'),link=document.createElement('a');
    link.href=a.url+'?form='+encodeURIComponent(token);link.textContent=a.title;link.target='_blank';link.rel='noopener';
    var b=document.createElement('button');b.type='submit';b.className='secondary';b.textContent='This solved it';
    b.formAction=solved;b.formMethod='post';b.formNoValidate=true;b.name='article';b.value=a.id;
    li.appendChild(link);li.appendChild(document.createElement('br'));li.appendChild(b);list.appendChild(li);
  });
  box.hidden=articles.length===0;
  send.textContent=articles.length?'I still need help: send my request':'Send my request';
}
function ask(){
  var q=fields.map(function(f){return f.value;}).join(' ').trim().slice(0,500);
  if(q===last)return;last=q;
  if(q.length<3){show([]);return;}
  fetch(form.getAttribute('data-suggest')+'?q='+encodeURIComponent(q),{headers:{accept:'application/json'}})
    .then(function(r){return r.ok?r.json():{articles:[]};})
    .then(function(body){if(q===last)show(body.articles||[]);})
    .catch(function(){});
}
fields.forEach(function(f){f.addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(ask,250);});});
ask();
})();`;

const frame = (clientName: string, title: string, main: string): string =>
  `<header><p>${e(clientName)} IT support</p></header><main id="main"><h1>${e(title)}</h1>${main}</main>`;

export interface FormValues {
  email?: string;
  name?: string;
  subject?: string;
  description?: string;
}

export interface FormPageInput {
  clientId: string;
  clientName: string;
  formToken: string;
  /** The signed-in user, whose address the portal trusts; absent: the requester types one. */
  signedIn?: { email: string; name?: string };
  values?: FormValues;
  error?: string;
}

export const portalBase = (clientId: string) => `/api/portal/${encodeURIComponent(clientId)}`;

export function formPage(input: FormPageInput): Page {
  const base = portalBase(input.clientId);
  const v = input.values ?? {};
  const who = input.signedIn
    ? `<p class="meta">Signed in as ${e(input.signedIn.name ?? input.signedIn.email)} (${e(input.signedIn.email)}). We'll reply to that address.</p>`
    : `<label for="email">Your email <span class="hint">We'll send updates here.</span></label>` +
      `<input type="email" id="email" name="email" required maxlength="254" autocomplete="email" value="${e(v.email ?? '')}">` +
      `<label for="name">Your name</label>` +
      `<input type="text" id="name" name="name" maxlength="200" autocomplete="name" value="${e(v.name ?? '')}">`;
  const body =
    (input.error ? `<p class="error" role="alert">${e(input.error)}</p>` : '') +
    `<p>Tell us what's wrong. As you type, we'll show articles that may fix it straight away.</p>` +
    `<form id="request" class="card" method="post" action="${e(base)}/tickets" enctype="multipart/form-data" data-suggest="${e(base)}/suggest" data-solved="${e(base)}/solved">` +
    `<input type="hidden" name="form" value="${e(input.formToken)}">` +
    who +
    `<label for="subject">Subject <span class="hint">A few words, e.g. "Printer on floor 2 offline".</span></label>` +
    `<input type="text" id="subject" name="subject" required maxlength="300" autocomplete="off" value="${e(v.subject ?? '')}">` +
    `<label for="description">What happened? <span class="hint">What you tried, any error message. Never type a password.</span></label>` +
    `<textarea id="description" name="description" maxlength="20000">${e(v.description ?? '')}</textarea>` +
    `<section id="suggestions" class="card suggestions" aria-live="polite" hidden><h2>These articles may help</h2><ul></ul></section>` +
    `<label for="attachment">A screenshot or file <span class="hint">Optional, up to 10 MB.</span></label>` +
    `<input type="file" id="attachment" name="attachment">` +
    `<div><button type="submit" id="send">Send my request</button></div>` +
    `</form>`;
  return {
    title: `${input.clientName} IT support`,
    body: frame(input.clientName, 'Get help', body),
    style: PORTAL_STYLE,
    script: PORTAL_SCRIPT,
  };
}

/** A short page: a message and a way on. `html` is trusted markup the caller built with escaping. */
export function messagePage(clientName: string, title: string, text: string, html = ''): Page {
  return { title, body: frame(clientName, title, `<p>${e(text)}</p>${html}`), style: PORTAL_STYLE };
}

export function articlePage(
  clientId: string,
  clientName: string,
  article: KbArticle,
  formToken: string,
): Page {
  const base = portalBase(clientId);
  const body =
    `<ol>${article.steps.map((s) => `<li>${e(s)}</li>`).join('')}</ol>` +
    `<form method="post" action="${e(base)}/solved"><input type="hidden" name="form" value="${e(formToken)}">` +
    `<input type="hidden" name="article" value="${e(article.articleId)}">` +
    `<button type="submit">This solved it</button></form>` +
    `<p><a href="${e(base)}">I still need help: back to the form</a></p>`;
  return { title: article.title, body: frame(clientName, article.title, body), style: PORTAL_STYLE };
}

export interface StatusPageInput {
  ticket: Ticket;
  clientName: string;
  timeZone: string;
  timeline: TimelineEntry[];
  conversation: ConversationEntry[];
  /** The orchestrator's next deadline, when it has one the requester waits on. */
  nextDeadline?: string;
  notice?: string;
  error?: string;
}

export function statusPage(input: StatusPageInput): Page {
  const t = input.ticket;
  const when = (iso: string) => friendlyTime(iso, input.timeZone);
  const finished = t.stage === 'resolved' || t.stage === 'closed';
  const due = !finished ? t.sla?.resolutionDue : undefined;
  const mine = input.conversation.filter(
    (c) => c.from.trim().toLowerCase() === t.requester.email.trim().toLowerCase(),
  );
  const asking = t.stage === 'awaiting_confirmation';
  const body =
    (input.notice ? `<p class="notice" role="status">${e(input.notice)}</p>` : '') +
    (input.error ? `<p class="error" role="alert">${e(input.error)}</p>` : '') +
    `<p class="meta">Reference ${e(t.ticketId)} · opened ${e(when(t.createdAt))}</p>` +
    `<section class="card" aria-labelledby="now"><h2 id="now">Where it is</h2>` +
    `<p><span class="stage" data-stage="${e(t.stage)}">${e(STAGE_WORDS[t.stage])}</span></p>` +
    `<p>${e(whatNext(t.stage))}</p>` +
    (due ? `<p>We aim to have it resolved by <strong>${e(when(due))}</strong>.</p>` : '') +
    (!finished && input.nextDeadline && asking
      ? `<p class="meta">If we don't hear from you, we'll check in on ${e(when(input.nextDeadline))}.</p>`
      : '') +
    `</section>` +
    (t.guide
      ? `<section class="card" aria-labelledby="guide"><h2 id="guide">${e(t.guide.title)}</h2>` +
        `<ol>${t.guide.steps.map((s) => `<li>${e(s)}</li>`).join('')}</ol>` +
        (asking
          ? `<p><strong>Did this resolve your issue?</strong></p><form method="post">` +
            `<button type="submit" name="action" value="yes">Yes, it's fixed</button>` +
            `<button type="submit" name="action" value="no" class="secondary">No, I still need help</button></form>`
          : '') +
        `</section>`
      : '') +
    `<section class="card" aria-labelledby="history"><h2 id="history">What has happened</h2><ol class="timeline">` +
    publicTimeline(input.timeline)
      .map((p) => `<li>${e(p.text)} <time datetime="${e(p.at)}">${e(when(p.at))}</time></li>`)
      .join('') +
    `</ol>` +
    (mine.length
      ? `<h3>What you told us</h3>` +
        mine
          .map(
            (c) =>
              `<p class="said">${e(c.text)}<br><time class="meta" datetime="${e(c.at)}">${e(when(c.at))}</time></p>`,
          )
          .join('')
      : '') +
    `</section>` +
    `<form method="post" class="card"><h2>Add a reply</h2>` +
    `<label for="text">Anything to add? <span class="hint">Our engineers see it with your request. Never type a password.</span></label>` +
    `<textarea id="text" name="text" required maxlength="4000"></textarea>` +
    `<button type="submit" name="action" value="reply">Send reply</button></form>`;
  return {
    title: `${t.ticketId}: ${t.subject}`,
    body: frame(input.clientName, t.subject, body),
    style: PORTAL_STYLE,
  };
}
