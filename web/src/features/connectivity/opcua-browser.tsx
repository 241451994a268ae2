import { useQuery } from '@tanstack/react-query';
import { clsx } from 'clsx';
import { Box, ChevronDown, ChevronRight, Folder, Variable } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/ui/dialog.tsx';
import { Spinner } from '../../components/ui/spinner.tsx';
import { problemText } from '../../lib/form-errors.ts';
import { browseOpcua, type BrowseChild, type EndpointSettings } from './opcua-api.ts';

interface BrowserProps {
  open: boolean;
  title: string;
  machineId: number;
  endpoint: EndpointSettings;
  onPick: (child: BrowseChild) => void;
  onClose: () => void;
}

/**
 * The server's address space as a tree, expanded one node at a time through the browse endpoint
 * (children and current values are fetched when a node is opened). Clicking a variable picks it.
 */
export function OpcuaBrowser({ open, title, machineId, endpoint, onPick, onClose }: BrowserProps) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      {open && (
        <div>
          <p className="mb-2 text-sm text-slate-500 dark:text-slate-400">{t('connectivity.browse.hint')}</p>
          <ul role="tree" aria-label={title} className="text-sm">
            <NodeChildren machineId={machineId} endpoint={endpoint} onPick={onPick} depth={0} />
          </ul>
        </div>
      )}
    </Dialog>
  );
}

function NodeChildren({
  machineId,
  endpoint,
  nodeId,
  onPick,
  depth,
}: {
  machineId: number;
  endpoint: EndpointSettings;
  nodeId?: string;
  onPick: (child: BrowseChild) => void;
  depth: number;
}) {
  const { t } = useTranslation();
  const children = useQuery({
    queryKey: ['opcua-browse', machineId, endpoint, nodeId ?? 'objects'],
    queryFn: () => browseOpcua(machineId, endpoint, nodeId),
    retry: false,
    staleTime: 5_000,
  });
  if (children.isPending)
    return (
      <li className="flex items-center gap-2 py-1 text-slate-500" style={{ paddingLeft: depth * 16 }}>
        <Spinner size="sm" /> {t('connectivity.browse.loading')}
      </li>
    );
  if (children.isError)
    return (
      <li role="alert" className="py-1 text-red-700 dark:text-red-400" style={{ paddingLeft: depth * 16 }}>
        {problemText(children.error, t('connectivity.browse.failed'))}
      </li>
    );
  if (children.data.children.length === 0)
    return (
      <li className="py-1 text-slate-500" style={{ paddingLeft: depth * 16 }}>
        {t('connectivity.browse.empty')}
      </li>
    );
  return (
    <>
      {children.data.children.map((child) => (
        <TreeNode
          key={child.node_id}
          child={child}
          machineId={machineId}
          endpoint={endpoint}
          onPick={onPick}
          depth={depth}
        />
      ))}
      {children.data.truncated && (
        <li className="py-1 text-slate-500" style={{ paddingLeft: depth * 16 }}>
          {t('connectivity.browse.truncated')}
        </li>
      )}
    </>
  );
}

function TreeNode({
  child,
  machineId,
  endpoint,
  onPick,
  depth,
}: {
  child: BrowseChild;
  machineId: number;
  endpoint: EndpointSettings;
  onPick: (child: BrowseChild) => void;
  depth: number;
}) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState(false);
  const isVariable = child.node_class === 'Variable';
  const Icon = isVariable ? Variable : child.node_class === 'Object' ? Folder : Box;
  return (
    <li role="treeitem" aria-expanded={child.has_children ? expanded : undefined} aria-selected={false}>
      <div className="flex items-center gap-1 py-0.5" style={{ paddingLeft: depth * 16 }}>
        {child.has_children ? (
          <button
            type="button"
            aria-label={t(expanded ? 'connectivity.browse.collapse' : 'connectivity.browse.expand', {
              name: child.display_name,
            })}
            onClick={() => setExpanded((value) => !value)}
            className="rounded p-0.5 hover:bg-slate-200 dark:hover:bg-slate-700"
          >
            {expanded ? (
              <ChevronDown aria-hidden className="size-4" />
            ) : (
              <ChevronRight aria-hidden className="size-4" />
            )}
          </button>
        ) : (
          <span className="inline-block w-5" />
        )}
        <Icon aria-hidden className="size-4 shrink-0 text-slate-500" />
        {isVariable ? (
          <button
            type="button"
            onClick={() => onPick(child)}
            title={child.node_id}
            className={clsx(
              'flex min-w-0 flex-1 items-baseline gap-2 rounded px-1 text-left',
              'hover:bg-sky-100 focus-visible:outline-2 focus-visible:outline-sky-500 dark:hover:bg-sky-900/50',
            )}
          >
            <span className="font-medium">{child.display_name}</span>
            {child.data_type && <span className="text-xs text-slate-500">{child.data_type}</span>}
            <span className="truncate font-mono text-xs text-slate-600 dark:text-slate-300">
              {child.value === null ? '' : `= ${String(child.value)}`}
            </span>
          </button>
        ) : (
          <span className="px-1" title={child.node_id}>
            {child.display_name}
          </span>
        )}
      </div>
      {expanded && (
        <ul role="group">
          <NodeChildren
            machineId={machineId}
            endpoint={endpoint}
            nodeId={child.node_id}
            onPick={onPick}
            depth={depth + 1}
          />
        </ul>
      )}
    </li>
  );
}
