import Foundation
import BeaconModel
import BeaconText
import BeaconMarkdown

/// The pages of output/wechat/: per lesson the article shown at phone width beside what the
/// 公众号 editor asks for (cover, share picture, summary), and a list of all of them. These are
/// Beacon's working pages, not the site's: their own small style sheet and script, relative
/// links only, so they work opened from a folder.
enum WeChatPage {
    struct Entry: Sendable {
        var title: String
        var series: String
        var date: Day
        var author: String?
        /// `wechat/<series>/<slug>`: the page is this with `.html` after it (WeChatStage.base)
        var base: String
        /// The page's own name and its pictures', relative to its folder.
        var name: Substring { base[base.index(after: base.lastIndex(of: "/") ?? base.startIndex)...] }
        /// The page's path relative to output/wechat/.
        var inList: Substring { base.dropFirst("wechat/".count) }
        var summary: String
        var webURL: String
        /// The article: inline styles only, ready for the clipboard.
        var article: String
    }

    static func esc(_ s: String) -> String { HTMLEscape.escape(s) }

    /// The article as it goes to the clipboard: the body in a styled section, then the links
    /// it names, numbered, with their addresses as text.
    static func article(_ r: RenderedHTML, styles: InlineStyles) -> String {
        func open(_ tag: String, _ key: String) -> String {
            let css = styles[key]
            return css.isEmpty ? "<\(tag)>" : "<\(tag) style=\"\(esc(css))\">"
        }
        var out = open("section", "article") + "\n" + r.html
        if !r.references.isEmpty {
            out += open("section", "references") + "\n" + open("p", "references-title") + "参考链接</p>\n"
            for (i, ref) in r.references.enumerated() {
                let words = ref.text.isEmpty || ref.text == ref.url ? "" : esc(ref.text) + "："
                out += open("p", "reference") + "[\(i + 1)] " + words + esc(ref.url) + "</p>\n"
            }
            out += "</section>\n"
        }
        return out + "</section>"
    }

