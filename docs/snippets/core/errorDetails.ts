// docs/snippets/core/errorDetails.ts — `code` narrows `details` to that code's facts.
import { createClient, isLifelineError } from '@lifeline/core';

const client = createClient({ url: 'https://api.example.com' });

client.on('error', (err) => {
  if (err.code === 'VALIDATION') console.warn(`bad "${err.details.event}":`, err.details.issues?.map((i) => i.message));
  else if (err.code === 'FORBIDDEN') console.warn(`not allowed in ${err.details.channel ?? 'this channel'}`);
  // @ts-expect-error `chanel` is no fact of any code: a typo does not compile
  else console.warn(err.details.chanel);
});

export async function save(doc: { id: string }): Promise<void> {
  try {
    await client.emit('save', doc, { ack: true });
  } catch (e) {
    if (isLifelineError(e) && e.code === 'ACK_TIMEOUT') console.warn(`no ack for "${e.details.event}" within ${e.details.timeoutMs} ms`);
  }
}
