#!/usr/bin/env node
// kin's lint: keeps the import rules of DESIGN.md (which folder may import which) and refuses focused tests.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

// folder → folders it may import (besides itself). `*` = everything.
const allowed = {
  util: [],
  api: ['util'],
  machinery: ['util', 'api'],
  storage: ['util', 'api', 'machinery'],
  registry: ['util', 'api', 'machinery', 'storage'],
  admission: ['util', 'api', 'machinery'],
  auth: ['util', 'api', 'machinery'],
  apiserver: ['util', 'api', 'machinery', 'storage', 'registry', 'admission', 'auth'],
  client: ['util', 'api', 'machinery'],
  controllers: ['util', 'api', 'machinery', 'client'],
  kubelet: ['util', 'api', 'machinery', 'client'],
  ingress: ['util', 'api', 'machinery', 'client'],
  testing: ['util', 'api', 'machinery', 'client'],
  cnwan: ['util', 'api', 'machinery', 'client'],
  cmd: ['*'],
};

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const problems = [];
for (const file of walk(src)) {
  const rel = relative(src, file);
  const folder = rel.split('/')[0];
  const rules = allowed[folder];
  const text = readFileSync(file, 'utf8');
  if (!rules) {
    problems.push(`${rel}: folder "${folder}" is not in DESIGN.md's table`);
    continue;
  }
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const target = relative(src, resolve(dirname(file), m[1]));
    const tf = target.split('/')[0];
    if (target.startsWith('..')) {
      if (!file.endsWith('.test.ts')) problems.push(`${rel}: imports outside src/: ${m[1]}`);
      continue;
    }
    // Tests may borrow fixtures from anywhere; the rules guard the code that ships.
    if (tf === folder || rules.includes('*') || rules.includes(tf) || file.endsWith('.test.ts')) continue;
    problems.push(`${rel}: ${folder}/ may not import ${tf}/ (${m[1]})`);
  }
  if (/\b(test|it|describe)\.only\(|\{\s*only:\s*true/.test(text)) problems.push(`${rel}: focused test (.only)`);
}

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`\nlint: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('lint: ok');
