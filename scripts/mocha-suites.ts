import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * `npm test`'s mocha runs: the main suite, and test/crash/ in a process of its own (its workers
 * must not share a process with other files' workers) started alongside it. The crash tests
 * spend most of their minutes waiting for the top of a minute, so side by side the suite takes
 * about as long as the main run alone. The main run prints as it goes; the crash run's output is
 * held and printed whole after it, so that neither summary is interleaved with the other.
 */
const MOCHA = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');

function mocha(args: string[], held: boolean): Promise<{ code: number; output: string }> {
  const child = spawn(process.execPath, [MOCHA, ...args], { stdio: ['ignore', held ? 'pipe' : 'inherit', held ? 'pipe' : 'inherit'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output })));
}

const crash = mocha(['test/crash/**/*.test.ts'], true);
const main = await mocha(['test/**/*.test.ts', '--ignore', 'test/crash/**'], false);
const crashed = await crash;
console.log('\ntest/crash/ (run alongside):');
process.stdout.write(crashed.output);
process.exit(main.code || crashed.code);
