using System.Globalization;
using System.Net;
using System.Text;
using Autotier.Application.Portal;
using Autotier.Domain.Kb;
using Autotier.Domain.Mail;
using Autotier.Domain.Portal;
using Autotier.Domain.Tickets;
using Autotier.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Autotier.Functions.Portal;

/// <summary>
/// The requester portal's pages (TypeScript src/portal/portalPages.ts), rendered by the app's one
/// page renderer (<see cref="HtmlPage.Render"/>: CSP by hash, no framing, no referrer, no caching).
/// Everything from outside is HTML-encoded here; the script builds suggestions with DOM calls only.
/// </summary>
public static class PortalPages
{
    /// <summary>
    /// The portal's one stylesheet: readable on a phone (one column: a single 40rem column that
    /// shrinks with the screen), large touch targets, text contrast of at least 4.5:1, focus always
    /// visible, a skip link that shows when focused.
    /// </summary>
    public static readonly string Style =
        "*{box-sizing:border-box}"
        + "body{margin:0;font:17px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:#1d2330;background:#f6f7f9}"
        + ".skip{position:absolute;left:-999px;top:0;background:#fff;color:#0b57a4;padding:.5rem 1rem;z-index:1}.skip:focus{left:.5rem}"
        + "header{background:#1b3a5c;color:#fff;padding:.9rem 1.2rem}"
        + "header p{margin:0;font-weight:700;font-size:1.1rem}"
        + "main{max-width:40rem;margin:0 auto;padding:1rem 1.2rem 3rem}"
        + "h1{font-size:1.45rem;margin:1rem 0 .5rem;overflow-wrap:anywhere}"
        + "h2{font-size:1.15rem;margin:1.4rem 0 .5rem}"
        + "a{color:#0b57a4}"
        + ".card{background:#fff;border:1px solid #d5d9e0;border-radius:8px;padding:.6rem 1.1rem 1.1rem;margin:1rem 0}"
        + "label{display:block;font-weight:600;margin:.9rem 0 .25rem}"
        + ".hint{display:block;font-weight:400;color:#4a5263;font-size:.92rem}"
        + "input[type=text],input[type=email],textarea{width:100%;font:inherit;padding:.6rem;border:1px solid #6b7485;border-radius:6px;background:#fff;color:#1d2330}"
        + "textarea{min-height:8rem;resize:vertical}"
        + "input[type=file]{font:inherit;max-width:100%}"
        + "button{font:inherit;font-weight:600;padding:.7rem 1.3rem;border-radius:6px;border:2px solid #0b57a4;background:#0b57a4;color:#fff;cursor:pointer;margin:.6rem .6rem 0 0;min-height:2.8rem}"
        + "button.secondary{background:#fff;color:#0b57a4}"
        + "a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f5a300;outline-offset:2px}"
        + ".error{background:#fde8e6;color:#7d0f08;border:1px solid #a3140b;border-radius:6px;padding:.6rem .9rem}"
        + ".notice{background:#e3f4e8;color:#0f4d23;border:1px solid #14612c;border-radius:6px;padding:.6rem .9rem}"
        + ".suggestions{border-left:4px solid #0b57a4}"
        + ".suggestions ul{list-style:none;padding:0;margin:0}"
        + ".suggestions li{padding:.6rem 0;border-top:1px solid #e4e7ec}"
        + ".suggestions li:first-child{border-top:0}"
        + ".stage{display:inline-block;font-weight:700;background:#e1ecfa;color:#0b3d6e;border-radius:999px;padding:.15rem .8rem}"
        + "ol.timeline{padding-left:1.2rem}"
        + "ol.timeline time,.meta{color:#4a5263;font-size:.92rem}"
        + ".said{white-space:pre-wrap;overflow-wrap:anywhere}"
        + "[hidden]{display:none!important}";

    /// <summary>
    /// The form's one script, allowed by its hash: as the requester types the subject or description
    /// it asks the portal's <c>suggest</c> route for the client's matching articles and lists them,
    /// each with "This solved it" (a submit button that posts the form, with its visit token and the
    /// article, to <c>solved</c>). DOM calls only (textContent, never HTML strings), so nothing an
    /// article or a query holds can become markup. Without it the form still files the ticket.
    /// </summary>
    public static readonly string Script = """
        (function(){
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
        })();
        """;

    public static string Base(string clientId) => $"/api/portal/{Uri.EscapeDataString(clientId)}";

