/** The golden VideoMAE fixture files (`@adatosk/fixtures`, see its videomae-tiny/README.md), as bytes. */
export interface FixtureBytes {
  /** HF `config.json` text. */
  config: string;
  /** `VideoMAEForPreTraining` weights. */
  pretrain: Uint8Array;
  /** `VideoMAEForVideoClassification` weights. */
  classifier: Uint8Array;
  /** Inputs, outputs, losses and gradients. */
  io: Uint8Array;
}

export const FIXTURE_FILES = {
  config: 'config.json',
  pretrain: 'pretrain.safetensors',
  classifier: 'classifier.safetensors',
  io: 'io.safetensors',
} as const;

/** Read the fixture directory in Node (`node:fs` is imported lazily so browsers never load it). */
export async function loadFixturesFromDir(dir: string): Promise<FixtureBytes> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const read = (f: string) => fs.readFile(path.join(dir, f));
  const [config, pretrain, classifier, io] = await Promise.all([
    read(FIXTURE_FILES.config),
    read(FIXTURE_FILES.pretrain),
    read(FIXTURE_FILES.classifier),
    read(FIXTURE_FILES.io),
  ]);
  const bytes = (b: Uint8Array) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return { config: new TextDecoder().decode(config), pretrain: bytes(pretrain), classifier: bytes(classifier), io: bytes(io) };
}

/** Fetch the fixture files from a base URL (browser pages). */
export async function loadFixturesFromUrl(baseUrl: string): Promise<FixtureBytes> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const get = async (f: string) => {
    const res = await fetch(base + f);
    if (!res.ok) throw new Error(`fixture ${base + f}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
  const [config, pretrain, classifier, io] = await Promise.all([
    get(FIXTURE_FILES.config),
    get(FIXTURE_FILES.pretrain),
    get(FIXTURE_FILES.classifier),
    get(FIXTURE_FILES.io),
  ]);
  return { config: new TextDecoder().decode(config), pretrain, classifier, io };
}

/**
 * The folder of fixture set `name` in Node: `$ADATOSK_FIXTURES/<name>` when that variable is set, else
 * the set inside the installed `@adatosk/fixtures` package (a dev dependency of every backend that runs
 * the parity suite). Nothing outside the installed packages is searched.
 */
export async function findFixturesDir(name = 'videomae-tiny'): Promise<string> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const env = typeof process !== 'undefined' ? process.env.ADATOSK_FIXTURES : undefined;
  let root: string;
  if (env) root = env;
  else {
    try {
      // A variable specifier keeps browser bundlers (Vite, esbuild) from pulling this Node-only package in.
      const fixturesPackage = '@adatosk/fixtures';
      ({ fixturesRoot: root } = (await import(/* @vite-ignore */ fixturesPackage)) as { fixturesRoot: string });
    } catch (error) {
      throw new Error(
        `The VideoMAE golden fixtures are not installed: npm install --save-dev @adatosk/fixtures ` +
          `(or set ADATOSK_FIXTURES to a folder holding ${name}/). (${(error as Error).message})`,
        { cause: error },
      );
    }
  }
  const dir = path.join(root, name);
  if (!fs.existsSync(path.join(dir, FIXTURE_FILES.io)))
    throw new Error(
      `fixtures "${name}": ${path.join(dir, FIXTURE_FILES.io)} is missing; ${env ? 'check ADATOSK_FIXTURES' : 'reinstall @adatosk/fixtures'}`,
    );
  return dir;
}
