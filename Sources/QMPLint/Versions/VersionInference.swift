/// Version inference: when an input does not say which QEMU wrote it (most libvirt logs and all
/// virsh output), each stream's messages say it themselves. Every message is probed against
/// every built-in release (`ReleaseProbe`); per stream the reducer counts, per release, the
/// messages it does not describe, and chooses the release that describes the most - events
/// first (QEMU's own words), then replies, then the commands QEMU accepted - preferring the
/// release the input was checked against on a tie, then the newest. What the chosen release
/// describes is no error; what it does not is reported as before, saying which releases would
/// describe it. Messages waiting for the choice are bounded: a stream holding too many chooses
/// early, from what it has seen (the reducer reads in text order, so the answer is the same
/// however the input is split).
public struct InferencePlan: Sendable {
    let probe: ReleaseProbe
    /// The release the readers check against (index in `Releases.versions`).
    let primary: Int
    /// The releases an input may be from when its streams say nothing (all, or the two around
    /// a version the input names that has no built-in release).
    let candidates: ReleaseMask
}

/// The release chosen for one stream, for the report.
public struct StreamVersion: Sendable, Equatable {
    /// The stream, as findings name it.
    public var stream: String
    /// The built-in releases that describe every weighed message of the stream (`7.2.0-8.2.0`).
    public var fits: [String]
    /// The release whose verdicts stand for the stream.
    public var chosen: String
    /// The evidence that limited the choice (a greeting, a query-version reply), nil when only
    /// the messages decided.
    public var evidence: String?
    /// Messages weighed, and how many the chosen release does not describe.
    public var weighed: Int
    public var misfits: Int
    /// The releases describing every weighed message, as a set.
    public var fitsMask = ReleaseMask.none
    /// Per release that does not fit: the first message it does not describe.
    public var exclusions: [ReleaseExclusion] = []

    /// `inferred QEMU 7.2.0-8.2.0` (or the evidence's wording), as every report format says it.
    public var summary: String {
        guard !fits.isEmpty else {
            let closest = "no single QEMU release fits every message; \(chosen) fits all but \(misfits) of \(weighed)"
            return evidence.map { "\(closest) (\($0))" } ?? closest
        }
        let range = fits.joined(separator: ", ")
        return evidence.map { "QEMU \(range) (\($0))" } ?? "inferred QEMU \(range)"
    }
}

/// The first message of a stream that a release does not describe (`compat` shows it).
public struct ReleaseExclusion: Sendable, Equatable {
    public var release: Int
    public var line: Int
    public var column: Int
    /// `event BLOCK_IO_ERROR`, `reply to query-block`, `command blockdev-add`.
    public var what: String
}

/// What one stream's messages say about its release.
struct VersionTally {
    /// A message the primary release does not describe but another does: its findings wait for
    /// the stream's release.
    struct Disputed {
        var findings: [ReportFinding]
        var accepts: ReleaseMask
        var name: String
        var kind: MessageKind
    }

    /// A message some release does not describe: the first one per release (`misfit`), and
    /// the first the primary describes (`foreign`: those make `version-conflict`).
    struct Foreign {
        var count = 0
        var site: StreamSite?
        var kind: MessageKind = .event
        var name = ""
    }

    /// How many messages one stream may hold waiting for its release, and all streams of an input.
    static let holdPerStream = 256
    static let holdPerInput = 4096

    /// The releases a greeting or query-version reply of the stream allows, and what it said.
    var evidence: (mask: ReleaseMask, reason: String)?
    /// Per tier (events, replies, accepted commands), per release: messages it does not describe.
    var rejects: [[Int]]
    var weighed = 0
    var foreign: [Foreign]
    var misfit: [Foreign]
    var disputed: [Disputed] = []
    /// The release chosen, once chosen.
    var chosen: Int?

    init() {
        let n = Releases.versions.count
        rejects = Array(repeating: Array(repeating: 0, count: n), count: 3)
        foreign = Array(repeating: Foreign(), count: n)
        misfit = foreign
    }

    static func tier(_ kind: MessageKind) -> Int {
        switch kind {
        case .event, .greeting: 0
        case .reply: 1
        case .command: 2
        }
    }

    /// Per release that does not fit, its first misfit.
    var exclusions: [ReleaseExclusion] {
        misfit.indices.compactMap { i in
            guard let site = misfit[i].site else { return nil }
            let m = misfit[i]
            let what = m.kind == .reply ? "reply to \(m.name.isEmpty ? "a command" : m.name)" : "\(m.kind.rawValue) \(m.name)"
            return ReleaseExclusion(release: i, line: site.line, column: site.column, what: what)
        }
    }

    /// Messages release `i` does not describe.
    func misfits(_ i: Int) -> Int { rejects[0][i] + rejects[1][i] + rejects[2][i] }

    /// Counts a message the releases `accepts` describe. `site` makes its place when it is the
    /// first the primary describes and some release does not.
    mutating func weigh(_ accepts: ReleaseMask, primary: Int, kind: MessageKind, name: String,
                        site: () -> StreamSite) {
        weighed += 1
        let tier = Self.tier(kind)
        for i in 0..<foreign.count where !accepts.contains(i) {
            rejects[tier][i] += 1
            misfit[i].count += 1
            if misfit[i].site == nil {
                misfit[i].site = site()
                misfit[i].kind = kind
                misfit[i].name = name
            }
            if accepts.contains(primary) {
                foreign[i].count += 1
                if foreign[i].site == nil {
                    foreign[i].site = site()
                    foreign[i].kind = kind
                    foreign[i].name = name
                }
            }
        }
    }

    /// The releases describing every weighed message.
    var fits: ReleaseMask {
        var m = ReleaseMask.none
        for i in 0..<foreign.count where misfits(i) == 0 { m.insert(i) }
        return m
    }

    /// The release among `candidates` describing the most messages, tier by tier; ties go to
    /// `primary`, then to the newest.
    func choose(among candidates: ReleaseMask, primary: Int) -> Int {
        var best: Int?
        for i in (0..<foreign.count).reversed() where candidates.contains(i) {
            guard let b = best else { best = i; continue }
            let mine = (rejects[0][i], rejects[1][i], rejects[2][i])
            let theirs = (rejects[0][b], rejects[1][b], rejects[2][b])
            if mine < theirs || (mine == theirs && i == primary) { best = i }
        }
        return best ?? primary
    }
}
