// Secrets never leave a local runtime: headers, JSON keys and form fields that carry credentials are masked.
const SECRET_KEY = /secret|token|password|passwd|api[-_]?key|authorization|cookie|assertion|client_id|clientid/i
export const REDACTED = '<redacted>'

export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key)

export function redactHeaders(headers: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of headers) out[key] = isSecretKey(key) ? REDACTED : value
  return out
}

/** Masks secret-looking keys at any depth of a JSON value. */
export function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, isSecretKey(k) && v !== '' && v != null ? REDACTED : redactJson(v)])
  )
}

/** A request or response body as text: JSON or a form, with secrets masked. */
export function redactBody(text: string): unknown {
  if (text === '') return ''
  try {
    return redactJson(JSON.parse(text))
  } catch {
    if (/^[\w.%-]+=[^&]*(&[\w.%-]+=[^&]*)*$/.test(text)) {
      const form = new URLSearchParams(text)
      for (const key of [...form.keys()]) if (isSecretKey(key)) form.set(key, REDACTED)
      return decodeURIComponent(form.toString())
    }
    return text
  }
}
