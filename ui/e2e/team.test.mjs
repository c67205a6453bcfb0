// Team sync in the real window: a relay process on loopback, a colleague's laptop driven by the `proxi`
// command line, and the window joining the team with an invitation code, saying in words where sync
// stands, and sending a plan once the person agreed to share it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cli, demoStore, openWindow, root, shots, startDriver, unlock, cleanUp } from './support.mjs';

const relayBin = join(root, 'target', 'debug', 'proxi-relay');
let dir;
let relay;
let driver;
let browser;
let anna;

const proxi = (store, ...args) =>
  execFileSync(cli, ['--store', store, ...args], { env: { ...process.env, PROXI_PASSPHRASE: 'anna' } }).toString();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'proxi-team-'));
  const db = join(dir, 'relay.db');
  relay = spawn(relayBin, ['--db', db, 'serve', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((done) => createInterface({ input: relay.stdout }).once('line', done));
  const url = line.replace('listening on ', '').trim();
  const founding = execFileSync(relayBin, ['--db', db, 'add-team', '--url', url]).toString().trim();
  // The colleague's laptop: a store of her own, the team founded there.
  anna = join(dir, 'anna.db');
  proxi(anna, 'init');
  proxi(anna, 'team', 'create', founding, '--name', 'Anna (Exemple)');

  const store = join(dir, 'proxi.db');
  demoStore(store, 'demo passphrase');
  driver = await startDriver(4454, { PROXI_STORE: store, PROXI_SHEETS_DIR: join(dir, 'sheets') });
  browser = await openWindow(4454);
  await unlock(browser, 'demo passphrase');
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  driver?.kill();
  relay?.kill();
  await cleanUp(dir);
});

test('the window joins a team with a code, says where sync stands, and sends a plan once the person agreed', async () => {
  const invitation = proxi(anna, 'team', 'invite')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('http://'));
  assert.ok(invitation, 'an invitation code');

  await browser.$('[data-testid=nav-team]').click();
  const code = await browser.$('[data-testid=team-code]');
  await code.waitForDisplayed({ timeout: 10_000 });
  await code.setValue(invitation);
  await browser.$('[data-testid=team-name]').setValue('Portable de test');
  await browser.$('button=Rejoindre l’équipe').click();
  const members = browser.$('[data-testid=team-members]');
  await members.waitForDisplayed({ timeout: 20_000 });
  assert.match(await members.getText(), /Anna \(Exemple\)/);
  assert.match(await members.getText(), /Portable de test/);
  const state = browser.$('[data-testid=sync-state]');
  await browser.waitUntil(async () => /Derniers changements échangés/.test(await state.getText()), { timeout: 20_000 });
  // The demo people never agreed to share their plans: they stay here, and the screen says so.
  assert.match(await state.getText(), /24 plans restent sur cet ordinateur/);
  assert.match(await browser.$('[data-testid=sync-badge]').getText(), /^✓\s*À jour$/);
  await browser.saveScreenshot(join(shots, 'team.png'));

  // Hervé agrees to share his plan with the team: the next sync sends it.
  await browser.$('[data-testid=nav-people]').click();
  await browser.$('[data-testid=search]').setValue('herve');
  await browser.waitUntil(async () => (await browser.$$('[data-testid=person-name]').length) === 1, { timeout: 10_000 });
  await browser.$('[data-testid=person-name]').click();
  const share = await browser.$('[data-testid=consent-share]');
  await share.waitForExist({ timeout: 10_000 });
  await share.scrollIntoView();
  await share.click();
  await browser.$('[data-testid=consent-save]').click();
  await browser.waitUntil(async () => /Ce plan peut être partagé avec l’équipe/.test(await browser.$('[data-testid=consent]').getText()), { timeout: 10_000 });
  await browser.$('[data-testid=nav-team]').click();
  await browser.$('[data-testid=sync-now]').click();
  const notice = browser.$('[data-testid=sync-notice]');
  await browser.waitUntil(async () => /envoyé/.test(await notice.getText()), { timeout: 20_000 });
  assert.match(await notice.getText(), /1 changement envoyé/);
  assert.match(await state.getText(), /23 plans restent sur cet ordinateur/);

  proxi(anna, 'sync');
  const people = proxi(anna, 'person', 'list');
  assert.match(people, /Hervé Exemple/);
  assert.equal(people.trim().split('\n').length, 1, people);
});

test('a colleague invited from the window, then removed from it: the relay refuses that laptop from then on', async () => {
  await browser.$('[data-testid=nav-team]').click();
  await browser.$('[data-testid=team-invite]').click();
  const output = browser.$('[data-testid=team-invitation]');
  await output.waitForDisplayed({ timeout: 20_000 });
  const invitation = (await output.getText()).trim();
  const bruno = join(dir, 'bruno.db');
  proxi(bruno, 'init');
  proxi(bruno, 'team', 'join', invitation, '--name', 'Bruno (Exemple)');

  await browser.$('[data-testid=sync-now]').click();
  const members = browser.$('[data-testid=team-members]');
  await browser.waitUntil(async () => /Bruno \(Exemple\)/.test(await members.getText()), { timeout: 20_000 });

  await browser.$('button=Retirer Bruno (Exemple)').click();
  const dialog = browser.$('[data-testid=remove-dialog]');
  await dialog.waitForDisplayed({ timeout: 10_000 });
  assert.match(await dialog.getText(), /Retirer «\sBruno \(Exemple\)\s» de l’équipe/);
  await browser.saveScreenshot(join(shots, 'team-remove.png'));
  await browser.$('[data-testid=remove-confirm]').click();
  const notice = browser.$('[data-testid=sync-notice]');
  await browser.waitUntil(async () => /ne fait plus partie/.test(await notice.getText()), { timeout: 20_000 });
  assert.match(await members.getText(), /Bruno \(Exemple\)\s*retiré de l’équipe/);

  // Bruno's laptop: refused by the relay, told in words.
  assert.throws(
    () => execFileSync(cli, ['--store', bruno, 'sync'], { env: { ...process.env, PROXI_PASSPHRASE: 'anna' }, stdio: 'pipe' }),
    (e) => /removed from its team/.test(e.stderr.toString()),
  );
  // Anna hears of it at her next sync.
  proxi(anna, 'sync');
  assert.match(proxi(anna, 'team', 'status'), /revoked\s+Bruno \(Exemple\)/);
});

