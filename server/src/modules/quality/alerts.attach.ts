import type { Database } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import { createActionRaiser, createNotificationService } from '../actions/index.ts';
import { usersWithPermission } from '../identity/index.ts';
import { createAlertEvaluator, type AlertEvaluator } from './alerts.evaluator.ts';
import type { QualityPipeline } from './pipeline/index.ts';

/** Checks every stored batch for quality alerts, in the process that writes results. */
export function attachQualityAlerts(
  pipeline: QualityPipeline,
  deps: { db: Database; log: Logger },
): AlertEvaluator {
  const notifications = createNotificationService({ db: deps.db, findRecipients: usersWithPermission });
  const raiseAction = createActionRaiser({ notify: notifications.raise });
  const evaluator = createAlertEvaluator({
    db: deps.db,
    notify: (tx, input) => notifications.raise(tx, input),
    log: deps.log.child({ component: 'quality-alerts' }),
    // Each new alert becomes an action item (one open per alert), for a manager to assign.
    onRaised: (tx, alert) =>
      raiseAction(tx, {
        site_id: alert.site_id,
        title: alert.message.slice(0, 200),
        description: `Quality alert (${alert.kind.replace('_', ' ')}) on test step ${alert.test_step}.`,
        source: 'quality_alert',
        source_id: alert.id,
        machine_id: alert.machine_id,
        priority: 'high',
      }),
  });
  pipeline.onStored((results) => evaluator.onStored(results));
  return evaluator;
}
