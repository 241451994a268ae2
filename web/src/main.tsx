import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n/index.ts';
import './styles.css';
import { AppProviders, queryClient } from './app/providers.tsx';
import { router } from './app/router.tsx';
import { onSessionLost } from './lib/api.ts';

onSessionLost(() => {
  queryClient.clear();
  void router.navigate({ to: '/login' });
});

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

createRoot(rootElement).render(
  <StrictMode>
    <AppProviders>
      <RouterProvider router={router} />
    </AppProviders>
  </StrictMode>,
);
