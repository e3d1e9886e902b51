// The typed mask registry. It lives on globalThis under a Symbol.for key so that two copies of
// @adatosk/core (a bundled app plus a plugin resolving its own copy) still share one table.
import type { HardMaskStrategy, MaskKind, MaskStrategy, SoftMaskStrategy } from './types.js';
import { checkedHardStrategy, checkedSoftStrategy } from './validate.js';

/**
 * Mask name -> options type. Empty here; every strategy adds itself by declaration merging:
 *
 * ```ts
 * declare module '@adatosk/core' {
 *   interface MaskRegistry { 'my-mask': { sharpness?: number } }
 * }
 * ```
 * so `createMask('my-mask', { sharpness: 2 })` is type checked.
 */
// biome-ignore lint/suspicious/noEmptyInterface: strategies extend it by declaration merging.
export interface MaskRegistry {}

/** Names known to the type system (registered through {@link MaskRegistry}). */
export type MaskName = keyof MaskRegistry & string;

/** The options type of a mask name (a loose record for names the type system does not know). */
export type MaskOptionsOf<N extends string> = N extends keyof MaskRegistry ? MaskRegistry[N] : Record<string, unknown>;

/** A name and its options, as a config file or the model options write it. */
export type MaskSpec = [MaskName] extends [never]
  ? { name: string; options?: Record<string, unknown> }
  : { [N in MaskName]: { name: N; options?: MaskRegistry[N] } }[MaskName];

/** A strategy name with options, checked only at run time (names read from a config file). */
export interface UncheckedMaskSpec {
  name: string;
  options?: Record<string, unknown>;
}

/** How a mask strategy is made: what {@link registerMask} takes. */
export interface MaskDefinition<I = Record<string, unknown>, P = I> {
  name: string;
  kind: MaskKind;
  /** One line for `listMasks()` and the CLI. */
  description?: string;
  /**
   * Validates raw options and fills defaults (for example a zod schema's `parse`); throw an Error
   * that names the bad key. Without it the raw options (or `{}`) reach `create` unchanged.
   */
  parseOptions?: (raw: I | undefined) => P;
  create(options: P): MaskStrategy;
}

/** What `listMasks()` reports. */
export interface MaskInfo {
  name: string;
  kind: MaskKind;
  description: string;
}

interface MaskStore {
  // biome-ignore lint/suspicious/noExplicitAny: one table holds definitions of every options type.
  definitions: Map<string, MaskDefinition<any, any>>;
}

const STORE_KEY = Symbol.for('@adatosk/core/masks');

function store(): MaskStore {
  const g = globalThis as unknown as Record<symbol, MaskStore | undefined>;
  let s = g[STORE_KEY];
  if (!s) {
    s = { definitions: new Map() };
    g[STORE_KEY] = s;
  }
  return s;
}

/**
 * Registers a mask strategy under `definition.name`. Registering the same definition object again
 * is a no-op; a different definition under a taken name replaces it with a warning.
 */
export function registerMask<I, P>(definition: MaskDefinition<I, P>): void {
  if (typeof definition?.name !== 'string' || definition.name.length === 0) {
    throw new TypeError('registerMask: the definition needs a non-empty string `name`.');
  }
  if (definition.kind !== 'hard' && definition.kind !== 'soft') {
    throw new TypeError(`registerMask('${definition.name}'): \`kind\` must be 'hard' or 'soft', got ${JSON.stringify(definition.kind)}.`);
  }
  if (typeof definition.create !== 'function') {
    throw new TypeError(`registerMask('${definition.name}'): the definition needs a \`create(options)\` function.`);
  }
  const { definitions } = store();
  const existing = definitions.get(definition.name);
  if (existing === definition) return;
  if (existing) {
    console.warn(`[@adatosk/core] registerMask: a mask named '${definition.name}' is already registered; the new definition replaces it.`);
  }
  definitions.set(definition.name, definition);
}

