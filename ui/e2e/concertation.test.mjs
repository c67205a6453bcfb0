// Organising a concertation on the real desktop window (WebDriver under Xvfb): a demo person, their
// GP and a typed-in participant invited, two times offered on either side of the change to summer
// time, who can come ticked, the best time chosen, and the invitation saved and read back as iCalendar;
// then a Diapason group of the team: members, a meeting, a recommendation followed up, its report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appEnv, demoStore, openWindow, setDate, screenshot, shots, startDriver, unlock, cleanUp } from './support.mjs';

const PASSPHRASE = 'concertation passphrase';
const PORT = 4474;
let dir;
let driver;
let browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'proxi-concertation-'));
  const store = join(dir, 'proxi.db');
  demoStore(store, PASSPHRASE);
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
const participants = async () => (await browser.$$('[data-testid=participant]')).length;

/** Chooses in the invitation's list as a click would: WebKitWebDriver's option click sets the value
 * without a change event once the list's options have changed (seen here), so the event is sent. */
async function pickWho(value) {
  await browser.execute((v) => {
    const select = document.querySelector('[data-testid=participant-pick]');
    select.value = v;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

test('a concertation organised: who, when, who can come, the time chosen, the invitation saved', async () => {
  await $('button[aria-label="Ouvrir le plan de Andrée Spécimen"]').click();
  await $('[data-testid=concertation-new]').waitForDisplayed({ timeout: 10_000 });
  await $('[data-testid=concertation-new]').click();
  await $('[data-testid=concertation-minutes]').setValue('90');
  await $('[data-testid=concertation-place]').setValue('Maison médicale Fictive');
  await $('[data-testid=concertation-create]').click();
  await $('[data-testid=concertation]').waitForDisplayed({ timeout: 5_000 });

  // Andrée herself, her GP from the network, and the social worker typed in.
  const pick = await $('[data-testid=participant-pick]');
  await pickWho('person');
  await $('[data-testid=participant-add]').click();
  await browser.waitUntil(async () => (await participants()) === 1, { timeout: 5_000 });
  const options = await $('[data-testid=participant-pick]').$$('option').map((o) => o.getAttribute('value'));
  const labels = await $('[data-testid=participant-pick]').$$('option').map((o) => o.getText());
  const gp = options[labels.findIndex((m) => m.includes('Dr Exemple-Généraliste'))];
  assert.ok(gp?.startsWith('member:'), labels.join(' | '));
  await pickWho(gp);
  await $('[data-testid=participant-add]').click();
  await browser.waitUntil(async () => (await participants()) >= 2, { timeout: 5_000 }).catch(async (e) => {
    console.log('DEBUG', gp, await $('[data-testid=concertation]').getText(), await $('[data-testid=plan-problem]').getText().catch(() => ''));
    throw e;
  });
  await pickWho('');
  await $('[data-testid=participant-name]').setValue('Assistante sociale Exemple');
  await $('[data-testid=participant-add]').click();
  await browser.waitUntil(async () => (await participants()) === 3, { timeout: 5_000 }).catch(async (e) => {
    await screenshot(browser, 'concertation-debug.png', false);
    throw e;
  });

  // Two times: 10:00 on Friday 26 March and Monday 29 March 2027 (summer time from the 28th).
  for (const when of ['2027-03-26T10:00', '2027-03-29T10:00']) {
    await setDate(browser, '[data-testid=slot-input]', when);
    await $('[data-testid=slot-add]').click();
    await browser.pause(300);
  }
  await browser.waitUntil(async () => (await browser.$$('[data-testid=can-come]')).length === 6, { timeout: 5_000 });
  // Everyone on the 29th (second column); Andrée alone on the 26th.
  for (const i of [0, 1, 3, 5]) {
    await (await browser.$$('[data-testid=can-come]'))[i].click();
    await browser.pause(250);
  }
  await browser.waitUntil(async () => (await $('[data-testid=ranked-slot]').getText()).includes('3 sur 3'), { timeout: 5_000 });
  const ranked = await browser.$$('[data-testid=ranked-slot]').map((e) => e.getText());
  assert.match(ranked[0], /^29 mars 2027 à 10:00 — présents\s: 3 sur 3/);
  assert.match(ranked[1], /^26 mars 2027 à 10:00 — présents\s: 1 sur 3 · manque\s: Dr Exemple-Généraliste, Assistante sociale Exemple/);
  await (await browser.$$('[data-testid=choose]'))[0].click();
  await $('[data-testid=chosen]').waitForDisplayed({ timeout: 5_000 });

  await $('[data-testid=invitation-save]').click();
  const saved = await $('[data-testid=invitation-saved]');
  await saved.waitForDisplayed({ timeout: 5_000 });
  const ics = (await saved.getText()).match(/: (\/.+\.ics)/)[1];
  assert.ok(existsSync(ics), ics);
  const text = readFileSync(ics, 'utf8');
  assert.match(text, /DTSTART;TZID=Europe\/Brussels:20270329T100000/);
  assert.match(text, /DTEND;TZID=Europe\/Brussels:20270329T113000/);
  assert.match(text, /BEGIN:VTIMEZONE/);
  assert.doesNotMatch(text, /Cuisiner/, 'no word of the plan in the invitation');
  assert.match(await $('[data-testid=invitation-text]').getValue(), /le 29 mars 2027 à 10:00 \(90 minutes\), Maison médicale Fictive/);
  await browser.execute(() => document.querySelector('[data-testid=availability]').scrollIntoView({ block: 'start' }));
  await screenshot(browser, 'concertation.png', false);

  // The meeting: two decisions become actions of the plan, one owned by the person typed in.
  await $('[data-testid=meeting-hold]').click();
  await $('[data-testid=meeting-presence]').waitForDisplayed({ timeout: 5_000 });
  const owners = await $('[data-testid=decision-owner]').$$('option').map((o) => o.getAttribute('value'));
  for (const [what, owner] of [
    ['Reprendre la chorale le jeudi', owners[0]],
    ['Demander l’aide au CPAS', owners[2]],
  ]) {
    await $('[data-testid=decision-what]').setValue(what);
    await browser.execute((v) => {
      const select = document.querySelector('[data-testid=decision-owner]');
      select.value = v;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }, owner);
    await $('[data-testid=decision-add]').click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid=decision]').map((d) => d.getText())).some((d) => d.startsWith(what)), { timeout: 5_000 });
  }
  const decisions = await browser.$$('[data-testid=decision]').map((d) => d.getText());
  assert.deepEqual(decisions, ['Reprendre la chorale le jeudi — Andrée', 'Demander l’aide au CPAS — Assistante sociale Exemple']);
  const actions = await browser.$$('[data-testid=action-what]').map((e) => e.getText());
  assert.ok(actions.includes('Reprendre la chorale le jeudi') && actions.includes('Demander l’aide au CPAS'), actions.join(' | '));
  await (await browser.$$('[data-testid=meeting-note]'))[3].setValue('Tout le monde est d’accord.');
  await $('[data-testid=meeting-save]').click();
  await $('[data-testid=meeting-saved]').waitForDisplayed({ timeout: 5_000 });

  // The papers: the report finds every decision; the attendance sheet every participant. Looked at as PNG.
  for (const [button, name, words] of [
    ['papers-report', 'concertation-report-fr', ['compte rendu', 'Reprendre la chorale le jeudi', 'Demander l’aide au CPAS', 'Tout le monde est d’accord.']],
    ['papers-attendance', 'concertation-attendance-fr', ['liste de présence', 'Andrée', 'Dr Exemple-Généraliste', 'Assistante sociale Exemple', 'Signature']],
  ]) {
    await $(`[data-testid=${button}]`).click();
    await browser.waitUntil(async () => (await $('[data-testid=papers-saved]').getText().catch(() => '')).includes(button === 'papers-report' ? 'compte rendu' : 'présences'), { timeout: 10_000 });
    const pdf = (await $('[data-testid=papers-saved]').getText()).match(/: (\/.+\.pdf)/)[1];
    execFileSync('qpdf', ['--check', pdf]);
    const text = execFileSync('pdftotext', [pdf, '-']).toString().replace(/\s+/g, ' ');
    for (const w of words) assert.ok(text.includes(w), `${w} in ${text}`);
    execFileSync('pdftoppm', ['-png', '-r', '70', '-singlefile', pdf, join(shots, name)]);
  }
});

test('a Diapason group: members, a meeting with who came, a recommendation followed up, the report, and the follow-up list', async () => {
  await $('[data-testid=nav-groups]').click();
  await $('[data-testid=group-new]').waitForDisplayed({ timeout: 5_000 });
  await $('[data-testid=group-new]').click();
  await $('[data-testid=group-name]').setValue('Sorties du vendredi');
  await browser.execute(() => {
    const select = document.querySelector('[data-testid=group-bassin]');
    select.value = 'nordEst';
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await $('[data-testid=group-problem]').setValue('Trois sorties d’hôpital sur dix tombent un vendredi après 17 h, sans relais au domicile.');
  await $('[data-testid=group-create]').click();
  await $('[data-testid=group-title]').waitForDisplayed({ timeout: 5_000 });

  for (const [name, organisation, sector] of [
    ['Anna Fictive', 'Soins Exemple', 'soins à domicile'],
    ['Bert Imaginaire', 'CPAS Exemple', 'social'],
  ]) {
    await $('[data-testid=member-name]').setValue(name);
    await $('[data-testid=member-organisation]').setValue(organisation);
    await $('[data-testid=member-sector]').setValue(sector);
    await $('[data-testid=member-add]').click();
    await browser.waitUntil(async () => (await $('[data-testid=group-members]').getText()).includes(name), { timeout: 5_000 });
  }
  await setDate(browser, '[data-testid=meeting-date]', '2026-11-12');
  await $('[data-testid=meeting-add]').click();
  await $('[data-testid=group-meeting]').waitForDisplayed({ timeout: 5_000 });
  for (const box of await browser.$$('[data-testid=meeting-present]')) await box.click();
  await $('[data-testid=meeting-notes]').setValue('Premier tour de table : chacun raconte une sortie difficile.');
  await $('[data-testid=meeting-save]').click();
  await browser.waitUntil(async () => (await $('[data-testid=group-meeting]').getText()).includes('2 présents'), { timeout: 5_000 });
  await $('[data-testid=observation-text]').setValue('Les pharmacies de garde ne connaissent pas les traitements de sortie.');
  await $('[data-testid=observation-add]').click();
  await browser.waitUntil(async () => (await $('[data-testid=group-observations]').getText()).includes('pharmacies de garde'), { timeout: 5_000 });

  // A recommendation, adopted, to be looked at again today: it comes up in "Suivi".
  await $('[data-testid=recommendation-text]').setValue('Un numéro de garde pour les sorties du vendredi');
  await $('[data-testid=recommendation-owner]').setValue('CPAS Exemple');
  await $('[data-testid=recommendation-add]').click();
  await $('[data-testid=recommendation]').waitForDisplayed({ timeout: 5_000 });
  await browser.execute(() => {
    const select = document.querySelector('[data-testid=recommendation-status]');
    select.value = 'adopted';
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date());
  await setDate(browser, '[data-testid=follow-up-date]', today);
  await $('[data-testid=follow-up-add]').click();
  await $('[data-testid=follow-up]').waitForDisplayed({ timeout: 5_000 });
  assert.equal(await $('[data-testid=recommendation-status]').getValue(), 'adopted');
  await browser.execute(() => document.querySelector('[data-testid=recommendation]').scrollIntoView({ block: 'center' }));
  await screenshot(browser, 'group.png', false);

  await $('[data-testid=group-report]').click();
  await $('[data-testid=group-report-saved]').waitForDisplayed({ timeout: 10_000 });
  const pdf = (await $('[data-testid=group-report-saved]').getText()).match(/: (\/.+\.pdf)/)[1];
  execFileSync('qpdf', ['--check', pdf]);
  const text = execFileSync('pdftotext', [pdf, '-']).toString().replace(/\s+/g, ' ');
  for (const w of ['Sorties du vendredi', 'Bassin : Nord-Est', 'Anna Fictive — Soins Exemple (soins à domicile)', 'présents : 2', 'pharmacies de garde', 'Un numéro de garde pour les sorties du vendredi', 'Portée par : CPAS Exemple — adoptée', 'À revoir le']) {
    assert.ok(text.replace(/\u202f/g, ' ').includes(w), `${w} in ${text}`);
  }
  execFileSync('pdftoppm', ['-png', '-r', '70', '-singlefile', pdf, join(shots, 'group-report-fr')]);

  await $('[data-testid=nav-follow]').click();
  const due = await $('[data-testid=follow-recommendations]');
  await due.waitForDisplayed({ timeout: 5_000 });
  assert.match(await due.getText(), /Un numéro de garde pour les sorties du vendredi[\s\S]*Sorties du vendredi — portée par CPAS Exemple/);
  // The demo group's recommendation due this week is listed too: this group's is the one clicked.
  const buttons = await due.$$('button');
  const texts = await buttons.map((b) => b.getText());
  assert.ok(texts.includes('Un numéro de garde pour les sorties du vendredi'), texts.join(' | '));
  await buttons[texts.indexOf('Un numéro de garde pour les sorties du vendredi')].click();
  await browser.waitUntil(async () => (await $('[data-testid=group-title]').getText().catch(() => '')) === 'Sorties du vendredi', { timeout: 5_000 });
});
