import { it } from 'vitest';
import { createHarness } from './harness.ts';
it('probe', async () => {
  const h = await createHarness();
  const q = (query: string, variables?: unknown) => h.request({ method: 'POST', url: '/graphql', token: h.adminToken, payload: { query, variables } });
  for (const [name, query] of [
    ['1000 aliases me', `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: me { id }`).join(' ')} }`],
    ['20 aliases me', `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: me { id }`).join(' ')} }`],
    ['20 aliases typename', `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: __typename`).join(' ')} }`],
  ]) {
    const r = await q(query);
    console.log(name, r.statusCode, r.body.slice(0, 200));
  }
  const r = await q('mutation ($id: ID!) { revokeApiKey(id: $id) { id } }', { id: {} });
  console.log('var', r.statusCode, r.body.slice(0, 300));
  const r2 = await h.request({ method: 'PATCH', url: `/auth/users/${'1'.repeat(300)}`, token: h.adminToken, payload: {} });
  console.log('long', r2.statusCode, r2.body.slice(0, 300));
  await h.close();
});
