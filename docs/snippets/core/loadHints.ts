// docs/snippets/core/loadHints.ts — reading the hint of an error caught synchronously.
import { createClient, isLifelineError, loadHints } from '@lifeline/core';

export async function connectOrExplain(url: string): Promise<void> {
  try {
    createClient({ url });
  } catch (e) {
    await loadHints(); // the hint texts are a lazy chunk: wait for them before reading `hint`
    if (isLifelineError(e)) console.error(`[${e.code}] ${e.message}\n→ ${e.hint}`);
  }
}
