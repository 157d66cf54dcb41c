#!/usr/bin/env node
// The `kin` command. It runs the bundle that `npm run build` makes (dist/bundle/kin.cjs: one file instead of
// ~250 modules) through a V8 code cache kept beside it, so that a start does not parse and compile a megabyte
// of JavaScript again: together they take `kin up`'s module loading from ~300 ms to ~50 ms. Without a bundle it
// runs the compiled modules in dist/ (npm ci builds both through the prepare script).
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const args = process.argv.slice(2);
const bundle = fileURLToPath(new URL('../dist/bundle/kin.cjs', import.meta.url));

if (!existsSync(bundle)) {
  import('../dist/cmd/main.js').then((m) => m.main(args));
} else {
  // V8 checks that a cache fits its own version and flags, not that it was made from this very text: the name
  // ties it to the file's size and modification time (and `npm run build` starts dist/bundle/ afresh).
  const { size, mtimeMs } = statSync(bundle);
  const cacheFile = `${bundle}.${size}-${Math.floor(mtimeMs)}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache yet: this run writes it
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`;
  const script = new vm.Script(wrapped, { filename: bundle, cachedData, importModuleDynamically: (s) => import(s) });
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written when this process exits, so that it also holds the functions compiled while it ran (`npm run
    // build` makes the first one with `kin version`); an install kin cannot write to goes without.
    process.once('exit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // read-only install
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  module.exports.main(args);
}
