import path from 'node:path';

import { importKb } from '../cli/kbFiles';
import { openStorage } from '../composition/storage';
import { DEMO_CLIENT } from '../domain/client';
import { connectDemoTenant } from './demoTenant';

/**
 * The embedded default's data: the `demo` client and the starter knowledge base from kb/, each
 * written only when missing. With `graphBaseUrl` (npm start serves the demo tenant there), the
 * client is connected to that tenant (see connectDemoTenant). Returns how many articles were
 * imported (0 when the KB had some).
 */
export async function seedDemo(appRoot: string, options: { graphBaseUrl?: string } = {}): Promise<number> {
  const storage = openStorage();
  const clients = storage.clients();
  await clients.ensureTable();
  if (!(await clients.get(DEMO_CLIENT.clientId))) await clients.put(DEMO_CLIENT);
  if (options.graphBaseUrl) await connectDemoTenant(clients, DEMO_CLIENT.clientId, options.graphBaseUrl);
  const kb = storage.kb();
  const images = storage.kbImagesContainer();
  await kb.ensureTable();
  if ((await kb.all()).length > 0) return 0;
  return importKb(path.join(appRoot, 'kb'), kb, images);
}
