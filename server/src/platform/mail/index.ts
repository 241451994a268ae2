export { queueMail, mailInput, MAX_ATTACHMENT_BYTES, type MailInput } from './mail.queue.ts';
export {
  deliverDueMail,
  pendingMailCount,
  retryDelayMs,
  smtpTransport,
  MAX_MAIL_ATTEMPTS,
  type MailDelivery,
  type MailTransport,
  type OutgoingMail,
} from './mail.sender.ts';
export type { MailOutboxTable } from './mail.schema.ts';
