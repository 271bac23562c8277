// package.json's extension manifest against the client's code: commands, views,
// languages, grammars, activation and workspace trust.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../../package.json';
import { COMMANDS, registerCommands, type CommandName } from '../../../client/src/commands';
import { PROBLEM_MATCHER, SERIES_VIEW_ID, TASK_TYPE, VIEW_CONTAINER_ID } from '../../../client/src/ids';
import { LANGUAGES } from '../../../client/src/selector';
import { SETTINGS_SCHEMA } from '../../../server/src/lsp/settings';

const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const contributes = pkg.contributes;

describe('extension manifest', () => {
  it('contributes exactly the commands the code registers, each with a title', () => {
    expect(contributes.commands.map((c) => c.command).sort()).toEqual(Object.values(COMMANDS).sort());
    for (const c of contributes.commands) {
      expect(c.title.length).toBeGreaterThan(3);
      expect(c.category).toBe('Livepatch Lens');
    }
  });

  it('registers a handler for every command, once', () => {
    const registered: string[] = [];
    const handlers = Object.fromEntries(Object.keys(COMMANDS).map((name) => [name, () => name])) as Record<CommandName, () => string>;
    registerCommands((id) => registered.push(id), handlers);
    expect(registered.sort()).toEqual(Object.values(COMMANDS).sort());
    const extension = read('client/src/extension.ts');
    expect(extension).toMatch(/registerCommands\(\(id, handler\) => vscode\.commands\.registerCommand\(id, handler\)/);
  });

  it('names only contributed commands in menus and welcome links', () => {
    const commands = new Set<string>(Object.values(COMMANDS));
    for (const item of contributes.menus['view/title']) {
      expect(commands.has(item.command)).toBe(true);
      expect(item.when).toBe(`view == ${SERIES_VIEW_ID}`);
    }
    for (const welcome of contributes.viewsWelcome) {
      for (const m of welcome.contents.matchAll(/\(command:([\w.]+)\)/g)) expect(commands.has(m[1])).toBe(true);
    }
  });

  it('puts the series view in its own activity bar container with an SVG icon', () => {
    const [container] = contributes.viewsContainers.activitybar;
    expect(container).toMatchObject({ id: VIEW_CONTAINER_ID, title: 'Livepatch Lens' });
    expect(read(container.icon)).toMatch(/^<svg [^>]*viewBox="0 0 24 24"/);
    expect(contributes.views[VIEW_CONTAINER_ID as 'klpLens'].map((v) => v.id)).toEqual([SERIES_VIEW_ID]);
    expect(contributes.viewsWelcome[0].view).toBe(SERIES_VIEW_ID);
  });

  it('contributes the series language and both grammars, whose files exist', () => {
    const [series] = contributes.languages;
    expect(series).toMatchObject({ id: 'klp-series', filenames: ['series'], extensions: ['.series'] });
    expect(JSON.parse(read(series.configuration)).comments.lineComment).toBe('#');
    for (const grammar of contributes.grammars) {
      expect(existsSync(path.join(ROOT, grammar.path))).toBe(true);
      expect(JSON.parse(read(grammar.path)).scopeName).toBe(grammar.scopeName);
    }
    expect(contributes.grammars.find((g) => 'injectTo' in g)?.injectTo).toEqual(['source.diff']);
  });

  it('activates on every language the client serves, on livepatch workspaces, the view and the commands', () => {
    const events = pkg.activationEvents;
    for (const language of LANGUAGES) expect(events).toContain(`onLanguage:${language}`);
    expect(events).toEqual(expect.arrayContaining(['workspaceContains:**/series', 'workspaceContains:**/*.patch', `onView:${SERIES_VIEW_ID}`]));
    for (const id of Object.values(COMMANDS)) expect(events).toContain(`onCommand:${id}`);
  });

  it('contributes the klp-lens task type, activates on it, and the problem matcher its tasks name', () => {
    expect(contributes.taskDefinitions.map((d) => [d.type, d.required, d.properties.task.enum])).toEqual([[TASK_TYPE, ['task', 'file'], ['build']]]);
    expect(pkg.activationEvents).toContain(`onTaskType:${TASK_TYPE}`);
    expect(contributes.problemMatchers.map((m) => [m.name, m.owner])).toEqual([[PROBLEM_MATCHER, 'klp-lens']]);
    expect(read('client/src/extension.ts')).toContain("registerBuildTasks(context.asAbsolutePath('dist/cli.js'))");
  });

  it('bundles the client as the manifest says', () => {
    expect(pkg.main).toBe('./dist/client.js');
    const build = read('scripts/build.mjs');
    expect(build).toContain("client: 'client/src/extension.ts'");
    expect(build).toContain("external: ['vscode']");
  });

  it('supports untrusted workspaces in a limited, read-only way', () => {
    const trust = pkg.capabilities.untrustedWorkspaces;
    expect(trust.supported).toBe('limited');
    expect(trust.description).toMatch(/only reads files and runs no program/);
    for (const key of trust.restrictedConfigurations) expect(Object.keys(SETTINGS_SCHEMA)).toContain(key);
    expect(trust.restrictedConfigurations).toContain('klpLens.kernel.buildDir');
    // No setting names a program to run, and the server is the extension's own bundle.
    for (const key of Object.keys(SETTINGS_SCHEMA)) expect(key).not.toMatch(/command|executable|program|binary|shell|path$/i);
    const client = read('client/src/languageClient.ts');
    expect(client).toContain("context.asAbsolutePath('dist/server.js')");
    expect(client).not.toContain('getConfiguration');
  });
});
