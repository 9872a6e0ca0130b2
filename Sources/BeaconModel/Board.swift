import Foundation

/// A display board (展板): a page of fixed physical size laid out on a grid of columns.
public struct Board: Sendable {
    public var path: String
    public var slug: String
    public var title: String
    public var subtitle: String?
    public var sizeName: String
    /// The trimmed size.
    public var size: PaperSize
    /// Bleed on every side, points.
    public var bleed: Double
    public var columns: Int
    public var footer: String?
    public var emblem: String?
    public var blocks: [BoardBlock]
    /// For a copy of a template board (`for_each: branches`): which template and branch.
    public var copy: BoardCopy?

    public init(path: String, slug: String, title: String, subtitle: String?, sizeName: String, size: PaperSize,
                bleed: Double, columns: Int, footer: String?, emblem: String?, blocks: [BoardBlock]) {
        self.path = path; self.slug = slug; self.title = title; self.subtitle = subtitle; self.sizeName = sizeName
        self.size = size; self.bleed = bleed; self.columns = columns; self.footer = footer; self.emblem = emblem
        self.blocks = blocks
    }

    /// Board presets: name, size, default bleed (mm).
    public static let presets: [(name: String, size: PaperSize, bleed: Double)] = [
        ("exhibition-landscape", .mm(1200, 900), 10), ("exhibition-portrait", .mm(900, 1200), 10),
        ("rollup", .mm(800, 2000), 10), ("x-stand", .mm(600, 1600), 10),
        ("a0", .mm(841, 1189), 10), ("a1", .mm(594, 841), 10), ("a2", .mm(420, 594), 5),
        ("a3", .mm(297, 420), 5), ("a4", .mm(210, 297), 5),
    ]

    public var definition: PrintDefinition {
        PrintDefinition(kind: .board, path: path, slug: slug, title: title, subtitle: subtitle, size: sizeName)
    }

    /// The roll-up stand hides the bottom 150 mm of its banner.
    public var hiddenBottom: Double { sizeName == "rollup" ? 150 * PaperSize.pointsPerMM : 0 }
}

/// A template board's copy for one branch; its board's slug is `<template>/<branch>`.
public struct BoardCopy: Sendable {
    public var template: String
    public var templateTitle: String
    public var templatePath: String
    public var branch: String
    public var branchName: String
    public var domain: Domain
    public init(template: String, templateTitle: String, templatePath: String, branch: String, branchName: String, domain: Domain) {
        self.template = template; self.templateTitle = templateTitle; self.templatePath = templatePath
        self.branch = branch; self.branchName = branchName; self.domain = domain
    }
}

public struct BoardPerson: Sendable {
    public var name: String
    public var photo: String?
    public var role: String?
    public var deed: String?
    public init(name: String, photo: String?, role: String?, deed: String?) {
        self.name = name; self.photo = photo; self.role = role; self.deed = deed
    }
}

public struct BoardStat: Sendable {
    public var label: String
    public var value: String
    public var unit: String?
    public init(label: String, value: String, unit: String?) { self.label = label; self.value = value; self.unit = unit }
}

public struct FlowStage: Sendable {
    public var title: String
    public var steps: [String]
    public init(title: String, steps: [String]) { self.title = title; self.steps = steps }
}

public enum BoardBlockContent: Sendable {
    /// Markdown, as written and as parsed.
    /// `qrLinks`: the block prints a QR code of each linked address below its text.
    case text(MarkdownSource, MDDocument, qrLinks: Bool)
    case flow([FlowStage])
    case people([BoardPerson])
    case branches(BranchFilter)
    case stars(branch: String)
    case stats([BoardStat])
    case schedule(year: Int)
    case qr(target: String, caption: String?)
    case image(src: String, caption: String?)
}

public struct BoardBlock: Sendable {
    public var type: String
    public var title: String?
    public var span: Int
    public var content: BoardBlockContent
    public var location: SourceLocation

    public init(type: String, title: String?, span: Int, content: BoardBlockContent, location: SourceLocation) {
        self.type = type; self.title = title; self.span = span; self.content = content; self.location = location
    }
}
