import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../App.svelte';
import { mockPlatform } from '../platform/mock';
import { demoPeople, demoPlatform } from '../platform/demo';

async function openApp(platform = mockPlatform(demoPeople, 'x', true)) {
  render(App, { platform });
  await waitFor(() => expect(screen.getAllByTestId('person-name').length).toBeGreaterThan(0));
  return platform;
}

const priorities = () => screen.queryAllByTestId('priorities-words').map((e) => (e as HTMLInputElement).value);

describe('the home-visit flow', () => {
  afterEach(cleanup);

  it('creates a person: the postal code proposes commune and bassin, a missing name is explained', async () => {
    await openApp();
    await fireEvent.click(screen.getByTestId('new-person'));
    const dialog = await screen.findByTestId('person-dialog');
    await fireEvent.click(within(dialog).getByTestId('create-person'));
    await within(dialog).findByText('Écrivez comment la personne veut être appelée.');
    await fireEvent.input(within(dialog).getByTestId('first-name'), { target: { value: 'Zoé' } });
    await fireEvent.input(within(dialog).getByTestId('postal-code'), { target: { value: '1090' } });
    await within(dialog).findByText('Proposé : Jette, bassin Nord. Vérifiez avec la personne.');
    expect((within(dialog).getByTestId('commune') as HTMLInputElement).value).toBe('Jette');
    await fireEvent.click(within(dialog).getByTestId('create-person'));
    await screen.findByRole('heading', { name: 'Zoé', level: 1 });
  });

  it('turns three picked cards into priorities, reorders them by keyboard, and undoes the last edit', async () => {
    await openApp();
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir le plan de Jan Voorbeeld' }));
    await fireEvent.click(await screen.findByTestId('open-cards'));
    const grid = await screen.findByTestId('card-mode');
    for (const card of ['Sommeil', 'Famille', 'Douleur']) {
      await fireEvent.click(within(grid).getByRole('button', { name: card }));
    }
    expect(within(grid).getByRole('button', { name: 'Famille' }).getAttribute('aria-pressed')).toBe('true');
    await fireEvent.click(within(grid).getByTestId('cards-done'));
    const drafts = await screen.findByTestId('drafts');
    const words = within(drafts).getAllByTestId('draft-words');
    expect(words).toHaveLength(3);
    // A draft without words is not added, and says why.
    await fireEvent.click(within(drafts).getAllByTestId('draft-save')[0]);
    await within(drafts).findByText('Écrivez-le avec les mots de la personne.');
    for (const text of ['Dormir la nuit', 'Voir ma fille', 'Moins mal au dos']) {
      const field = within(screen.getByTestId('drafts')).getAllByTestId('draft-words')[0];
      await fireEvent.input(field, { target: { value: text } });
      await fireEvent.click(within(screen.getByTestId('drafts')).getAllByTestId('draft-save')[0]);
      await waitFor(() => expect(priorities()).toContain(text));
    }
    expect(screen.queryByTestId('drafts')).toBeNull();
    expect(priorities()).toEqual(['Dormir la nuit', 'Voir ma fille', 'Moins mal au dos']);

    const third = screen.getAllByTestId('priorities-words')[2];
    await fireEvent.keyDown(third, { key: 'ArrowUp', altKey: true });
    await waitFor(() => expect(priorities()).toEqual(['Dormir la nuit', 'Moins mal au dos', 'Voir ma fille']));
    await fireEvent.click(screen.getAllByTestId('priorities-up')[1]);
    await waitFor(() => expect(priorities()).toEqual(['Moins mal au dos', 'Dormir la nuit', 'Voir ma fille']));

    await fireEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(priorities()).toEqual(['Dormir la nuit', 'Moins mal au dos', 'Voir ma fille']));
    await screen.findByText('Modification annulée : Priorités réordonnées');
  });

  it('reorders by dragging one priority onto another', async () => {
    await openApp(demoPlatform(true));
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir le plan de Hervé Exemple' }));
    await waitFor(() => expect(priorities()).toHaveLength(3));
    const rows = screen.getByTestId('priorities-list').querySelectorAll('li');
    await fireEvent.dragStart(rows[2]);
    await fireEvent.dragOver(rows[0]);
    await fireEvent.drop(rows[0]);
    await waitFor(() =>
      expect(priorities()).toEqual([
        'Moins de douleur au genou',
        'Rester chez moi le plus longtemps possible',
        'Revoir mes amis du club de cartes',
      ]),
    );
  });

  it('adds an agreed action with who and when, and refuses a date already past', async () => {
    await openApp();
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir le plan de Jan Voorbeeld' }));
    const form = await screen.findByTestId('action-add');
    await fireEvent.input(within(form).getByTestId('action-what-input'), { target: { value: 'Appeler la mutuelle' } });
    await fireEvent.change(within(form).getByTestId('action-who'), { target: { value: 'referent' } });
    await fireEvent.input(within(form).getByTestId('action-due-input'), { target: { value: '2020-01-01' } });
    await fireEvent.click(within(form).getByTestId('action-add-button'));
    await within(form).findByText('Cette date est déjà passée : choisissez aujourd’hui ou plus tard.');
    await fireEvent.input(within(form).getByTestId('action-due-input'), { target: { value: '2026-12-01' } });
    await fireEvent.click(within(form).getByTestId('action-add-button'));
    await screen.findByText('Appeler la mutuelle');
    expect(screen.getByTestId('action-due').textContent).toBe('1er décembre 2026');
    expect(screen.getByTestId('save-status').textContent).toBe('Enregistré');
  });

  it('lists what is overdue, due this week and to review, and opens the plan from there', async () => {
    await openApp(demoPlatform(true));
    await fireEvent.click(screen.getByTestId('nav-follow'));
    const actions = await screen.findByTestId('follow-actions');
    expect(within(actions).getByText('Appeler le club de cartes')).toBeTruthy();
    expect(within(actions).getByText('En retard depuis le 18 novembre 2026')).toBeTruthy();
    expect(within(actions).getByText('Pour le 26 novembre 2026')).toBeTruthy();
    const reviews = screen.getByTestId('follow-reviews');
    expect(within(reviews).getAllByRole('button').map((b) => b.textContent)).toEqual(['Hervé Exemple', 'Fatima Mithal']);
    await fireEvent.click(within(actions).getAllByRole('button')[0]);
    await screen.findByRole('heading', { name: 'Hervé', level: 1 });
  });

  it('filters the people by bassin, review due and overdue actions', async () => {
    await openApp(demoPlatform(true));
    const names = () => screen.queryAllByTestId('person-name').map((e) => e.textContent);
    await fireEvent.change(screen.getByTestId('filter-bassin'), { target: { value: 'nord' } });
    await waitFor(() => expect(names()).toEqual(['Jan Voorbeeld']));
    await fireEvent.change(screen.getByTestId('filter-bassin'), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('filter-overdue'));
    await waitFor(() => expect(names()).toEqual(['Hervé Exemple']));
    await fireEvent.click(screen.getByTestId('filter-overdue'));
    await fireEvent.click(screen.getByTestId('filter-review'));
    await waitFor(() => expect(names()).toEqual(['Hervé Exemple']));
  });

  it('records consent, refuses a date in the future, and shows who opened and printed the plan', async () => {
    const platform = await openApp(demoPlatform(true));
    await fireEvent.click(screen.getByRole('button', { name: 'Imprimer la fiche de Hervé Exemple' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir le plan de Hervé Exemple' }));
    const panel = await screen.findByTestId('consent');
    expect(panel.textContent).toContain('Pas encore de consentement noté');
    expect(panel.textContent).toContain('Ce plan ne quitte pas cet ordinateur.');
    await fireEvent.input(within(panel).getByTestId('consent-date'), { target: { value: '2099-01-01' } });
    await fireEvent.click(within(panel).getByTestId('consent-save'));
    await within(panel).findByText('Cette date est dans le futur : notez le jour où la personne a donné son accord.');
    await fireEvent.input(within(panel).getByTestId('consent-date'), { target: { value: '2026-11-20' } });
    await fireEvent.click(within(panel).getByTestId('consent-share'));
    await fireEvent.click(within(panel).getByTestId('consent-save'));
    await within(panel).findByText('Noté le 20 novembre 2026 par Test Referent.');
    expect(panel.textContent).toContain('Ce plan peut être partagé avec l’équipe.');
    expect((await platform.openPlan(demoPeople[0].id)).consent?.shareWithTeam).toBe(true);

    await fireEvent.click(screen.getByTestId('toggle-history'));
    const audit = await screen.findByTestId('audit');
    await waitFor(() => expect(within(audit).getAllByRole('listitem').map((li) => li.querySelector('strong')?.textContent)).toEqual(['Ouvert', 'Ouvert', 'Fiche imprimée']));
  });

  it('shows what changed since the last visit, with who and which device', async () => {
    await openApp(demoPlatform(true));
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir le plan de Hervé Exemple' }));
    await screen.findByRole('heading', { name: 'Hervé', level: 1 });
    await fireEvent.input(screen.getAllByTestId('review-date')[0], { target: { value: '2027-01-10' } });
    await fireEvent.change(screen.getAllByTestId('review-date')[0], { target: { value: '2027-01-10' } });
    await fireEvent.click(screen.getByTestId('toggle-history'));
    await screen.findByText('Depuis la dernière visite (14 octobre 2026)');
    const lists = await screen.findAllByTestId('history');
    expect(within(lists[0]).getByText('Date de révision changée')).toBeTruthy();
    expect(within(lists[0]).getByText(/Test Referent, ordinateur a1b2c3/)).toBeTruthy();
    expect(within(lists[1]).getByText('Personne créée')).toBeTruthy();
  });
});

describe('a long people list', () => {
  afterEach(cleanup);

  it('draws a page at a time and shows more on demand', async () => {
    const many = Array.from({ length: 130 }, (_, i) => ({
      ...demoPeople[0],
      id: `00000000-0000-7000-8000-${String(1000 + i).padStart(12, '0')}`,
      displayName: `Personne ${i}`,
      fullName: `Personne ${String(i).padStart(3, '0')} Exemple`,
    }));
    await openApp(mockPlatform(many, 'x', true));
    expect(screen.getByTestId('people-count').textContent).toBe('130 personnes');
    expect(screen.getAllByTestId('person-name')).toHaveLength(60);
    await fireEvent.click(screen.getByRole('button', { name: 'Afficher plus (70 autres)' }));
    await waitFor(() => expect(screen.getAllByTestId('person-name')).toHaveLength(120));
    await fireEvent.click(screen.getByTestId('more'));
    await waitFor(() => expect(screen.getAllByTestId('person-name')).toHaveLength(130));
    expect(screen.queryByTestId('more')).toBeNull();
  });
});

describe('everything made can be corrected', () => {
  afterEach(cleanup);

  const openHerve = async () => {
    const platform = await openApp(demoPlatform(true));
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir le plan de Hervé Exemple' }));
    await screen.findByRole('heading', { name: 'Hervé', level: 1 });
    return platform;
  };

  it('corrects a moved address and a wrong phone; a bad postal code is explained and nothing changes', async () => {
    const platform = await openHerve();
    await fireEvent.click(screen.getByTestId('edit-person'));
    const dialog = await screen.findByTestId('person-dialog');
    expect((within(dialog).getByTestId('postal-code') as HTMLInputElement).value).toBe('1070');
    await fireEvent.input(within(dialog).getByTestId('postal-code'), { target: { value: '99' } });
    await fireEvent.click(within(dialog).getByTestId('create-person'));
    await within(dialog).findByRole('alert');
    expect((await platform.openPlan(demoPeople[0].id)).person.address.postalCode).toBe('1070');
    await fireEvent.input(within(dialog).getByTestId('postal-code'), { target: { value: '1090' } });
    await within(dialog).findByText('Proposé : Jette, bassin Nord. Vérifiez avec la personne.');
    await fireEvent.click(within(dialog).getByTestId('create-person'));
    await waitFor(() => expect(screen.queryByTestId('person-dialog')).toBeNull());
    await screen.findByText(/1090 Jette/);
    expect((await platform.openPlan(demoPeople[0].id)).person.address.commune).toBe('Jette');
  });

  it('corrects an action’s due date, and asks how it went when it is done', async () => {
    const platform = await openHerve();
    const edits = screen.getAllByTestId('action-edit');
    await fireEvent.click(edits[0]);
    const form = await screen.findByTestId('action-fix');
    expect((within(form).getByTestId('fix-what') as HTMLInputElement).value).toBe('Appeler le club de cartes');
    // A date already passed is refused with its sentence.
    await fireEvent.input(within(form).getByTestId('fix-due'), { target: { value: '2020-01-01' } });
    await fireEvent.click(within(form).getByTestId('fix-save'));
    await within(form).findByRole('alert');
    await fireEvent.input(within(form).getByTestId('fix-due'), { target: { value: '2026-12-09' } });
    await fireEvent.click(within(form).getByTestId('fix-save'));
    await waitFor(() => expect(screen.queryByTestId('action-fix')).toBeNull());
    await screen.findByText('9 décembre 2026');
    // The history says what changed, old → new.
    await fireEvent.click(screen.getByTestId('toggle-history'));
    await screen.findByText('Action « Appeler le club de cartes » : échéance 18 novembre 2026 → 9 décembre 2026');

    const status = screen.getAllByTestId('action-status')[1] as HTMLSelectElement;
    await fireEvent.change(status, { target: { value: 'done' } });
    const closing = await screen.findByTestId('action-closing');
    await fireEvent.input(within(closing).getByTestId('action-outcome-input'), { target: { value: 'Le club l’attend jeudi' } });
    await fireEvent.click(within(closing).getByTestId('action-outcome-save'));
    await screen.findByText('Résultat : Le club l’attend jeudi');
    const plan = await platform.openPlan(demoPeople[0].id);
    const done = plan.plan.actions.find((a) => a.outcome !== '');
    expect(done?.status).toBe('done');
  });

  it('corrects a network member, gives them an email, removes another, and corrects a visit', async () => {
    const platform = await openHerve();
    const members = screen.getAllByTestId('member');
    await fireEvent.click(within(members[0]).getByRole('button', { name: 'Corriger « Dr Exemple »' }));
    const form = await screen.findByTestId('member-fix');
    await fireEvent.input(within(form).getByTestId('fix-member-phone'), { target: { value: '02 000 00 09' } });
    await fireEvent.input(within(form).getByLabelText('E-mail'), { target: { value: 'pas-un-email' } });
    await fireEvent.click(within(form).getByTestId('fix-save'));
    await within(form).findByRole('alert');
    await fireEvent.input(within(form).getByLabelText('E-mail'), { target: { value: 'dr@exemple.test' } });
    await fireEvent.click(within(form).getByTestId('fix-save'));
    await screen.findByText('dr@exemple.test');
    await fireEvent.click(screen.getByRole('button', { name: 'Retirer Inès Exemple du réseau' }));
    await waitFor(() => expect(screen.getAllByTestId('member-name').map((e) => e.textContent)).toEqual(['Dr Exemple']));
    // Undo brings her back.
    await fireEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(screen.getAllByTestId('member-name')).toHaveLength(2));

    await fireEvent.click(screen.getByTestId('visit-edit'));
    const visit = await screen.findByTestId('visit-fix');
    await fireEvent.input(within(visit).getByTestId('fix-visit-notes'), { target: { value: 'Visite à domicile, avec sa fille' } });
    await fireEvent.click(within(visit).getByTestId('fix-save'));
    await screen.findByText('Visite à domicile, avec sa fille');
    const plan = await platform.openPlan(demoPeople[0].id);
    expect(plan.plan.network.find((m) => m.name === 'Dr Exemple')?.phone).toBe('02 000 00 09');
  });

  it('a visit’s summary lists what was changed in the plan on its day, old → new', async () => {
    await openHerve();
    const visitForm = screen.getByRole('heading', { name: 'Visites' }).closest('section')!;
    await fireEvent.input(within(visitForm).getByLabelText('Notes'), { target: { value: 'Visite avec sa fille' } });
    await fireEvent.click(within(visitForm).getByRole('button', { name: 'Ajouter' }));
    await screen.findByText('Visite avec sa fille');
    await fireEvent.change(screen.getAllByTestId('review-date')[0], { target: { value: '2027-01-10' } });
    await screen.findByText('Enregistré');
    const summaries = screen.getAllByTestId('visit-summary');
    // Today's visit comes first; the one of 14 October saw no change made on its day.
    await fireEvent.click(within(summaries[0]).getByText('Ce qui a changé ce jour-là'));
    const today = await within(summaries[0]).findByTestId('visit-history');
    expect(within(today).getByText('Visite notée')).toBeTruthy();
    expect(within(today).getByText('Date de révision changée')).toBeTruthy();
    expect(today.textContent).toContain('10 janvier 2027');
    await fireEvent.click(within(summaries[1]).getByText('Ce qui a changé ce jour-là'));
    await within(summaries[1]).findByText('Rien n’a changé dans le plan ce jour-là.');
  });

  it('lets a priority go and keeps its review date through a rewording', async () => {
    const platform = await openHerve();
    await fireEvent.click(screen.getByText('Statut et date de révision de chaque priorité'));
    const reviews = screen.getAllByTestId('priority-review');
    await fireEvent.change(reviews[0], { target: { value: '2027-02-01' } });
    await waitFor(async () => expect((await platform.openPlan(demoPeople[0].id)).plan.priorities[0].reviewDate).toBe('2027-02-01'));
    const words = screen.getAllByTestId('priorities-words')[0];
    await fireEvent.input(words, { target: { value: 'Rester chez moi' } });
    await fireEvent.blur(words);
    await waitFor(async () => expect((await platform.openPlan(demoPeople[0].id)).plan.priorities[0].words).toBe('Rester chez moi'));
    expect((await platform.openPlan(demoPeople[0].id)).plan.priorities[0].reviewDate).toBe('2027-02-01');
    await fireEvent.change(screen.getAllByTestId('priority-status')[2], { target: { value: 'letGo' } });
    await waitFor(() => expect(priorities()).toEqual(['Rester chez moi', 'Revoir mes amis du club de cartes']));
  });

  it('archives a person out of the list, shows them with the switch, and restores them', async () => {
    await openHerve();
    await fireEvent.click(screen.getByTestId('archive-person'));
    await screen.findByTestId('archived-note');
    expect(screen.queryByTestId('edit-person')).toBeNull();
    await fireEvent.click(screen.getByTestId('back'));
    await waitFor(() => expect(screen.getAllByTestId('person-name').map((e) => e.textContent)).not.toContain('Hervé Exemple'));
    await fireEvent.click(screen.getByTestId('filter-archived'));
    await waitFor(() => expect(screen.getAllByTestId('person-name').map((e) => e.textContent)).toContain('Hervé Exemple'));
    expect(screen.getAllByTestId('archived-badge')).toHaveLength(1);
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir le plan de Hervé Exemple' }));
    await fireEvent.click(await screen.findByTestId('archive-person'));
    await waitFor(() => expect(screen.queryByTestId('archived-note')).toBeNull());
    expect(screen.getByTestId('edit-person')).toBeTruthy();
  });

  it('exports everything about the person, then erases them after the name is typed and asked twice', async () => {
    const platform = await openHerve();
    await fireEvent.click(screen.getByTestId('toggle-rights'));
    await fireEvent.click(await screen.findByTestId('export-all'));
    await waitFor(() => expect(screen.getByTestId('exported').textContent).toContain('Hervé dossier 2026-11-23.pdf'));
    await fireEvent.click(screen.getByTestId('erase-start'));
    const confirm = screen.getByTestId('erase-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('erase-name'), { target: { value: 'Herve' } });
    expect(confirm.disabled, 'the name must be typed as it is written').toBe(true);
    await fireEvent.input(screen.getByTestId('erase-name'), { target: { value: 'hervé' } });
    expect(confirm.disabled).toBe(false);
    await fireEvent.click(confirm);
    await screen.findByTestId('erase-sure');
    expect((await platform.listPeople({ text: '', includeArchived: true, bassin: null, reviewDue: false, overdue: false })).length).toBe(5);
    await fireEvent.click(screen.getByRole('button', { name: 'Oui, effacer Hervé pour toujours' }));
    await screen.findByText('« Hervé » est effacé de cet ordinateur.');
    await waitFor(() => expect(screen.getAllByTestId('person-name').map((e) => e.textContent)).not.toContain('Hervé Exemple'));
    const left = await platform.listPeople({ text: '', includeArchived: true, bassin: null, reviewDue: false, overdue: false });
    expect(left.map((p) => p.displayName)).not.toContain('Hervé');
  });

  it('a consent that refuses keeping the plan says when it will be erased', async () => {
    await openHerve();
    await fireEvent.input(screen.getByTestId('consent-date'), { target: { value: '2026-11-23' } });
    await fireEvent.click(screen.getByTestId('consent-keep'));
    await screen.findByTestId('consent-keep-help');
    await fireEvent.click(screen.getByTestId('consent-save'));
    await waitFor(() =>
      expect(screen.getByTestId('consent-erase-on').textContent).toContain('Proxi l’effacera le 23 décembre 2026'),
    );
  });

  it('follows an orientation step by step, asks the appointment’s date, and lists the ones that do not move', async () => {
    const platform = await openHerve();
    const opens = screen.getAllByTestId('orientation-open');
    await fireEvent.click(opens[0]);
    const form = await screen.findByTestId('orientation-form');
    await fireEvent.change(within(form).getByTestId('orientation-select'), { target: { value: 'appointment' } });
    await fireEvent.click(within(form).getByTestId('orientation-save'));
    await within(form).findByText('Indiquez la date du rendez-vous.');
    await fireEvent.input(within(form).getByTestId('orientation-date'), { target: { value: '2026-12-04' } });
    await fireEvent.click(within(form).getByTestId('orientation-save'));
    await waitFor(() =>
      expect(screen.getAllByTestId('orientation-step').map((e) => e.textContent?.trim())).toContain(
        'Orientation : Rendez-vous pris le 4 décembre 2026',
      ),
    );
    const plan = await platform.openPlan(demoPeople[0].id);
    expect(plan.plan.actions.find((a) => a.orientation?.step === 'appointment')?.status).toBe('doing');

    // The other one has been "contacted" since 2 November: three weeks without moving.
    await fireEvent.click(screen.getByTestId('nav-follow'));
    const stuck = await screen.findByTestId('follow-stuck');
    expect(stuck.textContent).toContain('Demander une rampe au propriétaire');
    expect(stuck.textContent).toContain('Service contacté depuis le 2 novembre 2026');
    screen.getByRole('heading', { name: 'Orientations qui n’avancent pas (14 jours ou plus à la même étape)' });

    // A referent who wants to be told later chooses it in Réglages: then it is not listed yet.
    await fireEvent.click(screen.getByTestId('nav-settings'));
    await fireEvent.change(await screen.findByLabelText('Dans le suivi, signaler une orientation sans nouvelles après'), {
      target: { value: '45' },
    });
    await fireEvent.click(screen.getByTestId('save-settings'));
    await screen.findByText('Réglages enregistrés.');
    expect((await platform.sessionState()).settings.stuckDays).toBe(45);
    await fireEvent.click(screen.getByTestId('nav-follow'));
    await screen.findByTestId('follow-actions');
    expect(screen.queryByTestId('follow-stuck')).toBeNull();
  });

  it('the bassin the postal code proposes is confirmed or corrected, and the quartier chosen', async () => {
    const platform = await openHerve();
    await fireEvent.click(screen.getByTestId('edit-person'));
    const dialog = await screen.findByTestId('person-dialog');
    const bassin = within(dialog).getByTestId('person-bassin') as HTMLSelectElement;
    await waitFor(() => expect(bassin.value).toBe('centreOuest'));
    await fireEvent.change(bassin, { target: { value: 'sud' } });
    const quartier = within(dialog).getByTestId('person-quartier') as HTMLSelectElement;
    await waitFor(() => expect(quartier.options.length).toBeGreaterThan(1));
    const chosen = quartier.options[1].value;
    await fireEvent.change(quartier, { target: { value: chosen } });
    await fireEvent.click(within(dialog).getByTestId('create-person'));
    await screen.findByText(/bassin Sud/);
    const person = (await platform.openPlan(demoPeople[0].id)).person;
    expect(person.address.bassin).toBe('sud');
    expect(person.address.quartier).toBe(Number(chosen));
    const south = await platform.listPeople({ text: '', includeArchived: false, bassin: 'sud', reviewDue: false, overdue: false });
    expect(south.map((p) => p.displayName)).toContain('Hervé');
  });

  it('a quartier chosen proposes its bassin (Brussels-City spans three), a bassin the referent chose stays', async () => {
    await openHerve();
    await fireEvent.click(screen.getByTestId('edit-person'));
    const dialog = await screen.findByTestId('person-dialog');
    const bassin = within(dialog).getByTestId('person-bassin') as HTMLSelectElement;
    await waitFor(() => expect(bassin.value).toBe('centreOuest'));
    const quartier = within(dialog).getByTestId('person-quartier') as HTMLSelectElement;
    await waitFor(() => expect(quartier.options.length).toBeGreaterThan(2));
    const code = (name: string) => [...quartier.options].find((o) => o.textContent === name)?.value ?? '';
    // The mock map's Dansaert is in the Nord bassin.
    await fireEvent.change(quartier, { target: { value: code('Dansaert') } });
    await waitFor(() => expect(bassin.value).toBe('nord'));
    expect(within(dialog).getByText('Ce quartier est dans le bassin Nord : corrigez-le si la personne dépend d’un autre bassin.')).toBeTruthy();
    await fireEvent.change(bassin, { target: { value: 'sud' } });
    await fireEvent.change(quartier, { target: { value: code('Grand Place') } });
    expect(bassin.value).toBe('sud');
  });

  it('asks for the sheet\'s language when the person speaks none the sheet speaks, and warns of an unchecked one', async () => {
    const platform = await openApp();
    await fireEvent.click(screen.getByTestId('new-person'));
    const dialog = await screen.findByTestId('person-dialog');
    await fireEvent.input(within(dialog).getByTestId('first-name'), { target: { value: 'Amani' } });
    await fireEvent.click(within(dialog).getByText('swahili'));
    await fireEvent.click(within(dialog).getByTestId('create-person'));
    await screen.findByRole('heading', { name: 'Amani', level: 1 });
    await fireEvent.click(screen.getByTestId('toggle-print'));
    await screen.findByText(/La fiche n’existe pas encore en swahili\. Choisissez la langue/);
    const select = screen.getByTestId('sheet-lang') as HTMLSelectElement;
    expect(select.value).toBe('');
    expect((screen.getByTestId('sheet-preview') as HTMLButtonElement).disabled).toBe(true);
    // Every sheet language is offered, by its name in French and in itself.
    expect(within(select).getByText('arabe — العربية')).toBeTruthy();
    expect(within(select).getByText('turc — Türkçe')).toBeTruthy();
    await fireEvent.change(select, { target: { value: 'ar' } });
    await screen.findByTestId('sheet-lang-unchecked');
    await fireEvent.click(screen.getByTestId('sheet-preview'));
    await waitFor(() => expect(screen.getByTestId('print-said').textContent).toContain('Amani ar.pdf'));
    // Read aloud for a person who cannot read; Lingala has no voice, and the panel says so.
    await fireEvent.click(screen.getByTestId('sheet-read-aloud'));
    await screen.findByText('La fiche est lue à voix haute, dans sa langue, par la voix de l’ordinateur.');
    await fireEvent.click(screen.getByTestId('sheet-stop-reading'));
    await fireEvent.change(select, { target: { value: 'ln' } });
    await fireEvent.click(await screen.findByTestId('sheet-read-aloud'));
    await screen.findByText(/Cet ordinateur n’a pas de voix pour lire cette langue/);
    // Without a language chosen, the core refuses rather than printing French.
    const id = (await platform.listPeople({ text: 'Amani', includeArchived: false, bassin: null, reviewDue: false, overdue: false }))[0]?.id ?? '';
    await expect(platform.printSheet(id)).rejects.toMatchObject({ code: 'SHEET_LANGUAGE_MISSING' });
  });

  it('adds any language of ISO 639 as one types, and a variety gets the sheet of its language', async () => {
    await openApp();
    await fireEvent.click(screen.getByTestId('new-person'));
    const dialog = await screen.findByTestId('person-dialog');
    await fireEvent.input(within(dialog).getByTestId('first-name'), { target: { value: 'Yassine' } });
    await fireEvent.input(within(dialog).getByTestId('language-search'), { target: { value: 'maroc' } });
    await fireEvent.click(await within(dialog).findByRole('button', { name: 'arabe marocain (ary)' }));
    expect(within(within(dialog).getByTestId('other-languages')).getByText('arabe marocain')).toBeTruthy();
    await fireEvent.input(within(dialog).getByTestId('language-search'), { target: { value: 'tigr' } });
    await within(dialog).findByRole('button', { name: 'tigrigna (ti)' });
    await fireEvent.click(within(dialog).getByTestId('create-person'));
    await screen.findByRole('heading', { name: 'Yassine', level: 1 });
    await screen.findByText(/arabe marocain/);
    await fireEvent.click(screen.getByTestId('toggle-print'));
    await waitFor(() => expect((screen.getByTestId('sheet-lang') as HTMLSelectElement).value).toBe('ar'));
    expect(screen.queryByTestId('sheet-lang-missing')).toBeNull();
  });

  it('shows the need of an interpreter at the top, proposes the interpreting service, and plans the booking in one click', async () => {
    await openApp();
    await fireEvent.click(screen.getByTestId('new-person'));
    const dialog = await screen.findByTestId('person-dialog');
    await fireEvent.input(within(dialog).getByTestId('first-name'), { target: { value: 'Samira' } });
    await fireEvent.click(within(dialog).getByText('arabe'));
    await fireEvent.click(within(dialog).getByText('A besoin d’un·e interprète'));
    await fireEvent.click(within(dialog).getByTestId('create-person'));
    await screen.findByRole('heading', { name: 'Samira', level: 1 });
    const panel = await screen.findByTestId('interpreter-panel');
    within(panel).getByRole('heading', { name: 'Besoin d’un·e interprète : arabe' });
    const service = await within(panel).findByTestId('interpreter-service');
    expect(service.textContent).toContain('Interprétariat social Exemple');
    await fireEvent.click(within(service).getByTestId('book-interpreter'));
    await within(panel).findByText(/Ajouté à « Ce que nous avons convenu »/);
    await waitFor(() =>
      expect(screen.getAllByTestId('action-what').map((e) => e.textContent)).toContain(
        'Réserver un·e interprète (arabe) auprès de « Interprétariat social Exemple » pour la prochaine visite',
      ),
    );
  });
});
