import { expect } from 'chai';
import { slotConflicts } from '../../../domain/availability/slot-conflicts.ts';

const at = (hhmm: string) => Date.parse(`2026-06-01T${hhmm}:00Z`);
const range = (start: string, end: string) => ({ startMs: at(start), endMs: at(end) });
const none = { beforeMinutes: 0, afterMinutes: 0 };

describe('slotConflicts', () => {
  it('back-to-back appointments do not conflict without buffers; overlapping ones do', () => {
    expect(slotConflicts(range('10:00', '11:00'), range('11:00', '12:00'), none)).to.equal(false);
    expect(slotConflicts(range('10:00', '11:00'), range('10:59', '12:00'), none)).to.equal(true);
    expect(slotConflicts(range('10:00', '12:00'), range('10:30', '11:00'), none)).to.equal(true);
  });

  it('needs after + before minutes between two appointments, in either order', () => {
    const buffers = { beforeMinutes: 10, afterMinutes: 10 };
    expect(slotConflicts(range('10:00', '11:00'), range('11:20', '12:00'), buffers)).to.equal(false);
    expect(slotConflicts(range('10:00', '11:00'), range('11:19', '12:00'), buffers)).to.equal(true);
    expect(slotConflicts(range('11:19', '12:00'), range('10:00', '11:00'), buffers)).to.equal(true);
  });

  it('a buffer on one side only counts once', () => {
    expect(slotConflicts(range('10:00', '11:00'), range('11:15', '12:00'), { beforeMinutes: 0, afterMinutes: 15 })).to.equal(false);
    expect(slotConflicts(range('10:00', '11:00'), range('11:14', '12:00'), { beforeMinutes: 0, afterMinutes: 15 })).to.equal(true);
  });
});
