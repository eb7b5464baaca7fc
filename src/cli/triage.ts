import { z } from 'zod';

import { AUTOMATABLE } from '../domain/categories';
import { type CategoryModel, classifyTicket } from '../domain/classification';
import { describeIssue } from '../domain/intake';
import { CliError, readInput, writeAtomically } from './files';

const MAX_LINE_BYTES = 1024 * 1024;

const line = z.object({
  id: z.union([z.string().min(1), z.number()]).optional(),
  subject: z.string(),
  body: z.string(),
  clientId: z.string().optional(),
  requesterEmail: z.string().optional(),
});

export interface TriageResult {
  id: string | number;
  category: string;
  priority: string;
  confidence: number;
  route: 'auto' | 'escalate';
  tier: number;
  playbook?: string;
  reasons: string[];
}

/**
 * The dry run: what autotier would do with each ticket. Reads and writes files only. A line
 * without an id gets its line number ("1", "2", ...), listed in `numbered` so the caller can say so.
 */
export function triage(
  input: string,
  model: CategoryModel | undefined,
  autoThreshold = 0.6,
): { results: TriageResult[]; numbered: number[] } {
  const lines = readInput(input).split(/\r?\n/);
  const results: TriageResult[] = [];
  const numbered: number[] = [];
  lines.forEach((text, i) => {
    const n = i + 1;
    if (text.trim() === '') return;
    if (Buffer.byteLength(text) > MAX_LINE_BYTES)
      throw new CliError(`${input}: line ${n}: ticket is larger than 1 MB`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CliError(`${input}: line ${n}: not valid JSON`);
    }
    const parsed = line.safeParse(json);
    if (!parsed.success) throw new CliError(`${input}: line ${n}: ${describeIssue(parsed.error)}`);
    const t = parsed.data;
    if (t.id === undefined) numbered.push(n);
    const c = classifyTicket(t.subject, t.body, autoThreshold, model);
    results.push({
      id: t.id ?? String(n),
      category: c.category,
      priority: c.priority,
      confidence: c.confidence,
      route: c.route,
      tier: c.tier,
      ...(c.route === 'auto' && AUTOMATABLE.has(c.category) ? { playbook: c.category } : {}),
      reasons: c.reasons,
    });
  });
  if (results.length === 0) throw new CliError(`${input}: no tickets in the file`);
  return { results, numbered };
}

export function writeJsonLines(file: string | undefined, rows: unknown[]): void {
  const text = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  if (file) writeAtomically(file, text);
  else process.stdout.write(text);
}
