import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { BlobModelStore } from '../adapters/blobs/blobModelStore';
import { isCategory } from '../domain/categories';
import type { CategoryModel } from '../domain/classification';
import { TextClassifier } from '../domain/model/textClassifier';

/** The built-in model, trained by `npm run build` from data/msp-tickets.csv (its train split). */
export const BUILTIN_MODEL_FILE = path.resolve(__dirname, '..', '..', 'models', 'builtin.bin.gz');

/** The published model if there is one whose labels are all categories, else the built-in one. */
export async function loadClassifier(store: BlobModelStore): Promise<CategoryModel | undefined> {
  const published = await store.loadCurrent();
  if (published) {
    const unknown = published.info.labels.filter((l) => !isCategory(l));
    if (unknown.length === 0) return TextClassifier.deserialize(published.model);
    console.warn(
      `published model v${published.info.version} has labels that are not categories (${unknown.join(', ')}); using the built-in model`,
    );
  }
  return existsSync(BUILTIN_MODEL_FILE)
    ? TextClassifier.deserialize(readFileSync(BUILTIN_MODEL_FILE))
    : undefined;
}
