// Whole-file writes that readers never see half done: write a temporary file beside the target, then rename.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, fchmodSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** How to write: the new file's mode (0o600 for secrets), and whether to flush it to disk before the rename. */
export interface AtomicWriteOptions {
  mode: number;
  /** fsync before renaming: for files kin cannot recreate (a user's merged kubeconfig). */
  sync?: boolean;
}

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Replaces `path` with `data` atomically. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions): Promise<void> {
  const tmp = tempPath(path);
  // Created with the final mode ('wx': never follow a planted file), so a secret is never readable by others.
  const fh = await open(tmp, 'wx', opts.mode);
  try {
    try {
      await fh.writeFile(data);
      await fh.chmod(opts.mode); // the umask may have narrowed it: set it exactly
      if (opts.sync) await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Replaces `path` with `data` atomically, blocking: for start-up, where a few small files go faster this way. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, opts: AtomicWriteOptions): void {
  const tmp = tempPath(path);
  const fd = openSync(tmp, 'wx', opts.mode);
  try {
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
      fchmodSync(fd, opts.mode);
      if (opts.sync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
