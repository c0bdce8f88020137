import { readFileSync } from 'node:fs';

/** This build's version, from package.json (which every image carries): what our User-Agent headers name. */
export const APP_VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
