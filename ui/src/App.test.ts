import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import App from './App.svelte';
import { mockPlatform } from './lib/platform/mock';
import type { PersonSummary } from './lib/bindings/PersonSummary';

function person(id: number, displayName: string, fullName: string, reviewDate: string | null = null): PersonSummary {
  return {
    id: `00000000-0000-7000-8000-00000000000${id}`,
    displayName,
    fullName,
    postalCode: '1000',
    commune: 'Bruxelles',
    archived: false,
    reviewDate,
    activePriorities: 2,
    openActions: 1,
    overdueActions: 0,
    bassin: 'centreOuest',
  };
}

const people = [
  person(1, 'Hervé', 'Hervé Exemple', '2020-01-10'),
  person(2, 'Ayşe', 'Ayşe Örnek', '2999-03-01'),
  person(3, 'Jan', 'Jan Voorbeeld'),
];

describe('App', () => {
  afterEach(cleanup);

  it('asks for the passphrase, says clearly when it is wrong, then lists the people', async () => {
    render(App, { platform: mockPlatform(people, 'secret') });
    const field = await screen.findByLabelText('Phrase de passe');
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir' }));
    expect(screen.getByRole('alert').textContent).toBe('Tapez votre phrase de passe.');
    await fireEvent.input(field, { target: { value: 'wrong' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain("n’ouvre pas les données"));
    // After the third wrong try, the window says it slows down and deletes nothing.
    for (let i = 0; i < 2; i += 1) await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Rien n’est effacé.'));
    await fireEvent.input(field, { target: { value: 'secret' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir' }));
    await screen.findByRole('heading', { name: 'Personnes accompagnées' });
    await waitFor(() => expect(screen.getAllByTestId('person-name')).toHaveLength(3));
  });

  it('searches as you type, without accents, and says when no one matches', async () => {
    render(App, { platform: mockPlatform(people, 'x', true) });
    await waitFor(() => expect(screen.getAllByTestId('person-name')).toHaveLength(3));
    await fireEvent.input(screen.getByTestId('search'), { target: { value: 'herve' } });
    await waitFor(() => expect(screen.getAllByTestId('person-name').map((e) => e.textContent)).toEqual(['Hervé Exemple']));
    await fireEvent.input(screen.getByTestId('search'), { target: { value: 'zoé' } });
    await screen.findByText('Personne ne correspond à « zoé ».');
  });

  it('marks a review that is due, in Belgian dates', async () => {
    render(App, { platform: mockPlatform(people, 'x', true) });
    await screen.findByText('À revoir depuis le 10 janvier 2020');
    await screen.findByText('Revoir le 1er mars 2999');
  });

  it('prints a person\'s sheet and says where it is', async () => {
    render(App, { platform: mockPlatform(people, 'x', true) });
    const button = await screen.findByRole('button', { name: 'Imprimer la fiche de Hervé Exemple' });
    await fireEvent.click(button);
    await waitFor(() =>
      expect(screen.getByTestId('notice').textContent).toBe('La fiche est enregistrée : /home/referent/Documents/Proxi/Hervé.pdf'),
    );
  });

  it('locks on demand and forgets what it showed', async () => {
    render(App, { platform: mockPlatform(people, 'secret', true) });
    await waitFor(() => expect(screen.getAllByTestId('person-name')).toHaveLength(3));
    await fireEvent.click(screen.getByRole('button', { name: 'Verrouiller' }));
    await screen.findByLabelText('Phrase de passe');
    expect(screen.queryAllByTestId('person-name')).toHaveLength(0);
    expect(document.body.textContent).not.toContain('Hervé');
  });

  it('locks itself after the idle time, and says why', async () => {
    render(App, { platform: mockPlatform(people, 'secret', true, 1) });
    await waitFor(() => expect(screen.getAllByTestId('person-name')).toHaveLength(3));
    await screen.findByText(/s’est verrouillé après un moment sans activité/, {}, { timeout: 3000 });
    expect(document.body.textContent).not.toContain('Hervé');
  });

  it('speaks Dutch and English', async () => {
    render(App, { platform: mockPlatform(people, 'x', true), lang: 'nl' });
    await screen.findByRole('heading', { name: 'Begeleide personen' });
    await screen.findByText('Te evalueren sinds 10 januari 2020');
    await fireEvent.change(screen.getByLabelText('Taal'), { target: { value: 'en' } });
    await screen.findByRole('heading', { name: 'People you accompany' });
    expect(document.documentElement.lang).toBe('en');
  });

  it('remembers on this computer only when asked, opens at launch with it, and still asks after a lock', async () => {
    const platform = mockPlatform(people, 'secret', false, 300, [], '2026-11-23', { online: true, keyring: 'notRemembered' });
    const first = render(App, { platform });
    const remember = (await screen.findByLabelText('Se souvenir de moi sur cet ordinateur')) as HTMLInputElement;
    expect(remember.checked).toBe(false);
    await fireEvent.input(screen.getByLabelText('Phrase de passe'), { target: { value: 'secret' } });
    await fireEvent.click(remember);
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir' }));
    await waitFor(() => expect(screen.getAllByTestId('person-name')).toHaveLength(3));
    expect(await platform.keyringStatus()).toBe('remembered');
    first.unmount();

    // The next launch opens without the passphrase …
    await platform.lock();
    render(App, { platform });
    await waitFor(() => expect(screen.getAllByTestId('person-name')).toHaveLength(3));
    expect(screen.queryByLabelText('Phrase de passe')).toBeNull();
    // … but a lock asks for it, with the choice shown as it stands.
    await fireEvent.click(screen.getByRole('button', { name: 'Verrouiller' }));
    await screen.findByLabelText('Phrase de passe');
    expect((screen.getByLabelText('Se souvenir de moi sur cet ordinateur') as HTMLInputElement).checked).toBe(true);
    await fireEvent.input(screen.getByLabelText('Phrase de passe'), { target: { value: 'secret' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir' }));
    await waitFor(() => expect(screen.getAllByTestId('person-name')).toHaveLength(3));

    // The team screen says it and undoes it.
    await fireEvent.click(screen.getByTestId('nav-team'));
    expect((await screen.findByTestId('keyring-state')).textContent).toContain('sans phrase de passe');
    await fireEvent.click(screen.getByRole('button', { name: 'Demander la phrase de passe à chaque ouverture' }));
    await waitFor(() => expect(screen.getByTestId('keyring-state').textContent).toContain('à chaque ouverture'));
    expect(await platform.keyringStatus()).toBe('notRemembered');
  });

  it('unticking the choice at unlock forgets the key', async () => {
    const platform = mockPlatform(people, 'secret', false, 300, [], '2026-11-23', { online: true, keyring: 'remembered' });
    await platform.lock();
    render(App, { platform });
    await waitFor(() => expect(screen.getAllByTestId('person-name')).toHaveLength(3));
    await fireEvent.click(screen.getByRole('button', { name: 'Verrouiller' }));
    const remember = (await screen.findByLabelText('Se souvenir de moi sur cet ordinateur')) as HTMLInputElement;
    await fireEvent.click(remember);
    await fireEvent.input(screen.getByLabelText('Phrase de passe'), { target: { value: 'secret' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir' }));
    await waitFor(() => expect(screen.getAllByTestId('person-name')).toHaveLength(3));
    expect(await platform.keyringStatus()).toBe('notRemembered');
  });

  it('offers no choice when this computer has no keyring', async () => {
    render(App, { platform: mockPlatform(people, 'secret', false, 300, [], '2026-11-23', { online: true, keyring: 'unavailable' }) });
    await screen.findByLabelText('Phrase de passe');
    expect(screen.queryByLabelText('Se souvenir de moi sur cet ordinateur')).toBeNull();
  });
});

describe('first run', () => {
  afterEach(cleanup);

  it('creates the store: a weak passphrase is refused with why, the recovery key is confirmed by its last group', async () => {
    const platform = mockPlatform([], 'unused', false, 300, [], '2026-11-23', { online: true, storeExists: false });
    render(App, { platform });
    await fireEvent.click(await screen.findByRole('button', { name: /Créer mes données/ }));
    await fireEvent.input(screen.getByLabelText('Votre nom'), { target: { value: 'Marie' } });
    await fireEvent.input(screen.getByLabelText('Phrase de passe'), { target: { value: 'soleil' } });
    await fireEvent.input(screen.getByLabelText(/encore une fois/), { target: { value: 'soleil' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Créer mes données' }));
    await waitFor(() => expect(screen.getByText(/Trop courte/, { selector: '.field-error' })).toBeTruthy());
    expect((await platform.sessionState()).storeExists).toBe(false);

    await fireEvent.input(screen.getByLabelText('Phrase de passe'), { target: { value: 'girafe sous la pluie' } });
    await fireEvent.input(screen.getByLabelText(/encore une fois/), { target: { value: 'girafe sous la pluie' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Créer mes données' }));
    const key = await screen.findByTestId('recovery-key');
    expect(key.textContent).toMatch(/^([0-9A-F]{4}-){9}[0-9A-F]{4}$/);
    await fireEvent.input(screen.getByLabelText(/dernier groupe/), { target: { value: '1234' } });
    await fireEvent.click(screen.getByRole('button', { name: /J’ai recopié/ }));
    expect(screen.getByRole('alert').textContent).toContain('pas le dernier groupe');
    await fireEvent.input(screen.getByLabelText(/dernier groupe/), { target: { value: '3c4d' } });
    await fireEvent.click(screen.getByRole('button', { name: /J’ai recopié/ }));
    await waitFor(() => expect(screen.getByTestId('notice').textContent).toContain('Vos données sont prêtes'));
  });

  it('tries the demo, marked DÉMO, and keeps the chosen language for the next launch', async () => {
    const platform = mockPlatform(people, 'unused', false, 300, [], '2026-11-23', { online: true, storeExists: false });
    const first = render(App, { platform });
    await fireEvent.click(await screen.findByRole('button', { name: /personnes fictives/ }));
    await waitFor(() => expect(screen.getByTestId('demo-badge').textContent).toContain('DÉMO'));
    const select = screen.getByTestId('language') as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: 'nl' } });
    await waitFor(async () => expect((await platform.sessionState()).settings.language).toBe('nl'));
    await fireEvent.click(screen.getByRole('button', { name: 'Demo verlaten' }));
    first.unmount();
    render(App, { platform });
    expect(await screen.findByRole('heading', { name: 'Welkom in Proxi' })).toBeTruthy();
  });
});

describe('nothing lost at a lock', () => {
  afterEach(cleanup);

  it('keeps a half-typed action through the idle lock and gives it back after the unlock', async () => {
    render(App, { platform: mockPlatform(people, 'secret', true, 2) });
    await fireEvent.click((await screen.findAllByTestId('person-name'))[0]);
    const field = (await screen.findByTestId('action-what-input')) as HTMLInputElement;
    await fireEvent.input(field, { target: { value: 'Appeler la mutuelle' } });
    await screen.findByText(/s’est verrouillé après un moment sans activité/, {}, { timeout: 4000 });
    expect(document.body.textContent).not.toContain('Appeler la mutuelle');
    await fireEvent.input(screen.getByLabelText('Phrase de passe'), { target: { value: 'secret' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir' }));
    const back = (await screen.findByTestId('action-what-input')) as HTMLInputElement;
    expect(back.value).toBe('Appeler la mutuelle');
    expect(screen.getByTestId('save-status').textContent).toContain('est revenu');
  });
});

describe('reminders on the desktop', () => {
  afterEach(cleanup);

  it('a clicked reminder opens its plan, or the follow-up list when it names no one', async () => {
    const platform = mockPlatform(people, 'x', true);
    render(App, { platform });
    await waitFor(() => expect(screen.getAllByTestId('person-name')).toHaveLength(3));
    platform.clickReminder(people[1].id);
    await waitFor(() => expect(screen.getByTestId('plan-name').textContent).toBe('Ayşe'));
    platform.clickReminder(null);
    await screen.findByRole('heading', { name: 'Suivi' });
  });

  it('a reminder clicked while locked opens its plan after the unlock, and says so', async () => {
    const platform = mockPlatform(people, 'secret', false);
    render(App, { platform });
    const field = await screen.findByLabelText('Phrase de passe');
    platform.clickReminder(people[0].id);
    await screen.findByText('Un rappel a été cliqué : le plan s’ouvrira après le déverrouillage.');
    expect(document.body.textContent).not.toContain('Hervé');
    await fireEvent.input(field, { target: { value: 'secret' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir' }));
    await waitFor(() => expect(screen.getByTestId('plan-name').textContent).toBe('Hervé'));
  });

  it('one switch turns them off, the time of day is kept, and a desktop without notifications is told in words', async () => {
    const platform = mockPlatform(people, 'x', true, 300, [], '2026-11-23', { online: true, noNotifications: true });
    render(App, { platform });
    await fireEvent.click(await screen.findByTestId('nav-settings'));
    const time = (await screen.findByLabelText('Chaque jour à')) as HTMLInputElement;
    expect(time.value).toBe('09:00');
    await fireEvent.input(time, { target: { value: '07:30' } });
    await fireEvent.click(screen.getByTestId('remind-now'));
    await waitFor(() => expect(screen.getByTestId('reminded').textContent).toContain('pas de service de notifications'));
    await fireEvent.click(screen.getByTestId('save-settings'));
    await screen.findByText('Réglages enregistrés.');
    expect((await platform.sessionState()).settings.reminderTime).toBe('07:30');
    await fireEvent.click(screen.getByLabelText('Me rappeler les actions en retard, celles du jour et les plans à revoir'));
    expect(screen.queryByLabelText('Chaque jour à')).toBeNull();
    await fireEvent.click(screen.getByTestId('save-settings'));
    await waitFor(async () => expect((await platform.sessionState()).settings.reminders).toBe(false));
  });
});
