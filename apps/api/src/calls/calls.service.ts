import {
  BadRequestException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  OnModuleDestroy,
} from '@nestjs/common';
import type {
  CallAnswerDto,
  CallEndReason,
  CallIceDto,
  CallInviteDto,
  CallOutcome,
} from '@chat/shared-dto';
import { ConversationsService } from '../conversations/conversations.service';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { DomainEvents } from '../core/events/domain-events';
import { RedisService } from '../core/redis/redis.service';
import { MessagesService } from '../messages/messages.service';
import { CallPolicy } from './call-policy';
import { CallRecord, CallStore, MemoryCallStore, RedisCallStore } from './call.store';
import { CALL_SIGNAL, CallSignalEvent, CallTarget } from './calls.events';

/** Who is speaking: the user and the one device (socket) the event came from. */
export interface CallParty {
  userId: string;
  socketId: string;
}

/**
 * 1:1 call signalling. The state lives in the `CallStore` (Redis when configured), so caller
 * and callee may sit on different instances; what is local is only what needs a process: the
 * ring timer on the inviting instance and which of this instance's sockets are in a call, so
 * that a dropped one ends it.
 */
@Injectable()
export class CallsService implements OnModuleDestroy {
  private readonly logger = new Logger(CallsService.name);
  private readonly store: CallStore;
  private readonly ringTimers = new Map<string, NodeJS.Timeout>();
  /** This instance's sockets that are a call's device, with their calls. */
  private readonly socketCalls = new Map<string, Set<string>>();

  constructor(
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly policy: CallPolicy,
    private readonly events: DomainEvents,
    redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.store = redis.client
      ? new RedisCallStore(redis.client, config.calls.ringTimeoutMs)
      : new MemoryCallStore();
  }

  async invite(caller: CallParty, body: CallInviteDto): Promise<void> {
    const conversation = await this.conversations.view(body.conversationId, caller.userId);
    if (conversation.type !== 'direct')
      throw new ForbiddenException('Calls are for direct conversations only');
    const callee = conversation.members.find((m) => m.id !== caller.userId);
    if (!callee) throw new BadRequestException('There is nobody to call in this conversation');
    if (!(await this.policy.mayCall(caller.userId, callee.id, conversation.id)))
      throw new ForbiddenException('You cannot call this user');
    const call: CallRecord = {
      callId: body.callId,
      conversationId: conversation.id,
      media: body.media,
      callerId: caller.userId,
      callerSocketId: caller.socketId,
      calleeId: callee.id,
      calleeSocketId: null,
      startedAt: Date.now(),
      answeredAt: null,
    };
    const created = await this.store.create(call);
    if (created === 'duplicate') throw new BadRequestException('callId is already in use');
    if (created === 'busy') {
      this.signal(
        'call:ended',
        { callId: call.callId, reason: 'busy' },
        { sockets: [caller.socketId] },
      );
      return;
    }
    this.track(caller.socketId, call.callId);
    const timer = setTimeout(() => void this.ringOut(call.callId), this.config.calls.ringTimeoutMs);
    timer.unref();
    this.ringTimers.set(call.callId, timer);
    this.signal(
      'call:incoming',
      {
        callId: call.callId,
        conversationId: call.conversationId,
        callerId: call.callerId,
        media: call.media,
        sdp: body.sdp,
      },
      { users: [callee.id] },
    );
  }

  async answer(callee: CallParty, body: CallAnswerDto): Promise<void> {
    const call = await this.store.get(body.callId);
    if (!call || call.calleeId !== callee.userId) throw new NotFoundException('Call not found');
    const won = await this.store.answer(call.callId, callee.socketId, Date.now());
    // The contract's codes have no "conflict": for the device that lost, the call is gone.
    if (!won) throw new NotFoundException('The call was answered on another device or has ended');
    this.track(callee.socketId, call.callId);
    this.signal(
      'call:answered',
      { callId: call.callId, sdp: body.sdp },
      {
        sockets: [call.callerSocketId],
      },
    );
    this.signal(
      'call:ended',
      { callId: call.callId, reason: 'answered-elsewhere' },
      { users: [call.calleeId], exceptSocketId: callee.socketId },
    );
  }

