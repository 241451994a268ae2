/** What the command line (server/src/cli.ts) may use of this module, without the HTTP parts. */
export { createAccountService } from './account.service.ts';
export { createUserService } from './user.service.ts';
