/** A user registered or removed a device: their safety number and device list changed. */
export const DEVICES_CHANGED = 'keys.devices-changed';

export interface DevicesChangedEvent {
  userId: string;
}

declare module '../core/events/domain-events' {
  interface DomainEventMap {
    [DEVICES_CHANGED]: DevicesChangedEvent;
  }
}
