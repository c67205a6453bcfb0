import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../App.svelte';
import { demoPlatform } from '../platform/demo';

describe('the bassin’s needs watch', () => {
  afterEach(cleanup);

  it('shows hidden counts as hidden, names cards and places in words, draws the quartier map, and saves the CSV', async () => {
    render(App, { platform: demoPlatform(true) });
    await waitFor(() => expect(screen.getAllByTestId('person-name').length).toBeGreaterThan(0));
    await fireEvent.click(screen.getByTestId('nav-needs'));
    const table = await screen.findByTestId('needs-table');
    const rows = within(table)
      .getAllByRole('row')
      .map((r) => within(r).queryAllByRole('cell').map((c) => c.textContent?.trim()));
    // Hidden counts are drawn as "•", never as a number: the core's table as it came.
    expect(rows[1]).toEqual(['•', '9', '•', '18']);
    expect(rows[4]).toEqual(['•', '21', '•', '44']);
    expect(within(table).getAllByRole('rowheader').map((h) => h.textContent)).toEqual(['Famille', 'Se déplacer', 'Douleur', 'Total']);
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Quoi', 'Centre-Ouest', 'Nord', 'Sud', 'Total']);
    expect(screen.getByTestId('needs-chart').textContent).toContain('18');
    await fireEvent.change(screen.getByTestId('needs-kind'), { target: { value: 'unmet' } });
    await fireEvent.change(screen.getByTestId('needs-level'), { target: { value: 'quartier' } });
    await waitFor(() => expect(within(screen.getByTestId('needs-table')).getAllByRole('rowheader')[0].textContent).toBe('Aide familiale et aide à domicile'));
    expect(screen.getByTestId('directory-map').querySelector('svg')?.getAttribute('aria-label')?.replace(/\s+/g, ' ')).toBe('Carte des quartiers : 1 quartier a un nombre montré');
    await fireEvent.click(screen.getByTestId('needs-csv'));
    expect((await screen.findByTestId('needs-saved')).textContent).toContain('besoins unmet quartier 2026-11.csv');
  });
});
