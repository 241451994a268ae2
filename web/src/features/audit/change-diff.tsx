import { clsx } from 'clsx';
import { useTranslation } from 'react-i18next';

type Snapshot = Record<string, unknown> | null;

function asSnapshot(value: unknown): Snapshot {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  return { value };
}

/** Keys whose value differs between the two snapshots. */
export function changedKeys(before: Snapshot, after: Snapshot): Set<string> {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return new Set(
    [...keys].filter((key) => JSON.stringify(before?.[key] ?? null) !== JSON.stringify(after?.[key] ?? null)),
  );
}

function SnapshotColumn({
  title,
  snapshot,
  changed,
}: {
  title: string;
  snapshot: Snapshot;
  changed: Set<string>;
}) {
  const { t } = useTranslation();
  return (
    <div className="min-w-0 flex-1">
      <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      {snapshot === null ? (
        <p className="text-sm text-slate-500 italic">{t('audit.nothing')}</p>
      ) : (
        <pre className="overflow-x-auto rounded-md bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800">
          {'{\n'}
          {Object.entries(snapshot).map(([key, value]) => (
            <div
              key={key}
              data-changed={changed.has(key) || undefined}
              className={clsx(changed.has(key) && 'bg-amber-200/70 font-semibold dark:bg-amber-700/40')}
            >
              {`  "${key}": ${JSON.stringify(value)},`}
            </div>
          ))}
          {'}'}
        </pre>
      )}
    </div>
  );
}

/** Before and after side by side, the changed keys highlighted. */
export function ChangeDiff({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useTranslation();
  const beforeSnapshot = asSnapshot(before);
  const afterSnapshot = asSnapshot(after);
  const changed = changedKeys(beforeSnapshot, afterSnapshot);
  return (
    <div className="flex flex-col gap-3 md:flex-row">
      <SnapshotColumn title={t('audit.before')} snapshot={beforeSnapshot} changed={changed} />
      <SnapshotColumn title={t('audit.after')} snapshot={afterSnapshot} changed={changed} />
    </div>
  );
}
