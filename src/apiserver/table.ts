// Server-side Tables (meta.k8s.io/v1 Table): the rows kubectl prints, with the object as PartialObjectMetadata.
import type { KubeObject } from '../api/index.js';
import type { Printer, TableColumn } from '../registry/strategy.js';
import { defaultPrinter } from '../registry/printing.js';
import { badRequest } from '../machinery/index.js';

/** What each row carries besides its cells (`includeObject`). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Reads the `includeObject` parameter (default Metadata). */
export function includeObjectParam(v: string | null): IncludeObject {
  if (v === null || v === '' || v === 'Metadata') return 'Metadata';
  if (v === 'None' || v === 'Object') return v;
  throw badRequest(`Unable to convert to Table as requested: includeObject: Invalid value: ${JSON.stringify(v)}: must be 'Metadata', 'Object', 'None', or empty`);
}

/** The JSON of an object's metadata only. */
export function partialObjectMetadata(obj: KubeObject, version = 'v1'): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata ?? {} };
}

// Stored objects are decoded once per revision and shared (never changed), so the metadata form of one is made
// once per revision and version too: a Table of 10,000 rows would otherwise serialize 10,000 metadata objects,
// managedFields included, on every `kubectl get`, and every metadata-only watcher would serialize each event again.
const metadataForms = new WeakMap<KubeObject, { version: string; value: Record<string, unknown>; json: string }>();

/** `partialObjectMetadata(obj, version)` and its JSON, memoized per object: pass only shared, unchanging objects. */
export function sharedPartialObjectMetadata(obj: KubeObject, version = 'v1'): { value: Record<string, unknown>; json: string } {
  const hit = metadataForms.get(obj);
  if (hit && hit.version === version) return hit;
  const value = partialObjectMetadata(obj, version);
  const form = { version, value, json: JSON.stringify(value) };
  metadataForms.set(obj, form);
  return form;
}

/** The JSON of `partialObjectMetadata(obj, version)`, memoized per object: pass only shared, unchanging objects. */
export function partialObjectMetadataJson(obj: KubeObject, version = 'v1'): string {
  return sharedPartialObjectMetadata(obj, version).json;
}

function rowObjectJson(obj: KubeObject, json: () => string, include: IncludeObject, version: string): string | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return json();
  return partialObjectMetadataJson(obj, version);
}

/** The columns of a printer with descriptions, for `columnDefinitions`. */
export function columnDefinitions(printer: Printer | undefined): TableColumn[] {
  return (printer ?? defaultPrinter).columns;
}

/** One item to render: the decoded object and its JSON text (computed on demand). */
export interface TableItem {
  obj: KubeObject;
  json: () => string;
}

/** Renders a Table; `columns: false` leaves out the column definitions (later watch events). */
export function renderTable(
  items: TableItem[],
  opts: { printer: Printer | undefined; now: number; include: IncludeObject; version: string; resourceVersion?: string; continue?: string; remainingItemCount?: number; columns?: boolean },
): string {
  const printer = opts.printer ?? defaultPrinter;
  const rows: string[] = [];
  for (const it of items) {
    let cells: unknown[];
    try {
      cells = printer.row(it.obj, { now: opts.now });
    } catch {
      // A printer must never turn a stored object into a failed request: the name, the age under Age, blanks.
      const [name, age] = defaultPrinter.row(it.obj, { now: opts.now });
      cells = printer.columns.map((c, i) => (i === 0 ? name : c.name === 'Age' ? age : ''));
    }
    const o = rowObjectJson(it.obj, it.json, opts.include, opts.version);
    rows.push(o === undefined ? `{"cells":${JSON.stringify(cells)}}` : `{"cells":${JSON.stringify(cells)},"object":${o}}`);
  }
  const meta: Record<string, unknown> = {};
  if (opts.resourceVersion !== undefined) meta['resourceVersion'] = opts.resourceVersion;
  if (opts.continue) meta['continue'] = opts.continue;
  if (opts.remainingItemCount !== undefined) meta['remainingItemCount'] = opts.remainingItemCount;
  const cols = opts.columns === false ? '' : `"columnDefinitions":${JSON.stringify(printer.columns)},`;
  return `{"kind":"Table","apiVersion":"meta.k8s.io/${opts.version}","metadata":${JSON.stringify(meta)},${cols}"rows":[${rows.join(',')}]}`;
}
