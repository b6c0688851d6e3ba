/** The server's default `MAX_FILE_SIZE` (CONTRACT.md: images up to MAX_FILE_SIZE, 5 MiB by default). */
export const DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
const KEY = 'chat.uploadLimit';

/** "5 MB", "1.5 MB", "800 KB" (binary units, as the server counts). */
export function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (mib >= 1) return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * The limit a 413 states ("The file is larger than 5 MiB" / "... than 1500000 bytes"), so the
 * client learns a server configured differently from the default.
 */
export function limitFromMessage(message: string): number | null {
  const mib = /larger than ([\d.]+) MiB/i.exec(message);
  if (mib) return Math.round(Number(mib[1]) * 1024 * 1024);
  const bytes = /larger than (\d+) bytes/i.exec(message);
  return bytes ? Number(bytes[1]) : null;
}

/** The upload size limit as last stated by the server, or the default. */
export function readUploadLimit(storage: Storage | null = safeStorage()): number {
  const stored = Number(storage?.getItem(KEY));
  return Number.isFinite(stored) && stored > 0 ? stored : DEFAULT_MAX_UPLOAD_BYTES;
}

export function rememberUploadLimit(bytes: number, storage: Storage | null = safeStorage()): void {
  try {
    if (bytes === DEFAULT_MAX_UPLOAD_BYTES) storage?.removeItem(KEY);
    else storage?.setItem(KEY, String(bytes));
  } catch {
    // not persisted: the default applies next time
  }
}

function safeStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
