import type { Database } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import { createNotificationService } from '../actions/index.ts';
import { usersWithPermission } from '../identity/index.ts';
import { createAlertEvaluator, type AlertEvaluator } from './alerts.evaluator.ts';
import type { QualityPipeline } from './pipeline/index.ts';

/** Checks every stored batch for quality alerts, in the process that writes results. */
export function attachQualityAlerts(
  pipeline: QualityPipeline,
  deps: { db: Database; log: Logger },
): AlertEvaluator {
  const notifications = createNotificationService({ db: deps.db, findRecipients: usersWithPermission });
  const evaluator = createAlertEvaluator({
    db: deps.db,
    notify: (tx, input) => notifications.raise(tx, input),
    log: deps.log.child({ component: 'quality-alerts' }),
  });
  pipeline.onStored((results) => evaluator.onStored(results));
  return evaluator;
}
