import { type ContainerClient, RestError } from '@azure/storage-blob';

import type { KbImages } from '../../ports/knowledgeBase';

const TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

/** Knowledge-base pictures from the container `autotier kb import` uploads them to. */
export class BlobKbImages implements KbImages {
  constructor(private readonly container: ContainerClient) {}

  async read(name: string): Promise<{ content: Buffer; contentType: string } | undefined> {
    try {
      const content = await this.container.getBlockBlobClient(name).downloadToBuffer();
      const ext = name.split('.').pop()?.toLowerCase() ?? '';
      return { content, contentType: TYPES[ext] ?? 'application/octet-stream' };
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }
}
