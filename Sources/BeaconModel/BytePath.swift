import Foundation

/// A path compared and hashed by its bytes: Swift hashes a String that is not ASCII through
/// Unicode normalisation, which was most of the copy rules' time on a rebuild of 10,000
/// lessons with Chinese file names. Paths of one build come from one listing: the same file,
/// the same bytes.
public struct BytePath: Hashable, Sendable {
    public let text: String
    public init(_ text: String) { self.text = text }
    public static func == (a: BytePath, b: BytePath) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
    public func hash(into hasher: inout Hasher) {
        var t = text
        t.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
