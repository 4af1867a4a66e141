import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake servers see it, after the body was read. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface RecordedCall {
  method: string;
  path: string;
  status: number;
  /** When the request arrived (ms since the epoch). */
  at: number;
}

/** A canned answer served instead of the real one, for the next `times` matching requests. */
export interface Injection {
  method?: string;
  path: RegExp;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  times?: number;
}

export type Handler = (req: FakeRequest) => Promise<Answer> | Answer;
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Do the work, then drop the connection: the caller never learns it happened. */
  dropConnection?: boolean;
}

/** A small HTTP server with injectable failures and a record of every call. */
export class FakeHttpServer {
  readonly calls: RecordedCall[] = [];
  private readonly injections: Injection[] = [];
  private server?: Server;

  constructor(private readonly handle: Handler) {}

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  inject(injection: Injection): void {
    this.injections.push({ times: 1, ...injection });
  }

  callsTo(method: string, path: RegExp): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    const injected = this.injections.find(
      (i) =>
        (i.times ?? 0) > 0 &&
        (!i.method || i.method === request.method) &&
        i.path.test(url.pathname),
    );
    let answer: Answer;
    if (injected) {
      injected.times = (injected.times ?? 1) - 1;
      answer = { status: injected.status, body: injected.body, headers: injected.headers };
    } else {
      try {
        answer = await this.handle(request);
      } catch (err) {
        answer = { status: 500, body: { message: (err as Error).message } };
      }
    }
    this.calls.push({ method: request.method, path: request.path, status: answer.status, at });
    if (answer.dropConnection) {
      req.socket.destroy();
      return;
    }
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...(text ? { 'Content-Type': 'application/json;charset=UTF-8' } : {}),
      ...answer.headers,
    });
    res.end(text);
  }
}

/** The parts of a multipart/form-data body, parsed the way a server would. */
export async function formParts(req: FakeRequest): Promise<FormData> {
  const contentType = String(req.headers['content-type'] ?? '');
  return new Response(new Uint8Array(req.body), {
    headers: { 'content-type': contentType },
  }).formData();
}
