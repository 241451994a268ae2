import type { FieldError } from '../../platform/errors.ts';
import { invalidSplit } from './maintenance.errors.ts';
import type { SplitInput } from './unexplained.dto.ts';

export interface SplitPart {
  start: Date;
  /** Null: the last part of a stop that is still open. */
  end: Date | null;
  reason_id: number | null;
  comment: string | null;
}

/**
 * The consecutive parts a stop is split into: each part starts where the one before ends, the first
 * at the stop's start, the last runs to the stop's end (and stays open when the stop is open), so the
 * parts cover exactly the original interval. Boundaries lie strictly inside the stop and increase; an
 * open stop can be split only up to `now`. Refused with INVALID_SPLIT naming each bad field.
 */
export function planSplit(
  stop: { start_at: Date; end_at: Date | null },
  input: SplitInput,
  now: Date,
): SplitPart[] {
  const errors: FieldError[] = [];
  const last = input.parts.length - 1;
  const limit = stop.end_at ?? now;
  let previous = stop.start_at;
  input.parts.forEach((part, index) => {
    const field = `parts.${index}.until`;
    if (index === last) {
      if (part.until !== undefined)
        errors.push({ field, message: 'the last part runs to the end of the stop; leave until out' });
      return;
    }
    if (part.until === undefined) {
      errors.push({ field, message: 'required: where this part ends' });
      return;
    }
    if (part.until.getTime() <= previous.getTime()) {
      errors.push({
        field,
        message: `must be after ${previous.toISOString()} (${index === 0 ? 'the stop’s start' : 'the part before'})`,
      });
    } else if (part.until.getTime() >= limit.getTime()) {
      errors.push({
        field,
        message: stop.end_at
          ? `must be before the stop’s end ${stop.end_at.toISOString()}`
          : `must be before now (${now.toISOString()}): the stop is still open`,
      });
    } else {
      previous = part.until;
    }
  });
  if (errors.length > 0) {
    throw invalidSplit(
      `The parts must cut the stop (${stop.start_at.toISOString()} – ${stop.end_at?.toISOString() ?? 'still open'}) at increasing times inside it: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      { errors },
    );
  }
  return input.parts.map((part, index) => ({
    start: index === 0 ? stop.start_at : (input.parts[index - 1]?.until as Date),
    end: index === last ? stop.end_at : (part.until as Date),
    reason_id: part.reason_id,
    comment: part.comment ?? null,
  }));
}
