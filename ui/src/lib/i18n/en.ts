import type { Key } from './fr';

export const en: Record<Key, string> = {
  'app.subtitle': 'Care plans',
  'language.label': 'Language',
  'unlock.title': 'Open your data',
  'unlock.help': 'The data is encrypted on this computer. Type your passphrase to open it.',
  'unlock.label': 'Passphrase',
  'unlock.submit': 'Open',
  'unlock.wrong': 'This passphrase does not open the data. Check it (caps lock?) and try again.',
  'unlock.empty': 'Type your passphrase.',
  'people.title': 'People you accompany',
  'people.search': 'Search a name',
  'people.count': '{n} people',
  'people.empty': 'No one matches “{q}”.',
  'people.priorities': '{n} priorities',
  'people.actions': '{n} open actions',
  'people.review': 'Review on {date}',
  'people.reviewDue': 'Review due since {date}',
  'error.generic': 'Something went wrong: {message}',
  'loading': 'Opening…',
};
