import Foundation
import XCTest
import BeaconModel
import BeaconLoad

/// Book editions: `edition: [{ audience: 农村 }, { audience: 社区 }]` makes one PDF (and A4
/// booklet) per domain, each with exactly the lessons its audience selects.
final class BookEditionTests: XCTestCase {
    /// Every bookmark title of a PDF, through qpdf's JSON.
    func outlineTitles(_ pdf: URL) throws -> Set<String> {
        let qpdf = try XCTUnwrap(which("qpdf"), "qpdf is not installed; run scripts/setup-tests.sh")
        let r = try runCommand(qpdf, ["--json=2", "--json-key=outlines", pdf.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        var titles = Set<String>()
        func walk(_ items: [[String: Any]]) {
            for i in items {
                if let t = i["title"] as? String { titles.insert(t) }
                walk(i["kids"] as? [[String: Any]] ?? [])
            }
        }
        walk(json["outlines"] as? [[String: Any]] ?? [])
        return titles
    }

    func testEachEditionHasExactlyItsAudiencesLessons() throws {
        let site = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let project = try XCTUnwrap(ContentLoader(root: site.root, bag: DiagnosticBag(), includeDrafts: false).load())
        let inBook = project.lessons.filter { ["两学一做", "三会一课", "基层治理"].contains($0.seriesFolder) }
        var seen: [Set<String>] = []
        for (domain, slug) in [(Domain.农村, "nong-cun"), (Domain.社区, "she-qu")] {
            let pdf = site.output.appendingPathComponent("books/ji-ceng-dang-yuan-du-ben-\(slug).pdf")
            XCTAssertTrue(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("books/ji-ceng-dang-yuan-du-ben-\(slug).print-a4.pdf").path),
                          "each edition has its A4 booklet")
            let titles = try outlineTitles(pdf)
            let expected = Set(inBook.filter { $0.audience.isEmpty || $0.audience.contains(domain) }.map(\.title))
            let excluded = Set(inBook.map(\.title)).subtracting(expected)
            XCTAssertFalse(excluded.isEmpty, "\(domain): the example leaves some lesson out, so the test can fail")
            XCTAssertEqual(titles.intersection(Set(inBook.map(\.title))), expected, "\(domain): exactly the lessons its audience selects")
            seen.append(expected)
            // Titled with the edition's name.
            let info = try runCommand(try XCTUnwrap(which("pdfinfo")), [pdf.path]).stdout
            XCTAssertTrue(info.contains("基层党员学习读本（党章党规和组织生活）·\(domain.rawValue)党员版"), info)
        }
        XCTAssertNotEqual(seen[0], seen[1])
        // The website lists both editions.
        let books = try site.read("output/site/books/index.html")
        XCTAssertTrue(books.contains("农村党员版") && books.contains("社区党员版"))
    }

    func testEditionValidation() throws {
        let site = try TempSite()
        try site.write("content/books/测试.yml", "title: 测试口袋书\nsize: a6\ncontents:\n  - series: 学习园地\nedition: { audience: 农业 }\n")
        let (report, diags) = site.build()
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(diags.map(\.description), ["content/books/测试.yml:5:22: error: 未知的领域 农业，是不是 农村？可选：农村、社区、机关、事业单位、国有企业、非公企业、社会组织、学校 (unknown domain '农业')"])
    }
}
