import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { parseTopic } from '../../domain/policies/topics.ts';
import { authenticateRequest, type Principal } from '../auth/principal.ts';
import { canSubscribe } from '../auth/topic-access.ts';
import type { RelayAccess, RelayPrincipal } from './access.ts';

/** A relay principal that keeps the platform's own, for the topic policy. */
export interface PlatformRelayPrincipal extends RelayPrincipal {
  principal: Principal;
}

/** The relay's access through identity: session cookie, bearer token or API key, and the topic policy. */
export function platformAccess(ctx: AppContext): RelayAccess<PlatformRelayPrincipal> {
  return {
    async authenticate(req) {
      const principal = await authenticateRequest(ctx, req);
      if (!principal) return null;
      // An API key is nobody's face on a board; it still needs an id that presence cannot mistake for a person's.
      return principal.kind === 'user'
        ? { id: String(principal.user.id), name: principal.user.name, principal }
        : { id: `api_key:${principal.keyId}`, name: 'API key', principal };
    },
    canSubscribe: (who, topic) => canSubscribe(ctx, who.principal, topic),
    accessChangedBy: ({ topic, event, data }) => {
      if (parseTopic(topic)?.kind !== 'org_team' || !MEMBERSHIP_CHANGES.has(event)) return [];
      const member = memberOfChange.safeParse(data);
      return member.success ? [String(member.data.userId)] : [];
    },
  };
}

/** Team events after which a person may see less (or more) of the organization: api/routes/members.ts. */
const MEMBERSHIP_CHANGES = new Set(['member.removed', 'member.role_changed']);
const memberOfChange = z.object({ userId: z.number().int() });
