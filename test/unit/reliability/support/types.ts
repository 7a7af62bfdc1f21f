// Re-exports so test files import the contract from one place.
export type { Backend, BackendContext, SpanPage } from '../../../../src/backends/types';
export type { Session, Span } from '../../../../src/model/types';
