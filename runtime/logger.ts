import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pino, type Logger } from 'pino';

const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  '*.password',
  '*.secret',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
];

export function createLogger(level: string, name = 'pulseboard'): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } });
}

/**
 * `npm start`'s logger: every line at `level` goes to `file`, and only warnings and errors reach
 * the terminal, so the printed URLs and logins are not buried under a line per request.
 */
export function createFileLogger(level: string, file: string): Logger {
  mkdirSync(dirname(file), { recursive: true });
  const streams = pino.multistream([
    { level: level as pino.Level, stream: pino.destination({ dest: file, sync: false }) },
    { level: 'warn', stream: process.stdout },
  ]);
  return pino({ name: 'pulseboard', level, redact: { paths: REDACT, censor: '[redacted]' } }, streams);
}
