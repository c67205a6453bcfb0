import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../App.svelte';
import { mockPlatform } from '../platform/mock';
import { demoPeople, hospitalProposals } from '../platform/demo';

const FILE = '/home/test/Téléchargements/sortie.json';

async function openPlan(name = 'Jan Voorbeeld') {
  const platform = mockPlatform(demoPeople, 'x', true, 300, [], '2026-11-23', {
    online: true,
    hospitalFiles: [{ path: FILE, name: 'sortie.json', modified: '2026-11-23T08:00:00Z' }],
    hospitalBundles: { [FILE]: hospitalProposals() },
  });
  render(App, { platform });
  await waitFor(() => expect(screen.getAllByTestId('person-name').length).toBeGreaterThan(0));
  await fireEvent.click(screen.getByRole('button', { name: `Ouvrir le plan de ${name}` }));
  await screen.findByTestId('stay-new');
  return platform;
}

const input = (testid: string, value: string, root: HTMLElement = document.body) =>
  fireEvent.input(within(root).getByTestId(testid), { target: { value } });

describe('the hospital liaison in the window', () => {
  afterEach(cleanup);

  it('notes an admission, refuses a discharge before it, and turns checklist items into actions', async () => {
    const platform = await openPlan();
    await fireEvent.click(screen.getByTestId('stay-new'));
    const form = await screen.findByTestId('stay-form');
    // No hospital named: said in words, nothing saved.
    await fireEvent.click(within(form).getByTestId('stay-save'));
    await within(form).findByText('Écrivez le nom de l’hôpital.');
    await input('stay-admitted', '2026-11-20', form);
    await input('stay-hospital', 'Hôpital Fictif', form);
    await input('stay-ward', 'Gériatrie', form);
    await input('stay-discharge-on', '2026-11-19', form);
    await fireEvent.click(within(form).getByTestId('stay-save'));
    await within(form).findByText('La sortie ne peut pas être avant l’entrée.');
    await input('stay-discharge-on', '2026-11-26', form);
    await fireEvent.click(within(form).getByTestId('stay-save'));
    const stay = await screen.findByTestId('stay');
    expect(within(stay).getByTestId('stay-title').textContent?.trim()).toBe('À l’hôpital depuis le 20 novembre 2026\u202f: Hôpital Fictif');

    await fireEvent.click(within(stay).getByTestId('stay-checklist-toggle'));
    const nursing = await within(stay).findByTestId('check-homeNursing');
    await input('check-what', 'Infirmière pour les pansements', nursing);
    await input('check-due', '2026-11-26', nursing);
    await fireEvent.click(within(nursing).getByTestId('check-make'));
    await waitFor(() => expect(within(screen.getByTestId('check-homeNursing')).getByTestId('check-done').textContent).toContain('Infirmière pour les pansements'));
    await fireEvent.click(within(screen.getByTestId('check-meals')).getByTestId('check-skip'));
    await within(screen.getByTestId('check-meals')).findByText('Pas nécessaire pour ce retour.');
    expect(within(screen.getByTestId('stay')).getByTestId('stay-checklist-toggle').textContent?.trim()).toBe('Préparer le retour à domicile (4 points à faire)');
    // The action is in the plan's agreed actions too.
    expect(screen.getAllByTestId('action-what').map((e) => e.textContent)).toContain('Infirmière pour les pansements');

    const list = await platform.followUp();
    expect(list.inHospital.map((h) => h.hospital)).toEqual(['Hôpital Fictif']);
    expect(list.discharges[0].checklistOpen).toBe(4);
  });

  it('refuses to send the plan without consent, then reads a hospital file and decides each proposal', async () => {
    const platform = await openPlan();
    expect(screen.getByTestId('send-no-consent').textContent).toContain('pas encore accepté');
    await fireEvent.click(screen.getByTestId('receive-look'));
    await waitFor(() => expect((screen.getByTestId('receive-file') as HTMLInputElement).value).toBe(FILE));
    await fireEvent.click(screen.getByTestId('receive-read'));
    await screen.findByText('3 propositions reçues (0 déjà dans le plan).');
    expect(screen.getAllByTestId('proposal')).toHaveLength(3);
    // Nothing entered the plan unasked.
    expect(screen.queryAllByTestId('priorities-words')).toHaveLength(0);
    await fireEvent.click(screen.getAllByTestId('proposal-accept')[0]);
    await waitFor(() => expect(screen.getAllByTestId('proposal')).toHaveLength(2));
    await waitFor(() => expect((screen.getAllByTestId('priorities-words')[0] as HTMLInputElement).value).toBe('Remarcher sans déambulateur'));
    await fireEvent.click(screen.getAllByTestId('proposal-reject')[0]);
    await waitFor(() => expect(screen.getAllByTestId('proposal')).toHaveLength(1));
    const log = await platform.auditLog(demoPeople[2].id);
    expect(log.map((e) => e.action)).toContain('import');
  });
});

describe('handing a plan over to a colleague in the window', () => {
  afterEach(cleanup);

  it('seals the plan with a code to tell, and the colleague’s side refuses a wrong code then opens it', async () => {
    await openPlan();
    await fireEvent.click(screen.getByTestId('toggle-rights'));
    await fireEvent.click(await screen.findByTestId('handover-seal'));
    await screen.findByText('Écrivez le nom.');
    await input('handover-to', 'Bert Collègue');
    await fireEvent.click(screen.getByTestId('handover-seal'));
    expect((await screen.findByTestId('handover-code')).textContent).toBe('K7QM-2XPA-9HND-4RTV-B3WE');

    await fireEvent.click(screen.getByTestId('nav-people'));
    await fireEvent.click(await screen.findByTestId('handover-receive'));
    await fireEvent.click(screen.getByTestId('handover-look'));
    await screen.findByTestId('handover-from');
    await input('handover-code-input', 'k7qm 2xpa 9hnd 4rtv b3wa');
    await fireEvent.click(screen.getByTestId('handover-open'));
    expect((await screen.findByTestId('handover-problem')).textContent).toContain('Ce code n’ouvre pas le fichier');
    await input('handover-code-input', 'k7qm 2xpa 9hnd 4rtv b3we');
    await fireEvent.click(screen.getByTestId('handover-open'));
    await screen.findByRole('heading', { name: 'Jan', level: 1 });
  });
});
