import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';

export function ActiveBadge({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge tone={active ? 'good' : 'neutral'}>{active ? t('catalog.active') : t('catalog.inactive')}</Badge>
  );
}

export function RowActions({
  active,
  onEdit,
  onToggle,
}: {
  active: boolean;
  onEdit: () => void;
  onToggle: () => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Button tone="ghost" size="sm" onClick={onEdit}>
        {t('common.edit')}
      </Button>
      <Button tone="ghost" size="sm" onClick={onToggle}>
        {active ? t('catalog.deactivate') : t('catalog.activate')}
      </Button>
    </>
  );
}
