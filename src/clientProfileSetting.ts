import type { ClientProfile } from './domain/client';
import type { ClientStore } from './ports/clientStore';

/** The deployment names its client (Bicep parameters); keep the stored profile's other fields. */
export async function applyClientProfile(clients: ClientStore, json: string): Promise<void> {
  let given: Partial<ClientProfile>;
  try {
    given = JSON.parse(json) as Partial<ClientProfile>;
  } catch {
    throw new Error('AUTOTIER_CLIENT_PROFILE is not valid JSON');
  }
  if (!given.clientId) throw new Error('AUTOTIER_CLIENT_PROFILE needs a clientId');
  const stored = await clients.get(given.clientId);
  const defaults: ClientProfile = {
    clientId: given.clientId,
    name: given.clientId,
    slaTier: 'standard',
    businessHours: { timeZone: 'UTC', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' },
    autoThreshold: 0.6,
    vipEmails: [],
    systemProfile: { devices: [], software: [], recentChanges: [] },
  };
  await clients.put({ ...defaults, ...stored, ...given });
}
