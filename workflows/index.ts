// Every workflow the worker registers; the bundler starts here.
export { bookingWorkflow } from './booking/workflow.ts';
export { cronJobWorkflow } from './cron-job/workflow.ts';
export { storeIngestionWorkflow } from './store-ingestion/workflow.ts';
export { calendarSyncWorkflow } from './calendar-sync/workflow.ts';
export { replayDeliveriesWorkflow } from './replay/workflow.ts';
export { alertDigestWorkflow } from './alert-digest/workflow.ts';
