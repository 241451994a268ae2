import { Link } from '@tanstack/react-router';
import { ChevronRight, Pencil, Plus } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import type { PlantLine, PlantMachine } from './plant-api.ts';
import { StatusDot } from './status-dot.tsx';

export type PlantAction =
  | { kind: 'edit-line'; line: PlantLine }
  | { kind: 'new-machine'; line: PlantLine }
  | { kind: 'edit-machine'; machine: PlantMachine }
  | { kind: 'toggle-line'; line: PlantLine }
  | { kind: 'toggle-machine'; machine: PlantMachine };

interface LineNodeProps {
  line: PlantLine;
  machines: PlantMachine[];
  canManage: boolean;
  onAction: (action: PlantAction) => void;
}

/** One line with its machines, folded open by default. */
export function LineNode({ line, machines, canManage, onAction }: LineNodeProps) {
  const { t } = useTranslation();
  return (
    <li>
      <details open className="group rounded-md">
        <summary className="flex cursor-pointer list-none flex-wrap items-center gap-2 rounded-md px-2 py-2 hover:bg-slate-100 dark:hover:bg-slate-800">
          <ChevronRight aria-hidden className="size-4 shrink-0 transition-transform group-open:rotate-90" />
          <StatusDot kind="line" status={line.status} />
          <span className="font-mono font-semibold">{line.code}</span>
          <span>{line.name}</span>
          <span className="text-xs text-slate-500">
            {t('plant.machineCount', { count: machines.length })}
          </span>
          {!line.is_active && <Badge>{t('plant.inactive')}</Badge>}
          {canManage && (
            <span className="ml-auto flex flex-wrap gap-1">
              <Button tone="ghost" size="sm" onClick={() => onAction({ kind: 'new-machine', line })}>
                <Plus aria-hidden className="size-4" />
                {t('plant.newMachine')}
              </Button>
              <Button tone="ghost" size="sm" onClick={() => onAction({ kind: 'edit-line', line })}>
                <Pencil aria-hidden className="size-4" />
                <span className="sr-only sm:not-sr-only">{t('common.edit')}</span>
              </Button>
              <Button tone="ghost" size="sm" onClick={() => onAction({ kind: 'toggle-line', line })}>
                {line.is_active ? t('plant.deactivate') : t('plant.activate')}
              </Button>
            </span>
          )}
        </summary>
        {machines.length === 0 ? (
          <p className="py-2 pl-12 text-sm text-slate-500">{t('plant.noMachines')}</p>
        ) : (
          <ul className="ml-6 border-l border-slate-200 pl-3 dark:border-slate-700">
            {machines.map((machine) => (
              <li
                key={machine.id}
                data-testid={`plant-machine-${machine.code}`}
                className="flex flex-wrap items-center gap-2 rounded-md px-2 py-1.5 hover:bg-slate-50 dark:hover:bg-slate-800/60"
              >
                <StatusDot kind="machine" status={machine.status} />
                <Link
                  to="/machines/$machineId"
                  params={{ machineId: String(machine.id) }}
                  className="font-mono font-medium text-sky-700 underline dark:text-sky-400"
                >
                  {machine.code}
                </Link>
                <span className="text-sm">{machine.name}</span>
                <Badge tone="info">{machine.criticality}</Badge>
                {!machine.is_active && <Badge>{t('plant.inactive')}</Badge>}
                {canManage && (
                  <span className="ml-auto flex gap-1">
                    <Button
                      tone="ghost"
                      size="sm"
                      onClick={() => onAction({ kind: 'edit-machine', machine })}
                    >
                      <Pencil aria-hidden className="size-4" />
                      <span className="sr-only sm:not-sr-only">{t('common.edit')}</span>
                    </Button>
                    <Button
                      tone="ghost"
                      size="sm"
                      onClick={() => onAction({ kind: 'toggle-machine', machine })}
                    >
                      {machine.is_active ? t('plant.deactivate') : t('plant.activate')}
                    </Button>
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </details>
    </li>
  );
}
