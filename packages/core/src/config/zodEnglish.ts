// zod/mini (a fraction of zod's size in a browser bundle) ships no messages; parsing with English
// ones per call gives the same text as full zod ("expected number, received string") without
// setting zod's global locale under the application.
import en from 'zod/v4/locales/en.js';

/** Pass as the second argument of `schema.safeParse` / `schema.parse`. */
export const zodEnglish = { error: en().localeError } as const;
