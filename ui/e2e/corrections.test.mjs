// Everything made can be corrected, in the real window (WebDriver under Xvfb), on a demo store: a
// person's address, an action's due date and how it went, a network member removed, the history's
// "old → new" lines, archiving and restoring a person, and the person's rights: everything exported
// (a PDF read back with pdftotext) and erasure, asked twice with the name typed. The command line
// then finds the store as the window left it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, demoStore, openWindow, setDate, screenshot, startDriver, unlock, cleanUp } from './support.mjs';

const PASSPHRASE = 'corrections passphrase';
const PORT = 4484;
let dir;
let store;
let driver;
let browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'proxi-corrections-'));
  store = join(dir, 'proxi.db');
  demoStore(store, PASSPHRASE);
  driver = await startDriver(PORT, { PROXI_STORE: store, PROXI_SHEETS_DIR: join(dir, 'sheets') });
  browser = await openWindow(PORT);
  await unlock(browser, PASSPHRASE);
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  driver?.kill();
  await cleanUp(dir);
});

const cliText = (...args) => execFileSync(cli, ['--store', store, ...args], { env: { ...process.env, PROXI_PASSPHRASE: PASSPHRASE }, encoding: 'utf8' });

function inDays(n) {
  const d = new Date();
  d.setDate(d.getDate() + n);
  return d.toISOString().slice(0, 10);
}

async function openPerson(fullName) {
  await browser.$('[data-testid=nav-people]').click();
  const button = await browser.$(`button[aria-label="Ouvrir le plan de ${fullName}"]`);
  await button.waitForDisplayed({ timeout: 10_000 });
  await button.click();
  await browser.$('[data-testid=plan-name]').waitForDisplayed({ timeout: 10_000 });
}

test('a moved address, an action’s due date and outcome, a member removed; the history says old → new', async () => {
  await openPerson('Hervé Exemple');
  const id = cliText('person', 'list')
    .split('\n')
    .find((l) => l.includes('Hervé Exemple'))
    .split(/\s+/)[0];

  // The person moved to Jette.
  await browser.$('[data-testid=edit-person]').click();
  const postal = await browser.$('[data-testid=postal-code]');
  await postal.waitForDisplayed({ timeout: 5_000 });
  await postal.clearValue();
  await postal.setValue('1090');
  const commune = await browser.$('[data-testid=commune]');
  await browser.waitUntil(async () => (await commune.getValue()) === 'Jette', { timeout: 5_000 });
  // Jette proposes the bassin Nord; the referent confirms it.
  await browser.waitUntil(async () => (await browser.$('[data-testid=person-bassin]').getValue()) === 'nord', { timeout: 5_000 });
  await browser.$('[data-testid=person-bassin]').scrollIntoView();
  await screenshot(browser, 'person-edit.png', false);
  await browser.$('[data-testid=create-person]').click();
  await browser.$('[data-testid=person-dialog]').waitForExist({ reverse: true, timeout: 10_000 });
  await browser.waitUntil(async () => (await browser.$('.person-card').getText()).includes('1090 Jette'), { timeout: 10_000 });

  // The first action gets a new due date, then is done, with how it went.
  const what = await browser.$$('[data-testid=action-what]')[0].getText();
  await browser.$$('[data-testid=action-edit]')[0].click();
  await browser.$('[data-testid=action-fix]').waitForDisplayed({ timeout: 5_000 });
  const due = inDays(10);
  await setDate(browser, '[data-testid=fix-due]', due);
  await browser.$('[data-testid=fix-save]').click();
  await browser.$('[data-testid=action-fix]').waitForExist({ reverse: true, timeout: 10_000 });
  const statuses = await browser.$$('[data-testid=action-status]');
  const row = (await browser.$$('[data-testid=action-what]').map((e) => e.getText())).indexOf(what);
  await statuses[row].selectByAttribute('value', 'done');
  await browser.$('[data-testid=action-outcome-input]').setValue('Le pilulier est arrivé');
  await browser.$('[data-testid=action-outcome-save]').click();
  await browser.$('[data-testid=action-outcome]').waitForDisplayed({ timeout: 10_000 });
  assert.equal(await browser.$('[data-testid=action-outcome]').getText(), 'Résultat : Le pilulier est arrivé');

  // The first action becomes an orientation followed up: an appointment, with its date.
  await browser.$$('[data-testid=orientation-open]')[0].click();
  await browser.$('[data-testid=orientation-form]').waitForDisplayed({ timeout: 5_000 });
  await browser.$('[data-testid=orientation-select]').selectByAttribute('value', 'appointment');
  await setDate(browser, '[data-testid=orientation-date]', inDays(5));
  await browser.$('[data-testid=orientation-note]').setValue('Avec sa fille');
  await browser.$('[data-testid=orientation-save]').click();
  await browser.waitUntil(
    async () => (await browser.$$('[data-testid=orientation-step]').map((e) => e.getText())).some((t) => t.startsWith('Orientation : Rendez-vous pris le ')),
    { timeout: 10_000 },
  );
  await browser.$('[data-testid=orientation-step]').scrollIntoView();
  await screenshot(browser, 'orientation.png', false);

  // A network member leaves.
  const members = await browser.$$('[data-testid=member-name]').map((e) => e.getText());
  await browser.$$('[data-testid=member-remove]')[0].click();
  await browser.waitUntil(async () => (await browser.$$('[data-testid=member-name]').length) === members.length - 1, { timeout: 10_000 });

  // The history says what changed, old → new.
  await browser.$('[data-testid=toggle-history]').click();
  const history = await browser.$('[data-testid=history-changes]');
  await history.waitForDisplayed({ timeout: 10_000 });
  const lines = await browser.$$('[data-testid=history-changes] li').map((e) => e.getText());
  assert.ok(lines.includes('Personne : code postal 1000 → 1090'), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith(`Action « ${what} » : échéance `) && l.includes(' → ')), lines.join('\n'));
  assert.ok(lines.includes(`Action « ${what} » : résultat — → Le pilulier est arrivé`), lines.join('\n'));
  assert.ok(lines.includes(`Réseau « ${members[0]} » : retiré non → oui`), lines.join('\n'));
  await screenshot(browser, 'history-changes.png', false);

  // Today's visit is noted; its summary lists what was changed in the plan today.
  const visits = await browser.$$('[data-testid=visit]').length;
  await browser.$('[data-testid=visit-notes-input]').setValue('Visite avec sa fille');
  await browser.$('[data-testid=visit-add] button[type=submit]').click();
  await browser.waitUntil(async () => (await browser.$$('[data-testid=visit]').length) === visits + 1, { timeout: 10_000 });
  const summary = browser.$$('[data-testid=visit-summary]')[0];
  await summary.$('summary').click();
  await summary.$('[data-testid=visit-history]').waitForDisplayed({ timeout: 10_000 });
  const today = await summary.$$('[data-testid=visit-history] li').map((e) => e.getText());
  assert.ok(today.some((l) => l.includes('Personne : code postal 1000 → 1090')), today.join('\n'));
  assert.ok(today.some((l) => l.startsWith('Visite notée')), today.join('\n'));

  // The command line reads the same store: the new address and the outcome.
  const exported = JSON.parse(cliText('export', id));
  assert.equal(exported.plan.person.address.commune, 'Jette');
  const action = exported.plan.plan.actions.find((a) => a.what === what);
  assert.equal(action.due, due);
  assert.equal(action.outcome, 'Le pilulier est arrivé');
});

