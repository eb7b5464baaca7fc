import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { interpretReply, lifecycleFor, silencePolicy, stripQuoted } from '../../../src/domain/lifecycle';

describe('interpretReply', () => {
  const cases: [string, 'yes' | 'no' | 'unclear'][] = [
    ['Thanks, that worked!', 'yes'],
    ['yes all good now', 'yes'],
    ["It's working again, cheers", 'yes'],
    ['No problem, it works now', 'yes'],
    ['Still broken', 'no'],
    ['Nope, same error as before', 'no'],
    ['It stopped working again this morning', 'no'],
    ["didn't help unfortunately", 'no'],
    ['I cannot sign in', 'no'],
    ['Can you call me at 3pm?', 'unclear'],
  ];
  for (const [text, meaning] of cases)
    it(`reads "${text}" as ${meaning}`, () => assert.equal(interpretReply(text), meaning));

  it('ignores the quoted question and history', () => {
    assert.equal(
      interpretReply('Thanks!\n\nOn Mon 2 Mar, IT Support wrote:\n> No, it is still not working: http://x'),
      'yes',
    );
    assert.equal(stripQuoted('Fine now\n> old text\n-----Original Message-----\nFrom: IT'), 'Fine now');
  });
});

describe('lifecycle settings', () => {
  it('fills in defaults and lets a client override per category', () => {
    const s = lifecycleFor({
      onSilence: { vpn_remote_access: 'escalate' },
      tierLimitMinutes: { 1: 15, 2: 60, 3: 120 },
    });
    assert.equal(s.reminderAfterHours, 24);
    assert.equal(s.tierLimitMinutes[1], 15);
    assert.equal(silencePolicy(s, 'vpn_remote_access'), 'escalate');
    assert.equal(silencePolicy(s, 'printer_peripheral'), 'close');
    assert.equal(silencePolicy(s, 'password_reset'), 'escalate');
  });
});
