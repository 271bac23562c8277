// Reads the klp_patch of a hand-written livepatch module and everything it points to
// (klp_object, klp_func and klp_state arrays), as klp_enable_patch() will walk them.
import { problem, type Problem, type Severity } from '../../common/problem';
import { FILE_START, lineRange, location, type Location } from '../../common/range';
import type { KlpArrayDeclaration, LeftOutFunction, PatchedFunction, PatchObject, PatchState } from '../livepatch';
import type { Region } from '../../syntax/cConditions';
import { evaluateConstant } from '../../syntax/cConstants';
import type { MacroTable } from '../../syntax/cMacros';
import type { FileScope } from '../../syntax/cGlobals';
import { arrayElements, isZeroValue, structFields, type ArrayElement, type FieldInit } from '../../syntax/cInitializers';
import { endLocation, namedChildren, nodeLocation, unwrapExpression, walk } from '../../syntax/cNodes';
import { stringConstant } from '../../syntax/cStrings';
import { findKlpVariables, klpStructOf, variablesByName, type KlpStruct, type KlpVariable } from '../../syntax/klpVariables';
import type { SyntaxNode } from '../../syntax/treeSitter';

const ASSIGNMENTS: ReadonlySet<string> = new Set(['assignment_expression']);

// Field order of the structures (include/linux/livepatch.h), for positional initializers.
const FUNC_FIELDS = ['old_name', 'new_func', 'old_sympos'];
const OBJECT_FIELDS = ['name', 'funcs', 'callbacks'];
const CALLBACK_FIELDS = ['pre_patch', 'post_patch', 'pre_unpatch', 'post_unpatch', 'post_unpatch_enabled'];
const STATE_FIELDS = ['id', 'version', 'data'];
const PATCH_FIELDS = ['mod', 'objs', 'states', 'replace'];

type ArrayStruct = Exclude<KlpStruct, 'klp_patch'>;

const FIELDS: Record<ArrayStruct, string[]> = { klp_func: FUNC_FIELDS, klp_object: OBJECT_FIELDS, klp_state: STATE_FIELDS };

// The fields whose all being zero ends the walk: include/linux/livepatch.h
// klp_for_each_func_static() and klp_for_each_object_static(), kernel/livepatch/state.c
// klp_for_each_state().
const TERMINATOR_FIELDS: Record<ArrayStruct, string[]> = {
  klp_func: ['old_name', 'new_func', 'old_sympos'],
  klp_object: ['funcs', 'name'],
  klp_state: ['id'],
};

export interface KlpStructures {
  location: Location;
  replace: boolean;
  replaceLocation?: Location;
  objects: PatchObject[];
  states: PatchState[];
  arrays: KlpArrayDeclaration[];
  /** The klp_funcs the target does not compile (an element of an array, or its object's, on a false #if branch). */
  leftOut: LeftOutFunction[];
}

export interface StructureInput {
  file: string;
  root: SyntaxNode;
  macros: MacroTable;
  scope: FileScope;
  /** Module parameters: variable -> parameter name. */
  params: Map<string, string>;
  problems: Problem[];
}

interface ResolvedArray {
  declaration: KlpArrayDeclaration;
  /** The elements the kernel walks: those before the terminator. */
  elements: ArrayElement[];
  /** The elements on #if branches the target does not compile, with the line that leaves each out. */
  compiledOut: Array<{ element: ArrayElement; directive: NonNullable<Region['directive']> }>;
}

type ArrayValue = ResolvedArray | 'null' | 'unreadable';

export function readKlpStructures(input: StructureInput): KlpStructures {
  return new StructureReader(input).read();
}

class StructureReader {
  private readonly variables: Map<string, KlpVariable>;
  private readonly allVariables: KlpVariable[];
  private readonly arrays = new Map<number, ResolvedArray>();
  private readonly leftOut: LeftOutFunction[] = [];
  /** While reading what the target does not compile: its problems are not the module's. */
  private quiet = false;

  constructor(private readonly input: StructureInput) {
    this.allVariables = findKlpVariables(input.root, input.macros.objectLike);
    this.variables = variablesByName(this.allVariables);
  }

