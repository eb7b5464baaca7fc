import { z } from 'zod';

import type { PsaTicket } from '../../domain/psa';
import type { PsaActivity, PsaNewTicket, PsaTicketState } from '../../domain/psaRoundTrip';
import type { PsaApi, PsaTicketRef } from '../../ports/psaApi';
import { RestClient, type RestClientOptions } from '../http/restClient';

export interface ConnectWiseSettings {
  /** API root, e.g. https://api-na.myconnectwise.net/v4_6_release/apis/3.0 */
  baseUrl: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
  /** The clientId ConnectWise issues to each integration. */
  clientId: string;
}

const ref = z.object({
  id: z.union([z.number(), z.string()]).optional(),
  identifier: z.string().optional(),
  name: z.string().optional(),
});
const ticketSchema = z.object({
  id: z.union([z.number(), z.string()]),
  summary: z.string().default(''),
  initialDescription: z.string().optional(),
  company: ref.optional(),
  contactName: z.string().optional(),
  contactEmailAddress: z.string().optional(),
});
const noteSchema = z.object({ text: z.string().default(''), detailDescriptionFlag: z.boolean().optional() });
const member = ref.nullish();
const activityNoteSchema = z.object({
  id: z.union([z.number(), z.string()]),
  text: z.string().nullish(),
  detailDescriptionFlag: z.boolean().nullish(),
  internalAnalysisFlag: z.boolean().nullish(),
  resolutionFlag: z.boolean().nullish(),
  member,
});
const timeEntrySchema = z.object({
  id: z.union([z.number(), z.string()]),
  notes: z.string().nullish(),
  internalNotes: z.string().nullish(),
  member,
});
const stateSchema = z.object({
  id: z.union([z.number(), z.string()]),
  status: ref.nullish(),
  closedFlag: z.boolean().nullish(),
});

/** ConnectWise conditions quote strings with double quotes; the value's own are escaped. */
const quoted = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** ConnectWise PSA (Manage) REST API 3.0. */
export class ConnectWiseApi implements PsaApi {
  readonly vendor = 'connectwise' as const;
  private readonly http: RestClient;

  constructor(settings: ConnectWiseSettings, options: Partial<RestClientOptions> = {}) {
    const basic = Buffer.from(`${settings.companyId}+${settings.publicKey}:${settings.privateKey}`).toString(
      'base64',
    );
    this.http = new RestClient({
      vendor: this.vendor,
      baseUrl: settings.baseUrl,
      headers: () => ({ authorization: `Basic ${basic}`, clientId: settings.clientId }),
      ...options,
    });
  }

  async getTicket(id: string): Promise<PsaTicket | undefined> {
    const raw = await this.http.maybe<unknown>('GET', `/service/tickets/${encodeURIComponent(id)}`);
    if (raw === undefined) return undefined;
    const t = ticketSchema.parse(raw);
    let description = t.initialDescription;
    if (description === undefined) {
      const notes = z
        .array(noteSchema)
        .parse(await this.http.json('GET', `/service/tickets/${encodeURIComponent(id)}/notes?pageSize=100`));
      description = notes.find((n) => n.detailDescriptionFlag)?.text ?? '';
    }
    return {
      id: String(t.id),
      number: String(t.id),
      summary: t.summary,
      description,
      companyKeys: [t.company?.id, t.company?.identifier, t.company?.name]
        .filter((k) => k !== undefined)
        .map(String),
      contact: { name: t.contactName, email: t.contactEmailAddress },
    };
  }

  async noteTexts(id: string): Promise<string[]> {
    const notes = z
      .array(noteSchema)
      .parse(await this.http.json('GET', `/service/tickets/${encodeURIComponent(id)}/notes?pageSize=1000`));
    return notes.map((n) => n.text);
  }

  async addNote(id: string, text: string): Promise<void> {
    await this.http.json('POST', `/service/tickets/${encodeURIComponent(id)}/notes`, {
      text,
      internalAnalysisFlag: true,
      detailDescriptionFlag: false,
      resolutionFlag: false,
    });
  }

  async update(id: string, change: { status?: string; queue?: string }): Promise<void> {
    const ops = [
      ...(change.queue ? [{ op: 'replace', path: 'board', value: { id: Number(change.queue) } }] : []),
      ...(change.status ? [{ op: 'replace', path: 'status', value: { id: Number(change.status) } }] : []),
    ];
    if (ops.length) await this.http.json('PATCH', `/service/tickets/${encodeURIComponent(id)}`, ops);
  }

  async findByReference(reference: string, companyId: string): Promise<PsaTicketRef | undefined> {
    const company = /^\d+$/.test(companyId)
      ? `company/id=${companyId}`
      : `company/identifier=${quoted(companyId)}`;
    // `like` with % on both sides; the reference has no LIKE wildcards of its own ([, ], _ or %).
    const conditions = `${company} AND summary like ${quoted(`%${reference}%`)}`;
    const found = z
      .array(z.object({ id: z.union([z.number(), z.string()]), summary: z.string().default('') }))
      .parse(
        await this.http.json(
          'GET',
          `/service/tickets?conditions=${encodeURIComponent(conditions)}&fields=id,summary&pageSize=25`,
        ),
      )
      .find((t) => t.summary.includes(reference));
    return found ? { id: String(found.id), number: String(found.id) } : undefined;
  }

