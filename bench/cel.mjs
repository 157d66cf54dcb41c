// CEL rule cost per object, in-process, on the compiled dist/: the 10 x-kubernetes-validations rules of
// bench/crd-fixtures.mjs compiled and evaluated one by one (as src/registry/apiextensions/schema.ts compiles them),
// then whole-object validation (OpenAPI keywords + CEL) through `compileCustomSchema(schema).validate(obj)`
// against the same objects validated with the same schema without rules (the baseline) and with the open
// schema. Every figure is the median and p99 over N timed calls after a warm-up; whole-object variants are
// interleaved call by call so that they share the machine's noise. Each timed call gets its own parsed object
// (as a request body would be), so nothing can be cached by object identity between calls.
//
// Usage: node bench/cel.mjs [--iterations 3000] [--warmup 1000] [--compile-iterations 200] [--cpu-prof] [--top 30]
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { emitSummary, flags, fmt, isMain, machineFacts, median, percentile, printTable, repoRoot, tempDir } from './common.mjs';
import { summarizeProfile } from './profile.mjs';
import { baseSchema, makeObject, mutate, nodeAt, openSchema, rules, validatedSchema } from './crd-fixtures.mjs';

const dist = (p) => import(pathToFileURL(join(repoRoot, 'dist', p)).href);

