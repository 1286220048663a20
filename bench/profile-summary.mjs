// `node bench/profile-summary.mjs DIR [--scenario KEY] [--last SECONDS] [--top N]`: where the CPU time of each
// V8 profile in DIR (written by `npm run bench -- --profile DIR`) went, per process (named by its app). With
// --scenario, only the samples taken while that scenario ran count (the bench writes its time windows to
// DIR/scenarios.jsonl on the same monotonic clock as the profiles); with --last, a profile's final SECONDS. Prints total busy time, then the top functions by self time and
// the top packages (node_modules/<name>, node: internals, the project's own dist files) by self time.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { last: { type: 'string' }, scenario: { type: 'string' }, top: { type: 'string', default: '25' } },
});
const dir = positionals[0];
if (!dir) throw new Error('usage: node bench/profile-summary.mjs DIR [--last SECONDS] [--top N]');
const TOP = Number(args.top);
const windows = args.scenario
  ? readFileSync(path.join(dir, 'scenarios.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((w) => w.key === args.scenario)
  : [];
if (args.scenario && !windows.length) throw new Error(`no window for scenario ${args.scenario} in ${dir}`);
const counted = (t, profile) =>
  args.scenario
    ? windows.some((w) => t >= w.start_us && t <= w.end_us)
    : !args.last || t >= profile.endTime - Number(args.last) * 1e6;

/** Which bucket a call frame's self time goes to: a package, Node internals, V8 states or our own code. */
function bucketOf(frame) {
  const url = frame.url ?? '';
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const m = url.match(/\/(apps|packages)\/([^/]+)\//);
  return m ? `${m[1]}/${m[2]}` : url;
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let t = profile.startTime;
  const times = profile.samples.map((_, i) => (t += profile.timeDeltas[i]));
  for (let i = 0; i < profile.samples.length; i++) {
    if (!counted(times[i], profile)) continue;
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const byFunction = new Map();
  const byBucket = new Map();
  let busy = 0;
  let total = 0;
  for (const [id, ms] of self) {
    const frame = nodes.get(id).callFrame;
    total += ms;
    if (frame.functionName === '(idle)') continue;
    busy += ms;
    const where = frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const bucket = bucketOf(frame);
    byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + ms);
  }
  const pct = (ms) => `${((100 * ms) / busy).toFixed(1).padStart(5)} %`;
  const top = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([k, ms]) => `  ${pct(ms)}  ${ms.toFixed(0).padStart(7)} ms  ${k}`)
      .join('\n');
  const main = profile.nodes.map((n) => n.callFrame.url.match(/apps\/([^/]+)\/dist\/main\.js$/)?.[1]).find(Boolean);
  console.log(
    `\n== ${main ?? path.basename(profile.nodes.find((n) => n.callFrame.url.startsWith('file:'))?.callFrame.url ?? '?')} (${file}): busy ${busy.toFixed(0)} ms of ${total.toFixed(0)} ms sampled`,
  );
  console.log(`-- by package\n${top(byBucket)}`);
  console.log(`-- by function (self)\n${top(byFunction)}`);
}
