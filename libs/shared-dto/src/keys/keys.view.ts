/** A device's public identity (`GET /api/keys/users/:userId/devices`): what safety numbers use. */
export interface DeviceKeysView {
  userId: string;
  /** Small integer, unique per user, assigned by the server at registration. */
  deviceId: number;
  registrationId: number;
  /** base64 of libsignal's 33-byte Curve25519 public key. */
  identityKey: string;
  createdAt: string;
}

/** One of the caller's own devices (`GET /api/keys/devices`, `POST /api/keys/devices`). */
export interface OwnDeviceView extends DeviceKeysView {
  /** One-time prekeys still in the directory; top up below `E2E_LIMITS.preKeysLowWatermark`. */
  preKeysLeft: number;
}

/** What a session initiator needs (`POST /api/keys/users/:userId/bundles`), all base64. */
export interface PreKeyBundleView {
  userId: string;
  deviceId: number;
  registrationId: number;
  identityKey: string;
  signedPreKey: { keyId: number; publicKey: string; signature: string };
  /** Claimed for this caller and deleted from the directory; absent when the device ran out. */
  preKey?: { keyId: number; publicKey: string };
}

/** `POST /api/keys/devices/:deviceId/prekeys` */
export interface PreKeysLeftView {
  preKeysLeft: number;
}
