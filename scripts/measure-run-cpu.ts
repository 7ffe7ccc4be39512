/**
 * Run `newsflow run` as a user would and say where its CPU went (docs/PERFORMANCE.md):
 *   npx tsx scripts/measure-run-cpu.ts /tmp/run-1000.jsonl [--data-dir /tmp/nf-cpu]
 * Prints one JSON line: the CLI's own summary (articles/s), user+sys CPU seconds of the newsflow
 * process and of the embedded servers' child process (the last reading of each one's
 * /proc/<pid>/stat before it exits, so Linux only), each one's peak resident memory (VmHWM), and
 * the load averages before and after:
 * timing figures on a shared machine mean little without them.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { 'data-dir': { type: 'string', default: '/tmp/newsflow-cpu' } },
  allowPositionals: true,
});
const dataDir = String(values['data-dir']);
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of `pid` in seconds, or null once it is gone. */
function cpuSeconds(pid: number): number | null {
  try {
    // The command name (field 2) may hold spaces; the fields after its ')' are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Peak resident memory of `pid` in MB (VmHWM), or null once it is gone. */
function peakRssMb(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Math.round(Number(kb) / 1024);
  } catch {
    return null;
  }
}

/** The pid of the servers' child of `parent`, if it has started. */
function serversChild(parent: number): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parent) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('servers-process')) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return null;
}

rmSync(dataDir, { recursive: true, force: true });
const loadBefore = loadavg();
// The executable itself, as `npx newsflow` runs it: its shebang carries the CLI's V8 flags.
const cli = spawn('./bin/newsflow.js', ['run', ...positionals, '--data-dir', dataDir, '--json'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
cli.stdout.on('data', (chunk: Buffer) => {
  out += chunk.toString('utf8');
});
const pid = cli.pid ?? 0;
let child: number | null = null;
let newsflowCpu = 0;
let serversCpu = 0;
let newsflowRss = 0;
let serversRss = 0;
const poll = setInterval(() => {
  newsflowCpu = cpuSeconds(pid) ?? newsflowCpu;
  newsflowRss = peakRssMb(pid) ?? newsflowRss;
  child ??= serversChild(pid);
  if (child !== null) {
    serversCpu = cpuSeconds(child) ?? serversCpu;
    serversRss = peakRssMb(child) ?? serversRss;
  }
}, 100);
const code: number = await new Promise((resolve) => cli.on('exit', (c) => resolve(c ?? 1)));
clearInterval(poll);
process.stdout.write(
  `${JSON.stringify({
    run: JSON.parse(out.trim().split('\n').pop() ?? 'null'),
    exitCode: code,
    cpuSeconds: { newsflow: newsflowCpu, servers: serversCpu, total: +(newsflowCpu + serversCpu).toFixed(2) },
    peakRssMb: { newsflow: newsflowRss, servers: serversRss },
    loadAverage: { before: loadBefore.map((l) => +l.toFixed(2)), after: loadavg().map((l) => +l.toFixed(2)) },
  })}\n`,
);
