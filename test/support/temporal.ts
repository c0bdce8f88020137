export { createTimeSkippingEnv as timeSkippingEnv } from '../../embedded-temporal/testing.ts';
