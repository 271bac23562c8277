// Views for the language feature tests: the whole engine run on fixture paths, with the
// file/URI mapping the server uses (file: URIs) and the disk as the documents' text.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyze } from '../../../server/src/analysis/analyze';
import { AnalysisSession } from '../../../server/src/analysis/session';
import { nodeFileSource } from '../../../server/src/common/fileSource';
import { loadKernelContext, type KernelOptions } from '../../../server/src/kernel/context';
import type { AnalysisView } from '../../../server/src/lsp/view';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { fixturePath } from '../../helpers/fixtures';

let parser: Promise<CParser> | undefined;

export async function makeView(paths: string[], kernelOptions: KernelOptions = {}): Promise<AnalysisView> {
  parser ??= CParser.create();
  const cParser = await parser;
  const kernel = await loadKernelContext(kernelOptions);
  const analysis = analyze({ paths, kernel, fs: nodeFileSource(), session: new AnalysisSession(cParser) });
  return {
    analysis,
    kernel,
    parser: cParser,
    toUri: (file) => pathToFileURL(file).href,
    toFile: (uri) => fileURLToPath(uri),
    readText(file) {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** The URI makeView's views give a file. */
export const uriOf = (file: string): string => pathToFileURL(file).href;

/** The kernel of the feature tests: cli's kallsyms and Module.symvers, the fake source tree of lsp/source. */
export const KERNEL: KernelOptions = { kernel: fixturePath('cli/kernel'), source: fixturePath('lsp/source') };

export const lspFixture = (...parts: string[]): string => fixturePath('lsp', ...parts);
export const cliSeries = (...parts: string[]): string => fixturePath('cli/series', ...parts);

/** The whole of any fixture file. */
export const WHOLE = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };
