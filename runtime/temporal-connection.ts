import type { NativeConnectionOptions } from '@temporalio/worker';

/**
 * How this process connects to the Temporal frontend at `address`. sdk-core gzips every request
 * by default; on loopback that buys nothing and costs CPU at both ends (the server inflates each
 * one), so there it is off. Across a network the default stays.
 */
export function nativeConnectionOptions(address: string): NativeConnectionOptions {
  return isLoopback(address) ? { address, grpcCompression: { codec: 'none' } } : { address };
}

function isLoopback(address: string): boolean {
  const host = address.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
