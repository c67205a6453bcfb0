// Errors as the person in front of the screen reads them: one sentence that says what to do, and the
// fields to mark.
import { isErrorReport } from './platform';
import { translate, type Lang } from './i18n';
import { errorKey } from './labels';

export interface Problem {
  /** The sentence for the whole form or screen. */
  sentence: string;
  /** One sentence per input field (`words`, `address.postalCode`…). */
  fields: Record<string, string>;
}

export function describe(lang: Lang, e: unknown): Problem {
  if (!isErrorReport(e)) return { sentence: translate(lang, 'error.generic', { message: String(e) }), fields: {} };
  const fields: Record<string, string> = {};
  for (const v of e.violations) {
    const key = errorKey(v.code);
    fields[v.field] ??= key ? translate(lang, key) : v.code;
  }
  if (e.violations.length > 0) return { sentence: translate(lang, 'error.fields'), fields };
  const key = errorKey(e.code);
  // A sentence may name what the core's message quotes (the word the sheet cannot print).
  const detail = /"([^"]*)"/.exec(e.message)?.[1] ?? '';
  return { sentence: key ? translate(lang, key, { detail }) : translate(lang, 'error.generic', { message: e.message }), fields };
}
