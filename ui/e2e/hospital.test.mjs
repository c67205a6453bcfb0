// The hospital liaison on the real desktop window (WebDriver under Xvfb): an admission noted, the
// return-home checklist turned into actions, the liaison sheet made (looked at as PNG), a hospital's
// discharge file (made by `proxi fhir export` from another plan) read, and two proposals accepted.
// Screenshots for the README: the Hospital panel, the follow-up list with people in hospital.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appEnv, cli, demoStore, openWindow, setDate, screenshot, shots, startDriver, unlock, cleanUp } from './support.mjs';

const PASSPHRASE = 'hospital passphrase';
const PORT = 4464;
let dir;
let driver;
let browser;
let bundle;
let colleague;

const proxi = (store, ...args) =>
  execFileSync(cli, ['--store', store, ...args], { env: { ...process.env, PROXI_PASSPHRASE: PASSPHRASE } }).toString();

function day(offset) {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  return d.toISOString().slice(0, 10);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'proxi-hospital-'));
  const store = join(dir, 'proxi.db');
  demoStore(store, PASSPHRASE);
  // A hospital's discharge file: another demo person's plan, exported with their consent.
  const people = proxi(store, 'person', 'list');
  const amadou = people.split('\n').find((l) => l.includes('Amadou')).split(/\s+/)[0];
  proxi(store, 'plan', 'consent', amadou, '--keep', '--professional', 'Dr Sortie Fictive');
  // The colleague's laptop: a store of its own, driven by the command line.
  colleague = join(dir, 'colleague.db');
  proxi(colleague, 'init', '--author', 'Bert Collègue');
  mkdirSync(join(dir, 'Downloads'));
  bundle = join(dir, 'Downloads', 'sortie-hopital.json');
  proxi(store, 'fhir', 'export', amadou, '--to', 'Dr Sortie Fictive', '-o', bundle);
  driver = await startDriver(PORT, appEnv(dir, store));
  browser = await openWindow(PORT);
  await unlock(browser, PASSPHRASE);
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  driver?.kill();
  await cleanUp(dir);
});

const $ = (selector) => browser.$(selector);
const within = (root, selector) => root.$(selector);

