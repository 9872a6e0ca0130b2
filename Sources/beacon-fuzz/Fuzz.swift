import Foundation
import BeaconModel
import BeaconText
import BeaconMarkdown
import BeaconPrint
import BeaconLoad
import BeaconBuild

/// Fuzz targets for libFuzzer (`scripts/fuzz`): built with `-sanitize=fuzzer,address
/// -DFUZZING`, libFuzzer calls `LLVMFuzzerTestOneInput` with each input. Built plainly, this
/// is a runner that feeds files (a corpus, a crash) through the same target, which is how
/// the tests replay every crash ever found.
///
/// The target is chosen by `BEACON_FUZZ_TARGET`: `markdown` (Markdown → document → HTML and
/// print text), `yaml` (a lesson's front matter and body through the loader), `board` (a
/// board file loaded and laid out).
enum FuzzTargets {
    static let target = ProcessInfo.processInfo.environment["BEACON_FUZZ_TARGET"] ?? "markdown"

    static func run(_ data: Data) {
        switch target {
        case "markdown": markdown(data)
        case "yaml": site(file: "content/lessons/学习园地/fuzz.md", data, build: false)
        case "board": site(file: "content/boards/fuzz.yml", data, build: true)
        default:
            FileHandle.standardError.write(Data("BEACON_FUZZ_TARGET must be markdown, yaml or board\n".utf8))
            exit(2)
        }
    }

    static let typesetter = Typesetter()

    static func markdown(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        for raw in [false, true] {
            let bag = DiagnosticBag()
            let doc = MarkdownParser(allowRawHTML: raw).parse(MarkdownSource(text: text, lineOffset: 4), path: "content/lessons/s/a.md", bag: bag)
            _ = HTMLRenderer(slugger: Slugger(mode: .pinyin), url: { $0.raw }).render(doc)
            _ = CopyRules.review(text)
            // Print: every paragraph's inline text set on a narrow column.
            let mt = MarkdownText(quoteFamily: "LXGW WenKai", codeFamily: "Noto Sans Mono CJK SC", accent: .black, url: { _ in nil })
            let base = TextStyle(font: FontSpec(family: "Noto Serif CJK SC", size: 9))
            func walk(_ blocks: [MDBlock]) {
                for b in blocks {
                    switch b {
                    case .paragraph(let inlines), .heading(_, let inlines):
                        _ = typesetter.layout(mt.rich(inlines, base: base, links: doc.links), width: 200)
                    case .quote(let inner): walk(inner)
                    case .list(_, _, _, let items): for i in items { walk(i.blocks) }
                    default: break
                    }
                }
            }
            walk(doc.blocks)
        }
    }

    /// A small site in a temporary folder, with the input as one of its files.
    static let root: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url.appendingPathComponent("content/lessons/学习园地"), withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(at: url.appendingPathComponent("content/boards"), withIntermediateDirectories: true)
        try? Data("title: 测试站点\nbase_url: https://example.org/test/\n".utf8).write(to: url.appendingPathComponent("content/site.yml"))
        try? Data("---\ntitle: 第一课\ndate: 2026-03-01\n---\n正文。\n".utf8).write(to: url.appendingPathComponent("content/lessons/学习园地/第一课.md"))
        atexit { try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent("beacon-fuzz-\(getpid())")) }
        return url
    }()

    static func site(file: String, _ data: Data, build: Bool) {
        let url = root.appendingPathComponent(file)
        try? data.write(to: url)
        let bag = DiagnosticBag()
        if build {
            var options = BuildOptions(root: root)
            options.dryRun = true
            _ = Builder.build(options, bag: bag)
        } else {
            _ = ContentLoader(root: root, bag: bag).load()
        }
        _ = bag.all.map(\.description)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    FuzzTargets.run(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// SwiftPM names an executable's entry point after its module; libFuzzer's driver runs from it.
@_cdecl("beacon_fuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var c = argc
    var v = argv
    return LLVMFuzzerRunDriver(&c, &v) { fuzzOneInput($0, $1) }
}
#else
/// Replays files (or every file of folders) through the target; exit 0 when none crashed.
@main
struct FuzzReplay {
    static func main() {
        var files: [String] = []
        for arg in CommandLine.arguments.dropFirst() {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: arg, isDirectory: &isDir), isDir.boolValue {
                files += FileTree.files(under: arg).map { arg + "/" + $0 }
            } else { files.append(arg) }
        }
        for f in files.sorted() {
            guard let data = FileManager.default.contents(atPath: f) else { continue }
            FuzzTargets.run(data)
        }
        print("replayed \(files.count) inputs through \(FuzzTargets.target)")
    }
}
#endif
