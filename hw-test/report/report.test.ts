import test from 'ava';
import type { CheckResult } from '../checks/types';
import { junitXml, xmlEscape } from './junit';
import { reportStem, summarise, type RunReport } from './model';
import { resultLine, summaryTable } from './terminal';

const result = (id: string, status: CheckResult['status'], reason: string, measurements: CheckResult['measurements'] = {}): CheckResult => ({
  id,
  group: id.split('.')[0] ?? '',
  status,
  reason,
  measurements,
  startedAt: '2026-11-22T03:00:00.000Z',
  durationMs: 1500,
});

const CHECKS = [
  result('nic.p0.link', 'pass', 'link up at 10000 Mb/s', { speed_mbps: 10000 }),
  result('nic.p1.link', 'fail', 'no carrier: is the cable plugged in?', { carrier: false }),
  result('cpu.temperature', 'skip', 'no temperature sensor'),
  result('serial.ttyS0.9600', 'fail', 'no echo <"bad" & stuff>'),
];

const REPORT: RunReport = {
  format: 1,
  tool: 'hw-test',
  firmwareVersion: '0.1.0',
  mode: 'sim',
  interactive: false,
  unit: { serial: 'SN 42/7', model: 'LBOS-SIM', manufacturer: '', systemModel: 'Docker Container', hostname: 'dev' },
  profile: { file: 'sim.profile', model: 'LBOS-SIM', kind: 'sim' },
  startedAt: '2026-11-22T03:00:00.000Z',
  finishedAt: '2026-11-22T03:00:06.000Z',
  summary: summarise(CHECKS),
  checks: CHECKS,
  detected: {
    manufacturer: '',
    model: 'Docker Container',
    serial: '',
    cpu: { brand: 'Xeon', cores: 2, physicalCores: 2 },
    memoryBytes: 2 ** 34,
    temperatures: [],
    disks: [],
    nics: [{ name: 'eth0', mac: '02:fc:00:00:00:01', operstate: 'up', speedMbps: null, virtual: false }],
    virtual: false,
    hypervisor: '',
  },
  detectionFailed: [],
};

test('summary counts and a file-system-safe report name', (t) => {
  t.deepEqual(REPORT.summary, { pass: 1, fail: 2, skip: 1, total: 4 });
  t.is(reportStem(REPORT), 'hw-test-SN_42_7-2026-11-22T03-00-00-000Z');
});

test('JUnit: one suite per group, failures and skips with their reason, measurements in system-out, unit identity as properties', (t) => {
  const xml = junitXml(REPORT);
  t.true(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="hw-test LBOS-SIM SN 42/7" tests="4" failures="2" errors="0" skipped="1" time="6.000">'));
  t.regex(xml, /<testsuite name="nic" tests="2" failures="1" errors="0" skipped="0" time="3.000"/);
  t.regex(xml, /<testcase classname="hw-test.nic" name="nic.p1.link" time="1.500">\n {6}<failure message="no carrier: is the cable plugged in\?" type="hw-test">/);
  t.regex(xml, /<skipped message="no temperature sensor"\/>/);
  t.regex(xml, /<failure message="no echo &lt;&quot;bad&quot; &amp; stuff&gt;"/);
  t.regex(xml, /<system-out>link up at 10000 Mb\/s\nspeed_mbps=10000<\/system-out>/);
  t.regex(xml, /<property name="serial" value="SN 42\/7"\/>/);
  t.is(xml.match(/<testsuite /g)?.length, 3);
  t.is(xml.match(/<testcase /g)?.length, 4);
});

test('XML escaping replaces characters XML cannot carry', (t) => {
  t.is(xmlEscape('a\u0001b<'), 'a\ufffdb&lt;');
});

test('terminal: progress line and a summary table that ends with the failures', (t) => {
  t.is(resultLine(CHECKS[1] as CheckResult, 1, 12), '[ 2/12] FAIL nic.p1.link: no carrier: is the cable plugged in? (1.5 s)');
  const table = summaryTable(REPORT);
  t.regex(table, /FAILED: 1 passed, 2 failed, 1 skipped {2}\(LBOS-SIM, serial SN 42\/7\)/);
  t.true(table.endsWith('Failed:\n  nic.p1.link: no carrier: is the cable plugged in?\n  serial.ttyS0.9600: no echo <"bad" & stuff>'));
});
