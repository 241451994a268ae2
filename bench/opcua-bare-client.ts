/**
 * The bare client of bench/opcua.ts, a child process: node-opcua on its own session and subscription
 * (publishing and sampling 1 s, queue 10, like HOM's) over every node it is told, that only counts.
 * {subscribe: {url, nodeIds}} → {subscribed}; {measure: true} starts the window; {report: true} →
 * {report: {notifications, lagsMs (sorted sample), missed, repeated}}; {stop} ends.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AttributeIds,
  OPCUACertificateManager,
  OPCUAClient,
  TimestampsToReturn,
  type ClientSession,
} from 'node-opcua';

/** Its own certificate store in a temporary folder (not the user's node-opcua default). */
const pkiDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-bench-opcua-bare-pki-'));

let session: ClientSession | undefined;
let client: OPCUAClient | undefined;
let measuring = false;
let notifications = 0;
let missed = 0;
let repeated = 0;
let lags: number[] = [];
const last = new Map<number, number>();

async function subscribe(url: string, nodeIds: string[]): Promise<void> {
  client = OPCUAClient.create({
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 1 },
    clientCertificateManager: new OPCUACertificateManager({
      rootFolder: pkiDir,
      automaticallyAcceptUnknownCertificate: true,
      disableFileWatchers: true,
    }),
  });
  await client.connect(url);
  session = await client.createSession();
  const subscription = await session.createSubscription2({
    requestedPublishingInterval: 1000,
    requestedMaxKeepAliveCount: 10,
    requestedLifetimeCount: 60,
    maxNotificationsPerPublish: 0,
    publishingEnabled: true,
  });
  const group = await subscription.monitorItems(
    nodeIds.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })),
    { samplingInterval: 1000, queueSize: 10, discardOldest: true },
    TimestampsToReturn.Both,
  );
  group.on('changed', (_item, dataValue, index: number) => {
    const now = Date.now();
    const value = Number(dataValue.value.value);
    const previous = last.get(index);
    last.set(index, value);
    if (!measuring) return;
    notifications += 1;
    if (previous !== undefined && value > previous + 1) missed += value - previous - 1;
    if (previous !== undefined && value === previous) repeated += 1;
    const source = dataValue.sourceTimestamp?.getTime();
    if (source !== undefined) lags.push(now - source);
  });
}

process.on(
  'message',
  (message: {
    subscribe?: { url: string; nodeIds: string[] };
    measure?: boolean;
    report?: boolean;
    stop?: boolean;
  }) => {
    if (message.subscribe) {
      const { url, nodeIds } = message.subscribe;
      void subscribe(url, nodeIds).then(
        () => process.send?.({ subscribed: true }),
        (error: Error) => process.send?.({ failed: error.message }),
      );
    } else if (message.measure) {
      measuring = true;
      notifications = 0;
      missed = 0;
      repeated = 0;
      lags = [];
    } else if (message.report) {
      measuring = false;
      process.send?.({ report: { notifications, missed, repeated, lagsMs: lags.sort((a, b) => a - b) } });
    } else if (message.stop) {
      void (async () => {
        await session?.close().catch(() => undefined);
        await client?.disconnect().catch(() => undefined);
        await fs.rm(pkiDir, { recursive: true, force: true });
        process.exit(0);
      })();
    }
  },
);
process.send?.({ ready: true });
