// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Beacon",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "beacon", targets: ["beacon"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // System libraries (Debian packages installed by scripts/setup.sh)
        .systemLibrary(name: "CCMarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CQPDF", pkgConfig: "libqpdf", providers: [.apt(["libqpdf-dev"])]),
        .systemLibrary(name: "CPrint", pkgConfig: "pangocairo",
                       providers: [.apt(["libpango1.0-dev", "libcairo2-dev", "librsvg2-dev", "libgdk-pixbuf-2.0-dev", "libdeflate-dev"])]),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CNettle", pkgConfig: "nettle", providers: [.apt(["nettle-dev"])]),
        .systemLibrary(name: "CZlibCRC", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CGlibcExtras"),

        // Beacon's own modules, one per concern. The flow: Load parses every Markdown text once
        // (Markdown) into the typed tree of Model; Output resolves its links once and holds what
        // the three outputs share; Site, Books and Boards render from the tree and never import
        // one another; Build runs the stages. docs/architecture.md draws the graph.
        .target(name: "BeaconModel"),
        .target(name: "BeaconThemes"),
        // ChineseWords reads ICU's word breaks from the ICU that Foundation carries on Linux.
        .target(name: "BeaconText", dependencies: ["BeaconModel"], linkerSettings: [.linkedLibrary("_FoundationICU")]),
        .target(name: "BeaconTemplate", dependencies: ["BeaconModel", "BeaconText"]),
        .target(name: "BeaconMarkdown", dependencies: ["BeaconModel", "BeaconText", "CCMarkGFM", "CLibXML2"]),
        .target(name: "BeaconLoad", dependencies: ["BeaconModel", "BeaconText", "BeaconMarkdown", "BeaconOutput", "BeaconThemes", "BeaconTemplate", "Yams"]),
        .target(name: "BeaconOutput", dependencies: ["BeaconModel", "BeaconText", "CQRencode", "CNettle", "CZlibCRC", "CGlibcExtras"]),
        .target(name: "BeaconPrint", dependencies: ["BeaconModel", "BeaconText", "BeaconOutput", "CPrint", "CQPDF"]),
        .target(name: "BeaconSite", dependencies: [
            "BeaconModel", "BeaconText", "BeaconLoad", "BeaconMarkdown", "BeaconOutput", "BeaconTemplate",
        ]),
        .target(name: "BeaconBooks", dependencies: ["BeaconModel", "BeaconText", "BeaconOutput", "BeaconPrint"]),
        .target(name: "BeaconBoards", dependencies: ["BeaconModel", "BeaconText", "BeaconOutput", "BeaconPrint"]),
        .target(name: "BeaconWeChat", dependencies: ["BeaconModel", "BeaconText", "BeaconMarkdown", "BeaconOutput", "BeaconPrint"]),
        .target(name: "BeaconImport", dependencies: ["BeaconModel", "BeaconText", "BeaconMarkdown", "CLibXML2", "ZIPFoundation"]),
        .target(name: "BeaconBuild", dependencies: ["BeaconModel", "BeaconText", "BeaconLoad", "BeaconOutput", "BeaconPrint", "BeaconSite", "BeaconBooks", "BeaconBoards", "BeaconWeChat"]),
        .executableTarget(name: "beacon", dependencies: [
            "BeaconModel", "BeaconText", "BeaconBuild", "BeaconLoad", "BeaconSite", "BeaconOutput", "BeaconThemes", "BeaconImport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "FlyingFox", package: "FlyingFox"), "CGlibcExtras",
        ], plugins: ["BuildInfo"]),
        // The commit `beacon --version` prints, written before each build.
        .plugin(name: "BuildInfo", capability: .buildTool()),
        // libFuzzer targets (scripts/fuzz); built plainly, a runner that replays a corpus.
        .executableTarget(name: "beacon-fuzz", dependencies: [
            "BeaconModel", "BeaconText", "BeaconMarkdown", "BeaconPrint", "BeaconLoad", "BeaconBuild",
        ]),
        .testTarget(name: "BeaconTests", dependencies: [
            "BeaconModel", "BeaconText", "BeaconLoad", "BeaconMarkdown", "BeaconOutput", "BeaconSite", "BeaconBuild", "BeaconPrint", "BeaconBooks", "BeaconBoards", "BeaconThemes", "BeaconImport", "BeaconWeChat", "BeaconTemplate", "CLibXML2",
            // The reference Mustache implementation the themes were first written for: tests
            // render every built-in template with it and with Beacon's own and compare.
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
    ],
    swiftLanguageModes: [.v5]
)

// Release builds leave out Swift's run-time exclusivity checks (a thread-local access set
// updated around every access to a class property or captured variable: 2–3 % of a build's
// CPU time). Debug builds, which the tests run, keep them.
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
}
