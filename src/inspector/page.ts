import { inspectorClient, type ClientConfig } from './client.js';

/** The page's HTML: no external resource; the script and style come from this server. */
export function pageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>order-lifecycle inspector</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
</head>
<body>
<header>
  <h1>order-lifecycle <span>inspector</span></h1>
  <span id="connection" class="connection connecting"></span>
  <span class="spacer"></span>
  <label class="load"><span data-text="load"></span><input id="file" type="file" accept=".json,application/json"></label>
  <div class="langs" role="group" aria-label="Language">
    <button type="button" data-lang="en" data-testid="lang-en">EN</button>
    <button type="button" data-lang="zh-CN" data-testid="lang-zh">中文</button>
  </div>
</header>
<div id="notice" class="notice" role="alert" hidden></div>
<main>
  <nav>
    <h2 data-text="orders"></h2>
    <div id="orders"></div>
  </nav>
  <section id="detail" hidden>
    <div class="toolbar">
      <span id="current-order" class="current-order"></span>
      <span data-text="state" class="label"></span>
      <span id="current-state" data-testid="current-state" class="status big"></span>
      <span class="spacer"></span>
      <div class="replay">
        <button type="button" id="first" data-testid="first">|◀</button>
        <button type="button" id="previous" data-testid="previous">◀</button>
        <span id="position" data-testid="position"></span>
        <button type="button" id="next" data-testid="next">▶</button>
        <button type="button" id="last" data-testid="last">▶|</button>
      </div>
      <label class="follow"><input type="checkbox" id="follow"> <span data-text="follow"></span></label>
    </div>
    <div id="chart" class="chart" data-testid="chart"></div>
    <div class="panes">
      <div class="pane">
        <h2 data-text="timeline"></h2>
        <ol id="timeline" class="timeline"></ol>
      </div>
      <details class="pane context" open>
        <summary data-text="context"></summary>
        <pre id="context"></pre>
      </details>
    </div>
  </section>
</main>
<script src="/app.js"></script>
</body>
</html>
`;
}

/** The page's script: the client function's own source, called with the server's configuration. */
export function pageScript(config: ClientConfig): string {
  // Some TypeScript loaders (tsx) wrap named functions in `__name(...)`; the browser needs a stand-in.
  return `"use strict";\nvar __name = function (target) { return target; };\n(${inspectorClient.toString()})(${JSON.stringify(config)});\n`;
}

/** The page's style sheet. */
export const pageCss = `
:root {
  --ink: #1f2933; --muted: #7b8794; --line: #d9e2ec; --bg: #f5f7fa; --panel: #ffffff;
  --accent: #2f6fde; --ok: #1f8a4c; --no: #c0392b; --warn: #b7791f; --active: #2f6fde;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
  font-size: 14px; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; }
