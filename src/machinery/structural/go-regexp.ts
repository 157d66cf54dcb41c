// Go regular expressions (RE2 syntax and semantics) for schema `pattern`s. RE2 guarantees linear time, which a
// server needs for patterns it does not control; the RE2 engine in JavaScript is slow, though, so a pattern
// whose meaning JavaScript's engine reproduces exactly and that cannot backtrack badly (plain atoms repeated,
// at most one open-ended repetition) runs as a JavaScript RegExp. Everything else runs on RE2, with a small
// memo of recent answers.
import { RE2JS } from '@bufbuild/re2';

/** A compiled Go regular expression: `test` searches the whole string like Go's MatchString. */
export interface GoRegexp {
  readonly source: string;
  /** Go's parse error (`error parsing regexp: ...`) when the pattern is invalid. */
  readonly error?: string;
  test(s: string): boolean;
}

const jsSyntax = '^$\\.*+?()[]{}|/';
// RE2's \s, spelled out: JavaScript's also takes Unicode spaces and \v.
const goSpace = '\\t\\n\\f\\r ';

interface Group {
  risky: boolean;
}

/** Translates RE2 syntax to an equivalent, backtracking-safe JavaScript RegExp, or undefined when it cannot. */
export function translateGoRegexp(src: string): RegExp | undefined {
  let i = 0;
  let out = '';
  let flags = 'u';
  let openEnded = 0;
  const groups: Group[] = [{ risky: false }];
  // What the next quantifier would apply to: a single character, a group (risky if it holds repetition or
  // alternation), or nothing quantifiable.
  let last: 'none' | 'atom' | 'safe-group' | 'risky-group' = 'none';
  if (src.startsWith('(?i)')) {
    flags += 'i';
    i = 4;
  }
  const top = (): Group => groups[groups.length - 1] as Group;
  while (i < src.length) {
    const ch = src[i] as string;
    if (ch === '\\') {
      const e = src[i + 1];
      if (e === undefined) return undefined;
      i += 2;
      if ('dDwW'.includes(e)) out += '\\' + e;
      else if (e === 's') out += `[${goSpace}]`;
      else if (e === 'S') out += `[^${goSpace}]`;
      else if (e === 'b' || e === 'B') {
        out += '\\' + e;
        last = 'none';
        continue;
      } else if (e === 'A') {
        out += '^';
        last = 'none';
        continue;
      } else if (e === 'z') {
        out += '$';
        last = 'none';
        continue;
      } else if ('ntrfv'.includes(e)) out += '\\' + e;
      else if (e === 'a') out += '\\x07';
      else if (e === 'x') {
        const m = /^\{([0-9a-fA-F]{1,6})\}|^([0-9a-fA-F]{2})/.exec(src.slice(i));
        if (!m) return undefined;
        out += `\\u{${m[1] ?? m[2]}}`;
        i += m[0].length;
      } else if (e.charCodeAt(0) < 0x80 && !/[0-9A-Za-z]/.test(e)) out += jsSyntax.includes(e) ? '\\' + e : e;
      else return undefined;
      last = 'atom';
      continue;
    }
    if (ch === '[') {
      let j = i + 1;
      let cls = '[';
      if (src[j] === '^') {
        cls += '^';
        j++;
      }
      if (src[j] === ']') return undefined;
      for (;;) {
        const c = src[j];
        if (c === undefined) return undefined;
        if (c === ']') break;
        if (c === '[') {
          if (src[j + 1] === ':') return undefined;
          cls += '\\[';
          j++;
          continue;
        }
        if (c === '\\') {
          const e = src[j + 1];
          if (e === undefined) return undefined;
          j += 2;
          if ('dDwW'.includes(e)) cls += '\\' + e;
          else if (e === 's') cls += goSpace;
          else if ('ntrfv'.includes(e)) cls += '\\' + e;
          else if (e === 'x') {
            const m = /^\{([0-9a-fA-F]{1,6})\}|^([0-9a-fA-F]{2})/.exec(src.slice(j));
            if (!m) return undefined;
            cls += `\\u{${m[1] ?? m[2]}}`;
            j += m[0].length;
          } else if (e.charCodeAt(0) < 0x80 && !/[0-9A-Za-z]/.test(e)) cls += jsSyntax.includes(e) || e === '-' ? '\\' + e : e;
          else return undefined;
          continue;
        }
        const cp = src.codePointAt(j) as number;
        const s = String.fromCodePoint(cp);
        cls += s;
        j += s.length;
      }
      out += cls + ']';
      i = j + 1;
      last = 'atom';
      continue;
    }
    if (ch === '(') {
      if (src.startsWith('(?:', i)) i += 3;
      else if (src.startsWith('(?P<', i) || src.startsWith('(?<', i)) {
        const close = src.indexOf('>', i);
        if (close < 0) return undefined;
        i = close + 1;
      } else if (src[i + 1] === '?') return undefined;
      else i += 1;
      out += '(?:';
      groups.push({ risky: false });
      last = 'none';
      continue;
    }
    if (ch === ')') {
      const g = groups.pop();
      if (!g || groups.length === 0) return undefined;
      if (g.risky) top().risky = true;
      out += ')';
      i += 1;
      last = g.risky ? 'risky-group' : 'safe-group';
      continue;
    }
    if (ch === '|') {
      top().risky = true;
      out += '|';
      i += 1;
      last = 'none';
      continue;
    }
    const rep = /^(?:[*+?]|\{(\d+)(,(\d*))?\})/.exec(src.slice(i));
    if (rep && last !== 'none') {
      const q = rep[0];
      const min = q === '+' ? 1 : q === '*' || q === '?' ? 0 : Number(rep[1]);
      const max = q === '*' || q === '+' ? Infinity : q === '?' ? 1 : rep[2] === undefined ? min : rep[3] === '' ? Infinity : Number(rep[3]);
      if (max - min > 1) {
        if (last !== 'atom') return undefined;
        if (max === Infinity && ++openEnded > 1) return undefined;
        if (max !== Infinity && max > 1000) return undefined;
      } else if (last === 'risky-group' && max > 1) return undefined;
      for (const g of groups) g.risky = true;
      out += q;
      i += q.length;
      if (src[i] === '?') {
        out += '?';
        i += 1;
      }
      last = 'none';
      continue;
    }
    if (ch === '.') out += '[^\\n]';
    else if (ch === '^' || ch === '$') {
      out += ch;
      i += 1;
      last = 'none';
      continue;
    } else if (jsSyntax.includes(ch)) out += '\\' + ch;
    else {
      const cp = src.codePointAt(i) as number;
      const s = String.fromCodePoint(cp);
      out += s;
      i += s.length;
      last = 'atom';
      continue;
    }
    i += 1;
    last = 'atom';
  }
  if (groups.length !== 1) return undefined;
  try {
    return new RegExp(out, flags);
  } catch {
    return undefined;
  }
}

