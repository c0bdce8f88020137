export interface GroupWriteOptions {
  /** Gather what is asked in the same turn of the event loop before the first write (else write at once when idle). */
  gatherTurn?: boolean;
  /** The most items one write carries. */
  maxItems?: number;
  /** A failed write of several items writes each alone, so each gets only its own outcome (else all fail with it). */
  retryAlone?: boolean;
}

/**
 * Group commit: `write` gets the items asked for while its previous call was running (and, with
 * `gatherTurn`, those asked in the same turn), one call at a time; each caller gets its own
 * item's answer, once its write is done.
 */
export function groupWrites<Item, Answer>(write: (items: Item[]) => Promise<Answer[]>, options: GroupWriteOptions = {}): (item: Item) => Promise<Answer> {
  type Entry = { item: Item; resolve: (answer: Answer) => void; reject: (error: unknown) => void };
  const maxItems = options.maxItems ?? Infinity;
  let queue: Entry[] = [];
  let writing = false;

  async function writeBatch(batch: Entry[]): Promise<void> {
    try {
      const answers = await write(batch.map((entry) => entry.item));
      batch.forEach((entry, index) => entry.resolve(answers[index]));
    } catch (error) {
      if (options.retryAlone && batch.length > 1) for (const entry of batch) await writeBatch([entry]);
      else for (const entry of batch) entry.reject(error);
    }
  }

  async function drain(): Promise<void> {
    writing = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxItems);
      queue = queue.slice(batch.length);
      await writeBatch(batch);
    }
    writing = false;
  }

  return (item) =>
    new Promise<Answer>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (writing) return;
      if (!options.gatherTurn) void drain();
      else if (queue.length === 1) setImmediate(() => void drain());
    });
}
