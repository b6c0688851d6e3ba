import { HttpClient } from '@angular/common/http';
import type { OnDestroy } from '@angular/core';
import { Injectable, computed, inject, signal } from '@angular/core';
import type { CallEndReason, CallMedia, IceServersView } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { RealtimeService } from '../realtime/realtime.service';
import { mediaErrorText } from './call-format';

export type CallPhase = 'idle' | 'outgoing' | 'incoming' | 'connecting' | 'active' | 'ended';

export interface CallState {
  phase: CallPhase;
  callId: string;
  conversationId: string;
  media: CallMedia;
  /** When media started flowing, for the timer. */
  connectedAt: number | null;
  /** Why the call is over (phase `ended`), or what went wrong, in words. */
  notice: string | null;
}

/** Longest wait for ICE gathering before an SDP goes out with the candidates found so far. */
const GATHER_MS = 2500;
/** A peer connection down this long ends the call (the socket of a dead peer may live on). */
const DROP_MS = 5000;
/** How long "Call ended" stays up. */
const NOTICE_MS = 2500;

const ENDED_TEXT: Record<CallEndReason, string> = {
  hangup: 'Call ended',
  declined: 'Call declined',
  missed: 'No answer',
  'answered-elsewhere': 'Answered on another device',
  busy: 'Busy: they are in another call',
};

/**
 * The one call of this tab: signalling over the app's socket, media over an RTCPeerConnection
 * with the ICE servers of the API. Offers and answers carry their candidates (gathered before
 * sending), later ones go as `call:ice`.
 */
@Injectable()
export class CallService implements OnDestroy {
  private readonly realtime = inject(RealtimeService);
  private readonly http = inject(HttpClient);
  private readonly current = signal<CallState | null>(null);
  private readonly local = signal<MediaStream | null>(null);
  private readonly remote = signal<MediaStream | null>(null);
  private readonly mutedState = signal(false);
  private readonly cameraOffState = signal(false);
  private pc: RTCPeerConnection | null = null;
  private offer: string | null = null;
  /** Our SDP has gone out: candidates found from now on travel as `call:ice`. */
  private signalled = false;
  private dropTimer: ReturnType<typeof setTimeout> | null = null;
  private noticeTimer: ReturnType<typeof setTimeout> | null = null;
  private offs: (() => void)[] = [];

  readonly call = this.current.asReadonly();
  readonly localStream = this.local.asReadonly();
  readonly remoteStream = this.remote.asReadonly();
  readonly muted = this.mutedState.asReadonly();
  readonly cameraOff = this.cameraOffState.asReadonly();
  readonly busy = computed(() => {
    const phase = this.current()?.phase;
    return phase !== undefined && phase !== 'ended';
  });

  /** Starts listening; call after the realtime connection is set up. */
  listen(): void {
    const on = this.realtime.on.bind(this.realtime);
    this.offs.push(
      on('call:incoming', (event) => {
        if (this.busy()) return;
        this.offer = event.sdp;
        this.set({
          phase: 'incoming',
          callId: event.callId,
          conversationId: event.conversationId,
          media: event.media,
          connectedAt: null,
          notice: null,
        });
      }),
      on('call:answered', (event) => {
        if (event.callId !== this.current()?.callId || !this.pc) return;
        this.patch({ phase: 'connecting' });
        this.pc
          .setRemoteDescription({ type: 'answer', sdp: event.sdp })
          .catch(() => this.hangUp('The call could not be set up'));
      }),
      on('call:ice', (event) => {
        if (event.callId !== this.current()?.callId) return;
        this.pc?.addIceCandidate(event.candidate).catch(() => undefined);
      }),
      on('call:ended', (event) => {
        if (event.callId !== this.current()?.callId) return;
        this.finish(ENDED_TEXT[event.reason]);
      }),
    );
  }

  async start(conversationId: string, media: CallMedia): Promise<void> {
    if (this.busy()) return;
    const callId = crypto.randomUUID();
    this.set({ phase: 'outgoing', callId, conversationId, media, connectedAt: null, notice: null });
    try {
      const pc = await this.setUp(media);
      if (!pc) return;
      await pc.setLocalDescription(await pc.createOffer());
      const sdp = await this.gathered(pc);
      if (this.current()?.callId !== callId) return;
      const ack = await this.realtime.emit('call:invite', { conversationId, callId, media, sdp });
      if (!ack.ok) this.finish(ack.error.message);
      else this.signalled = true;
    } catch {
      this.finish('The call could not be set up');
    }
  }

  async accept(): Promise<void> {
    const call = this.current();
    if (call?.phase !== 'incoming' || !this.offer) return;
    this.patch({ phase: 'connecting' });
    try {
      const pc = await this.setUp(call.media);
      if (!pc) return;
      await pc.setRemoteDescription({ type: 'offer', sdp: this.offer });
      await pc.setLocalDescription(await pc.createAnswer());
      const sdp = await this.gathered(pc);
      if (this.current()?.callId !== call.callId) return;
      const ack = await this.realtime.emit('call:answer', { callId: call.callId, sdp });
      if (ack.ok) this.signalled = true;
      else
        this.finish(
          ack.error.code === 'NOT_FOUND' ? ENDED_TEXT['answered-elsewhere'] : 'Call ended',
        );
    } catch {
      this.hangUp('The call could not be set up');
    }
  }

