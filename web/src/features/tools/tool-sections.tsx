import type { ComponentType } from 'react';
import { MaintenanceLogsSection } from '../tool-maintenance/maintenance-logs-section.tsx';
import { PmPlansSection, usePmThresholds } from '../tool-maintenance/pm-plans-section.tsx';
import { ToolActionsSection, ToolFailuresSection } from './tool-linked-sections.tsx';
import { ToolMountingsSection } from './tool-mountings-section.tsx';
import { ToolPhotosSection } from './tool-photos-section.tsx';
import type { ShotThreshold, ToolSectionProps } from './tool-section-kit.ts';
import { ToolShotsSection } from './tool-shots-section.tsx';

/** Lines on the shots chart besides the life limit. The PM plans area returns its thresholds here. */
function useShotThresholds(props: ToolSectionProps): ShotThreshold[] {
  return usePmThresholds(props.tool.id);
}

function ShotsWithThresholds(props: ToolSectionProps) {
  return <ToolShotsSection tool={props.tool} thresholds={useShotThresholds(props)} />;
}

/**
 * The sections of the tool page (/app/tools/:id), top to bottom. Each area adds its own line:
 * PM plans and maintenance logs, failure reports, action items (`ActionList` filtered by tool).
 */
export const toolSections: { key: string; Component: ComponentType<ToolSectionProps> }[] = [
  { key: 'photos', Component: ToolPhotosSection },
  { key: 'shots', Component: ShotsWithThresholds },
  { key: 'mountings', Component: ToolMountingsSection },
  { key: 'pm-plans', Component: PmPlansSection },
  { key: 'maintenance-logs', Component: MaintenanceLogsSection },
  { key: 'failure-reports', Component: ToolFailuresSection },
  { key: 'actions', Component: ToolActionsSection },
];
