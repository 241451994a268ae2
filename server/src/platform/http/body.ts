import { isUtf8 } from 'node:buffer';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { malformed } from '../errors.ts';

const MAX_DEPTH = 64;

/**
 * JSON bodies: valid UTF-8, no prototype-poisoning keys, nesting bounded. Form bodies (the OAuth2
 * password form the mobile client sends to /auth/login) go through @fastify/formbody. Any other
 * content type is answered 415 by Fastify itself.
 */
export async function registerBodyParsers(app: FastifyInstance): Promise<void> {
  app.removeContentTypeParser(['application/json']);
  for (const contentType of ['application/json', /^application\/[\w.+-]+\+json$/]) {
    app.addContentTypeParser(contentType, { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
      try {
        done(null, parseJson(body));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
  }
  await app.register(formbody, { bodyLimit: app.initialConfig.bodyLimit });
}

export function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw malformed('The request body is empty; send JSON');
  if (!isUtf8(body)) throw malformed('The request body is not valid UTF-8');
  const text = body.toString('utf8');
  if (nestingDepth(text) > MAX_DEPTH) throw malformed(`JSON nested deeper than ${MAX_DEPTH} levels`);
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const reason = (error as Error).message.includes('prototype') ? 'forbidden key __proto__ or constructor' : 'not valid JSON';
    throw malformed(`The request body is ${reason}`);
  }
}

function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 92) i += 1; // backslash escapes the next character
      else if (char === 34) inString = false;
    } else if (char === 34) inString = true;
    else if (char === 123 || char === 91) deepest = Math.max(deepest, ++depth);
    else if (char === 125 || char === 93) depth -= 1;
  }
  return deepest;
}
