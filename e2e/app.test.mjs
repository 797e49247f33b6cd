// End-to-end tests of the playground in real Chromium, against the `trunk build --release`
// output: the core flows a learner goes through, plus the safety promises (no request leaves
// the page, no secret in links or storage, no console error). Screenshots go to artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, gunzipSync, inflateRawSync } from 'node:zlib';
import { start, open, ready, byId, foreignRequests, ARTIFACTS, ROOT } from './harness.mjs';
import { readArrows, crossings, throughBoxes } from './drawing.mjs';

const KUBEPLAY = process.env.KUBEPLAY_BIN ?? join(ROOT, 'target', 'debug', 'kubeplay');
const REPLICAS = byId('f-components.todo-backend.replicas');
const TARGET_PORT = byId('f-components.todo-backend.service.targetPort');

let env;
const pages = [];

before(async () => {
  env = await start();
});

after(async () => {
  for (const { context } of pages) await context.close();
  await env?.stop();
});

async function fresh(options) {
  const opened = await open(env, options);
  pages.push(opened);
  return opened;
}

const shot = (page, name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
const manifests = (page) => page.locator('#manifests-yaml').textContent();
const valuesText = (page) => page.locator('#editor').inputValue();
const tab = (page, id) => page.click(`#${id}`);

/** Replace the editor's text as if typed (fires the input event). */
async function setText(page, text) {
  await tab(page, 'tab-text');
  await page.locator('#editor').fill(text);
}

/** Put `text` in the editor in one input event, as a paste does (Playwright's `fill` types it
 * through the editing commands, which takes seconds for a real app's 23 KB). */
async function paste(page, text) {
  await page.locator('#editor').evaluate((editor, t) => {
    editor.value = t;
    editor.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

/** Decode a share link's values the way the app encoded them: raw deflate, base64url. */
function sharedValues(link) {
  const fragment = new URL(link).hash.slice(1);
  const packed = new URLSearchParams(fragment).get('v');
  return inflateRawSync(Buffer.from(packed, 'base64url')).toString('utf8');
}

/** A share link's fragment as pages before the browser's own compression wrote it: raw deflate
 * at level 9 (Rust's miniz_oxide then, Node's zlib here), base64url without padding. */
function oldFormatFragment({ preset, profile, text }) {
  const packed = deflateRawSync(Buffer.from(text, 'utf8'), { level: 9 }).toString('base64url');
  return `p=${preset}&r=${profile}&m=values&v=${packed}`;
}

/** The app's limit on a shared text (MAX_SHARED_TEXT in app/src/share.rs). */
const MAX_SHARED_TEXT = 4 * 1024 * 1024;

test('the page loads and the default preset renders seven resources', async () => {
  const { page } = await fresh();
  assert.equal(await page.title(), 'kubeplay playground');
  await assert.doesNotReject(page.waitForSelector('#manifests-yaml'));
  assert.equal((await page.locator('[data-testid=resource-count]').textContent()).trim(), '7 resources');
  const yaml = await manifests(page);
  const kinds = [...yaml.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]).sort();
  assert.deepEqual(kinds, ['ConfigMap', 'Deployment', 'Deployment', 'Namespace', 'Secret', 'Service', 'Service']);
  await shot(page, '01-form-and-manifests');
});

test('changing replicas in the form changes the manifests and the values text', async () => {
  const { page } = await fresh();
  assert.match(await manifests(page), /name: todo-backend[\s\S]*?replicas: 1/);
  await page.fill(REPLICAS, '3');
  await page.waitForFunction(() => /replicas: 3/.test(document.querySelector('#manifests-yaml').textContent));
  const deployment = (await manifests(page)).split('---').find((d) => /kind: Deployment/.test(d) && /name: todo-backend\n/.test(d));
  assert.match(deployment, /^  replicas: 3$/m);
  assert.match(await valuesText(page), /todo-backend:\n(?: {4}.*\n)*? {4}replicas: 3\n/);
  // The other component is untouched.
  assert.match(await valuesText(page), /todo-frontend:\n(?: {4}.*\n)*? {4}replicas: 1\n/);
});

test('an edit shows which resources it changed, in the manifests and in the graph', async () => {
  const { page } = await fresh();
  await page.waitForSelector('#manifests-yaml');
  assert.equal(await page.locator('[data-testid=changes]').count(), 0, 'the first view changes nothing');
  await page.fill(REPLICAS, '3');
  await page.locator('[data-testid=changes]').waitFor();
  assert.deepEqual(await page.locator('[data-testid=changes] .change').allTextContents(), ['Deployment/todo-backend modified']);
  await tab(page, 'tab-graph');
  assert.deepEqual(await page.$$eval('.graph .node.changed', (nodes) => nodes.map((n) => n.dataset.id)), ['todo-chatbot/Deployment/todo-backend']);
  await shot(page, '16-graph-changed-node');
  // The change is a link to the resource.
  await tab(page, 'tab-manifests');
  await page.click('[data-testid=changes] button.change');
  assert.equal(await page.inputValue('#resource-select'), 'Deployment/todo-backend');
  const shown = await manifests(page);
  assert.match(shown, /replicas: 3/);
  assert.doesNotMatch(shown, /kind: Service/);
  // A text that does not load in between is no change: the next good one is compared with the last good one.
  await setText(page, (await valuesText(page)).replace('replicas: 3', 'replicas: [3'));
  await page.waitForFunction(() => document.querySelector('[data-testid=error-count]').textContent !== '0');
  assert.equal(await page.locator('[data-testid=changes]').count(), 0, 'no manifests, no changes');
  await setText(page, (await valuesText(page)).replace('replicas: [3', 'replicas: 4'));
  await page.waitForFunction(() => /Deployment\/todo-backend modified/.test(document.querySelector('[data-testid=changes]')?.textContent ?? ''));
});

test('the manifests compare with the state before the last edit and with the preset as it ships', async () => {
  const { page } = await fresh();
  await page.waitForSelector('#manifests-yaml');
  await page.selectOption('#manifests-compare', 'edit');
  assert.match(await page.locator('[data-testid=no-diff]').textContent(), /No edit yet/);
  await page.fill(REPLICAS, '3');
  await page.waitForFunction(() => /^\+  replicas: 3$/m.test(document.querySelector('#manifests-diff')?.textContent ?? ''));
  const lines = await page.$$eval('#manifests-diff span', (all) => all.map((s) => [s.className, s.textContent.trimEnd()]));
  assert.deepEqual(lines.filter(([c]) => c === 'add' || c === 'del'), [['del', '-  replicas: 1'], ['add', '+  replicas: 3']]);
  assert.deepEqual(lines.slice(0, 2), [['head', '--- before the last edit'], ['head', '+++ now']]);
  await shot(page, '19-manifests-diff');
  // A second edit is compared with the first one's result; the preset with the shipped values.
  await page.fill(REPLICAS, '4');
  await page.waitForFunction(() => /^-  replicas: 3\n\+  replicas: 4$/m.test(document.querySelector('#manifests-diff')?.textContent ?? ''));
  await page.selectOption('#manifests-compare', 'preset');
  await page.waitForFunction(() => /^-  replicas: 1\n\+  replicas: 4$/m.test(document.querySelector('#manifests-diff')?.textContent ?? ''));
  await page.selectOption('#manifests-compare', '');
  await page.locator('#manifests-yaml').waitFor();
  // Pasted manifests have no preset.
  await page.click('#mode-manifests');
  assert.equal(await page.locator('#manifests-compare option[value=preset]').isDisabled(), true);
});

test('an edit that changes a field no update may change is named in the diff, and leads to its line', async () => {
  const { page } = await fresh();
  const deployment = (app) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: ${app}}\n  template:\n    metadata: {labels: {app: ${app}}}\n    spec:\n      containers: [{name: web, image: web:1.0}]\n`;
  await pasteManifests(page, deployment('web'));
  await page.selectOption('#manifests-compare', 'edit');
  // Replicas may change: nothing is refused.
  await page.locator('#editor').fill(deployment('web').replace('spec:\n  selector', 'spec:\n  replicas: 2\n  selector'));
  await page.waitForFunction(() => /\+  replicas: 2/.test(document.querySelector('#manifests-diff')?.textContent ?? ''));
  assert.equal(await page.locator('[data-testid=refused-updates]').count(), 0);
  await page.locator('#editor').fill(deployment('frontend'));
  const refused = page.locator('[data-testid=refused-updates] .problem');
  await refused.first().waitFor();
  assert.equal(await refused.count(), 1);
  assert.equal(await refused.getAttribute('data-rule'), 'immutable-field');
  assert.match(await refused.textContent(), /may not make this change to spec\.selector.*"web".*"frontend"/);
  await shot(page, '19c-manifests-diff-refused');
  // It leads to the selector's line in the text.
  await refused.locator('.problem-go').click();
  // The editor selects it in an effect after the click, as for the problems list.
  await page.waitForFunction(() => document.activeElement?.id === 'editor');
  const line = await page.$eval('#editor', (t) => t.value.slice(0, t.selectionStart).split('\n').length);
  assert.equal(line, 6);
  // Against the state before, an edit back is refused just the same; the same text again is no edit.
  await page.locator('#editor').fill(deployment('web'));
  await page.waitForFunction(() => /"frontend", the input "web"/.test(document.querySelector('[data-testid=refused-updates]')?.textContent ?? ''));
});

test('picking a graph node shows its relationships, why each holds or what breaks it', async () => {
  const { page } = await fresh();
  await setText(page, (await valuesText(page)).replace('targetPort: http', 'targetPort: htp'));
  await tab(page, 'tab-graph');
  const service = page.locator('.graph .node[data-id="todo-chatbot/Service/todo-backend"]');
  await service.click();
  const relations = page.locator('[data-testid=relations]');
  await relations.waitFor();
  assert.match(await relations.locator('h3').textContent(), /^Service todo-backend: \d+ relationships/);
  const holds = await relations.locator('li.relation.holds').allTextContents();
  assert.ok(holds.some((r) => /selects todo-chatbot\/Pods\/todo-backend.*selector matches the pods' labels/.test(r)), holds.join(' | '));
  const broken = relations.locator('li.relation.broken');
  assert.equal(await broken.count(), 1);
  assert.match(await broken.textContent(), /Broken: .*htp.*Fix: /);
  // Everything else is dimmed; the picked node and its neighbours are not.
  assert.equal(await page.locator('.graph .node.selected').getAttribute('data-id'), 'todo-chatbot/Service/todo-backend');
  assert.ok((await page.locator('.graph .node.dim').count()) > 0);
  assert.equal(await page.locator('.graph .node[data-id="todo-chatbot/Pods/todo-backend"].dim').count(), 0);
  await shot(page, '17-graph-relations');
  // By keyboard: focus another node, Enter picks it, Escape lets go.
  await page.locator('.graph .node[data-id="todo-chatbot/Deployment/todo-frontend"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /^Deployment todo-frontend:/.test(document.querySelector('[data-testid=relations] h3')?.textContent ?? ''));
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('[data-testid=relations]') && !document.querySelector('.graph .dim'));
});

test('the graph works by keyboard alone: arrows go to neighbours, Enter picks', async () => {
  const { page } = await fresh();
  await tab(page, 'tab-graph');
  const focused = () => page.evaluate(() => document.activeElement?.dataset?.id ?? null);
  const ends = await page.$$eval('.graph .edge[data-ends]', (all) => all.map((e) => e.dataset.ends.split(' ')));
  // Tab from the graph's tab reaches a node, through the toolbar and the filters.
  await page.focus('#tab-graph');
  let presses = 0;
  while (!(await page.evaluate(() => document.activeElement?.matches('.graph .node') ?? false))) {
    assert.ok(++presses <= 60, `no node reached after ${presses - 1} presses of Tab (at ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80))})`);
    await page.keyboard.press('Tab');
  }
  await page.locator('.graph .node[data-id="todo-chatbot/Service/todo-backend"]').focus();
  // Right: along an arrow out of the Service; Left: back along an arrow into where it landed.
  await page.keyboard.press('ArrowRight');
  const right = await focused();
  assert.ok(ends.some(([from, to]) => from === 'todo-chatbot/Service/todo-backend' && to === right), `${right} is not pointed at by the Service`);
  await page.keyboard.press('ArrowLeft');
  const left = await focused();
  assert.ok(ends.some(([from, to]) => from === left && to === right), `${left} does not point at ${right}`);
  // Up and Down: the nearest node above or below on screen, from the top one.
  const y = (id) => page.evaluate((id) => document.querySelector(`.graph .node[data-id="${id}"]`).getBoundingClientRect().y, id);
  const top = await page.$$eval('.graph .node', (all) => all.map((n) => [n.getBoundingClientRect().y, n.dataset.id]).sort((a, b) => a[0] - b[0])[0][1]);
  await page.locator(`.graph .node[data-id="${top}"]`).focus();
  const before = await focused();
  await page.keyboard.press('ArrowDown');
  const below = await focused();
  assert.notEqual(below, before);
  assert.ok((await y(below)) > (await y(before)), `${below} is not below ${before}`);
  await page.keyboard.press('ArrowUp');
  assert.ok((await y(await focused())) < (await y(below)));
  // Enter picks the focused node, as a click does.
  const picked = await focused();
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => document.querySelector('.graph .node.selected')?.dataset.id === id, picked);
  await page.locator('[data-testid=relations]').waitFor();
});

/** How large the graph's node names are on screen, in CSS pixels (drawn at 13 units). */
const nameSize = (page) => page.evaluate(() => {
  const name = document.querySelector('.graph .node .name');
  const svg = name.ownerSVGElement;
  return 13 * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
});

test('graph names are readable at the start, the graph zooms and fits, and leaves as DOT or Mermaid', async () => {
  const { page, context } = await fresh();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  await tab(page, 'tab-graph');
  await page.locator('.graph .node').first().waitFor();
  const start = await nameSize(page);
  assert.ok(start >= 12, `node names are ${start.toFixed(1)} px at 1440x900`);
  await page.click('#zoom-in');
  await page.waitForFunction((s) => 13 * document.querySelector('.graph svg').getBoundingClientRect().width / document.querySelector('.graph svg').viewBox.baseVal.width > s * 1.2, start);
  await page.click('#zoom-fit');
  await page.waitForFunction(() => {
    const graph = document.querySelector('.graph');
    return Math.abs(graph.querySelector('svg').getBoundingClientRect().width - graph.clientWidth) < 2;
  });
  assert.equal(await page.getAttribute('#zoom-fit', 'aria-pressed'), 'true');
  const fitted = await nameSize(page);
  await page.click('#zoom-out');
  await page.waitForFunction((f) => 13 * document.querySelector('.graph svg').getBoundingClientRect().width / document.querySelector('.graph svg').viewBox.baseVal.width < f * 0.9, fitted);
  // Ctrl and the wheel zoom in.
  const before = await nameSize(page);
  await page.locator('.graph').hover();
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -100);
  await page.keyboard.up('Control');
  await page.waitForFunction((b) => 13 * document.querySelector('.graph svg').getBoundingClientRect().width / document.querySelector('.graph svg').viewBox.baseVal.width > b * 1.2, before);
  // The graph leaves the page as core writes it: DOT for Graphviz, Mermaid for Markdown.
  const dir = mkdtempSync(join(tmpdir(), 'kubeplay-graph-'));
  for (const [button, file, start] of [['#graph-dot', 'graph.dot', /^digraph /], ['#graph-mermaid', 'graph.mmd', /^flowchart LR\n/]]) {
    const download = await Promise.all([page.waitForEvent('download'), page.click(button)]).then(([d]) => d);
    assert.equal(download.suggestedFilename(), file);
    await download.saveAs(join(dir, file));
    const text = readFileSync(join(dir, file), 'utf8');
    assert.match(text, start);
    assert.match(text, /Deployment\/todo-backend/);
    // Or copied: the same text on the clipboard.
    await page.click(`${button.replace('#graph-', '#graph-copy-')}`);
    await page.waitForFunction((t) => navigator.clipboard.readText().then((c) => c === t), text);
  }
  execFileSync('dot', ['-Tsvg', '-o', join(dir, 'graph.svg'), join(dir, 'graph.dot')]);
  assert.match(readFileSync(join(dir, 'graph.svg'), 'utf8'), /<svg/);
  await page.click('#zoom-readable');
  await page.waitForFunction((s) => Math.abs(13 * document.querySelector('.graph svg').getBoundingClientRect().width / document.querySelector('.graph svg').viewBox.baseVal.width - s) < 0.2, start);
  await shot(page, '18-graph-readable');
});

test('two fingers pinch the graph to zoom it, on a phone', async () => {
  const { page, context } = await fresh({ viewport: { width: 390, height: 844 }, hasTouch: true });
  await tab(page, 'tab-graph');
  await page.locator('.graph .node').first().waitFor();
  await page.locator('.graph').scrollIntoViewIfNeeded();
  const box = await page.locator('.graph').boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + Math.min(box.height, 300) / 2];
  // Chromium makes pointer events of these touches, as of a real screen's.
  const cdp = await context.newCDPSession(page);
  const fingers = (apart) => [{ x: x - apart / 2, y, id: 1 }, { x: x + apart / 2, y, id: 2 }];
  const pinch = async (from, to) => {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: fingers(from) });
    for (let i = 1; i <= 8; i++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: fingers(from + ((to - from) * i) / 8) });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  };
  const before = await nameSize(page);
  await pinch(60, 150);
  await page.waitForFunction((b) => 13 * document.querySelector('.graph svg').getBoundingClientRect().width / document.querySelector('.graph svg').viewBox.baseVal.width > b * 2, before);
  const spread = await nameSize(page);
  await pinch(150, 60);
  await page.waitForFunction((s) => 13 * document.querySelector('.graph svg').getBoundingClientRect().width / document.querySelector('.graph svg').viewBox.baseVal.width < s * 0.5, spread);
  // The page itself was not zoomed: it is still as wide as the screen.
  assert.equal(await page.evaluate(() => window.visualViewport.scale), 1);
});

test('the graph leaves as SVG and PNG pictures as drawn, a mouse drags it around, and a minimap shows where', async () => {
  const { page } = await fresh();
  await page.click('#mode-manifests');
  await paste(page, BOUTIQUE);
  await tab(page, 'tab-graph');
  await page.locator('.graph [data-id="default/Pods/frontend"]').waitFor();
  const drawn = await page.$eval('.graph svg', (svg) => ({ width: svg.viewBox.baseVal.width, height: svg.viewBox.baseVal.height, nodes: svg.querySelectorAll('.node').length }));
  const dir = mkdtempSync(join(tmpdir(), 'kubeplay-pictures-'));
  const svgDownload = await Promise.all([page.waitForEvent('download'), page.click('#graph-svg')]).then(([d]) => d);
  assert.equal(svgDownload.suggestedFilename(), 'graph.svg');
  await svgDownload.saveAs(join(dir, 'graph.svg'));
  const svg = readFileSync(join(dir, 'graph.svg'), 'utf8');
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  // Standalone: the page's look is inline, so a viewer without the stylesheet draws it alike.
  assert.match(svg, /<rect [^>]*fill="rgb\(/);
  assert.doesNotMatch(svg, / style="/, 'no style attribute (the CSP refuses them)');
  assert.ok(svg.includes('frontend'));
  // Another page, without the app, shows every node of it at the drawing's size.
  const viewer = await page.context().newPage();
  await viewer.setContent(svg);
  const shown = await viewer.$eval('svg', (s) => ({ width: s.getBoundingClientRect().width, nodes: s.querySelectorAll('.node').length, fill: getComputedStyle(s.querySelector('.node rect')).fill }));
  await viewer.close();
  assert.equal(shown.nodes, drawn.nodes);
  assert.equal(Math.round(shown.width), Math.round(drawn.width));
  assert.notEqual(shown.fill, 'rgb(0, 0, 0)', 'nodes keep their colour');
  const pngDownload = await Promise.all([page.waitForEvent('download'), page.click('#graph-png')]).then(([d]) => d);
  assert.equal(pngDownload.suggestedFilename(), 'graph.png');
  await pngDownload.saveAs(join(dir, 'graph.png'));
  const png = readFileSync(join(dir, 'graph.png'));
  assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'a PNG');
  // Twice the drawing's size (IHDR's width and height).
  assert.equal(png.readUInt32BE(16), Math.ceil(drawn.width * 2));
  assert.equal(png.readUInt32BE(20), Math.ceil(drawn.height * 2));

  // A drag on the pane scrolls it by as far as the mouse went, and picks nothing.
  await page.locator('.graph').evaluate((g) => { g.scrollLeft = 0; });
  const pane = await page.locator('.graph').boundingBox();
  const before = await page.$eval('.graph', (g) => [g.scrollLeft, g.scrollTop]);
  const [x, y] = [pane.x + pane.width - 40, pane.y + 40];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x - 150, y - 20, { steps: 5 });
  await page.mouse.move(x - 300, y, { steps: 5 });
  await page.mouse.up();
  const after = await page.$eval('.graph', (g) => [g.scrollLeft, g.scrollTop]);
  assert.equal(after[0] - before[0], 300, JSON.stringify({ before, after }));
  assert.equal(await page.locator('.graph .node.selected').count(), 0);
  // A click without a drag still picks.
  await page.locator('.graph [data-id="default/Pods/frontend"]').click();
  await page.locator('.graph .node.selected').waitFor();

  // The minimap shows the whole drawing and the part on screen; a click there goes there.
  const minimap = page.locator('[data-testid=minimap]');
  await minimap.waitFor();
  assert.equal(await minimap.locator('.dot').count(), drawn.nodes);
  await page.$eval('.graph', (g) => { g.scrollLeft = 0; g.scrollTop = 0; });
  await page.waitForFunction(() => Number(document.querySelector('.minimap .viewport').getAttribute('x')) === 0);
  const box = await minimap.boundingBox();
  await page.mouse.click(box.x + box.width - 5, box.y + box.height / 2);
  await page.waitForFunction(() => document.querySelector('.graph').scrollLeft > 0);
  const frame = await page.$eval('.minimap .viewport', (r) => Number(r.getAttribute('x')) + Number(r.getAttribute('width')));
  assert.ok(frame > drawn.width * 0.9, `the frame moved to the right end: ${frame} of ${drawn.width}`);
  await shot(page, '21-graph-minimap');
  // Fit shows all of the drawing's width; at a phone's height some still scrolls, so the map stays
  // only while part is hidden.
  await page.click('#zoom-fit');
  await page.waitForFunction(() => {
    const v = document.querySelector('.minimap .viewport');
    return !v || Number(v.getAttribute('width')) + 1 >= document.querySelector('.graph svg').viewBox.baseVal.width;
  });
});

test('an unknown key shows an error at its line and keeps the form', async () => {
  const { page } = await fresh();
  const original = await valuesText(page);
  const lines = original.split('\n');
  const at = lines.findIndex((l) => l === '  todo-backend:') + 1;
  lines.splice(at, 0, '    replica: 2');
  await setText(page, lines.join('\n'));
  const line = at + 1;
  const errors = page.locator('[data-testid=editor-errors]');
  await errors.getByText(`Line ${line}, column 5`).waitFor();
  assert.match(await errors.textContent(), /unknown key replica/);
  assert.equal(await errors.locator("code").first().textContent(), "replica", "backticks are set as code");
  assert.match(await page.locator(`.gutter .mark.error`).first().textContent(), new RegExp(`^${line}$`));
  await shot(page, '02-text-unknown-key');
  // The form keeps the last valid values, read-only, with a banner.
  await tab(page, 'tab-form');
  await page.locator('[data-testid=form-banner]').waitFor();
  assert.equal(await page.inputValue(REPLICAS), '1');
  assert.notEqual(await page.getAttribute('fieldset.form', 'disabled'), null);
  assert.equal(await page.isDisabled(REPLICAS), true, 'the form is read-only while the text is broken');
  await shot(page, '03-form-read-only-banner');
  // The problem is listed with its rule, and clicking it selects the line in the editor.
  await tab(page, 'tab-problems');
  const problem = page.locator('.problem[data-rule=unknown-key]');
  assert.match(await problem.textContent(), /did you mean replicas\?/);
  assert.equal(await problem.locator('.help code').textContent(), 'replicas', 'backticks are set as code');
  await tab(page, 'tab-text');
  await problem.locator('button.problem-go').click();
  await page.waitForFunction(() => document.activeElement?.id === 'editor');
  const selected = await page.$eval('#editor', (t) => t.value.slice(t.selectionStart, t.selectionEnd));
  assert.equal(selected, '    replica: 2');
});

test('the editor colours YAML as Helm reads it, squiggles each finding, and steps through them by F8', async () => {
  const { page } = await fresh();
  const lines = (await valuesText(page)).split('\n');
  const tagLine = lines.findIndex((l) => l.trim().startsWith('tag:'));
  // Two unknown keys; `on` is a boolean to Helm, coloured as one.
  lines.splice(tagLine + 1, 0, lines[tagLine].replace(/tag: .*/, 'tga: on'));
  lines.splice(lines.indexOf('  todo-backend:') + 1, 0, '    replica: 2');
  await setText(page, lines.join('\n'));
  await page.locator('#editor').evaluate((t) => { t.scrollTop = 0; });
  const squiggles = page.locator('.backdrop .squiggle.error');
  await page.waitForFunction(() => document.querySelectorAll('.backdrop .squiggle.error').length === 2);
  assert.deepEqual(await squiggles.allTextContents(), ['replica', 'tga']);
  assert.equal(await page.locator('.backdrop .yaml-bool', { hasText: /^on$/ }).count(), 1);
  assert.ok((await page.locator('.backdrop .yaml-key').count()) > 20, 'keys are coloured');
  const tagLine1 = tagLine + 2;
  // The coloured copy lies exactly under the textarea's own text: the squiggle starts at its
  // column, counted in the textarea's font.
  const aligned = await page.evaluate((line) => {
    const area = document.querySelector('#editor');
    const style = getComputedStyle(area);
    const probe = document.createElement('span');
    probe.style.font = style.font;
    probe.style.whiteSpace = 'pre';
    probe.textContent = area.value.split('\n')[line].slice(0, area.value.split('\n')[line].indexOf('tga'));
    document.body.append(probe);
    const want = area.getBoundingClientRect().left + parseFloat(style.paddingLeft) + probe.getBoundingClientRect().width - area.scrollLeft;
    // The pointer's columns are counted with the backdrop's measure: the textarea's font too.
    probe.textContent = '0123456789';
    const measured = document.querySelector('.backdrop .measure').getBoundingClientRect().width - probe.getBoundingClientRect().width;
    probe.remove();
    const squiggle = document.querySelectorAll('.backdrop .squiggle.error')[1].getBoundingClientRect();
    const middle = area.getBoundingClientRect().top + parseFloat(style.paddingTop) + (line + 0.5) * parseFloat(style.lineHeight) - area.scrollTop;
    return { dx: Math.abs(squiggle.left - want), dy: Math.abs((squiggle.top + squiggle.bottom) / 2 - middle), measured: Math.abs(measured) };
  }, tagLine1);
  assert.ok(aligned.dx < 1 && aligned.dy < 1.5 && aligned.measured < 0.5, JSON.stringify(aligned));
  // F8 selects the first finding and says it; again, the next; Shift+F8 back.
  const editor = page.locator('#editor');
  await editor.focus();
  await editor.evaluate((t) => t.setSelectionRange(0, 0));
  const selected = () => editor.evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
  await page.keyboard.press('F8');
  assert.equal(await selected(), 'replica');
  assert.match(await page.locator('#editor-status').textContent(), /unknown key replica.*unknown-key/);
  await page.keyboard.press('F8');
  assert.equal(await selected(), 'tga');
  await page.locator('#editor-status', { hasText: `Line ${tagLine1 + 1}` }).waitFor();
  assert.match(await page.locator('#editor-status').textContent(), /unknown key tga/);
  await page.keyboard.press('Shift+F8');
  assert.equal(await selected(), 'replica');
  await page.click('#next-problem');
  assert.equal(await selected(), 'tga', 'the button steps as F8 does');
  // The pointer over a squiggle gives its message as the tooltip.
  const box = await squiggles.nth(1).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => /unknown key tga/.test(document.querySelector('#editor').title));
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 100);
  await page.waitForFunction(() => document.querySelector('#editor').title === '');
  await shot(page, '02b-editor-squiggles');
});

test('a pasted real app is coloured only where the editor shows it, and follows its scrolling', async () => {
  const { page } = await fresh();
  await page.click('#mode-manifests');
  await tab(page, 'tab-text');
  await paste(page, BOUTIQUE);
  const total = BOUTIQUE.split('\n').length;
  const shown = () => page.locator('.backdrop pre').evaluate((p) => p.textContent.split('\n').length - 1);
  await page.waitForFunction(() => document.querySelector('.backdrop pre').textContent.includes('apiVersion'));
  assert.ok((await shown()) <= 96, `a window of lines, not all ${total}`);
  await page.locator('#editor').evaluate((t) => { t.scrollTop = t.scrollHeight; });
  const last = BOUTIQUE.trimEnd().split('\n').at(-1).trim();
  await page.waitForFunction((text) => document.querySelector('.backdrop pre').textContent.includes(text), last);
  // The last line's colours sit on the textarea's last line.
  const gap = await page.evaluate((text) => {
    const area = document.querySelector('#editor');
    const line = area.value.trimEnd().split('\n').length - 1;
    const style = getComputedStyle(area);
    const want = area.getBoundingClientRect().top + parseFloat(style.paddingTop) + line * parseFloat(style.lineHeight) - area.scrollTop;
    const spans = [...document.querySelectorAll('.backdrop pre span')].filter((s) => text.includes(s.textContent) && s.textContent.length > 2);
    const box = spans.at(-1).getBoundingClientRect();
    return Math.abs((box.top + box.bottom) / 2 - want - parseFloat(style.lineHeight) / 2);
  }, last);
  assert.ok(gap < 1.5, `off by ${gap}px`);
  await shot(page, '02c-editor-scrolled');
});

test("breaking the backend Service's targetPort draws a red edge and lists the problem", async () => {
  const { page } = await fresh();
  await tab(page, 'tab-graph');
  assert.equal(await page.locator('.graph .edge.broken').count(), 0);
  await shot(page, '04-graph');
  await page.fill(TARGET_PORT, 'htp');
  const broken = page.locator('.graph .edge.broken');
  await broken.first().waitFor();
  const rule = await broken.first().getAttribute('data-rule');
  assert.ok(rule, 'a broken edge names its rule');
  const title = await broken.first().locator('title').textContent();
  assert.match(title, /todo-backend/);
  assert.match(title, new RegExp(`\\[${rule}\\]`));
  const stroke = await broken.first().locator('path').evaluate((p) => getComputedStyle(p).stroke);
  assert.match(stroke, /^rgb\((19[0-9]|2[0-5][0-9]), \d{1,2}, \d{1,2}\)$/, `red stroke, got ${stroke}`);
  // Keyboard: the edge can be focused and carries its explanation.
  assert.equal(await broken.first().getAttribute('tabindex'), '0');
  assert.match(await broken.first().getAttribute('aria-label'), /Broken/);
  await broken.first().focus();
  await shot(page, '05-graph-broken-edge');
  await tab(page, 'tab-problems');
  const problem = page.locator(`.problem[data-rule="${rule}"]`);
  await problem.first().waitFor();
  assert.match(await problem.first().textContent(), /error|warning/i);
  await shot(page, '06-problems');
  // Clicking the problem (form open) focuses the field it is about.
  await tab(page, 'tab-form');
  await problem.first().locator('button.problem-go').click();
  const focused = await page.evaluate(() => document.activeElement?.id ?? '');
  assert.match(focused, /^f-components\.todo-backend\.service/);
  // Its "graph" link shows the Service in the graph: tab forward, node picked and focused, its
  // relationships listed with the broken one and its fix.
  await tab(page, 'tab-problems');
  await problem.first().locator('button.graph-link').click();
  const node = page.locator('.graph .node[data-id="todo-chatbot/Service/todo-backend"]');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-id') === 'todo-chatbot/Service/todo-backend');
  assert.equal(await page.getAttribute('#tab-graph', 'aria-selected'), 'true');
  assert.match(await node.getAttribute('class'), /\bselected\b/);
  const relations = page.locator('[data-testid=relations]');
  assert.match(await relations.textContent(), new RegExp(`Broken: [\\s\\S]*${rule}[\\s\\S]*Fix: `));
});

/** The graph's edge labels, node boxes and namespace bands (box and title) as drawn, in page pixels. */
function graphBoxes(page) {
  return page.evaluate(() => {
    const box = (e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, text: e.textContent };
    };
    return {
      labels: [...document.querySelectorAll('.graph .edge-label')].map((g) => ({ ...box(g.querySelector('rect')), words: box(g.querySelector('text')) })),
      nodes: [...document.querySelectorAll('.graph .node')].map((g) => ({ ...box(g.querySelector('rect')), id: g.dataset.id })),
      bands: [...document.querySelectorAll('.graph .namespace')].map((g) => ({ ...box(g.querySelector('rect')), namespace: g.dataset.namespace, title: box(g.querySelector('text')) })),
    };
  });
}

const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Every edge label's words fit in its box, and no label overlaps another or a node. */
async function assertLabelsClear(page) {
  const { labels, nodes } = await graphBoxes(page);
  assert.ok(labels.length >= 5, `only ${labels.length} edge labels drawn`);
  const inside = (inner, outer) => inner.left >= outer.left && inner.right <= outer.right && inner.top >= outer.top && inner.bottom <= outer.bottom;
  for (const [i, a] of labels.entries()) {
    a.text = a.words.text;
    assert.ok(a.words.right > a.words.left && a.words.bottom > a.words.top, `label "${a.text}" has no size`);
    // The box is sized from estimated glyph widths: the words drawn must fit in it.
    assert.ok(inside(a.words, a), `label "${a.text}" sticks out of its box: ${JSON.stringify(a)}`);
    for (const b of labels.slice(i + 1)) assert.ok(!overlap(a, b), `labels overlap: "${a.text}" and "${b.words.text}"`);
    for (const n of nodes) assert.ok(!overlap(a, n), `label "${a.text}" covers a node`);
  }
}

for (const [name, preset, edit] of [
  ['default preset', null, null],
  ['demo preset', 'demo', null],
  ['default preset with a broken targetPort', null, (text) => text.replace('targetPort: http', 'targetPort: htp')],
]) {
  test(`graph edge labels do not overlap each other or the nodes: ${name}`, async () => {
    const { page } = await fresh();
    if (preset) await page.selectOption('#preset', preset);
    if (edit) await setText(page, edit(await valuesText(page)));
    await tab(page, 'tab-graph');
    if (edit) await page.locator('.graph .edge.broken').first().waitFor();
    await assertLabelsClear(page);
    await page.locator('[data-testid=graph]').screenshot({ path: join(ARTIFACTS, `12-graph-labels-${name.replaceAll(' ', '-')}.png`) });
  });
}

const SOCK_SHOP = readFileSync(join(ROOT, 'e2e', 'fixtures', 'sock-shop.yaml'), 'utf8');
const BOUTIQUE = readFileSync(join(ROOT, 'core', 'benches', 'fixtures', 'online-boutique.yaml'), 'utf8');
/** Per graph, kubeplay's crossings and dot's: written to artifacts/ for BENCHMARKS.md. */
const layoutRecord = {};

for (const [name, setUp] of [
  ['default preset', async () => {}],
  ['demo preset', async (page) => page.selectOption('#preset', 'demo')],
  ['Online Boutique', async (page) => { await page.click('#mode-manifests'); await paste(page, BOUTIQUE); }],
  ['Sock Shop', async (page) => { await page.click('#mode-manifests'); await paste(page, SOCK_SHOP); }],
]) {
  test(`the graph's layout: no node over another, no label over a label or a node, no arrow through a node, no more crossings than dot: ${name}`, async () => {
    const { page, context } = await fresh();
    await setUp(page);
    await tab(page, 'tab-graph');
    await page.locator('.graph .node').first().waitFor();
    // The drawing's own units: node boxes as drawn, arrows along their paths.
    const nodes = await page.$$eval('.graph .node rect', (rects) => rects.map((r) => {
      const [x, y, w, h] = ['x', 'y', 'width', 'height'].map((a) => Number(r.getAttribute(a)));
      return { left: x, top: y, right: x + w, bottom: y + h };
    }));
    for (const [i, a] of nodes.entries()) for (const b of nodes.slice(i + 1)) assert.ok(!overlap(a, b), `nodes overlap: ${JSON.stringify([a, b])}`);
    const ours = await readArrows(page, '.graph');
    assert.ok(ours.length >= 5, `only ${ours.length} arrows`);
    assert.deepEqual(throughBoxes(ours, nodes), [], 'an arrow runs through a node');
    await assertLabelsClear(page);
    // Graphviz lays out the DOT the page offers (core's, the same arrows) in a blank page.
    const dir = mkdtempSync(join(tmpdir(), 'kubeplay-layout-'));
    const download = await Promise.all([page.waitForEvent('download'), page.click('#graph-dot')]).then(([d]) => d);
    await download.saveAs(join(dir, 'graph.dot'));
    const dotSvg = execFileSync('dot', ['-Tsvg', join(dir, 'graph.dot')], { encoding: 'utf8' });
    const blank = await context.newPage();
    await blank.setContent(dotSvg.slice(dotSvg.indexOf('<svg')));
    const theirs = await readArrows(blank, 'svg');
    await blank.close();
    assert.equal(theirs.length, ours.length, 'dot draws the same arrows');
    const counted = { kubeplay: crossings(ours), dot: crossings(theirs), arrows: ours.length, nodes: nodes.length };
    layoutRecord[name] = counted;
    writeFileSync(join(ARTIFACTS, 'graph-crossings.json'), JSON.stringify(layoutRecord, null, 2));
    assert.ok(counted.kubeplay <= counted.dot, `${name}: ${JSON.stringify(counted)}`);
    await page.click('#zoom-fit');
    await page.locator('[data-testid=graph]').screenshot({ path: join(ARTIFACTS, `19-graph-layout-${name.replaceAll(' ', '-')}.png`) });
  });
}