  read(): KlpStructures {
    const patches = [...this.variables.values()].filter((v) => v.struct === 'klp_patch' && !v.isPointer && !v.isArray);
    const patch = patches.find((p) => p.initializer) ?? patches[0];
    let result: KlpStructures = { location: { file: this.input.file, range: FILE_START }, replace: false, objects: [], states: [], arrays: [], leftOut: [] };
    if (!patch) {
      this.note({ file: this.input.file, range: FILE_START }, 'no struct klp_patch defined in this file: klp-lens sees no livepatch here');
    } else {
      if (patches.filter((p) => p.initializer).length > 1) this.note(patch.declaration, `several struct klp_patch definitions: klp-lens reads \`${patch.name}\``);
      result = this.readPatch(patch);
    }
    // Arrays no patch points to still get their terminator checked.
    for (const v of this.allVariables) {
      if (v.struct !== 'klp_patch' && v.isArray && v.initializer) this.resolveVariable(v, v.struct);
    }
    result.arrays = [...this.arrays.values()].map((a) => a.declaration).sort((a, b) => compareLocations(a.location, b.location));
    result.leftOut = this.leftOut;
    return result;
  }

  private readPatch(patch: KlpVariable): KlpStructures {
    const fields = patch.initializer ? structFields(patch.initializer, PATCH_FIELDS) : new Map<string, FieldInit>();
    const assigned = this.runtimeAssignments(patch.name);
    const field = (name: string): FieldInit | undefined => assigned.get(name)?.[0] ?? fields.get(name);

    const objects: PatchObject[] = [];
    const objs = field('objs');
    if (objs) {
      const array = this.resolveArray(objs.value, 'klp_object');
      if (array === 'unreadable') this.note(objs.value, `cannot read the objects of this patch (\`${short(objs.value.text)}\`, e.g. built at run time): klp-lens sees none`);
      else if (array !== 'null') {
        for (const el of array.elements) pushDefined(objects, this.readObject(el));
        // An object the target does not compile: none of its functions is patched.
        for (const { element, directive } of array.compiledOut) {
          for (const f of this.quietly(() => this.readObject(element))?.funcs ?? []) this.leaveOut(f, directive);
        }
      }
    }

    const states: PatchState[] = [];
    const stateField = field('states');
    if (stateField) {
      const array = this.resolveArray(stateField.value, 'klp_state');
      if (array === 'unreadable') this.note(stateField.value, `cannot read the states of this patch (\`${short(stateField.value.text)}\`): klp-lens sees none`);
      else if (array !== 'null') for (const el of array.elements) pushDefined(states, this.readState(el));
    }

    const replace = this.readReplace(assigned.get('replace') ?? (fields.has('replace') ? [fields.get('replace')!] : []));
    return {
      location: nodeLocation(this.input.file, patch.declaration),
      replace: replace?.value ?? false,
      replaceLocation: replace?.location ?? nodeLocation(this.input.file, patch.initializer ?? patch.declaration),
      objects,
      states,
      arrays: [],
      leftOut: [],
    };
  }

  /** `patch.field = value` / `patch->field = value` statements (e.g. `patch.replace = replace;` in module_init). */
  private runtimeAssignments(patchName: string): Map<string, FieldInit[]> {
    const out = new Map<string, FieldInit[]>();
    for (const fn of this.input.scope.functions) {
      walk(fn, ASSIGNMENTS, (node) => {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const target = left?.type === 'field_expression' ? left.childForFieldName('argument') : null;
        const fieldName = left?.childForFieldName('field')?.text;
        if (right && fieldName && target && unwrapExpression(target).text.replace(/^&/, '') === patchName) {
          out.set(fieldName, [...(out.get(fieldName) ?? []), { node, value: right }]);
        }
      });
    }
    return out;
  }

