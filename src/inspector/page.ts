import { readFile } from 'node:fs/promises';
import type { ClientConfig } from './client/protocol.js';
import { InspectorError } from './errors.js';

/**
 * The page's HTML: no external resource; the script and style come from this server, the configuration is a JSON
 * data block the script reads (`<` escaped, so no value can end the block).
 */
export function pageHtml(config: ClientConfig): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
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
  <span id="connection" class="connection connecting" data-testid="connection"></span>
  <span class="spacer"></span>
  <button type="button" id="activity-toggle" class="activity-toggle" aria-expanded="false" aria-controls="activity"><span data-text="activity"></span> <span id="activity-count" class="count">0</span></button>
  <label class="load"><span data-text="load"></span><input id="file" type="file" accept=".json,application/json"></label>
  <div class="langs" role="group" aria-label="Language">
    <button type="button" data-lang="en" data-testid="lang-en">EN</button>
    <button type="button" data-lang="zh-CN" data-testid="lang-zh">中文</button>
  </div>
</header>
<div id="notice" class="notice" role="alert" hidden><span id="notice-text"></span><button type="button" id="notice-close" class="close" data-title="close">×</button></div>
<main>
  <nav>
    <div class="filters">
      <input id="filter-id" type="search" autocomplete="off">
      <select id="filter-state"></select>
      <label class="check"><input type="checkbox" id="filter-refused"> <span data-text="refusedOnly"></span></label>
      <span id="filter-count" class="filter-count"></span>
    </div>
    <div id="orders" class="orders"></div>
    <section id="stored" class="stored" hidden>
      <h2 data-text="stored"></h2>
      <div class="stored-filters">
        <input id="stored-id" type="search" autocomplete="off">
        <select id="stored-status"></select>
      </div>
      <div id="stored-list" class="orders stored-list"></div>
      <button type="button" id="stored-more" class="stored-more" data-text="more" hidden></button>
    </section>
  </nav>
  <p id="landing" class="landing" data-testid="landing" hidden></p>
  <section id="detail" hidden>
    <div class="toolbar" id="toolbar">
      <span id="current-order" class="current-order"></span>
      <span id="current-state" data-testid="current-state" class="status big"></span>
      <span class="spacer"></span>
      <div class="replay">
        <button type="button" id="first" data-testid="first">|◀</button>
        <button type="button" id="previous" data-testid="previous">◀</button>
        <span id="position" data-testid="position"></span>
        <button type="button" id="next" data-testid="next">▶</button>
        <button type="button" id="last" data-testid="last">▶|</button>
      </div>
      <label class="follow check"><input type="checkbox" id="follow"> <span data-text="follow"></span></label>
      <button type="button" id="export" class="export" data-text="export"></button>
    </div>
    <div class="workspace">
      <div class="chart-pane">
        <div class="chart-tools" role="group">
          <button type="button" id="zoom-out" data-title="zoomOut">−</button>
          <span id="zoom-level" class="zoom-level"></span>
          <button type="button" id="zoom-in" data-title="zoomIn">+</button>
          <button type="button" id="zoom-fit" data-text="fit"></button>
          <button type="button" id="zoom-reset" data-text="readable"></button>
        </div>
        <div id="chart" class="chart" data-testid="chart"></div>
      </div>
      <div id="timeline-pane" class="pane timeline-pane">
        <h2 data-text="timeline"></h2>
        <p id="timeline-empty" class="empty" data-text="noSteps" hidden></p>
        <button type="button" id="timeline-earlier" class="more-steps" hidden></button>
        <ol id="timeline" class="timeline"></ol>
        <button type="button" id="timeline-later" class="more-steps" hidden></button>
      </div>
      <div id="side-pane" class="pane side-pane">
        <h2 data-text="deadlines"></h2>
        <div id="deadlines" class="deadlines"></div>
        <h2 data-text="context"></h2>
        <div id="context" class="context"></div>
      </div>
    </div>
  </section>
</main>
<aside id="activity" class="activity" hidden>
  <div class="activity-head"><h2 data-text="activity"></h2><button type="button" id="activity-close" class="close" data-title="close">×</button></div>
  <ol id="activity-list" class="activity-list"></ol>
