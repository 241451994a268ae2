/**
 * Topic patterns: `plant/{site}/{machine}/{sensor}` is a literal topic with placeholders, each a whole
 * topic level. A pattern subscribes as its MQTT filter (placeholders become `+`) and reads the names
 * back out of each topic it matched. No MQTT wildcards of their own: every level is named or literal.
 */

/** What a topic carries; one pattern list per kind (docs/mqtt.md). */
export const TOPIC_KINDS = ['results', 'state', 'counter', 'reading'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];

const PLACEHOLDERS: Record<TopicKind, { required: readonly string[]; allowed: readonly string[] }> = {
  reading: { required: ['machine', 'sensor'], allowed: ['site', 'machine', 'sensor'] },
  results: { required: ['machine'], allowed: ['site', 'machine'] },
  state: { required: ['machine'], allowed: ['site', 'machine'] },
  counter: { required: ['machine', 'kind'], allowed: ['site', 'machine', 'kind'] },
};

const PLACEHOLDER = /^\{([a-z]+)\}$/;
/** A literal level: no wildcards, no braces (NUL is refused separately). */
const LITERAL = /^[^+#{}]+$/;

export interface TopicPattern {
  kind: TopicKind;
  pattern: string;
  /** The MQTT subscription filter, placeholders as `+`. */
  filter: string;
  /** Per level: the placeholder's name, or null for a literal level. */
  names: (string | null)[];
  literals: (string | null)[];
}

/** Why a pattern cannot be used, or null when it can. */
export function topicPatternProblem(pattern: string, kind: TopicKind): string | null {
  const rules = PLACEHOLDERS[kind];
  if (pattern.length === 0 || pattern.length > 200) return 'must be 1–200 characters';
  const levels = pattern.split('/');
  const seen = new Set<string>();
  for (const level of levels) {
    const placeholder = PLACEHOLDER.exec(level);
    if (placeholder) {
      const name = placeholder[1] ?? '';
      if (!rules.allowed.includes(name)) {
        return `{${name}} is not a placeholder of ${kind} topics (allowed: ${rules.allowed.map((n) => `{${n}}`).join(', ')})`;
      }
      if (seen.has(name)) return `{${name}} appears twice`;
      seen.add(name);
    } else if (!LITERAL.test(level) || level.includes('\u0000')) {
      return `level "${level}" must be a placeholder such as {machine} alone or plain text without + # { }`;
    }
  }
  const missing = rules.required.filter((name) => !seen.has(name));
  if (missing.length > 0) return `needs ${missing.map((n) => `{${n}}`).join(' and ')}`;
  return null;
}

export function compileTopicPattern(pattern: string, kind: TopicKind): TopicPattern {
  const problem = topicPatternProblem(pattern, kind);
  if (problem) throw new Error(`MQTT ${kind} topic pattern "${pattern}": ${problem}`);
  const levels = pattern.split('/');
  const names = levels.map((level) => PLACEHOLDER.exec(level)?.[1] ?? null);
  return {
    kind,
    pattern,
    filter: levels.map((level, i) => (names[i] ? '+' : level)).join('/'),
    names,
    literals: levels.map((level, i) => (names[i] ? null : level)),
  };
}

/** The placeholders' values when the topic matches the pattern, else null. */
export function matchTopic(pattern: TopicPattern, levels: readonly string[]): Record<string, string> | null {
  if (levels.length !== pattern.names.length) return null;
  const values: Record<string, string> = {};
  for (let i = 0; i < levels.length; i += 1) {
    const level = levels[i] ?? '';
    const literal = pattern.literals[i];
    if (literal !== null && literal !== undefined) {
      if (level !== literal) return null;
    } else {
      if (level.length === 0) return null;
      values[pattern.names[i] ?? ''] = level;
    }
  }
  return values;
}

/** `a` receives everything `b` does (same depth, each level `+` or equal). */
function covers(a: string, b: string): boolean {
  const x = a.split('/');
  const y = b.split('/');
  return x.length === y.length && x.every((level, i) => level === '+' || level === y[i]);
}

/**
 * The filters to subscribe to: one per pattern, without those another filter already receives. A
 * broker may deliver a message once per matching subscription, so overlapping ones would store it twice.
 */
export function subscriptionFilters(patterns: readonly TopicPattern[]): string[] {
  const filters = [...new Set(patterns.map((p) => p.filter))];
  return filters.filter((f) => !filters.some((other) => other !== f && covers(other, f)));
}

export interface RoutedTopic {
  kind: TopicKind;
  site: string | null;
  machine: string;
  /** The sensor (readings) or the counter kind (counters). */
  name: string | null;
}

/**
 * Finds the pattern a topic belongs to. The kinds are tried in the order results, state, counter,
 * reading, so `plant/S1/M1/state` is a state even though `plant/{site}/{machine}/{sensor}` matches it.
 */
export function createTopicRouter(patterns: readonly TopicPattern[]) {
  const ordered = [...patterns].sort((a, b) => TOPIC_KINDS.indexOf(a.kind) - TOPIC_KINDS.indexOf(b.kind));
  return (topic: string): RoutedTopic | null => {
    const levels = topic.split('/');
    for (const pattern of ordered) {
      const values = matchTopic(pattern, levels);
      if (!values) continue;
      return {
        kind: pattern.kind,
        site: values.site ?? null,
        machine: values.machine ?? '',
        name: values.sensor ?? values.kind ?? null,
      };
    }
    return null;
  };
}
export type TopicRouter = ReturnType<typeof createTopicRouter>;