  private readReplace(writes: FieldInit[]): { value: boolean; location: Location } | undefined {
    if (writes.length === 0) return undefined;
    const values = writes.map((w) => this.booleanValue(w.value));
    const first = writes[0];
    const location = nodeLocation(this.input.file, first.node);
    if (values.some((v) => v === undefined)) {
      const unknown = writes[values.indexOf(undefined)];
      this.note(unknown.value, `cannot tell whether replace is true (\`${short(unknown.value.text)}\`): klp-lens assumes false`);
      return { value: false, location };
    }
    if (new Set(values).size > 1) this.note(first.node, `replace is set to different values in several places (e.g. under #ifdef): klp-lens uses the first, ${values[0]}`);
    return { value: values[0]!, location };
  }

  /** A boolean initializer: a constant, or a file-scope variable's initial value (noting module parameters). */
  private booleanValue(value: SyntaxNode): boolean | undefined {
    const constant = evaluateConstant(value.text, this.input.macros.objectLike);
    if (constant !== undefined) return constant !== 0;
    const inner = unwrapExpression(value);
    const variable = inner.type === 'identifier' ? this.input.scope.variables.get(inner.text) : undefined;
    if (!variable) return undefined;
    const initial = variable.initializer ? evaluateConstant(variable.initializer.text, this.input.macros.objectLike) : 0;
    if (initial === undefined) return undefined;
    const param = this.input.params.get(variable.name);
    if (param !== undefined) {
      this.note(
        value,
        `replace comes from the module parameter \`${param}\`: klp-lens uses its default, ${initial !== 0} (load with ${param}=${initial !== 0 ? 0 : 1} for the other behaviour)`,
      );
    }
    return initial !== 0;
  }

  private readObject(el: ArrayElement): PatchObject | undefined {
    if (el.value.type !== 'initializer_list') {
      this.note(el.node, `cannot read this klp_object (\`${short(el.node.text)}\`): klp-lens leaves it out`);
      return undefined;
    }
    const fields = structFields(el.value, OBJECT_FIELDS);
    const nameInit = fields.get('name');
    let declaredName: string | null = null;
    if (nameInit && !isZeroValue(nameInit.value, this.input.macros.objectLike)) {
      const name = stringConstant(nameInit.value, this.input.macros);
      if (name === undefined) {
        this.note(nameInit.value, `cannot read the object name \`${short(nameInit.value.text)}\`: klp-lens leaves this object out`);
        return undefined;
      }
      declaredName = name;
    }
    const object = declaredName ?? 'vmlinux';
    const funcsInit = fields.get('funcs');
    const funcs = funcsInit ? this.resolveArray(funcsInit.value, 'klp_func') : 'null';
    if (funcs === 'unreadable') this.note(funcsInit!.value, `cannot read the functions of object ${object} (\`${short(funcsInit!.value.text)}\`): klp-lens sees none`);
    const resolved = typeof funcs === 'object' ? funcs : undefined;
    return {
      declaredName,
      object,
      location: nodeLocation(this.input.file, el.node),
      ...(nameInit ? { nameLocation: nodeLocation(this.input.file, nameInit.value) } : {}),
      funcs: resolved ? this.functionsOf(resolved, object) : [],
      hasFuncs: funcs !== 'null',
      ...(resolved ? { funcsTerminated: resolved.declaration.terminated } : {}),
      callbacks: this.callbacks(fields),
    };
  }

  private callbacks(fields: Map<string, FieldInit>): string[] {
    const nested = fields.get('callbacks');
    const inner = nested?.value.type === 'initializer_list' ? structFields(nested.value, CALLBACK_FIELDS) : new Map<string, FieldInit>();
    return CALLBACK_FIELDS.slice(0, 4).filter((name) => {
      const set = inner.get(name) ?? fields.get(`callbacks.${name}`);
      return set !== undefined && !isZeroValue(set.value, this.input.macros.objectLike);
    });
  }

  /** The functions of a klp_func array the target compiles; the others are left out, and said. */
  private functionsOf(array: ResolvedArray, object: string): PatchedFunction[] {
    for (const { element, directive } of array.compiledOut) {
      const f = this.quietly(() => this.readFunction(element, object));
      if (f) this.leaveOut(f, directive);
    }
    return array.elements.flatMap((f) => this.readFunction(f, object) ?? []);
  }

