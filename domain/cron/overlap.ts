/** Why a fire that came while the job's previous run was still going did not run, under the `skip` overlap policy. */
export const OVERLAP_SKIP_REASON = 'the previous run was still going; the overlap policy skips';
