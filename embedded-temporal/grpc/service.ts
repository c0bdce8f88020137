/**
 * One generic grpc-js service definition per protobuf service, built from the reflection root,
 * so every RPC of WorkflowService exists: the ones we implement call their handler, the others
 * answer UNIMPLEMENTED like a server that does not know them.
 */
import { status, type Server, type ServerUnaryCall, type sendUnaryData, type ServiceDefinition } from '@grpc/grpc-js';
import { asBuffer, root, toPlain, type, type Msg } from '../proto.ts';
import { invalidArgument, RpcError, unimplemented } from './errors.ts';
import type { Logger } from '../logger.ts';

export interface CallContext {
  /** Aborted when the client cancels the call or its deadline passes. */
  signal: AbortSignal;
  /** Epoch ms of the client's deadline, Infinity when it set none. */
  deadline: number;
}

/** A handler returns the response object, or the response already encoded. */
export type Handler = (request: Msg, ctx: CallContext) => Promise<Msg | Buffer>;
export type Handlers = Record<string, Handler>;

/** Marks a request that could not be decoded: answered INVALID_ARGUMENT, like the real server. */
const UNDECODABLE = Symbol('undecodable');

export function addProtoService(server: Server, serviceName: string, handlers: Handlers, log: Logger): void {
  const service = root.lookupService(serviceName);
  const definition: Record<string, ServiceDefinition[string]> = {};
  const implementation: Record<string, (call: ServerUnaryCall<Msg, Msg | Buffer>, cb: sendUnaryData<Msg | Buffer>) => void> = {};
  for (const method of service.methodsArray) {
    const requestType = type(method.resolvedRequestType?.fullName.slice(1) ?? method.requestType);
    const responseType = type(method.resolvedResponseType?.fullName.slice(1) ?? method.responseType);
    definition[method.name] = {
      path: `/${serviceName}/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return toPlain(requestType, requestType.decode(bytes));
        } catch (err) {
          return { [UNDECODABLE]: String(err) };
        }
      },
      requestSerialize: (obj: Msg) => asBuffer(requestType.encode(requestType.fromObject(obj)).finish()),
      responseSerialize: (obj: Msg | Buffer) => (Buffer.isBuffer(obj) ? obj : asBuffer(responseType.encode(responseType.fromObject(obj)).finish())),
      responseDeserialize: (bytes: Buffer) => toPlain(responseType, responseType.decode(bytes)),
    };
    const handler = handlers[method.name];
    implementation[method.name] = (call, callback) => {
      if (!handler) {
        callback(unimplemented(method.name).toServiceError());
        return;
      }
      if (UNDECODABLE in call.request) {
        callback(invalidArgument(`malformed ${method.name} request: ${call.request[UNDECODABLE]}`).toServiceError());
        return;
      }
      // The abort signal, and the listener for the call's cancellation, are made only for the
      // handlers that read it (long polls): an AbortController per call was a visible share of
      // this server's CPU, a listener on and off per call ~1% of it.
      let controller: AbortController | undefined;
      const onCancel = () => controller!.abort();
      const deadline = call.getDeadline();
      const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline === Infinity ? Infinity : Number(deadline);
      const ctx: CallContext = {
        get signal() {
          if (!controller) {
            controller = new AbortController();
            if (call.cancelled) controller.abort();
            else call.once('cancelled', onCancel);
          }
          return controller.signal;
        },
        deadline: Number.isFinite(deadlineMs) ? deadlineMs : Infinity,
      };
      // grpc-js also reports 'cancelled' after a finished call; only a running one is aborted.
      const done = () => controller && call.removeListener('cancelled', onCancel);
      handler(call.request, ctx).then(
        (response) => {
          done();
          callback(null, response);
        },
        (err: unknown) => {
          done();
          if (err instanceof RpcError) {
            callback(err.toServiceError());
            return;
          }
          log.error({ err, method: method.name }, 'handler failed');
          callback({ code: status.INTERNAL, details: err instanceof Error ? err.message : String(err) });
        },
      );
    };
  }
  server.addService(definition, implementation);
}
