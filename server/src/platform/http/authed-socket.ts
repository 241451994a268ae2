import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { Actor } from '../auth/actor.ts';
import { unauthenticated } from '../errors.ts';
import {
  authorizationIn,
  closeReason,
  headerCredentials,
  refusal,
  SOCKET_CLOSE,
  type Authenticate,
  type SocketCredentials,
} from './authed-socket.protocol.ts';
import type { HomApp } from './types.ts';

export interface AuthedSocketOptions {
  /** How long a client without credential headers has to send its `auth` message. */
  authTimeoutMs: number;
  /** A client whose unsent frames exceed this is closed with 1013 instead of buffering more. */
  maxBufferedBytes: number;
  /** Credentials are checked again this often: a sign-out, a revoked key or a lost site counts. */
  recheckMs: number;
  /** A ping this often; a client that did not answer the previous one is cut. */
  heartbeatMs: number;
}

export const AUTHED_SOCKET_DEFAULTS: AuthedSocketOptions = {
  authTimeoutMs: 5_000,
  maxBufferedBytes: 1_048_576,
  recheckMs: 60_000,
  heartbeatMs: 30_000,
};

/** How long a closed slow client may take to read the close frame before its connection is cut. */
const SLOW_CLOSE_GRACE_MS = 5_000;
const READY_FRAME = JSON.stringify({ type: 'ready' });

/** One admitted socket, as its route delivers to it. */
export interface AuthedSocket<Access> {
  /** What the viewer's current credentials let them see; replaced at each renewal and recheck. */
  readonly access: Access;
  /** Still admitted and open: frames can go out. */
  readonly open: boolean;
  /** Sends a text frame; a client with more than `maxBufferedBytes` unsent is closed (1013) instead. */
  send(frame: string): boolean;
}

/** What a route keeps of one connection: who sees what, and what to do once they are in. */
export interface SocketViewer<Access> {
  /** Throws a coded error to refuse (unauthenticated 4401, forbidden 4403, invalid 4400). */
  access: (actor: Actor) => Access;
  /** Once, at the first admission. `ready` goes out once the promise it returns resolves (at once without one). */
  admitted: (socket: AuthedSocket<Access>, actor: Actor) => void | Promise<void>;
  /** Once, when an admitted socket leaves: closed by either side, refused at a recheck, or cut. */
  left?: (socket: AuthedSocket<Access>) => void;
}

export interface SocketRoute<Access> {
  url: string;
  schema: { tags: string[]; summary: string };
  /** The connection's viewer, or the reason its query string is refused (4400). */
  connect: (request: FastifyRequest) => SocketViewer<Access> | { invalid: string };
}

interface Admitted<Access> extends AuthedSocket<Access> {
  access: Access;
  alive: boolean;
  dropped: boolean;
  recheck: NodeJS.Timeout;
  socket: WebSocket;
  left: (() => void) | undefined;
}

/**
 * The one door of HOM's authenticated WebSockets (GET /ws/live, GET /ws/machines): credential headers
 * or a first `{"type":"auth"}` message in time, renewal by a later one, a recheck every `recheckMs`,
 * a heartbeat, `ready` once in, the close codes of docs/live.md and the slow-client close. The route
 * says who sees what and delivers; `component` names its log lines.
 */
