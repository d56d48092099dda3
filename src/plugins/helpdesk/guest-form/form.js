/*
 * Guest ticket form: posts to /api/tickets/guest and shows the server's answer.
 * Plain DOM, no framework. Every piece of text that comes from the server (company name,
 * error messages, ticket number) is inserted with textContent, never as markup.
 */
(function () {
  'use strict';

  var ENDPOINT = '/api/tickets/guest';
  var BRANDING_URL = '/tickets/guest/branding';

  /** Form fields in page order, with the name used in messages. */
  var FIELDS = [
    { name: 'firstName', label: 'First name', required: true },
    { name: 'lastName', label: 'Last name', required: true },
    { name: 'email', label: 'Email', required: true },
    { name: 'phone', label: 'Phone', required: true },
    { name: 'company', label: 'Company', required: true },
    { name: 'branch', label: 'Branch', required: false },
    { name: 'subject', label: 'Subject', required: true },
    { name: 'description', label: 'Description', required: true },
    { name: 'priority', label: 'Priority', required: true },
    { name: 'category', label: 'Category', required: false },
  ];
  var HONEYPOT = 'website';
  var CHALLENGE = 'altcha';

  var byId = function (id) {
    return document.getElementById(id);
  };

  function fieldInfo(name) {
    for (var i = 0; i < FIELDS.length; i++) if (FIELDS[i].name === name) return FIELDS[i];
    return null;
  }

  // ---- branding -------------------------------------------------------------------------

  function applyBranding(companyName) {
    if (typeof companyName !== 'string') return;
    var name = companyName.trim();
    if (!name) return;
    var text = 'Contact ' + name + ' Support';
    byId('page-heading').textContent = text;
    document.title = text;
  }

  function loadBranding() {
    fetch(BRANDING_URL, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (!body) return;
        applyBranding(body.companyName);
        if (body.challenge && body.challenge.type === 'altcha') addChallenge(body.challenge);
      })
      .catch(function () {
        // keep the default heading
      });
  }

  // ---- proof of work (altcha, only when the server asks for it) -----------------------------

  /** The widget, served by our server: its script, stylesheet and worker are same-origin files. */
  function addChallenge(challenge) {
    var form = byId('guest-form');
    if (form.querySelector('altcha-widget')) return;
    var css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = challenge.widget + 'altcha.css';
    document.head.appendChild(css);
    var script = document.createElement('script');
    script.type = 'module';
    script.src = challenge.widget + 'altcha.js';
    document.head.appendChild(script);
    var widget = document.createElement('altcha-widget');
    widget.setAttribute('challengeurl', challenge.url);
    widget.setAttribute('name', CHALLENGE);
    // solved when the form is submitted (or when the person ticks the box first)
    widget.setAttribute('auto', 'onsubmit');
    widget.setAttribute('hidelogo', '');
    widget.setAttribute('hidefooter', '');
    var field = document.createElement('div');
    field.className = 'field';
    field.appendChild(widget);
    form.insertBefore(field, form.querySelector('.actions'));
  }

  // ---- messages -------------------------------------------------------------------------

  function setStatus(text, isError) {
    var status = byId('form-status');
    status.classList.toggle('is-error', Boolean(isError));
    status.textContent = text;
  }

  function clearErrors() {
    FIELDS.forEach(function (field) {
      var input = byId(field.name);
      var error = byId('error-' + field.name);
      if (input) input.removeAttribute('aria-invalid');
      if (error) {
        error.textContent = '';
        error.hidden = true;
      }
    });
    var summary = byId('error-summary');
    var list = byId('error-summary-list');
    while (list.firstChild) list.removeChild(list.firstChild);
    summary.hidden = true;
  }

  /** Shows one message under each field the server named, and a linked summary above the form. */
  function showErrors(errors, fallbackMessage) {
    var summary = byId('error-summary');
    var list = byId('error-summary-list');
    var seen = {};
    var count = 0;

    errors.forEach(function (error) {
      var path = Array.isArray(error && error.path) ? error.path : [];
      var name = path.length ? String(path[0]) : '';
      var message = error && typeof error.message === 'string' ? error.message : 'is invalid';
      if (seen[name]) return;
      seen[name] = true;

      var field = fieldInfo(name);
      var input = field ? byId(name) : null;
      var text;
      if (field && input) {
        text = field.label + ' ' + message;
        var slot = byId('error-' + name);
        slot.textContent = text;
        slot.hidden = false;
        input.setAttribute('aria-invalid', 'true');
      } else if (name === HONEYPOT) {
        return; // never talk about the hidden field
      } else if (name === CHALLENGE) {
        text = 'Anti-spam check: ' + message;
      } else {
        text = name ? name + ': ' + message : message;
      }

      var item = document.createElement('li');
      if (input) {
        var link = document.createElement('a');
        link.href = '#' + name;
        link.textContent = text;
        link.addEventListener('click', function (event) {
          event.preventDefault();
          input.focus();
        });
        item.appendChild(link);
      } else {
        item.textContent = text;
      }
      list.appendChild(item);
      count++;
    });

    if (!count) {
      var only = document.createElement('li');
      only.textContent = fallbackMessage || 'Some of the information is not valid.';
      list.appendChild(only);
      count = 1;
    }

    summary.hidden = false;
    setStatus(
      count === 1 ? 'Please correct 1 error in the form.' : 'Please correct ' + count + ' errors in the form.',
      true
    );
    summary.focus();
  }

  /** Retry-After is seconds or an HTTP date; the answer is whole minutes, at least one. */
  function retryMinutes(header) {
    if (!header) return null;
    var seconds = Number(header);
    if (!isFinite(seconds)) {
      var date = Date.parse(header);
      if (isNaN(date)) return null;
      seconds = (date - Date.now()) / 1000;
    }
    return Math.max(1, Math.ceil(seconds / 60));
  }

  // ---- submit ---------------------------------------------------------------------------

  function collect(form) {
    var data = {};
    FIELDS.forEach(function (field) {
      var value = form.elements[field.name].value;
      if (!field.required && value.trim() === '') return; // omit empty optional fields
      data[field.name] = value;
    });
    data[HONEYPOT] = form.elements[HONEYPOT].value; // sent as-is: the server decides
    var proof = form.querySelector('input[name="' + CHALLENGE + '"]');
    if (proof && proof.value) data[CHALLENGE] = proof.value;
    return data;
  }

  function readJson(response) {
    return response.text().then(function (text) {
      if (!text) return null;
      try {
        return JSON.parse(text);
      } catch (e) {
        return null;
      }
    });
  }

  function showSuccess(receipt, email) {
    byId('ticket-number').textContent = receipt && receipt.ticketNumber ? String(receipt.ticketNumber) : '';
    byId('success-email').textContent = email.trim() || 'your email address';
    byId('form-view').hidden = true;
    var success = byId('success-view');
    success.hidden = false;
    setStatus('Your ticket has been submitted.', false);
    success.focus();
  }

  function init() {
    var form = byId('guest-form');
    var button = byId('submit-button');
    var idleLabel = button.textContent;
    var busy = false;

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (busy) return;
      busy = true;

      clearErrors();
      var data = collect(form);
      button.disabled = true;
      button.textContent = 'Submitting…';
      form.setAttribute('aria-busy', 'true');
      setStatus('Submitting…', false);

      var done = function () {
        busy = false;
        button.disabled = false;
        button.textContent = idleLabel;
        form.removeAttribute('aria-busy');
      };

      fetch(ENDPOINT, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ data: data }),
      })
        .then(function (response) {
          return readJson(response).then(function (body) {
            if (response.status === 201 || response.status === 200) {
              showSuccess(body && body.data, data.email);
              return;
            }
            var error = (body && body.error) || {};
            if (response.status === 400) {
              var details = error.details && Array.isArray(error.details.errors) ? error.details.errors : [];
              showErrors(details, typeof error.message === 'string' ? error.message : '');
              return;
            }
            if (response.status === 429) {
              var minutes = retryMinutes(response.headers.get('Retry-After'));
              setStatus(
                minutes
                  ? 'There have been too many submissions, please try again in ' +
                      minutes +
                      (minutes === 1 ? ' minute.' : ' minutes.')
                  : 'There have been too many submissions, please try again later.',
                true
              );
              return;
            }
            if (response.status === 413) {
              setStatus('Your message is too large. Please shorten the description and try again.', true);
              return;
            }
            setStatus('Sorry, something went wrong and your ticket was not submitted. Please try again later.', true);
          });
        })
        .catch(function () {
          setStatus(
            'Sorry, your ticket could not be sent. Please check your connection and try again.',
            true
          );
        })
        .then(done, done);
    });

    loadBranding();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
