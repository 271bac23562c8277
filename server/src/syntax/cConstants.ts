// Integer constant expressions as a livepatch module writes them (`.id = CONSOLE_LOGLEVEL_STATE`,
// `.old_sympos = 2`, `.replace = true`), with the module's own object-like #defines resolved.
// Anything else (casts, sizeof, function-like macros, macros from headers) is "unknown".

/** Object-like #defines of one file: name -> the replacement text of each definition. */
export type Defines = Map<string, string[]>;

/** The single replacement text of an object-like macro; undefined when absent or defined differently in several places. */
export function defineText(defines: Defines, name: string): string | undefined {
  const texts = defines.get(name);
  if (!texts) return undefined;
  const unique = new Set(texts.map((t) => stripComments(t).trim()));
  return unique.size === 1 ? [...unique][0] : undefined;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, ' ');
}

/** Identifiers that are constants in kernel C without a #define in the module itself. */
const KNOWN_CONSTANTS: Record<string, bigint> = { true: 1n, false: 0n, NULL: 0n };

const MAX_DEPTH = 64;

/** The value of an integer constant expression, or undefined when it cannot be known from this file. */
export function evaluateConstant(text: string, defines: Defines): number | undefined {
  const value = new Evaluator(defines).evaluate(text, 0);
  return value === undefined ? undefined : Number(value);
}

type Token = { kind: 'num'; value: bigint } | { kind: 'id'; name: string } | { kind: 'op'; op: string };

const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6,
  '<': 7, '>': 7, '<=': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

/** Values beyond this are treated as unknown (no kernel constant is that large; it bounds BigInt growth). */
const LIMIT = 1n << 128n;

class Evaluator {
  /** Values of the macros met so far; null while one is being evaluated (a cycle reads as unknown). */
  private readonly memo = new Map<string, bigint | undefined | null>();

  constructor(private readonly defines: Defines) {}

  evaluate(text: string, depth: number): bigint | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const tokens = tokenize(stripComments(text));
    if (!tokens || tokens.length === 0) return undefined;
    const parser = new ExpressionParser(tokens, (name) => this.identifier(name, depth));
    const value = parser.parseExpression(0);
    return parser.atEnd() ? value : undefined;
  }

  private identifier(name: string, depth: number): bigint | undefined {
    if (this.memo.has(name)) return this.memo.get(name) ?? undefined;
    const text = defineText(this.defines, name);
    if (text === undefined) return KNOWN_CONSTANTS[name];
    this.memo.set(name, null);
    const value = this.evaluate(text, depth + 1);
    this.memo.set(name, value);
    return value;
  }
}

function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  const re = /\s*(?:(0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)[uUlL]*|([A-Za-z_]\w*)|(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%()~!<>&|^?:]))/y;
  const end = text.trimEnd().length;
  let index = 0;
  while (index < end) {
    re.lastIndex = index;
    const m = re.exec(text);
    if (!m) return undefined;
    index = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: parseInteger(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: 'id', name: m[2] });
    else tokens.push({ kind: 'op', op: m[3] });
  }
  return tokens;
}

function parseInteger(digits: string): bigint {
  if (/^0[0-7]+$/.test(digits)) return BigInt('0o' + digits.slice(1));
  return BigInt(digits);
}

/** Precedence climbing over the tokens; any unsupported construct yields undefined. */
class ExpressionParser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly identifier: (name: string) => bigint | undefined,
  ) {}

  atEnd(): boolean {
    return this.pos === this.tokens.length;
  }

  parseExpression(minPrecedence: number): bigint | undefined {
    if (++this.depth > MAX_DEPTH) return undefined;
    try {
      let left = this.parseUnary();
      for (;;) {
        const token = this.tokens[this.pos];
        if (left === undefined || !token || token.kind !== 'op') return left;
        if (token.op === '?' && minPrecedence === 0) {
          this.pos++;
          const whenTrue = this.parseExpression(0);
          if (!this.take(':')) return undefined;
          const whenFalse = this.parseExpression(0);
          if (whenTrue === undefined || whenFalse === undefined) return undefined;
          left = left !== 0n ? whenTrue : whenFalse;
          continue;
        }
        const precedence = BINARY_PRECEDENCE[token.op];
        if (precedence === undefined || precedence <= minPrecedence) return left;
        this.pos++;
        const right = this.parseExpression(precedence);
        if (right === undefined) return undefined;
        left = bounded(applyBinary(token.op, left, right));
      }
    } finally {
      this.depth--;
    }
  }

  private parseUnary(): bigint | undefined {
    const token = this.tokens[this.pos++];
    if (!token) return undefined;
    if (token.kind === 'num') return bounded(token.value);
    if (token.kind === 'id') return this.identifier(token.name);
    if (token.op === '(') {
      const inner = this.parseExpression(0);
      return this.take(')') ? inner : undefined;
    }
    const operand = ['-', '+', '~', '!'].includes(token.op) ? this.parseUnary() : undefined;
    if (operand === undefined) return undefined;
    if (token.op === '-') return bounded(-operand);
    if (token.op === '~') return bounded(~operand);
    if (token.op === '!') return operand === 0n ? 1n : 0n;
    return operand;
  }

  private take(op: string): boolean {
    const token = this.tokens[this.pos];
    if (token?.kind !== 'op' || token.op !== op) return false;
    this.pos++;
    return true;
  }
}

function bounded(value: bigint | undefined): bigint | undefined {
  return value !== undefined && value < LIMIT && value > -LIMIT ? value : undefined;
}

function applyBinary(op: string, a: bigint, b: bigint): bigint | undefined {
  const bool = (v: boolean) => (v ? 1n : 0n);
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0n ? undefined : a / b;
    case '%': return b === 0n ? undefined : a % b;
    case '<<': return b < 0n || b > 64n ? undefined : a << b;
    case '>>': return b < 0n || b > 64n ? undefined : a >> b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '&&': return bool(a !== 0n && b !== 0n);
    case '||': return bool(a !== 0n || b !== 0n);
    case '==': return bool(a === b);
    case '!=': return bool(a !== b);
    case '<': return bool(a < b);
    case '>': return bool(a > b);
    case '<=': return bool(a <= b);
    case '>=': return bool(a >= b);
    default: return undefined;
  }
}
