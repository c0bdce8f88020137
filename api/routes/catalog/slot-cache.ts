import type { Slot } from '../../../domain/availability/generate-slots.ts';
import type { Db } from '../../../db/connection.ts';
import { availabilityVersion, slotsInRange, type SlotSubject } from '../../../db/repositories/availability.ts';

interface Entry {
  version: number;
  validUntilMs: number;
  slots: Slot[];
}

/**
 * Generated slots per provider, slot shape and range, in process. An entry is good while the
 * provider's availability version (bumped by a database trigger on every template, override,
 * block and booking change, whichever process or actor made it) is the one it was built at, and
 * until the first hold in it expires. Reading the version is one primary-key look-up; building
 * an entry is three queries and the generation. Least recently used entries go first.
 */
export class SlotCache {
  private readonly entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  constructor(private readonly maxEntries = 500) {}

  async slots(db: Db, subject: SlotSubject, from: Date, to: Date, now: Date): Promise<Slot[]> {
    const key = [subject.providerId, subject.providerTimezone, subject.durationMinutes, subject.bufferBeforeMinutes, subject.bufferAfterMinutes, from.toISOString(), to.toISOString()].join('|');
    const version = await availabilityVersion(db, subject.providerId);
    const cached = this.entries.get(key);
    this.entries.delete(key);
    if (cached && cached.version === version && now.getTime() < cached.validUntilMs) {
      this.hits += 1;
      this.entries.set(key, cached);
      return cached.slots;
    }
    this.misses += 1;
    const fresh = await slotsInRange(db, subject, from, to, now);
    this.entries.set(key, { version, ...fresh });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return fresh.slots;
  }
}