  private leaveOut(f: PatchedFunction, directive: NonNullable<Region['directive']>): void {
    this.leftOut.push({ function: f, condition: directive.text, conditionLocation: location(this.input.file, lineRange(directive.line, directive.text.length)) });
  }

  private quietly<T>(read: () => T): T {
    const was = this.quiet;
    this.quiet = true;
    try {
      return read();
    } finally {
      this.quiet = was;
    }
  }

  private readFunction(el: ArrayElement, object: string): PatchedFunction | undefined {
    if (el.value.type !== 'initializer_list') {
      this.note(el.node, `cannot read this klp_func (\`${short(el.node.text)}\`): klp-lens leaves it out`);
      return undefined;
    }
    const fields = structFields(el.value, FUNC_FIELDS);
    const oldName = fields.get('old_name');
    if (!oldName || isZeroValue(oldName.value, this.input.macros.objectLike)) {
      // kernel/livepatch/core.c klp_init_func(): a func without old_name makes klp_enable_patch() fail.
      this.note(el.node, 'this klp_func has no .old_name: klp_init_func() refuses it and klp_enable_patch() fails with -EINVAL', 'warning');
      return undefined;
    }
    const name = stringConstant(oldName.value, this.input.macros);
    if (name === undefined) {
      this.note(oldName.value, `cannot read the function name \`${short(oldName.value.text)}\`: klp-lens leaves this klp_func out`);
      return undefined;
    }
    const symposInit = fields.get('old_sympos');
    let sympos = 0;
    if (symposInit) {
      const value = evaluateConstant(symposInit.value.text, this.input.macros.objectLike);
      if (value === undefined) this.note(symposInit.value, `cannot read .old_sympos \`${short(symposInit.value.text)}\`: klp-lens assumes 0`);
      sympos = value ?? 0;
    }
    const newFunc = fields.get('new_func');
    let target = newFunc ? unwrapExpression(newFunc.value) : undefined;
    if (target?.type === 'pointer_expression') target = target.childForFieldName('argument') ?? undefined;
    const newFuncName = target?.type === 'identifier' ? target.text : undefined;
    return {
      object,
      name,
      sympos,
      ...(newFuncName ? { newFunc: newFuncName } : {}),
      location: nodeLocation(this.input.file, el.node),
      nameLocation: nodeLocation(this.input.file, oldName.value),
      ...(symposInit ? { symposLocation: nodeLocation(this.input.file, symposInit.node) } : {}),
    };
  }

  private readState(el: ArrayElement): PatchState | undefined {
    if (el.value.type !== 'initializer_list') {
      this.note(el.node, `cannot read this klp_state (\`${short(el.node.text)}\`): klp-lens leaves it out`);
      return undefined;
    }
    const fields = structFields(el.value, STATE_FIELDS);
    const [id, version] = ['id', 'version'].map((name) => {
      const init = fields.get(name);
      return init ? evaluateConstant(init.value.text, this.input.macros.objectLike) : 0;
    });
    if (id === undefined || version === undefined) {
      const unreadable = fields.get(id === undefined ? 'id' : 'version')!.value;
      this.note(unreadable, `cannot read the state's ${id === undefined ? 'id' : 'version'} \`${short(unreadable.text)}\`: klp-lens leaves this state out`);
      return undefined;
    }
    return { id, version, location: nodeLocation(this.input.file, el.node) };
  }

