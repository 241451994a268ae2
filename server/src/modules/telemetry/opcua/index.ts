/**
 * OPC-UA machine connections (docs/opcua.md): the settings per machine (REST and GraphQL) with browse
 * and test (REST only), and the `ingest` role's subscriber that turns counters and states into signals.
 */
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../../platform/db/database.ts';
import type { Builder } from '../../../platform/graphql/builder.ts';
import type { HomApp } from '../../../platform/http/types.ts';
import type { Logger } from '../../../platform/logger.ts';
import { certificateRoutes } from './opcua.certificate.routes.ts';
import { createCertificateService } from './opcua.certificates.ts';
import { routeOpcuaLogs } from './opcua.client.ts';
import { registerOpcuaGraphql } from './opcua.graphql.ts';
import { opcuaRoutes } from './opcua.routes.ts';
import { createPasswordBox } from './opcua.secret.ts';
import { createOpcuaService } from './opcua.service.ts';

export { startOpcuaIngest, type OpcuaIngest, type OpcuaIngestOptions } from './opcua.ingest.ts';
export type { LinkStatus as OpcuaEndpointStatus } from './opcua.link.ts';
export type { CommittedSignal } from './opcua.lanes.ts';
export type { OpcuaService } from './opcua.service.ts';
export type { CertificateService as OpcuaCertificateService } from './opcua.certificates.ts';
export { DEFAULT_STATE_MAP } from './opcua.values.ts';

/** Where HOM keeps its OPC-UA client certificate when the configuration names no folder. */
export function defaultOpcuaPkiDir(): string {
  return path.join(os.tmpdir(), 'hom-opcua-pki');
}

export function createOpcuaModule(deps: {
  db: Database;
  secret: string;
  pkiDir?: string | undefined;
  /** How long a browse or test may take in all (ms). */
  timeoutMs?: number;
  /** node-opcua's own warnings go here instead of the console. */
  log?: Logger | undefined;
}) {
  if (deps.log) routeOpcuaLogs(deps.log);
  const service = createOpcuaService({
    db: deps.db,
    passwords: createPasswordBox(deps.secret),
    pkiDir: deps.pkiDir ?? defaultOpcuaPkiDir(),
    timeoutMs: deps.timeoutMs ?? 10_000,
  });
  const certificates = createCertificateService({ db: deps.db, pkiDir: deps.pkiDir ?? defaultOpcuaPkiDir() });
  const routes = opcuaRoutes(service);
  const certificateRoutesOf = certificateRoutes(certificates);
  return {
    service,
    certificates,
    routes: async (app: HomApp) => {
      await routes(app);
      await certificateRoutesOf(app);
    },
    graphql: (builder: Builder) => registerOpcuaGraphql(builder, service),
  };
}
export type OpcuaModule = ReturnType<typeof createOpcuaModule>;
