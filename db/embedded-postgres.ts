/** The app's PostgreSQL launcher is embedded-temporal's (which needs one of its own, standalone). */
export { clusterFolder, freePort, startEmbeddedPostgres, type EmbeddedPostgresOptions, type RunningPostgres } from '../embedded-temporal/postgres/embedded-postgres.ts';
