// The parser moved to src/ (exported by the package, for `runometer check`); this path stays for imports not yet moved.
export { parseLine, parseLines, type ParsedLine, type ParsedValue } from '../src/parse-line-protocol.js';
