import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { TableTicketStore } from '../../src/adapters/tables/tableTicketStore';
import { orchestrationInstanceId } from '../../src/domain/ticket';
import { startTestRuntime, type TestRuntime } from './runtime';
import { table } from './storage';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface TicketView {
  ticketId: string;
  stage: string;
  category: string;
  priority: string;
  tier: number;
  attempted: string | null;
  reopens: number;
  sla: { resolutionDue?: string; paused: boolean; warned: boolean; breached: boolean } | null;
  timeline: { step: string; note: string; at: string }[];
  workflow: { stage: string; phase: string; nextDeadline?: string; nextDeadlineIs?: string } | null;
  escalation?: {
    tier: number;
    reason: string;
    automation: { attempted: string | null; requesterAnswer: string };
    conversation: { from: string; text: string }[];
    systemProfile: { client: string };
    suggestedSteps: string[];
  };
}

/** The app's HTTP API as a requester, an engineer and a test see it. */
export function ticketApi(rt: TestRuntime) {
  const api = {
    async file(email: string, subject: string, body: string, name = 'Sam Lee'): Promise<string> {
      const res = await rt.post('/api/tickets', {
        clientId: 'demo',
        requester: { name, email },
        subject,
        body,
      });
      assert.equal(res.status, 202);
      const { ticketId } = (await res.json()) as { ticketId: string };
      await rt.runtime.drain();
      return ticketId;
    },
    /** A mouse ticket whose guide the requester confirms: resolved, in its reopen window. */
    async fixedMouse(email: string): Promise<string> {
      const id = await api.file(email, 'Mouse not working', 'My wireless mouse stopped working');
      await api.click(api.link((await api.mails(email))[1], 'yes'));
      return id;
    },
    async view(ticketId: string): Promise<TicketView> {
      const res = await rt.get(`/api/tickets/${ticketId}`);
      assert.equal(res.status, 200);
      return (await res.json()) as TicketView;
    },
    /** When the request that filed the ticket acknowledged it, as its workflow was told. */
    async acknowledgedAt(ticketId: string): Promise<string | undefined> {
      const res = await rt.get(`/durabletask/instances/ticket-${ticketId}`);
      return ((await res.json()) as { input?: { acknowledgedAt?: string } }).input?.acknowledgedAt;
    },
    async mails(email: string): Promise<Mail[]> {
      return (await (await rt.get(`/api/dev/outbox?to=${encodeURIComponent(email)}`)).json()) as Mail[];
    },
    link(mail: Mail | undefined, answer: 'yes' | 'no'): string {
      const m = new RegExp(`(http\\S+/confirm\\?token=\\S+&answer=${answer})`).exec(mail?.text ?? '');
      assert.ok(m?.[1], `no ${answer} link in the mail`);
      return m[1];
    },
    /** Opens a link from a mail and presses the page's button, as a person does. */
    async click(url: string): Promise<{ status: number; page: string }> {
      const opened = await fetch(url, { headers: { accept: 'text/html' } });
      const asked = await opened.text();
      if (opened.status !== 200 || !asked.includes('<form method="post">'))
        return { status: opened.status, page: asked };
      const res = await fetch(url, { method: 'POST', headers: { accept: 'text/html' } });
      const page = await res.text();
      await rt.runtime.drain();
      return { status: res.status, page };
    },
    async event(ticketId: string, body: unknown): Promise<Response> {
      const res = await rt.post(`/api/tickets/${ticketId}/events`, body);
      await rt.runtime.drain();
      return res;
    },
    async notifications(ticketId: string): Promise<{ kind: string; tier: number; message: string }[]> {
      const out: { kind: string; tier: number; message: string }[] = [];
      const events = table(`${rt.tablePrefix}Events`);
      for await (const row of events.listEntities<{ kind: string; payload: string }>({
        queryOptions: { filter: `PartitionKey eq '${ticketId}'` },
      })) {
        if (row.rowKey?.startsWith('notify|'))
          out.push(JSON.parse(row.payload) as { kind: string; tier: number; message: string });
      }
      return out;
    },
    async psaLog(ticketId: string): Promise<string[]> {
      const kinds: string[] = [];
      const events = table(`${rt.tablePrefix}Events`);
      for await (const row of events.listEntities<{ kind: string }>({
        queryOptions: { filter: `PartitionKey eq '${ticketId}'` },
      })) {
        if (row.rowKey?.startsWith('psa|')) kinds.push(row.kind);
      }
      return kinds;
    },
    /** A stored ticket whose workflow fails at once (started without its input). */
    async failedWorkflow(subject: string, email: string): Promise<string> {
      const store = new TableTicketStore(table(`${rt.tablePrefix}Tickets`));
      const { ticket } = await store.create(
        { clientId: 'demo', requester: { email }, subject, body: subject, channel: 'api' },
        new Date(rt.clock.now()),
      );
      const instance = orchestrationInstanceId(ticket.ticketId);
      const res = await rt.post(
        `/runtime/webhooks/durabletask/orchestrators/ticketOrchestrator/${instance}`,
        '',
      );
      assert.equal(res.status, 202);
      await rt.runtime.drain();
      return ticket.ticketId;
    },
    /** Suspends a ticket's workflow: its timers fire into a suspended instance, so deadlines pass unmet. */
    async suspend(ticketId: string): Promise<void> {
      const instance = orchestrationInstanceId(ticketId);
      const res = await rt.post(
        `/runtime/webhooks/durabletask/instances/${instance}/suspend?reason=test`,
        '',
      );
      assert.equal(res.status, 202);
      await rt.runtime.drain();
    },
    async runtimeStatus(ticketId: string): Promise<string | undefined> {
      return (await rt.runtime.engine.status(orchestrationInstanceId(ticketId)))?.state.runtimeStatus;
    },
    /** Moves the virtual clock to an instant and lets everything due run. */
    async advanceTo(iso: string): Promise<void> {
      const delta = Date.parse(iso) - rt.clock.now();
      assert.ok(delta >= 0, `the clock is already past ${iso}`);
      await rt.runtime.advance(delta);
    },
  };
  return api;
}

/** Starts the app on the local runtime for one test file (before) and stops it (after). */
export function appUnderTest(): { readonly rt: TestRuntime; readonly api: ReturnType<typeof ticketApi> } {
  let started: { rt: TestRuntime; api: ReturnType<typeof ticketApi> } | undefined;
  before(async () => {
    const rt = await startTestRuntime();
    started = { rt, api: ticketApi(rt) };
  });
  after(async () => started?.rt.runtime.stop());
  const get = () => {
    if (!started) throw new Error('the runtime starts in before()');
    return started;
  };
  return {
    get rt() {
      return get().rt;
    },
    get api() {
      return get().api;
    },
  };
}
