// REST calls the scenarios need, with bounded concurrency so setup is quick without turning
// into a load test of its own.

export async function api(url, path, { method = 'GET', token, body } = {}) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return data;
}

/** Runs `fn(item, index)` over `items` with at most `limit` at a time; keeps order. */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(lanes);
  return out;
}

export const PASSWORD = 'bench-password-123';

/** Registers `count` users named `<prefix><i>`; returns `{ id, username, token }[]`. */
export async function registerUsers(url, prefix, count, concurrency = 16) {
  return mapLimit(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const username = `${prefix}${i}`;
      const { user, token } = await api(url, '/api/auth/register', {
        method: 'POST',
        body: { username, email: `${username}@bench.example`, password: PASSWORD },
      });
      return { id: user.id, username, token };
    },
  );
}

export async function directConversation(url, a, b) {
  const conv = await api(url, '/api/conversations', {
    method: 'POST',
    token: a.token,
    body: { userId: b.id },
  });
  return conv.id;
}

export async function groupConversation(url, owner, others, name) {
  const conv = await api(url, '/api/conversations', {
    method: 'POST',
    token: owner.token,
    body: { type: 'group', name, memberIds: others.map((u) => u.id) },
  });
  return conv.id;
}
