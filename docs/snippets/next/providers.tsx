// docs/snippets/next/providers.tsx — app/providers.tsx, used by app/layout.tsx around {children}.
'use client';
import type { ReactNode } from 'react';
import { LifelineProvider, useEvent } from '@lifeline/react';
import { client } from './lifeline';

export function Providers({ children }: { children: ReactNode }) {
  return <LifelineProvider client={client}>{children}</LifelineProvider>;
}

export function Toasts() {
  useEvent('notification:created', (n) => console.log(n.text), client); // typed from the client
  return null;
}
