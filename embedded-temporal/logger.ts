/** The server's logger: pino, quiet unless asked, always to stderr so stdout stays clean. */
import { pino } from 'pino';

export type Logger = pino.Logger;

export function createLogger(level = 'warn'): Logger {
  const normalized = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(level) ? level : 'warn';
  return pino({ level: normalized, name: 'embedded-temporal' }, pino.destination(2));
}
