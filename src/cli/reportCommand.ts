import { openStorage } from '../composition/storage';
import { metricsCsv, metricsHtml } from '../domain/report';
import { clientMetrics } from '../reporting/clientMetrics';
import { CliError } from './files';

const FLAG_OF: Record<string, string> = { clientId: '--client', from: '--from', to: '--to' };

export const REPORT_FORMATS = ['json', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * A client's metrics as JSON (what GET /api/metrics answers), CSV (one row per week and
 * category) or one self-contained HTML file with charts, from the deployment named by
 * AzureWebJobsStorage and AUTOTIER_TABLE_PREFIX.
 */
export async function reportCommand(options: {
  client: string;
  from?: string;
  to?: string;
  format: string;
  now?: Date;
}): Promise<string> {
  const format = options.format as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new CliError('--format must be json, csv or html');
  const storage = openStorage();
  const now = options.now ?? new Date();
  const result = await clientMetrics(
    {
      clients: storage.clients(),
      outcomes: storage.outcomes(),
    },
    { clientId: options.client, from: options.from, to: options.to, now: now.getTime() },
  );
  // The errors name the query's fields; the command has flags.
  if (!result.ok)
    throw new CliError(result.error.replace(/^(\w+):/, (_, f: string) => `${FLAG_OF[f] ?? f}:`));
  if (format === 'json') return `${JSON.stringify(result.metrics, null, 2)}\n`;
  if (format === 'csv') return metricsCsv(result.metrics);
  return metricsHtml(result.metrics, result.client.name, now.toISOString());
}
