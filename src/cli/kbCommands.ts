import { assistantFromConfig } from '../composition/assistant';
import { openStorage } from '../composition/storage';
import { type KbCandidate, kbCandidates } from '../domain/kb';
import { CliError } from './files';
import { draftKbArticles } from './kbDrafts';
import { exportKb, importKb } from './kbFiles';

/** The deployment's knowledge base and its image container, from the app settings. */
export function openKb() {
  const storage = openStorage();
  return { kb: storage.kb(), images: storage.kbImagesContainer() };
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
  const log = openStorage().resolutions();
  const escalated = (await log.forClient(clientId)).filter((r) => r.outcome === 'escalated');
  return kbCandidates(
    escalated.map((r) => ({ ticketId: r.ticketId, subject: r.subject, category: r.category })),
    minCount,
  );
}

/** `kb candidates --draft --out DIR`: the assistant drafts each candidate as an article file for review. */
export async function kbDraftsFor(clientId: string, minCount: number, outDir: string): Promise<string> {
  const storage = openStorage();
  const now = () => new Date();
  const { assistant } = await assistantFromConfig(storage, now);
  if (!assistant)
    throw new CliError(
      '--draft needs the assistant: set AUTOTIER_OPENAI_ENDPOINT and AUTOTIER_OPENAI_DEPLOYMENT',
    );
  const resolutions = storage.resolutions();
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
