import { HttpException, HttpStatus } from '@nestjs/common';
import type { ByteRange, RangeResolver } from './file-storage';

/**
 * The `Range` header as a resolver of one byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`),
 * enough for media seeking and resumed downloads. Several ranges or another unit are answered
 * with the whole file (allowed by RFC 9110); a range past the end is a 416.
 */
export function rangeResolver(header: string | undefined): RangeResolver | undefined {
  const match = header ? /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [first, last] = [match[1], match[2]];
  return (size: number): ByteRange | undefined => {
    const range: ByteRange =
      first === ''
        ? { start: Math.max(size - Number(last), 0), end: size - 1 }
        : { start: Number(first), end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
    if (range.start >= size || range.start > range.end || (first === '' && Number(last) === 0)) {
      throw new RangeNotSatisfiable(size);
    }
    return range;
  };
}

/** 416, with the `Content-Range: bytes * /size` the client needs to ask again. */
export class RangeNotSatisfiable extends HttpException {
  constructor(readonly size: number) {
    super('The requested range is outside the file', HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
  }
}
