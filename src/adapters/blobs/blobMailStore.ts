import { createHash } from 'node:crypto';

import { type ContainerClient, RestError } from '@azure/storage-blob';

import type { MailStore } from '../../ports/mailStore';
import type { RawCopies } from '../../ports/rawCopies';
import { purgeBlobsBefore } from './blobPurge';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Raw mail under raw/<sha256>.eml, attachments under attachments/<ticketId>/<sha256 prefix>-<name>. */
export class BlobMailStore implements MailStore, RawCopies {
  readonly name = 'raw mail';

  constructor(private readonly container: ContainerClient) {}

  /** Raw MIME goes after the retention; attachments stay with their tickets. */
  purgeBefore(cutoff: Date): Promise<number> {
    return purgeBlobsBefore(this.container, 'raw/', cutoff);
  }

  async ensureContainer(): Promise<void> {
    await this.container.createIfNotExists();
  }

  async putRaw(raw: Buffer): Promise<string> {
    const name = `raw/${sha256(raw)}.eml`;
    await this.container
      .getBlockBlobClient(name)
      .uploadData(raw, { blobHTTPHeaders: { blobContentType: 'message/rfc822' } });
    return name;
  }

  async getRaw(name: string): Promise<Buffer | undefined> {
    if (!/^raw\/[0-9a-f]{64}\.eml$/.test(name)) return undefined;
    try {
      return await this.container.getBlockBlobClient(name).downloadToBuffer();
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  async putAttachment(
    ticketId: string,
    filename: string,
    contentType: string,
    content: Buffer,
  ): Promise<string> {
    const safe = filename.replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 120) || 'attachment';
    const name = `attachments/${ticketId}/${sha256(content).slice(0, 16)}-${safe}`;
    await this.container.getBlockBlobClient(name).uploadData(content, {
      blobHTTPHeaders: { blobContentType: contentType, blobContentDisposition: 'attachment' },
    });
    return name;
  }
}
