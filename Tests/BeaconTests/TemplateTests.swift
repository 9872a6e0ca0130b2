import XCTest
import Foundation
import Mustache
@testable import BeaconTemplate

/// Beacon's Mustache engine: the specification's rules as cases with their expected output,
/// each also rendered by swift-mustache (the engine the themes were first written for) and
/// compared; then thousands of generated templates rendered by both.
final class TemplateTests: XCTestCase {
    static let context: TemplateValue = [
        "x": "X<&>\"'", "y": 3, "t": true, "f": false, "s": "", "n": .null, "d": .double(1.5),
        "list": [["x": "a", "y": 1], ["x": "b"], ["y": 2]],
        "words": ["乙", "甲", "丙"],
        "empty": [],
        "m": ["y": "inner", "x": "mx", "deep": ["z": "深"]],
        "中文": "可以",
    ]

    static let partials: [String: String] = [
        "p": "P{{x}}\n  Q{{y}}\n",
        "item": "<li>{{x}}</li>\n",
        "base": "<h>{{$head}}默认{{/head}}</h>\n{{$main}}\n  正文默认\n{{/main}}\n尾{{x}}\n",
        "mid": "{{<base}}{{$head}}中间{{/head}}{{/base}}",
        "self": "{{>self}}",
        "crlf": "a\r\nb\r\n",
    ]

    /// swift-mustache's view of a value.
    static func any(_ v: TemplateValue) -> Any {
        switch v {
        case .string(let s): return s
        case .int(let i): return i
        case .bool(let b): return b
        case .double(let x): return x
        case .list(let a): return a.map(any)
        case .map(let d): return d.mapValues(any)
        case .object, .null: return NSNull()
        }
    }

    func ours(_ template: String, _ value: TemplateValue = context) throws -> String {
        let lib = TemplateLibrary()
        for (name, text) in Self.partials { try lib.register(text, named: name) }
        try lib.register(template, named: "main")
        return lib.render("main", value)!
    }

    func reference(_ template: String, _ value: TemplateValue = context) -> String? {
        var lib = MustacheLibrary()
        for (name, text) in Self.partials where name != "self" { try? lib.register(text, named: name) }
        guard (try? lib.register(template, named: "main")) != nil else { return nil }
        return lib.render(Self.any(value), withTemplate: "main")
    }

