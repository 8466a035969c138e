/**
 * paneld on D-Bus: com.lbos.Paneld at /com/lbos/Paneld, interface
 * com.lbos.Paneld1 (README "D-Bus API"). statusd shows these properties;
 * panelctl reads them and can press keys.
 */
import { busNamesOf, exportObject, type ExportedObject, type MessageBus } from '../../runtime/dbus';
import { AppError } from '../../runtime/errors';

/** One LED as published: (role, led name, on|off|blink|missing|error, detail). */
export type LedTuple = [string, string, string, string];
/** One alert: (severity, title, detail). */
export type AlertTuple = [string, string, string];

export interface PaneldProperties {
  /** The rows on the LCD now (what paneld last drew). */
  Lcd: string[];
  /** "20x4" as LCDd reported it; "" while not connected. */
  LcdSize: string;
  LcdConnected: boolean;
  /** normal | alert | menu */
  Mode: string;
  Leds: LedTuple[];
  Alerts: AlertTuple[];
  /** The console banner text (as written, before escaping). */
  Banner: string;
  BannerFile: string;
}

export const PANEL_KEYS = ['Up', 'Down', 'Left', 'Right', 'Enter', 'Escape'] as const;

export interface PaneldActions {
  /** A key as if pressed on the keypad (panelctl key). */
  pressKey(key: string): void;
  statusJson(): string;
}

export const PANELD_NAMES = busNamesOf('paneld');

export function exportPaneld(bus: MessageBus, initial: PaneldProperties, actions: PaneldActions): ExportedObject {
  const p = (signature: string, value: unknown): { signature: string; initial: unknown } => ({ signature, initial: value });
  return exportObject(bus, PANELD_NAMES.path, {
    iface: PANELD_NAMES.iface,
    properties: {
      Lcd: p('as', initial.Lcd),
      LcdSize: p('s', initial.LcdSize),
      LcdConnected: p('b', initial.LcdConnected),
      Mode: p('s', initial.Mode),
      Leds: p('a(ssss)', initial.Leds),
      Alerts: p('a(sss)', initial.Alerts),
      Banner: p('s', initial.Banner),
      BannerFile: p('s', initial.BannerFile),
    },
    methods: {
      PressKey: {
        inSignature: 's',
        handler: (key: string) => {
          if (!(PANEL_KEYS as readonly string[]).includes(key)) throw new AppError('INVALID_ARGUMENT', `unknown key "${key}" (keys: ${PANEL_KEYS.join(' ')})`);
          actions.pressKey(key);
        },
      },
      Status: { outSignature: 's', handler: () => actions.statusJson() },
    },
  });
}
