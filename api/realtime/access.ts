import type { IncomingMessage } from 'node:http';

/** Who holds a socket: enough to check access and to show them in presence. */
export interface RelayPrincipal {
  id: string;
  name: string;
}

/**
 * What the relay needs from identity and access. Injected, so the relay does not know how
 * a session cookie or an API key is read, nor what a policy says about a topic.
 */
export interface RelayAccess<P extends RelayPrincipal = RelayPrincipal> {
  /** The principal behind the upgrade request (cookie or Authorization header), or null. */
  authenticate(req: IncomingMessage): Promise<P | null>;
  canSubscribe(principal: P, topic: string): Promise<boolean>;
  /**
   * The principals (by id) whose access an announced event may have changed, such as a member
   * removed from an organization: the relay checks their subscriptions again at once.
   */
  accessChangedBy?(event: AnnouncedEvent): string[];
}

export interface AnnouncedEvent {
  topic: string;
  event: string;
  data: unknown;
}
