import { readFileSync } from 'node:fs';

/** This build's version, from package.json: outbound requests name it in their User-Agent. */
export const APP_VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
