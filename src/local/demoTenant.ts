import type { AccessProduct, ClientProfile, DirectoryConnection } from '../domain/client';
import type { ClientStore } from '../ports/clientStore';
import { createGraphEmulator, type EmulatedUser, type GraphEmulator } from './graphEmulator';

/** Where `npm start` serves the demo tenant's Microsoft Graph, on the app's own port. */
export const DEMO_GRAPH_PATH = '/_emulator/graph';
const DEMO_TENANT_ID = 'demo';

const VISIO = { skuId: 'c5928f49-12ba-48f7-ada3-0d743a3601d5', skuPartNumber: 'VISIOCLIENT' };
const PROJECT = { skuId: '53818b1b-4a27-454b-8896-0dba576410e6', skuPartNumber: 'PROJECTPROFESSIONAL' };

/** What the demo client may grant: Visio has free seats in the tenant, Microsoft Project has none. */
export const DEMO_ACCESS: { approvalAboveMonthlyCost: number; products: AccessProduct[] } = {
  approvalAboveMonthlyCost: 30,
  products: [
    {
      product: 'Visio',
      aliases: ['visio plan 2'],
      sku: VISIO.skuPartNumber,
      monthlyCost: 12,
      selfService: true,
    },
    {
      product: 'Microsoft Project',
      aliases: ['ms project', 'project plan 3'],
      sku: PROJECT.skuPartNumber,
      monthlyCost: 25,
      selfService: true,
    },
  ],
};

const registered = (sspr: boolean, mfa: boolean) => ({
  isSsprRegistered: sspr,
  isSsprEnabled: true,
  isMfaRegistered: mfa,
});

/**
 * The demo client's Entra ID, one user for each way the password playbook goes (and the quick
 * start's Sam), plus two licences. It lives in memory: every `npm start` begins from this state.
 */
export function demoTenant(): GraphEmulator {
  const graph = createGraphEmulator();
  const user = (n: number, local: string, displayName: string, more: Partial<EmulatedUser>) =>
    graph.addUser({
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      userPrincipalName: `${local}@demo.example`,
      mail: `${local}@demo.example`,
      displayName,
      usageLocation: 'GB',
      officeLocation: 'Main Street',
      ...more,
    });
  user(1, 'sam', 'Sam Lee', { registration: registered(true, true) });
  user(2, 'sspr', 'Sasha Price', { registration: registered(true, true) });
  user(3, 'mfa-only', 'Morgan Fox', {
    officeLocation: 'Riverside',
    registration: registered(false, true),
    emailMethods: ['mfa-only@personal.example'],
  });
  user(4, 'no-methods', 'Noel Hart', { registration: registered(false, false) });
  user(5, 'disabled', 'Dana Cole', { accountEnabled: false, registration: registered(true, true) });
  graph.skus.set(VISIO.skuId, { ...VISIO, enabled: 5, consumed: 3 });
  graph.skus.set(PROJECT.skuId, { ...PROJECT, enabled: 2, consumed: 2 });
  return graph;
}

/** The demo tenant as a client's directory connection (no token: the emulator asks for none). */
export const demoDirectory = (graphBaseUrl: string): DirectoryConnection => ({
  tenantId: DEMO_TENANT_ID,
  credential: 'none',
  baseUrl: graphBaseUrl,
});

const isDemoTenant = (directory: DirectoryConnection | undefined) =>
  directory?.tenantId === DEMO_TENANT_ID && directory.credential === 'none';

/**
 * Points the stored `demo` client at the demo tenant. A profile from an older run has no directory
 * or catalogue: both are added; a directory that is the demo tenant's follows the emulator's
 * current address (the port may have changed). A directory or catalogue someone set up
 * themselves is left alone. Returns whether the profile changed.
 */
export async function connectDemoTenant(
  clients: ClientStore,
  clientId: string,
  graphBaseUrl: string,
): Promise<boolean> {
  const stored = await clients.get(clientId);
  if (!stored) return false;
  const profile: ClientProfile = { ...stored, access: stored.access ?? DEMO_ACCESS };
  if (!stored.directory || isDemoTenant(stored.directory)) profile.directory = demoDirectory(graphBaseUrl);
  if (JSON.stringify(profile) === JSON.stringify(stored)) return false;
  await clients.put(profile);
  return true;
}