test('a big graph opens where the most nodes fit, and a zoom onto empty space goes back there', async () => {
  const { page } = await fresh();
  // The graph tab seen once before (the preset's small graph), then hidden while pasting.
  await tab(page, 'tab-graph');
  await page.locator('.graph .node').first().waitFor();
  await page.click('#mode-manifests');
  await tab(page, 'tab-text');
  await paste(page, BOUTIQUE);
  await tab(page, 'tab-graph');
  await page.locator('.graph .node').first().waitFor();
  // Nodes wholly or partly in the pane.
  const inView = (whole) => page.evaluate((whole) => {
    const pane = document.querySelector('.graph').getBoundingClientRect();
    return [...document.querySelectorAll('.graph .node')].filter((n) => {
      const r = n.getBoundingClientRect();
      return whole
        ? r.left >= pane.left && r.right <= pane.right && r.top >= pane.top && r.bottom <= pane.bottom
        : r.right > pane.left && r.left < pane.right && r.bottom > pane.top && r.top < pane.bottom;
    }).length;
  }, whole);
  await page.waitForFunction(() => document.querySelector('.graph').scrollTop + document.querySelector('.graph').scrollLeft > 0);
  // At a readable zoom: names as large as the default preset's.
  const size = await nameSize(page);
  assert.ok(size >= 12, `a big graph opens with names at ${size.toFixed(1)} px`);
  const opened = await inView(true);
  await page.locator('.graph').evaluate((p) => { p.scrollTop = 0; p.scrollLeft = 0; });
  const corner = await inView(true);
  assert.ok(opened > corner, `the pane opens on ${opened} whole nodes; the top left corner shows ${corner}`);
  // Zoomed in, then left on the empty top left corner: the next zoom goes where the nodes are.
  for (let i = 0; i < 3; i++) await page.locator('#zoom-in').click();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.locator('.graph').evaluate((p) => { p.scrollTop = 0; p.scrollLeft = 0; });
  assert.equal(await inView(false), 0, 'the corner is empty at this zoom');
  await page.locator('#zoom-out').click();
  await page.waitForFunction(() => document.querySelector('.graph').scrollTop + document.querySelector('.graph').scrollLeft > 0);
  assert.ok((await inView(false)) > 0, 'a node is in view');
  await shot(page, '19b-graph-big-start');
});

