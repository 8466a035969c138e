import test from 'ava';
import { checkAddress, checkDns, checkGateway } from './wizard-answers';
import { PROMPTS, TITLE, wizardApplied, wizardApplyFailed, wizardInput, wizardStart, type WizardContext, type WizardReply, type WizardState } from './wizard';

const ok: WizardContext = { check: () => null };

/** Feed answers; returns the final state and everything printed (prompts included). */
function feed(answers: (string | null)[], ctx: WizardContext = ok): { state: WizardState; text: string; last: WizardReply } {
  let [state, reply] = wizardStart('eth0');
  let text = '';
  const out = (r: WizardReply): void => {
    text += r.print.map((l) => `${l}\n`).join('') + (r.prompt ?? '');
  };
  out(reply);
  for (const a of answers) {
    [state, reply] = wizardInput(state, a, ctx);
    if (a !== null) text += `${a}\n`;
    out(reply);
  }
  return { state, text, last: reply };
}

test('answers: addresses with prefix or netmask, and the reasons for bad ones', (t) => {
  t.deepEqual(checkAddress('192.168.67.23/18'), { ok: true, value: { address: '192.168.67.23', prefix: 18, family: 4 } });
  t.deepEqual(checkAddress(' 192.168.67.23/255.255.192.0 '), { ok: true, value: { address: '192.168.67.23', prefix: 18, family: 4 } });
  const reason = (text: string): string => {
    const r = checkAddress(text);
    return r.ok ? '' : r.reason;
  };
  t.regex(reason(''), /required/);
  t.regex(reason('192.168.2.21'), /add the prefix length or netmask, e\.g\. 192\.168\.2\.21\/24/);
  t.regex(reason('300.1.1.1/24'), /not an IPv4 address/);
  t.regex(reason('2001:db8::1/64'), /IPv4 address here; IPv6 .* later/);
  t.regex(reason('10.0.0.1/255.0.255.0'), /neither a prefix length/);
  t.regex(reason('10.0.0.1/31'), /between 1 and 30/);
  t.regex(reason('127.0.0.1/8'), /loopback/);
  t.regex(reason('192.168.2.0/24'), /network or broadcast address of 192\.168\.2\.0\/24/);
});

test('answers: the gateway must be another host of the subnet; DNS any address', (t) => {
  const net = { address: '192.168.67.23', prefix: 18, family: 4 as const };
  t.deepEqual(checkGateway('192.168.64.1', net), { ok: true, value: '192.168.64.1' });
  const why = (r: { ok: boolean; reason?: string }): string => r.reason ?? '';
  t.regex(why(checkGateway('192.168.2.1', net)), /not in 192\.168\.64\.0\/18, the subnet of 192\.168\.67\.23\/18/);
  t.regex(why(checkGateway('192.168.67.23', net)), /own address/);
  t.regex(why(checkGateway('', net)), /required, e\.g\. 192\.168\.64\.1/);
  t.deepEqual(checkDns('2001:DB8::53', false), { ok: true, value: '2001:db8::53' });
  t.deepEqual(checkDns('', true), { ok: true, value: null });
  t.regex(why(checkDns('', false)), /required/);
  t.regex(why(checkDns('dns.example', false)), /not an IP address/);
  t.regex(why(checkDns('10.0.0.53', true, '10.0.0.53')), /already the primary/);
});

test('happy path: the reference prompts, a summary with the web UI URLs, apply on y', (t) => {
  const { state, text, last } = feed(['192.168.67.23/18', '192.168.64.1', '192.168.64.1', '', 'y']);
  t.true(text.startsWith(`${TITLE}\n`));
  for (const p of [PROMPTS.address, PROMPTS.gateway, PROMPTS.dns1, PROMPTS.dns2, PROMPTS.confirm]) t.true(text.includes(p), p);
  t.regex(text, /Summary of settings\n\n {2}Interface: +eth0\n {2}Static IP address: +192\.168\.67\.23\/18\n {2}Default gateway: +192\.168\.64\.1\n {2}DNS servers: +192\.168\.64\.1\n/);
  t.regex(text, /http:\/\/192\.168\.67\.23:9080\/\n {2}https:\/\/192\.168\.67\.23:9443\//);
  t.is(state.phase, 'applying');
  t.deepEqual(last.apply, { iface: 'eth0', address: { address: '192.168.67.23', prefix: 18, family: 4 }, gateway: '192.168.64.1', dns: ['192.168.64.1'] });
  const [done, reply] = wizardApplied(state, 7);
  t.is(done.phase, 'finish');
  t.regex(reply.print.join('\n'), /generation 7[\s\S]*connect the eth0 network interface[\s\S]*http:\/\/192\.168\.67\.23:9080\//);
  t.is(reply.prompt, PROMPTS.finish);
  t.is(wizardInput(done, '', ok)[1].exit, 'applied');
});

test('bad answers are asked again with the reason; nothing applies meanwhile', (t) => {
  const { text, state } = feed(['10.0.0.5', '10.0.0.5/24', '10.1.0.1', '10.0.0.1', 'not-an-ip', '10.0.0.53', '10.0.0.53', '10.0.0.54', 'maybe']);
  t.regex(text, /Not accepted: add the prefix length[^\n]*\.\n {2}Please try again\.\nStatic IP address/);
  t.regex(text, /Not accepted: 10\.1\.0\.1 is not in 10\.0\.0\.0\/24[^\n]*\n {2}Please try again\.\nDefault gateway/);
  t.regex(text, /Not accepted: "not-an-ip" is not an IP address/);
  t.regex(text, /Not accepted: 10\.0\.0\.53 is already the primary DNS server/);
  t.regex(text, /Please answer y, n or q\.\nApply these settings\?/);
  t.is(state.phase, 'confirm');
});

test('EOF at any prompt aborts without applying; q quits; n starts again', (t) => {
  for (let i = 0; i <= 4; i++) {
    const answers = ['10.0.0.5/24', '10.0.0.1', '10.0.0.53', ''].slice(0, i);
    const { last, text } = feed([...answers, null]);
    t.is(last.exit, 'eof');
    t.is(last.apply, undefined);
    t.regex(text, /Aborted: nothing was changed\.\n$/);
  }
  t.is(feed(['10.0.0.5/24', '10.0.0.1', '10.0.0.53', '', 'q']).last.exit, 'quit');
  const again = feed(['10.0.0.5/24', '10.0.0.1', '10.0.0.53', '', 'n']);
  t.is(again.state.phase, 'address');
  t.regex(again.text, /Starting again\.\n\nStatic IP address/);
});

test('settings that clash with the rest of the configuration: the reason, then from the start', (t) => {
  const ctx: WizardContext = { check: () => 'subnet 10.0.0.0/24 of eth0 overlaps 10.0.0.0/16 of eth1 (line 5)' };
  const { state, text } = feed(['10.0.0.5/24', '10.0.0.1', '10.0.0.53', ''], ctx);
  t.is(state.phase, 'address');
  t.regex(text, /do not fit the rest of the configuration: subnet 10\.0\.0\.0\/24 of eth0 overlaps/);
});

test('nicd refusing the change: the reason, nothing changed, start again', (t) => {
  const { state } = feed(['10.0.0.5/24', '10.0.0.1', '10.0.0.53', '', 'y']);
  const [next, reply] = wizardApplyFailed(state, 'a change is waiting for confirmation');
  t.is(next.phase, 'address');
  t.regex(reply.print.join('\n'), /Not applied: a change is waiting for confirmation\nNothing was changed/);
});
