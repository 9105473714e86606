// The pure parts of the benchmark harness in bench/lib: statistics, parsing
// of wrk and autocannon output, BENCH lines, case selection, the
// TechEmpower checks, the CPU accounting of a server's process tree and the
// flame graphs of bench/profile.mjs. No load is generated here.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { median, medianOfPairwiseRatios, pairwiseRatios, relativeSpread } from '../bench/lib/stats.mjs';
import { parseWrkDuration, parseWrkOutput } from '../bench/lib/wrk-output.mjs';
import { parseAutocannonOutput } from '../bench/lib/autocannon-output.mjs';
import { formatBenchLine, formatSummary, formatTable, meetsTarget } from '../bench/lib/report.mjs';
import { alternate } from '../bench/lib/alternate.mjs';
import { assertSuite, selectBenchmarks } from '../bench/lib/select.mjs';
import { readConfig } from '../bench/lib/config.mjs';
import { headerDifferences, techEmpowerProblems } from '../bench/lib/techempower.mjs';
import { processCpuSeconds, processTreeCpuSeconds } from '../bench/lib/spawn-server.mjs';
import { categoryShares, foldCpuProfile, renderFlamegraph, selfTimes, shortLocation, type CpuProfile } from '../bench/lib/flamegraph.mjs';

// Captured from `wrk -t1 -c64 -d2s --latency` (wrk 4.1.0) against a node:http server, plus the
// error lines wrk prints only when they are non-zero.
const WRK_OUTPUT = `Running 2s test @ http://127.0.0.1:18080/plaintext
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.99ms   25.11ms 289.38ms   96.25%
    Req/Sec    46.62k    19.70k   67.07k    80.00%
  Latency Distribution
     50%  812.00us
     75%    1.54ms
     90%    3.75ms
     99%  154.75ms
  92390 requests in 2.00s, 15.86MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:  46152.36
Transfer/sec:      7.92MB
`;

// Captured from `autocannon -c 64 -d 2 --json -n` (autocannon 8.0.0); percentile lists shortened.
const AUTOCANNON_OUTPUT = JSON.stringify({
  url: 'http://127.0.0.1:18080/plaintext',
  connections: 64,
  pipelining: 1,
  duration: 2.03,
  samples: 2,
  errors: 1,
  timeouts: 2,
  non2xx: 4,
  latency: { average: 0.58, mean: 0.58, stddev: 1.06, min: 1, max: 22, p50: 0.5, p90: 1, p99: 5, totalCount: 110639 },
  requests: { average: 55312, mean: 55312, stddev: 5120, min: 50206, max: 60433, total: 110639, sent: 110703 },
  throughput: { average: 9957376, total: 19915020 },
});

describe('median and pairwise ratios', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('does not reorder the caller’s list', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses an empty list and non-finite values', () => {
    expect(() => median([])).toThrow(/at least one value/);
    expect(() => median([1, Number.NaN])).toThrow(/finite numbers; got NaN/);
  });

  it('divides each subject run by the baseline run of the same pair', () => {
    expect(pairwiseRatios([90, 50], [100, 25])).toEqual([0.9, 2]);
  });

  it('ignores one disturbed pair, where a ratio of medians would not pair runs at all', () => {
    // Pair 2 ran while the machine was busy; pair 5 had a slow baseline run.
    const atrium = [90, 45, 99, 91, 180];
    const raw = [100, 100, 100, 100, 100];
    expect(medianOfPairwiseRatios(atrium, raw)).toBeCloseTo(0.91, 10);
  });

  it('refuses unequal run counts and a zero baseline, naming the run', () => {
    expect(() => pairwiseRatios([1, 2], [1])).toThrow(/2 and 1/);
    expect(() => pairwiseRatios([1, 2], [1, 0])).toThrow(/baseline run #2 measured 0/);
  });

  it('reports the spread of ratios relative to their median', () => {
    expect(relativeSpread([0.9, 1.0, 1.1])).toBeCloseTo(0.2, 10);
    expect(relativeSpread([1, 1, 1])).toBe(0);
  });
});

