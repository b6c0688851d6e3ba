/** The `PushQueue` in use: BullMQ on Redis, or in process. */
export const PUSH_QUEUE = Symbol('PUSH_QUEUE');
/** The DNS resolver behind the endpoint policy (the system's; a test may swap it). */
export const PUSH_RESOLVER = Symbol('PUSH_RESOLVER');
