// WGSL generators for summing one vec4 per invocation over a workgroup: with `subgroups` a single
// `subgroupAdd` when the workgroup is exactly one subgroup (the adapter reports one fixed subgroup size and
// the workgroup has that many invocations: no workgroup memory, no barrier), else a tree in workgroup memory.

export interface WorkgroupSum {
  /** `enable` directives the module needs (put first). */
  enable: string;
  /** Module-scope declarations. */
  declarations: string;
  /**
   * Statements that sum `value` (a vec4<f32> expression) over the workgroup into `let ${into}`, valid in
   * invocation 0 (`li == 0u`). Must be reached in uniform control flow.
   */
  sum: (value: string, into: string) => string;
}

/** `threads` invocations per workgroup (a power of two); `subgroup`: the workgroup is one subgroup. */
export function workgroupSum(threads: number, subgroup: boolean, p = 'red'): WorkgroupSum {
  if (subgroup) {
    return { enable: 'enable subgroups;', declarations: '', sum: (value, into) => `let ${into} = subgroupAdd(${value});` };
  }
  if (threads & (threads - 1)) throw new Error(`workgroupSum: ${threads} invocations is not a power of two`);
  const steps: string[] = [];
  for (let s = threads / 2; s >= 1; s /= 2) steps.push(`if (li < ${s}u) { ${p}[li] = ${p}[li] + ${p}[li + ${s}u]; }\nworkgroupBarrier();`);
  return {
    enable: '',
    declarations: `var<workgroup> ${p}: array<vec4<f32>, ${threads}>;`,
    sum: (value, into) => `${p}[li] = ${value};\nworkgroupBarrier();\n${steps.join('\n')}\nlet ${into} = ${p}[0];`,
  };
}
