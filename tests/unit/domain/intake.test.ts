import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MAX_TICKET_BODY_CHARS, parseNewTicket } from '../../../src/domain/intake';

const valid = {
  clientId: 'demo',
  requester: { name: 'Sam Lee', email: 'Sam@Demo.Example' },
  subject: 'VPN will not connect',
  body: 'Since this morning.',
};

describe('parseNewTicket', () => {
  it('accepts a valid ticket, lower-cases the email and sets the channel', () => {
    const r = parseNewTicket(valid);
    assert.ok(r.ok);
    assert.equal(r.value.requester.email, 'sam@demo.example');
    assert.equal(r.value.channel, 'api');
  });

  it("keeps the caller's externalId in the API's namespace, so it can never name a PSA ticket", () => {
    const r = parseNewTicket({ ...valid, externalId: 'connectwise:123' });
    assert.ok(r.ok);
    assert.equal(r.value.externalId, 'api:connectwise:123');
    assert.equal(r.value.channel, 'api');
  });

  const cases: [string, unknown, RegExp][] = [
    ['missing clientId', { ...valid, clientId: undefined }, /^clientId: is required/],
    ['clientId with capitals', { ...valid, clientId: 'Demo' }, /^clientId: must be 1-63 lowercase/],
    ['missing requester', { ...valid, requester: undefined }, /^requester: is required/],
    [
      'bad email',
      { ...valid, requester: { email: 'not-an-email' } },
      /^requester\.email: must be an email address/,
    ],
    ['subject of the wrong type', { ...valid, subject: 42 }, /^subject: must be a string$/],
    ['empty subject', { ...valid, subject: '   ' }, /^subject: must not be empty/],
    [
      'script tag in the subject',
      { ...valid, subject: '<script>alert(1)</script>' },
      /^subject: must be plain text/,
    ],
    [
      'script tag in the name',
      { ...valid, requester: { email: 'a@b.co', name: '<img src=x onerror=alert(1)>' } },
      /^requester\.name: must be plain text/,
    ],
    ['body too long', { ...valid, body: 'x'.repeat(MAX_TICKET_BODY_CHARS + 1) }, /^body: must be at most/],
    [
      'a channel (set by intake, never by callers)',
      { ...valid, channel: 'connectwise' },
      /^unknown field: channel/,
    ],
    [
      'CR/LF in the subject (mail header injection)',
      { ...valid, subject: 'Printer\r\nBcc: everyone@demo.example' },
      /^subject: must be one line of text/,
    ],
    ['a tab in the subject', { ...valid, subject: 'Printer\toffline' }, /^subject: must be one line/],
    [
      'NUL in the name',
      { ...valid, requester: { email: 'a@b.co', name: 'Sam\u0000' } },
      /^requester\.name: must be one line/,
    ],
    [
      'a C1 control in the subject',
      { ...valid, subject: 'Printer\u0085offline' },
      /^subject: must be one line/,
    ],
    [
      'a line separator in the subject',
      { ...valid, subject: 'Printer\u2028offline' },
      /^subject: must be one line/,
    ],
    [
      'a right-to-left override in the name',
      { ...valid, requester: { email: 'a@b.co', name: 'Sam \u202Egnp.exe' } },
      /^requester\.name: must be one line/,
    ],
    ['unknown field', { ...valid, admin: true }, /^unknown field: admin/],
    ['externalId with spaces', { ...valid, externalId: 'a b' }, /^externalId: may contain only/],
    ['not an object', 'hello', /^request body must be a JSON object/],
  ];
  for (const [name, input, message] of cases) {
    it(`rejects ${name}`, () => {
      const r = parseNewTicket(input);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error, message);
    });
  }
});
