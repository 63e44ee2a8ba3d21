// The sentence that tells the operator where a GitHub token goes (SPEC §5.1). In core because two
// sides say it: the GitHub client on stderr before a run's views exist, and the views of a run.

export interface CredentialNotice {
  /** Where the token came from, in words: "environment variable GH_TOKEN". Never its value. */
  source: string;
  /** The API origin it is sent to, e.g. https://api.github.com. */
  host: string;
  /** What it is used for, when the caller knows: "github steps", "the team's records". */
  use?: string;
}

export function credentialLine(notice: CredentialNotice): string {
  return `GitHub token from ${notice.source} goes to ${notice.host}${notice.use ? ` (${notice.use})` : ''}`;
}
