import { ensureWebBuild } from './web-build.ts';
import { productBundle } from '../workers/worker.ts';

/**
 * `npm install` runs this (the `prepare` script): the web app and the workflow bundle are built
 * ahead, so the first `npm start` on a fresh clone does not wait for Vite or webpack.
 */
await Promise.all([ensureWebBuild(), productBundle()]);
