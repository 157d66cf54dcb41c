// A child process for the durability test: writes to a SQLite store as fast as it can and prints every key
// whose write was acknowledged. The test kills it with SIGKILL and checks that each printed key is on disk.
// Usage: node --import tsx durability-writer.ts /path/to/file.db
import { SqliteBackend } from '../sqlite.js';

const path = process.argv[2];
if (!path) throw new Error('usage: durability-writer.ts FILE');
const backend = new SqliteBackend(path);
// Stop when the parent goes away, so a crashed test never leaves this writer running.
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();

let next = 0;
async function writer(): Promise<void> {
  for (;;) {
    const key = `/durable/${next++}`;
    await backend.create(key, new TextEncoder().encode(`value of ${key}`));
    // On Linux, writes to a pipe from process.stdout are synchronous: once this returns the parent can read it.
    process.stdout.write(`${key}\n`);
  }
}
for (let i = 0; i < 16; i++) void writer();
