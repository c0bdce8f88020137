import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * One way out (DESIGN.md, Decisions): every request to an address a customer or a third party
 * gave goes through runtime/outbound-http.ts, which checks every address it connects to. A file
 * of the app that sends HTTP any other way bypasses that check, so this test reads the app's
 * source and fails on it. Scripts, benches and tests talk to their own loopback servers and are
 * not scanned.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const APP_FOLDERS = ['activities', 'api', 'db', 'domain', 'runtime', 'workers', 'workflows'];
const GUARDED_CLIENT = 'runtime/outbound-http.ts';

/** What node:http(s) offers for serving (fine) as opposed to calling out (request, get, Agent...). */
const SERVING = new Set(['createServer', 'Server', 'IncomingMessage', 'ServerResponse', 'STATUS_CODES', 'METHODS', 'OutgoingHttpHeaders', 'IncomingHttpHeaders']);

/** The ways `source` sends HTTP without the guarded client, one line each. */
function bypasses(source: string): string[] {
  const found: string[] = [];
  const imports = source.matchAll(/(?:^|\n)\s*import\s+(type\s+)?([\s\S]*?)\s+from\s+['"]([^'"]+)['"]/g);
  for (const [, typeOnly, clause, module] of imports) {
    if (typeOnly) continue;
    const named = valueNames(clause);
    const whole = /^\s*(\*\s+as\s+)?([\w$]+)/.exec(clause.replace(/\{[\s\S]*\}/, ''))?.[2];
    if (module === 'undici' && (named.length || whole)) found.push(`imports ${[whole, ...named].filter(Boolean).join(', ')} from undici`);
    if (/^(node:)?https?2?$/.test(module)) {
      const calling = named.filter((name) => !SERVING.has(name));
      if (calling.length) found.push(`imports ${calling.join(', ')} from ${module}`);
      if (whole && new RegExp(`\\b${whole}\\.(request|get|Agent|globalAgent|connect)\\b`).test(source)) found.push(`calls ${whole}.request/get from ${module}`);
    }
  }
  if (/\b(?:import|require)\(\s*['"](undici|(node:)?https?2?)['"]\s*\)/.test(source)) found.push('loads undici or node:http(s) at run time');
  if (/(?<![\w$.])fetch\s*\(/.test(source.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''))) found.push('calls the global fetch');
  return found;
}

/** The names an import clause brings in as values (`type X` entries left out). */
function valueNames(clause: string): string[] {
  const braces = /\{([\s\S]*)\}/.exec(clause)?.[1] ?? '';
  return braces
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry && !entry.startsWith('type '))
    .map((entry) => entry.split(/\s+as\s+/)[0].trim());
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|js|mjs|cjs)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('one way out: only the guarded client sends HTTP', () => {
  it('finds what bypasses the guarded client in a sample of source', () => {
    expect(bypasses(`import { request } from 'undici';`)).to.deep.equal(['imports request from undici']);
    expect(bypasses(`import {\n  Agent as A,\n  type Dispatcher,\n} from 'undici';`)).to.deep.equal(['imports Agent from undici']);
    expect(bypasses(`import * as undici from 'undici';`)).to.deep.equal(['imports undici from undici']);
    expect(bypasses(`import { get } from 'node:https';`)).to.deep.equal(['imports get from node:https']);
    expect(bypasses(`import http from 'http';\nhttp.request(url);`)).to.deep.equal(['calls http.request/get from http']);
    expect(bypasses(`const { request } = await import('undici');`)).to.deep.equal(['loads undici or node:http(s) at run time']);
    expect(bypasses(`const res = await fetch(url);`)).to.deep.equal(['calls the global fetch']);
  });

  it('lets types, servers and other fetches through', () => {
    expect(bypasses(`import type { Dispatcher } from 'undici';`)).to.deep.equal([]);
    expect(bypasses(`import { createServer, type IncomingMessage } from 'node:http';`)).to.deep.equal([]);
    expect(bypasses(`import type { IncomingMessage, ServerResponse } from 'node:http';`)).to.deep.equal([]);
    expect(bypasses(`await store.fetchOrdersPage(target);\nconst page = fetchOrders(x); // fetch() in a comment`)).to.deep.equal([]);
  });

  it(`holds for every file of ${APP_FOLDERS.join(', ')}: only ${GUARDED_CLIENT} calls out`, () => {
    const offenders: string[] = [];
    let scanned = 0;
    for (const folder of APP_FOLDERS) {
      for (const file of sourceFiles(join(ROOT, folder))) {
        const path = relative(ROOT, file);
        scanned += 1;
        if (path === GUARDED_CLIENT) continue;
        for (const finding of bypasses(readFileSync(file, 'utf8'))) offenders.push(`${path}: ${finding}`);
      }
    }
    expect(scanned).to.be.greaterThan(100);
    expect(offenders, 'send it through runtime/outbound-http.ts').to.deep.equal([]);
    expect(bypasses(readFileSync(join(ROOT, GUARDED_CLIENT), 'utf8'))).to.deep.equal(['imports Agent, request from undici']);
  });
});
