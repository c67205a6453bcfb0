// Shared by the WebDriver suites: the binaries, a demo store, and the real window started through
// tauri-driver (which drives Debian's WebKitWebDriver) under Xvfb.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { remote } from 'webdriverio';

export const root = resolve(import.meta.dirname, '..', '..');
export const app = process.env.PROXI_APP ?? join(root, 'target', 'debug', 'proxi-desktop');
export const cli = process.env.PROXI_CLI ?? join(root, 'target', 'debug', 'proxi');
export const shots = process.env.PROXI_SHOTS ?? join(root, 'target', 'shots');
mkdirSync(shots, { recursive: true });

/** A demo store of fictional people at `store`, with `passphrase`. */
export function demoStore(store, passphrase, extra = []) {
  execFileSync(cli, ['--store', store, 'demo', ...extra], { env: { ...process.env, PROXI_PASSPHRASE: passphrase } });
}

async function waitForPort(port, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`tauri-driver did not listen on ${port} within ${ms} ms`);
}

/** tauri-driver on `port`; the app it starts gets `env` (PROXI_STORE…), never PROXI_PASSPHRASE unless given. */
export async function startDriver(port, env) {
  // No reminder at launch unless a suite asks for one (the reminders suite): desktop notices from
  // other suites would start a notification daemon through D-Bus activation in the middle of theirs.
  const full = { PROXI_REMIND_AFTER_SECONDS: '1000000', ...process.env, ...env };
  if (!('PROXI_PASSPHRASE' in env)) delete full.PROXI_PASSPHRASE;
  const driver = spawn(process.env.TAURI_DRIVER ?? 'tauri-driver', ['--port', String(port), '--native-port', String(port + 100)], {
    env: full,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitForPort(port, 20_000);
  return driver;
}

/** The app's environment for a suite whose files all go under `dir`: the store, the sheets folder,
 * and every XDG folder the app and its web view may write (so that a suite can read or remove them). */
export function appEnv(dir, store) {
  return {
    PROXI_STORE: store,
    PROXI_SHEETS_DIR: join(dir, 'sheets'),
    XDG_DATA_HOME: join(dir, 'xdg', 'data'),
    XDG_CACHE_HOME: join(dir, 'xdg', 'cache'),
    XDG_CONFIG_HOME: join(dir, 'xdg', 'config'),
    XDG_STATE_HOME: join(dir, 'xdg', 'state'),
  };
}

/** Starts the app: a new WebDriver session is a new process of the desktop binary. */
export function openWindow(port) {
  return remote({ hostname: '127.0.0.1', port, logLevel: 'error', capabilities: { 'tauri:options': { application: app } } });
}

/** Types the passphrase and waits for the people list. */
export async function unlock(browser, passphrase) {
  const field = await browser.$('#passphrase');
  await field.waitForDisplayed({ timeout: 20_000 });
  await field.setValue(passphrase);
  await browser.$('button[type=submit]').click();
  await browser.$('[data-testid=person-name]').waitForDisplayed({ timeout: 20_000 });
}

/** Sets a date field as its picker would (the picker itself is the system's, not ours). */
export async function setDate(browser, selector, iso) {
  await browser.execute(
    (sel, value) => {
      const input = document.querySelector(sel);
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    selector,
    iso,
  );
}

/** A moment for the window to paint, and the top of the page (unless `top` is false), before a screenshot for the README. */
export async function screenshot(browser, name, top = true) {
  if (top) await browser.execute(() => window.scrollTo(0, 0));
  await browser.pause(600);
  await browser.saveScreenshot(join(shots, name));
}

/**
 * Removes a suite's temporary folder once its windows are closed. A desktop process that outlives its
 * WebDriver session (seen with the first-run suite: WebKit still writing its shader cache) is ended
 * first; what cannot be removed is said, not failed on: the suite's assertions are in its tests.
 */
export async function cleanUp(dir) {
  if (!dir) return;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      return;
    } catch (e) {
      try {
        execFileSync('pkill', ['-f', 'proxi-desktop']);
      } catch {
        // none left
      }
      await new Promise((r) => setTimeout(r, 1000));
      if (attempt === 2) console.error(`# could not remove ${dir}: ${e.message}`);
    }
  }
}
