// Every workflow the worker registers; the bundler starts here.
export { bookingWorkflow } from './booking/workflow.ts';
