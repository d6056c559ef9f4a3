import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP server, bound to its port before the rest of the service starts, so that a port in use stops
 * start-up before the database is migrated or seeded. Until `serve(app)`, every request gets 503.
 */
export class HttpServer {
  #app: RequestListener = answerStarting;
  readonly #close: () => Promise<void>;

  private constructor(private readonly server: Server) {
    server.on('request', (request, response) => this.#app(request, response));
    this.#close = gracefulCloser(server);
  }

  /** Rejects with the listen error (`EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`…) if the port cannot be had. */
  static async listen(port: number, host: string): Promise<HttpServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new HttpServer(server);
  }

  serve(app: RequestListener): void {
    this.#app = app;
  }

  /** The address really bound: `PORT=0` becomes the port the system picked. */
  get address(): { readonly host: string; readonly port: number } {
    const { address, port } = this.server.address() as AddressInfo;
    return { host: address, port };
  }

  get url(): string {
    const { host, port } = this.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  /** Refuses new connections and resolves once the requests in flight have been answered. */
  close(): Promise<void> {
    return this.#close();
  }
}

function answerStarting(_request: unknown, response: ServerResponse): void {
  response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
  response.end(
    JSON.stringify({
      error: { code: 'STARTING', message: 'The service is starting: try again in a moment' },
    }),
  );
}

/**
 * A graceful close for an HTTP server. `server.close()` refuses new connections but waits for open
 * keep-alive ones, and a client may keep sending new requests on those. So once closing, every response
 * not yet sent (in flight, or arriving late on an open connection) says `Connection: close`, and each
 * connection ends after it.
 */
function gracefulCloser(server: Server): () => Promise<void> {
  const unsentResponses = new Set<ServerResponse>();
  let closing = false;
  server.prependListener('request', (_request, response: ServerResponse) => {
    if (closing) response.setHeader('connection', 'close');
    unsentResponses.add(response);
    response.on('close', () => unsentResponses.delete(response));
  });
  return () => {
    closing = true;
    for (const response of unsentResponses) {
      if (!response.headersSent) response.setHeader('connection', 'close');
    }
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    return closed;
  };
}
