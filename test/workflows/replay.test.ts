import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { HistoryAndWorkflowId } from '@temporalio/client';
import { bundleWorkflows } from '../../workers/worker.ts';
import { installQuietRuntime } from '../../runtime/temporal-runtime.ts';
import { workflowOutcomeSinks } from '../../workers/worker-metrics.ts';
import { historyFromJson, recordActorHistories, recordingEnv } from './histories/scenarios.ts';

const HISTORIES_DIR = fileURLToPath(new URL('./histories/', import.meta.url));

/** Replays histories against the current workflow code; a nondeterministic change shows up as an error per history. */
async function replayErrors(bundle: WorkflowBundle, histories: HistoryAndWorkflowId[]): Promise<Array<{ workflowId: string; error: string }>> {
  const errors: Array<{ workflowId: string; error: string }> = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, sinks: workflowOutcomeSinks }, histories)) {
    if (result.error) errors.push({ workflowId: result.workflowId, error: result.error.message });
  }
  return errors;
}

describe('workflow replay safety', function () {
  this.timeout(180_000);
  let bundle: WorkflowBundle;

  before(async () => {
    installQuietRuntime();
    // The production bundle, with the interceptor the worker runs.
    bundle = await bundleWorkflows({ outcomeMetrics: true });
  });

  it('replays every actor run just now against the current bundle', async () => {
    let env: TestWorkflowEnvironment | undefined;
    try {
      env = await recordingEnv();
      const histories = await recordActorHistories(env, bundle);
      expect(histories.map((h) => h.name)).to.deep.equal(['booking-completed', 'booking-expired', 'booking-auto-declined', 'booking-rescheduled', 'cron-job-lifecycle', 'store-ingestion', 'calendar-sync']);
      for (const { name, history } of histories) expect(history.events?.length, name).to.be.greaterThan(5);
      expect(await replayErrors(bundle, histories)).to.deep.equal([]);
    } finally {
      await env?.teardown();
    }
  });

  // Recorded by scripts/record-histories.ts from the code of their day: a change to a workflow that
  // would break the actors already running in production fails here.
  it('replays the committed histories of each actor, recorded by earlier code', async () => {
    const files = readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json'));
    const kinds = new Set(files.map((file) => file.replace(/-[^-]*\.json$|\.json$/, '').split('-')[0]));
    expect([...kinds].sort()).to.include.members(['booking', 'calendar', 'cron', 'store']);
    const histories = files.map((file) => ({ workflowId: file.replace(/\.json$/, ''), history: historyFromJson(readFileSync(HISTORIES_DIR + file, 'utf8')) }));
    expect(await replayErrors(bundle, histories)).to.deep.equal([]);
  });

  it('fails a history whose workflow code changed what it does', async () => {
    const [file] = readdirSync(HISTORIES_DIR).filter((name) => name.startsWith('booking-completed'));
    const history = JSON.parse(readFileSync(HISTORIES_DIR + file, 'utf8')) as { events: Array<{ eventType: string; activityTaskScheduledEventAttributes?: { activityType: { name: string } } }> };
    // As if the code of the day had called another activity: today's code must not accept it.
    const scheduled = history.events.find((event) => event.activityTaskScheduledEventAttributes)!;
    scheduled.activityTaskScheduledEventAttributes!.activityType.name = 'someOtherActivity';
    const errors = await replayErrors(bundle, [{ workflowId: 'tampered', history: historyFromJson(JSON.stringify(history)) }]);
    expect(errors).to.have.length(1);
    expect(errors[0].error).to.match(/nondetermin/i);
  });
});
