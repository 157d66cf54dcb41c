// The fetch-shaped core's request and response: plain objects, so tests and the in-process client need no socket.
//
// Why not the WHATWG Request/Response classes: at the request rates kin aims for, constructing undici's
// Request/Response and reading bodies through web streams costs more than the rest of a GET. These types keep
// the same shape (method, URL, headers, body in; status, headers, body out) at a fraction of the cost.

/** Who made a request, once authenticated. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** A request to the API server core. Header names are lower-case. */
export interface ApiRequest {
  method: string;
  /** The path, not yet percent-decoded, without the query. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  /** The request body, already read and size-limited by the transport (empty for none). */
  body: Uint8Array;
  /** Aborted when the client goes away (ends watches). */
  signal: AbortSignal;
  /** Set by authentication. */
  user?: UserInfo;
}

/** A response body: bytes, text, or a stream of chunks (watch, log follow) each flushed as it comes. */
export type ApiBody = Uint8Array | string | AsyncIterable<Uint8Array | string>;

/** A response from the API server core. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body?: ApiBody;
}

/** The core itself: a function from request to response. */
export type ApiHandler = (req: ApiRequest) => Promise<ApiResponse>;

/** The largest request body accepted (3 MiB), as in Kubernetes. */
export const maxRequestBodyBytes = 3 * 1024 * 1024;
