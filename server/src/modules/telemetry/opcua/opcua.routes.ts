import type { HomApp } from '../../../platform/http/types.ts';
import * as dto from './opcua.dto.ts';
import type { OpcuaService } from './opcua.service.ts';

export function opcuaRoutes(opcua: OpcuaService) {
  return async function routes(app: HomApp): Promise<void> {
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const manage = { config: { access: { permission: 'telemetry:manage' } } } as const;
    const tags = ['opcua'];
    const params = dto.machineParam;

    app.get(
      '/machines/:machine_id/opcua',
      {
        ...read,
        schema: {
          tags,
          summary:
            "The machine's OPC-UA connection and what the ingest process last saw of it (never the password)",
          params,
          response: { 200: dto.connectionOutput },
        },
      },
      (request) => opcua.get(request.ctx, request.params.machine_id),
    );
    app.put(
      '/machines/:machine_id/opcua',
      {
        ...manage,
        schema: {
          tags,
          summary:
            'Create or replace the OPC-UA connection: endpoint, security, credentials (password write-only), node ids, state map',
          params,
          body: dto.connectionInput,
          response: { 200: dto.connectionOutput, 201: dto.connectionOutput },
        },
      },
      async (request, reply) => {
        const { created, connection } = await opcua.put(request.ctx, request.params.machine_id, request.body);
        return reply.status(created ? 201 : 200).send(connection);
      },
    );
    app.delete(
      '/machines/:machine_id/opcua',
      { ...manage, schema: { tags, summary: 'Remove the OPC-UA connection (HOM unsubscribes)', params } },
      async (request, reply) => {
        await opcua.remove(request.ctx, request.params.machine_id);
        return reply.status(204).send();
      },
    );
    app.post(
      '/machines/:machine_id/opcua/browse',
      {
        ...manage,
        schema: {
          tags,
          summary:
            "Browse the server's address space: the children of node_id (default the Objects folder) with variables' values; 502/504 say what failed",
          params,
          body: dto.browseInput,
          response: { 200: dto.browseOutput },
        },
      },
      (request) => opcua.browse(request.ctx, request.params.machine_id, request.body),
    );
    app.post(
      '/machines/:machine_id/opcua/test',
      {
        ...manage,
        schema: {
          tags,
          summary: 'Connect once and read the configured (or given) nodes; 502/504 say what failed',
          params,
          body: dto.testInput.optional(),
          response: { 200: dto.testOutput },
        },
      },
      (request) => opcua.test(request.ctx, request.params.machine_id, request.body ?? {}),
    );
  };
}
