import { z } from 'zod';

import type { PsaTicket } from '../../domain/psa';
import type { PsaApi } from '../../ports/psaApi';
import { RestClient, type RestClientOptions } from '../http/restClient';

export interface AutotaskSettings {
  /** API root of the zone, e.g. https://webservices5.autotask.net/atservicesrest/v1.0 */
  baseUrl: string;
  integrationCode: string;
  userName: string;
  secret: string;
}

const num = z.union([z.number(), z.string()]).transform(String);
const ticketSchema = z.object({
  item: z
    .object({
      id: num,
      ticketNumber: z.string().optional(),
      title: z.string().default(''),
      description: z.string().nullish(),
      companyID: num.nullish(),
      contactID: num.nullish(),
    })
    .nullable(),
});
const contactSchema = z.object({
  item: z
    .object({
      firstName: z.string().nullish(),
      lastName: z.string().nullish(),
      emailAddress: z.string().nullish(),
    })
    .nullable(),
});
const notesSchema = z.object({ items: z.array(z.object({ description: z.string().nullish() })) });

/** Autotask PSA REST API v1.0. */
export class AutotaskApi implements PsaApi {
  readonly vendor = 'autotask' as const;
  private readonly http: RestClient;

  constructor(settings: AutotaskSettings, options: Partial<RestClientOptions> = {}) {
    this.http = new RestClient({
      vendor: this.vendor,
      baseUrl: settings.baseUrl,
      headers: () => ({
        ApiIntegrationCode: settings.integrationCode,
        UserName: settings.userName,
        Secret: settings.secret,
      }),
      ...options,
    });
  }

  async getTicket(id: string): Promise<PsaTicket | undefined> {
    const raw = await this.http.maybe<unknown>('GET', `/Tickets/${encodeURIComponent(id)}`);
    const t = raw === undefined ? null : ticketSchema.parse(raw).item;
    if (!t) return undefined;
    const contact = t.contactID
      ? contactSchema.parse(
          (await this.http.maybe('GET', `/Contacts/${encodeURIComponent(t.contactID)}`)) ?? { item: null },
        ).item
      : null;
    const name = [contact?.firstName, contact?.lastName].filter(Boolean).join(' ');
    return {
      id: t.id,
      number: t.ticketNumber ?? t.id,
      summary: t.title,
      description: t.description ?? '',
      companyKeys: t.companyID ? [t.companyID] : [],
      contact: { name: name || undefined, email: contact?.emailAddress ?? undefined },
    };
  }

  async noteTexts(id: string): Promise<string[]> {
    const notes = notesSchema.parse(await this.http.json('GET', `/Tickets/${encodeURIComponent(id)}/Notes`));
    return notes.items.map((n) => n.description ?? '');
  }

  async addNote(id: string, text: string): Promise<void> {
    await this.http.json('POST', `/Tickets/${encodeURIComponent(id)}/Notes`, {
      ticketID: Number(id),
      title: text.split('\n', 1)[0]?.slice(0, 250) || 'autotier',
      description: text.slice(0, 32_000),
      noteType: 1,
      publish: 1,
    });
  }

  async update(id: string, change: { status?: string; queue?: string }): Promise<void> {
    if (!change.status && !change.queue) return;
    await this.http.json('PATCH', '/Tickets', {
      id: Number(id),
      ...(change.status ? { status: Number(change.status) } : {}),
      ...(change.queue ? { queueID: Number(change.queue) } : {}),
    });
  }
}
