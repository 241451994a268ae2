import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Input } from '../../components/ui/field.tsx';

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function knownTimeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

/** An IANA time zone picker: type to filter the zones this browser knows. */
export function TimeZoneField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (zone: string) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const listId = useId();
  const zones = useMemo(knownTimeZones, []);
  const unknown = value !== '' && !zones.includes(value) && value !== 'UTC';
  return (
    <>
      <Input
        label={t('sites.timeZone')}
        list={listId}
        required
        autoComplete="off"
        value={value}
        error={error ?? (unknown ? t('sites.unknownTimeZone') : undefined)}
        hint={t('sites.timeZoneHint')}
        onChange={(event) => onChange(event.target.value)}
      />
      <datalist id={listId}>
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
    </>
  );
}
