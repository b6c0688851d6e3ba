/** Bounds of the key directory and of encrypted messages (CONTRACT.md, "End-to-end encrypted"). */
export const E2E_LIMITS = {
  /** Devices with keys per user; registering one more replaces the one registered longest ago. */
  devicesPerUserMax: 10,
  /** One-time prekeys a device may hold in the directory. */
  preKeysStoredMax: 200,
  preKeysPerRequestMax: 100,
  /** Clients top up when a device has fewer than this left. */
  preKeysLowWatermark: 20,
  keyIdMax: 16_777_215,
  /** Envelopes of one encrypted message: every device of both members but the sender's. */
  envelopesMax: 20,
  /** Base64 characters of one envelope: a 4,000-character message in JSON with its file key fits. */
  envelopeBodyMax: 65_536,
} as const;
