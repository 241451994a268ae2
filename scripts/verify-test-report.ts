/**
 * Reads Vitest JSON reports and fails when a run executed no test, skipped any, or missed a suite
 * that needs a real service or the browser (a skipped PostgreSQL or Chromium suite is not green).
 */
import { readFileSync } from 'node:fs';

interface Report {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; status: string }[];
}

/** Suites that need PostgreSQL, child processes or Chromium: each must have run and passed. */
const REQUIRED_SUITES = [
  'e2e/opcua-connection.test.ts',
  'server/src/modules/telemetry/opcua/tests/opcua-config.test.ts',
  'server/src/modules/telemetry/opcua/tests/opcua-ingest.test.ts',
  'server/src/modules/telemetry/opcua/tests/opcua-faults.test.ts',
  'server/src/modules/telemetry/opcua/tests/opcua-certificates.test.ts',
  'server/test/ingest-leadership.test.ts',
  'server/src/platform/db/leadership.test.ts',
  'server/src/modules/telemetry/tests/signals.test.ts',
  'server/src/modules/telemetry/tests/reading-writer.test.ts',
  'server/src/modules/telemetry/tests/readings.test.ts',
  'server/src/modules/telemetry/tests/readings-api.test.ts',
  'server/src/modules/telemetry/tests/readings-migration.test.ts',
  'server/src/modules/telemetry/tests/mqtt.test.ts',
  'server/src/modules/telemetry/tests/mqtt-broker-restart.test.ts',
  'server/src/modules/telemetry/tests/board.test.ts',
  'e2e/machine-board.test.ts',
  'e2e/reading-thresholds.test.ts',
  'server/src/modules/telemetry/tests/auto-downtime.test.ts',
  'e2e/unexplained-stops.test.ts',
  'server/src/modules/failures/tests/failure-report.test.ts',
  'e2e/failure-action-flow.test.ts',
  'e2e/tool-maintenance-flow.test.ts',
  'server/src/modules/failures/tests/failure-photos.corpus.test.ts',
  'server/src/platform/storage/s3-file-store.test.ts',
  'e2e/admin-flow.test.ts',
  'e2e/downtime-flow.test.ts',
  'e2e/repair-attachments.test.ts',
  'e2e/plant-csv.test.ts',
  'e2e/production-flow.test.ts',
  'e2e/quality-dashboard.test.ts',
  'server/src/modules/identity/tests/auth.test.ts',
  'server/src/modules/identity/tests/site-isolation.test.ts',
  'e2e/spec-limits.test.ts',
  'server/src/modules/production/tests/stages.test.ts',
  'server/src/modules/production/tests/permissions-matrix.test.ts',
  'server/src/modules/quality/tests/ingest.test.ts',
  'server/src/modules/quality/tests/live.test.ts',
  'server/src/modules/quality/tests/amqp-pipeline.test.ts',
  'server/src/modules/quality/tests/ingest-fault.test.ts',
  'server/test/lifecycle.test.ts',
  'server/test/malformed-requests.test.ts',
  'server/src/modules/actions/tests/action-items.test.ts',
  'server/src/modules/actions/tests/action-jobs.test.ts',
  'server/src/platform/mail/mail.test.ts',
  'server/src/modules/tools/tests/tools.test.ts',
  'server/src/modules/tools/tests/shots-deltas.test.ts',
  'e2e/tools-flow.test.ts',
  'server/src/modules/tools/tests/pm-due.test.ts',
  'server/src/modules/tools/tests/pm-plans.test.ts',
  'server/src/modules/tools/tests/maintenance-log.test.ts',
  'server/src/modules/tools/tests/checklist-templates.test.ts',
  'server/src/modules/reports/tests/exports.test.ts',
  'server/src/modules/reports/tests/weekly-report.test.ts',
  'server/src/modules/kpi/tests/oee.test.ts',
  'e2e/oee-flow.test.ts',
];
let passed = 0;
let failed = 0;
const problems: string[] = [];
const seen = new Set<string>();

for (const file of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  if (report.numTotalTests === 0) problems.push(`${file}: no test ran`);
  if (report.numPendingTests + report.numTodoTests > 0) {
    problems.push(`${file}: ${report.numPendingTests + report.numTodoTests} test(s) skipped`);
  }
  for (const result of report.testResults) {
    seen.add(result.name.replace(`${process.cwd()}/`, ''));
    if (result.status !== 'passed') problems.push(`${file}: ${result.name} ${result.status}`);
  }
}
for (const suite of REQUIRED_SUITES)
  if (!seen.has(suite)) problems.push(`required suite did not run: ${suite}`);

for (const problem of problems) process.stderr.write(`ci: ${problem}\n`);
process.stdout.write(`ci: ${passed} passed, ${failed} failed\n`);
process.exit(problems.length > 0 || failed > 0 ? 1 : 0);
