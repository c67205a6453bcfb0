import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../App.svelte';
import { mockPlatform } from '../platform/mock';
import { demoPeople } from '../platform/demo';

const words = (el: Element) => el.textContent?.replace(/\s+/g, ' ').trim();

describe('the Focus guides', () => {
  afterEach(cleanup);

  it('opens from a plan with the services of the person’s bassin first, and saves the guide to hand over', async () => {
    render(App, { platform: mockPlatform(demoPeople, 'x', true) });
    await waitFor(() => expect(screen.getAllByTestId('person-name').length).toBeGreaterThan(0));
    await fireEvent.click(screen.getByTestId('new-person'));
    const dialog = await screen.findByTestId('person-dialog');
    await fireEvent.input(within(dialog).getByTestId('first-name'), { target: { value: 'Zénobe' } });
    await fireEvent.input(within(dialog).getByTestId('postal-code'), { target: { value: '1030' } });
    await within(dialog).findByText('Proposé : Schaerbeek, bassin Nord-Est. Vérifiez avec la personne.');
    await fireEvent.click(within(dialog).getByTestId('create-person'));
    await screen.findByRole('heading', { name: 'Zénobe', level: 1 });

    await fireEvent.click(screen.getByTestId('toggle-guides'));
    const list = await screen.findByTestId('guide-list');
    expect(within(list).getAllByTestId('guide-open').map((b) => b.querySelector('strong')?.textContent)).toEqual([
      'Focus diabète',
      'Focus santé mentale',
      'Focus soins palliatifs et fin de vie',
    ]);
    await fireEvent.click(within(list).getAllByTestId('guide-open')[0]);
    const view = await screen.findByTestId('guide-view');
    expect(within(view).getByRole('heading', { name: 'Focus diabète' })).toBeTruthy();
    expect(within(view).getByText('Ce qui est remboursé')).toBeTruthy();
    expect(screen.queryByTestId('guide-stale')).toBeNull();
    // Schaerbeek is in the Nord-Est bassin: the mock directory's diabetes service is elsewhere.
    expect(words(screen.getByTestId('guide-near-title'))).toBe('Dans le bassin Nord-Est');
    expect(screen.getByTestId('guide-near').children).toHaveLength(0);
    expect(words(screen.getByTestId('guide-elsewhere'))).toContain('Éducation diabète');
    // A service of the guide opens its card, to call or orient.
    await fireEvent.click(within(screen.getByTestId('guide-elsewhere')).getByTestId('guide-service'));
    expect(within(await screen.findByTestId('service-card')).getByRole('heading', { name: 'Éducation diabète' })).toBeTruthy();
    // From the plan, the guide's service becomes an orientation: the action form takes it.
    await fireEvent.click(within(screen.getByTestId('service-card')).getByTestId('orient'));
    const form = screen.getByTestId('action-add');
    expect(words(within(form).getByTestId('action-service'))).toContain('Éducation diabète');
    await fireEvent.input(within(form).getByTestId('action-what-input'), { target: { value: 'Prendre rendez-vous pour l’éducation au diabète' } });
    await fireEvent.click(within(form).getByTestId('action-add-button'));
    const action = (await screen.findByText('Prendre rendez-vous pour l’éducation au diabète')).closest('li');
    expect(action?.textContent).toContain('Éducation diabète');
    // No bassin to choose: the person's is used.
    expect(screen.queryByTestId('guide-bassin')).toBeNull();
    await fireEvent.click(screen.getByTestId('guide-print'));
    expect(words(await screen.findByTestId('guide-saved'))).toContain('focus-diabete fr');
  });

  it('brings a newer guide file in from the directory, and refuses an older one in words', async () => {
    render(App, { platform: mockPlatform(demoPeople, 'x', true) });
    await waitFor(() => expect(screen.getAllByTestId('person-name').length).toBeGreaterThan(0));
    await fireEvent.click(screen.getByTestId('nav-directory'));
    await fireEvent.click(await screen.findByTestId('directory-guides'));
    await screen.findByTestId('guide-list');
    await fireEvent.click(screen.getByTestId('guide-import-look'));
    const files = await screen.findAllByTestId('guide-import-file');
    await fireEvent.click(files[1]);
    const alert = await screen.findByTestId('guide-import-problem');
    expect(words(alert)).toContain('Ce fichier de guide n’a pas été importé ; rien n’a été changé.');
    expect(words(alert)).toContain('older than the version 1');
    await fireEvent.click(files[0]);
    expect(words(await screen.findByTestId('guide-imported'))).toBe(
      'Guide « Focus diabète » : version 2 importée (remplace la version 1).',
    );
    // From the directory, services can be put first by any bassin.
    await fireEvent.click(screen.getAllByTestId('guide-open')[0]);
    const bassin = (await screen.findByTestId('guide-bassin')) as HTMLSelectElement;
    bassin.value = 'centreOuest';
    await fireEvent.change(bassin);
    await waitFor(() => expect(words(screen.getByTestId('guide-near-title'))).toBe('Dans le bassin Centre-Ouest'));
  });
});