test('the graph draws one arrow per relationship, naming every key it takes', async () => {
  const { page } = await fresh();
  await tab(page, 'tab-graph');
  const between = { has: page.locator('title', { hasText: /^todo-chatbot\/Pods\/todo-backend .* todo-chatbot\/Secret\/todo-chatbot-secrets$/ }) };
  assert.equal(await page.locator('.graph .edge', between).count(), 1, 'the backend takes its three Secret keys over one arrow');
  const label = page.locator('.graph .edge-label', between);
  assert.equal(await label.count(), 1, 'with one label');
  const lines = await label.locator('tspan').allTextContents();
  for (const key of ['DATABASE_URL', 'OPENAI_API_KEY', 'BETTER_AUTH_SECRET']) assert.ok(lines.includes(key), `${key} in ${lines}`);
});

/** Three namespaces: a shop behind an Ingress, a StatefulSet database, a migration Job (also
 * drawn by the app's native graph tests). */
const MULTI_NAMESPACE = readFileSync(join(ROOT, 'e2e', 'fixtures', 'multi-namespace.yaml'), 'utf8');

async function pasteManifests(page, text) {
  await page.click('#mode-manifests');
  await page.locator('#editor').fill(text);
}

test('pasted manifests of several namespaces are drawn in a band each, with no label over another', async () => {
  const { page } = await fresh();
  await pasteManifests(page, MULTI_NAMESPACE);
  await tab(page, 'tab-graph');
  await page.locator('.graph .node[data-id="data/StatefulSet/db"]').waitFor();
  const { labels, nodes, bands } = await graphBoxes(page);
  for (const id of ['data/StatefulSet/db', 'data/Pods/db', 'data/Service/db', 'ops/Job/migrate', 'ops/Pods/migrate', 'shop/Ingress/web', 'shop/Service/web']) {
    assert.ok(nodes.some((n) => n.id === id), `node ${id} drawn: ${nodes.map((n) => n.id)}`);
  }
  assert.deepEqual(bands.map((b) => b.namespace).sort(), ['data', 'ops', 'shop']);
  for (const band of bands) assert.equal(band.title.text, `namespace ${band.namespace}`, 'the title is not cut');
  // Every node inside its namespace's band (a Namespace heads its own).
  const inside = (inner, outer) => inner.left >= outer.left && inner.right <= outer.right && inner.top >= outer.top && inner.bottom <= outer.bottom;
  for (const n of nodes) {
    const namespace = n.id.startsWith('Namespace/') ? n.id.slice('Namespace/'.length) : n.id.split('/')[0];
    assert.ok(inside(n, bands.find((b) => b.namespace === namespace)), `${n.id} inside the ${namespace} band`);
  }
  // Arrows between the ingress, the StatefulSet's Service and the Job's pods, labelled.
  assert.ok(labels.length >= 8, `only ${labels.length} edge labels drawn`);
  const cross = page.locator('.graph .edge', { has: page.locator('title', { hasText: /^ops\/Pods\/migrate .* data\/Service\/db$/ }) });
  assert.equal(await cross.count(), 1, 'the Job calls the database across namespaces');
  const titles = bands.map((b) => ({ ...b.title, text: `title ${b.title.text}` }));
  const words = [...labels, ...nodes.map((n) => ({ ...n, text: `node ${n.id}` })), ...titles];
  for (const [i, a] of words.entries()) {
    for (const b of words.slice(i + 1)) assert.ok(!overlap(a, b), `"${a.text}" and "${b.text}" overlap`);
  }
  await page.locator('[data-testid=graph]').screenshot({ path: join(ARTIFACTS, '13-graph-namespaces.png') });
});

