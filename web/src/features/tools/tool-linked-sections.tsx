import { useTranslation } from 'react-i18next';
import { ActionList } from '../actions/index.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { FailureList } from '../failures/index.ts';
import { sectionClass, type ToolSectionProps } from './tool-section-kit.ts';

/** The tool's failure reports, with a shortcut to report one for it. */
export function ToolFailuresSection({ tool }: ToolSectionProps) {
  const { t } = useTranslation();
  const user = useCurrentUser().data;
  return (
    <section className={sectionClass} aria-labelledby="tool-failures-title">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="tool-failures-title" className="text-lg font-semibold">
          {t('tools.sections.failures')}
        </h2>
        {can(user, 'failure:report') && (
          <a
            className="rounded-md bg-red-600 px-3 py-2 text-sm font-medium text-white hover:bg-red-700"
            href={`/app/failures/new?tool_id=${tool.id}`}
          >
            {t('tools.sections.reportFailure')}
          </a>
        )}
      </div>
      <FailureList toolId={tool.id} />
    </section>
  );
}

/** Action items concerning the tool (from its failures, logs, PM plans, or entered by hand). */
export function ToolActionsSection({ tool }: ToolSectionProps) {
  const { t } = useTranslation();
  return (
    <section className={sectionClass} aria-labelledby="tool-actions-title">
      <h2 id="tool-actions-title" className="mb-2 text-lg font-semibold">
        {t('tools.sections.actions')}
      </h2>
      <ActionList toolId={tool.id} />
    </section>
  );
}
