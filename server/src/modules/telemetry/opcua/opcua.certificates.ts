import { X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { requirePermission, type AuthedContext, type RequestContext } from '../../../platform/auth/actor.ts';
import type { Database } from '../../../platform/db/database.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import { forbidden } from '../../../platform/errors.ts';
import { recordChange } from '../../audit/index.ts';
import { certificateStore } from './opcua.client.ts';
import type { CertificateOutput, CertificatesOutput } from './opcua.dto.ts';
import { opcuaCertificateUnknown } from './opcua.errors.ts';
import { notifyCertificatesChanged } from './opcua.repository.ts';

const MANAGE = 'telemetry:manage';
const OWN_CERTIFICATE = 'client_certificate.pem';

type Status = CertificateOutput['status'];
interface Found extends CertificateOutput {
  der: Buffer;
}

/** DER of a certificate file (PEM or DER), or null when the file is no certificate. */
function derOf(content: Buffer): Buffer | null {
  try {
    return Buffer.from(new X509Certificate(content).raw);
  } catch {
    return null;
  }
}

function describe(der: Buffer, status: Status): Found {
  const x509 = new X509Certificate(der);
  const uri = /URI:([^,\s]+)/.exec(x509.subjectAltName ?? '')?.[1] ?? null;
  return {
    thumbprint: x509.fingerprint.replaceAll(':', '').toLowerCase(),
    subject: x509.subject.replaceAll('\n', ', '),
    application_uri: uri,
    valid_from: new Date(x509.validFrom),
    valid_to: new Date(x509.validTo),
    status,
    der,
  };
}

async function certificatesIn(folder: string, status: Status): Promise<Found[]> {
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  const found: Found[] = [];
  for (const name of names.filter((n) => /\.(pem|der|crt)$/i.test(n))) {
    const der = derOf(await fs.readFile(path.join(folder, name)).catch(() => Buffer.alloc(0)));
    if (der) found.push(describe(der, status));
  }
  return found;
}

const toPem = (der: Buffer) =>
  `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;

/**
 * HOM's OPC-UA certificate store as a person manages it (docs/opcua.md "Certificates"): HOM's own client
 * certificate (to give to a server that uses Sign or SignAndEncrypt), and the servers' certificates HOM
 * has seen, trusted or rejected. The store is shared by every site, so changing it needs
 * telemetry:manage for all sites; a change reaches the ingest process (NOTIFY) and counts from each
 * server's next connection.
 */
export function createCertificateService(deps: { db: Pick<Database, 'transaction'>; pkiDir: string }) {
  const store = () => certificateStore(deps.pkiDir);

  async function all(): Promise<Found[]> {
    const manager = store();
    await manager.initialize();
    const [trusted, rejected] = await Promise.all([
      certificatesIn(manager.trustedFolder, 'trusted'),
      certificatesIn(manager.rejectedFolder, 'rejected'),
    ]);
    return [...trusted, ...rejected].sort((a, b) => a.subject.localeCompare(b.subject));
  }

  async function own(): Promise<Found | null> {
    const manager = store();
    await manager.initialize();
    const content = await fs.readFile(path.join(manager.ownCertFolder, OWN_CERTIFICATE)).catch(() => null);
    const der = content ? derOf(content) : null;
    return der ? describe(der, 'own') : null;
  }

  function requireWholeStore(request: RequestContext): AuthedContext {
    const ctx = requirePermission(request, MANAGE);
    if (!ctx.actor.allSites)
      throw forbidden(
        'OPC-UA certificates are shared by every site: only a user with access to all sites may change them',
      );
    return ctx;
  }

  async function move(request: RequestContext, thumbprint: string, status: 'trusted' | 'rejected') {
    const ctx = requireWholeStore(request);
    const found = (await all()).find((c) => c.thumbprint === thumbprint.toLowerCase());
    if (!found)
      throw opcuaCertificateUnknown(`HOM has seen no server certificate with thumbprint ${thumbprint}`);
    const manager = store();
    if (status === 'trusted') await manager.trustCertificate(found.der);
    else await manager.rejectCertificate(found.der);
    await deps.db.transaction(SYSTEM_SCOPE, async (tx) => {
      await recordChange(tx, ctx, {
        action: 'update',
        entity: 'opcua_certificate',
        entityId: found.thumbprint,
        before: { status: found.status },
        after: { status, subject: found.subject },
      });
      await notifyCertificatesChanged(tx);
    });
    const { der: _der, ...output } = { ...found, status };
    return output;
  }

  return {
    async list(request: RequestContext): Promise<CertificatesOutput> {
      requirePermission(request, MANAGE);
      const [mine, servers] = await Promise.all([own(), all()]);
      const strip = ({ der: _der, ...rest }: Found) => rest;
      return { own: mine ? { ...strip(mine), pem: toPem(mine.der) } : null, servers: servers.map(strip) };
    },

    /** HOM's client certificate as PEM (404 before the first connection created it). */
    async ownPem(request: RequestContext): Promise<string> {
      requirePermission(request, MANAGE);
      const mine = await own();
      if (!mine)
        throw opcuaCertificateUnknown(
          "HOM has no OPC-UA client certificate yet: it is created at the first connection or 'Test connection'",
        );
      return toPem(mine.der);
    },

    trust: (request: RequestContext, thumbprint: string) => move(request, thumbprint, 'trusted'),
    reject: (request: RequestContext, thumbprint: string) => move(request, thumbprint, 'rejected'),
  };
}
export type CertificateService = ReturnType<typeof createCertificateService>;
