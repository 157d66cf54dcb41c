// Regular expressions for CEL with RE2 semantics: `matches` (a search anywhere in the string), `find` and
// `findAll`. Patterns are compiled by @bufbuild/re2 (a port of RE2, linear time, no lookaround, `(?i)` and other
// RE2 flags accepted). That engine answers only "does it match"; `find` needs the leftmost-first match span, so
// kin runs a small Pike VM over the compiled program. Both are linear in the input: no pattern can stall the
// event loop the way a backtracking engine can.
import { RE2JS } from '@bufbuild/re2';

/** A pattern that RE2 refuses; `message` is RE2's (and Go's) wording, e.g. "error parsing regexp: ...". */
export class RegexSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegexSyntaxError';
  }
}

// The parts of the engine's compiled program the Pike VM reads. They are public fields of the package's classes,
// reached through the compiled pattern rather than by deep imports.
interface Inst {
  op: number;
  out: number;
  arg: number;
  matchRune(r: number): boolean;
}
interface Prog {
  inst: Inst[];
  start: number;
}
interface OpCodes {
  ALT: number;
  ALT_MATCH: number;
  CAPTURE: number;
  EMPTY_WIDTH: number;
  FAIL: number;
  MATCH: number;
  NOP: number;
}

interface Compiled {
  re: RE2JS;
  prog: Prog;
  ops: OpCodes;
}

const cacheLimit = 500;
const cache = new Map<string, Compiled>();

/** Compiles (and caches) a pattern; throws RegexSyntaxError for patterns RE2 rejects. */
function compile(pattern: string): Compiled {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    throw new RegexSyntaxError(e instanceof Error ? e.message : String(e));
  }
  const prog = (re.re2() as unknown as { prog: Prog }).prog;
  const first = prog.inst[0];
  const ops = (first?.constructor ?? {}) as unknown as OpCodes;
  const compiled = { re, prog, ops };
  if (cache.size >= cacheLimit) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(pattern, compiled);
  return compiled;
}

/** Throws RegexSyntaxError when RE2 would refuse the pattern (used to check constant patterns at compile time). */
export function checkRegex(pattern: string): void {
  compile(pattern);
}

/** CEL `matches`: true when the pattern matches any part of `s` (RE2 partial match). */
export function regexMatches(s: string, pattern: string): boolean {
  return compile(pattern).re.test(s);
}

// Zero-width assertion flags, as RE2 numbers them.
const beginLine = 1;
const endLine = 2;
const beginText = 4;
const endText = 8;
const wordBoundary = 16;
const noWordBoundary = 32;

function isWordRune(r: number): boolean {
  return (r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a) || (r >= 0x30 && r <= 0x39) || r === 0x5f;
}

function emptyContext(before: number, after: number): number {
  let flags = 0;
  if (before < 0) flags |= beginText | beginLine;
  if (before === 0x0a) flags |= beginLine;
  if (after < 0) flags |= endText | endLine;
  if (after === 0x0a) flags |= endLine;
  flags |= isWordRune(before) !== isWordRune(after) ? wordBoundary : noWordBoundary;
  return flags;
}

function runeAt(s: string, pos: number): number {
  return pos < s.length ? (s.codePointAt(pos) ?? -1) : -1;
}

function runeBefore(s: string, pos: number): number {
  if (pos <= 0) return -1;
  const low = s.charCodeAt(pos - 1);
  if (low >= 0xdc00 && low <= 0xdfff && pos >= 2) {
    const cp = s.codePointAt(pos - 2);
    if (cp !== undefined && cp > 0xffff) return cp;
  }
  return low;
}

interface ThreadList {
  pcs: number[];
  starts: number[];
  seen: Uint8Array;
  visited: number[];
}

function newList(n: number): ThreadList {
  return { pcs: [], starts: [], seen: new Uint8Array(n), visited: [] };
}

function clearList(l: ThreadList): void {
  for (const pc of l.visited) l.seen[pc] = 0;
  l.visited.length = 0;
  l.pcs.length = 0;
  l.starts.length = 0;
}

// Adds a thread at pc, following empty transitions in priority order (iteratively, so deep programs cannot
// overflow the stack).
function addThread(c: Compiled, list: ThreadList, pc0: number, start: number, ctx: number): void {
  const { prog, ops } = c;
  const stack = [pc0];
  while (stack.length > 0) {
    const pc = stack.pop() as number;
    if (pc < 0 || pc >= prog.inst.length || list.seen[pc]) continue;
    list.seen[pc] = 1;
    list.visited.push(pc);
    const inst = prog.inst[pc] as Inst;
    switch (inst.op) {
      case ops.FAIL:
        break;
      case ops.ALT:
      case ops.ALT_MATCH:
        // `out` has priority over `arg`: push arg first so out is explored first.
        stack.push(inst.arg, inst.out);
        break;
      case ops.NOP:
      case ops.CAPTURE:
        stack.push(inst.out);
        break;
      case ops.EMPTY_WIDTH:
        if ((inst.arg & ~ctx) === 0) stack.push(inst.out);
        break;
      default:
        // MATCH and rune instructions wait in the list for the next step.
        list.pcs.push(pc);
        list.starts.push(start);
    }
  }
}

/** The leftmost-first match of the pattern in `s` at or after `from`: [start, end) in UTF-16 units, or null. */
function search(c: Compiled, s: string, from: number): [number, number] | null {
  const n = c.prog.inst.length;
  let run = newList(n);
  let next = newList(n);
  let matched: [number, number] | null = null;
  for (let pos = from; ; ) {
    const r = runeAt(s, pos);
    const width = r > 0xffff ? 2 : 1;
    if (matched === null) addThread(c, run, c.prog.start, pos, emptyContext(runeBefore(s, pos), r));
    // With no thread alive and a match already found, nothing can do better.
    if (run.pcs.length === 0 && matched !== null) break;
    const nextCtx = r < 0 ? 0 : emptyContext(r, runeAt(s, pos + width));
    for (let i = 0; i < run.pcs.length; i++) {
      const inst = c.prog.inst[run.pcs[i] as number] as Inst;
      const start = run.starts[i] as number;
      if (inst.op === c.ops.MATCH) {
        // Leftmost-first: this thread wins over every lower-priority one still in the list.
        matched = [start, pos];
        break;
      }
      if (r >= 0 && inst.matchRune(r)) addThread(c, next, inst.out, start, nextCtx);
    }
    if (r < 0) break;
    clearList(run);
    [run, next] = [next, run];
    pos += width;
  }
  return matched;
}

/** CEL `find`: the first match of the pattern in `s`, or '' when there is none. */
export function regexFind(s: string, pattern: string): string {
  const m = search(compile(pattern), s, 0);
  return m ? s.slice(m[0], m[1]) : '';
}

/** CEL `findAll`: up to `limit` successive non-overlapping matches (all when limit < 0), as Go's FindAllString. */
export function regexFindAll(s: string, pattern: string, limit = -1): string[] {
  const c = compile(pattern);
  const out: string[] = [];
  if (limit === 0) return out;
  let prevEnd = -1;
  for (let pos = 0; pos <= s.length && (limit < 0 || out.length < limit); ) {
    const m = search(c, s, pos);
    if (!m) break;
    let accept = true;
    if (m[1] === pos) {
      // An empty match right after the previous match is skipped, then the search moves one rune on.
      if (m[0] === prevEnd) accept = false;
      const r = runeAt(s, pos);
      pos += r > 0xffff ? 2 : 1;
    } else {
      pos = m[1];
    }
    prevEnd = m[1];
    if (accept) out.push(s.slice(m[0], m[1]));
  }
  return out;
}
