import type { WireAnswer } from './wire.js';

/**
 * Every message of this package carries this key, with the protocol's version as its value: a
 * message without it is another library's and is ignored; one of another version is another copy
 * of this package that does not speak this one's wire format, and is ignored the same way.
 */
export const NAMESPACE = '@runometer/cluster';
export const PROTOCOL_VERSION = 1;
/** Where a parent thread's aggregator asks the process's worker threads who reports (their hello goes to their own parent). */
export const DISCOVERY_CHANNEL = `${NAMESPACE}/v${PROTOCOL_VERSION}/discover`;

/**
 * A reporter says it is there: when it starts, and when an aggregator asks who is (`discover`). A
 * worker thread's hello carries the port over which it is then asked.
 */
export interface Hello {
  readonly [NAMESPACE]: typeof PROTOCOL_VERSION;
  readonly type: 'hello';
  readonly port?: unknown;
}

/** The aggregator looks for reporters started before it. */
export interface Discover {
  readonly [NAMESPACE]: typeof PROTOCOL_VERSION;
  readonly type: 'discover';
}

/** A reporter that closes says so, so that it is no longer asked. */
export interface Bye {
  readonly [NAMESPACE]: typeof PROTOCOL_VERSION;
  readonly type: 'bye';
}

/**
 * The aggregator asks for snapshots. `reporter` and `knownSpecs` say which of the reporter's field
 * specs it already holds, so that an answer carries only the new ones.
 */
export interface Ask {
  readonly [NAMESPACE]: typeof PROTOCOL_VERSION;
  readonly type: 'ask';
  readonly id: number;
  readonly reporter: string | null;
  readonly knownSpecs: number;
}

export interface Answer extends WireAnswer {
  readonly [NAMESPACE]: typeof PROTOCOL_VERSION;
  readonly type: 'answer';
  readonly id: number;
}

export type Message = Hello | Discover | Bye | Ask | Answer;

/** The message when it is one of ours, of this version; undefined for anything else. */
export function ours(message: unknown): Message | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const candidate = message as Record<string, unknown>;
  return candidate[NAMESPACE] === PROTOCOL_VERSION && typeof candidate['type'] === 'string' ? (candidate as unknown as Message) : undefined;
}

export function message<T extends Message['type']>(
  type: T,
  rest: Omit<Extract<Message, { type: T }>, typeof NAMESPACE | 'type'>,
): Extract<Message, { type: T }> {
  return { [NAMESPACE]: PROTOCOL_VERSION, type, ...rest } as Extract<Message, { type: T }>;
}
