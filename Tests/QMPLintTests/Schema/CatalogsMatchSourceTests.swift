import Foundation
import Testing
@testable import QMPLint

/// The committed built-in catalogs are exactly what the QAPI reader derives from
/// ../shared/corpus/qapi/releases. `QMPLINT_REGENERATE=1` rewrites them.
@Suite(.enabled(if: TestPaths.sharedAvailable, "needs ../shared"), .serialized)
struct CatalogsMatchSourceTests {
    static let catalogDir = TestPaths.repoRoot.appendingPathComponent("Sources/QMPLint/Schema/Catalogs")
    static var regenerate: Bool { ProcessInfo.processInfo.environment["QMPLINT_REGENERATE"] == "1" }

    static func sortedReleases() -> [String] {
        QAPIReleaseTests.releases.sorted { (VersionNumber($0)!, $0) < (VersionNumber($1)!, $1) }
    }

    static func export(_ version: String) throws -> String {
        var s = try QAPISchemaReader.read(path: QAPIReleaseTests.releasesDir.appendingPathComponent(version).path, name: "qemu-\(version)")
        s.version = version
        return SchemaCatalogCodec.encode(s)
    }

    @Test func catalogsMatchTheQAPISource() throws {
        let versions = Self.sortedReleases()
        if Self.regenerate {
            for v in versions {
                let src = SchemaCatalogGenerator.swiftSource(version: v, catalog: try Self.export(v))
                try src.write(to: Self.catalogDir.appendingPathComponent("Catalog_\(v.replacingOccurrences(of: ".", with: "_")).swift"), atomically: true, encoding: .utf8)
            }
            try SchemaCatalogGenerator.indexSource(versions: versions)
                .write(to: Self.catalogDir.appendingPathComponent("CatalogIndex.swift"), atomically: true, encoding: .utf8)
            return
        }
        #expect(BuiltinCatalogs.versions == versions)
        for v in versions {
            #expect(BuiltinCatalogs.text(for: v) == (try Self.export(v)), "catalog \(v) differs from its QAPI source: regenerate")
        }
    }

    @Test func catalogRoundTrip() throws {
        for v in BuiltinCatalogs.versions {
            let s = try BuiltinCatalogs.load(version: v)
            #expect(SchemaCatalogCodec.encode(s) == BuiltinCatalogs.text(for: v))
        }
    }
}
