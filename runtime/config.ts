import { z } from 'zod';
import { resolve } from 'node:path';

/** Every setting the processes read, in one place, parsed once. */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  TEMPORAL_ADDRESS: z.string().regex(/^[\w.-]+:\d+$/, 'expected host:port').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('pulseboard'),
  TEMPORAL_UI_URL: z.url().optional(),
  /** host:port where a worker serves the Temporal SDK's own metrics (Prometheus: requests by RPC, task latencies); off unless set. */
  TEMPORAL_SDK_METRICS: z.string().regex(/^[\w.-]+:\d+$/, 'expected host:port').optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default('Pulseboard <no-reply@pulseboard.local>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Signs sessions and email-link tokens. Generated per data folder in development. */
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** AES-256-GCM keys for secrets at rest: "id:base64key[,id:base64key...]", first one encrypts. */
  ENCRYPTION_KEYS: z.string().regex(/^[\w-]+:[A-Za-z0-9+/=]{43,44}(,[\w-]+:[A-Za-z0-9+/=]{43,44})*$/, 'expected id:base64key,...').optional(),
  /** Secrets the billing provider signs its webhooks with; dev installs derive one from the app secret. */
  LEMONSQUEEZY_WEBHOOK_SECRET: z.string().min(16).optional(),
  /** The Lemon Squeezy hosted checkout of the Pro plan (its "share" link); without it the app offers no upgrade. */
  LEMONSQUEEZY_CHECKOUT_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Which proxies' X-Forwarded-For to believe (Express "trust proxy"): behind a proxy, rate limits key on the real client. */
  TRUST_PROXY: z.string().min(1).default('loopback'),
  /** Tests and the demo call receivers on 127.0.0.1; production must not. */
  ALLOW_LOOPBACK_TARGETS: z.stringbool().default(false),
  /** The Shopify app's client id and secret (Partner Dashboard): OAuth installs, and the key app webhooks are signed with. */
  SHOPIFY_API_KEY: z.string().min(8).optional(),
  SHOPIFY_API_SECRET: z.string().min(16).optional(),
  /** Access scopes the install asks for, comma-separated. */
  SHOPIFY_SCOPES: z.string().regex(/^[a-z_]+(,[a-z_]+)*$/, 'expected scopes like read_orders,read_products').default('read_orders,read_products,read_inventory'),
});

export type Config = z.infer<typeof schema> & { dataDir: string };

export class ConfigError extends Error {}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.DATA_DIR) };
}

let loaded: Config | undefined;

/** The configuration of this process, read from the environment the first time it is asked for. */
export function config(): Config {
  loaded ??= parseConfig(process.env);
  return loaded;
}
