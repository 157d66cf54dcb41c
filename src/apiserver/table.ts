// Server-side Tables (meta.k8s.io/v1 Table): the rows kubectl prints, with the object as PartialObjectMetadata.
import type { KubeObject } from '../api/index.js';
import type { Printer, TableColumn } from '../registry/strategy.js';
import { defaultPrinter } from '../registry/printing.js';
import { badRequest } from '../machinery/index.js';
import { framedMemo, ownedBytes } from '../registry/codec.js';

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
// once per revision and version too: every metadata-only watcher (the garbage collector follows every resource
// that way) and every Table of `kubectl get` would otherwise serialize each object's metadata, managedFields
// included, again. The form's object shares the object's metadata; its JSON bytes are made on first use.
interface MetadataForm {
  version: string;
  value: Record<string, unknown>;
  bytes?: Uint8Array;
}
const metadataForms = new WeakMap<KubeObject, MetadataForm>();

function metadataForm(obj: KubeObject, version: string): MetadataForm {
  const hit = metadataForms.get(obj);
  if (hit && hit.version === version) return hit;
  const form: MetadataForm = { version, value: partialObjectMetadata(obj, version) };
  metadataForms.set(obj, form);
  return form;
}

/** `partialObjectMetadata(obj, version)`, memoized per object: pass only shared, unchanging objects. Never mutate it. */
export function sharedPartialObjectMetadata(obj: KubeObject, version = 'v1'): Record<string, unknown> {
  return metadataForm(obj, version).value;
}

/** The JSON bytes of `partialObjectMetadata(obj, version)`, made once per object and version. */
export function partialObjectMetadataBytes(obj: KubeObject, version = 'v1'): Uint8Array {
  const f = metadataForm(obj, version);
  return (f.bytes ??= ownedBytes(JSON.stringify(f.value)));
}

/** `head` + the metadata JSON + `tail` in one buffer (a watch line); the first one made holds the memoized bytes. */
export function framedPartialObjectMetadata(obj: KubeObject, version: string, head: string, tail: string): Uint8Array {
  const f = metadataForm(obj, version);
  return framedMemo(f, () => JSON.stringify(f.value), head, tail);
}

/** The JSON of `partialObjectMetadata(obj, version)`. */
export function partialObjectMetadataJson(obj: KubeObject, version = 'v1'): string {
  const f = metadataForm(obj, version);
  return f.bytes ? Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength).toString() : JSON.stringify(f.value);
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
