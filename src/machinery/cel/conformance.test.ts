// The cel-spec conformance suite (data from @bufbuild/cel-spec) as a regression check: the subset that needs no
// protobuf messages runs through kin's environment, the pass count is printed, and the test fails only if the
// count drops below what kin reached when this was written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tests as conformance } from '@bufbuild/cel-spec/testdata/conformance.js';
import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { CelCompileError, CelEvalError, compileRule, evaluate, type VariableDecl } from './index.js';

/** The pass count kin reached; raise it when kin gets better, never lower it. */
const baseline = 1229;

// Suites that need protobuf messages, enums or features outside Kubernetes' environment.
const excluded = new Set(['proto2', 'proto3', 'proto2_ext', 'wrappers', 'enums', 'dynamic', 'type_deductions', 'unknowns', 'block_ext']);

type Val = Record<string, unknown>;
interface Original {
  name: string;
  expr: string;
  value?: Val;
  evalError?: unknown;
  container?: string;
  typedResult?: unknown;
  checkOnly?: boolean;
  disableCheck?: boolean;
  bindings?: Record<string, { value?: Val }>;
}
interface Suite {
  name?: string;
  tests?: { original: Original }[];
  suites?: Suite[];
}

function simple(v: Val | undefined): boolean {
  if (!v || 'objectValue' in v || 'enumValue' in v) return false;
  const list = v.listValue as { values?: Val[] } | undefined;
  if (list) return (list.values ?? []).every(simple);
  const map = v.mapValue as { entries?: { key: Val; value: Val }[] } | undefined;
  if (map) return (map.entries ?? []).every((e) => simple(e.key) && simple(e.value));
  return true;
}

function toCel(v: Val): unknown {
  if ('boolValue' in v) return v.boolValue;
  if ('int64Value' in v) return BigInt(v.int64Value as string);
  if ('uint64Value' in v) return new UnsignedInt(BigInt(v.uint64Value as string));
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('stringValue' in v) return v.stringValue;
  if ('bytesValue' in v) return new Uint8Array(Buffer.from(v.bytesValue as string, 'base64'));
  if ('nullValue' in v) return null;
  if ('listValue' in v) return ((v.listValue as { values?: Val[] }).values ?? []).map(toCel);
  if ('mapValue' in v) return new Map(((v.mapValue as { entries?: { key: Val; value: Val }[] }).entries ?? []).map((e) => [toCel(e.key), toCel(e.value)]));
  throw new Error(`unsupported binding ${JSON.stringify(v)}`);
}

// A canonical form both sides are reduced to: numbers by value, maps by sorted entries, types by name.
function canonExpected(v: Val): unknown {
  if ('boolValue' in v) return v.boolValue;
  if ('int64Value' in v || 'uint64Value' in v) return `n:${BigInt((v.int64Value ?? v.uint64Value) as string)}`;
  if ('doubleValue' in v) return `n:${Number(v.doubleValue)}`;
  if ('stringValue' in v) return `s:${v.stringValue as string}`;
  if ('bytesValue' in v) return `b:${v.bytesValue as string}`;
  if ('nullValue' in v) return null;
  if ('typeValue' in v) return `t:${v.typeValue as string}`;
  if ('listValue' in v) return ((v.listValue as { values?: Val[] }).values ?? []).map(canonExpected);
  if ('mapValue' in v) {
    const entries = ((v.mapValue as { entries?: { key: Val; value: Val }[] }).entries ?? []).map((e) => [JSON.stringify(canonExpected(e.key)), canonExpected(e.value)]);
    return { m: entries.sort((a, b) => String(a[0]).localeCompare(String(b[0]))) };
  }
  return `unknown:${JSON.stringify(v)}`;
}

function canonActual(x: unknown): unknown {
  if (x === null || x === undefined) return null;
  if (typeof x === 'boolean') return x;
  if (typeof x === 'bigint') return `n:${x}`;
  if (typeof x === 'number') return `n:${x}`;
  if (typeof x === 'string') return `s:${x}`;
  if (x instanceof UnsignedInt) return `n:${x.valueOf()}`;
  if (x instanceof Uint8Array) return `b:${Buffer.from(x).toString('base64')}`;
  if (Array.isArray(x)) return x.map(canonActual);
  if (x instanceof Duration || x instanceof Date) return `other:${String(x)}`;
  if (x instanceof Map || (typeof x === 'object' && x.constructor === Object)) {
    const entries = (x instanceof Map ? [...x.entries()] : Object.entries(x)).map(([k, v]) => [JSON.stringify(canonActual(k)), canonActual(v)]);
    return { m: entries.sort((a, b) => String(a[0]).localeCompare(String(b[0]))) };
  }
  const m = /^Type<(.*)>$/.exec(String(x));
  if (m) return `t:${m[1]}`;
  return `other:${String(x)}`;
}

function collect(s: Suite, path: string, out: [string, Original][]): void {
  for (const t of s.tests ?? []) out.push([path, t.original]);
  for (const c of s.suites ?? []) collect(c, `${path}/${c.name ?? ''}`, out);
}

function runOne(o: Original): boolean {
  const variables: Record<string, VariableDecl> = {};
  const activation: Record<string, unknown> = {};
  for (const [name, b] of Object.entries(o.bindings ?? {})) {
    variables[name] = { type: 'dyn', values: 'cel' };
    activation[name] = toCel(b.value as Val);
  }
  const rule = compileRule(o.expr, { variables, costLimit: Infinity });
  if (rule instanceof CelCompileError) return o.evalError !== undefined;
  const got = evaluate(rule, activation, { costLimit: 1e9 });
  if (got instanceof CelEvalError) return o.evalError !== undefined;
  if (o.evalError !== undefined || !o.value) return false;
  return JSON.stringify(canonActual(got)) === JSON.stringify(canonExpected(o.value));
}

test('cel-spec conformance subset does not regress', () => {
  const all: [string, Original][] = [];
  collect(conformance as unknown as Suite, '', all);
  const candidates = all.filter(([path, o]) => {
    if (excluded.has(path.split('/')[1] ?? '')) return false;
    if (o.container || o.typedResult || o.checkOnly) return false;
    if (o.value && !simple(o.value)) return false;
    if (!o.value && o.evalError === undefined) return false;
    return Object.values(o.bindings ?? {}).every((b) => simple(b.value));
  });
  let pass = 0;
  const bySuite = new Map<string, [number, number]>();
  for (const [path, o] of candidates) {
    let ok = false;
    try {
      ok = runOne(o);
    } catch {
      ok = false;
    }
    const suite = path.split('/')[1] ?? '';
    const s = bySuite.get(suite) ?? [0, 0];
    s[ok ? 0 : 1]++;
    bySuite.set(suite, s);
    if (ok) pass++;
  }
  const summary = [...bySuite].map(([s, [p, f]]) => `${s} ${p}/${p + f}`).join(', ');
  console.log(`cel-spec conformance: ${pass}/${candidates.length} (${summary})`);
  assert.ok(pass >= baseline, `conformance pass count fell to ${pass} (baseline ${baseline})`);
});
