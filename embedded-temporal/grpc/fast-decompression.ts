/**
 * sdk-core gzips every request. grpc-js inflates each message through a new zlib stream, which
 * was the largest single CPU cost of this server (about 1.5 ms per workflow round trip). A
 * one-shot synchronous inflate of these small messages does the same work in microseconds.
 * This replaces one method of grpc-js' server call; the behaviour (limits, errors) is the same.
 */
import { createRequire } from 'node:module';
import { gunzipSync, inflateSync } from 'node:zlib';

const require = createRequire(import.meta.url);

interface ServerCall {
  maxReceiveMessageSize: number;
}

let installed = false;

export function installFastDecompression(): void {
  if (installed) return;
  installed = true;
  const { BaseServerInterceptingCall } = require('@grpc/grpc-js/build/src/server-interceptors.js');
  const original = BaseServerInterceptingCall.prototype.decompressMessage;
  BaseServerInterceptingCall.prototype.decompressMessage = function (this: ServerCall, message: Buffer, encoding: string) {
    if (encoding !== 'gzip' && encoding !== 'deflate') return original.call(this, message, encoding);
    const limit = this.maxReceiveMessageSize === -1 ? undefined : this.maxReceiveMessageSize;
    try {
      const contents = message.subarray(5);
      return Promise.resolve(encoding === 'gzip' ? gunzipSync(contents, { maxOutputLength: limit }) : inflateSync(contents, { maxOutputLength: limit }));
    } catch (err) {
      const tooLarge = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      return Promise.reject({
        code: tooLarge ? 8 /* RESOURCE_EXHAUSTED */ : 13 /* INTERNAL */,
        details: tooLarge ? `Received message that decompresses to a size larger than ${limit}` : 'Failed to decompress message',
      });
    }
  };
}
