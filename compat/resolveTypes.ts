/**
 * For the compat projects' `types.test.ts`: resolves a module the way tsc does with a given
 * tsconfig and names the package (and version) its declarations land in, so a test can prove
 * that the typecheck really runs against the pinned old framework.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

function packageOf(file: string): { name: string; version: string } {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name && pkg.version) return { name: pkg.name, version: pkg.version };
    } catch {
      /* no package.json here */
    }
  }
  throw new Error(`no package.json above ${file}`);
}

export interface TypesResolver {
  /** The declaration file tsc picks for `name` imported from `from`; throws when there is none. */
  file(name: string, from: string): string;
  /** `"<name> → <package>@<version cut to `parts` numbers>"` for the declaration file `file`. */
  describe(name: string, file: string, parts: number): string;
}

/** Parses `tsconfig` (throwing on any diagnostic) and resolves with its options. */
export function typesResolver(tsconfig: string, project: string): TypesResolver {
  const config = ts.getParsedCommandLineOfConfigFile(tsconfig, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!config || config.errors.length) throw new Error(`${tsconfig}: ${config?.errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n')).join('; ')}`);
  return {
    file(name, from) {
      const file = ts.resolveModuleName(name, from, config.options, ts.sys).resolvedModule?.resolvedFileName;
      if (!file) throw new Error(`tsc cannot resolve '${name}' with ${project}/tsconfig.json; run npx -y pnpm@10 install`);
      return file;
    },
    describe(name, file, parts) {
      const { name: pkg, version } = packageOf(file);
      return `${name} → ${pkg}@${version.split('.').slice(0, parts).join('.')}`;
    },
  };
}
