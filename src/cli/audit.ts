import { CATEGORIES } from '../domain/categories';
import { type CategoryModel, classifyTicket } from '../domain/classification';
import { CliError, readLabelledCsv } from './files';

export interface AuditRow {
  category: string;
  tickets: number;
  share: number;
  automatable: number;
}

export interface AuditResult {
  rows: AuditRow[];
  total: number;
  automatable: number;
  successRate: number;
  projectedDeflection: number;
}

/**
 * What automation would take on in a PSA export: each category's share, how much of it automation
 * may touch (confident, safe, a playbook exists), and the deflection to expect at a given playbook
 * success rate. Reads the file only.
 */
export function audit(
  file: string,
  textColumns: string[],
  model: CategoryModel | undefined,
  options: { threshold: number; successRate: number },
): AuditResult {
  if (!(options.successRate > 0 && options.successRate <= 1))
    throw new CliError('--success-rate must be between 0 and 1');
  // The label column is not needed: name the first text column twice so the reader accepts the file.
  const rows = readLabelledCsv(file, textColumns, textColumns[0] ?? '', 1_000_000).map((r) =>
    classifyTicket(r.text, '', options.threshold, model),
  );
  const total = rows.length;
  const table: AuditRow[] = CATEGORIES.map((category) => {
    const mine = rows.filter((r) => r.category === category);
    return {
      category,
      tickets: mine.length,
      share: mine.length / total,
      automatable: mine.filter((r) => r.route === 'auto').length,
    };
  });
  const automatable = table.reduce((s, r) => s + r.automatable, 0);
  return {
    rows: table,
    total,
    automatable,
    successRate: options.successRate,
    projectedDeflection: (automatable / total) * options.successRate,
  };
}

export function formatAudit(result: AuditResult): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `${'category'.padEnd(20)} ${'tickets'.padStart(8)} ${'share'.padStart(7)} ${'automatable'.padStart(12)}`,
  ];
  for (const r of result.rows)
    lines.push(
      `${r.category.padEnd(20)} ${String(r.tickets).padStart(8)} ${pct(r.share).padStart(7)} ${String(r.automatable).padStart(12)}`,
    );
  lines.push(
    `${'total'.padEnd(20)} ${String(result.total).padStart(8)} ${'100.0%'.padStart(7)} ${String(result.automatable).padStart(12)}`,
  );
  lines.push('');
  lines.push(
    `automatable share: ${pct(result.automatable / result.total)} of tickets (${result.automatable} of ${result.total})`,
  );
  lines.push(
    `projected deflection at ${pct(result.successRate)} playbook success: ${pct(result.projectedDeflection)} of tickets (about ${Math.round(result.projectedDeflection * result.total)} of ${result.total}) resolved with no engineer`,
  );
  return lines.join('\n');
}
