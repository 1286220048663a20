// Sums the per-workspace jest JSON reports in .test-results/ into the one line CI reads:
// "N passed, N failed". Exits 1 when any test failed or a suite could not run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const dir = '.test-results';
let passed = 0, failed = 0, broken = 0;
for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : []) {
  const report = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  broken += report.numRuntimeErrorTestSuites;
  if (report.numFailedTests || report.numRuntimeErrorTestSuites) console.log(`failures in ${file.replace('.json', '')}`);
}
console.log(`${passed} passed, ${failed + broken} failed`);
process.exit(failed + broken > 0 ? 1 : 0);
