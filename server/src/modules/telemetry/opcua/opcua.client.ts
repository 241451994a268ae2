import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { format } from 'node:util';
import {
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAClient,
  SecurityPolicy,
  StatusCodes,
  UserTokenType,
  setErrorLogger,
  setWarningLogger,
  type ClientSession,
  type OPCUAClientOptions,
  type UserIdentityInfo,
} from 'node-opcua';
import { isAppError, type AppError } from '../../../platform/errors.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { SecurityModeName, SecurityPolicyName } from './opcua.dto.ts';
import {
  opcuaCredentialsRejected,
  opcuaSecurityRejected,
  opcuaServerError,
  opcuaTimeout,
  opcuaUnreachable,
} from './opcua.errors.ts';

/** What HOM needs to open a session on an OPC-UA server. */
export interface EndpointSettings {
  endpoint_url: string;
  security_mode: SecurityModeName;
  security_policy: SecurityPolicyName;
  username: string | null;
  password: string | null;
}

/** Same endpoint, security and user: one client and session serve every machine on it. */
export function endpointKey(settings: EndpointSettings): string {
  return JSON.stringify([
    settings.endpoint_url,
    settings.security_mode,
    settings.security_policy,
    settings.username,
    settings.password,
  ]);
}

const managers = new Map<string, OPCUACertificateManager>();

/** Whether a person rejected this certificate: its file (named `…[<sha1>].pem`) is under rejected/. */
async function isRejected(manager: OPCUACertificateManager, chain: Buffer | Buffer[]): Promise<boolean> {
  const top = Array.isArray(chain) ? chain[0] : chain;
  if (!top) return false;
  const thumbprint = createHash('sha1').update(top).digest('hex');
  const names = await fs.readdir(manager.rejectedFolder).catch(() => [] as string[]);
  return names.some((name) => name.toLowerCase().includes(`[${thumbprint}]`));
}

/**
 * HOM's OPC-UA client certificate store (own certificate and key, trusted and rejected server
 * certificates), one per folder and process. A server's certificate is trusted on first sight (kept
 * under trusted/) unless a person rejected it (GET/POST /opcua/certificates): node-opcua's own
 * first-sight rule would trust a rejected one again, so the rejected folder is checked first. A server
 * that uses Sign or SignAndEncrypt must trust HOM's certificate in own/certs/ (docs/opcua.md).
 */
export function certificateStore(pkiDir: string): OPCUACertificateManager {
  let manager = managers.get(pkiDir);
  if (!manager) {
    const created = new OPCUACertificateManager({
      rootFolder: pkiDir,
      automaticallyAcceptUnknownCertificate: true,
      disableFileWatchers: true,
    });
    const firstSight = created.checkCertificate.bind(created);
    created.checkCertificate = (async (chain: Buffer | Buffer[]) =>
      (await isRejected(created, chain))
        ? StatusCodes.BadCertificateUntrusted
        : firstSight(chain)) as typeof created.checkCertificate;
    manager = created;
    managers.set(pkiDir, manager);
  }
  return manager;
}

/** node-opcua writes warnings and errors to the console; HOM's log gets them instead (debug chatter is dropped). */
export function routeOpcuaLogs(log: Logger): void {
  const child = log.child({ component: 'node-opcua' });
  const line = (args: unknown[]) =>
    format(...args)
      .replace(/\s+/g, ' ')
      .slice(0, 2000);
  setWarningLogger((_context, ...args) => child.warn(line(args)));
  setErrorLogger((_context, ...args) => child.error(line(args)));
}

export function clientOptions(
  settings: EndpointSettings,
  pkiDir: string,
  extra: Partial<OPCUAClientOptions>,
): OPCUAClientOptions {
  return {
    applicationName: 'HOM',
    applicationUri: 'urn:hom:opcua-client',
    clientName: 'HOM',
    endpointMustExist: false,
    securityMode: MessageSecurityMode[settings.security_mode],
    securityPolicy: SecurityPolicy[settings.security_policy],
    clientCertificateManager: certificateStore(pkiDir),
    ...extra,
  };
}

export function identityOf(settings: EndpointSettings): UserIdentityInfo {
  if (settings.username === null) return { type: UserTokenType.Anonymous };
  return { type: UserTokenType.UserName, userName: settings.username, password: settings.password ?? '' };
}

