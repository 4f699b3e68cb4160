/**
 * A tab widget over existing markup: click or ←/→ selects, the selected tab alone is in the tab
 * order, and only its panel shows (WAI-ARIA tabs pattern).
 */
export interface TabsOptions {
  /** The tabs, e.g. `[role="tab"][data-tab]`; each names its panel in `tabAttr`. */
  tabs: string;
  tabAttr: string;
  /** The panels; each carries its name in `panelAttr`. */
  panels: string;
  panelAttr: string;
  onSelect?(name: string): void;
}

/** Wires the tabs found under `root`; returns a function that selects a tab by name. */
export function wireTabs(root: HTMLElement, options: TabsOptions): (name: string) => void {
  const tabs = [...root.querySelectorAll<HTMLElement>(options.tabs)];
  const select = (tab: HTMLElement) => {
    const name = tab.getAttribute(options.tabAttr);
    for (const t of tabs) {
      const isSelected = t === tab;
      t.setAttribute('aria-selected', String(isSelected));
      t.tabIndex = isSelected ? 0 : -1;
    }
    for (const panel of root.querySelectorAll<HTMLElement>(options.panels)) panel.hidden = panel.getAttribute(options.panelAttr) !== name;
    if (name) options.onSelect?.(name);
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab));
    tab.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (!step) return;
      const next = tabs[(i + step + tabs.length) % tabs.length]!;
      select(next);
      next.focus();
    });
  });
  return (name) => {
    const tab = tabs.find((t) => t.getAttribute(options.tabAttr) === name);
    if (tab) select(tab);
  };
}
