// The gzip reader (GzipSource), over corrupt and multi-member streams:
// - nothing crashes or hangs; a fault is thrown once, after every byte decompressed before it,
//   and names the decompressed offset it was met at (the bytes handed out);
// - valid members (made from the input) separated and followed by zero padding give exactly
//   their contents; bytes after them that are not a member are a warning, never lost data;
// - a corrupted stream never hands out more than the members' contents' worth of bytes
//   before its fault is found wrongly (no byte after a fault).
// Fixtures/hostile/crashes/gzip/ inputs are replayed by FuzzReplayTests.gzipInputs.
import CZlib

/// One gzip member of `bytes` (zlib, the given level).
func gzipMember(_ bytes: [UInt8], level: Int32) -> [UInt8] {
    var s = z_stream()
    guard deflateInit2_(&s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                        Int32(MemoryLayout<z_stream>.size)) == Z_OK else { fuzzFail("deflateInit2 failed") }
    defer { deflateEnd(&s) }
    var out = [UInt8](repeating: 0, count: Int(deflateBound(&s, UInt(bytes.count))) + 64)
    var input = bytes
    let n = input.withUnsafeMutableBufferPointer { i in
        out.withUnsafeMutableBufferPointer { o in
            s.next_in = i.baseAddress
            s.avail_in = UInt32(i.count)
            s.next_out = o.baseAddress
            s.avail_out = UInt32(o.count)
            guard deflate(&s, Z_FINISH) == Z_STREAM_END else { fuzzFail("deflate did not finish") }
            return o.count - Int(s.avail_out)
        }
    }
    return Array(out[..<n])
}

/// Reads `stream` through GzipSource in chunks of `chunk` bytes, checking every fault.
/// (A bomb read a byte at a time would take too long: tiny chunks stop sooner.)
func gunzipChecked(_ stream: [UInt8], chunk: Int) -> (out: [UInt8], error: InputError?, notices: [InputNotice]) {
    let cap = min(16 << 20, chunk << 18)
    guard let gz = try? GzipSource(inner: MemorySource(stream), path: "fuzz.gz") else { fuzzFail("cannot start zlib") }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: chunk)
    var error: InputError?
    while out.count < cap {
        let r = buffer.withUnsafeMutableBytes { b in Result { () throws(InputError) in try gz.read(into: b) } }
        switch r {
        case .success(0):
            break
        case .success(let n):
            if n > chunk { fuzzFail("read \(n) bytes into \(chunk)") }
            out += buffer[..<n]
            continue
        case .failure(let e):
            if e.offset != out.count { fuzzFail("fault at \(String(describing: e.offset)) after \(out.count) bytes: \(e)") }
            error = e
        }
        break
    }
    if out.count < cap {
        // The end is final: no more bytes, no second fault.
        for _ in 0..<2 {
            let r = buffer.withUnsafeMutableBytes { b in Result { () throws(InputError) in try gz.read(into: b) } }
            guard case .success(0) = r else { fuzzFail("read after the end gave \(r)") }
        }
    }
    return (out, error, gz.notices)
}

public func gzipFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 2 else { return 0 }
    let knob = Int(data[0])
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let chunk = [1, 7, 4096, 1 << 16][knob & 3]
    // 1. The input itself as a gzip stream (gzip magic in front).
    _ = gunzipChecked([0x1F, 0x8B] + bytes.dropFirst(min(2, bytes.count)), chunk: chunk)

    // 2. Members made of the input, zero padding between and after them, then a tail.
    let cut1 = bytes.count / 3, cut2 = bytes.count * 2 / 3
    let a = Array(bytes[..<cut1]), b = Array(bytes[cut1..<cut2]), tail = Array(bytes[cut2...])
    let level = Int32(knob >> 2 & 7) + 1
    let padding = [UInt8](repeating: 0, count: knob >> 5)
    let members = gzipMember(a, level: level) + padding + gzipMember(b, level: level) + padding
    var r = gunzipChecked(members, chunk: chunk)
    if r.out != a + b || r.error != nil || !r.notices.isEmpty {
        fuzzFail("members with padding: \(r.out.count) of \(a.count + b.count) bytes, \(String(describing: r.error)), \(r.notices)")
    }
    // With a tail: what the members hold always comes out first; a tail that is not padding or
    // a member is a warning (nothing lost), one that looks like a member may be a fault.
    r = gunzipChecked(members + tail, chunk: chunk)
    if Array(r.out.prefix(a.count + b.count)) != a + b { fuzzFail("a tail changed the members' contents") }
    let rest = tail.drop { $0 == 0 }
    if let first = rest.first, first != 0x1F {
        if r.out.count != a.count + b.count || r.error != nil || r.notices.map(\.level) != [.warning] {
            fuzzFail("garbage tail: \(r.out.count) bytes, \(String(describing: r.error)), \(r.notices)")
        }
    }

    // 3. One byte of the members corrupted: whatever comes out, a fault is at its offset
    //    (checked by gunzipChecked) and a stream that is still valid gives the members.
    var corrupt = members
    if !corrupt.isEmpty {
        let at = (knob * 7919 + bytes.count) % corrupt.count
        corrupt[at] ^= UInt8(truncatingIfNeeded: knob | 1)
        _ = gunzipChecked(corrupt, chunk: chunk)
    }
    return 0
}
