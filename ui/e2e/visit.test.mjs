// The home visit on the real desktop window (WebDriver under Xvfb), in French and once in Dutch:
// create a person, pick three picture cards, word them as priorities, reorder them, agree on an action
// with a due date, close the app, start it again: everything is still there.
// Screenshots for the README: people list, plan, picture-card mode, follow-up list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoStore, openWindow, setDate, screenshot, startDriver, unlock, cleanUp } from './support.mjs';

const PASSPHRASE = 'visit passphrase';
const PORT = 4454;
let dir;
let driver;
let browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'proxi-visit-'));
  const store = join(dir, 'proxi.db');
  demoStore(store, PASSPHRASE);
  // Every place the app and its web view may write goes under `dir`, so the last test can read it all.
  driver = await startDriver(PORT, {
    PROXI_STORE: store,
    PROXI_SHEETS_DIR: join(dir, 'sheets'),
    XDG_DATA_HOME: join(dir, 'xdg', 'data'),
    XDG_CACHE_HOME: join(dir, 'xdg', 'cache'),
    XDG_CONFIG_HOME: join(dir, 'xdg', 'config'),
    XDG_STATE_HOME: join(dir, 'xdg', 'state'),
  });
  browser = await openWindow(PORT);
  await unlock(browser, PASSPHRASE);
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  driver?.kill();
  await cleanUp(dir);
});

const shot = (name, top = true) => screenshot(browser, name, top);

function files(path) {
  return statSync(path).isDirectory() ? readdirSync(path).flatMap((name) => files(join(path, name))) : [path];
}

const texts = async (selector) => browser.$$(selector).map((e) => e.getText());
const values = async (selector) => browser.$$(selector).map((e) => e.getValue());

// In three weeks: always in the future, whatever day the suite runs.
function inThreeWeeks() {
  const d = new Date();
  d.setDate(d.getDate() + 21);
  return d.toISOString().slice(0, 10);
}

/** The whole flow in one language; `words` are what the person says, `t` the screen's words. */
async function visit({ lang, firstName, words, action, t, shoot }) {
  await browser.$(`[data-testid=language]`).selectByAttribute('value', lang);
  await browser.$(`[data-testid=nav-people]`).click();
  await browser.$('h1=' + t.people).waitForDisplayed({ timeout: 10_000 });
  if (shoot) await shot('people-list.png');

  // A new person; the postal code proposes the commune and the bassin.
  await browser.$('[data-testid=new-person]').click();
  await browser.$('[data-testid=first-name]').setValue(firstName);
  await browser.$('[data-testid=postal-code]').setValue('1090');
  const proposal = await browser.$('[data-testid=proposal]');
  await proposal.waitForDisplayed({ timeout: 5_000 });
  assert.equal(await proposal.getText(), t.proposal);
  assert.equal(await browser.$('[data-testid=commune]').getValue(), 'Jette');
  await browser.$(`[data-lang=${lang}]`).click();
  await browser.$('[data-testid=create-person]').click();
  await browser.$('h1=' + firstName).waitForDisplayed({ timeout: 10_000 });

  // Three picture cards, picked on the full-screen grid.
  await browser.$('[data-testid=open-cards]').click();
  await browser.$('[data-testid=card-mode]').waitForDisplayed({ timeout: 5_000 });
  for (const card of ['sleep', 'family', 'pain']) await browser.$(`[data-card=${card}]`).click();
  if (shoot) await shot('picture-cards.png', false);
  await browser.$('[data-testid=cards-done]').click();
  await browser.$('[data-testid=drafts]').waitForDisplayed({ timeout: 5_000 });

  // Each card worded with the person, as a priority (the default kind).
  for (const w of words) {
    await browser.$('[data-testid=draft-words]').setValue(w);
    await browser.$('[data-testid=draft-save]').click();
    await browser.waitUntil(async () => (await values('[data-testid=priorities-words]')).includes(w), { timeout: 5_000 });
  }
  assert.deepEqual(await values('[data-testid=priorities-words]'), words);

  // The third matters most: up twice, once by button and once by keyboard (Alt + ↑).
  await browser.$$('[data-testid=priorities-up]')[2].click();
  await browser.waitUntil(async () => (await values('[data-testid=priorities-words]'))[1] === words[2], { timeout: 5_000 });
  await browser.$$('[data-testid=priorities-words]')[1].click();
  await browser.keys(['Alt', 'ArrowUp']);
  const ranked = [words[2], words[0], words[1]];
  await browser.waitUntil(async () => JSON.stringify(await values('[data-testid=priorities-words]')) === JSON.stringify(ranked), {
    timeout: 5_000,
    timeoutMsg: 'Alt + ↑ did not move the priority',
  });

  // An agreed action with a due date.
  await browser.$('[data-testid=action-what-input]').setValue(action);
  await setDate(browser, '[data-testid=action-due-input]', inThreeWeeks());
  await browser.$('[data-testid=action-add-button]').click();
  await browser.$('[data-testid=action-what]').waitForDisplayed({ timeout: 5_000 });
  assert.deepEqual(await texts('[data-testid=action-what]'), [action]);
  assert.equal(await browser.$('[data-testid=save-status]').getText(), t.saved);
  if (shoot) await shot('plan.png');
  return ranked;
}

