// The real desktop window, driven through WebDriver (tauri-driver + WebKitWebDriver) under Xvfb:
// unlock a demo store with its passphrase and see the demo people; search them without accents.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { demoStore, openWindow, root, shots, startDriver, cleanUp } from './support.mjs';

let dir;
let driver;
let browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'proxi-e2e-'));
  const store = join(dir, 'proxi.db');
  demoStore(store, 'demo passphrase');
  // The app reads its store from the environment, and is *not* given the passphrase: it must ask.
  // The window locks itself after 8 s without activity (5 minutes by default).
  driver = await startDriver(4444, { PROXI_STORE: store, PROXI_SHEETS_DIR: join(dir, 'sheets'), PROXI_IDLE_SECONDS: '8' });
  browser = await openWindow(4444);
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  driver?.kill();
  await cleanUp(dir);
});

test('the window asks for the passphrase, refuses a wrong one, then lists the demo people', async () => {
  const field = await browser.$('#passphrase');
  await field.waitForDisplayed({ timeout: 20_000 });
  await field.setValue('not the passphrase');
  await browser.$('button[type=submit]').click();
  const alert = await browser.$('[role=alert]');
  await alert.waitForDisplayed({ timeout: 10_000 });
  assert.match(await alert.getText(), /n’ouvre pas les données/);

  await field.clearValue();
  await field.setValue('demo passphrase');
  await browser.$('button[type=submit]').click();
  await browser.$('[data-testid=person-name]').waitForDisplayed({ timeout: 20_000 });
  const names = await browser.$$('[data-testid=person-name]').map((e) => e.getText());
  assert.equal(names.length, 24);
  assert.ok(names.includes('Hervé Exemple'), names.join(', '));
  assert.ok(names.includes('Ayşe Örnek'), names.join(', '));
  await browser.saveScreenshot(join(shots, 'people.png'));

  await browser.$('[data-testid=search]').setValue('herve');
  await browser.waitUntil(async () => (await browser.$$('[data-testid=person-name]').length) === 1, { timeout: 10_000 });
  assert.equal(await browser.$('[data-testid=person-name]').getText(), 'Hervé Exemple');

  // Print Hervé's sheet: a PDF lands in the sheets folder and the window says where.
  await browser.$('[data-testid=print]').click();
  const notice = await browser.$('[data-testid=notice]');
  await browser.waitUntil(async () => (await notice.getText()).includes('La fiche est enregistrée'), { timeout: 10_000 });
  const files = readdirSync(join(dir, 'sheets'));
  assert.equal(files.length, 1, files.join(', '));
  assert.match(files[0], /^Hervé \d{4}-\d{2}-\d{2} [0-9a-f]{4}\.pdf$/);
  assert.equal(readFileSync(join(dir, 'sheets', files[0])).subarray(0, 5).toString(), '%PDF-');
  assert.ok((await notice.getText()).includes(files[0]));
  await browser.saveScreenshot(join(shots, 'printed.png'));
});

