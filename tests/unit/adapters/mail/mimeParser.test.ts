import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { parseMime, sanitizeMailHtml } from '../../../../src/adapters/mail/mimeParser';
import { cleanSubject, ticketIdFromSubject } from '../../../../src/domain/mail';
import { stripQuoted } from '../../../../src/domain/quotedHistory';
import { APP_ROOT } from '../../../support/paths';

/** As intake stores a reply or a new mail's body (see placeMail). */
const stripQuotedHistory = (text: string) => stripQuoted(text, { keepInlineQuotes: true });
const fixture = (name: string) => readFileSync(path.join(APP_ROOT, 'tests', 'fixtures', 'mail', name));

describe('MIME fixtures parse into clean mail', () => {
  it('plain text: sender, ids, text; the signature goes when quoted history is stripped', async () => {
    const m = await parseMime(fixture('plain.eml'));
    assert.deepEqual(m.from, { name: 'Kim Park', email: 'kim.park@demo.example' });
    assert.equal(m.messageId, '<plain-001@demo.example>');
    assert.equal(m.subject, 'Printer at reception shows offline');
    assert.match(m.text, /restarted it – no change/);
    assert.equal(m.automatic, false);
    assert.doesNotMatch(stripQuotedHistory(m.text), /01234 567890/);
  });

  it('HTML with scripts, tracking pixels, frames and forms: none of it survives, the words do', async () => {
    const m = await parseMime(fixture('html-tracking.eml'));
    for (const bad of [
      /<script/i,
      /evil\.example/,
      /tracker\.example/,
      /<img/i,
      /onload/i,
      /javascript:/i,
      /<iframe/i,
      /<form/i,
      /<style/i,
    ])
      assert.doesNotMatch(m.html ?? '', bad);
    assert.match(m.html ?? '', /<a href="https:\/\/status\.demo\.example\/">status page<\/a>/);
    assert.match(m.text, /FortiClient says "Unable to establish the VPN connection" when I work from home\./);
    assert.doesNotMatch(m.text, /tracker|evil|document\.cookie|color: red/);
  });

  it('an Outlook reply: threading headers, and only the new text once history is stripped', async () => {
    const m = await parseMime(fixture('reply-outlook.eml'));
    assert.equal(m.inReplyTo, '<REPLY-TO-PLACEHOLDER>');
    assert.deepEqual(m.references, ['<REPLY-TO-PLACEHOLDER>']);
    assert.equal(stripQuotedHistory(m.text), 'No, it still says my account is locked.\n\nKim');
  });

  it('a Gmail reply with a wrapped "wrote:" line and > quotes', async () => {
    const m = await parseMime(fixture('reply-gmail.eml'));
    assert.equal(stripQuotedHistory(m.text), 'Yes, that fixed it, thank you!');
    assert.equal(ticketIdFromSubject(m.subject), undefined, 'a placeholder is not a ticket id');
    assert.equal(ticketIdFromSubject('Re: [#T-1042] Getting back in'), 'T-1042');
  });

  it('attachments are kept with their names and types; inline pictures are marked inline', async () => {
    const m = await parseMime(fixture('attachments.eml'));
    const byName = Object.fromEntries(m.attachments.map((a) => [a.filename, a]));
    assert.equal(byName['invoice-2231.pdf']?.contentType, 'application/pdf');
    assert.equal(byName['invoice-2231.pdf']?.inline, false);
    assert.ok(byName['invoice-2231.pdf']?.content.subarray(0, 5).equals(Buffer.from('%PDF-')));
    assert.equal(byName['screenshot.png']?.inline, true);
    assert.match(m.text, /Acrobat shows an error when I open invoices/);
  });

  it('non-UTF-8 charsets: ISO-8859-1 quoted-printable, ISO-2022-JP, Windows-1252', async () => {
    const fr = await parseMime(fixture('latin1.eml'));
    assert.equal(fr.from.name, 'René Dupré');
    assert.equal(fr.subject, "Imprimante hors ligne à l'accueil");
    assert.match(fr.text, /affiche « hors ligne » depuis ce matin/);
    const jp = await parseMime(fixture('iso2022jp.eml'));
    assert.equal(jp.subject, 'プリンターの問題');
    assert.match(jp.text, /受付のプリンターが朝から使えません。/);
    const win = await parseMime(fixture('windows1252.eml'));
    assert.match(win.text, /“Cannot start Microsoft Outlook” – since the update/);
  });

  it('a forwarded mail keeps the forwarded text and loses the Fwd: prefix', async () => {
    const m = await parseMime(fixture('forwarded.eml'));
    assert.equal(cleanSubject(m.subject), 'Printer error 49.4C02');
    assert.match(m.text, /shows error 49\.4C02 and will not print/);
  });

  it('recognises automatic replies', async () => {
    assert.equal((await parseMime(fixture('out-of-office.eml'))).automatic, true);
  });

  it('refuses a mail with no sender', async () => {
    await assert.rejects(parseMime(Buffer.from('Subject: hi\r\n\r\nbody')), /no From address/);
  });
});

describe('mail text helpers', () => {
  it('cleans subjects of reply and forward prefixes in several languages, and of the ticket token', () => {
    assert.equal(cleanSubject('RE: AW: Fwd: [#T-1001] VPN down'), 'VPN down');
    assert.equal(cleanSubject('SV: WG: Drucker'), 'Drucker');
  });

  it('strips French, German and "Original Message" history', () => {
    assert.equal(
      stripQuotedHistory('Merci\n\nLe lun. 2 mars 2026 à 10:05, IT <it@x> a écrit :\n> old'),
      'Merci',
    );
    assert.equal(stripQuotedHistory('Danke\nAm 02.03.2026 um 10:05 schrieb IT <it@x>:\n> alt'), 'Danke');
    assert.equal(
      stripQuotedHistory('Still broken\n-----Original Message-----\nFrom: IT\nSent: now'),
      'Still broken',
    );
  });

  it('keeps text that merely mentions From: in a sentence', () => {
    const text = 'From: my laptop I cannot print.\nThe printer is fine otherwise.';
    assert.equal(stripQuotedHistory(text), text);
  });

  it('sanitizes links to http(s) and mailto only', () => {
    assert.equal(
      sanitizeMailHtml('<a href="data:text/html,x">a</a><a href="mailto:it@x.example">b</a>'),
      '<a>a</a><a href="mailto:it@x.example">b</a>',
    );
  });
});
