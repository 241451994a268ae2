import { Link } from '@tanstack/react-router';
import {
  KanbanSquare,
  FileBarChart,
  ListTodo,
  Bell,
  CalendarClock,
  ChartGantt,
  ChartPie,
  ClipboardCheck,
  ClipboardList,
  ListChecks,
  MessageSquareWarning,
  OctagonAlert,
  Route,
  ShieldAlert,
  Siren,
  Ruler,
  Gauge,
  Hammer,
  ListTree,
  MonitorDot,
  TabletSmartphone,
  TimerOff,
  Tags,
  Wrench,
  Factory,
  KeyRound,
  ScrollText,
  Settings,
  ShieldCheck,
  Users,
  type LucideIcon,
} from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { can, useCurrentUser, type Permission } from '../features/auth/use-current-user.ts';

interface NavEntry {
  to: string;
  labelKey: string;
  icon: LucideIcon;
  permission?: Permission;
  /** Active only on this very path, not on the pages below it. */
  exact?: boolean;
}

const workEntries: NavEntry[] = [
  { to: '/', labelKey: 'nav.dashboard', icon: Gauge },
  { to: '/floor', labelKey: 'nav.floor', icon: TabletSmartphone, permission: 'downtime:record' },
  { to: '/unexplained-stops', labelKey: 'nav.unexplainedStops', icon: TimerOff, permission: 'plant:read' },
  { to: '/plant', labelKey: 'nav.plant', icon: ListTree, permission: 'plant:read' },
  { to: '/machines/board', labelKey: 'nav.machineBoard', icon: MonitorDot, permission: 'plant:read' },
  { to: '/oee', labelKey: 'nav.oee', icon: ChartPie, permission: 'plant:read' },
  { to: '/reading-alerts', labelKey: 'nav.readingAlerts', icon: Siren, permission: 'plant:read' },
  { to: '/repairs', labelKey: 'nav.repairs', icon: Wrench, permission: 'plant:read' },
  { to: '/tools', labelKey: 'nav.tools', icon: Hammer, permission: 'plant:read' },
  { to: '/failures', labelKey: 'nav.failures', icon: OctagonAlert, permission: 'plant:read' },
  { to: '/actions', labelKey: 'nav.myActions', icon: ListTodo, permission: 'action:work', exact: true },
  { to: '/actions/board', labelKey: 'nav.actionBoard', icon: KanbanSquare, permission: 'plant:read' },
  { to: '/reports', labelKey: 'nav.reports', icon: FileBarChart, permission: 'report:read' },
  { to: '/quality', labelKey: 'nav.quality', icon: ShieldAlert, permission: 'plant:read', exact: true },
  { to: '/quality/limits', labelKey: 'nav.specLimits', icon: Ruler, permission: 'plant:read' },
  { to: '/my-stages', labelKey: 'nav.myStages', icon: ClipboardCheck, permission: 'stage:work' },
  {
    to: '/production',
    labelKey: 'nav.production',
    icon: ChartGantt,
    permission: 'production:read',
    exact: true,
  },
  {
    to: '/production/issues',
    labelKey: 'nav.productionIssues',
    icon: MessageSquareWarning,
    permission: 'issue:manage',
  },
  { to: '/production/routes', labelKey: 'nav.productionRoutes', icon: Route, permission: 'workorder:plan' },
  { to: '/notifications', labelKey: 'nav.notifications', icon: Bell },
];

const adminEntries: NavEntry[] = [
  { to: '/admin/users', labelKey: 'nav.users', icon: Users, permission: 'user:manage' },
  { to: '/admin/roles', labelKey: 'nav.roles', icon: ShieldCheck, permission: 'user:manage' },
  { to: '/admin/sites', labelKey: 'nav.sites', icon: Factory, permission: 'site:manage' },
  { to: '/admin/reasons', labelKey: 'nav.reasons', icon: Tags, permission: 'catalog:manage' },
  {
    to: '/admin/failure-codes',
    labelKey: 'nav.failureCodes',
    icon: ClipboardList,
    permission: 'catalog:manage',
  },
  {
    to: '/admin/shift-calendars',
    labelKey: 'nav.shiftCalendars',
    icon: CalendarClock,
    permission: 'catalog:manage',
  },
  {
    to: '/admin/checklist-templates',
    labelKey: 'nav.checklistTemplates',
    icon: ListChecks,
    permission: 'catalog:manage',
  },
  { to: '/admin/issue-types', labelKey: 'nav.issueTypes', icon: OctagonAlert, permission: 'catalog:manage' },
  { to: '/admin/api-keys', labelKey: 'nav.apiKeys', icon: KeyRound, permission: 'apikey:manage' },
  { to: '/admin/audit', labelKey: 'nav.audit', icon: ScrollText, permission: 'audit:read' },
  { to: '/admin/settings', labelKey: 'nav.settings', icon: Settings, permission: 'settings:manage' },
];

function NavLink({ entry, onNavigate }: { entry: NavEntry; onNavigate?: () => void }) {
  const { t } = useTranslation();
  const Icon = entry.icon;
  return (
    <Link
      to={entry.to}
      onClick={onNavigate}
      activeOptions={{ exact: entry.exact ?? entry.to === '/' }}
      className="flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
      activeProps={{
        className: 'bg-sky-100 text-sky-900 dark:bg-sky-900/50 dark:text-sky-100',
        'aria-current': 'page',
      }}
    >
      <Icon aria-hidden className="size-4 shrink-0" />
      {t(entry.labelKey)}
    </Link>
  );
}

/** The plant's side navigation; admin entries appear only with the matching permission. */
export function SideNav({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const user = useCurrentUser().data;
  const allowedAdmin = adminEntries.filter((entry) => entry.permission && can(user, entry.permission));
  return (
    <nav aria-label={t('nav.label')} className="flex flex-col gap-1 p-3">
      {workEntries
        .filter((entry) => !entry.permission || can(user, entry.permission))
        .map((entry) => (
          <NavLink key={entry.to} entry={entry} onNavigate={onNavigate} />
        ))}
      {allowedAdmin.length > 0 && (
        <>
          <p className="mt-4 px-3 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
            {t('nav.admin')}
          </p>
          {allowedAdmin.map((entry) => (
            <NavLink key={entry.to} entry={entry} onNavigate={onNavigate} />
          ))}
        </>
      )}
    </nav>
  );
}
