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
