/*
 * Web chat page for the treatment-resistant depression information assistant.
 *
 * Starts the rasa-webchat widget (served from node_modules, no CDN) against the
 * Rasa server's socket.io channel, sends the browser's locale with every message
 * (customData -> message metadata, read by action_crisis_support), shows an
 * "assistant unavailable" notice whenever the socket is not connected, and
 * patches the widget's markup for keyboard and screen-reader use.
 *
 * Socket server: ?server=http://127.0.0.1:5105 (this page's host or loopback
 * only), else window.TRD_CHAT_CONFIG.socketUrl (set by a script loaded before
 * this one), else this page's host on port 5005.
 */
(function () {
  "use strict";

  var config = window.TRD_CHAT_CONFIG || {};
  var WIDE_QUERY = "(min-width: 900px)";
  var CONNECT_TIMEOUT_MS = config.connectTimeoutMs || 8000;
  var SAFE_LINK_PROTOCOLS = ["http:", "https:", "mailto:", "tel:", "sms:"];

  var statusBox = document.getElementById("assistant-status");
  var chatHost = document.getElementById("chat");
  var connected = false;
  var everConnected = false;
  var connectTimer = null;

  // ------------------------------------------------------------------ server

  function isLoopback(hostname) {
    return hostname === "localhost" || hostname === "[::1]" || hostname === "::1" || /^127\./.test(hostname);
  }

  /** The ?server= value, when it is an http(s) URL on this page's host or on loopback. */
  function serverFromQuery() {
    var value;
    try {
      value = new URLSearchParams(window.location.search).get("server");
    } catch (e) {
      return null;
    }
    if (!value) return null;
    var url;
    try {
      url = new URL(value, window.location.href);
    } catch (e) {
      return null;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    // A link must not be able to point this page at someone else's bot.
    if (url.hostname !== window.location.hostname && !isLoopback(url.hostname)) return null;
    return url.origin;
  }

  function defaultServer() {
    var protocol = window.location.protocol === "https:" ? "https:" : "http:";
    var host = window.location.hostname || "127.0.0.1";
    if (host.indexOf(":") !== -1 && host.charAt(0) !== "[") host = "[" + host + "]";
    return protocol + "//" + host + ":" + (config.port || 5005);
  }

  function socketUrl() {
    return serverFromQuery() || config.socketUrl || defaultServer();
  }

  // ------------------------------------------------------------------ locale

  function browserLocale() {
    var lang = navigator.language || (navigator.languages && navigator.languages[0]) || "";
    return typeof lang === "string" ? lang.slice(0, 35) : "";
  }

  // ------------------------------------------------------------------ status

  /** Show "assistant unavailable" with the crisis lines. Idempotent. */
  function showUnavailable(reason) {
    document.body.classList.add("assistant-down");
    document.body.classList.remove("assistant-up");
    if (statusBox.getAttribute("data-state") === "down") return;
    statusBox.setAttribute("data-state", "down");
    statusBox.setAttribute("data-reason", reason || "");
    statusBox.innerHTML = "";
    var box = document.createElement("div");
    box.className = "notice notice-unavailable";
    var head = document.createElement("p");
    head.className = "notice-title";
    head.textContent = "The assistant is unavailable right now.";
    var body = document.createElement("p");
    var why = reason === "widget-missing" ? "The chat could not be loaded on this page. " :
      everConnected ? "The connection was lost; the page keeps trying to reconnect. " :
      "The chat server can't be reached; the page keeps trying. ";
    body.appendChild(document.createTextNode(why));
    body.appendChild(document.createTextNode("If you need help now, call or text "));
    body.appendChild(link("tel:988", "988", "Call 988"));
    body.appendChild(document.createTextNode(", or call "));
    body.appendChild(link("tel:911", "911", "Call 911"));
    body.appendChild(document.createTextNode(" if you are in danger. Outside the US: "));
    body.appendChild(link("https://findahelpline.com", "findahelpline.com"));
    body.appendChild(document.createTextNode("."));
    box.appendChild(head);
    box.appendChild(body);
    statusBox.appendChild(box);
  }

  function showAvailable() {
    document.body.classList.remove("assistant-down");
    document.body.classList.add("assistant-up");
    if (statusBox.getAttribute("data-state") === "up") return;
    statusBox.setAttribute("data-state", "up");
    statusBox.removeAttribute("data-reason");
    statusBox.innerHTML = "";
  }

  function link(href, text, label) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    if (label) a.setAttribute("aria-label", label);
    if (/^https?:/.test(href)) a.rel = "noopener noreferrer";
    return a;
  }

  function armConnectTimer() {
    clearTimeout(connectTimer);
    connectTimer = setTimeout(function () {
      if (!connected) showUnavailable("timeout");
    }, CONNECT_TIMEOUT_MS);
  }

  var socketEvents = {
    connect: function () {
      connected = true;
      everConnected = true;
      clearTimeout(connectTimer);
      showAvailable();
    },
    session_confirm: function () {
      connected = true;
      showAvailable();
    },
    connect_error: function () {
      connected = false;
      showUnavailable("connect_error");
    },
    disconnect: function () {
      connected = false;
      showUnavailable("disconnect");
    }
  };

  // ------------------------------------------- safety and accessibility patches

  /** Links from the bot's markdown: keep web, mail and phone links, defuse the rest. */
  function checkLink(a) {
    var href = a.getAttribute("href");
    if (href === null) return;
    var url;
    try {
      url = new URL(href, window.location.href);
    } catch (e) {
      url = null;
    }
    if (!url || SAFE_LINK_PROTOCOLS.indexOf(url.protocol) === -1) {
      a.removeAttribute("href");
      a.setAttribute("data-blocked-href", "true");
      return;
    }
    if (url.protocol === "http:" || url.protocol === "https:") {
      a.setAttribute("rel", "noopener noreferrer");
      if (a.getAttribute("target") === "_blank" && !a.querySelector(".visually-hidden")) {
        var hint = document.createElement("span");
        hint.className = "visually-hidden";
        hint.textContent = " (opens in a new tab)";
        a.appendChild(hint);
      }
    }
  }

  function activateOnKey(event) {
    if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
      event.preventDefault();
      event.currentTarget.click();
    }
  }

  /** The widget's quick replies are plain divs, its input has no label: fix that. */
  function patchWidget(root) {
    var i;
    var replies = root.querySelectorAll(".rw-reply:not(a)");
    for (i = 0; i < replies.length; i++) {
      var reply = replies[i];
      if (!reply.hasAttribute("data-a11y")) {
        reply.setAttribute("data-a11y", "1");
        reply.setAttribute("role", "button");
        reply.setAttribute("tabindex", "0");
        reply.addEventListener("keydown", activateOnKey);
      }
    }
    var links = root.querySelectorAll(".rw-message a[href], .rw-replies a[href]");
    for (i = 0; i < links.length; i++) checkLink(links[i]);

    var input = root.querySelector(".rw-new-message");
    if (input && !input.hasAttribute("aria-label")) input.setAttribute("aria-label", "Your message to the assistant");
    var send = root.querySelector(".rw-send");
    if (send && !send.hasAttribute("aria-label")) send.setAttribute("aria-label", "Send");
    var launcher = root.querySelector(".rw-launcher");
    if (launcher) {
      var open = document.body.classList.contains("chat-open");
      launcher.setAttribute("aria-label", open ? "Close the chat" : "Open the chat with the assistant");
      launcher.setAttribute("aria-expanded", open ? "true" : "false");
    }
    var close = root.querySelector(".rw-close-button");
    if (close && !close.hasAttribute("aria-label")) close.setAttribute("aria-label", "Close the chat");
    var log = root.querySelector(".rw-messages-container");
    if (log && log.getAttribute("role") !== "log") {
      log.setAttribute("role", "log");
      log.setAttribute("aria-live", "polite");
      log.setAttribute("aria-label", "Conversation");
      log.setAttribute("tabindex", "0");
    }
  }

  // The widget focuses its text box as soon as it mounts, which would skip the
  // crisis banner and the introduction for keyboard and screen-reader users:
  // undo that until the person has pressed a key or touched the page.
  var personActed = false;
  function notePersonActed() { personActed = true; }
  document.addEventListener("keydown", notePersonActed, true);
  document.addEventListener("pointerdown", notePersonActed, true);

  function undoAutofocus(root) {
    var active = document.activeElement;
    if (!personActed && active && active.classList && active.classList.contains("rw-new-message") && root.contains(active)) {
      active.blur();
    }
  }

  function watchWidget(root) {
    patchWidget(root);
    new MutationObserver(function () { patchWidget(root); undoAutofocus(root); })
      .observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ["href", "class"] });
    // Second line of defence: never follow a link with an unexpected scheme.
    root.addEventListener("click", function (event) {
      var a = event.target && event.target.closest ? event.target.closest("a") : null;
      if (!a || !root.contains(a)) return;
      checkLink(a);
      if (!a.hasAttribute("href")) event.preventDefault();
    }, true);
  }

  // ------------------------------------------------------------ banner height

  /** The banner wraps on narrow screens: tell the CSS how tall it is. */
  function syncBannerHeight() {
    var banner = document.getElementById("crisis-banner");
    if (banner) document.documentElement.style.setProperty("--banner-h", banner.offsetHeight + "px");
  }

  syncBannerHeight();
  window.addEventListener("resize", syncBannerHeight);
  if (window.ResizeObserver) new ResizeObserver(syncBannerHeight).observe(document.getElementById("crisis-banner"));

  // ------------------------------------------------------------------ skip link

  function focusChat() {
    var input = chatHost.querySelector(".rw-new-message");
    var launcher = chatHost.querySelector(".rw-launcher");
    var target = input && input.offsetParent !== null ? input : (launcher || chatHost);
    target.focus();
  }

  document.getElementById("skip-to-chat").addEventListener("click", function (event) {
    event.preventDefault();
    focusChat();
  });

  // ------------------------------------------------------------------ start

  function start() {
    if (!window.WebChat || typeof window.WebChat.default !== "function") {
      showUnavailable("widget-missing");
      return;
    }
    var wide = window.matchMedia(WIDE_QUERY).matches;
    var locale = browserLocale();
    document.body.classList.add(wide ? "chat-embedded" : "chat-launcher");
    chatHost.setAttribute("data-socket-url", socketUrl());
    armConnectTimer();
    window.WebChat.default({
      socketUrl: socketUrl(),
      socketPath: "/socket.io/",
      initPayload: "/greet",
      // Sent with every message; Rasa's socketio channel (metadata_key: customData)
      // passes it on as message metadata.
      customData: { language: locale, locale: locale },
      title: "Information assistant",
      subtitle: "Automated, not a person",
      inputTextFieldHint: "Type a question…",
      connectingText: "Connecting…",
      embedded: wide,
      showCloseButton: true,
      showFullScreenButton: false,
      hideWhenNotConnected: false,
      withRules: false,
      displayUnreadCount: false,
      disableTooltips: true,
      // The conversation survives a reload but not closing the tab.
      params: { storage: "session" },
      // No artificial "typing" delay: crisis messages must show at once.
      customMessageDelay: function () { return 0; },
      mainColor: "#1d4f91",
      userBackgroundColor: "#1d4f91",
      userTextColor: "#ffffff",
      assistBackgoundColor: "#eef2f7",
      assistTextColor: "#14202e",
      onSocketEvent: socketEvents,
      onWidgetEvent: {
        onChatOpen: function () { document.body.classList.add("chat-open"); },
        onChatClose: function () { document.body.classList.remove("chat-open"); }
      }
    }, chatHost);
    watchWidget(chatHost);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
