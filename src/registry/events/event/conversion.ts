// events.k8s.io/v1 Events are stored as core/v1 Events (as in Kubernetes); these convert between the two.
import type { KubeObject } from '../../../api/index.js';

// events.k8s.io/v1 field ↔ core/v1 field; the rest (eventTime, series, related, action, reason, type, reportingInstance) share names.
const renamed: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function rename(obj: KubeObject, pairs: [string, string][], apiVersion: string): KubeObject {
  const out: KubeObject = {};
  const map = new Map(pairs);
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    out[map.get(k) ?? k] = v;
  }
  out.apiVersion = apiVersion;
  out.kind = 'Event';
  return out;
}

/** events.k8s.io/v1 Event → core/v1 Event (the stored form). */
export function eventToCore(obj: KubeObject): KubeObject {
  const out = rename(obj, renamed, 'v1');
  // core/v1 Events always carry involvedObject and source, even when empty.
  out.involvedObject ??= {};
  out.source ??= {};
  return out;
}

/** core/v1 Event → events.k8s.io/v1 Event. */
export function eventFromCore(obj: KubeObject): KubeObject {
  const out = rename(
    obj,
    renamed.map(([a, b]) => [b, a]),
    'events.k8s.io/v1',
  );
  // Empty deprecated fields are omitted by the events.k8s.io API.
  const src = out.deprecatedSource as Record<string, unknown> | undefined;
  if (src && !src.component && !src.host) delete out.deprecatedSource;
  if (!out.deprecatedCount) delete out.deprecatedCount;
  if (out.deprecatedFirstTimestamp === null) delete out.deprecatedFirstTimestamp;
  if (out.deprecatedLastTimestamp === null) delete out.deprecatedLastTimestamp;
  if (out.eventTime === null) delete out.eventTime;
  return out;
}
