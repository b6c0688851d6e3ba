// A node:test reporter that writes only {"passed":N,"failed":M}, for tools/test.mjs to count.
export default async function* counter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    if (event.data?.details?.type === 'suite') continue;
    if (event.type === 'test:pass') passed += 1;
    if (event.type === 'test:fail') failed += 1;
  }
  yield JSON.stringify({ passed, failed });
}
