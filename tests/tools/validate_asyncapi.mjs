// Validates an AsyncAPI document with the AsyncAPI project's own parser (@asyncapi/parser).
// Prints every diagnostic as a JSON line; exits 1 on any error.
import { Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';

const parser = new Parser();
const { document, diagnostics } = await parser.parse(readFileSync(process.argv[2], 'utf8'));
for (const d of diagnostics) {
  console.log(JSON.stringify({ severity: d.severity, code: d.code, message: d.message, path: d.path }));
}
const errors = diagnostics.filter((d) => d.severity === 0);
if (document) {
  console.log(JSON.stringify({ version: document.version(), channels: document.channels().length,
    messages: document.allMessages().length }));
}
process.exit(errors.length || !document ? 1 : 0);
