import { describe, expect, it } from 'vitest';
import {
  instantOf,
  parseCounter,
  parseReading,
  parseResults,
  parseState,
  readingTypeOf,
} from '../mqtt/payload.ts';
import {
  compileTopicPattern,
  createTopicRouter,
  subscriptionFilters,
  topicPatternProblem,
} from '../mqtt/topics.ts';

const buf = (text: string) => Buffer.from(text);

describe('MQTT topic patterns', () => {
  it('compiles to filters, drops filters another one covers, and routes results/state before readings', () => {
    const patterns = [
      compileTopicPattern('plant/{site}/{machine}/{sensor}', 'reading'),
      compileTopicPattern('plant/{site}/{machine}/results', 'results'),
      compileTopicPattern('plant/{site}/{machine}/state', 'state'),
      compileTopicPattern('plant/{site}/{machine}/counter/{kind}', 'counter'),
      compileTopicPattern('line/{machine}/{sensor}', 'reading'),
    ];
    expect(subscriptionFilters(patterns)).toEqual(['plant/+/+/+', 'plant/+/+/counter/+', 'line/+/+']);
    const route = createTopicRouter(patterns);
    expect(route('plant/S1/M7/temp')).toEqual({ kind: 'reading', site: 'S1', machine: 'M7', name: 'temp' });
    expect(route('plant/S1/M7/state')).toMatchObject({ kind: 'state', machine: 'M7' });
    expect(route('plant/S1/M7/results')).toMatchObject({ kind: 'results' });
    expect(route('plant/S1/M7/counter/good')).toMatchObject({ kind: 'counter', name: 'good' });
    expect(route('line/M7/speed')).toEqual({ kind: 'reading', site: null, machine: 'M7', name: 'speed' });
    expect(route('plant/S1/M7')).toBeNull();
    expect(route('plant//M7/temp')).toBeNull(); // an empty level is no code
    expect(route('other/S1/M7/temp')).toBeNull();
  });

  it('says what is wrong with a pattern', () => {
    expect(topicPatternProblem('plant/#', 'reading')).toMatch(/level "#"/);
    expect(topicPatternProblem('plant/{machine}', 'reading')).toBe('needs {sensor}');
    expect(topicPatternProblem('plant/{machine}/{machine}/{sensor}', 'reading')).toBe(
      '{machine} appears twice',
    );
    expect(topicPatternProblem('p/{machine}/{sensor}', 'state')).toMatch(/not a placeholder of state/);
    expect(topicPatternProblem('p/x{machine}/{sensor}', 'reading')).toMatch(/placeholder such as/);
    expect(topicPatternProblem('p/{machine}/counter/{kind}', 'counter')).toBeNull();
  });
});

describe('MQTT payloads', () => {
  it('reads bare numbers and JSON readings, refusing with a reason', () => {
    expect(parseReading(buf(' 81.2\n'))).toEqual({ value: 81.2, unit: null, timestamp: null });
    expect(parseReading(buf('-1e3'))).toEqual({ value: -1000, unit: null, timestamp: null });
    expect(parseReading(buf('{"value":5,"unit":" bar ","timestamp":1767225600000,"x":1}'))).toEqual({
      value: 5,
      unit: 'bar',
      timestamp: 1767225600000,
    });
    expect(parseReading(buf('{"value":5,"timestamp":"2026-05-04T10:00:00+02:00"}'))).toMatchObject({
      timestamp: '2026-05-04T10:00:00+02:00',
    });
    expect(parseReading(buf('1e999'))).toEqual({ reason: 'not a finite number' });
    expect(parseReading(buf('[1]'))).toEqual({ reason: 'JSON, but not an object with a "value"' });
    expect(parseReading(buf('{"value":"5"}'))).toEqual({ reason: 'value: a number' });
    expect(parseReading(buf(`{"value":5,"unit":"${'u'.repeat(21)}"}`))).toMatchObject({ reason: /unit/ });
    expect(parseReading(buf('{"value":5,"timestamp":"tomorrow"}'))).toMatchObject({ reason: /timestamp/ });
    // Days and hours that do not exist are refused, not rolled over into the next month or day.
    for (const stamp of ['2026-02-30T10:00:00Z', '2026-13-01T10:00:00Z', '2026-12-02T24:00:00Z'])
      expect(parseReading(buf(`{"value":5,"timestamp":"${stamp}"}`))).toMatchObject({ reason: /timestamp/ });
    expect(parseReading(buf('{"value":5,"timestamp":"2028-02-29T10:00:00.5Z"}'))).toMatchObject({
      timestamp: '2028-02-29T10:00:00.5Z',
    });
  });

  it('reads states, counters and results', () => {
    expect(parseState(buf('Running'))).toEqual({ state: 'running', raw: 'Running', timestamp: null });
    expect(parseState(buf('"fault"'))).toMatchObject({ state: 'fault' });
    expect(parseState(buf('{"state":"IDLE","timestamp":1767225600000}'))).toMatchObject({ state: 'idle' });
    expect(parseState(buf('spinning'))).toMatchObject({ reason: /not one of running/ });
    expect(parseCounter(buf('1042'))).toEqual({ value: 1042, timestamp: null });
    expect(parseCounter(buf('{"value":7}'))).toEqual({ value: 7, timestamp: null });
    expect(parseCounter(buf('-1'))).toMatchObject({ reason: /not negative/ });
    expect(parseCounter(buf('1.5'))).toMatchObject({ reason: /whole number/ });
    expect(parseResults(buf('{"barcode":"A"}'), 'M7')).toEqual([{ barcode: 'A', machine_id: 'M7' }]);
    expect(parseResults(buf('[{"machine_id":"m7"}]'), 'M7')).toEqual([{ machine_id: 'm7' }]);
    expect(parseResults(buf('[{"machine_id":"M8"}]'), 'M7')).toMatchObject({
      reason: /not the topic's machine/,
    });
    expect(parseResults(buf('[1]'), 'M7')).toMatchObject({ reason: /JSON object/ });
  });

  it('turns sent timestamps into instants in the site zone and refuses impossible ones', () => {
    const now = Date.parse('2026-05-04T12:00:00Z');
    expect(instantOf(null, 'Europe/Berlin', now)).toEqual(new Date(now));
    expect(instantOf('2026-05-04T10:00:00', 'Europe/Berlin', now)).toEqual(new Date('2026-05-04T08:00:00Z'));
    expect(instantOf('2026-05-04T10:00:00Z', 'Europe/Berlin', now)).toEqual(new Date('2026-05-04T10:00:00Z'));
    expect(instantOf(now - 1000, 'Europe/Berlin', now)).toEqual(new Date(now - 1000));
    expect(instantOf(now / 1000, 'UTC', now)).toMatchObject({ reason: /epoch seconds\? send milliseconds/ });
    expect(instantOf(now + 2 * 86_400_000, 'UTC', now)).toMatchObject({ reason: /future/ });
    expect(readingTypeOf('Oil-Temp')).toBe('oil_temp');
    expect(readingTypeOf('1st')).toMatchObject({ reason: /starting with a letter/ });
  });
});
