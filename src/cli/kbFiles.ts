import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { ContainerClient } from '@azure/storage-blob';
import { parse, stringify } from 'yaml';

import { isCategory } from '../domain/categories';
import { ALL_CLIENTS, type KbArticle } from '../domain/kb';
import type { KnowledgeBase } from '../ports/knowledgeBase';
import { CliError, writeAtomically } from './files';

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;
const STEP = /^\s*\d+[.)]\s+(.+?)\s*$/;

/**
 * One article per Markdown file:
 *   ---
 *   id: vpn-forticlient
 *   client: demo            # or "*" for every client
 *   category: vpn_remote_access
 *   title: Connecting with FortiClient
 *   tags: [vpn, forticlient]
 *   variant: { vpnProduct: FortiClient }
 *   images: [step-2.png]     # files beside the article, uploaded to Blob storage
 *   ---
 *   1. First step
 *   2. Second step
 */
export function parseArticle(
  file: string,
  text: string,
  now: Date,
): { article: KbArticle; imageFiles: string[] } {
  const m = FRONT_MATTER.exec(text);
  if (!m) throw new CliError(`${file}: no front matter (a --- block at the top)`);
  let meta: Record<string, unknown>;
  try {
    meta = (parse(m[1] ?? '') ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new CliError(
      `${file}: front matter is not valid YAML (${err instanceof Error ? err.message.split('\n')[0] : ''})`,
    );
  }
  const str = (k: string) => (typeof meta[k] === 'string' ? meta[k].trim() : '');
  const id = str('id');
  if (!/^[a-z0-9][a-z0-9-]{0,80}$/.test(id))
    throw new CliError(`${file}: id must be lowercase letters, digits and hyphens`);
  const category = str('category');
  if (!isCategory(category))
    throw new CliError(`${file}: category "${category}" is not one of the autotier categories`);
  const title = str('title');
  if (!title) throw new CliError(`${file}: title is required`);
  const steps = (m[2] ?? '')
    .split(/\r?\n/)
    .map((l) => STEP.exec(l)?.[1])
    .filter((s): s is string => !!s);
  if (steps.length === 0) throw new CliError(`${file}: the article has no numbered steps`);
  const list = (k: string) => (Array.isArray(meta[k]) ? (meta[k] as unknown[]).map(String) : []);
  const images = list('images');
  const clientId = str('client') || ALL_CLIENTS;
  const variant =
    meta.variant && typeof meta.variant === 'object' ? (meta.variant as KbArticle['variant']) : undefined;
  return {
    article: {
      articleId: id,
      clientId,
      category,
      title,
      steps,
      tags: list('tags'),
      images: images.map((i) => `${clientId === ALL_CLIENTS ? '_all' : clientId}/${id}/${path.basename(i)}`),
      variant,
      uses: 0,
      successes: 0,
      updatedAt: now.toISOString(),
    },
    imageFiles: images.map((i) => path.resolve(path.dirname(file), i)),
  };
}

export function formatArticle(a: KbArticle): string {
  const meta: Record<string, unknown> = {
    id: a.articleId,
    client: a.clientId,
    category: a.category,
    title: a.title,
    tags: a.tags,
  };
  if (a.variant) meta.variant = a.variant;
  if (a.images.length) meta.images = a.images.map((i) => path.basename(i));
  meta.uses = a.uses;
  meta.successes = a.successes;
  return `---\n${stringify(meta).trim()}\n---\n${a.steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}\n`;
}

/** Imports every .md file in a folder; all files are checked before anything is written. */
export async function importKb(
  dir: string,
  kb: KnowledgeBase,
  images: ContainerClient | undefined,
  now = new Date(),
): Promise<number> {
  if (!existsSync(dir)) throw new CliError(`${dir}: no such folder`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort();
  if (files.length === 0) throw new CliError(`${dir}: no .md articles`);
  const parsed = files.map((f) =>
    parseArticle(path.join(dir, f), readFileSync(path.join(dir, f), 'utf8'), now),
  );
  for (const { article, imageFiles } of parsed) {
    for (const img of imageFiles)
      if (!existsSync(img)) throw new CliError(`${article.articleId}: image ${img} not found`);
  }
  if (images) await images.createIfNotExists();
  const existing = new Map((await kb.all()).map((a) => [`${a.clientId}/${a.articleId}`, a]));
  for (const { article, imageFiles } of parsed) {
    if (images)
      for (const [i, img] of imageFiles.entries())
        await images.getBlockBlobClient(article.images[i] ?? '').uploadFile(img);
    const before = existing.get(`${article.clientId}/${article.articleId}`);
    // Re-importing an article keeps what it has earned.
    await kb.put(before ? { ...article, uses: before.uses, successes: before.successes } : article);
  }
  return parsed.length;
}

export async function exportKb(
  dir: string,
  kb: KnowledgeBase,
  images: ContainerClient | undefined,
  clientId?: string,
): Promise<number> {
  const articles = (clientId ? await kb.forClient(clientId) : await kb.all()).sort((a, b) =>
    a.articleId.localeCompare(b.articleId),
  );
  if (articles.length === 0) throw new CliError('the knowledge base has no articles to export');
  mkdirSync(dir, { recursive: true });
  for (const a of articles) {
    const base = `${a.clientId === ALL_CLIENTS ? '_all' : a.clientId}--${a.articleId}`;
    writeAtomically(path.join(dir, `${base}.md`), formatArticle(a));
    if (images)
      for (const img of a.images)
        await images.getBlobClient(img).downloadToFile(path.join(dir, path.basename(img)));
  }
  return articles.length;
}
