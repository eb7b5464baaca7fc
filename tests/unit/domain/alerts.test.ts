import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  alertCard,
  type AlertFacts,
  alertMail,
  audienceOf,
  parseAlertRouting,
} from '../../../src/domain/alerts';
import { alertQueueName } from '../../../src/names';

const SIGNED =
  'https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sv=1.0&sig=TOPSECRETSIG';

/** The error `parseAlertRouting` throws for a value, which must never quote the signature. */
function refusal(value: string): string {
  try {
    parseAlertRouting(value);
  } catch (err) {
    const message = (err as Error).message;
    assert.doesNotMatch(message, /TOPSECRETSIG|logic\.azure\.com/, 'the error quotes the webhook URL');
    return message;
  }
  assert.fail(`${value} was accepted`);
}

describe('AUTOTIER_NOTIFY', () => {
  it('reads each audience with its optional channels', () => {
    assert.deepEqual(
      parseAlertRouting(
        JSON.stringify({
          tier1: { webhook: SIGNED, email: 'tier1@msp.example' },
          tier3: { email: 'tier3@msp.example' },
          oncall: { webhook: SIGNED },
        }),
      ),
      {
        tier1: { webhook: SIGNED, email: 'tier1@msp.example' },
        tier3: { email: 'tier3@msp.example' },
        oncall: { webhook: SIGNED },
      },
    );
  });

  it('unset or blank (the Bicep writes an empty value) is no routing', () => {
    assert.equal(parseAlertRouting(undefined), undefined);
    assert.equal(parseAlertRouting(''), undefined);
    assert.equal(parseAlertRouting('  '), undefined);
  });

  it('bad JSON: an error naming the setting, without the text JSON.parse would quote', () => {
    assert.equal(refusal(`{"tier1": {"webhook": "${SIGNED}"`), 'AUTOTIER_NOTIFY is not valid JSON');
    assert.equal(refusal(`{tier1: "${SIGNED}"}`), 'AUTOTIER_NOTIFY is not valid JSON');
  });

  it('an unknown audience or channel is named, with the ones that exist', () => {
    assert.equal(
      refusal(JSON.stringify({ tier4: { email: 'x@msp.example' } })),
      'AUTOTIER_NOTIFY: unknown audience "tier4" (the audiences are tier1, tier2, tier3, oncall)',
    );
    assert.equal(
      refusal(JSON.stringify({ tier2: { teams: SIGNED } })),
      'AUTOTIER_NOTIFY: tier2: unknown channel "teams" (the channels are webhook and email)',
    );
    // A URL pasted where a key goes is not repeated.
    assert.match(refusal(JSON.stringify({ [SIGNED]: {} })), /^AUTOTIER_NOTIFY: unknown audience a key/);
  });

  it('refuses a webhook that is not https (plain http only to this machine), a bad address, an empty audience', () => {
    assert.equal(
      refusal(JSON.stringify({ tier1: { webhook: SIGNED.replace('https:', 'http:') } })),
      'AUTOTIER_NOTIFY: tier1.webhook: must be an https URL',
    );
    assert.equal(
      refusal(JSON.stringify({ oncall: { webhook: 'not a url TOPSECRETSIG' } })),
      'AUTOTIER_NOTIFY: oncall.webhook: must be an https URL',
    );
    assert.deepEqual(parseAlertRouting(JSON.stringify({ tier1: { webhook: 'http://127.0.0.1:9/hook' } })), {
      tier1: { webhook: 'http://127.0.0.1:9/hook' },
    });
    assert.equal(
      refusal(JSON.stringify({ tier1: { email: 'not-an-address' } })),
      'AUTOTIER_NOTIFY: tier1.email: must be an email address',
    );
    assert.match(refusal(JSON.stringify({ tier2: {} })), /^AUTOTIER_NOTIFY: tier2: names no channel/);
    assert.match(refusal(JSON.stringify({ tier2: SIGNED })), /^AUTOTIER_NOTIFY: tier2: must be an object/);
    assert.match(refusal(JSON.stringify([SIGNED])), /^AUTOTIER_NOTIFY: must be a JSON object of audiences/);
  });
});

