import type { Config } from '../../runtime/config.ts';

/** Where people reach the web app, for links in mail: PUBLIC_URL, else this process's own address. */
export function publicBaseUrl(config: Config): string {
  return config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
}