describe('alternate', () => {
  it('warms both sides up, then runs subject and baseline back to back, and takes the median ratio', async () => {
    const order: string[] = [];
    let s = 0;
    let b = 0;
    const subjectRps = [999, 80, 90, 100, 110, 120];
    const baselineRps = [999, 100, 100, 100, 100, 100];
    const result = await alternate({
      pairs: 5,
      runSubject: async (phase) => {
        order.push(`S:${phase}`);
        return { rps: subjectRps[s++]! };
      },
      runBaseline: async (phase) => {
        order.push(`B:${phase}`);
        return { rps: baselineRps[b++]! };
      },
      metric: (run) => run.rps,
    });
    expect(order).toEqual(['S:warmup', 'B:warmup', ...Array.from({ length: 5 }, () => ['S:measure', 'B:measure']).flat()]);
    expect(result.subjectValues).toEqual([80, 90, 100, 110, 120]);
    expect(result.ratios).toEqual([0.8, 0.9, 1, 1.1, 1.2]);
    expect(result.ratio).toBe(1);
    expect(result.spread).toBeCloseTo(0.4, 10);
  });

  it('skips the warm-up when asked', async () => {
    let runs = 0;
    await alternate({ pairs: 2, warmup: false, runSubject: async () => ++runs, runBaseline: async () => ++runs, metric: (n) => n });
    expect(runs).toBe(4);
  });
});

describe('wrk output', () => {
  it('converts every wrk time unit to milliseconds', () => {
    expect(parseWrkDuration('812.00us')).toBeCloseTo(0.812, 10);
    expect(parseWrkDuration('1.54ms')).toBe(1.54);
    expect(parseWrkDuration('2.00s')).toBe(2000);
    expect(parseWrkDuration('1.50m')).toBe(90_000);
    expect(() => parseWrkDuration('fast')).toThrow(/Cannot read wrk duration 'fast'/);
  });

  it('reads req/s, p50, p99 and the error counts', () => {
    expect(parseWrkOutput(WRK_OUTPUT)).toEqual({
      requestsPerSec: 46152.36,
      p50Ms: 0.812,
      p99Ms: 154.75,
      requests: 92390,
      durationMs: 2000,
      errors: 5,
      non2xx: 7,
    });
  });

  it('counts no errors when wrk prints no error lines', () => {
    const clean = WRK_OUTPUT.replace(/^\s+(Socket errors|Non-2xx).*\n/gm, '');
    const parsed = parseWrkOutput(clean);
    expect(parsed.errors).toBe(0);
    expect(parsed.non2xx).toBe(0);
    expect(parsed.requestsPerSec).toBe(46152.36);
  });

  it('refuses output without --latency or without a summary', () => {
    expect(() => parseWrkOutput(WRK_OUTPUT.replace(/^\s+99%.*\n/m, ''))).toThrow(/no 99% latency line/);
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(/no 'Requests\/sec:' line/);
  });
});

describe('autocannon output', () => {
  it('reads req/s, p50, p99 and the error counts from --json output', () => {
    expect(parseAutocannonOutput(AUTOCANNON_OUTPUT)).toEqual({
      requestsPerSec: 55312,
      p50Ms: 0.5,
      p99Ms: 5,
      requests: 110639,
      durationMs: 2030,
      errors: 3,
      non2xx: 4,
    });
  });

  it('skips text printed before the JSON object', () => {
    expect(parseAutocannonOutput(`(node:1) Warning: something\n${AUTOCANNON_OUTPUT}\n`).requestsPerSec).toBe(55312);
  });

  it('falls back to total/duration when no per-second sample completed', () => {
    const short = JSON.parse(AUTOCANNON_OUTPUT) as { requests: { average: number; total: number }; duration: number };
    short.requests.average = 0;
    short.requests.total = 500;
    short.duration = 0.5;
    expect(parseAutocannonOutput(JSON.stringify(short)).requestsPerSec).toBe(1000);
  });

  it('refuses text that is not autocannon JSON', () => {
    expect(() => parseAutocannonOutput('Running 3s test @ http://127.0.0.1')).toThrow(/no JSON object; run it with --json/);
    expect(() => parseAutocannonOutput('{"url": "x"}')).toThrow(/no requests\/latency fields/);
    expect(() => parseAutocannonOutput('{"url": }')).toThrow(/not valid JSON/);
  });
});

