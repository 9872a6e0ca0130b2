// Beacon's offline search: splits a query exactly as the build split the lessons (Han
// characters and bigrams, Latin words, pinyin), loads only the index shards it needs, ranks
// the lessons and shows highlighted snippets. No outside requests, no dependencies.
(function () {
  var me = document.currentScript;
  var index = me.getAttribute('data-index');
  var shards = +me.getAttribute('data-shards');
  var textShards = +me.getAttribute('data-text-shards');
  var cache = {};
  function load(name) {
    if (!cache[name]) cache[name] = fetch(index + name).then(function (r) { return r.json(); });
    return cache[name];
  }
  function isHan(c) { var n = c.codePointAt(0); return (n >= 0x4E00 && n <= 0x9FFF) || (n >= 0x3400 && n <= 0x4DBF) || (n >= 0x20000 && n <= 0x2EBEF) || (n >= 0xF900 && n <= 0xFAFF) || n === 0x3007; }
  function isLatin(c) { return /[A-Za-z0-9]/.test(c); }
  function tokens(text) {
    var out = [], word = '', prev = null;
    function flush() { if (word) { out.push(word.toLowerCase()); word = ''; } }
    Array.from(text).forEach(function (c) {
      if (isHan(c)) { flush(); out.push(c); if (prev) out.push(prev + c); prev = c; }
      else if (isLatin(c)) { prev = null; word += c; }
      else { prev = null; flush(); }
    });
    flush();
    return out;
  }
  function shard(t) { var h = 0; Array.from(t).forEach(function (c) { h = (h * 31 + c.codePointAt(0)) % 2147483648; }); return h % shards; }
  function escapeHTML(s) { return s.replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function snippet(text, q, words) {
    var at = text.indexOf(q);
    for (var i = 0; at < 0 && i < words.length; i++) at = text.toLowerCase().indexOf(words[i]);
    var start = Math.max(0, at - 30), piece = text.slice(start, start + 90);
    var html = escapeHTML(piece);
    [q].concat(words).filter(function (w) { return w && w.length > 0; }).forEach(function (w) {
      var e = escapeHTML(w).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      html = html.replace(new RegExp(e, 'gi'), function (m) { return '<mark>' + m + '</mark>'; });
    });
    return (start > 0 ? '…' : '') + html + (start + 90 < text.length ? '…' : '');
  }
  function search(q) {
    var status = document.getElementById('search-status'), list = document.getElementById('search-results');
    q = q.trim();
    list.innerHTML = '';
    if (!q) { status.textContent = ''; return; }
    var ts = tokens(q);
    var han = ts.filter(function (t) { return isHan(t[0]); });
    var bigrams = han.filter(function (t) { return Array.from(t).length === 2; });
    var needed = bigrams.length ? bigrams : (han.length ? han : ts);
    var words = ts.filter(function (t) { return !isHan(t[0]); });
    status.textContent = '搜索中…';
    Promise.all([load('docs.json')].concat(ts.map(function (t) { return load('t' + shard(t) + '.json'); }))).then(function (all) {
      var docs = all[0], scores = {}, hits = {};
      ts.forEach(function (t, i) {
        var list = all[i + 1][t] || [];
        for (var k = 0; k < list.length; k += 2) {
          scores[list[k]] = (scores[list[k]] || 0) + list[k + 1];
          if (needed.indexOf(t) >= 0) hits[list[k]] = (hits[list[k]] || 0) + 1;
        }
      });
      var ids = Object.keys(scores).filter(function (id) { return (hits[id] || 0) >= needed.length; });
      ids.sort(function (a, b) { return scores[b] - scores[a] || (docs[b][3] > docs[a][3] ? 1 : -1); });
      ids = ids.slice(0, 30);
      status.textContent = ids.length ? '找到 ' + ids.length + ' 篇' : '没有找到“' + q + '”';
      return Promise.all(ids.map(function (id) { return load('x' + (id % textShards) + '.json'); })).then(function (texts) {
        list.innerHTML = ids.map(function (id, i) {
          var d = docs[id], text = texts[i][id] || '';
          return '<li class="item"><h3 class="item-title"><a href="' + d[1] + '">' + snippet(d[0], q, words) + '</a></h3>' +
            '<p class="meta">' + escapeHTML(d[2]) + ' · <time>' + d[3] + '</time></p><p class="summary">' + snippet(text, q, words) + '</p></li>';
        }).join('');
      });
    }).catch(function () { status.textContent = '搜索索引无法读取'; });
  }
  var input = document.getElementById('q');
  var q = new URLSearchParams(location.search).get('q') || '';
  input.value = q;
  search(q);
  input.form.addEventListener('submit', function (e) {
    e.preventDefault();
    history.replaceState(null, '', '?q=' + encodeURIComponent(input.value));
    search(input.value);
  });
})();
