import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../App.svelte';
import { mockPlatform } from '../platform/mock';
import { demoPeople } from '../platform/demo';

describe('community resources', () => {
  afterEach(cleanup);

  it('can carry an agreed action; one no longer available is not offered', async () => {
    render(App, { platform: mockPlatform(demoPeople, 'x', true) });
    await waitFor(() => expect(screen.getAllByTestId('person-name').length).toBeGreaterThan(0));
    await fireEvent.click(screen.getByTestId('nav-directory'));
    await fireEvent.click(await screen.findByTestId('community-open'));
    for (const [name, offers] of [
      ['Boulangerie Exemple', 'garde un œil, appelle si les volets restent fermés'],
      ['Voisine du 3e (fictive)', 'fait les courses le samedi'],
    ]) {
      await fireEvent.input(screen.getByTestId('community-name'), { target: { value: name } });
      await fireEvent.input(screen.getByTestId('community-offers'), { target: { value: offers } });
      await fireEvent.click(screen.getByTestId('community-add'));
      await screen.findByText(name);
    }
    await fireEvent.click(screen.getByRole('button', { name: 'N’est plus disponible — Voisine du 3e (fictive)' }));

    await fireEvent.click(screen.getByTestId('nav-people'));
    await fireEvent.click(await screen.findByRole('button', { name: 'Ouvrir le plan de Jan Voorbeeld' }));
    const form = await screen.findByTestId('action-add');
    await fireEvent.input(within(form).getByTestId('action-what-input'), { target: { value: 'Passer prendre le pain le mardi' } });
    await fireEvent.change(within(form).getByTestId('action-who'), { target: { value: 'community' } });
    const helper = (await within(form).findByTestId('action-community')) as HTMLSelectElement;
    expect([...helper.options].map((o) => o.textContent)).toEqual([
      '—',
      'Boulangerie Exemple — garde un œil, appelle si les volets restent fermés',
    ]);
    // None chosen: said in words, nothing added.
    await fireEvent.click(within(form).getByTestId('action-add-button'));
    await within(form).findByText('Choisissez une ressource de proximité encore disponible.');
    await fireEvent.change(helper, { target: { value: helper.options[1].value } });
    await fireEvent.click(within(form).getByTestId('action-add-button'));
    const action = (await screen.findByText('Passer prendre le pain le mardi')).closest('li');
    expect(action?.textContent).toContain('Boulangerie Exemple');
  });
});
