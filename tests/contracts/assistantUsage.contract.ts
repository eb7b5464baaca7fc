import assert from 'node:assert/strict';
import { it } from 'node:test';

import type { AssistantUsage, AssistantUsageLedger } from '../../src/ports/assistant';

const use = (over: Partial<AssistantUsage>): AssistantUsage => ({
  clientId: 'acme',
  day: '2026-03-02',
  key: 'T-1001.classify-1.triage',
  use: 'triage',
  calls: 1,
  tokens: 300,
  fallback: false,
  ...over,
});

/** What every AssistantUsageLedger does; `make` gives an empty one. */
export function assistantUsageContract(make: () => Promise<AssistantUsageLedger>): void {
  it("counts a client's tokens per UTC day: not another client's, not another day's", async () => {
    const ledger = await make();
    assert.equal(await ledger.tokensOn('acme', '2026-03-02'), 0);
    await ledger.record(use({}));
    await ledger.record(use({ key: 'T-1002.escalate-2.briefing', use: 'briefing', tokens: 500 }));
    await ledger.record(use({ clientId: 'globex', tokens: 9000 }));
    await ledger.record(use({ day: '2026-03-01', tokens: 7000 }));
    await ledger.record(use({ day: '2026-03-03', tokens: 6000 }));
    assert.equal(await ledger.tokensOn('acme', '2026-03-02'), 800);
    assert.equal(await ledger.tokensOn('globex', '2026-03-02'), 9000);
    assert.equal(await ledger.tokensOn('acme', '2026-03-04'), 0);
    assert.equal(await ledger.tokensOn('initech', '2026-03-02'), 0);
  });

  it('counts one use once per (ticket, step, use): a retry replaces its own record, fallback included', async () => {
    const ledger = await make();
    await ledger.record(use({ calls: 1, tokens: 0, fallback: true, reason: 'timeout' }));
    await ledger.record(use({ calls: 1, tokens: 420 }));
    await ledger.record(use({ calls: 1, tokens: 420 }));
    // The same ticket and step for another use, and the same use at another step, are uses of their own.
    await ledger.record(use({ key: 'T-1001.classify-1.reply', use: 'reply', tokens: 100 }));
    await ledger.record(use({ key: 'T-1001.classify-2.triage', tokens: 50 }));
    assert.equal(await ledger.tokensOn('acme', '2026-03-02'), 570);
    const day = { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-03T00:00:00Z') };
    assert.deepEqual(await ledger.totals('acme', day.from, day.to), { calls: 3, tokens: 570, fallbacks: 0 });
  });

  it('keeps keys with characters a table key refuses, and long ones, apart and idempotent', async () => {
    const ledger = await make();
    const odd = 'T-1001.reply/3#?.reply';
    const long = `T-1001.${'x'.repeat(300)}.briefing`;
    await ledger.record(use({ key: odd, use: 'reply', tokens: 10 }));
    await ledger.record(use({ key: odd, use: 'reply', tokens: 10 }));
    await ledger.record(use({ key: long, use: 'briefing', tokens: 20 }));
    await ledger.record(use({ key: long, use: 'briefing', tokens: 20 }));
    await ledger.record(use({ key: `${long}x`, use: 'briefing', tokens: 40 }));
    assert.equal(await ledger.tokensOn('acme', '2026-03-02'), 70);
  });

  it('sums calls, tokens and fallbacks over the UTC days a range [from, to) touches', async () => {
    const ledger = await make();
    await ledger.record(use({ day: '2026-02-28', key: 'T-1.a.triage', tokens: 1 }));
    await ledger.record(use({ day: '2026-03-01', key: 'T-2.a.triage', tokens: 10 }));
    await ledger.record(
      use({ day: '2026-03-01', key: 'T-3.a.triage', calls: 0, tokens: 0, fallback: true, reason: 'budget' }),
    );
    await ledger.record(use({ day: '2026-03-02', key: 'T-4.a.briefing', use: 'briefing', tokens: 100 }));
    await ledger.record(
      use({
        day: '2026-03-02',
        key: 'T-5.a.reply',
        use: 'reply',
        tokens: 0,
        fallback: true,
        reason: 'invalid',
      }),
    );
    await ledger.record(use({ day: '2026-03-03', key: 'T-6.a.triage', tokens: 1000 }));
    await ledger.record(use({ clientId: 'globex', day: '2026-03-02', key: 'T-7.a.triage', tokens: 5000 }));
    // From the middle of 1 March to midnight of 3 March: 1 and 2 March, not the 3rd.
    assert.deepEqual(
      await ledger.totals('acme', new Date('2026-03-01T12:00:00Z'), new Date('2026-03-03T00:00:00Z')),
      { calls: 3, tokens: 110, fallbacks: 2 },
    );
    // One instant into the 3rd takes the whole of the 3rd.
    assert.deepEqual(
      await ledger.totals('acme', new Date('2026-03-02T00:00:00Z'), new Date('2026-03-03T00:00:00.001Z')),
      { calls: 3, tokens: 1100, fallbacks: 1 },
    );
    assert.deepEqual(
      await ledger.totals('initech', new Date('2026-03-01T00:00:00Z'), new Date('2026-03-04T00:00:00Z')),
      { calls: 0, tokens: 0, fallbacks: 0 },
    );
  });
}
