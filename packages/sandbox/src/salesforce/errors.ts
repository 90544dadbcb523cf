// Salesforce's error: an HTTP status and a body of [{message, errorCode, fields}]. Thrown by the store and the
// parsers; the REST layer turns it into a Reply, collections into {statusCode, message, fields}.
import { reply, type Reply } from '../http'

export class SfError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
    /** Extra body for the rare errors that carry more (300 Multiple Choices lists URLs instead). */
    readonly body?: unknown
  ) {
    super(message)
  }
}

export const sfErrorItem = (e: SfError) => ({ message: e.message, errorCode: e.errorCode, fields: e.fields })

export function sfErrorReply(e: SfError): Reply {
  return reply(e.status, e.body ?? [sfErrorItem(e)])
}

/** The error shape sObject Collections and invocable actions use per record. */
export const collectionError = (e: SfError) => ({ statusCode: e.errorCode, message: e.message, fields: e.fields })

export const notFound = () => new SfError(404, 'NOT_FOUND', 'The requested resource does not exist')

export const badRequest = (errorCode: string, message: string, fields: string[] = []) =>
  new SfError(400, errorCode, message, fields)

/** Wrap anything thrown into an SfError (a bug in the sandbox reads as Salesforce's UNKNOWN_EXCEPTION). */
export function toSfError(err: unknown): SfError {
  if (err instanceof SfError) return err
  const message = err instanceof Error ? err.message : String(err)
  return new SfError(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred: ${message}`)
}
