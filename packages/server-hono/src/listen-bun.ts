import type { Fetch, Listener } from './listener.js';
import { answeringNatively } from './native-response.js';

interface BunServer {
  readonly port: number;
  stop(closeActiveConnections?: boolean): Promise<void>;
  unref(): void;
}
declare const Bun: { serve(options: { fetch: Fetch; port: number; hostname: string }): BunServer };

export async function listen(fetch: Fetch, port: number, hostname: string): Promise<Listener> {
  const server = Bun.serve({ fetch: answeringNatively(fetch), port, hostname });
  return {
    port: server.port,
    close: () => server.stop(),
    // The graceful stop() already awaited settles with this one: its own outcome adds nothing.
    closeAll: () => void server.stop(true).catch(() => {}),
    unref: () => server.unref(),
  };
}
