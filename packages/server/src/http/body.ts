import type { IncomingMessage } from 'node:http';
import { LifelineServerError } from '../errors';

/**
 * Reads a JSON body of at most `maxBytes`, arriving within `timeoutMs`. A body another middleware
 * already parsed (Express `express.json()`, Fastify) is used as it is. A body still incomplete
 * after `timeoutMs` (a client that declared a length and stalled) rejects with `REQUEST_TIMEOUT`
 * (408), dropping what was read, so a slow or stalled client holds neither a handler nor memory.
 */
export function readJsonBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<unknown> {
  const tooLarge = () => payloadTooLarge(maxBytes);
  const preParsed = (req as IncomingMessage & { body?: unknown }).body;
  if (typeof preParsed === 'string' || Buffer.isBuffer(preParsed)) return Promise.resolve().then(() => parse(Buffer.from(preParsed), maxBytes));
  if (preParsed !== undefined && !req.readable) {
    // Parsed by express.json() / Fastify: the cap still applies to what the client sent.
    const size = Number(req.headers['content-length'] ?? Buffer.byteLength(JSON.stringify(preParsed) ?? ''));
    return size > maxBytes ? Promise.reject(tooLarge()) : Promise.resolve(preParsed);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      cleanup();
      chunks = [];
      reject(new LifelineServerError('REQUEST_TIMEOUT', `The request body did not arrive within ${timeoutMs} ms.`, { timeoutMs }));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      try {
        resolve(parse(Buffer.concat(chunks), maxBytes));
      } catch (error) {
        reject(error);
      }
    };
    const onError = () => {
      cleanup();
      reject(new LifelineServerError('BAD_REQUEST', 'The request body could not be read.'));
    };
    const cleanup = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function payloadTooLarge(maxBytes: number): LifelineServerError {
  return new LifelineServerError('PAYLOAD_TOO_LARGE', `The body is larger than ${maxBytes} bytes.`, { maxBytes });
}

function parse(raw: Buffer, maxBytes: number): unknown {
  if (raw.length > maxBytes) throw payloadTooLarge(maxBytes);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new LifelineServerError('BAD_REQUEST', 'The body is not valid JSON.');
  }
}
