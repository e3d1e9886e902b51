// An esbuild plugin that bundles tfjs-core's gradient registrations without tfjs-core itself.
//
// tfjs-core ships its gradient configs only as extensionless ESM under dist/gradients (its Node and
// browser bundles leave them out), so plain Node cannot import `@tensorflow/tfjs-core/dist/register_all_gradients`
// and a built package has to carry them. Bundled naively they drag in ~270 kB of tfjs-core's
// internals (engine, tensor, ops): a second copy of TF.js in every build. This plugin bundles only
// register_all_gradients.js, the gradient configs and the few op wrappers the public API lacks, and
// resolves every other tfjs-core-internal import to the same names on the public
// '@tensorflow/tfjs-core' entry, which stays external. A name the public entry lacks fails the build.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Plugin } from 'esbuild';

/** The import that core's model makes (and that `noExternal` lets through to this plugin). */
export const GRADIENTS_ENTRY = '@tensorflow/tfjs-core/dist/register_all_gradients';

const PUBLIC = '@tensorflow/tfjs-core';
const VIRTUAL = 'adatosk-tfjs-public';
// Public namespaces that hold tfjs-core's internal helpers under the same names.
const NAMESPACES = ['backend_util', 'util', 'slice_util'] as const;

// Internal names with no public twin, given as public-API code. ENGINE is the global engine that
// `engine()` returns. convertToTensor: gradient functions pass only Tensors (dy and saved tensors),
// which tfjs-core's version returns unchanged after a dtype check; anything else is a bug here.
const SHIMS: Record<string, Record<string, string>> = {
  'engine.js': { ENGINE: `const ENGINE = tf.engine();` },
  'tensor_util_env.js': {
    convertToTensor: `function convertToTensor(x, argName, functionName) {
  if (x instanceof tf.Tensor && x.dtype !== 'string') return x;
  throw new Error(\`Argument '\${argName}' passed to '\${functionName}' must be a numeric Tensor in a gradient\`);
}`,
  },
};

interface ImportedNames {
  /** `import { a, b as c }`: the imported names (a, b). */
  named: Set<string>;
  /** `import * as ns`: the members read from it (`ns.x`). */
  members: Set<string>;
}

/** What `importer` takes from `specifier` (tsc's output: one import statement per line). */
function importedNames(importer: string, specifier: string): ImportedNames {
  const src = readFileSync(importer, 'utf8');
  const out: ImportedNames = { named: new Set(), members: new Set() };
  const quoted = specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  for (const m of src.matchAll(new RegExp(`^import \\{([^}]*)\\} from ['"]${quoted}['"]`, 'gm'))) {
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/)[0];
      if (name) out.named.add(name);
    }
  }
  for (const m of src.matchAll(new RegExp(`^import \\* as (\\w+) from ['"]${quoted}['"]`, 'gm'))) {
    for (const use of src.matchAll(new RegExp(`\\b${m[1]}\\.(\\w+)`, 'g'))) out.members.add(use[1]);
  }
  if (new RegExp(`^(import|export) [^;]*['"]${quoted}['"]`, 'm').test(src) && out.named.size + out.members.size === 0)
    throw new Error(`tfjs-gradients: cannot read what ${importer} imports from '${specifier}'`);
  return out;
}

/**
 * Bundle tfjs-core's gradient registrations (see the file comment). `packageDir` is the package
 * being built: its installed tfjs-core is the one read, and the one the output imports.
 */
export function tfjsGradientsPlugin(packageDir = process.cwd()): Plugin {
  const req = createRequire(join(packageDir, 'package.json'));
  // Read lazily: most packages never import the gradients, and some builds have no tfjs-core to read.
  let installed: { dist: string; tf: Record<string, unknown> } | undefined;
  const tfjs = () => (installed ??= { dist: join(dirname(req.resolve(`${PUBLIC}/package.json`)), 'dist'), tf: req(PUBLIC) });

  /** Public-API code for `name` as exported by internal module `file` (relative to dist), or undefined. */
  function publicSource(file: string, name: string): string | undefined {
    const { tf } = tfjs();
    const shim = SHIMS[file]?.[name];
    if (shim) return shim;
    // Helpers first from the namespace named like their module (ops/slice_util -> slice_util), then top level.
    const own = NAMESPACES.find((ns) => file === `${ns}.js` || file === `ops/${ns}.js`);
    const order = [...(own ? [own] : []), 'top', ...NAMESPACES.filter((ns) => ns !== own)];
    for (const where of order) {
      if (where === 'top' && name in tf) return `const ${name} = tf.${name};`;
      const ns = where !== 'top' ? (tf[where] as Record<string, unknown> | undefined) : undefined;
      if (ns && name in ns) return `const ${name} = tf.${where}.${name};`;
    }
    return undefined;
  }

  return {
    name: 'adatosk-tfjs-gradients',
    setup(build) {
      build.onResolve({ filter: /^@tensorflow\/tfjs-core\/dist\/register_all_gradients(\.js)?$/ }, () => ({
        path: join(tfjs().dist, 'register_all_gradients.js'),
        sideEffects: true,
      }));

      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (!args.importer.includes(`${sep}@tensorflow${sep}tfjs-core${sep}`)) return undefined;
        const { dist } = tfjs();
        if (!args.importer.startsWith(dist + sep)) return undefined;
        const target = resolve(dirname(args.importer), args.path.endsWith('.js') ? args.path : `${args.path}.js`);
        const file = relative(dist, target).split(sep).join('/');
        // The gradient configs themselves are what we bundle.
        if (file.startsWith('gradients/') || file === 'register_all_gradients.js') return { path: target };
        const { named, members } = importedNames(args.importer, args.path);
        const names = [...named, ...members];
        const missing = names.filter((n) => publicSource(file, n) === undefined);
        if (missing.length === 0) return { path: `${file}?${names.sort().join(',')}`, namespace: VIRTUAL, pluginData: { file, names } };
        // An op wrapper the public API lacks (conv2DBackpropFilter, maxPoolGrad...): bundle its small
        // file, whose own imports go through this same rule. Anything bigger is a mistake.
        if (file.startsWith('ops/') && /^export const \w+ = (\/\* @__PURE__ \*\/ )?op\(/m.test(readFileSync(target, 'utf8')))
          return { path: target };
        throw new Error(
          `tfjs-gradients: ${relative(dist, args.importer)} imports ${missing.join(', ')} from tfjs-core's ${file}, ` +
            `which the public '${PUBLIC}' entry does not export: add a shim in scripts/tfjs-gradients.ts`,
        );
      });

      build.onLoad({ filter: /.*/, namespace: VIRTUAL }, (args) => {
        const { file, names } = args.pluginData as { file: string; names: string[] };
        const lines = names.map((n) => publicSource(file, n) as string);
        return {
          contents: `import * as tf from '${PUBLIC}';\n${lines.join('\n')}\nexport { ${names.join(', ')} };\n`,
          resolveDir: packageDir,
          loader: 'js',
        };
      });
    },
  };
}