async function reopenAndCheck({ firstName, ranked, action, lang, t }) {
  // Close the app (the session ends the process) and start it again: a new process, a new unlock.
  await browser.deleteSession();
  browser = await openWindow(PORT);
  await unlock(browser, PASSPHRASE);
  await browser.$(`[data-testid=language]`).selectByAttribute('value', lang);
  await browser.$('[data-testid=search]').setValue(firstName);
  await browser.waitUntil(async () => (await texts('[data-testid=person-name]')).length === 1, { timeout: 10_000 });
  await browser.$('[data-testid=person-name]').click();
  await browser.$('h1=' + firstName).waitForDisplayed({ timeout: 10_000 });
  assert.deepEqual(await values('[data-testid=priorities-words]'), ranked);
  assert.deepEqual(await texts('[data-testid=action-what]'), [action]);
  assert.match(await browser.$('[data-testid=action-due]').getText(), t.dueWords);
}

test('a home visit in French: cards, priorities, order, an action; all there after a restart', async () => {
  const flow = {
    lang: 'fr',
    firstName: 'Zoé',
    words: ['Dormir toute la nuit', 'Voir ma fille le dimanche', 'Moins mal au dos'],
    action: 'Demander un matelas adapté à la mutuelle',
    t: {
      people: 'Personnes accompagnées',
      proposal: 'Proposé : Jette, bassin Nord. Vérifiez avec la personne.',
      saved: 'Enregistré',
      dueWords: /^\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}$/,
    },
    shoot: true,
  };
  const ranked = await visit(flow);
  await reopenAndCheck({ ...flow, ranked });

  // The follow-up list across everyone (the demo has overdue actions and reviews due).
  await browser.$('[data-testid=nav-follow]').click();
  await browser.$('[data-testid=follow-actions]').waitForDisplayed({ timeout: 10_000 });
  assert.ok((await texts('[data-testid=follow-actions] li')).length > 0);
  await shot('follow-up.png');
});

const french = ['Zoé', 'Dormir toute la nuit', 'Voir ma fille le dimanche', 'Moins mal au dos', 'Demander un matelas adapté à la mutuelle'];
const dutch = ['Wout', 'Zelf boodschappen doen', 'Mijn kleinkinderen zien', 'Minder pijn in de knie', 'De huisarts bellen voor een nieuw voorschrift'];

test('the same visit in Dutch', async () => {
  const flow = {
    lang: 'nl',
    firstName: 'Wout',
    words: ['Zelf boodschappen doen', 'Mijn kleinkinderen zien', 'Minder pijn in de knie'],
    action: 'De huisarts bellen voor een nieuw voorschrift',
    t: {
      people: 'Begeleide personen',
      proposal: 'Voorstel: Jette, zorgzone Noord. Controleer het met de persoon.',
      saved: 'Opgeslagen',
      dueWords: /^\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) \d{4}$/,
    },
    shoot: false,
  };
  const ranked = await visit(flow);
  await reopenAndCheck({ ...flow, ranked });
});

test('locked, no file the app or its web view wrote holds a name or a word of these plans', async () => {
  await browser.$('[data-testid=lock]').click();
  await browser.$('#passphrase').waitForDisplayed({ timeout: 10_000 });
  await browser.pause(500);
  const written = files(dir);
  assert.ok(written.some((f) => f.endsWith('proxi.db')), written.join(', '));
  assert.ok(written.some((f) => f.includes(join('xdg', 'data'))), `the web view wrote nothing under XDG_DATA_HOME: ${written.join(', ')}`);
  const hits = [];
  for (const file of written) {
    const bytes = readFileSync(file);
    for (const word of [...french, ...dutch]) {
      for (const encoding of ['utf8', 'utf16le']) {
        if (bytes.includes(Buffer.from(word, encoding))) hits.push(`${word} (${encoding}) in ${file}`);
      }
    }
  }
  assert.deepEqual(hits, [], `plaintext found while locked in ${written.length} files`);
});
