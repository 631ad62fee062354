// The lock file: one holder at a time, a clear message naming it, and takeover of a dead holder's lock.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, isAlive, LockedError, lockFileFor } from '../../src/pipeline/lock.js';
import { tempDir } from '../helpers/tmp.js';

/** The pid of a process that has exited: a real dead pid, not a guess. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  const pid = Number(child.stdout.toString());
  expect(isAlive(pid)).toBe(false);
  return pid;
}

describe('lock', () => {
  it('writes the holder, refuses a second holder with its pid, and is free again after release', () => {
    const file = lockFileFor(path.join(tempDir('lock'), 'state', 'warehouse.duckdb'));
    const lock = acquireLock(file, 'marketing-etl run', () => new Date('2026-01-02T03:04:05Z'));
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(written).toEqual({ pid: process.pid, host: os.hostname(), startedAt: '2026-01-02T03:04:05.000Z', command: 'marketing-etl run' });
    let error: unknown;
    try {
      acquireLock(file, 'marketing-etl schedule');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LockedError);
    expect((error as LockedError).message).toContain(
      `pid ${process.pid} on ${os.hostname()} since 2026-01-02T03:04:05.000Z (marketing-etl run)`,
    );
    expect((error as LockedError).exitCode).toBe(1);
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
    acquireLock(file, 'again').release();
  });

  it('takes over a lock whose process is dead', () => {
    const file = path.join(tempDir('lock'), 'warehouse.duckdb.lock');
    const stale = { pid: deadPid(), host: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'killed run' };
    fs.writeFileSync(file, JSON.stringify(stale));
    const lock = acquireLock(file, 'next run');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });

  it('does not take over a lock held on another host, where the pid cannot be checked', () => {
    const file = path.join(tempDir('lock'), 'warehouse.duckdb.lock');
    fs.writeFileSync(file, JSON.stringify({ pid: deadPid(), host: 'other-host', startedAt: '2026-01-01T00:00:00.000Z', command: 'x' }));
    expect(() => acquireLock(file, 'y')).toThrow(/on other-host/);
  });

  it('release leaves alone a lock that another process now holds', () => {
    const file = path.join(tempDir('lock'), 'warehouse.duckdb.lock');
    const lock = acquireLock(file, 'first');
    const other = { pid: process.ppid, host: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'other' };
    fs.writeFileSync(file, JSON.stringify(other));
    lock.release();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(other);
  });
});
