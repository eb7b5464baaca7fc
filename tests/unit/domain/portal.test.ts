import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  RATING_LINK_LIFETIME_MS,
  signConfirmToken,
  verifyConfirmToken,
} from '../../../src/domain/confirmLink';
import type { KbArticle } from '../../../src/domain/kb';
import { acknowledgementMail } from '../../../src/domain/messages';
import {
  publicTimeline,
  signFormToken,
  signStatusToken,
  STATUS_LINK_LIFETIME_MS,
  suggestArticles,
  verifyFormToken,
  verifyStatusToken,
} from '../../../src/domain/portal';
import { newTicket } from '../../../src/domain/ticket';

const KEY = 'k'.repeat(40);
const NOW = Date.parse('2026-03-02T10:00:00Z');
const ticket = { ticketId: 'T-1001', clientId: 'demo', createdAt: '2026-03-02T10:00:00.000Z' };

const article = (over: Partial<KbArticle>): KbArticle => ({
  articleId: 'a',
  clientId: 'demo',
  category: 'printer_peripheral',
  title: 'Printer offline',
  steps: ['Turn it off and on'],
  tags: ['printer'],
  images: [],
  uses: 0,
  successes: 0,
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});

describe('portal status tokens', () => {
  it('are long-lived, bound to client and ticket, and deterministic per ticket', () => {
    const token = signStatusToken(ticket, KEY);
    assert.equal(token, signStatusToken(ticket, KEY));
    assert.deepEqual(verifyStatusToken(token, 'demo', 'T-1001', KEY, NOW + 300 * 86_400_000), {
      ok: true,
      value: true,
    });
    assert.ok(STATUS_LINK_LIFETIME_MS > RATING_LINK_LIFETIME_MS);
    assert.deepEqual(verifyStatusToken(token, 'demo', 'T-1001', KEY, NOW + STATUS_LINK_LIFETIME_MS + 1), {
      ok: false,
      reason: 'expired',
    });
    assert.equal(verifyStatusToken(token, 'demo', 'T-1002', KEY, NOW).ok, false);
    assert.equal(verifyStatusToken(token, 'other', 'T-1001', KEY, NOW).ok, false);
    assert.deepEqual(verifyStatusToken(token, 'demo', 'T-1001', 'x'.repeat(40), NOW), {
      ok: false,
      reason: 'bad_signature',
    });
    assert.deepEqual(verifyStatusToken('garbage', 'demo', 'T-1001', KEY, NOW), {
      ok: false,
      reason: 'malformed',
    });
  });

  it('never stand in for a confirmation token, nor a confirmation token for them', () => {
    const confirm = signConfirmToken({ ticketId: 'T-1001', nonce: 'n', expiresAt: NOW + 1000 }, KEY);
    assert.equal(verifyStatusToken(confirm, 'demo', 'T-1001', KEY, NOW).ok, false);
    assert.equal(verifyConfirmToken(signStatusToken(ticket, KEY), 'T-1001', KEY, NOW).ok, false);
  });

  it('form tokens name one visit to one client’s form', () => {
    const form = signFormToken('demo', 'visit-1', NOW, KEY);
    assert.deepEqual(verifyFormToken(form, 'demo', KEY, NOW), { ok: true, value: 'visit-1' });
    assert.equal(verifyFormToken(form, 'other', KEY, NOW).ok, false);
    assert.equal(verifyFormToken(form, 'demo', KEY, NOW + 2 * 86_400_000).ok, false);
    assert.equal(verifyStatusToken(form, 'demo', 'visit-1', KEY, NOW).ok, false);
  });
});

describe('suggestArticles', () => {
  const articles = [
    article({
      articleId: 'printer',
      title: 'Getting the printer working again',
      tags: ['printer', 'offline'],
    }),
    article({
      articleId: 'vpn',
      title: 'VPN keeps dropping',
      tags: ['vpn', 'forticlient'],
      category: 'vpn_remote_access',
    }),
    article({ articleId: 'other-client', clientId: 'acme', title: 'Printer at Acme' }),
    article({ articleId: 'general', clientId: '*', title: 'Resetting your password', tags: ['password'] }),
  ];
  it('finds the client’s own and the general articles, best first, never another client’s', () => {
    const found = suggestArticles(articles, 'demo', 'my printer is offlin');
    assert.equal(found[0]?.id, 'printer');
    assert.equal(found[0]?.score, 1);
    assert.ok(!found.some((f) => f.id === 'other-client'));
    assert.equal(suggestArticles(articles, 'demo', 'forgot my password')[0]?.id, 'general');
  });
  it('needs a few letters', () => {
    assert.deepEqual(suggestArticles(articles, 'demo', 'pr'), []);
  });
});

describe('publicTimeline', () => {
  it('shows stage changes in public words and never a note', () => {
    const view = publicTimeline([
      { step: 'acknowledged', at: '2026-03-02T10:00:00Z', stage: 'received', note: 'Acknowledged' },
      { step: 'escalated', at: '2026-03-02T10:02:00Z', stage: 'escalated', note: 'Reason: server down, VIP' },
      { step: 'plan', at: '2026-03-02T10:03:00Z', note: 'INTERNAL plan: restore snapshot' },
      { step: 'handed-up', at: '2026-03-02T10:04:00Z', stage: 'escalated', note: 'tier 3' },
    ]);
    assert.deepEqual(
      view.map((v) => v.text),
      ['We received your request', 'An engineer has your request'],
    );
    assert.ok(!JSON.stringify(view).includes('INTERNAL'));
  });
});

describe('acknowledgementMail with a portal status link', () => {
  it('links to the status page when the ticket has one, and says nothing of it otherwise', () => {
    const base = newTicket(
      'T-1001',
      { clientId: 'demo', requester: { email: 'a@demo.example' }, subject: 'x', body: '', channel: 'portal' },
      new Date(NOW),
    );
    const link = 'https://support.example/api/portal/demo/tickets/T-1001?token=abc.def';
    assert.ok(acknowledgementMail({ ...base, statusLink: link }).text.includes(link));
    assert.doesNotMatch(acknowledgementMail(base).text, /portal/);
  });
});
