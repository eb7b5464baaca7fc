import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { alertRoutingSummary, deliverAlertFunctionName } from '../../../src/alerts/deliverAlert';

describe('deliverAlert registration', () => {
  it('says at start-up that, without AUTOTIER_NOTIFY, alerts stay in their queues', () => {
    assert.equal(
      alertRoutingSummary(undefined, 'autotier-tier'),
      'AUTOTIER_NOTIFY is not set: alerts are not delivered and stay in the queues autotier-tier1, autotier-tier2, autotier-tier3, autotier-tieroncall',
    );
  });

  it('names the delivered audiences and their channel kinds, never a URL, and the queues left alone', () => {
    const summary = alertRoutingSummary(
      {
        tier1: { webhook: 'https://example.logic.azure.com/x?sig=SECRET', email: 't1@msp.example' },
        oncall: { email: 'oncall@msp.example' },
      },
      'autotier-tier',
    );
    assert.equal(
      summary,
      'alerts are delivered to tier1 (Teams webhook and email), oncall (email); no channel for the others, whose alerts stay in autotier-tier2, autotier-tier3',
    );
    assert.doesNotMatch(summary, /SECRET|logic\.azure/);
  });

  it('names one function per audience', () => {
    assert.equal(deliverAlertFunctionName('tier3'), 'deliverAlertTier3');
    assert.equal(deliverAlertFunctionName('oncall'), 'deliverAlertOncall');
  });
});
