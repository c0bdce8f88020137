import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A calendar server on 127.0.0.1 whose feed and status the test changes between refreshes. */
export interface IcsServer {
  url: string;
  /** What GET answers now. */
  status: number;
  body: string;
  requests: number;
  close(): Promise<void>;
}

export async function startIcsServer(body = ''): Promise<IcsServer> {
  let server: Server;
  const state: IcsServer = {
    url: '',
    status: 200,
    body,
    requests: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  server = createServer((_req, res) => {
    state.requests += 1;
    res.writeHead(state.status, { 'content-type': 'text/calendar; charset=utf-8' }).end(state.status === 200 ? state.body : 'unavailable');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.ics`;
  return state;
}

/** A VCALENDAR of timed UTC events, as `[uid, start, end]`. */
export function icsOf(events: readonly [uid: string, start: Date, end: Date][]): string {
  const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//pulseboard-test//EN'];
  for (const [uid, start, end] of events) lines.push('BEGIN:VEVENT', `UID:${uid}`, `DTSTAMP:${stamp(start)}`, `DTSTART:${stamp(start)}`, `DTEND:${stamp(end)}`, 'SUMMARY:Busy', 'END:VEVENT');
  lines.push('END:VCALENDAR');
  return lines.join('\r\n');
}