// Inputs longer than this go to RE2 even for translated patterns (one open-ended repetition is quadratic at worst).
const maxJsInput = 4096;
const memoSize = 256;

const compiled = new Map<string, GoRegexp>();

// RE2 for patterns JavaScript cannot run safely, remembering the last answers (values repeat across objects).
function re2Matcher(engine: RE2JS): (s: string) => boolean {
  const memo = new Map<string, boolean>();
  return (s) => {
    const m = memo.get(s);
    if (m !== undefined) return m;
    const r = engine.test(s);
    if (memo.size >= memoSize) memo.clear();
    memo.set(s, r);
    return r;
  };
}

function build(src: string): GoRegexp {
  let engine: RE2JS;
  try {
    engine = RE2JS.compile(src);
  } catch (e) {
    return { source: src, error: e instanceof Error ? e.message : String(e), test: () => false };
  }
  const slow = re2Matcher(engine);
  const js = translateGoRegexp(src);
  return { source: src, test: js ? (s) => (s.length <= maxJsInput ? js.test(s) : slow(s)) : slow };
}

/** Compiles `src` with Go's syntax (cached by source); check `error` before use. */
export function compileGoRegexp(src: string): GoRegexp {
  const hit = compiled.get(src);
  if (hit) return hit;
  const re = build(src);
  if (compiled.size > 10000) compiled.clear();
  compiled.set(src, re);
  return re;
}
