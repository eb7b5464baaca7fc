import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { toNewTicket } from '../../../src/domain/psa';

describe('toNewTicket', () => {
  it('keeps a PSA ticket whose one-line fields hold line breaks or controls, with those replaced (it cannot be refused)', () => {
    const r = toNewTicket(
      'halopsa',
      {
        id: '77',
        number: '77',
        summary: 'Printer\r\nBcc: everyone@demo.example\u0000\u2028\u2029',
        description: 'Line one\nLine two\tindented',
        companyKeys: ['12'],
        contact: { name: 'Kim\u202E Park', email: 'kim@demo.example' },
      },
      { companies: { '12': 'demo' }, tiers: {}, statuses: {}, selfIds: [] },
    );
    assert.ok(r.ok);
    assert.equal(r.value.subject, 'Printer Bcc: everyone@demo.example');
    assert.equal(r.value.requester.name, 'Kim Park');
    assert.equal(
      r.value.body,
      'Line one\nLine two\tindented',
      'multi-line bodies keep their newlines and tabs',
    );
  });
});
