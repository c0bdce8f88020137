import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Client, Connection, ServiceError } from '@temporalio/client';
import { status } from '@grpc/grpc-js';
import proto from '@temporalio/proto';
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { REAL_SERVER, id } from './harness.ts';

const TEMPORAL_BIN = fileURLToPath(new URL('../../embedded-temporal/bin/temporal', import.meta.url));

/** Flags of `temporal server start-dev` that the SDK's test environments pass (see TestWorkflowEnvironment.createLocal). */
describe('conformance: start-dev flags of the embedded server', function () {
  this.timeout(60_000);
  let server: ChildProcess;
  let connection: Connection;
  before(async function () {
    if (REAL_SERVER) this.skip(); // the flags are for the server this suite starts itself
    server = spawn(TEMPORAL_BIN, [
      'server', 'start-dev', '--port', '0', '--headless', '--namespace', 'default',
      '--search-attribute', 'OrderPlacedAt=Datetime',
      '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true',
      '--dynamic-config-value', 'limit.blobSize.error=1024',
    ]);
    let output = '';
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    while (!/listening on (\S+?)[,\s]/.test(output)) await once(server.stdout!, 'data');
    connection = await Connection.connect({ address: /listening on (\S+?)[,\s]/.exec(output)![1] });
  });
  after(async () => {
    await connection?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
  });

  it('registers --search-attribute Name=Type', async () => {
    const { keys } = await connection.workflowService.getSearchAttributes({});
    expect(keys).to.include({ OrderPlacedAt: proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME });
  });

  it('applies --dynamic-config-value limit.blobSize.error', async () => {
    const client = new Client({ connection });
    const error = await client.workflow.start('greet', { args: ['x'.repeat(2000)], taskQueue: id('queue'), workflowId: id('big') }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ServiceError);
    expect(((error as ServiceError).cause as { code?: number }).code).to.equal(status.INVALID_ARGUMENT);
  });
});