describe('alert audiences and queues', () => {
  it('routes on-call pages to their own audience and everything else by tier, clamped to 1..3', () => {
    assert.equal(audienceOf({ tier: 2 }), 'tier2');
    assert.equal(audienceOf({ tier: 3, audience: 'oncall' }), 'oncall');
    assert.equal(audienceOf({ tier: 0 }), 'tier1');
    assert.equal(audienceOf({ tier: 7 }), 'tier3');
    assert.equal(alertQueueName('autotier-tier', 'tier2'), 'autotier-tier2');
    assert.equal(alertQueueName('autotier-tier', 'oncall'), 'autotier-tieroncall');
  });
});

describe('the alert card and mail', () => {
  const alert: AlertFacts = {
    key: 'escalate-1',
    ticketId: 'T-1042',
    clientId: 'demo',
    tier: 2,
    kind: 'escalation',
    message: 'P2 vpn_remote_access: VPN down [click](https://evil.example) (the requester said no)',
    at: '2026-03-02T10:00:00.000Z',
  };
  const ctx = { audience: 'tier2' as const, publicBaseUrl: 'https://autotier.example/', priority: 'P2' };

  it('is a Workflows message with one Adaptive Card: headline, reason, facts and a link to the ticket', () => {
    const card = alertCard(alert, ctx) as {
      type: string;
      attachments: { contentType: string; contentUrl: null; content: Record<string, unknown> }[];
    };
    assert.equal(card.type, 'message');
    assert.equal(card.attachments.length, 1);
    const [attachment] = card.attachments;
    assert.equal(attachment?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(attachment?.contentUrl, null);
    const content = attachment?.content as {
      type: string;
      version: string;
      body: { type: string; text?: string; facts?: { title: string; value: string }[] }[];
      actions: { type: string; url: string }[];
    };
    assert.equal(content.type, 'AdaptiveCard');
    assert.equal(content.version, '1.4');
    assert.equal(content.body[0]?.text, 'Escalated: T-1042 (P2)');
    assert.match(content.body[1]?.text ?? '', /VPN down .*the requester said no/);
    assert.doesNotMatch(content.body[1]?.text ?? '', /\]\(/, 'a markdown link from ticket text is broken up');
    assert.deepEqual(
      content.body[2]?.facts?.map((f) => `${f.title}=${f.value}`),
      [
        'Ticket=T-1042',
        'Client=demo',
        'Priority=P2',
        'Kind=Escalated',
        'For=tier 2',
        'At=2026-03-02T10:00:00.000Z',
      ],
    );
    assert.deepEqual(content.actions, [
      { type: 'Action.OpenUrl', title: 'Open T-1042', url: 'https://autotier.example/api/tickets/T-1042' },
    ]);
  });

  it('names no ticket to open for an alert about the system itself', () => {
    const content = (
      alertCard({ ...alert, ticketId: '_alerts', kind: 'alert_poison' }, ctx) as {
        attachments: { content: { actions?: unknown } }[];
      }
    ).attachments[0]?.content;
    assert.equal(content?.actions, undefined);
  });

  it('mails the same facts with the link, and no subject token a reply would thread on', () => {
    const mail = alertMail(alert, ctx, 'tier2@msp.example');
    assert.equal(mail.to, 'tier2@msp.example');
    assert.equal(mail.subject, 'autotier tier 2: Escalated: T-1042 (P2) (demo)');
    assert.doesNotMatch(mail.subject, /\[#T-/);
    assert.match(mail.text, /Ticket: T-1042\nClient: demo\nPriority: P2/);
    assert.match(mail.text, /Open the ticket: https:\/\/autotier\.example\/api\/tickets\/T-1042/);
    assert.match(mail.html, /the requester said no/);
  });
});