/** Runs the benchmark; returns the summary rows. */
export async function run(opts = {}) {
  const { compileRule, evaluate, CelCompileError, CelEvalError } = await dist('machinery/cel/index.js');
  const { compileCustomSchema } = await dist('registry/apiextensions/schema.js');
  const n = Number(opts.iterations ?? 3000);
  const warm = Number(opts.warmup ?? 1000);
  const nCompile = Number(opts['compile-iterations'] ?? 200);
  console.log(`# cel  ${JSON.stringify(machineFacts())}`);
  console.log(`# ${n} timed calls after ${warm} warm-up calls (compile: ${nCompile}); times in us; each call on its own parsed object`);

  const timerUs = timerOverhead();
  const schema = validatedSchema();
  const shapes = Array.from({ length: 48 }, (_, i) => JSON.stringify(makeObject('validated', `app-${i}`, 'bench', i)));
  // Fresh parsed objects: `objs(count)` gives `count` of them, cycling over 48 different objects.
  const objs = (count) => Array.from({ length: count }, (_, i) => JSON.parse(shapes[i % 48]));

  // ---- per rule: compile and evaluate ------------------------------------------------------------------------
  const ruleRows = [];
  let sumPerObject = 0;
  let sumPerObjectUpdate = 0;
  for (const [idx, r] of rules.entries()) {
    const node = nodeAt(schema, r.at);
    const usesOld = /\boldSelf\b/.test(r.rule);
    const copts = { selfType: node, isResourceRoot: r.at.length === 0, oldSelf: usesOld, optionalOldSelf: false, costLimit: Infinity, resultType: 'bool' };
    const compiled = compileRule(r.rule, copts);
    if (compiled instanceof CelCompileError) throw new Error(`rule ${idx + 1} does not compile: ${compiled.message}`);
    for (let i = 0; i < Math.min(20, nCompile); i++) compileRule(r.rule, copts);
    // Cold: the rule's schema node is new (a CRD just written), so its types are declared from scratch. Warm: the
    // same node again, whose declared environment kin keeps (as for a second rule on the same node).
    const fresh = Array.from({ length: nCompile }, () => structuredClone(node));
    const tCold = timeEach(nCompile, (i) => compileRule(r.rule, { ...copts, selfType: fresh[i] }));
    const tCompile = timeEach(nCompile, () => compileRule(r.rule, copts));

    // The values the rule sees: for a rule on list items, every item of every object (it runs once per item).
    const selves = [];
    const olds = [];
    for (const o of objs(n + warm)) {
      const old = usesOld ? structuredClone(o) : undefined;
      if (usesOld) mutate(o, 1);
      const vals = valuesAt(o, r.at);
      const oldVals = old ? valuesAt(old, r.at) : [];
      vals.forEach((v, k) => {
        selves.push(v);
        olds.push(oldVals[k]);
      });
    }
    const perObject = selves.length / (n + warm);
    const cost = { cost: 0 };
    let bad;
    const check = (res, k) => {
      if (res !== true) bad ??= `rule ${idx + 1} on value ${k}: ${res instanceof CelEvalError ? res.message : String(res)}`;
    };
    let k = 0;
    for (; k < Math.min(warm, selves.length); k++) check(evaluate(compiled, usesOld ? { self: selves[k], oldSelf: olds[k] } : { self: selves[k] }), k);
    evaluate(compiled, usesOld ? { self: selves[0], oldSelf: olds[0] } : { self: selves[0] }, { cost });
    const tEval = timeEach(Math.min(n, selves.length - k), (j) => {
      const res = evaluate(compiled, usesOld ? { self: selves[k + j], oldSelf: olds[k + j] } : { self: selves[k + j] });
      check(res, k + j);
    });
    if (bad) throw new Error(`the benchmark objects must pass every rule: ${bad}`);
    const evalMed = median(tEval) - timerUs;
    sumPerObject += usesOld ? 0 : evalMed * perObject;
    sumPerObjectUpdate += evalMed * perObject;
    ruleRows.push([
      String(idx + 1), r.at.length ? r.at.join('.').replace('.[]', '[*]') : '(root)', r.what, fmt(median(tCold), 0), fmt(percentile(tCold, 99), 0), fmt(median(tCompile), 0),
      fmt(evalMed, 2), fmt(percentile(tEval, 99) - timerUs, 2), fmt(perObject, 2), fmt(evalMed * perObject, 2), String(cost.cost), String(compiled.estimatedCost),
    ]);
  }
  console.log('\nper rule: compile = compileRule (declare the schema types, parse, type-check, cost estimate) on a new schema node (cold)');
  console.log('and on the same node again (warm: kin keeps a node\'s declared environment); eval = evaluate() incl. converting self;');
  console.log('runs/obj = evaluations per object (a rule on list items runs once per item); us/obj = eval median x runs/obj; cost = runtime cost units');
  printTable(['#', 'at', 'kind of rule', 'compile cold p50', 'p99', 'warm p50', 'eval p50', 'p99', 'runs/obj', 'us/obj', 'cost', 'est. cost'], ruleRows, console.log, 3);
  console.log(`sum of the rules per object: ${fmt(sumPerObject, 1)} us on create (the transition rule does not run), ${fmt(sumPerObjectUpdate, 1)} us if all ran`);

  // ---- whole schema: compile --------------------------------------------------------------------------------
  const compileRows = [];
  for (const [name, s] of [['validated (schema + 10 rules)', schema], ['baseline (schema, no rules)', baseSchema()], ['open (preserve-unknown-fields)', openSchema()]]) {
    // compileCustomSchema compiles the OpenAPI part; the rules compile on the first validation that meets them.
    const t = timeEach(Math.max(10, Math.floor(nCompile / 4)), () => {
      const c = compileCustomSchema(structuredClone(s));
      c.validate(JSON.parse(shapes[0]), undefined);
    });
    compileRows.push([name, fmt(median(t) / 1000, 2), fmt(percentile(t, 99) / 1000, 2)]);
  }
  console.log('\nwhole schema: compileCustomSchema(schema) + the first validate() (which compiles the rules it meets), ms');
  printTable(['schema', 'p50 ms', 'p99 ms'], compileRows);

  // ---- whole object: validate, create and update --------------------------------------------------------------
  const compiledSchemas = { validated: compileCustomSchema(schema), baseline: compileCustomSchema(baseSchema()), open: compileCustomSchema(openSchema()) };
  const names = Object.keys(compiledSchemas);
  const summary = [];
  const wholeRows = [];
  const results = {};
  const profiler = opts['cpu-prof'] ? await startProfiler() : undefined;
  for (const op of ['create', 'update']) {
    const per = Object.fromEntries(names.map((v) => [v, []]));
    const total = n + warm;
    const inputs = names.map(() => objs(total).map((o) => (op === 'update' ? { old: o, obj: mutate(structuredClone(o), 1) } : { obj: o })));
    for (let i = 0; i < total; i++) {
      for (let v = 0; v < names.length; v++) {
        // Rotate which variant goes first, so none always runs right after another's garbage.
        const vi = (v + i) % names.length;
        const { obj, old } = inputs[vi][i];
        const s = process.hrtime.bigint();
        const errs = compiledSchemas[names[vi]].validate(obj, old);
        const us = Number(process.hrtime.bigint() - s) / 1000 - timerUs;
        if (errs.length) throw new Error(`${names[vi]} ${op}: unexpected errors ${JSON.stringify(errs).slice(0, 400)}`);
        if (i >= warm) per[names[vi]].push(us);
      }
    }
    results[op] = per;
    // Wall-clock times of single calls grow when the process is descheduled (a busy shared machine): also take
    // the process's CPU time over blocks of calls, variants rotated block by block, as a mean CPU cost per call.
    const cpu = cpuPerCall(names.map((v) => compiledSchemas[v]), () => objs(n).map((o) => (op === 'update' ? { old: o, obj: mutate(structuredClone(o), 1) } : { obj: o })));
    const cpuOf = (v) => cpu[names.indexOf(v)];
    const med = (v) => median(per[v]);
    const mean = (v) => per[v].reduce((a, b) => a + b, 0) / per[v].length;
    for (const v of names) {
      const first = v === 'validated';
      wholeRows.push([
        op, v, fmt(med(v), 1), fmt(percentile(per[v], 99), 1), fmt(mean(v), 1), fmt(cpuOf(v), 1),
        first ? `${fmt(med('validated') / med('baseline'), 2)}x` : '', first ? `${fmt(cpuOf('validated') / cpuOf('baseline'), 2)}x` : '', first ? fmt(med('validated') - med('baseline'), 1) : '',
      ]);
    }
    results[op].cpu = { validated: cpuOf('validated'), baseline: cpuOf('baseline') };
    summary.push({
      metric: `validate() per object on ${op}, schema + 10 CEL rules vs schema alone (in-process)`,
      value: `p50 ${fmt(med('validated'), 1)} vs ${fmt(med('baseline'), 1)} us = ${fmt(med('validated') / med('baseline'), 2)}x; CPU ${fmt(cpuOf('validated'), 0)} vs ${fmt(cpuOf('baseline'), 0)} us = ${fmt(cpuOf('validated') / cpuOf('baseline'), 2)}x`,
      target: 'ratio',
      pass: null,
    });
  }
  if (profiler) await profiler.stop(Number(opts.top ?? 30));
  console.log(`\nwhole object: compileCustomSchema(schema).validate(obj, old), us (timer overhead ${fmt(timerUs, 3)} us subtracted)`);
  console.log('p50/p99/mean: wall time of single calls; CPU: process CPU time per call, median over 10 blocks of calls (GC threads included);');
  console.log('p50 ratio and CPU ratio: validated / baseline; CEL us = validated p50 - baseline p50');
  printTable(['op', 'schema', 'p50 us', 'p99 us', 'mean us', 'CPU us', 'p50 ratio', 'CPU ratio', 'CEL us'], wholeRows, console.log, 2);
  const celCreate = median(results.create.validated) - median(results.create.baseline);
  const celUpdate = median(results.update.validated) - median(results.update.baseline);
  console.log(`rules evaluated alone add up to ${fmt(sumPerObject, 1)} us per create and ~${fmt(sumPerObjectUpdate, 1)} us per update; inside validate() they add ${fmt(celCreate, 1)} / ${fmt(celUpdate, 1)} us`);
  console.log('(on update, the rules of unchanged parts ratchet: only spec, containers and the root rules run again)');
  summary.push({ metric: 'CEL rule evaluation, sum of the 10 rules per object (in-process)', value: `${fmt(sumPerObject, 1)} us on create; inside validate() +${fmt(celCreate, 1)} us create, +${fmt(celUpdate, 1)} us update`, target: '-', pass: null });
  return summary;
}

