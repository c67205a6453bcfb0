// The accessibility check: the browser build over fictional data (`npm run build:mock`), in Debian's
// Chromium, every screen checked by axe-core; no serious or critical violation is allowed.
// Screenshots of each screen go to target/shots/browser-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve, extname } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const ui = resolve(import.meta.dirname, '..');
const dist = join(ui, 'dist-mock');
const shots = process.env.PROXI_SHOTS ?? join(ui, '..', 'target', 'shots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

let server;
let browser;
let page;
let base;

before(async () => {
  assert.ok(existsSync(join(dist, 'index.html')), 'run `npm run build:mock` first');
  mkdirSync(shots, { recursive: true });
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = join(dist, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dist) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(base);
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function check(name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  await page.screenshot({ path: join(shots, `browser-${name}.png`), fullPage: true });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${name}: ${JSON.stringify(bad, null, 1)}`);
}

test('every screen has no serious or critical accessibility violation', async () => {
  await page.waitForSelector('#passphrase');
  await check('unlock');
  await page.fill('#passphrase', 'demo');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=person-name]');
  await check('people');

  await page.click('[data-testid=new-person]');
  await page.waitForSelector('[data-testid=person-dialog]');
  await page.fill('[data-testid=first-name]', 'Zoé');
  await page.fill('[data-testid=postal-code]', '1090');
  await page.waitForSelector('[data-testid=proposal]');
  await check('new-person');
  await page.keyboard.press('Escape');

  await page.click('text=Hervé Exemple');
  await page.waitForSelector('[data-testid=plan-name]');
  await check('plan');

  // The hospital: a stay with its checklist open, the liaison sheet, a hospital's proposals.
  await page.click('[data-testid=stay-new]');
  await page.fill('[data-testid=stay-admitted]', '2026-11-20');
  await page.fill('[data-testid=stay-hospital]', 'Hôpital Fictif');
  await page.fill('[data-testid=stay-discharge-on]', '2026-11-28');
  await page.click('[data-testid=stay-save]');
  await page.click('[data-testid=stay-checklist-toggle]');
  await page.waitForSelector('[data-testid=check-homeNursing]');
  await page.click('[data-testid=receive-look]');
  await page.click('[data-testid=receive-read]');
  await page.waitForSelector('[data-testid=proposal]');
  await check('plan, hospital');
  // A concertation with a participant, two times and the availability grid.
  await page.click('[data-testid=concertation-new]');
  await page.click('[data-testid=concertation-create]');
  await page.selectOption('[data-testid=participant-pick]', 'person');
  await page.click('[data-testid=participant-add]');
  for (const when of ['2026-12-03T10:00', '2026-12-04T14:00']) {
    await page.fill('[data-testid=slot-input]', when);
    await page.click('[data-testid=slot-add]');
  }
  await page.waitForSelector('[data-testid=availability]');
  await page.click('[data-testid=can-come]');
  await page.waitForSelector('[data-testid=choose]');
  await page.click('[data-testid=choose]');
  await page.waitForSelector('[data-testid=invitation-text]');
  await page.click('[data-testid=meeting-hold]');
  await page.waitForSelector('[data-testid=meeting-presence]');
  await check('plan, concertation and its meeting');
  await page.click('[data-testid=nav-follow]');
  await page.waitForSelector('[data-testid=follow-in-hospital]');
  await check('follow-up, in hospital');
  await page.click('text=Hervé');
  await page.waitForSelector('[data-testid=plan-name]');

  await page.click('[data-testid=toggle-print]');
  await page.waitForSelector('[data-testid=printer]');
  await check('plan, printing');
  await page.click('[data-testid=toggle-guides]');
  await page.click('[data-testid=guide-open] >> nth=0');
  await page.waitForSelector('[data-testid=guide-view]');
  await check('plan, a Focus guide');

  await page.click('[data-testid=open-cards]');
  await page.waitForSelector('[data-testid=card-mode]');
  await page.click('[data-card=sleep]');
  await page.click('[data-card=family]');
  await check('cards');
  await page.click('[data-testid=cards-done]');
  await page.waitForSelector('[data-testid=drafts]');
  await page.click('[data-testid=toggle-history]');
  await check('plan-drafts');

  await page.click('[data-testid=nav-follow]');
  await page.waitForSelector('[data-testid=follow-actions]');
  await check('follow-up');

  await page.click('[data-testid=nav-directory]');
  await page.waitForSelector('[data-testid=directory-results] button');
  await page.fill('[data-testid=directory-search]', 'dettes');
  await page.click('[data-testid=directory-results] button');
  await page.waitForSelector('[data-testid=service-card]');
  await check('directory');
  await page.click('[data-testid=import-look]');
  await page.click('[data-testid=import-file]');
  await page.waitForSelector('[data-testid=import-missing]');
  await check('directory import');
  await page.click('[data-testid=community-open]');
  await page.fill('[data-testid=community-name]', 'Boulangerie Exemple');
  await page.click('[data-testid=community-add]');
  await page.waitForSelector('[data-testid=community-list] li');
  await check('community resources');
  await page.click('[data-testid=directory-guides]');
  await page.click('[data-testid=guide-import-look]');
  await page.click('[data-testid=guide-import-file] >> nth=0');
  await page.waitForSelector('[data-testid=guide-imported]');
  await check('Focus guides, a guide file imported');

  await page.click('[data-testid=nav-needs]');
  await page.waitForSelector('[data-testid=needs-table]');
  await page.selectOption('[data-testid=needs-level]', 'quartier');
  await page.waitForSelector('[data-testid=directory-map]');
  await check('needs');

  // A Diapason group with a member, a meeting, a recommendation and its follow-up.
  await page.click('[data-testid=nav-groups]');
  await page.click('[data-testid=group-new]');
  await page.fill('[data-testid=group-name]', 'Groupe Lanterne');
  await page.click('[data-testid=group-create]');
  await page.waitForSelector('[data-testid=group-title]');
  await page.fill('[data-testid=member-name]', 'Anna Fictive');
  await page.click('[data-testid=member-add]');
  await page.fill('[data-testid=meeting-date]', '2026-11-12');
  await page.click('[data-testid=meeting-add]');
  await page.waitForSelector('[data-testid=meeting-present]');
  await page.fill('[data-testid=recommendation-text]', 'Une permanence le vendredi soir');
  await page.click('[data-testid=recommendation-add]');
  await page.fill('[data-testid=follow-up-date]', '2026-11-20');
  await page.click('[data-testid=follow-up-add]');
  await page.waitForSelector('[data-testid=follow-up-done]');
  await check('group');
  await page.click('[data-testid=group-back]');
  await page.waitForSelector('[data-testid=groups]');
  await check('groups');

  await page.click('[data-testid=nav-team]');
  await page.waitForSelector('[data-testid=team-code]');
  await check('team, not joined');
  await page.fill('[data-testid=team-code]', 'http://relais.exemple#ABCD-EFGH');
  await page.fill('[data-testid=team-name]', 'Bert (Exemple)');
  await page.click('text=Rejoindre l’équipe');
  await page.waitForSelector('[data-testid=team-members]');
  await page.click('[data-testid=sync-now]');
  await page.waitForSelector('[data-testid=sync-badge]');
  await page.click('[data-testid=team-invite]');
  await page.waitForSelector('[data-testid=team-invitation]');
  await check('team, synced');
  await page.click('[data-testid=team-remove]');
  await page.waitForSelector('[data-testid=remove-dialog]');
  await check('team, removing a computer');
});

test('the first run and the settings have no serious or critical accessibility violation', async () => {
  await page.goto(`${base}?first-run`);
  await page.waitForSelector('[data-testid=first-create]');
  await check('first-run');
  await page.click('[data-testid=first-create]');
  await page.fill('#author', 'Marie Exemple');
  await page.fill('#new-passphrase', 'soleil');
  await page.fill('#again-passphrase', 'soleil');
  await page.click('[data-testid=create-store]');
  await page.waitForSelector('[data-testid=passphrase-problem]');
  await check('first-run, weak passphrase');
  await page.fill('#new-passphrase', 'girafe sous la pluie verte');
  await page.fill('#again-passphrase', 'girafe sous la pluie verte');
  await page.click('[data-testid=create-store]');
  await page.waitForSelector('[data-testid=recovery-key]');
  await check('first-run, recovery key');
  await page.fill('#last-group', '3C4D');
  await page.click('[data-testid=recovery-kept]');
  await page.waitForSelector('[data-testid=new-person]');
  await page.click('[data-testid=nav-settings]');
  await page.waitForSelector('[data-testid=backup-folder]');
  await page.click('[data-testid=backup-now]');
  await page.waitForSelector('[data-testid=backup-done]');
  await check('settings and backups');
});
