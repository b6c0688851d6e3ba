import { InboundMeter } from './inbound-budget';

describe('InboundMeter', () => {
  it('refuses past the packet budget, disconnects at twice it, and starts afresh each window', () => {
    const meter = new InboundMeter({ packets: 3, bytes: 0, windowMs: 1000 }, 0);
    expect([1, 2, 3].map(() => meter.count(10, 0))).toEqual(['within', 'within', 'within']);
    expect(meter.count(10, 0)).toBe('refuse');
    expect(meter.count(10, 0)).toBe('refuse');
    expect(meter.count(10, 0)).toBe('disconnect');
    expect(meter.count(10, 1000)).toBe('within');
  });

  it('counts bytes whatever the number of packets', () => {
    const meter = new InboundMeter({ packets: 0, bytes: 100, windowMs: 1000 }, 0);
    expect(meter.count(100, 0)).toBe('within');
    expect(meter.count(1, 0)).toBe('refuse');
    expect(meter.count(99, 0)).toBe('disconnect');
  });
});
