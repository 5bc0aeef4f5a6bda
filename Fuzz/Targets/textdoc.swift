// Text-documentation reader (qmp-events.txt style): arbitrary text builds a schema or fails with
// a positioned error; never crashes or hangs. What builds must validate its own event names.
public func textdocFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let schema = try TextDocSchemaReader.read(text: text, path: "fuzz.txt")
        let validator = EventValidator(schema: schema)
        var tape = JSONTape()
        for e in schema.events.prefix(8) {
            let event = #"{"event": "\#(e.name)", "timestamp": {"seconds": 1, "microseconds": 2}, "data": {"a": 1}}"#
            Array(event.utf8).withUnsafeBytes { b in
                guard case .success = JSONParser.parseDocument(b, options: .strict, into: &tape) else { return }
                var findings: [RawFinding] = []
                _ = validator.validate(envelope: 0, in: tape, into: &findings)
            }
        }
    } catch {
        if error.line < 1 || error.column < 1 { fuzzFail("error without a position: \(error)") }
    }
    return 0
}
