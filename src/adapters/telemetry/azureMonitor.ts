import type { TokenCredential } from '@azure/identity';
import { type Attributes, metrics } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';

import type { OutcomeEvent } from '../../domain/metrics';
import type { OutcomeLog } from '../../ports/outcomeLog';

/** The Application Insights custom event every outcome becomes (`customEvents` in Log Analytics). */
export const OUTCOME_EVENT = 'autotier.outcome';
/** The exporter turns a log record with this attribute into a custom event of that name. */
const CUSTOM_EVENT_NAME = 'microsoft.custom_event.name';

/**
 * Starts OpenTelemetry with the Azure Monitor exporter: requests, dependencies, logs, and the
 * outcome events below. In Azure, local auth is off on the Application Insights resource, so
 * ingestion signs in with the app's managed identity (`credential`).
 */
export function startAzureMonitor(connectionString: string, credential?: TokenCredential): void {
  azureMonitor().useAzureMonitor({
    azureMonitorExporterOptions: { connectionString, ...(credential ? { credential } : {}) },
    enableLiveMetrics: false,
  });
}

/** Flushes what is buffered and stops the exporters (tests, and a host shutting down). */
export function stopAzureMonitor(): Promise<void> {
  return azureMonitor().shutdownAzureMonitor();
}

/**
 * The exporter's SDK, loaded when telemetry starts: it is a third of the app's module load
 * (about 0.4 s of 1 s), paid at every cold start of an app that sends no telemetry otherwise.
 */
function azureMonitor(): typeof import('@azure/monitor-opentelemetry') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
}

/**
 * The facts of an outcome event as telemetry dimensions. Nothing a person typed goes along: no
 * subject, no comment, no escalation reason in free text, only kinds, categories, tiers and times.
 */
export function outcomeDimensions(event: OutcomeEvent): Attributes {
  const base: Attributes = {
    'autotier.kind': event.kind,
    'autotier.client_id': event.clientId,
    'autotier.ticket_id': event.ticketId,
    'autotier.received_at': event.receivedAt,
    'autotier.at': event.at,
  };
  switch (event.kind) {
    case 'received':
      return { ...base, 'autotier.channel': event.channel };
    case 'classified':
      return {
        ...base,
        'autotier.category': event.category,
        'autotier.priority': event.priority,
        'autotier.tier': event.tier,
        'autotier.route': event.route,
      };
    case 'playbook':
      return {
        ...base,
        'autotier.result': event.result,
        ...(event.articleId ? { 'autotier.article': event.articleId } : {}),
      };
    case 'responded':
      return { ...base, 'autotier.by': event.by, 'autotier.via': event.via };
    case 'answered':
      return { ...base, 'autotier.answer': event.answer };
    case 'resolved':
      return { ...base, 'autotier.by': event.by, 'autotier.cycle': event.cycle };
    case 'escalated':
      return { ...base, 'autotier.tier': event.tier, 'autotier.cycle': event.cycle };
    case 'plan':
    case 'handed_up':
      return { ...base, 'autotier.tier': event.tier };
    case 'reopened':
      return { ...base, 'autotier.reopens': event.reopens };
    case 'rated':
      return { ...base, 'autotier.score': event.score };
    default:
      return base;
  }
}

/**
 * The outcome log, also telling Application Insights: each new event (a retry's repeats are not
 * new) as a custom event `autotier.outcome`, and a count in the `autotier.outcomes` metric by kind
 * and client. The workbook and the alert rules in infra/ read these. Telemetry never fails a
 * ticket: the exporter buffers and drops rather than throws.
 */
export function withOutcomeTelemetry(inner: OutcomeLog): OutcomeLog {
  const logger = logs.getLogger('autotier');
  const counter = metrics.getMeter('autotier').createCounter('autotier.outcomes', {
    description: 'Outcome events of tickets, by kind and client',
  });
  return {
    record: async (...events) => {
      const fresh = await inner.record(...events);
      for (const event of fresh) {
        const attributes = outcomeDimensions(event);
        logger.emit({
          severityNumber: SeverityNumber.INFO,
          body: OUTCOME_EVENT,
          attributes: { [CUSTOM_EVENT_NAME]: OUTCOME_EVENT, ...attributes },
        });
        counter.add(1, { 'autotier.kind': event.kind, 'autotier.client_id': event.clientId });
      }
      return fresh;
    },
    recordInterruption: (i) => inner.recordInterruption(i),
    recordSelfServiceDeflection: (d) => inner.recordSelfServiceDeflection(d),
    summaries: (...a) => inner.summaries(...a),
    interruptions: (...a) => inner.interruptions(...a),
    selfServiceDeflections: (...a) => inner.selfServiceDeflections(...a),
    events: (...a) => inner.events(...a),
  };
}
