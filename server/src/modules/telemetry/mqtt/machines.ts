import type { MachineByCode } from './mqtt.repository.ts';
import type { Refusal } from './payload.ts';

/**
 * How long a machine code's answer (found or not) is reused: the bound for a new, deactivated, renamed
 * or moved machine to be seen by MQTT ingest (the same 2 s as POST /ingest's cache).
 */
export const MACHINE_CACHE_TTL_MS = 2_000;
const MAX_CODES = 20_000;

export interface ResolvedMachine {
  machine_id: number;
  site_id: number;
  time_zone: string;
}

/**
 * Machine and site codes from topics → ids, from a cache refreshed per code every `ttlMs`. One query
 * per batch at most (every code the batch misses at once); codes are compared case-insensitively.
 */
export function createMachineResolver(deps: {
  lookup: (codes: readonly string[]) => Promise<MachineByCode[]>;
  ttlMs?: number;
}) {
  const ttlMs = deps.ttlMs ?? MACHINE_CACHE_TTL_MS;
  const byCode = new Map<string, { machines: MachineByCode[]; expiresAt: number }>();

  function pick(machines: readonly MachineByCode[], site: string | null, machine: string) {
    const candidates = site === null ? machines : machines.filter((m) => m.site_code === site.toLowerCase());
    const found = candidates[0];
    if (!found) {
      return { reason: `no active machine ${machine}${site === null ? '' : ` on site ${site}`}` };
    }
    if (candidates.length > 1) {
      return { reason: `machine ${machine} exists on several sites: put {site} in the topic pattern` };
    }
    return { machine_id: found.id, site_id: found.site_id, time_zone: found.time_zone };
  }

  return {
    /** Every (site, machine) pair's machine, or why there is none; rejects when the lookup fails. */
    async resolve(
      pairs: readonly { site: string | null; machine: string }[],
    ): Promise<(ResolvedMachine | Refusal)[]> {
      if (byCode.size > MAX_CODES) byCode.clear();
      const now = Date.now();
      const missing = new Set<string>();
      for (const pair of pairs) {
        const code = pair.machine.toLowerCase();
        const entry = byCode.get(code);
        if (!entry || entry.expiresAt <= now) missing.add(code);
      }
      if (missing.size > 0) {
        const found = await deps.lookup([...missing]);
        const expiresAt = Date.now() + ttlMs;
        for (const code of missing) byCode.set(code, { machines: [], expiresAt });
        for (const machine of found) byCode.get(machine.machine_code)?.machines.push(machine);
      }
      return pairs.map((pair) => {
        const entry = byCode.get(pair.machine.toLowerCase());
        return pick(entry?.machines ?? [], pair.site, pair.machine);
      });
    },
  };
}
export type MachineResolver = ReturnType<typeof createMachineResolver>;
