// Teams Connector console: the few things htmx does not do. No inline script anywhere (CSP script-src 'self').
(function () {
    'use strict';

    function csrf() {
        var meta = document.querySelector('meta[name="csrf-token"]');
        return meta ? meta.getAttribute('content') : '';
    }

    function say(button, text) {
        var note = document.getElementById(button.getAttribute('data-note'));
        if (note) {
            note.textContent = text;
        }
    }

    // Buttons with data-opens (Authorize, Link Webex, Add a service account): ask the console for a one-time
    // authorize URL and open it in a new window. The window is opened at the click, so no pop-up blocker stops it.
    document.addEventListener('click', function (event) {
        var button = event.target.closest('button[data-opens]');
        if (!button) {
            return;
        }
        event.preventDefault();
        var opened = window.open('about:blank', '_blank');
        button.disabled = true;
        fetch(button.getAttribute('data-opens'), {
            method: 'POST',
            credentials: 'same-origin',
            headers: {'X-CSRF-Token': csrf(), 'Accept': 'application/json'}
        }).then(function (response) {
            return response.json().then(function (body) {
                return {ok: response.ok, body: body};
            });
        }).then(function (answer) {
            button.disabled = false;
            if (answer.ok && answer.body.authorizeUrl) {
                if (opened) {
                    opened.location.href = answer.body.authorizeUrl;
                    say(button, 'A new window is open: finish there. This page updates by itself.');
                } else {
                    window.location.href = answer.body.authorizeUrl;
                }
            } else {
                if (opened) {
                    opened.close();
                }
                say(button, answer.body.message || 'It could not be started.');
            }
        }).catch(function () {
            button.disabled = false;
            if (opened) {
                opened.close();
            }
            say(button, 'The console could not be reached. Try again.');
        });
    });
})();
