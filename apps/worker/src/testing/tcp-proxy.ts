// A TCP proxy on loopback between a worker and its Redis, for fault tests that must take the
// queue away from one worker while the shared Redis keeps serving everyone else. `down()` drops
// every connection and refuses new ones at once (Redis stopped); `hang()` keeps the connections
// open but carries nothing either way (Redis unresponsive, or the network gone quiet); `up()`
// drops whatever hung and carries new connections again.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'up' | 'down' | 'hang';

export interface TcpProxy {
  readonly port: number;
  /** The target URL with the proxy's host and port in its place. */
  readonly url: string;
  readonly mode: ProxyMode;
  up(): void;
  down(): void;
  hang(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 6379);
  let mode: ProxyMode = 'up';
  const pairs = new Set<{ client: Socket; upstream: Socket; hung: boolean }>();
  /** Connections accepted while hung, never connected onwards. */
  const stalled = new Set<Socket>();
  const dropStalled = () => {
    for (const socket of stalled) socket.destroy();
    stalled.clear();
  };
  const drop = (pair: { client: Socket; upstream: Socket }) => {
    pair.client.destroy();
    pair.upstream.destroy();
    pairs.delete(pair as never);
  };

  const server: Server = createServer((client) => {
    if (mode !== 'up') {
      // Down: refused at once. Hung: accepted, then nothing ever comes back.
      if (mode === 'down') {
        client.destroy();
      } else {
        stalled.add(client);
        client.on('error', () => undefined);
        client.on('close', () => stalled.delete(client));
      }
      return;
    }
    const upstream = createConnection({ host: target.hostname, port: targetPort });
    const pair = { client, upstream, hung: false };
    pairs.add(pair);
    client.on('data', (chunk) => {
      if (!pair.hung) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!pair.hung) client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', () => drop(pair));
      socket.on('close', () => drop(pair));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);

  return {
    port,
    url: url.toString(),
    get mode() {
      return mode;
    },
    up() {
      // A hung connection's stream lost bytes: it cannot carry on, so it goes.
      for (const pair of [...pairs]) if (pair.hung) drop(pair);
      dropStalled();
      mode = 'up';
    },
    down() {
      mode = 'down';
      for (const pair of [...pairs]) drop(pair);
      dropStalled();
    },
    hang() {
      mode = 'hang';
      for (const pair of pairs) pair.hung = true;
    },
    async close() {
      mode = 'down';
      for (const pair of [...pairs]) drop(pair);
      dropStalled();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
