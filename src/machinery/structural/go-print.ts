// Field errors whose bad value is printed the way Kubernetes 1.32 prints it: strings quoted, numbers and
// booleans as Go's %v, a nil value as "null", objects and lists in Go syntax (%#v). Values that kin's
// field-error formatter would print differently are placed in the detail, where they read the same.
import { FieldErrorType, type FieldError } from '../field-errors.js';
import { goFloat, goNumber, isMap } from './types.js';

// %#v of a value held in an interface{} (inside a map or slice).
function sharpElem(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  return goSharpV(v);
}

/** Go's %#v of a decoded JSON object or list: `map[string]interface {}{"a":"b"}`, `[]interface {}{1, 2}`. */
export function goSharpV(v: unknown): string {
  if (Array.isArray(v)) return `[]interface {}{${v.map(sharpElem).join(', ')}}`;
  if (isMap(v)) {
    const keys = Object.keys(v).sort();
    return `map[string]interface {}{${keys.map((k) => `${JSON.stringify(k)}:${sharpElem(v[k])}`).join(', ')}}`;
  }
  return sharpElem(v);
}

/** How Kubernetes 1.32 prints a bad value in a field error. */
export function goPrint(v: unknown): string {
  if (v === null || v === undefined) return '"null"';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isInteger(v) ? goNumber(v) : goFloat(v);
  if (typeof v === 'boolean') return String(v);
  return goSharpV(v);
}

/** A field error of `type` with `value` printed as Kubernetes 1.32 prints it. */
export function printedError(type: FieldErrorType, field: string, value: unknown, detail = ''): FieldError {
  if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'boolean') {
    return { type, field, value, detail };
  }
  return { type, field, omitValue: true, detail: detail ? `${goPrint(value)}: ${detail}` : goPrint(value) };
}

/** Invalid value, printed as Kubernetes 1.32 does. */
export function invalidValue(field: string, value: unknown, detail: string): FieldError {
  return printedError(FieldErrorType.Invalid, field, value, detail);
}