</aside>
<script type="application/json" id="inspector-config">${json}</script>
<script src="/app.js"></script>
</body>
</html>
`;
}

/** The bundled page script, read (or, from source, built) once per process. */
let script: Promise<string> | undefined;

/**
 * The page's script: the bundle `npm run build` writes next to this module (dist/src/inspector/app.js). Running
 * from source (vitest, tsx), this module is a `.ts` file with no bundle beside it: the script is bundled from
 * src/inspector/client/ on first use, with esbuild (a dev dependency, never loaded by the built package).
 */
export function pageScript(): Promise<string> {
  script ??= loadScript();
  return script;
}

async function loadScript(): Promise<string> {
  if (import.meta.url.endsWith('.ts')) {
    const builder = new URL('../../scripts/build-inspector-client.ts', import.meta.url).href;
    const { bundleInspectorClient } = (await import(builder)) as { bundleInspectorClient(): Promise<{ text: string }> };
    return (await bundleInspectorClient()).text;
  }
  const built = new URL('./app.js', import.meta.url);
  return readFile(built, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InspectorError(
      `Cannot read the inspector page's script ${built.pathname} (${error.code ?? error.message}): build the package with npm run build.`,
    );
  });
}

/** The page's style sheet: the page never scrolls as one; the toolbar stays, each pane scrolls on its own. */
export const pageCss = `
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --bg: #f5f7fa; --panel: #ffffff;
  --accent: #2f6fde; --ok: #1f8a4c; --no: #c0392b; --warn: #b7791f; --active: #1d4fb0; --active-fill: #dbe8ff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
  font-size: 14px; color: var(--ink); background: var(--bg);
}
html:lang(zh-CN) { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { height: 100%; }
body { margin: 0; height: 100vh; display: flex; flex-direction: column; overflow: hidden; }
header { flex: none; display: flex; align-items: center; gap: 10px; padding: 8px 16px; background: #102a43; color: #f0f4f8; flex-wrap: wrap; }
header h1 { font-size: 16px; margin: 0; font-weight: 600; letter-spacing: .2px; }
header h1 span { font-weight: 400; color: #9fb3c8; }
.spacer { flex: 1; }
.connection { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #334e68; }
.connection::before { content: "●"; margin-right: 5px; }
.connection.connected::before { color: #3ebd93; }
.connection.connecting::before { color: #f0b429; }
.connection.lost { background: #8a1c1c; }
.connection.lost::before { color: #ffb3b3; }
.langs button, .load, .activity-toggle { border: 1px solid #486581; background: transparent; color: inherit; border-radius: 6px; padding: 4px 10px; cursor: pointer; font: inherit; }
.langs button[aria-pressed="true"] { background: #f0f4f8; color: #102a43; }
.activity-toggle .count { display: inline-block; min-width: 18px; padding: 0 5px; border-radius: 9px; background: #334e68; font-size: 12px; text-align: center; }
.activity-toggle.has-entries .count { background: #f0b429; color: #102a43; }
.load input { display: none; }
.notice { flex: none; display: flex; gap: 12px; align-items: flex-start; background: #fde8e8; color: #8a1c1c; padding: 8px 16px; border-bottom: 1px solid #f5c2c2; }
.notice span { flex: 1; overflow-wrap: anywhere; }
.close { border: 0; background: transparent; color: inherit; font-size: 18px; line-height: 1; cursor: pointer; padding: 0 4px; }
main { flex: 1; min-height: 0; display: grid; grid-template-columns: 260px minmax(0, 1fr); }
nav { border-right: 1px solid var(--line); background: var(--panel); padding: 10px; overflow: auto; min-height: 0; }
.filters { display: grid; gap: 6px; margin-bottom: 10px; position: sticky; top: -10px; background: var(--panel); padding: 10px 0 6px; margin-top: -10px; z-index: 1; }
.stored { margin-top: 14px; border-top: 1px solid var(--line); padding-top: 8px; }
.stored h2 { font-size: 13px; margin: 0 0 6px; }
.stored-filters { display: grid; gap: 6px; margin-bottom: 8px; }
.stored-filters input[type="search"], .stored-filters select { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 6px; width: 100%; }
.stored-more { margin-top: 6px; width: 100%; }
.filters input[type="search"], .filters select { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 6px; width: 100%; }
.check { display: flex; align-items: center; gap: 4px; font-size: 13px; }
.filter-count { font-size: 12px; color: var(--muted); }
h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); margin: 2px 0 8px; }
.empty { color: var(--muted); font-size: 13px; line-height: 1.5; overflow-wrap: anywhere; }
.order { display: grid; gap: 4px; width: 100%; text-align: left; border: 1px solid var(--line); background: var(--panel); border-radius: 8px; padding: 7px 10px; margin-bottom: 6px; cursor: pointer; font: inherit; color: inherit; }
.order:hover { border-color: #9fb3c8; }
.order.selected { border-color: var(--accent); box-shadow: 0 0 0 2px #d6e4fd; }
.order-id { font-weight: 600; font-variant-numeric: tabular-nums; }
.order-meta { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
.order-name { font-size: 11px; color: var(--muted); }
.badge { font-size: 11px; padding: 1px 6px; border-radius: 4px; background: #e4e7eb; color: #3e4c59; }
.badge.live { background: #e3f8ff; color: #0b69a3; }
.badge.recording { background: #f0e7ff; color: #6b3fa0; }
.badge.disconnected, .badge.refused { background: #fde8e8; color: #8a1c1c; }
.badge.flag { background: #fff3c4; color: #8d5d00; }
.status { font-size: 11px; padding: 1px 7px; border-radius: 10px; background: #e4e7eb; white-space: nowrap; }
.status.big { font-size: 14px; padding: 3px 12px; font-weight: 700; }
.status-buyerCancellable { background: #fff3c4; color: #8d5d00; }
.status-unshipped { background: #dceefb; color: #0b4f8a; }
.status-labelGenerated { background: #d6e4fd; color: #1d4fb0; }
.status-shipped { background: #d5f5e3; color: #1f6f43; }
.status-canceled, .status-autoCanceled { background: #fde8e8; color: #8a1c1c; }
section { min-width: 0; min-height: 0; display: flex; flex-direction: column; padding: 0 14px 12px; }
.toolbar { position: sticky; top: 0; z-index: 2; flex: none; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; padding: 8px 0; background: var(--bg); border-bottom: 1px solid var(--line); margin-bottom: 10px; }
.current-order { font-weight: 600; font-size: 15px; }
.label { color: var(--muted); font-size: 12px; }
.replay { display: flex; align-items: center; gap: 6px; }
.replay button, .chart-tools button, .export { border: 1px solid var(--line); background: var(--panel); border-radius: 6px; padding: 3px 9px; cursor: pointer; font: inherit; color: inherit; }
.replay button:disabled, .export:disabled { opacity: .4; cursor: default; }
#position { min-width: 90px; text-align: center; font-variant-numeric: tabular-nums; }
.workspace { flex: 1; min-height: 0; display: grid; gap: 10px; grid-template-columns: minmax(0, 1fr) minmax(280px, 380px); grid-template-rows: minmax(160px, 50%) minmax(0, 1fr); grid-template-areas: "chart chart" "timeline side"; }
.chart-pane { grid-area: chart; position: relative; min-height: 0; display: flex; flex-direction: column; background: var(--panel); border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
/* The zoom bar is a row of its own above the chart, so it never covers a state. */
.chart-tools { flex: none; align-self: flex-end; display: flex; gap: 4px; align-items: center; padding: 4px 6px 0; }
.zoom-level { font-size: 12px; min-width: 44px; text-align: center; color: var(--muted); font-variant-numeric: tabular-nums; }
.chart { flex: 1; min-height: 0; overflow: auto; padding: 4px 6px 6px; cursor: grab; touch-action: none; }
.chart.panning { cursor: grabbing; user-select: none; }
.chart svg { display: block; margin: 0 auto; }
.chart svg text { user-select: none; }
/* Graphviz wraps each shape in <a> (for its tooltip): select descendants, not children. */
.chart g.node.state.active path, .chart g.node.state.active polygon, .chart g.node.state.active ellipse { fill: var(--active-fill); stroke: var(--active); stroke-width: 3.5px; }
.chart g.node.state.active text { font-weight: 700; fill: var(--active); }
.chart g.cluster.state.active > path, .chart g.cluster.state.active > polygon { stroke: #7ea4e8; stroke-width: 1.6px; }
.chart g.cluster.state.active > text { fill: var(--active); }
.chart g.edge.taken path { stroke: var(--active); stroke-width: 3px; }
.chart g.edge.taken polygon { stroke: var(--active); fill: var(--active); }
.chart g.edge.taken text { fill: var(--active); font-weight: 700; }
.pane { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; min-width: 0; min-height: 0; overflow: auto; }
.timeline-pane { grid-area: timeline; }
.side-pane { grid-area: side; }
.timeline { list-style: none; margin: 0; padding: 0; }
/* Entries off screen are not laid out (the timeline holds up to 180). */
.step { content-visibility: auto; contain-intrinsic-size: auto 96px; border-left: 3px solid var(--line); padding: 8px 10px; margin-bottom: 6px; border-radius: 0 6px 6px 0; cursor: pointer; }
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
.step-at { font-size: 12px; color: var(--muted); margin-top: 2px; }
.step-args { font-size: 12px; margin-top: 2px; }
.message { margin: 6px 0 0; line-height: 1.45; }
.message .date { white-space: nowrap; }
.pending { margin: 4px 0 0; font-size: 12px; color: var(--warn); }
.mismatch { margin: 4px 0 0; font-size: 12px; color: var(--no); }
.effects, .changes { margin-top: 6px; font-size: 12px; }
.effects ul { display: inline-flex; gap: 6px; flex-wrap: wrap; list-style: none; margin: 0 0 0 6px; padding: 0; }
.effect { background: #fff8e1; border: 1px solid #f7d070; border-radius: 4px; padding: 1px 6px; }
.changes table { width: 100%; table-layout: fixed; border-collapse: collapse; margin-top: 2px; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.changes td { padding: 1px 8px 1px 0; vertical-align: top; overflow-wrap: anywhere; }
.changes td.path { color: #0b4f8a; width: 30%; }
.changes td.before { width: 32%; }
.changes td.after { width: 34%; }
.changes td.arrow { width: 4%; }
.changes .value { white-space: normal; }
.changes td.arrow { color: var(--muted); }
.tree { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
ul.tree, .tree ul { list-style: none; margin: 0; padding-left: 14px; }
ul.tree.root { padding-left: 0; }
.tree li { margin: 1px 0; overflow-wrap: anywhere; }
details.tree { display: inline; }
details.tree[open] { display: block; }
details.tree > summary { display: inline; cursor: pointer; color: var(--muted); list-style: none; }
details.tree > summary::-webkit-details-marker { display: none; }
details.tree > summary::before { content: "▸ "; color: var(--accent); }
details.tree[open] > summary::before { content: "▾ "; }
.key { color: #0b4f8a; }
.value { white-space: nowrap; }
.value.string { color: #8d2b0b; white-space: normal; overflow-wrap: anywhere; }
.value.number { color: #1d4fb0; }
.value.boolean, .value.null, .value.none { color: #6b3fa0; }
.value.date { color: #1f6f43; border-bottom: 1px dotted #1f6f43; }
.deadlines table { border-collapse: collapse; width: 100%; font-size: 12px; margin-bottom: 12px; }
.deadlines th { text-align: left; font-weight: 600; padding: 3px 6px 3px 0; vertical-align: top; }
.deadlines td { padding: 3px 6px 3px 0; vertical-align: top; }
.deadlines tr { border-bottom: 1px solid var(--line); }
.deadlines .countdown { font-variant-numeric: tabular-nums; white-space: nowrap; }
.deadlines .at-step.passed { color: var(--no); }
.deadlines .at-step.open { color: var(--ok); }
.deadlines .at-step.ended { color: var(--muted); font-style: italic; }
.landing { margin: 0; padding: 40px 24px; color: var(--muted); font-size: 15px; line-height: 1.6; max-width: 640px; }
.more-steps { display: block; width: 100%; margin: 0 0 6px; border: 1px dashed var(--line); background: var(--bg); color: var(--muted); border-radius: 6px; padding: 4px; cursor: pointer; font: inherit; font-size: 12px; }
.deadlines tbody { display: block; }
.deadlines tr { display: flex; flex-wrap: wrap; column-gap: 12px; padding: 4px 0; }
.deadlines th { flex-basis: 100%; }
.deadlines td { padding: 1px 0; }
.activity { position: fixed; right: 12px; top: 52px; bottom: 12px; width: min(460px, calc(100vw - 24px)); z-index: 10; background: var(--panel); border: 1px solid var(--line); border-radius: 10px; box-shadow: 0 8px 30px rgba(16,42,67,.18); display: flex; flex-direction: column; }
.activity-head { display: flex; align-items: center; justify-content: space-between; padding: 10px 12px 0; }
.activity-list { list-style: none; margin: 0; padding: 6px 12px 12px; overflow: auto; font-size: 12px; }
.activity-entry { padding: 5px 0; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
.activity-entry time { color: var(--muted); font-variant-numeric: tabular-nums; }
.activity-entry.dropped, .activity-entry.ignored { color: #8a1c1c; }
@media (max-width: 900px) {
  main { grid-template-columns: minmax(0, 1fr); grid-template-rows: auto minmax(0, 1fr); }
  nav { border-right: 0; border-bottom: 1px solid var(--line); max-height: 150px; }
  .filters { grid-template-columns: 1fr 1fr auto auto; align-items: center; }
  .orders { display: flex; gap: 6px; flex-wrap: wrap; }
  .order { width: auto; margin: 0; }
  .workspace { grid-template-columns: minmax(0, 1fr) minmax(240px, 300px); grid-template-rows: minmax(140px, 40%) minmax(0, 1fr); }
}
`;
