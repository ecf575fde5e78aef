// docs/snippets/core/events.ts — events with several arguments, and a catch-all listener.
import { args, createClient } from '@lifeline/core';
import { z } from 'zod';

const client = createClient({
  url: 'https://api.example.com',
  events: {
    // `socket.emit('message', user, text)` on the server: declare ALL its arguments.
    message: args(z.tuple([z.object({ name: z.string() }), z.string()])),
  },
});

client.on('message', ([user, text], meta) => console.log(user.name, text, meta.transport));

// Without a schema (a client with no `events` map), handlers keep (payload, meta): the payload is
// the first argument and meta.args holds them all when the server sent several.
const untyped = createClient({ url: 'https://api.example.com' });
untyped.on('typing', (first, meta) => console.log(first, meta.args));

// Every incoming event, with all its arguments, as socket.io-client's onAny.
const off = client.onAny((event, ...rest) => console.debug(event, ...rest));
off();
