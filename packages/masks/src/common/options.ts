// Options are validated with zod so a typo names the key ("Unrecognized key: 'gama'") instead of
// being silently ignored. zod/mini keeps browser bundles small; it ships no messages, so each parse
// gets zod's English ones (the same text as full zod) without touching zod's global locale.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/** Pass as the second argument of `schema.parse` / `schema.safeParse`. */
export const zodEnglish = { error: en().localeError } as const;

/** A `parseOptions` function for a zod object schema: fills defaults, throws a readable message. */
export function zodOptions<S extends z.ZodMiniType>(schema: S): (raw: unknown) => z.output<S> {
  return (raw) => {
    const result = schema.safeParse(raw ?? {}, zodEnglish);
    if (!result.success) throw new Error(z.prettifyError(result.error));
    return result.data;
  };
}

/** `detachMask` (default true): compute the scores without gradient. */
export const detachMaskOption = z._default(z.boolean(), true);
/** Temperature of the dynamic mask's sigmoid, `gammaCa > 0` (default 1). */
export const gammaCaOption = z._default(z.number().check(z.positive()), 1);

/** How the class-semantic mask picks its class when it has no label. */
export type ClassTarget = 'argmax' | 'expected';
/** `classTarget` (default `argmax`): the predicted class, or the activation expected under the class probabilities. */
export const classTargetOption = z._default(z.enum(['argmax', 'expected']), 'argmax');
