// Test host for <teams-expert-lookup>: what the Webex Desktop gives a widget, and a record of what it did.
// The test page is served at http://127.0.0.1:<port>; the widget's script and API at http://localhost:<port>
// (the `connector` query parameter), so every call the widget makes is cross-origin, as in the Desktop.
window.hostRecord = { selected: [], outdials: [], consults: [] };
window.Desktop = {
  dialer: { startOutdial: (request) => { window.hostRecord.outdials.push(request); return Promise.resolve({}); } },
  agentContact: { consult: (request) => { window.hostRecord.consults.push(request); return Promise.resolve({}); } }
};
document.addEventListener('expert-selected', (event) => window.hostRecord.selected.push(event.detail));
document.addEventListener('DOMContentLoaded', () => {
  const connector = new URLSearchParams(window.location.search).get('connector');
  const script = document.createElement('script');
  script.src = connector + '/widget/expert-lookup.js';
  document.head.appendChild(script);
});
