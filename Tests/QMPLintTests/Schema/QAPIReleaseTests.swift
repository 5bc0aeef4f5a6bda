import Foundation
import Testing
@testable import QMPLint

/// Every QEMU release under ../shared/corpus/qapi/releases loads, with the events QEMU defines.
@Suite(.enabled(if: TestPaths.sharedAvailable, "needs ../shared"))
struct QAPIReleaseTests {
    static let releasesDir = TestPaths.shared.appendingPathComponent("corpus/qapi/releases")
    static var releases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: releasesDir.path)) ?? []).sorted()
    }

    /// Event counts per release: the `{ 'event': ... }` definitions of each release's schema.
    static let expectedCounts = ["2.1.0": 32, "2.5.0": 35, "2.8.0": 37, "2.12.0": 39, "4.2.0": 44, "5.2.0": 48,
                                 "6.2.0": 49, "7.2.0": 52, "8.2.0": 54, "10.2.0": 57, "10.2.50": 57]

    @Test(arguments: releases)
    func releaseLoads(_ version: String) throws {
        let schema = try QAPISchemaReader.read(path: Self.releasesDir.appendingPathComponent(version).path)
        #expect(!schema.events.isEmpty)
        if let n = Self.expectedCounts[version] { #expect(schema.events.count == n) }
        // Every type reference resolved: no type left as a placeholder for a missing definition.
        for e in schema.events { if let d = e.data { #expect(d < schema.types.count) } }
    }
}
