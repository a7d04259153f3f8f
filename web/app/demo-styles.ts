/** The demo product's own look (not part of the widgets). System fonts: nothing fetched. */
export const demoStyles = `
body { margin: 0; background: #f3f4f6; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2937; }
.demo-header { display: flex; align-items: center; gap: 16px; padding: 10px 20px; background: #fff; border-bottom: 1px solid #e5e7eb; }
.demo-brand { font-weight: 800; font-size: 18px; color: #111827; text-decoration: none; }
.demo-nav { display: flex; gap: 12px; flex: 1; }
.demo-nav a { color: #1d4ed8; text-decoration: none; padding: 4px 6px; border-radius: 6px; }
.demo-nav a[aria-current="page"] { font-weight: 700; text-decoration: underline; }
.demo-nav a:focus-visible, .demo-brand:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.demo-user { display: flex; align-items: center; gap: 10px; }
.demo-avatar { width: 34px; height: 34px; border-radius: 50%; background: #4338ca; color: #fff; display: inline-flex; align-items: center; justify-content: center; font-weight: 700; }
.demo-main { max-width: 960px; margin: 20px auto; padding: 0 16px; display: grid; gap: 16px; }
.demo-main h1 { margin-top: 0; font-size: 22px; }
.demo-form { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.demo-form input { font: inherit; padding: 7px 10px; border: 1px solid #6b7280; border-radius: 8px; }
pre { background: #111827; color: #f9fafb; padding: 12px; border-radius: 8px; overflow-x: auto; white-space: pre-wrap; }
@media (max-width: 480px) { .demo-nav { display: none; } .demo-header { justify-content: space-between; } }
`;
