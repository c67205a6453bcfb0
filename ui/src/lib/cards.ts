// The picture cards: the colour pictograms of assets/cards/color (Fluent Emoji Flat, MIT; see
// assets/cards/SOURCE.md), the same ids as the core's `domain::CARDS` and the printed sheet.
const files = import.meta.glob('../../../assets/cards/color/*.svg', { eager: true, query: '?url', import: 'default' });

export const cardUrls: Record<string, string> = Object.fromEntries(
  Object.entries(files).map(([path, url]) => [path.replace(/^.*\/(.+)\.svg$/, '$1'), url as string]),
);

/** The cards in the order the card grid shows them: the life domains first, as the core lists them. */
export const cardIds: string[] = [
  'health', 'pain', 'medication', 'sleep', 'food', 'moving', 'home', 'money', 'paperwork', 'family',
  'friends', 'loneliness', 'mood', 'memory', 'leisure', 'transport', 'safety', 'help-at-home', 'carer',
  'language', 'hygiene', 'breathing', 'sight', 'hearing', 'shopping', 'pet', 'faith', 'work',
].filter((id) => id in cardUrls);
