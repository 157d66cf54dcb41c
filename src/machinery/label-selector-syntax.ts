// The label selector string syntax (`a=b,c in (x,y),!d,e>1`): a lexer and parser mirroring Kubernetes' own token
// for token, so accepted inputs, the resulting requirements and every error message are the same.
import { binaryOperators, newRequirement, type LabelOperator, type LabelRequirement } from './label-requirement.js';
import { isQualifiedName } from './validation.js';

const enum Tok {
  Error,
  EndOfString,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

const string2token: Record<string, Tok> = {
  ')': Tok.ClosedPar,
  ',': Tok.Comma,
  '!': Tok.DoesNotExist,
  '==': Tok.DoubleEquals,
  '=': Tok.Equals,
  '>': Tok.GreaterThan,
  in: Tok.In,
  '<': Tok.LessThan,
  '!=': Tok.NotEquals,
  notin: Tok.NotIn,
  '(': Tok.OpenPar,
};

interface Item {
  tok: Tok;
  lit: string;
}

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string): boolean => ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';

function tokenOf(s: string): Tok | undefined {
  return Object.prototype.hasOwnProperty.call(string2token, s) ? string2token[s] : undefined;
}

// Splits the selector into tokens exactly as Kubernetes' lexer does.
function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos] ?? '')) pos++;
    if (pos >= s.length) {
      items.push({ tok: Tok.EndOfString, lit: '' });
      return items;
    }
    const ch = s[pos] ?? '';
    if (isSpecial(ch)) {
      // The longest run of special characters that still forms a known token.
      let buf = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos] ?? '')) {
        buf += s[pos];
        const t = tokenOf(buf);
        if (t !== undefined) last = { tok: t, lit: buf };
        else if (last) break;
        pos++;
      }
      items.push(last ?? { tok: Tok.Error, lit: `error expected: keyword found '${buf}'` });
    } else {
      const start = pos;
      while (pos < s.length && !isSpecial(s[pos] ?? '') && !isWhitespace(s[pos] ?? '')) pos++;
      const lit = s.slice(start, pos);
      items.push({ tok: tokenOf(lit) ?? Tok.Identifier, lit });
    }
  }
}

/** A malformed selector; the message is Kubernetes' text. */
export class SelectorParseError extends Error {}

// A recursive-descent parser over the token list, mirroring Kubernetes' Parser; errors carry its wording.
class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  // In the Values context the keywords `in`/`notin` are plain identifiers.
  private lookahead(values: boolean): Item {
    const it = this.items[this.pos] ?? { tok: Tok.EndOfString, lit: '' };
    return values && (it.tok === Tok.In || it.tok === Tok.NotIn) ? { tok: Tok.Identifier, lit: it.lit } : it;
  }
  private consume(values: boolean): Item {
    const it = this.lookahead(values);
    this.pos++;
    return it;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      if (tok === Tok.Identifier || tok === Tok.DoesNotExist) {
        let r: LabelRequirement;
        try {
          r = this.parseRequirement();
        } catch (e) {
          if (e instanceof SelectorParseError) throw new SelectorParseError(`unable to parse requirement: ${e.message}`);
          throw e;
        }
        reqs.push(r);
        const t = this.consume(true);
        if (t.tok === Tok.EndOfString) return reqs;
        if (t.tok === Tok.Comma) {
          const t2 = this.lookahead(true);
          if (t2.tok !== Tok.Identifier && t2.tok !== Tok.DoesNotExist) throw new SelectorParseError(`found '${t2.lit}', expected: identifier after ','`);
        } else {
          throw new SelectorParseError(`found '${t.lit}', expected: ',' or 'end of string'`);
        }
      } else if (tok === Tok.EndOfString) {
        return reqs;
      } else {
        throw new SelectorParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    const [key, inferred] = this.parseKeyAndInferOperator();
    let op: LabelOperator;
    let values: string[];
    if (inferred === 'exists' || inferred === '!') {
      op = inferred;
      values = [];
    } else {
      op = this.parseOperator();
      values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    }
    const r = newRequirement(key, op, values);
    if (typeof r === 'string') throw new SelectorParseError(r);
    return r;
  }

  private parseKeyAndInferOperator(): [string, LabelOperator | undefined] {
    let op: LabelOperator | undefined;
    let it = this.consume(true);
    if (it.tok === Tok.DoesNotExist) {
      op = '!';
      it = this.consume(true);
    }
    if (it.tok !== Tok.Identifier) throw new SelectorParseError(`found '${it.lit}', expected: identifier`);
    const keyErrs = isQualifiedName(it.lit);
    if (keyErrs.length) throw new SelectorParseError(`<nil>: Invalid value: ${JSON.stringify(it.lit)}: ${keyErrs.join('; ')}`);
    const next = this.lookahead(true).tok;
    if ((next === Tok.EndOfString || next === Tok.Comma) && op !== '!') op = 'exists';
    return [it.lit, op];
  }

  private parseOperator(): LabelOperator {
    const it = this.consume(false);
    switch (it.tok) {
      case Tok.In:
        return 'in';
      case Tok.Equals:
        return '=';
      case Tok.DoubleEquals:
        return '==';
      case Tok.GreaterThan:
        return 'gt';
      case Tok.LessThan:
        return 'lt';
      case Tok.NotIn:
        return 'notin';
      case Tok.NotEquals:
        return '!=';
      default:
        throw new SelectorParseError(`found '${it.lit}', expected: ${binaryOperators.join(', ')}`);
    }
  }

  // `(a,b,c)`: returns the sorted set of values; empty entries stand for the empty string.
  private parseValues(): string[] {
    const open = this.consume(true);
    if (open.tok !== Tok.OpenPar) throw new SelectorParseError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(true);
    if (tok === Tok.Identifier || tok === Tok.Comma) {
      const s = this.parseIdentifiersList();
      if (this.consume(true).tok !== Tok.ClosedPar) throw new SelectorParseError(`found '${lit}', expected: ')'`);
      return sortedSet(s);
    }
    if (tok === Tok.ClosedPar) {
      this.consume(true);
      return [''];
    }
    throw new SelectorParseError(`found '${lit}', expected: ',', ')' or identifier`);
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const it = this.consume(true);
      if (it.tok === Tok.Identifier) {
        s.add(it.lit);
        const next = this.lookahead(true);
        if (next.tok === Tok.Comma) continue;
        if (next.tok === Tok.ClosedPar) return s;
        throw new SelectorParseError(`found '${next.lit}', expected: ',' or ')'`);
      } else if (it.tok === Tok.Comma) {
        if (s.size === 0) s.add(''); // "(,"
        const next = this.lookahead(true).tok;
        if (next === Tok.ClosedPar) {
          s.add(''); // ",)"
          return s;
        }
        if (next === Tok.Comma) {
          this.consume(true);
          s.add(''); // ",,"
        }
      } else {
        throw new SelectorParseError(`found '${it.lit}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): string[] {
    const next = this.lookahead(true).tok;
    if (next === Tok.EndOfString || next === Tok.Comma) return [''];
    const it = this.consume(true);
    if (it.tok === Tok.Identifier) return [it.lit];
    throw new SelectorParseError(`found '${it.lit}', expected: identifier`);
  }
}

function sortedSet(s: Set<string>): string[] {
  return [...s].sort();
}

/** The requirements of a selector string, in written order; throws SelectorParseError with Kubernetes' message. */
export function parseRequirements(selector: string): LabelRequirement[] {
  return new Parser(lex(selector)).parse();
}
