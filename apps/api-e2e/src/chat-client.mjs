// A minimal chat user for end-to-end tests: REST calls and a socket.io-client, typed by the contract.
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';

export async function register(baseUrl, prefix = 'user') {
  const username = `${prefix}_${randomUUID().slice(0, 8)}`;
  const res = await fetch(`${baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, email: `${username}@example.test`, password: 'e2e-password' }),
  });
  if (res.status !== 201) throw new Error(`register ${res.status}: ${await res.text()}`);
  return res.json();
}

export async function api(baseUrl, token, method, path, body) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Connects and resolves once the server accepted the handshake. */
export function connectSocket(baseUrl, token, options = {}) {
  const socket = io(baseUrl, {
    auth: { token },
    reconnection: false,
    forceNew: true,
    transports: ['websocket'],
    ...options,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

export const sendMessage = (socket, conversationId, content, clientId = randomUUID()) =>
  socket.timeout(5000).emitWithAck('message:send', { conversationId, clientId, content });

export function nextEvent(socket, event, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${event} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once(event, (payload) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}
