import type { IvrErrorBody, ReportingErrorBody } from '../../backend/contract/errors.js';

/**
 * A non-2xx answer from c2m, from the IVR API (`{errorCode, errorMessage}`) or the reporting API
 * (`{code, requestTraceId, message}`, spec §9.5) alike. Switch on `errorCode` (see `IvrErrorCode`
 * in backend/contract/errors.ts), never on the message.
 */
export class C2mError extends Error {
  override readonly name = 'C2mError';

  constructor(
    /** The HTTP status. */
    readonly status: number,
    /** c2m's code; differs from the HTTP status. 0 when the body carried none. */
    readonly errorCode: number,
    readonly errorMessage: string,
    /** Quote it to the operator: it finds the server's log line. */
    readonly requestId: string | undefined,
  ) {
    super(`c2m answered ${status} (${errorCode}): ${errorMessage}`);
  }

  /** Reads the error body of `response`; a body that is not c2m's still gives a C2mError. */
  static async fromResponse(response: Response): Promise<C2mError> {
    const headerId = response.headers.get('X-Request-Id') ?? undefined;
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    if (isIvrError(body)) {
      return new C2mError(
        response.status,
        body.errorCode,
        body.errorMessage,
        body.requestId ?? headerId,
      );
    }
    if (isReportingError(body)) {
      return new C2mError(response.status, body.code, body.message, body.requestTraceId);
    }
    return new C2mError(response.status, 0, response.statusText || 'Unexpected response', headerId);
  }
}

function isIvrError(body: unknown): body is IvrErrorBody {
  const b = body as Partial<IvrErrorBody> | undefined;
  return typeof b?.errorCode === 'number' && typeof b.errorMessage === 'string';
}

function isReportingError(body: unknown): body is ReportingErrorBody {
  const b = body as Partial<ReportingErrorBody> | undefined;
  return typeof b?.code === 'number' && typeof b.message === 'string';
}
