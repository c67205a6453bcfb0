import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import App from '../../App.svelte';
import { demoPlatform } from '../platform/demo';

describe('the organisation’s helpdesk', () => {
  afterEach(cleanup);

  it('is set in the settings, a wrong number refused in words, and shown in the people list', async () => {
    render(App, { platform: demoPlatform(true) });
    await waitFor(() => expect(screen.getAllByTestId('person-name').length).toBeGreaterThan(0));
    expect(screen.queryByTestId('helpdesk-line')).toBeNull();
    await fireEvent.click(screen.getByTestId('nav-settings'));
    await fireEvent.input(await screen.findByTestId('helpdesk-name'), { target: { value: 'Permanence Proxi (fictive)' } });
    await fireEvent.input(screen.getByTestId('helpdesk-phone'), { target: { value: 'appelez-nous' } });
    await fireEvent.click(screen.getByTestId('helpdesk-save'));
    expect(await screen.findByText('Ce numéro de téléphone n’est pas lisible : chiffres, espaces, + et / seulement.')).toBeTruthy();
    await fireEvent.input(screen.getByTestId('helpdesk-phone'), { target: { value: '02 000 00 99' } });
    await fireEvent.input(screen.getByTestId('helpdesk-hours'), { target: { value: 'du lundi au vendredi, 9 h – 17 h' } });
    await fireEvent.click(screen.getByTestId('helpdesk-save'));
    await screen.findByTestId('helpdesk-saved');
    await fireEvent.click(screen.getByTestId('nav-people'));
    const line = await screen.findByTestId('helpdesk-line');
    expect(line.textContent?.replace(/\s+/g, ' ')).toBe('Permanence : Permanence Proxi (fictive) — 02 000 00 99 du lundi au vendredi, 9 h – 17 h');
  });
});
