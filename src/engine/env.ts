// The environment a step's command sees: an allowlist of the operator's environment (so a stray
// AWS_SECRET_ACCESS_KEY or GH_TOKEN in the shell never leaks into a step), then the runbook's
// variables, then only the secrets this step was granted by `secrets=`.

/** Exact names passed through from handrail's own environment. */
export const PASSED_THROUGH = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TERM',
  'COLORTERM',
  'NO_COLOR',
  'FORCE_COLOR',
  'TZ',
  'TMPDIR',
  'DISPLAY',
  'WAYLAND_DISPLAY',
  'SSH_AUTH_SOCK',
  'GPG_AGENT_INFO',
  'EDITOR',
  'VISUAL',
  'PAGER',
  'KUBECONFIG',
  'DOCKER_HOST',
  'DOCKER_CONFIG',
  'DOCKER_CONTEXT',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
] as const;

/** Name prefixes passed through: locale and XDG base directories. */
export const PASSED_THROUGH_PREFIXES = ['LC_', 'XDG_'] as const;

const ALLOWED = new Set<string>(PASSED_THROUGH);

/** The allowlisted part of an environment. */
export function allowlistedEnv(parent: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value === undefined) continue;
    if (ALLOWED.has(name) || PASSED_THROUGH_PREFIXES.some((p) => name.startsWith(p))) env[name] = value;
  }
  return env;
}

export function childEnv(options: {
  parent: NodeJS.ProcessEnv;
  variables: Readonly<Record<string, string>>;
  secrets: Readonly<Record<string, string>>;
}): Record<string, string> {
  return { ...allowlistedEnv(options.parent), ...options.variables, ...options.secrets };
}
