// Building responses: JSON bodies, Status objects, YAML.
import type { Status } from '../api/index.js';
import type { StatusError } from '../machinery/index.js';
import type { ApiResponse } from './http.js';
import { yamlLibrary } from './body.js';

/** A JSON response from already-serialized text. */
export function jsonResponse(status: number, body: string, contentType = 'application/json'): ApiResponse {
  return { status, headers: { 'content-type': contentType }, body };
}

/** The response for a failed request: its Status, with the Status code as HTTP status. */
export function errorResponse(e: StatusError): ApiResponse {
  return jsonResponse(e.status.code, JSON.stringify(e.status));
}

/** A Success Status, as DELETE returns for most resources. */
export function statusSuccess(details: { name: string; group: string; kind: string; uid?: string | undefined }): string {
  const d: Record<string, unknown> = { name: details.name };
  if (details.group) d['group'] = details.group;
  d['kind'] = details.kind;
  if (details.uid) d['uid'] = details.uid;
  // kube-apiserver's delete answers this Status without a code.
  const s: Omit<Status, 'code'> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: d as NonNullable<Status['details']> };
  return JSON.stringify(s);
}

/** YAML text of a JSON value. */
export function toYaml(v: unknown): string {
  return yamlLibrary().stringify(v, { lineWidth: 0 });
}
