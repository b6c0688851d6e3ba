/**
 * What the e2e specs need of a browser that jsdom lacks: IndexedDB (fake-indexeddb), WebCrypto
 * (Node's, for libsignal and the digests) and `structuredClone` (which IndexedDB copies with).
 * Imported first by those specs only; not part of the app.
 */
import 'fake-indexeddb/auto';
import { webcrypto } from 'node:crypto';
import { setWebCrypto } from '@privacyresearch/libsignal-protocol-typescript';
import { setE2eWebCrypto } from './encoding';

/** Bytes of this realm as Node's (its WebCrypto refuses buffers of jsdom's realm). */
function toNode(value: unknown): unknown {
  if (Object.prototype.toString.call(value) === '[object ArrayBuffer]')
    return Buffer.from(new Uint8Array(value as ArrayBuffer));
  if (ArrayBuffer.isView(value))
    return Buffer.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const proto = Object.getPrototypeOf(value) as unknown;
    // Algorithm dictionaries ({ name, iv, ... }) carry buffers too; CryptoKeys pass unchanged.
    if (proto === Object.prototype || proto === null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toNode(v)]));
  }
  return value;
}

/** Node's answers back in this realm's ArrayBuffer, which libsignal checks with instanceof. */
function fromNode(value: unknown): unknown {
  if (Object.prototype.toString.call(value) === '[object ArrayBuffer]')
    return new Uint8Array(value as ArrayBuffer).slice().buffer;
  return value;
}

const subtle = new Proxy(webcrypto.subtle, {
  get(target, property) {
    const member = Reflect.get(target, property) as unknown;
    if (typeof member !== 'function') return member;
    return async (...args: unknown[]) =>
      fromNode(
        await (member as (...a: unknown[]) => Promise<unknown>).apply(target, args.map(toNode)),
      );
  },
});

const nodeCrypto = {
  subtle,
  getRandomValues<T extends ArrayBufferView | null>(array: T): T {
    if (!array) return array;
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    bytes.set(webcrypto.getRandomValues(new Uint8Array(bytes.length)));
    return array;
  },
  randomUUID: () => webcrypto.randomUUID(),
} as unknown as Crypto;
setWebCrypto(nodeCrypto);
setE2eWebCrypto(nodeCrypto);

/**
 * Enough of the structured clone algorithm for what the key store keeps (plain objects, arrays,
 * strings, numbers, ArrayBuffers), built from this realm's constructors: libsignal checks
 * `instanceof ArrayBuffer`, which a buffer from Node's own realm would fail.
 */
function cloneValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Object.prototype.toString.call(value) === '[object ArrayBuffer]')
    return new Uint8Array(value as ArrayBuffer).slice().buffer;
  if (ArrayBuffer.isView(value))
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
  if (value instanceof Date) return new Date(value.getTime());
  if (Array.isArray(value)) return value.map(cloneValue);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneValue(v)]));
}

if (typeof globalThis.structuredClone !== 'function') {
  globalThis.structuredClone = <T>(value: T): T => cloneValue(value) as T;
}

// jsdom's Blob has no arrayBuffer(); every browser the app supports has.
if (typeof Blob.prototype.arrayBuffer !== 'function') {
  Blob.prototype.arrayBuffer = function arrayBuffer(this: Blob): Promise<ArrayBuffer> {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as ArrayBuffer);
      reader.onerror = () => reject(reader.error);
      reader.readAsArrayBuffer(this);
    });
  };
}
