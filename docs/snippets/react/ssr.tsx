// docs/snippets/react/ssr.tsx — server rendering opens no socket: effects never run there.
import { renderToString } from 'react-dom/server';
import { LifelineProvider } from '@lifeline/react';
import { Indicator } from './useConnectionState';

export function render(): string {
  return renderToString(
    <LifelineProvider options={{ url: 'https://api.example.com' }}>
      <Indicator /> {/* renders the idle snapshot */}
    </LifelineProvider>,
  );
}
