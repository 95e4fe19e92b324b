/*
 * kneechat web widget: a knee-pain chat for a clinic's website.
 *
 * Embed with one tag (no build step, no dependencies):
 *   <script src="https://clinic.example/widget.js" defer
 *           data-kneechat-endpoint="https://clinic.example"></script>
 *
 * Optional attributes on that tag:
 *   data-kneechat-endpoint          API origin (default: the script's origin)
 *   data-kneechat-target            CSS selector of an element to render into;
 *                                   without it a floating chat button is shown
 *   data-kneechat-open="true"       floating mode: start opened
 *   data-kneechat-emergency-number  e.g. "999", shown in the emergency line
 *   data-kneechat-title             heading (default "Knee pain help")
 *   data-kneechat-storage           "local" (default), "session" or "none":
 *                                   where the conversation id is kept
 *
 * It talks to the kneechat HTTP API (Connect protocol, JSON). All text from
 * the person and from the server is rendered as text, never as HTML.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || window.__kneechatWidgetLoaded) return;
  window.__kneechatWidgetLoaded = true;

  var STRINGS = {
    title: 'Knee pain help',
    open: 'Knee pain help',
    close: 'Close chat',
    newConversation: 'New conversation',
    emergencyLead: 'Emergency?',
    emergencyLine: 'In an emergency call your local emergency number',
    disclaimer:
      'General information quoted from patient-education articles, not a ' +
      'diagnosis. It does not replace a doctor or physiotherapist.',
    conversation: 'Conversation',
    inputLabel: 'Your message',
    placeholder: 'Describe your knee pain…',
    send: 'Send',
    suggested: 'Suggested replies',
    typing: 'Typing…',
    you: 'You said:',
    bot: 'kneechat said:',
    youChose: 'You chose: ',
    sources: 'Sources',
    source: 'Source ',
    quoted: 'Quoted from: ',
    redFlagsIntro: 'Warning signs in what you said:',
    youSaid: 'you said “',
    retry: 'Try again',
    whyAsk: 'Why do you ask?',
    errorNetwork:
      'The chat service cannot be reached. Check your connection and try again.',
    errorGeneric: 'Sorry, something went wrong. Please try again.',
    errorBusy: 'The chat is busy right now. Please try again in a moment.',
    expired:
      'Your earlier conversation had expired, so a new one has been started.',
  };

  var LEVELS = {
    TRIAGE_LEVEL_EMERGENCY: {
      rank: 4,
      css: 'emergency',
      label: 'Emergency',
      text: 'Call your emergency number or go to the emergency department now.',
    },
    TRIAGE_LEVEL_URGENT: {
      rank: 3,
      css: 'urgent',
      label: 'Urgent: be seen today',
      text:
        'Go to urgent care, a same-day GP appointment or a minor injuries unit today.',
    },
    TRIAGE_LEVEL_SOON: {
      rank: 2,
      css: 'soon',
      label: 'See someone soon',
      text: 'Book a GP or physiotherapist in the next few days to two weeks.',
    },
    TRIAGE_LEVEL_SELF_CARE: {
      rank: 1,
      css: 'self-care',
      label: 'Self-care',
      text: 'You can look after this at home. Get care if it changes.',
    },
  };

  var REQUEST_TIMEOUT_MS = 30000;
  var RETRY_DELAY_MS = 400;

  // ---- configuration -----------------------------------------------------

  function attr(name) {
    var value = script.getAttribute('data-kneechat-' + name);
    return value === null ? '' : value.trim();
  }

  var scriptUrl = new URL(script.src, document.baseURI);
  var config = {
    endpoint: (attr('endpoint') || scriptUrl.origin).replace(/\/+$/, ''),
    target: attr('target'),
    startOpen: attr('open') === 'true',
    emergencyNumber: attr('emergency-number'),
    title: attr('title') || STRINGS.title,
    storage: attr('storage') || 'local',
    stylesheet: new URL('widget.css', scriptUrl).href,
  };

  // ---- small helpers -----------------------------------------------------

  // Builds an element. `props` sets attributes (or `text`, `className`,
  // `hidden`, event handlers `on<event>`); children are nodes or strings,
  // strings always become text nodes.
  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        var value = props[key];
        if (value === undefined || value === null || value === false) return;
        if (key === 'text') node.textContent = value;
        else if (key === 'className') node.className = value;
        else if (key === 'hidden') node.hidden = true;
        else if (key.slice(0, 2) === 'on') node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? '' : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function newMessageId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') {
      return window.crypto.randomUUID();
    }
    // Outside secure contexts randomUUID is missing: build a v4 UUID.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join('');
    return (
      hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' +
      hex.slice(16, 20) + '-' + hex.slice(20)
    );
  }

  function delay(ms) {
    return new Promise(function (resolve) {
      setTimeout(resolve, ms);
    });
  }

  var sessionStore = (function () {
    var key = 'kneechat.session:' + config.endpoint;
    var backing = null;
    try {
      if (config.storage === 'local') backing = window.localStorage;
      else if (config.storage === 'session') backing = window.sessionStorage;
    } catch (e) {
      backing = null;  // storage disabled by the browser
    }
    return {
      get: function () {
        try {
          return backing ? backing.getItem(key) : null;
        } catch (e) {
          return null;
        }
      },
      set: function (id) {
        try {
          if (backing) backing.setItem(key, id);
        } catch (e) {
          /* quota or privacy mode: the chat still works, without reload */
        }
      },
      clear: function () {
        try {
          if (backing) backing.removeItem(key);
        } catch (e) {
          /* ignore */
        }
      },
    };
  })();

  // ---- the Connect API -----------------------------------------------------

  function RpcError(code, message) {
    this.code = code;
    this.message = message || code;
  }

  // The Connect code a client infers from a bare HTTP status.
  function codeFromHttpStatus(status) {
    if (status === 400) return 'internal';
    if (status === 401) return 'unauthenticated';
    if (status === 403) return 'permission_denied';
    if (status === 404) return 'unimplemented';
    if (status === 429 || status === 502 || status === 503 || status === 504) {
      return 'unavailable';
    }
    return 'unknown';
  }

  function callOnce(method, body) {
    var controller = new AbortController();
    var timer = setTimeout(function () {
      controller.abort();
    }, REQUEST_TIMEOUT_MS);
    return fetch(config.endpoint + '/kneechat.v1.KneeChat/' + method, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Connect-Protocol-Version': '1',
      },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      signal: controller.signal,
    })
      .catch(function () {
        throw new RpcError('network', STRINGS.errorNetwork);
      })
      .then(function (response) {
        return response.text().then(function (text) {
          var data = null;
          try {
            data = text ? JSON.parse(text) : {};
          } catch (e) {
            data = null;
          }
          if (response.ok && data) return data;
          if (data && typeof data.code === 'string') {
            throw new RpcError(data.code, data.message);
          }
          throw new RpcError(codeFromHttpStatus(response.status));
        });
      })
      .finally(function () {
        clearTimeout(timer);
      });
  }

  // Calls `method`; a network failure is retried once with the same body
  // (for SendMessage the same message_id, so the server applies it once).
  function call(method, body) {
    return callOnce(method, body).catch(function (error) {
      if (error.code !== 'network') throw error;
      return delay(RETRY_DELAY_MS).then(function () {
        return callOnce(method, body);
      });
    });
  }

  // ---- the widget ----------------------------------------------------------

  function Widget(host) {
    this.sessionId = null;
    this.busy = false;
    this.footnoteSeq = 0;
    this.whySeq = 0;
    this.root = host.attachShadow({ mode: 'open' });
    this.host = host;
    this.build();
  }

  Widget.prototype.build = function () {
    var self = this;
    var floating = !config.target;

    // Shown once the stylesheet settles, to avoid a flash of raw markup.
    this.host.style.visibility = 'hidden';
    var reveal = function () {
      self.host.style.visibility = '';
    };
    this.root.appendChild(
      el('link', { rel: 'stylesheet', href: config.stylesheet, onload: reveal, onerror: reveal })
    );
    setTimeout(reveal, 3000);

    var emergencyText = STRINGS.emergencyLine +
      (config.emergencyNumber ? ': ' + config.emergencyNumber + '.' : '.');

    this.log = el('div', {
      className: 'kc-log',
      role: 'log',
      'aria-live': 'off',
      'aria-label': STRINGS.conversation,
      tabindex: '0',
    });
    this.typing = el('p', { className: 'kc-typing', hidden: true }, [
      el('span', { className: 'kc-dots', 'aria-hidden': 'true' }, [
        el('span'), el('span'), el('span'),
      ]),
      el('span', { text: STRINGS.typing }),
    ]);
    this.input = el('input', {
      id: 'kc-input',
      type: 'text',
      autocomplete: 'off',
      maxlength: '2000',
      enterkeyhint: 'send',
      placeholder: STRINGS.placeholder,
    });
    this.sendButton = el('button', { type: 'submit', className: 'kc-send', text: STRINGS.send });
    this.form = el(
      'form',
      {
        className: 'kc-compose',
        onsubmit: function (event) {
          event.preventDefault();
          self.sendText(self.input.value);
        },
      },
      [
        el('label', { for: 'kc-input', className: 'kc-label', text: STRINGS.inputLabel }),
        el('div', { className: 'kc-row' }, [this.input, this.sendButton]),
      ]
    );
    this.quick = el('div', {
      className: 'kc-quick',
      role: 'group',
      'aria-label': STRINGS.suggested,
      hidden: true,
    });
    this.live = el('div', { className: 'kc-sr-only', 'aria-live': 'polite' });

    var headerButtons = [
      el('button', {
        type: 'button',
        className: 'kc-new',
        text: STRINGS.newConversation,
        onclick: function () {
          self.restart();
        },
      }),
    ];
    if (floating) {
      headerButtons.push(
        el('button', {
          type: 'button',
          className: 'kc-close',
          'aria-label': STRINGS.close,
          text: '×',
          onclick: function () {
            self.setOpen(false);
          },
        })
      );
    }

    this.panel = el(
      'section',
      {
        className: 'kc' + (floating ? ' kc-floating' : ' kc-inline'),
        id: 'kc-panel',
        'aria-labelledby': 'kc-title',
        onkeydown: function (event) {
          if (event.key === 'Escape') {
            if (floating && self.root.activeElement === self.input) self.setOpen(false);
            else self.input.focus();
          }
        },
      },
      [
        el('header', { className: 'kc-header' }, [
          el('h2', { className: 'kc-title', id: 'kc-title', text: config.title }),
          el('div', { className: 'kc-header-buttons' }, headerButtons),
        ]),
        el('p', { className: 'kc-emergency' }, [
          el('strong', { text: STRINGS.emergencyLead }), ' ', emergencyText,
        ]),
        this.log,
        this.typing,
        this.form,
        this.quick,
        el('p', { className: 'kc-disclaimer', text: STRINGS.disclaimer }),
        this.live,
      ]
    );

    if (floating) {
      this.launcher = el('button', {
        type: 'button',
        className: 'kc-launcher',
        'aria-expanded': 'false',
        'aria-controls': 'kc-panel',
        text: STRINGS.open,
        onclick: function () {
          self.setOpen(true);
        },
      });
      this.root.appendChild(this.launcher);
      this.setOpen(config.startOpen, true);
    }
    this.root.appendChild(this.panel);
  };

  Widget.prototype.setOpen = function (open, initial) {
    this.panel.hidden = !open;
    this.launcher.hidden = open;
    this.launcher.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (initial) return;
    if (open) this.input.focus();
    else this.launcher.focus();
  };

  Widget.prototype.setBusy = function (busy) {
    this.busy = busy;
    this.typing.hidden = !busy;
    this.sendButton.disabled = busy;
    this.log.setAttribute('aria-busy', busy ? 'true' : 'false');
    Array.prototype.forEach.call(this.quick.querySelectorAll('button'), function (b) {
      b.disabled = busy;
    });
    if (busy) this.scrollToEnd();
  };

  Widget.prototype.announce = function (text) {
    // Only the newest text lives here, so nothing is read twice.
    while (this.live.firstChild) this.live.removeChild(this.live.firstChild);
    this.live.appendChild(el('p', { text: text }));
  };

  Widget.prototype.scrollToEnd = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  // ---- rendering -------------------------------------------------------------

  Widget.prototype.appendUser = function (text) {
    this.log.appendChild(
      el('div', { className: 'kc-msg kc-user' }, [
        el('span', { className: 'kc-sr-only', text: STRINGS.you + ' ' }),
        el('p', { className: 'kc-text', text: text }),
      ])
    );
    this.scrollToEnd();
  };

  Widget.prototype.appendNotice = function (text, retry) {
    var notice = el('div', { className: 'kc-notice', role: 'status' }, [
      el('p', { text: text }),
    ]);
    if (retry) {
      notice.appendChild(
        el('button', {
          type: 'button',
          className: 'kc-retry',
          text: STRINGS.retry,
          onclick: function () {
            notice.remove();
            retry();
          },
        })
      );
    }
    this.log.appendChild(notice);
    this.scrollToEnd();
    return notice;
  };

  function levelOf(reply) {
    var triage = reply.triage || {};
    return LEVELS[triage.level] || null;
  }

  Widget.prototype.renderTriage = function (reply) {
    var triage = reply.triage || {};
    var level = levelOf(reply);
    if (!level) return null;
    var isReferral = reply.kind === 'REPLY_KIND_REFERRAL';
    if (!isReferral && level.rank < 3) {
      return el('p', { className: 'kc-level-tag kc-level-' + level.css, text: level.label });
    }
    var headline = level.text;
    if (level.css === 'emergency' && config.emergencyNumber) {
      headline = 'Call ' + config.emergencyNumber + ' or go to the emergency department now.';
    }
    var banner = el('div', { className: 'kc-triage kc-level-' + level.css }, [
      el('p', { className: 'kc-triage-level' }, [
        el('strong', { text: level.label }), ' ', headline,
      ]),
    ]);
    if (triage.action) banner.appendChild(el('p', { className: 'kc-triage-action', text: triage.action }));
    if (triage.reason) banner.appendChild(el('p', { className: 'kc-triage-reason', text: triage.reason }));
    var flags = triage.redFlags || [];
    if (flags.length) {
      banner.appendChild(el('p', { className: 'kc-triage-flags-intro', text: STRINGS.redFlagsIntro }));
      banner.appendChild(
        el(
          'ul',
          { className: 'kc-triage-flags' },
          flags.map(function (flag) {
            var item = el('li', null, [el('strong', { text: flag.title || flag.id || '' })]);
            if (flag.evidence) item.appendChild(document.createTextNode(' (' + STRINGS.youSaid + flag.evidence + '”)'));
            return item;
          })
        )
      );
    }
    return banner;
  };

  // Reply text with each [n] marker turned into a button that opens
  // footnote n. Text segments stay text nodes.
  Widget.prototype.renderText = function (text, footnotes) {
    var paragraph = el('p', { className: 'kc-text' });
    var pattern = /\[(\d{1,2})\]/g;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var note = footnotes[match[1]];
      if (!note) continue;
      paragraph.appendChild(document.createTextNode(text.slice(last, match.index)));
      paragraph.appendChild(this.footnoteRef(match[1], note));
      last = pattern.lastIndex;
    }
    paragraph.appendChild(document.createTextNode(text.slice(last)));
    return paragraph;
  };

  Widget.prototype.footnoteRef = function (number, note) {
    var self = this;
    return el('sup', null, [
      el('button', {
        type: 'button',
        className: 'kc-ref',
        'aria-label': STRINGS.source + number + ': ' + note.title,
        'aria-controls': note.id,
        text: '[' + number + ']',
        onclick: function () {
          note.details.open = true;
          note.summary.focus();
          note.details.scrollIntoView({ block: 'nearest' });
          self.announce(STRINGS.quoted + note.title + '. ' + note.excerpt);
        },
      }),
    ]);
  };

  Widget.prototype.renderCitations = function (citations, footnotes) {
    if (!citations.length) return null;
    var self = this;
    var list = el('ol', { className: 'kc-sources', 'aria-label': STRINGS.sources });
    citations.forEach(function (citation, index) {
      var number = String(citation.number || index + 1);
      var id = 'kc-fn-' + ++self.footnoteSeq;
      var title = citation.title || citation.documentId || '';
      var summary = el('summary', null, [
        el('span', { className: 'kc-fn-number', text: '[' + number + '] ' }),
        title,
      ]);
      var details = el('details', { className: 'kc-footnote' }, [
        summary,
        el('blockquote', { className: 'kc-excerpt', text: citation.excerpt || '' }),
        el('p', { className: 'kc-fn-source', text: STRINGS.quoted + title }),
      ]);
      list.appendChild(el('li', { id: id, value: number }, [details]));
      footnotes[number] = {
        id: id,
        title: title,
        excerpt: citation.excerpt || '',
        details: details,
        summary: summary,
      };
    });
    return list;
  };

  // The question's reason (reply.why), behind a "Why do you ask?"
  // disclosure button. Nothing when the reply has no reason, or when its
  // text already gives it (the answer to a typed "why?").
  Widget.prototype.renderWhy = function (reply) {
    var why = reply.why || '';
    if (!why || (reply.text || '').indexOf(why) === 0) return null;
    var self = this;
    var id = 'kc-why-' + ++this.whySeq;
    var reason = el('p', { className: 'kc-why-text', id: id, hidden: true, text: why });
    var toggle = el('button', {
      type: 'button',
      className: 'kc-why-toggle',
      'aria-expanded': 'false',
      'aria-controls': id,
      text: STRINGS.whyAsk,
      onclick: function () {
        var open = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
        reason.hidden = !open;
        if (open) self.announce(why);
      },
    });
    return el('div', { className: 'kc-why' }, [toggle, reason]);
  };

  Widget.prototype.appendBot = function (reply, announce) {
    reply = reply || {};
    var footnotes = {};
    var citations = this.renderCitations(reply.citations || [], footnotes);
    var message = el('div', {
      className: 'kc-msg kc-bot',
      'data-kind': reply.kind || '',
      'data-asking': reply.asking || null,
    }, [
      el('span', { className: 'kc-sr-only', text: STRINGS.bot + ' ' }),
      this.renderTriage(reply),
      this.renderText(reply.text || '', footnotes),
      this.renderWhy(reply),
      citations,
    ]);
    this.log.appendChild(message);
    this.scrollToEnd();
    if (announce !== false) {
      var level = levelOf(reply);
      var prefix = level && level.rank >= 3 ? level.label + '. ' : '';
      this.announce(prefix + (reply.text || '').replace(/\s*\[\d{1,2}\]/g, ''));
    }
  };

  Widget.prototype.showQuickReplies = function (reply) {
    var self = this;
    while (this.quick.firstChild) this.quick.removeChild(this.quick.firstChild);
    var options = (reply && reply.quickReplies) || [];
    options.forEach(function (option) {
      var title = option.title || option.id || '';
      self.quick.appendChild(
        el('button', {
          type: 'button',
          className: 'kc-chip',
          text: title,
          onclick: function (event) {
            // The chips go away: keep a keyboard user's place in the input.
            if (event.currentTarget.matches(':focus-visible')) self.input.focus();
            self.announce(STRINGS.youChose + title);
            self.sendText(title, true);
          },
        })
      );
    });
    this.quick.hidden = options.length === 0;
  };

  Widget.prototype.clearQuickReplies = function () {
    this.showQuickReplies(null);
  };

  // ---- conversation flow ----------------------------------------------------

  Widget.prototype.start = function () {
    var self = this;
    var stored = sessionStore.get();
    if (!stored) return this.createSession();
    this.setBusy(true);
    return call('GetSession', { sessionId: stored })
      .then(function (response) {
        self.setBusy(false);
        self.sessionId = stored;
        self.renderTranscript((response.session && response.session.transcript) || []);
      })
      .catch(function (error) {
        self.setBusy(false);
        if (error.code === 'not_found') {
          sessionStore.clear();
          return self.createSession();
        }
        self.appendNotice(self.errorText(error), function () {
          self.start();
        });
      });
  };

  Widget.prototype.renderTranscript = function (turns) {
    var self = this;
    var lastReply = null;
    turns.forEach(function (turn) {
      if (turn.role === 'ROLE_USER') {
        self.appendUser(turn.text || '');
        lastReply = null;
      } else {
        lastReply = turn.reply || { text: turn.text || '' };
        self.appendBot(lastReply, false);
      }
    });
    this.showQuickReplies(lastReply);
  };

  Widget.prototype.createSession = function () {
    var self = this;
    this.setBusy(true);
    return call('CreateSession', { channel: 'web' })
      .then(function (response) {
        self.setBusy(false);
        self.sessionId = response.sessionId;
        sessionStore.set(response.sessionId);
        self.appendBot(response.reply);
        self.showQuickReplies(response.reply);
      })
      .catch(function (error) {
        self.setBusy(false);
        self.appendNotice(self.errorText(error), function () {
          self.createSession();
        });
        throw error;
      });
  };

  Widget.prototype.restart = function () {
    var self = this;
    if (this.busy) return;
    var old = this.sessionId;
    this.sessionId = null;
    sessionStore.clear();
    while (this.log.firstChild) this.log.removeChild(this.log.firstChild);
    this.clearQuickReplies();
    var erase = old ? call('DeleteSession', { sessionId: old }).catch(function () {}) : Promise.resolve();
    erase
      .then(function () {
        return self.createSession();
      })
      .catch(function () {})
      .then(function () {
        self.input.focus();
      });
  };

  Widget.prototype.sendText = function (raw, fromQuickReply) {
    var self = this;
    var text = (raw || '').trim();
    if (!text || this.busy || !this.sessionId) return;
    if (!fromQuickReply) this.input.value = '';
    this.clearQuickReplies();
    this.appendUser(text);
    this.setBusy(true);
    var request = { sessionId: this.sessionId, text: text, messageId: newMessageId() };
    call('SendMessage', request)
      .catch(function (error) {
        if (error.code !== 'not_found') throw error;
        // The session expired: start a new one and send the message there.
        sessionStore.clear();
        return call('CreateSession', { channel: 'web' }).then(function (created) {
          self.sessionId = created.sessionId;
          sessionStore.set(created.sessionId);
          self.appendNotice(STRINGS.expired);
          return call('SendMessage', {
            sessionId: created.sessionId,
            text: text,
            messageId: newMessageId(),
          });
        });
      })
      .then(function (response) {
        self.setBusy(false);
        self.appendBot(response.reply);
        self.showQuickReplies(response.reply);
      })
      .catch(function (error) {
        self.setBusy(false);
        self.appendNotice(self.errorText(error));
        if (!fromQuickReply && !self.input.value) self.input.value = text;
      });
  };

  Widget.prototype.errorText = function (error) {
    if (error.code === 'network') return STRINGS.errorNetwork;
    if (error.code === 'resource_exhausted' || error.code === 'unavailable') return STRINGS.errorBusy;
    if (error.code === 'invalid_argument' && error.message) return error.message;
    return STRINGS.errorGeneric;
  };

  // ---- mount -----------------------------------------------------------------

  function mount() {
    var host;
    if (config.target) {
      var container = document.querySelector(config.target);
      if (!container) return;
      host = el('div', { className: 'kneechat-widget' });
      container.appendChild(host);
    } else {
      host = el('div', { className: 'kneechat-widget' });
      document.body.appendChild(host);
    }
    var widget = new Widget(host);
    widget.start().catch(function () {
      /* shown in the widget */
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', mount);
  } else {
    mount();
  }
})();
