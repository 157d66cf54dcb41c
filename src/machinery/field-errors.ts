// Field-level validation errors (field.Error in Kubernetes), with Kubernetes' wording and cause reasons.

/** The kinds of field error, with the reason each reports in Status causes. */
export const FieldErrorType = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Duplicate: 'FieldValueDuplicate',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  Forbidden: 'FieldValueForbidden',
  NotFound: 'FieldValueNotFound',
  TypeInvalid: 'FieldValueTypeInvalid',
  Internal: 'InternalError',
} as const;
export type FieldErrorType = (typeof FieldErrorType)[keyof typeof FieldErrorType];

const typeWords: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueForbidden: 'Forbidden',
  FieldValueNotFound: 'Not found',
  FieldValueTypeInvalid: 'Invalid value',
  InternalError: 'Internal error',
};

/** One problem with one field. `field` is a path such as `spec.containers[0].image`. */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The offending value, shown in the message for Invalid, NotSupported and Duplicate. */
  value?: unknown;
  /** Extra words after the value. */
  detail?: string;
  /** True when the value should not be printed (Required, Forbidden, TooLong, TooMany). */
  omitValue?: boolean;
}

/** Formats a value the way Go's %v / %q does in field errors. */
function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** The message without the field path, as in a Status cause: `Invalid value: "x": must be ...`. */
export function fieldErrorBody(e: FieldError): string {
  const words = typeWords[e.type];
  const showValue = !e.omitValue && e.value !== undefined && e.type !== FieldErrorType.Required && e.type !== FieldErrorType.Forbidden;
  let s = words;
  if (showValue) s += `: ${formatValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** The full message: `spec.containers[0].image: Required value`. */
export function fieldErrorMessage(e: FieldError): string {
  return e.field ? `${e.field}: ${fieldErrorBody(e)}` : fieldErrorBody(e);
}

/** Builders for each error type, named as in Kubernetes' field package. */
export const fieldError = {
  required: (field: string, detail = ''): FieldError => ({ type: FieldErrorType.Required, field, detail }),
  invalid: (field: string, value: unknown, detail = ''): FieldError => ({ type: FieldErrorType.Invalid, field, value, detail }),
  notSupported: (field: string, value: unknown, supported: readonly string[]): FieldError => ({
    type: FieldErrorType.NotSupported,
    field,
    value,
    detail: supported.length ? 'supported values: ' + supported.map((s) => JSON.stringify(s)).join(', ') : '',
  }),
  duplicate: (field: string, value: unknown): FieldError => ({ type: FieldErrorType.Duplicate, field, value }),
  tooLong: (field: string, max: number): FieldError => ({ type: FieldErrorType.TooLong, field, omitValue: true, detail: `may not be more than ${max} bytes` }),
  tooMany: (field: string, actual: number, max: number): FieldError => ({ type: FieldErrorType.TooMany, field, omitValue: true, detail: `${actual}: must have at most ${max} items` }),
  forbidden: (field: string, detail: string): FieldError => ({ type: FieldErrorType.Forbidden, field, detail }),
  notFound: (field: string, value: unknown): FieldError => ({ type: FieldErrorType.NotFound, field, value }),
  typeInvalid: (field: string, value: unknown, detail: string): FieldError => ({ type: FieldErrorType.TypeInvalid, field, value, detail }),
  internal: (field: string, detail: string): FieldError => ({ type: FieldErrorType.Internal, field, omitValue: true, detail }),
};

/** Field paths are built with these so they read like Kubernetes' (`a.b[0].c`, `a.b[key]`). */
export function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}
export function index(path: string, i: number | string): string {
  return `${path}[${i}]`;
}
