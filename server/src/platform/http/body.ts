import { isUtf8 } from 'node:buffer';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { malformed } from '../errors.ts';

const MAX_DEPTH = 64;

/**
 * JSON bodies: valid UTF-8, no prototype-poisoning keys, nesting bounded. Form bodies (the OAuth2
 * password form the mobile client sends to /auth/login) go through @fastify/formbody. Any other
 * content type is answered 415 by Fastify itself; that includes text/plain, whose built-in parser
 * is removed (it handed a string to the validators, so a JSON body sent as text/plain got a 422).
 */
export async function registerBodyParsers(app: FastifyInstance): Promise<void> {
  app.removeContentTypeParser(['application/json', 'text/plain']);
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
  if (body.length === 0) throw rejected('The request body is empty; send JSON');
  if (!isUtf8(body)) throw rejected('The request body is not valid UTF-8');
  const text = body.toString('utf8');
  if (nestingDepth(text) > MAX_DEPTH) throw rejected(`JSON nested deeper than ${MAX_DEPTH} levels`);
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const prototype = (error as Error).message.includes('prototype');
    throw rejected(
      prototype
        ? 'The request body has a forbidden key (__proto__ or constructor)'
        : 'The request body is not valid JSON',
    );
  }
}

/**
 * A malformed body. The statusCode is for Mercurius: its error handler (POST /graphql) answers with
 * `error.statusCode` and falls back to 200, so without it a broken GraphQL body got a 200.
 */
function rejected(message: string) {
  return Object.assign(malformed(message), { statusCode: 400 });
}

function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 92)
        i += 1; // backslash escapes the next character
      else if (char === 34) inString = false;
    } else if (char === 34) inString = true;
    else if (char === 123 || char === 91) deepest = Math.max(deepest, ++depth);
    else if (char === 125 || char === 93) depth -= 1;
  }
  return deepest;
}