test('the graph shows one namespace, some kinds or only broken links, and finds a node by name', async () => {
  const { page } = await fresh();
  await pasteManifests(page, MULTI_NAMESPACE.replace('name: shop-config\n                  key: mode', 'name: shop-confg\n                  key: mode'));
  await tab(page, 'tab-graph');
  await page.locator('.graph .node[data-id="data/StatefulSet/db"]').waitFor();
  const drawn = () => page.$$eval('.graph .node', (all) => all.map((n) => n.dataset.id));
  const everything = await drawn();
  // One namespace: its band only.
  await page.selectOption('#graph-namespace', 'data');
  await page.waitForFunction(() => ![...document.querySelectorAll('.graph .node')].some((n) => n.dataset.id.startsWith('shop/')));
  const data = await drawn();
  assert.ok(data.length > 0 && data.every((id) => id.startsWith('data/') || id === 'Namespace/data'), data.join(' '));
  await page.selectOption('#graph-namespace', '');
  await page.waitForFunction((n) => document.querySelectorAll('.graph .node').length === n, everything.length);
  // Kinds left out, and back.
  await page.click('.graph-kinds summary');
  await page.uncheck('#graph-kind-Pods');
  await page.waitForFunction(() => ![...document.querySelectorAll('.graph .node')].some((n) => n.dataset.id.includes('/Pods/')));
  assert.ok((await drawn()).length < everything.length);
  await page.click('#graph-show-all');
  await page.waitForFunction((n) => document.querySelectorAll('.graph .node').length === n, everything.length);
  // Only the broken links and their ends.
  await page.check('#graph-only-broken');
  await page.waitForFunction((n) => document.querySelectorAll('.graph .node').length < n, everything.length);
  const broken = await page.$$eval('.graph .edge', (all) => all.map((e) => e.classList.contains('broken')));
  assert.ok(broken.length > 0 && broken.every(Boolean), JSON.stringify(broken));
  assert.ok((await drawn()).includes('shop/ConfigMap/shop-confg'), (await drawn()).join(' '));
  await shot(page, '18-graph-only-broken');
  await page.uncheck('#graph-only-broken');
  // Search picks each match in turn, keeping the focus in the search box.
  await page.fill('#graph-search', 'db');
  await page.waitForFunction(() => /^1 of \d+ found/.test(document.querySelector('[data-testid=graph-found]').textContent));
  const first = await page.locator('.graph .node.selected').getAttribute('data-id');
  assert.match(first, /db/);
  await page.press('#graph-search', 'Enter');
  await page.waitForFunction((first) => document.querySelector('.graph .node.selected')?.dataset.id !== first, first);
  assert.match(await page.locator('.graph .node.selected').getAttribute('data-id'), /db/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'graph-search');
  await page.fill('#graph-search', 'no-such-name');
  await page.waitForFunction(() => document.querySelector('[data-testid=graph-found]').textContent === 'none found');
});

