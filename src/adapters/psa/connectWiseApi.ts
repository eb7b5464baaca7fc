import { z } from 'zod';

import type { PsaTicket } from '../../domain/psa';
import type { PsaApi } from '../../ports/psaApi';
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