export function authedSockets(deps: {
  authenticate: Authenticate;
  component: string;
  options?: Partial<AuthedSocketOptions> | undefined;
  /** Close reasons a route has always sent; the defaults are docs/live.md's. */
  reasons?: { authTimeout?: string; tooSlow?: string } | undefined;
}) {
  const options: AuthedSocketOptions = { ...AUTHED_SOCKET_DEFAULTS, ...deps.options };
  const reasons = {
    authTimeout: `authentication timed out: send {"type":"auth","authorization":"Bearer <token>"} within ${options.authTimeoutMs} ms`,
    tooSlow: `too slow: more than ${options.maxBufferedBytes} bytes waiting to be sent; reconnect and read faster`,
    ...deps.reasons,
  };
  const sockets = new Set<Admitted<unknown>>();

  function drop(admitted: Admitted<unknown>, code: number | 'cut', reason = ''): void {
    if (admitted.dropped) return;
    admitted.dropped = true;
    sockets.delete(admitted);
    clearInterval(admitted.recheck);
    if (code === 'cut') admitted.socket.terminate();
    else admitted.socket.close(code, closeReason(reason));
    admitted.left?.();
  }

  function admit<Access>(
    socket: WebSocket,
    access: Access,
    recheck: () => void,
    left: ((socket: AuthedSocket<Access>) => void) | undefined,
  ): Admitted<Access> {
    const admitted: Admitted<Access> = {
      socket,
      access,
      alive: true,
      dropped: false,
      left: left && (() => left(admitted)),
      recheck: setInterval(recheck, options.recheckMs).unref(),
      get open() {
        return !admitted.dropped && socket.readyState === socket.OPEN;
      },
      send(frame) {
        if (!admitted.open) return false;
        if (socket.bufferedAmount > options.maxBufferedBytes) {
          drop(admitted, SOCKET_CLOSE.tooSlow, reasons.tooSlow);
          setTimeout(() => socket.terminate(), SLOW_CLOSE_GRACE_MS).unref();
          return false;
        }
        socket.send(frame);
        return true;
      },
    };
    sockets.add(admitted);
    socket.on('pong', () => (admitted.alive = true));
    return admitted;
  }

  /** Lets one connection in, keeps its credentials current, and closes it when they stop counting. */
  function open<Access>(socket: WebSocket, request: FastifyRequest, viewer: SocketViewer<Access>): void {
    const log: FastifyBaseLogger = request.log.child({ component: deps.component });
    let admitted: Admitted<Access> | undefined;
    let credentials: SocketCredentials = {};
    let authenticating = false;
    // Credentials that arrived while others were being checked: checked next, the latest wins.
    let pending: string | undefined;
    // Browsers cannot set headers: their first message carries the credentials, in time.
    const timer = request.ctx.actor
      ? undefined
      : setTimeout(
          () => socket.close(SOCKET_CLOSE.unauthenticated, closeReason(reasons.authTimeout)),
          options.authTimeoutMs,
        );

    const refuse = (error: unknown) => {
      const [code, reason] = refusal(error);
      if (code === SOCKET_CLOSE.internalError)
        log.error({ err: error }, `${deps.component} client: authentication failed`);
      if (admitted) drop(admitted, code, reason);
      else socket.close(code, closeReason(reason));
    };

    /** Lets the viewer in, or, once in, takes their renewed credentials; a refusal closes the socket. */
    const accept = (actor: Actor, given: SocketCredentials) => {
      if (socket.readyState !== socket.OPEN) return;
      let access: Access;
      try {
        access = viewer.access(actor);
      } catch (error) {
        refuse(error);
        return;
      }
      credentials = given;
      if (admitted) {
        admitted.access = access;
        return;
      }
      clearTimeout(timer);
      const first = admit(socket, access, () => void recheck(), viewer.left);
      admitted = first;
      const ready = () => {
        if (first.open) socket.send(READY_FRAME);
      };
      let started: void | Promise<void>;
      try {
        started = viewer.admitted(first, actor);
      } catch (error) {
        refuse(error);
        return;
      }
      if (started) started.then(ready, refuse);
      else ready();
    };

    const authenticate = (given: SocketCredentials) => {
      authenticating = true;
      deps
        .authenticate(given)
        .then((actor) => {
          if (actor) accept(actor, given);
          else refuse(unauthenticated('Credentials are no longer valid'));
        }, refuse)
        .finally(() => {
          authenticating = false;
          const next = pending;
          pending = undefined;
          if (next !== undefined && socket.readyState === socket.OPEN) authenticate({ authorization: next });
        });
    };

    // A sign-out, a revoked key, a changed role or site counts within one recheck period.
    const recheck = async () => {
      if (authenticating) return;
      try {
        const actor = await deps.authenticate(credentials);
        if (actor) accept(actor, credentials);
        else refuse(unauthenticated('Credentials are no longer valid'));
      } catch (error) {
        // A database hiccup is not a refusal: keep the client and try again next time.
        if (refusal(error)[0] === SOCKET_CLOSE.internalError)
          log.warn({ err: error }, `${deps.component} client: recheck failed`);
        else refuse(error);
      }
    };

    socket.on('close', () => {
      clearTimeout(timer);
      if (admitted) drop(admitted, SOCKET_CLOSE.goingAway, 'closed');
    });
    // An auth message lets a browser in; once in, another one renews its credentials (a refreshed
    // token) on the open socket. Anything else before it is refused, after it ignored.
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const authorization = authorizationIn(data, isBinary);
      if (authorization === undefined) {
        if (!admitted)
          socket.close(
            SOCKET_CLOSE.unauthenticated,
            'the first message must be {"type":"auth","authorization":"Bearer <token>"}',
          );
        return;
      }
      if (authenticating) pending = authorization;
      else authenticate({ authorization });
    });

    // Non-browser clients: the onRequest hook already authenticated the headers (a bad one got 401).
    if (request.ctx.actor) accept(request.ctx.actor, headerCredentials(request));
  }

  /** The heartbeat, and 1001 for every client when the app closes. */
  async function register(app: HomApp): Promise<void> {
    const heartbeat = setInterval(() => {
      for (const admitted of sockets) {
        if (!admitted.alive) drop(admitted, 'cut');
        else {
          admitted.alive = false;
          admitted.socket.ping();
        }
      }
    }, options.heartbeatMs).unref();
    app.addHook('onClose', async () => {
      clearInterval(heartbeat);
      for (const admitted of sockets) drop(admitted, SOCKET_CLOSE.goingAway, 'server shutting down');
    });
  }

  /** The route: public to the HTTP guard (browsers cannot set headers), authenticated here. */
  function route<Access>(app: HomApp, spec: SocketRoute<Access>): void {
    app.get(
      spec.url,
      { websocket: true, config: { access: 'public' }, schema: spec.schema },
      (socket, request) => {
        const viewer = spec.connect(request);
        if ('invalid' in viewer) socket.close(SOCKET_CLOSE.invalidFilter, closeReason(viewer.invalid));
        else open(socket, request, viewer);
      },
    );
  }

  return {
    register,
    route,
    /** Sockets admitted now. */
    admitted: () => sockets.size,
  };
}