    /// Template, expected output.
    static let cases: [(String, String)] = [
        ("{{x}}", "X&lt;&amp;&gt;&quot;&#39;"),
        ("{{{x}}}|{{&x}}", "X<&>\"'|X<&>\"'"),
        ("{{ x }}", "X&lt;&amp;&gt;&quot;&#39;"),
        ("{{y}} {{t}} {{f}} {{d}}", "3 true false 1.5"),
        ("[{{missing}}][{{n}}][{{s}}]", "[][][]"),
        ("{{m.y}} {{m.deep.z}} {{m.none.z}}", "inner 深 "),
        ("{{中文}}", "可以"),
        ("{{#t}}yes{{/t}}{{#f}}no{{/f}}{{^f}}not{{/f}}", "yesnot"),
        ("{{#list}}{{x}}{{y}};{{/list}}", "a1;b3;X&lt;&amp;&gt;&quot;&#39;2;"),
        ("{{#list}}{{.x}}|{{/list}}", "a|b||"),
        ("{{#words}}{{.}}{{/words}}", "乙甲丙"),
        ("{{#empty}}x{{/empty}}{{^empty}}none{{/empty}}", "none"),
        ("{{#s}}[{{.}}]{{/s}}{{^s}}no{{/s}}", "[]"),
        ("{{#n}}x{{/n}}{{^n}}null{{/n}}{{^missing}}absent{{/missing}}", "nullabsent"),
        ("{{#m}}{{x}} {{y}} {{t}}{{/m}}", "mx inner true"),
        ("{{#y}}{{.}}{{/y}}", "3"),
        ("{{^empty(list)}}has{{/empty(list)}}{{#empty(empty)}}none{{/empty(empty)}}", "hasnone"),
        ("{{count(list)}} {{first(words)}} {{last(words)}}", "3 乙 丙"),
        ("{{#sorted(words)}}{{.}}{{/sorted(words)}}", "丙乙甲".unicodeScalars.sorted { $0.value < $1.value }.map(String.init).joined()),
        ("{{#reversed(words)}}{{.}}{{/reversed(words)}}", "丙甲乙"),
        ("{{plusone(y)}} {{minusone(y)}} {{#odd(y)}}odd{{/odd(y)}}", "4 2 odd"),
        ("{{#list}}{{#first()}}[{{/first()}}{{.x}}{{^last()}},{{/last()}}{{#last()}}]{{/last()}}{{/list}}", "[a,b,]"),
        ("{{#list}}{{index()}}{{/list}}", "012"),
        ("{{uppercased(m.x)}}", "MX"),
        // Standalone lines go with their tags.
        ("a\n{{#t}}\nb\n{{/t}}\nc\n", "a\nb\nc\n"),
        ("a\n  {{#t}}  \n  b\n  {{/t}}\nc", "a\n  b\nc"),
        ("a\r\n{{#t}}\r\nb\r\n{{/t}}\r\nc", "a\r\nb\r\nc"),
        ("a {{#t}}\nb{{/t}} c", "a \nb c"),
        ("{{#t}}{{/t}}\nx", "\nx"),
        ("  {{! comment }}\nx", "x"),
        ("x {{! comment }} y", "x  y"),
        ("{{#list}}\n- {{.x}}\n{{/list}}\n", "- a\n- b\n- \n"),
        ("{{^t}}\nno\n{{/t}}\nend", "end"),
        // Partials, with the indent of a standalone partial on every line.
        ("[{{>p}}]", "[PX&lt;&amp;&gt;&quot;&#39;\n  Q3\n]"),
        ("  {{>p}}\nend", "  PX&lt;&amp;&gt;&quot;&#39;\n    Q3\nend"),
        ("  {{>crlf}}\nend", "  a\r\n  b\r\nend"),
        ("<ul>\n{{#list}}\n  {{>item}}\n{{/list}}\n</ul>", "<ul>\n  <li>a</li>\n  <li>b</li>\n  <li>X&lt;&amp;&gt;&quot;&#39;</li>\n</ul>"),
        ("{{>missing}}!", "!"),
        // Set delimiters.
        ("{{=<% %>=}}<% x %> {{x}} <%={{ }}=%>{{y}}", "X&lt;&amp;&gt;&quot;&#39; {{x}} 3"),
        ("{{=| |=}}\n|#t|\nyes\n|/t|\n", "yes\n"),
        // Content type.
        ("{{% CONTENT_TYPE: TEXT}}\n{{x}}", "X<&>\"'"),
        ("{{% CONTENT_TYPE: HTML}}\n{{x}}", "X&lt;&amp;&gt;&quot;&#39;"),
        // Inheritance: the outermost definition of a block wins; defaults stand otherwise.
        ("{{<base}}{{$main}}新正文\n{{/main}}{{/base}}", "<h>默认</h>\n新正文\n尾X&lt;&amp;&gt;&quot;&#39;\n"),
        ("{{<base}}\n{{$head}}标题{{/head}}\n{{/base}}", "<h>标题</h>\n  正文默认\n尾X&lt;&amp;&gt;&quot;&#39;\n"),
        ("{{<mid}}{{/mid}}", "<h>中间</h>\n  正文默认\n尾X&lt;&amp;&gt;&quot;&#39;\n"),
        ("{{<mid}}{{$head}}外层{{/head}}{{/mid}}", "<h>外层</h>\n  正文默认\n尾X&lt;&amp;&gt;&quot;&#39;\n"),
        ("{{#m}}{{<base}}{{$head}}{{y}}{{/head}}{{/base}}{{/m}}", "<h>inner</h>\n  正文默认\n尾mx\n"),
        ("{{$solo}}默认块{{/solo}}", "默认块"),
        // Transforms of the top of the stack itself.
        ("{{#list}}{{count(.)}}{{/list}}{{#words}}{{#empty(.)}}no{{/empty(.)}}{{/words}}", "211"),
    ]

    func testCasesGiveTheSpecifiedOutput() throws {
        for (template, want) in Self.cases {
            XCTAssertEqual(try ours(template), want, template)
        }
    }

    /// Where Beacon goes beyond swift-mustache on purpose: Chinese field names, `sorted` on
    /// any list of texts (swift-mustache sorts only lists typed as comparable), and the
    /// indent of a standalone partial on every line of a partial saved with CRLF line ends
    /// (swift-mustache indents only its first line).
    static let extensions: Set<String> = ["{{中文}}", "{{#sorted(words)}}{{.}}{{/sorted(words)}}", "  {{>crlf}}\nend"]

    func testCasesAgreeWithSwiftMustache() throws {
        for (template, _) in Self.cases where !Self.extensions.contains(template) {
            guard let theirs = reference(template) else { XCTFail("swift-mustache cannot parse \(template)"); continue }
            XCTAssertEqual(try ours(template), theirs, template)
        }
    }

    /// Errors name what is wrong and where (line and column of the tag, in characters).
    func testErrorsSayWhatAndWhere() {
        func error(_ t: String) -> TemplateError? {
            do { _ = try Template(t); return nil } catch { return error }
        }
        XCTAssertEqual(error("一二\n三{{#a}}x")?.kind, .unclosedSection("a"))
        XCTAssertEqual(error("一二\n三{{#a}}x").map { [$0.line, $0.column] }, [2, 2])
        XCTAssertEqual(error("{{#a}}{{/b}}")?.kind, .closeMismatch(expected: "a", found: "b"))
        XCTAssertEqual(error("{{#a}}{{/b}}")?.column, 7)
        XCTAssertEqual(error("x{{/b}}")?.kind, .closeMismatch(expected: nil, found: "b"))
        XCTAssertEqual(error("{{a")?.kind, .unfinishedTag)
        XCTAssertEqual(error("{{a b}}")?.kind, .unfinishedTag)
        XCTAssertEqual(error("{{empty(a}}")?.kind, .unfinishedTag)
        XCTAssertEqual(error("{{=<%>=}}")?.kind, .badDelimiters)
        XCTAssertEqual(error("{{% CONTENT_TYPE: PDF}}")?.kind, .badPragma)
        XCTAssertEqual(error("{{<base}}{{x}}{{/base}}")?.kind, .illegalInParent)
        XCTAssertNil(error("{{<base}}\n  text is dropped\n{{$a}}b{{/a}}\n{{/base}}"))
        // Deep nesting is refused when parsed, never rendered (a worker thread's stack is small).
        let deep = String(repeating: "{{#x}}", count: 100_000) + String(repeating: "{{/x}}", count: 100_000)
        XCTAssertEqual(error(deep)?.kind, .nestedTooDeep)
        XCTAssertNil(error(String(repeating: "{{#x}}", count: 50) + String(repeating: "{{/x}}", count: 50)))
    }