    /// The start of a page, to the end of its head: not indexed, its own style sheet.
    static func head(_ title: String, assets: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>\(esc(title))</title>
        <link rel="stylesheet" href="\(assets)wechat.css">
        </head>

        """
    }

    /// `../` up from a page's folder to output/wechat/: one per folder between them.
    static func up(_ base: String) -> String {
        String(repeating: "../", count: max(0, base.split(separator: "/").count - 2))
    }

    /// How many characters a field of the 公众号 editor holds of its limit; over it, marked.
    static func count(_ text: String, _ limit: Int) -> String {
        text.count > limit ? "<small class=\"over\">\(text.count) / \(limit) 字，超出了，粘贴时要删短</small>" : "<small>\(text.count) / \(limit) 字</small>"
    }

    /// A PNG as a `data:` address.
    static func dataURL(_ png: [UInt8]) -> String {
        "data:image/png;base64," + Data(png).base64EncodedString()
    }

    /// A lesson's copy: one file, its cover and share picture inside it (`data:` addresses),
    /// each with a button that saves it under the name the lesson gives it.
    static func page(_ e: Entry, cover: [UInt8], share: [UInt8], site: SiteConfig, baseURL: String) -> String {
        let up = up(e.base)
        // Saved as `<slug>-cover.png`: a long slug is cut for the name (a Downloads folder on
        // Windows leaves a path 260 characters).
        let saveAs = Slugger.fitted(String(e.name), limit: WeChatStage.longestSaveName)
        let coverName = esc(saveAs + WeChatStage.coverSuffix), shareName = esc(saveAs + WeChatStage.shareSuffix)
        let meta = [e.author, site.organisation ?? site.title].compactMap { $0 }.joined(separator: " · ")
        return head("公众号版：" + e.title, assets: up + "assets/") + """
        <body>
        <header class="bar"><a href="\(up)index.html">← 全部公众号版</a><span>公众号版 · 不在网站上发布</span></header>
        <main class="layout">
        <section class="phone" aria-label="手机上的样子">
          <div class="tools"><button type="button" id="copy-article">复制到公众号</button><span class="status" id="status" role="status" aria-live="polite"></span></div>
          <div class="screen">
            <h1 class="title">\(esc(e.title))</h1>
            <p class="byline">\(esc(meta))</p>
            <div id="article" data-base="\(esc(baseURL))" data-local="\(up)../site/">
        \(e.article)
            </div>
          </div>
        </section>
        <aside class="facts" aria-label="发布信息">
          <h2>发布时要填的</h2>
          <dl>
            <dt>标题 \(count(e.title, WeChatStage.titleLimit))</dt><dd>\(esc(e.title))</dd>
            <dt>作者\(e.author.map { " " + count($0, WeChatStage.authorLimit) } ?? "")</dt><dd>\(esc(e.author ?? "（未署名）"))</dd>
            <dt>摘要 \(count(e.summary, WeChatStage.summaryLimit))</dt>
            <dd><p id="summary">\(esc(e.summary))</p><button type="button" id="copy-summary">复制摘要</button></dd>
            <dt>原文链接</dt><dd><a href="\(esc(e.webURL))">\(esc(e.webURL))</a></dd>
          </dl>
          <figure><img id="cover" src="\(dataURL(cover))" width="\(WeChatStage.cover.width)" height="\(WeChatStage.cover.height)" alt="封面：\(esc(e.title))">
            <figcaption>封面 \(WeChatStage.cover.width)×\(WeChatStage.cover.height)（2.35:1） <button type="button" class="save" data-picture="cover" data-name="\(coverName)" hidden>下载 \(coverName)</button></figcaption></figure>
          <figure class="square"><img id="share" src="\(dataURL(share))" width="\(WeChatStage.share.width)" height="\(WeChatStage.share.height)" alt="分享图：\(esc(e.title))">
            <figcaption>分享图 \(WeChatStage.share.width)×\(WeChatStage.share.height)（1:1） <button type="button" class="save" data-picture="share" data-name="\(shareName)" hidden>下载 \(shareName)</button></figcaption></figure>
          <noscript><p class="hint">下载图片：在图片上点右键，选“图片另存为”，存为 \(coverName) 和 \(shareName)。</p></noscript>
          <p class="hint">点“复制到公众号”，再到公众号后台的编辑器里粘贴（Ctrl+V）。图片由编辑器从网站取回，请先发布网站。</p>
        </aside>
        </main>
        <script src="\(up)assets/wechat.js"></script>
        </body>
        </html>

        """
    }

    static func list(_ entries: [Entry], site: SiteConfig) -> String {
        var rows = ""
        for e in entries {
            rows += "<li><a href=\"\(esc(e.inList + WeChatStage.pageSuffix))\"><span><strong>\(esc(e.title))</strong><small>\(esc(e.series)) · \(e.date.chinese)</small></span></a></li>\n"
        }
        return head("公众号版 - " + site.title, assets: "assets/") + """
        <body>
        <header class="bar"><span>\(esc(site.title))</span><span>公众号版 · 不在网站上发布</span></header>
        <main class="list">
        <h1>公众号版（\(entries.count) 篇）</h1>
        <p class="hint">每篇都能一键复制到公众号编辑器，并附封面、分享图和摘要。</p>
        <ul>
        \(rows)</ul>
        </main>
        </body>
        </html>

        """
    }

    static let css = """
    *{box-sizing:border-box}
    body{margin:0;background:#f2f2f2;color:#1f1f1f;font:15px/1.6 -apple-system,BlinkMacSystemFont,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif}
    a{color:#a81c1c}
    .bar{display:flex;justify-content:space-between;gap:1em;padding:10px 16px;background:#1f1f1f;color:#fff;font-size:14px}
    .bar a{color:#fff}
    .layout{display:flex;flex-wrap:wrap;gap:24px;justify-content:center;align-items:flex-start;padding:24px 12px}
    .phone{width:100%;max-width:390px;background:#fff;border:1px solid #ddd;border-radius:18px;overflow:hidden;box-shadow:0 2px 12px rgba(0,0,0,.08)}
    .tools{display:flex;align-items:center;gap:10px;padding:10px 12px;background:#fafafa;border-bottom:1px solid #eee}
    button{flex:none;white-space:nowrap;font:inherit;cursor:pointer;border:0;border-radius:6px;padding:8px 16px;background:#07c160;color:#fff;font-weight:bold}
    button:focus-visible{outline:3px solid #1f1f1f;outline-offset:2px}
    .status{font-size:13px;color:#595959}
    .screen{padding:20px 16px 32px}
    .title{margin:0 0 8px;font-size:22px;line-height:1.4}
    .byline{margin:0 0 20px;font-size:14px;color:#576b95}
    .facts{width:100%;max-width:420px;background:#fff;border:1px solid #ddd;border-radius:8px;padding:16px 20px}
    .facts h2{margin:0 0 12px;font-size:18px}
    .facts dt{font-weight:bold;margin-top:10px}
    .facts dd{margin:4px 0 0;word-break:break-all}
    .facts dd p{margin:0 0 6px}
    .facts small{font-weight:normal;color:#595959}
    .facts small.over{color:#a81c1c;font-weight:bold}
    .facts figure{margin:16px 0 0}
    .facts img{display:block;max-width:100%;height:auto;border:1px solid #eee}
    .facts .square img{max-width:200px}
    .facts figcaption{display:flex;flex-wrap:wrap;align-items:center;gap:4px 10px;font-size:13px;color:#595959;margin-top:6px}
    .facts .save{flex:0 1 auto;min-width:0;max-width:100%;padding:4px 10px;background:#fff;color:#1f1f1f;border:1px solid #c8c8c8;font-weight:normal;font-size:13px;white-space:normal;word-break:break-all;text-align:left}
    .facts .save[hidden]{display:none}
    .hint{font-size:13px;color:#595959}
    .list{max-width:720px;margin:0 auto;padding:16px}
    .list ul{list-style:none;margin:0;padding:0}
    .list li a{display:flex;gap:12px;align-items:center;padding:10px 14px;margin-bottom:8px;background:#fff;border-radius:8px;text-decoration:none;color:inherit}
    .list li span{display:flex;flex-direction:column}
    .list li small{color:#595959}

    """

    /// Shows the article's pictures from the local site when the page is not on the published
    /// host (opened from a folder), and puts the article on the clipboard as rich text with the
    /// published addresses: through the Clipboard API, or the copy event where that is missing.
    static let script = """
    (function () {
      'use strict';
      var article = document.getElementById('article');
      var status = document.getElementById('status');
      if (!article) return;
      var base = article.getAttribute('data-base') || '';
      var local = article.getAttribute('data-local') || '';
      var away = location.protocol === 'file:';
      try { away = away || new URL(base).host !== location.host; } catch (e) { away = true; }
      var pictures = article.querySelectorAll('img');
      var published = [];
      for (var i = 0; i < pictures.length; i++) {
        var src = pictures[i].getAttribute('src') || '';
        published.push(src);
        if (away && base && src.indexOf(base) === 0) pictures[i].setAttribute('src', local + src.slice(base.length));
      }
      function say(text) { if (status) status.textContent = text; }
      function articleHTML() {
        var copy = article.cloneNode(true);
        var imgs = copy.querySelectorAll('img');
        for (var i = 0; i < imgs.length; i++) imgs[i].setAttribute('src', published[i]);
        return copy.innerHTML.trim();
      }
      function byEvent(html, text) {
        var done = false;
        function onCopy(e) {
          e.clipboardData.setData('text/html', html);
          e.clipboardData.setData('text/plain', text);
          e.preventDefault();
          done = true;
        }
        document.addEventListener('copy', onCopy);
        try { document.execCommand('copy'); } catch (e) { done = false; }
        document.removeEventListener('copy', onCopy);
        return done;
      }
      function copy(html, text, what) {
        var ok = function () { say('已复制' + what + '，到公众号编辑器里粘贴即可'); };
        var fail = function () { say('没能复制；请选中后按 Ctrl+C'); };
        if (navigator.clipboard && window.ClipboardItem) {
          var items = { 'text/plain': new Blob([text], { type: 'text/plain' }) };
          if (html) items['text/html'] = new Blob([html], { type: 'text/html' });
          navigator.clipboard.write([new ClipboardItem(items)]).then(ok, function () {
            if (byEvent(html || text, text)) ok(); else fail();
          });
        } else if (byEvent(html || text, text)) ok(); else fail();
      }
      document.getElementById('copy-article').addEventListener('click', function () {
        copy(articleHTML(), article.innerText, '文章');
      });
      // A picture is saved under its lesson's name (the page holds it as a data: address).
      var saves = document.querySelectorAll('button.save');
      for (var s = 0; s < saves.length; s++) saves[s].hidden = false;
      for (s = 0; s < saves.length; s++) saves[s].addEventListener('click', function () {
        var picture = document.getElementById(this.getAttribute('data-picture'));
        if (!picture) return;
        var a = document.createElement('a');
        a.href = picture.getAttribute('src');
        a.download = this.getAttribute('data-name');
        document.body.appendChild(a);
        a.click();
        document.body.removeChild(a);
      });
      var summary = document.getElementById('summary');
      var summaryButton = document.getElementById('copy-summary');
      if (summary && summaryButton) summaryButton.addEventListener('click', function () {
        copy('', summary.textContent, '摘要');
      });
    })();

    """
}
