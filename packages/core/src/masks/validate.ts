// Wrappers that check what a strategy returns, so a faulty plugin fails with its own name in the
// message instead of as a shape error deep inside the model.
import { assertGrid, gridTokens, makeHardMask } from './hard-mask.js';
import type { HardMaskStrategy, SoftMaskContext, SoftMaskStrategy } from './types.js';
import { isRng } from '../random/index.js';

export function checkedHardStrategy(strategy: HardMaskStrategy): HardMaskStrategy {
  return {
    kind: 'hard',
    name: strategy.name,
    sample(request) {
      const who = `hard mask '${strategy.name}'`;
      if (!Number.isInteger(request.batch) || request.batch <= 0) {
        throw new RangeError(`${who}: batch must be a positive integer, got ${request.batch}.`);
      }
      assertGrid(request.grid, `${who}: grid`);
      if (!(request.ratio >= 0 && request.ratio < 1)) {
        throw new RangeError(`${who}: ratio must satisfy 0 <= ratio < 1, got ${request.ratio}.`);
      }
      if (!request.deterministic && !isRng(request.rng)) {
        throw new TypeError(`${who}: pass a seeded rng (createRng(seed) from @adatosk/core) unless deterministic is set.`);
      }
      const mask = strategy.sample(request);
      const tokens = gridTokens(request.grid);
      if (mask.batch !== request.batch || mask.tokens !== tokens) {
        throw new RangeError(`${who} returned a ${mask.batch}x${mask.tokens} mask; expected ${request.batch}x${tokens} (batch x T'*N).`);
      }
      // Re-derive `hidden` from the data so a plugin cannot misreport it.
      return makeHardMask(mask.batch, mask.tokens, mask.data, who);
    },
  };
}

export function checkedSoftStrategy(strategy: SoftMaskStrategy): SoftMaskStrategy {
  const needPixels = (context: SoftMaskContext): void => {
    if (strategy.usesPixels && !context.pixels) {
      throw new Error(`soft mask '${strategy.name}' reads context.pixels (usesPixels: true), but the context has none.`);
    }
  };
  const check = (context: SoftMaskContext, mask: { shape: number[] }, what: string): void => {
    const [b, v] = context.features.shape;
    if (mask.shape.length !== 2 || mask.shape[0] !== b || mask.shape[1] !== v) {
      throw new RangeError(
        `soft mask '${strategy.name}' ${what} has shape [${mask.shape.join(', ')}]; expected [${b}, ${v}] (batch x visible tokens).`,
      );
    }
  };
  const checked: SoftMaskStrategy = {
    kind: 'soft',
    name: strategy.name,
    usesPixels: strategy.usesPixels,
    compute(context) {
      checkContext(context, strategy.name);
      needPixels(context);
      const mask = strategy.compute(context);
      check(context, mask, 'compute()');
      return mask;
    },
  };
  if (strategy.explain) {
    const explain = strategy.explain.bind(strategy);
    checked.explain = (context) => {
      checkContext(context, strategy.name);
      needPixels(context);
      const out = explain(context);
      check(context, out.mask, 'explain().mask');
      return out;
    };
  }
  return checked;
}

function checkContext(context: SoftMaskContext, name: string): void {
  const who = `soft mask '${name}'`;
  const shape = context.features?.shape;
  if (!shape || shape.length !== 3) {
    throw new RangeError(`${who}: context.features must be [B, V, D], got ${shape ? `[${shape.join(', ')}]` : String(shape)}.`);
  }
  assertGrid(context.grid, `${who}: context.grid`);
  if (context.tokenIndices.length !== shape[0] * shape[1]) {
    throw new RangeError(`${who}: context.tokenIndices has ${context.tokenIndices.length} entries; expected B*V = ${shape[0] * shape[1]}.`);
  }
}
