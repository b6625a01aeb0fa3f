// Upload: drop a JSON or CSV file, see the dry-run diff or every problem, apply. Version history
// with rollback, and downloads of the live rules for a spreadsheet.

import { ApiError, admin, describe, download } from './api.js';
import { badge, button, h, notice, replace, toast } from './dom.js';
import { fmtDateTime } from './format.js';

const MAX_BYTES = 64 * 1024 * 1024;

export async function showUpload(view) {
  const page = { current: null, names: new Map() };
  const mode = h('select', { 'aria-label': 'What the upload does', dataset: { testid: 'upload-mode' } },
    h('option', { value: 'merge', text: 'Add or replace the campaigns in the file (others stay)' }),
    h('option', { value: 'replace', text: 'Replace the whole rule set with the file' }));
  const input = h('input', { type: 'file', accept: '.csv,.json,text/csv,application/json', class: 'visually-hidden', id: 'upload-file', dataset: { testid: 'upload-file' } });
  const drop = h('label', { class: 'dropzone', for: 'upload-file', dataset: { testid: 'dropzone' } },
    h('strong', { text: 'Drop a CSV or JSON file here' }), h('span', { class: 'muted', text: ' or click to choose one' }),
    h('div', { class: 'muted small', text: 'Nothing changes until you apply: the file is checked first (a dry run).' }));
  const result = h('div', { class: 'upload-result', dataset: { testid: 'upload-result' } });
  const versions = h('div', { dataset: { testid: 'versions' } });
  const live = h('p', { class: 'summary' });

  const refreshVersions = async () => {
    try {
      const [history, rules] = await Promise.all([admin.versions(), admin.rules()]);
      page.current = history.current;
      page.names = new Map(rules.data.campaigns.map((c) => [String(c.id), String(c.advertiser ?? '')]));
      replace(live, `Live rules: version ${history.current}, ${rules.data.campaigns.length} campaigns.`);
      renderVersions(versions, history, page, refreshVersions);
    } catch (e) {
      replace(versions, notice('error', describe(e)));
    }
  };

  const handle = async (file) => {
    if (!file) return;
    if (file.size > MAX_BYTES) {
      replace(result, notice('error', `${file.name} is larger than 64 MiB, the upload limit.`));
      return;
    }
    const text = await file.text();
    const type = typeOf(file, text);
    await dryRun({ name: file.name, text, type, mode: mode.value }, result, page, refreshVersions);
  };
  input.addEventListener('change', () => {
    handle(input.files[0]);
    input.value = '';
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    handle(e.dataTransfer.files[0]);
  });

  replace(view,
    h('div', { class: 'page-head' }, h('h1', { text: 'Upload & versions' }),
      h('div', { class: 'head-actions' },
        button('Download rules as CSV', () => downloadRules('text/csv'), { testid: 'download-csv' }),
        button('Download as JSON', () => downloadRules('application/json'), { kind: 'subtle' }))),
    live,
    h('section', { class: 'card' },
      h('h2', { text: 'Upload rules' }),
      h('div', { class: 'toolbar' }, mode),
      input, drop, result,
      h('p', { class: 'muted small' },
        'CSV: one row per creative, the spreadsheet columns of docs/rules.md (download the live rules as CSV for a template). ',
        'JSON: {"campaigns": [...]}, a list of campaigns, or one campaign.')),
    h('section', { class: 'card' }, h('h2', { text: 'Version history' }), versions));
  await refreshVersions();
}

async function downloadRules(accept) {
  try {
    const name = await download('/v1/admin/campaigns', accept, accept === 'text/csv' ? 'iklan-rules.csv' : 'iklan-rules.json');
    toast(`Downloaded ${name}.`, 'ok');
  } catch (e) {
    toast(describe(e), 'error');
  }
}

