// What serve() asks of a runtime adapter (listen-node.ts, listen-bun.ts, listen-deno.ts).

/** What a runtime adapter starts: a fetch handler on a port, and how to stop it. */
export interface Listener {
  readonly port: number;
  /** Stops accepting and resolves once every connection is closed. */
  close(): Promise<void>;
  /** Drops every connection still open, answered or not. */
  closeAll(): void;
  /** From now on neither the server nor its connections keep the process alive. */
  unref(): void;
}

/** A fetch handler; the runtime's second argument (Deno's connection info, Bun's server) is passed on. */
export type Fetch = (request: Request, context?: unknown) => Response | Promise<Response>;
