import type { Key } from './fr';

export const nl: Record<Key, string> = {
  'app.subtitle': 'Begeleidingsplannen',
  'language.label': 'Taal',
  'unlock.title': 'Uw gegevens openen',
  'unlock.help': 'De gegevens zijn versleuteld op deze computer. Typ uw wachtzin om ze te openen.',
  'unlock.label': 'Wachtzin',
  'unlock.submit': 'Openen',
  'unlock.wrong': 'Deze wachtzin opent de gegevens niet. Controleer hem (hoofdletters?) en probeer opnieuw.',
  'unlock.empty': 'Typ uw wachtzin.',
  'people.title': 'Begeleide personen',
  'people.search': 'Zoek een naam',
  'people.count': '{n} personen',
  'people.empty': 'Niemand gevonden voor „{q}”.',
  'people.priorities': '{n} prioriteiten',
  'people.actions': '{n} lopende acties',
  'people.review': 'Herbekijken op {date}',
  'people.reviewDue': 'Te herbekijken sinds {date}',
  'error.generic': 'Er ging iets mis: {message}',
  'loading': 'Openen…',
};
