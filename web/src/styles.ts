/**
 * The widgets' styles, injected once into the page: a library that needs no CSS import works in a
 * plain page too (the ESM bundle). Every class starts with `cw-`; colours pass WCAG AA contrast;
 * system fonts only (nothing fetched). Override with your own CSS after these rules.
 */
const CSS = `
.cw-root, .cw-root * { box-sizing: border-box; }
.cw-root { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2937; }
.cw-root button, .cw-root a.cw-button { font: inherit; cursor: pointer; }
.cw-root :focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; border-radius: 6px; }
.cw-button { display: inline-flex; align-items: center; gap: 6px; border: 1px solid #1d4ed8; background: #1d4ed8; color: #fff; border-radius: 8px; padding: 8px 14px; text-decoration: none; font-weight: 600; }
.cw-button:hover { background: #1e40af; }
.cw-button[disabled] { opacity: .6; cursor: progress; }
.cw-button-quiet { background: #fff; color: #1d4ed8; }
.cw-button-quiet:hover { background: #eff6ff; }
.cw-balance { position: relative; display: inline-block; }
.cw-balance-trigger { display: inline-flex; align-items: center; gap: 6px; border: 1px solid #d1d5db; background: #fff; color: #111827; border-radius: 999px; padding: 4px 12px 4px 6px; font-weight: 700; min-height: 36px; }
.cw-balance-trigger:hover { background: #f9fafb; }
.cw-coin { width: 24px; height: 24px; flex: none; }
@media (max-width: 480px) {
  .cw-balance-amount { display: none; }
  .cw-balance-trigger { padding: 4px 6px; }
}
.cw-menu { position: absolute; right: 0; top: calc(100% + 6px); min-width: 220px; background: #fff; border: 1px solid #d1d5db; border-radius: 10px; box-shadow: 0 10px 30px rgba(0,0,0,.12); padding: 6px; z-index: 1000; }
.cw-menu-balance { margin: 0 0 4px; padding: 8px 10px; color: #374151; border-bottom: 1px solid #e5e7eb; }
.cw-menu-balance strong { font-size: 18px; color: #111827; }
.cw-menu-item { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 8px 10px; border-radius: 6px; color: #111827; text-decoration: none; }
.cw-menu-item:hover, .cw-menu-item:focus { background: #eff6ff; }
.cw-modal { border: 0; border-radius: 14px; padding: 0; width: min(720px, calc(100vw - 24px)); max-height: calc(100vh - 24px); box-shadow: 0 20px 60px rgba(0,0,0,.3); }
.cw-modal::backdrop { background: rgba(17,24,39,.55); }
.cw-modal-body { padding: 20px 24px 24px; }
.cw-modal-header { display: flex; align-items: center; justify-content: space-between; gap: 12px; margin-bottom: 16px; }
.cw-modal-header h2 { margin: 0; font-size: 20px; color: #111827; }
.cw-close { border: 0; background: none; font-size: 24px; line-height: 1; padding: 4px 10px; color: #374151; border-radius: 6px; }
.cw-packs { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; }
.cw-pack { position: relative; display: flex; flex-direction: column; align-items: flex-start; gap: 4px; border: 2px solid #d1d5db; border-radius: 12px; background: #fff; padding: 16px; text-align: left; color: #111827; }
.cw-pack:hover { border-color: #1d4ed8; }
.cw-pack-popular { border-color: #1d4ed8; background: #eff6ff; }
.cw-pack-name { font-weight: 700; font-size: 16px; }
.cw-pack-credits { font-size: 24px; font-weight: 800; }
.cw-pack-price { color: #374151; }
.cw-badge { position: absolute; top: -11px; right: 12px; background: #1d4ed8; color: #fff; font-size: 12px; font-weight: 700; padding: 2px 8px; border-radius: 999px; }
.cw-savings { color: #166534; font-size: 13px; font-weight: 600; }
.cw-checkout { min-height: 320px; }
.cw-status { display: flex; align-items: center; gap: 10px; padding: 24px 0; color: #374151; }
.cw-spinner { width: 20px; height: 20px; border: 3px solid #bfdbfe; border-top-color: #1d4ed8; border-radius: 50%; animation: cw-spin .8s linear infinite; }
@keyframes cw-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .cw-spinner { animation: none; } }
.cw-error { border: 1px solid #fca5a5; background: #fef2f2; color: #7f1d1d; border-radius: 10px; padding: 14px 16px; display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 12px; }
.cw-banner { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 12px; border: 1px solid #fcd34d; background: #fffbeb; color: #78350f; border-radius: 10px; padding: 12px 16px; }
.cw-success { position: fixed; left: 50%; top: 16px; transform: translateX(-50%); z-index: 2000; display: flex; align-items: center; gap: 12px; background: #f0fdf4; border: 1px solid #86efac; color: #14532d; border-radius: 12px; padding: 12px 16px; box-shadow: 0 10px 30px rgba(0,0,0,.15); max-width: calc(100vw - 24px); }
.cw-confetti { position: fixed; inset: 0; width: 100vw; height: 100vh; pointer-events: none; z-index: 1999; }
.cw-card { border: 1px solid #e5e7eb; border-radius: 12px; background: #fff; padding: 16px 20px; }
.cw-preview { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; }
.cw-preview-ok { color: #166534; }
.cw-preview-short { color: #991b1b; }
.cw-table { width: 100%; border-collapse: collapse; }
.cw-table th, .cw-table td { text-align: left; padding: 8px 10px; border-bottom: 1px solid #e5e7eb; }
.cw-table th { color: #374151; font-weight: 600; font-size: 13px; }
.cw-num { text-align: right !important; font-variant-numeric: tabular-nums; }
.cw-plus { color: #166534; font-weight: 700; }
.cw-minus { color: #991b1b; font-weight: 700; }
.cw-pager { display: flex; gap: 8px; align-items: center; justify-content: flex-end; margin-top: 12px; }
.cw-muted { color: #4b5563; }
.cw-auto-top-up { margin-top: 16px; }
.cw-form { display: grid; gap: 12px; max-width: 420px; }
.cw-field { display: grid; gap: 4px; }
.cw-field > span, .cw-field > label { font-weight: 600; color: #111827; }
.cw-input { font: inherit; border: 1px solid #6b7280; border-radius: 8px; padding: 8px 10px; background: #fff; color: #111827; }
.cw-switch { display: inline-flex; align-items: center; gap: 8px; justify-self: start; border: 1px solid #6b7280; background: #fff; color: #111827; border-radius: 999px; padding: 4px 12px 4px 4px; font-weight: 600; }
.cw-switch-knob { width: 36px; height: 20px; border-radius: 999px; background: #9ca3af; position: relative; }
.cw-switch-knob::after { content: ""; position: absolute; top: 2px; left: 2px; width: 16px; height: 16px; border-radius: 50%; background: #fff; transition: left .15s; }
.cw-switch[aria-checked="true"] .cw-switch-knob { background: #1d4ed8; }
.cw-switch[aria-checked="true"] .cw-switch-knob::after { left: 18px; }
@media (prefers-reduced-motion: reduce) { .cw-switch-knob::after { transition: none; } }
.cw-check { display: inline-flex; gap: 6px; align-items: flex-start; }
.cw-visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0,0,0,0); white-space: nowrap; border: 0; }
`;

let injected = false;

export function injectStyles(): void {
  if (injected || typeof document === 'undefined') return;
  if (document.querySelector('style[data-credit-widgets]')) {
    injected = true;
    return;
  }
  const style = document.createElement('style');
  style.dataset.creditWidgets = '';
  style.textContent = CSS;
  document.head.appendChild(style);
  injected = true;
}
