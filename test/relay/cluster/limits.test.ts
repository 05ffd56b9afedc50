// Every limit holds across nodes (issue 11): the counts live in Redis, so a person who spreads attempts
// over two relay nodes meets the same limit as on one. Code guesses are in across-nodes.test.ts; here,
// the sessions a helper opens and the wrong passwords typed at the embedded provider's sign-in page.
// The production layout: the nodes keep their data in PostgreSQL.
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { demoTenants } from '#relay/directory/index.js';
import { limitMessages } from '#relay/identity/index.js';
import { startCluster, type Cluster, type ClusterNode } from '../../support/cluster.js';
import { alertText, CookieJar, httpsRequest, parseForm } from '../../support/https-fetch.js';
import { demo, request, valueOf } from '../../support/relay.js';
import { consoleAuthorizeUrl, pkcePair } from '../../support/sign-in.js';

/** The same address on one node's own port: the provider's pages name the balancer's address. */
const on = (node: ClusterNode, url: string): string => {
  const u = new URL(url);
  u.port = String(node.port);
  return u.toString();
};

describe('limits across two relay nodes', function () {
  this.timeout(120_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster({ nodes: 2, postgres: true, env: { RH_CREATES_PER_USER: '3' } });
  });
  after(async () => cluster?.stop());

  it('counts the sessions a helper opens on either node against one limit', async () => {
    const [a, b] = cluster.nodes as [ClusterNode, ClusterNode];
    const onA = await cluster.connect(demo.contosoHelper, { node: a });
    const onB = await cluster.connect(demo.contosoHelper, { node: b });
    for (const socket of [onA, onB, onA]) valueOf(await request(socket, 'session:create', {}));
    for (const socket of [onB, onA]) {
      const fourth = await request(socket, 'session:create', {});
      assert.equal(fourth.ok ? 'created' : fourth.error.code, 'rate-limited', 'a fourth session within the window, on either node');
    }
    onA.disconnect();
    onB.disconnect();
  });

  it('makes wrong passwords for an account from one address wait, whichever node they go to', async () => {
    const [a, b] = cluster.nodes as [ClusterNode, ClusterNode];
    const email = demo.contosoSharer;
    const jar = new CookieJar();
    // The sign-in starts on node A; each form post then goes to A or B in turn (the state is in Redis).
    let url = on(a, consoleAuthorizeUrl(cluster.url, demoTenants.contoso.id, email, pkcePair().challenge));
    let res = await httpsRequest(url, cluster.caPem, {}, jar);
    while (res.location) {
      url = on(a, new URL(res.location, url).toString());
      res = await httpsRequest(url, cluster.caPem, {}, jar);
    }
    const form = parseForm(res.body, url);
    assert.ok(form && /name="password"/.test(res.body), 'the provider\'s password page');
    const post = (node: ClusterNode, password: string) => httpsRequest(on(node, form.action), cluster.caPem, { form: { email, password } }, jar);
    // The free tries, spread over both nodes.
    for (let i = 0; i < 3; i++) {
      const wrong = await post(i % 2 === 0 ? a : b, `wrong-${i}`);
      assert.match(alertText(wrong.body) ?? '', /email or password is not correct/, `wrong password ${i + 1} on node ${i % 2 === 0 ? 'A' : 'B'}`);
    }
    // Then one at a time, with a wait after each: of six sent at once to both nodes, at most one is
    // checked (whether the first wait is over by then depends on this machine's speed, not the rule).
    const burst = await Promise.all([a, b, a, b, a, b].map((node, i) => post(node, `again-${i}`)));
    const limited = burst.filter((r) => r.status === 429 && alertText(r.body) === limitMessages.account);
    assert.ok(limited.length >= 5, `${limited.length} of 6 held back`);
    for (const node of [a, b]) assert.ok(burst.some((r, i) => r.status === 429 && [a, b][i % 2] === node), `held back on node ${node.name}`);
    // Counted where every node sees it, not in a file one machine's nodes happen to share (as here).
    const redis = createClient({ url: cluster.redis!.url });
    await redis.connect();
    try {
      assert.ok((await redis.keys('rh:sign-in:*')).length > 0, 'the wrong passwords are counted in Redis');
    } finally {
      await redis.close();
    }
  });
});
