// A minimal client for a Node process started with --inspect=127.0.0.1:<port>: enough of the
// WebSocket protocol (RFC 6455: masked text frames out, unfragmented text frames in) to send
// DevTools Protocol commands. Used to force a full GC in the API before reading its memory, so
// the per-socket figure is live memory, not garbage left by the connection burst.
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';

export async function inspectorUrl(port, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      if (list[0]?.webSocketDebuggerUrl) return list[0].webSocketDebuggerUrl;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no inspector on port ${port}`);
}

export function connectInspector(wsUrl) {
  return new Promise((resolve, reject) => {
    const u = new URL(wsUrl);
    const req = request({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      },
    });
    req.on('error', reject);
    req.on('upgrade', (_res, socket) => {
      let buf = Buffer.alloc(0);
      // A large answer (a CPU profile: tens of MB) arrives in many chunks: join them once it
      // is complete, not on every chunk.
      let pending = [];
      let pendingBytes = 0;
      let need = 0;
      let nextId = 1;
      const waiting = new Map();
      socket.on('data', (d) => {
        pending.push(d);
        pendingBytes += d.length;
        if (buf.length + pendingBytes < need) return;
        buf = Buffer.concat([buf, ...pending]);
        pending = [];
        pendingBytes = 0;
        // Parse every complete frame in the buffer (bounded by its length).
        while (buf.length >= 2) {
          let len = buf[1] & 0x7f;
          let off = 2;
          if (len === 126) {
            if (buf.length < 4) return;
            len = buf.readUInt16BE(2);
            off = 4;
          } else if (len === 127) {
            if (buf.length < 10) return;
            len = Number(buf.readBigUInt64BE(2));
            off = 10;
          }
          need = off + len;
          if (buf.length < need) return;
          const payload = buf.subarray(off, off + len).toString('utf8');
          const opcode = buf[0] & 0x0f;
          buf = buf.subarray(off + len);
          need = 0;
          if (opcode !== 1) continue;
          const msg = JSON.parse(payload);
          const w = waiting.get(msg.id);
          if (w) {
            waiting.delete(msg.id);
            if (msg.error) w.reject(new Error(msg.error.message));
            else w.resolve(msg.result);
          }
        }
      });
      const send = (method, params = {}) =>
        new Promise((res, rej) => {
          const id = nextId++;
          waiting.set(id, { resolve: res, reject: rej });
          const data = Buffer.from(JSON.stringify({ id, method, params }));
          const mask = randomBytes(4);
          const header =
            data.length < 126
              ? Buffer.from([0x81, 0x80 | data.length])
              : Buffer.from([0x81, 0x80 | 126, data.length >> 8, data.length & 0xff]);
          const masked = Buffer.alloc(data.length);
          for (let i = 0; i < data.length; i++) masked[i] = data[i] ^ mask[i % 4];
          socket.write(Buffer.concat([header, mask, masked]));
        });
      resolve({ send, close: () => socket.destroy() });
    });
    req.end();
  });
}

/** Full GC in the inspected process, then its JS heap usage in bytes. */
export async function gcAndHeap(client) {
  await client.send('HeapProfiler.enable');
  await client.send('HeapProfiler.collectGarbage');
  await client.send('HeapProfiler.collectGarbage');
  const { usedSize } = await client.send('Runtime.getHeapUsage');
  return usedSize;
}

/**
 * Sampling heap profile: what was allocated since start and is still alive at stop, grouped by
 * package and by function (self size), e.g. to see what one idle socket keeps.
 */
export async function startHeapSampling(client) {
  await client.send('HeapProfiler.enable');
  await client.send('HeapProfiler.startSampling', { samplingInterval: 4096 });
}

export async function stopHeapSampling(client, top = 15) {
  const { profile } = await client.send('HeapProfiler.stopSampling');
  const byPkg = new Map();
  const byFn = new Map();
  let total = 0;
  // Iterative walk of the call tree (bounded by its size).
  const stack = [profile.head];
  while (stack.length) {
    const n = stack.pop();
    stack.push(...(n.children ?? []));
    if (!n.selfSize) continue;
    total += n.selfSize;
    const { url, functionName, lineNumber } = n.callFrame;
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
      (url.startsWith('node:')
        ? url
        : url.includes('/dist/apps/api/')
          ? 'api'
          : url
            ? url.split('/').slice(-1)[0]
            : '(native)');
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + n.selfSize);
    const fn = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + n.selfSize);
  }
  const topOf = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([what, bytes]) => ({ what, kb: Math.round(bytes / 1024) }));
  return { totalKb: Math.round(total / 1024), byPackage: topOf(byPkg), byFunction: topOf(byFn) };
}