    /// A partial that includes itself stops at the nesting limit; the library says so once.
    func testEndlessPartialsStop() throws {
        let lib = TemplateLibrary()
        try lib.register("{{>self}}x", named: "self")
        try lib.register("{{#m}}{{>loop}}{{/m}}", named: "loop")
        // Branching: without a stop at the first overflow this would be 2^100 renders.
        try lib.register("{{>twice}}{{>twice}}", named: "twice")
        XCTAssertEqual(lib.render("self", [:]), String(repeating: "x", count: TemplateLibrary.depthLimit + 1))
        XCTAssertEqual(lib.takeTooDeep(), "self")
        XCTAssertNil(lib.takeTooDeep())
        XCTAssertEqual(lib.render("loop", ["m": ["a": 1]]), "")
        XCTAssertEqual(lib.takeTooDeep(), "loop")
        XCTAssertEqual(lib.render("twice", [:]), "")
        XCTAssertEqual(lib.takeTooDeep(), "twice")
    }

    func testTopLevelNames() throws {
        let t = try Template("{{name}}{{#practices}}{{title}}{{/practices}}{{^empty(tags)}}{{.}}{{/empty(tags)}}{{m.x}}{{.y}}{{name}}")
        XCTAssertEqual(t.topLevelNames, ["name", "practices", "tags", "m"])
    }

    /// Generated templates (text, spaces, newlines, every kind of tag, nested) rendered by
    /// both engines give the same text, byte for byte.
    func testGeneratedTemplatesAgreeWithSwiftMustache() throws {
        var rng = SplitMix(seed: 20261201)
        // Lists and maps are sections only: shown as variables, swift-mustache prints Swift's
        // description of them ("[]"), where Beacon prints nothing.
        let names = ["x", "y", "t", "f", "s", "n", "m.y", "missing", "d", "m.x"]
        let sections = ["x", "y", "t", "f", "s", "n", "list", "empty", "m", "missing", "words"]
        let texts = ["a", " ", "  ", "\n", "\r\n", "中文", "<&>", "\t", "}", "{a"]
        func gen(_ depth: Int) -> String {
            var out = ""
            for _ in 0..<rng.next(6) + 1 {
                switch rng.next(12) {
                case 0, 1, 2: out += texts[rng.next(texts.count)]
                case 3: out += "{{\(names[rng.next(names.count)])}}"
                case 4: out += "{{{\(names[rng.next(names.count)])}}}"
                case 5: out += "{{! note }}"
                case 6: out += "\n" + String(repeating: " ", count: rng.next(3)) + "{{>p}}\n"
                case 7, 8, 9 where depth < 3:
                    let n = sections[rng.next(sections.count)]
                    let sigil = rng.next(2) == 0 ? "#" : "^"
                    // Inline, or on lines of their own. (swift-mustache loses track of the line
                    // after a section whose opening tag shares its line and whose closing tag
                    // stands alone, and then takes the next standalone tag for an inline one.)
                    if rng.next(2) == 0 {
                        out += "\n{{\(sigil)\(n)}}\n\(gen(depth + 1))\n{{/\(n)}}\n"
                    } else {
                        out += "|{{\(sigil)\(n)}}\(gen(depth + 1))|{{/\(n)}}"
                    }
                case 10: out += "{{#list}}{{#first()}}<{{/first()}}{{x}}{{/list}}"
                default: out += "{{^empty(words)}}{{count(words)}}{{/empty(words)}}"
                }
            }
            return out
        }
        var compared = 0
        for _ in 0..<3000 {
            // Ending in a mark: swift-mustache drops spaces on a last line that has nothing else.
            let t = gen(0) + "."
            guard let theirs = reference(t) else { continue }
            compared += 1
            let mine: String
            do { mine = try ours(t) } catch { XCTFail("\(error): \(t.debugDescription)"); break }
            if mine != theirs {
                XCTFail("template \(t.debugDescription)\nours:   \(mine.debugDescription)\ntheirs: \(theirs.debugDescription)")
                break
            }
        }
        XCTAssertGreaterThan(compared, 2500)
    }
}

extension SplitMix {
    /// A number below `bound`.
    mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
