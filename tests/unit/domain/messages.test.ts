import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { acknowledgementMail, escalatedMail } from '../../../src/domain/messages';
import { newTicket } from '../../../src/domain/ticket';

const ticketOf = (ticketId: string, subject: string, channel: 'api' | 'portal') =>
  newTicket(
    ticketId,
    {
      clientId: 'demo',
      requester: { name: 'Sam Lee', email: 'sam@demo.example' },
      subject,
      body: '',
      channel,
    },
    new Date(),
  );

describe('acknowledgementMail', () => {
  const ticket = ticketOf('T-1042', 'Printer <offline> & "stuck"', 'api');

  it('threads by the subject token and names the reference', () => {
    const mail = acknowledgementMail(ticket);
    assert.equal(mail.to, 'sam@demo.example');
    assert.ok(mail.subject.startsWith('[#T-1042] '));
    assert.match(mail.text, /reference number is T-1042/);
    assert.match(mail.text, /^Hi Sam,/);
  });

  it('escapes the requester-supplied subject in HTML', () => {
    const mail = acknowledgementMail(ticket);
    assert.ok(!mail.html.includes('<offline>'));
    assert.match(mail.html, /&lt;offline&gt; &amp; &quot;stuck&quot;/);
  });
});

describe('the PSA ticket number in mails', () => {
  const ticket = ticketOf('T-1043', 'VPN drops', 'portal');
  const opened = { ...ticket, psaTicket: { vendor: 'autotask', id: '9001', number: 'T20260302.9001' } };

  it('is in the escalation mail once autotier has opened the PSA ticket, and only then', () => {
    const mail = escalatedMail(opened, undefined, 'Europe/London');
    assert.equal(
      mail.text.match(/ticket T20260302\.9001 with our service desk \(our reference T-1043\)/g)?.length,
      1,
    );
    assert.match(mail.html, /ticket T20260302\.9001 with our service desk/);
    assert.doesNotMatch(escalatedMail(ticket, undefined, 'Europe/London').text, /service desk/);
  });

  it('is in the acknowledgement when already known: a ticket from the PSA, or one opened already', () => {
    assert.doesNotMatch(acknowledgementMail(ticket).text, /service desk/);
    assert.match(acknowledgementMail(opened).text, /T-1043 \(ticket T20260302\.9001 with our service desk\)/);
    assert.match(
      acknowledgementMail({ ...ticket, externalNumber: '601' }).text,
      /T-1043 \(ticket 601 with our service desk\)/,
    );
  });
});

describe('mail subjects', () => {
  it('never carry a line break into a mail header, even from a ticket stored before the checks', () => {
    const mail = acknowledgementMail({
      ticketId: 'T-1001',
      clientId: 'demo',
      requester: { email: 'sam@demo.example' },
      subject: 'Printer\r\nBcc: everyone@demo.example\u2028x',
      body: 'x',
      channel: 'api',
      stage: 'received',
      createdAt: '2026-03-02T10:00:00Z',
      updatedAt: '2026-03-02T10:00:00Z',
    });
    assert.doesNotMatch(mail.subject, /[\r\n\u2028]/);
    assert.match(mail.subject, /Printer Bcc: everyone@demo\.example x/);
  });
});
