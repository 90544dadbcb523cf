// Findings the suite made that are reported to the owners and not fixed yet. A problem matching one is counted and
// printed as known instead of failing the run; the test named in `reproducedBy` fails once it is fixed, so the entry
// cannot outlive the defect. Keep this list short and dated.
export interface KnownFinding {
  id: string
  /** Where, and what a person sees. */
  summary: string
  /** Found on. */
  since: string
  matches(problem: string): boolean
  reproducedBy: string
}

export const KNOWN_FINDINGS: readonly KnownFinding[] = [
  {
    id: 'salesforce-api-name-echo',
    summary:
      'jlp-salesforce salesforce-client/soql.ts apiName() quotes the whole refused name in its PayloadValidationError, ' +
      'so a mapped or configured name of 5,000 characters gives a 5,000-character message (cap the quoted part).',
    since: '2026-11-23',
    matches: (p) => /message is \d+ characters long/.test(p) && /API name/.test(p),
    reproducedBy: 'test/reliability/fuzz-client.test.ts "known finding: apiName quotes a whole long name"'
  },
  {
    id: 'salesforce-lone-surrogate-crash',
    summary:
      'jlp-salesforce salesforce-client sobjectPath() passes a value with a lone UTF-16 surrogate (e.g. a supporter ' +
      'id "\\ud800") to encodeURIComponent, which throws URIError "URI malformed": the event fails with a raw JS ' +
      'error instead of a PayloadValidationError.',
    since: '2026-11-23',
    matches: (p) => /threw URIError/.test(p),
    reproducedBy: 'test/reliability/fuzz-client.test.ts "known finding: a lone surrogate in a URL segment"'
  }
]

/** Splits problems into new ones and known ones (by finding id). */
export function sortProblems(problems: readonly string[]): { fresh: string[]; known: string[] } {
  const fresh: string[] = []
  const known: string[] = []
  for (const p of problems) {
    const finding = KNOWN_FINDINGS.find((f) => f.matches(p))
    if (finding) known.push(finding.id)
    else fresh.push(p)
  }
  return { fresh, known }
}
