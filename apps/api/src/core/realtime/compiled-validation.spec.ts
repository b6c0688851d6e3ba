import {
  CallIceDto,
  CallInviteDto,
  ConversationRefDto,
  MessageRefDto,
  ReactionDto,
  ReceiptDto,
  SendMessageDto,
} from '@chat/shared-dto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { WsException } from '@nestjs/websockets';
import { CompiledValidators } from './compiled-validation';
import { wsValidationPipe } from './ws-validation.pipe';

type Dto = new () => object;

/** What the socket pipe's class-validator path decides: no errors = accepted. */
const classValidatorAccepts = (dto: Dto, payload: unknown) =>
  validateSync(plainToInstance(dto, payload) as object, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  }).length === 0;

const UUID = 'd3b07384-d9a0-4c9b-8a3b-2b6f1c1e9a10';
const VALID: [Dto, Record<string, unknown>][] = [
  [SendMessageDto, { conversationId: UUID, clientId: 'c-1', content: 'hello' }],
  [
    SendMessageDto,
    { conversationId: UUID, clientId: 'a:b.c_d', content: 'x', type: 'text', replyToId: UUID },
  ],
  [ReceiptDto, { conversationId: UUID, messageId: UUID }],
  [ConversationRefDto, { conversationId: UUID }],
  [MessageRefDto, { conversationId: UUID, messageId: UUID }],
  [CallInviteDto, { conversationId: UUID, callId: UUID, media: 'audio', sdp: 'v=0' }],
];

/** Values that sit on the edges of what the DTOs' decorators allow. */
const EDGE_VALUES: unknown[] = [
  undefined,
  null,
  0,
  1,
  -1,
  1.5,
  true,
  {},
  [],
  ['x'],
  '',
  ' ',
  '\uFE0F',
  '\uFE0F\uFE0F',
  'a\uFE0F',
  '\u{1F600}',
  '\uD83D',
  'é',
  'x'.repeat(64),
  'x'.repeat(65),
  '\u{1F600}'.repeat(64),
  'x'.repeat(512),
  'x'.repeat(513),
  'x'.repeat(65_536),
  'x'.repeat(65_537),
  'a b',
  'a\nb',
  'text',
  'image',
  'voice',
  'call',
  'system',
  'audio',
  'video',
  UUID,
  UUID.toUpperCase(),
  `urn:uuid:${UUID}`,
  `{${UUID}}`,
  UUID.replace(/-/g, ''),
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'd3b07384-d9a0-0c9b-8a3b-2b6f1c1e9a10',
  `${UUID}\n`,
];

/** A small deterministic generator, so a failure is reproducible. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
}

describe('CompiledValidators', () => {
  const compiled = new CompiledValidators();
  const check = (dto: Dto) => {
    const validate = compiled.for(dto);
    if (!validate) throw new Error(`${dto.name} has no compiled check`);
    return validate;
  };

  it('compiles the flat socket DTOs, and none with a required nested object', () => {
    for (const [dto] of VALID) expect(compiled.for(dto)).not.toBeNull();
    expect(compiled.for(CallIceDto)).toBeNull();
    // A custom constraint (IsSingleEmoji) is not translated: class-validator decides.
    expect(compiled.for(ReactionDto)).toBeNull();
  });

  it('passes the valid payloads, so the common case takes the fast path', () => {
    for (const [dto, payload] of VALID) expect(check(dto)(payload)).toBe(true);
  });

  it('never passes a payload class-validator refuses (10,000 mutated payloads)', () => {
    const next = random(20261204);
    let passed = 0;
    let refused = 0;
    for (let i = 0; i < 10_000; i++) {
      const [dto, base] = VALID[next(VALID.length)];
      const payload: Record<string, unknown> = { ...base };
      const keys = [...Object.keys(base), 'type', 'fileUrl', 'replyToId', 'encrypted', 'extra'];
      for (let m = 1 + next(3); m > 0; m--) {
        const key = keys[next(keys.length)];
        const value = EDGE_VALUES[next(EDGE_VALUES.length)];
        if (value === undefined) delete payload[key];
        else payload[key] = value;
      }
      if (!check(dto)(payload)) {
        refused += 1;
        continue;
      }
      passed += 1;
      if (!classValidatorAccepts(dto, payload))
        throw new Error(`${dto.name}: compiled check passed ${JSON.stringify(payload)}`);
    }
    // Both sides of the check were exercised.
    expect(passed).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  });

  it('refuses every non-object payload', () => {
    for (const payload of [null, 'x', 1, [VALID[0][1]]])
      expect(check(SendMessageDto)(payload)).toBe(false);
  });
});

describe('wsValidationPipe', () => {
  const metadata = { type: 'body' as const, metatype: SendMessageDto };

  it('answers a payload the compiled check passes as it is', async () => {
    const payload = { conversationId: UUID, clientId: 'c-1', content: 'hi' };
    await expect(wsValidationPipe.transform(payload, metadata)).resolves.toBe(payload);
  });

  it("refuses with class-validator's message what the compiled check does not pass", async () => {
    const refusal = wsValidationPipe.transform({ conversationId: UUID, content: 'hi' }, metadata);
    await expect(refusal).rejects.toBeInstanceOf(WsException);
    await expect(refusal).rejects.toMatchObject({
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('clientId') },
    });
  });

  it('lets class-validator accept what only the compiled check is too strict for', async () => {
    // null on an optional property: class-validator skips it, the compiled check does not.
    const payload = { conversationId: UUID, clientId: 'c-1', content: 'hi', replyToId: null };
    expect(new CompiledValidators().for(SendMessageDto)?.(payload)).toBe(false);
    await expect(wsValidationPipe.transform(payload, metadata)).resolves.toMatchObject({
      clientId: 'c-1',
      replyToId: null,
    });
  });
});
