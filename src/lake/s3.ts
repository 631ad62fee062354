// The S3 lake: a bucket and key prefix behind the Lake interface. The only importer of @aws-sdk/*.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type * as ClientS3 from '@aws-sdk/client-s3';
import type * as LibStorage from '@aws-sdk/lib-storage';
import { DEFAULT_S3_MAX_ATTEMPTS, type S3ReadMode } from '../config.js';
import type { Engine } from '../engine/duckdb.js';
import { EtlError, messageOf } from '../errors.js';
import type { Logger } from '../log.js';
import { registerSecret } from '../redact.js';
import { assertSafeKey, isSafeKey, joinKey, type Lake, type LakeObject } from './lake.js';
import { noCredentialsError, type S3Target, s3Error } from './s3-errors.js';
import { chooseReadPath } from './s3-read.js';

// The SDK is CommonJS: require() loads it without the export-name scan Node runs on CommonJS packages that ESM
// imports (about 60 ms of every S3 run). lib-storage is only needed for multipart uploads, so it loads on first use.
const require = createRequire(import.meta.url);
const {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
} = require('@aws-sdk/client-s3') as typeof ClientS3;
const libStorage = (): typeof LibStorage => require('@aws-sdk/lib-storage') as typeof LibStorage;

/** Parallel downloads into the staging folder, and parallel parts of one multipart upload. */
export const DOWNLOAD_CONCURRENCY = 16;
/** Attempts per download whose body breaks mid-stream (the SDK's own retries cover failed responses). */
export const TRANSFER_ATTEMPTS = 3;
export const UPLOAD_QUEUE_SIZE = 4;
/** Objects above this size are uploaded in parts of this size (lib-storage multipart). */
export const UPLOAD_PART_SIZE = 8 * 1024 * 1024;
/** A request (or a body stalled mid-way) that answers nothing for this long is cut and retried. */
export const REQUEST_TIMEOUT_MS = 120_000;
/** Key prefixes of published outputs, the only objects uploaded in parts. */
export const PUBLISHED_PREFIXES = ['curated/', 'marts/'] as const;
/** Region for custom endpoints when none is configured: S3-compatible servers accept any. */
export const DEFAULT_ENDPOINT_REGION = 'us-east-1';

export interface S3LakeOptions {
  bucket: string;
  /** Key prefix inside the bucket, without leading or trailing slash ('' for the bucket root). */
  prefix: string;
  uri: string;
  endpoint?: string | undefined;
  region?: string | undefined;
  readMode: S3ReadMode;
  /** Attempts per request, the first included (default DEFAULT_S3_MAX_ATTEMPTS). */
  maxAttempts?: number | undefined;
  /** Milliseconds without an answer before a request is given up and retried (default REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number | undefined;
  log: Logger;
}

/** A local copy of an object this process wrote, kept where `materialize` would download it (see keepCopies). */
interface WrittenCopy {
  path: string;
  etag: string;
  size: number;
}

/** Credentials as resolved once from the SDK's default provider chain. */
export interface ResolvedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export class S3Lake implements Lake {
  readonly uri: string;
  readonly target: S3Target;
  private readonly prefix: string;
  private readonly sizes = new Map<string, LakeObject>();
  private readonly copies = new Map<string, WrittenCopy>();
  private copyDir: string | undefined;
  private readPath: 'httpfs' | 'sdk' = 'sdk';
  /** The engine already prepared: a retried transform must not load httpfs again once DuckDB is locked down. */
  private preparedFor: Engine | undefined;

  private constructor(
    private readonly client: ClientS3.S3Client,
    readonly credentials: ResolvedCredentials,
    private readonly options: S3LakeOptions,
    region: string,
  ) {
    this.uri = options.uri;
    this.prefix = options.prefix;
    this.target = { bucket: options.bucket, endpoint: options.endpoint, region };
  }

  /**
   * Creates the client and resolves credentials once through the default provider chain (environment,
   * ~/.aws profiles, SSO, instance roles). The client keeps that memoized result; DuckDB gets the same values.
   */
  static async open(options: S3LakeOptions): Promise<S3Lake> {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const client = new S3Client({
      region: options.region ?? (options.endpoint ? DEFAULT_ENDPOINT_REGION : undefined),
      endpoint: options.endpoint,
      // Custom endpoints (MinIO, LocalStack, moto) rarely resolve bucket subdomains.
      forcePathStyle: options.endpoint !== undefined,
      // Standard mode: exponential backoff with full jitter; throttling, 5xx, resets and timeouts are retried,
      // while 4xx answers (AccessDenied, NoSuchBucket, bad credentials) fail at once.
      retryMode: 'standard',
      maxAttempts: options.maxAttempts ?? DEFAULT_S3_MAX_ATTEMPTS,
      // Without throwOnRequestTimeout the handler only warns and a hung request waits forever.
      requestHandler: {
        connectionTimeout: 5_000,
        requestTimeout: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
        throwOnRequestTimeout: true,
      },
    });
    const target: S3Target = { bucket: options.bucket, endpoint: options.endpoint, region: options.region };
    try {
      let region: string;
      try {
        region = await client.config.region();
      } catch (error) {
        throw new EtlError('no AWS region configured', {
          cause: error,
          exitCode: 2,
          hint: 'Set --s3-region or AWS_REGION (or a region in your ~/.aws/config profile).',
        });
      }
      let identity: ResolvedCredentials;
      try {
        identity = await client.config.credentials();
      } catch (error) {
        throw noCredentialsError(error);
      }
      registerSecret(identity.accessKeyId);
      registerSecret(identity.secretAccessKey);
      registerSecret(identity.sessionToken);
      return new S3Lake(client, identity, options, region);
    } catch (error) {
      client.destroy();
      throw s3Error(error, 'connect', target);
    }
  }