test('an admission, a return home prepared, the liaison sheet, and a discharge file read', async () => {
  await $('button[aria-label="Ouvrir le plan de Andrée Spécimen"]').click();
  await $('[data-testid=stay-new]').waitForDisplayed({ timeout: 10_000 });

  // The admission, two days ago; the discharge planned in three days.
  await $('[data-testid=stay-new]').click();
  await setDate(browser, '[data-testid=stay-admitted]', day(-2));
  await $('[data-testid=stay-hospital]').setValue('Hôpital Fictif des Exemples');
  await $('[data-testid=stay-ward]').setValue('Gériatrie, 3e étage');
  await $('[data-testid=stay-contact]').setValue('Mme Liaison-Exemple, 02 000 00 99');
  await $('[data-testid=stay-reason]').setValue('Chute à domicile');
  await $('[data-testid=stay-told]').setValue('Le médecin traitant, sa fille');
  await setDate(browser, '[data-testid=stay-discharge-on]', day(3));
  await $('[data-testid=stay-save]').click();
  const title = await $('[data-testid=stay-title]');
  await title.waitForDisplayed({ timeout: 5_000 });
  assert.match(await title.getText(), /^À l’hôpital depuis le .+\s: Hôpital Fictif des Exemples$/);

  // The checklist: home nursing and the first two days become actions; meals are not needed.
  await $('[data-testid=stay-checklist-toggle]').click();
  const nursing = await $('[data-testid=check-homeNursing]');
  await nursing.waitForDisplayed({ timeout: 5_000 });
  await within(nursing, '[data-testid=check-what]').setValue('Infirmière pour les pansements');
  await setDate(browser, '[data-testid=check-homeNursing] [data-testid=check-due]', day(3));
  await within(nursing, '[data-testid=check-make]').click();
  await within(nursing, '[data-testid=check-done]').waitForDisplayed({ timeout: 5_000 });
  const first = await $('[data-testid=check-firstTwoDays]');
  await within(first, '[data-testid=check-who]').selectByAttribute('value', 'informalCarer');
  await within(first, 'input:not([data-testid])').setValue('Sophie (fille)');
  await setDate(browser, '[data-testid=check-firstTwoDays] [data-testid=check-due]', day(3));
  await within(first, '[data-testid=check-make]').click();
  await within(first, '[data-testid=check-done]').waitForDisplayed({ timeout: 5_000 });
  await within(await $('[data-testid=check-meals]'), '[data-testid=check-skip]').click();
  await browser.waitUntil(async () => (await $('[data-testid=stay-checklist-toggle]').getText()).includes('(3 points à faire)'), { timeout: 5_000 });
  const actions = await browser.$$('[data-testid=action-what]').map((e) => e.getText());
  assert.ok(actions.includes('Infirmière pour les pansements'), actions.join(' | '));
  assert.ok(actions.includes('Passer le premier soir') || actions.includes('Passer voir la personne le jour du retour'), actions.join(' | '));

  // The liaison sheet, in French: saved, one page, with the stay and the checklist.
  await $('[data-testid=liaison-print]').click();
  const saved = await $('[data-testid=liaison-saved]');
  await saved.waitForDisplayed({ timeout: 10_000 });
  const pdf = (await saved.getText()).match(/: (\/.+\.pdf)/)[1];
  assert.ok(existsSync(pdf), pdf);
  execFileSync('qpdf', ['--check', pdf]);
  const text = execFileSync('pdftotext', [pdf, '-']).toString().replace(/\s+/g, ' ');
  for (const words of ['Fiche de liaison pour l’hôpital', 'Hôpital Fictif des Exemples', 'Soins infirmiers à domicile', 'Infirmière pour les pansements', 'Repas', 'pas nécessaire']) {
    assert.ok(text.includes(words), `${words} in ${text}`);
  }
  execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', pdf, join(shots, 'liaison-fr')]);

  // The hospital's discharge file: read as proposals, two accepted, nothing else enters the plan.
  const before = (await browser.$$('[data-testid=priorities-words]')).length;
  await $('[data-testid=receive-look]').click();
  const file = await $('[data-testid=receive-file]');
  await file.waitForDisplayed({ timeout: 5_000 });
  await file.setValue(bundle);
  await $('[data-testid=receive-read]').click();
  const received = await $('[data-testid=received]');
  await received.waitForDisplayed({ timeout: 10_000 });
  assert.match(await received.getText(), /^\d+ propositions reçues \(\d+ déjà dans le plan\)\.$/);
  const proposals = await browser.$$('[data-testid=proposal]');
  assert.ok(proposals.length >= 3, `${proposals.length} proposals`);
  assert.equal((await browser.$$('[data-testid=priorities-words]')).length, before, 'nothing entered unasked');
  const goal = await browser.$$('[data-testid=proposal]').find(async (p) => (await p.getText()).startsWith('Objectif'));
  await within(goal, '[data-testid=proposal-accept]').click();
  await browser.waitUntil(async () => (await browser.$$('[data-testid=priorities-words]')).length === before + 1, { timeout: 5_000 });
  const action = await browser.$$('[data-testid=proposal]').find(async (p) => (await p.getText()).startsWith('Action'));
  const actionText = (await action.getText()).split('\n')[0];
  await within(action, '[data-testid=proposal-accept]').click();
  await browser.waitUntil(async () => (await browser.$$('[data-testid=proposal]')).length === proposals.length - 2, { timeout: 5_000 });
  const what = actionText.replace(/^Action\s: /, '').replace(/ \(.*$/, '');
  assert.ok((await browser.$$('[data-testid=action-what]').map((e) => e.getText())).includes(what), what);
  await $('#plan-hospital').scrollIntoView();
  await screenshot(browser, 'hospital.png', false);

  // The follow-up list: Andrée in hospital, and her discharge to prepare.
  await $('[data-testid=nav-follow]').click();
  const inHospital = await $('[data-testid=follow-in-hospital]');
  await inHospital.waitForDisplayed({ timeout: 10_000 });
  assert.match(await inHospital.getText(), /Andrée[\s\S]*Hôpital Fictif des Exemples, depuis le/);
  assert.match(await $('[data-testid=follow-discharges]').getText(), /Andrée[\s\S]*sortie le .+ \(3 points à préparer\)/);
  await screenshot(browser, 'follow-up-hospital.png');
});

test('a plan handed over to a colleague, edited there, and handed back: the edits merge', async () => {
  await $('[data-testid=nav-people]').click();
  await $('button[aria-label="Ouvrir le plan de Andrée Spécimen"]').click();
  await $('[data-testid=toggle-rights]').waitForDisplayed({ timeout: 10_000 });
  await $('[data-testid=toggle-rights]').click();
  await $('[data-testid=handover-to]').setValue('Bert Collègue');
  await $('[data-testid=handover-seal]').click();
  const code = await $('[data-testid=handover-code]');
  await code.waitForDisplayed({ timeout: 10_000 });
  const said = await code.getText();
  assert.match(said, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
  const file = (await $('[data-testid=handover-saved]').getText()).match(/: (\/.+\.proxihandover)/)[1];
  await browser.execute(() => document.querySelector('[data-testid=handover-saved]').scrollIntoView({ block: 'end' }));
  await screenshot(browser, 'handover.png', false);
  // Meanwhile, here: an action added after the plan was handed over.
  await $('[data-testid=action-what-input]').setValue('Prévenir la pharmacie du retour');
  await $('[data-testid=action-add-button]').click();
  await browser.waitUntil(async () => (await browser.$$('[data-testid=action-what]').map((e) => e.getText())).includes('Prévenir la pharmacie du retour'), {
    timeout: 5_000,
  });

  // The colleague opens it with the code, has the whole plan, adds an action, and hands it back.
  const person = proxi(colleague, 'handover', 'in', file, '--code', said.toLowerCase()).trim();
  const shown = proxi(colleague, 'plan', 'show', person);
  assert.match(shown, /Cuisiner à nouveau mes plats/);
  proxi(colleague, 'plan', 'add-action', person, 'Rencontrer la nouvelle référente', '--who', 'referent');
  const back = join(dir, 'Downloads', 'retour.proxihandover');
  const backCode = proxi(colleague, 'handover', 'out', person, '--to', 'Référent démo', '-o', back).trim();

  // The colleague's file taken in here: both sides' edits are there.
  await $('[data-testid=nav-people]').click();
  await $('[data-testid=handover-receive]').click();
  await $('[data-testid=handover-look]').click();
  const field = await $('[data-testid=handover-file]');
  await field.waitForDisplayed({ timeout: 5_000 });
  await field.setValue(back);
  await browser.keys('Tab');
  await $('[data-testid=handover-from]').waitForDisplayed({ timeout: 5_000 });
  assert.match(await $('[data-testid=handover-from]').getText(), /^De Bert Collègue pour Référent démo/);
  await $('[data-testid=handover-code-input]').setValue('AAAA-BBBB-CCCC-DDDD-EEEE');
  await $('[data-testid=handover-open]').click();
  await $('[data-testid=handover-problem]').waitForDisplayed({ timeout: 5_000 });
  await $('[data-testid=handover-code-input]').setValue(backCode);
  await $('[data-testid=handover-open]').click();
  await $('[data-testid=plan-name]').waitForDisplayed({ timeout: 10_000 });
  const actions = await browser.$$('[data-testid=action-what]').map((e) => e.getText());
  assert.ok(actions.includes('Rencontrer la nouvelle référente'), actions.join(' | '));
  assert.ok(actions.includes('Prévenir la pharmacie du retour'), 'the edit made here meanwhile is kept');
  assert.ok(actions.includes('Infirmière pour les pansements'), 'and those made before');
});
