import type { HttpHandler, HttpRequest } from '@azure/functions';

import { parsePsaEvent, type PsaVendor } from '../domain/psa';
import { connectWiseKeyUrl, verifyAutotask, verifyBasic, verifyConnectWise } from '../domain/webhookAuth';
import { jsonError } from '../http/httpHelpers';
import type { IntakeQueue } from '../ports/intakeQueue';
import type { PsaConnection } from '../ports/psaApi';
import type { TokenStore } from '../ports/tokenStore';
import { webhookIntakeHandler } from './webhookIntake';

/** Is this delivery from the PSA? Each PSA signs its own way (see webhookAuth). */
export async function verifyPsaDelivery(psa: PsaConnection, req: HttpRequest, raw: Buffer): Promise<boolean> {
  if (psa.vendor === 'autotask')
    return verifyAutotask(raw, req.headers.get('x-hook-signature'), psa.webhookSecrets);
  if (psa.vendor === 'halopsa') return verifyBasic(req.headers.get('authorization'), psa.webhookSecrets);
  // ConnectWise names its key's URL inside the (not yet trusted) body: allow-listed hosts only.
  let keyUrl: unknown;
  try {
    keyUrl = (JSON.parse(raw.toString('utf8')) as { Metadata?: { key_url?: unknown } })?.Metadata?.key_url;
  } catch {
    return false;
  }
  const url =
    typeof keyUrl === 'string' && psa.apiBaseUrl ? connectWiseKeyUrl(keyUrl, psa.apiBaseUrl) : undefined;
  if (!url || !psa.signingKeys) return false;
  let signingKey: string;
  try {
    signingKey = await psa.signingKeys.get(url);
  } catch {
    // No key to be had (refused, unreachable, too many misses): not verified, so 401, never 500.
    return false;
  }
  return verifyConnectWise(raw, req.headers.get('x-content-signature'), signingKey);
}

export interface PsaWebhookDeps {
  psaConnection?: PsaConnection;
  intake: IntakeQueue;
  tokens: TokenStore;
  now: () => Date;
}

/** A PSA's webhook: 404 unless this deployment is connected to that PSA, else the webhook intake. */
export function psaWebhookHandler(vendor: PsaVendor, deps: PsaWebhookDeps): HttpHandler {
  const psa = deps.psaConnection;
  if (psa?.vendor !== vendor) return () => jsonError(404, `no ${vendor} connection is configured`);
  return webhookIntakeHandler({
    source: vendor,
    verify: (r, raw) => verifyPsaDelivery(psa, r, raw),
    parse: (raw) => parsePsaEvent(vendor, raw),
    now: () => deps.now().getTime(),
    enqueue: (m) => deps.intake.send(m),
    seen: deps.tokens,
  });
}