function typeOf(file, text) {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv') || file.type === 'text/csv') return 'text/csv';
  if (name.endsWith('.json') || file.type === 'application/json') return 'application/json';
  return /^\s*[[{]/.test(text) ? 'application/json' : 'text/csv';
}

/** Checks the upload with ?dryRun=true against the live version, and shows the outcome. */
async function dryRun(upload, box, page, refreshVersions) {
  replace(box, h('p', { class: 'muted', text: `Checking ${upload.name}…` }));
  let answer;
  try {
    answer = await admin.upload(upload.text, upload.type, upload.mode, { dryRun: true, ifMatch: page.current ?? undefined });
  } catch (e) {
    if (e instanceof ApiError && e.status === 422) {
      replace(box, problemsView(upload, e.problem));
      return;
    }
    if (e instanceof ApiError && e.status === 412) {
      await refreshVersions();
      return dryRun(upload, box, page, refreshVersions);
    }
    replace(box, notice('error', `${upload.name} could not be read: ${describe(e)}`));
    return;
  }
  const changes = answer.changes;
  const apply = button(`Apply as version ${answer.version + 1}`, async () => {
    try {
      const done = await admin.upload(upload.text, upload.type, upload.mode, { ifMatch: answer.version });
      replace(box, notice('ok', `Applied ${upload.name}: the rules are now version ${done.version}. `,
        h('a', { href: '#/campaigns', text: 'See the campaigns' }), '.'));
      toast(`Rules version ${done.version} is live.`, 'ok');
      await refreshVersions();
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        toast('The rules changed while you were looking; the dry run was repeated against the new version. Check it and apply again.', 'warn');
        await refreshVersions();
        await dryRun(upload, box, page, refreshVersions);
      } else {
        replace(box, notice('error', describe(e)));
      }
    }
  }, { kind: 'primary', testid: 'apply' });
  const cancel = button('Discard', () => replace(box), { kind: 'subtle' });
  const nothing = !changes.added.length && !changes.changed.length && !changes.removed.length;
  replace(box,
    notice(changes.removed.length && upload.mode === 'replace' ? 'warn' : 'info',
      h('strong', { text: `${upload.name} is valid. ` }),
      nothing ? 'No campaign would change (applying still makes a new version).'
        : `Applying it (${upload.mode === 'replace' ? 'replace the whole rule set' : 'add or replace'}) would change:`),
    nothing ? null : diffView(changes, page.names),
    h('div', { class: 'actions-row' }, apply, cancel));
}

/** Added / changed / removed campaign ids, side by side. */
export function diffView(changes, names = new Map()) {
  const column = (title, ids, kind) => h('div', { class: ['diff-col', `diff-${kind}`], dataset: { testid: `diff-${kind}` } },
    h('h3', { text: `${title} (${ids.length})` }),
    ids.length ? h('ul', null, ids.map((id) => h('li', null, h('span', { class: 'mono', text: id }),
      names.get(id) ? h('span', { class: 'muted', text: ` ${names.get(id)}` }) : null)))
      : h('p', { class: 'muted', text: 'none' }));
  return h('div', { class: 'diff' },
    column('Added', changes.added, 'added'),
    column('Changed', changes.changed, 'changed'),
    column('Removed', changes.removed, 'removed'));
}

function problemsView(upload, problem) {
  const problems = problem?.problems || [];
  return h('div', null,
    notice('error', h('strong', { text: `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${upload.name}. ` }),
      'Nothing was changed. Fix the file and drop it again.'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid problems', dataset: { testid: 'problems' } },
      h('thead', null, h('tr', null, ['Where', 'Campaign', 'Field', 'Problem'].map((t) => h('th', { text: t })))),
      h('tbody', null, problems.map((p) => h('tr', null,
        h('td', { class: 'where', text: p.line != null ? `Line ${p.line}` : p.index != null ? `Item ${p.index + 1} (index ${p.index})` : 'Campaign' }),
        h('td', { class: 'mono', text: p.campaign ?? '—' }),
        h('td', { class: 'mono', text: p.field ?? '' }),
        h('td', { text: p.message ?? '' })))))));
}

function renderVersions(box, history, page, refresh) {
  const confirmBox = h('div', { dataset: { testid: 'restore-confirm' } });
  const rows = history.versions.map((v) => {
    const c = v.changes || { added: [], changed: [], removed: [] };
    const isCurrent = v.version === history.current;
    const summary = h('details', null,
      h('summary', null,
        h('span', { class: 'plus', text: `+${c.added.length}` }), ' ',
        h('span', { class: 'tilde', text: `~${c.changed.length}` }), ' ',
        h('span', { class: 'minus', text: `−${c.removed.length}` })),
      diffView(c, page.names));
    return h('tr', { dataset: { version: String(v.version) }, class: isCurrent ? 'current' : null },
      h('td', { class: 'num strong' }, `v${v.version}`, isCurrent ? h('span', null, ' ', badge('live', 'ok')) : null),
      h('td', { class: 'small', text: fmtDateTime(Date.parse(v.savedAt)) }),
      h('td', { text: v.action }),
      h('td', { class: 'num', text: String(v.campaigns) }),
      h('td', null, summary),
      h('td', { class: 'actions' }, isCurrent ? null : button(`Roll back to v${v.version}`,
        () => confirmRestore(v.version, history.current, confirmBox, page, refresh), { kind: 'small', testid: `restore-${v.version}` })));
  });
  replace(box,
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid versions' },
      h('thead', null, h('tr', null, ['Version', 'Saved', 'Made by', 'Campaigns', 'Changes', ''].map((t) => h('th', { text: t })))),
      h('tbody', null, rows))),
    confirmBox,
    h('p', { class: 'muted small', text: 'Rolling back makes a new version with the rules of the old one, so a rollback can itself be undone.' }));
}

/** Shows what restoring version n would change (a dry run), with a button that does it. */
async function confirmRestore(n, current, box, page, refresh) {
  let preview;
  try {
    preview = await admin.restore(n, { dryRun: true, ifMatch: current });
  } catch (e) {
    if (e instanceof ApiError && e.status === 412) {
      toast('The rules changed meanwhile; the history has been reloaded.', 'warn');
      await refresh();
    } else {
      toast(describe(e), 'error');
    }
    return;
  }
  const c = preview.changes;
  replace(box, h('div', { class: 'confirm' },
    h('h3', { text: `Roll back to version ${n}?` }),
    h('p', { text: `This makes version ${current + 1} with the rules of version ${n}. It would change:` }),
    diffView(c, page.names),
    h('div', { class: 'actions-row' },
      button(`Roll back to v${n}`, async () => {
        try {
          const done = await admin.restore(n, { ifMatch: current });
          toast(`Rolled back: version ${done.version} has the rules of version ${n}.`, 'ok');
          replace(box);
          await refresh();
        } catch (e) {
          toast(e.status === 412 ? 'The rules changed meanwhile; nothing was restored. The history has been reloaded.' : describe(e), e.status === 412 ? 'warn' : 'error');
          replace(box);
          await refresh();
        }
      }, { kind: 'primary', testid: 'restore-apply' }),
      button('Cancel', () => replace(box), { kind: 'subtle' }))));
  box.scrollIntoView({ block: 'nearest' });
}
