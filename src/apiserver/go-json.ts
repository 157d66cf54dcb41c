// The syntax error Go's encoding/json reports for invalid JSON, word for word, so that a malformed body gets
// the message kube-apiserver gives it. Only consulted once JSON.parse has already failed.

const enum Ctx {
  ObjectKey,
  ObjectValue,
  Array,
}

/** Go's quoteChar: a byte as the scanner names it, `'x'`, `'\n'`, `'\''`. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  return `'${goQuoteRune(c)}'`;
}

/** The inside of Go's strconv.Quote of one rune below 256. */
function goQuoteRune(c: number): string {
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v', 0x5c: '\\\\' };
  if (named[c]) return named[c];
  if (c < 0x20 || c === 0x7f) return `\\x${c.toString(16).padStart(2, '0')}`;
  if (c >= 0x80 && c < 0xa0) return `\\u00${c.toString(16).padStart(2, '0')}`;
  if (c === 0xad) return '\\u00ad';
  return String.fromCharCode(c);
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/**
 * The message of the error Go's json.Unmarshal returns for `data`, or undefined when Go would find the syntax
 * valid. Follows the states of Go's JSON scanner.
 */
export function goJsonSyntaxError(data: Uint8Array): string | undefined {
  const stack: Ctx[] = [];
  let i = 0;
  const n = data.length;
  const err = (c: number, context: string) => `invalid character ${quoteChar(c)} ${context}`;
  // Reads one value starting at i (after spaces); returns an error message or undefined, leaving i after it.
  const value = (): string | undefined => {
    while (i < n && isSpace(data[i]!)) i++;
    if (i >= n) return 'unexpected end of JSON input';
    const c = data[i]!;
    if (c === 0x7b || c === 0x5b) return undefined; // containers are walked by the main loop
    if (c === 0x22) return string();
    if (c === 0x2d || isDigit(c)) return number();
    for (const lit of ['true', 'false', 'null']) {
      if (c !== lit.charCodeAt(0)) continue;
      for (let k = 1; k < lit.length; k++) {
        i++;
        if (i >= n) return 'unexpected end of JSON input';
        if (data[i] !== lit.charCodeAt(k)) return err(data[i]!, `in literal ${lit} (expecting ${quoteChar(lit.charCodeAt(k))})`);
      }
      i++;
      return undefined;
    }
    return err(c, 'looking for beginning of value');
  };
  const string = (): string | undefined => {
    for (i++; i < n; i++) {
      const c = data[i]!;
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c < 0x20) return err(c, 'in string literal');
      if (c !== 0x5c) continue;
      i++;
      if (i >= n) break;
      const e = data[i]!;
      if (e === 0x75) {
        for (let k = 0; k < 4; k++) {
          i++;
          if (i >= n) return 'unexpected end of JSON input';
          if (!isHex(data[i]!)) return err(data[i]!, 'in \\u hexadecimal character escape');
        }
      } else if (!'bfnrt\\/"'.includes(String.fromCharCode(e))) {
        return err(e, 'in string escape code');
      }
    }
    return 'unexpected end of JSON input';
  };
  const number = (): string | undefined => {
    const end = () => (i >= n ? 'eof' : undefined);
    if (data[i] === 0x2d) {
      i++;
      if (end()) return 'unexpected end of JSON input';
      if (!isDigit(data[i]!)) return err(data[i]!, 'in numeric literal');
    }
    if (data[i] === 0x30) i++;
    else while (i < n && isDigit(data[i]!)) i++;
    if (i < n && data[i] === 0x2e) {
      i++;
      if (end()) return 'unexpected end of JSON input';
      if (!isDigit(data[i]!)) return err(data[i]!, 'after decimal point in numeric literal');
      while (i < n && isDigit(data[i]!)) i++;
    }
    if (i < n && (data[i] === 0x65 || data[i] === 0x45)) {
      i++;
      if (i < n && (data[i] === 0x2b || data[i] === 0x2d)) i++;
      if (end()) return 'unexpected end of JSON input';
      if (!isDigit(data[i]!)) return err(data[i]!, 'in exponent of numeric literal');
      while (i < n && isDigit(data[i]!)) i++;
    }
    return undefined;
  };
  // The main loop: a value, then what may follow it in the enclosing container.
  let expectValue = true;
  for (;;) {
    if (expectValue) {
      const e = value();
      if (e) return e;
      const c = data[i];
      if (c === 0x7b || c === 0x5b) {
        i++;
        while (i < n && isSpace(data[i]!)) i++;
        if (i >= n) return 'unexpected end of JSON input';
        if (c === 0x7b) {
          if (data[i] === 0x7d) {
            i++;
          } else {
            if (data[i] !== 0x22) return err(data[i]!, 'looking for beginning of object key string');
            const se = string();
            if (se) return se;
            stack.push(Ctx.ObjectKey);
            expectValue = false;
            continue;
          }
        } else if (data[i] === 0x5d) {
          i++;
        } else {
          stack.push(Ctx.Array);
          continue;
        }
      }
    }
    expectValue = false;
    while (i < n && isSpace(data[i]!)) i++;
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (i < n) return err(data[i]!, 'after top-level value');
      return undefined;
    }
    if (i >= n) return 'unexpected end of JSON input';
    const c = data[i]!;
    i++;
    if (top === Ctx.ObjectKey) {
      if (c !== 0x3a) return err(c, 'after object key');
      stack[stack.length - 1] = Ctx.ObjectValue;
      expectValue = true;
    } else if (top === Ctx.ObjectValue) {
      if (c === 0x7d) {
        stack.pop();
      } else if (c === 0x2c) {
        while (i < n && isSpace(data[i]!)) i++;
        if (i >= n) return 'unexpected end of JSON input';
        if (data[i] !== 0x22) return err(data[i]!, 'looking for beginning of object key string');
        const se = string();
        if (se) return se;
        stack[stack.length - 1] = Ctx.ObjectKey;
      } else {
        return err(c, 'after object key:value pair');
      }
    } else if (c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      expectValue = true;
    } else {
      return err(c, 'after array element');
    }
  }
}
