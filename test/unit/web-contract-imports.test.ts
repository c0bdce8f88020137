import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every `import … from` / `export … from` statement of a file, with whether it is types only. */
function fromStatements(source: string): Array<{ typeOnly: boolean; from: string }> {
  return [...source.matchAll(/\b(import|export)\s+(type\s+)?(?:\{[^}]*\}|\*(?:\s+as\s+\w+)?|\w+)\s+from\s+'([^']+)'/g)].map((m) => ({ typeOnly: Boolean(m[2]), from: m[3] }));
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|vue)$/.test(file))
    .map((file) => join(dir, file));
}

/** The web app takes the API's types from domain/contract.ts only, and as types: domain's code must not reach the browser. */
describe('web app: the API contract', () => {
  it('imports domain/ only through domain/contract.ts, and only with import type', () => {
    const imports = sourcesUnder('web-vue/src').flatMap((file) =>
      fromStatements(readFileSync(file, 'utf8'))
        .filter((s) => /(^|\/)domain\//.test(s.from))
        .map((s) => ({ file, ...s })),
    );
    expect(imports.length).to.be.greaterThan(0);
    for (const s of imports) {
      expect(s.from, s.file).to.match(/\/domain\/contract\.ts$/);
      expect(s.typeOnly, `${s.file} imports ${s.from} as code`).to.equal(true);
    }
  });

  it('holds types only', () => {
    const statements = fromStatements(readFileSync('domain/contract.ts', 'utf8'));
    expect(statements.length).to.be.greaterThan(0);
    expect(statements.filter((s) => !s.typeOnly)).to.deep.equal([]);
    expect(readFileSync('domain/contract.ts', 'utf8')).not.to.match(/^\s*export\s+(const|function|class|let|enum)\b/m);
  });
});
