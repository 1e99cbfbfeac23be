/**
 * `approve-requests --notify`: the e-mail Sentry 7.7 sends when a team join request is approved
 * (models/organizationaccessrequest.py OrganizationAccessRequest.send_approved_email, called by
 * api/endpoints/organization_access_request_details.py only for a member without global access whose link was
 * written): to the member's user's e-mail, subject 'Sentry Access Request', the text of
 * templates/sentry/emails/access-approved.txt rendered by Django (which HTML-escapes `team.name` even in a .txt
 * template), from Sentry's SERVER_EMAIL. The HTML alternative Sentry attaches is not reproduced: the text part is
 * the whole message. A pending invite has no user: Sentry's own call fails there; we send nothing and say so.
 *
 * Sent through SMTP (`SENTRY_ADMIN_SMTP_URL`, smtp://user:pass@host:port, smtps:// for TLS) with nodemailer.
 * Like Sentry (which logs a failed send and goes on), a failure does not undo the approval; it is listed.
 */
import nodemailer from 'nodemailer';

export const APPROVED_SUBJECT = 'Sentry Access Request';

export interface ApprovalMail {
  requestId: string;
  to: string;
  teamName: string;
}

export interface MailOutcome {
  sent: { requestId: string; to: string }[];
  failed: { requestId: string; to: string; error: string }[];
}

/** Django's `escape` (django.utils.html.escape in 1.6), applied by autoescaping to `{{ team.name }}`. */
export function djangoEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The text body of access-approved.txt for a team name (the template ends with a newline). */
export function approvedText(teamName: string): string {
  return `You have been granted access to the ${djangoEscape(teamName)} team on Sentry.\n`;
}

export async function sendApprovalMails(smtpUrl: string, from: string, mails: ApprovalMail[]): Promise<MailOutcome> {
  const out: MailOutcome = { sent: [], failed: [] };
  if (!mails.length) return out;
  const transport = nodemailer.createTransport(smtpUrl);
  try {
    for (const m of mails) {
      try {
        await transport.sendMail({ from, to: m.to, subject: APPROVED_SUBJECT, text: approvedText(m.teamName) });
        out.sent.push({ requestId: m.requestId, to: m.to });
      } catch (err) {
        out.failed.push({ requestId: m.requestId, to: m.to, error: (err as Error).message });
      }
    }
  } finally {
    transport.close();
  }
  return out;
}
