/**
 * The `lifeline-doctor` bin: parse arguments, diagnose, print, exit 0 (all layers work), 1 (a
 * layer is broken), 2 (bad usage) or 3 (the doctor itself failed). Expected failures print a sentence, never a stack trace.
 */
import { parseCliArgs, USAGE } from './args';
import { diagnose } from './diagnose';
import { formatJson, formatReport } from './report';

async function main(argv: readonly string[]): Promise<number> {
  const args = parseCliArgs(argv);
  if (args.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.kind === 'error') {
    process.stderr.write(`lifeline-doctor: ${args.message}\n\n${USAGE}\n`);
    return 2;
  }
  const diagnosis = await diagnose(args.options);
  process.stdout.write(`${args.json ? formatJson(diagnosis) : formatReport(diagnosis, { width: Math.max(80, process.stdout.columns ?? 100) })}\n`);
  return diagnosis.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Not an expected failure (those are findings): a bug in the doctor. Say so, briefly.
    process.stderr.write(`lifeline-doctor: unexpected error (a bug in the doctor, please report it): ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 3;
  },
);
