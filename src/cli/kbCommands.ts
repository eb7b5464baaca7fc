import { openStorage } from '../composition/storage';
import { type KbCandidate, kbCandidates } from '../domain/kb';
import { exportKb, importKb } from './kbFiles';

/** The deployment's knowledge base and its image container, from the app settings. */
export function openKb() {
  const storage = openStorage();
  return { kb: storage.kb(), images: storage.kbImagesContainer(), config: storage.config, storage };
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
