// Measures the real desktop window under Xvfb (not a test: `make measure-ui` prints the figures).
// 1. Launch to people list shown, on a store of 2,000 fictional people, not counting the typing of the
//    passphrase: (process start → passphrase field on screen) + (passphrase sent → list on screen).
//    The second part holds the key derivation and the opening of the store.
// 2. Memory (PSS of the app and its WebKit processes) after opening 50 plans one after the other, and
//    10 s later, with WebKit's default memory settings and with Proxi's (src-tauri/src/lib.rs), each
//    against the locked window with the same settings (the floor).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoStore, openWindow, startDriver } from './support.mjs';

const PORT = 4464;
const runs = Number(process.env.RUNS ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'proxi-measure-'));
const store = join(dir, 'proxi.db');
const count = process.env.COUNT ?? '2000';
demoStore(store, 'measure', ['--count', count]);
let driver = await startDriver(PORT, { PROXI_STORE: store });

/** The process ids of `pid` and everything it started. */
function tree(pid) {
  const children = readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    });
  return [pid, ...children.flatMap((c) => tree(Number(c)))];
}
const pssKiB = (pid) => Number(/Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
const appPid = () => Number(execFileSync('pgrep', ['-n', '-f', 'target/debug/proxi-desktop|target/release/proxi-desktop']).toString().trim());

const hz = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** When process `pid` started, in ms since the epoch: its age since boot against the uptime now
 * (both in the kernel's boot clock, 10 ms resolution). */
function processStart(pid) {
  const ticks = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[19]);
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Date.now() - (uptime * 1000 - (ticks * 1000) / hz);
}

/** When the page set `name` (performance.mark), in ms since the epoch; waits for it. */
async function mark(name) {
  let at = null;
  await browser.waitUntil(
    async () => {
      at = await browser.execute((n) => {
        const m = performance.getEntriesByName(n)[0];
        return m ? performance.timeOrigin + m.startTime : null;
      }, name);
      return at !== null;
    },
    { timeout: 60_000, timeoutMsg: `no ${name} mark` },
  );
  return at;
}

const launches = [];
let browser;
for (let i = 0; i < runs; i += 1) {
  browser = await openWindow(PORT);
  const asked = await mark('proxi:unlock-shown');
  const started = processStart(appPid());
  await browser.$('#passphrase').setValue('measure');
  await browser.$('button[type=submit]').click();
  const sent = await mark('proxi:unlock-submitted');
  const shown = await mark('proxi:people-shown');
  const shownCount = await browser.$('[data-testid=people-count]').getText();
  const launch = asked - started + (shown - sent);
  launches.push(launch);
  console.log(
    `launch ${i + 1}: ${launch.toFixed(0)} ms = ${(asked - started).toFixed(0)} ms to the passphrase field + ` +
      `${(shown - sent).toFixed(0)} ms from "Ouvrir" to "${shownCount}" on screen`,
  );
  await browser.deleteSession();
}
launches.sort((a, b) => a - b);
console.log(`launch to people list (${count} people), median of ${runs}: ${launches[Math.floor(runs / 2)].toFixed(0)} ms (min ${launches[0].toFixed(0)}, max ${launches[runs - 1].toFixed(0)})`);

/** The memory of the app and its WebKit processes, in all and process by process (PSS, MB). */
const memory = () => {
  const pids = tree(appPid());
  const mb = (f) => (pids.reduce((s, p) => s + f(p), 0) / 1024).toFixed(0);
  const each = pids.map((p) => `${readFileSync(`/proc/${p}/comm`, 'utf8').trim()} ${(pssKiB(p) / 1024).toFixed(0)}`).join(', ');
  return { count: pids.length, rss: mb(rssKiB), pss: mb(pssKiB), each };
};
const sleep = (s) => new Promise((r) => setTimeout(r, s * 1000));
const plans = Number(process.env.PLANS ?? 50);
const idle = Number(process.env.IDLE ?? 10);

/** Opens `plans` plans one after the other in a fresh window whose web process has the memory limit
 * `limit` (PROXI_WEB_MEMORY_LIMIT_MB; 0 is WebKit's default), then measures the locked window alone
 * with the same limit; returns Proxi's share (PSS above that floor) after `idle` seconds. */
async function memoryRun(limit, port) {
  const env = { PROXI_STORE: store, PROXI_WEB_MEMORY_LIMIT_MB: String(limit) };
  const label = limit === 0 ? "WebKit's default memory settings" : `Proxi's memory settings (limit ${limit} MB)`;
  let running = await startDriver(port, env);
  browser = await openWindow(port);
  await browser.$('#passphrase').setValue('measure');
  await browser.$('button[type=submit]').click();
  await mark('proxi:people-shown');
  await sleep(1);
  const before = memory();
  const names = await browser.$$('[data-testid=person-name]');
  for (let i = 0; i < plans; i += 1) {
    const buttons = await browser.$$('[data-testid=person-name]');
    await buttons[process.env.SAME ? 0 : i % names.length].click();
    await browser.$('[data-testid=plan-name]').waitForDisplayed({ timeout: 10_000 });
    await browser.$('[data-testid=back]').click();
    await browser.$('[data-testid=person-name]').waitForDisplayed({ timeout: 10_000 });
  }
  const early = memory();
  await sleep(idle);
  const after = memory();
  if (process.env.SMAPS) {
    // Where each process's memory is, by kind of mapping (a diagnostic, not a figure of the README).
    for (const p of tree(appPid())) {
      const kinds = {};
      let kind = '';
      for (const line of readFileSync(`/proc/${p}/smaps`, 'utf8').split('\n')) {
        const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
        if (head) kind = head[1].startsWith('/') ? (head[1].includes('.so') ? 'libraries' : head[1]) : head[1] || 'anonymous';
        const pss = /^Pss:\s+(\d+)/.exec(line);
        if (pss) kinds[kind] = (kinds[kind] ?? 0) + Number(pss[1]);
      }
      const top = Object.entries(kinds).sort((a, b) => b[1] - a[1]).slice(0, 6);
      console.log(`  ${readFileSync(`/proc/${p}/comm`, 'utf8').trim()}: ${top.map(([k, v]) => `${k} ${(v / 1024).toFixed(0)}`).join(', ')}`);
    }
  }
  await browser.deleteSession();
  running.kill();

  // The floor: the same window, locked (no store opened, nothing of Proxi's data in memory).
  running = await startDriver(port + 1, env);
  browser = await openWindow(port + 1);
  await browser.$('#passphrase').waitForDisplayed({ timeout: 20_000 });
  await sleep(1);
  const floor = memory();
  await browser.deleteSession();
  running.kill();

  console.log(`${label}:`);
  console.log(`  RSS / PSS: ${before.rss} / ${before.pss} MB at the list (${names.length} rows drawn); after opening ${plans} plans ${early.rss} / ${early.pss} MB, ${idle} s later ${after.rss} / ${after.pss} MB`);
  console.log(`  PSS by process, MB: at the list: ${before.each}; after ${plans} plans: ${early.each}; ${idle} s later: ${after.each}`);
  console.log(`  floor, the locked window alone: RSS / PSS ${floor.rss} / ${floor.pss} MB (${floor.each})`);
  const share = (m) => Number(m.pss) - Number(floor.pss);
  console.log(`  Proxi's share (PSS above the floor): ${share(before)} MB at the list, ${share(early)} MB after ${plans} plans, ${share(after)} MB ${idle} s later`);
  return share(after);
}

driver.kill();
const baseline = await memoryRun(0, PORT + 10);
const settings = await memoryRun(Number(process.env.LIMIT ?? 300), PORT + 20);
console.log(`Proxi's share after ${plans} plans and ${idle} s: ${settings} MB with Proxi's memory settings, ${baseline} MB with WebKit's defaults (${(settings / baseline).toFixed(2)}×)`);
rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
