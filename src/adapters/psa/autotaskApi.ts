import { z } from 'zod';

import type { PsaTicket } from '../../domain/psa';
import type { PsaNewTicket, PsaTicketState } from '../../domain/psaRoundTrip';
import type { PsaApi, PsaTicketRef } from '../../ports/psaApi';
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
const activityNotesSchema = z.object({
  items: z.array(
    z.object({
      id: num,
      title: z.string().nullish(),
      description: z.string().nullish(),
      /** The TicketNote `publish` picklist: see PUBLISH. */
      publish: z.number().nullish(),
      creatorResourceID: num.nullish(),
    }),
  ),
});
const timeEntriesSchema = z.object({
  items: z.array(
    z.object({
      id: num,
      summaryNotes: z.string().nullish(),
      internalNotes: z.string().nullish(),
      resourceID: num.nullish(),
    }),
  ),
});
const stateSchema = z.object({
  item: z.object({ id: num, status: num.nullish(), resolution: z.string().nullish() }).nullable(),
});
const refsSchema = z.object({
  items: z.array(z.object({ id: num, ticketNumber: z.string().nullish(), title: z.string().nullish() })),
});
/** Autotask's "Medium" priority: autotier's classification is on its own ticket, not here. */
const MEDIUM_PRIORITY = 2;
/**
 * Autotask's TicketNote `publish` picklist (REST API v1.0): 1 "All Autotask Users", 2 "Internal
 * Only", 3 "Internal & Co-managed". Only 1 can reach anyone outside the MSP (whether the client
 * portal shows it is the portal's own setting), so it alone is customer-facing; autotier's notes
 * (escalation packages, replies, plans) are written Internal Only.
 */
const PUBLISH = { allUsers: 1, internalOnly: 2, internalAndCoManaged: 3 } as const;
const NEW_STATUS = 1;

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
      publish: PUBLISH.internalOnly,
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

  async findByReference(reference: string, companyId: string): Promise<PsaTicketRef | undefined> {
    const found = refsSchema
      .parse(
        await this.http.json('POST', '/Tickets/query', {
          filter: [
            { op: 'eq', field: 'companyID', value: Number(companyId) },
            { op: 'contains', field: 'title', value: reference },
          ],
        }),
      )
      .items.find((t) => (t.title ?? '').includes(reference));
    return found ? { id: found.id, number: found.ticketNumber ?? found.id } : undefined;
  }

  async createTicket(ticket: PsaNewTicket): Promise<PsaTicketRef> {
    const contacts = z.object({ items: z.array(z.object({ id: num })) }).parse(
      await this.http.json('POST', '/Contacts/query', {
        filter: [
          { op: 'eq', field: 'companyID', value: Number(ticket.companyId) },
          { op: 'eq', field: 'emailAddress', value: ticket.contact.email },
        ],
      }),
    );
    const { itemId } = z.object({ itemId: num }).parse(
      await this.http.json('POST', '/Tickets', {
        companyID: Number(ticket.companyId),
        ...(contacts.items[0] ? { contactID: Number(contacts.items[0].id) } : {}),
        title: ticket.summary,
        description: ticket.description.slice(0, 8000),
        status: Number(ticket.status ?? NEW_STATUS),
        priority: MEDIUM_PRIORITY,
        ...(ticket.queue ? { queueID: Number(ticket.queue) } : {}),
        dueDateTime: ticket.dueAt,
      }),
    );
    const created = (await this.getTicket(itemId)) ?? { id: itemId, number: itemId };
    return { id: itemId, number: created.number };
  }

  async ticketState(id: string): Promise<PsaTicketState | undefined> {
    const raw = await this.http.maybe<unknown>('GET', `/Tickets/${encodeURIComponent(id)}`);
    const t = raw === undefined ? null : stateSchema.parse(raw).item;
    if (!t) return undefined;
    const [notes, entries] = await Promise.all([
      this.http
        .json('GET', `/Tickets/${encodeURIComponent(id)}/Notes`)
        .then((n) => activityNotesSchema.parse(n).items),
      this.http
        .json('POST', '/TimeEntries/query', { filter: [{ op: 'eq', field: 'ticketID', value: Number(id) }] })
        .then((e) => timeEntriesSchema.parse(e).items),
    ]);
    return {
      ...(t.status ? { status: t.status } : {}),
      ...(t.resolution ? { resolution: t.resolution } : {}),
      activity: [
        ...notes.map((n) => ({
          id: n.id,
          kind: 'note' as const,
          text: n.description ?? n.title ?? '',
          public: n.publish === PUBLISH.allUsers,
          byEngineer: !!n.creatorResourceID,
          ...(n.creatorResourceID ? { authorId: n.creatorResourceID } : {}),
        })),
        ...entries.map((e) => ({
          id: e.id,
          kind: 'time' as const,
          text: [e.internalNotes, e.summaryNotes].filter((x) => x?.trim()).join('\n'),
          public: false,
          byEngineer: !!e.resourceID,
          ...(e.resourceID ? { authorId: e.resourceID } : {}),
        })),
      ],
    };
  }
}