test('pasted manifests get a lifecycle for every workload kind', async () => {
  const { page } = await fresh();
  await pasteManifests(page, MULTI_NAMESPACE);
  await tab(page, 'tab-lifecycle');
  const cards = page.locator('[data-testid=lifecycle] article');
  await cards.first().waitFor();
  const workloads = await cards.evaluateAll((all) => all.map((a) => a.dataset.workload).sort());
  assert.deepEqual(workloads, ['data/StatefulSet/db', 'ops/Job/migrate', 'shop/Deployment/web']);
  assert.match(await page.locator('[data-workload="data/StatefulSet/db"] h3').textContent(), /^StatefulSet db \(1 × pod, namespace data\)/);
  assert.match(await page.locator('[data-workload="ops/Job/migrate"] h3').textContent(), /^Job migrate /);
});

test('manifests.yaml is byte for byte what `kubeplay render` prints for the same values', async () => {
  assert.ok(existsSync(KUBEPLAY), `${KUBEPLAY} is missing: run cargo build -p kubeplay`);
  const { page } = await fresh();
  await page.fill(REPLICAS, '2');
  await page.waitForFunction(() => /replicas: 2/.test(document.querySelector('#manifests-yaml').textContent));
  await tab(page, 'tab-downloads');
  await shot(page, '07-download-and-share');
  const dir = mkdtempSync(join(tmpdir(), 'kubeplay-e2e-'));
  const valuesDownload = await Promise.all([page.waitForEvent('download'), page.click('#download-values')]).then(([d]) => d);
  assert.equal(valuesDownload.suggestedFilename(), 'values.yaml');
  await valuesDownload.saveAs(join(dir, 'values.yaml'));
  assert.equal(readFileSync(join(dir, 'values.yaml'), 'utf8'), await valuesText(page));
  const manifestsDownload = await Promise.all([page.waitForEvent('download'), page.click('#download-manifests')]).then(([d]) => d);
  assert.equal(manifestsDownload.suggestedFilename(), 'manifests.yaml');
  await manifestsDownload.saveAs(join(dir, 'downloaded.yaml'));
  const downloaded = readFileSync(join(dir, 'downloaded.yaml'), 'utf8');
  // Run the command the page shows, word for word (minus the redirect).
  const commands = await page.locator('[data-testid=deploy-commands]').textContent();
  const render = commands.split('\n').find((l) => l.startsWith('kubeplay render '));
  const args = render.replace(/\s*>.*$/, '').split(/\s+/).slice(1);
  const rendered = execFileSync(KUBEPLAY, args, { cwd: dir, encoding: 'utf8' });
  assert.ok(downloaded.length > 0);
  assert.equal(downloaded, rendered);
  assert.equal(downloaded, await manifests(page));
});