  async createTicket(ticket: PsaNewTicket): Promise<PsaTicketRef> {
    const company = /^\d+$/.test(ticket.companyId)
      ? { id: Number(ticket.companyId) }
      : { identifier: ticket.companyId };
    const contactConditions = `communicationItems/value=${quoted(ticket.contact.email)} AND communicationItems/communicationType="Email"`;
    const companyCondition = /^\d+$/.test(ticket.companyId)
      ? `company/id=${ticket.companyId}`
      : `company/identifier=${quoted(ticket.companyId)}`;
    const contacts = z
      .array(z.object({ id: z.union([z.number(), z.string()]) }))
      .parse(
        await this.http.json(
          'GET',
          `/company/contacts?conditions=${encodeURIComponent(companyCondition)}&childConditions=${encodeURIComponent(contactConditions)}&fields=id&pageSize=2`,
        ),
      );
    const created = z.object({ id: z.union([z.number(), z.string()]) }).parse(
      await this.http.json('POST', '/service/tickets', {
        summary: ticket.summary,
        initialDescription: ticket.description,
        company,
        ...(contacts[0] ? { contact: { id: Number(contacts[0].id) } } : {}),
        ...(ticket.contact.name ? { contactName: ticket.contact.name.slice(0, 62) } : {}),
        contactEmailAddress: ticket.contact.email,
        ...(ticket.queue ? { board: { id: Number(ticket.queue) } } : {}),
        ...(ticket.status ? { status: { id: Number(ticket.status) } } : {}),
        requiredDate: ticket.dueAt,
      }),
    );
    return { id: String(created.id), number: String(created.id) };
  }

  async ticketState(id: string): Promise<PsaTicketState | undefined> {
    const path = `/service/tickets/${encodeURIComponent(id)}`;
    const raw = await this.http.maybe<unknown>('GET', path);
    if (raw === undefined) return undefined;
    const t = stateSchema.parse(raw);
    const [notes, entries] = await Promise.all([
      this.http.json('GET', `${path}/notes?pageSize=1000`).then((n) => z.array(activityNoteSchema).parse(n)),
      this.http
        .json(
          'GET',
          `/time/entries?conditions=${encodeURIComponent(`chargeToType="ServiceTicket" AND chargeToId=${Number(id)}`)}&pageSize=1000`,
        )
        .then((e) => z.array(timeEntrySchema).parse(e)),
    ]);
    const author = (m: z.infer<typeof member>) => ({
      byEngineer: !!m,
      ...(m?.identifier ? { authorId: m.identifier } : m?.id !== undefined ? { authorId: String(m.id) } : {}),
      ...(m?.name ? { authorName: m.name } : {}),
    });
    const activity: PsaActivity[] = [
      ...notes.map((n) => ({
        id: String(n.id),
        kind: 'note' as const,
        text: n.text ?? '',
        // Discussion and resolution notes are the customer's to see; internal analysis is not.
        public: !n.internalAnalysisFlag && !!(n.detailDescriptionFlag || n.resolutionFlag),
        ...author(n.member),
      })),
      ...entries.map((e) => ({
        id: String(e.id),
        kind: 'time' as const,
        text: [e.internalNotes, e.notes].filter((x) => x?.trim()).join('\n'),
        public: false,
        ...author(e.member),
      })),
    ];
    return {
      ...(t.status?.id !== undefined ? { status: String(t.status.id) } : {}),
      closed: !!t.closedFlag,
      activity,
    };
  }
}

/**
 * The signing keys ConnectWise callbacks name in `Metadata.key_url`, fetched with the API
 * credentials and cached for an hour by their URL's path (callers pass only URLs that
 * `connectWiseKeyUrl` accepted). Fetches of keys not in the cache are limited (10 a minute), so
 * forged callbacks cannot make autotier call the PSA over and over.
 */
export class ConnectWiseSigningKeys {
  private readonly cache = new Map<string, { key: string; until: number }>();
  private misses: number[] = [];

  constructor(
    private readonly settings: ConnectWiseSettings,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly maxMissesPerMinute = 10,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async get(url: string): Promise<string> {
    const hit = this.cache.get(url);
    if (hit && hit.until > this.now()) return hit.key;
    this.misses = this.misses.filter((t) => t > this.now() - 60_000);
    if (this.misses.length >= this.maxMissesPerMinute)
      throw new Error('connectwise signing keys: too many keys not in the cache this minute');
    this.misses.push(this.now());
    const basic = Buffer.from(
      `${this.settings.companyId}+${this.settings.publicKey}:${this.settings.privateKey}`,
    ).toString('base64');
    const res = await this.fetchImpl(url, {
      headers: {
        accept: 'application/json',
        authorization: `Basic ${basic}`,
        clientId: this.settings.clientId,
      },
      redirect: 'error',
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`connectwise signing key request answered ${res.status}`);
    const { signing_key: key } = z.object({ signing_key: z.string().min(1) }).parse(await res.json());
    if (this.cache.size > 100) this.cache.clear();
    this.cache.set(url, { key, until: this.now() + this.ttlMs });
    return key;
  }
}
