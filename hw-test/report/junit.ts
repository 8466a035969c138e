/**
 * JUnit XML (the de-facto schema CI servers and factory MES read): one
 * <testsuite> per group, one <testcase> per check; a failed check carries
 * <failure message="reason">, a skipped one <skipped message="reason">.
 * Measurements go into <system-out> as name=value lines and the unit's
 * identity into <properties>.
 */
import type { CheckResult } from '../checks/types';
import type { RunReport } from './model';

export function xmlEscape(s: string): string {
  // Characters XML 1.0 cannot carry at all are replaced, not escaped.
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd').replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c] ?? ''};`);
}

const attr = (name: string, value: string | number): string => ` ${name}="${xmlEscape(String(value))}"`;
const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function testcase(r: CheckResult): string {
  const head = `    <testcase${attr('classname', `hw-test.${r.group}`)}${attr('name', r.id)}${attr('time', seconds(r.durationMs))}>`;
  const body: string[] = [];
  if (r.status === 'fail') body.push(`      <failure${attr('message', r.reason)}${attr('type', 'hw-test')}>${xmlEscape(r.reason)}</failure>`);
  if (r.status === 'skip') body.push(`      <skipped${attr('message', r.reason)}/>`);
  const lines = Object.entries(r.measurements).map(([k, v]) => `${k}=${v === null ? '' : String(v)}`);
  if (r.status === 'pass' && r.reason !== '') lines.unshift(r.reason);
  if (lines.length > 0) body.push(`      <system-out>${xmlEscape(lines.join('\n'))}</system-out>`);
  return [head, ...body, '    </testcase>'].join('\n');
}

export function junitXml(report: RunReport): string {
  const groups = [...new Set(report.checks.map((c) => c.group))];
  const props = [
    ['serial', report.unit.serial],
    ['model', report.unit.model],
    ['system-model', report.unit.systemModel],
    ['mode', report.mode],
    ['profile', report.profile.file],
    ['firmware', report.firmwareVersion],
    ['started', report.startedAt],
    ['finished', report.finishedAt],
  ];
  const suites = groups.map((g) => {
    const cs = report.checks.filter((c) => c.group === g);
    const count = (s: string): number => cs.filter((c) => c.status === s).length;
    const time = cs.reduce((a, c) => a + c.durationMs, 0);
    const open = `  <testsuite${attr('name', g)}${attr('tests', cs.length)}${attr('failures', count('fail'))}${attr('errors', 0)}${attr('skipped', count('skip'))}${attr('time', seconds(time))}${attr('timestamp', cs[0]?.startedAt ?? report.startedAt)}${attr('hostname', report.unit.hostname)}>`;
    const properties = ['    <properties>', ...props.map(([k, v]) => `      <property${attr('name', k ?? '')}${attr('value', v ?? '')}/>`), '    </properties>'];
    return [open, ...properties, ...cs.map(testcase), '  </testsuite>'].join('\n');
  });
  const s = report.summary;
  const total = report.checks.reduce((a, c) => a + c.durationMs, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attr('name', `hw-test ${report.unit.model} ${report.unit.serial}`)}${attr('tests', s.total)}${attr('failures', s.fail)}${attr('errors', 0)}${attr('skipped', s.skip)}${attr('time', seconds(total))}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
