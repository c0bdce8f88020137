import { expect } from 'chai';
import { bundleWorkflows } from '../../../workers/worker.ts';

/** The modules `__TEMPORAL__.preloadModules()` evaluates once per worker, by webpack module id. */
function preloaded(code: string): string[] {
  const body = code.slice(code.indexOf('exports.preloadModules = function'), code.indexOf('exports.importWorkflows'));
  return [...body.matchAll(/__webpack_require__\([^)]*?"([^"]+)"\)/g)].map((m) => m[1]);
}

describe('the workflow bundle', function () {
  this.timeout(120_000);

  it('holds one luxon, evaluated once per worker rather than again for every run it creates', async () => {
    const { code } = await bundleWorkflows();
    const luxonBuilds = new Set(code.match(/"\.\/node_modules\/luxon\/build\/[^"]+"/g));
    expect([...luxonBuilds]).to.have.length(1);
    const luxon = [...luxonBuilds][0].slice(1, -1);
    expect(preloaded(code)).to.include.members([luxon, './node_modules/@temporalio/workflow/lib/index.js', './node_modules/cron-parser/dist/index.js']);
  });
});
