import { presentSlot, type PresentedSlot } from '../../../domain/availability/present-slot.ts';
import type { Db } from '../../../db/connection.ts';
import { availabilityVersion, slotsInRange, type SlotSubject } from '../../../db/repositories/availability.ts';

interface Entry {
  version: number;
  validUntilMs: number;
  slots: PresentedSlot[];
}

/**
 * Slots per provider, slot shape, range and viewer timezone, generated and presented (the
 * presentation's local labels cost more than the generation), in process. An entry is good while the
 * provider's availability version (bumped by a database trigger on every template, override,
 * block and booking change, whichever process or actor made it) is the one it was built at, and
 * until the first hold in it expires. Reading the version is one primary-key look-up; building
 * an entry is three queries, the generation and the presentation. Least recently used entries go first.
 */
export class SlotCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 500) {}

  async slots(db: Db, subject: SlotSubject, from: Date, to: Date, now: Date, viewerTimezone: string): Promise<PresentedSlot[]> {
    const key = [subject.providerId, subject.providerTimezone, subject.durationMinutes, subject.bufferBeforeMinutes, subject.bufferAfterMinutes, from.toISOString(), to.toISOString(), viewerTimezone].join('|');
    const version = await availabilityVersion(db, subject.providerId);
    const cached = this.entries.get(key);
    this.entries.delete(key);
    if (cached && cached.version === version && now.getTime() < cached.validUntilMs) {
      this.entries.set(key, cached);
      return cached.slots;
    }
    const fresh = await slotsInRange(db, subject, from, to, now);
    const slots = fresh.slots.map((slot) => presentSlot(slot, viewerTimezone));
    this.entries.set(key, { version, validUntilMs: fresh.validUntilMs, slots });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return slots;
  }
}
