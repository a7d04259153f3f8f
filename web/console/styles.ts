/** The console's look. System fonts: nothing fetched. Contrast AA; focus always visible. */
export const consoleStyles = `
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; background: #f3f4f6; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827; }
a { color: #1d4ed8; }
:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
h1 { font-size: 22px; margin: 0 0 12px; }
h2 { font-size: 16px; margin: 0; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
pre { background: #111827; color: #f9fafb; padding: 12px; border-radius: 8px; overflow: auto; max-height: 420px; white-space: pre-wrap; word-break: break-word; }
.c-header { display: flex; align-items: center; gap: 16px; padding: 10px 20px; background: #111827; color: #f9fafb; flex-wrap: wrap; }
.c-brand { font-weight: 800; font-size: 17px; }
.c-nav { display: flex; gap: 4px; flex: 1; flex-wrap: wrap; }
.c-nav a { color: #e5e7eb; text-decoration: none; padding: 6px 10px; border-radius: 6px; }
.c-nav a[aria-current="page"] { background: #374151; color: #fff; font-weight: 700; }
.c-nav a:focus-visible, .c-header button:focus-visible { outline-color: #93c5fd; }
.c-who { font-size: 13px; color: #d1d5db; }
.c-main { max-width: 1180px; margin: 20px auto; padding: 0 16px; display: grid; gap: 16px; }
.c-main > h1:focus { outline: none; }
.c-card { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 16px; display: grid; gap: 12px; min-width: 0; }
.c-card-head { display: flex; align-items: center; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
.c-grid { display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); }
.c-muted { color: #4b5563; }
.c-error { border: 1px solid #b91c1c; background: #fef2f2; color: #7f1d1d; border-radius: 8px; padding: 8px 12px; }
.c-error p { margin: 0; }
.c-error ul { margin: 4px 0 0; padding-left: 20px; }
.c-ok { border: 1px solid #047857; background: #ecfdf5; color: #064e3b; border-radius: 8px; padding: 8px 12px; }
.c-table-wrap { overflow-x: auto; }
.c-table { border-collapse: collapse; width: 100%; }
.c-table caption { text-align: left; font-weight: 600; padding-bottom: 6px; }
.c-table th, .c-table td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
.c-table th { font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: #374151; }
.c-num { text-align: right !important; font-variant-numeric: tabular-nums; }
.c-form { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; }
.c-form.c-stack { flex-direction: column; align-items: stretch; }
.c-field { display: grid; gap: 3px; min-width: 140px; }
.c-field label { font-weight: 600; font-size: 13px; }
input, select, textarea { font: inherit; padding: 6px 9px; border: 1px solid #6b7280; border-radius: 6px; background: #fff; color: inherit; }
textarea { min-height: 160px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
button, .c-button { font: inherit; padding: 6px 12px; border-radius: 6px; border: 1px solid #1d4ed8; background: #1d4ed8; color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.c-secondary { background: #fff; color: #1d4ed8; }
button.c-danger { background: #b91c1c; border-color: #b91c1c; }
button:disabled { opacity: .6; cursor: progress; }
.c-figures { display: flex; gap: 24px; flex-wrap: wrap; margin: 0; }
.c-figures div { display: grid; }
.c-figures dt { font-size: 12px; color: #4b5563; text-transform: uppercase; letter-spacing: .03em; }
.c-figures dd { margin: 0; font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; }
.c-actor { font-weight: 600; }
.c-timeline { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; max-height: 480px; overflow: auto; }
.c-timeline li { border-left: 3px solid #1d4ed8; padding: 2px 10px; }
.c-timeline details summary { cursor: pointer; }
.c-login { max-width: 440px; margin: 12vh auto; }
.c-tag { display: inline-block; padding: 0 6px; border-radius: 4px; background: #e5e7eb; font-size: 12px; }
.c-skip { position: absolute; left: -9999px; }
.c-skip:focus { left: 12px; top: 8px; background: #fff; color: #1d4ed8; padding: 6px 10px; z-index: 10; }
`;
