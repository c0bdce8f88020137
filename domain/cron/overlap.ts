/** Why a fire that came while the job's previous run was still going did not run, under the `skip` overlap policy. */
export const OVERLAP_SKIP_REASON = 'the previous run was still going; the overlap policy skips';

/** Overlapping fires a `queue` job keeps waiting; one that comes while this many wait is skipped (and recorded). */
export const MAX_QUEUED_RUNS = 10;

/** Why such a fire did not run. */
export const QUEUE_FULL_REASON = `the queue of overlapping runs is full (${MAX_QUEUED_RUNS})`;