    /// <summary>The form's fields as typed, shown again (encoded) with an error.</summary>
    public sealed record FormValues(string Email = "", string Name = "", string Subject = "", string Description = "");

    /// <summary>The signed-in requester (trusted address), or null: the requester types one.</summary>
    public sealed record SignedIn(string Email, string? Name);

    public static IActionResult Form(
        HttpResponse response, int status, string clientId, string clientName, string formToken, SignedIn? signedIn, FormValues? values = null, string? error = null)
    {
        var b = E(Base(clientId));
        var v = values ?? new FormValues();
        var who = signedIn is not null
            ? $"<p class=\"meta\">Signed in as {E(signedIn.Name ?? signedIn.Email)} ({E(signedIn.Email)}). We'll reply to that address.</p>"
            : "<label for=\"email\">Your email <span class=\"hint\">We'll send updates here.</span></label>"
              + $"<input type=\"email\" id=\"email\" name=\"email\" required maxlength=\"254\" autocomplete=\"email\" value=\"{E(v.Email)}\">"
              + "<label for=\"name\">Your name</label>"
              + $"<input type=\"text\" id=\"name\" name=\"name\" maxlength=\"200\" autocomplete=\"name\" value=\"{E(v.Name)}\">";
        var body = new StringBuilder()
            .Append(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")
            .Append("<p>Tell us what's wrong. As you type, we'll show articles that may fix it straight away.</p>")
            .Append(CultureInfo.InvariantCulture, $"<form id=\"request\" class=\"card\" method=\"post\" action=\"{b}/tickets\" enctype=\"multipart/form-data\" data-suggest=\"{b}/suggest\" data-solved=\"{b}/solved\">")
            .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"form\" value=\"{E(formToken)}\">")
            .Append(who)
            .Append("<label for=\"subject\">Subject <span class=\"hint\">A few words, e.g. \"Printer on floor 2 offline\".</span></label>")
            .Append(CultureInfo.InvariantCulture, $"<input type=\"text\" id=\"subject\" name=\"subject\" required maxlength=\"300\" autocomplete=\"off\" value=\"{E(v.Subject)}\">")
            .Append("<label for=\"description\">What happened? <span class=\"hint\">What you tried, any error message. Never type a password.</span></label>")
            .Append(CultureInfo.InvariantCulture, $"<textarea id=\"description\" name=\"description\" maxlength=\"20000\">{E(v.Description)}</textarea>")
            .Append("<section id=\"suggestions\" class=\"card suggestions\" aria-live=\"polite\" hidden><h2>These articles may help</h2><ul></ul></section>")
            .Append("<label for=\"attachment\">A screenshot or file <span class=\"hint\">Optional, up to 10 MB.</span></label>")
            .Append("<input type=\"file\" id=\"attachment\" name=\"attachment\">")
            .Append("<div><button type=\"submit\" id=\"send\">Send my request</button></div>")
            .Append("</form>");
        return Render(response, status, $"{clientName} IT support", clientName, "Get help", body.ToString(), Script);
    }

    /// <summary>A short page: a message and a way on. <paramref name="html"/> is trusted markup the caller built with encoding.</summary>
    public static IActionResult Message(HttpResponse response, int status, string clientName, string title, string text, string html = "") =>
        Render(response, status, title, clientName, title, $"<p>{E(text)}</p>{html}");

    public static IActionResult Article(HttpResponse response, string clientId, string clientName, KbArticle article, string formToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        var b = E(Base(clientId));
        var body = $"<ol>{string.Concat(article.Steps.Select(s => $"<li>{E(s)}</li>"))}</ol>"
            + $"<form method=\"post\" action=\"{b}/solved\"><input type=\"hidden\" name=\"form\" value=\"{E(formToken)}\">"
            + $"<input type=\"hidden\" name=\"article\" value=\"{E(article.ArticleId)}\">"
            + "<button type=\"submit\">This solved it</button></form>"
            + $"<p><a href=\"{b}\">I still need help: back to the form</a></p>";
        return Render(response, 200, article.Title, clientName, article.Title, body);
    }

