import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SERVER_LOG } from './paths';

/**
 * Ends the run with the one line tools/test.mjs counts: `web-e2e: N passed, M failed`. A test
 * counts once, by its final outcome; skipped tests are not counted. After a failure it prints
 * the end of the server's log. With WEB_E2E_REPORT set it also writes there the
 * {passed, failed, failures: [{name, message}]} report tools/test.mjs reads, to name what failed.
 */
export default class SummaryReporter implements Reporter {
  private readonly outcomes = new Map<string, TestResult['status']>();
  private readonly failures = new Map<string, { name: string; message: string }>();
  private readonly setupTests = new Set<string>();

  onTestEnd(test: TestCase, result: TestResult): void {
    this.outcomes.set(test.id, result.status);
    if (result.status === 'passed' || result.status === 'skipped') this.failures.delete(test.id);
    else
      this.failures.set(test.id, {
        name: `${test.location.file.split('/src/').at(-1)} › ${test.titlePath().slice(3).join(' › ')}`,
        message: result.error?.message ?? result.status,
      });
    if (test.parent.project()?.name === 'setup') this.setupTests.add(test.id);
  }

  onEnd(result: FullResult): void {
    let passed = 0;
    let failed = 0;
    for (const [id, status] of this.outcomes) {
      if (this.setupTests.has(id) && status === 'passed') continue;
      if (status === 'passed') passed += 1;
      else if (status !== 'skipped') failed += 1;
    }
    // A run that broke outside any test (global setup, a crash) must not read as green.
    if (result.status !== 'passed' && failed === 0) failed = 1;
    if (failed && existsSync(SERVER_LOG)) {
      // CI keeps only the output: the end of the server's log is often the explanation.
      const lines = readFileSync(SERVER_LOG, 'utf8').trim().split('\n').slice(-40);
      console.log(`\n--- last server log lines (${SERVER_LOG}) ---\n${lines.join('\n')}\n---`);
    }
    console.log(`\nweb-e2e: ${passed} passed, ${failed} failed`);
    const report = process.env.WEB_E2E_REPORT;
    if (report) {
      const failures = [...this.failures.values()];
      if (failed > failures.length)
        failures.push({ name: 'run', message: `ended ${result.status}` });
      writeFileSync(report, JSON.stringify({ passed, failed, failures }));
    }
  }

  printsToStdio(): boolean {
    return false;
  }
}
