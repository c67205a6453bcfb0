// Measures the real desktop window under Xvfb (not a test: `make measure-ui` prints the figures).
// 1. Launch to people list shown, on a store of 2,000 fictional people, not counting the typing of the
//    passphrase: (process start → passphrase field on screen) + (passphrase sent → list on screen).
//    The second part holds the key derivation and the opening of the store.
// 2. Memory (RSS of the app and its WebKit processes) after opening 50 plans one after the other.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoStore, openWindow, startDriver } from './support.mjs';

const PORT = 4464;
const runs = Number(process.env.RUNS ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'proxi-measure-'));
const store = join(dir, 'proxi.db');
demoStore(store, 'measure', ['--count', '2000']);
const driver = await startDriver(PORT, { PROXI_STORE: store });

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
  const count = await browser.$('[data-testid=people-count]').getText();
  const launch = asked - started + (shown - sent);
  launches.push(launch);
  console.log(
    `launch ${i + 1}: ${launch.toFixed(0)} ms = ${(asked - started).toFixed(0)} ms to the passphrase field + ` +
      `${(shown - sent).toFixed(0)} ms from "Ouvrir" to "${count}" on screen`,
  );
  if (i < runs - 1) await browser.deleteSession();
}
launches.sort((a, b) => a - b);
console.log(`launch to people list (2,000 people), median of ${runs}: ${launches[Math.floor(runs / 2)].toFixed(0)} ms (min ${launches[0].toFixed(0)}, max ${launches[runs - 1].toFixed(0)})`);

/** The memory of the app and its WebKit processes, in all and process by process (PSS, MB). */
const memory = () => {
  const pids = tree(appPid());
  const mb = (f) => (pids.reduce((s, p) => s + f(p), 0) / 1024).toFixed(0);
  const each = pids.map((p) => `${readFileSync(`/proc/${p}/comm`, 'utf8').trim()} ${(pssKiB(p) / 1024).toFixed(0)}`).join(', ');
  return { count: pids.length, rss: mb(rssKiB), pss: mb(pssKiB), each };
};
const before = memory();
const names = await browser.$$('[data-testid=person-name]');
const ids = [];
const plans = Number(process.env.PLANS ?? 50);
for (let i = 0; i < plans; i += 1) ids.push(process.env.SAME ? 0 : i % 60);
for (const i of ids) {
  const buttons = await browser.$$('[data-testid=person-name]');
  await buttons[i].click();
  await browser.$('[data-testid=plan-name]').waitForDisplayed({ timeout: 10_000 });
  await browser.$('[data-testid=back]').click();
  await browser.$('[data-testid=person-name]').waitForDisplayed({ timeout: 10_000 });
}
if (process.env.PAUSE) {
  const early = memory();
  console.log(`  right after: ${early.pss} MB (${early.each}); waiting ${process.env.PAUSE} s`);
  await new Promise((r) => setTimeout(r, Number(process.env.PAUSE) * 1000));
}
const after = memory();
if (process.env.SMAPS) {
  // Where the web process's memory is, by kind of mapping (a diagnostic, not a figure of the README).
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
console.log(`memory of the app and its WebKit processes (${after.count} processes), RSS / PSS: ${before.rss} / ${before.pss} MB at the list (${names.length} rows drawn), ${after.rss} / ${after.pss} MB after opening ${plans} plans`);
console.log(`  PSS by process, MB: at the list: ${before.each}; after ${plans} plans: ${after.each}`);
await browser.deleteSession();
driver.kill();

// The floor: the same window, locked (no store opened, nothing of Proxi's data in memory).
const lockedDriver = await startDriver(PORT + 1, { PROXI_STORE: store });
browser = await openWindow(PORT + 1);
await browser.$('#passphrase').waitForDisplayed({ timeout: 20_000 });
await new Promise((r) => setTimeout(r, 1000));
const floor = memory();
console.log(`floor, the locked window alone: RSS / PSS ${floor.rss} / ${floor.pss} MB (PSS by process, MB: ${floor.each})`);
console.log(`Proxi's share after ${plans} plans (PSS above the floor): ${(Number(after.pss) - Number(floor.pss)).toFixed(0)} MB`);
await browser.deleteSession();
lockedDriver.kill();
rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