/**
 * Connects once (no retries), opens a session, runs `work`, and closes everything, within
 * `timeoutMs`. Failures become coded errors that say what failed: unreachable endpoint, security,
 * credentials, time-out, or the server's status.
 */
export async function withSession<T>(
  settings: EndpointSettings,
  options: { pkiDir: string; timeoutMs: number },
  work: (session: ClientSession) => Promise<T>,
): Promise<T> {
  const client = OPCUAClient.create(
    clientOptions(settings, options.pkiDir, {
      connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
      requestedSessionTimeout: 60_000,
      transportTimeout: options.timeoutMs,
      defaultTransactionTimeout: options.timeoutMs,
    }),
  );
  let stage: Stage = 'connect';
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          opcuaTimeout(
            `${settings.endpoint_url} did not answer within ${Math.round(options.timeoutMs / 1000)} s (${STAGE_TEXT[stage]})`,
          ),
        ),
      options.timeoutMs,
    );
  });
  const run = async () => {
    await client.connect(settings.endpoint_url);
    stage = 'session';
    const session = await client.createSession(identityOf(settings));
    stage = 'work';
    try {
      return await work(session);
    } finally {
      stage = 'close';
      await session.close().catch(() => undefined);
    }
  };
  try {
    return await Promise.race([run(), deadline]);
  } catch (error) {
    throw classify(error, settings, stage);
  } finally {
    clearTimeout(timer);
    await client.disconnect().catch(() => undefined);
  }
}

export type Stage = 'connect' | 'session' | 'work' | 'close';
const STAGE_TEXT: Record<Stage, string> = {
  connect: 'while connecting',
  session: 'while opening a session',
  work: 'while reading',
  close: 'while closing',
};

/** A failure while talking to an OPC-UA server, as a coded error a person can act on. */
export function classify(error: unknown, settings: EndpointSettings, stage: Stage = 'work'): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const url = settings.endpoint_url;
  const security = `${settings.security_mode}/${settings.security_policy}`;
  if (
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|cannot be established|ECONNRESET/i.test(
      message,
    )
  ) {
    return opcuaUnreachable(
      `Cannot reach ${url}: ${firstLine(message)}. Check the address, the port and the network.`,
      {
        cause: error,
      },
    );
  }
  if (/Cannot find an Endpoint matching/i.test(message)) {
    return opcuaSecurityRejected(
      `${url} offers no endpoint with security ${security}; pick a mode and policy the server offers`,
      { cause: error },
    );
  }
  if (/server Certificate verification failed/i.test(message)) {
    return opcuaSecurityRejected(
      `HOM does not trust the certificate of ${url} (${security}): it was rejected, or is expired or invalid. An admin can trust it under OPC-UA certificates (${firstLine(message)})`,
      { cause: error },
    );
  }
  if (/BadSecurity|BadCertificate|BadNonce|BadApplicationSignature|BadSecureChannel/i.test(message)) {
    return opcuaSecurityRejected(
      `${url} refused the secure channel (${security}): ${firstLine(message)}. The server may have to trust HOM's client certificate.`,
      { cause: error },
    );
  }
  if (/BadUserAccessDenied|BadIdentityToken|BadUserSignatureInvalid|user token policy/i.test(message)) {
    return opcuaCredentialsRejected(
      settings.username === null
        ? `${url} does not allow anonymous access: give a user name and password (${firstLine(message)})`
        : `${url} refused user "${settings.username}": check the user name and password (${firstLine(message)})`,
      { cause: error },
    );
  }
  if (/timeout|timed out/i.test(message)) {
    return opcuaTimeout(`${url} did not answer in time ${STAGE_TEXT[stage]}: ${firstLine(message)}`, {
      cause: error,
    });
  }
  if (stage === 'connect') {
    return opcuaUnreachable(`Cannot connect to ${url}: ${firstLine(message)}`, { cause: error });
  }
  return opcuaServerError(`${url} failed ${STAGE_TEXT[stage]}: ${firstLine(message)}`, { cause: error });
}

function firstLine(message: string): string {
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ')
    .slice(0, 300);
}
