// Field-error builders shared by the core kinds: labels, selectors, immutability, number ranges, quantities.
import { fieldError, child, index, validateLabels, validateLabelName, type FieldError } from '../../../machinery/index.js';
import { isValidLabelValue, isDNS1123Label, isDNS1123Subdomain } from './names.js';
import { parseQuantity, quantityFormatError } from './quantity.js';
import { list, semanticEqual, isObject } from './objects.js';

/** `field is immutable`. */
export const fieldImmutable = 'field is immutable';
/** `must be greater than or equal to 0`. */
export const isNegative = 'must be greater than or equal to 0';

/** One Invalid error per message of a format check. */
export function invalidEach(path: string, value: unknown, msgs: string[]): FieldError[] {
  return msgs.map((m) => fieldError.invalid(path, value, m));
}

/** Label maps and keys (ValidateLabels, ValidateLabelName), from machinery. */
export { validateLabels, validateLabelName };

/** A metav1.LabelSelector: matchLabels and matchExpressions. */
export function validateLabelSelector(sel: unknown, path: string): FieldError[] {
  if (!isObject(sel)) return [];
  const errs = validateLabels(sel['matchLabels'] as Record<string, string> | undefined, child(path, 'matchLabels'));
  list(sel['matchExpressions'] as Record<string, unknown>[] | undefined).forEach((req, i) => {
    const p = index(child(path, 'matchExpressions'), i);
    const values = list(req['values'] as string[] | undefined);
    switch (req['operator']) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(fieldError.required(child(p, 'values'), 'must be specified when `operator` is \'In\' or \'NotIn\''));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(fieldError.forbidden(child(p, 'values'), 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
        break;
      default:
        errs.push(fieldError.invalid(child(p, 'operator'), req['operator'], 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(String(req['key'] ?? ''), child(p, 'key')));
    values.forEach((v, j) => errs.push(...invalidEach(index(child(p, 'values'), j), v, isValidLabelValue(v))));
  });
  return errs;
}

/** `field is immutable` unless the two values are semantically equal. */
export function validateImmutable(now: unknown, old: unknown, path: string): FieldError[] {
  return semanticEqual(now, old) ? [] : [fieldError.invalid(path, now, fieldImmutable)];
}

/** `must be greater than or equal to 0` for negative numbers. */
export function validateNonnegative(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && value < 0 ? [fieldError.invalid(path, value, isNegative)] : [];
}

/** A DNS-1123 label field (ValidateDNS1123Label). */
export function validateDNS1123Label(value: string, path: string): FieldError[] {
  return invalidEach(path, value, isDNS1123Label(value));
}

/** A DNS-1123 subdomain field (ValidateDNS1123Subdomain). */
export function validateDNS1123Subdomain(value: string, path: string): FieldError[] {
  return invalidEach(path, value, isDNS1123Subdomain(value));
}

/** A quantity that must parse; the parse error in Kubernetes' words otherwise. */
export function validateQuantityFormat(value: unknown, path: string): FieldError[] {
  return parseQuantity(value) ? [] : [fieldError.invalid(path, value, quantityFormatError)];
}