  /** What a `.objs` / `.funcs` / `.states` value points to. */
  private resolveArray(value: SyntaxNode, struct: ArrayStruct): ArrayValue {
    const inner = unwrapExpression(value);
    if (isZeroValue(inner, this.input.macros.objectLike)) return 'null';
    if (inner.type === 'compound_literal_expression') {
      const type = inner.childForFieldName('type')?.childForFieldName('type') ?? null;
      const list = inner.childForFieldName('value');
      if (klpStructOf(type) !== struct || list?.type !== 'initializer_list') return 'unreadable';
      const isArray = inner.childForFieldName('type')?.childForFieldName('declarator')?.type === 'abstract_array_declarator';
      return this.resolveList(list, struct, '', !isArray);
    }
    let name = inner;
    if (inner.type === 'pointer_expression') {
      const argument = inner.childForFieldName('argument');
      // `&arr[0]` is the array; `&obj` a single struct.
      name = argument?.type === 'subscript_expression' ? (argument.childForFieldName('argument') ?? argument) : (argument ?? inner);
    }
    const variable = name.type === 'identifier' ? this.variables.get(name.text) : undefined;
    if (!variable || variable.struct !== struct || variable.isPointer || !variable.initializer) return 'unreadable';
    return this.resolveVariable(variable, struct);
  }

  private resolveVariable(variable: KlpVariable, struct: ArrayStruct): ResolvedArray {
    return this.resolveList(variable.initializer!, struct, variable.name, !variable.isArray, variable.size);
  }

  private resolveList(list: SyntaxNode, struct: ArrayStruct, name: string, single: boolean, size?: number): ResolvedArray {
    const known = this.arrays.get(list.startIndex);
    if (known) return known;
    const written = single ? [{ node: list, value: list }] : arrayElements(list);
    // The elements on #if branches the target does not compile are not in its array (an array
    // itself on such a branch, the funcs of an object left out, is read as written).
    const compiled = this.input.macros.compiled;
    const filtered = !single && compiled !== undefined && compiled(list.startPosition.row).truth !== false;
    const compiledOut: ResolvedArray['compiledOut'] = [];
    const all = written.filter((element) => {
      const region = filtered ? compiled(element.node.startPosition.row) : undefined;
      if (region?.truth !== false) return true;
      compiledOut.push({ element, directive: region.directive! });
      return false;
    });
    const end = single ? -1 : all.findIndex((el) => this.isTerminator(el, struct));
    const elements = end < 0 ? all : all.slice(0, end);
    if (end >= 0 && end < all.length - 1) {
      this.note(all[end + 1].node, `this element comes after the array's empty terminator: the kernel never sees it`);
    }
    const last = all.at(-1);
    const declaration: KlpArrayDeclaration = {
      struct,
      name,
      location: nodeLocation(this.input.file, list),
      terminatorLocation: last ? endLocation(this.input.file, last.node) : afterOpeningBrace(this.input.file, list),
      terminatorText: last ? ', { }' : '{ }',
      ...(single ? { single: true, terminated: false } : { terminated: this.terminated(list, all, end, size) }),
    };
    const resolved = { declaration, elements, compiledOut };
    this.arrays.set(list.startIndex, resolved);
    return resolved;
  }

  private terminated(list: SyntaxNode, all: ArrayElement[], end: number, size: number | undefined): boolean | undefined {
    if (end >= 0) return true;
    // A declared size larger than the elements written leaves zeroed elements at the end.
    if (size !== undefined && size > all.length) return true;
    const unreadable = all.some((el) => el.value.type !== 'initializer_list') || namedChildren(list).some((c) => c.type === 'ERROR' && !c.text.trimStart().startsWith('#'));
    return unreadable ? undefined : false;
  }

  private isTerminator(el: ArrayElement, struct: ArrayStruct): boolean {
    if (el.value.type !== 'initializer_list') return false;
    const fields = structFields(el.value, FIELDS[struct]);
    return TERMINATOR_FIELDS[struct].every((f) => isZeroValue(fields.get(f)?.value, this.input.macros.objectLike));
  }

  private note(at: SyntaxNode | Location, message: string, severity: Severity = 'information'): void {
    if (this.quiet) return;
    const location = 'file' in at ? at : nodeLocation(this.input.file, at);
    this.input.problems.push(problem('parse-error', severity, location, message));
  }
}

function afterOpeningBrace(file: string, list: SyntaxNode): Location {
  const open = list.child(0);
  return open ? endLocation(file, open) : nodeLocation(file, list);
}

function pushDefined<T>(out: T[], value: T | undefined): void {
  if (value !== undefined) out.push(value);
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

function compareLocations(a: Location, b: Location): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
