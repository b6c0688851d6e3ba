/**
 * libsignal, loaded on first use (the device check shortly after sign-in): it is large
 * (curve25519 in JS, protobufs), so it stays out of the initial bundle and never delays the
 * chat list.
 */
import type * as LibsignalModule from '@privacyresearch/libsignal-protocol-typescript';

export type Libsignal = typeof LibsignalModule;

let loading: Promise<Libsignal> | null = null;

export function loadLibsignal(): Promise<Libsignal> {
  loading ??= import('@privacyresearch/libsignal-protocol-typescript')
    .then((module) => {
      // A CommonJS package: the bundler's ES module wrapper may hold its exports only under
      // `default` (jest's CommonJS require has them at the top).
      const wrapped = module as Libsignal & { default?: Libsignal };
      return wrapped.KeyHelper ? wrapped : (wrapped.default ?? wrapped);
    })
    .catch((err: unknown) => {
      loading = null;
      throw err;
    });
  return loading;
}
