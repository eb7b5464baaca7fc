import { z } from 'zod';

import type { PsaTicket } from '../../domain/psa';
import type { PsaNewTicket, PsaTicketState } from '../../domain/psaRoundTrip';
import type { PsaApi, PsaTicketRef } from '../../ports/psaApi';
import { RestClient, type RestClientOptions } from '../http/restClient';

export interface HaloSettings {
  /** The Halo instance, e.g. https://yourmsp.halopsa.com (the API is under /api, tokens under /auth). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

const num = z.union([z.number(), z.string()]).transform(String);
const ticketSchema = z.object({
  id: num,
  summary: z.string().default(''),
  details: z.string().nullish(),
  client_id: num.nullish(),
  client_name: z.string().nullish(),
  user_name: z.string().nullish(),
  user_email: z.string().nullish(),
  emailaddress: z.string().nullish(),
});
const actionsSchema = z.object({ actions: z.array(z.object({ note: z.string().nullish() })).default([]) });
const activitySchema = z.object({
  actions: z
    .array(
      z.object({
        id: num,
        note: z.string().nullish(),
        hiddenfromuser: z.boolean().nullish(),
        who: z.string().nullish(),
        who_agentid: num.nullish(),
      }),
    )
    .default([]),
});
const stateSchema = z.object({ id: num, status_id: num.nullish() });
const ticketRef = z.object({ id: num, summary: z.string().nullish() });
const tokenSchema = z.object({ access_token: z.string(), expires_in: z.number().default(3600) });

/** HaloPSA REST API, with OAuth2 client-credentials tokens cached until shortly before they expire. */
export class HaloApi implements PsaApi {
  readonly vendor = 'halopsa' as const;
  private readonly http: RestClient;
  private token?: { value: string; expiresAt: number };

  constructor(
    private readonly settings: HaloSettings,
    private readonly options: Partial<RestClientOptions> = {},
  ) {
    this.http = new RestClient({
      vendor: this.vendor,
      baseUrl: `${settings.baseUrl.replace(/\/$/, '')}/api`,
      headers: async () => ({ authorization: `Bearer ${await this.accessToken()}` }),
      ...options,
    });
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const res = await (this.options.fetch ?? fetch)(
      `${this.settings.baseUrl.replace(/\/$/, '')}/auth/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: this.settings.clientId,
          client_secret: this.settings.clientSecret,
          scope: 'all',
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      },
    );
    if (!res.ok) throw new Error(`halopsa token request answered ${res.status}`);
    const t = tokenSchema.parse(await res.json());
    this.token = { value: t.access_token, expiresAt: Date.now() + Math.max(0, t.expires_in - 60) * 1000 };
    return t.access_token;
  }

  async getTicket(id: string): Promise<PsaTicket | undefined> {
    const raw = await this.http.maybe<unknown>('GET', `/Tickets/${encodeURIComponent(id)}`);
    if (raw === undefined) return undefined;
    const t = ticketSchema.parse(raw);
    return {
      id: t.id,
      number: t.id,
      summary: t.summary,
      description: t.details ?? '',
      companyKeys: [t.client_id, t.client_name].filter((k): k is string => !!k),
      contact: { name: t.user_name ?? undefined, email: t.user_email ?? t.emailaddress ?? undefined },
    };
  }

  async noteTexts(id: string): Promise<string[]> {
    const a = actionsSchema.parse(
      await this.http.json('GET', `/Actions?ticket_id=${encodeURIComponent(id)}&excludesys=true`),
    );
    return a.actions.map((x) => x.note ?? '');
  }

  async addNote(id: string, text: string): Promise<void> {
    await this.http.json('POST', '/Actions', [
      { ticket_id: Number(id), note: text, outcome: 'Private Note', hiddenfromuser: true },
    ]);
  }

  async update(id: string, change: { status?: string; queue?: string }): Promise<void> {
    if (!change.status && !change.queue) return;
    await this.http.json('POST', '/Tickets', [
      {
        id: Number(id),
        ...(change.status ? { status_id: Number(change.status) } : {}),
        ...(change.queue ? { team: change.queue } : {}),
      },
    ]);
  }

  async findByReference(reference: string, companyId: string): Promise<PsaTicketRef | undefined> {
    const found = z
      .object({ tickets: z.array(ticketRef).default([]) })
      .parse(
        await this.http.json(
          'GET',
          `/Tickets?search=${encodeURIComponent(reference)}&client_id=${encodeURIComponent(companyId)}&pageinate=false`,
        ),
      )
      .tickets.find((t) => (t.summary ?? '').includes(reference));
    return found ? { id: found.id, number: found.id } : undefined;
  }

  async createTicket(ticket: PsaNewTicket): Promise<PsaTicketRef> {
    const users = z
      .object({ users: z.array(z.object({ id: num, emailaddress: z.string().nullish() })).default([]) })
      .parse(
        await this.http.json(
          'GET',
          `/Users?search=${encodeURIComponent(ticket.contact.email)}&client_id=${encodeURIComponent(ticket.companyId)}`,
        ),
      )
      .users.filter((u) => u.emailaddress?.toLowerCase() === ticket.contact.email);
    const answer: unknown = await this.http.json('POST', '/Tickets', [
      {
        summary: ticket.summary,
        details: ticket.description,
        client_id: Number(ticket.companyId),
        ...(users[0] ? { user_id: Number(users[0].id) } : {}),
        ...(ticket.contact.name ? { user_name: ticket.contact.name } : {}),
        reportedby: ticket.contact.email,
        emailaddress: ticket.contact.email,
        ...(ticket.queue ? { team: ticket.queue } : {}),
        ...(ticket.status ? { status_id: Number(ticket.status) } : {}),
        deadlinedate: ticket.dueAt,
      },
    ]);
    // Halo answers the ticket it created, alone or in an array.
    const created = ticketRef.parse(Array.isArray(answer) ? answer[0] : answer);
    return { id: created.id, number: created.id };
  }

  async ticketState(id: string): Promise<PsaTicketState | undefined> {
    const raw = await this.http.maybe<unknown>('GET', `/Tickets/${encodeURIComponent(id)}`);
    if (raw === undefined) return undefined;
    const t = stateSchema.parse(raw);
    const { actions } = activitySchema.parse(
      await this.http.json('GET', `/Actions?ticket_id=${encodeURIComponent(id)}&excludesys=true`),
    );
    return {
      ...(t.status_id ? { status: t.status_id } : {}),
      activity: actions.map((a) => ({
        id: a.id,
        kind: 'note' as const,
        text: a.note ?? '',
        public: a.hiddenfromuser === false,
        // End users' own actions carry agent 0.
        byEngineer: !!a.who_agentid && a.who_agentid !== '0',
        ...(a.who_agentid ? { authorId: a.who_agentid } : {}),
        ...(a.who ? { authorName: a.who } : {}),
      })),
    };
  }
}
