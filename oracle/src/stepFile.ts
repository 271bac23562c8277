// The step list /init reads (format in templates/init.sh).
import type { Observation, Scenario } from './scenario';
import { livepatchNames } from './scenario';

export const observationKey = (o: { object: string; name: string; sympos: number }) => `${o.object}:${o.name}:${o.sympos}`;

/** `symbols` names the vmlinux functions whose /proc/kallsyms lines the simulator needs. */
export function stepFile(scenarios: Scenario[], symbols: string[]): string {
  const lines = [`symbols ${symbols.join(' ')}`];
  for (const scenario of scenarios) {
    const livepatches = livepatchNames(scenario);
    lines.push(`scenario ${scenario.name}`);
    if (livepatches.length > 0) lines.push(`livepatch ${livepatches.join(' ')}`);
    for (const o of scenario.observe) lines.push(observeLine(o));
    for (const module of scenario.preload ?? []) lines.push(`preload ${module}`);
    for (const item of scenario.items) {
      if ('step' in item) {
        const { step } = item;
        lines.push([step.nowait ? 'step-nowait' : 'step', step.action, step.target, ...step.args].join(' '));
      } else if (item.command.kind === 'param') {
        lines.push(`param ${item.command.module} ${item.command.param} ${item.command.value}`);
      } else {
        lines.push(`kmsg-grep ${item.command.file} ${item.command.pattern}`);
      }
    }
    lines.push(`reset ${[...livepatches, ...scenario.targets].join(' ')}`);
  }
  return lines.join('\n') + '\n';
}

function observeLine(o: Observation): string {
  return `observe ${observationKey(o)} ${o.path}`;
}
