import Foundation
import BeaconModel
import BeaconOutput
import BeaconPrint

/// The pocket-book stage of a build: every book to `books/<slug>.pdf`, its A4 booklet when
/// asked, a cover picture and download copies for the website.
public enum BookStage {
    public static func run(project: Project, style: BookStyle, links: ContentLinks, stage: OutputStage, bag: DiagnosticBag) -> [String: BookFiles] {
        guard !project.books.isEmpty else { return [:] }
        var files: [String: BookFiles] = [:]
        let builder = BookBuilder(project: project, style: style, links: links, bag: bag)
        for book in project.books {
            let result = builder.build(book)
            if bag.hasErrors { continue }
            do {
                let pdf = "books/\(book.slug).pdf"
                try result.document.writePDF(to: stage.reserve(pdf).path)
                try stage.link(from: stage.url(pdf), to: "site/" + pdf)
                var printPDF: String?
                if book.print.contains("a4-booklet") {
                    let path = "books/\(book.slug).print-a4.pdf"
                    do {
                        let plan = try Imposition.plan(pageCount: result.document.pages.count, size: book.size)
                        try Imposition.write(result.document, plan: plan, to: stage.reserve(path).path)
                        try stage.link(from: stage.url(path), to: "site/" + path)
                        printPDF = path
                    } catch let e as PrintError {
                        bag.error(SourceLocation(path: book.path), e.description)
                    }
                }
                let cover = "books/\(book.slug).png"
                try result.document.writePNG(page: 0, pixelWidth: 360, to: stage.reserve("site/" + cover).path)
                let bytes = (try? FileManager.default.attributesOfItem(atPath: stage.url(pdf).path)[.size] as? Int) ?? 0
                files[book.slug] = BookFiles(pdf: pdf, printPDF: printPDF, cover: cover,
                                                         pages: result.document.pages.count, bytes: bytes)
            } catch {
                bag.error(SourceLocation(path: book.path), "口袋书无法写出 (cannot write the book): \(error)")
            }
        }
        return files
    }
}
