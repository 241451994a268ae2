import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { parseInput } from '../../platform/validation.ts';
import { historyInput, type HistoryItem, type HistoryService } from './history.service.ts';

export function registerHistoryGraphql(builder: Builder, history: HistoryService): void {
  const HistoryEntry = builder.objectRef<HistoryItem>('HistoryEntry').implement({
    fields: (t) => ({
      kind: t.exposeString('kind', { description: 'downtime, repair or change' }),
      id: t.exposeID('id'),
      at: t.field({ type: 'DateTime', resolve: (item) => item.at }),
      summary: t.exposeString('summary'),
      actorUsername: t.string({ nullable: true, resolve: (item) => item.actor_username }),
      details: t.field({ type: 'JSON', resolve: (item) => item.details }),
    }),
  });
  const HistoryPage = builder
    .objectRef<{ items: HistoryItem[]; next_cursor: string | null }>('HistoryPage')
    .implement({
      fields: (t) => ({
        items: t.field({ type: [HistoryEntry], resolve: (page) => page.items }),
        nextCursor: t.string({ nullable: true, resolve: (page) => page.next_cursor }),
      }),
    });
  builder.queryFields((t) => ({
    machineHistory: t.field({
      type: HistoryPage,
      args: {
        machineId: t.arg.id({ required: true }),
        kinds: t.arg.stringList(),
        first: t.arg.int(),
        after: t.arg.string(),
      },
      ...withAccess(
        { permission: 'plant:read' },
        (
          _p,
          args: {
            machineId: string | number;
            kinds?: string[] | null;
            first?: number | null;
            after?: string | null;
          },
          c,
        ) =>
          history.machineHistory(
            c.caller,
            Number(args.machineId),
            parseInput(historyInput, {
              ...(args.kinds ? { kinds: args.kinds } : {}),
              ...(args.first != null ? { limit: args.first } : {}),
              ...(args.after != null ? { cursor: args.after } : {}),
            }),
          ),
      ),
    }),
  }));
}