describe('BENCH lines and summary', () => {
  it('prints the contract line with >= for throughput and <= for time ratios', () => {
    expect(formatBenchLine({ name: 'plaintext', ratio: 0.93125, target: 0.9, direction: 'higher' })).toBe('BENCH plaintext ratio=0.931 target>=0.90');
    expect(formatBenchLine({ name: 'router-1000', ratio: 1.5, target: 2, direction: 'lower' })).toBe('BENCH router-1000 ratio=1.500 target<=2.00');
  });

  it('refuses names that would break grepping, and ratios that are not numbers', () => {
    expect(() => formatBenchLine({ name: 'Plain Text', ratio: 1, target: 1, direction: 'higher' })).toThrow(/'Plain Text' must be lower-case/);
    expect(() => formatBenchLine({ name: 'json', ratio: Number.NaN, target: 1, direction: 'higher' })).toThrow(/ratio NaN/);
    expect(() => formatBenchLine({ name: 'json', ratio: 1, target: 1, direction: 'sideways' as 'higher' })).toThrow(/direction 'sideways'/);
  });

  it('judges targets in the right direction, including the boundary', () => {
    expect(meetsTarget({ ratio: 0.9, target: 0.9, direction: 'higher' })).toBe(true);
    expect(meetsTarget({ ratio: 0.89, target: 0.9, direction: 'higher' })).toBe(false);
    expect(meetsTarget({ ratio: 2, target: 2, direction: 'lower' })).toBe(true);
    expect(meetsTarget({ ratio: 2.1, target: 2, direction: 'lower' })).toBe(false);
  });

  it('aligns table columns to the widest cell', () => {
    expect(formatTable(['case', 'ratio'], [['plaintext', '0.95'], ['json', '1.02']])).toBe(
      ['case       ratio', '---------  -----', 'plaintext  0.95', 'json       1.02'].join('\n'),
    );
  });

  it('marks a missed target in the summary', () => {
    const summary = formatSummary([
      { name: 'json', ratio: 0.8, target: 0.9, direction: 'higher', subject: '8000 req/s', baseline: '10000 req/s', pairs: [], spread: 0.12 },
    ]);
    expect(summary.split('\n')[2]).toMatch(/^json\s+0\.800\s+>=0\.90\s+MISSED\s+8000 req\/s\s+10000 req\/s\s+0\s+12%$/);
  });
});

describe('selecting benchmarks from command-line names', () => {
  const http = { name: 'http', cases: ['plaintext', 'json'] };
  const router = { name: 'router', cases: ['router-1000'] };
  const suites = [http, router];

  it('selects everything without names', () => {
    expect(selectBenchmarks(suites, [])).toEqual([
      { suite: http, cases: ['plaintext', 'json'] },
      { suite: router, cases: ['router-1000'] },
    ]);
  });

  it('accepts suite and case names, in discovery and case order, without duplicates', () => {
    expect(selectBenchmarks(suites, ['router-1000', 'json'])).toEqual([
      { suite: http, cases: ['json'] },
      { suite: router, cases: ['router-1000'] },
    ]);
    expect(selectBenchmarks(suites, ['json', 'http'])).toEqual([{ suite: http, cases: ['plaintext', 'json'] }]);
  });

  it('names the known suites and cases when a name is unknown', () => {
    expect(() => selectBenchmarks(suites, ['jsn'])).toThrow("Unknown benchmark 'jsn'. Known suites (cases): http (plaintext, json); router (router-1000)");
  });

  it('checks the shape of a suite module, naming the file', () => {
    expect(() => assertSuite({ name: 'x', cases: [] }, 'bench/suites/x.mjs')).toThrow(
      'Benchmark suite bench/suites/x.mjs needs `cases` (non-empty list of case names), `run({ cases, config, loadGenerator, log })`',
    );
    const ok = { name: 'x', cases: ['a'], run: async () => [] };
    expect(assertSuite(ok, 'bench/suites/x.mjs')).toBe(ok);
  });
});

