/**
 * Everything the panel shows, from the input, the menu and the clock (pure):
 * the LCD rows and the priority of paneld's screen on LCDd, the LED roles,
 * the banner. The menu takes the display while it is open; otherwise the
 * alert pages (priority alert) or the normal pages turn every `pageMs`.
 */
import { alertsOf, type Alert } from './alerts';
import { bannerText } from './banner';
import { ledStates, type LedRole, type RoleState } from './leds';
import type { Menu } from './menu';
import { menuRows } from './menu-view';
import type { PanelInput } from './panel-input';
import { pagesOf, type Size } from './screens';

export interface PanelView {
  mode: 'normal' | 'alert' | 'menu';
  rows: string[];
  priority: 'foreground' | 'alert' | 'input';
  page: number;
  pages: number;
  alerts: Alert[];
  leds: Record<LedRole, RoleState>;
  banner: string;
}

export function panelView(input: PanelInput, menu: Menu, size: Size, now: number, pageMs: number): PanelView {
  const alerts = alertsOf(input);
  const common = { alerts, leds: ledStates(input, alerts), banner: bannerText(input, alerts) };
  if (menu.state.at !== 'closed') return { ...common, mode: 'menu', rows: menuRows(menu, input, size, now), priority: 'input', page: 0, pages: 1 };
  const { kind, pages } = pagesOf(input, alerts, size);
  const page = pages.length <= 1 ? 0 : Math.floor(now / Math.max(1, pageMs)) % pages.length;
  return { ...common, mode: kind, rows: pages[page] ?? [], priority: kind === 'alert' ? 'alert' : 'foreground', page, pages: pages.length };
}