test('the Helm chart download is the .tgz `kubeplay chart --package` writes, with its command', async () => {
  assert.ok(existsSync(KUBEPLAY), `${KUBEPLAY} is missing: run cargo build -p kubeplay`);
  const { page } = await fresh();
  await tab(page, 'tab-downloads');
  const dir = mkdtempSync(join(tmpdir(), 'kubeplay-e2e-chart-'));
  const chartDownload = await Promise.all([page.waitForEvent('download'), page.click('#download-chart')]).then(([d]) => d);
  assert.equal(chartDownload.suggestedFilename(), 'kubeplay-0.1.0.tgz');
  await chartDownload.saveAs(join(dir, 'downloaded.tgz'));
  const downloaded = readFileSync(join(dir, 'downloaded.tgz'));
  // gzip's magic number: the bytes went through as bytes, not as text (which would re-encode them).
  assert.deepEqual([...downloaded.subarray(0, 2)], [0x1f, 0x8b]);
  execFileSync(KUBEPLAY, ['chart', '--package', '-o', join(dir, 'cli')], { stdio: 'pipe' });
  // The browser gzips with its own compressor, the CLI with Rust's: the compressed bytes differ,
  // the tar inside must not.
  const tar = gunzipSync(downloaded);
  assert.ok(tar.length > 0 && tar.length % 512 === 0, `a tar of 512-byte blocks, got ${tar.length} bytes`);
  assert.ok(tar.equals(gunzipSync(readFileSync(join(dir, 'cli', 'kubeplay-0.1.0.tgz')))), 'the download holds the CLI\'s tar, byte for byte');
  // The matching helm command, with the release the kubeplay render line uses.
  const commands = (await page.locator('[data-testid=deploy-commands]').textContent()).split('\n');
  const release = commands.find((l) => l.startsWith('kubeplay render ')).match(/--release (\S+)/)[1];
  assert.ok(commands.includes(`helm template ${release} kubeplay-0.1.0.tgz -f values.yaml`), commands.join('\n'));
});

test('a share link round-trips the values without secret values', async () => {
  const { page, context } = await fresh();
  const secret = 'sk-e2e-do-not-leak';
  const text = (await valuesText(page)).replace('OPENAI_API_KEY: ""', `OPENAI_API_KEY: "${secret}"`);
  assert.ok(text.includes(secret));
  await setText(page, text);
  await tab(page, 'tab-form');
  await page.fill(REPLICAS, '5');
  await tab(page, 'tab-downloads');
  await page.click('#make-share-link');
  const link = await page.inputValue('#share-link');
  assert.ok(!link.includes(secret));
  const shared = sharedValues(link);
  assert.ok(!shared.includes(secret), 'the secret value is not in the link');
  assert.match(shared, /OPENAI_API_KEY: (''|"")\n/);
  assert.match(shared, /replicas: 5/);
  // Nor in storage (the remember box is off), which holds the text as it is.
  const stored = await page.evaluate(() => JSON.stringify(localStorage));
  assert.match(stored, /replicas: 5/, 'the saved state is readable, so the next check means something');
  assert.ok(!stored.includes(secret), 'the secret value is not in localStorage');
  // A new browser profile opening the link gets the same values.
  const other = await fresh({ url: link });
  assert.equal(await other.page.inputValue(REPLICAS), '5');
  assert.equal(await valuesText(other.page), shared);
  assert.ok(!(await valuesText(other.page)).includes(secret));
  // The fragment is dropped once read, so later edits win on reload.
  assert.equal(new URL(other.page.url()).hash, '');
  void context;
});

