import type { HomApp } from '../../../platform/http/types.ts';
import type { CertificateService } from './opcua.certificates.ts';
import * as dto from './opcua.dto.ts';

/** HOM's OPC-UA certificate store (docs/opcua.md "Certificates"). */
export function certificateRoutes(certificates: CertificateService) {
  return async function routes(app: HomApp): Promise<void> {
    const manage = { config: { access: { permission: 'telemetry:manage' } } } as const;
    const tags = ['opcua'];

    app.get(
      '/opcua/certificates',
      {
        ...manage,
        schema: {
          tags,
          summary: "HOM's OPC-UA client certificate and the servers' certificates it trusts or rejects",
          response: { 200: dto.certificatesOutput },
        },
      },
      (request) => certificates.list(request.ctx),
    );
    app.get(
      '/opcua/certificates/own.pem',
      {
        ...manage,
        schema: {
          tags,
          summary:
            "HOM's OPC-UA client certificate as a PEM file, for the trusted store of a server that uses Sign or SignAndEncrypt",
        },
      },
      async (request, reply) => {
        const pem = await certificates.ownPem(request.ctx);
        return reply
          .type('application/x-pem-file')
          .header('content-disposition', 'attachment; filename="hom-opcua-client.pem"')
          .send(pem);
      },
    );
    for (const [action, summary] of [
      ['trust', "Trust a server's certificate (from the server's next connection)"],
      ['reject', "Reject a server's certificate: HOM refuses to connect to it (from its next connection)"],
    ] as const) {
      app.post(
        `/opcua/certificates/:thumbprint/${action}`,
        {
          ...manage,
          schema: {
            tags,
            summary,
            params: dto.thumbprintParam,
            response: { 200: dto.certificateOutput },
          },
        },
        (request) => certificates[action](request.ctx, request.params.thumbprint),
      );
    }
  };
}
