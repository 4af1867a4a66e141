import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A SageMaker error as the JSON 1.1 protocol sends it. */
export interface AwsError {
  type: string;
  message: string;
  status?: number;
}

/** What the model container says about a job: still running, done, or failed with a reason. */
export type ContainerState = { status: 'InProgress' } | { status: 'Completed' } | Failed;
type Failed = { status: 'Failed'; reason: string };

/**
 * A loopback proxy in front of moto's SageMaker API. Moto stores transform jobs but runs nothing
 * and calls every job Completed at once, and it lets a name be used twice. The proxy reports what
 * the test's container is doing instead, refuses a second job of the same name with
 * ResourceInUse as SageMaker does, and answers with the failures a test chooses.
 */
export class SageMakerProxy {
  /** Every CreateTransformJob call, refused ones included, by job name. */
  readonly createCalls: string[] = [];
  readonly describeCalls: string[] = [];
  /** CreateTransformJob answered with this error instead of reaching moto. */
  readonly createErrors = new Map<string, AwsError>();
  /** DescribeTransformJob answers Failed with this reason. */
  readonly failureReasons = new Map<string, string>();
  /** DescribeTransformJob answers "not found" once, as a lagging read after a create could. */
  readonly missingOnce = new Set<string>();
  private readonly created = new Set<string>();

  private constructor(
    private readonly server: Server,
    private readonly moto: string,
    private readonly container: (jobName: string) => ContainerState,
  ) {}

  static async start(
    moto: string,
    container: (jobName: string) => ContainerState,
  ): Promise<SageMakerProxy> {
    const server = createServer((req, res) => {
      proxy.handle(req, res).catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
    const proxy = new SageMakerProxy(server, moto, container);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  createsOf(prefix: string): string[] {
    return this.createCalls.filter((name) => name.startsWith(prefix));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const action = String(req.headers['x-amz-target'] ?? '').replace(/^SageMaker\./, '');
    const params = action ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    const jobName = String(params.TransformJobName ?? '');

    if (action === 'CreateTransformJob') {
      this.createCalls.push(jobName);
      const refused = this.createErrors.get(jobName);
      if (refused) return sendError(res, refused);
      if (this.created.has(jobName)) {
        return sendError(res, {
          type: 'ResourceInUse',
          message: `Job name must be unique within an AWS account and region, and a job with this name already exists (${jobName})`,
        });
      }
    }
    if (action === 'DescribeTransformJob') {
      this.describeCalls.push(jobName);
      if (this.missingOnce.delete(jobName)) {
        return sendError(res, {
          type: 'ValidationException',
          message: `Could not find transform job 'arn:aws:sagemaker:us-east-1:123456789012:transform-job/${jobName}'.`,
        });
      }
    }

    const answer = await this.forward(req, body);
    if (action === 'CreateTransformJob' && answer.status === 200) this.created.add(jobName);
    if (action === 'DescribeTransformJob' && answer.status === 200) {
      answer.body = Buffer.from(JSON.stringify(this.rewriteStatus(jobName, answer.body)));
    }
    res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
  }

  private rewriteStatus(jobName: string, body: Buffer): Record<string, unknown> {
    const described = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const chosen = this.failureReasons.get(jobName);
    const state: ContainerState =
      chosen === undefined ? this.container(jobName) : { status: 'Failed', reason: chosen };
    described.TransformJobStatus = state.status;
    if (state.status === 'Failed') described.FailureReason = state.reason;
    else delete described.FailureReason;
    if (state.status === 'InProgress') delete described.TransformEndTime;
    return described;
  }

  private async forward(req: IncomingMessage, body: Buffer) {
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value === undefined || ['host', 'connection', 'content-length'].includes(key)) continue;
      headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const answer = await fetch(`${this.moto}${req.url ?? '/'}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    return {
      status: answer.status,
      contentType: answer.headers.get('content-type') ?? 'application/x-amz-json-1.1',
      body: Buffer.from(await answer.arrayBuffer()),
    };
  }
}

/** SageMaker's JSON error shape: `__type` names the exception, the SDK throws that class. */
function sendError(res: ServerResponse, error: AwsError): void {
  res
    .writeHead(error.status ?? 400, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': crypto.randomUUID(),
    })
    .end(JSON.stringify({ __type: error.type, Message: error.message }));
}
