import { z } from 'zod';

import type { PsaTicket } from '../../domain/psa';
import type { PsaApi } from '../../ports/psaApi';
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
}
