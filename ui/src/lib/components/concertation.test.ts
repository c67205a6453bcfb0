import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../App.svelte';
import { demoPlatform } from '../platform/demo';

describe('organising a concertation in the window', () => {
  afterEach(cleanup);

  it('invites, offers times, ticks who can come, proposes the best time with who is missing, and saves the invitation', async () => {
    render(App, { platform: demoPlatform(true) });
    await waitFor(() => expect(screen.getAllByTestId('person-name').length).toBeGreaterThan(0));
    await fireEvent.click(screen.getByRole('button', { name: 'Ouvrir le plan de Hervé Exemple' }));
    await fireEvent.click(await screen.findByTestId('concertation-new'));
    const form = await screen.findByTestId('concertation-form');
    expect((within(form).getByTestId('concertation-title') as HTMLInputElement).value).toBe('Concertation autour de Hervé');
    await fireEvent.input(within(form).getByTestId('concertation-minutes'), { target: { value: '5' } });
    await fireEvent.click(within(form).getByTestId('concertation-create'));
    await within(form).findByText('Une concertation dure entre 15 minutes et 8 heures.');
    await fireEvent.input(within(form).getByTestId('concertation-minutes'), { target: { value: '60' } });
    await fireEvent.click(within(form).getByTestId('concertation-create'));
    const c = await screen.findByTestId('concertation');
    // The functions people confuse, explained where participants are chosen.
    expect(within(c).getByTestId('roles-help').textContent).toContain('Organisateur de concertation');

    // Hervé himself, his GP from the network, and someone typed in.
    for (const value of ['person', `member:00000000-0000-7000-a000-000000000006`]) {
      await fireEvent.change(within(c).getByTestId('participant-pick'), { target: { value } });
      await fireEvent.click(within(c).getByTestId('participant-add'));
      await waitFor(() => expect(within(screen.getByTestId('concertation')).getAllByTestId('participant').length).toBeGreaterThan(0));
    }
    await fireEvent.change(within(c).getByTestId('participant-pick'), { target: { value: '' } });
    await fireEvent.input(await within(c).findByTestId('participant-name'), { target: { value: 'Assistante sociale Exemple' } });
    await fireEvent.click(within(c).getByTestId('participant-add'));
    await waitFor(() => expect(within(screen.getByTestId('concertation')).getAllByTestId('participant')).toHaveLength(3));

    for (const when of ['2026-12-03T10:00', '2026-12-04T14:00']) {
      await fireEvent.input(within(c).getByTestId('slot-input'), { target: { value: when } });
      await fireEvent.click(within(c).getByTestId('slot-add'));
    }
    const boxes = await within(c).findAllByTestId('can-come');
    expect(boxes).toHaveLength(6);
    // Everyone on the 4th, Hervé alone on the 3rd.
    for (const i of [0, 1, 3, 5]) {
      await fireEvent.click(within(screen.getByTestId('concertation')).getAllByTestId('can-come')[i]);
    }
    await waitFor(() => {
      const ranked = within(screen.getByTestId('concertation')).getAllByTestId('ranked-slot').map((e) => e.textContent?.replace(/\s+/g, ' ').trim());
      expect(ranked[0]).toMatch(/^4 décembre 2026 à 14:00 — présents : 3 sur 3/);
      expect(ranked[1]).toMatch(/^3 décembre 2026 à 10:00 — présents : 1 sur 3 · manque : Dr Exemple, Assistante sociale Exemple/);
    });
    await fireEvent.click(within(screen.getByTestId('concertation')).getAllByTestId('choose')[0]);
    await within(screen.getByTestId('concertation')).findByTestId('chosen');
    await fireEvent.click(within(screen.getByTestId('concertation')).getByTestId('invitation-save'));
    expect((await screen.findByTestId('invitation-saved')).textContent).toContain('invitation');
    expect((screen.getByTestId('invitation-text') as HTMLTextAreaElement).value).toContain('le 4 décembre 2026 à 14:00 (60 minutes)');

    // The meeting: presence from who said they could come, a note, two decisions that become actions.
    await fireEvent.click(screen.getByTestId('meeting-hold'));
    const presence = await screen.findByTestId('meeting-presence');
    expect(within(presence).getAllByRole('checkbox').map((b) => (b as HTMLInputElement).checked)).toEqual([true, true, true]);
    await fireEvent.click(within(presence).getAllByRole('checkbox')[2]);
    await fireEvent.click(screen.getByTestId('decision-add'));
    await screen.findByText('Écrivez ce qui sera fait.');
    for (const [what, owner] of [
      ['Appeler le club de cartes', 0],
      ['Demander l’aide au CPAS', 2],
    ] as const) {
      await fireEvent.input(screen.getByTestId('decision-what'), { target: { value: what } });
      const select = screen.getByTestId('decision-owner') as HTMLSelectElement;
      await fireEvent.change(select, { target: { value: select.options[owner].value } });
      await fireEvent.click(screen.getByTestId('decision-add'));
      await waitFor(() => expect(screen.getAllByTestId('decision').map((d) => d.textContent)).toContainEqual(expect.stringContaining(what)));
    }
    expect(screen.getAllByTestId('decision').map((d) => d.textContent?.trim())).toEqual([
      'Appeler le club de cartes — Hervé',
      'Demander l’aide au CPAS — Assistante sociale Exemple',
    ]);
    // They are actions of the plan, and the one typed in joined the network.
    expect(screen.getAllByTestId('action-what').map((e) => e.textContent)).toContain('Demander l’aide au CPAS');
    await fireEvent.input(screen.getAllByTestId('meeting-note')[1], { target: { value: 'Le club a changé de jour.' } });
    await fireEvent.click(screen.getByTestId('meeting-save'));
    await screen.findByTestId('meeting-saved');
    await fireEvent.click(screen.getByTestId('papers-report'));
    expect((await screen.findByTestId('papers-saved')).textContent).toContain('compte rendu fr.pdf');
  });
});
