import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DEMO_CLIENT } from '../../../src/domain/client';
import { ALL_CLIENTS, bestArticle, type KbArticle, kbCandidates, successRate } from '../../../src/domain/kb';

const article = (over: Partial<KbArticle>): KbArticle => ({
  articleId: 'a',
  clientId: ALL_CLIENTS,
  category: 'vpn_remote_access',
  title: 'VPN help',
  steps: ['Restart the VPN'],
  tags: [],
  images: [],
  uses: 0,
  successes: 0,
  updatedAt: '2026-03-02T10:00:00Z',
  ...over,
});

describe('choosing a knowledge-base article', () => {
  it("prefers the client's own article for its own VPN product", () => {
    const general = article({ articleId: 'vpn-general', title: 'Connecting to the VPN' });
    const mine = article({
      articleId: 'vpn-forti',
      clientId: 'demo',
      title: 'FortiClient',
      variant: { vpnProduct: 'FortiClient' },
    });
    const other = article({
      articleId: 'vpn-gp',
      clientId: 'demo',
      title: 'GlobalProtect',
      variant: { vpnProduct: 'GlobalProtect' },
    });
    assert.equal(
      bestArticle([general, other, mine], 'vpn_remote_access', DEMO_CLIENT, 'vpn will not connect')
        ?.articleId,
      'vpn-forti',
    );
    assert.equal(
      bestArticle([general, other], 'vpn_remote_access', DEMO_CLIENT, 'vpn will not connect')?.articleId,
      'vpn-general',
      'a variant for another product never fits',
    );
  });

  it("never uses another client's article, or one from another category", () => {
    const theirs = article({ articleId: 'x', clientId: 'globex' });
    const printer = article({ articleId: 'p', category: 'printer_peripheral' });
    assert.equal(bestArticle([theirs, printer], 'vpn_remote_access', DEMO_CLIENT, 'vpn'), undefined);
  });

  it('ranks by relevance to the ticket, then by success rate', () => {
    const outlook = article({
      articleId: 'outlook',
      category: 'software_error',
      title: 'Outlook keeps crashing',
      steps: ['Start Outlook in safe mode'],
    });
    const excel = article({
      articleId: 'excel',
      category: 'software_error',
      title: 'Excel will not open',
      steps: ['Repair Office'],
    });
    assert.equal(
      bestArticle([excel, outlook], 'software_error', DEMO_CLIENT, 'outlook crashes on start')?.articleId,
      'outlook',
    );
    const proven = article({
      articleId: 'proven',
      category: 'software_error',
      title: 'Fix app errors',
      uses: 20,
      successes: 19,
    });
    const unproven = article({
      articleId: 'unproven',
      category: 'software_error',
      title: 'Fix app errors',
      uses: 20,
      successes: 2,
    });
    assert.equal(
      bestArticle([unproven, proven], 'software_error', DEMO_CLIENT, 'something else')?.articleId,
      'proven',
    );
    assert.equal(successRate({ uses: 0, successes: 0 }), 0.5);
  });
});

describe('knowledge-base candidates', () => {
  it('groups recurring escalations with overlapping subjects', () => {
    const e = (ticketId: string, subject: string) => ({
      ticketId,
      subject,
      category: 'software_error' as const,
    });
    const groups = kbCandidates([
      e('T-1', 'Sage payroll export error'),
      e('T-2', 'Error on Sage payroll export'),
      e('T-3', 'Sage payroll export error again'),
      e('T-4', 'Teams camera black'),
    ]);
    assert.equal(groups.length, 1);
    assert.deepEqual(groups[0]?.ticketIds, ['T-1', 'T-2', 'T-3']);
  });
});
