// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "qmp-lint",
    products: [
        .executable(name: "qmp-lint", targets: ["qmp-lint"]),
        .library(name: "QMPLint", targets: ["QMPLint"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // The only places C is named: PCRE2 and zlib.
        .systemLibrary(
            name: "CPCRE2", path: "Sources/CPCRE2", pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "QMPLint",
            dependencies: ["CPCRE2", "CZlib", .product(name: "Yams", package: "Yams")]),
        .executableTarget(
            name: "qmp-lint",
            dependencies: [
                "QMPLint",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "QMPLintTests", dependencies: ["QMPLint"]),
        .testTarget(name: "CLITests", dependencies: ["QMPLint"]),
    ]
)
