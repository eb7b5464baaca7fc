import type { ContainerClient } from '@azure/storage-blob';

/** Deletes the blobs under `prefix` last written before `cutoff`; a blob already gone is no error. */
export async function purgeBlobsBefore(
  container: ContainerClient,
  prefix: string,
  cutoff: Date,
): Promise<number> {
  if (!(await container.exists())) return 0;
  let deleted = 0;
  for await (const blob of container.listBlobsFlat({ prefix })) {
    if (blob.properties.lastModified >= cutoff) continue;
    const result = await container.deleteBlob(blob.name).catch((err: { statusCode?: number }) => {
      if (err.statusCode === 404) return undefined;
      throw err;
    });
    if (result) deleted++;
  }
  return deleted;
}
