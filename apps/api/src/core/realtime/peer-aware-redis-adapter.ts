import { RedisAdapter, type RedisAdapterOptions } from '@socket.io/redis-adapter';
import type { BroadcastOptions } from 'socket.io-adapter';
import type Redis from 'ioredis';
import type { PeerPresence } from './peer-presence';

/**
 * Socket.IO's Redis adapter, except that a broadcast stays local while no other instance
 * shares the Redis (`PeerPresence`): nothing to publish, nothing to read back and decode.
 * Room requests (joins, leaves, disconnects) are published as before.
 */
class PeerAwareRedisAdapter extends RedisAdapter {
  constructor(
    nsp: unknown,
    pubClient: Redis,
    subClient: Redis,
    opts: Partial<RedisAdapterOptions>,
    private readonly peers: PeerPresence,
  ) {
    super(nsp, pubClient, subClient, opts);
  }

  override broadcast(packet: unknown, opts: BroadcastOptions): void {
    if (this.peers.alone && !opts.flags?.local) {
      super.broadcast(packet, { ...opts, flags: { ...opts.flags, local: true } });
      return;
    }
    super.broadcast(packet, opts);
  }
}

/** Socket.IO calls the adapter factory with `new`: a plain function, not an arrow. */
export function peerAwareRedisAdapter(
  pubClient: Redis,
  subClient: Redis,
  opts: Partial<RedisAdapterOptions>,
  peers: PeerPresence,
) {
  return function adapter(nsp: unknown) {
    return new PeerAwareRedisAdapter(nsp, pubClient, subClient, opts, peers);
  };
}
