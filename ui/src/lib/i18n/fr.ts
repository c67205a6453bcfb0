// French: the default language of the referents' screens, and the source of the keys.
export const fr = {
  'app.subtitle': "Plans d'accompagnement",
  'language.label': 'Langue',
  'unlock.title': 'Ouvrir vos données',
  'unlock.help': 'Les données sont chiffrées sur cet ordinateur. Tapez votre phrase de passe pour les ouvrir.',
  'unlock.label': 'Phrase de passe',
  'unlock.submit': 'Ouvrir',
  'unlock.wrong': "Cette phrase de passe n'ouvre pas les données. Vérifiez-la (majuscules ?) et réessayez.",
  'unlock.empty': 'Tapez votre phrase de passe.',
  'people.title': 'Personnes accompagnées',
  'people.search': 'Chercher un nom',
  'people.count.one': '{n} personne',
  'people.count.other': '{n} personnes',
  'people.empty': 'Personne ne correspond à « {q} ».',
  'people.priorities.one': '{n} priorité',
  'people.priorities.other': '{n} priorités',
  'people.actions.one': '{n} action en cours',
  'people.actions.other': '{n} actions en cours',
  'people.review': 'Revoir le {date}',
  'people.reviewDue': 'À revoir depuis le {date}',
  'people.print': 'Imprimer la fiche',
  'people.printFor': 'Imprimer la fiche de {name}',
  'sheet.saved': 'La fiche est enregistrée : {path}',
  'error.generic': "Quelque chose n'a pas fonctionné : {message}",
  'loading': 'Ouverture…',
} as const;

export type Key = keyof typeof fr;
