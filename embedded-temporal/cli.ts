/**
 * Command line: `temporal server start-dev [--port N] [--ip A] [--namespace NS]... [--db-url URL]
 * [--log-level L] [--ui-port N] [--headless] [--ui-write-actions] [--search-attribute Name=Type]... [--dynamic-config-value KEY=VALUE]...` like the Temporal CLI (the Web
 * UI on gRPC port + 1000 unless --headless; other flags are accepted and ignored), or, for the
 * SDK's createTimeSkipping, `temporal-test-server PORT`. Exits cleanly on SIGINT/SIGTERM.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseDynamicConfigFlag } from './engine/dynamic-config.ts';
import { parseSearchAttributeFlag } from './engine/search-attributes.ts';
import { runServer, type ServerOptions } from './server.ts';

function parse(argv: string[]): ServerOptions {
  // The time-skipping test server is started with the port as its only argument.
  if (argv.length >= 1 && /^\d+$/.test(argv[0])) {
    return { port: Number(argv[0]), timeSkipping: true, databaseUrl: process.env.TEMPORAL_DB_URL };
  }
  const opts: ServerOptions = { namespaces: [], databaseUrl: process.env.TEMPORAL_DB_URL, timeSkipping: argv.includes('--time-skipping') };
  const args = argv[0] === 'server' && argv[1] === 'start-dev' ? argv.slice(2) : argv;
  let headless = false;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const value = () => inline ?? args[++i];
    switch (flag) {
      case '--port':
      case '-p':
        opts.port = Number(value());
        break;
      case '--ip':
        opts.ip = value();
        break;
      case '--namespace':
      case '-n':
        opts.namespaces!.push(value());
        break;
      case '--db-url':
        opts.databaseUrl = value();
        break;
      case '--log-level':
        opts.logLevel = value();
        break;
      case '--ui-port':
        opts.uiPort = Number(value());
        break;
      case '--headless':
        headless = true;
        break;
      case '--ui-write-actions':
        opts.uiWriteActions = true;
        break;
      case '--search-attribute': {
        const [name, type] = parseSearchAttributeFlag(value());
        opts.searchAttributes = { ...opts.searchAttributes, [name]: type };
        break;
      }
      case '--dynamic-config-value': {
        const [key, setting] = parseDynamicConfigFlag(value());
        opts.dynamicConfig = { ...opts.dynamicConfig, [key]: setting };
        break;
      }
      case '--log-format':
      case '--db-filename':
      case '--http-port':
      case '--metrics-port':
        value(); // accepted, no effect here
        break;
      default:
        break; // unknown flags are ignored, as documented
    }
  }
  // As `temporal server start-dev`: the UI on the gRPC port + 1000 (any free port with an
  // ephemeral gRPC port) unless told otherwise.
  if (headless) delete opts.uiPort;
  else opts.uiPort ??= opts.port ? opts.port + 1000 : 0;
  return opts;
}

// Handlers first: a signal that arrives while starting still stops what was started.
let stopping = false;
let server: Awaited<ReturnType<typeof runServer>> | undefined;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  // Never hang on the way out; the PostgreSQL watchdog cleans up whatever is left.
  setTimeout(() => process.exit(1), 5000).unref();
  try {
    await server?.stop();
    process.exit(0);
  } catch (err) {
    process.stderr.write(`embedded-temporal: stop failed: ${String(err)}\n`);
    process.exit(1);
  }
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
// A bug in one request must not take the server down with everyone's workflows.
process.on('unhandledRejection', (err) => process.stderr.write(`embedded-temporal: unhandled rejection: ${String(err)}\n`));

// `--version` answers and exits, as the CLI's does, rather than starting a server.
if (process.argv.includes('--version') || process.argv[2] === 'version') {
  // package.json sits beside the sources, and one folder above the built dist/cli.js.
  const manifest = ['./package.json', '../package.json'].map((path) => new URL(path, import.meta.url)).find((url) => existsSync(url))!;
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  process.stdout.write(`embedded-temporal version ${version}\n`);
  process.exit(0);
}

server = await runServer(parse(process.argv.slice(2)));
if (stopping) await server.stop();
else process.stdout.write(`embedded-temporal listening on ${server.address}${server.uiUrl ? `, Temporal UI at ${server.uiUrl}` : ''}\n`);
