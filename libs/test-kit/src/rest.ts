import { randomBytes } from 'node:crypto';
import type {
  AuthResponse,
  ConversationView,
  MessageView,
  SessionView,
  UploadView,
  UserView,
} from '@chat/shared-dto';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string | null;
  /** Objects go out as JSON; strings, Buffers and FormData as they are (malformed JSON, wrong types). */
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface RestResponse<T> {
  method: Method;
  path: string;
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or null when it is empty or not JSON. */
  json: T | null;
  ms: number;
}

/** One REST call that never throws on a status (only on a network error or the timeout). */
export async function request<T = unknown>(
  baseUrl: string,
  method: Method,
  path: string,
  { token, body, headers = {}, timeoutMs = 15_000 }: RequestOptions = {},
): Promise<RestResponse<T>> {
  const outgoing: Record<string, string> = { ...headers };
  if (token) outgoing['authorization'] = `Bearer ${token}`;
  let payload: RequestInit['body'];
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof FormData) payload = body;
    else if (Buffer.isBuffer(body)) payload = new Uint8Array(body);
    else {
      payload = JSON.stringify(body);
      outgoing['content-type'] ??= 'application/json';
    }
  }
  const started = performance.now();
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: outgoing,
    body: payload,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: T | null = null;
  try {
    json = text ? (JSON.parse(text) as T) : null;
  } catch {
    // not JSON: left null, the text is there
  }
  return {
    method,
    path,
    status: res.status,
    headers: res.headers,
    text,
    json,
    ms: performance.now() - started,
  };
}

/** The body of a response with one of the expected statuses; anything else throws with the body. */
export function expectStatus<T>(res: RestResponse<T>, ...expected: number[]): T {
  if (!expected.includes(res.status))
    throw new Error(
      `${res.method} ${res.path}: expected ${expected.join(' or ')}, got ${res.status} ${res.text.slice(0, 500)}`,
    );
  if (res.json === null)
    throw new Error(`${res.method} ${res.path}: ${res.status} without a JSON body`);
  return res.json;
}

/** Like `expectStatus` for answers without a body (204). */
export function expectEmpty(res: RestResponse<unknown>, expected = 204): void {
  if (res.status !== expected)
    throw new Error(
      `${res.method} ${res.path}: expected ${expected}, got ${res.status} ${res.text.slice(0, 500)}`,
    );
}

export interface RegisterInput {
  username: string;
  email: string;
  password: string;
}

export type LoginInput = { password: string } & ({ username: string } | { email: string });

export interface HistoryQuery {
  limit?: number;
  before?: number;
  after?: number;
}

/**
 * The contract's REST routes (CONTRACT.md, "REST"), typed by the shared-dto views. Each typed
 * method asserts the success status and answers the view; `request` is there for everything
 * else (error cases, routes not wrapped here).
 */
