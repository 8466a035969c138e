import test from 'ava';
import { matchRule } from './dbus-raw';

test('matchRule: sender, interface and member always; path and arg0 only when asked', (t) => {
  t.is(matchRule({ sender: 'com.lbos.Hbd', iface: 'org.freedesktop.DBus.Properties', member: 'PropertiesChanged' }),
    "type='signal',sender='com.lbos.Hbd',interface='org.freedesktop.DBus.Properties',member='PropertiesChanged'");
  t.is(matchRule({ sender: 'org.freedesktop.DBus', iface: 'org.freedesktop.DBus', member: 'NameOwnerChanged', arg0: 'com.lbos.Nicd' }),
    "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='com.lbos.Nicd'");
  t.is(matchRule({ sender: ':1.5', iface: 'a.B', member: 'C', path: '/org/freedesktop/systemd1/unit/hbd_2eservice' }),
    "type='signal',sender=':1.5',interface='a.B',member='C',path='/org/freedesktop/systemd1/unit/hbd_2eservice'");
});
