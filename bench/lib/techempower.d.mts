export interface FetchedResponse {
  status: number | undefined;
  /** Lower-cased header names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type TechEmpowerCaseName = 'plaintext' | 'json' | 'db' | 'queries' | 'fortunes' | 'updates' | 'cached-queries';

export const TECHEMPOWER_CASES: Record<
  TechEmpowerCaseName,
  { path: string; contentType: string; variable: boolean; count?: number; problems: (text: string, count?: number) => string[] }
>;

/** The exact fortunes page: the 12 fortunes plus the one added at request time, sorted by message, escaped. */
export function expectedFortunesHtml(): string;

/** Problems with one response against a TechEmpower case (empty when it complies). */
export function techEmpowerProblems(caseName: string, response: FetchedResponse, options?: { count?: number }): string[];

/** Headers that differ between two responses (Date excepted; Content-Length too when variableBody), as readable lines. */
export function headerDifferences(
  subject: Record<string, string | string[] | undefined>,
  baseline: Record<string, string | string[] | undefined>,
  options?: { variableBody?: boolean },
): string[];
