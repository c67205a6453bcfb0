// The reference file writes quartiers in capitals (GRAND PLACE, BEGUINAGE - DIXMUDE): shown as names.
export function quartierName(text: string | null): string {
  return (text ?? '')
    .toLowerCase()
    .replace(/(^|[\s'’(-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}
