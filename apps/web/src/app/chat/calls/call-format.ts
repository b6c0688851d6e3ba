import type { CallMedia, CallSummary } from '@chat/shared-dto';
import { clockDuration } from '../shared/format';

const noun = (media: CallMedia) => (media === 'video' ? 'video call' : 'voice call');
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** What a `type: 'call'` message says: "Video call, 4:12", "Missed voice call". */
export function callLabel(call: CallSummary): string {
  if (call.outcome === 'missed') return `Missed ${noun(call.media)}`;
  if (call.outcome === 'declined') return `Declined ${noun(call.media)}`;
  return `${capital(noun(call.media))}, ${clockDuration(call.durationMs)}`;
}

/** Why the browser refused the camera or microphone, in words a user can act on. */
export function mediaErrorText(error: unknown, media: CallMedia): string {
  const name = (error as { name?: string } | null)?.name;
  const devices = media === 'video' ? 'camera and microphone' : 'microphone';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return `The browser was not allowed to use your ${devices}. Allow access in the address bar (or the site settings) and try again.`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `No ${devices} found. Connect one and try again.`;
    case 'NotReadableError':
    case 'AbortError':
      return `Your ${devices} could not be started: another app may be using it.`;
    default:
      return globalThis.isSecureContext === false
        ? 'Calls need a secure (https) connection to use your camera and microphone.'
        : `Could not use your ${devices}.`;
  }
}
