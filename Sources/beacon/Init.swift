import Foundation
import ArgumentParser
import BeaconModel

/// `beacon init DIR`: a new site with one example of each kind, a .gitignore for output/, and
/// example CI workflows. The site uses the built-in default theme, which is inside Beacon: no
/// copy is written (`beacon theme eject` copies out the files an editor wants to change).
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "新建站点：每类内容一个示例、.gitignore 和 CI 配置，用内置主题 (make a new site with an example of each kind).")

    @Argument(help: "要新建的文件夹（不存在或为空） (the folder to create, new or empty).") var directory: String

    func run() throws {
        let fm = FileManager.default
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        if fm.fileExists(atPath: root.path), !((try? fm.contentsOfDirectory(atPath: root.path))?.isEmpty ?? true) {
            FileHandle.standardError.write(Data("\(directory):1:1: error: 文件夹不是空的，Beacon 不会在里面新建站点 (folder is not empty; Beacon will not make a site in it)\n".utf8))
            throw ExitCode(1)
        }
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        for (path, text) in Skeleton.files {
            let url = root.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        print("新站点已建在 \(directory)/ (new site made); 下一步 (next): beacon build -r \(directory)")
    }
}

/// The files of a new site, original example text.
enum Skeleton {
    static let files: [(String, String)] = [
        ("content/site.yml", """
        title: 我们的党建学习园地
        organisation: 中共某某委员会
        description: 支部学习资料、示范支部和展板资源。
        base_url: https://example.org/
        language: zh-CN
        theme: default
        party_day: 15
        slugs: pinyin
        # 要在微信公众号推送，把下一行的 # 去掉：每篇课程另出一份可直接粘贴的公众号版（output/wechat/）
        # wechat: true

        """),
        ("content/lessons/学习园地/_series.yml", """
        title: 学习园地
        summary: 支部日常学习的资料。

        """),
        ("content/lessons/学习园地/欢迎使用.md", """
        ---
        title: 欢迎使用
        date: 2026-01-01
        kind: 学习资料
        author: 支部委员会
        tags: [入门]
        ---
        这是第一篇学习资料。一段话可以分几行来写，
        汉字之间的换行在网页和口袋书里都不会变成空格。

        ## 怎样写

        1. 每篇资料开头写标题和日期；
        2. 正文用 Markdown 写，可以有表格、引用和注释[^1]；
        3. 写完运行 `beacon check`，再运行 `beacon build`。

        > 学习贵在坚持。

        [^1]: 注释写在文章末尾，印成口袋书时也排在本篇之后。

        """),
        ("content/branches/shi-li-zhi-bu.md", """
        ---
        name: 中共某某村支部委员会
        short_name: 某某村党支部
        domain: 农村
        stars: 4
        secretary: 张某某
        members: 36
        practices:
          - { title: 周一夜谈, summary: 每周一晚上党员碰头议事 }
        commitments: [亮身份, 做承诺, 践诺言]
        ---
        在这里写支部的故事。

        """),
        ("content/boards/shi-li-zhan-ban.yml", """
        title: 三会一课制度
        subtitle: 某某村党支部
        size: a4
        columns: 2
        blocks:
          - type: text
            title: 支部党员大会
            body: 每季度召开一次，讨论重大事项。
          - type: text
            title: 支部委员会
            body: 每月召开一次，研究日常工作。
          - type: qr
            title: 扫码学习
            span: 2
            target: lessons/学习园地/欢迎使用
            caption: 欢迎使用

        """),
        ("content/boards/zhi-bu-liang-pai.yml", """
        # 统一版面：每个支部一份，{{name}} 这样的写法换成各支部资料里的内容。
        title: "{{name}}"
        name: 支部亮牌
        subtitle: 亮身份　做承诺　践诺言
        for_each: branches
        size: a3
        columns: 2
        blocks:
          - type: stars
            span: 2
            branch: this
          - type: text
            title: 支部概况
            body: |
              **支部书记**：{{secretary}}

              **党员人数**：{{members}} 名
          - type: qr
            title: 扫码看支部
            target: branches/{{slug}}

        """),
        ("content/books/shi-li-kou-dai-shu.yml", """
        title: 学习口袋书
        publisher: 中共某某委员会 编印
        date: 2026-01
        size: a6
        contents:
          - series: 学习园地
          - branches: { stars: 4 }
        qr: true
        print: [a4-booklet]

        """),
        (".gitignore", """
        /output/
        /.beacon-*
        /.beacon/

        """),
        (".github/workflows/beacon.yml", """
        # Checks and builds the site on every push with a pinned Beacon release, nothing compiled:
        # copy rules and links as annotations; the website, books and boards as an artifact.
        # Repository variables: BEACON_RELEASE, the URL of a release tarball (scripts/release in
        # Beacon's source makes one), and BEACON_SHA256, its checksum.
        name: beacon
        on: [push, pull_request]
        jobs:
          site:
            runs-on: ubuntu-latest
            container: debian:12
            env:
              BEACON_RELEASE: ${{ vars.BEACON_RELEASE }}
              BEACON_SHA256: ${{ vars.BEACON_SHA256 }}
            steps:
              - uses: actions/checkout@v4
              # Beacon's build cache: boards whose inputs did not change are not made again.
              - uses: actions/cache@v4
                with:
                  path: .beacon/cache
                  key: beacon-${{ github.sha }}
                  restore-keys: beacon-
              - name: Install Beacon
                run: |
                  command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates curl >/dev/null; }
                  curl -fsSL "$BEACON_RELEASE" -o "$RUNNER_TEMP/beacon.tar.gz"
                  echo "$BEACON_SHA256  $RUNNER_TEMP/beacon.tar.gz" | sha256sum -c --quiet
                  mkdir -p "$RUNNER_TEMP/beacon"
                  tar -xzf "$RUNNER_TEMP/beacon.tar.gz" -C "$RUNNER_TEMP/beacon" --strip-components=1
                  bash "$RUNNER_TEMP/beacon/install-runtime.sh"
              - name: Check
                run: $RUNNER_TEMP/beacon/bin/beacon check --format github
              - name: Build
                run: $RUNNER_TEMP/beacon/bin/beacon build
              - uses: actions/upload-artifact@v4
                with: { name: output, path: output }

        """),
        (".gitlab-ci.yml", """
        # Checks and builds the site on every push with a pinned Beacon release, nothing compiled.
        # CI/CD variables: BEACON_RELEASE, the URL of a release tarball (scripts/release in
        # Beacon's source makes one), and BEACON_SHA256, its checksum.
        beacon:
          image: debian:12
          script:
            - command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates curl >/dev/null; }
            - curl -fsSL "$BEACON_RELEASE" -o /tmp/beacon.tar.gz
            - echo "$BEACON_SHA256  /tmp/beacon.tar.gz" | sha256sum -c --quiet
            - mkdir -p /tmp/beacon && tar -xzf /tmp/beacon.tar.gz -C /tmp/beacon --strip-components=1
            - bash /tmp/beacon/install-runtime.sh
            - /tmp/beacon/bin/beacon check
            - /tmp/beacon/bin/beacon build
          # Beacon's build cache: boards whose inputs did not change are not made again.
          cache:
            key: beacon
            paths: [.beacon/cache/]
          artifacts:
            paths: [output/]

        """),
    ]
}
