/**
 * Text screens on LCDd as data: what the server holds now and what it
 * should hold -> the commands that get it there (a reconciler, as balena's
 * supervisor plans steps). Each screen line is one string widget `l<row>`,
 * padded to the display width so a shorter text wipes the old one. Planning
 * again against the result is a no-op.
 */

export type ScreenPriority = 'hidden' | 'background' | 'info' | 'foreground' | 'alert' | 'input';

export interface TextScreen {
  id: string;
  priority: ScreenPriority;
  /** One entry per display row; cut or padded to the width. */
  lines: readonly string[];
}

/** What the server holds, as far as this client knows. */
export type ServerScreens = ReadonlyMap<string, { priority: ScreenPriority; lines: readonly string[] }>;

export type ScreenStep =
  | { op: 'screen_add'; screen: string }
  | { op: 'screen_set'; screen: string; priority: ScreenPriority }
  | { op: 'widget_add'; screen: string; widget: string }
  | { op: 'widget_set'; screen: string; widget: string; x: number; y: number; text: string }
  | { op: 'screen_del'; screen: string };

/** Fit one line to the width: cut, then pad with spaces. */
export function fitLine(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length);
}

/** Rows of a screen for a display of `width` x `height`. */
export function fitScreen(lines: readonly string[], width: number, height: number): string[] {
  const out: string[] = [];
  for (let y = 0; y < height; y++) out.push(fitLine(lines[y] ?? '', width));
  return out;
}

export const widgetId = (row: number): string => `l${row}`;

export function planScreens(current: ServerScreens, desired: readonly TextScreen[], width: number, height: number): ScreenStep[] {
  const steps: ScreenStep[] = [];
  const wanted = new Set(desired.map((s) => s.id));
  for (const id of current.keys()) if (!wanted.has(id)) steps.push({ op: 'screen_del', screen: id });
  for (const s of desired) {
    const have = current.get(s.id);
    const rows = fitScreen(s.lines, width, height);
    if (have === undefined) {
      steps.push({ op: 'screen_add', screen: s.id }, { op: 'screen_set', screen: s.id, priority: s.priority });
      rows.forEach((_, i) => steps.push({ op: 'widget_add', screen: s.id, widget: widgetId(i + 1) }));
    } else if (have.priority !== s.priority) {
      steps.push({ op: 'screen_set', screen: s.id, priority: s.priority });
    }
    rows.forEach((text, i) => {
      if (have?.lines[i] !== text) steps.push({ op: 'widget_set', screen: s.id, widget: widgetId(i + 1), x: 1, y: i + 1, text });
    });
  }
  return steps;
}

/** The server's screens after the steps ran (for the next plan). */
export function applySteps(current: ServerScreens, steps: readonly ScreenStep[]): Map<string, { priority: ScreenPriority; lines: string[] }> {
  const next = new Map([...current].map(([k, v]) => [k, { priority: v.priority, lines: [...v.lines] }]));
  for (const st of steps) {
    switch (st.op) {
      case 'screen_add':
        next.set(st.screen, { priority: 'info', lines: [] });
        break;
      case 'screen_set': {
        const s = next.get(st.screen);
        if (s !== undefined) s.priority = st.priority;
        break;
      }
      case 'widget_add':
        break;
      case 'widget_set': {
        const s = next.get(st.screen);
        if (s !== undefined) s.lines[st.y - 1] = st.text;
        break;
      }
      case 'screen_del':
        next.delete(st.screen);
        break;
    }
  }
  return next;
}
