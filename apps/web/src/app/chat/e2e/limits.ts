/**
 * The key directory's bounds the client needs. A copy of `E2E_LIMITS` from '@chat/shared-dto':
 * a value import from there would pull class-validator into the web bundle (`limits.spec.ts`
 * keeps the copy honest).
 */
export const E2E_CLIENT_LIMITS = {
  preKeysLowWatermark: 20,
  preKeysPerRequestMax: 100,
  keyIdMax: 16_777_215,
} as const;
