import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HttpRequest } from '@azure/functions';

import type { KbArticle } from '../../../src/domain/kb';
import { signFormToken } from '../../../src/domain/portal';
import { RATE_LIMITS } from '../../../src/portal/portalAccess';
import { portalSolvedHandler } from '../../../src/portal/portalSolved';
import { MemoryClients, MemoryOutcomes, MemoryTokens } from '../../support/fakes';

const KEY = 'k'.repeat(40);
const NOW = new Date('2026-03-02T10:00:00Z');
const ARTICLE: KbArticle = {
  articleId: 'printer-hp-m404',
  clientId: 'demo',
  category: 'printer_peripheral',
  title: 'HP printer offline',
  steps: ['Press the power button.'],
  tags: [],
  images: [],
  uses: 0,
  successes: 0,
  updatedAt: '2026-03-01T00:00:00Z',
};

function setup(easyAuth = false) {
  const outcomes = new MemoryOutcomes();
  const tokens = new MemoryTokens();
  let now = NOW;
  const solved = portalSolvedHandler({
    clients: new MemoryClients(),
    kb: { forClient: () => Promise.resolve([ARTICLE]) },
    outcomes,
    tokens,
    linkSigningKey: KEY,
    easyAuth,
    now: () => now,
  });
  const post = (visit: string, ip: string, headers: Record<string, string> = {}) =>
    solved(
      new HttpRequest({
        method: 'POST',
        url: 'https://support.example/api/portal/demo/solved',
        params: { clientId: 'demo' },
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          'x-forwarded-for': `${ip}:50123, 10.0.0.1`,
          ...headers,
        },
        body: {
          string: new URLSearchParams({
            form: signFormToken('demo', visit, now.getTime(), KEY),
            article: ARTICLE.articleId,
          }).toString(),
        },
      }),
    );
  return { post, outcomes, later: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('POST /api/portal/{clientId}/solved handler', () => {
  it(`limits "this solved it" to ${RATE_LIMITS.solvedPerIpPerHour} an hour per caller IP: 429 with Retry-After, nothing counted past it`, async () => {
    const { post, outcomes, later } = setup();
    for (let i = 0; i < RATE_LIMITS.solvedPerIpPerHour; i++)
      assert.equal((await post(`visit-${i}`, '203.0.113.7')).status, 200, `click ${i + 1}`);
    const limited = await post('visit-over', '203.0.113.7');
    assert.equal(limited.status, 429);
    assert.equal((limited.headers as Record<string, string>)['retry-after'], '3600');
    assert.match(String((limited.jsonBody as { error: string }).error), /at most 30 per network/);
    assert.equal(
      outcomes.deflections.size,
      RATE_LIMITS.solvedPerIpPerHour,
      'the refused click counted nothing',
    );
    assert.equal(
      (await post('visit-other-ip', '198.51.100.9')).status,
      200,
      'another network is not limited',
    );
    later(60 * 60 * 1000);
    assert.equal((await post('visit-next-hour', '203.0.113.7')).status, 200, 'the next hour has new slots');
  });

  it('does not limit a requester signed in with Entra ID', async () => {
    const { post } = setup(true);
    const principal = Buffer.from(
      JSON.stringify({ claims: [{ typ: 'preferred_username', val: 'ana@demo.example' }] }),
    ).toString('base64');
    for (let i = 0; i <= RATE_LIMITS.solvedPerIpPerHour; i++)
      assert.equal(
        (await post(`visit-${i}`, '203.0.113.7', { 'x-ms-client-principal': principal })).status,
        200,
      );
  });
});
