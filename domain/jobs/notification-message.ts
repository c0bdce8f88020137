/** What a notification says: the first failure of a streak, the recovery, or the job disabling itself. */
export type NotificationKind = 'failure' | 'recovery' | 'disabled';

export interface JobNotice {
  kind: NotificationKind;
  jobName: string;
  jobKey: string;
  url: string;
  consecutiveFailures: number;
  error: string | null;
  /** Where a person sees the job, when the deployment has a public URL. */
  link: string | null;
}

/** One sentence per kind, used for the email's subject and the chat message's first line. */
export function noticeHeadline(notice: JobNotice): string {
  switch (notice.kind) {
    case 'failure':
      return `Job "${notice.jobName}" is failing`;
    case 'recovery':
      return `Job "${notice.jobName}" has recovered`;
    case 'disabled':
      return `Job "${notice.jobName}" was disabled after ${notice.consecutiveFailures} failed runs in a row`;
  }
}

export function noticeText(notice: JobNotice): string {
  const lines = [noticeHeadline(notice) + '.', '', `Job: ${notice.jobName} (${notice.jobKey})`, `Target: ${notice.url}`];
  if (notice.kind === 'recovery') lines.push('Its last run succeeded. You will hear from us again only if it starts failing.');
  else if (notice.error) lines.push(`Last error: ${notice.error}`);
  if (notice.kind === 'failure') lines.push('You will not get another message for this streak of failures, only when it recovers or is disabled.');
  if (notice.kind === 'disabled') lines.push('It will not run again until someone enables it.');
  if (notice.link) lines.push('', notice.link);
  return lines.join('\n');
}

export type WebhookFlavor = 'slack' | 'discord' | 'generic';

/** Slack and Discord incoming webhooks want their own shapes; anything else gets plain JSON. */
export function webhookFlavor(url: string): WebhookFlavor {
  const { hostname, pathname } = new URL(url);
  if (hostname === 'hooks.slack.com') return 'slack';
  if ((hostname === 'discord.com' || hostname === 'discordapp.com' || hostname.endsWith('.discord.com')) && pathname.startsWith('/api/webhooks/')) return 'discord';
  return 'generic';
}

export function webhookPayload(url: string, notice: JobNotice): unknown {
  const text = noticeText(notice);
  switch (webhookFlavor(url)) {
    case 'slack':
      return { text };
    case 'discord':
      // Discord refuses content over 2000 characters.
      return { content: text.slice(0, 2000) };
    case 'generic':
      return { event: `job.${notice.kind}`, job: { key: notice.jobKey, name: notice.jobName, url: notice.url }, consecutiveFailures: notice.consecutiveFailures, error: notice.error, message: noticeHeadline(notice) };
  }
}
