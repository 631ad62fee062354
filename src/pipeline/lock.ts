// A lock file beside the state database naming its holder, so that two runs never work on one state at once.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EtlError, ExitCode } from '../errors.js';

/** Who holds the lock; written as JSON into the lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

/** Another process holds the lock: exit code 1, the run did not happen (see README "Exit codes"). */
export class LockedError extends EtlError {
  readonly holder: LockHolder | undefined;

  constructor(lockFile: string, holder: LockHolder | undefined) {
    const who = holder
      ? `pid ${holder.pid} on ${holder.host} since ${holder.startedAt} (${holder.command})`
      : 'a process that left no readable details';
    super(`another marketing-etl run holds the lock ${lockFile}: ${who}`, {
      exitCode: ExitCode.taskFailed,
      hint: 'Wait for it to finish. If that process is gone (e.g. on another host), delete the lock file and run again.',
    });
    this.holder = holder;
  }
}

export interface Lock {
  readonly file: string;
  readonly holder: LockHolder;
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): void;
}

/** The lock file for a state database: `<state>.lock`. */
export const lockFileFor = (state: string): string => `${state}.lock`;

function readHolder(file: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') return parsed as LockHolder;
  } catch {
    // Missing or unreadable: the caller treats it as no holder.
  }
  return undefined;
}

/** Whether a process with this pid exists on this machine (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock we can take over: its holder ran on this host and is dead, or the file holds no readable holder. */
function isStale(holder: LockHolder | undefined): boolean {
  return holder === undefined || (holder.host === os.hostname() && !isAlive(holder.pid));
}

/** Writes the whole file under a temporary name, then links it into place: creation is atomic and never partial. */
function tryCreate(file: string, holder: LockHolder): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(tmp, `${JSON.stringify(holder)}\n`);
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Takes the lock or throws LockedError at once (no waiting). A lock left by a dead process on this host is
 * taken over, so a killed run never blocks the next one.
 */
export function acquireLock(file: string, command: string, now: () => Date = () => new Date()): Lock {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), startedAt: now().toISOString(), command };
  for (let tries = 0; tries < 3; tries++) {
    if (tryCreate(file, holder)) {
      let released = false;
      return {
        file,
        holder,
        release() {
          if (released) return;
          released = true;
          const current = readHolder(file);
          if (current?.pid === holder.pid && current.startedAt === holder.startedAt) fs.rmSync(file, { force: true });
        },
      };
    }
    const existing = readHolder(file);
    if (!isStale(existing)) throw new LockedError(file, existing);
    // Move the stale file aside under our own name, then check it was the stale one and not a fresh lock
    // another process took over in the meantime; if it was fresh, put it back and give up.
    const aside = `${file}.stale.${process.pid}`;
    try {
      fs.renameSync(file, aside);
    } catch {
      continue;
    }
    const moved = readHolder(aside);
    if (!isStale(moved)) {
      try {
        fs.linkSync(aside, file);
      } catch {
        // Someone else holds it now; either way we do not.
      }
      fs.rmSync(aside, { force: true });
      throw new LockedError(file, moved);
    }
    fs.rmSync(aside, { force: true });
  }
  throw new LockedError(file, readHolder(file));
}

/** Runs `fn` holding the lock; releases it in finally. */
export async function withLock<T>(file: string, command: string, fn: (lock: Lock) => Promise<T>): Promise<T> {
  const lock = acquireLock(file, command);
  try {
    return await fn(lock);
  } finally {
    lock.release();
  }
}
