// npm's `prepack`: npm runs it before `npm pack` and `npm publish` in this folder, and also before
// `npm run pack` (a script named pack gets its pre-script). Only the first two are refused: this
// folder's package.json is the developer's, with a `prepare` script npm would list as an install
// script of the tarball, and devDependencies an operator has no use for. `npm run pack`
// (scripts/pack.mjs) packs a staged copy without them; npm names the command in npm_command.
const command = process.env.npm_command;
if (command === 'pack' || command === 'publish') {
  process.stderr.write(
    `handrail: use \`npm run pack\` instead of \`npm ${command}\`: it packs a copy of this folder without its scripts and devDependencies` +
      `${command === 'publish' ? ', and `npm publish handrail-<version>.tgz` publishes that tarball' : ''}.\n`,
  );
  process.exit(1);
}