header { display: flex; align-items: center; gap: 12px; padding: 10px 18px; background: #102a43; color: #f0f4f8; }
header h1 { font-size: 16px; margin: 0; font-weight: 600; letter-spacing: .2px; }
header h1 span { font-weight: 400; color: #9fb3c8; }
.spacer { flex: 1; }
.connection { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #334e68; }
.connection::before { content: "●"; margin-right: 5px; }
.connection.connected::before { color: #3ebd93; }
.connection.connecting::before { color: #f0b429; }
.langs button, .replay button, .load { border: 1px solid #486581; background: transparent; color: inherit; border-radius: 6px; padding: 4px 10px; cursor: pointer; font: inherit; }
.langs button[aria-pressed="true"] { background: #f0f4f8; color: #102a43; }
.load input { display: none; }
.notice { background: #fde8e8; color: #8a1c1c; padding: 8px 18px; border-bottom: 1px solid #f5c2c2; }
main { flex: 1; display: grid; grid-template-columns: 250px 1fr; min-height: 0; }
nav { border-right: 1px solid var(--line); background: var(--panel); padding: 12px; overflow: auto; }
h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); margin: 4px 0 10px; }
.empty { color: var(--muted); font-size: 13px; line-height: 1.5; overflow-wrap: anywhere; }
.order { display: grid; gap: 4px; width: 100%; text-align: left; border: 1px solid var(--line); background: var(--panel); border-radius: 8px; padding: 8px 10px; margin-bottom: 8px; cursor: pointer; font: inherit; color: inherit; }
.order:hover { border-color: #9fb3c8; }
.order.selected { border-color: var(--accent); box-shadow: 0 0 0 2px #d6e4fd; }
.order-id { font-weight: 600; font-variant-numeric: tabular-nums; }
.order-meta { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
.order-name { font-size: 11px; color: var(--muted); }
.badge { font-size: 11px; padding: 1px 6px; border-radius: 4px; background: #e4e7eb; color: #3e4c59; }
.badge.live { background: #e3f8ff; color: #0b69a3; }
.badge.recording { background: #f0e7ff; color: #6b3fa0; }
.badge.disconnected { background: #fde8e8; color: #8a1c1c; }
.status { font-size: 11px; padding: 1px 7px; border-radius: 10px; background: #e4e7eb; white-space: nowrap; }
.status.big { font-size: 13px; padding: 3px 10px; font-weight: 600; }
.status-buyerCancellable { background: #fff3c4; color: #8d5d00; }
.status-unshipped { background: #dceefb; color: #0b4f8a; }
.status-labelGenerated { background: #d6e4fd; color: #1d4fb0; }
.status-shipped { background: #d5f5e3; color: #1f6f43; }
.status-canceled, .status-autoCanceled { background: #fde8e8; color: #8a1c1c; }
section { padding: 14px 18px; overflow: auto; min-width: 0; }
.toolbar { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; margin-bottom: 10px; }
.current-order { font-weight: 600; font-size: 15px; margin-right: 8px; }
.label { color: var(--muted); font-size: 12px; }
.replay { display: flex; align-items: center; gap: 6px; }
.replay button { border-color: var(--line); background: var(--panel); padding: 3px 9px; }
.replay button:disabled { opacity: .4; cursor: default; }
#position { min-width: 90px; text-align: center; font-variant-numeric: tabular-nums; }
.follow { font-size: 13px; display: flex; align-items: center; gap: 4px; }
.chart { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 10px; overflow: auto; text-align: center; min-height: 120px; }
.chart svg { max-width: 100%; height: auto; }
.chart g.state.active > path, .chart g.state.active > polygon, .chart g.state.active > ellipse { stroke: var(--active); stroke-width: 3px; }
.chart g.node.state.active > path, .chart g.node.state.active > polygon { fill: #e8f0fe; }
.chart g.node.state.active text { font-weight: 700; fill: #1d4fb0; }
.chart g.cluster.state.active > path, .chart g.cluster.state.active > polygon { fill: #f2f7ff; }
.chart g.edge.taken > path { stroke: var(--active); stroke-width: 2.5px; }
.chart g.edge.taken > polygon { stroke: var(--active); fill: var(--active); }
.chart g.edge.taken text { fill: #1d4fb0; font-weight: 700; }
.panes { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 340px); gap: 14px; margin-top: 14px; align-items: start; }
.pane { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; min-width: 0; }
.context summary { cursor: pointer; font-size: 12px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); }
.context pre { font-size: 11px; overflow: auto; max-height: 420px; }
.timeline { list-style: none; margin: 0; padding: 0; }
.step { border-left: 3px solid var(--line); padding: 8px 10px; margin-bottom: 6px; border-radius: 0 6px 6px 0; cursor: pointer; }
.step:hover { background: #f8fafc; }
.step.accepted { border-left-color: #8bd3a8; }
.step.refused { border-left-color: #f1a7a0; }
.step.current { background: #eef4ff; outline: 1px solid #c5d7fb; }
.step.future { opacity: .45; }
.step-head { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.step-index { color: var(--muted); font-variant-numeric: tabular-nums; }
.step-event { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-weight: 600; }
.verdict { font-size: 12px; font-weight: 600; }
.verdict.ok { color: var(--ok); }
.verdict.no { color: var(--no); }
.step-at { font-size: 12px; color: var(--muted); margin-top: 2px; display: flex; gap: 8px; flex-wrap: wrap; }
.step-args { color: #52606d; }
.message { margin: 6px 0 0; line-height: 1.45; }
.pending { margin: 4px 0 0; font-size: 12px; color: var(--warn); }
.mismatch { margin: 4px 0 0; font-size: 12px; color: var(--no); }
.effects, .changes { margin-top: 6px; font-size: 12px; }
.effects ul { display: inline-flex; gap: 6px; flex-wrap: wrap; list-style: none; margin: 0 0 0 6px; padding: 0; }
.effect { background: #fff8e1; border: 1px solid #f7d070; border-radius: 4px; padding: 1px 6px; }
.changes table { border-collapse: collapse; margin-top: 2px; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 11px; }
.changes td { padding: 1px 8px 1px 0; vertical-align: top; white-space: nowrap; }
.changes td:last-child { white-space: normal; overflow-wrap: anywhere; }
.changes td.path { color: #0b4f8a; }
.changes td.arrow { color: var(--muted); }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } .panes { grid-template-columns: 1fr; } }
`;