    /// <summary>
    /// A ticket's status page, the requester's view: the stage in words (and the stage's own words,
    /// not a colour, carry the state), what happens next and by when, the guide with yes and no while
    /// the question is open, the public timeline, what they told us, and a reply box. Never an
    /// engineer's note: the timeline is <see cref="PortalWords.PublicTimeline"/>.
    /// </summary>
    public static IActionResult Status(HttpResponse response, int status, StatusView view, string? notice = null, string? error = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var t = view.Ticket;
        var zone = view.Client.BusinessHours.TimeZone;
        string When(DateTimeOffset at) => Messages.FriendlyTime(at, zone);
        string Time(DateTimeOffset at) => $"<time datetime=\"{E(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))}\">{E(When(at))}</time>";
        var finished = t.Stage is Stage.Resolved or Stage.Closed;
        var asking = t.Stage == Stage.AwaitingConfirmation;
        var due = finished ? null : t.Sla?.ResolutionDue;
        var body = new StringBuilder()
            .Append(notice is null ? "" : $"<p class=\"notice\" role=\"status\">{E(notice)}</p>")
            .Append(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">Reference {E(t.TicketId)} · opened {E(When(t.CreatedAt))}</p>")
            .Append("<section class=\"card\" aria-labelledby=\"now\"><h2 id=\"now\">Where it is</h2>")
            .Append(CultureInfo.InvariantCulture, $"<p><span class=\"stage\" data-stage=\"{E(StageName(t.Stage))}\">{E(PortalWords.Stage(t.Stage))}</span></p>")
            .Append(CultureInfo.InvariantCulture, $"<p>{E(PortalWords.WhatNext(t.Stage))}</p>")
            .Append(due is { } d ? $"<p>We aim to have it resolved by <strong>{E(When(d))}</strong>.</p>" : "")
            .Append(!finished && asking && view.NextDeadline is { } next ? $"<p class=\"meta\">If we don't hear from you, we'll check in on {E(When(next))}.</p>" : "")
            .Append("</section>");
        if (t.Guide is { } guide)
        {
            body.Append(CultureInfo.InvariantCulture, $"<section class=\"card\" aria-labelledby=\"guide\"><h2 id=\"guide\">{E(guide.Title)}</h2>")
                .Append(CultureInfo.InvariantCulture, $"<ol>{string.Concat(guide.Steps.Select(s => $"<li>{E(s)}</li>"))}</ol>");
            if (asking)
            {
                body.Append("<p><strong>Did this resolve your issue?</strong></p><form method=\"post\">")
                    .Append("<button type=\"submit\" name=\"action\" value=\"yes\">Yes, it's fixed</button>")
                    .Append("<button type=\"submit\" name=\"action\" value=\"no\" class=\"secondary\">No, I still need help</button></form>");
            }
            body.Append("</section>");
        }
        body.Append("<section class=\"card\" aria-labelledby=\"history\"><h2 id=\"history\">What has happened</h2><ol class=\"timeline\">")
            .Append(string.Concat(view.Timeline.Select(p => $"<li>{E(p.Text)} {Time(p.At)}</li>")))
            .Append("</ol>");
        if (view.Said.Count > 0)
        {
            body.Append("<h3>What you told us</h3>")
                .Append(string.Concat(view.Said.Select(c => $"<p class=\"said\">{E(c.Text)}<br><span class=\"meta\">{Time(c.At)}</span></p>")));
        }
        if (t.FollowUps is { Count: > 0 } followUps)
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">Followed up in {E(string.Join(", ", followUps))}.</p>");
        if (t.FollowUpOf is { } of)
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">This request follows up {E(of)}.</p>");
        body.Append("</section>")
            .Append("<form method=\"post\" class=\"card\"><h2>Add a reply</h2>")
            .Append("<label for=\"text\">Anything to add? <span class=\"hint\">Our engineers see it with your request. Never type a password.</span></label>")
            .Append(CultureInfo.InvariantCulture, $"<textarea id=\"text\" name=\"text\" required maxlength=\"{RequesterPortal.MaxReplyChars}\"></textarea>")
            .Append("<button type=\"submit\" name=\"action\" value=\"reply\">Send reply</button></form>");
        return Render(response, status, $"{t.TicketId}: {t.Subject}", view.Client.Name, t.Subject, body.ToString());
    }

    private static string StageName(Stage stage) => System.Text.Json.JsonSerializer.Serialize(stage).Trim('"');

    /// <summary>The portal's frame (skip link, the client's name, one h1) around a page's main content.</summary>
    private static ContentResult Render(HttpResponse response, int status, string title, string clientName, string heading, string main, string? script = null) =>
        HtmlPage.Render(response, status, title,
            "<a class=\"skip\" href=\"#main\">Skip to content</a>"
            + $"<header><p>{E(clientName)} IT support</p></header><main id=\"main\"><h1>{E(heading)}</h1>{main}</main>",
            Style, script);

    private static string E(string text) => HtmlPage.Encode(text);
}
