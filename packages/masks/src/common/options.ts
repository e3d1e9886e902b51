// Options are validated with zod so a typo names the key ("Unrecognized key: 'gama'") instead of
// being silently ignored.
import { z } from 'zod';

/** A `parseOptions` function for a zod object schema: fills defaults, throws a readable message. */
export function zodOptions<S extends z.ZodType>(schema: S): (raw: unknown) => z.output<S> {
  return (raw) => {
    const result = schema.safeParse(raw ?? {});
    if (!result.success) throw new Error(z.prettifyError(result.error));
    return result.data;
  };
}

/** `detachMask` (default true): compute the scores without gradient. */
export const detachMaskOption = z.boolean().default(true);
/** Temperature of the dynamic mask's sigmoid, `gammaCa > 0` (default 1). */
export const gammaCaOption = z.number().positive().finite().default(1);

/** How the class-semantic mask picks its class when it has no label. */
export type ClassTarget = 'argmax' | 'expected';
/** `classTarget` (default `argmax`): the predicted class, or the activation expected under the class probabilities. */
export const classTargetOption = z.enum(['argmax', 'expected']).default('argmax');
