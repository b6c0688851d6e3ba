// A node:test reporter that writes only {"passed":N,"failed":M,"failures":[{name,message}]}, for
// tools/test.mjs to count and to name what failed.
import { relative } from 'node:path';

export default async function* counter(source) {
  let passed = 0;
  const failures = [];
  for await (const event of source) {
    if (event.data?.details?.type === 'suite') continue;
    if (event.type === 'test:pass') passed += 1;
    if (event.type === 'test:fail') {
      const { name, file, details } = event.data;
      const where = file ? `${relative(process.cwd(), file)} › ` : '';
      failures.push({
        name: `${where}${name}`,
        message: details?.error?.cause?.message ?? details?.error?.message ?? '',
      });
    }
  }
  yield JSON.stringify({ passed, failed: failures.length, failures });
}
