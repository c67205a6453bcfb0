// Reminders on a real desktop: dunst, a real notification server, owns org.freedesktop.Notifications
// on the D-Bus session `make e2e` starts (.ci/keyring-session.sh). Opened, Proxi names the people and
// what is due; a reminder clicked (dunst's default action, as a click on it does) opens that plan in
// the window. Locked at launch, it shows counts only, never a name; clicked, it opens the follow-up
// list after the unlock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, demoStore, openWindow, screenshot, shots, startDriver, unlock, cleanUp } from './support.mjs';

const PASSPHRASE = 'demo passphrase';
let dir;
let store;
let dunst;
const drivers = [];
let browser;

const dunstctl = (...args) => execFileSync('dunstctl', args, { encoding: 'utf8' }).trim();

/** What dunst showed since the last call, oldest first (closing them all puts them in its history). */
const seen = new Set();
function shown() {
  dunstctl('close-all');
  const history = JSON.parse(dunstctl('history'));
  const fresh = history.data[0].filter((n) => !seen.has(n.id.data));
  for (const n of fresh) seen.add(n.id.data);
  return fresh
    .sort((a, b) => a.id.data - b.id.data)
    .map((n) => ({ summary: n.summary.data, body: n.body.data, app: n.appname.data }));
}

async function waitForDisplayed(n, ms = 20_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (Number(dunstctl('count', 'displayed')) >= n) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`dunst did not show ${n} notices within ${ms} ms`);
}

before(async () => {
  assert.ok(process.env.DBUS_SESSION_BUS_ADDRESS, 'no D-Bus session: run this suite with `make e2e`');
  dir = mkdtempSync(join(tmpdir(), 'proxi-reminders-'));
  store = join(dir, 'proxi.db');
  // The demo's people have actions agreed in the weeks before today: some are overdue now.
  demoStore(store, PASSPHRASE);
  // Notices stay until acted on (dunst's default is to let them expire after 10 s).
  const conf = join(dir, 'dunstrc');
  writeFileSync(conf, '[urgency_low]\n  timeout = 0\n[urgency_normal]\n  timeout = 0\n[urgency_critical]\n  timeout = 0\n');
  // Ours, with that configuration: not one D-Bus activation may have started before.
  try {
    execFileSync('pkill', ['-x', 'dunst']);
    await new Promise((r) => setTimeout(r, 500));
  } catch {
    // none was running
  }
  dunst = spawn('dunst', ['-conf', conf], { stdio: 'ignore' });
  const until = Date.now() + 10_000;
  for (;;) {
    try {
      dunstctl('is-paused');
      break;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  shown();
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  for (const d of drivers) d.kill();
  dunst?.kill();
  await cleanUp(dir);
});

test('open: one reminder per person, by name; clicking one opens that plan', async () => {
  drivers.push(await startDriver(4474, { PROXI_STORE: store, PROXI_REMIND_AFTER_SECONDS: '100000' }));
  browser = await openWindow(4474);
  await unlock(browser, PASSPHRASE);
  await browser.$('[data-testid=nav-settings]').click();
  const now = await browser.$('[data-testid=remind-now]');
  await now.waitForDisplayed({ timeout: 10_000 });
  await screenshot(browser, 'settings-reminders.png', false);
  await now.click();
  const said = await browser.$('[data-testid=reminded]');
  await browser.waitUntil(async () => (await said.getText()) !== '', { timeout: 10_000 });
  assert.equal(await said.getText(), 'Rappels affichés sur le bureau : 3.');
  await waitForDisplayed(3);
  // The whole screen, notices and window, as the referent sees it.
  await browser.pause(500);
  execFileSync('import', ['-window', 'root', join(shots, 'reminders-desktop.png')]);

  // A click on the first notice (dunst's default action) brings the window to that person's plan.
  dunstctl('action', '0');
  const name = await browser.$('[data-testid=plan-name]');
  await name.waitForDisplayed({ timeout: 10_000 });
  const opened = await name.getText();
  const notices = shown();
  assert.equal(notices.length, 3, JSON.stringify(notices));
  assert.ok(notices.every((n) => n.app === 'Proxi'));
  const people = notices.slice(0, 2).map((n) => n.summary);
  assert.ok(people.includes(opened), `the plan opened (${opened}) is one of the reminded (${people})`);
  assert.match(notices.find((n) => n.summary === opened).body, /En retard \(depuis le \d\d\/\d\d\)\s: /);
  // Beyond two people, one notice sums up the rest and points to the follow-up list.
  assert.match(notices[2].summary, /^\d+ autres personnes$/);

  // The lock keeps the due dates beside the store: dates only, for the counts of a locked window.
  await browser.$('[data-testid=lock]').click();
  await browser.$('#passphrase').waitForDisplayed({ timeout: 10_000 });
  const dates = `${store}.reminders.json`;
  await browser.waitUntil(async () => existsSync(dates), { timeout: 10_000 });
  assert.doesNotMatch(readFileSync(dates, 'utf8'), /[A-Za-zÀ-ÿ]{3,}(?<!actions|reviews)"/);
  await browser.deleteSession();
  browser = null;
});

test('locked at launch: counts only, never a name; clicked, the follow-up list after the unlock', async () => {
  drivers.push(await startDriver(4476, { PROXI_STORE: store, PROXI_REMIND_AFTER_SECONDS: '1' }));
  browser = await openWindow(4476);
  await browser.$('#passphrase').waitForDisplayed({ timeout: 20_000 });
  await waitForDisplayed(1);
  await browser.pause(500);
  execFileSync('import', ['-window', 'root', join(shots, 'reminder-locked-desktop.png')]);
  dunstctl('action', '0');
  const notice = await browser.$('[data-testid=locked-notice]');
  await browser.waitUntil(async () => (await notice.getText()).includes('Un rappel a été cliqué'), { timeout: 10_000 });
  const notices = shown();
  assert.equal(notices.length, 1, JSON.stringify(notices));
  assert.equal(notices[0].summary, 'Proxi : à faire');
  assert.match(notices[0].body, /^\d+ actions? en retard/);
  // None of the names or words of what is due, as the command line lists them, is in it.
  const due = execFileSync(cli, ['--store', store, 'due', '--days', '365'], {
    env: { ...process.env, PROXI_PASSPHRASE: PASSPHRASE },
    encoding: 'utf8',
  });
  const said = `${notices[0].summary} ${notices[0].body}`;
  for (const line of due.split('\n').filter((l) => l.trim())) {
    const [, , name, what] = line.split(/ {2}/);
    assert.ok(name && what, `a line of \`proxi due\`: ${line}`);
    assert.ok(!said.includes(name) && !said.includes(what), `a locked notice says "${name}" or "${what}": ${said}`);
  }
  await browser.$('#passphrase').setValue(PASSPHRASE);
  await browser.$('button[type=submit]').click();
  await browser.$('[data-testid=follow-actions]').waitForDisplayed({ timeout: 20_000 });
  await screenshot(browser, 'reminder-follow-up.png');
});
