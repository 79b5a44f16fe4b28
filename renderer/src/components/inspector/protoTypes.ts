/**
 * Message type names declared in a .proto file, fully qualified, for the type picker. A light scan
 * (not a parser): the engine compiles the schema; this only offers names to choose from.
 */
export function protoMessageTypes(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const pkg = /\bpackage\s+([\w.]+)\s*;/.exec(text)?.[1];
  const names: string[] = [];
  const stack: (string | null)[] = [];
  const token = /\b(message)\s+(\w+)\s*\{|\{|\}/g;
  for (let m = token.exec(text); m !== null; m = token.exec(text)) {
    if (m[1] === 'message' && m[2]) {
      const outer = stack.filter((s): s is string => s !== null);
      const name = [...outer, m[2]].join('.');
      names.push(pkg ? `${pkg}.${name}` : name);
      stack.push(m[2]);
    } else if (m[0] === '{') stack.push(null);
    else stack.pop();
  }
  return names;
}
