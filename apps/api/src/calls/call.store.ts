import type { CallMedia } from '@chat/shared-dto';
import type Redis from 'ioredis';

/** One call, ringing (`calleeSocketId` null) or answered; shared by every instance. */
export interface CallRecord {
  callId: string;
  conversationId: string;
  media: CallMedia;
  callerId: string;
  callerSocketId: string;
  calleeId: string;
  /** The device that answered first; null while ringing. */
  calleeSocketId: string | null;
  startedAt: number;
  answeredAt: number | null;
}

export type CreateResult = 'created' | 'busy' | 'duplicate';

/**
 * Call state with the atomic steps the rules need: one call per user at a time (`busy`), the
 * first answer wins, and exactly one of several racing enders (hang-up, ring timeout,
 * disconnect) gets the record back, so a call ends and is recorded once.
 */
export interface CallStore {
  create(call: CallRecord): Promise<CreateResult>;
  get(callId: string): Promise<CallRecord | null>;
  /** Claims a ringing call for this device; null when it is gone or another device won. */
  answer(callId: string, calleeSocketId: string, at: number): Promise<CallRecord | null>;
  /** Removes the call (only while it rings, if asked) and answers it to this caller only. */
  remove(callId: string, onlyIfRinging?: boolean): Promise<CallRecord | null>;
}

export class MemoryCallStore implements CallStore {
  private readonly calls = new Map<string, CallRecord>();
  private readonly byUser = new Map<string, string>();

  async create(call: CallRecord): Promise<CreateResult> {
    if (this.calls.has(call.callId)) return 'duplicate';
    if (this.byUser.has(call.callerId) || this.byUser.has(call.calleeId)) return 'busy';
    this.calls.set(call.callId, { ...call });
    this.byUser.set(call.callerId, call.callId);
    this.byUser.set(call.calleeId, call.callId);
    return 'created';
  }

  async get(callId: string): Promise<CallRecord | null> {
    const call = this.calls.get(callId);
    return call ? { ...call } : null;
  }

  async answer(callId: string, calleeSocketId: string, at: number): Promise<CallRecord | null> {
    const call = this.calls.get(callId);
    if (!call || call.calleeSocketId) return null;
    call.calleeSocketId = calleeSocketId;
    call.answeredAt = at;
    return { ...call };
  }

  async remove(callId: string, onlyIfRinging = false): Promise<CallRecord | null> {
    const call = this.calls.get(callId);
    if (!call || (onlyIfRinging && call.calleeSocketId)) return null;
    this.calls.delete(callId);
    for (const userId of [call.callerId, call.calleeId])
      if (this.byUser.get(userId) === callId) this.byUser.delete(userId);
    return call;
  }
}

/**
 * Safety nets for an instance that dies holding a call, whose timers and disconnects never
 * run: a ringing call is forgotten a minute after it should have been missed, an answered one
 * after this long (users would otherwise stay busy for ever).
 */
const RINGING_GRACE_MS = 60_000;
export const ACTIVE_CALL_TTL_MS = 6 * 3600_000;

/** KEYS: call, caller's slot, callee's slot. ARGV: callId, ttl ms, then field/value pairs. */
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 'duplicate' end
if redis.call('EXISTS', KEYS[2]) == 1 or redis.call('EXISTS', KEYS[3]) == 1 then return 'busy' end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2])
return 'created'`;

/** KEYS: call, caller's slot, callee's slot. ARGV: socket id, answered at, ttl ms. */
const ANSWER = `
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
if redis.call('HSETNX', KEYS[1], 'calleeSocketId', ARGV[1]) == 0 then return nil end
redis.call('HSET', KEYS[1], 'answeredAt', ARGV[2])
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
return redis.call('HGETALL', KEYS[1])`;

/** KEYS: call. ARGV: '1' to remove only a ringing call. Slots are freed by the caller. */
const REMOVE = `
local call = redis.call('HGETALL', KEYS[1])
if #call == 0 then return nil end
if ARGV[1] == '1' and redis.call('HEXISTS', KEYS[1], 'calleeSocketId') == 1 then return nil end
redis.call('DEL', KEYS[1])
return call`;

/** Deletes a user's slot only if it still holds this call. */
const FREE_SLOT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

/** Calls in Redis (scaled mode): a hash per call and a slot per user naming their call. */
export class RedisCallStore implements CallStore {
  constructor(
    private readonly redis: Redis,
    private readonly ringTimeoutMs: number,
  ) {}

  async create(call: CallRecord): Promise<CreateResult> {
    const fields = Object.entries(call).flatMap(([k, v]) => (v === null ? [] : [k, String(v)]));
    const ttl = this.ringTimeoutMs + RINGING_GRACE_MS;
    return (await this.redis.eval(
      CREATE,
      3,
      callKey(call.callId),
      userKey(call.callerId),
      userKey(call.calleeId),
      call.callId,
      ttl,
      ...fields,
    )) as CreateResult;
  }

  async get(callId: string): Promise<CallRecord | null> {
    return fromHash(await this.redis.hgetall(callKey(callId)));
  }

  async answer(callId: string, calleeSocketId: string, at: number): Promise<CallRecord | null> {
    const call = await this.get(callId);
    if (!call) return null;
    const result = (await this.redis.eval(
      ANSWER,
      3,
      callKey(callId),
      userKey(call.callerId),
      userKey(call.calleeId),
      calleeSocketId,
      at,
      ACTIVE_CALL_TTL_MS,
    )) as string[] | null;
    return result ? fromHash(pairs(result)) : null;
  }

  async remove(callId: string, onlyIfRinging = false): Promise<CallRecord | null> {
    const result = (await this.redis.eval(
      REMOVE,
      1,
      callKey(callId),
      onlyIfRinging ? '1' : '0',
    )) as string[] | null;
    const call = result ? fromHash(pairs(result)) : null;
    if (call) {
      for (const userId of [call.callerId, call.calleeId])
        await this.redis.eval(FREE_SLOT, 1, userKey(userId), callId);
    }
    return call;
  }
}

const callKey = (callId: string) => `calls:call:${callId}`;
const userKey = (userId: string) => `calls:user:${userId}`;

function pairs(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}

function fromHash(h: Record<string, string>): CallRecord | null {
  if (!h['callId']) return null;
  return {
    callId: h['callId'],
    conversationId: h['conversationId'],
    media: h['media'] as CallMedia,
    callerId: h['callerId'],
    callerSocketId: h['callerSocketId'],
    calleeId: h['calleeId'],
    calleeSocketId: h['calleeSocketId'] ?? null,
    startedAt: Number(h['startedAt']),
    answeredAt: h['answeredAt'] ? Number(h['answeredAt']) : null,
  };
}
