// Reads are asynchronous only: WebGPU in Node (Dawn) has no synchronous read back, so `dataSync()`,
// `arraySync()` and `bufferSync()` throw there. This fails when shipped code calls one (tests may).
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SYNC_READS = new Set(['dataSync', 'arraySync', 'bufferSync']);

/** `file:line name` for every call of a synchronous read in `file`. */
function syncReads(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isElementAccessExpression(callee) && ts.isStringLiteral(callee.argumentExpression)
          ? callee.argumentExpression.text
          : undefined;
      if (name && SYNC_READS.has(name)) found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${name}()`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('asynchronous reads only', () => {
  it('no shipped source calls dataSync, arraySync or bufferSync', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', 'packages'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /^packages\/[^/]+\/(src|demo)\/.*\.ts$/.test(f) && !f.endsWith('.d.ts'));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) => syncReads(f, readFileSync(resolve(root, f), 'utf8')));
    expect(found, 'use `await tensor.data()` / `await tensor.array()` instead').toEqual([]);
  });

  it('finds the calls it forbids (so the check above can fail)', () => {
    expect(syncReads('x.ts', 'const a = t.dataSync(); const b = m.v["arraySync"](); // t.bufferSync() in a comment')).toEqual([
      'x.ts:1 dataSync()',
      'x.ts:1 arraySync()',
    ]);
  });
});
