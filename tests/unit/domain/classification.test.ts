import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { adjustForSlaTier, classifyTicket } from '../../../src/domain/classification';

describe('classifyTicket', () => {
  it('routes a plain lockout to automation', () => {
    const c = classifyTicket('Locked out of my account', 'I typed my password wrong too many times');
    assert.equal(c.category, 'password_reset');
    assert.equal(c.route, 'auto');
    assert.equal(c.tier, 1);
  });

  const dangerous: [string, string][] = [
    ['I clicked a phishing link, please reset my password', 'It asked for my password and I typed it in.'],
    ['File server down', 'The file server is not responding for anyone.'],
    ['VPN', 'Whole office cannot connect to the VPN since the firewall update.'],
    ['Laptop stolen', 'My laptop was stolen from my car, it has the VPN client on it.'],
    ['Printer', 'Ransomware note printed on every printer!'],
  ];
  for (const [subject, body] of dangerous) {
    it(`never automates: ${subject}`, () => {
      const c = classifyTicket(subject, body);
      assert.equal(c.category, 'engineering');
      assert.equal(c.route, 'escalate');
      assert.ok(c.tier >= 2);
      assert.ok(c.reasons.some((r) => r.startsWith('never automated')));
    });
  }

  it('escalates what it does not recognise', () => {
    const c = classifyTicket('Question', 'Can we talk about next year budget?');
    assert.equal(c.route, 'escalate');
    assert.equal(c.category, 'engineering');
  });

  it('makes site-wide outages and security incidents P1, with the reason', () => {
    const outage = classifyTicket('Internet down', 'The whole office has no internet');
    assert.equal(outage.priority, 'P1');
    assert.ok(outage.reasons.includes('site-wide outage: P1'));
    assert.equal(classifyTicket('Help', 'A ransom note is on my screen').priority, 'P1');
    assert.equal(classifyTicket('Laptop stolen', 'My laptop was stolen').priority, 'P2');
  });

  it("moves priority one step for the client's SLA tier", () => {
    const base = classifyTicket('Printer jam', 'paper stuck in tray 2');
    assert.equal(adjustForSlaTier(base, 'premium').priority, 'P2');
    assert.ok(adjustForSlaTier(base, 'premium').reasons.includes('premium SLA client'));
    assert.equal(adjustForSlaTier(base, 'basic').priority, 'P4');
    assert.equal(adjustForSlaTier(base, 'standard').priority, 'P3');
    assert.equal(adjustForSlaTier({ ...base, priority: 'P1' }, 'basic').priority, 'P1', 'never demote a P1');
  });

  it('raises priority for urgency and team impact', () => {
    assert.equal(classifyTicket('Printer jam', 'URGENT the whole team cannot print').priority, 'P1');
    assert.equal(classifyTicket('Printer jam', 'paper stuck in tray 2').priority, 'P3');
  });

  it('keeps ordinary remote-access and drive-mapping tickets that name a server for automation', () => {
    for (const [subject, body] of [
      [
        'Windows VPN error 809',
        'The network connection between your computer and the VPN server could not be established',
      ],
      ['S: drive', "At home on the VPN the S: drive (file server) won't map"],
    ]) {
      const c = classifyTicket(subject ?? '', body ?? '');
      assert.equal(c.category, 'vpn_remote_access', subject);
      assert.ok(!c.reasons.some((r) => r.startsWith('never automated')), subject);
    }
  });

  it('reads licence banners as software_access and a locked account as password_reset', () => {
    assert.equal(
      classifyTicket('Word', 'Unlicensed Product in red at the top of Word').category,
      'software_access',
    );
    assert.equal(
      classifyTicket('Teams', 'Teams says: Ask your admin to enable Teams').category,
      'software_access',
    );
    assert.equal(classifyTicket('Adobe', 'Acrobat says my trial has expired').category, 'software_access');
    const locked = classifyTicket('Login', 'account locked, contact your administrator');
    assert.equal(locked.category, 'password_reset');
    assert.ok(locked.reasons.includes('rule: locked account (password_reset)'));
  });

  it('makes ransomware P1 at tier 3 even when the ticket asks for a password reset', () => {
    const note = 'My files end in .locked and a note asks for bitcoin.';
    for (const body of [note, `${note} My password still works, please reset it anyway.`]) {
      const c = classifyTicket('Files', body);
      assert.equal(c.category, 'engineering');
      assert.equal(c.priority, 'P1');
      assert.equal(c.tier, 3);
      assert.ok(c.reasons.includes('security incident: P1'));
    }
  });

  it('reads "team" as impact only when a team is affected, and "no rush" as P4', () => {
    assert.equal(classifyTicket('Teams', 'Please add me to the Sales team in Teams').priority, 'P3');
    assert.equal(classifyTicket('Toner', 'The colour printer toner is low, no rush').priority, 'P4');
  });
});