describe('configuration from BENCH_* variables', () => {
  it('defaults to 5 pairs of 3 s runs after a 1 s warm-up', () => {
    expect(readConfig({})).toEqual({ pairs: 5, durationSec: 3, warmupSec: 1, connections: 64, loadGenerator: null, strict: false });
  });

  it('reads overrides and refuses fewer than 5 pairs or an unknown load generator', () => {
    expect(readConfig({ BENCH_DURATION: '5', BENCH_LOAD_GENERATOR: 'autocannon', BENCH_STRICT: '1' })).toMatchObject({
      durationSec: 5,
      loadGenerator: 'autocannon',
      strict: true,
    });
    expect(() => readConfig({ BENCH_PAIRS: '3' })).toThrow(/BENCH_PAIRS=3 is too few/);
    expect(() => readConfig({ BENCH_PAIRS: '5.5' })).toThrow(/must be a whole number/);
    expect(() => readConfig({ BENCH_LOAD_GENERATOR: 'ab' })).toThrow(/'ab' is unknown/);
  });
});

describe('TechEmpower response checks', () => {
  const headers = { 'content-type': 'application/json', server: 'bench', date: 'Wed, 25 Nov 2026 13:34:53 GMT', 'content-length': '27' };

  it('accepts a compliant json response and lists every problem of a wrong one', () => {
    expect(techEmpowerProblems('json', { status: 200, headers, body: '{"message":"Hello, World!"}' })).toEqual([]);
    expect(techEmpowerProblems('plaintext', { status: 404, headers: { 'content-type': 'text/html' }, body: 'Not Found' })).toEqual([
      'status 404, expected 200',
      'unexpected body "Not Found"',
      "content-type 'text/html', expected text/plain",
      'no Server header',
      'no Date header',
      'no Content-Length header',
    ]);
  });

  it('compares header sets by name and value, except the Date value', () => {
    expect(headerDifferences({ ...headers, date: 'Thu, 26 Nov 2026 00:00:00 GMT' }, headers)).toEqual([]);
    expect(headerDifferences({ ...headers, vary: 'Cookie' }, { ...headers, server: 'other' })).toEqual([
      "server: 'bench' vs 'other'",
      "vary: 'Cookie' vs (absent)",
    ]);
    const { date: _date, ...withoutDate } = headers;
    expect(headerDifferences(withoutDate, headers)).toEqual(["date: (absent) vs 'Wed, 25 Nov 2026 13:34:53 GMT'"]);
  });
});

describe('CPU time of a server and its workers', () => {
  it('counts the CPU of live child processes, as a node:cluster primary has workers', async () => {
    // The child burns 0.5 s of its own CPU time (not wall time, which a busy machine stretches), then idles.
    const burn = `const t = process.cpuUsage(); while (process.cpuUsage(t).user < 500000); console.log('burnt'); setTimeout(() => {}, 60000);`;
    const parentScript = `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(burn)}], { stdio: 'inherit' }); process.on('SIGTERM', () => { c.kill(); process.exit(0); });`;
    const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        parent.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('burnt') && resolve());
        parent.once('exit', (code) => reject(new Error(`the test process exited early with ${code}`)));
      });
      const own = await processCpuSeconds(parent.pid!);
      const tree = await processTreeCpuSeconds(parent.pid!);
      expect(own).not.toBeNull();
      expect(tree! - own!).toBeGreaterThanOrEqual(0.45);
    } finally {
      parent.kill('SIGTERM');
    }
  }, 60_000);
});

