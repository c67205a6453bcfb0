// "Remember me on this computer" in the real window, with the real OS keyring: `make e2e` runs this
// suite inside .ci/keyring-session.sh (a D-Bus session with GNOME Keyring's Secret Service). Opened
// once with the box ticked, the next launch shows the people without the passphrase; a lock still
// asks for it; "ask for the passphrase each time" takes the key out, and the next launch asks again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, demoStore, openWindow, shots, startDriver, cleanUp } from './support.mjs';

let dir;
let store;
let driver;
let browser;

before(async () => {
  assert.ok(
    process.env.DBUS_SESSION_BUS_ADDRESS,
    'no D-Bus session, so no OS keyring: run this suite with `make e2e` (it starts one with GNOME Keyring)',
  );
  dir = mkdtempSync(join(tmpdir(), 'proxi-keyring-'));
  store = join(dir, 'proxi.db');
  demoStore(store, 'demo passphrase');
  driver = await startDriver(4464, { PROXI_STORE: store });
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  driver?.kill();
  // Never leave this test's key in the keyring, whatever happened.
  try {
    execFileSync(cli, ['--store', store, 'passphrase', 'forget']);
  } catch {
    // nothing to forget
  }
  await cleanUp(dir);
});

async function relaunch() {
  await browser?.deleteSession();
  browser = await openWindow(4464);
}

const people = async () => (await browser.$$('[data-testid=person-name]')).length;

test('ticked at unlock, the key opens the next launch; a lock still asks; forgetting asks again', async () => {
  await relaunch();
  const field = await browser.$('#passphrase');
  await field.waitForDisplayed({ timeout: 20_000 });
  const remember = await browser.$('[data-testid=remember]');
  await remember.waitForDisplayed({ timeout: 10_000 });
  assert.equal(await remember.isSelected(), false, 'remembering must be chosen, never the default');
  await browser.saveScreenshot(join(shots, 'unlock-remember.png'));
  await field.setValue('demo passphrase');
  await remember.click();
  await browser.$('button[type=submit]').click();
  await browser.$('[data-testid=person-name]').waitForDisplayed({ timeout: 20_000 });

  // Next launch: the people, no passphrase asked.
  await relaunch();
  await browser.$('[data-testid=person-name]').waitForDisplayed({ timeout: 20_000 });
  assert.equal(await people(), 24);
  assert.equal(await browser.$('#passphrase').isExisting(), false);

  // A lock asks for the passphrase, the choice shown as it stands.
  await browser.$('[data-testid=lock]').click();
  await browser.$('#passphrase').waitForDisplayed({ timeout: 10_000 });
  assert.equal(await people(), 0);
  assert.equal(await browser.$('[data-testid=remember]').isSelected(), true);
  await browser.$('#passphrase').setValue('demo passphrase');
  await browser.$('button[type=submit]').click();
  await browser.$('[data-testid=person-name]').waitForDisplayed({ timeout: 20_000 });

  // The team screen says it and takes the key out.
  await browser.$('[data-testid=nav-team]').click();
  const state = await browser.$('[data-testid=keyring-state]');
  await state.waitForDisplayed({ timeout: 10_000 });
  assert.match(await state.getText(), /sans phrase de passe/);
  await browser.$('[data-testid=keyring-forget]').scrollIntoView();
  await browser.saveScreenshot(join(shots, 'this-computer.png'));
  await browser.$('[data-testid=keyring-forget]').click();
  await browser.waitUntil(async () => /à chaque ouverture/.test(await state.getText()), { timeout: 10_000 });

  await relaunch();
  await browser.$('#passphrase').waitForDisplayed({ timeout: 20_000 });
  assert.equal(await people(), 0);
  assert.equal(await browser.$('[data-testid=remember]').isSelected(), false);
});
