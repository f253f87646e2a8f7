// The gallery page: a client of the public API only (the same JSON and media any client gets), no build step.
// Lists:   GET /api/gallery/{productions|images|videos|audio}?type|status=&limit=&offset=
// Detail:  GET /api/gallery/{image|video|audio}/{id}, /api/gallery/production/{id}, /api/history/…
// Search:  GET /api/gallery/search?q=   Stats: GET /api/gallery/stats   Export: POST /api/exports, GET /api/exports/{id}

const PAGE = 48;
const KINDS = {
  images: { name: 'image', label: 'Image', typeField: 'image_type' },
  videos: { name: 'video', label: 'Video', typeField: 'video_type' },
  audio: { name: 'audio', label: 'Audio', typeField: 'audio_type' },
};
const TABLE_OF = { image: 'images', video: 'videos', audio: 'audio' };
const KEY_STORAGE = 'catalog.apiKey';

const state = {
  tab: 'images', filter: '', offset: 0, total: 0, query: '',
  key: sessionStorage.getItem(KEY_STORAGE),
  keyForReads: false, // reads need a key here (probed at start): media are then fetched with it
  stats: null, opener: null, exportPoll: null,
  list: 0, panel: 0, // the latest list and detail asked for: an answer to an earlier one (a tab left, a card passed) is dropped
};

const $ = (id) => document.getElementById(id);
// A new list or detail asked for (counter 'list' or 'panel'); returns whether a later one has replaced it since.
const ask = (counter) => { const asked = ++state[counter]; return () => asked !== state[counter]; };
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children.flat()) if (child != null) node.append(child);
  return node;
};

class ApiError extends Error {
  constructor(status, title, detail) { super(detail || title || `HTTP ${status}`); this.status = status; this.title = title; }
}

// ---- the API, with the key when there is one ------------------------------------------------------------------

async function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  if (state.key) headers.set('Authorization', `Bearer ${state.key}`);
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401 || response.status === 403) {
    const problem = await response.json().catch(() => ({}));
    const isRead = !options.method || options.method === 'GET';
    if (isRead && !state.key) state.keyForReads = true;
    const reason = response.status === 403
      ? `The key in use may not do this (${problem.detail || 'forbidden'}). Give a key with the right role.`
      : (problem.detail || 'This catalog needs an API key for that.');
    if (await askForKey(reason)) return api(path, options);
    throw new ApiError(response.status, problem.title, problem.detail);
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError(response.status, problem.title, problem.detail);
  }
  return response;
}
const getJson = async (path) => (await api(path)).json();

// Media: a plain URL, or — when reads need the key — the bytes fetched with it (an <img> cannot send a header).
async function mediaUrl(url) {
  if (!(state.keyForReads && state.key)) return url;
  const blob = await (await api(url)).blob();
  return URL.createObjectURL(blob);
}
function setMedia(node, attribute, url) {
  mediaUrl(url).then((src) => { node[attribute] = src; }).catch(() => node.classList.add('error'));
  return node;
}

function askForKey(reason) {
  const dialog = $('key-dialog');
  $('key-reason').textContent = `${reason} The key is kept for this browser tab only.`;
  $('key-input').value = '';
  dialog.returnValue = '';
  dialog.showModal();
  $('key-input').focus();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (dialog.returnValue === 'save' && $('key-input').value.trim()) {
        state.key = $('key-input').value.trim();
        sessionStorage.setItem(KEY_STORAGE, state.key);
        resolve(true);
      } else {
        if (dialog.returnValue === 'forget') { state.key = null; sessionStorage.removeItem(KEY_STORAGE); }
        resolve(false);
      }
      updateKeyButton();
    }, { once: true });
  });
}
function updateKeyButton() { $('key').textContent = state.key ? 'API key ✓' : 'API key'; }

// ---- formatting --------------------------------------------------------------------------------------------------

