/**
 * Finds the shell blocks of a Markdown document that test/docs/doc-commands.e2e.spec.ts runs, with
 * their markers (docs/development.md "Commands in the docs"). Pure: text in, blocks and problems out.
 */

export type BlockMode = { kind: 'run'; expect: '2xx' | '4xx' } | { kind: 'skip'; reason: string };

export interface DocBlock {
  /** 1-based line of the opening fence. */
  line: number;
  /** The block's text, without the fences and without the indentation of the opening fence. */
  code: string;
  mode: BlockMode;
}

export interface DocProblem {
  line: number;
  message: string;
}

export interface ParsedDoc {
  blocks: DocBlock[];
  problems: DocProblem[];
}

/** The fence tags that are run. Anything else (json, text, http, ts…) is never run. */
export const RUN_TAGS = ['sh', 'bash'] as const;

/**
 * What a skipped block containing `curl` may name as its reason: something that is not on the
 * machine the tests run on. A block that only needs this service is run, never skipped.
 */
export const OUTSIDE_DEPENDENCIES: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'a Stripe account', pattern: /stripe account/i },
  { name: 'the Stripe CLI', pattern: /stripe cli/i },
  { name: 'Docker', pattern: /\bdocker\b/i },
  { name: 'EventStoreDB / KurrentDB', pattern: /eventstoredb|kurrentdb/i },
  { name: 'an SMTP server', pattern: /\bsmtp\b/i },
  { name: 'a deployed host', pattern: /deployed host|production host|remote host/i },
];

const MARKER = /^<!--\s*doc-test:\s*(.*?)\s*-->$/;
/** A fence that looks like a shell session but is not run: the curl in it would never be tested. */
const SHELL_LIKE_TAGS = new Set(['', 'shell', 'console', 'zsh', 'sh-session', 'shellsession']);
const COMMAND_LINE = /^\s*(\$\s+)?curl\s/;

interface Fence {
  indent: string;
  char: '`' | '~';
  length: number;
  tag: string;
  line: number;
}

/** Parses one Markdown document. `problems` is empty when every marker and tag is well-formed. */
export function parseDoc(markdown: string): ParsedDoc {
  const lines = markdown.split(/\r?\n/);
  const blocks: DocBlock[] = [];
  const problems: DocProblem[] = [];
  let open: Fence | null = null;
  let body: string[] = [];
  /** A marker waiting for the block that follows it, and its line. */
  let pending: { directive: string; line: number } | null = null;

  lines.forEach((text, index) => {
    const line = index + 1;
    if (open) {
      if (isClosingFence(text, open)) {
        finishBlock(open, body);
        open = null;
      } else body.push(text.startsWith(open.indent) ? text.slice(open.indent.length) : text);
      return;
    }
    const fence = /^(\s*)(`{3,}|~{3,})\s*([^\s`{]*)/.exec(text);
    if (fence) {
      open = {
        indent: fence[1],
        char: fence[2][0] as '`' | '~',
        length: fence[2].length,
        tag: fence[3].toLowerCase(),
        line,
      };
      body = [];
      return;
    }
    const marker = MARKER.exec(text.trim());
    if (marker) {
      if (pending) problems.push(notFollowed(pending.line));
      pending = { directive: marker[1], line };
      return;
    }
    if (text.trim() !== '' && pending) {
      problems.push(notFollowed(pending.line));
      pending = null;
    }
  });
  if (open) problems.push({ line: (open as Fence).line, message: 'code block never closed' });
  if (pending) problems.push(notFollowed((pending as { line: number }).line));
  return { blocks, problems };

  function finishBlock(fence: Fence, content: string[]): void {
    const marker = pending;
    pending = null;
    const code = content.join('\n');
    if (!(RUN_TAGS as readonly string[]).includes(fence.tag)) {
      if (marker) problems.push(notFollowed(marker.line));
      if (SHELL_LIKE_TAGS.has(fence.tag) && content.some((text) => COMMAND_LINE.test(text)))
        problems.push({
          line: fence.line,
          message: `a curl command in a block tagged "${fence.tag || '(none)'}": tag it sh or bash so that it is run (docs/development.md)`,
        });
      return;
    }
    const mode = marker ? modeOf(marker.directive, marker.line, code) : RUN_2XX;
    if (mode) blocks.push({ line: fence.line, code, mode });
  }

  function modeOf(directive: string, line: number, code: string): BlockMode | null {
    if (directive === 'expect 4xx') return { kind: 'run', expect: '4xx' };
    const skip = /^skip(?:\s+(.*))?$/.exec(directive);
    if (!skip) {
      problems.push({
        line,
        message: `unknown doc-test marker "${directive}": use "skip <reason>" or "expect 4xx"`,
      });
      return null;
    }
    const reason = (skip[1] ?? '').trim();
    if (!reason) {
      problems.push({ line, message: 'a skip needs a reason: <!-- doc-test: skip <reason> -->' });
      return null;
    }
    if (runsCurl(code) && !OUTSIDE_DEPENDENCIES.some((dep) => dep.pattern.test(reason)))
      problems.push({
        line,
        message: `a block with curl is skipped only when it needs something outside this machine; name it in the reason (one of: ${OUTSIDE_DEPENDENCIES.map((dep) => dep.name).join(', ')})`,
      });
    return { kind: 'skip', reason };
  }
}

const RUN_2XX: BlockMode = { kind: 'run', expect: '2xx' };

/** A curl outside `#` comment lines (a comment may show what to run next without running it). */
function runsCurl(code: string): boolean {
  return code.split('\n').some((text) => !/^\s*#/.test(text) && /\bcurl\b/.test(text));
}

function isClosingFence(text: string, fence: Fence): boolean {
  const match = /^\s*(`{3,}|~{3,})\s*$/.exec(text);
  return !!match && match[1][0] === fence.char && match[1].length >= fence.length;
}

function notFollowed(line: number): DocProblem {
  return { line, message: 'a doc-test marker must be the line right before a sh or bash block' };
}

/**
 * The block as run: `localhost:3000` (with or without `http://`) is the test instance. Only that
 * address is rewritten; the variables the docs set themselves (keys, ids) are left alone.
 */
export function retarget(code: string, baseUrl: string): string {
  const host = new URL(baseUrl).host;
  return code.replace(/localhost:3000\b/g, host);
}
