import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseConfig } from '../../runtime/config.ts';

/**
 * No Docker engine runs where the tests do, so the production files are checked by reading them:
 * the services and how they depend on each other, ports, health checks, and that the api and worker
 * get a configuration that runtime/config.ts accepts once compose has filled in .env.example.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | null>;
  ports?: string[];
  volumes?: string[];
  deploy?: { replicas?: string | number };
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
};

const composeText = read('docker/compose.yml');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;

/** KEY=value lines of .env.example; commented ones are listed (documented) but not set. */
function envExample(): { set: Record<string, string>; listed: Set<string> } {
  const set: Record<string, string> = {};
  const listed = new Set<string>();
  for (const line of read('.env.example').split('\n')) {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    listed.add(match[2]);
    if (!match[1]) set[match[2]] = match[3];
  }
  return { set, listed };
}
const example = envExample();

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}; $$ is a literal $. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\{([A-Z0-9_]+)(?:(:?)([-?])([^}]*))?\}/g, (whole, name: string | undefined, colon: string, op: string, arg: string) => {
    if (whole === '$$') return '$';
    const current = env[name!];
    const missing = current === undefined || (colon === ':' && current === '');
    if (!op) return current ?? '';
    if (op === '-') return missing ? arg : current;
    if (missing) throw new Error(`compose would stop: ${name} is required (${arg})`);
    return current;
  });
}

/** What a container's environment would be: interpolated values, and key-only entries passed on only when set. */
function containerEnv(service: Service, env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.environment ?? {})) {
    if (value === null) {
      if (env[key] !== undefined) out[key] = env[key];
    } else out[key] = interpolate(String(value), env);
  }
  return out;
}

function configKeys(): string[] {
  return [...read('runtime/config.ts').matchAll(/^\s+([A-Z][A-Z0-9_]*): z\./gm)].map((m) => m[1]);
}

/** Relative imports reachable from an entry point: the source folders the image must contain. */
function sourceFolders(entry: string): Set<string> {
  const seen = new Set<string>();
  const folders = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    folders.add(relative(ROOT, file).split('/')[0]);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+\.ts)'/g)) {
      const target = resolve(dirname(file), spec);
      if (existsSync(target)) visit(target);
    }
  };
  visit(join(ROOT, entry));
  return folders;
}

