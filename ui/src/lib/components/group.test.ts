import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../App.svelte';
import { demoPlatform } from '../platform/demo';

describe('a Diapason group in the window', () => {
  afterEach(cleanup);

  it('starts a group, records members, a meeting and a recommendation with its follow-up, undoes a mistake, and lists what is due', async () => {
    render(App, { platform: demoPlatform(true) });
    await waitFor(() => expect(screen.getAllByTestId('person-name').length).toBeGreaterThan(0));
    await fireEvent.click(screen.getByTestId('nav-groups'));
    expect(await screen.findByText('Aucune donnée personnelle ici : ne nommez aucune personne accompagnée.')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('group-new'));
    // No name: said in words, nothing created.
    await fireEvent.click(screen.getByTestId('group-create'));
    await screen.findByText('Donnez un nom au groupe.');
    await fireEvent.input(screen.getByTestId('group-name'), { target: { value: 'Groupe Lanterne' } });
    await fireEvent.change(screen.getByTestId('group-bassin'), { target: { value: 'sud' } });
    await fireEvent.input(screen.getByTestId('group-problem'), { target: { value: 'Les sorties d’hôpital du vendredi' } });
    await fireEvent.click(screen.getByTestId('group-create'));
    expect((await screen.findByTestId('group-title')).textContent).toBe('Groupe Lanterne');

    for (const [name, organisation] of [
      ['Anna Fictive', 'Soins Exemple'],
      ['Bert Imaginaire', 'CPAS Exemple'],
    ]) {
      await fireEvent.input(screen.getByTestId('member-name'), { target: { value: name } });
      await fireEvent.input(screen.getByTestId('member-organisation'), { target: { value: organisation } });
      await fireEvent.click(screen.getByTestId('member-add'));
      await within(screen.getByTestId('group-members')).findByText(name);
    }
    // A meeting without its date is refused in words.
    await fireEvent.click(screen.getByTestId('meeting-add'));
    await screen.findByText('Choisissez d’abord la date.');
    await fireEvent.input(screen.getByTestId('meeting-date'), { target: { value: '2026-11-12' } });
    await fireEvent.click(screen.getByTestId('meeting-add'));
    const meeting = await screen.findByTestId('group-meeting');
    expect(within(meeting).getByRole('heading').textContent).toBe('Réunion du 12 novembre 2026');
    await fireEvent.click(within(meeting).getAllByTestId('meeting-present')[0]);
    await fireEvent.input(within(meeting).getByTestId('meeting-notes'), { target: { value: 'Premier tour de table' } });
    await fireEvent.click(within(meeting).getByTestId('meeting-save'));
    await waitFor(() => expect(within(screen.getByTestId('group-meeting')).getByText('1 présent')).toBeTruthy());
    // Notes changed and saved by mistake, then undone: the field shows the saved notes again.
    const notes = () => within(screen.getByTestId('group-meeting')).getByTestId('meeting-notes') as HTMLTextAreaElement;
    await fireEvent.input(notes(), { target: { value: 'Des notes pour une autre réunion' } });
    await fireEvent.click(within(screen.getByTestId('group-meeting')).getByTestId('meeting-save'));
    await screen.findByText('Enregistré');
    await fireEvent.click(screen.getByTestId('group-undo'));
    await waitFor(() => expect(notes().value).toBe('Premier tour de table'));

    await fireEvent.click(screen.getByTestId('recommendation-add'));
    await screen.findByText('Écrivez la recommandation.');
    await fireEvent.input(screen.getByTestId('recommendation-text'), { target: { value: 'Une permanence le vendredi soir' } });
    await fireEvent.input(screen.getByTestId('recommendation-owner'), { target: { value: 'CPAS Exemple' } });
    await fireEvent.click(screen.getByTestId('recommendation-add'));
    const r = await screen.findByTestId('recommendation');
    expect(r.textContent?.replace(/\s+/g, ' ')).toContain('Portée par : CPAS Exemple');
    await fireEvent.change(within(r).getByTestId('recommendation-status'), { target: { value: 'adopted' } });
    await fireEvent.input(within(r).getByTestId('follow-up-date'), { target: { value: '2026-11-20' } });
    await fireEvent.click(within(r).getByTestId('follow-up-add'));
    expect((await within(screen.getByTestId('recommendation')).findByTestId('follow-up')).textContent).toContain('À revoir le 20 novembre 2026');

    // Dropped by mistake, then undone.
    await fireEvent.change(within(screen.getByTestId('recommendation')).getByTestId('recommendation-status'), { target: { value: 'dropped' } });
    await waitFor(() => expect((within(screen.getByTestId('recommendation')).getByTestId('recommendation-status') as HTMLSelectElement).value).toBe('dropped'));
    await fireEvent.click(screen.getByTestId('group-undo'));
    await waitFor(() => expect((within(screen.getByTestId('recommendation')).getByTestId('recommendation-status') as HTMLSelectElement).value).toBe('adopted'));
    expect(screen.getByTestId('group-status').textContent).toBe('La dernière modification est annulée.');

    await fireEvent.click(screen.getByTestId('group-report'));
    expect((await screen.findByTestId('group-report-saved')).textContent).toContain('Groupe Lanterne rapport fr.pdf');

    // The follow-up list shows the overdue recommendation and opens its group.
    await fireEvent.click(screen.getByTestId('nav-follow'));
    const due = await screen.findByTestId('follow-recommendations');
    expect(due.textContent).toContain('Une permanence le vendredi soir');
    expect(due.textContent).toContain('Groupe Lanterne — portée par CPAS Exemple');
    await fireEvent.click(within(due).getByRole('button', { name: 'Une permanence le vendredi soir' }));
    expect((await screen.findByTestId('group-title')).textContent).toBe('Groupe Lanterne');

    // Back to the list: the group with its counts.
    await fireEvent.click(screen.getByTestId('group-back'));
    const list = await screen.findByTestId('groups');
    expect(list.textContent?.replace(/\s+/g, ' ')).toContain('Sud · 2 membres · 1 réunion · 1 recommandation à suivre');
  });
});
