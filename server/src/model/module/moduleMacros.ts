// What a module says about itself through macros: MODULE_INFO(livepatch, ...), EXPORT_SYMBOL*,
// module_param*.
import type { Location } from '../../common/range';
import type { ExportDeclaration } from '../livepatch';
import type { LineIndex } from '../../syntax/lineIndex';
import { findMacroCalls, type MacroCall } from '../../syntax/macroCalls';
import type { SyntaxNode } from '../../syntax/treeSitter';

export interface ModuleMacros {
  /** A `livepatch` modinfo entry is present. */
  livepatchModinfo: boolean;
  /** MODULE_INFO(livepatch, ...) when present; otherwise where to add it. */
  modinfoLocation: Location;
  exports: ExportDeclaration[];
  /** Variables that are module parameters: variable -> parameter name. */
  params: Map<string, string>;
}

const EXPORT_MACRO = /^EXPORT_(UNUSED_)?SYMBOL\w*$/;
const PARAM_MACRO = /^module_param(_named|_array|_array_named|_string|_unsafe|_named_unsafe)?$/;
/** The module's own description lines, after which a new MODULE_INFO reads naturally. */
const DESCRIPTION_MACRO = /^MODULE_(LICENSE|AUTHOR|DESCRIPTION|INFO|VERSION|ALIAS|SOFTDEP|IMPORT_NS|FIRMWARE)$/;

export function readModuleMacros(file: string, root: SyntaxNode, text: string, lines: LineIndex): ModuleMacros {
  const calls = findMacroCalls(root, text, (n) => n === 'MODULE_INFO' || EXPORT_MACRO.test(n) || PARAM_MACRO.test(n) || DESCRIPTION_MACRO.test(n));
  const at = (call: MacroCall) => lines.location(file, call.start, call.end);

  // kernel/module/main.c check_modinfo_livepatch(): any value of the `livepatch` key marks
  // the module (mod->klp), which klp_enable_patch() checks with is_livepatch_module().
  const modinfo = calls.find((c) => c.name === 'MODULE_INFO' && c.args[0]?.text === 'livepatch');
  const lastDescription = calls.filter((c) => DESCRIPTION_MACRO.test(c.name)).at(-1);
  const insertAt = lastDescription?.end ?? text.length;

  const exports = calls
    .filter((c) => EXPORT_MACRO.test(c.name) && /^\w+$/.test(c.args[0]?.text ?? ''))
    .map((c) => ({ name: c.args[0].text, macro: c.name, location: at(c) }));

  const params = new Map<string, string>();
  for (const c of calls.filter((c) => PARAM_MACRO.test(c.name))) {
    // module_param(var, ...); module_param_named(name, var, ...); module_param_string(name, var, ...)
    const variable = c.args[/named|string/.test(c.name) ? 1 : 0]?.text;
    if (variable && /^\w+$/.test(variable)) params.set(variable, c.args[0].text);
  }

  return {
    livepatchModinfo: modinfo !== undefined,
    modinfoLocation: modinfo ? at(modinfo) : lines.location(file, insertAt, insertAt),
    exports,
    params,
  };
}
