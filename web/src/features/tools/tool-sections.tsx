import type { ComponentType } from 'react';
import { ToolMountingsSection } from './tool-mountings-section.tsx';
import { ToolPhotosSection } from './tool-photos-section.tsx';
import type { ShotThreshold, ToolSectionProps } from './tool-section-kit.ts';
import { ToolShotsSection } from './tool-shots-section.tsx';

/** Lines on the shots chart besides the life limit. The PM plans area returns its thresholds here. */
function useShotThresholds(_props: ToolSectionProps): ShotThreshold[] {
  return [];
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
  // { key: 'pm-plans', Component: … },
  // { key: 'maintenance-logs', Component: … },
  // { key: 'failure-reports', Component: … },
  // { key: 'actions', Component: … },
];
