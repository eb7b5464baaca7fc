import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

import { BlobModelStore } from '../../../../src/adapters/blobs/blobModelStore';
import {
  createBlobServiceClient,
  storageConnectionFromSettings,
} from '../../../../src/adapters/tables/storageClients';
import { TextClassifier } from '../../../../src/domain/model/textClassifier';
import { containerName, Containers } from '../../../../src/names';
import { APP_ROOT } from '../../../support/runtime';
import { uniqueName } from '../../../support/storage';

const blobs = () => createBlobServiceClient(storageConnectionFromSettings('AzureWebJobsStorage'));

describe('BlobModelStore on Azurite', () => {
  it('versions published models and loads the current one', async () => {
    const store = new BlobModelStore(blobs(), uniqueName('models-'));
    assert.equal(await store.loadCurrent(), undefined);
    const a = TextClassifier.train(
      ['vpn down', 'printer jam', 'vpn drops', 'paper jam'],
      ['vpn_remote_access', 'printer_peripheral', 'vpn_remote_access', 'printer_peripheral'],
      { dims: 1024 },
    );
    const first = await store.publish(a.serialize(), {
      labels: a.labels,
      source: 'a.csv',
      at: new Date('2026-03-02T10:00:00Z'),
    });
    const second = await store.publish(a.serialize({ note: 'second' }), {
      labels: a.labels,
      source: 'b.csv',
      at: new Date('2026-03-03T10:00:00Z'),
    });
    assert.deepEqual([first.version, second.version], [1, 2]);
    const current = await store.loadCurrent();
    assert.equal(current?.info.source, 'b.csv');
    assert.equal(TextClassifier.deserialize(current?.model ?? Buffer.alloc(0)).meta.note, 'second');
  });

  it('autotier classifier train --publish uploads where the app looks, and refuses non-category labels', () => {
    const prefix = uniqueName('pub');
    const cli = (data: string, label: string) =>
      spawnSync(
        process.execPath,
        [
          path.join(APP_ROOT, 'dist', 'src', 'cli', 'autotier.js'),
          'classifier',
          'train',
          '--data',
          data,
          '--text-column',
          'subject,body',
          '--label-column',
          label,
          '--out',
          path.join(APP_ROOT, 'dist', `${prefix}.bin.gz`),
          '--publish',
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, AUTOTIER_TABLE_PREFIX: prefix },
        },
      );
    const ok = cli(path.join(APP_ROOT, 'data', 'msp-tickets.csv'), 'category');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stderr, /published as model v1/);
    const wrong = cli(path.join(APP_ROOT, 'data', 'msp-tickets.csv'), 'family');
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /cannot publish: labels .* are not autotier categories/);
    return new BlobModelStore(blobs(), containerName(prefix, Containers.models))
      .current()
      .then((c) => assert.equal(c?.version, 1));
  });
});
