import { assistantFromConfig } from '../adapters/openai/assistantFromConfig';
import {
  createBlobServiceClient,
  createTableClient,
  storageConnectionFromSettings,
} from '../adapters/tables/storageClients';
import { TableKnowledgeBase } from '../adapters/tables/tableKnowledgeBase';
import { tableName } from '../adapters/tables/tableNames';
import { TableResolutionLog } from '../adapters/tables/tableResolutionLog';
import { kbImagesContainer, readConfig } from '../config';
import { type KbCandidate, kbCandidates } from '../domain/kb';
import { CliError } from './files';
import { draftKbArticles } from './kbDrafts';
import { exportKb, importKb } from './kbFiles';

/** The deployment's knowledge base and its image container, from the app settings. */
export function openKb() {
  const config = readConfig();
  const storage = storageConnectionFromSettings('AzureWebJobsStorage');
  const kb = new TableKnowledgeBase(createTableClient(storage, tableName(config.tablePrefix, 'Kb')));
  const images = createBlobServiceClient(storage).getContainerClient(kbImagesContainer(config.tablePrefix));
  return { kb, images, config, storage };
}

export async function kbImport(dir: string): Promise<string> {
  const { kb, images } = openKb();
  await kb.ensureTable();
  return `imported ${await importKb(dir, kb, images)} articles from ${dir}`;
}

export async function kbExport(dir: string, clientId?: string): Promise<string> {
  const { kb, images } = openKb();
  return `exported ${await exportKb(dir, kb, images, clientId)} articles to ${dir}`;
}

/** Escalations of a client that recur: each group is a knowledge-base article waiting to be written. */
export async function kbCandidatesFor(clientId: string, minCount: number): Promise<KbCandidate[]> {
  const { config, storage } = openKb();
  const log = new TableResolutionLog(
    createTableClient(storage, tableName(config.tablePrefix, 'Resolutions')),
  );
  const escalated = (await log.forClient(clientId)).filter((r) => r.outcome === 'escalated');
  return kbCandidates(
    escalated.map((r) => ({ ticketId: r.ticketId, subject: r.subject, category: r.category })),
    minCount,
  );
}

/** `kb candidates --draft --out DIR`: the assistant drafts each candidate as an article file for review. */
export async function kbDraftsFor(clientId: string, minCount: number, outDir: string): Promise<string> {
  const { config, storage } = openKb();
  const now = () => new Date();
  const { assistant } = await assistantFromConfig(config.openai, storage, config, now);
  if (!assistant)
    throw new CliError(
      '--draft needs the assistant: set AUTOTIER_OPENAI_ENDPOINT and AUTOTIER_OPENAI_DEPLOYMENT',
    );
  const resolutions = new TableResolutionLog(
    createTableClient(storage, tableName(config.tablePrefix, 'Resolutions')),
  );
  const { written, candidates, unanswered } = await draftKbArticles(
    { assistant, resolutions, now },
    clientId,
    minCount,
    outDir,
  );
  return [
    `${candidates.length} candidate${candidates.length === 1 ? '' : 's'}; drafted ${written.length} into ${outDir} (review them, then autotier kb import --dir ${outDir})`,
    ...written.map((f) => `  ${f}`),
    ...(unanswered.length
      ? [
          `no draft for ${unanswered.length} (the assistant gave no answer): ${unanswered.map((c) => c.ticketIds.join(' ')).join('; ')}`,
        ]
      : []),
  ].join('\n');
}
