/**
 * libsignal, loaded on first use: it is large (curve25519 in JS, protobufs) and only encrypted
 * conversations need it, so it stays out of the initial bundle and never delays the chat list.
 */
export type Libsignal = typeof import('@privacyresearch/libsignal-protocol-typescript');

let loading: Promise<Libsignal> | null = null;

export function loadLibsignal(): Promise<Libsignal> {
  loading ??= import('@privacyresearch/libsignal-protocol-typescript').catch((err: unknown) => {
    loading = null;
    throw err;
  });
  return loading;
}
