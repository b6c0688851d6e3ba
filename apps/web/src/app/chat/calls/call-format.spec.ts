import { clockDuration } from '../shared/format';
import { callLabel, mediaErrorText } from './call-format';

describe('call messages', () => {
  it('says what happened, with the length of a completed call', () => {
    const base = { callId: 'c', durationMs: 0 };
    expect(callLabel({ ...base, media: 'video', outcome: 'completed', durationMs: 252_400 })).toBe(
      'Video call, 4:12',
    );
    expect(callLabel({ ...base, media: 'audio', outcome: 'missed' })).toBe('Missed voice call');
    expect(callLabel({ ...base, media: 'video', outcome: 'declined' })).toBe('Declined video call');
  });

  it('formats durations like a phone', () => {
    expect(clockDuration(0)).toBe('0:00');
    expect(clockDuration(59_999)).toBe('0:59');
    expect(clockDuration(3_723_000)).toBe('1:02:03');
  });

  it('explains refused devices', () => {
    expect(mediaErrorText({ name: 'NotAllowedError' }, 'video')).toMatch(/not allowed.*camera/);
    expect(mediaErrorText({ name: 'NotFoundError' }, 'audio')).toMatch(/No microphone found/);
    expect(mediaErrorText({ name: 'NotReadableError' }, 'audio')).toMatch(/another app/);
  });
});