/** Removes a mask; returns whether it was registered. */
export function unregisterMask(name: string): boolean {
  return store().definitions.delete(name);
}

/** Names, kinds and descriptions of every registered mask, sorted by name. */
export function listMasks(): MaskInfo[] {
  return [...store().definitions.values()]
    .map((d) => ({ name: d.name, kind: d.kind, description: d.description ?? '' }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The registered definition of a mask, or undefined. */
export function getMask(name: string): MaskDefinition<unknown, unknown> | undefined {
  return store().definitions.get(name);
}

/** True when a mask of that name is registered. */
export function hasMask(name: string): boolean {
  return store().definitions.has(name);
}

/** Test-only: forget every registration (built-ins included; `@adatosk/masks` re-registers with `registerBuiltinMasks()`). */
export function resetMaskRegistry(): void {
  store().definitions.clear();
}

function lookup(name: string): MaskDefinition<unknown, unknown> {
  const definition = store().definitions.get(name);
  if (!definition) {
    const known = listMasks().map((m) => m.name);
    throw new Error(
      `Unknown mask '${name}'. Registered masks: ${known.length ? known.join(', ') : '(none)'}. ` +
        `Import '@adatosk/masks' to register the built-in strategies, or call registerMask({ name: '${name}', ... }) for your own.`,
    );
  }
  return definition;
}

function build(name: string, options: unknown): MaskStrategy {
  const definition = lookup(name);
  let parsed: unknown;
  try {
    parsed = definition.parseOptions ? definition.parseOptions(options) : (options ?? {});
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Invalid options for mask '${name}': ${reason}`, { cause: error });
  }
  const strategy = definition.create(parsed);
  if (!strategy || strategy.kind !== definition.kind) {
    throw new Error(
      `Mask '${name}' is registered as a ${definition.kind} mask but create() returned ${strategy ? `a ${String(strategy.kind)} strategy` : String(strategy)}.`,
    );
  }
  return strategy.kind === 'hard' ? checkedHardStrategy(strategy) : checkedSoftStrategy(strategy);
}

/** Creates a registered mask strategy by name, with options type checked per name. */
export function createMask<N extends MaskName>(name: N, options?: MaskRegistry[N]): MaskStrategy {
  return build(name, options);
}

/** Like {@link createMask} but insists on a hard mask. */
export function createHardMask<N extends MaskName>(name: N, options?: MaskRegistry[N]): HardMaskStrategy {
  return expectKind(build(name, options), 'hard') as HardMaskStrategy;
}

/** Like {@link createMask} but insists on a soft mask. */
export function createSoftMask<N extends MaskName>(name: N, options?: MaskRegistry[N]): SoftMaskStrategy {
  return expectKind(build(name, options), 'soft') as SoftMaskStrategy;
}

/**
 * Creates a mask from a name read at run time (a CLI config): options are validated by the
 * strategy's `parseOptions` only. `kind` adds a check that names the expected kind.
 */
export function createMaskFromSpec(spec: UncheckedMaskSpec | MaskSpec, kind?: MaskKind): MaskStrategy {
  if (typeof spec !== 'object' || spec === null || typeof spec.name !== 'string') {
    throw new TypeError(`A mask spec must look like { name: 'combined', options: { ... } }, got ${JSON.stringify(spec)}.`);
  }
  const strategy = build(spec.name, spec.options);
  return kind ? expectKind(strategy, kind) : strategy;
}

function expectKind(strategy: MaskStrategy, kind: MaskKind): MaskStrategy {
  if (strategy.kind !== kind) {
    const wanted = kind === 'hard' ? 'hard (binary token) mask' : 'soft (token score) mask';
    const suggestions = listMasks()
      .filter((m) => m.kind === kind)
      .map((m) => m.name)
      .join(', ');
    throw new Error(
      `Mask '${strategy.name}' is a ${strategy.kind} mask, but a ${wanted} is needed here. ${kind} masks: ${suggestions || '(none registered)'}.`,
    );
  }
  return strategy;
}