// With --cpu-prof: profiles this process (the whole-object part) through the inspector and prints its summary.
async function startProfiler() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(top) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      const d = tempDir('kin-bench-prof-');
      const file = join(d.path, 'cel.cpuprofile');
      writeFileSync(file, JSON.stringify(profile));
      console.log(`\nCPU profile of the whole-object validations, this process (${file}):`);
      summarizeProfile(file, top);
    },
  };
}

// Process CPU time (us) per validate() call of each compiled schema: the median over 10 blocks of calls (so one
// major GC landing in one block does not decide the figure), the schemas rotated block by block.
function cpuPerCall(schemas, makeInputs) {
  const blocks = 10;
  const inputs = schemas.map(() => makeInputs());
  const per = Math.floor(inputs[0].length / blocks);
  const perBlock = schemas.map(() => []);
  for (let b = 0; b < blocks; b++) {
    for (let k = 0; k < schemas.length; k++) {
      const v = (k + b) % schemas.length;
      const slice = inputs[v].slice(b * per, (b + 1) * per);
      const c0 = process.cpuUsage();
      for (const { obj, old } of slice) schemas[v].validate(obj, old);
      const c = process.cpuUsage(c0);
      perBlock[v].push((c.user + c.system) / per);
    }
  }
  return perBlock.map((x) => median(x));
}

// The values at a path of property names (`[]` = each item of a list).
function valuesAt(obj, at) {
  let vals = [obj];
  for (const p of at) vals = p === '[]' ? vals.flatMap((v) => (Array.isArray(v) ? v : [])) : vals.map((v) => v?.[p]).filter((v) => v !== undefined);
  return vals;
}

// Times `count` calls of fn(i) one by one, in us.
function timeEach(count, fn) {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const s = process.hrtime.bigint();
    fn(i);
    out[i] = Number(process.hrtime.bigint() - s) / 1000;
  }
  return out;
}

// What one pair of hrtime reads costs, to subtract from every timed call.
function timerOverhead() {
  for (let i = 0; i < 10_000; i++) process.hrtime.bigint();
  return median(timeEach(20_000, () => {}));
}

if (isMain(import.meta.url)) {
  const rows = await run(flags());
  emitSummary('cel', rows);
}
