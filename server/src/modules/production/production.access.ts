import { requirePermission, type AuthedContext, type RequestContext } from '../../platform/auth/actor.ts';
import { CLOCK_SKEW_MS } from './production.constants.ts';
import { invalidTime } from './production.errors.ts';

/** The signed-in person's id, or null for API keys and HOM itself. */
export function userIdOf(ctx: AuthedContext): number | null {
  return ctx.actor.kind === 'user' ? ctx.actor.id : null;
}

/** Planners (workorder:plan) act on any stage; workers (stage:work) only on the stages assigned to them. */
export function canPlan(ctx: AuthedContext): boolean {
  return ctx.actor.kind === 'system' || ctx.actor.permissions.has('workorder:plan');
}

/** Workers see only their own stages; everyone else who may read production sees all of them. */
export function ownStagesOnly(ctx: AuthedContext): number | undefined {
  if (canPlan(ctx) || ctx.actor.kind !== 'user' || ctx.actor.id === null) return undefined;
  return ctx.actor.permissions.has('stage:work') && !ctx.actor.permissions.has('issue:manage')
    ? ctx.actor.id
    : undefined;
}

export function requireReader(request: RequestContext): AuthedContext {
  return requirePermission(request, 'production:read');
}

/** A time the client says something happened: never in the future (tablet clocks drift a little). */
export function pastOrNow(field: string, value: Date | undefined, now: Date): Date {
  if (!value) return now;
  if (value.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw invalidTime(`${field} is in the future`, {
      errors: [{ field, message: 'must not be in the future' }],
    });
  }
  return value.getTime() > now.getTime() ? now : value;
}
