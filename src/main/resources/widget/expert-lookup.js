/*
 * <teams-expert-lookup>: the agent's expert search, for the Webex Contact Center Desktop (a custom widget) or
 * any page. Plain JavaScript, no build step, no dependencies.
 *
 * Properties (or the attributes in brackets):
 *   accessToken  (access-token)   the agent's Webex access token: $STORE.auth.accessToken
 *   agentId      (agent-id)       the agent's id: $STORE.agent.agentId (optional; the token decides)
 *   orgId        (org-id)         the org id (optional; the token decides)
 *   connectorUrl (connector-url)  the connector's base URL; by default where this script was loaded from
 *   interactionId (interaction-id)            the selected call, for "Consult" (optional)
 *   outdialEntryPointId (outdial-entry-point-id)  the outdial entry point, for "Call" (optional)
 *
 * Selecting an expert fires `expert-selected` (bubbles, composed) with detail {phone, id, displayName}.
 * Where the Desktop SDK is loaded (window.Desktop), "Call" starts an outdial and "Consult" a consult call.
 */
(() => {
  'use strict';

  const SCRIPT_ORIGIN = document.currentScript && document.currentScript.src
    ? new URL(document.currentScript.src).origin : window.location.origin;
  const DEBOUNCE_MS = 250;
  const LIMIT = 10;
  const PROPERTIES = {
    accessToken: 'access-token', agentId: 'agent-id', orgId: 'org-id', connectorUrl: 'connector-url',
    interactionId: 'interaction-id', outdialEntryPointId: 'outdial-entry-point-id'
  };
  const PRESENCE = {
    Available: ['available', 'Available'], AvailableIdle: ['available', 'Available (idle)'],
    Busy: ['busy', 'Busy'], BusyIdle: ['busy', 'Busy (idle)'], DoNotDisturb: ['busy', 'Do not disturb'],
    BeRightBack: ['away', 'Be right back'], Away: ['away', 'Away'], Offline: ['offline', 'Offline'],
    PresenceUnknown: ['offline', 'Presence unknown']
  };
  const UNAVAILABLE = {
    NO_CONNECTOR: 'Expert lookup is not set up for this organization.',
    CONNECTOR_INACTIVE: 'Expert lookup is switched off for this organization.',
    USER_DETAILS_DISABLED: 'Showing user details is switched off for this organization.',
    PROFILE_DISABLED: 'The Teams integration is off for your desktop profile.'
  };

  const TEMPLATE = document.createElement('template');
  TEMPLATE.innerHTML = `
<style>
  :host { display: block; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f1f1f; }
  .box { display: flex; flex-direction: column; gap: 8px; padding: 12px; }
  label { font-weight: 600; }
  input { font: inherit; padding: 6px 8px; border: 1px solid #6b6b6b; border-radius: 4px; }
  input:focus, button:focus { outline: 2px solid #0a5ec2; outline-offset: 1px; }
  .status { margin: 0; color: #4a4a4a; min-height: 1.4em; }
  ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
  li { display: flex; justify-content: space-between; align-items: center; gap: 12px; padding: 8px;
       border: 1px solid #d0d0d0; border-radius: 6px; }
  li.selected { border-color: #0a5ec2; background: #eef4fc; }
  .name { font-weight: 600; }
  .meta, .phone { color: #4a4a4a; }
  .presence { display: inline-flex; align-items: center; gap: 6px; }
  .dot { width: 10px; height: 10px; border-radius: 50%; border: 1px solid #1f1f1f33; flex: none; }
  .available { background: #107c10; } .busy { background: #c4314b; } .away { background: #f8d22a; }
  .offline { background: #8a8a8a; }
  .actions { display: flex; gap: 6px; flex: none; }
  button { font: inherit; padding: 4px 10px; border-radius: 4px; border: 1px solid #0a5ec2; background: #fff;
           color: #0a4a99; cursor: pointer; }
  button.primary { background: #0a5ec2; color: #fff; }
</style>
<div class="box">
  <label for="query">Find an expert</label>
  <input id="query" type="search" autocomplete="off" spellcheck="false"
         placeholder="Name, department or job title" aria-describedby="status">
  <p id="status" class="status" role="status" aria-live="polite"></p>
  <ul id="results" aria-label="Experts"></ul>
</div>`;

  class TeamsExpertLookup extends HTMLElement {
    static get observedAttributes() {
      return Object.values(PROPERTIES);
    }

    constructor() {
      super();
      this._props = {};
      this._timer = null;
      this._sequence = 0;
      this._abort = null;
      this._experts = [];
      const root = this.attachShadow({ mode: 'open' });
      root.appendChild(TEMPLATE.content.cloneNode(true));
      this._input = root.getElementById('query');
      this._status = root.getElementById('status');
      this._results = root.getElementById('results');
      this._input.addEventListener('input', () => this._schedule());
      this._input.addEventListener('keydown', (e) => {
        if (e.key === 'ArrowDown') {
          const first = this._results.querySelector('button');
          if (first) { e.preventDefault(); first.focus(); }
        } else if (e.key === 'Enter') {
          e.preventDefault();
          this._search();
        }
      });
      this._results.addEventListener('click', (e) => this._act(e));
      this._results.addEventListener('keydown', (e) => this._move(e));
    }

    connectedCallback() {
      // a property set before the element was upgraded sits on the instance: take it through the setter
      for (const name of Object.keys(PROPERTIES)) {
        if (Object.prototype.hasOwnProperty.call(this, name)) {
          const value = this[name];
          delete this[name];
          this[name] = value;
        }
      }
    }

    attributeChangedCallback(attribute, previous, value) {
      const name = Object.keys(PROPERTIES).find((key) => PROPERTIES[key] === attribute);
      this._props[name] = value;
    }

    _schedule() {
      clearTimeout(this._timer);
      this._timer = setTimeout(() => this._search(), DEBOUNCE_MS);
    }

    async _search() {
      clearTimeout(this._timer);
      const query = this._input.value.trim();
      const sequence = ++this._sequence;
      if (this._abort) {
        this._abort.abort();
      }
      if (!query) {
        this._render([]);
        this._say('');
        return;
      }
      if (!this.accessToken) {
        this._say('Sign in to the Desktop to search experts.');
        return;
      }
      this._abort = new AbortController();
      this._say('Searching…');
      const body = { query, limit: LIMIT };
      if (this.orgId) { body.orgId = this.orgId; }
      if (this.agentId) { body.agentId = this.agentId; }
      try {
        const response = await fetch(this._base() + '/expert-lookup', {
          method: 'POST',
          headers: { 'Authorization': 'Bearer ' + this.accessToken, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
          signal: this._abort.signal
        });
        const answer = await response.json().catch(() => ({}));
        if (sequence !== this._sequence) {
          return;
        }
        if (!response.ok) {
          this._render([]);
          this._say(this._failure(response.status, answer));
          return;
        }
        const experts = answer.experts || [];
        this._render(experts);
        this._say(answer.unavailableReason ? (UNAVAILABLE[answer.unavailableReason] || 'Expert lookup is unavailable.')
          : experts.length === 0 ? 'No expert found.'
            : experts.length === 1 ? '1 expert found.' : experts.length + ' experts found.');
      } catch (e) {
        if (e.name !== 'AbortError' && sequence === this._sequence) {
          this._render([]);
          this._say('The connector could not be reached; try again shortly.');
        }
      }
    }

    _failure(status, answer) {
      if (status === 401) { return 'Your Desktop session has expired: sign in again.'; }
      if (status === 403) { return answer.message || 'You may not search this organization.'; }
      if (status === 503) { return 'Expert lookup is unavailable right now; try again shortly.'; }
      return answer.message || 'The search failed (' + status + ').';
    }

    _base() {
      const url = this.connectorUrl || SCRIPT_ORIGIN;
      return url.endsWith('/') ? url.slice(0, -1) : url;
    }

    _desktop() {
      const sdk = window.Desktop;
      return sdk && typeof sdk === 'object' ? sdk : null;
    }

    _render(experts) {
      this._experts = experts;
      this._results.replaceChildren();
      const sdk = this._desktop();
      const canCall = !!(sdk && sdk.dialer && typeof sdk.dialer.startOutdial === 'function');
      const canConsult = !!(sdk && sdk.agentContact && typeof sdk.agentContact.consult === 'function'
        && this.interactionId);
      experts.forEach((expert, index) => {
        const item = document.createElement('li');
        item.dataset.index = String(index);
        const who = document.createElement('div');
        who.append(this._line('name', expert.displayName),
          this._line('meta', [expert.jobTitle, expert.department].filter(Boolean).join(' · ')),
          this._presence(expert.presence),
          this._line('phone', expert.businessPhone));
        const actions = document.createElement('div');
        actions.className = 'actions';
        actions.append(this._button('select', 'Select', expert, true));
        if (canConsult) { actions.append(this._button('consult', 'Consult', expert)); }
        if (canCall) { actions.append(this._button('call', 'Call', expert)); }
        item.append(who, actions);
        this._results.append(item);
      });
    }

    _line(className, text) {
      const line = document.createElement('div');
      line.className = className;
      line.textContent = text || '';
      return line;
    }

    _presence(presence) {
      const availability = presence && presence.availability;
      const [tone, label] = PRESENCE[availability] || PRESENCE.PresenceUnknown;
      const activity = presence && presence.activity && presence.activity !== availability
        ? humane(presence.activity) : '';
      const line = document.createElement('div');
      line.className = 'presence';
      const dot = document.createElement('span');
      dot.className = 'dot ' + tone;
      dot.setAttribute('aria-hidden', 'true');
      const text = document.createElement('span');
      text.textContent = activity && activity !== label ? label + ' — ' + activity : label;
      line.append(dot, text);
      return line;
    }

    _button(action, text, expert, primary) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.action = action;
      button.textContent = text;
      button.setAttribute('aria-label', text + ' ' + expert.displayName);
      if (primary) { button.className = 'primary'; }
      return button;
    }

    _act(event) {
      const button = event.target.closest('button');
      if (!button) { return; }
      const item = button.closest('li');
      const expert = this._experts[Number(item.dataset.index)];
      const detail = { phone: expert.businessPhone, id: expert.id, displayName: expert.displayName };
      const sdk = this._desktop();
      if (button.dataset.action === 'select') {
        this._results.querySelectorAll('li.selected').forEach((li) => li.classList.remove('selected'));
        item.classList.add('selected');
        this._say(expert.displayName + ' selected: ' + expert.businessPhone);
        this.dispatchEvent(new CustomEvent('expert-selected', { detail, bubbles: true, composed: true }));
      } else if (button.dataset.action === 'call' && sdk) {
        this._sdk(() => sdk.dialer.startOutdial({
          data: {
            entryPointId: this.outdialEntryPointId, destination: expert.businessPhone, direction: 'OUTBOUND',
            attributes: {}, mediaType: 'telephony', outboundType: 'OUTDIAL'
          }
        }), 'Calling ' + expert.displayName + '…');
      } else if (button.dataset.action === 'consult' && sdk) {
        this._sdk(() => sdk.agentContact.consult({
          interactionId: this.interactionId,
          data: { destination: expert.businessPhone, destinationType: 'dialNumber', mediaType: 'telephony' }
        }), 'Consulting ' + expert.displayName + '…');
      }
    }

    async _sdk(call, saying) {
      this._say(saying);
      try {
        await call();
      } catch (e) {
        this._say('The Desktop could not place the call.');
      }
    }

    /** Arrow keys move between the results' buttons; Escape goes back to the search box. */
    _move(event) {
      const buttons = Array.from(this._results.querySelectorAll('button'));
      const at = buttons.indexOf(this.shadowRoot.activeElement);
      if (at < 0) { return; }
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        buttons[(at + step + buttons.length) % buttons.length].focus();
      } else if (event.key === 'Escape') {
        this._input.focus();
      }
    }

    _say(text) {
      this._status.textContent = text;
    }
  }

  /** "InACall" -> "In a call". */
  function humane(word) {
    const spaced = word.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z])([A-Z][a-z])/g, '$1 $2');
    return spaced.charAt(0) + spaced.slice(1).toLowerCase();
  }

  for (const name of Object.keys(PROPERTIES)) {
    Object.defineProperty(TeamsExpertLookup.prototype, name, {
      get() { return this._props[name] || null; },
      set(value) { this._props[name] = value == null ? null : String(value); },
      configurable: true
    });
  }

  if (!customElements.get('teams-expert-lookup')) {
    customElements.define('teams-expert-lookup', TeamsExpertLookup);
  }
})();