describe('flame graphs from a CPU profile', () => {
  const core = 'file:///repo/packages/core/dist/server/write-response.js';
  const app = 'file:///repo/bench/apps/techempower-atrium/world/views.mjs';
  // (root) -> (idle); (root) -> handler (app) -> writeResponse (atrium) -> writev (native); (root) -> (garbage collector)
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 3, 6] },
      { id: 2, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
      { id: 3, callFrame: { functionName: 'handler<T>', url: app, lineNumber: 9 }, children: [4] },
      { id: 4, callFrame: { functionName: 'writeResponse', url: core, lineNumber: 0 }, children: [5] },
      { id: 5, callFrame: { functionName: 'writev', url: '', lineNumber: -1 } },
      { id: 6, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
    ],
    startTime: 1_000,
    // Sample i is taken at startTime + the sum of the deltas up to it: 1010, 1020, ..., 1100.
    samples: [2, 3, 4, 5, 5, 5, 6, 2, 4, 5],
    timeDeltas: [10, 10, 10, 10, 10, 10, 10, 10, 10, 10],
  };

  it('counts busy and idle samples, self and total per frame, inside the window only', () => {
    const all = foldCpuProfile(profile);
    expect(all.busy).toBe(8);
    expect(all.idle).toBe(2);
    const handler = [...all.root.children.values()].find((node) => node.name === 'handler<T>')!;
    expect(handler).toMatchObject({ total: 7, self: 1, category: 'app' });
    const write = [...handler.children.values()][0]!;
    expect(write).toMatchObject({ name: 'writeResponse', category: 'atrium', total: 6, self: 2 });
    expect(selfTimes(all.root).map((entry) => [entry.name, entry.self])).toEqual([
      ['writev', 4],
      ['writeResponse', 2],
      ['handler<T>', 1],
      ['(garbage collector)', 1],
    ]);
    expect(categoryShares(all.root)).toEqual({ atrium: 2, app: 1, dependency: 0, node: 0, gc: 1, native: 4 });

    // 1040..1070 holds samples 4-7: writev, writev, writev, (garbage collector).
    const window = foldCpuProfile(profile, { fromUs: 1_040, toUs: 1_070 });
    expect(window.busy).toBe(4);
    expect(window.idle).toBe(0);
    expect(categoryShares(window.root)).toMatchObject({ native: 3, gc: 1, atrium: 0 });
  });

  it('names locations by package, dependency or node module', () => {
    expect(shortLocation(core, 0)).toBe('@atrium/core dist/server/write-response.js:1');
    expect(shortLocation('file:///repo/node_modules/@scope/pkg/lib/index.js', 4)).toBe('@scope/pkg index.js:5');
    expect(shortLocation('file:///repo/node_modules/kysely/dist/esm/query-executor.js', 39)).toBe('kysely query-executor.js:40');
    expect(shortLocation('node:_http_server', 529)).toBe('node:_http_server:530');
    expect(shortLocation('', -1)).toBe('');
  });

  it('renders an SVG whose frame widths follow the samples, with names escaped', () => {
    const { root } = foldCpuProfile(profile);
    const svg = renderFlamegraph(root, { title: 'te-db <sqlite>', width: 820 });
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('te-db &lt;sqlite&gt;');
    expect(svg).toContain('<title>handler&lt;T&gt; (bench/apps/techempower-atrium/world/views.mjs:10): 87.50% (7 samples, 1 self)</title>');
    // 800 px for 8 busy samples: the handler's frame is 7 samples wide, the GC's one.
    expect(svg).toMatch(/handler&lt;T&gt;[^<]*<\/title><rect x="[\d.]+" y="\d+" width="700.0"/);
    expect(svg).toMatch(/\(garbage collector\): 12.50% \(1 samples, 1 self\)<\/title><rect x="[\d.]+" y="\d+" width="100.0"/);
  });
});
