import { requireActor, requirePermission } from '../auth/actor.ts';
import type { Access } from '../http/access.ts';
import type { GraphQLContext } from './builder.ts';

/**
 * Root fields declare their access like REST routes do (`extensions.access`), checked before the
 * resolver runs; the permission test walks every root field's declaration.
 */
export function withAccess<Parent, Args, Result>(
  access: Access,
  resolve: (parent: Parent, args: Args, context: GraphQLContext) => Result,
) {
  return {
    extensions: { access },
    resolve: (parent: Parent, args: Args, context: GraphQLContext): Result => {
      if (access === 'authenticated') requireActor(context.caller);
      else if (access !== 'public') requirePermission(context.caller, access.permission);
      return resolve(parent, args, context);
    },
  };
}
