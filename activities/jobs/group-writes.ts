/**
 * Group commit: `write` gets every item asked for in the same turn of the event loop, or while its
 * previous call was running, one call at a time; each caller gets its own item's answer. A failed
 * write fails each of its items (their activities retry).
 */
export function groupWrites<Item, Answer>(write: (items: Item[]) => Promise<Answer[]>): (item: Item) => Promise<Answer> {
  let queue: Array<{ item: Item; resolve: (answer: Answer) => void; reject: (error: unknown) => void }> = [];
  let writing = false;
  async function drain(): Promise<void> {
    writing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const answers = await write(batch.map((entry) => entry.item));
        batch.forEach((entry, index) => entry.resolve(answers[index]));
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    writing = false;
  }
  return (item) =>
    new Promise<Answer>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!writing && queue.length === 1) setImmediate(() => void drain());
    });
}
