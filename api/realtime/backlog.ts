import type { Db } from '../../db/connection.ts';

export interface StoredEvent {
  topic: string;
  seq: number;
  event: string;
  data: unknown;
}

/** Reads of the events `publish` stored: the relay's source when NOTIFY was not enough. */
export class Backlog {
  constructor(private readonly db: Db) {}

  /** The topic's last seq; 0 for a topic nothing was published on yet. */
  async head(topic: string): Promise<number> {
    const row = await this.db('realtime_topics').where({ topic }).first('seq');
    return row ? Number(row.seq) : 0;
  }

  /** Events after `seq`, oldest first, at most `limit`. */
  async after(topic: string, seq: number, limit: number): Promise<StoredEvent[]> {
    const rows = await this.db('realtime_events')
      .where({ topic })
      .andWhere('seq', '>', seq)
      .orderBy('seq')
      .limit(limit)
      .select('topic', 'seq', 'event', 'data');
    return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
  }
}
