import path from 'node:path';

import { createTableClient, storageConnectionFromSettings } from '../adapters/tables/storageClients';
import { TableClientStore } from '../adapters/tables/tableClientStore';
import { tableName } from '../adapters/tables/tableNames';
import { openKb } from '../cli/kbCommands';
import { importKb } from '../cli/kbFiles';
import { readConfig } from '../config';
import { DEMO_CLIENT } from '../domain/client';
import { connectDemoTenant } from './demoTenant';

/**
 * The embedded default's data: the `demo` client and the starter knowledge base from kb/, each
 * written only when missing. With `graphBaseUrl` (npm start serves the demo tenant there), the
 * client is connected to that tenant (see connectDemoTenant). Returns how many articles were
 * imported (0 when the KB had some).
 */
export async function seedDemo(appRoot: string, options: { graphBaseUrl?: string } = {}): Promise<number> {
  const clients = new TableClientStore(
    createTableClient(
      storageConnectionFromSettings('AzureWebJobsStorage'),
      tableName(readConfig().tablePrefix, 'Clients'),
    ),
  );
  await clients.ensureTable();
  if (!(await clients.get(DEMO_CLIENT.clientId))) await clients.put(DEMO_CLIENT);
  if (options.graphBaseUrl) await connectDemoTenant(clients, DEMO_CLIENT.clientId, options.graphBaseUrl);
  const { kb, images } = openKb();
  await kb.ensureTable();
  if ((await kb.all()).length > 0) return 0;
  return importKb(path.join(appRoot, 'kb'), kb, images);
}
