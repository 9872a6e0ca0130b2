import Foundation

/// A physical size in points (1/72 inch), built from millimetres.
public struct PaperSize: Hashable, Sendable {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    public static let pointsPerMM = 72.0 / 25.4
    public static func mm(_ w: Double, _ h: Double) -> PaperSize { PaperSize(width: w * pointsPerMM, height: h * pointsPerMM) }

    public var widthMM: Double { width / Self.pointsPerMM }
    public var heightMM: Double { height / Self.pointsPerMM }

    public static let a4 = mm(210, 297)

    /// Pocket-book presets (GB/T 788 and the customary 开本).
    public static let bookPresets: [(name: String, size: PaperSize)] = [
        ("a6", .mm(105, 148)), ("b6", .mm(125, 176)), ("a5", .mm(148, 210)), ("64k", .mm(92, 126)), ("32k", .mm(130, 184)),
    ]

    /// Parses `90mm`, `9cm`, `255pt`, `3.5in` (a bare number is millimetres) into points.
    public static func length(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("mm", pointsPerMM), ("cm", pointsPerMM * 10), ("pt", 1), ("in", 72)]
        for (u, factor) in units where t.hasSuffix(u) {
            guard let v = Double(t.dropLast(u.count).trimmingCharacters(in: .whitespaces)), v.isFinite, v > 0, (v * factor).isFinite else { return nil }
            return v * factor
        }
        guard let v = Double(t), v.isFinite, v > 0, (v * pointsPerMM).isFinite else { return nil }
        return v * pointsPerMM
    }
}

/// Which branch profiles a book or board takes.
public struct BranchFilter: Sendable, Equatable {
    public var stars: Int?
    public var domain: Domain?
    public var tags: [String] = []
    public var slugs: [String] = []

    public init(stars: Int? = nil, domain: Domain? = nil, tags: [String] = [], slugs: [String] = []) {
        self.stars = stars
        self.domain = domain
        self.tags = tags
        self.slugs = slugs
    }

    public func matches(_ b: Branch) -> Bool {
        if let stars, b.stars != stars { return false }
        if let domain, b.domain != domain { return false }
        if !tags.isEmpty && Set(tags).isDisjoint(with: b.tags) { return false }
        if !slugs.isEmpty && !slugs.contains(b.slug) && !slugs.contains(b.fileName) { return false }
        return true
    }
}

public enum BookContent: Sendable, Equatable {
    case series(String)              // folder name
    case lesson(String)              // "<series folder>/<file name>"
    case branches(BranchFilter)
}

public struct BookEdition: Sendable, Equatable {
    public var name: String
    public var audience: Domain
    public init(name: String, audience: Domain) { self.name = name; self.audience = audience }

    /// Whether a lesson with this audience belongs in the edition.
    public func includes(_ audience: [Domain]) -> Bool { audience.isEmpty || audience.contains(self.audience) }
}

public struct Book: Sendable {
    public var path: String
    public var slug: String
    public var title: String
    public var subtitle: String?
    public var publisher: String?
    public var date: String?
    public var sizeName: String
    public var size: PaperSize
    public var contents: [BookContent]
    public var qr: Bool
    public var print: [String]
    /// An edition for one domain (`edition: { audience: 农村 }`): only lessons whose
    /// `audience` includes it, or that have no `audience`.
    public var edition: BookEdition?

    public init(path: String, slug: String, title: String, subtitle: String? = nil, publisher: String? = nil,
                date: String? = nil, sizeName: String, size: PaperSize, contents: [BookContent], qr: Bool = false,
                print: [String] = []) {
        self.path = path
        self.slug = slug
        self.title = title
        self.subtitle = subtitle
        self.publisher = publisher
        self.date = date
        self.sizeName = sizeName
        self.size = size
        self.contents = contents
        self.qr = qr
        self.print = print
    }

    /// `2026年6月` for `2026-06`, `2026年6月1日` for `2026-06-01`; other text as written.
    public var chineseDate: String? {
        guard let date else { return nil }
        let parts = date.split(separator: "-").compactMap { Int($0) }
        switch parts.count {
        case 2: return "\(parts[0])年\(parts[1])月"
        case 3: return "\(parts[0])年\(parts[1])月\(parts[2])日"
        default: return date
        }
    }

    public var definition: PrintDefinition {
        PrintDefinition(kind: .book, path: path, slug: slug, title: title, subtitle: subtitle, size: sizeName)
    }
}

/// Limits print keeps (docs/security.md).
public enum PrintLimits {
    /// The longest paragraph print sets (a paragraph, heading, table cell or code block):
    /// Pango's line breaking grows with the square of a paragraph's length (8,000 characters
    /// with a mark every few characters: 0.5 s and 37 MB; 20,000: 3 s and 230 MB), and a real
    /// paragraph is a few hundred characters. 8,000 characters fill some 25 A6 pages.
    public static let longestParagraph = 8_000
    /// The most text one board holds, all its paragraphs together.
    public static let longestBoardText = 20_000
}
