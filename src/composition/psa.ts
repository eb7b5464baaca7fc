import { AutotaskApi } from '../adapters/psa/autotaskApi';
import { ConnectWiseApi, ConnectWiseSigningKeys } from '../adapters/psa/connectWiseApi';
import { HaloApi } from '../adapters/psa/haloApi';
import type { AppConfig } from '../config';
import { parsePsaMapping } from '../domain/psa';
import type { PsaConnection } from '../ports/psaApi';

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} must be set when AUTOTIER_PSA_TYPE is set`);
  return value;
}

/** The PSA adapter AUTOTIER_PSA_TYPE names, with its settings; undefined for `none`. */
export function psaFromConfig(config: AppConfig): PsaConnection | undefined {
  if (config.psaType === 'none') return undefined;
  const psa = config.psa;
  const baseUrl = required(psa.baseUrl, 'AUTOTIER_PSA_BASE_URL');
  const mapping = parsePsaMapping(psa.mapping);
  const webhookSecrets = config.psaWebhookSecrets;
  if (config.psaType === 'connectwise') {
    const settings = {
      baseUrl,
      companyId: required(psa.companyId, 'AUTOTIER_PSA_COMPANY_ID'),
      publicKey: required(psa.username, 'AUTOTIER_PSA_USERNAME'),
      privateKey: required(psa.secret, 'AUTOTIER_PSA_SECRET'),
      clientId: required(psa.clientId, 'AUTOTIER_PSA_CLIENT_ID'),
    };
    return {
      vendor: 'connectwise',
      api: new ConnectWiseApi(settings),
      mapping,
      webhookSecrets,
      signingKeys: new ConnectWiseSigningKeys(settings),
      apiBaseUrl: settings.baseUrl,
    };
  }
  if (config.psaType === 'autotask') {
    const api = new AutotaskApi({
      baseUrl,
      integrationCode: required(psa.clientId, 'AUTOTIER_PSA_CLIENT_ID'),
      userName: required(psa.username, 'AUTOTIER_PSA_USERNAME'),
      secret: required(psa.secret, 'AUTOTIER_PSA_SECRET'),
    });
    return { vendor: 'autotask', api, mapping, webhookSecrets };
  }
  const api = new HaloApi({
    baseUrl,
    clientId: required(psa.clientId, 'AUTOTIER_PSA_CLIENT_ID'),
    clientSecret: required(psa.secret, 'AUTOTIER_PSA_SECRET'),
  });
  return { vendor: 'halopsa', api, mapping, webhookSecrets };
}
