import { type BlobServiceClient, type ContainerClient, RestError } from '@azure/storage-blob';

export interface PublishedModel {
  version: number;
  publishedAt: string;
  labels: string[];
  source: string;
}

const POINTER = 'classifier/current.json';
const blobName = (version: number) => `classifier/v${String(version).padStart(4, '0')}.bin.gz`;

/**
 * Trained classifier models, versioned in Blob Storage: every published model stays as
 * classifier/vNNNN.bin.gz, and classifier/current.json names the one the app loads.
 */
export class BlobModelStore {
  private readonly container: ContainerClient;

  constructor(service: BlobServiceClient, containerName: string) {
    this.container = service.getContainerClient(containerName);
  }

  async publish(
    model: Buffer,
    info: { labels: string[]; source: string; at: Date },
  ): Promise<PublishedModel> {
    await this.container.createIfNotExists();
    const version = ((await this.current())?.version ?? 0) + 1;
    await this.container
      .getBlockBlobClient(blobName(version))
      .uploadData(model, { blobHTTPHeaders: { blobContentType: 'application/gzip' } });
    const pointer: PublishedModel = {
      version,
      publishedAt: info.at.toISOString(),
      labels: info.labels,
      source: info.source,
    };
    const body = JSON.stringify(pointer);
    await this.container
      .getBlockBlobClient(POINTER)
      .upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/json' } });
    return pointer;
  }

  async current(): Promise<PublishedModel | undefined> {
    const text = await this.download(POINTER);
    return text ? (JSON.parse(text.toString('utf8')) as PublishedModel) : undefined;
  }

  async loadCurrent(): Promise<{ info: PublishedModel; model: Buffer } | undefined> {
    const info = await this.current();
    if (!info) return undefined;
    const model = await this.download(blobName(info.version));
    if (!model) throw new Error(`model v${info.version} is named current but its blob is missing`);
    return { info, model };
  }

  private async download(name: string): Promise<Buffer | undefined> {
    try {
      return await this.container.getBlobClient(name).downloadToBuffer();
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }
}
