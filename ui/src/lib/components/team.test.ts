import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import App from '../../App.svelte';
import { mockPlatform } from '../platform/mock';
import { demoPeople } from '../platform/demo';
import type { SyncStatus } from '../bindings/SyncStatus';

async function openApp(network: { online: boolean; sync?: SyncStatus } = { online: true }) {
  const platform = mockPlatform(demoPeople, 'x', true, 300, [], '2026-11-23', network);
  render(App, { platform });
  await waitFor(() => expect(screen.getAllByTestId('person-name').length).toBeGreaterThan(0));
  return platform;
}

/** The top bar's sync status, as read: its mark and its words. */
const badge = () => screen.getByTestId('sync-badge').textContent?.replace(/\s+/g, ' ').trim();

describe('the team and its sync', () => {
  afterEach(cleanup);

  it('joins a team with a code, then says in words when it synced and what waits', async () => {
    await openApp();
    expect(screen.queryByTestId('sync-badge')).toBeNull();
    await fireEvent.click(screen.getByTestId('nav-team'));
    await screen.findByText('Cet ordinateur n’est dans aucune équipe : tous les plans restent ici.');

    await fireEvent.input(screen.getByTestId('team-code'), { target: { value: 'ABCD' } });
    await fireEvent.input(screen.getByTestId('team-name'), { target: { value: 'Bert (Exemple)' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Rejoindre l’équipe' }));
    await screen.findByText(/Ce code d’invitation n’est pas valable/);

    await fireEvent.input(screen.getByTestId('team-code'), { target: { value: 'http://relais.exemple#ABCD-EFGH' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Rejoindre l’équipe' }));
    await screen.findByText('Cet ordinateur a rejoint l’équipe.');
    const members = await screen.findByTestId('team-members');
    expect(members.textContent).toContain('Anna (Exemple)');
    expect(members.textContent).toContain('Bert (Exemple)');
    expect(screen.getByTestId('sync-state').textContent).toContain('Aucun changement échangé pour l’instant.');

    await fireEvent.click(screen.getByTestId('sync-now'));
    await waitFor(() => expect(screen.getByTestId('sync-notice').textContent).toBe('À jour : 2 changements reçus, 0 changement envoyé.'));
    await waitFor(() => expect(screen.getByTestId('sync-state').textContent).toMatch(/Derniers changements échangés\s: 23 novembre 2026 à 11:42/));
    expect(screen.getByTestId('sync-state').textContent).toContain('Tout ce qui a changé ici est envoyé.');
    expect(badge()).toBe('✓ À jour');

    await fireEvent.click(screen.getByTestId('team-invite'));
    expect((await screen.findByTestId('team-invitation')).textContent).toMatch(/^http:\/\/relais\.exemple#ABCD-/);
  });

  it('offline, says that the changes wait safely and what to do, and syncs when the network returns', async () => {
    const network = { online: false };
    await openApp(network);
    await fireEvent.click(screen.getByTestId('nav-team'));
    await fireEvent.input(screen.getByTestId('team-code'), { target: { value: 'http://relais.exemple#ABCD' } });
    await fireEvent.input(screen.getByTestId('team-name'), { target: { value: 'Bert' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Rejoindre l’équipe' }));
    await screen.findByTestId('sync-now');

    await fireEvent.click(screen.getByTestId('sync-now'));
    const problem = await screen.findByTestId('sync-problem');
    expect(problem.textContent).toContain('Les changements restent ici, en sécurité');
    expect(screen.getByTestId('sync-notice').textContent).toContain('Pas de connexion au serveur de l’équipe.');
    expect(badge()).toBe('! Pas à jour');

    network.online = true;
    window.dispatchEvent(new Event('online'));
    await waitFor(() => expect(screen.queryByTestId('sync-problem')).toBeNull());
    expect(badge()).toBe('✓ À jour');
  });

  it('removes a colleague’s computer only after asking once more, and says it is done', async () => {
    const network = { online: true };
    await openApp(network);
    await fireEvent.click(screen.getByTestId('nav-team'));
    await fireEvent.input(screen.getByTestId('team-code'), { target: { value: 'http://relais.exemple#ABCD-EFGH' } });
    await fireEvent.input(screen.getByTestId('team-name'), { target: { value: 'Bert (Exemple)' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Rejoindre l’équipe' }));
    await screen.findByTestId('team-members');
    // Only the others' computers can be removed, not this one.
    expect(screen.getAllByTestId('team-remove').map((b) => b.textContent?.trim())).toEqual(['Retirer Anna (Exemple)']);

    // Cancelled: nothing happens.
    await fireEvent.click(screen.getByRole('button', { name: 'Retirer Anna (Exemple)' }));
    await screen.findByRole('alertdialog', { name: 'Retirer « Anna (Exemple) » de l’équipe ?' });
    await fireEvent.click(screen.getByRole('button', { name: 'Annuler' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.getByTestId('team-members').textContent).not.toContain('retiré de l’équipe');

    // Offline: the relay must hear it, so the window says what went wrong and nothing changes.
    network.online = false;
    await fireEvent.click(screen.getByRole('button', { name: 'Retirer Anna (Exemple)' }));
    await fireEvent.click(await screen.findByTestId('remove-confirm'));
    expect((await screen.findByRole('alert')).textContent).toContain('Pas de connexion au serveur de l’équipe');
    expect(screen.getByTestId('team-members').textContent).not.toContain('retiré de l’équipe');

    network.online = true;
    await fireEvent.click(screen.getByRole('button', { name: 'Retirer Anna (Exemple)' }));
    await fireEvent.click(await screen.findByTestId('remove-confirm'));
    await waitFor(() => expect(screen.getByTestId('sync-notice').textContent).toBe('« Anna (Exemple) » ne fait plus partie de l’équipe.'));
    await waitFor(() => expect(screen.getByTestId('team-members').textContent).toContain('retiré de l’équipe'));
    expect(screen.queryAllByTestId('team-remove')).toHaveLength(0);
  });

  it('a computer removed from its team says so, and a new code brings it back', async () => {
    const removedTeam = {
      team: '00000000-0000-4000-8000-0000000000aa',
      device: '00000000-0000-4000-8000-000000000002',
      name: 'Bert (Exemple)',
      relay: 'http://relais.exemple',
      epoch: 2,
      revoked: true,
      members: [
        { device: '00000000-0000-4000-8000-000000000001', name: 'Anna (Exemple)', invited: false, revoked: false, me: false },
        { device: '00000000-0000-4000-8000-000000000002', name: 'Bert (Exemple)', invited: false, revoked: true, me: true },
      ],
    };
    await openApp({ online: true, sync: { team: removedTeam, lastOk: null, lastTry: null, problem: null, waiting: 0, private: 0 } });
    await fireEvent.click(screen.getByTestId('nav-team'));
    expect((await screen.findByTestId('team-removed')).textContent).toContain('a été retiré de l’équipe');
    expect(screen.queryByTestId('team-invite')).toBeNull();
    expect(screen.queryAllByTestId('team-remove')).toHaveLength(0);
    await fireEvent.input(screen.getByTestId('team-code'), { target: { value: 'http://relais.exemple#WXYZ' } });
    await fireEvent.input(screen.getByTestId('team-name'), { target: { value: 'Bert (retrouvé)' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Rejoindre l’équipe' }));
    await waitFor(() => expect(screen.queryByTestId('team-removed')).toBeNull());
    expect(screen.getByTestId('team-members').textContent).toContain('Bert (retrouvé)');
    expect(screen.getByTestId('team-invite')).toBeTruthy();
  });
});
