import { Global, Injectable, Module } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';

/**
 * Every domain event by name and payload. Empty here: each feature adds its own events with
 * declaration merging in its `*.events.ts`, so the bus is typed without core knowing features.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type
export interface DomainEventMap {}

export type DomainEventName = keyof DomainEventMap & string;

/**
 * The one in-process bus for side effects after commit: services emit what happened, and the
 * realtime fan-out, metrics, push and indexing listen. Emitting is synchronous, so a listener
 * that only writes to sockets has done so when `emit` returns; a listener that awaits runs on.
 */
@Injectable()
export class DomainEvents {
  constructor(private readonly emitter: EventEmitter2) {}

  emit<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): void {
    this.emitter.emit(name, payload);
  }

  /** Emits and waits for every listener, for a change whose effects the caller must see done. */
  async emitAndWait<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): Promise<void> {
    await this.emitter.emitAsync(name, payload);
  }
}

/**
 * Marks a listener of one domain event; the handler's parameter must be that event's payload.
 * A listener's error is logged and never reaches the service that emitted the event.
 */
export function OnDomainEvent<K extends DomainEventName>(name: K) {
  return <R>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<(event: DomainEventMap[K]) => R>,
  ): void => {
    OnEvent(name, { suppressErrors: true })(target, key, descriptor);
  };
}

@Global()
@Module({
  imports: [EventEmitterModule.forRoot({ wildcard: false, maxListeners: 20 })],
  providers: [DomainEvents],
  exports: [DomainEvents],
})
export class DomainEventsModule {}
