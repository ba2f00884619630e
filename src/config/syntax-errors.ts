import { visit, type Document, type LineCounter, type YAMLError } from 'yaml';
import type { RoutingError } from './routing-error';

const HINT = 'YAML syntax: check indentation, quotes and brackets here or just above';

/** The YAML parser's complaints, each on the line where the person should look. */
export function syntaxErrors(doc: Document, lines: LineCounter, file: string): RoutingError[] {
  return doc.errors.map((error) => {
    const opened = unclosedQuoteStart(doc, error);
    const line = lines.linePos(opened ?? error.pos[0]).line;
    return {
      file,
      line: line > 0 ? line : undefined,
      message: opened === undefined ? `${error.message} (${HINT})` : `${error.message}: the quote opened on this line is never closed`,
    };
  });
}

/**
 * A quote left open swallows the rest of the file, so the parser notices at the very end; the useful line is
 * where the quoted value starts.
 */
function unclosedQuoteStart(doc: Document, error: YAMLError): number | undefined {
  if (error.code !== 'MISSING_CHAR' || !error.message.includes('quote')) return undefined;
  const at = error.pos[0];
  let start: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      const range = node.range;
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      if (quoted && range && range[0] < at && at <= range[2] && (start === undefined || range[0] > start)) start = range[0];
    },
  });
  return start;
}
