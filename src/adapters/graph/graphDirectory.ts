import type { TokenCredential } from '@azure/identity';
import {
  Client,
  type Context,
  GraphError,
  HTTPMessageHandler,
  type Middleware,
  RetryHandler,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import { z } from 'zod';

import {
  type Directory,
  DirectoryError,
  type DirectoryUser,
  type SignInRegistration,
  type SubscribedSku,
  type TemporaryAccessPass,
} from '../../ports/directory';
import { retryAfterMs } from '../http/restClient';
import { odataString } from '../tables/tableNames';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const GRAPH_BASE_URL = 'https://graph.microsoft.com';

export interface GraphDirectoryOptions {
  credential: TokenCredential | undefined;
  /** `https://graph.microsoft.com`, or a local server in tests. */
  baseUrl?: string;
  timeoutMs?: number;
  /** Retries after 429/503/504 (the Graph SDK's RetryHandler, which honours Retry-After). */
  maxRetries?: number;
  /** A longer Retry-After than this is not waited out inside one activity: the ticket goes to a person. */
  maxWaitSeconds?: number;
}

/** Adds the bearer token from an @azure/identity credential (managed identity, app registration). */
class BearerToken implements Middleware {
  private next?: Middleware;
  constructor(private readonly credential: TokenCredential | undefined) {}
  async execute(context: Context): Promise<void> {
    if (this.credential) {
      let token;
      try {
        token = await this.credential.getToken(GRAPH_SCOPE);
      } catch (err) {
        // The identity library's message names the tenant and app, never the secret.
        throw new DirectoryError(
          'rejected',
          `could not sign in to the client's tenant for Microsoft Graph (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`,
        );
      }
      if (!token) throw new DirectoryError('rejected', 'no Microsoft Graph token for this client');
      const headers = new Headers(context.options?.headers);
      headers.set('Authorization', `Bearer ${token.token}`);
      context.options = { ...context.options, headers };
    }
    await this.next?.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** A deadline for each attempt, so one hung call cannot hold a Durable activity. */
class Deadline implements Middleware {
  private next?: Middleware;
  constructor(private readonly ms: number) {}
  async execute(context: Context): Promise<void> {
    context.options = { ...context.options, signal: AbortSignal.timeout(this.ms) };
    await this.next?.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

const userSchema = z.object({
  id: z.string(),
  userPrincipalName: z.string(),
  mail: z.string().nullish(),
  displayName: z.string().nullish(),
  accountEnabled: z.boolean().nullish(),
  onPremisesSyncEnabled: z.boolean().nullish(),
  onPremisesDomainName: z.string().nullish(),
  onPremisesSamAccountName: z.string().nullish(),
  officeLocation: z.string().nullish(),
  usageLocation: z.string().nullish(),
  assignedLicenses: z.array(z.object({ skuId: z.string() })).nullish(),
});
const USER_FIELDS = Object.keys(userSchema.shape).join(',');

const registrationSchema = z.object({
  isSsprRegistered: z.boolean().nullish(),
  isSsprEnabled: z.boolean().nullish(),
  isMfaRegistered: z.boolean().nullish(),
  methodsRegistered: z.array(z.string()).nullish(),
});

const skuSchema = z.object({
  skuId: z.string(),
  skuPartNumber: z.string(),
  consumedUnits: z.number(),
  prepaidUnits: z.object({ enabled: z.number() }),
});

const tapSchema = z.object({
  id: z.string(),
  temporaryAccessPass: z.string(),
  lifetimeInMinutes: z.number(),
  isUsableOnce: z.boolean(),
});

const list = <T extends z.ZodType>(item: T) => z.object({ value: z.array(item) });

const seg = encodeURIComponent;

/**
 * The client's Entra ID through Microsoft Graph v1.0, on the Microsoft Graph JavaScript client with
 * its RetryHandler, a bearer token from @azure/identity and a per-attempt timeout. Every failure
 * becomes a `DirectoryError` that says what went wrong without echoing tokens or passes.
 */
export class GraphDirectory implements Directory {
  private readonly client: Client;

  constructor(options: GraphDirectoryOptions) {
    const maxWait = options.maxWaitSeconds ?? 30;
    const retry = new RetryHandlerOptions(
      1,
      options.maxRetries ?? 3,
      (_delay, _attempt, _req, _opts, res) => {
        const wait = retryAfterMs(res.headers.get('retry-after'));
        return wait === undefined || wait <= maxWait * 1000;
      },
    );
    this.client = Client.initWithMiddleware({
      baseUrl: (options.baseUrl ?? GRAPH_BASE_URL).replace(/\/$/, '') + '/',
      defaultVersion: 'v1.0',
      middleware: [
        new BearerToken(options.credential),
        new RetryHandler(retry),
        new Deadline(options.timeoutMs ?? 15_000),
        new HTTPMessageHandler(),
      ],
    });
  }

  async findUser(email: string): Promise<DirectoryUser | undefined> {
    const address = email.trim().toLowerCase();
    const filter = `mail eq ${odataString(address)} or userPrincipalName eq ${odataString(address)} or proxyAddresses/any(p:p eq ${odataString(`smtp:${address}`)})`;
    const found = list(userSchema).parse(
      await this.call('find the user', (c) =>
        c.api('/users').filter(filter).select(USER_FIELDS).top(2).get(),
      ),
    ).value;
    // Two accounts answering to one address is a question for a person, not a guess.
    if (found.length !== 1) return undefined;
    const u = found[0]!;
    return {
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      mail: u.mail ?? undefined,
      displayName: u.displayName ?? undefined,
      accountEnabled: u.accountEnabled !== false,
      onPremises: u.onPremisesSyncEnabled
        ? {
            domain: u.onPremisesDomainName ?? undefined,
            samAccountName: u.onPremisesSamAccountName ?? undefined,
          }
        : undefined,
      officeLocation: u.officeLocation ?? undefined,
      usageLocation: u.usageLocation ?? undefined,
      assignedSkuIds: (u.assignedLicenses ?? []).map((l) => l.skuId),
    };
  }

  async registration(userId: string): Promise<SignInRegistration> {
    const r = registrationSchema.parse(
      await this.call('read the sign-in registration', (c) =>
        c.api(`/reports/authenticationMethods/userRegistrationDetails/${seg(userId)}`).get(),
      ),
    );
    return {
      ssprRegistered: r.isSsprRegistered === true,
      ssprEnabled: r.isSsprEnabled === true,
      mfaRegistered: r.isMfaRegistered === true,
      methods: r.methodsRegistered ?? [],
    };
  }

  async verifiedEmails(userId: string): Promise<string[]> {
    const methods = list(z.object({ emailAddress: z.string() })).parse(
      await this.call('read the registered email methods', (c) =>
        c.api(`/users/${seg(userId)}/authentication/emailMethods`).get(),
      ),
    );
    return methods.value.map((m) => m.emailAddress);
  }

  async createTemporaryAccessPass(
    userId: string,
    options: { lifetimeMinutes: number; usableOnce: boolean },
  ): Promise<TemporaryAccessPass> {
    const t = tapSchema.parse(
      await this.call('create a Temporary Access Pass', (c) =>
        c.api(`/users/${seg(userId)}/authentication/temporaryAccessPassMethods`).post({
          lifetimeInMinutes: options.lifetimeMinutes,
          isUsableOnce: options.usableOnce,
        }),
      ),
    );
    return {
      methodId: t.id,
      pass: t.temporaryAccessPass,
      lifetimeMinutes: t.lifetimeInMinutes,
      usableOnce: t.isUsableOnce,
    };
  }

  async subscribedSkus(): Promise<SubscribedSku[]> {
    const skus = list(skuSchema).parse(
      await this.call('read the licences', (c) => c.api('/subscribedSkus').get()),
    );
    return skus.value.map((s) => ({
      skuId: s.skuId,
      skuPartNumber: s.skuPartNumber,
      enabled: s.prepaidUnits.enabled,
      consumed: s.consumedUnits,
    }));
  }

  async assignLicence(userId: string, skuId: string): Promise<void> {
    await this.call('assign the licence', (c) =>
      c.api(`/users/${seg(userId)}/assignLicense`).post({
        addLicenses: [{ skuId, disabledPlans: [] }],
        removeLicenses: [],
      }),
    );
  }

  async addGroupMember(groupId: string, userId: string): Promise<'added' | 'already'> {
    try {
      await this.call('add the group member', (c) =>
        c.api(`/groups/${seg(groupId)}/members/$ref`).post({
          '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${seg(userId)}`,
        }),
      );
      return 'added';
    } catch (err) {
      // Graph answers 400 "added object references already exist" for an existing member.
      if (err instanceof DirectoryError && err.status === 400 && /already exist/i.test(err.message))
        return 'already';
      throw err;
    }
  }

  private async call(what: string, request: (c: Client) => Promise<unknown>): Promise<unknown> {
    try {
      return await request(this.client);
    } catch (err) {
      throw toDirectoryError(what, err);
    }
  }
}

function toDirectoryError(what: string, err: unknown): DirectoryError {
  if (err instanceof DirectoryError) return err;
  // No HTTP answer at all: the SDK wraps fetch's error as a GraphError with status -1 (name in `code`).
  if (!(err instanceof GraphError) || err.statusCode === -1) {
    const name = err instanceof GraphError ? err.code : err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || name === 'AbortError')
      return new DirectoryError('timeout', `Microsoft Graph did not answer in time (${what})`);
    return new DirectoryError(
      'unavailable',
      `Microsoft Graph could not be reached (${what}): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const status = err.statusCode;
  const retryAfter = retryAfterMs(err.headers?.get('retry-after') ?? null);
  const seconds = retryAfter === undefined ? undefined : Math.ceil(retryAfter / 1000);
  if (status === 429)
    return new DirectoryError(
      'throttled',
      `Microsoft Graph is throttling requests (${what})${seconds === undefined ? '' : `; it asked to wait ${seconds} s`}`,
      status,
      seconds,
    );
  if (status >= 500)
    return new DirectoryError('unavailable', `Microsoft Graph answered ${status} (${what})`, status, seconds);
  return new DirectoryError(
    'rejected',
    `Microsoft Graph refused to ${what} (${status}${err.code ? ` ${err.code}` : ''}: ${err.message})`,
    status,
  );
}