  /** Relays a candidate to the other device of an answered call, and to nobody else. */
  async ice(party: CallParty, body: CallIceDto): Promise<void> {
    const call = await this.store.get(body.callId);
    const peer = call && peerOf(call, party);
    if (!call || peer === undefined) throw new NotFoundException('Call not found');
    if (peer === null)
      throw new BadRequestException('The call is not answered yet: send candidates in the SDP');
    this.signal(
      'call:ice',
      { callId: call.callId, candidate: body.candidate },
      {
        sockets: [peer],
      },
    );
  }

  /** A hang-up: the caller cancelling, the callee declining (any of their devices), or either ending. */
  async end(party: CallParty, callId: string): Promise<void> {
    const call = await this.store.get(callId);
    if (!call || peerOf(call, party) === undefined) throw new NotFoundException('Call not found');
    const ringing = call.calleeSocketId === null;
    const byCallee = party.userId === call.calleeId;
    const ended = await this.store.remove(callId, ringing);
    // Answered or ended meanwhile: the state changed under us, so judge it again.
    if (!ended) return this.end(party, callId).catch(() => undefined);
    if (ringing && byCallee) await this.finish(ended, 'declined', 'declined', party.socketId);
    else await this.finish(ended, 'hangup', ringing ? 'missed' : 'completed', party.socketId);
  }

  /** A socket of this instance went away: the calls it was a device of end. */
  async disconnected(socketId: string): Promise<void> {
    const callIds = this.socketCalls.get(socketId);
    this.socketCalls.delete(socketId);
    for (const callId of callIds ?? []) {
      const call = await this.store.get(callId);
      if (!call || (call.callerSocketId !== socketId && call.calleeSocketId !== socketId)) continue;
      const ended = await this.store.remove(callId);
      if (ended)
        await this.finish(ended, 'hangup', ended.answeredAt ? 'completed' : 'missed', socketId);
    }
  }

  onModuleDestroy(): void {
    for (const timer of this.ringTimers.values()) clearTimeout(timer);
    this.ringTimers.clear();
  }

  private async ringOut(callId: string): Promise<void> {
    this.ringTimers.delete(callId);
    try {
      const call = await this.store.remove(callId, true);
      if (call) await this.finish(call, 'missed', 'missed');
    } catch (err) {
      this.logger.warn(`ring timeout of call ${callId}: ${(err as Error).message}`);
    }
  }

  /**
   * Tells both sides (all of the callee's devices while it rang, else the one that answered)
   * except the device that ended it, and leaves the call's message in the conversation.
   */
  private async finish(
    call: CallRecord,
    reason: CallEndReason,
    outcome: CallOutcome,
    endedBySocketId?: string,
  ): Promise<void> {
    clearTimeout(this.ringTimers.get(call.callId));
    this.ringTimers.delete(call.callId);
    for (const socketId of [call.callerSocketId, call.calleeSocketId])
      if (socketId) this.socketCalls.get(socketId)?.delete(call.callId);
    const to: CallTarget = call.calleeSocketId
      ? { sockets: [call.callerSocketId, call.calleeSocketId] }
      : { sockets: [call.callerSocketId], users: [call.calleeId] };
    this.signal(
      'call:ended',
      { callId: call.callId, reason },
      {
        ...to,
        exceptSocketId: endedBySocketId,
      },
    );
    await this.messages.recordCall(call.callerId, call.conversationId, {
      callId: call.callId,
      media: call.media,
      outcome,
      durationMs: call.answeredAt ? Date.now() - call.answeredAt : 0,
    });
  }

  private track(socketId: string, callId: string): void {
    const calls = this.socketCalls.get(socketId) ?? new Set<string>();
    calls.add(callId);
    this.socketCalls.set(socketId, calls);
  }

  private signal<E extends CallSignalEvent['event']>(
    event: E,
    payload: Extract<CallSignalEvent, { event: E }>['payload'],
    to: CallTarget,
  ): void {
    this.events.emit(CALL_SIGNAL, { event, payload, to } as CallSignalEvent);
  }
}

/**
 * The other device of the call for this party: a socket id, null while the callee's side is
 * not chosen yet (ringing), undefined when the party is not in the call at all. Any device of
 * the callee may act on a ringing call (decline); once answered only the answering one.
 */
function peerOf(call: CallRecord, party: CallParty): string | null | undefined {
  if (party.userId === call.callerId && party.socketId === call.callerSocketId)
    return call.calleeSocketId;
  if (party.userId === call.calleeId) {
    if (call.calleeSocketId === null) return null;
    if (call.calleeSocketId === party.socketId) return call.callerSocketId;
  }
  return undefined;
}
