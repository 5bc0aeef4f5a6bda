import Testing
@testable import QMPLint

@Suite struct RegexTests {
    @Test func byteOffsetsNotCharacters() throws {
        let r = try Regex(#"event (\S+)"#)
        let m = try #require(try r.firstMatch(in: "é→ event STOP"))
        // "é" is 2 bytes, "→" 3, space 1: the match starts at byte 6.
        #expect(m.range.lowerBound == 6)
        #expect(m.groups[0] == 12..<16)
        #expect(m.groups[1] == nil)
    }

    @Test func emptyMatchesAdvance() throws {
        let r = try Regex("x*")
        let bytes = Array("abc".utf8)
        let all = try bytes.withUnsafeBytes { try r.allMatches(in: $0) }
        #expect(all.count == 4)
    }

    @Test func unsetGroupIsNil() throws {
        let r = try Regex("(a)|(b)")
        let m = try #require(try r.firstMatch(in: "b"))
        #expect(m.groups[0] == nil)
        #expect(m.groups[1] == 0..<1)
    }

    @Test func pathologicalPatternHitsTheLimitInsteadOfHanging() throws {
        let r = try Regex("(a+)+$", matchLimit: 10_000)
        let text = String(repeating: "a", count: 40) + "!"
        #expect(throws: Regex.MatchError.limitExceeded) { _ = try r.firstMatch(in: text) }
    }

    @Test func badPatternIsAnError() {
        #expect(throws: Regex.CompileError.self) { _ = try Regex("(unclosed") }
    }
}
