// The person's language, in the real window (WebDriver under Xvfb), on a demo store: a person whose
// name is written in Arabic, who speaks Arabic and Moroccan Arabic and needs an interpreter. The plan
// says so at the top and proposes the directory's interpreting services; one click plans the booking;
// the sheet is printed in Arabic (read back with pdftotext, its fonts with pdffonts); her record,
// written in French, Dutch or English only, comes in the window's language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoStore, openWindow, screenshot, startDriver, unlock, cleanUp } from './support.mjs';

const PASSPHRASE = 'languages passphrase';
const PORT = 4494;
let dir;
let driver;
let browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'proxi-languages-'));
  const store = join(dir, 'proxi.db');
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

test('a person who speaks Arabic and needs an interpreter: the interpreting service proposed, the Arabic sheet printed', async () => {
  const name = 'سميرة';
  await browser.$('[data-testid=new-person]').click();
  const first = await browser.$('[data-testid=first-name]');
  await first.waitForDisplayed({ timeout: 10_000 });
  await first.setValue(name);
  await browser.$('input[data-lang=ar]').click();
  // Any language of ISO 639, found as one types.
  await browser.$('[data-testid=language-search]').setValue('maroc');
  const moroccan = await browser.$('[data-testid=language-option][data-code=ary]');
  await moroccan.waitForDisplayed({ timeout: 5_000 });
  await moroccan.click();
  await browser.$('[data-testid=other-languages]').waitForDisplayed({ timeout: 5_000 });
  await browser.$('[data-testid=interpreter]').click();
  await browser.$('[data-testid=create-person]').click();
  await browser.$('[data-testid=person-dialog]').waitForExist({ reverse: true, timeout: 10_000 });
  await browser.waitUntil(async () => (await browser.$('[data-testid=plan-name]').getText()) === name, { timeout: 10_000 });

  // At the top: the need, and the interpreting services of the directory for Arabic.
  const panel = await browser.$('[data-testid=interpreter-panel]');
  await panel.waitForDisplayed({ timeout: 10_000 });
  assert.match(await panel.$('h2').getText(), /interprète\s: arabe, arabe marocain/);
  await browser.waitUntil(async () => (await browser.$$('[data-testid=interpreter-service]')).length > 0, {
    timeout: 10_000,
    timeoutMsg: 'no interpreting service proposed',
  });
  const service = await browser.$$('[data-testid=interpreter-service]')[0].getText();
  assert.match(service, /nterprétariat/);
  await screenshot(browser, 'interpreter.png');
  await browser.$$('[data-testid=book-interpreter]')[0].click();
  const actions = async () => {
    const texts = [];
    for (const e of await browser.$$('[data-testid=action-what]')) texts.push(await e.getText());
    return texts;
  };
  await browser.waitUntil(async () => (await actions()).some((w) => w.startsWith('Réserver un·e interprète (arabe, arabe marocain)')), {
    timeout: 10_000,
    timeoutMsg: 'the booking is not an agreed action',
  });

  // The sheet: Arabic, the first of her languages the sheet speaks.
  await browser.$('[data-testid=toggle-print]').click();
  const select = await browser.$('[data-testid=sheet-lang]');
  await select.waitForDisplayed({ timeout: 10_000 });
  await browser.waitUntil(async () => (await select.getValue()) === 'ar', { timeout: 10_000, timeoutMsg: 'the sheet is not in Arabic' });
  await browser.$('[data-testid=sheet-preview]').click();
  const sheets = join(dir, 'sheets');
  let saved;
  await browser.waitUntil(
    () => {
      saved = existsSync(sheets) ? readdirSync(sheets).find((n) => n.endsWith(' ar.pdf')) : undefined;
      return saved !== undefined;
    },
    { timeout: 20_000, timeoutMsg: 'no Arabic sheet saved' },
  );
  await browser.pause(500);
  const pdf = join(sheets, saved);
  const text = execFileSync('pdftotext', [pdf, '-']).toString();
  for (const piece of [name, 'ما يهمني', 'ما اتفقنا عليه', 'Réserver']) assert.ok(text.includes(piece), `${piece} on the sheet:\n${text}`);
  const fonts = execFileSync('pdffonts', [pdf]).toString();
  assert.match(fonts, /NotoSansArabic/);

  // Her record, which exists in French, Dutch and English only: in the window's language, French.
  await browser.$('[data-testid=toggle-rights]').click();
  await browser.$('[data-testid=export-all]').click();
  const exported = await browser.$('[data-testid=exported]');
  await exported.waitForDisplayed({ timeout: 10_000 });
  const record = await browser.$$('[data-testid=exported] .path')[0].getText();
  const recordText = execFileSync('pdftotext', [record, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert.match(recordText, /Ce qui a été noté et changé/);
  assert.ok(recordText.includes(name), 'her name in the record');
});

test('the people list and a plan in Dutch, as a Flemish colleague reads them', async () => {
  await browser.$('[data-testid=language]').selectByAttribute('value', 'nl');
  await browser.$('[data-testid=nav-people]').click();
  await browser.waitUntil(async () => (await browser.$('h1').getText()) === 'Begeleide personen', { timeout: 10_000 });
  assert.equal(await browser.$('[data-testid=filter-bassin] option').getText(), 'Alle zorgzones');
  await screenshot(browser, 'people-nl.png');
  const button = await browser.$('button[aria-label="Het plan van Hervé Exemple openen"]');
  await button.waitForDisplayed({ timeout: 10_000 });
  await button.click();
  await browser.$('[data-testid=plan-name]').waitForDisplayed({ timeout: 10_000 });
  const headings = [];
  for (const h of await browser.$$('h2')) headings.push(await h.getText());
  for (const heading of ['Wat voor mij belangrijk is', 'Wat we afgesproken hebben']) assert.ok(headings.includes(heading), `${heading} in ${headings.join(' | ')}`);
  await screenshot(browser, 'plan-nl.png');
  await browser.$('[data-testid=language]').selectByAttribute('value', 'fr');
});
