// The shared resource suite: every strategy supplies a valid object and a few invalid ones and gets the same checks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { fieldErrorMessage, type FieldError } from '../../machinery/index.js';
import type { ResourceStrategy, StrategyContext } from '../strategy.js';

/** An object that must be rejected, and the field paths the errors must name (all of them, maybe more). */
export interface InvalidCase {
  name: string;
  object: KubeObject;
  fields: string[];
}

/** An update that must be rejected: `object` replaces `old`. */
export interface InvalidUpdateCase extends InvalidCase {
  old: KubeObject;
}

/** What a strategy brings to the suite. */
export interface StrategySuite {
  /** A minimal object as a user would send it; must pass validation after defaults. */
  valid: KubeObject;
  invalid?: InvalidCase[];
  invalidUpdates?: InvalidUpdateCase[];
  /** The clock for StrategyContext and printers (ms). */
  now?: number;
}

const defaultNow = Date.parse('2024-05-01T12:00:00Z');

/** A StrategyContext for tests. */
export function testContext(now = defaultNow): StrategyContext {
  return { now, dryRun: false };
}

/** Runs defaults and prepareForCreate on a copy, as the generic store does on create. */
export function prepareCreate(strategy: ResourceStrategy, obj: KubeObject, ctx = testContext()): KubeObject {
  const o = structuredClone(obj);
  o.metadata = { creationTimestamp: new Date(ctx.now).toISOString().replace(/\.\d{3}Z$/, 'Z'), ...o.metadata };
  strategy.defaults?.(o);
  strategy.prepareForCreate?.(o, ctx);
  return o;
}

/** Runs defaults and prepareForUpdate on a copy of `obj` against `old`, as the generic store does on update. */
export function prepareUpdate(strategy: ResourceStrategy, obj: KubeObject, old: KubeObject, ctx = testContext()): KubeObject {
  const o = structuredClone(obj);
  o.metadata = { ...old.metadata, ...o.metadata };
  strategy.defaults?.(o);
  strategy.prepareForUpdate?.(o, old, ctx);
  return o;
}

/** Errors of a create: validate after defaults and prepareForCreate. */
export function createErrors(strategy: ResourceStrategy, obj: KubeObject, ctx = testContext()): FieldError[] {
  return strategy.validate?.(prepareCreate(strategy, obj, ctx), ctx) ?? [];
}

/** Errors of an update: validate and validateUpdate after defaults and prepareForUpdate. */
export function updateErrors(strategy: ResourceStrategy, obj: KubeObject, old: KubeObject, ctx = testContext()): FieldError[] {
  const prev = prepareCreate(strategy, old, ctx);
  const next = prepareUpdate(strategy, obj, prev, ctx);
  return [...(strategy.validate?.(next, ctx) ?? []), ...(strategy.validateUpdate?.(next, prev, ctx) ?? [])];
}

function show(errs: FieldError[]): string {
  return errs.map(fieldErrorMessage).join('\n');
}

function assertFields(errs: FieldError[], fields: string[]): void {
  assert.ok(errs.length > 0, 'expected validation errors, got none');
  const got = new Set(errs.map((e) => e.field));
  for (const f of fields) assert.ok(got.has(f), `expected an error on ${f}; got:\n${show(errs)}`);
}

const marker = 'kin-resource-suite-marker';

/** Registers the shared checks for one strategy under `describe(<Kind> strategy)`. */
export function describeStrategy(strategy: ResourceStrategy, suite: StrategySuite): void {
  const ctx = testContext(suite.now);
  describe(`${strategy.info.kind} strategy (resource suite)`, () => {
    test('the valid example passes validation after defaults', () => {
      const errs = createErrors(strategy, suite.valid, ctx);
      assert.deepEqual(errs, [], show(errs));
    });

    test('the valid example has a valid name', () => {
      const name = suite.valid.metadata?.name;
      if (!strategy.nameValidation || !name) return;
      assert.deepEqual(strategy.nameValidation(name, false), []);
    });

    test('defaults are idempotent', () => {
      const once = structuredClone(suite.valid);
      strategy.defaults?.(once);
      const twice = structuredClone(once);
      strategy.defaults?.(twice);
      assert.deepEqual(twice, once);
    });

    test('the printer gives one cell per column', () => {
      if (!strategy.printer) return;
      const row = strategy.printer.row(prepareCreate(strategy, suite.valid, ctx), { now: ctx.now + 5000 });
      assert.equal(row.length, strategy.printer.columns.length);
    });

    if (strategy.status) {
      const status = strategy.status;
      test('a status update keeps everything but status', () => {
        const old = prepareCreate(strategy, suite.valid, ctx);
        const next = structuredClone(old);
        for (const k of Object.keys(next)) if (!['metadata', 'status', 'apiVersion', 'kind'].includes(k)) next[k] = { [marker]: true };
        next[marker] = true;
        next['status'] = { ...(old['status'] as object | undefined), [marker]: true };
        status.prepareForUpdate(next, old, ctx);
        for (const k of Object.keys(old)) if (!['metadata', 'status'].includes(k)) assert.deepEqual(next[k], old[k], `status update changed ${k}`);
        assert.equal(next[marker], undefined, 'status update kept a new top-level field');
        assert.equal((next['status'] as Record<string, unknown>)[marker], true, 'status update dropped the new status');
      });

      test('a main-resource update keeps the old status', () => {
        const old = prepareCreate(strategy, suite.valid, ctx);
        const next = structuredClone(old);
        next['status'] = { [marker]: true };
        strategy.prepareForUpdate?.(next, old, ctx);
        assert.deepEqual(next['status'], old['status']);
      });
    }

    for (const c of suite.invalid ?? []) {
      test(`rejects ${c.name}`, () => assertFields(createErrors(strategy, c.object, ctx), c.fields));
    }
    for (const c of suite.invalidUpdates ?? []) {
      test(`rejects the update ${c.name}`, () => assertFields(updateErrors(strategy, c.object, c.old, ctx), c.fields));
    }
  });
}
