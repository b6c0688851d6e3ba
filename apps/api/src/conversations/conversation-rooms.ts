import { Injectable, Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { connectError } from '../auth/socket-auth.middleware';
import type { SocketMiddleware } from '../core/realtime/realtime.adapter';
import { CONVERSATION_ROOM_PREFIX, conversationRoom } from '../core/realtime/realtime-server';
import type { SocketData } from '../core/realtime/socket-user';
import { MembershipService } from './membership.service';

interface RoomsData extends SocketData {
  /** The user's conversations when the handshake ran: joined at connect. */
  conversationIds?: string[];
}

/**
 * Every socket sits in the `conversation:<id>` room of each conversation its user belongs to,
 * so that a group's broadcast is one room. The list is read during the handshake (after auth)
 * and joined in the same tick as the connection is accepted, so no event sent after the client
 * sees `connect` can miss it; a membership change that committed while the handshake ran (its
 * `socketsJoin`/`socketsLeave` could not see a socket not yet connected) is caught by a second
 * read right after.
 */
@Injectable()
export class ConversationRooms {
  private readonly logger = new Logger(ConversationRooms.name);

  constructor(private readonly membership: MembershipService) {}

  /** Socket middleware; runs after authentication. */
  readonly middleware: SocketMiddleware = (socket, next) => {
    const data = socket.data as RoomsData;
    this.membership
      .conversationIdsOf(data.user.id)
      .then((ids) => {
        data.conversationIds = ids;
        next();
      })
      .catch((err: Error) => {
        this.logger.warn(`could not read conversations at connect: ${err.message}`);
        next(connectError('Could not load your conversations, try again', 'INTERNAL'));
      });
  };

  /** Call synchronously from the connection handler: joins the rooms read at the handshake. */
  async connected(socket: Socket): Promise<void> {
    const data = socket.data as RoomsData;
    const known = data.conversationIds ?? [];
    delete data.conversationIds;
    void socket.join(known.map(conversationRoom));
    const now = new Set(
      (await this.membership.conversationIdsOf(data.user.id)).map(conversationRoom),
    );
    if (!socket.connected) return;
    const joined = [...socket.rooms].filter((room) => room.startsWith(CONVERSATION_ROOM_PREFIX));
    for (const room of joined) if (!now.has(room)) void socket.leave(room);
    void socket.join([...now].filter((room) => !socket.rooms.has(room)));
  }
}
