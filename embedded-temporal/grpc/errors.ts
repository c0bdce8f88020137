/**
 * Errors as the real frontend returns them: a gRPC status code, a message, and where the SDK
 * looks for one, a typed detail in `grpc-status-details-bin` (google.rpc.Status).
 */
import { Metadata, status } from '@grpc/grpc-js';
import { encode, packAny, type Msg } from '../proto.ts';

export class RpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
    readonly detail?: { typeName: string; value: Msg },
  ) {
    super(message);
  }

  toServiceError(): { code: status; details: string; metadata: Metadata } {
    const metadata = new Metadata();
    const details = this.detail ? [packAny(this.detail.typeName, this.detail.value)] : [];
    metadata.set(
      'grpc-status-details-bin',
      encode('google.rpc.Status', { code: this.code, message: this.message, details }),
    );
    return { code: this.code, details: this.message, metadata };
  }
}

const DETAILS = 'temporal.api.errordetails.v1.';

export const invalidArgument = (message: string) => new RpcError(status.INVALID_ARGUMENT, message);

export const notFound = (message: string) =>
  new RpcError(status.NOT_FOUND, message, { typeName: `${DETAILS}NotFoundFailure`, value: {} });

export const workflowNotFound = (workflowId: string, runId?: string) =>
  notFound(`workflow execution not found for workflow ID "${workflowId}"${runId ? ` and run ID "${runId}"` : ''}`);

export const namespaceNotFound = (namespace: string) =>
  new RpcError(status.NOT_FOUND, `Namespace ${namespace} is not found.`, {
    typeName: `${DETAILS}NamespaceNotFoundFailure`,
    value: { namespace },
  });

export const namespaceAlreadyExists = (namespace: string) =>
  new RpcError(status.ALREADY_EXISTS, `Namespace ${namespace} already exists.`, {
    typeName: `${DETAILS}NamespaceAlreadyExistsFailure`,
    value: {},
  });

export const workflowAlreadyStarted = (startRequestId: string, runId: string) =>
  new RpcError(status.ALREADY_EXISTS, `Workflow execution is already running. RunId: ${runId}.`, {
    typeName: `${DETAILS}WorkflowExecutionAlreadyStartedFailure`,
    value: { startRequestId, runId },
  });

export const workflowCompleted = () =>
  notFound('workflow execution already completed');

export const failedPrecondition = (message: string) => new RpcError(status.FAILED_PRECONDITION, message);

export const queryFailed = (message: string, failure?: Msg) =>
  new RpcError(status.INVALID_ARGUMENT, message, { typeName: `${DETAILS}QueryFailedFailure`, value: { failure } });

export const workflowNotReady = (message: string) =>
  new RpcError(status.FAILED_PRECONDITION, message, { typeName: `${DETAILS}WorkflowNotReadyFailure`, value: {} });

export const resourceExhausted = (message: string, cause: string) =>
  new RpcError(status.RESOURCE_EXHAUSTED, message, {
    typeName: `${DETAILS}ResourceExhaustedFailure`,
    value: { cause, scope: 'RESOURCE_EXHAUSTED_SCOPE_NAMESPACE' },
  });

export const deadlineExceeded = (message: string) => new RpcError(status.DEADLINE_EXCEEDED, message);

export const unimplemented = (method: string) => new RpcError(status.UNIMPLEMENTED, `${method} is not implemented by embedded-temporal`);

export const internal = (message: string) => new RpcError(status.INTERNAL, message);
