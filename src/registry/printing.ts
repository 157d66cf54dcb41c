// Shared helpers for Table printers: ages as kubectl shows them and the Name/Age default.
import type { KubeObject } from '../api/index.js';
import type { Printer, TableColumn } from './strategy.js';
import { humanDuration } from '../util/index.js';

export { humanDuration };

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
