// JSON parser, strict and lenient: never crashes, stays in bounds, and what it accepts
// re-serialises to text it accepts again (strictly) with the same shape.
public func jsonFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var tape = JSONTape()
    for options in [JSONParser.Options.strict, JSONParser.Options.lenient] {
        // A whole document.
        if case .success = JSONParser.parseDocument(bytes, options: options, into: &tape) {
            checkTape(tape, size: size)
            roundTrip(tape)
        }
        // Every value start, the way the extractor calls it (bounded by a limit inside the data).
        var p = 0
        while p < size {
            if bytes[p] == 0x7B || bytes[p] == 0x5B {
                let limit = p + (size - p) * 3 / 4
                switch JSONParser.parseValue(bytes, from: p, limit: max(p, limit), options: options, into: &tape) {
                case .success(let end):
                    if end > max(p, limit) || end <= p { fuzzFail("value end \(end) outside \(p)..<\(limit)") }
                    checkTape(tape, size: end)
                case .failure(let e):
                    if e.offset < p || e.offset > max(p, limit) { fuzzFail("fault \(e.offset) outside \(p)...\(limit)") }
                }
            }
            p += 1 + p / 4   // sample starts, or long inputs cost quadratic time
        }
    }
    return 0
}

func checkTape(_ tape: JSONTape, size: Int) {
    if tape.nodes.isEmpty { fuzzFail("empty tape after success") }
    for (i, n) in tape.nodes.enumerated() {
        if n.start < 0 || n.end > size || n.start > n.end { fuzzFail("node \(i) range \(n.start)..<\(n.end) of \(size)") }
        if Int(n.next) <= i || Int(n.next) > tape.nodes.count { fuzzFail("node \(i) next \(n.next)") }
        if n.kind == .string { _ = tape.string(i) }
        if n.kind == .integer { _ = tape.int64(i) }
    }
}

func roundTrip(_ tape: JSONTape) {
    // Placeholders and Python literals have no JSON form to compare against.
    if tape.nodes.contains(where: { $0.kind == .placeholder }) { return }
    var w = JSONWriter()
    w.value(tape, 0)
    var again = JSONTape()
    let ok = w.bytes.withUnsafeBytes { b -> Bool in
        guard case .success = JSONParser.parseDocument(b, options: .strict, into: &again) else { return false }
        if again.nodes.count != tape.nodes.count { fuzzFail("round trip changed node count \(tape.nodes.count) -> \(again.nodes.count)") }
        for i in tape.nodes.indices {
            let a = tape.nodes[i], z = again.nodes[i]
            if a.kind != z.kind && !(a.kind == .number || a.kind == .integer) { fuzzFail("round trip changed kind of node \(i): \(a.kind) -> \(z.kind)") }
            if a.count != z.count { fuzzFail("round trip changed count of node \(i)") }
            if a.kind == .string && tape.string(i) != again.string(i) { fuzzFail("round trip changed string \(i)") }
        }
        return true
    }
    if !ok { fuzzFail("writer output not accepted by the strict parser: \(String(decoding: w.bytes.prefix(200), as: UTF8.self))") }
}
