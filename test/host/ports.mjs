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

function bindable(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function anyPort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A port nothing listens on, below the ephemeral range. A port from listen(0)
 * is an ephemeral one: any outgoing connection may take it between this check
 * and the server's own bind, and Jaeger then exited with "address already in
 * use" now and then. Ports outside that range are only taken by listeners.
 */
export async function freePort() {
  const below = ephemeralLow();
  if (below - LOWEST < 1_000) return anyPort();
  for (let i = 0; i < 100; i++) {
    const port = LOWEST + Math.floor(Math.random() * (below - LOWEST));
    if (given.has(port)) continue;
    if (await bindable(port)) {
      given.add(port);
      return port;
    }
  }
  return anyPort();
}
