import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LifelineProvider } from '@lifeline/react';
import { App } from './App';
import { client } from './client';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LifelineProvider client={client}>
      <App />
    </LifelineProvider>
  </StrictMode>,
);
