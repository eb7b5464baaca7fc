import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { DEMO_CLIENT } from '../../../src/domain/client';
import type { EscalationPackage } from '../../../src/domain/escalation';
import { newTicket, type Ticket } from '../../../src/domain/ticket';
import { contentSecurityPolicy, escapeHtml, htmlResponse } from '../../../src/ops/html';
import { opsListPage, opsTicketPage } from '../../../src/ops/opsPages';

/** Markup in every field people or systems could have written. */
const H = `<x-evil a="1" b='2'>&amp;</x-evil>`;
const ESCAPED = '&#60;x-evil a=&#34;1&#34; b=&#39;2&#39;&#62;&#38;amp;&#60;/x-evil&#62;';
const now = new Date('2026-03-02T12:00:00.000Z');

function hostileTicket(): Ticket {
  const base = newTicket(
    'T-1042',
    {
      clientId: 'demo',
      requester: { name: H, email: `${H}@demo.example` },
      subject: H,
      body: H,
      channel: 'email',
    },
    new Date('2026-03-02T10:00:00.000Z'),
  );
  const pkg: EscalationPackage = {
    ticketId: 'T-1042',
    clientId: 'demo',
    tier: 2,
    reason: H,
    priority: 'P2',
    priorityReasons: [H],
    category: 'software_error',
    confidence: 0.7,
    ticket: { subject: H, body: H, requester: H, channel: 'email', createdAt: base.createdAt },
    conversation: [{ at: base.createdAt, from: H, text: H }],
    automation: {
      attempted: H,
      requesterAnswer: 'no',
      playbook: {
        name: H,
        findings: [H],
        actions: [{ action: 'licence_assigned', target: H, detail: H }],
        stoppedBecause: H,
      },
    },
    systemProfile: { ...DEMO_CLIENT.systemProfile, devices: [H], printers: { [H]: H }, client: H },
    similarTickets: [{ ticketId: 'T-1001', subject: H, resolution: H, score: 1.5 }],
    suggestedSteps: [H],
    resolutionDue: '2026-03-02T14:00:00.000Z',
    createdAt: base.createdAt,
  };
  return {
    ...base,
    stage: 'escalated',
    category: 'software_error',
    priority: 'P2',
    reasons: [H],
    attempted: H,
    escalation: pkg,
    resolution: { by: 'engineer', at: '2026-03-02T11:00:00.000Z', note: H },
    attachments: [{ filename: H, contentType: 'text/plain', size: 3, blob: 'x' }],
  };
}

describe('ops pages escape everything that came from outside', () => {
  it('the list: subjects, client ids and deadline names', () => {
    const page = opsListPage(
      {
        rows: [
          {
            ticketId: 'T-1042',
            ticket: {
              ticketId: 'T-1042',
              clientId: 'demo',
              subject: H,
              stage: 'escalated',
              category: H,
              priority: H,
              tier: 2,
              createdAt: '2026-03-02T10:00:00.000Z',
              updatedAt: '2026-03-02T10:00:00.000Z',
            },
            workflow: {
              runtimeStatus: 'Running',
              nextDeadline: '2026-03-02T11:00:00.000Z',
              nextDeadlineIs: H,
              lastUpdatedTime: '2026-03-02T10:00:00.000Z',
            },
            overdue: true,
          },
        ],
        clients: ['demo', H],
        source: 'window',
        truncated: false,
        now: now.toISOString(),
      },
      { client: 'demo', overdue: false, failed: false, limit: 100 },
    );
    assert.doesNotMatch(page.body, /<x-evil/);
    assert.ok(page.body.includes(ESCAPED));
    assert.match(page.body, /<strong class="flag">Overdue<\/strong>/);
    assert.match(page.body, /data-client="demo"/);
  });

  it('the ticket page: fields, package, conversation, timeline, history, failure and alerts', () => {
    const page = opsTicketPage({
      ticket: hostileTicket(),
      timeline: [{ step: H, at: '2026-03-02T10:00:00.000Z', note: H }],
      conversation: [{ at: '2026-03-02T10:00:00.000Z', from: H, text: H }],
      workflow: {
        ticketId: 'T-1042',
        runtimeStatus: 'Failed',
        createdTime: '2026-03-02T10:00:00.000Z',
        lastUpdatedTime: '2026-03-02T10:05:00.000Z',
        customStatus: { phase: H, nextDeadline: '2026-03-02T11:00:00.000Z', nextDeadlineIs: H },
        output: H,
        history: [
          { type: 'TaskFailed', at: '2026-03-02T10:05:00.000Z', name: H, detail: H },
          { type: 'TimerCreated', at: '2026-03-02T10:05:00.000Z', detail: '2026-03-02T11:00:00.000Z' },
        ],
      },
      alerts: {
        raised: [
          {
            key: H,
            ticketId: 'T-1042',
            clientId: 'demo',
            tier: 2,
            kind: 'escalation',
            message: H,
            at: '2026-03-02T10:00:00.000Z',
          },
        ],
        failed: [
          {
            ticketId: 'T-1042',
            notificationKey: H,
            channel: 'webhook',
            audience: 'tier2',
            kind: H,
            attempt: 5,
            error: H,
            at: '2026-03-02T10:00:00.000Z',
          },
        ],
      },
      now,
    });
    assert.doesNotMatch(page.body, /<x-evil/);
    assert.ok(page.body.split(ESCAPED).length > 25, 'every field shows, escaped');
    assert.equal(page.script, undefined, 'the ticket page runs no script');
    assert.match(page.body, /<dt>What failed<\/dt>/);
    assert.match(page.body, /fires <time datetime="2026-03-02T11:00:00.000Z">2026-03-02 11:00:00<\/time>/);
  });

  it('says so when there is no workflow, package or alert', () => {
    const ticket = { ...hostileTicket(), escalation: undefined, resolution: undefined, subject: 'Printer' };
    const page = opsTicketPage({
      ticket,
      timeline: [],
      conversation: [],
      alerts: { raised: [], failed: [] },
      now,
    });
    assert.match(page.body, /No Durable instance/);
    assert.match(page.body, /Not escalated/);
    assert.match(page.body, /Not resolved yet/);
    assert.match(page.body, /No alert delivery failed/);
  });
});

describe('ops page responses', () => {
  it('allow exactly their own style and script by hash, and nothing else', () => {
    const page = { title: 't', body: '', style: 'p{color:red}', script: 'console.log(1)' };
    const hash = (s: string) => createHash('sha256').update(s).digest('base64');
    const csp = contentSecurityPolicy(page);
    assert.match(csp, new RegExp(`style-src 'sha256-${hash(page.style).replace(/[+/]/g, '\\$&')}'`));
    assert.match(csp, new RegExp(`script-src 'sha256-${hash(page.script).replace(/[+/]/g, '\\$&')}'`));
    assert.match(contentSecurityPolicy({ style: '' }), /script-src 'none'/);
    const res = htmlResponse(200, page);
    assert.equal((res.headers as Record<string, string>)['cache-control'], 'no-store');
    assert.equal((res.headers as Record<string, string>)['x-content-type-options'], 'nosniff');
    assert.match(res.body as string, /^<!doctype html><html lang="en">/);
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&`),
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;',
    );
  });
});
