import { classify } from './push-sender';

describe('classify', () => {
  it.each([
    [201, 'sent'],
    [202, 'sent'],
    [404, 'gone'],
    [410, 'gone'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [400, 'rejected'],
    [403, 'rejected'],
    [413, 'rejected'],
  ])('%i is %s', (status, result) => {
    expect(classify(status).result).toBe(result);
  });
});