const bytes = (n) => n == null ? '' : n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB`
  : n < 1073741824 ? `${(n / 1048576).toFixed(1)} MB` : `${(n / 1073741824).toFixed(2)} GB`;
const when = (iso) => iso ? new Date(iso).toLocaleString() : '';
const seconds = (s) => s == null ? '' : `${Number(s).toFixed(1)} s`;
const kindOf = (item) => item.kind || (item.media_url ? item.media_url.split('/')[3] : 'production');
function altText(item) {
  const kind = kindOf(item);
  const label = kind === 'image' ? '' : `${KINDS[TABLE_OF[kind]].label}: `;
  return `${label}${item.prompt || item.filename}`;
}
function assetMeta(item) {
  const kind = kindOf(item);
  const type = item[KINDS[TABLE_OF[kind]].typeField];
  const extra = kind === 'image' ? item.size : kind === 'video' ? [item.resolution, seconds(item.duration)].filter(Boolean).join(' · ') : seconds(item.duration);
  return [type, extra].filter(Boolean).join(' · ');
}

// ---- the stats header and the filter -------------------------------------------------------------------------------

async function loadStats() {
  try {
    const s = state.stats = await getJson('/api/gallery/stats');
    $('stats').textContent = `${s.productions.count} productions · ${s.images.count} images · ${s.videos.count} videos · `
      + `${s.audio.count} audio · ${bytes(s.storage_bytes)} stored`;
  } catch (e) {
    $('stats').textContent = `Stats unavailable: ${e.message}`;
  }
  fillFilter();
}

function fillFilter() {
  const select = $('filter');
  const groups = state.tab === 'productions' ? state.stats?.productions?.by_status : state.stats?.[state.tab]?.by_type;
  $('filter-label').textContent = state.tab === 'productions' ? 'Status' : 'Type';
  const values = Object.keys(groups || {});
  if (state.filter && !values.includes(state.filter)) values.push(state.filter);
  select.replaceChildren(el('option', { value: '', textContent: 'All' }),
    ...values.map((v) => el('option', { value: v, textContent: groups && typeof groups[v] === 'object' ? `${v} (${groups[v].count})` : groups && groups[v] != null ? `${v} (${groups[v]})` : v })));
  select.value = state.filter;
}

// ---- lists and search -------------------------------------------------------------------------------------------

function assetCard(item) {
  const kind = kindOf(item);
  const img = el('img', { className: `thumb ${kind}`, alt: altText(item), loading: 'lazy', decoding: 'async', width: 256, height: 144 });
  setMedia(img, 'src', item.thumbnail_url);
  const button = el('button', { type: 'button', className: 'card', title: item.prompt || item.filename },
    img, el('span', { className: 'caption' }, el('span', { className: 'name', textContent: item.filename }),
      el('span', { className: 'meta', textContent: assetMeta(item) })));
  button.dataset.kind = kind;
  button.dataset.id = item.id;
  button.addEventListener('click', () => openAsset(kind, item.id, button));
  return el('li', {}, button);
}

function productionCard(item) {
  const button = el('button', { type: 'button', className: 'card production' },
    el('span', { className: 'caption' },
      el('span', { className: 'name', textContent: item.title || item.id }),
      el('span', { className: 'meta', textContent: item.artist || '' }),
      el('span', {}, el('span', { className: `badge ${item.status}`, textContent: item.status }))));
  button.dataset.kind = 'production';
  button.dataset.id = item.id;
  button.addEventListener('click', () => openProduction(item.id, button));
  return el('li', {}, button);
}

const card = (item) => kindOf(item) === 'production' ? productionCard(item) : assetCard(item);

async function loadList() {
  const grid = $('grid');
  const stale = ask('list');
  grid.setAttribute('aria-busy', 'true');
  try {
    let page;
    if (state.query) {
      page = await getJson(`/api/gallery/search?q=${encodeURIComponent(state.query)}&limit=${PAGE}&offset=${state.offset}`);
    } else {
      const filter = state.filter ? `&${state.tab === 'productions' ? 'status' : 'type'}=${encodeURIComponent(state.filter)}` : '';
      page = await getJson(`/api/gallery/${state.tab}?limit=${PAGE}&offset=${state.offset}${filter}`);
    }
    if (stale()) return;
    state.total = page.total;
    grid.replaceChildren(...(page.items.length ? page.items.map(card)
      : [el('li', { className: 'empty', textContent: state.query ? `Nothing found for “${state.query}”.` : 'Nothing here yet.' })]));
    const first = page.total === 0 ? 0 : state.offset + 1;
    const last = state.offset + page.items.length;
    $('summary').textContent = state.query
      ? `${first}–${last} of ${page.total} results for “${state.query}”`
      : `${first}–${last} of ${page.total}`;
    $('prev').disabled = state.offset === 0;
    $('next').disabled = last >= page.total;
  } catch (e) {
    if (!stale()) grid.replaceChildren(el('li', { className: 'empty error', textContent: `Could not load: ${e.message}` }));
  } finally {
    if (!stale()) grid.setAttribute('aria-busy', 'false');
  }
}

function selectTab(tab, focus = false) {
  state.tab = tab; state.filter = ''; state.offset = 0; state.query = '';
  $('q').value = '';
  for (const button of document.querySelectorAll('[role=tab]')) {
    const selected = button.dataset.tab === tab;
    button.setAttribute('aria-selected', String(selected));
    button.tabIndex = selected ? 0 : -1;
    if (selected && focus) button.focus();
  }
  $('filter').disabled = false;
  fillFilter();
  loadList();
}

// ---- the detail panel ---------------------------------------------------------------------------------------------

// Opens the panel for a new detail and returns whether a later detail (or closing the panel) has replaced it since.
function openPanel(title, opener) {
  const stale = ask('panel');
  state.opener = opener || state.opener;
  $('detail-title').textContent = title;
  $('detail').hidden = false;
  $('detail-close').focus();
  return stale;
}
function closePanel() {
  state.panel++;
  const body = $('detail-body');
  for (const media of body.querySelectorAll('video, audio')) media.pause();
  $('detail').hidden = true;
  body.replaceChildren();
  state.opener?.focus();
  state.opener = null;
}

function facts(object, skip = []) {
  const dl = el('dl');
  for (const [name, value] of Object.entries(object)) {
    if (skip.includes(name) || value == null || typeof value === 'object') continue;
    const shown = name === 'file_size' ? bytes(value) : /_at$/.test(name) ? when(value) : String(value);
    dl.append(el('dt', { textContent: name.replaceAll('_', ' ') }), el('dd', { textContent: shown }));
  }
  return dl;
}

// A history, or why there is none (a portable assets.db keeps no history: that answer is a 404 saying so).
const historyOf = (path) => getJson(path).catch((e) => ({ error: e.message }));

function historyList(page) {
  if (page.error) return el('p', { className: 'muted', textContent: `No history here: ${page.error}` });
  if (!page.items.length) return el('p', { textContent: 'No history.' });
  return el('ol', { className: 'history', ariaLabel: 'History' }, page.items.map((entry) => el('li', {},
    el('strong', { textContent: entry.type }), ' ',
    el('span', { className: 'when', textContent: `${when(entry.timestamp)} by ${entry.by || 'unknown'}` }),
    entry.reason ? el('div', { textContent: `Why: ${entry.reason}` }) : null)));
}

async function openAsset(kind, id, opener) {
  const table = TABLE_OF[kind];
  const stale = openPanel(`${KINDS[table].label} ${id}`, opener);
  const body = $('detail-body');
  body.replaceChildren(el('p', { textContent: 'Loading…' }));
  try {
    const [asset, history] = await Promise.all([getJson(`/api/gallery/${kind}/${id}`), historyOf(`/api/history/${table}/${id}?limit=50`)]);
    if (stale()) return;
    $('detail-title').textContent = asset.filename;
    let viewer;
    if (kind === 'video') {
      viewer = el('video', { className: 'player', controls: true, preload: 'metadata', playsInline: true });
      viewer.setAttribute('aria-label', altText(asset));
      setMedia(viewer, 'poster', asset.preview_url);
      setMedia(viewer, 'src', asset.media_url);
    } else if (kind === 'audio') {
      const audio = el('audio', { controls: true, preload: 'metadata' });
      audio.setAttribute('aria-label', altText(asset));
      setMedia(audio, 'src', asset.media_url);
      viewer = el('div', {}, setMedia(el('img', { className: 'preview', alt: `Waveform of ${asset.filename}` }), 'src', asset.preview_url), audio);
    } else {
      viewer = setMedia(el('img', { className: 'preview', alt: altText(asset) }), 'src', asset.preview_url);
    }
    const production = asset.production
      ? el('p', {}, 'Production: ', el('button', { type: 'button', className: 'link', textContent: `${asset.production.title || asset.production.id}`,
        onclick: () => openProduction(asset.production.id) }))
      : el('p', { textContent: 'In no production.' });
    body.replaceChildren(viewer,
      el('p', {}, el('a', { href: asset.media_url, textContent: `Original (${asset.mime_type}, ${bytes(asset.file_size)})`, target: '_blank', rel: 'noopener' })),
      production,
      facts(asset, ['media_url', 'thumbnail_url', 'preview_url']),
      el('h3', { textContent: 'History' }), historyList(history));
  } catch (e) {
    if (!stale()) body.replaceChildren(el('p', { className: 'error', textContent: e.message }));
  }
}

async function openProduction(id, opener) {
  const stale = openPanel(`Production ${id}`, opener);
  const body = $('detail-body');
  body.replaceChildren(el('p', { textContent: 'Loading…' }));
  try {
    const [detail, history] = await Promise.all([
      getJson(`/api/gallery/production/${encodeURIComponent(id)}?limit=50`),
      historyOf(`/api/history/productions/${encodeURIComponent(id)}?limit=50`)]);
    if (stale()) return;
    const p = detail.production;
    $('detail-title').textContent = p.title || p.id;
    const groups = ['images', 'videos', 'audio'].map((table) => el('section', { className: 'kind-group' },
      el('h3', { textContent: `${KINDS[table].label === 'Audio' ? 'Audio' : KINDS[table].label + 's'} (${detail.totals[table]})` }),
      detail[table].length ? el('ul', { className: 'grid' }, detail[table].map(assetCard)) : el('p', { textContent: 'None.' })));
    body.replaceChildren(
      el('p', {}, el('span', { className: `badge ${p.status}`, textContent: p.status }), ` ${p.artist || ''}`),
      facts(p, ['storyboard_json', 'settings_json']), ...groups,
      el('h3', { textContent: 'History' }), historyList(history));
  } catch (e) {
    if (!stale()) body.replaceChildren(el('p', { className: 'error', textContent: e.message }));
  }
}

// ---- export --------------------------------------------------------------------------------------------------------

async function startExport() {
  const status = $('export-status');
  status.hidden = false;
  status.className = 'export-status';
  status.replaceChildren('Starting an export…');
  $('export').disabled = true;
  try {
    let job = await (await api('/api/exports', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json();
    while (job.status === 'queued' || job.status === 'running') {
      const percent = job.progress?.percent ?? 0;
      status.replaceChildren(`Export ${job.id}: ${job.status} `, el('progress', { max: 100, value: percent }), ` ${Math.round(percent)}%`);
      await new Promise((resolve) => setTimeout(resolve, 400));
      job = await getJson(job.url);
    }
    if (job.status !== 'completed') throw new Error(job.error || `The export ${job.status}.`);
    const link = el('a', { id: 'export-download', href: job.file_url, download: job.file_name || 'assets.db', textContent: `Download ${job.file_name || 'assets.db'} (${bytes(job.size)})` });
    if (state.keyForReads) link.addEventListener('click', async (event) => {
      event.preventDefault();
      const url = await mediaUrl(job.file_url);
      Object.assign(el('a', { href: url, download: job.file_name || 'assets.db' })).click();
    });
    status.replaceChildren(`Export ${job.id} completed: `, link, ` · sha256 ${job.sha256.slice(0, 12)}…`);
    link.focus();
  } catch (e) {
    status.className = 'export-status failed';
    status.replaceChildren(`Export failed: ${e.message}`);
  } finally {
    $('export').disabled = false;
  }
}

// ---- wiring -------------------------------------------------------------------------------------------------------

function wire() {
  const tabs = [...document.querySelectorAll('[role=tab]')];
  for (const tab of tabs) {
    tab.addEventListener('click', () => selectTab(tab.dataset.tab));
    tab.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (!step) return;
      const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
      selectTab(next.dataset.tab, true);
    });
  }
  $('filter').addEventListener('change', (event) => { state.filter = event.target.value; state.offset = 0; loadList(); });
  $('prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); loadList(); });
  $('next').addEventListener('click', () => { state.offset += PAGE; loadList(); });
  $('search').addEventListener('submit', (event) => {
    event.preventDefault();
    state.query = $('q').value.trim();
    state.offset = 0;
    $('filter').disabled = Boolean(state.query);
    loadList();
  });
  $('detail-close').addEventListener('click', closePanel);
  document.addEventListener('keydown', (event) => { if (event.key === 'Escape' && !$('detail').hidden && !$('key-dialog').open) closePanel(); });
  $('export').addEventListener('click', startExport);
  $('key').addEventListener('click', () => askForKey('Give an API key to use for this tab.').then((given) => given && loadStats().then(loadList)));
  updateKeyButton();
}

// Whether reads need a key here (Catalog:AnonymousReads): then media are fetched with it, as blob: URLs.
async function probeReads() {
  const response = await fetch('/api/gallery/stats', { method: 'HEAD' }).catch(() => null);
  state.keyForReads = response?.status === 401;
  if (state.keyForReads && !state.key) await askForKey('This catalog needs an API key to browse it.');
}

wire();
probeReads().then(() => { selectTab('images'); loadStats(); });
