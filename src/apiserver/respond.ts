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

/** Where a PushStream writes once a consumer has attached (the node:https adapter: the socket). */
export interface StreamSink {
  /** Takes one chunk; it is never empty. */
  write(chunk: Uint8Array | string): void;
  /** The stream is over: no more chunks. */
  end(): void;
}

/**
 * A streaming response body its producer pushes chunks into as they happen (a watch: one line per event). It is
 * an ApiBody like any other — an AsyncIterable, which the in-process client and tests read — and a consumer that
 * can take chunks synchronously (the node:https adapter) `attach`es instead, so that an event reaches a thousand
 * watch sockets without an async step per watcher. The fetch-shaped core stays as it is: a handler answers an
 * ApiResponse whose body is iterable; `attach` is only a faster way to read this kind of body.
 */
export class PushStream implements AsyncIterable<Uint8Array | string> {
  private readonly queue: (Uint8Array | string)[] = [];
  private sink: StreamSink | undefined;
  private ended = false;
  private closed = false;
  private read = false;
  private wake: (() => void) | undefined;

  /** `onClose` runs once when the reader stops before the end (the client went away, the server shuts down). */
  constructor(private readonly onClose: () => void) {}

  /** Producer: adds a chunk (dropped once the stream has ended or its reader has gone). */
  push(chunk: Uint8Array | string): void {
    if (this.ended || this.closed || chunk.length === 0) return;
    if (this.sink) this.sink.write(chunk);
    else {
      this.queue.push(chunk);
      this.wakeUp();
    }
  }

  /** Producer: no more chunks. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.sink) this.sink.end();
    else this.wakeUp();
  }

  /**
   * Consumer: every chunk from now on goes to `sink`, starting with those pushed so far. Returns the function
   * to call when the consumer stops reading early. A stream is read once: by attaching or by iterating.
   */
  attach(sink: StreamSink): () => void {
    this.claim();
    for (const c of this.queue.splice(0)) sink.write(c);
    if (this.ended) sink.end();
    else this.sink = sink;
    return () => this.close();
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array | string> {
    this.claim();
    return {
      next: async () => {
        for (;;) {
          const c = this.queue.shift();
          if (c !== undefined) return { done: false, value: c };
          if (this.ended || this.closed) return { done: true, value: undefined };
          await new Promise<void>((r) => (this.wake = r));
        }
      },
      return: async () => {
        this.close();
        return { done: true, value: undefined };
      },
    };
  }

  private claim(): void {
    if (this.read) throw new Error('a PushStream is read only once');
    this.read = true;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sink = undefined;
    this.queue.length = 0;
    this.wakeUp();
    this.onClose();
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