describe('docker/compose.yml', () => {
  it('runs PostgreSQL 18, Temporal on it with its UI, migrations, the api behind a proxy, and the worker', () => {
    expect(Object.keys(services)).to.include.members(['postgres', 'temporal', 'temporal-ui', 'migrate', 'api', 'worker', 'proxy']);
    expect(services.postgres.image).to.match(/^postgres:18(\.|-|$)/);
    expect(services.temporal.image).to.match(/^temporalio\/auto-setup:/);
    expect(services.temporal.environment).to.include({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres', DB_PORT: '5432' });
    expect(services['temporal-ui'].image).to.match(/^temporalio\/ui:/);
    expect(services['temporal-ui'].environment).to.include({ TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(services.api.command).to.deep.equal(['node', '--import', 'tsx', 'api/main.ts']);
    expect(services.worker.command).to.deep.equal(['node', '--import', 'tsx', 'workers/main.ts']);
    expect(services.migrate.command).to.deep.equal(['node', '--import', 'tsx', 'db/migrate-cli.ts', 'up']);
    for (const [, , file] of [services.api.command!, services.worker.command!, services.migrate.command!].map((c) => c.slice(1))) {
      expect(existsSync(join(ROOT, file)), file).to.equal(true);
    }
  });

  it('keeps PostgreSQL data in a named volume at the PostgreSQL 18 mount point', () => {
    expect(services.postgres.volumes).to.deep.equal(['postgres-data:/var/lib/postgresql']);
    expect(compose.volumes).to.have.property('postgres-data');
  });

  it('serves two api replicas through one published port, with the relay upgrade, and scales the worker', () => {
    expect(Number(interpolate(String(services.api.deploy?.replicas), example.set))).to.equal(2);
    expect(Number(interpolate(String(services.worker.deploy?.replicas), example.set))).to.be.at.least(1);
    // Replicas cannot share a host port: only the proxy publishes one.
    expect(services.api.ports ?? []).to.deep.equal([]);
    expect(services.worker.ports ?? []).to.deep.equal([]);
    expect(services.proxy.ports?.map((port) => interpolate(port, example.set))).to.deep.equal(['8080:8080']);
    expect(services['temporal-ui'].ports?.map((port) => interpolate(port, example.set))).to.deep.equal(['8233:8080']);
    const mount = services.proxy.volumes!.find((volume) => volume.endsWith(':/etc/nginx/conf.d/default.conf:ro'))!;
    const nginx = read(join('docker', mount.split(':')[0]));
    expect(nginx).to.match(/listen 8080;/);
    expect(nginx).to.match(/set \$api http:\/\/api:3000;/);
    const ws = /location = \/ws \{([^}]*)\}/.exec(nginx)![1];
    expect(ws).to.match(/proxy_set_header Upgrade \$http_upgrade;/).and.match(/proxy_set_header Connection \$connection_upgrade;/);
    expect(nginx).to.match(/location = \/metrics \{\s*return 404;/);
  });

  it('has a health check on every long-running service, on the port the app listens on', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'migrate') continue;
      expect(service.healthcheck?.test, name).to.be.an('array').that.is.not.empty;
      expect(service.healthcheck?.disable, name).not.to.equal(true);
    }
    const env = containerEnv(services.api, example.set);
    expect(services.api.healthcheck!.test!.join(' ')).to.include(`http://127.0.0.1:${env.PORT}/health`);
    expect(services.worker.healthcheck!.test!.join(' ')).to.include(`http://127.0.0.1:${containerEnv(services.worker, example.set).PORT}/health`);
  });

  it('starts each part after what it needs is healthy, and the api and worker after the migrations', () => {
    expect(services.temporal.depends_on).to.deep.equal({ postgres: { condition: 'service_healthy' } });
    expect(services['temporal-ui'].depends_on).to.deep.equal({ temporal: { condition: 'service_healthy' } });
    expect(services.migrate.depends_on).to.deep.equal({ postgres: { condition: 'service_healthy' } });
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on, name).to.deep.equal({
        migrate: { condition: 'service_completed_successfully' },
        temporal: { condition: 'service_healthy' },
      });
    }
    expect(services.proxy.depends_on).to.deep.equal({ api: { condition: 'service_healthy' } });
  });

  it('uses only variables that .env.example lists, and .env.example lists every setting the app reads', () => {
    const used = new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]));
    for (const service of Object.values(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) if (value === null) used.add(key);
    }
    expect([...used].filter((name) => !example.listed.has(name))).to.deep.equal([]);
    expect(configKeys()).to.include.members(['DATABASE_URL', 'TEMPORAL_ADDRESS', 'APP_SECRET']);
    expect(configKeys().filter((name) => !example.listed.has(name))).to.deep.equal([]);
  });

  it('gives the api and the worker a configuration the app accepts, pointing at the compose services', () => {
    const keys = configKeys();
    for (const name of ['api', 'worker', 'migrate']) {
      const env = containerEnv(services[name], example.set);
      expect(Object.keys(env).filter((key) => !keys.includes(key)), `${name}: unknown settings`).to.deep.equal([]);
      const settings = parseConfig(env);
      expect(settings).to.include({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: 3000, TEMPORAL_ADDRESS: 'temporal:7233', ALLOW_LOOPBACK_TARGETS: false });
      const db = new URL(settings.DATABASE_URL!);
      expect([db.hostname, db.username, db.password, db.pathname]).to.deep.equal(['postgres', example.set.POSTGRES_USER, example.set.POSTGRES_PASSWORD, `/${example.set.POSTGRES_DB}`]);
      // What the standalone processes refuse to start without (api/main.ts, workers/main.ts), and shared secrets.
      for (const required of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'PUBLIC_URL', 'APP_SECRET', 'ENCRYPTION_KEYS']) expect(settings, `${name} ${required}`).to.have.property(required).that.is.ok;
    }
    expect(services.postgres.environment).to.include({ POSTGRES_USER: '${POSTGRES_USER}', POSTGRES_PASSWORD: '${POSTGRES_PASSWORD}', POSTGRES_DB: '${POSTGRES_DB}' });
    expect(services.temporal.environment).to.include({ POSTGRES_USER: '${POSTGRES_USER}', POSTGRES_PWD: '${POSTGRES_PASSWORD}' });
  });

  it('stops with a message when a required secret is missing from .env', () => {
    const { APP_SECRET: _dropped, ...env } = example.set;
    expect(() => containerEnv(services.api, env)).to.throw(/APP_SECRET is required/);
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = read('docker/Dockerfile');

  it('builds the web app in a build stage and runs as a non-root user', () => {
    expect(dockerfile.match(/^FROM /gm)!.length).to.be.at.least(2);
    expect(dockerfile).to.match(/RUN npm ci\b/).and.match(/RUN npm run build/);
    expect(dockerfile).to.match(/COPY --from=web \/app\/web-vue\/dist \.\/web-vue\/dist/);
    const user = [...dockerfile.matchAll(/^USER (\S+)/gm)].at(-1)?.[1];
    expect(user).to.be.a('string').and.not.match(/^(root|0)$/);
    expect(services.api.build).to.deep.equal({ context: '..', dockerfile: 'docker/Dockerfile' });
  });

  it('copies every source folder the api, the worker and the migrations import', () => {
    const copied = new Set([...dockerfile.matchAll(/^COPY (?!--from)(\S+) \.\/\1$/gm)].map((m) => m[1]));
    const needed = new Set([...sourceFolders('api/main.ts'), ...sourceFolders('workers/main.ts'), ...sourceFolders('db/migrate-cli.ts')]);
    expect([...needed].filter((folder) => !copied.has(folder))).to.deep.equal([]);
  });
});
