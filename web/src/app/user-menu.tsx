import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { ChevronDown, LogOut, Monitor, UserRound } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { signOut } from '../features/auth/auth-api.ts';
import { useCurrentUser } from '../features/auth/use-current-user.ts';
import { setThemeChoice, useTheme } from './theme.ts';

const itemClass =
  'flex w-full items-center gap-2 px-3 py-2 text-left text-sm hover:bg-slate-100 dark:hover:bg-slate-800 disabled:opacity-60';

export function UserMenu() {
  const { t } = useTranslation();
  const user = useCurrentUser().data;
  const { choice } = useTheme();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: MouseEvent) => {
      if (!menuRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const closeOnEscape = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', closeOutside);
    document.addEventListener('keydown', closeOnEscape);
    return () => {
      document.removeEventListener('mousedown', closeOutside);
      document.removeEventListener('keydown', closeOnEscape);
    };
  }, [open]);

  const handleSignOut = async () => {
    setOpen(false);
    await signOut();
    queryClient.clear();
    await navigate({ to: '/login' });
  };

  const displayName = user?.full_name || user?.username || '…';
  return (
    <div ref={menuRef} className="relative">
      <button
        type="button"
        data-testid="user-menu"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
        className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-slate-200 dark:hover:bg-slate-800"
      >
        <UserRound aria-hidden className="size-5" />
        <span className="hidden max-w-40 truncate sm:inline">{displayName}</span>
        <ChevronDown aria-hidden className="size-4" />
      </button>
      {open && (
        <div
          role="menu"
          className="absolute right-0 z-30 mt-1 w-56 overflow-hidden rounded-md border border-slate-200 bg-white shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <div className="border-b border-slate-200 px-3 py-2 text-sm dark:border-slate-700">
            <p className="truncate font-medium">{displayName}</p>
            {user && <p className="text-xs text-slate-500">{t(`roles.names.${user.role}`, user.role)}</p>}
          </div>
          <button
            type="button"
            role="menuitem"
            className={itemClass}
            disabled={choice === 'system'}
            onClick={() => {
              setThemeChoice('system');
              setOpen(false);
            }}
          >
            <Monitor aria-hidden className="size-4" />
            {t('theme.followSystem')}
          </button>
          <button type="button" role="menuitem" className={itemClass} onClick={() => void handleSignOut()}>
            <LogOut aria-hidden className="size-4" />
            {t('auth.signOut')}
          </button>
        </div>
      )}
    </div>
  );
}
