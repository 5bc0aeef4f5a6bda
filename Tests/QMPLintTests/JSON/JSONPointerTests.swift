import Testing
@testable import QMPLint

struct JSONPointerTests {
    @Test func escaping() {
        #expect(JSONPointer.escape("slot-type") == "slot-type")
        #expect(JSONPointer.escape("a/b~c") == "a~1b~0c")
        #expect(JSONPointer.escape("~1") == "~01")
        #expect(JSONPointer.root.description == "")
        #expect(JSONPointer(["data", "info", "slot-type"]).description == "/data/info/slot-type")
        #expect(JSONPointer.root.appending("data").appending("a/b").appending(index: 3).description == "/data/a~1b/3")
        #expect(JSONPointer(["", "x"]).description == "//x")
    }

    @Test func parsing() {
        #expect(JSONPointer(parsing: "") == .root)
        #expect(JSONPointer(parsing: "/data/a~1b/~01")?.tokens == ["data", "a/b", "~1"])
        #expect(JSONPointer(parsing: "/")?.tokens == [""])
        #expect(JSONPointer(parsing: "data") == nil)
        #expect(JSONPointer(parsing: "/a~2") == nil)
        #expect(JSONPointer(parsing: "/a~") == nil)
        for text in ["/data/info/slot-type", "/a~1b/0", "//x"] {
            #expect(JSONPointer(parsing: text)?.description == text)
        }
        #expect(JSONPointer(["a"]).appending("b").parent == JSONPointer(["a"]))
    }

    @Test func resolveAndLocate() {
        let p = ParsedJSON(#"{"event": "X", "data": {"info": {"slot-type": "DIMM"}, "list": [10, {"a/b": 1}]}}"#)
        let t = p.tape
        let slot = JSONPointer(parsing: "/data/info/slot-type")!.resolve(in: t)
        #expect(slot.map { t.string($0) } == "DIMM")
        let ab = JSONPointer(["data", "list", "1", "a/b"]).resolve(in: t)
        #expect(ab.map { t[$0].magnitude } == 1)
        #expect(JSONPointer(parsing: "/data/list/2")!.resolve(in: t) == nil)
        #expect(JSONPointer(parsing: "/data/list/01")!.resolve(in: t) == nil)
        #expect(JSONPointer(parsing: "/nope")!.resolve(in: t) == nil)
        #expect(JSONPointer.root.resolve(in: t) == 0)
        #expect(JSONPointer(tape: t, node: slot!)?.description == "/data/info/slot-type")
        #expect(JSONPointer(tape: t, node: ab!)?.description == "/data/list/1/a~1b")
        #expect(JSONPointer(tape: t, node: 0) == .root)
        #expect(JSONPointer(tape: t, node: 1) == nil)  // a key, not a value
        let data = t.member(0, "data")!
        #expect(JSONPointer(tape: t, node: slot!, root: data)?.description == "/info/slot-type")
    }
}
