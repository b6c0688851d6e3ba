import { rangeResolver, RangeNotSatisfiable } from './byte-range';

describe('rangeResolver', () => {
  it.each([
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=100-', { start: 100, end: 999 }],
    ['bytes=-200', { start: 800, end: 999 }],
    ['bytes=900-5000', { start: 900, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
  ])('%s of 1000 bytes', (header, range) => {
    expect(rangeResolver(header)?.(1000)).toEqual(range);
  });

  it.each([undefined, '', 'bytes=-', 'items=0-1', 'bytes=0-1,5-6', 'bytes=a-b'])(
    'serves the whole file for %j',
    (header) => {
      expect(rangeResolver(header)).toBeUndefined();
    },
  );

  it.each(['bytes=1000-', 'bytes=5-2', 'bytes=-0'])('refuses %s of 1000 bytes with 416', (h) => {
    expect(() => rangeResolver(h)?.(1000)).toThrow(RangeNotSatisfiable);
  });
});
