import type { MailMessage } from '../../runtime/mail/mailer.ts';

/** The mail that finishes a sign-up: the account exists once its link is opened. */
export function confirmSignUpEmail(sign: { to: string; name: string; link: string; expiresAt: Date; pendingId: number }): MailMessage {
  return {
    to: sign.to,
    subject: 'Confirm your Pulseboard account',
    text: [
      `Hello ${sign.name},`,
      '',
      `Open this link to create your Pulseboard account: ${sign.link}`,
      '',
      `It works once and expires on ${sign.expiresAt.toUTCString()}. If you did not sign up, ignore this mail.`,
    ].join('\n'),
    idempotencyKey: `sign-up-${sign.pendingId}`,
  };
}

/** Sent instead when someone signs up with an email that already has an account: its owner learns of it, the caller does not. */
export function accountExistsEmail(notice: { to: string; signInLink: string; attemptId: string }): MailMessage {
  return {
    to: notice.to,
    subject: 'Someone tried to create a Pulseboard account with your email',
    text: [
      'Someone (perhaps you) tried to create a Pulseboard account with this email address, which already has one.',
      '',
      `To use your account, sign in: ${notice.signInLink}`,
      '',
      'If this was not you, you need not do anything: no account was created and nothing was changed.',
    ].join('\n'),
    idempotencyKey: `sign-up-exists-${notice.attemptId}`,
  };
}
