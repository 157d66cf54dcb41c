// The in-process transport: requests go straight into an API server core handler, with no socket.
import type { ClientRequest, ClientResponse, Transport } from './transport.js';

/** A handler with the API server core's shape (the client never imports the server itself). */
export type CoreHandler = (req: ClientRequest & { user?: { username: string; groups: string[] } }) => Promise<ClientResponse>;

/** A transport that calls `handler` directly, as `user`. */
export function inProcessTransport(handler: CoreHandler, user: { username: string; groups: string[] }): Transport {
  return (req) => handler({ ...req, user });
}
