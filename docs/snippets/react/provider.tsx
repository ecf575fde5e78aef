// docs/snippets/react/provider.tsx — hand the client to the tree (StrictMode-safe).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LifelineProvider } from '@lifeline/react';
import { client } from './client';
import { Indicator } from './useConnectionState';

export function mount(root: HTMLElement) {
  createRoot(root).render(
    <StrictMode>
      <LifelineProvider client={client}>
        <Indicator />
      </LifelineProvider>
    </StrictMode>,
  );
}

// Or let the provider own the client: created on first render, connected in an effect,
// closed on unmount.
export function mountOwned(root: HTMLElement) {
  createRoot(root).render(
    <LifelineProvider options={{ url: 'https://api.example.com', namespace: '/notifications' }}>
      <Indicator />
    </LifelineProvider>,
  );
}
