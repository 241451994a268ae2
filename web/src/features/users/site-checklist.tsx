import { useTranslation } from 'react-i18next';
import type { PlantSite } from '../sites/sites-api.ts';

interface SiteChecklistProps {
  sites: PlantSite[];
  selected: number[];
  onChange: (siteIds: number[]) => void;
}

/** Pick the sites a person works at (multi-select as checkboxes, easy on a tablet). */
export function SiteChecklist({ sites, selected, onChange }: SiteChecklistProps) {
  const { t } = useTranslation();
  const toggle = (siteId: number, checked: boolean) =>
    onChange(checked ? [...selected, siteId] : selected.filter((id) => id !== siteId));

  return (
    <fieldset className="space-y-1">
      <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-300">
        {t('users.sites')}
      </legend>
      {sites.length === 0 ? (
        <p className="text-sm text-slate-500">{t('users.noSitesYet')}</p>
      ) : (
        <div className="grid max-h-48 gap-1 overflow-y-auto rounded-md border border-slate-300 p-2 sm:grid-cols-2 dark:border-slate-600">
          {sites.map((site) => (
            <label key={site.id} className="flex items-center gap-2 rounded px-1 py-1 text-sm">
              <input
                type="checkbox"
                className="size-4 accent-sky-700"
                checked={selected.includes(site.id)}
                onChange={(event) => toggle(site.id, event.target.checked)}
              />
              <span>
                <span className="font-mono text-xs text-slate-500">{site.code}</span> {site.name}
              </span>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}
