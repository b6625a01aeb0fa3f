// The console shell: sign-in, navigation between the pages (#/campaigns, #/campaign/<id>,
// #/upload, #/reports, #/explain) and sign-out.

import { checkToken, describe, onUnauthorized, session } from './api.js';
import { h, notice, replace } from './dom.js';
import { showCampaigns } from './campaigns.js';
import { showCampaign } from './campaign.js';
import { showUpload } from './upload.js';
import { showReports } from './reports.js';
import { showExplain } from './explain.js';

const PAGES = {
  campaigns: { title: 'Campaigns', show: (view) => showCampaigns(view) },
  campaign: { title: 'Campaign', nav: 'campaigns', show: (view, id) => showCampaign(view, id) },
  upload: { title: 'Upload & versions', show: (view) => showUpload(view) },
  reports: { title: 'Reports', show: (view) => showReports(view) },
  explain: { title: 'Explain', show: (view) => showExplain(view) },
};

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');

function route() {
  if (!session.token()) {
    signIn();
    return;
  }
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const page = PAGES[name];
  if (!page) {
    location.replace('#/campaigns');
    return;
  }
  topbar.hidden = false;
  for (const link of topbar.querySelectorAll('[data-nav]')) {
    link.classList.toggle('active', link.dataset.nav === (page.nav || name));
    if (link.dataset.nav === (page.nav || name)) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${page.title} · Iklan console`;
  // Each visit renders into a fresh element: a slow answer for a page the person has left
  // lands in a detached element and is never seen.
  const view = h('div', { class: 'view', dataset: { page: name } });
  replace(main, view);
  page.show(view, decodeURIComponent(rest.join('/'))).catch((e) => replace(view, notice('error', describe(e))));
}

function signIn(message) {
  topbar.hidden = true;
  document.title = 'Sign in · Iklan console';
  const token = h('input', {
    type: 'password', id: 'token', name: 'token', autocomplete: 'off', spellcheck: false, required: true,
    dataset: { testid: 'token' },
  });
  const error = h('div', { class: 'signin-error', dataset: { testid: 'signin-error' } },
    message ? notice('warn', message) : null);
  const submit = h('button', { type: 'submit', class: 'button primary wide', text: 'Sign in', dataset: { testid: 'signin' } });
  const form = h('form', {
    class: 'signin card',
    onsubmit: async (event) => {
      event.preventDefault();
      const value = token.value.trim();
      if (!value) {
        replace(error, notice('error', 'Enter the admin token.'));
        return;
      }
      submit.disabled = true;
      try {
        if (await checkToken(value)) {
          session.signIn(value);
          if (!location.hash || location.hash === '#/' || location.hash === '#') location.replace('#/campaigns');
          route();
        } else {
          replace(error, notice('error', 'The server refused this token. Check data/admin-token on the server (or IKLAN_ADMIN_TOKEN).'));
          token.select();
        }
      } catch (e) {
        replace(error, notice('error', e instanceof TypeError
          ? 'This token has characters that cannot be sent in a header.' : describe(e)));
      } finally {
        submit.disabled = false;
      }
    },
  },
  h('div', { class: 'signin-brand' }, h('span', { class: 'brand-mark big', text: 'i' }), h('div', null, h('h1', { text: 'Iklan ad ops console' }),
    h('p', { class: 'muted', text: 'Campaigns, uploads, delivery and explain.' }))),
  h('label', { class: 'field', for: 'token' }, h('span', { class: 'field-label', text: 'Admin token' }), token,
    h('span', { class: 'hint', text: 'Found in data/admin-token on the server, or set as IKLAN_ADMIN_TOKEN. Kept in this tab only (session storage) and sent as a bearer token; no cookies.' })),
  error, submit);
  replace(main, h('div', { class: 'signin-page' }, form));
  token.focus();
}

onUnauthorized(() => signIn('The server refused the token of this session; sign in again.'));
document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  location.hash = '';
  signIn();
});
window.addEventListener('hashchange', route);
route();
