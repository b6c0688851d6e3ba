import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../core/events/domain-events';
import { RealtimeServer } from '../core/realtime/realtime-server';
import { SESSIONS_REVOKED, SessionsRevokedEvent } from './session.events';

/** A revoked session's sockets close at once, on whichever instance they are. */
@Injectable()
export class SessionsFanout {
  constructor(private readonly realtime: RealtimeServer) {}

  @OnDomainEvent(SESSIONS_REVOKED)
  revoked(event: SessionsRevokedEvent): void {
    this.realtime.disconnectSessions(event.sessionIds);
  }
}
