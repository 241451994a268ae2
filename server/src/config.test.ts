import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig, type ConfigError } from './config.ts';

describe('configuration', () => {
  it('starts with no variables at all (the embedded default)', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      roles: ['api', 'ingest', 'worker'],
      databaseUrl: undefined,
      bootstrapAdmin: undefined,
    });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({
        PORT: '99999',
        HOM_ROLES: 'api,cook',
        HOM_ADMIN_USERNAME: 'a',
        DATABASE_URL: 'mysql://x',
        HOM_SECRET: 'short',
      });
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'HOM_ROLES', 'HOM_ADMIN_PASSWORD', 'DATABASE_URL', 'HOM_SECRET'])
        expect(problems).toContain(name);
    }
  });

  it('requires a shared secret in production with an external database', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://h/db' })).toThrow(
      /HOM_SECRET/,
    );
  });

  it('reads the MQTT ingest settings and refuses topic patterns it cannot use', () => {
    expect(loadConfig({}).mqtt).toBeUndefined();
    expect(loadConfig({ MQTT_URL: 'mqtt://127.0.0.1:1883', MQTT_RESULTS_TOPIC: 'off' }).mqtt).toEqual({
      url: 'mqtt://127.0.0.1:1883',
      clientId: 'hom-ingest',
      username: undefined,
      password: undefined,
      qos: 1,
      topics: {
        readings: ['plant/{site}/{machine}/{sensor}'],
        results: null,
        state: 'plant/{site}/{machine}/state',
        counter: 'plant/{site}/{machine}/counter/{kind}',
      },
    });
    expect(
      loadConfig({
        MQTT_URL: 'mqtts://b:8883',
        MQTT_TOPICS: 'a/{machine}/{sensor}, b/{site}/{machine}/{sensor}',
      }).mqtt?.topics.readings,
    ).toEqual(['a/{machine}/{sensor}', 'b/{site}/{machine}/{sensor}']);
    try {
      loadConfig({
        MQTT_URL: 'http://broker',
        MQTT_TOPICS: 'plant/+/{machine}/{sensor},plant/{machine}',
        MQTT_STATE_TOPIC: 'plant/{site}/{sensor}/state',
        MQTT_QOS: '2',
      });
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('MQTT_URL');
      expect(problems).toMatch(/MQTT_TOPICS.*"plant\/\+\/\{machine\}\/\{sensor\}": level "\+"/);
      expect(problems).toMatch(/MQTT_TOPICS.*"plant\/\{machine\}": needs \{sensor\}/);
      expect(problems).toMatch(/MQTT_STATE_TOPIC.*\{sensor\} is not a placeholder of state topics/);
      expect(problems).toContain('MQTT_QOS');
    }
  });

  it('.env.example documents every variable HOM reads, and nothing else', () => {
    const documented = [...readFileSync('.env.example', 'utf8').matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map(
      (m) => m[1],
    );
    expect(new Set(documented)).toEqual(new Set(CONFIG_VARIABLES));
  });
});
