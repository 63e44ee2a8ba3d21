// `paginate: true`: a list GitHub serves in pages, read whole by following `Link: rel="next"`, as gh
// and octokit.paginate do. The next page's URL comes from GitHub's answer, so it is untrusted: it is
// followed only when it stays on the API the operator chose (same origin, under the same base path),
// where the token may go (SPEC §5.1). The walk is bounded, and says when it stopped short.
import { MAX_RESPONSE_BYTES } from './errors';
import { HandrailError } from '../core/errors';
import type { GithubResult } from '../core/ports';

/** Pages read at most: 10 pages of 100 cover any version list an operator can scroll through. */
export const MAX_PAGES = 10;
/** Each page of a paginated list is bounded so that all of them together stay within one answer's bound. */
export const MAX_PAGE_BYTES = Math.floor(MAX_RESPONSE_BYTES / MAX_PAGES);

/** The URL of `rel="next"` in a Link header, if any. */
export function nextLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m && /\brel="?([^";]*\s)?next(\s[^";]*)?"?/.test(m[2])) return m[1];
  }
  return undefined;
}

/** The path (with query) of `next` below `base`, or a sentence saying why it is not followed. */
export function pathBelow(base: string, next: string): string {
  let url: URL;
  let root: URL;
  try {
    url = new URL(next);
    root = new URL(base);
  } catch {
    throw new HandrailError(`GitHub's Link header names a next page that is not a URL (${next}); not followed.`);
  }
  const prefix = root.pathname.replace(/\/+$/, '');
  if (url.origin !== root.origin || !(url.pathname === prefix || url.pathname.startsWith(`${prefix}/`))) {
    throw new HandrailError(
      `GitHub's Link header names a next page on ${url.origin}${url.pathname}, outside ${base}; the token goes only to ${base}, so it was not followed.`,
    );
  }
  return `${url.pathname.slice(prefix.length)}${url.search}`;
}

/**
 * Every page of a list: `first` is page 1's answer, `fetch` reads a path below the API. The answer
 * is one array; `more` is set when MAX_PAGES were read and GitHub still named a next page.
 */
export async function readAllPages(
  base: string,
  first: GithubResult,
  fetch: (path: string) => Promise<GithubResult>,
): Promise<GithubResult & { pages: number; more: boolean }> {
  const items: unknown[] = [];
  let page = first;
  let pages = 0;
  for (;;) {
    if (!Array.isArray(page.data)) {
      throw new HandrailError(
        `paginate reads a list, but page ${pages + 1} of the answer is not a JSON array; remove paginate: or fix the request.`,
      );
    }
    // One by one: spreading a page of millions of items into push() would overflow the stack.
    for (const item of page.data) items.push(item);
    pages++;
    const next = nextLink(page.headers.link);
    if (next === undefined) return { ...first, data: items, pages, more: false };
    if (pages >= MAX_PAGES) return { ...first, data: items, pages, more: true };
    page = await fetch(pathBelow(base, next));
  }
}
