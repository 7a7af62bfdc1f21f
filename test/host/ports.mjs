// Free loopback ports for the servers the tests, the bench and the demo start.
import * as fs from 'node:fs';
import * as net from 'node:net';

const LOWEST = 20_000;
const given = new Set();

/** The first port of the kernel's ephemeral range (Linux; 32768 elsewhere is below every OS's range). */
function ephemeralLow() {
  try {
    const low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 1024 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

const below = ephemeralLow();

/** Binds 127.0.0.1:port (0: any) and lets it go: the port it bound, or undefined when that port is taken. */
function tryBind(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(undefined));
    srv.listen(port, '127.0.0.1', () => {
      const bound = srv.address().port;
      srv.close(() => resolve(bound));
    });
  });
}

async function anyPort() {
  const port = await tryBind(0);
  if (port === undefined) throw new Error('no free loopback port');
  return port;
}

/**
 * A port nothing listens on, below the ephemeral range. A port from listen(0)
 * is an ephemeral one: any outgoing connection may take it between this check
 * and the server's own bind, and Jaeger then exited with "address already in
 * use" now and then. Ports outside that range are only taken by listeners.
 */
export async function freePort() {
  if (below - LOWEST < 1_000) return anyPort();
  for (let i = 0; i < 100; i++) {
    const port = LOWEST + Math.floor(Math.random() * (below - LOWEST));
    if (given.has(port)) continue;
    if ((await tryBind(port)) !== undefined) {
      given.add(port);
      return port;
    }
  }
  return anyPort();
}