test('the directory of the demo store answers as the referent types, and a service card opens', async () => {
  await browser.$('[data-testid=nav-directory]').click();
  const search = await browser.$('[data-testid=directory-search]');
  await search.waitForDisplayed({ timeout: 10_000 });
  const count = browser.$('[data-testid=directory-count]');
  // The demo store's 300 fictional services, indexed in the core (tantivy) and shown before any word.
  await browser.waitUntil(async () => (await count.getText()) === '300 services', { timeout: 20_000 });
  await search.setValue('douleurs');
  await browser.waitUntil(async () => (await count.getText()) !== '300 services', { timeout: 10_000 });
  const names = await browser.$$('[data-testid=directory-results] strong').map((e) => e.getText());
  assert.ok(names.length > 3, names.join(', '));
  // A plural finds the singular, and services named for it come first.
  for (const name of names.slice(0, 3)) assert.match(name, /douleur/i);
  // The map of the 145 quartiers, shaded where the services found are.
  const map = browser.$('[data-testid=directory-map] svg');
  await map.waitForDisplayed({ timeout: 10_000 });
  assert.equal((await browser.$$('[data-testid=directory-map] path[data-code]')).length, 145);
  // The five bassins drawn over them, each with its name.
  assert.deepEqual(
    await browser.$$('[data-testid=directory-map] path[data-bassin]').map((p) => p.getAttribute('data-bassin')),
    ['nord', 'nordEst', 'centreOuest', 'sud', 'sudEst'],
  );
  const mapText = await browser.execute(() => document.querySelector('[data-testid=directory-map] svg').textContent);
  for (const name of ['Nord', 'Nord-Est', 'Centre-Ouest', 'Sud', 'Sud-Est']) assert.ok(mapText.includes(name), name);
  assert.match(await map.getAttribute('aria-label'), /^Carte des quartiers de Bruxelles\s: \d+ quartiers? (a|ont) des services trouvés$/);
  await browser.execute(() => document.querySelector('[data-testid=directory-map]').scrollIntoView({ block: 'center' }));
  await browser.pause(300);
  await browser.saveScreenshot(join(shots, 'directory-map.png'));
  await browser.execute(() => window.scrollTo(0, 0));
  await browser.$('[data-testid=directory-results] button').click();
  const card = browser.$('[data-testid=service-card]');
  await card.waitForDisplayed({ timeout: 10_000 });
  const text = await card.getText();
  assert.match(text, /Téléphone/);
  assert.match(text, /\+32 2 555/);
  assert.match(text, /Heures d’ouverture/);
  // Beside the card, where the service is: its quartier pointed at, said in words too.
  await browser.$('[data-testid=map-mark-service]').waitForExist({ timeout: 5_000 });
  assert.match(await browser.$('[data-testid=map-marks-said]').getText(), /: quartier .+, bassin (Nord|Nord-Est|Centre-Ouest|Sud|Sud-Est)\./);
  await browser.saveScreenshot(join(shots, 'directory.png'));
});

