import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The folder Node loads `name` from when `fromDir`'s code imports it: the nearest node_modules up the tree. */
function installedDir(name: string, fromDir: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return null;
  }
}

function dependenciesOf(packageDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(manifest.dependencies ?? {});
}

/**
 * Each package the Temporal SDK's parts depend on, and the copies of it they load. Two copies of
 * protobufjs made the SDK's historyFromJSON throw "type must be a Type": one copy's types were
 * handed to the other's JSON reader.
 */
function sdkDependencyCopies(): Map<string, Set<string>> {
  const sdkDir = join(ROOT, 'node_modules', '@temporalio');
  const copies = new Map<string, Set<string>>();
  // @temporalio/ui is the web UI's built assets, not SDK code that shares objects with the rest.
  for (const part of readdirSync(sdkDir).filter((name) => name !== 'ui')) {
    const partDir = realpathSync(join(sdkDir, part));
    for (const name of dependenciesOf(partDir)) {
      if (name.startsWith('@temporalio/')) continue;
      const dir = installedDir(name, partDir);
      if (dir) copies.set(name, (copies.get(name) ?? new Set()).add(dir));
    }
  }
  return copies;
}

describe('the Temporal SDK as installed', () => {
  it('loads one copy of each package its parts share', () => {
    const copies = sdkDependencyCopies();
    expect(copies.get('protobufjs')?.size, 'protobufjs is one of them').to.equal(1);
    const doubled = [...copies].filter(([, dirs]) => dirs.size > 1).map(([name, dirs]) => `${name}: ${[...dirs].join(', ')}`);
    expect(doubled).to.deep.equal([]);
  });
});