  /** Full object key inside the bucket. */
  private fullKey(key: string): string {
    assertSafeKey(key);
    return joinKey(this.prefix, key);
  }

  private fail(error: unknown, action: string, key?: string): EtlError {
    return s3Error(error, action, this.target, key === undefined ? undefined : this.fullKey(key));
  }

  async list(prefix: string): Promise<LakeObject[]> {
    const full = this.prefix ? `${this.prefix}/${prefix.replace(/^\/+/, '')}` : prefix;
    const strip = this.prefix ? this.prefix.length + 1 : 0;
    const out: LakeObject[] = [];
    try {
      // One page holds at most 1,000 keys; the paginator follows the continuation tokens.
      for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.target.bucket, Prefix: full })) {
        for (const o of page.Contents ?? []) {
          if (!o.Key || o.Key.endsWith('/')) continue;
          const object = { key: o.Key.slice(strip), size: o.Size ?? 0, etag: (o.ETag ?? '').replaceAll('"', '') };
          if (!isSafeKey(object.key)) {
            // Someone else's upload can hold any key; one that could escape the staging folder is never taken.
            this.options.log.warn('skipping an S3 object whose key could escape the staging folder', { key: o.Key });
            continue;
          }
          out.push(object);
          this.sizes.set(object.key, object);
        }
      }
    } catch (error) {
      throw this.fail(error, 'ListObjectsV2');
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * A single PutObject: S3 shows the whole object under its key or nothing. With keepCopies, the same bytes also go
   * to the staging folder at the same time (a failed copy only means a download later).
   */
  async write(key: string, body: string | Uint8Array): Promise<void> {
    const copy = this.copyDir === undefined ? undefined : this.stagedPath(key, this.copyDir);
    const saved = copy === undefined ? Promise.resolve(false) : saveCopy(copy, body);
    let etag: string | undefined;
    try {
      const response = await this.client.send(new PutObjectCommand({ Bucket: this.target.bucket, Key: this.fullKey(key), Body: body }));
      etag = response.ETag?.replaceAll('"', '');
    } catch (error) {
      if (copy !== undefined && (await saved)) await fsp.rm(copy, { force: true });
      throw this.fail(error, 'PutObject', key);
    }
    if (copy !== undefined && (await saved) && etag) {
      this.copies.set(key, { path: copy, etag, size: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength });
    }
  }

  /**
   * From now on, every object written is also kept under `stagingDir`, where `materialize(keys, stagingDir)` would
   * download it: the run that generated the raw files then reads them without downloading them back. A copy is taken
   * only while the listed object still has the size and ETag that S3 gave this very write.
   */
  keepCopies(stagingDir: string): void {
    this.copyDir = stagingDir;
  }

  /**
   * Copies a local file up: one PutObject up to UPLOAD_PART_SIZE (what lib-storage itself does below one part), else
   * a multipart upload, which S3 publishes only on completion (and which is aborted on failure).
   */
  async upload(key: string, localFile: string): Promise<void> {
    const size = (await fsp.stat(localFile)).size;
    // Below one part the bytes are read into memory, so that the SDK can send them again on a retry.
    const body = size <= UPLOAD_PART_SIZE ? await fsp.readFile(localFile) : undefined;
    try {
      if (body !== undefined) {
        await this.client.send(new PutObjectCommand({ Bucket: this.target.bucket, Key: this.fullKey(key), Body: body }));
        return;
      }
      const upload = new (libStorage().Upload)({
        client: this.client,
        params: { Bucket: this.target.bucket, Key: this.fullKey(key), Body: fs.createReadStream(localFile), ContentLength: size },
        queueSize: UPLOAD_QUEUE_SIZE,
        partSize: UPLOAD_PART_SIZE,
        leavePartsOnError: false,
      });
      await upload.done();
    } catch (error) {
      throw this.fail(error, 'upload', key);
    }
  }

  async read(key: string): Promise<Buffer> {
    return this.withTransferRetry(key, async () => {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.target.bucket, Key: this.fullKey(key), ChecksumMode: 'ENABLED' }),
      );
      return Buffer.from(await (response.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    });
  }

  /**
   * Retries a GET whose body broke after the response began (connection cut, checksum mismatch, short file):
   * the SDK retries failed responses itself (errors carrying `$metadata`), but not a body that fails mid-stream.
   */
  private async withTransferRetry<T>(key: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        const fromSdk = (error as { $metadata?: unknown }).$metadata !== undefined;
        if (fromSdk || attempt >= (this.options.maxAttempts ?? TRANSFER_ATTEMPTS)) throw this.fail(error, 'GetObject', key);
        this.options.log.warn('retrying a broken S3 download', {
          key: this.fullKey(key),
          attempt,
          reason: messageOf(error).split('\n')[0],
        });
      }
    }
  }

  /** Aborts the unfinished multipart uploads under the published prefixes (only publish uses multipart). */
  async abortStaleUploads(): Promise<number> {
    let aborted = 0;
    for (const published of PUBLISHED_PREFIXES) {
      const prefix = joinKey(this.prefix, published);
      try {
        const listed = await this.client.send(new ListMultipartUploadsCommand({ Bucket: this.target.bucket, Prefix: prefix }));
        for (const upload of listed.Uploads ?? []) {
          if (!upload.Key || !upload.UploadId) continue;
          await this.client.send(
            new AbortMultipartUploadCommand({ Bucket: this.target.bucket, Key: upload.Key, UploadId: upload.UploadId }),
          );
          aborted++;
        }
      } catch (error) {
        throw this.fail(error, 'AbortMultipartUpload');
      }
    }
    return aborted;
  }

  /** Deletes one object (doctor's probe, a master partition that no longer exists). */
  async remove(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.target.bucket, Key: this.fullKey(key) }));
    } catch (error) {
      throw this.fail(error, 'DeleteObject', key);
    }
  }

  /** Checks that the bucket exists and these credentials may use it. */
  async checkBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.target.bucket }));
    } catch (error) {
      throw this.fail(error, 'HeadBucket');
    }
  }

  /** Picks httpfs or the SDK for reads (per --s3-read) and, for httpfs, hands DuckDB the resolved credentials. */
  async prepareEngine(engine: Engine): Promise<void> {
    if (this.preparedFor === engine) return;
    this.readPath = await chooseReadPath(engine, this.options.readMode, this.options.log, {
      keyId: this.credentials.accessKeyId,
      secret: this.credentials.secretAccessKey,
      sessionToken: this.credentials.sessionToken,
      region: this.target.region ?? DEFAULT_ENDPOINT_REGION,
      endpoint: this.target.endpoint,
    });
    this.preparedFor = engine;
  }

  async materialize(keys: readonly string[], stagingDir: string): Promise<Map<string, string>> {
    if (this.readPath === 'httpfs') {
      return new Map(keys.map((key) => [key, `s3://${this.target.bucket}/${this.fullKey(key)}`]));
    }
    const out = new Map<string, string>();
    const queue = [...keys];
    let copied = 0;
    const worker = async (): Promise<void> => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
        const copy = await this.ownCopy(key, stagingDir);
        if (copy !== undefined) copied++;
        out.set(key, copy ?? (await this.download(key, stagingDir)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(DOWNLOAD_CONCURRENCY, keys.length) }, worker));
    this.options.log.debug('staged raw files', { files: keys.length, own_copies: copied, staging: stagingDir });
    return new Map(keys.map((key) => [key, out.get(key) as string]));
  }

  /** Where `key` is staged under `stagingDir`. */
  private stagedPath(key: string, stagingDir: string): string {
    assertSafeKey(key);
    return path.join(stagingDir, ...key.split('/'));
  }

  /** The local copy of `key` this process wrote, if it is in this staging folder and the listed object is still it. */
  private async ownCopy(key: string, stagingDir: string): Promise<string | undefined> {
    const copy = this.copies.get(key);
    const listed = this.sizes.get(key);
    if (!copy || !listed || copy.path !== this.stagedPath(key, stagingDir)) return undefined;
    if (listed.etag !== copy.etag || listed.size !== copy.size) return undefined;
    const size = await fsp.stat(copy.path).then(
      (s) => s.size,
      () => -1,
    );
    return size === copy.size ? copy.path : undefined;
  }

  /** Downloads one object into the staging folder, pinned to the listed ETag, checksum- and size-checked. */
  private async download(key: string, stagingDir: string): Promise<string> {
    const target = this.stagedPath(key, stagingDir);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const listed = this.sizes.get(key);
    return this.withTransferRetry(key, async () => {
      try {
        const response = await this.client.send(
          new GetObjectCommand({
            Bucket: this.target.bucket,
            Key: this.fullKey(key),
            // The SDK verifies the body against the object's stored CRC (our uploads always store one).
            ChecksumMode: 'ENABLED',
            ...(listed?.etag ? { IfMatch: `"${listed.etag}"` } : {}),
          }),
        );
        await pipeline(response.Body as Readable, fs.createWriteStream(target));
        const size = (await fsp.stat(target)).size;
        if (listed !== undefined && size !== listed.size) {
          throw new Error(`downloaded ${size} bytes, expected ${listed.size}`);
        }
        return target;
      } catch (error) {
        await fsp.rm(target, { force: true });
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

/** Writes a copy of a body; false when it could not (the object is then downloaded when needed). */
async function saveCopy(file: string, body: string | Uint8Array): Promise<boolean> {
  try {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(file, body);
    return true;
  } catch {
    await fsp.rm(file, { force: true }).catch(() => undefined);
    return false;
  }
}
