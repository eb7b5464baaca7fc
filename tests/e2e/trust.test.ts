import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { TableKnowledgeBase } from '../../src/adapters/tables/tableKnowledgeBase';
import { table } from '../support/storage';
import { appUnderTest } from '../support/ticketApi';

const HOUR = 60 * 60_000;

interface Resolution {
  by: string;
  at: string;
  note?: string;
}

/** Who resolved it, what the requester is told, and who may answer (issue #15). */
describe('lifecycle trust: who resolved it, internal notes, who may answer', () => {
  const app = appUnderTest();
  /** Every requester this file mails: at the end, none of their mails may carry an internal note. */
  const requesters = new Set<string>();
  const file = async (email: string, subject: string, body: string) => {
    requesters.add(email);
    return app.api.file(email, subject, body);
  };
  const resolution = async (id: string) =>
    ((await app.api.view(id)) as unknown as { resolution: Resolution | null }).resolution;
  const article = async (articleId: string) => {
    const a = (await new TableKnowledgeBase(table(`${app.rt.tablePrefix}Kb`)).all()).find(
      (x) => x.articleId === articleId,
    );
    return [a?.uses ?? 0, a?.successes ?? 0];
  };
  const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

  it("an engineer's fix while the requester has the guide is the engineer's, not the requester's yes", async () => {
    const email = 'fixed-by-priya@demo.example';
    const id = await file(email, 'Printer offline', 'The reception printer shows offline');
    const guide = (await app.api.mails(email))[1];
    assert.match(guide?.text ?? '', /Did this resolve your issue\?/);
    const before = await article('printer-offline');

    const res = await app.api.event(id, {
      type: 'resolved',
      by: 'Priya',
      note: 'INTERNAL-1 power-cycled the print server; admin pw is in ITGlue',
      publicNote: 'We restarted the printer from our side; it is back online.',
    });
    assert.equal(res.status, 202);

    const view = await app.api.view(id);
    assert.equal(view.stage, 'resolved');
    const by = await resolution(id);
    assert.equal(by?.by, 'engineer');
    assert.match(by?.note ?? '', /INTERNAL-1/, 'the engineer sees their own note on the ticket');
    assert.ok(!view.timeline.some((e) => /resolved confirmed|requester confirmed/i.test(e.note)));
    assert.ok(view.timeline.some((e) => /resolved by engineer/i.test(e.note)));
    assert.deepEqual(
      await article('printer-offline'),
      before,
      'the guide is not credited with a fix it did not make',
    );

    const last = (await app.api.mails(email)).at(-1);
    assert.equal(last?.subject, `[#${id}] Resolved: Printer offline`);
    assert.match(last?.text ?? '', /We restarted the printer from our side/);
    assert.doesNotMatch(last?.text ?? '', /What fixed it: .*Printer/, 'not told that the guide fixed it');
  });

  it("the requester's yes and the close after silence are recorded as such", async () => {
    const yes = await app.api.fixedMouse('mouse-yes@demo.example');
    requesters.add('mouse-yes@demo.example');
    assert.equal((await resolution(yes))?.by, 'requester');

    const quiet = await file(
      'quiet-printer@demo.example',
      'Printer offline',
      'The upstairs printer is offline',
    );
    assert.equal(await resolution(quiet), null, 'nobody has resolved it yet');
    await app.rt.runtime.advance(48 * HOUR);
    assert.equal((await resolution(quiet))?.by, 'silence');
  });

  it('a plan while the requester has the guide answers 409 and changes nothing', async () => {
    const email = 'early-plan@demo.example';
    const id = await file(email, 'Mouse not working', 'My wireless mouse stopped working');
    const mails = (await app.api.mails(email)).length;
    const res = await app.api.event(id, { type: 'plan', by: 'Priya', note: 'Looking' });
    assert.equal(res.status, 409);
    assert.match(await errorOf(res), /awaiting confirmation; a plan is recorded only while it is escalated/);
    const view = await app.api.view(id);
    assert.equal(view.stage, 'awaiting_confirmation');
    assert.ok(!view.timeline.some((e) => /Plan recorded/.test(e.note)));
    assert.equal((await app.api.mails(email)).length, mails);
  });

  it('internal notes reach the timeline and the PSA; the requester reads only public notes', async () => {
    const email = 'notes@demo.example';
    const id = await file(email, 'Shared drive slow', 'The file server share is very slow today');
    assert.equal((await app.api.view(id)).stage, 'escalated');

    const plan = (body: object) => app.api.event(id, { type: 'plan', by: 'Priya', ...body });
    assert.equal((await plan({ note: 'INTERNAL-A local admin pw is in ITGlue' })).status, 202);
    let last = (await app.api.mails(email)).at(-1);
    assert.match(last?.subject ?? '', /We're working on it/);
    assert.match(last?.text ?? '', /An engineer has picked up your request/);
    assert.equal((await app.api.view(id)).tier, 3, "the plan's tier defaults to the ticket's");

    assert.equal(
      (
        await plan({
          note: 'INTERNAL-B check RAID',
          publicNote: 'PUBLIC-B We are checking the disks tonight.',
        })
      ).status,
      202,
    );
    last = (await app.api.mails(email)).at(-1);
    assert.match(last?.text ?? '', /PUBLIC-B We are checking the disks tonight\./);

    const view = await app.api.view(id);
    assert.ok(
      view.timeline.some((e) => /INTERNAL-A/.test(e.note)),
      'internal notes are on the timeline',
    );
    assert.ok((await app.api.psaLog(id)).filter((k) => k === 'psa_note').length >= 2, 'and in the PSA');

    await app.api.event(id, { type: 'resolved', by: 'Priya', note: 'INTERNAL-C replaced disk 3' });
    last = (await app.api.mails(email)).at(-1);
    assert.match(last?.subject ?? '', /Resolved: Shared drive slow/);
    assert.equal((await resolution(id))?.by, 'engineer');

    // Reopened, past the tier's time limit, resolved again with a public note.
    assert.equal(
      (await app.api.event(id, { type: 'reply', from: email, text: 'It is broken again' })).status,
      202,
    );
    await app.rt.runtime.advance(3 * HOUR);
    await app.api.event(id, {
      type: 'resolved',
      by: 'Sam',
      note: 'INTERNAL-D moved the share to the new NAS',
      publicNote: 'PUBLIC-D The share now lives on a faster disk.',
    });
    const subjects = (await app.api.mails(email)).map((m) => m.subject.replace(/^\[#T-\d+\] /, ''));
    assert.ok(subjects.some((s) => s.startsWith('Reopened')));
    assert.match((await app.api.mails(email)).at(-1)?.text ?? '', /PUBLIC-D/);
  });

  it('only the requester or someone on the ticket’s thread may answer: 403 for anyone else', async () => {
    const email = 'owner-of-ticket@demo.example';
    const id = await file(email, 'Outlook keeps crashing', 'Outlook crashes every time I open it');
    const res = await app.api.event(id, { type: 'reply', from: 'nosy@demo.example', text: 'thanks, fixed!' });
    assert.equal(res.status, 403);
    assert.match(await errorOf(res), /nosy@demo\.example is not the requester/);
    assert.equal((await app.api.view(id)).stage, 'awaiting_confirmation', 'nothing changed');
    assert.equal(await resolution(id), null);

    const missingFrom = await app.api.event(id, { type: 'reply', text: 'thanks' });
    assert.equal(missingFrom.status, 400);
    assert.match(await errorOf(missingFrom), /^from:/);

    const own = await app.api.event(id, { type: 'reply', from: email.toUpperCase(), text: 'Thanks, fixed!' });
    assert.equal(own.status, 202, 'the requester, whatever the case of the address');
    assert.equal((await resolution(id))?.by, 'requester');
  });

  it('an unknown clientId: 400 naming it, nothing stored, nobody mailed', async () => {
    const res = await app.rt.post('/api/tickets', {
      clientId: 'ghost-dental',
      requester: { email: 'ghost@ghost.example' },
      subject: 'Printer offline',
      body: 'The printer is offline',
    });
    assert.equal(res.status, 400);
    assert.match(await errorOf(res), /clientId: no client "ghost-dental"/);
    await app.rt.runtime.drain();
    assert.deepEqual(await app.api.mails('ghost@ghost.example'), []);
  });

  it('unclear replies ("ok", "?") get one clarifying question before anything escalates', async () => {
    const email = 'unclear@demo.example';
    const id = await file(email, 'Mouse not working', 'My wireless mouse stopped working');
    await app.api.event(id, { type: 'reply', from: email, text: 'ok' });
    let view = await app.api.view(id);
    assert.equal(view.stage, 'awaiting_confirmation', '"ok" alone escalates nothing');
    const question = (await app.api.mails(email)).at(-1);
    assert.match(question?.subject ?? '', /Just checking: did the steps work\?/);
    assert.ok(app.api.link(question, 'yes'), 'the question carries the answer buttons again');

    await app.api.event(id, { type: 'reply', from: email, text: '?' });
    view = await app.api.view(id);
    assert.equal(view.stage, 'escalated', 'a second unclear reply goes to a person');
    assert.match(view.escalation?.reason ?? '', /a person should read it/);
  });

  it('a typed password or code is masked before anything stores, mails, pages or forwards it', async () => {
    const email = 'typed-secret@demo.example';
    const id = await file(
      email,
      "Can't sign in",
      "My new password Summer2024! doesn't work and the code was 483920. I'm locked out.",
    );
    await app.api.event(id, { type: 'reply', from: email, text: 'No. password: Hunter2$ still fails' });
    const view = await app.api.view(id);
    assert.equal(view.stage, 'escalated');
    const said = (view.escalation?.conversation ?? []).map((c) => c.text).join('\n');
    assert.match(
      said,
      /password \[password removed\] doesn't work/,
      'the engineer sees one was given and removed',
    );
    assert.match(said, /\[code removed\]/);
    assert.match(said, /password: \[password removed\] still fails/);

    // Nothing the app stored for this run (tickets, timelines, PSA and notification log, Durable
    // history) holds the secrets; nor does any mail.
    const secrets = /Summer2024!|483920|Hunter2\$/;
    const tables = ['Tickets', 'Events', 'Resolutions'].map((t) => `${app.rt.tablePrefix}${t}`);
    tables.push(`${app.rt.hub}History`);
    for (const name of tables)
      for await (const row of table(name).listEntities())
        assert.doesNotMatch(JSON.stringify(row), secrets, `${name} ${row.rowKey ?? ''}`);
    for (const mail of await app.api.mails(email)) assert.doesNotMatch(mail.text, secrets);
  });

  it('replies are read in German, Spanish, French and Dutch', async () => {
    const cases: [string, string, string][] = [
      ['de-yes@demo.example', 'Danke, es funktioniert', 'resolved'],
      ['es-yes@demo.example', '¡Gracias, ya funciona!', 'resolved'],
      ['de-no@demo.example', 'Nein, geht immer noch nicht', 'escalated'],
      ['fr-no@demo.example', 'Non, ça ne marche toujours pas', 'escalated'],
      ['nl-yes@demo.example', 'Bedankt, het werkt weer', 'resolved'],
    ];
    for (const [email, text, stage] of cases) {
      const id = await file(email, 'Mouse not working', 'My wireless mouse stopped working');
      assert.equal((await app.api.event(id, { type: 'reply', from: email, text })).status, 202);
      assert.equal((await app.api.view(id)).stage, stage, text);
    }
  });

  it('similar past tickets: the same category first, on a real scale, never one that was reopened', async () => {
    const vpn = (email: string, subject: string) =>
      file(email, subject, 'FortiClient VPN will not connect from home, the gateway is unreachable');
    const held = await vpn('vpn-held@demo.example', 'VPN will not connect from home');
    await app.api.click(app.api.link((await app.api.mails('vpn-held@demo.example'))[1], 'yes'));
    const reopened = await vpn('vpn-reopened@demo.example', 'VPN will not connect from home office');
    await app.api.click(app.api.link((await app.api.mails('vpn-reopened@demo.example'))[1], 'yes'));
    await app.api.event(reopened, {
      type: 'reply',
      from: 'vpn-reopened@demo.example',
      text: 'It is broken again',
    });
    assert.equal((await app.api.view(reopened)).reopens, 1);
    await app.api.fixedMouse('mouse-again@demo.example');
    requesters.add('mouse-again@demo.example');

    const id = await vpn('vpn-now@demo.example', 'VPN not connecting from home');
    await app.api.click(app.api.link((await app.api.mails('vpn-now@demo.example'))[1], 'no'));
    const similar = (
      (await app.api.view(id)).escalation as unknown as {
        similarTickets: { ticketId: string; category?: string; score: number }[];
      }
    ).similarTickets;
    const ids = similar.map((s) => s.ticketId);
    assert.equal(ids[0], held, 'the VPN ticket whose fix held comes first');
    assert.ok(!ids.includes(reopened), 'a reopened ticket is never offered as how it was solved');
    assert.ok(
      similar.every((s) => s.category === 'vpn_remote_access'),
      JSON.stringify(similar),
    );
    assert.ok(
      (similar[0]?.score ?? 0) < 1 && (similar[0]?.score ?? 0) > 0.2,
      'an absolute score, not 1.0 by rank',
    );
  });

  it('no mail to a requester carries an internal note', async () => {
    assert.ok(requesters.size >= 6);
    for (const email of requesters)
      for (const mail of await app.api.mails(email)) {
        assert.doesNotMatch(mail.text, /INTERNAL-|ITGlue/, `${mail.subject} (text)`);
        assert.doesNotMatch(mail.html, /INTERNAL-|ITGlue/, `${mail.subject} (html)`);
      }
  });
});
