// Which GitHub API a command talks to: the rule lives in ./hosts (SPEC §5.1); this name is kept for
// the commands that import it.
export { DEFAULT_GITHUB_API, githubApiUrl } from './hosts';
