// docs/snippets/core/protocol.ts — a minimal join handler speaking the protocol's names and answers.
import { compareIds, WIRE, type JoinAnswer, type JoinRequest } from '@lifeline/core/protocol';
import type { Server } from 'socket.io';

export function answerJoins(io: Server, latestId: (channel: string) => string): void {
  io.on('connection', (socket) => {
    socket.on(WIRE.join, ({ channel }: JoinRequest, ack: (answer: JoinAnswer) => void) => {
      void socket.join(channel);
      ack({ ok: true, cursor: latestId(channel) });
    });
  });
}

export const newer = compareIds('10', '9') > 0; // true: ids compare as numbers, part by part
