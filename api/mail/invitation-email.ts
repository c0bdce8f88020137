import type { MailMessage } from '../../runtime/mail/mailer.ts';

/** The invitation mail: who invites whom to what, and the single-use link that expires. */
export function invitationEmail(invite: { to: string; organizationName: string; inviterName: string; role: string; link: string; expiresAt: Date; invitationId: number }): MailMessage {
  const expires = invite.expiresAt.toUTCString();
  return {
    to: invite.to,
    subject: `${invite.inviterName} invited you to ${invite.organizationName} on Pulseboard`,
    text: [
      `${invite.inviterName} invited you to join ${invite.organizationName} as ${invite.role}.`,
      '',
      `Accept the invitation: ${invite.link}`,
      '',
      `The link works once and expires on ${expires}.`,
    ].join('\n'),
    idempotencyKey: `invitation-${invite.invitationId}`,
  };
}
