// Building responses: JSON bodies, Status objects, YAML.
import type { Status } from '../api/index.js';
import type { StatusError } from '../machinery/index.js';
import type { ApiResponse } from './http.js';
import { yamlLibrary } from './body.js';

/** A JSON response from already-serialized text. */
export function jsonResponse(status: number, body: string | Uint8Array, contentType = 'application/json'): ApiResponse {
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
 *
 * An attached sink gets what is pushed on the next turn of the event loop (one setImmediate for every stream),
 * not from `push` itself: a write's events are pushed while the write is being acknowledged, and its response
 * should not wait until a thousand watch sockets have been written to.
 */
export class PushStream implements AsyncIterable<Uint8Array | string> {
  private readonly queue: (Uint8Array | string)[] = [];
  private sink: StreamSink | undefined;
  private ended = false;
  private closed = false;
  private read = false;
  private wake: (() => void) | undefined;
  private endSent = false;

  // Streams with chunks (or an end) waiting for their sinks, all written on the next turn of the event loop.
  private static readonly due = new Set<PushStream>();
  private static flushScheduled = false;

  /** `onClose` runs once when the reader stops before the end (the client went away, the server shuts down). */
  constructor(private readonly onClose: () => void) {}

  /** Producer: adds a chunk (dropped once the stream has ended or its reader has gone). */
  push(chunk: Uint8Array | string): void {
    if (this.ended || this.closed || chunk.length === 0) return;
    this.queue.push(chunk);
    if (this.sink) this.schedule();
    else this.wakeUp();
  }

  /** Producer: no more chunks. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.sink) this.schedule();
    else this.wakeUp();
  }

  /**
   * Consumer: every chunk from now on goes to `sink`, starting with those pushed so far. Returns the function
   * to call when the consumer stops reading early. A stream is read once: by attaching or by iterating.
   */
  attach(sink: StreamSink): () => void {
    this.claim();
    this.sink = sink;
    this.flush(); // what was pushed before the response went out goes with it
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

  private schedule(): void {
    PushStream.due.add(this);
    if (PushStream.flushScheduled) return;
    PushStream.flushScheduled = true;
    setImmediate(PushStream.flushDue);
  }

  private static flushDue(): void {
    PushStream.flushScheduled = false;
    const due = [...PushStream.due];
    PushStream.due.clear();
    for (const s of due) s.flush();
  }

  private flush(): void {
    const sink = this.sink;
    if (!sink) return;
    for (const c of this.queue.splice(0)) {
      if (this.sink !== sink) return; // the reader went away while being written to
      sink.write(c);
    }
    if (this.ended && !this.endSent) {
      this.endSent = true;
      this.sink = undefined;
      sink.end();
    }
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
