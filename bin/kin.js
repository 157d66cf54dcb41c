#!/usr/bin/env node
// The `kin` command: runs the bundled entry point (one file starts much faster than ~170 modules), or the compiled
// modules when there is no bundle. `npm run build` (run by npm ci through the prepare script) makes both.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/kin.js', import.meta.url);
import(existsSync(bundle) ? bundle.href : '../dist/cmd/main.js').then((m) => m.main(process.argv.slice(2)));
