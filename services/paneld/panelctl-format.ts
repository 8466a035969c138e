/** How panelctl and the demo draw an LCD: its rows in a box, as the text driver does. */
export function boxed(rows: readonly string[]): string[] {
  const w = Math.max(0, ...rows.map((r) => r.length));
  return [`+${'-'.repeat(w)}+`, ...rows.map((r) => `|${r.padEnd(w)}|`), `+${'-'.repeat(w)}+`];
}