test('a Brussels services list found in the files comes into the directory, with what was missing said', async () => {
  // A Brussels services list as exports write it, where files arrive (its name says nothing of it).
  mkdirSync(join(dir, 'sheets'), { recursive: true });
  const list = 'liste-services-bruxelles-2026.json';
  copyFileSync(join(root, 'tests', 'fixtures', 'hsds-be', list), join(dir, 'sheets', list));
  await browser.$('[data-testid=import-look]').scrollIntoView();
  await browser.$('[data-testid=import-look]').click();
  const files = browser.$('[data-testid=import-files]');
  await files.waitForDisplayed({ timeout: 10_000 });
  const rows = await files.$$('li');
  const names = await rows.map((r) => r.getText());
  const at = names.findIndex((n) => n.includes('liste-services-bruxelles-2026.json'));
  assert.ok(at >= 0, names.join(' | '));
  await rows[at].$('[data-testid=import-file]').click();
  const report = browser.$('[data-testid=import-report]');
  await report.waitForDisplayed({ timeout: 20_000 });
  const text = (await report.getText()).replace(/\s+/g, ' ');
  assert.match(text, /Annuaire mis à jour\s?: ajoutées \d+, mises à jour 0\. 303 services dans l’annuaire\./);
  assert.match(text, /son contenu le dit\s?: Services/);
  // (WebKit gives a table's text without spaces between its cells.)
  assert.match(text, /Adresses\s*state_province\s*3\s*complété\s?: BE-BRU/);
  assert.match(text, /Organisations\s*description\s*3\s*laissé vide/);
  await browser.execute(() => document.querySelector('[data-testid=import-report]').scrollIntoView({ block: 'center' }));
  await browser.pause(400);
  await browser.saveScreenshot(join(shots, 'directory-import.png'));
  // A community resource of the team, beside the directory and not in it.
  await browser.$('[data-testid=community-open]').click();
  await browser.$('[data-testid=community-name]').setValue('Boulangerie Exemple');
  await browser.execute(() => {
    const s = document.querySelector('[data-testid=community-quartier]');
    s.value = '8';
    s.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await browser.$('[data-testid=community-offers]').setValue('Garde un œil le matin');
  await browser.$('[data-testid=community-add]').click();
  await browser.waitUntil(async () => (await browser.$('[data-testid=community-list]').getText()).includes('Boulangerie Exemple'), { timeout: 5_000 });
  assert.match(await browser.$('[data-testid=community-list]').getText(), /Marolles/);
  await browser.execute(() => document.querySelector('[data-testid=community-list]').scrollIntoView({ block: 'center' }));
  await browser.pause(300);
  await browser.saveScreenshot(join(shots, 'community.png'));
  // The new services are found at once.
  await browser.execute(() => window.scrollTo(0, 0));
  const search = await browser.$('[data-testid=directory-search]');
  await search.clearValue();
  await search.setValue('permanence sociale canal');
  await browser.waitUntil(async () => (await browser.$$('[data-testid=directory-results] strong').map((e) => e.getText())).includes('Permanence sociale du Canal (fictif)'), {
    timeout: 10_000,
  });
});

test('the bassin’s needs: counts by card and bassin with small ones hidden, the quartier map, the CSV, and no one named', async () => {
  await browser.execute(() => window.scrollTo(0, 0));
  await browser.$('[data-testid=nav-needs]').click();
  const table = browser.$('[data-testid=needs-table]');
  await table.waitForDisplayed({ timeout: 10_000 });
  const select = async (testid, value) => {
    await browser.execute(
      (id, v) => {
        const s = document.querySelector(`[data-testid=${id}]`);
        s.value = v;
        s.dispatchEvent(new Event('change', { bubbles: true }));
      },
      testid,
      value,
    );
    await browser.pause(400);
  };
  await select('needs-kind', 'difficulties');
  await select('needs-length', 'quarter');
  await browser.waitUntil(async () => (await table.getText()).includes('Total'), { timeout: 5_000 });
  const text = await browser.$('main').getText();
  assert.match(text, /Période 20\d\d-Q[1-4]/);
  assert.ok(text.includes('•'), 'small counts are hidden');
  // No demo person's name anywhere on the screen.
  for (const name of ['Hervé', 'Andrée', 'Exemple', 'Spécimen']) assert.ok(!text.includes(name), name);
  await browser.saveScreenshot(join(shots, 'needs.png'));
  await select('needs-level', 'quartier');
  await browser.$('[data-testid=directory-map] svg').waitForDisplayed({ timeout: 5_000 });
  await browser.$('[data-testid=needs-csv]').click();
  const saved = browser.$('[data-testid=needs-saved]');
  await saved.waitForDisplayed({ timeout: 5_000 });
  const csv = readFileSync((await saved.getText()).match(/: (\/.+\.csv)/)[1], 'utf8');
  assert.match(csv, /^period,kind,code,level,place,count,hidden,k\n/);
  for (const name of ['Hervé', 'Andrée', 'Exemple', 'Spécimen']) assert.ok(!csv.includes(name), name);
  for (const line of csv.trim().split('\n').slice(1)) {
    const count = line.split(',')[5];
    assert.ok(count === '' || Number(count) === 0 || Number(count) >= 5, line);
  }
});

test('a Focus guide opened from a plan lists the services of the person’s bassin first, and its PDF is looked at', async () => {
  await browser.execute(() => window.scrollTo(0, 0));
  await browser.$('[data-testid=nav-people]').click();
  await browser.$('button[aria-label="Ouvrir le plan de Hervé Exemple"]').click();
  await browser.$('[data-testid=plan-name]').waitForDisplayed({ timeout: 10_000 });
  await browser.$('[data-testid=toggle-guides]').click();
  const list = browser.$('[data-testid=guide-list]');
  await list.waitForDisplayed({ timeout: 10_000 });
  assert.deepEqual(await list.$$('[data-testid=guide-open] strong').map((e) => e.getText()), [
    'Focus diabète',
    'Focus santé mentale',
    'Focus soins palliatifs et fin de vie',
  ]);
  await browser.$('[data-testid=guide-open]').click();
  const view = browser.$('[data-testid=guide-view]');
  await view.waitForDisplayed({ timeout: 10_000 });
  // Hervé lives in 1000 Bruxelles: the Centre-Ouest bassin's diabetes services first, the others folded.
  assert.equal(await browser.$('[data-testid=guide-near-title]').getText(), 'Dans le bassin Centre-Ouest');
  const near = await browser.$$('[data-testid=guide-near] li').map((li) => li.getText());
  assert.ok(near.length > 0);
  const text = await view.getText();
  assert.match(text, /Ce qui est remboursé/);
  assert.match(text, /Ailleurs à Bruxelles \(\d+\)/);
  await browser.execute(() => document.querySelector('[data-testid=guide-view]').scrollIntoView({ block: 'start' }));
  await browser.pause(300);
  await browser.saveScreenshot(join(shots, 'guide.png'));
  await browser.$('[data-testid=guide-print]').click();
  const saved = browser.$('[data-testid=guide-saved]');
  await saved.waitForDisplayed({ timeout: 10_000 });
  const pdf = (await saved.getText()).match(/: (\/.+\.pdf)/)[1];
  execFileSync('qpdf', ['--check', pdf]);
  const words = execFileSync('pdftotext', [pdf, '-']).toString().replace(/\s+/g, ' ').replaceAll('\u202f', ' ');
  assert.ok(words.includes('Focus diabète'), words);
  assert.ok(words.includes('Près de chez vous — bassin Centre-Ouest'), words);
  const first = near[0].split('\n')[0];
  assert.ok(words.includes(first), `${first} in ${words}`);
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', pdf, join(shots, 'guide-fr')]);
  // From the plan, the directory points at the person's quartier on the map, and at a service's.
  await browser.$('[data-testid=toggle-guides]').click();
  await browser.execute(() => {
    const s = document.querySelector('[data-testid=action-who]');
    s.value = 'service';
    s.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await browser.$('[data-testid=pick-service]').click();
  const dialog = browser.$('[data-testid=service-dialog]');
  await dialog.waitForDisplayed({ timeout: 10_000 });
  await dialog.$('[data-testid=map-mark-person]').waitForExist({ timeout: 10_000 });
  assert.match(await dialog.$('[data-testid=map-marks-said]').getText(), /La personne\s: quartier Marolles, bassin Centre-Ouest\./);
  await dialog.$('[data-testid=directory-results] button').click();
  await dialog.$('[data-testid=map-mark-service]').waitForExist({ timeout: 10_000 });
  await browser.execute(() => document.querySelector('[data-testid=service-dialog] [data-testid=directory-map]').scrollIntoView({ block: 'center' }));
  await browser.pause(300);
  await browser.saveScreenshot(join(shots, 'directory-person.png'));
  await browser.keys('Escape');
});

test('the window locks on demand and after the idle time, and neither the list nor the open plan stays visible', async () => {
  await browser.$('[data-testid=lock]').click();
  const field = await browser.$('#passphrase');
  await field.waitForDisplayed({ timeout: 10_000 });
  assert.equal((await browser.$$('[data-testid=person-name]')).length, 0);
  assert.ok(!(await browser.getPageSource()).includes('Hervé'), 'a name is still in the page');

  await field.setValue('demo passphrase');
  await browser.$('button[type=submit]').click();
  await browser.$('[data-testid=person-name]').waitForDisplayed({ timeout: 20_000 });
  // Open Hervé's plan, then hands off the keyboard and mouse: after 8 s the window locks itself.
  await browser.$('button[aria-label="Ouvrir le plan de Hervé Exemple"]').click();
  await browser.$('[data-testid=plan-name]').waitForDisplayed({ timeout: 10_000 });
  assert.equal(await browser.$('[data-testid=plan-name]').getText(), 'Hervé');
  await browser.pause(10_000);
  assert.ok(await browser.$('#passphrase').isDisplayed(), 'not locked after the idle time');
  assert.match(await browser.$('.unlock').getText(), /verrouillé après un moment sans activité/);
  assert.ok(!(await browser.getPageSource()).includes('Hervé'), 'a name is still in the page');
  await browser.saveScreenshot(join(shots, 'locked.png'));
});
