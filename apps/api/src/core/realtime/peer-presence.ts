import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

/** How often an instance asks Redis whether it is the only one. */
const CHECK_INTERVAL_MS = 2000;
/** How long a starting instance waits for the others to answer its hello. */
const WELCOME_TIMEOUT_MS = 5000;

export interface PeerPresenceOptions {
  /** Publishes the hellos and welcomes (a connection without a key prefix). */
  commands: Redis;
  /**
   * How many instances Redis counts, this one included: the Socket.IO adapter's own count, so
   * that an instance of a version without this class counts too.
   */
  instances: () => Promise<number>;
  /** A connection of its own, put in subscriber mode. */
  subscriber: Redis;
  channel: string;
  checkIntervalMs?: number;
  welcomeTimeoutMs?: number;
  /** Told when this instance finds itself alone, or finds others again. */
  onChange?: (alone: boolean) => void;
  onWelcomeTimeout?: (missing: number) => void;
}

/**
 * Whether any other API instance shares this Redis: when none does, a broadcast need not be
 * published (and read back) at all, which was a tenth of the CPU of a message on one instance.
 *
 * Alone is concluded only from Redis's own count of the adapters' subscriptions (every few
 * seconds) when that count is this instance alone; anything uncertain (an error, a reconnect,
 * a hello) means "others". An instance of a version before this class publishes always, and
 * is counted within one check.
 * A starting instance says hello before it accepts any socket and waits until every instance
 * that heard it answered: each answers only after it has switched to publishing, so no socket
 * of the new instance can miss a broadcast made after it connected.
 */
export class PeerPresence {
  private readonly id = randomUUID();
  private isAlone = false;
  /** Moves on every sign of others, so that a count asked for before it is not trusted. */
  private generation = 0;
  private timer?: NodeJS.Timeout;
  private readonly welcomes = new Set<string>();
  private welcomed?: () => void;
  private subscribed = false;

  constructor(private readonly options: PeerPresenceOptions) {}

  get alone(): boolean {
    return this.isAlone;
  }

  /**
   * Resolves once every other instance knows of this one (or after the welcome timeout). With
   * Redis down it resolves too, publishing (the safe side) until a check says otherwise.
   */
  async start(): Promise<void> {
    const { subscriber, commands, channel } = this.options;
    subscriber.on('message', (from: string, message: string) => {
      if (from === channel) this.onControl(message);
    });
    // Hellos may have been missed while the subscription was down.
    subscriber.on('ready', () => this.sawOthers());
    if (await this.subscribe()) {
      const heard = await commands.publish(channel, `hello ${this.id}`).catch(() => 0);
      await this.awaitWelcomes(heard - 1);
    }
    this.timer = setInterval(
      () => void this.check(),
      this.options.checkIntervalMs ?? CHECK_INTERVAL_MS,
    );
    this.timer.unref();
    await this.check();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private onControl(message: string): void {
    const [kind, from, to] = message.split(' ');
    if (from === this.id) return;
    if (kind === 'hello') {
      this.sawOthers();
      // Only now, with this instance publishing again, may the new one accept sockets.
      void this.options.commands
        .publish(this.options.channel, `welcome ${this.id} ${from}`)
        .catch(() => undefined);
    } else if (kind === 'welcome' && to === this.id) {
      this.welcomes.add(from);
      this.welcomed?.();
    }
  }

  private awaitWelcomes(expected: number): Promise<void> {
    // A welcome can arrive (on the subscriber) before the hello's publish answered.
    if (this.welcomes.size >= expected) return Promise.resolve();
    return new Promise((resolve) => {
      const timeout = setTimeout(() => {
        this.options.onWelcomeTimeout?.(expected - this.welcomes.size);
        done();
      }, this.options.welcomeTimeoutMs ?? WELCOME_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timeout);
        this.welcomed = undefined;
        resolve();
      };
      this.welcomed = () => {
        if (this.welcomes.size >= expected) done();
      };
    });
  }

  private sawOthers(): void {
    this.generation += 1;
    this.set(false);
  }

  private async check(): Promise<void> {
    const generation = this.generation;
    // Not listening for hellos, this instance could not hear a new one: it cannot be alone.
    if (!this.subscribed && !(await this.subscribe())) return this.sawOthers();
    try {
      // Zero means this instance's own subscription is down: nothing is known then.
      const alone =
        (await this.options.instances()) === 1 && this.options.subscriber.status === 'ready';
      if (generation === this.generation) this.set(alone);
    } catch {
      this.sawOthers();
    }
  }

  /** Once subscribed, ioredis subscribes again by itself after every reconnect. */
  private async subscribe(): Promise<boolean> {
    try {
      await this.options.subscriber.subscribe(this.options.channel);
      this.subscribed = true;
    } catch {
      this.subscribed = false;
    }
    return this.subscribed;
  }

  private set(alone: boolean): void {
    if (alone === this.isAlone) return;
    this.isAlone = alone;
    this.options.onChange?.(alone);
  }
}
