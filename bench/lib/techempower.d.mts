export interface FetchedResponse {
  status: number | undefined;
  /** Lower-cased header names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export const TECHEMPOWER_CASES: Record<'plaintext' | 'json', { path: string; contentType: string; body: (text: string) => boolean }>;

/** Problems with one response against a TechEmpower case (empty when it complies). */
export function techEmpowerProblems(caseName: string, response: FetchedResponse): string[];

/** Headers that differ between two responses (Date excepted), as readable lines. */
export function headerDifferences(
  subject: Record<string, string | string[] | undefined>,
  baseline: Record<string, string | string[] | undefined>,
): string[];