export class RestClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null = null,
  ) {}

  /** The same server as another caller. */
  as(token: string | null): RestClient {
    return new RestClient(this.baseUrl, token);
  }

  request<T = unknown>(
    method: Method,
    path: string,
    options: RequestOptions = {},
  ): Promise<RestResponse<T>> {
    return request<T>(this.baseUrl, method, path, { token: this.token, ...options });
  }

  async register(input: RegisterInput): Promise<AuthResponse> {
    return expectStatus(
      await this.request<AuthResponse>('POST', '/api/auth/register', { body: input }),
      201,
    );
  }

  async login(input: LoginInput): Promise<AuthResponse> {
    return expectStatus(
      await this.request<AuthResponse>('POST', '/api/auth/login', { body: input }),
      200,
    );
  }

  async logout(): Promise<void> {
    expectEmpty(await this.request('POST', '/api/auth/logout'));
  }

  async me(): Promise<UserView> {
    return expectStatus(await this.request<UserView>('GET', '/api/auth/me'), 200);
  }

  async sessions(): Promise<SessionView[]> {
    return expectStatus(await this.request<SessionView[]>('GET', '/api/auth/sessions'), 200);
  }

  async user(id: string): Promise<UserView> {
    return expectStatus(await this.request<UserView>('GET', `/api/users/${id}`), 200);
  }

  async searchUsers(query: string, limit?: number): Promise<UserView[]> {
    const params = new URLSearchParams({ query });
    if (limit !== undefined) params.set('limit', String(limit));
    return expectStatus(await this.request<UserView[]>('GET', `/api/users/search?${params}`), 200);
  }

  async conversations(): Promise<ConversationView[]> {
    return expectStatus(await this.request<ConversationView[]>('GET', '/api/conversations'), 200);
  }

  /** Get-or-create: 201 the first time, 200 after. */
  async direct(userId: string): Promise<ConversationView> {
    const res = await this.request<ConversationView>('POST', '/api/conversations', {
      body: { userId },
    });
    return expectStatus(res, 201, 200);
  }

  async group(name: string, memberIds: string[]): Promise<ConversationView> {
    const res = await this.request<ConversationView>('POST', '/api/conversations', {
      body: { type: 'group', name, memberIds },
    });
    return expectStatus(res, 201);
  }

  async messages(conversationId: string, query: HistoryQuery = {}): Promise<MessageView[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) params.set(key, String(value));
    const qs = params.size ? `?${params}` : '';
    const res = await this.request<MessageView[]>(
      'GET',
      `/api/conversations/${conversationId}/messages${qs}`,
    );
    return expectStatus(res, 200);
  }

  /**
   * Gap-free catch-up as the contract tells clients to do it: `after=<last seq>` page by page
   * until a short page. Answers the messages in ascending seq.
   */
  async catchUp(conversationId: string, afterSeq: number, pageSize = 100): Promise<MessageView[]> {
    const got: MessageView[] = [];
    let after = afterSeq;
    // Bounded: a conversation of 100k messages is far beyond any test's.
    for (let page = 0; page < 1000; page++) {
      const batch = await this.messages(conversationId, { after, limit: pageSize });
      got.push(...batch);
      const last = batch.at(-1);
      if (batch.length < pageSize || !last) return got;
      after = last.seq;
    }
    throw new Error('catch-up did not end');
  }

  async upload(file: Buffer, filename: string, mimeType: string): Promise<UploadView> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)], { type: mimeType }), filename);
    return expectStatus(await this.request<UploadView>('POST', '/api/upload', { body: form }), 201);
  }
}

/** A registered user with what a test needs to act as them. */
export interface TestUser {
  id: string;
  username: string;
  email: string;
  password: string;
  token: string;
  user: UserView;
}

let userCounter = 0;
/** A username (at most 32 characters) that no other test of this process uses. */
export function uniqueName(prefix = 'user'): string {
  userCounter += 1;
  const tag = `${Date.now().toString(36)}${userCounter.toString(36)}${randomBytes(3).toString('hex')}`;
  return `${prefix.slice(0, 16)}_${tag}`.slice(0, 32);
}

export interface RegisterUserOptions {
  username?: string;
  password?: string;
  emailDomain?: string;
}

/** Registers a fresh user (unique name unless given) and answers it with its token. */
export async function registerUser(
  baseUrl: string,
  prefix = 'user',
  {
    username = uniqueName(prefix),
    password,
    emailDomain = 'example.test',
  }: RegisterUserOptions = {},
): Promise<TestUser> {
  const input = {
    username,
    email: `${username}@${emailDomain}`,
    password: password ?? `pw-${randomBytes(6).toString('hex')}`,
  };
  const { user, token } = await new RestClient(baseUrl).register(input);
  return { ...input, id: user.id, token, user };
}

/** Runs `fn(item, index)` over `items` with at most `limit` in flight; keeps the order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  });
  await Promise.all(lanes);
  return out;
}
