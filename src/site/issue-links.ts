/**
 * Turns issue references in page prose, `higress-group/higress#1517`, into links to them on
 * GitHub, so a reader can check what a page cites. Text already in a link or in code is left
 * alone. GitHub sends /issues/N to the pull request when N is one.
 */
import type { MdastPluginDefinition } from 'satteri';

/** owner/repo#number, as GitHub writes a cross-repository reference. */
const REFERENCE = /\b([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+)#(\d+)\b/g;

/** The issue or pull request a reference points at. */
export function issueUrl(owner: string, repo: string, number: string): string {
  return `https://github.com/${owner}/${repo}/issues/${number}`;
}

type Piece = { type: 'text'; value: string } | { type: 'link'; url: string; children: Array<{ type: 'text'; value: string }> };

/** Splits text into plain pieces and links, or returns null when it holds no reference. */
export function linkIssueReferences(text: string): Piece[] | null {
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    const [whole, owner, repo, number] = match as unknown as [string, string, string, string];
    const at = match.index ?? 0;
    if (at > last) pieces.push({ type: 'text', value: text.slice(last, at) });
    pieces.push({ type: 'link', url: issueUrl(owner, repo, number), children: [{ type: 'text', value: whole }] });
    last = at + whole.length;
  }
  if (pieces.length === 0) return null;
  if (last < text.length) pieces.push({ type: 'text', value: text.slice(last) });
  return pieces;
}

/** The Sätteri mdast plugin that applies `linkIssueReferences` to prose. */
export function issueLinks(): MdastPluginDefinition {
  return {
    name: 'issue-links',
    text(node, ctx) {
      if (!node.value.includes('#')) return;
      const parentType = (ctx.parent(node) as { type?: string } | undefined)?.type;
      if (parentType === 'link' || parentType === 'linkReference') return;
      const pieces = linkIssueReferences(node.value);
      if (pieces) ctx.replaceNode(node, pieces as never);
    },
  };
}
