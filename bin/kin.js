#!/usr/bin/env node
// The `kin` command: runs the compiled entry point (npm ci builds dist/ through the prepare script).
import('../dist/cmd/main.js').then((m) => m.main(process.argv.slice(2)));
