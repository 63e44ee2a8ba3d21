// Classic PAT scopes and the ones each implies, so a token with `repo` is not reported as lacking
// `repo:status`. From GitHub's "Scopes for OAuth apps" table; only parent → child relations.
const IMPLIES: Record<string, string[]> = {
  repo: ['repo:status', 'repo_deployment', 'public_repo', 'repo:invite', 'security_events'],
  'write:packages': ['read:packages'],
  'delete:packages': ['read:packages'],
  'admin:org': ['write:org', 'read:org', 'manage_runners:org'],
  'write:org': ['read:org'],
  'admin:public_key': ['write:public_key', 'read:public_key'],
  'write:public_key': ['read:public_key'],
  'admin:repo_hook': ['write:repo_hook', 'read:repo_hook'],
  'write:repo_hook': ['read:repo_hook'],
  'admin:gpg_key': ['write:gpg_key', 'read:gpg_key'],
  'write:gpg_key': ['read:gpg_key'],
  'admin:ssh_signing_key': ['write:ssh_signing_key', 'read:ssh_signing_key'],
  'write:ssh_signing_key': ['read:ssh_signing_key'],
  user: ['read:user', 'user:email', 'user:follow'],
  'admin:enterprise': ['manage_runners:enterprise', 'manage_billing:enterprise', 'read:enterprise'],
  'manage_billing:enterprise': ['read:enterprise'],
  project: ['read:project'],
  codespace: ['codespace:secrets'],
};

/** The `X-OAuth-Scopes` header as a list; undefined when GitHub sent none (fine-grained tokens, apps). */
export function parseScopes(header: string | undefined | null): string[] | undefined {
  if (header === undefined || header === null) return undefined;
  return header
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Every scope `granted` gives, including implied ones (transitively). */
export function effectiveScopes(granted: readonly string[]): Set<string> {
  const all = new Set<string>();
  const visit = (scope: string) => {
    if (all.has(scope)) return;
    all.add(scope);
    for (const child of IMPLIES[scope] ?? []) visit(child);
  };
  granted.forEach(visit);
  return all;
}

/** The required scopes that `granted` neither lists nor implies, in the order required. */
export function missingScopes(required: readonly string[], granted: readonly string[]): string[] {
  const have = effectiveScopes(granted);
  return required.filter((scope) => !have.has(scope));
}
