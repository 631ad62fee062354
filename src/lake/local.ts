// The embedded default lake: a local folder, written through temporary names and renames.
import { randomBytes } from 'node:crypto';
import type fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { assertSafeKey, type Lake, type LakeObject } from './lake.js';
import { TMP_MARKER } from './temp.js';

export { TMP_MARKER } from './temp.js';

export class LocalLake implements Lake {
  readonly uri: string;
  readonly root: string;

  constructor(root: string, uri = root) {
    this.root = path.resolve(root);
    this.uri = uri;
  }

  /** Absolute path of a key. */
  pathOf(key: string): string {
    assertSafeKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async list(prefix: string): Promise<LakeObject[]> {
    const out: LakeObject[] = [];
    const start = path.join(this.root, ...prefix.split('/').filter(Boolean));
    const walk = async (dir: string): Promise<void> => {
      let entries: fs.Dirent[];
      try {
        entries = await fsp.readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile() && !entry.name.includes(TMP_MARKER)) {
          const stat = await fsp.stat(full);
          const key = path.relative(this.root, full).split(path.sep).join('/');
          out.push({ key, size: stat.size, etag: `${stat.size}-${Math.trunc(stat.mtimeMs)}` });
        }
      }
    };
    await walk(start);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private tmpFor(target: string): string {
    // The pid lets a later run tell a crashed writer's leftovers from a live writer's file (see temp.ts).
    return `${path.dirname(target)}/${TMP_MARKER}${process.pid}-${randomBytes(6).toString('hex')}-${path.basename(target)}`;
  }

  async write(key: string, body: string | Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const tmp = this.tmpFor(target);
    try {
      await fsp.writeFile(tmp, body);
      await fsp.rename(tmp, target);
    } catch (error) {
      await fsp.rm(tmp, { force: true });
      throw error;
    }
  }

  async upload(key: string, localFile: string): Promise<void> {
    const target = this.pathOf(key);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const tmp = this.tmpFor(target);
    try {
      // copyFile lets the kernel copy (copy_file_range): about twice as fast as streaming through Node.
      await fsp.copyFile(localFile, tmp);
      await fsp.rename(tmp, target);
    } catch (error) {
      await fsp.rm(tmp, { force: true });
      throw error;
    }
  }

  async read(key: string): Promise<Buffer> {
    return fsp.readFile(this.pathOf(key));
  }

  async remove(key: string): Promise<void> {
    const target = this.pathOf(key);
    await fsp.rm(target, { force: true });
    // The folder the object was the last one in goes too (a master partition `date=.../`).
    if (path.dirname(target) !== this.root) await fsp.rmdir(path.dirname(target)).catch(() => undefined);
  }

  async materialize(keys: readonly string[]): Promise<Map<string, string>> {
    return new Map(keys.map((key) => [key, this.pathOf(key)]));
  }

  async close(): Promise<void> {}
}
