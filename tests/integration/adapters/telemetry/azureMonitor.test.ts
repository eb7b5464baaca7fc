import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';

import {
  OUTCOME_EVENT,
  startAzureMonitor,
  stopAzureMonitor,
  withOutcomeTelemetry,
} from '../../../../src/adapters/telemetry/azureMonitor';
import type { OutcomeEvent } from '../../../../src/domain/metrics';
import { MemoryOutcomes } from '../../../support/fakes';

interface Envelope {
  name: string;
  data?: {
    baseType?: string;
    baseData?: {
      name?: string;
      properties?: Record<string, string>;
      metrics?: { name: string; value: number }[];
    };
  };
}

/** A throwaway self-signed certificate for 127.0.0.1: the exporter speaks only TLS. */
function localCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ingest-'));
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/**
 * A local Application Insights ingestion endpoint (the Breeze `POST /v2.1/track` API the Azure
 * Monitor exporter speaks: a JSON array of envelopes, gzipped, over TLS), so the real exporter runs.
 */
describe('outcome telemetry through the Azure Monitor exporter', () => {
  const envelopes: Envelope[] = [];
  let server: https.Server;
  before(async () => {
    // The exporter always uses TLS; this process trusts the throwaway certificate of 127.0.0.1.
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    server = https.createServer(localCertificate(), (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        if (req.url?.startsWith('/v2.1/track') || req.url?.startsWith('/v2/track'))
          envelopes.push(...(JSON.parse(body.toString('utf8')) as Envelope[]));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // Look like a Functions app, so no resource detector probes the VM metadata address, and send
    // nothing but what this test receives.
    process.env.WEBSITE_SITE_NAME = 'autotier-test';
    process.env.WEBSITE_SKU = 'FlexConsumption';
    process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED = 'true';
    const { port } = server.address() as AddressInfo;
    startAzureMonitor(
      `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=http://127.0.0.1:${port}/`,
    );
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends each new outcome once as a custom event and a metric, with no free text', async () => {
    const outcomes = withOutcomeTelemetry(new MemoryOutcomes());
    const base = { clientId: 'demo', ticketId: 'T-1042', receivedAt: '2026-03-02T10:00:00Z' };
    const resolved: OutcomeEvent = {
      ...base,
      step: 'resolved',
      at: '2026-03-02T10:05:00Z',
      kind: 'resolved',
      by: 'requester',
      cycle: 0,
    };
    const rated: OutcomeEvent = {
      ...base,
      step: 'rated',
      at: '2026-03-02T10:06:00Z',
      kind: 'rated',
      score: 5,
      comment: 'Sam was great, call me on 07700 900123',
    };
    assert.equal((await outcomes.record(resolved)).length, 1);
    assert.equal((await outcomes.record(resolved)).length, 0, 'a retried activity repeats nothing');
    await outcomes.record(rated);
    await stopAzureMonitor();

    const events = envelopes.filter((e) => e.data?.baseData?.name === OUTCOME_EVENT);
    assert.equal(events.length, 2, JSON.stringify(envelopes.map((e) => e.name)));
    const props = events.map((e) => e.data?.baseData?.properties ?? {});
    assert.deepEqual(
      props.map((p) => [p['autotier.kind'], p['autotier.client_id'], p['autotier.ticket_id']]),
      [
        ['resolved', 'demo', 'T-1042'],
        ['rated', 'demo', 'T-1042'],
      ],
    );
    assert.equal(props[0]?.['autotier.by'], 'requester');
    assert.equal(props[1]?.['autotier.score'], '5');
    // The whole phone number: the exporter's own performance counters carry long decimals, and
    // "07700" alone turned up inside one (33.55334390077004) and failed this test by chance.
    assert.doesNotMatch(JSON.stringify(envelopes), /Sam was great|07700 900123/, 'a comment is never sent');
    assert.equal(events[0]?.data?.baseType, 'EventData', 'an Application Insights custom event');
    const counted = envelopes
      .flatMap((e) => e.data?.baseData?.metrics ?? [])
      .filter((m) => m.name === 'autotier.outcomes')
      .reduce((n, m) => n + m.value, 0);
    assert.equal(counted, 2);
  });
});
