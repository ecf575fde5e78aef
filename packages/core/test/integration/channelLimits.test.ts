/**
 * The server's channel limits as a user sees them, against the real companion on every carrier:
 * one channel past `maxChannels`, and a channel name the server refuses, are each reported once as
 * a `BAD_INPUT` LifelineError naming the channel, with a hint; the connection and its other
 * channels carry on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type LifelineClient, type LifelineError } from '@lifeline/core';
import { delay, waitFor } from '@lifeline/testkit';
import { FAST, startCompanion, type Companion } from './setup';

let companion: Companion<unknown> | undefined;
let client: LifelineClient | undefined;
afterEach(async () => {
  client?.close();
  await companion?.lifeline.close();
  await companion?.server.close();
  companion = client = undefined;
});

describe.each(['websocket', 'polling', 'http'] as const)('channel limits over %s', (transport) => {
  it('one channel past maxChannels and a refused name: BAD_INPUT naming each, with a hint; the other channels keep receiving', async () => {
    companion = await startCompanion('/ns', { maxChannels: 2, authenticate: () => ({ name: 'ada' }) });
    const { lifeline, base, server } = companion;
    const c = createClient({ url: server.url, namespace: '/ns', transports: [transport], http: { url: base, wait: 5 }, reconnect: FAST });
    client = c;
    const errors: LifelineError[] = [];
    c.on('error', (e) => errors.push(e));
    const got: string[] = [];
    for (const name of ['a', 'b']) c.channel(name).on('e', (data) => got.push(`${name}:${String(data)}`));
    await waitFor(() => c.getState().status === 'connected', { message: 'connected' });
    await waitFor(() => (transport === 'http' ? lifeline.stats().waitingPolls === 1 : lifeline.stats().socketSubscriptions === 2), { message: 'a and b joined' });
    c.channel('c').on('e', (data) => got.push(`c:${String(data)}`));
    await waitFor(() => errors.length === 1, { message: 'the LIMIT refusal' });
    c.channel('bad\u0000name').on('e', () => got.push('bad'));
    await waitFor(() => errors.length === 2, { message: 'the name refusal' });
    for (const ch of ['a', 'b', 'c']) await lifeline.publish(ch, 'e', 1);
    await waitFor(() => got.length >= 2, { message: 'events of a and b' });
    await delay(200);
    expect(got.sort()).toEqual(['a:1', 'b:1']);
    expect(errors.map((e) => [e.code, e.details.channel])).toEqual([['BAD_INPUT', 'c'], ['BAD_INPUT', 'bad\u0000name']]);
    expect(errors[0]!.hint).toMatch(/maxChannels/);
    expect(errors[0]!.hint).toMatch(/maxChannels is 2/);
    expect(errors[1]!.hint).toMatch(/control characters/);
    expect(c.getState()).toMatchObject({ status: 'connected', transport });
  });
});
