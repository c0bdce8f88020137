import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { status } from '@grpc/grpc-js';
import proto from '@temporalio/proto';
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import { REAL_SERVER, startEnv, id, type Env } from './harness.ts';

const CUSTOM = { CustomDatetimeField: 'Datetime', CustomKeywordField: 'Keyword', CustomIntField: 'Int' };

describe('conformance: search attribute types', function () {
  this.timeout(30_000);
  let env: Env;
  before(async () => {
    env = await startEnv({ searchAttributes: CUSTOM });
    if (REAL_SERVER) {
      const types = proto.temporal.api.enums.v1.IndexedValueType;
      await env.connection.operatorService
        .addSearchAttributes({
          namespace: 'default',
          searchAttributes: { CustomDatetimeField: types.INDEXED_VALUE_TYPE_DATETIME, CustomKeywordField: types.INDEXED_VALUE_TYPE_KEYWORD, CustomIntField: types.INDEXED_VALUE_TYPE_INT },
        })
        .catch((err: { code?: number }) => {
          if (err.code !== status.ALREADY_EXISTS) throw err;
        });
    }
  });
  after(async () => env?.stop());

  it('returns search attributes set without a type with their registered type: a Datetime comes back as a Date', async () => {
    const when = new Date('2026-12-06T10:00:00.000Z');
    const handle = await env.client.workflow.start('upsertsIntAttribute', {
      args: [42],
      taskQueue: env.taskQueue,
      workflowId: id('typed'),
      searchAttributes: { CustomDatetimeField: [when], CustomKeywordField: ['blue'] },
    });
    await env.withWorker(() => handle.result());
    const description = await handle.describe();
    expect(description.searchAttributes.CustomDatetimeField).to.deep.equal([when]);
    const typed = description.typedSearchAttributes;
    expect(typed.get(defineSearchAttributeKey('CustomDatetimeField', SearchAttributeType.DATETIME))).to.deep.equal(when);
    expect(typed.get(defineSearchAttributeKey('CustomKeywordField', SearchAttributeType.KEYWORD))).to.equal('blue');
    expect(typed.get(defineSearchAttributeKey('CustomIntField', SearchAttributeType.INT))).to.equal(42);
    const { events } = await handle.fetchHistory();
    const started = events![0].workflowExecutionStartedEventAttributes!.searchAttributes!.indexedFields!;
    expect(Buffer.from(started.CustomDatetimeField.metadata!.type!).toString()).to.equal('Datetime');
  });

  it('lists the registered custom search attributes', async () => {
    const { keys } = await env.connection.workflowService.getSearchAttributes({});
    expect(keys).to.include({ CustomDatetimeField: proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME });
  });
});