test('a share link made by earlier pages (raw deflate by zlib) still opens', async () => {
  const { page } = await fresh();
  const preset = await page.inputValue('#preset');
  const text = (await valuesText(page)).replace(/(todo-backend:\n(?: {4}.*\n)*? {4}replicas: )1\n/, (_, head) => `${head}6\n`);
  assert.match(text, /replicas: 6/);
  const other = await fresh({ url: `${env.url}#${oldFormatFragment({ preset, profile: 'production', text })}` });
  assert.equal(await valuesText(other.page), text);
  assert.equal(await other.page.inputValue(REPLICAS), '6');
  assert.equal(await other.page.inputValue('#profile'), 'production');
  assert.equal(new URL(other.page.url()).hash, '');
});

test('a share link that inflates past the limit opens nothing and does not hang', async () => {
  const { page } = await fresh();
  const preset = await page.inputValue('#preset');
  const start = await valuesText(page);
  // Valid values after a comment that takes the text one byte past the limit: a few KB of link.
  const tail = '\nappName: inflated\nnamespace: inflated\n';
  const text = `#${'a'.repeat(MAX_SHARED_TEXT - tail.length)}${tail}`;
  assert.equal(Buffer.byteLength(text), MAX_SHARED_TEXT + 1);
  const fragment = oldFormatFragment({ preset, profile: 'production', text });
  assert.ok(fragment.length < 64 * 1024, `${fragment.length} characters`);
  const started = Date.now();
  const other = await fresh({ url: `${env.url}#${fragment}` });
  assert.ok(Date.now() - started < 20_000, 'the page opened in time');
  // The page starts as a first visit does: the default preset, not the link's text or profile.
  assert.equal(await valuesText(other.page), start);
  assert.doesNotMatch(await valuesText(other.page), /inflated/);
  assert.equal(await other.page.inputValue('#profile'), 'minikube');
  assert.equal(new URL(other.page.url()).hash, '');
});

test('a state saved by earlier pages (share-link format) is restored once, then saved anew', async () => {
  const { page } = await fresh();
  const preset = await page.inputValue('#preset');
  const text = (await valuesText(page)).replace(/(todo-backend:\n(?: {4}.*\n)*? {4}replicas: )1\n/, (_, head) => `${head}7\n`);
  assert.match(text, /replicas: 7/);
  const saved = oldFormatFragment({ preset, profile: 'production', text });
  await page.evaluate((saved) => {
    localStorage.clear();
    localStorage.setItem('kubeplay.state.v1', saved);
  }, saved);
  await page.reload();
  await ready(page);
  assert.equal(await valuesText(page), text);
  assert.equal(await page.inputValue('#profile'), 'production');
  const keys = await page.evaluate(() => Object.keys(localStorage));
  assert.ok(!keys.includes('kubeplay.state.v1'), `the old key is gone: ${keys}`);
  assert.ok(keys.includes('kubeplay.state.v2'), `the state is saved under the new key: ${keys}`);
});

test('a reload keeps the state', async () => {
  const { page } = await fresh();
  await page.fill(REPLICAS, '4');
  await page.selectOption('#profile', 'production');
  await page.waitForFunction(() => /replicas: 4/.test(document.querySelector('#manifests-yaml').textContent));
  await page.reload();
  await ready(page);
  assert.equal(await page.inputValue(REPLICAS), '4');
  assert.equal(await page.inputValue('#profile'), 'production');
  assert.match(await valuesText(page), /replicas: 4/);
});

test('the profile changes the lints', async () => {
  const { page } = await fresh();
  const counts = async () => [await page.locator('[data-testid=error-count]').textContent(), await page.locator('[data-testid=warning-count]').textContent()].join('/');
  const minikube = await counts();
  await page.selectOption('#profile', 'production');
  await page.waitForFunction((before) => {
    const now = [document.querySelector('[data-testid=error-count]').textContent, document.querySelector('[data-testid=warning-count]').textContent].join('/');
    return now !== before;
  }, minikube);
  assert.notEqual(await counts(), minikube);
});

test('the lifecycle view predicts what the pods go through on Minikube', async () => {
  const { page } = await fresh();
  await tab(page, 'tab-lifecycle');
  const cards = page.locator('[data-testid=lifecycle] article');
  await cards.first().waitFor();
  assert.equal(await cards.count(), 2);
  // pullPolicy Never: the image must be loaded into Minikube.
  assert.match(await page.locator('[data-testid=lifecycle]').textContent(), /minikube image load/);
  await shot(page, '08-lifecycle');
});

test('pasted manifests are checked as they are', async () => {
  const { page } = await fresh();
  const yaml = await manifests(page);
  await page.click('#mode-manifests');
  await page.locator('#editor').fill(yaml.replace('targetPort: http', 'targetPort: nope'));
  await tab(page, 'tab-graph');
  await page.locator('.graph .edge.broken').first().waitFor();
  await shot(page, '09-manifests-mode-graph');
});

/** The Deployment of issue #11: the API server rejects it five times. */
const REJECTED_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "3"
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        imagePullPolicy: Sometimes
        resources: {limits: {memory: 1GB}}
        ports: [{name: http, containerPort: 8080, protocl: TCP}]
        volumeMounts: [{name: data, mountPath: /data}]
      volumes: [{name: other, emptyDir: {}}]
`;

/** An API that Kubernetes 1.29 serves (deprecated) and 1.32 removed. */
const FLOW_SCHEMA = `apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
kind: FlowSchema
metadata:
  name: batch-jobs
spec:
  priorityLevelConfiguration: {name: workload-low}
