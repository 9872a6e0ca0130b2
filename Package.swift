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
                       providers: [.apt(["libpango1.0-dev", "libcairo2-dev", "libqrencode-dev", "librsvg2-dev", "libgdk-pixbuf-2.0-dev"])]),

        // Beacon's own modules, one per concern
        .target(name: "BeaconModel"),
        .target(name: "BeaconText", dependencies: ["BeaconModel"]),
        .target(name: "BeaconLoad", dependencies: ["BeaconModel", "BeaconText", "Yams", .product(name: "Mustache", package: "swift-mustache")]),
        .target(name: "BeaconMarkdown", dependencies: ["BeaconModel", "BeaconText", "CCMarkGFM", "CLibXML2"]),
        .target(name: "BeaconSite", dependencies: [
            "BeaconModel", "BeaconText", "BeaconLoad", "BeaconMarkdown", "BeaconPrint",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .target(name: "BeaconPrint", dependencies: ["BeaconModel", "BeaconText", "CPrint"]),
        .target(name: "BeaconBooks", dependencies: ["BeaconModel", "BeaconText", "BeaconMarkdown", "BeaconSite", "BeaconPrint", "Yams"]),
        .target(name: "BeaconBoards", dependencies: ["BeaconModel", "BeaconText", "BeaconMarkdown", "BeaconSite", "BeaconPrint", "BeaconBooks", "CPrint", "CQPDF", "ZIPFoundation"]),
        .target(name: "BeaconBuild", dependencies: ["BeaconModel", "BeaconText", "BeaconLoad", "BeaconSite", "BeaconBooks", "BeaconBoards"]),
        .executableTarget(name: "beacon", dependencies: [
            "BeaconModel", "BeaconBuild", "BeaconLoad", "BeaconSite",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "FlyingFox", package: "FlyingFox"),
        ]),
        .testTarget(name: "BeaconTests", dependencies: [
            "BeaconModel", "BeaconText", "BeaconLoad", "BeaconMarkdown", "BeaconSite", "BeaconBuild", "BeaconPrint", "BeaconBooks", "BeaconBoards", "CLibXML2",
        ]),
    ],
    swiftLanguageModes: [.v5]
)
