// Shared helpers for Table printers: ages as kubectl shows them and the Name/Age default.
import type { KubeObject } from '../api/index.js';
import type { Printer, TableColumn } from './strategy.js';

/** A duration in kubectl's short human form: `45s`, `3m12s`, `25m`, `5h3m`, `2d3h`, `45d`, `2y30d`. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  // A clock skew of up to two seconds still reads as "now".
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/** The age of a timestamp (RFC 3339) at `now`, or `<unknown>` when it is missing. */
export function age(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/** The Name column every printer starts with. */
export const nameColumn: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

/** The Age column. */
export const ageColumn: TableColumn = {
  name: 'Age',
  type: 'string',
  format: '',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  priority: 0,
};

/** Builds a column definition with the usual defaults. */
export function column(name: string, opts: Partial<Omit<TableColumn, 'name'>> = {}): TableColumn {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description: opts.description ?? '', priority: opts.priority ?? 0 };
}

/** The printer for resources without their own columns: Name and Age. */
export const defaultPrinter: Printer = {
  columns: [nameColumn, ageColumn],
  row: (obj: KubeObject, ctx) => [obj.metadata?.name ?? '', age(obj.metadata?.creationTimestamp, ctx.now)],
};
