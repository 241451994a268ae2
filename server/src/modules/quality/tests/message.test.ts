import { describe, expect, it } from 'vitest';
import { messageSchema, parseResultsMessage } from '../pipeline/message.ts';

// The worker checks queued rows by hand first (its hot path) and falls back to the schema: it must
// never accept what the schema refuses, and must give the schema's rows for what it accepts.
const row = {
  site_id: 1,
  machine_id: 2,
  machine_code: 'ICT-01',
  barcode: 'SN-1',
  product_code: 'PROD-A',
  test_step: 'voltage_test',
  measured_value: 85.5,
  unit: 'V',
  measured_at: '2026-10-27T08:00:00.000Z',
};
const variants: Record<string, unknown>[] = [
  {},
  { unit: null },
  { extra: 'dropped' },
  { measured_at: '2026-10-27T08:00:00Z' },
  { measured_at: '2026-10-27T10:00:00.000+02:00' },
  { measured_at: '2026-02-30T08:00:00.000Z' },
  { measured_at: '2026-10-27 08:00:00' },
  { measured_at: 'yesterday' },
  { site_id: 0 },
  { machine_id: 1.5 },
  { machine_id: '2' },
  { barcode: '' },
  { barcode: 'x'.repeat(101) },
  { product_code: 'p'.repeat(61) },
  { test_step: 's'.repeat(81) },
  { measured_value: Number.NaN },
  { measured_value: '85' },
  { unit: 'u'.repeat(21) },
  { unit: undefined },
  { machine_code: 5 },
];

describe('parseResultsMessage', () => {
  it('accepts exactly what the message schema accepts, with the same rows', () => {
    for (const change of variants) {
      const payload = JSON.stringify({ v: 1, rows: [row, { ...row, ...change }] });
      const parsed = parseResultsMessage(payload);
      const schema = messageSchema.safeParse(JSON.parse(payload));
      if (schema.success) expect(parsed, JSON.stringify(change)).toEqual({ rows: schema.data.rows });
      else expect('reason' in parsed, JSON.stringify(change)).toBe(true);
    }
  });

  it('refuses a wrong version, no rows, or not JSON', () => {
    for (const payload of [
      '{"v":2,"rows":[]}',
      '{"v":1,"rows":[]}',
      '{"v":1}',
      'null',
      '[1]',
      '{"v":1,"rows"',
    ]) {
      expect('reason' in parseResultsMessage(payload), payload).toBe(true);
    }
  });
});