test('archived, a person leaves the list; the switch shows them; restored, they come back', async () => {
  await openPerson('Ayşe Örnek');
  await browser.$('[data-testid=archive-person]').click();
  await browser.$('[data-testid=archived-note]').waitForDisplayed({ timeout: 10_000 });
  await browser.$('[data-testid=back]').click();
  await browser.waitUntil(async () => !(await browser.$$('[data-testid=person-name]').map((e) => e.getText())).includes('Ayşe Örnek'), {
    timeout: 10_000,
  });
  await browser.$('[data-testid=filter-archived]').click();
  await browser.waitUntil(async () => (await browser.$$('[data-testid=person-name]').map((e) => e.getText())).includes('Ayşe Örnek'), {
    timeout: 10_000,
  });
  await browser.$('button[aria-label="Ouvrir le plan de Ayşe Örnek"]').click();
  await browser.$('[data-testid=archive-person]').waitForDisplayed({ timeout: 10_000 });
  await browser.$('[data-testid=archive-person]').click();
  await browser.$('[data-testid=archived-note]').waitForExist({ reverse: true, timeout: 10_000 });
  // Restored: in the list again without the switch.
  await browser.$('[data-testid=nav-people]').click();
  await browser.waitUntil(async () => (await browser.$$('[data-testid=person-name]').map((e) => e.getText())).includes('Ayşe Örnek'), {
    timeout: 10_000,
  });
  assert.equal(await browser.$('[data-testid=filter-archived]').getAttribute('aria-pressed'), 'false');
});

test('everything exported for the person, then erased from the window, asked twice with the name typed', async () => {
  await openPerson('Ion Exemplu');
  await browser.$('[data-testid=toggle-rights]').click();
  await browser.$('[data-testid=export-all]').click();
  const exported = await browser.$('[data-testid=exported]');
  await exported.waitForDisplayed({ timeout: 10_000 });
  const paths = await browser.$$('[data-testid=exported] .path').map((e) => e.getText());
  const [pdf, json] = paths;
  assert.ok(existsSync(pdf) && existsSync(json), paths.join(' '));
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  assert.match(text, /Ion/);
  assert.match(text.replace(/\s+/g, ' '), /Ce qui a été noté et changé/);
  assert.equal(JSON.parse(readFileSync(json, 'utf8')).format, 'proxi.person/1');

  await browser.$('[data-testid=erase-start]').click();
  const confirm = await browser.$('[data-testid=erase-confirm]');
  assert.equal(await confirm.isEnabled(), false);
  await browser.$('[data-testid=erase-name]').setValue('Ion');
  await browser.waitUntil(async () => confirm.isEnabled(), { timeout: 5_000 });
  await confirm.click();
  await browser.$('[data-testid=erase-sure]').waitForDisplayed({ timeout: 5_000 });
  await screenshot(browser, 'erase.png', false);
  await confirm.click();
  const notice = await browser.$('[data-testid=notice]');
  await browser.waitUntil(async () => (await notice.getText()).includes('est effacé de cet ordinateur'), { timeout: 10_000 });
  assert.ok(!(await browser.$$('[data-testid=person-name]').map((e) => e.getText())).includes('Ion Exemplu'));
  assert.ok(!cliText('person', 'list').includes('Ion Exemplu'), 'the command line no longer finds the person');
});
