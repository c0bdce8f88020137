/**
 * Realtime topics and who may watch them. Pure: the caller gathers the facts (who the viewer is,
 * which organizations they belong to, which organization owns the record) and asks here.
 */
export type Topic =
  | { kind: 'board'; id: number }
  | { kind: 'booking'; id: number }
  | { kind: 'org_jobs'; organizationId: number }
  /** Who belongs to an organization and who is invited: the Team page follows it. */
  | { kind: 'org_team'; organizationId: number }
  | { kind: 'store'; id: number }
  | { kind: 'user'; id: number };

const PATTERN = /^(?:(board|booking|store|user):([1-9]\d{0,15})|org:([1-9]\d{0,15}):(jobs|team))$/;

/** The organization's team topic: members joining, leaving or changing role, invitations made or spent. */
export const orgTeamTopic = (organizationId: number): string => `org:${organizationId}:team`;

export function parseTopic(topic: string): Topic | null {
  const match = PATTERN.exec(topic);
  if (!match) return null;
  if (match[3]) return { kind: match[4] === 'jobs' ? 'org_jobs' : 'org_team', organizationId: Number(match[3]) };
  return { kind: match[1] as 'board' | 'booking' | 'store' | 'user', id: Number(match[2]) };
}

export interface TopicViewerFacts {
  /** The signed-in person, null for an API key. */
  userId: number | null;
  /** Organizations the viewer belongs to (an API key: its own organization only). */
  organizationIds: readonly number[];
  /** The organization owning the topic's record (a store's), when the topic is about one; null when unknown. */
  owningOrganizationId?: number | null;
  /** People whose record the topic is about: a booking's customer and provider, a board's owner. */
  participantIds?: readonly number[];
  /** Site admins see every booking and board. */
  isAdmin?: boolean;
}

export function mayViewTopic(facts: TopicViewerFacts, topic: Topic): boolean {
  switch (topic.kind) {
    case 'user':
      return facts.userId !== null && facts.userId === topic.id;
    case 'org_jobs':
      return facts.organizationIds.includes(topic.organizationId);
    case 'org_team':
      // People follow their team; an API key is no member of it.
      return facts.userId !== null && facts.organizationIds.includes(topic.organizationId);
    case 'store':
      return facts.owningOrganizationId != null && facts.organizationIds.includes(facts.owningOrganizationId);
    case 'board':
    case 'booking':
      return facts.userId !== null && (facts.isAdmin === true || (facts.participantIds ?? []).includes(facts.userId));
  }
}
