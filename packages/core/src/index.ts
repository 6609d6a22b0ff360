export type { BackoffOptions } from './backoff.js';
export { DEFAULT_BACKOFF, fullJitterDelay, resolveBackoff } from './backoff.js';
export type { Balancer, BalancerCandidate, PickContext, RequestOutcome } from './balancer.js';
export type {
  Breaker,
  BreakerSnapshot,
  BreakerState,
  BreakerStateChange,
  EjectionEvent,
  FailureClassifier,
  OutlierDetector,
} from './breaker.js';
export type { Cache } from './cache.js';
export type { Clock, TimerHandle } from './clock.js';
export { delay, systemClock } from './clock.js';
export type { ClosestNamesOptions } from './closest-names.js';
export { closestNames, MAX_NAME_LENGTH } from './closest-names.js';
export { didYouMean } from './did-you-mean.js';
export type { DiscoveredSet, Discovery, DiscoveryEvents, SkippedRecord } from './discovery.js';
export type {
  DiscoveryResult,
  DiscoveryRun,
  DiscoverySourceOptions,
} from './discovery-source.js';
export { createDiscoverySource } from './discovery-source.js';
export type { Disposer, EventSource, TypedEmitter } from './emitter.js';
export { createEmitter } from './emitter.js';
export type {
  EndpointDescriptor,
  SseTransportConfig,
  StdioTransportConfig,
  StreamableHttpTransportConfig,
  TransportConfig,
  TransportKind,
  WebSocketTransportConfig,
} from './endpoint.js';
export { describeTransport } from './endpoint.js';
export type { ConfigIssue, McpmxErrorCode, McpmxErrorFields } from './errors.js';
export { ConfigError, describeValue, InvalidOptionError, McpmxError } from './errors.js';
export { ClientClosedError, NotStartedError, StartTimeoutError } from './lifecycle-errors.js';
export { ConcurrencyLimitError } from './limit-errors.js';
export { ManualClock, NoTimerScheduledError } from './manual-clock.js';
export type {
  CallToolResult,
  CapabilityKind,
  ListPage,
  Progress,
  PromptDescriptor,
  ResourceDescriptor,
  ResourceTemplateDescriptor,
  ToolAnnotations,
  ToolDescriptor,
} from './mcp-types.js';
export type { OneShotTimer } from './one-shot-timer.js';
export { createOneShotTimer } from './one-shot-timer.js';
export { quantile } from './quantile.js';
export { quoteName } from './quote-name.js';
export type { Random } from './random.js';
export { createSeededRandom, randomInt, systemRandom } from './random.js';
export type { DescribeRecordIssuesOptions, RecordIssue } from './record-issues.js';
export { describeRecordIssues } from './record-issues.js';
export type { Redactor } from './redactor.js';
export { createRedactor, MIN_SECRET_LENGTH, REDACTED, redactUrls } from './redactor.js';
export type { ReplicaFailure } from './routing-errors.js';
export {
  CircuitOpenError,
  DiscoveryError,
  NameConflictError,
  NoHealthyReplicaError,
  UnknownPromptError,
  UnknownResourceError,
  UnknownServerError,
  UnknownToolError,
} from './routing-errors.js';
export type { ReachedServer } from './session-errors.js';
export {
  AcquireTimeoutError,
  AuthError,
  AuthRequiredError,
  CancelledError,
  ConnectError,
  EndpointNotFoundError,
  InteractionError,
  InvalidRequestError,
  MessageTooLargeError,
  PoolClosedError,
  ProtocolError,
  RemoteError,
  RequestTimeoutError,
  SessionClosedError,
  TokenStoreError,
  TransportError,
  wasNeverSent,
} from './session-errors.js';
export type {
  ListChangedKind,
  McpOperations,
  McpSession,
  PoolStats,
  RequestOptions,
  ServerCapabilities,
  SessionPool,
  SessionPoolEvents,
} from './session-pool.js';
export type { ReplicaStatus, StatusChange } from './status.js';
export { healthRank } from './status.js';
export type {
  RequestEndEvent,
  RequestOutcomeKind,
  RequestStartEvent,
  TelemetryEvents,
  TelemetrySnapshot,
} from './telemetry.js';
export {
  acceptsScheme,
  kindOfUrl,
  schemeFor,
  TRANSPORT_KIND_NAMES,
  TRANSPORT_KINDS,
  transportKindOf,
  URL_TRANSPORT_KINDS,
} from './transport-kinds.js';
export { checkNumber } from './validate.js';