  decline(): void {
    this.hangUp(null);
  }

  /** Ends the call on both sides; `notice` is what this side then reads. */
  hangUp(notice: string | null = 'Call ended'): void {
    const call = this.current();
    if (!call || call.phase === 'ended') return;
    void this.realtime.emit('call:end', { callId: call.callId });
    this.finish(notice);
  }

  toggleMute(): void {
    const muted = !this.mutedState();
    for (const track of this.local()?.getAudioTracks() ?? []) track.enabled = !muted;
    this.mutedState.set(muted);
  }

  toggleCamera(): void {
    const off = !this.cameraOffState();
    for (const track of this.local()?.getVideoTracks() ?? []) track.enabled = !off;
    this.cameraOffState.set(off);
  }

  dismiss(): void {
    if (this.current()?.phase === 'ended') this.current.set(null);
  }

  ngOnDestroy(): void {
    for (const off of this.offs.splice(0)) off();
    this.hangUp(null);
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
  }

  /** Devices, then the peer connection; null (and the reason shown) when devices are refused. */
  private async setUp(media: CallMedia): Promise<RTCPeerConnection | null> {
    const callId = this.current()?.callId;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: true,
        video: media === 'video',
      });
    } catch (error) {
      const call = this.current();
      if (call?.phase === 'connecting' || call?.phase === 'incoming') {
        // Declined for want of devices: the caller hears it was declined, this side why.
        void this.realtime.emit('call:end', { callId: call.callId });
      }
      this.finish(mediaErrorText(error, media), true);
      return null;
    }
    if (this.current()?.callId !== callId) {
      for (const track of stream.getTracks()) track.stop();
      return null;
    }
    const { iceServers } = await firstValueFrom(
      this.http.get<IceServersView>('/api/calls/ice-servers'),
    );
    const pc = new RTCPeerConnection({ iceServers });
    this.pc = pc;
    this.local.set(stream);
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    pc.ontrack = (event) => this.remote.set(event.streams[0] ?? new MediaStream([event.track]));
    pc.onicecandidate = (event) => {
      const call = this.current();
      // Candidates found after the SDP went out; before that they are in it.
      const found = event.candidate;
      if (!found || !call || !this.signalled) return;
      void this.realtime.emit('call:ice', {
        callId: call.callId,
        candidate: {
          candidate: found.candidate,
          sdpMid: found.sdpMid,
          sdpMLineIndex: found.sdpMLineIndex,
          usernameFragment: found.usernameFragment,
        },
      });
    };
    pc.onconnectionstatechange = () => this.connectionChanged(pc);
    return pc;
  }

  private connectionChanged(pc: RTCPeerConnection): void {
    if (pc !== this.pc) return;
    const state = pc.connectionState;
    if (state === 'connected') {
      if (this.dropTimer) clearTimeout(this.dropTimer);
      this.dropTimer = null;
      if (this.current()?.phase !== 'active')
        this.patch({ phase: 'active', connectedAt: Date.now() });
    } else if ((state === 'disconnected' || state === 'failed') && !this.dropTimer) {
      this.dropTimer = setTimeout(() => this.hangUp('The connection was lost'), DROP_MS);
    }
  }

  /** The local SDP once ICE gathering completes (or after GATHER_MS with what there is). */
  private gathered(pc: RTCPeerConnection): Promise<string> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pc.removeEventListener('icegatheringstatechange', check);
        resolve(pc.localDescription?.sdp ?? '');
      };
      const check = () => pc.iceGatheringState === 'complete' && done();
      const timer = setTimeout(done, GATHER_MS);
      pc.addEventListener('icegatheringstatechange', check);
      check();
    });
  }

  /** Releases devices and the connection; shows `notice` for a moment (or until dismissed). */
  private finish(notice: string | null, sticky = false): void {
    if (this.dropTimer) clearTimeout(this.dropTimer);
    this.dropTimer = null;
    this.pc?.close();
    this.pc = null;
    this.offer = null;
    this.signalled = false;
    for (const track of this.local()?.getTracks() ?? []) track.stop();
    this.local.set(null);
    this.remote.set(null);
    this.mutedState.set(false);
    this.cameraOffState.set(false);
    if (!notice) {
      this.current.set(null);
      return;
    }
    this.patch({ phase: 'ended', notice });
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    if (!sticky) this.noticeTimer = setTimeout(() => this.dismiss(), NOTICE_MS);
  }

  private set(state: CallState): void {
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.current.set(state);
  }

  private patch(change: Partial<CallState>): void {
    const call = this.current();
    if (call) this.current.set({ ...call, ...change });
  }
}
