import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { type AccessProduct, DEMO_CLIENT } from '../../../src/domain/client';
import { buildEscalationPackage } from '../../../src/domain/escalation';
import { bestArticle, type KbArticle, matchesKnownError } from '../../../src/domain/kb';
import {
  accessDecision,
  maskAddress,
  mentionsLockout,
  PLAYBOOK_CONTRACTS,
  productsNamed,
} from '../../../src/domain/playbook';
import { escalationNote } from '../../../src/domain/psa';
import { newTicket } from '../../../src/domain/ticket';

const visio: AccessProduct = {
  product: 'Visio',
  aliases: ['visio plan 2'],
  sku: 'VISIOCLIENT',
  selfService: true,
};
const office: AccessProduct = {
  product: 'Microsoft 365 Apps',
  aliases: ['office'],
  sku: 'O365',
  selfService: true,
};

describe('playbook rules', () => {
  it('has a contract for every category automation may touch', () => {
    for (const contract of Object.values(PLAYBOOK_CONTRACTS)) {
      assert.ok(contract.preconditions.length && contract.actions.length, contract.category);
      assert.ok(contract.requesterIsTold && contract.confirmedBy && contract.onFailure, contract.category);
    }
    assert.deepEqual(Object.keys(PLAYBOOK_CONTRACTS).sort(), [
      'password_reset',
      'printer_peripheral',
      'software_access',
      'software_error',
      'vpn_remote_access',
    ]);
  });

  it('finds catalogue products by name or alias as whole words', () => {
    assert.deepEqual(productsNamed([visio, office], 'Can I get Visio please?'), [visio]);
    assert.deepEqual(productsNamed([visio, office], 'need VISIO PLAN 2 for diagrams'), [visio]);
    assert.deepEqual(productsNamed([visio, office], 'my office chair is broken? no: Office won’t open'), [
      office,
    ]);
    assert.deepEqual(productsNamed([visio, office], 'television'), []);
  });

  it('allows self-service products within the approval limit only', () => {
    const policy = { approvalAboveMonthlyCost: 20, products: [] };
    assert.deepEqual(accessDecision({ ...visio, monthlyCost: 12 }, policy), { allowed: true });
    assert.deepEqual(accessDecision({ ...visio, monthlyCost: 20 }, policy), { allowed: true });
    const dear = accessDecision({ ...visio, monthlyCost: 21 }, policy);
    assert.ok(!dear.allowed && /above the client's approval limit of 20/.test(dear.reason));
    const listed = accessDecision({ ...visio, selfService: false }, policy);
    assert.ok(!listed.allowed && /not on the client's self-service list/.test(listed.reason));
  });

  it('recognises lockouts and masks addresses', () => {
    for (const t of ['I am locked out', 'account locked', 'Lockout again', 'locked-out of Windows'])
      assert.ok(mentionsLockout(t), t);
    assert.ok(!mentionsLockout('I forgot my password'));
    assert.equal(maskAddress('sam.home@example.org'), 's***@example.org');
  });

  it('matches a known error by its specific tags, never by "error" alone', () => {
    const a = { tags: ['outlook', 'error', '0x80070005'] };
    assert.ok(matchesKnownError(a, 'Outlook will not open'));
    assert.ok(matchesKnownError(a, 'Update failed with 0x80070005.'));
    assert.ok(!matchesKnownError(a, 'Sage shows an error'));
    assert.ok(!matchesKnownError(a, 'outlookish'));
  });

  it("picks the printer guide for the requester's site", () => {
    const base = {
      clientId: 'demo',
      category: 'printer_peripheral' as const,
      steps: ['x'],
      tags: [],
      images: [],
      uses: 0,
      successes: 0,
      updatedAt: '',
    };
    const hp: KbArticle = {
      ...base,
      articleId: 'hp',
      title: 'Printer offline',
      variant: { printerModel: 'HP LaserJet Pro M404' },
    };
    const brother: KbArticle = {
      ...base,
      articleId: 'br',
      title: 'Printer offline',
      variant: { printerModel: 'Brother HL-L2350DW' },
    };
    const pick = (site?: string) =>
      bestArticle([hp, brother], 'printer_peripheral', DEMO_CLIENT, 'printer offline', { site })?.articleId;
    assert.equal(pick('Riverside'), 'br');
    assert.equal(pick('Main Street'), 'hp');
  });

  it('puts what the playbook checked and did in the PSA note', () => {
    const ticket = {
      ...newTicket(
        'T-1001',
        {
          clientId: 'demo',
          requester: { email: 'sam@demo.example' },
          subject: 'Need Visio',
          body: '',
          channel: 'api',
        },
        new Date('2026-03-02T10:00:00Z'),
      ),
      playbook: {
        name: 'Licence or group access',
        findings: ['VISIOCLIENT: 10 of 10 seats in use.'],
        actions: [],
        stoppedBecause: 'no free Visio licence',
      },
    };
    const pkg = buildEscalationPackage({
      ticket,
      timeline: [],
      conversation: [],
      client: DEMO_CLIENT,
      similar: [],
      tier: 1,
      reason: 'no free Visio licence',
      attempted: null,
      answer: 'none',
      at: '2026-03-02T10:00:05Z',
    });
    const note = escalationNote(pkg);
    assert.match(note, /Playbook "Licence or group access" stopped: no free Visio licence/);
    assert.match(note, /- checked: VISIOCLIENT: 10 of 10 seats in use\./);
  });
});
