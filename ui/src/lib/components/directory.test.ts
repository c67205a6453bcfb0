import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../App.svelte';
import { mockPlatform } from '../platform/mock';
import { demoPeople } from '../platform/demo';

async function openApp() {
  const platform = mockPlatform(demoPeople, 'x', true);
  render(App, { platform });
  await waitFor(() => expect(screen.getAllByTestId('person-name').length).toBeGreaterThan(0));
  return platform;
}

const names = (within_: HTMLElement) =>
  within(within_)
    .queryAllByRole('button')
    .map((b) => b.querySelector('strong')?.textContent ?? '');

describe('the directory', () => {
  afterEach(cleanup);

  it('finds services as the referent types, narrows them with filters, and shows a card', async () => {
    await openApp();
    await fireEvent.click(screen.getByTestId('nav-directory'));
    await screen.findByRole('heading', { name: 'Annuaire des services', level: 1 });
    const results = screen.getByTestId('directory-results');
    await waitFor(() => expect(screen.getByTestId('directory-count').textContent).toBe('6 services'));

    await fireEvent.input(screen.getByTestId('directory-search'), { target: { value: 'doul' } });
    await waitFor(() => expect(names(results)).toEqual(['Consultation douleur chronique']));

    await fireEvent.input(screen.getByTestId('directory-search'), { target: { value: '' } });
    // The map shades the quartiers that hold services; a quartier is also a filter.
    await screen.findByRole('img', { name: 'Carte des quartiers de Bruxelles : 2 quartiers ont des services trouvés' });
    await fireEvent.change(screen.getByTestId('directory-quartier'), { target: { value: '2' } });
    await waitFor(() => expect(names(results)).toEqual(['Médiation de dettes', 'Aide familiale', 'Interprétariat social Exemple']));
    expect(within(screen.getByTestId('directory-quartier')).getByRole('option', { selected: true }).textContent).toBe('Dansaert');
    await fireEvent.change(screen.getByTestId('directory-quartier'), { target: { value: '' } });
    // The language filter offers every language a service declares, Tigrinya included.
    await waitFor(() => expect(within(screen.getByTestId('directory-language')).getByRole('option', { name: 'tigrigna' })).toBeTruthy());
    await fireEvent.change(screen.getByTestId('directory-language'), { target: { value: 'ar' } });
    await waitFor(() => expect(names(results)).toEqual(['Médiation de dettes', 'Interprétariat social Exemple']));
    await fireEvent.change(screen.getByTestId('directory-language'), { target: { value: 'ti' } });
    await waitFor(() => expect(names(results)).toEqual(['Interprétariat social Exemple']));
    await fireEvent.change(screen.getByTestId('directory-language'), { target: { value: 'ar' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Gratuit ou bas prix' }));
    await waitFor(() => expect(names(results)).toEqual(['Interprétariat social Exemple']));
    await fireEvent.change(screen.getByTestId('directory-language'), { target: { value: 'ti' } });
    await fireEvent.change(screen.getByTestId('directory-search'), { target: { value: 'dettes' } });
    await fireEvent.input(screen.getByTestId('directory-search'), { target: { value: 'dettes' } });
    await waitFor(() => expect(screen.getByTestId('directory-count').textContent).toBe('0 service'));
    await screen.findByText('Aucun service ne correspond. Essayez un autre mot ou retirez un filtre.');
    await fireEvent.click(screen.getByRole('button', { name: 'Gratuit ou bas prix' }));
    await fireEvent.change(screen.getByTestId('directory-language'), { target: { value: 'ar' } });

    await fireEvent.click(await within(results).findByRole('button', { name: /Médiation de dettes/ }));
    const card = await screen.findByTestId('service-card');
    within(card).getByText('15 € par séance.');
    expect(within(card).getByRole('link', { name: '+32 2 555 00 12' }).getAttribute('href')).toBe('tel:+3225550012');
    within(card).getByText('Sur rendez-vous, par téléphone.');
    within(card).getByText(/lundi, mardi, mercredi, jeudi, vendredi\s: 9 h–12 h/);
    expect(within(card).queryByTestId('orient')).toBeNull();
  });

  it('orients a person to a service from an agreed action', async () => {
    await openApp();
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir le plan de Jan Voorbeeld' }));
    await fireEvent.change(await screen.findByTestId('action-who'), { target: { value: 'service' } });
    await fireEvent.click(screen.getByTestId('pick-service'));
    const dialog = await screen.findByTestId('service-dialog');
    await fireEvent.input(within(dialog).getByTestId('directory-search'), { target: { value: 'diab' } });
    await fireEvent.click(await within(dialog).findByRole('button', { name: /Éducation diabète/ }));
    await fireEvent.click(await within(dialog).findByTestId('orient'));
    await waitFor(() => expect(screen.queryByTestId('service-dialog')).toBeNull());
    expect(screen.getByTestId('action-service').textContent).toBe('Service choisi : Éducation diabète');
    await fireEvent.input(screen.getByTestId('action-what-input'), { target: { value: 'Prendre rendez-vous' } });
    await fireEvent.click(screen.getByTestId('action-add-button'));
    await within(screen.getByTestId('actions')).findByText(/Éducation diabète ·/);
  });

  it('imports a directory file found in Downloads: a broken one is refused with its place, a Brussels list comes in with what was missing', async () => {
    await openApp();
    await fireEvent.click(screen.getByTestId('nav-directory'));
    await fireEvent.click(await screen.findByTestId('import-look'));
    const files = await screen.findByTestId('import-files');
    const buttons = within(files).getAllByTestId('import-file');
    expect(files.textContent).toContain('liste-services-bruxelles-2026.json');
    await fireEvent.click(buttons[1]);
    const problem = await screen.findByTestId('import-problem');
    expect(problem.textContent).toContain('be-org-99');
    expect(screen.queryByTestId('import-report')).toBeNull();
    await fireEvent.click(buttons[0]);
    const report = await screen.findByTestId('import-report');
    const text = report.textContent?.replace(/\s+/g, ' ') ?? '';
    expect(text).toContain('Annuaire mis à jour : ajoutées 24, mises à jour 0.');
    expect(text).toContain('liste-services-bruxelles-2026.json : son nom ne dit pas ce qu’il contient, son contenu le dit : Services.');
    const rows = within(screen.getByTestId('import-missing'))
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.textContent?.replace(/\s+/g, ' ').trim());
    expect(rows).toEqual(['Adressescountry3complété : BE', 'Adressesstate_province3complété : BE-BRU', 'Organisationsdescription3laissé vide']);
    expect(screen.queryByTestId('import-problem')).toBeNull();
  });

  it('records the team’s community resources: a name is needed, the list says where, one is marked no longer available', async () => {
    await openApp();
    await fireEvent.click(screen.getByTestId('nav-directory'));
    await fireEvent.click(await screen.findByTestId('community-open'));
    await fireEvent.click(screen.getByTestId('community-add'));
    await screen.findByText('Écrivez le nom.');
    await fireEvent.change(screen.getByTestId('community-kind'), { target: { value: 'shop' } });
    await fireEvent.input(screen.getByTestId('community-name'), { target: { value: 'Boulangerie Exemple' } });
    await fireEvent.change(screen.getByTestId('community-bassin'), { target: { value: 'centreOuest' } });
    await fireEvent.input(screen.getByTestId('community-offers'), { target: { value: 'Garde un œil le matin' } });
    await fireEvent.click(screen.getByTestId('community-add'));
    const list = await screen.findByTestId('community-list');
    await waitFor(() => expect(list.textContent).toContain('Boulangerie Exemple'));
    expect(list.textContent).toContain('Commerce');
    expect(list.textContent).toContain('Centre-Ouest');
    await fireEvent.click(within(list).getByRole('button', { name: 'N’est plus disponible — Boulangerie Exemple' }));
    await within(screen.getByTestId('community-list')).findByRole('button', { name: 'De nouveau disponible — Boulangerie Exemple' });
  });
});
