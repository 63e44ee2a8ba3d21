// Names the shell or the dynamic loader act on (SPEC §3.2). Every input, secret and capture reaches
// its steps as an environment variable of the same name, so a value named BASH_ENV would be sourced
// as code by every bash step, LD_PRELOAD loaded into every program, IFS would change how words
// split. Lint refuses such names; the list is documented in docs/runbook-format.md.

/** Exact names, as sh, bash and the programs they start read them. */
const NAMES = new Set([
  // What runs and where: the search path, the home and shell, the working directories.
  'PATH',
  'HOME',
  'SHELL',
  'PWD',
  'OLDPWD',
  'CDPATH',
  'TMPDIR',
  // Code or options the shell reads at start-up or before each command.
  'ENV',
  'SHELLOPTS',
  'BASHOPTS',
  'POSIXLY_CORRECT',
  'PROMPT_COMMAND',
  'PS0',
  'PS1',
  'PS2',
  'PS3',
  'PS4',
  'INPUTRC',
  'HISTFILE',
  'FUNCNEST',
  'EXECIGNORE',
  'GLOBIGNORE',
  'TIMEFORMAT',
  'TMOUT',
  'MAIL',
  'MAILPATH',
  // How the shell splits words and reads options; values it sets itself.
  'IFS',
  'OPTIND',
  'OPTARG',
  'OPTERR',
  'PPID',
  'UID',
  'EUID',
  'GROUPS',
  'HOSTNAME',
  'RANDOM',
  'SECONDS',
  'LINENO',
  // How bytes are read as characters, by the shell and everything it runs.
  'LANG',
  'LANGUAGE',
  'NLSPATH',
  // Startup hooks of the interpreters steps most often call: code from a value.
  'NODE_OPTIONS',
  'PYTHONSTARTUP',
  'PYTHONPATH',
  'PYTHONHOME',
  'PERL5OPT',
  'PERL5LIB',
  'RUBYOPT',
  'RUBYLIB',
]);

/** Whole families: the loader's (LD_*, DYLD_*), bash's own (BASH_ENV, BASH_XTRACEFD, BASH_FUNC_…), the locale's. */
const PREFIXES = ['LD_', 'DYLD_', 'BASH_', 'LC_', 'ZSH_', 'GCONV_'];

export function isReservedName(name: string): boolean {
  return NAMES.has(name) || PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** The lint message for a reserved name used as `what` (an input, a secret, a capture). */
export function reservedNameMessage(name: string, what: string): string {
  return `${name} cannot be ${what}: the shell or the program loader acts on a variable of that name, and every step gets it; choose another name`;
}
