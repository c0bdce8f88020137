import { expect } from 'chai';
import { nativeConnectionOptions } from '../../../runtime/temporal-connection.ts';

describe('the connection to Temporal', () => {
  it('sends requests uncompressed on loopback and keeps the SDK default (gzip) across a network', () => {
    for (const address of ['127.0.0.1:7233', 'localhost:7233', '[::1]:7233', '127.0.0.2:7233']) {
      expect(nativeConnectionOptions(address), address).to.deep.equal({ address, grpcCompression: { codec: 'none' } });
    }
    for (const address of ['temporal:7233', 'ns.tmprl.cloud:7233', '127.0.0.1.example.test:7233']) {
      expect(nativeConnectionOptions(address), address).to.deep.equal({ address });
    }
  });
});
