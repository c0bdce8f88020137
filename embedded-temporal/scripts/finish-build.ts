/**
 * The package's build, after tsc has written dist/: the Temporal UI built and copied beside the
 * JavaScript (dist/ui-build, which ui/build.ts looks for first), and the bin scripts, which run
 * dist/cli.js when they find it next to them.
 */
import { chmod, cp, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ensureUiBuild } from '../ui/build.ts';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const bin = fileURLToPath(new URL('../bin/', import.meta.url));

await cp(await ensureUiBuild(), `${dist}ui-build`, { recursive: true });
await mkdir(`${dist}bin`, { recursive: true });
for (const name of ['temporal', 'temporal-test-server']) {
  await cp(`${bin}${name}`, `${dist}bin/${name}`);
  await chmod(`${dist}bin/${name}`, 0o755);
}