`;

const schemaRequests = (record) => record.requests.filter((u) => /\/schemas\/kube-[0-9.]+\.js$/.test(u));
const statusText = (page) => page.locator('[data-testid=status]').textContent();

test('pasted manifests are validated against the chosen Kubernetes version, its schema loaded only then', async () => {
  const { page, record } = await fresh();
  // Values mode checks kubeplay's own render: the first load fetches no schema.
  assert.deepEqual(schemaRequests(record), []);
  await page.click('#mode-manifests');
  await page.locator('#editor').fill(REJECTED_DEPLOYMENT);
  await page.waitForFunction(() => /Kubernetes 1\.35 schema$/.test(document.querySelector('[data-testid=status]').textContent));
  assert.deepEqual(schemaRequests(record).map((u) => new URL(u).pathname), ['/schemas/kube-1.35.js']);
  await tab(page, 'tab-problems');
  const problems = page.locator('[data-testid=problems]');
  await page.waitForFunction(() => document.querySelectorAll('[data-rule=schema-invalid]').length >= 3);
  const text = await problems.textContent();
  for (const wanted of [/protocl/, /Sometimes/, /1GB/, /replicas/]) assert.match(text, wanted);
  assert.match(text, /volume-mount-unknown|no volume/);
  // Each schema problem is at its line of the pasted text.
  const places = await page.locator('[data-rule=schema-invalid] .where').allTextContents();
  assert.ok(places.every((p) => /^manifests\.yaml:\d+:\d+/.test(p)), places.join(' | '));
  assert.ok(places.some((p) => p.startsWith('manifests.yaml:16:51')), places.join(' | '));
  await shot(page, '14-schema-problems');

  // 1.35 no longer serves the API; 1.29 does, deprecated: an error, then a warning.
  await page.locator('#editor').fill(FLOW_SCHEMA);
  await page.waitForFunction(() => document.querySelector('[data-rule=api-removed]')?.classList.contains('error'));
  await page.selectOption('#kube-version', '1.29');
  await page.waitForFunction(() => /Kubernetes 1\.29 schema$/.test(document.querySelector('[data-testid=status]').textContent));
  await page.waitForFunction(() => document.querySelector('[data-rule=api-removed]')?.classList.contains('warning'));
  assert.deepEqual(schemaRequests(record).map((u) => new URL(u).pathname), ['/schemas/kube-1.35.js', '/schemas/kube-1.29.js']);
  // Back to 1.35: already loaded, not asked for again.
  await page.selectOption('#kube-version', '1.35');
  await page.waitForFunction(() => document.querySelector('[data-rule=api-removed]')?.classList.contains('error'));
  assert.equal(schemaRequests(record).length, 2);
  assert.match(await statusText(page), /Kubernetes 1\.35 schema$/);
});

test('the Pod Security picker checks pod templates at the chosen level', async () => {
  const { page } = await fresh();
  await page.click('#mode-manifests');
  await page.locator('#editor').fill(REJECTED_DEPLOYMENT.replace('imagePullPolicy: Sometimes', 'securityContext: {privileged: true}'));
  await tab(page, 'tab-problems');
  await page.locator('[data-rule=schema-invalid]').first().waitFor();
  // Minikube's profile checks no level; baseline forbids a privileged container.
  assert.equal(await page.locator('[data-rule^=pod-security-]').count(), 0);
  await page.selectOption('#pod-security', 'baseline');
  await page.locator('[data-rule=pod-security-privileged]').first().waitFor();
  await page.selectOption('#pod-security', '');
  await page.waitForFunction(() => document.querySelectorAll('[data-rule^=pod-security-]').length === 0);
});

test('the values form exists only while its tab is shown, so edits elsewhere do not pay for it', async () => {
  const { page } = await fresh();
  // How many forms the page holds, once the page has settled on `n` (or gave up waiting).
  const forms = (n) =>
    page.waitForFunction((n) => document.querySelectorAll('fieldset.form').length === n, n, { timeout: 5_000 })
      .catch(() => {})
      .then(() => page.locator('fieldset.form').count());
  assert.equal(await forms(1), 1, 'the form tab is shown first');
  await tab(page, 'tab-text');
  assert.equal(await forms(0), 0, 'typing in the text does not update a hidden form');
  await tab(page, 'tab-form');
  await page.waitForSelector(REPLICAS);
  assert.equal(await page.inputValue(REPLICAS), '1', 'shown again, it holds the values');
  await page.click('#mode-manifests');
  assert.equal(await forms(0), 0, 'pasted manifests have no form');
});

test('the problems of a real app are grouped by rule, worst first, and can be filtered', async () => {
  const { page } = await fresh();
  await page.click('#mode-manifests');
  await paste(page, BOUTIQUE);
  await tab(page, 'tab-problems');
  await page.locator('details.rule-group').first().waitFor();
  const groups = await page.$$eval('details.rule-group', (all) => all.map((g) => ({
    rule: g.dataset.group,
    severity: ['error', 'warning', 'info'].find((s) => g.classList.contains(s)),
    count: Number(g.querySelector('.count').textContent),
    rows: g.querySelectorAll('li.problem').length,
    open: g.open,
  })));
  const rank = { error: 0, warning: 1, info: 2 };
  assert.equal(groups[0].severity, 'error', JSON.stringify(groups));
  for (let i = 1; i < groups.length; i++) assert.ok(rank[groups[i - 1].severity] <= rank[groups[i].severity], JSON.stringify(groups));
  assert.equal(new Set(groups.map((g) => g.rule)).size, groups.length, 'each rule is one group');
  // A large group is folded; the few that differ stay open.
  assert.ok(groups.some((g) => g.count > 3), JSON.stringify(groups));
  for (const g of groups) {
    assert.equal(g.rows, g.count, g.rule);
    assert.equal(g.open, g.count <= 3, g.rule);
  }
  const total = groups.reduce((n, g) => n + g.count, 0);
  // Backticks are set as code, not shown.
  assert.ok((await page.locator('li.problem .message code').count()) > 0);
  for (const message of await page.locator('li.problem .message').allTextContents()) assert.doesNotMatch(message, /`/);
  await shot(page, '15-problems-grouped');

  await page.selectOption('#problem-severity', 'errors');
  await page.waitForFunction(() => [...document.querySelectorAll('li.problem')].every((li) => li.classList.contains('error')));
  assert.equal(await page.locator('li.problem').count(), groups.filter((g) => g.severity === 'error').reduce((n, g) => n + g.count, 0));
  await page.selectOption('#problem-severity', 'all');
  await page.fill('#problem-search', 'Deployment/frontend');
  await page.waitForFunction((total) => document.querySelectorAll('li.problem').length < total, total);
  for (const where of await page.locator('li.problem .where').allTextContents()) assert.match(where, /Deployment\/frontend\b/);
  await page.fill('#problem-search', '');
  await page.waitForFunction((total) => document.querySelectorAll('li.problem').length === total, total);
});

/** Every view of the page, each shown by a step after the one before (values first, then a
 * pasted real app), for the screenshot and accessibility passes. */
function views(page) {
  return [
    ['form', async () => tab(page, 'tab-form')],
    ['values text', async () => tab(page, 'tab-text')],
    ['manifests', async () => tab(page, 'tab-manifests')],
    ['manifests diff', async () => {
      await tab(page, 'tab-form');
      await page.fill(REPLICAS, '3');
      await tab(page, 'tab-manifests');
      await page.selectOption('#manifests-compare', 'preset');
      await page.locator('#manifests-diff').waitFor();
    }],
    ['problems', async () => { await page.selectOption('#manifests-compare', ''); await tab(page, 'tab-problems'); }],
    ['graph', async () => { await tab(page, 'tab-graph'); await page.locator('.graph .node').first().click(); }],
    ['lifecycle', async () => tab(page, 'tab-lifecycle')],
    ['downloads', async () => tab(page, 'tab-downloads')],
    ['pasted manifests, problems', async () => { await page.click('#mode-manifests'); await paste(page, BOUTIQUE); await tab(page, 'tab-problems'); await page.locator('details.rule-group').first().waitFor(); }],
    ['pasted manifests, text', async () => tab(page, 'tab-text')],
    ['pasted manifests, graph', async () => tab(page, 'tab-graph')],
    ['pasted manifests, lifecycle', async () => tab(page, 'tab-lifecycle')],
  ];
}

test('every view at phone and desktop width, light and dark: nothing wider than the screen', async () => {
  const wide = {};
  for (const [size, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1440, height: 900 }]]) {
    for (const colorScheme of ['light', 'dark']) {
      const { page } = await fresh({ viewport, colorScheme });
      for (const [name, show] of views(page)) {
        await show();
        // The page itself never scrolls sideways; wide things (text, graph) scroll in their pane.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) wide[`${size} ${colorScheme}: ${name}`] = overflow;
        // Nor is a control cut off by its pane: each lies within the nearest box that clips it
        // (the drawing and the texts scroll sideways by design, their controls not).
        const cut = await page.evaluate(() => [...document.querySelectorAll('button, select, input')]
          .filter((c) => c.getClientRects().length && !c.closest('[hidden], .graph, pre'))
          .filter((c) => {
            let clip = document.documentElement;
            for (let up = c.parentElement; up; up = up.parentElement) {
              if (getComputedStyle(up).overflowX !== 'visible') { clip = up; break; }
            }
            const right = clip === document.documentElement ? window.innerWidth : clip.getBoundingClientRect().left + clip.clientLeft + clip.clientWidth;
            return c.getBoundingClientRect().right > right + 0.5;
          })
          .map((c) => c.id || c.textContent.trim() || c.outerHTML.slice(0, 60)));
        if (cut.length) wide[`${size} ${colorScheme}: ${name}: cut off`] = cut;
        await shot(page, `views/${size}-${colorScheme}-${name.replaceAll(/[^a-z]+/g, '-')}`);
      }
      if (colorScheme === 'dark') {
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert.notEqual(background, 'rgb(247, 248, 250)', 'the dark theme has its own background');
      }
    }
  }
  assert.deepEqual(wide, {}, 'views wider than the screen (px), or controls cut off');
});

const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now, one line each. */
async function accessibilityViolations(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (a script
  // tag would be refused, as it should be).
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

test('axe-core finds no serious or critical accessibility problem on any view', async () => {
  const found = {};
  for (const colorScheme of ['light', 'dark']) {
    const { page } = await fresh({ colorScheme });
    for (const [name, show] of views(page)) {
      await show();
      const problems = await accessibilityViolations(page);
      if (problems.length) found[`${colorScheme}: ${name}`] = problems;
    }
  }
  assert.deepEqual(found, {}, JSON.stringify(found, null, 2));
});

test('the Content-Security-Policy forbids connections', async () => {
  const { page } = await fresh();
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /connect-src 'none'/);
  assert.doesNotMatch(csp, /TRUNK_LOADER_HASH/);
  const blocked = await page.evaluate(async () => {
    try {
      await fetch('http://127.0.0.1:9/');
      return false;
    } catch {
      return true;
    }
  });
  assert.equal(blocked, true);
  // That refusal is reported by the browser itself; it is ours, not an app error.
  const { record } = pages[pages.length - 1];
  record.errors = record.errors.filter((e) => !/Content Security Policy|Failed to fetch/.test(e));
  record.requests = record.requests.filter((u) => u !== 'http://127.0.0.1:9/');
});

test('no request left the page and nothing was logged as an error', () => {
  assert.ok(pages.length > 0);
  for (const { record } of pages) {
    assert.deepEqual(foreignRequests(record, env.origin), []);
    assert.deepEqual(record.errors, []);
  }
});
