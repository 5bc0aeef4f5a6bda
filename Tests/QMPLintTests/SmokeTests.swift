import Testing
@testable import QMPLint

@Test func builtinRanges() {
    #expect(BuiltinType.uint8.integerRange?.maxMagnitude == 255)
}
