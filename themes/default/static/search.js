// Beacon's offline search. It splits a query exactly as the build split the lessons
// (Han bigrams, single characters of one-character runs, lower-case Latin words, pinyin
// split into syllable pairs), loads only the index shards those tokens live in, ranks the
// lessons and shows each with a highlighted snippet taken from its own page.
// No server, no outside requests, no dependencies.
(function () {
  'use strict';
  var me = document.currentScript;
  var index = me.getAttribute('data-index');
  var cache = {};
  function load(name) {
    if (!cache[name]) {
      cache[name] = fetch(index + name).then(function (r) {
        if (!r.ok) throw new Error(name);
        return r.json();
      });
    }
    return cache[name];
  }

  function isHan(n) {
    return (n >= 0x4E00 && n <= 0x9FFF) || (n >= 0x3400 && n <= 0x4DBF) || (n >= 0x20000 && n <= 0x2A6DF) ||
      (n >= 0x2A700 && n <= 0x2EBEF) || (n >= 0x30000 && n <= 0x3134F) || (n >= 0xF900 && n <= 0xFAFF) ||
      (n >= 0x2F800 && n <= 0x2FA1F) || n === 0x3007;
  }
  function isWord(n) { return (n >= 0x30 && n <= 0x39) || (n >= 0x41 && n <= 0x5A) || (n >= 0x61 && n <= 0x7A); }

  // Splits a word into pinyin syllables if it is made of them entirely (longest first,
  // backing off where the rest cannot be split), as SearchTokens.splitPinyin does.
  function splitPinyin(word, syllables) {
    var memo = {};
    function from(i) {
      if (i === word.length) return [];
      if (i in memo) return memo[i];
      var result = null;
      for (var len = Math.min(6, word.length - i); len >= 1 && !result; len--) {
        var piece = word.slice(i, i + len);
        if (syllables[piece]) { var rest = from(i + len); if (rest) result = [piece].concat(rest); }
      }
      memo[i] = result;
      return result;
    }
    return from(0) || [word];
  }

  // The tokens of a query, as SearchTokens.query makes them.
  function tokens(text, syllables) {
    var out = [], seen = {}, run = [], word = '';
    function add(t) { if (!seen[t]) { seen[t] = true; out.push(t); } }
    function flushRun() {
      if (run.length === 1) add(run[0]);
      for (var i = 1; i < run.length; i++) add(run[i - 1] + run[i]);
      run = [];
    }
    function flushWord() {
      if (!word) return;
      var parts = splitPinyin(word, syllables);
      if (parts.length > 2) { for (var i = 1; i < parts.length; i++) add(parts[i - 1] + parts[i]); } else add(word);
      word = '';
    }
    for (var k = 0; k < text.length;) {
      var n = text.codePointAt(k), c = String.fromCodePoint(n);
      k += c.length;
      if (isHan(n)) { flushWord(); run.push(c); }
      else if (isWord(n)) { flushRun(); word += c.toLowerCase(); }
      else { flushRun(); flushWord(); }
    }
    flushRun(); flushWord();
    return out;
  }

  function hash(t) {
    var h = 0;
    for (var k = 0; k < t.length;) { var n = t.codePointAt(k); k += n > 0xFFFF ? 2 : 1; h = (h * 31 + n) % 2147483648; }
    return h;
  }
  function shard(t, shards) { return (Math.imul(hash(t), 0x9E3779B1) >>> 0) % shards; }

  function escapeHTML(s) {
    return s.replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
  }
  // Marks every occurrence of the query's pieces (its Han runs and words) in a text.
  function highlight(text, pieces) {
    var marks = new Array(text.length).fill(false), lower = text.toLowerCase();
    pieces.forEach(function (p) {
      for (var at = lower.indexOf(p); p && at >= 0; at = lower.indexOf(p, at + 1)) {
        for (var i = at; i < at + p.length; i++) marks[i] = true;
      }
    });
    var html = '', open = false;
    for (var i = 0; i < text.length; i++) {
      if (marks[i] && !open) { html += '<mark>'; open = true; }
      if (!marks[i] && open) { html += '</mark>'; open = false; }
      html += escapeHTML(text[i]);
    }
    return html + (open ? '</mark>' : '');
  }
  function snippet(text, pieces) {
    var lower = text.toLowerCase(), at = -1;
    for (var i = 0; i < pieces.length && at < 0; i++) at = lower.indexOf(pieces[i]);
    var start = Math.max(0, at - 24), piece = text.slice(start, start + 96);
    return (start > 0 ? '…' : '') + highlight(piece, pieces) + (start + 96 < text.length ? '…' : '');
  }
  // The pieces to highlight: the query's Han runs and its words.
  function pieces(q) {
    return q.toLowerCase().split(/[^0-9a-z\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/).filter(function (p) { return p; });
  }

  var input = document.getElementById('q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var pageSize = 20;
  // The messages come from the page, so that a theme (and the zh-Hant edition) can word them.
  function message(name, n) {
    return (status.getAttribute('data-text-' + name) || '').replace('{n}', n).replace('{q}', current ? current.q : '');
  }
  var current = null;

  function show(state) {
    var ids = state.ids.slice(state.shown, state.shown + pageSize);
    state.shown += ids.length;
    more.hidden = state.shown >= state.ids.length;
    var meta = state.meta;
    var chunks = {};
    ids.forEach(function (id) { chunks[Math.floor(id / meta.chunk)] = true; });
    var names = Object.keys(chunks);
    return Promise.all(names.map(function (k) { return load('d' + k + '.json'); })).then(function (loaded) {
      var byChunk = {};
      names.forEach(function (k, i) { byChunk[k] = loaded[i]; });
      ids.forEach(function (id) {
        if (state !== current) return;
        var d = byChunk[Math.floor(id / meta.chunk)][id % meta.chunk];
        var li = document.createElement('li');
        li.className = 'item';
        li.innerHTML = '<h3 class="item-title"><a href="' + escapeHTML(d[1]) + '">' + highlight(d[0], state.pieces) + '</a></h3>' +
          '<p class="meta"><span class="kind">' + escapeHTML(meta.series[d[2]] || '') + '</span> <time datetime="' + d[3] + '">' + d[3] + '</time></p>' +
          '<p class="summary"></p>';
        list.appendChild(li);
        // The snippet comes from the lesson's own page, so the index holds no copy of the text.
        fetch(d[1]).then(function (r) { return r.text(); }).then(function (html) {
          var doc = new DOMParser().parseFromString(html, 'text/html');
          var body = doc.querySelector('.prose');
          if (body) body.querySelectorAll('.footnote-backref, .footnote-ref, .lesson-qr').forEach(function (e) { e.remove(); });
          // Blocks are joined with a space, but never with U+0020 between Chinese characters.
          var text = body ? body.textContent.replace(/\s+/g, ' ').trim()
            .replace(/([\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])/g, '$1\u3000') : '';
          li.querySelector('.summary').innerHTML = snippet(text, state.pieces);
        }).catch(function () {});
      });
    });
  }

  function search(q) {
    q = q.trim();
    list.innerHTML = '';
    more.hidden = true;
    if (!q) { status.textContent = ''; current = null; return Promise.resolve(); }
    var state = { q: q, shown: 0, pieces: pieces(q), started: performance.now() };
    current = state;
    status.textContent = message('searching');
    return load('meta.json').then(function (meta) {
      state.meta = meta;
      var syllables = {};
      meta.syllables.forEach(function (s) { syllables[s] = true; });
      var ts = tokens(q, syllables);
      if (!ts.length) return [];
      return Promise.all(ts.map(function (t) { return load('t' + shard(t, meta.shards) + '.json'); })).then(function (shards) {
        var scores = null;
        ts.forEach(function (t, i) {
          var postings = shards[i][t] || [], next = {}, doc = 0;
          for (var k = 0; k < postings.length; k++) {
            var v = postings[k];
            doc += Math.floor(v / 16);
            var f = v % 16, s = (f & 8 ? 10 : 0) + (f & 4 ? 4 : 0) + (f & 3);
            if (scores === null || doc in scores) next[doc] = (scores === null ? 0 : scores[doc]) + s;
          }
          scores = next;
        });
        var ids = Object.keys(scores).map(Number);
        // Better scores first; the newer lesson (the smaller number) first among equals.
        ids.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
        return ids;
      });
    }).then(function (ids) {
      if (state !== current) return;
      state.ids = ids;
      status.textContent = message(ids.length ? 'found' : 'none', ids.length);
      return show(state).then(function () {
        // How long the query took to its listed results (snippets still loading): the
        // benchmark reads this.
        list.setAttribute('data-ms', Math.round(performance.now() - state.started));
      });
    }).catch(function () { status.textContent = message('failed'); });
  }

  var q = new URLSearchParams(location.search).get('q') || '';
  input.value = q;
  // Opened from a folder (the offline copy): browsers do not let a page read files beside it,
  // so the index cannot load. Say so, instead of failing on every query.
  if (location.protocol === 'file:') {
    status.textContent = status.getAttribute('data-text-offline') || '';
    input.disabled = true;
    input.form.querySelector('button').disabled = true;
    return;
  }
  search(q);
  input.form.addEventListener('submit', function (e) {
    e.preventDefault();
    history.replaceState(null, '', '?q=' + encodeURIComponent(input.value.trim()));
    search(input.value);
  });
  more.addEventListener('click', function () { if (current) show(current); });
  window.beaconSearch = { tokens: tokens, shard: shard, search: search };
})();
