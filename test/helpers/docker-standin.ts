// A stand-in for docker, which cannot run here (no engine): the two `docker buildx imagetools`
// commands the emergency rollback uses, answered by the real skopeo against a real registry, so the
// digests, tags and moves are the registry's own.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Statement } from '../../src/record/predicate';

/** Writes `docker` into `bin`; ghcr.io is mapped to `registryHost`; while `noop` exists, create changes nothing. */
export function writeDockerStandIn(bin: string, registryHost: string, noop: string): void {
  const script = `#!/bin/sh
set -e
map() { printf '%s' "$1" | sed 's#^ghcr\\.io/#${registryHost}/#'; }
digest_of() {
  d="$(skopeo inspect --tls-verify=false "docker://$1" 2>/dev/null | jq -r .Digest)" || true
  [ -n "$d" ] && [ "$d" != null ] || { echo "ERROR: $1: not found" >&2; exit 1; }
  printf '%s' "$d"
}
case "$1 $2" in
  "--version ") echo "Docker version 28.2.2, build stand-in" ;;
  "buildx version") echo "github.com/docker/buildx v0.19.3 stand-in" ;;
  "buildx imagetools")
    sub="$3"; shift 3
    case "$sub" in
      inspect)
        ref="$(map "$1")"; d="$(digest_of "$ref")"
        if [ "$2" = --format ]; then printf '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s"}\\n' "$d"
        else printf 'Name:      %s\\nDigest:    %s\\n' "$1" "$d"; fi ;;
      create)
        [ "$1" = --tag ] || { echo "stand-in: create needs --tag" >&2; exit 2; }
        dest="$(map "$2")"; src="$(map "$3")"
        [ -e '${noop}' ] && { echo "(stand-in told to change nothing)"; exit 0; }
        skopeo copy --all --preserve-digests --src-tls-verify=false --dest-tls-verify=false "docker://$src" "docker://$dest" >/dev/null
        echo "pushed $2" ;;
      *) echo "stand-in: imagetools $sub is not modelled" >&2; exit 2 ;;
    esac ;;
  *) echo "stand-in: docker $* is not modelled" >&2; exit 2 ;;
esac
`;
  writeFileSync(join(bin, 'docker'), script);
  chmodSync(join(bin, 'docker'), 0o755);
}

/** The signed statement inside a record file (the payload, unverified: the tests read what it says). */
export function statementOf(recordText: string): Statement {
  const envelope = JSON.parse(recordText) as { payload: string };
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
}
